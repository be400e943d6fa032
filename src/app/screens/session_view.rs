//! The session screen's view model: what `ui::session` draws, read from the running
//! session, so that the screen never sees the engine.

use std::sync::Arc;

use crate::coding::{WordsMode, reading};
use crate::engine::transcript::describe_adaptation;
use crate::engine::{BranchedSession, PreparedScenario, Session};
use crate::model::{Mode, School, Technique, TurnFlag};
use crate::scenario::Choice;
use crate::scoring::TurnOutcome;
use crate::ui::session::{ConsultHint, SessionView, TurnView, TurnWords};

/// The session screen's view of `run`, with the consult panel's hints from `consult`.
pub fn view<'a>(
    run: &'a BranchedSession,
    banner: Option<String>,
    consult: &mut Consult,
) -> SessionView<'a> {
    let session = run.session();
    SessionView {
        scenario: &session.prepared().scenario,
        practice: run.mode == Mode::Practice,
        now: session.state().snapshot(),
        opening_line: session.opening_line(),
        opening_cue: session.opening_cue(),
        opening_moment: session.opening_moment().map(|k| session.moment_words(k)),
        open_moment: session.open_moment().map(|m| session.moment_words(m.kind)),
        turns: session.turns().iter().map(|t| turn(session, t)).collect(),
        ended: session.ended().is_some(),
        techniques: &session.prepared().techniques,
        banner,
        consult: consult.hints(run),
        words_mode: WordsMode::default(),
    }
}

fn turn<'a>(session: &Session, t: &'a TurnOutcome) -> TurnView<'a> {
    TurnView {
        turn: t.turn,
        technique_name: &t.technique_name,
        adaptation: describe_adaptation(&t.choice),
        fit: t.fit.score,
        explanation: &t.fit.explanation,
        client_line: &t.client_line,
        cues: &t.cues,
        marker: t.marker,
        opened: t.opened.map(|k| session.moment_words(k)),
        notes: t.flags.iter().filter_map(feedback_note).collect(),
        words: turn_words(t),
    }
}

/// A turn's words as the session and the debrief show them.
pub fn turn_words(t: &TurnOutcome) -> Option<TurnWords<'_>> {
    t.words.as_ref().map(|w| TurnWords {
        text: &w.text,
        reads_as: reading(w.miti, w.confidence),
        mismatch: w.mismatch.as_deref(),
    })
}

/// What the feedback on the last move says about a flag the turn raised, if anything.
fn feedback_note(flag: &TurnFlag) -> Option<String> {
    Some(match flag {
        TurnFlag::RuptureOpened { .. } => "A rupture opened: notice it and repair it.".to_string(),
        TurnFlag::RuptureRepaired => "The rupture was repaired.".to_string(),
        TurnFlag::RiskCue { level } => format!("Risk cue: risk is now {}.", level.label()),
        TurnFlag::SafetyGateFailed { detail, .. } => format!("Safety: {detail}."),
        TurnFlag::PrerequisiteUnmet { label } => format!("Not yet prepared: {label}."),
        TurnFlag::StageAdvanced { stage } => format!("Stage of change now {}.", stage.label()),
        _ => return None,
    })
}

/// Hints from several schools: the best-fitting move each school offers now, best first
/// (four at most), each with advice for this moment (what the open moment calls for, or
/// what the move gets right), the same advice given once rather than under every school.
pub fn consult_hints(session: &Session) -> Vec<ConsultHint> {
    let techniques = &session.prepared().techniques;
    let mut best: Vec<(School, &Technique, f32)> = School::ALL
        .iter()
        .filter_map(|school| {
            techniques
                .iter()
                .filter(|t| t.school == *school)
                .filter_map(|t| {
                    session
                        .preview_fit(&Choice::new(&t.id))
                        .ok()
                        .map(|f| (*school, t, f.score))
                })
                .max_by(|a, b| a.2.total_cmp(&b.2))
        })
        .collect();
    best.sort_by(|a, b| b.2.total_cmp(&a.2));
    let mut said: Vec<String> = Vec::new();
    best.iter()
        .take(4)
        .map(|(school, t, _)| {
            let advice = session
                .advice(&Choice::new(&t.id))
                .ok()
                .filter(|a| !said.contains(a));
            if let Some(a) = &advice {
                said.push(a.clone());
            }
            ConsultHint {
                heading: format!("{}: {}", school.label(), t.name),
                advice,
            }
        })
        .collect()
}

/// The consult hints for the session shown, worked out once per branch and turn rather
/// than every frame.
#[derive(Default)]
pub struct Consult {
    /// What the hints are for: the scenario as loaded (a hot reload may change it), the
    /// branch and its number of turns.
    key: Option<(Arc<PreparedScenario>, usize, usize)>,
    hints: Vec<ConsultHint>,
}

impl Consult {
    /// The hints for `run` as it is now; none outside practice or once it has ended,
    /// where the panel is not offered.
    pub fn hints(&mut self, run: &BranchedSession) -> Option<Vec<ConsultHint>> {
        let session = run.session();
        if run.mode != Mode::Practice || session.ended().is_some() {
            return None;
        }
        let (prepared, current, turns) = (session.prepared(), run.current, session.turns().len());
        let fresh = self
            .key
            .as_ref()
            .is_some_and(|(p, c, t)| Arc::ptr_eq(p, prepared) && *c == current && *t == turns);
        if !fresh {
            self.hints = consult_hints(session);
            self.key = Some((Arc::clone(prepared), current, turns));
        }
        Some(self.hints.clone())
    }
}
