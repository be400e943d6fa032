//! Recording an attempt, the one way the app, `attune play --record`, `attune resume` and
//! `attune play --pack` all do it: begun (as a pack's client inside its sitting when it is
//! one), each turn saved as soon as it is played, and finished with its sealed result and
//! its score. The `Store` queues the learning record store's statements in the same
//! transaction as each of these, so nothing is saved without its statement waiting to go.

use crate::assessment::{PackRef, SittingItem};
use attune_core::engine::Session;
use attune_core::model::Mode;

use super::continued::Continued;
use super::result::{AttemptResult, Played};
use super::store::{NewAttempt, Store, Unfinished};

/// What an attempt is of and how it is played, known when it begins.
#[derive(Clone, Debug, PartialEq)]
pub struct AttemptPlan {
    /// The scenario file's name, as the result names it for people.
    pub file: String,
    /// The content hash of the scenario file as played.
    pub content_hash: String,
    pub mode: Mode,
    pub learner: Option<String>,
    /// The pack, its sitting and the client's place in it, when the attempt is a pack's.
    pub pack: Option<PackRef>,
    pub played: Played,
    /// The earlier session it continues, when it begins where that one left the client.
    pub continues: Option<Continued>,
}

/// An attempt begun in the records database and being played.
#[derive(Clone, Debug)]
pub struct OpenAttempt {
    /// Its id in the database (a UUID), which its result and statements carry.
    pub id: String,
    pub plan: AttemptPlan,
    /// When it began, in RFC 3339.
    pub started_at: String,
    /// How many of the session's turns are saved.
    saved: usize,
}

/// An attempt's score, as the engine reported it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score {
    /// The mean turn fit, 0 to 100.
    pub overall: f32,
    pub passed: bool,
}

/// A finished attempt: its id, its sealed result and its score.
#[derive(Clone, Debug)]
pub struct Finished {
    pub attempt: String,
    pub result: AttemptResult,
    pub score: Score,
}

impl Score {
    pub fn of(session: &Session) -> Score {
        let summary = session.summary();
        Score {
            overall: summary.overall,
            passed: summary.passed,
        }
    }
}

impl AttemptPlan {
    /// The sealed result of `session` played to this plan from `started_at`, under a fresh
    /// attempt id (a result file written without the records database).
    pub fn result_of(&self, session: &Session, started_at: &str) -> AttemptResult {
        let result = AttemptResult::of(
            session,
            &self.file,
            self.content_hash.clone(),
            self.mode,
            self.learner.clone(),
            started_at.to_string(),
            self.played,
        );
        let result = match &self.continues {
            Some(earlier) => result.continuing(Some(earlier.clone())),
            None => result,
        };
        match &self.pack {
            Some(pack) => result.in_pack(pack.clone()),
            None => result,
        }
    }
}

impl OpenAttempt {
    /// Begins recording `session` (not played yet, or played so far, its turns saved by
    /// the next `save_turns`) under `plan`, begun at `started_at`; inside its sitting when
    /// the plan names a pack.
    pub fn begin(
        store: &mut Store,
        session: &Session,
        plan: AttemptPlan,
        started_at: String,
    ) -> Result<OpenAttempt, String> {
        let meta = &session.prepared().scenario.meta;
        let new = NewAttempt {
            scenario_id: &meta.id,
            scenario_title: &meta.title,
            scenario_file: &plan.file,
            content_hash: &plan.content_hash,
            seed: session.seed(),
            mode: plan.mode,
            learner: plan.learner.as_deref(),
            started_at: &started_at,
            continues: plan.continues.as_ref(),
        };
        let id = match &plan.pack {
            Some(pack) => store.begin_in_sitting(&new, &pack.sitting, pack.position)?,
            None => store.begin(&new)?,
        };
        Ok(OpenAttempt {
            id,
            plan,
            started_at,
            saved: 0,
        })
    }

    /// Carries on recording an interrupted attempt, whose saved turns are its choices;
    /// `pack` is the pack it was begun in, if any, and `played` how it goes on.
    pub fn resumed(u: &Unfinished, pack: Option<PackRef>, played: Played) -> OpenAttempt {
        OpenAttempt {
            id: u.id.clone(),
            plan: AttemptPlan {
                file: u.scenario_file.clone(),
                content_hash: u.content_hash.clone(),
                mode: u.mode,
                learner: u.learner.clone(),
                pack,
                played,
                continues: u.continues.clone(),
            },
            started_at: u.started_at.clone(),
            saved: u.choices.len(),
        }
    }

