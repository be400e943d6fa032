//! The app's side of the records database: each attempt begins when a session starts,
//! each turn of its first branch is saved the moment it is played, and the sealed result
//! is written when the session ends. Attempts and sittings left unfinished by a crash are
//! listed for the library screen to offer again.

use std::path::PathBuf;
use std::sync::Mutex;

use bevy::prelude::*;

use super::flow::PracticeRun;
use crate::analysis::ClassRound;
use crate::assessment::{PackRef, Sitting};
pub use crate::records::Finished;
use crate::records::xapi::{Courier, LrsConfig, flush_at_start};
use crate::records::{
    AttemptPlan, AttemptResult, Continued, OpenAttempt, Played, Store, Unfinished, record_whole,
};

#[derive(Resource, Default)]
pub struct Records {
    store: Option<Mutex<Store>>,
    /// Where the database is; none when the app runs without records (some tests).
    pub path: Option<PathBuf>,
    /// The last problem with the database, shown to the trainee: nothing is saved silently
    /// wrong.
    pub problem: Option<String>,
    /// The attempt being recorded: the run's first branch.
    recording: Option<OpenAttempt>,
    /// Attempts begun and never finished, outside any sitting; refreshed on the library.
    pub unfinished: Vec<Unfinished>,
    /// Sittings begun and never finished.
    pub open_sittings: Vec<Sitting>,
    /// Attempts interrupted inside an open sitting, with the sitting's id.
    pub in_sittings: Vec<(String, Unfinished)>,
    /// Who practises in this app (from the settings): practice attempts are saved under
    /// this name, and "Your best" is this learner's; none saves them with no name.
    pub practice_learner: Option<String>,
    /// What the later branches of the run being recorded are saved with.
    branches: Option<BranchBook>,
    /// How attempts here are played: in the window by a person (`app::run` without a
    /// script), else from a script (scripted window runs, the headless app in tests).
    pub played: Played,
    /// Sends the queued statements in the background when a learning record store is
    /// configured, nudged after each saved turn.
    courier: Option<Courier>,
    /// The attempt the class's votes shown are kept with: the one they were last saved
    /// under, or the attempt reviewed; exports of them are named after it.
    pub class_attempt: Option<String>,
}

/// A practice run's branches after the first (opened by "Try turn N again") are attempts
/// too: each is saved, whole, as its own attempt once it is played to its end.
#[derive(Clone, Debug)]
struct BranchBook {
    /// The run's plan: a branch is the same scenario, learner and mode.
    plan: AttemptPlan,
    /// When the run began: a branch's turns before its rewind were played from then on.
    started_at: String,
    /// Branch indices already saved.
    saved: Vec<usize>,
}

impl Records {
    /// Opens (or creates) the database at `path`; a database that cannot be opened leaves
    /// the app usable, with the problem shown.
    pub fn open(path: Option<PathBuf>) -> Records {
        let mut records = Records {
            path: path.clone(),
            ..default()
        };
        if let Some(path) = path {
            match Store::open(&path) {
                Ok(mut store) => {
                    // Statements left unsent last time go now, in the background (only when
                    // a learning record store is configured).
                    match LrsConfig::for_database(&path) {
                        Err(e) => warn!("learning record store: nothing is sent: {e}"),
                        Ok(Some(cfg)) => {
                            if let Some(w) = cfg.plain_http_warning() {
                                warn!("{w}");
                            }
                        }
                        Ok(None) => {}
                    }
                    let courier = Courier::new(path.clone());
                    if let Err(e) = flush_at_start(&mut store, &courier) {
                        warn!("learning record store: {e}");
                    }
                    records.store = Some(Mutex::new(store));
                    records.courier = Some(courier);
                }
                Err(e) => records.problem = Some(format!("Attempts are not being saved: {e}")),
            }
        }
        records
    }

    fn with_store<T>(
        &mut self,
        what: &str,
        f: impl FnOnce(&mut Store) -> Result<T, String>,
    ) -> Option<T> {
        let store = self.store.as_ref()?;
        let mut store = store.lock().unwrap_or_else(|p| p.into_inner());
        match f(&mut store) {
            Ok(v) => Some(v),
            Err(e) => {
                drop(store);
                warn!("records: could not {what}: {e}");
                self.problem = Some(format!("Could not {what}: {e}"));
                None
            }
        }
    }

