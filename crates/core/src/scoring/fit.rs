//! The fit of one move to this client now: a weighted sum of match terms, each -1..1,
//! shown as 0..100 (clinical-model.md section 7), then prerequisite penalties and caps.
//! While a client moment is open, how the move answers it is the strongest term, and a move
//! the moment rules out is capped below the pass mark (docs/clinical-model.md, Moments).

use serde::Serialize;
use std::borrow::Cow;
use std::fmt::Write;
use std::sync::Arc;

use super::ScoringConfig;
use super::config::Penalties;
use crate::model::{
    ClientProfile, ClientState, Component, Contraindication, Judgement, MarkerMove, MomentBook,
    MomentKind, Prerequisite, RiskLevel, Rupture, Stage, Technique, Verdict, Voice, Words,
};
use crate::scenario::{Choice, Directiveness, FocusShift, Framing, Pacing};

/// A technique's attributes after the trainee's adaptations.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct MoveProfile {
    pub directiveness: f32,
    pub focus: f32,
    pub arousal: f32,
    pub collaboration: f32,
    pub empathy: f32,
    pub warmth: f32,
    pub credibility: f32,
    pub asked_permission: bool,
    /// Offered as one option among several.
    pub offered_option: bool,
    pub culturally_adapted: bool,
    pub spiritually_adapted: bool,
}

impl MoveProfile {
    pub fn of(t: &Technique, choice: &Choice, cfg: &ScoringConfig) -> MoveProfile {
        let a = &cfg.adaptations;
        let dir_shift = match choice.directiveness {
            Directiveness::AskPermission => a.ask_permission.value,
            Directiveness::OfferAsOption => a.offer_as_option.value,
            Directiveness::AsIs => 0.0,
            // Prescribing a reflection means nothing: it adds direction only where the
            // move has some to give.
            Directiveness::Prescribe => a.prescribe.value * direction_reach(t, cfg),
        };
        let focus_shift = match choice.focus {
            FocusShift::TowardInsight => -a.focus_shift.value,
            FocusShift::AsIs => 0.0,
            FocusShift::TowardSymptom => a.focus_shift.value,
        };
        let pace_shift = match choice.pacing {
            Pacing::Slower => -a.pacing_shift.value,
            Pacing::AsIs => 0.0,
            Pacing::Faster => a.pacing_shift.value,
        };
        // Framing changes how shared a move is only where the move has direction to share:
        // a reflection is already the client's own (Tryon et al. 2018). No blanket bonus.
        // A prescription is expert-led whatever its wording: collaborative framing adds
        // nothing to it.
        let prescribed = choice.directiveness == Directiveness::Prescribe;
        let framing_reach = if prescribed && choice.framing == Framing::Collaborative {
            0.0
        } else {
            direction_reach(t, cfg)
        };
        let framing = framing_reach
            * match choice.framing {
                Framing::Collaborative => a.collaborative_framing.value,
                Framing::AsIs => 0.0,
                Framing::ExpertLed => a.expert_framing.value,
            };
        MoveProfile {
            directiveness: (t.directiveness + dir_shift).clamp(0.0, 1.0),
            focus: (t.focus + focus_shift).clamp(0.0, 1.0),
            arousal: (t.arousal + pace_shift).clamp(-1.0, 1.0),
            collaboration: (t.relational.collaboration + framing).clamp(-1.0, 1.0),
            empathy: t.relational.empathy,
            warmth: t.relational.warmth,
            // Expert-led framing lends authority: a little credibility for a little collaboration.
            credibility: (t.relational.credibility - framing * a.framing_credibility.value)
                .clamp(-1.0, 1.0),
            asked_permission: choice.directiveness == Directiveness::AskPermission,
            offered_option: choice.directiveness == Directiveness::OfferAsOption,
            culturally_adapted: choice.culturally_adapted,
            spiritually_adapted: choice.spiritually_adapted,
        }
    }
}

