//! The deterministic session: a seed and the choices made give the same client lines, state
//! and scores every time; applying a choice, rewinding, and the summary at the end.

use std::fmt;
use std::sync::Arc;

use super::PreparedScenario;
use super::dynamics::{self, Memory, Step};
use super::rng::{Purpose, pick};
use super::series::SeriesStart;
use crate::coding;
use crate::model::{
    ClientState, Contraindication, Facts, Judgement, MitiCode, MomentKind, OpenMoment,
    Prerequisite, RiskLevel, Rupture, SafetyGate, SessionEnd, Technique, TurnFlag, Verdict,
};
use crate::scenario::{Choice, Directiveness, Effect, Response, Trigger};
use crate::scoring::{
    self, Fit, MoveProfile, SafetyFailure, SessionSummary, TurnOutcome, score_move,
};

/// One session with one client: apply choices, read outcomes, rewind.
#[derive(Clone, Debug)]
pub struct Session {
    prepared: Arc<PreparedScenario>,
    seed: u64,
    state: ClientState,
    memory: Memory,
    turns: Vec<TurnOutcome>,
    /// Each turn's technique, by index in the prepared scenario (repetition is counted often).
    used: Vec<usize>,
    fired: Vec<bool>,
    said: Vec<bool>,
    /// The line and cue variant each response last used, so a response that comes up
    /// again does not repeat itself word for word while it has another variant.
    last_variant: Vec<Option<(usize, usize)>>,
    moments_seen: Vec<bool>,
    /// The client moment open now, which the next move must answer.
    moment: Option<OpenMoment>,
    /// The moment open before the first move (shown beside the opening line).
    opening_moment: Option<MomentKind>,
    /// How the move being applied met that moment (set while a turn is worked out).
    verdict: Option<Verdict>,
    risk_cue_turn: Option<u32>,
    safety_failures: Vec<SafetyFailure>,
    ended: Option<SessionEnd>,
    /// Where a session that continues an earlier one began (`Session::continuing`); a
    /// session met on its own begins as its file says.
    start: Option<Arc<SeriesStart>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ApplyError {
    UnknownTechnique(String),
    SessionOver(SessionEnd),
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApplyError::UnknownTechnique(id) => write!(f, "unknown technique `{id}`"),
            ApplyError::SessionOver(end) => write!(f, "the session has already ended ({end:?})"),
        }
    }
}

impl std::error::Error for ApplyError {}

impl Session {
    pub fn new(prepared: Arc<PreparedScenario>, seed: u64) -> Session {
        Session::begin(prepared, seed, None)
    }

    /// A session that continues an earlier one with the same client: it begins from the
    /// carried state and opens with the between-session event's words, if any
    /// (`engine::continue_from` works the start out).
    pub fn continuing(
        prepared: Arc<PreparedScenario>,
        seed: u64,
        start: Arc<SeriesStart>,
    ) -> Session {
        Session::begin(prepared, seed, Some(start))
    }

    /// The same session at its first turn, on `prepared` (the same scenario, or its
    /// content reloaded): rewinding, the summary's starting state and a hot reload begin here.
    pub(super) fn restarted_on(&self, prepared: Arc<PreparedScenario>) -> Session {
        Session::begin(prepared, self.seed, self.start.clone())
    }

    /// Where a continuing session began, if it continues one.
    pub fn series_start(&self) -> Option<&SeriesStart> {
        self.start.as_deref()
    }