    /// The practising learner's latest finished attempt of the scenario `id`.
    pub fn latest_finished(&mut self, id: &str) -> Option<AttemptResult> {
        let learner = self.practice_learner.clone();
        self.with_store("read earlier attempts", |s| {
            Ok(s.results()?
                .into_iter()
                .rfind(|r| r.scenario.id == id && r.learner == learner))
        })
        .flatten()
    }

    /// The scenarios the practising learner has passed a session of, by id.
    pub fn passed_scenarios(&mut self) -> Vec<String> {
        let learner = self.practice_learner.clone();
        let mut passed: Vec<String> = self
            .with_store("read earlier attempts", |s| {
                s.finished_attempts_of(learner.as_deref())
            })
            .unwrap_or_default()
            .into_iter()
            .filter(|a| a.passed)
            .map(|a| a.scenario_id)
            .collect();
        passed.sort();
        passed.dedup();
        passed
    }

    /// Re-reads what is unfinished.
    pub fn refresh(&mut self) {
        let listed = self.with_store("list unfinished attempts", |s| {
            let sittings = s.open_sittings()?;
            let mut loose = Vec::new();
            let mut inside = Vec::new();
            for u in s.unfinished()? {
                match s.sitting_of(&u.id)? {
                    Some((sitting, _)) => inside.push((sitting, u)),
                    None => loose.push(u),
                }
            }
            Ok((loose, sittings, inside))
        });
        if let Some((loose, sittings, inside)) = listed {
            self.unfinished = loose;
            self.open_sittings = sittings;
            self.in_sittings = inside;
        }
    }

    pub fn is_recording(&self) -> bool {
        self.recording.is_some()
    }

    /// Begins recording a new attempt of `run`, as part of a sitting when `sitting` is
    /// given, continuing the earlier session `continues` when it began where that one left
    /// the client.
    pub fn begin(
        &mut self,
        run: &PracticeRun,
        content_hash: &str,
        learner: Option<&str>,
        sitting: Option<(&Sitting, usize)>,
        continues: Option<Continued>,
    ) {
        let plan = AttemptPlan {
            file: run.path.rsplit('/').next().unwrap_or(&run.path).to_string(),
            content_hash: content_hash.to_string(),
            mode: run.run.mode,
            learner: learner.map(str::to_string),
            pack: sitting.map(|(s, position)| s.pack_ref(position)),
            played: self.played,
            continues,
        };
        let started_at = crate::records::clock::now_rfc3339();
        let session = &run.run.branches[0].session;
        self.recording = self.with_store("start recording the attempt", |s| {
            OpenAttempt::begin(s, session, plan, started_at)
        });
        self.branches = self.recording.as_ref().map(BranchBook::of);
        self.send();
    }

    /// Begins recording a practice attempt under the practising learner's name; `continues`
    /// is the earlier session it began from, when it continues one (`app::series`).
    pub fn begin_practice(
        &mut self,
        run: &PracticeRun,
        content_hash: &str,
        continues: Option<Continued>,
    ) {
        let learner = self.practice_learner.clone();
        self.begin(run, content_hash, learner.as_deref(), None, continues);
    }

    /// Carries on recording a resumed attempt whose saved turns are its choices.
    pub fn resume(&mut self, u: &Unfinished, pack: Option<PackRef>) {
        self.recording = Some(OpenAttempt::resumed(u, pack, self.played));
        self.branches = self.recording.as_ref().map(BranchBook::of);
    }

    /// Saves the first branch's new turns; when it has ended, or `closing` says the
    /// session is over, seals the attempt and returns its result.
    pub fn sync(&mut self, run: &PracticeRun, closing: bool) -> Option<Finished> {
        self.save_ended_branches(run);
        let mut rec = self.recording.take()?;
        let session = &run.run.branches[0].session;
        let saved = self.with_store("save the turn", |s| rec.save_turns(s, session));
        if saved.is_none() {
            // Keep trying the unsaved turns with the next move.
            self.recording = Some(rec);
            return None;
        }
        if saved != Some(0) {
            // Each turn's statement goes as it is played, so the store's own times show
            // the session as it happened.
            self.send();
        }
        if session.ended().is_none() && !closing {
            self.recording = Some(rec);
            return None;
        }
        let finished = self.with_store("save the result", |s| rec.finish(s, session))?;
        self.send();
        Some(finished)
    }