/// How much of an adaptation of direction (prescribing, permission, framing) a technique
/// takes: all of it from a move with direction to give (`reach_floor + reach_span` or
/// more), none from a plain reflection or validation (`reach_floor` or less): prescribing a
/// validation, or asking permission to reflect, is not a clinical act.
fn direction_reach(t: &Technique, cfg: &ScoringConfig) -> f32 {
    let a = &cfg.adaptations;
    ((t.directiveness - a.reach_floor.value) / a.reach_span.value).clamp(0.0, 1.0)
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ComponentScore {
    pub component: Component,
    /// The match term, -1..1.
    pub value: f32,
    /// The weight after renormalising over the terms that applied.
    pub weight: f32,
    /// value * weight: this term's share of the raw fit.
    pub contribution: f32,
    /// +1 the move overshot what the client needed, -1 undershot, 0 neither.
    #[serde(skip)]
    pub direction: i8,
}

/// The terms that applied to a move, at most one per component, held inline: a fit is made
/// for every turn and every option analysis weighs, and a heap list would cost an allocation
/// each time. Reads as a slice.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ComponentScores {
    items: [ComponentScore; Component::COUNT],
    len: u8,
}

impl ComponentScores {
    const EMPTY: ComponentScore = ComponentScore {
        component: Component::Directiveness,
        value: 0.0,
        weight: 0.0,
        contribution: 0.0,
        direction: 0,
    };

    fn new() -> ComponentScores {
        ComponentScores {
            items: [Self::EMPTY; Component::COUNT],
            len: 0,
        }
    }

    /// Adds a term, weighted later; a component is scored once per move.
    fn push(&mut self, component: Component, value: f32, direction: i8) {
        debug_assert!(!self.iter().any(|c| c.component == component));
        self.items[self.len as usize] = ComponentScore {
            component,
            value,
            direction,
            ..Self::EMPTY
        };
        self.len += 1;
    }
}

impl std::ops::Deref for ComponentScores {
    type Target = [ComponentScore];
    fn deref(&self) -> &[ComponentScore] {
        &self.items[..self.len as usize]
    }
}

impl Serialize for ComponentScores {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// How often a technique may come again before it is a routine rather than a response
/// (responsiveness: Stiles, Honos-Webb & Surko 1998). Worked out once per technique.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repetition {
    /// The plain reflections, questions and affirmations every conversation is made of
    /// (MITI), not structured questioning techniques.
    Microskill,
    /// Tasks that unfold over several turns (a chair dialogue, steps of exposure).
    MultiTurn,
    /// Every other structured intervention.
    Structured,
}

impl Repetition {
    pub fn of(t: &Technique, cfg: &ScoringConfig) -> Repetition {
        let p = &cfg.penalties;
        let tagged = |list: &[String]| t.tags.iter().any(|g| list.contains(g));
        if t.directiveness <= p.microskill_directiveness_max.value
            && tagged(&p.microskill_tags.tags)
        {
            Repetition::Microskill
        } else if tagged(&p.multi_turn_tags.tags) {
            Repetition::MultiTurn
        } else {
            Repetition::Structured
        }
    }

    /// How many turns running, and how many in a session, before it is routine.
    fn allowed(self, p: &Penalties) -> (f32, f32) {
        match self {
            Repetition::Microskill => (
                p.repetition_run_allowed.value,
                p.microskill_session_allowed.value,
            ),
            Repetition::MultiTurn => (
                p.multi_turn_run_allowed.value,
                p.multi_turn_session_allowed.value,
            ),
            Repetition::Structured => (
                p.structured_run_allowed.value,
                p.repetition_session_allowed.value,
            ),
        }
    }
}

/// What a turn's explanation rests on: the characteristic or moment it names, the principle
/// and its source.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Reason {
    /// "High reactance", "Open withdrawal rupture", "change talk" (a moment's label).
    pub subject: Cow<'static, str>,
    pub principle: Arc<str>,
    pub source: Arc<str>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fit {
    /// The turn's fit, 0..100.
    pub score: f32,
    /// The weighted match before penalties and caps, 0..100.
    pub base: f32,
    pub components: ComponentScores,
    pub penalty: f32,
    /// The cap applied by a contraindication, a moment, the safety rule or repetition.
    pub cap: Option<f32>,
    pub unmet_prerequisites: Vec<String>,
    pub contraindications: Vec<String>,
    /// How the move met the moment open when it was made.
    pub moment: Option<Judgement>,
    pub explanation: String,
    pub reason: Reason,
}

impl Fit {
    pub fn component(&self, c: Component) -> Option<&ComponentScore> {
        self.components.iter().find(|s| s.component == c)
    }
}

