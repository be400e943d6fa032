//! For each turn of a played session, the best move the engine finds from that very state
//! (the client as the trainee had left them), with its fit and the explanation's reason,
//! beside the trainee's own: where, and how, a better session would have gone.
//!
//! The session is replayed from its seed; before each of the trainee's moves every
//! technique's best adaptations are scored without playing them (`MoveFinder`, the same
//! candidates the best-path search uses), and the trainee's move is among the candidates,
//! so "your move was the best found" is said only when nothing beat it.
//!
//! Measured on the expert paths (46 techniques): 8,832 previews for Dan's 12 turns, 7,360
//! for Maria's and Tom's 10; 35 to 110 ms in a debug build. That is too long to block a
//! frame, so the debrief runs it on a thread (`BestMovesJob`) and shows progress meanwhile.

use std::sync::{Arc, OnceLock};

use super::moves::{Candidate, MoveFinder};
use super::progress::Progress;
use crate::engine::Session;
use crate::scenario::Choice;
use crate::scoring::Fit;

/// The least time between two progress notices of a `BestMovesJob`.
const NOTIFY_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

/// A move within this many points of the best found counts as the best.
const TIE: f32 = 0.5;

/// The best move found at one turn, beside the trainee's.
#[derive(Clone, Debug)]
pub struct TurnAlternative {
    /// 1 is the first move.
    pub turn: u32,
    /// The fit the trainee's move got.
    pub played_fit: f32,
    /// Nothing found beat the trainee's move (by more than half a point).
    pub played_was_best: bool,
    /// The best move found, or the trainee's own when nothing beat it.
    pub best: Choice,
    pub technique_name: String,
    /// The best move's fit from that state: score, explanation and reason.
    pub fit: Fit,
}

impl TurnAlternative {
    /// How many points the best move found would have added at this turn.
    pub fn gain(&self) -> f32 {
        (self.fit.score - self.played_fit).max(0.0)
    }
}

/// The best move at each turn of `session`, advancing `progress` by one unit per turn.
pub fn best_moves(session: &Session, progress: &Progress) -> Vec<TurnAlternative> {
    best_moves_telling(session, progress, &mut || {})
}

/// `best_moves`, calling `advanced` after each turn.
fn best_moves_telling(
    session: &Session,
    progress: &Progress,
    advanced: &mut dyn FnMut(),
) -> Vec<TurnAlternative> {
    let prepared = session.prepared();
    let finder = MoveFinder::new(prepared);
    let mut replay = Session::new(Arc::clone(prepared), session.seed());
    let mut out = Vec::with_capacity(session.turns().len());
    let mut candidates: Vec<Candidate> = Vec::new();
    for t in session.turns() {
        candidates.clear();
        finder.candidates(&replay, &mut candidates);
        // The earliest of equals wins, so the answer does not depend on anything but order.
        let found = candidates
            .iter()
            .fold(None::<&Candidate>, |best, c| match best {
                Some(b) if b.fit >= c.fit => Some(b),
                _ => Some(c),
            });
        let alternative = match found {
            Some(c) if c.fit > t.fit.score + TIE => {
                replay
                    .preview_fit(&c.choice)
                    .ok()
                    .map(|fit| TurnAlternative {
                        turn: t.turn,
                        played_fit: t.fit.score,
                        played_was_best: false,
                        technique_name: technique_name(session, &c.choice),
                        best: c.choice.clone(),
                        fit,
                    })
            }
            _ => None,
        };
        out.push(alternative.unwrap_or_else(|| TurnAlternative {
            turn: t.turn,
            played_fit: t.fit.score,
            played_was_best: true,
            best: t.choice.clone(),
            technique_name: t.technique_name.to_string(),
            fit: t.fit.clone(),
        }));
        progress.advance(1);
        advanced();
        // The session replays as it was played: same seed, same choices.
        if replay.apply(&t.choice).is_err() {
            break;
        }
    }
    out
}

fn technique_name(session: &Session, choice: &Choice) -> String {
    let prepared = session.prepared();
    prepared
        .technique_index(&choice.technique)
        .map_or(choice.technique.clone(), |i| {
            prepared.techniques[i].name.clone()
        })
}

/// `best_moves` on a thread of its own, so a screen can draw while it runs.
#[derive(Clone, Debug)]
pub struct BestMovesJob {
    progress: Arc<Progress>,
    result: Arc<OnceLock<Vec<TurnAlternative>>>,
}

impl BestMovesJob {
    /// Starts the job; `notify` is called when it has advanced (at most every quarter of a
    /// second) and when it is done, so a reactive window can draw again without polling.
    pub fn start(session: &Session, notify: impl Fn() + Send + 'static) -> BestMovesJob {
        let job = BestMovesJob {
            progress: Arc::new(Progress::new()),
            result: Arc::new(OnceLock::new()),
        };
        job.progress.add_total(session.turns().len().max(1) as u64);
        let (progress, result) = (Arc::clone(&job.progress), Arc::clone(&job.result));
        let for_thread = session.clone();
        let spawned = std::thread::Builder::new()
            .name("best-moves".into())
            .spawn(move || {
                let mut last = std::time::Instant::now();
                let mut advanced = || {
                    if last.elapsed() >= NOTIFY_EVERY {
                        last = std::time::Instant::now();
                        notify();
                    }
                };
                let _ = result.set(best_moves_telling(&for_thread, &progress, &mut advanced));
                notify();
            });
        if spawned.is_err() {
            // No thread to be had: do the work here rather than never.
            let _ = job.result.set(best_moves(session, &job.progress));
        }
        job
    }

    /// The best moves, once found.
    pub fn result(&self) -> Option<&[TurnAlternative]> {
        self.result.get().map(Vec::as_slice)
    }

    /// How far the job has got, 0..1.
    pub fn fraction(&self) -> f64 {
        if self.result.get().is_some() {
            1.0
        } else {
            self.progress.fraction()
        }
    }

    /// Blocks until the best moves are found (for scripts and tests).
    pub fn wait(&self) -> &[TurnAlternative] {
        self.result.wait()
    }
}