    /// Saves each later branch that has been played to its end and is not saved yet, as an
    /// attempt of its own with all its turns (those before the rewind included), so a
    /// better branch counts towards the learner's best like any attempt.
    fn save_ended_branches(&mut self, run: &PracticeRun) {
        let Some(book) = self.branches.clone() else {
            return;
        };
        for (index, branch) in run.run.branches.iter().enumerate().skip(1) {
            if branch.session.ended().is_none() || book.saved.contains(&index) {
                continue;
            }
            // The branch's first turns were played from the run's start, not now.
            let saved = self.with_store("save the branch as an attempt", |s| {
                record_whole(
                    s,
                    &branch.session,
                    book.plan.clone(),
                    book.started_at.clone(),
                )
            });
            if saved.is_some() {
                self.send();
                if let Some(book) = self.branches.as_mut() {
                    book.saved.push(index);
                }
            }
        }
    }

    /// Sends the queued statements from a background thread, when a learning record store
    /// is configured (they were queued as each part of the attempt was saved).
    fn send(&self) {
        if let Some(courier) = &self.courier {
            courier.nudge();
        }
    }

    /// The scenario file changed under a practice attempt (an author editing it): the
    /// attempt is now of the new content, so it is recorded afresh under the new hash.
    pub fn restart(&mut self, run: &PracticeRun, content_hash: &str) {
        let Some(rec) = self.recording.take() else {
            return;
        };
        let old = rec.id.clone();
        self.with_store("replace the edited attempt", |s| s.discard_unfinished(&old));
        let continues = rec.plan.continues.clone();
        self.begin(
            run,
            content_hash,
            rec.plan.learner.as_deref(),
            None,
            continues,
        );
    }

    /// Stops recording without sealing: the attempt stays unfinished, to be resumed.
    pub fn abandon(&mut self) {
        self.recording = None;
    }

    /// Drops an unfinished practice attempt the trainee does not want to resume.
    pub fn discard(&mut self, attempt: &str) {
        let id = attempt.to_string();
        self.with_store("discard the attempt", |s| s.discard_unfinished(&id));
        self.refresh();
    }

    pub fn begin_sitting(&mut self, sitting: &Sitting) -> bool {
        self.with_store("start the assessment", |s| s.begin_sitting(sitting))
            .is_some()
    }

    pub fn finish_sitting(&mut self, sitting: &str) {
        let id = sitting.to_string();
        let now = crate::records::clock::now_rfc3339();
        self.with_store("close the assessment", |s| s.finish_sitting(&id, &now));
    }

    /// The unfinished attempt of a sitting, if one was interrupted mid-session.
    pub fn unfinished_in(&mut self, sitting: &str) -> Option<(Unfinished, usize)> {
        let id = sitting.to_string();
        self.with_store("read the interrupted session", |s| {
            for u in s.unfinished()? {
                if let Some((sid, position)) = s.sitting_of(&u.id)?
                    && sid == id
                {
                    return Ok(Some((u, position)));
                }
            }
            Ok(None)
        })
        .flatten()
    }

    /// A finished attempt's sealed result.
    pub fn result_of(&mut self, attempt: &str) -> Option<AttemptResult> {
        let id = attempt.to_string();
        self.with_store("read the attempt", |s| s.result_of(&id))
            .flatten()
    }

    /// Saves the class's votes on a move under the attempt being recorded (the run's first
    /// branch), in its own transaction, before the move is played; a problem with the
    /// database is shown like any other. With no attempt being recorded (the first branch
    /// already sealed, a later branch played, or no database) there is nothing to keep them
    /// with: they stay on the debrief only.
    pub fn save_class_round(&mut self, round: &ClassRound) {
        let Some(id) = self.recording.as_ref().map(|r| r.id.clone()) else {
            info!(
                "records: the class's votes on turn {} are not saved: no attempt is being recorded",
                round.turn
            );
            return;
        };
        self.class_attempt = Some(id.clone());
        self.with_store("save the class's votes", |s| s.save_class_round(&id, round));
    }

    /// The class's votes saved with an attempt, in turn order (none when the class did
    /// not vote).
    pub fn class_rounds(&mut self, attempt: &str) -> Vec<ClassRound> {
        let id = attempt.to_string();
        let rounds = self
            .with_store("read the class's votes", |s| s.class_rounds(&id))
            .unwrap_or_default();
        self.class_attempt = (!rounds.is_empty()).then_some(id);
        rounds
    }

    /// The practising learner's best finished score on each scenario.
    pub fn best_scores(&mut self) -> std::collections::HashMap<String, f64> {
        let learner = self.practice_learner.clone();
        self.with_store("read past scores", |s| s.best_scores_of(learner.as_deref()))
            .unwrap_or_default()
    }