pub struct FitInput<'a> {
    pub technique: &'a Technique,
    pub mv: &'a MoveProfile,
    pub client: &'a ClientProfile,
    pub state: &'a ClientState,
    pub weights: &'a [f32; Component::COUNT],
    pub cfg: &'a ScoringConfig,
    pub book: &'static MomentBook,
    pub voice: &'a Voice,
    /// The move as a marker move (an answer to particular moments), if it is one.
    pub marker_move: Option<&'a MarkerMove>,
    pub unmet: &'a [&'a Prerequisite],
    pub contraindicated: &'a [&'a Contraindication],
    /// How many turns in a row, just before this one, used the same technique.
    pub repeats: u32,
    /// How often the technique may come again before it is routine.
    pub repetition: Repetition,
    /// How many earlier turns in the session used the same technique.
    pub uses: u32,
    /// How many moves are left after this one before the turn limit.
    pub turns_left: u32,
    /// How the move meets the moment open now, if one is.
    pub judgement: Option<Judgement>,
}

/// 1 - slope * gap, kept strictly decreasing in the last `tail` above -1 (it approaches -1
/// and never reaches it), so a bigger mismatch always scores lower: "offer as an option"
/// can never tie "prescribe" for a highly reactant client.
fn gap_term(gap: f32, slope: f32, tail: f32) -> f32 {
    let linear = 1.0 - slope * gap;
    let floor = -1.0 + tail;
    if linear >= floor {
        linear.min(1.0)
    } else {
        // A slowly closing tail, so even very large gaps stay ordered; it meets the line
        // at the floor.
        -1.0 + tail / (1.0 + (floor - linear) / tail)
    }
}

/// Applies a cap softly: a tenth (the slack) of the fit above it still counts.
fn soft_cap(score: f32, cap: f32, slack: f32) -> f32 {
    if score > cap {
        cap + (score - cap) * slack
    } else {
        score
    }
}

/// The ideal directiveness now: 1 - state reactance (Beutler et al. 2018), a little more
/// structure with more impairment (STS), and at least the guidance level when the client
/// has just asked to be guided (Swift et al. 2018).
fn ideal_directiveness(
    client: &ClientProfile,
    state: &ClientState,
    cfg: &ScoringConfig,
    moment: Option<MomentKind>,
) -> f32 {
    let m = &cfg.matching;
    let mut ideal = 1.0 - state.reactance()
        + 2.0 * m.impairment_structure.value * (client.traits.impairment - 0.5);
    if moment == Some(MomentKind::RequestForGuidance) {
        ideal = ideal.max(m.guidance_ideal.value);
    }
    ideal.clamp(0.0, 1.0)
}

/// Whether this client now wants direction rather than a say in it: asked for guidance,
/// or prefers a directive therapist.
fn wants_direction(
    client: &ClientProfile,
    cfg: &ScoringConfig,
    moment: Option<MomentKind>,
) -> bool {
    moment == Some(MomentKind::RequestForGuidance)
        || client
            .preferences
            .directiveness
            .is_some_and(|p| p >= cfg.matching.prefers_direction.value)
}

