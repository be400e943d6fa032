//! The app's side of the records database: each attempt begins when a session starts,
//! each turn of its first branch is saved the moment it is played, and the sealed result
//! is written when the session ends. Attempts and sittings left unfinished by a crash are
//! listed for the library screen to offer again.

use std::path::PathBuf;
use std::sync::Mutex;

use bevy::prelude::*;

use super::flow::PracticeRun;
use crate::assessment::{PackRef, Sitting};
use crate::engine::Mode;
use crate::records::{AttemptResult, NewAttempt, Store, Unfinished};

/// The attempt being recorded.
#[derive(Clone, Debug)]
struct Recording {
    attempt: String,
    /// Turns of the first branch already saved.
    saved: usize,
    file: String,
    content_hash: String,
    mode: Mode,
    learner: Option<String>,
    started_at: String,
    pack: Option<PackRef>,
}

#[derive(Resource, Default)]
pub struct Records {
    store: Option<Mutex<Store>>,
    /// Where the database is; none when the app runs without records (some tests).
    pub path: Option<PathBuf>,
    /// The last problem with the database, shown to the trainee: nothing is saved silently
    /// wrong.
    pub problem: Option<String>,
    recording: Option<Recording>,
    /// Attempts begun and never finished, outside any sitting; refreshed on the library.
    pub unfinished: Vec<Unfinished>,
    /// Sittings begun and never finished.
    pub open_sittings: Vec<Sitting>,
    /// Attempts interrupted inside an open sitting, with the sitting's id.
    pub in_sittings: Vec<(String, Unfinished)>,
}

/// What a finished recording produced.
pub struct Finished {
    pub attempt: String,
    pub result: AttemptResult,
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
                Ok(store) => {
                    records.store = Some(Mutex::new(store));
                    // Statements left unsent last time go now, in the background (only when
                    // a learning record store is configured).
                    if let Err(e) = crate::records::xapi::flush_in_background(&path) {
                        warn!("learning record store: {e}");
                    }
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

    /// Begins recording a new attempt of `run`, as part of a sitting when `sitting` is given.
    pub fn begin(
        &mut self,
        run: &PracticeRun,
        content_hash: &str,
        learner: Option<&str>,
        sitting: Option<(&Sitting, usize)>,
    ) {
        let session = &run.run.branches[0].session;
        let scenario_id = session.prepared().scenario.meta.id.clone();
        let file = run.path.rsplit('/').next().unwrap_or(&run.path).to_string();
        let started_at = crate::records::clock::now_rfc3339();
        let new = NewAttempt {
            scenario_id: &scenario_id,
            scenario_file: &file,
            content_hash,
            seed: session.seed(),
            mode: run.run.mode,
            learner,
            started_at: &started_at,
        };
        let id = self.with_store("start recording the attempt", |s| match sitting {
            Some((sitting, position)) => s.begin_in_sitting(&new, &sitting.id, position),
            None => s.begin(&new),
        });
        self.recording = id.map(|attempt| Recording {
            attempt,
            saved: 0,
            file,
            content_hash: content_hash.to_string(),
            mode: run.run.mode,
            learner: learner.map(str::to_string),
            started_at,
            pack: sitting.map(|(s, position)| s.pack_ref(position)),
        });
    }

    /// Carries on recording a resumed attempt whose first `saved` turns are in the database.
    pub fn resume(&mut self, u: &Unfinished, pack: Option<PackRef>) {
        self.recording = Some(Recording {
            attempt: u.id.clone(),
            saved: u.choices.len(),
            file: u.scenario_file.clone(),
            content_hash: u.content_hash.clone(),
            mode: u.mode,
            learner: u.learner.clone(),
            started_at: u.started_at.clone(),
            pack,
        });
    }

    /// Saves the first branch's new turns; when it has ended, or `closing` says the
    /// session is over, seals the attempt and returns its result.
    pub fn sync(&mut self, run: &PracticeRun, closing: bool) -> Option<Finished> {
        let mut rec = self.recording.take()?;
        let session = &run.run.branches[0].session;
        let new_turns = &session.turns()[rec.saved.min(session.turns().len())..];
        for turn in new_turns {
            let attempt = rec.attempt.clone();
            if self
                .with_store("save the turn", |s| s.record_turn(&attempt, turn))
                .is_none()
            {
                // Keep trying the unsaved turns with the next move.
                self.recording = Some(rec);
                return None;
            }
            rec.saved += 1;
        }
        if session.ended().is_none() && !closing {
            self.recording = Some(rec);
            return None;
        }
        let mut result = AttemptResult::of(
            session,
            &rec.file,
            rec.content_hash.clone(),
            rec.mode,
            rec.learner.clone(),
            rec.started_at.clone(),
        );
        if let Some(pack) = rec.pack.clone() {
            result = result.in_pack(pack);
        }
        let attempt = rec.attempt.clone();
        self.with_store("save the result", |s| s.finish(&attempt, &result))?;
        self.send(&attempt, &result);
        Some(Finished { attempt, result })
    }

    /// Queues the attempt's xAPI statements and sends them from a background thread, when
    /// a learning record store is configured; unsent statements wait in the database.
    fn send(&mut self, attempt: &str, result: &AttemptResult) {
        let Some(path) = self.path.clone() else {
            return;
        };
        let queued = self.with_store("queue the statements for the learning record store", |s| {
            crate::records::xapi::queue_and_deliver_in_background(s, &path, attempt, result)
        });
        if let Some(Some(_sending)) = queued {
            info!("sending attempt {attempt} to the learning record store");
        }
    }

    /// The scenario file changed under a practice attempt (an author editing it): the
    /// attempt is now of the new content, so it is recorded afresh under the new hash.
    pub fn restart(&mut self, run: &PracticeRun, content_hash: &str) {
        let Some(rec) = self.recording.take() else {
            return;
        };
        let old = rec.attempt.clone();
        self.with_store("replace the edited attempt", |s| s.discard_unfinished(&old));
        self.begin(run, content_hash, rec.learner.as_deref(), None);
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

    /// Each scenario's best finished score.
    pub fn best_scores(&mut self) -> std::collections::HashMap<String, f64> {
        self.with_store("read past scores", |s| s.best_scores())
            .unwrap_or_default()
    }
}