    fn begin(
        prepared: Arc<PreparedScenario>,
        seed: u64,
        start: Option<Arc<SeriesStart>>,
    ) -> Session {
        let scenario = &prepared.scenario;
        let mut state = match &start {
            Some(start) => start.state.clone(),
            None => scenario.initial_state.clone(),
        };
        state.reactance = Some(state.reactance.unwrap_or(scenario.client.traits.reactance));
        state.risk = Some(state.risk.unwrap_or(scenario.client.risk.level));
        // An opening line marked as a risk cue is one: it raises the risk to assess.
        if scenario.session.opening_moment == Some(MomentKind::RiskCue)
            && state.risk() < RiskLevel::Moderate
        {
            state.risk = Some(RiskLevel::Moderate);
            state.risk_assessed = false;
        }
        // A risk cue present from the start is a cue like any other: it opens the moment
        // and starts the assessment clock at the opening line (clinical-model.md section 9).
        let risk_at_start = state.risk() >= RiskLevel::Moderate && !state.risk_assessed;
        let moment = if risk_at_start {
            Some(MomentKind::RiskCue)
        } else {
            scenario.session.opening_moment
        }
        .map(|kind| OpenMoment { kind, opened: 0 });
        Session {
            seed,
            state,
            memory: Memory::default(),
            turns: Vec::with_capacity(scenario.session.turn_limit as usize),
            used: Vec::with_capacity(scenario.session.turn_limit as usize),
            fired: vec![false; scenario.events.len()],
            said: vec![false; scenario.responses.len()],
            last_variant: vec![None; scenario.responses.len()],
            moments_seen: vec![false; scenario.key_moments.len()],
            moment,
            opening_moment: moment.map(|m| m.kind),
            verdict: None,
            risk_cue_turn: risk_at_start.then_some(0),
            safety_failures: Vec::new(),
            ended: None,
            start,
            prepared,
        }
    }