/// Scores one move. Pure: the same input always gives the same fit.
pub fn score_move(input: &FitInput) -> Fit {
    let FitInput {
        technique: t,
        mv,
        client,
        state,
        weights,
        cfg,
        unmet,
        contraindicated,
        repeats,
        uses,
        judgement,
        ..
    } = *input;
    let slope = cfg.matching.gap_slope.value;
    let tail = cfg.matching.gap_tail.value;
    let margin = cfg.matching.overshoot_margin.value;
    let moment = judgement.map(|j| j.kind);
    let wants_direction = wants_direction(client, cfg, moment);
    // A risk cue not yet assessed comes before any other work (safety competencies): the
    // assessment is not judged on matching, and every other move is judged on ignoring it.
    let risk_open = state.risk() >= RiskLevel::Moderate && !state.risk_assessed;
    let safety_first = risk_open && t.assesses_risk;

    let mut terms = ComponentScores::new();
    if !safety_first {
        // Reactance: too little direction is a lost opportunity; too much provokes
        // reactance (Brehm), so undershooting costs less than overshooting, and
        // overshooting steepens with reactance, the strongest matching effect.
        // Asking permission or offering options lowers the pressure a move puts on the
        // client, not the structure it brings once accepted: over-direction is judged on
        // the pressure, under-direction on the structure (MI: permission is how direction is
        // given to someone who guards their autonomy). A client who wants to be guided
        // feels the deferral itself as too little direction.
        let ideal = ideal_directiveness(client, state, cfg, moment);
        let under = cfg.matching.under_direction_factor.value;
        let over = 1.0 + cfg.matching.reactance_amplifier.value * state.reactance();
        let structure = if wants_direction {
            mv.directiveness
        } else {
            mv.directiveness.max(t.directiveness)
        };
        // A client who has just asked to be guided is not overridden by direction.
        let asked_for_guidance = moment == Some(MomentKind::RequestForGuidance);
        // A move that answers the client's moment is not a lost opportunity for structure:
        // reactance matching is about how directive the work is overall, not every
        // empathic response (Beutler et al. 2018; Elliott et al. 2018).
        let answers_moment =
            judgement.is_some_and(|j| j.verdict == Verdict::Answered) && !wants_direction;
        let gap_size = if structure < ideal {
            if answers_moment {
                0.0
            } else {
                (ideal - structure) * under
            }
        } else if mv.directiveness > ideal && !asked_for_guidance {
            (mv.directiveness - ideal) * over
        } else {
            0.0
        };
        terms.push(
            Component::Directiveness,
            gap_term(gap_size, slope, tail),
            direction(mv.directiveness - ideal, margin),
        );
        // Coping style: ideal focus = externalizing (Beutler et al. 2018), drawn toward
        // thematic, insight work as complexity rises (STS).
        let ideal_focus = (client.traits.externalizing
            - 2.0 * cfg.matching.complexity_depth.value * (client.traits.complexity - 0.5))
            .clamp(0.0, 1.0);
        terms.push(
            Component::Focus,
            gap_term((mv.focus - ideal_focus).abs(), slope, tail),
            direction(mv.focus - ideal_focus, margin),
        );
    }
    // Permission and options earn collaboration as far as this client's reactance makes
    // autonomy matter, and nothing from a client who wants to be guided (MITI 4.2.1;
    // Beutler et al. 2018; Swift et al. 2018).
    let autonomy = if wants_direction {
        0.0
    } else {
        state.reactance()
    };
    // Asking to reflect is no courtesy: permission matters where there is direction.
    let autonomy_bonus = direction_reach(t, cfg)
        * if mv.asked_permission {
            cfg.adaptations.permission_collaboration.value * autonomy
        } else if mv.offered_option {
            cfg.adaptations.option_collaboration.value * autonomy
        } else {
            0.0
        };
    terms.push(
        Component::Collaboration,
        (mv.collaboration + autonomy_bonus).clamp(-1.0, 1.0),
        0,
    );
    terms.push(Component::Empathy, mv.empathy, 0);
    terms.push(Component::Warmth, mv.warmth, 0);
    if !safety_first {
        let (v, d) = stage_match(t, state, cfg);
        terms.push(Component::Stage, v, d);
        if let Some(v) = preference_match(mv, t, client, cfg) {
            terms.push(Component::Preference, v, 0);
        }
    }
    terms.push(Component::Credibility, mv.credibility, 0);
    // Arousal: raise it when distress is low, lower it first when distress is very high.
    let ideal_arousal = ((cfg.matching.optimal_distress.value - state.distress)
        * cfg.matching.arousal_gain.value)
        .clamp(-1.0, 1.0);
    let arousal_slope = cfg.matching.arousal_slope.value;
    let v = gap_term((mv.arousal - ideal_arousal).abs(), arousal_slope, tail).max(-1.0);
    terms.push(
        Component::Arousal,
        v,
        direction(mv.arousal - ideal_arousal, margin),
    );
    if state.rupture != Rupture::None {
        terms.push(Component::Repair, t.repair * 2.0 - 1.0, 0);
    }
    if risk_open {
        terms.push(
            Component::Safety,
            if t.assesses_risk { 1.0 } else { -1.0 },
            0,
        );
    }
    let unprompted = input.marker_move.filter(|m| {
        m.unprompted(moment, state) &&
        // A rupture in the state is a marker even when its line has gone by; the session's
        // end prompts some (asking for feedback on the session).
        state.rupture == Rupture::None
            && (input.turns_left >= m.prompted_in_last_turns || input.repeats > 0)
    });
    if let Some(j) = judgement {
        terms.push(Component::Responsiveness, j.value, 0);
    } else if let Some(m) = unprompted {
        terms.push(Component::Responsiveness, m.value, 0);
    }

    // STS: with low social support and complex problems, relationship-centred work
    // matters more (Beutler et al. 2000).
    let relational_boost = 1.0
        + cfg.matching.support_relational.value
            * (client.traits.complexity - client.traits.social_support).max(0.0);
    let weight_of = |c: Component| match c {
        Component::Empathy | Component::Warmth => weights[c as usize] * relational_boost,
        _ => weights[c as usize],
    };
    let total: f32 = terms.iter().map(|c| weight_of(c.component)).sum();
    let mut components = terms;
    for c in &mut components.items[..components.len as usize] {
        c.weight = if total > 0.0 {
            weight_of(c.component) / total
        } else {
            0.0
        };
        c.contribution = c.value * c.weight;
    }
    let raw: f32 = components.iter().map(|c| c.contribution).sum();
    let base = 50.0 + 50.0 * raw;
    let penalty = unmet.len() as f32 * cfg.penalties.prerequisite_penalty.value;
    let mut score = (base - penalty).clamp(0.0, 100.0);

    let p = &cfg.penalties;
    let (run_allowed, session_allowed) = input.repetition.allowed(p);
    let in_a_row = repeats as f32 >= run_allowed;
    let overused = uses as f32 >= session_allowed;
    let routine = in_a_row || overused;
    let answered = judgement.is_some_and(|j| j.verdict == Verdict::Answered);
    let overridden = judgement.is_some_and(|j| j.verdict == Verdict::Overridden);
    // Carrying on past an open rupture is a misstep whatever moment the latest line opened,
    // unless the move repairs (a repair move, or an answer to the rupture's own moment).
    let rupture_kind = MomentKind::of_rupture(state.rupture);
    let answers_rupture =
        judgement.is_some_and(|j| j.verdict == Verdict::Answered && Some(j.kind) == rupture_kind);
    let repairs = t.repair >= cfg.dynamics.repair_min.value || answers_rupture;
    let passed_over_cap = match (judgement, rupture_kind) {
        (_, Some(kind)) if !repairs => input.book.rule(kind).passed_over_cap,
        (Some(j), _) if j.verdict == Verdict::PassedOver => input.book.rule(j.kind).passed_over_cap,
        _ => None,
    };
    // Safety first: while a risk cue is open, only assessing it (or grounding a client too
    // flooded to answer, which the cue's moment counts as an answer) can pass.
    let unsafe_move = risk_open && !t.assesses_risk && !answered;
    let caps = [
        (!contraindicated.is_empty()).then_some(p.contraindication_cap.value),
        unsafe_move.then_some(p.safety_cap.value),
        overridden.then_some(p.moment_cap.value),
        passed_over_cap,
        routine.then_some(p.repetition_cap.value),
        // Unless it answers the moment open now, a marker move with nothing to answer
        // stays capped.
        unprompted.filter(|_| !answered).map(|m| m.cap),
        (!input.unmet.is_empty()).then_some(p.prerequisite_cap.value),
    ];
    let cap = caps.into_iter().flatten().min_by(f32::total_cmp);
    if let Some(cap) = cap {
        score = soft_cap(score, cap, p.cap_slack.value);
    }

    let why = Why {
        t,
        input,
        components: &components,
        score,
        unprompted,
        unsafe_move,
        routine: routine && base - penalty > p.repetition_cap.value,
        in_a_row,
    };
    let (explanation, reason) = why.explain();
    Fit {
        score,
        base,
        components,
        penalty,
        cap,
        unmet_prerequisites: unmet.iter().map(|p| p.label.clone()).collect(),
        contraindications: contraindicated.iter().map(|c| c.reason.clone()).collect(),
        moment: judgement,
        explanation,
        reason,
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// +1 a move overshot its ideal by more than the margin, -1 undershot, 0 neither.
fn direction(delta: f32, margin: f32) -> i8 {
    if delta > margin {
        1
    } else if delta < -margin {
        -1
    } else {
        0
    }
}

/// +1 inside the technique's stages; each stage ahead or behind costs its step, ahead more
/// than behind (Prochaska & DiClemente): 0 one stage ahead, -1 two ahead; lagging three
/// stages costs more than lagging one.
fn stage_match(t: &Technique, state: &ClientState, cfg: &ScoringConfig) -> (f32, i8) {
    if t.fits_stage(state.stage) {
        return (1.0, 0);
    }
    let here = state.stage.index();
    let nearest = t
        .stages
        .iter()
        .map(|s| s.index() - here)
        .min_by_key(|d| d.abs())
        .unwrap_or(0);
    let m = &cfg.matching;
    if nearest > 0 {
        (
            (1.0 - m.stage_ahead_step.value * nearest as f32).max(-1.0),
            1,
        )
    } else {
        (
            (1.0 - m.stage_behind_step.value * (-nearest) as f32).max(-1.0),
            -1,
        )
    }
}

/// The mean of whichever preference, culture and religion terms apply to this client.
fn preference_match(
    mv: &MoveProfile,
    t: &Technique,
    client: &ClientProfile,
    cfg: &ScoringConfig,
) -> Option<f32> {
    let slope = cfg.matching.gap_slope.value;
    let tail = cfg.matching.gap_tail.value;
    let threshold = cfg.matching.salience_threshold.value;
    let prefs = &client.preferences;
    let mut sum = 0.0;
    let mut n = 0.0;
    let mut add = |v: f32| {
        sum += v;
        n += 1.0;
    };
    if let Some(p) = prefs.directiveness {
        add(gap_term((mv.directiveness - p).abs(), slope, tail));
    }
    if let Some(p) = prefs.focus {
        add(gap_term((mv.focus - p).abs(), slope, tail));
    }
    if prefs.schools.iter().any(|s| t.belongs_to(*s)) {
        add(1.0);
    }
    if prefs.avoid_schools.iter().any(|s| t.belongs_to(*s)) {
        add(-1.0);
    }
    if client.culture.salience >= threshold {
        add(if mv.culturally_adapted {
            1.0
        } else {
            -client.culture.salience
        });
    }
    if client.religion.salience >= threshold {
        add(if mv.spiritually_adapted {
            1.0
        } else {
            -client.religion.salience
        });
    }
    (n > 0.0).then(|| sum / n)
}

/// The client characteristic a component speaks to, in plain words.
fn characteristic(
    c: Component,
    client: &ClientProfile,
    state: &ClientState,
    cfg: &ScoringConfig,
) -> &'static str {
    match c {
        Component::Directiveness => match state.reactance() {
            r if r >= cfg.bands.reactance_high.value => "High reactance",
            r if r <= cfg.bands.reactance_low.value => "Low reactance",
            _ => "Moderate reactance",
        },
        Component::Focus => match client.traits.externalizing {
            e if e >= cfg.bands.externalizing_high.value => "Externalizing coping",
            e if e <= cfg.bands.externalizing_low.value => "Internalizing coping",
            _ => "Mixed coping style",
        },
        Component::Arousal => match state.distress {
            d if d >= cfg.bands.distress_very_high.value => "Very high distress",
            d if d >= cfg.bands.distress_high.value => "High distress",
            d if d <= cfg.bands.distress_low.value => "Low distress",
            _ => "Moderate distress",
        },
        Component::Stage => match state.stage {
            Stage::Precontemplation => "Precontemplation stage",
            Stage::Contemplation => "Contemplation stage",
            Stage::Preparation => "Preparation stage",
            Stage::Action => "Action stage",
            Stage::Maintenance => "Maintenance stage",
        },
        Component::Preference => {
            let t = cfg.matching.salience_threshold.value;
            if client.religion.salience >= t && client.religion.salience >= client.culture.salience
            {
                "Faith matters to this client"
            } else if client.culture.salience >= t {
                "Culture shapes what help this client accepts"
            } else {
                "The client's stated preferences"
            }
        }
        Component::Credibility if client.traits.expectations < cfg.bands.expectations_low.value => {
            "Low expectations of therapy"
        }
        Component::Credibility => "The client's expectations",
        Component::Safety => match state.risk() {
            RiskLevel::Imminent => "Risk cue (imminent risk) not yet assessed",
            RiskLevel::High => "Risk cue (high risk) not yet assessed",
            _ => "Risk cue (moderate risk) not yet assessed",
        },
        Component::Repair => match state.rupture {
            Rupture::Confrontation => "Open confrontation rupture",
            _ => "Open withdrawal rupture",
        },
        Component::Collaboration | Component::Empathy | Component::Warmth => {
            let b = &cfg.bands;
            let low_support = client.traits.social_support <= b.support_low.value;
            match state.alliance() {
                a if a < b.alliance_fragile.value && low_support => {
                    "Fragile alliance, little support outside"
                }
                a if a < b.alliance_fragile.value => "Fragile alliance",
                a if a < b.alliance_developing.value => "Developing alliance",
                _ => "Solid alliance",
            }
        }
        Component::Responsiveness => "The client's moment",
    }
}

/// Everything the explanation draws on.
struct Why<'a> {
    t: &'a Technique,
    input: &'a FitInput<'a>,
    components: &'a [ComponentScore],
    score: f32,
    unprompted: Option<&'a MarkerMove>,
    unsafe_move: bool,
    routine: bool,
    in_a_row: bool,
}

