//! Lint 7: no path passes. A cheap, sufficient check, not a proof: the scenario's own
//! passing claims (playthroughs expected to pass, or named "expert") are played first; if
//! none passes, a small beam search looks for a passing session. The warning fires only
//! when nothing found passes, and says how close the search came.
//!
//! The search ranks partial sessions by the pass requirements reached, safety, the client
//! still in the room, the flags those requirements wait on, then fit. From each session it
//! tries the best-fitting techniques, the ones that establish a flag still needed, and the
//! moves that trigger an event setting one, each in its best delivery by
//! `Session::preview_fit`.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::sync::Arc;

use super::conditions::EventFacts;
use super::reach::Reach;
use super::warning;
use crate::catalogue::Catalogue;
use crate::engine::{PreparedScenario, Session, SessionEnd, run_playthrough};
use crate::scenario::{
    Choice, Directiveness, Effect, FocusShift, Framing, Pacing, Scenario, Trigger,
};
use crate::scoring::{ScoringConfig, SessionSummary};
use crate::source::{Issue, Path};

/// Sessions kept after each turn.
const BEAM_WIDTH: usize = 4;
/// Techniques tried from each kept session for their fit alone.
const BEST_FITTING: usize = 8;
/// Deliveries tried for each event that sets a needed flag.
const PER_EVENT: usize = 3;
/// The seed the search plays with; the seed varies only wording, never scoring.
const SEED: u64 = 1;

pub fn check(
    s: &Scenario,
    catalogue: &Catalogue,
    cfg: &ScoringConfig,
    reach: &Reach,
    events: &EventFacts,
    issues: &mut Vec<Issue>,
) {
    let Ok(prepared) = PreparedScenario::new(s.clone(), catalogue, cfg) else {
        return; // validation reports why it cannot be prepared
    };
    let prepared = Arc::new(prepared);
    let claims: Vec<usize> = (0..s.playthroughs.len())
        .filter(|&i| {
            let p = &s.playthroughs[i];
            p.expect.passed == Some(true) || p.name.to_lowercase().contains("expert")
        })
        .collect();
    for &i in &claims {
        if run_playthrough(&prepared, &s.playthroughs[i])
            .summary
            .passed
        {
            return;
        }
    }
    let best = Search::new(&prepared, reach, events).run();
    if best.passed {
        return;
    }
    // The short search can miss a pass that needs a long chain of events (a marker, a
    // disclosure); before warning, ask the analyser's fuller beam search with a small beam.
    let settings = crate::analysis::SearchSettings { beam_width: 8, polish_rounds: 2, seed: SEED };
    if crate::analysis::best_path(&prepared, &settings, &crate::analysis::Progress::new(), 0).score.passed {
        return;
    }
    let (path, played) = match claims.first() {
        Some(&i) => (
            Path::root().field("playthroughs").index(i).field("name"),
            "its expert playthroughs do not pass, and ",
        ),
        None => (
            Path::root().field("session"),
            "it has no expert playthrough, and ",
        ),
    };
    let why = if best.flags.is_empty() {
        String::new()
    } else {
        format!("; {}", best.flags.join("; "))
    };
    issues.push(warning(
        path,
        format!(
            "no passing session found: {played}a short search's best session scored {:.1} against a pass mark of {:.1}{why}",
            best.overall, best.pass_mark
        ),
        Some("add an expert playthrough that passes (`attune test` plays it), or check the pass mark and `pass_requires`".into()),
    ));
}

struct Search<'a> {
    prepared: &'a Arc<PreparedScenario>,
    reach: &'a Reach<'a>,
    /// Flags the pass requirements wait on, directly or through the events and
    /// prerequisites that lead to them.
    needed: HashSet<&'a str>,
    /// Events that set a needed flag and can fire, by index.
    goal_events: Vec<usize>,
}