    pub fn prepared(&self) -> &Arc<PreparedScenario> {
        &self.prepared
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
    pub fn state(&self) -> &ClientState {
        &self.state
    }
    pub fn turns(&self) -> &[TurnOutcome] {
        &self.turns
    }
    pub fn ended(&self) -> Option<SessionEnd> {
        self.ended
    }
    pub fn safety_failures(&self) -> &[SafetyFailure] {
        &self.safety_failures
    }
    /// The client moment open now: what the next move must answer.
    pub fn open_moment(&self) -> Option<OpenMoment> {
        self.moment
    }
    pub fn choices(&self) -> impl Iterator<Item = &Choice> {
        self.turns.iter().map(|t| &t.choice)
    }

    /// The client's first words, before the trainee's first move.
    pub fn opening_line(&self) -> &str {
        match self
            .start
            .as_deref()
            .and_then(|s| s.opening_line.as_deref())
        {
            Some(line) => line,
            None => &self.prepared.scenario.session.opening_line,
        }
    }

    pub fn opening_cue(&self) -> Option<&str> {
        if let Some(cue) = self.start.as_deref().and_then(|s| s.opening_cue.as_deref()) {
            return Some(cue);
        }
        let cues = &self.prepared.scenario.session.opening_cues;
        cues.get(pick(self.seed, 0, Purpose::Opening, 0, cues.len()))
            .map(String::as_str)
    }

    /// Plays one move.
    pub fn apply(&mut self, choice: &Choice) -> Result<&TurnOutcome, ApplyError> {
        if let Some(end) = self.ended {
            return Err(ApplyError::SessionOver(end));
        }
        let prepared = Arc::clone(&self.prepared);
        // A move given by its words alone plays the technique the words are coded as.
        let confirmed = coding::confirmed_as_coded(choice);
        let choice = confirmed.as_ref();
        let t_index = prepared
            .technique_index(&choice.technique)
            .ok_or_else(|| ApplyError::UnknownTechnique(choice.technique.clone()))?;
        let t = &prepared.techniques[t_index];
        let scenario = &prepared.scenario;
        let cfg = &prepared.config;
        let turn = self.turns.len() as u32 + 1;
        let mv = MoveProfile::of(t, choice, cfg);
        let before = self.state.snapshot();

        // Score against the state and the moment the move met.
        let (fit, unmet, contraindicated) = self.fit_of(t, t_index, &mv, turn);
        self.verdict = fit.moment.map(|j| j.verdict);
        let mut flags: Vec<TurnFlag> = Vec::new();
        flags.extend(contraindicated.iter().map(|c| TurnFlag::Contraindicated {
            reason: c.reason.clone(),
        }));
        flags.extend(unmet.iter().map(|p| TurnFlag::PrerequisiteUnmet {
            label: p.label.clone(),
        }));

        // Safety: no arousal-raising work while risk is high, or elevated and unassessed.
        let risk = self.state.risk();
        let at_risk =
            risk >= RiskLevel::High || (risk >= RiskLevel::Moderate && !self.state.risk_assessed);
        if at_risk && mv.arousal > cfg.penalties.high_risk_arousal_limit.value {
            let detail = format!(
                "{} raised arousal while risk was {} and {}",
                t.name,
                risk.label(),
                if self.state.risk_assessed {
                    "assessed"
                } else {
                    "not yet assessed"
                }
            );
            self.fail_gate(SafetyGate::ArousalWhileAtRisk, turn, detail, &mut flags);
        }

        let changes = dynamics::evolve(
            &mut self.state,
            &mut self.memory,
            &Step {
                technique: t,
                mv: &mv,
                fit: &fit,
                client: &scenario.client,
                cfg,
            },
        );
        if changes.rupture_opened {
            flags.push(TurnFlag::RuptureOpened {
                rupture: self.state.rupture,
            });
        }
        if changes.rupture_repaired {
            flags.push(TurnFlag::RuptureRepaired);
        }
        if changes.risk_assessed {
            flags.push(TurnFlag::RiskAssessed);
        }
        if changes.stage_advanced {
            flags.push(TurnFlag::StageAdvanced {
                stage: self.state.stage,
            });
        }
        flags.extend(
            changes
                .established
                .iter()
                .map(|f| TurnFlag::Established { flag: f.clone() }),
        );

        // The client answers, then any event adds to what they say.
        let mut fired_now: Vec<&str> = Vec::new();
        let (response_index, line, cue, variant) = {
            let facts = self.facts(t, &mv, Some(fit.score), &changes, turn, &fired_now);
            choose_response(
                &prepared,
                &self.said,
                &self.last_variant,
                self.seed,
                &facts,
                turn,
                t_index,
            )
        };
        let response = &scenario.responses[response_index];
        self.said[response_index] = true;
        self.last_variant[response_index] = Some(variant);
        let mut client_line = line.to_string();
        let mut cues: Vec<String> = cue.map(str::to_string).into_iter().collect();
        for effect in &response.effects {
            self.apply_effect(effect, turn, &mut flags);
        }
        for (i, event) in scenario.events.iter().enumerate() {
            if self.fired[i] {
                continue;
            }
            let due = match &event.trigger {
                Trigger::AtTurn(n) => *n == turn,
                Trigger::When(cond) => {
                    prepared.identity.event(i, t_index)
                        && cond.rest_holds(&self.facts(
                            t,
                            &mv,
                            Some(fit.score),
                            &changes,
                            turn,
                            &fired_now,
                        ))
                }
            };
            if !due {
                continue;
            }
            self.fired[i] = true;
            fired_now.push(&event.id);
            flags.push(TurnFlag::Event {
                id: event.id.clone(),
            });
            if !event.lines.is_empty() {
                let line =
                    &event.lines[pick(self.seed, turn, Purpose::EventLine, i, event.lines.len())];
                if !client_line.is_empty() {
                    client_line.push(' ');
                }
                client_line.push_str(line);
            }
            if !event.cues.is_empty() {
                cues.push(
                    event.cues[pick(self.seed, turn, Purpose::EventCue, i, event.cues.len())]
                        .clone(),
                );
            }
            for effect in &event.effects {
                self.apply_effect(effect, turn, &mut flags);
            }
        }
        let opened = self.update_moment(
            &prepared, fit.moment, response, &fired_now, turn, &mut flags,
        );
        dynamics::clamp(&mut self.state);

        // Key moments, seen once each.
        for (i, moment) in scenario.key_moments.iter().enumerate() {
            if !self.moments_seen[i]
                && prepared.identity.key_moment(i, t_index)
                && moment.when.rest_holds(&self.facts(
                    t,
                    &mv,
                    Some(fit.score),
                    &changes,
                    turn,
                    &fired_now,
                ))
            {
                self.moments_seen[i] = true;
                flags.push(TurnFlag::KeyMoment {
                    id: moment.id.clone(),
                });
            }
        }

        let ended = self.check_end(turn, &mut flags);
        let miti = match (t.miti, choice.directiveness) {
            (MitiCode::Persuade, Directiveness::AskPermission) => MitiCode::PersuadeWithPermission,
            (code, _) => code,
        };
        self.used.push(t_index);
        self.turns.push(TurnOutcome {
            turn,
            choice: choice.clone(),
            technique_name: Arc::clone(&prepared.technique_names[t_index]),
            miti,
            move_profile: mv,
            client_line,
            cues,
            marker: response.marker,
            opened,
            reaction: response.reaction,
            response_id: Arc::clone(&prepared.response_ids[response_index]),
            before,
            after: self.state.snapshot(),
            fit,
            flags,
            ended,
            words: coding::read_words(choice, miti),
        });
        self.verdict = None;
        Ok(self.turns.last().expect("just pushed"))
    }

    /// The moment after a move: answered or closed moments end; the client's line (or an
    /// event's words) can open a new one, which supersedes the old; an open risk cue stays
    /// until it is assessed, whatever else is said. Returns the moment the turn opened.
    fn update_moment(
        &mut self,
        prepared: &PreparedScenario,
        judged: Option<Judgement>,
        response: &Response,
        fired_now: &[&str],
        turn: u32,
        flags: &mut Vec<TurnFlag>,
    ) -> Option<MomentKind> {
        let book = prepared.moments;
        if let (Some(open), Some(j)) = (self.moment, judged) {
            let rule = book.rule(open.kind);
            let closed_by_state = rule
                .closes_when
                .as_ref()
                .is_some_and(|c| c.holds(&Facts::of_state(&self.state, turn)));
            let answered = j.verdict == Verdict::Answered && rule.closes_when_answered;
            let expired = turn >= open.opened + rule.lasts;
            if closed_by_state || answered || expired {
                self.moment = None;
            }
        }
        let scenario = &prepared.scenario;
        let from_events = scenario
            .events
            .iter()
            .filter(|e| fired_now.contains(&e.id.as_str()))
            .filter_map(|e| e.moment)
            .next_back();
        let mut opened = from_events
            .or(response.moment)
            .or_else(|| response.marker.and_then(MomentKind::of_rupture));
        // A line marked as a risk cue is one: it raises the risk the trainee must assess.
        if opened == Some(MomentKind::RiskCue) && self.state.risk() < RiskLevel::Moderate {
            self.apply_effect(&Effect::SetRisk(RiskLevel::Moderate), turn, flags);
        }
        let risk_open = self.state.risk() >= RiskLevel::Moderate && !self.state.risk_assessed;
        if risk_open {
            // Safety first: an unassessed cue is the moment until it is assessed.
            if self.moment.is_none_or(|m| m.kind != MomentKind::RiskCue) {
                opened = Some(MomentKind::RiskCue);
            } else {
                opened = None;
            }
        }
        if let Some(kind) = opened {
            self.moment = Some(OpenMoment { kind, opened: turn });
        }
        opened
    }

    /// The fit of a move now, with the prerequisites and contraindications it met.
    fn fit_of<'t>(
        &self,
        t: &'t Technique,
        t_index: usize,
        mv: &MoveProfile,
        turn: u32,
    ) -> (Fit, Vec<&'t Prerequisite>, Vec<&'t Contraindication>) {
        let prepared = &self.prepared;
        let (unmet, contraindicated) = self.gates(t, mv, turn);
        let judgement = self.moment.map(|open| {
            let facts = self.facts(t, mv, None, &dynamics::Changes::default(), turn, &[]);
            prepared
                .moments
                .judge(open.kind, &facts, &prepared.book_index, t_index)
        });
        let fit = score_move(&scoring::FitInput {
            technique: t,
            mv,
            client: &prepared.scenario.client,
            state: &self.state,
            weights: &prepared.weights,
            cfg: &prepared.config,
            book: prepared.moments,
            voice: &prepared.voice,
            marker_move: prepared.book_index.marker_move(t_index),
            unmet: &unmet,
            contraindicated: &contraindicated,
            repeats: self.repeats_of(t_index),
            repetition: prepared.repetition[t_index],
            uses: self.used.iter().filter(|&&u| u == t_index).count() as u32,
            turns_left: prepared.scenario.session.turn_limit.saturating_sub(turn),
            judgement,
        });
        (fit, unmet, contraindicated)
    }