/// " (principle; source)", the citation every explanation ends with.
fn cite(out: &mut String, principle: &str, source: &str) {
    for part in [" (", principle, "; ", source, ")"] {
        out.push_str(part);
    }
}

impl Why<'_> {
    /// One line naming the characteristic or moment, what the move does to this client now,
    /// the principle and its source. Precedence: harm (a contraindication), safety, the
    /// moment overridden, the unmet ground, routine, then the moment or the strongest term.
    /// Built into one string: it is written every turn.
    fn explain(&self) -> (String, Reason) {
        let i = self.input;
        let t = self.t;
        let mut out = String::with_capacity(320);
        if let Some(c) = i.contraindicated.first() {
            // A contraindication's reason carries its own source, in its last parentheses;
            // one that does not is cited to the catalogue's cautions.
            let cited = c
                .reason
                .rfind('(')
                .map(|open| c.reason[open + 1..].trim_end_matches([')', '.', ' ']))
                .filter(|s| s.chars().any(|ch| ch.is_ascii_digit()));
            let source = cited.unwrap_or("clinical-model.md section 6");
            out.push_str("Contraindicated: ");
            out.push_str(&c.reason);
            if cited.is_none() {
                for part in [" (", source, ")"] {
                    out.push_str(part);
                }
            }
            let reason = Reason {
                subject: Cow::Borrowed("Contraindicated"),
                principle: Arc::from(c.reason.as_str()),
                source: Arc::from(source),
            };
            return (out, reason);
        }
        if !i.unmet.is_empty() && !self.unsafe_move {
            out.push_str(&t.name);
            out.push_str(" before its ground was prepared (");
            for (k, p) in i.unmet.iter().enumerate() {
                if k > 0 {
                    out.push_str("; ");
                }
                out.push_str(&p.label);
            }
            out.push_str("); and for this client now: ");
            let reason = self.now(&mut out);
            return (out, reason);
        }
        if self.routine && !self.unsafe_move {
            if self.in_a_row {
                let _ = write!(
                    out,
                    "{} {} times running: responsiveness means answering what the client just did, not repeating a move",
                    t.name,
                    i.repeats + 1
                );
            } else {
                let _ = write!(
                    out,
                    "{} for the {} time this session: it has done its work; responsiveness means choosing what this moment needs",
                    t.name,
                    ordinal(i.uses + 1)
                );
            }
            cite(&mut out, ROUTINE_PRINCIPLE, ROUTINE_SOURCE);
            let reason = Reason {
                subject: Cow::Borrowed("Routine"),
                principle: Arc::from(ROUTINE_PRINCIPLE),
                source: Arc::from(ROUTINE_SOURCE),
            };
            return (out, reason);
        }
        let reason = self.now(&mut out);
        (out, reason)
    }

    /// What the move does to this client now: the moment first (it is the strongest term),
    /// else the term that moved the score most. Appended to `out`, with its citation.
    fn now(&self, out: &mut String) -> Reason {
        let i = self.input;
        let pass_mark = i.cfg.penalties.pass_mark.value;
        let words = Words {
            voice: i.voice,
            technique: &self.t.name,
            characteristic: "",
        };
        if let Some(j) = i.judgement {
            let rule = i.book.rule(j.kind);
            let template = match j.verdict {
                Verdict::Answered => &rule.answered,
                Verdict::PassedOver => &rule.passed_over,
                Verdict::Overridden => &rule.overridden,
            };
            template.fill_into(out, &words);
            // An answer that still fits badly says what else went wrong.
            if j.verdict == Verdict::Answered
                && self.score < pass_mark
                && let Some(worst) = self.pick(false).filter(|c| c.value < 0.0)
            {
                out.push_str(", but ");
                self.phrase(out, worst);
            }
            cite(out, &rule.principle, &rule.source);
            return Reason {
                subject: Cow::Borrowed(&rule.label),
                principle: Arc::clone(&rule.principle),
                source: Arc::clone(&rule.source),
            };
        }
        if let Some(m) = self.unprompted
            && self.score < pass_mark
        {
            m.unprompted.fill_into(out, &words);
            for part in [" (", &m.source, ")"] {
                out.push_str(part);
            }
            return Reason {
                subject: Cow::Borrowed("No marker for this move"),
                principle: Arc::from("marker-guided work"),
                source: Arc::clone(&m.source),
            };
        }
        let Some(c) = self.pick(self.score >= pass_mark) else {
            return Reason::default();
        };
        let reason = self.phrase(out, c);
        cite(out, &reason.principle, &reason.source);
        reason
    }

    /// The term that moved the score most toward the result: the best when `good`.
    fn pick(&self, good: bool) -> Option<&ComponentScore> {
        let by =
            |a: &&ComponentScore, b: &&ComponentScore| a.contribution.total_cmp(&b.contribution);
        if good {
            self.components.iter().max_by(by)
        } else {
            self.components.iter().min_by(by)
        }
    }

    /// The component's phrase for this client, appended to `out`.
    fn phrase(&self, out: &mut String, c: &ComponentScore) -> Reason {
        let i = self.input;
        let phrases = i.cfg.phrases(c.component);
        let template = if c.value >= 0.0 {
            &phrases.good
        } else if c.direction > 0 && !phrases.too_high.is_empty() {
            &phrases.too_high
        } else {
            &phrases.too_low
        };
        let subject = characteristic(c.component, i.client, i.state, i.cfg);
        template.fill_into(
            out,
            &Words {
                voice: i.voice,
                technique: &self.t.name,
                characteristic: subject,
            },
        );
        Reason {
            subject: Cow::Borrowed(subject),
            principle: Arc::clone(&phrases.principle),
            source: Arc::clone(&phrases.source),
        }
    }
}

