//! A drill played: the session at the drill's moment, replayed with a seed (each try a
//! fresh seed, so the client's wording varies while the moment stays the same), and one
//! move answered with its fit, its skill evidence, the moment's commentary from several
//! schools and the best move the analysis finds at that state.

use std::fmt;
use std::sync::Arc;

use super::check::{flags_key_moment, key_moment_answered, replay};
use super::model::ResolvedDrill;
use crate::analysis::{Candidate, MoveFinder};
use crate::coding;
use crate::engine::{ApplyError, PreparedScenario, Session};
use crate::model::{MomentKind, TurnFlag};
use crate::scenario::{Choice, Commentary, KeyMoment};
use crate::scoring::{Fit, Skill, TurnOutcome, skill_evidence};

/// How many seeds a drill tries, from the one asked for, before giving up on reaching its
/// moment (a seed's wording can open another path).
pub const MAX_SEED_TRIES: u64 = 32;

/// The moment a drill asks the learner to answer: the session just before the move.
#[derive(Clone, Debug)]
pub struct Drill {
    /// The session at the moment; the learner's move is the next one.
    pub session: Session,
    /// The key moment the expert's next move answers here, if any.
    pub key_moment: Option<KeyMoment>,
    /// The client moment open now (what the move must answer), if any.
    pub open_moment: Option<MomentKind>,
    /// The expert playthrough's move here, when the drill follows the expert path.
    pub expert_move: Option<Choice>,
}

/// Why a drill could not be prepared.
#[derive(Clone, Debug, PartialEq)]
pub enum DrillError {
    /// No seed tried replayed the prefix into the drill's moment.
    MomentNotReached { first_seed: u64, tries: u64 },
}

impl fmt::Display for DrillError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DrillError::MomentNotReached { first_seed, tries } => write!(
                f,
                "no seed from {first_seed} to {} reached the drill's moment",
                first_seed + tries - 1
            ),
        }
    }
}

impl std::error::Error for DrillError {}

/// The drill's moment replayed with `seed`, or with the next seed that reaches it (at most
/// `MAX_SEED_TRIES`). The state is checked to be the moment: the prefix plays out, the
/// session is not over, the same client moment is open as on the reference replay, and,
/// for a key moment, the expert's move would still mark it.
pub fn prepare_drill(
    prepared: &Arc<PreparedScenario>,
    resolved: &ResolvedDrill,
    seed: u64,
) -> Result<Drill, DrillError> {
    let reference = replay(prepared, resolved.reference_seed, &resolved.prefix)
        .ok()
        .map(|s| s.open_moment().map(|m| m.kind));
    let key_moment = resolved
        .key_moment
        .and_then(|i| prepared.scenario.key_moments.get(i));
    for s in (0..MAX_SEED_TRIES).map(|k| seed.wrapping_add(k)) {
        let Ok(session) = replay(prepared, s, &resolved.prefix) else {
            continue;
        };
        if session.ended().is_some() {
            continue;
        }
        let open_moment = session.open_moment().map(|m| m.kind);
        if reference.is_some_and(|r| r != open_moment) {
            continue;
        }
        if let (Some(moment), Some(expert)) = (key_moment, &resolved.expert_move) {
            let mut trial = session.clone();
            let marks = trial
                .apply(expert)
                .is_ok_and(|turn| flags_key_moment(&turn.flags, &moment.id));
            if !marks {
                continue;
            }
        }
        return Ok(Drill {
            session,
            key_moment: key_moment.cloned(),
            open_moment,
            expert_move: resolved.expert_move.clone(),
        });
    }
    Err(DrillError::MomentNotReached {
        first_seed: seed,
        tries: MAX_SEED_TRIES,
    })
}

/// The best move found at a drill's state.
#[derive(Clone, Debug)]
pub struct BestMove {
    pub choice: Choice,
    pub technique_name: String,
    /// Its fit here: score, explanation and reason.
    pub fit: Fit,
    /// The learner's move was within half a point of it.
    pub yours_was_best: bool,
}