    /// Saves the session's turns not saved yet, each in its own transaction, and returns
    /// how many were saved. On an error the turns saved before it stay saved, and the next
    /// call tries the rest again.
    pub fn save_turns(&mut self, store: &mut Store, session: &Session) -> Result<usize, String> {
        let turns = session.turns();
        let mut saved = 0;
        for turn in &turns[self.saved.min(turns.len())..] {
            store.record_turn(&self.id, turn)?;
            self.saved += 1;
            saved += 1;
        }
        Ok(saved)
    }

    /// Saves any turns left and closes the attempt with its sealed result.
    pub fn finish(mut self, store: &mut Store, session: &Session) -> Result<Finished, String> {
        self.save_turns(store, session)?;
        let result = self
            .plan
            .result_of(session, &self.started_at)
            .recorded_as(&self.id);
        store.finish(&self.id, &result)?;
        Ok(Finished {
            attempt: self.id,
            result,
            score: Score::of(session),
        })
    }
}

/// Records a session already played to its end as an attempt, whole: begun, every turn,
/// finished (a practice branch played to its end, saved as an attempt of its own).
pub fn record_whole(
    store: &mut Store,
    session: &Session,
    plan: AttemptPlan,
    started_at: String,
) -> Result<Finished, String> {
    OpenAttempt::begin(store, session, plan, started_at)?.finish(store, session)
}