    /// Goes back to just after `turn` moves (0 is the start), dropping the later turns, so
    /// the trainee can try another move from there: a new branch.
    pub fn rewind(&mut self, turn: usize) {
        let choices: Vec<Choice> = self
            .turns
            .iter()
            .take(turn)
            .map(|t| t.choice.clone())
            .collect();
        *self = self.restarted_on(Arc::clone(&self.prepared));
        for choice in &choices {
            // Each choice was valid when first applied and the replay is deterministic.
            let _ = self.apply(choice);
        }
    }

    pub fn summary(&self) -> SessionSummary {
        let initial = self
            .restarted_on(Arc::clone(&self.prepared))
            .state
            .snapshot();
        scoring::summarize(&scoring::SummaryInput {
            turns: &self.turns,
            initial,
            ended: self.ended,
            safety_failures: &self.safety_failures,
            pass_mark: self.prepared.pass_mark(),
            turn_limit: self.prepared.scenario.session.turn_limit,
            unmet_requirements: self
                .prepared
                .scenario
                .session
                .pass_requires
                .iter()
                .filter(|r| !self.state.has_flag(&r.flag))
                .map(|r| r.why.clone())
                .collect(),
        })
    }

    fn gates<'t>(
        &self,
        t: &'t Technique,
        mv: &MoveProfile,
        turn: u32,
    ) -> (Vec<&'t Prerequisite>, Vec<&'t Contraindication>) {
        let facts = self.facts(t, mv, None, &dynamics::Changes::default(), turn, &[]);
        let unmet = t
            .prerequisites
            .iter()
            .filter(|p| !p.needs.holds(&facts))
            .collect();
        let contraindicated = t
            .contraindications
            .iter()
            .filter(|c| c.when.holds(&facts))
            .collect();
        (unmet, contraindicated)
    }

    fn facts<'a>(
        &'a self,
        t: &'a Technique,
        mv: &MoveProfile,
        fit: Option<f32>,
        changes: &dynamics::Changes,
        turn: u32,
        fired: &'a [&'a str],
    ) -> Facts<'a> {
        Facts {
            technique: Some(t),
            directiveness: mv.directiveness,
            focus: mv.focus,
            arousal: mv.arousal,
            fit,
            asked_permission: mv.asked_permission,
            culturally_adapted: mv.culturally_adapted,
            spiritually_adapted: mv.spiritually_adapted,
            state: &self.state,
            client_flags: &self.prepared.scenario.client.clinical_flags,
            rupture_opened: changes.rupture_opened,
            rupture_repaired: changes.rupture_repaired,
            turn,
            events_fired: fired,
            moment: self.moment.map(|m| m.kind),
            verdict: self.verdict,
        }
    }

    fn apply_effect(&mut self, effect: &Effect, turn: u32, flags: &mut Vec<TurnFlag>) {
        let s = &mut self.state;
        match effect {
            Effect::SetRisk(level) => {
                if *level > s.risk() {
                    // A rise in risk is a cue the trainee must assess. Rising further before
                    // the first cue was assessed does not restart the clock: the time to ask
                    // runs from the first unanswered cue (risk rising shortens it, never
                    // lengthens it).
                    let open_cue = !s.risk_assessed
                        && s.risk() >= RiskLevel::Moderate
                        && self.risk_cue_turn.is_some();
                    if !open_cue {
                        self.risk_cue_turn = Some(turn);
                    }
                    s.risk_assessed = false;
                    flags.push(TurnFlag::RiskCue { level: *level });
                }
                s.risk = Some(*level);
            }
            Effect::SetFlag(f) => s.set_flag(f),
            Effect::ClearFlag(f) => s.clear_flag(f),
            Effect::SetStage(stage) => s.stage = *stage,
            Effect::Distress(d) => s.distress += d,
            Effect::Hope(d) => s.hope += d,
            Effect::Bond(d) => s.bond += d,
        }
    }

    fn fail_gate(
        &mut self,
        gate: SafetyGate,
        turn: u32,
        detail: String,
        flags: &mut Vec<TurnFlag>,
    ) {
        flags.push(TurnFlag::SafetyGateFailed {
            gate,
            detail: detail.clone(),
        });
        self.safety_failures
            .push(SafetyFailure { gate, turn, detail });
    }

    fn check_end(&mut self, turn: u32, flags: &mut Vec<TurnFlag>) -> Option<SessionEnd> {
        let prepared = Arc::clone(&self.prepared);
        let scenario = &prepared.scenario;
        let end_rules = &scenario.session.end;
        let risk = self.state.risk();
        let mut ended = None;
        if let Some(cue) = self.risk_cue_turn
            && !self.state.risk_assessed
            && risk >= RiskLevel::Moderate
        {
            let last_turn = turn >= scenario.session.turn_limit;
            if turn >= cue + end_rules.risk_assess_within || last_turn {
                let already = self
                    .safety_failures
                    .iter()
                    .any(|f| f.gate == SafetyGate::RiskNotAssessed);
                if !already {
                    let detail = format!("risk cue at turn {cue} was not assessed by turn {turn}");
                    self.fail_gate(SafetyGate::RiskNotAssessed, turn, detail, flags);
                }
                if risk >= RiskLevel::High {
                    ended = Some(SessionEnd::Crisis);
                }
            }
        }
        if ended.is_none() {
            if self.state.alliance() < end_rules.dropout_alliance
                || (self.state.rupture != Rupture::None
                    && self.memory.unrepaired_turns >= end_rules.max_unrepaired_turns)
            {
                ended = Some(SessionEnd::Dropout);
            } else if turn >= scenario.session.turn_limit {
                ended = Some(SessionEnd::TurnLimit);
            }
        }
        self.ended = ended;
        ended
    }
}