    /// The learner profiles' names, in the order they were made.
    pub fn learners(&mut self) -> Vec<String> {
        self.with_store("list the learners", |s| s.learners())
            .unwrap_or_default()
            .into_iter()
            .map(|l| l.name)
            .collect()
    }

    /// The practising learner's drill results as the course's mastery reads them: one per
    /// skill each answer showed, oldest first.
    pub fn drill_results(&mut self) -> Vec<crate::course::DrillResult> {
        let learner = self.practice_learner.clone();
        self.with_store("read your drills", |s| s.drill_results(learner.as_deref()))
            .unwrap_or_default()
            .into_iter()
            .flat_map(|r| {
                let at = r.answered_unix;
                r.skills
                    .into_iter()
                    .map(move |(skill, value)| crate::course::DrillResult { skill, value, at })
            })
            .collect()
    }

    /// Keeps a drill's answer under the practising learner: the move, its fit and the
    /// evidence of each skill the drill trains (`results`).
    pub fn record_drill(
        &mut self,
        drill: &str,
        scenario: &str,
        seed: u64,
        answer: &crate::course::DrillAnswer,
        results: &[crate::course::DrillResult],
        at: u64,
    ) {
        let result = crate::records::DrillResult {
            learner: self.practice_learner.clone(),
            drill_id: drill.to_string(),
            scenario_id: scenario.to_string(),
            choice: answer.choice.clone(),
            fit: answer.fit.score,
            skills: results.iter().map(|r| (r.skill, r.value)).collect(),
            answered_unix: at,
            seed,
        };
        self.with_store("keep your drill answer", |s| {
            s.record_drill(&result).map(|_| ())
        });
    }

    /// Makes `name` a profile when it is not one yet.
    pub fn add_learner(&mut self, name: &str) {
        self.with_store("add the learner", |s| s.add_learner(name).map(|_| ()));
    }

    /// The practising learner's progress; `scenario_of` finds a scenario by content hash.
    pub fn progress(
        &mut self,
        scenario_of: impl Fn(&str) -> Option<std::sync::Arc<crate::engine::PreparedScenario>>,
    ) -> Option<crate::records::progress::Progress> {
        let learner = self.practice_learner.clone();
        self.with_store("read your progress", |s| {
            crate::records::progress::progress_of(s, learner.as_deref(), scenario_of)
        })
    }
}