impl Finished {
    /// The attempt as the sitting it belongs to counts it.
    pub fn sitting_item(&self) -> SittingItem {
        SittingItem {
            scenario: self.result.scenario.id.clone(),
            attempt_id: self.attempt.clone(),
            overall: self.score.overall,
            passed: self.score.passed,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::assessment::{AssessmentPack, PackItem, Sitting};
    use crate::records::{HashedLibrary, Verdict, verify_result};

    use attune_core::scenario::Choice;

    use crate::testing::{dan, dan_file};

    fn store(name: &str) -> Store {
        let dir =
            std::env::temp_dir().join(format!("attune-recording-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Store::open(&dir.join("records.sqlite")).unwrap()
    }

    fn plan(hash: &str, pack: Option<PackRef>) -> AttemptPlan {
        AttemptPlan {
            file: "dan-mandated-anger.ron".into(),
            content_hash: hash.into(),
            mode: if pack.is_some() {
                Mode::Assessment
            } else {
                Mode::Practice
            },
            learner: Some("Ann".into()),
            pack,
            played: Played::Script,
            continues: None,
        }
    }

    fn moves() -> Vec<Choice> {
        [
            "complex_reflection",
            "rolling_with_resistance",
            "emphasizing_autonomy",
        ]
        .iter()
        .map(|t| Choice::new(t))
        .collect()
    }

    #[test]
    fn each_turn_is_saved_as_played_and_the_finished_attempt_verifies() {
        let (prepared, hash) = dan();
        let mut store = store("turns");
        let mut session = Session::new(prepared, 7);
        let mut rec = OpenAttempt::begin(
            &mut store,
            &session,
            plan(&hash, None),
            "2026-12-06T09:00:00Z".into(),
        )
        .unwrap();
        for (i, c) in moves().iter().enumerate() {
            session.apply(c).unwrap();
            assert_eq!(rec.save_turns(&mut store, &session).unwrap(), 1);
            assert_eq!(store.choices(&rec.id).unwrap().len(), i + 1);
        }
        assert_eq!(
            rec.save_turns(&mut store, &session).unwrap(),
            0,
            "none twice"
        );

        let id = rec.id.clone();
        let finished = rec.finish(&mut store, &session).unwrap();
        assert_eq!(finished.attempt, id);
        assert_eq!(finished.result.attempt_id.as_deref(), Some(id.as_str()));
        assert_eq!(finished.result.started_at, "2026-12-06T09:00:00Z");
        let summary = session.summary();
        assert_eq!(finished.score.overall, summary.overall);
        assert_eq!(finished.score.passed, summary.passed);
        assert_eq!(
            store.result_texts().unwrap(),
            vec![(id.clone(), finished.result.to_json())],
            "the database holds the result as returned"
        );
        assert!(!store.is_open(&id).unwrap());
        let library = HashedLibrary::scan(&[dan_file()]);
        assert_eq!(
            verify_result(&finished.result.to_json(), &library),
            Verdict::Verified
        );
    }

    #[test]
    fn a_resumed_attempt_saves_only_the_turns_after_those_saved() {
        let (prepared, hash) = dan();
        let mut store = store("resume");
        let mut session = Session::new(Arc::clone(&prepared), 7);
        let mut rec = OpenAttempt::begin(
            &mut store,
            &session,
            plan(&hash, None),
            "2026-12-06T09:00:00Z".into(),
        )
        .unwrap();
        session.apply(&moves()[0]).unwrap();
        rec.save_turns(&mut store, &session).unwrap();
        drop(rec); // the process is killed

        let u = store.unfinished().unwrap().remove(0);
        let session = crate::records::replay::replay(&prepared, None, u.seed, &u.choices);
        let mut session = session.whole().unwrap();
        let mut rec = OpenAttempt::resumed(&u, None, Played::Script);
        assert_eq!(rec.save_turns(&mut store, &session).unwrap(), 0);
        for c in &moves()[1..] {
            session.apply(c).unwrap();
        }
        let finished = rec.finish(&mut store, &session).unwrap();
        assert_eq!(store.choices(&finished.attempt).unwrap(), moves());
        assert_eq!(finished.result.learner.as_deref(), Some("Ann"));
        assert!(store.unfinished().unwrap().is_empty());
    }

    #[test]
    fn a_packs_client_is_recorded_in_its_sitting_with_the_pack() {
        let (prepared, hash) = dan();
        let mut store = store("sitting");
        let pack = AssessmentPack {
            id: "p".into(),
            title: "P".into(),
            class_id: "C".into(),
            pass_mark: 95.0,
            time_limit_minutes: None,
            instructions: String::new(),
            words: Default::default(),
            scenarios: vec![PackItem {
                scenario: "dan-mandated-anger".into(),
                seed: 7,
                content_hash: None,
            }],
        };
        let mut sitting = Sitting::new(pack, "p.ron".into(), "Ann".into(), 1000);
        store.begin_sitting(&sitting).unwrap();
        let meeting = sitting.meet("dan-mandated-anger", &hash, 1000).unwrap();
        let mut session = Session::new(sitting.scored_by_pack(&prepared), meeting.item.seed);
        for c in moves() {
            session.apply(&c).unwrap();
        }
        let finished = record_whole(
            &mut store,
            &session,
            plan(&hash, Some(sitting.pack_ref(meeting.position))),
            "2026-12-06T09:00:00Z".into(),
        )
        .unwrap();
        assert_eq!(
            store.sitting_of(&finished.attempt).unwrap(),
            Some((sitting.id.clone(), 1))
        );
        assert_eq!(finished.result.pack, Some(sitting.pack_ref(1)));
        assert!(
            !finished.score.passed,
            "the pack's pass mark of 95 is not reached"
        );
        assert!(sitting.client_done(finished.sitting_item(), 1001));
        assert_eq!(sitting.done[0].overall, finished.score.overall);
        let stored = store.open_sittings().unwrap().remove(0);
        assert_eq!(stored.done, sitting.done, "the database counts it alike");
    }

    /// The trainee's words are part of the attempt: kept with each turn as it is saved,
    /// read back with the choices when an interrupted attempt resumes, replayed to the same
    /// coding, and in the sealed result's turns, which verify.
    #[test]
    fn the_words_survive_recording_resuming_and_replay_and_the_result_verifies() {
        let (prepared, hash) = dan();
        let mut store = store("words");
        let played = crate::testing::dan_played_with_words(7);
        let words = crate::testing::words_choices();
        let mut session = Session::new(Arc::clone(&prepared), 7);
        let mut rec = OpenAttempt::begin(
            &mut store,
            &session,
            plan(&hash, None),
            "2026-12-06T09:00:00Z".into(),
        )
        .unwrap();
        session.apply(&words[0]).unwrap();
        session.apply(&words[1]).unwrap();
        rec.save_turns(&mut store, &session).unwrap();
        drop(rec); // the process is killed

        let u = store.unfinished().unwrap().remove(0);
        let said: Vec<Option<&str>> = u.choices.iter().map(Choice::words).collect();
        assert_eq!(
            said,
            [words[0].words(), words[1].words()],
            "{:?}",
            u.choices
        );
        let mut session = crate::records::replay::replay(&prepared, None, u.seed, &u.choices)
            .whole()
            .unwrap();
        let rec = OpenAttempt::resumed(&u, None, Played::Script);
        session.apply(&words[2]).unwrap();
        assert_eq!(
            session.turns(),
            played.turns(),
            "the same words, the same coding"
        );
        let finished = rec.finish(&mut store, &session).unwrap();

        let turns = finished.result.turns.as_array().unwrap();
        for (turn, outcome) in turns.iter().zip(played.turns()) {
            let w = outcome.words.as_ref().expect("every move had words");
            assert_eq!(turn["said"], w.text.as_str());
            assert_eq!(turn["coded_as"], format!("{:?}", w.miti));
            assert_eq!(turn["mismatch"].as_str(), w.mismatch.as_deref());
        }
        assert!(
            turns[1]["mismatch"].is_string(),
            "a question typed where a reflection was claimed: {}",
            turns[1]
        );
        let text = finished.result.to_json();
        assert!(
            text.contains("hit the wall"),
            "the words are in the result file"
        );
        let library = HashedLibrary::scan(&[dan_file()]);
        assert_eq!(verify_result(&text, &library), Verdict::Verified);
    }
}