/// What a drill's answer shows the learner.
#[derive(Clone, Debug)]
pub struct DrillAnswer {
    pub choice: Choice,
    /// The move's fit at the moment.
    pub fit: Fit,
    /// The skills the move showed, 0 to 1 (`scoring::skill_evidence`).
    pub evidence: Vec<(Skill, f32)>,
    /// The turn as played on a copy of the session: the client's reply, state changes.
    pub outcome: TurnOutcome,
    /// What the client did that opened the moment, in words, if one was open.
    pub moment_words: Option<String>,
    /// The consult panel's advice about this move at this moment.
    pub advice: String,
    /// The key moment's title and its commentary from several schools: the drill's own, or
    /// else one the learner's move (or the best move) marks; empty when there is none.
    pub key_moment_title: Option<String>,
    pub commentary: Vec<Commentary>,
    /// The best move the analysis finds here, with its reason.
    pub best: BestMove,
}

/// A move within this many points of the best found counts as the best (as in
/// `analysis::best_moves`).
const TIE: f32 = 0.5;

impl Drill {
    /// Answers the drill with one move; the drill itself is left as it was, so it can be
    /// answered again. A move given by its words alone is the technique they are coded as,
    /// as in a session.
    pub fn answer(&self, choice: &Choice) -> Result<DrillAnswer, ApplyError> {
        let confirmed = coding::confirmed_as_coded(choice);
        let choice = confirmed.as_ref();
        let fit = self.session.preview_fit(choice)?;
        let advice = self.session.advice(choice)?;
        let mut played = self.session.clone();
        let outcome = played.apply(choice)?.clone();
        let best = self.best_move(choice, &fit);
        // The drill's own key moment; else one the learner's move marked, or the best
        // move would (a drill off the expert path still gets the schools' view).
        let moments = &self.session.prepared().scenario.key_moments;
        let key_moment = self.key_moment.clone().or_else(|| {
            outcome
                .flags
                .iter()
                .find_map(|f| match f {
                    TurnFlag::KeyMoment { id } => Some(id.as_str()),
                    _ => None,
                })
                .and_then(|id| moments.iter().find(|m| m.id == id))
                .or_else(|| {
                    key_moment_answered(&self.session, &best.choice).and_then(|i| moments.get(i))
                })
                .cloned()
        });
        Ok(DrillAnswer {
            choice: choice.clone(),
            evidence: skill_evidence(&fit),
            outcome,
            moment_words: self.open_moment.map(|k| self.session.moment_words(k)),
            advice,
            key_moment_title: key_moment.as_ref().map(|m| m.title.clone()),
            commentary: key_moment.map(|m| m.commentary).unwrap_or_default(),
            best,
            fit,
        })
    }

    /// The best move at this state: every technique with its best adaptations
    /// (`analysis::MoveFinder`), the earliest of equals winning.
    fn best_move(&self, yours: &Choice, your_fit: &Fit) -> BestMove {
        let prepared = self.session.prepared();
        let finder = MoveFinder::new(prepared);
        let mut candidates: Vec<Candidate> = Vec::new();
        finder.candidates(&self.session, &mut candidates);
        let found = candidates
            .into_iter()
            .fold(None::<Candidate>, |best, c| match best {
                Some(b) if b.fit >= c.fit => Some(b),
                _ => Some(c),
            });
        let better = found
            .filter(|c| c.fit > your_fit.score + TIE)
            .and_then(|c| {
                let fit = self.session.preview_fit(&c.choice).ok()?;
                Some((c.choice, fit))
            });
        let (choice, fit, yours_was_best) = match better {
            Some((choice, fit)) => (choice, fit, false),
            None => (yours.clone(), your_fit.clone(), true),
        };
        let technique_name = prepared
            .technique(&choice.technique)
            .map_or_else(|| choice.technique.clone(), |t| t.name.clone());
        BestMove {
            choice,
            technique_name,
            fit,
            yours_was_best,
        }
    }
}