impl BranchBook {
    fn of(rec: &OpenAttempt) -> BranchBook {
        BranchBook {
            // Branches are practice (an assessment has no rewind): never a pack's client.
            plan: AttemptPlan {
                pack: None,
                ..rec.plan.clone()
            },
            started_at: rec.started_at.clone(),
            saved: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::engine::{BranchedSession, PreparedScenario};
    use crate::model::{Catalogue, Mode};
    use crate::records::{HashedLibrary, Verdict, content_hash, verify_result};
    use crate::scenario::Choice;
    use crate::scoring::ScoringConfig;

    fn dan_file() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/dan-mandated-anger.ron")
    }

    fn dan() -> (Arc<PreparedScenario>, String) {
        let bytes = std::fs::read(dan_file()).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        let prepared = PreparedScenario::from_text(
            "dan-mandated-anger.ron",
            &text,
            &Catalogue::builtin(),
            &ScoringConfig::builtin(),
        )
        .unwrap();
        (prepared, content_hash(&bytes))
    }

    fn expert() -> Vec<Choice> {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(root.join("tests/scripts/dan-expert.ron")).unwrap();
        let prepared = dan().0;
        let known: Vec<&str> = prepared.techniques.iter().map(|t| t.id.as_str()).collect();
        crate::scenario::parse_script("dan-expert.ron", &text, &known).unwrap()
    }

    fn fresh_records(name: &str, learner: Option<&str>) -> Records {
        let dir = std::env::temp_dir().join(format!("attune-best-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut records = Records::open(Some(dir.join("records.sqlite")));
        assert!(records.problem.is_none(), "{:?}", records.problem);
        records.practice_learner = learner.map(str::to_string);
        records
    }

    /// Plays `choices` on the current branch until it ends, saving as the app does.
    fn play(records: &mut Records, run: &mut PracticeRun, choices: impl Iterator<Item = Choice>) {
        for choice in choices {
            if run.run.session().ended().is_some() {
                break;
            }
            run.run.play(&choice).unwrap();
            records.sync(run, false);
        }
    }

    /// A practice session of Dan played poorly, as a learner would begin one.
    fn poor_session(records: &mut Records) -> PracticeRun {
        let (prepared, hash) = dan();
        let mut run = PracticeRun {
            path: "scenarios/dan-mandated-anger.ron".into(),
            run: BranchedSession::new(prepared, 7, Mode::Practice),
        };
        records.begin_practice(&run, &hash, None);
        play(
            records,
            &mut run,
            std::iter::repeat_n(Choice::new("confrontation"), 40),
        );
        assert!(run.run.session().ended().is_some());
        run
    }

    fn finished(records: &Records) -> Vec<AttemptResult> {
        let store = records.store.as_ref().unwrap().lock().unwrap();
        store.results().unwrap()
    }

    #[test]
    fn a_branch_played_to_its_end_is_an_attempt_and_counts_as_the_best() {
        let mut records = fresh_records("branch", Some("Ann Lee"));
        let mut run = poor_session(&mut records);
        let poor = run.run.session().summary().overall;
        assert_eq!(
            finished(&records).len(),
            1,
            "the first way through is sealed"
        );

        // "Try turn 1 again", then the expert's way from there to the end.
        run.run.rewind(1);
        let rest = expert().into_iter().skip(1);
        play(&mut records, &mut run, rest);
        let better = run.run.session().summary().overall;
        assert!(better > poor + 20.0, "{better} against {poor}");

        let results = finished(&records);
        assert_eq!(
            results.len(),
            2,
            "the branch is saved as an attempt of its own"
        );
        let branch = &results[1];
        assert_eq!(branch.learner.as_deref(), Some("Ann Lee"));
        assert_eq!(branch.choices.len(), run.run.session().turns().len());
        assert_eq!(branch.choices[0].technique, "confrontation");
        let best = records.best_scores();
        assert!((best["dan-mandated-anger"] - f64::from(better)).abs() < 1e-3);

        // It is a whole attempt: replayed from its seed and choices, it verifies.
        let library = HashedLibrary::scan(&[dan_file()]);
        assert_eq!(
            verify_result(&branch.to_json(), &library),
            Verdict::Verified
        );

        // Saving again (the next move, leaving) does not save it twice.
        records.sync(&run, true);
        assert_eq!(finished(&records).len(), 2);
    }

    #[test]
    fn your_best_is_the_practising_learners_own() {
        let mut records = fresh_records("learners", None);
        // Ben plays Dan well; Ann and someone unnamed play poorly.
        records.practice_learner = Some("Ben".into());
        let mut run = poor_session(&mut records);
        run.run.rewind(0);
        play(&mut records, &mut run, expert().into_iter());
        let ben = run.run.session().summary().overall;
        records.practice_learner = Some("Ann".into());
        let ann = poor_session(&mut records).run.session().summary().overall;
        records.practice_learner = None;
        let unnamed = poor_session(&mut records).run.session().summary().overall;
        assert!(ben > ann + 20.0);

        for (learner, expected) in [(Some("Ben"), ben), (Some("Ann"), ann), (None, unnamed)] {
            records.practice_learner = learner.map(str::to_string);
            let best = records.best_scores();
            assert!(
                (best["dan-mandated-anger"] - f64::from(expected)).abs() < 1e-3,
                "{learner:?}: {best:?}, expected {expected}"
            );
        }
        records.practice_learner = Some("Cleo".into());
        assert!(records.best_scores().is_empty(), "no attempts, no best");
    }

    #[test]
    fn the_class_votes_are_kept_with_the_attempt_being_recorded_and_only_then() {
        let mut records = fresh_records("class", None);
        let round = ClassRound {
            turn: 1,
            voters: 2,
            options: vec![crate::analysis::VotedMove {
                choice: Choice::new("open_question"),
                votes: 2,
            }],
        };
        // Nothing being recorded: nothing saved, and no problem to show.
        records.save_class_round(&round);
        assert_eq!(records.problem, None);
        assert_eq!(records.class_attempt, None);

        let (prepared, hash) = dan();
        let run = PracticeRun {
            path: "scenarios/dan-mandated-anger.ron".into(),
            run: BranchedSession::new(prepared, 7, Mode::Practice),
        };
        records.begin_practice(&run, &hash, None);
        records.save_class_round(&round);
        assert_eq!(records.problem, None);
        let id = records
            .class_attempt
            .clone()
            .expect("saved under the attempt");
        assert_eq!(
            records.recording.as_ref().map(|r| r.id.as_str()),
            Some(id.as_str())
        );
        assert_eq!(records.class_rounds(&id), vec![round]);
        assert!(records.class_rounds("another").is_empty());
    }
}