impl<'a> Search<'a> {
    fn new(
        prepared: &'a Arc<PreparedScenario>,
        reach: &'a Reach<'a>,
        events: &EventFacts,
    ) -> Search<'a> {
        let s = &prepared.scenario;
        let mut needed: HashSet<&str> = s
            .session
            .pass_requires
            .iter()
            .map(|r| r.flag.as_str())
            .collect();
        let mut goal_events = Vec::new();
        loop {
            let before = needed.len();
            for (i, e) in s.events.iter().enumerate() {
                let sets_needed = e
                    .effects
                    .iter()
                    .any(|f| matches!(f, Effect::SetFlag(g) if needed.contains(g.as_str())));
                if !sets_needed || events.never_fire[i] {
                    continue;
                }
                if !goal_events.contains(&i) {
                    goal_events.push(i);
                }
                if let Trigger::When(c) = &e.trigger {
                    needed.extend(c.flags.iter().map(String::as_str));
                    for t in prepared
                        .techniques
                        .iter()
                        .filter(|t| c.techniques.contains(&t.id))
                    {
                        needed.extend(
                            t.prerequisites
                                .iter()
                                .flat_map(|p| &p.needs.flags)
                                .map(String::as_str),
                        );
                    }
                }
            }
            for t in &prepared.techniques {
                if t.establishes.iter().any(|f| needed.contains(f.as_str())) {
                    needed.extend(
                        t.prerequisites
                            .iter()
                            .flat_map(|p| &p.needs.flags)
                            .map(String::as_str),
                    );
                }
            }
            if needed.len() == before {
                break;
            }
        }
        Search {
            prepared,
            reach,
            needed,
            goal_events,
        }
    }

    fn run(&self) -> SessionSummary {
        let mut beam = vec![Session::new(Arc::clone(self.prepared), SEED)];
        while beam.iter().any(|s| s.ended().is_none()) {
            let mut next = Vec::new();
            for session in &beam {
                if session.ended().is_some() {
                    next.push(session.clone());
                    continue;
                }
                for choice in self.candidates(session) {
                    let mut child = session.clone();
                    if child.apply(&choice).is_ok() {
                        next.push(child);
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            next.sort_by(|a, b| self.compare(b, a));
            next.truncate(BEAM_WIDTH);
            beam = next;
        }
        beam.iter()
            .map(Session::summary)
            .max_by(|a, b| {
                (a.passed, a.overall)
                    .partial_cmp(&(b.passed, b.overall))
                    .unwrap_or(Ordering::Equal)
            })
            .expect("the beam always holds a session")
    }

    /// How promising a partial session is.
    fn rank(&self, session: &Session) -> ((usize, bool, bool, usize), f32) {
        let state = session.state();
        let requires = &self.prepared.scenario.session.pass_requires;
        let reached = requires.iter().filter(|r| state.has_flag(&r.flag)).count();
        let safe = session.safety_failures().is_empty();
        let stayed = !matches!(
            session.ended(),
            Some(SessionEnd::Dropout | SessionEnd::Crisis)
        );
        let on_the_way = self.needed.iter().filter(|f| state.has_flag(f)).count();
        let fit: f32 = session.turns().iter().map(|t| t.fit.score).sum();
        ((reached, safe, stayed, on_the_way), fit)
    }

    fn compare(&self, a: &Session, b: &Session) -> Ordering {
        let (ra, rb) = (self.rank(a), self.rank(b));
        ra.0.cmp(&rb.0)
            .then(ra.1.partial_cmp(&rb.1).unwrap_or(Ordering::Equal))
    }

    fn plain(&self, id: &str) -> Choice {
        let client = &self.prepared.scenario.client;
        let threshold = self.prepared.config.matching.salience_threshold.value;
        Choice {
            culturally_adapted: client.culture.salience >= threshold,
            spiritually_adapted: client.religion.salience >= threshold,
            ..Choice::new(id)
        }
    }

    fn candidates(&self, session: &Session) -> Vec<Choice> {
        let fit = |c: &Choice| session.preview_fit(c).map_or(f32::MIN, |f| f.score);
        let techniques = &self.prepared.techniques;
        let mut scored: Vec<(f32, &str)> = techniques
            .iter()
            .map(|t| (fit(&self.plain(&t.id)), t.id.as_str()))
            .collect();
        scored.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(Ordering::Equal));
        let mut ids: Vec<&str> = scored
            .iter()
            .take(BEST_FITTING)
            .map(|(_, id)| *id)
            .collect();
        for t in techniques {
            let helps = t
                .establishes
                .iter()
                .any(|f| self.needed.contains(f.as_str()) && !session.state().has_flag(f));
            if helps && !ids.contains(&t.id.as_str()) {
                ids.push(&t.id);
            }
        }
        let mut out: Vec<Choice> = ids
            .into_iter()
            .map(|id| best_delivery(self.plain(id), &fit))
            .collect();
        out.extend(self.goal_moves(session, &fit));
        out
    }

    /// For each event that would set a needed flag not yet held: the best-fitting
    /// deliveries its trigger accepts.
    fn goal_moves(&self, session: &Session, fit: &dyn Fn(&Choice) -> f32) -> Vec<Choice> {
        let s = &self.prepared.scenario;
        let mut out = Vec::new();
        for &i in &self.goal_events {
            let e = &s.events[i];
            let Trigger::When(c) = &e.trigger else {
                continue;
            };
            let still_needed = e
                .effects
                .iter()
                .any(|f| matches!(f, Effect::SetFlag(g) if !session.state().has_flag(g)));
            if !still_needed || !c.is_about_move() {
                continue;
            }
            let mut tried: Vec<(f32, Choice)> = Vec::new();
            for (m, ok) in self.reach.moves.iter().zip(self.reach.moves_matching(c)) {
                if !ok {
                    continue;
                }
                for framing in [Framing::AsIs, Framing::Collaborative] {
                    let choice = Choice {
                        framing,
                        culturally_adapted: c
                            .culturally_adapted
                            .unwrap_or(self.plain("").culturally_adapted),
                        spiritually_adapted: c
                            .spiritually_adapted
                            .unwrap_or(self.plain("").spiritually_adapted),
                        ..m.choice.clone()
                    };
                    tried.push((fit(&choice), choice));
                }
            }
            tried.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(Ordering::Equal));
            out.extend(tried.into_iter().take(PER_EVENT).map(|(_, c)| c));
        }
        out
    }
}

/// Improves one adaptation at a time, keeping each change that raises the fit.
fn best_delivery(mut choice: Choice, fit: &dyn Fn(&Choice) -> f32) -> Choice {
    let mut best = fit(&choice);
    let mut keep_if_better = |candidate: Choice, choice: &mut Choice| {
        let f = fit(&candidate);
        if f > best {
            best = f;
            *choice = candidate;
        }
    };
    for d in [
        Directiveness::AskPermission,
        Directiveness::OfferAsOption,
        Directiveness::Prescribe,
    ] {
        keep_if_better(
            Choice {
                directiveness: d,
                ..choice.clone()
            },
            &mut choice,
        );
    }
    for f in [Framing::Collaborative, Framing::ExpertLed] {
        keep_if_better(
            Choice {
                framing: f,
                ..choice.clone()
            },
            &mut choice,
        );
    }
    for f in [FocusShift::TowardInsight, FocusShift::TowardSymptom] {
        keep_if_better(
            Choice {
                focus: f,
                ..choice.clone()
            },
            &mut choice,
        );
    }
    for p in [Pacing::Slower, Pacing::Faster] {
        keep_if_better(
            Choice {
                pacing: p,
                ..choice.clone()
            },
            &mut choice,
        );
    }
    choice
}