impl Session {
    /// How many of the latest turns in a row used this technique.
    fn repeats_of(&self, technique: usize) -> u32 {
        self.used
            .iter()
            .rev()
            .take_while(|&&u| u == technique)
            .count() as u32
    }

    /// The moment open before the first move: the opening line's, or a risk cue present
    /// from the start.
    pub fn opening_moment(&self) -> Option<MomentKind> {
        self.opening_moment
    }

    /// What the client did that opened a moment, in words: "Dan voiced change talk".
    pub fn moment_words(&self, kind: MomentKind) -> String {
        let rule = self.prepared.moments.rule(kind);
        self.prepared.voice.fill(&rule.noticed)
    }

    /// Advice for this moment about a move (the consult panel): what the open moment calls
    /// for, or what the move's strongest term asks of the therapist.
    pub fn advice(&self, choice: &Choice) -> Result<String, ApplyError> {
        let fit = self.preview_fit(choice)?;
        let p = &self.prepared;
        Ok(scoring::advice(
            &fit,
            &p.voice,
            &p.scenario.client,
            &self.state,
            &p.config,
            p.moments,
        ))
    }

    /// The fit a choice would get now, without playing it (for hints and analysis).
    pub fn preview_fit(&self, choice: &Choice) -> Result<Fit, ApplyError> {
        let prepared = &self.prepared;
        let t_index = prepared
            .technique_index(&choice.technique)
            .ok_or_else(|| ApplyError::UnknownTechnique(choice.technique.clone()))?;
        let t = &prepared.techniques[t_index];
        let mv = MoveProfile::of(t, choice, &prepared.config);
        Ok(self.fit_of(t, t_index, &mv, self.turns.len() as u32 + 1).0)
    }
}

