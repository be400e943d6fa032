//! What a continued attempt (a session that begins where an earlier one with the same
//! client left off) keeps so that it replays exactly: the earlier session's scenario (by
//! content hash), seed and choices. The carried start and the between-session event follow
//! from them deterministically (`engine::continue_from`), so they are not stored: replaying
//! the earlier session and continuing from it gives them again, and a result whose
//! continuation was edited no longer replays to the figures it records.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::result::AttemptResult;
use attune_core::engine::{PreparedScenario, Session, continue_from};
use attune_core::scenario::Choice;

/// The earlier session a continued attempt began from, enough to replay it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Continued {
    /// The earlier scenario's id, for people and to check the file the hash finds.
    pub scenario_id: String,
    /// `blake3:` and the hash of the earlier scenario file as played.
    pub content_hash: String,
    pub seed: u64,
    pub choices: Vec<Choice>,
    /// The session the earlier one itself continued, when it did (session 3 after 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continues: Option<Box<Continued>>,
}

/// Why a continued attempt's start could not be made again.
#[derive(Clone, Debug, PartialEq)]
pub enum StartError {
    /// The earlier session's scenario is not in the library as it was played.
    Missing(String),
    /// The earlier session does not replay, or the attempt's scenario cannot continue it.
    DoesNotReplay(String),
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::Missing(why) | StartError::DoesNotReplay(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for StartError {}

impl Continued {
    /// A finished attempt, as the earlier session of one that continues it.
    pub fn of_result(result: &AttemptResult) -> Continued {
        Continued {
            scenario_id: result.scenario.id.clone(),
            content_hash: result.scenario.content_hash.clone(),
            seed: result.seed,
            choices: result.choices.clone(),
            continues: result.continues.clone().map(Box::new),
        }
    }

    /// The earlier session replayed whole, from its own start; `find` gives the scenario
    /// with a content hash.
    pub fn replay(
        &self,
        find: &dyn Fn(&str) -> Option<Arc<PreparedScenario>>,
    ) -> Result<Session, StartError> {
        let Some(prepared) = find(&self.content_hash) else {
            return Err(StartError::Missing(format!(
                "the session it continues (`{}`, content hash {}) is not in the library as it was played",
                self.scenario_id, self.content_hash
            )));
        };
        if prepared.scenario.meta.id != self.scenario_id {
            return Err(StartError::DoesNotReplay(format!(
                "the session it continues is named `{}`, but its content hash is that of `{}`",
                self.scenario_id, prepared.scenario.meta.id
            )));
        }
        let start = start_of(&prepared, self.seed, self.continues.as_deref(), find)?;
        super::replay::play_on(start, &self.choices)
            .whole()
            .map_err(|stopped| {
                StartError::DoesNotReplay(format!(
                    "the session it continues (`{}`) does not replay: choices[{}]: {}",
                    self.scenario_id, stopped.index, stopped.error
                ))
            })
    }
}

/// The session of `prepared` with `seed` before any turn: as its file says, or, when it
/// `continues` an earlier session, where that one left the client.
pub fn start_of(
    prepared: &Arc<PreparedScenario>,
    seed: u64,
    continues: Option<&Continued>,
    find: &dyn Fn(&str) -> Option<Arc<PreparedScenario>>,
) -> Result<Session, StartError> {
    let Some(earlier) = continues else {
        return Ok(Session::new(Arc::clone(prepared), seed));
    };
    let before = earlier.replay(find)?;
    let next = continue_from(prepared, &before, seed).map_err(|e| {
        StartError::DoesNotReplay(format!("it cannot continue the session it names: {e}"))
    })?;
    Ok(next.session(Arc::clone(prepared), seed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::recording::{AttemptPlan, OpenAttempt, record_whole};
    use crate::records::replay::replay_attempt;
    use crate::records::{HashedLibrary, Played, Store, Verdict, verify_result};
    use crate::testing::{priya, priya_file};
    use attune_core::model::Mode;

    fn store(name: &str) -> Store {
        let dir =
            std::env::temp_dir().join(format!("attune-continued-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Store::open(&dir.join("records.sqlite")).unwrap()
    }

    fn plan(n: u32, hash: &str, continues: Option<Continued>) -> AttemptPlan {
        AttemptPlan {
            file: format!("priya-gad-session-{n}.ron"),
            content_hash: hash.into(),
            mode: Mode::Practice,
            learner: Some("Ann".into()),
            pack: None,
            played: Played::Script,
            continues,
        }
    }

    /// The scenario's playthrough whose name begins with `name`: its seed and choices.
    fn playthrough(prepared: &PreparedScenario, name: &str) -> (u64, Vec<Choice>) {
        let play = prepared
            .scenario
            .playthroughs
            .iter()
            .find(|p| p.name.starts_with(name))
            .unwrap();
        (play.seed, play.choices.clone())
    }

    /// Plays `choices` on `session` until it ends.
    fn play(session: &mut Session, choices: &[Choice]) {
        for c in choices {
            if session.ended().is_some() {
                break;
            }
            session.apply(c).unwrap();
        }
    }

    fn library() -> HashedLibrary {
        HashedLibrary::scan(&[priya_file(1), priya_file(2)])
    }

    /// Session 1 played (a poor one: session 2 then starts far from its file's start) and
    /// recorded whole, as the earlier session of the next.
    fn session_1(store: &mut Store) -> Continued {
        let (prepared, hash) = priya(1);
        let (seed, choices) = playthrough(&prepared, "novice");
        let mut session = Session::new(Arc::clone(&prepared), seed);
        play(&mut session, &choices);
        let finished = record_whole(
            store,
            &session,
            plan(1, &hash, None),
            "2026-12-06T09:00:00Z".into(),
        )
        .unwrap();
        Continued::of_result(&finished.result)
    }

    /// Session 2, continuing `earlier` with seed 5, recorded to its end with a crash (the
    /// process killed) after its first two turns and a resume from the database.
    fn session_2(store: &mut Store, earlier: &Continued) -> (Session, AttemptResult) {
        let (prepared, hash) = priya(2);
        let lib = library();
        let find = |h: &str| lib.by_hash(h).map(|s| Arc::clone(&s.prepared));
        let mut session = start_of(&prepared, 5, Some(earlier), &find).unwrap();
        assert!(session.series_start().is_some(), "it continues session 1");
        let mut rec = OpenAttempt::begin(
            store,
            &session,
            plan(2, &hash, Some(earlier.clone())),
            "2026-12-06T10:00:00Z".into(),
        )
        .unwrap();
        let (_, choices) = playthrough(&prepared, "");
        play(&mut session, &choices[..2]);
        rec.save_turns(store, &session).unwrap();
        drop(rec); // the process is killed

        let u = store.unfinished().unwrap().remove(0);
        assert_eq!(u.continues.as_ref(), Some(earlier), "read back as begun");
        let resumed = replay_attempt(
            &prepared,
            None,
            u.seed,
            &u.choices,
            u.continues.as_ref(),
            &find,
        )
        .unwrap()
        .whole()
        .unwrap();
        assert_eq!(
            resumed.turns(),
            session.turns(),
            "resumed to the same state"
        );
        assert_eq!(
            format!("{:?}", resumed.state()),
            format!("{:?}", session.state())
        );
        let mut session = resumed;
        play(&mut session, &choices[2..]);
        let finished = OpenAttempt::resumed(&u, None, Played::Script)
            .finish(store, &session)
            .unwrap();
        (session, finished.result)
    }

    #[test]
    fn a_continued_attempt_is_saved_read_back_sealed_and_verified() {
        let mut store = store("saved");
        let earlier = session_1(&mut store);
        let (session, result) = session_2(&mut store, &earlier);
        assert_eq!(result.continues.as_ref(), Some(&earlier));
        assert!(session.ended().is_some(), "played to its end");
        let stored = store
            .result_of(result.attempt_id.as_deref().unwrap())
            .unwrap();
        assert_eq!(stored.unwrap().continues, Some(earlier));
        let lib = library();
        let text = result.to_json();
        assert!(text.contains("\"continues\""), "the file carries it");
        assert_eq!(verify_result(&text, &lib), Verdict::Verified);

        // The same choices replayed from the file's start are another session: without
        // its continuation this result would not verify.
        let forgotten = result.clone().continuing(None).to_json();
        assert!(matches!(
            verify_result(&forgotten, &lib),
            Verdict::Differs(_)
        ));
    }

    #[test]
    fn a_tampered_continuation_is_refused_with_its_reason() {
        let mut store = store("tampered");
        let earlier = session_1(&mut store);
        let (_, result) = session_2(&mut store, &earlier);
        let lib = library();

        // Edited by hand: the seal covers the continuation.
        let mut v: serde_json::Value = serde_json::from_str(&result.to_json()).unwrap();
        v["continues"]["seed"] = serde_json::json!(earlier.seed + 1);
        assert!(matches!(
            verify_result(&v.to_string(), &lib),
            Verdict::SealBroken(_)
        ));

        // Resealed by a forger: another earlier session gives another start.
        let mut other = earlier.clone();
        other.choices.truncate(2);
        let forged = result.clone().continuing(Some(other)).to_json();
        assert!(matches!(verify_result(&forged, &lib), Verdict::Differs(_)));

        // An earlier session that cannot be replayed is named.
        let mut unplayable = earlier.clone();
        unplayable.choices = vec![Choice::new("no_such_move")];
        let forged = result.clone().continuing(Some(unplayable)).to_json();
        let verdict = verify_result(&forged, &lib);
        assert!(matches!(verdict, Verdict::Differs(_)), "{verdict:?}");
        assert!(
            verdict
                .reasons()
                .join("\n")
                .contains("the session it continues (`priya-gad-session-1`) does not replay"),
            "{verdict:?}"
        );

        // An earlier scenario not in the library.
        let mut missing = earlier.clone();
        missing.content_hash = "blake3:00".into();
        let forged = result.clone().continuing(Some(missing)).to_json();
        let verdict = verify_result(&forged, &lib);
        assert!(
            matches!(verdict, Verdict::ScenarioChanged(_)),
            "{verdict:?}"
        );
        assert!(verdict.reasons()[0].contains("blake3:00"), "{verdict:?}");
        let only_2 = HashedLibrary::scan(&[priya_file(2)]);
        assert!(matches!(
            verify_result(&result.to_json(), &only_2),
            Verdict::ScenarioChanged(_)
        ));

        // Continuing a session its scenario does not follow (session 2 after itself).
        let (prepared_2, hash_2) = priya(2);
        let wrong = Continued {
            scenario_id: prepared_2.scenario.meta.id.clone(),
            content_hash: hash_2,
            seed: 5,
            choices: Vec::new(),
            continues: None,
        };
        let forged = result.continuing(Some(wrong)).to_json();
        let verdict = verify_result(&forged, &lib);
        assert!(
            verdict.reasons().join("\n").contains("cannot continue"),
            "{verdict:?}"
        );
    }

    #[test]
    fn a_result_that_continues_nothing_verifies_as_before_and_has_no_continues_field() {
        let mut store = store("plain");
        let (prepared, hash) = priya(1);
        let (seed, choices) = playthrough(&prepared, "novice");
        let mut session = Session::new(Arc::clone(&prepared), seed);
        play(&mut session, &choices);
        let finished = record_whole(
            &mut store,
            &session,
            plan(1, &hash, None),
            "2026-12-06T09:00:00Z".into(),
        )
        .unwrap();
        let text = finished.result.to_json();
        assert!(
            !text.contains("continues"),
            "older readers see the same file"
        );
        assert_eq!(verify_result(&text, &library()), Verdict::Verified);
    }
}
