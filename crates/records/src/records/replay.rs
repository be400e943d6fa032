//! Stored choices played again: the same scenario (by content hash, found by the caller),
//! seed and choices give the same session, scored with the pack's pass mark when the
//! attempt was a pack's client. Resuming, reviewing, verifying a result and reading the
//! class back from the learning record store all replay through here; an attempt that
//! continued an earlier session (`continued.rs`) replays from where that one left off.

use std::sync::Arc;

use super::continued::{Continued, StartError, start_of};
use crate::assessment::with_pack_pass_mark;
use attune_core::engine::{ApplyError, PreparedScenario, Session};
use attune_core::scenario::Choice;

/// A session replayed as far as its choices go.
#[derive(Debug)]
pub struct Replayed {
    pub session: Session,
    /// The first choice that could not be played, if one could not: the session holds the
    /// turns before it.
    pub stopped: Option<Stopped>,
}

/// Where a replay stopped, and why.
#[derive(Debug)]
pub struct Stopped {
    /// The 0-based index of the choice that was refused.
    pub index: usize,
    pub error: ApplyError,
}

/// Replays `choices` from `seed` on `prepared`, scored with `pass_mark` (a pack's) when
/// one is given.
pub fn replay(
    prepared: &Arc<PreparedScenario>,
    pass_mark: Option<f32>,
    seed: u64,
    choices: &[Choice],
) -> Replayed {
    play_on(
        Session::new(with_pack_pass_mark(prepared, pass_mark), seed),
        choices,
    )
}

/// Replays an attempt as `replay` does, from where the earlier session it `continues`
/// left the client when it continued one; `find` gives a scenario by content hash. Fails
/// when that earlier session cannot be found or replayed.
pub fn replay_attempt(
    prepared: &Arc<PreparedScenario>,
    pass_mark: Option<f32>,
    seed: u64,
    choices: &[Choice],
    continues: Option<&Continued>,
    find: &dyn Fn(&str) -> Option<Arc<PreparedScenario>>,
) -> Result<Replayed, StartError> {
    let start = start_of(
        &with_pack_pass_mark(prepared, pass_mark),
        seed,
        continues,
        find,
    )?;
    Ok(play_on(start, choices))
}

/// Plays `choices` on `session`, stopping at the first that is refused.
pub(super) fn play_on(mut session: Session, choices: &[Choice]) -> Replayed {
    for (index, choice) in choices.iter().enumerate() {
        if let Err(error) = session.apply(choice) {
            return Replayed {
                session,
                stopped: Some(Stopped { index, error }),
            };
        }
    }
    Replayed {
        session,
        stopped: None,
    }
}

impl Replayed {
    /// The whole replayed session, or why a choice did not replay.
    pub fn whole(self) -> Result<Session, Stopped> {
        match self.stopped {
            None => Ok(self.session),
            Some(stopped) => Err(stopped),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dan() -> Arc<PreparedScenario> {
        crate::testing::dan().0
    }

    #[test]
    fn a_replay_gives_the_session_as_played_with_the_packs_pass_mark() {
        let prepared = dan();
        let choices = vec![
            Choice::new("complex_reflection"),
            Choice::new("rolling_with_resistance"),
        ];
        let mut played = Session::new(Arc::clone(&prepared), 7);
        for c in &choices {
            played.apply(c).unwrap();
        }
        let again = replay(&prepared, None, 7, &choices).whole().unwrap();
        assert_eq!(again.turns(), played.turns());
        assert_eq!(again.summary(), played.summary());

        let marked = replay(&prepared, Some(99.5), 7, &choices).whole().unwrap();
        assert_eq!(marked.summary().pass_mark, 99.5);
        assert!(!marked.summary().passed);
        assert_eq!(
            marked.turns(),
            played.turns(),
            "the pass mark changes no turn"
        );
    }

    #[test]
    fn a_replay_stops_at_the_first_choice_that_does_not_play() {
        let prepared = dan();
        // Far more confrontations than the session allows turns.
        let choices = vec![Choice::new("confrontation"); 200];
        let replayed = replay(&prepared, None, 7, &choices);
        let stopped = replayed.stopped.as_ref().expect("the session ends first");
        assert_eq!(stopped.index, replayed.session.turns().len());
        assert!(matches!(stopped.error, ApplyError::SessionOver(_)));
        assert!(replay(&prepared, None, 7, &choices).whole().is_err());
    }
}