/// The matching line with the highest priority, then the most specific condition, then
/// the earliest in the file; the seed picks among its variants.
fn choose_response<'p>(
    prepared: &'p PreparedScenario,
    said: &[bool],
    last_variant: &[Option<(usize, usize)>],
    seed: u64,
    facts: &Facts,
    turn: u32,
    technique: usize,
) -> (usize, &'p str, Option<&'p str>, (usize, usize)) {
    // Lines are tried in rank order, so the first that holds is the one said.
    let responses = &prepared.scenario.responses;
    let best = prepared.identity.responses_for(technique).find_map(|i| {
        let r = &responses[i];
        let holds = !(r.once && said[i]) && r.when.rest_holds(facts);
        holds.then_some((i, r))
    });
    match best {
        Some((i, r)) => {
            // The seed picks; a pick that would repeat this response's last words moves on
            // to the next variant.
            let fresh = |k: usize, n: usize, last: Option<usize>| {
                if n > 1 && last == Some(k) {
                    (k + 1) % n
                } else {
                    k
                }
            };
            let last = last_variant[i];
            let li = fresh(
                pick(seed, turn, Purpose::Line, i, r.lines.len()),
                r.lines.len(),
                last.map(|v| v.0),
            );
            let ci = fresh(
                pick(seed, turn, Purpose::Cue, i, r.cues.len()),
                r.cues.len(),
                last.map(|v| v.1),
            );
            let line = r.lines.get(li).map_or("", String::as_str);
            let cue = r.cues.get(ci).map(String::as_str);
            (i, line, cue, (li, ci))
        }
        // `attune check` requires a fallback line; an unchecked scenario gets silence.
        None => (0, "", Some("(says nothing)"), (0, 0)),
    }
}