const ROUTINE_PRINCIPLE: &str = "responsiveness";
const ROUTINE_SOURCE: &str = "Stiles, Honos-Webb & Surko 1998";

/// Advice for the coming move, as the consult panel gives it: what the open moment calls
/// for, or what the term this move does best on asks of the therapist.
pub fn advice(
    fit: &Fit,
    voice: &Voice,
    client: &ClientProfile,
    state: &ClientState,
    cfg: &ScoringConfig,
    book: &MomentBook,
) -> String {
    if let Some(j) = fit.moment {
        return voice.fill(&book.rule(j.kind).advice);
    }
    let best = fit
        .components
        .iter()
        .max_by(|a, b| a.contribution.total_cmp(&b.contribution));
    match best {
        Some(c) => cfg.phrases(c.component).advice.fill(&Words {
            voice,
            technique: "",
            characteristic: characteristic(c.component, client, state, cfg),
        }),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Catalogue, Stage};

    fn technique(id: &str) -> Technique {
        Catalogue::builtin().get(id).unwrap().clone()
    }

    #[test]
    fn stage_match_follows_the_transtheoretical_model() {
        let cfg = ScoringConfig::builtin();
        let t = technique("graded_exposure"); // Action and Maintenance
        let mut state: ClientState = ron::from_str(
            "(bond: 0.5, goals: 0.5, tasks: 0.5, distress: 0.5, hope: 0.5, stage: Action)",
        )
        .unwrap();
        assert_eq!(stage_match(&t, &state, &cfg).0, 1.0);
        state.stage = Stage::Preparation;
        assert_eq!(
            stage_match(&t, &state, &cfg).0,
            0.0,
            "one stage ahead is neutral"
        );
        state.stage = Stage::Precontemplation;
        assert_eq!(
            stage_match(&t, &state, &cfg).0,
            -1.0,
            "two or more ahead is against"
        );
        let early = technique("decisional_balance");
        state.stage = Stage::Maintenance;
        assert!(
            stage_match(&early, &state, &cfg).0 < 0.0 && stage_match(&early, &state, &cfg).0 > -1.0,
            "lagging costs a little"
        );
    }

    #[test]
    fn adaptations_shift_the_move_as_the_scoring_file_says() {
        let cfg = ScoringConfig::builtin();
        let t = technique("psychoeducation");
        let plain = MoveProfile::of(&t, &Choice::new("psychoeducation"), &cfg);
        let asked = MoveProfile::of(
            &t,
            &Choice {
                directiveness: Directiveness::AskPermission,
                ..Choice::new("psychoeducation")
            },
            &cfg,
        );
        let slower = MoveProfile::of(
            &t,
            &Choice {
                pacing: Pacing::Slower,
                ..Choice::new("psychoeducation")
            },
            &cfg,
        );
        assert!(asked.directiveness < plain.directiveness && asked.asked_permission);
        assert!(slower.arousal < plain.arousal);
    }
}
