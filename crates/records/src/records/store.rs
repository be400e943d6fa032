//! The records database: every attempt and each turn as it is played, in SQLite in the
//! user's data folder. Each turn is its own transaction in write-ahead-log mode with full
//! syncs, so a killed process loses nothing that was reported as saved, and a half-played
//! attempt can be resumed from its recorded choices.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use super::continued::Continued;
use super::result::AttemptResult;
use super::xapi::outbox;
use super::xapi::statements::Role;
use attune_core::model::Mode;
use attune_core::scenario::Choice;
use attune_core::scoring::TurnOutcome;

/// The schema's version, kept in SQLite's `user_version`. 2 added the xAPI outbox; 3 made
/// its rows intents (statements built when sent) queued with what they describe, and keeps
/// each attempt's scenario title for them; 4 added the class's votes (`class_rounds`); 5
/// added learner profiles (`learners`) and drill answers (`drill_results`); 6 added each
/// attempt's `continues` (the earlier session a continued attempt began from, as JSON),
/// without which it would be resumed from its file's start. Opening an older database
/// brings it up to date in place, in one transaction.
pub(super) const SCHEMA_VERSION: i64 = 6;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS attempts (
    id TEXT PRIMARY KEY,
    scenario_id TEXT NOT NULL,
    scenario_title TEXT,
    scenario_file TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    seed INTEGER NOT NULL,
    mode TEXT NOT NULL,
    learner TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    overall REAL,
    passed INTEGER,
    result_json TEXT
);
CREATE TABLE IF NOT EXISTS turns (
    attempt_id TEXT NOT NULL REFERENCES attempts(id),
    turn INTEGER NOT NULL,
    choice_json TEXT NOT NULL,
    technique TEXT NOT NULL,
    fit REAL NOT NULL,
    response_id TEXT NOT NULL,
    client_line TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (attempt_id, turn)
);
";

pub struct Store {
    pub(super) conn: Connection,
}

/// Why the records database did not open, each naming the file. A caller that must act
/// on one (update Attune, rescue the records to another disk) tells them apart here.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// Its folder or file could not be made (a read-only or full disk, no permission); the
    /// message names which.
    #[error("{0}")]
    Create(String),
    /// The file system's answer about the database or a file beside it.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Something other than a file where the database should be.
    #[error("{}: not a records database: it is not a file", path.display())]
    NotAFile { path: PathBuf },
    /// SQLite's answer: a damaged or foreign file, a locked database, a read-only disk.
    #[error("{}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        #[source]
        source: Box<rusqlite::Error>,
    },
    /// Its last turns are in the -wal, which SQLite reads only beside a -shm that it cannot
    /// make here (a read-only copy that left the -shm behind).
    #[error(
        "{}: {source}; its last turns are in {}, which SQLite reads only beside a {} file, and there is none: copy the data folder to a writable disk and set ATTUNE_DATA_DIR to the copy",
        path.display(),
        wal.display(),
        shm.display()
    )]
    NeedsShm {
        path: PathBuf,
        wal: PathBuf,
        shm: PathBuf,
        #[source]
        source: Box<rusqlite::Error>,
    },
    /// Written by a newer Attune, whose schema this one does not know.
    #[error("{} was written by a newer Attune (schema {version}); update Attune to open it", path.display())]
    Newer { path: PathBuf, version: i64 },
    /// A SQLite database, but not Attune's records.
    #[error("{}: not an Attune records database (it has no attempts table)", path.display())]
    NotRecords { path: PathBuf },
    /// Its tables could not be made or brought up to date.
    #[error("{}: {message}", path.display())]
    Tables { path: PathBuf, message: String },
}

impl OpenError {
    pub(super) fn sqlite(path: &Path, source: rusqlite::Error) -> OpenError {
        OpenError::Sqlite {
            path: path.to_path_buf(),
            source: Box::new(source),
        }
    }
}

/// What is known when an attempt begins.
#[derive(Clone, Debug)]
pub struct NewAttempt<'a> {
    pub scenario_id: &'a str,
    pub scenario_title: &'a str,
    pub scenario_file: &'a str,
    pub content_hash: &'a str,
    pub seed: u64,
    pub mode: Mode,
    pub learner: Option<&'a str>,
    pub started_at: &'a str,
    /// The earlier session it continues, when it does.
    pub continues: Option<&'a Continued>,
}

/// Inserts a new attempt row and queues its `initialized` statement; returns its id (a
/// random UUID). A practising learner named for the first time becomes a profile. Called inside a transaction.
pub(super) fn insert_attempt(conn: &Connection, a: &NewAttempt) -> Result<String, String> {
    let id = uuid::Uuid::new_v4().to_string();
    let continues = a
        .continues
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| e.to_string())?;
    conn.execute(
        "INSERT INTO attempts (id, scenario_id, scenario_title, scenario_file, content_hash, seed, mode, learner, started_at, continues_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![id, a.scenario_id, a.scenario_title, a.scenario_file, a.content_hash, a.seed as i64, mode_name(a.mode), a.learner, a.started_at, continues],
    )
    .map_err(|e| e.to_string())?;
    // A practice attempt's learner becomes a profile; an assessment's name or id does not.
    if let (Some(name), Mode::Practice) = (a.learner, a.mode) {
        super::learners::ensure(conn, name)?;
    }
    outbox::queue(conn, &id, &[Role::Initialized])?;
    Ok(id)
}

/// Brings the tables up to this version: creates what is missing and migrates in place.
fn create_or_migrate(conn: &Connection) -> Result<(), String> {
    conn.execute_batch(SCHEMA).map_err(|e| e.to_string())?;
    let has_title: bool = conn
        .query_row(
            "SELECT 1 FROM pragma_table_info('attempts') WHERE name = 'scenario_title'",
            [],
            |_| Ok(()),
        )
        .optional()
        .map_err(|e| e.to_string())?
        .is_some();
    if !has_title {
        // Version 2 and older: finished attempts have their title in the sealed result.
        conn.execute_batch(
            "ALTER TABLE attempts ADD COLUMN scenario_title TEXT;
             UPDATE attempts SET scenario_title = json_extract(result_json, '$.scenario.title') WHERE result_json IS NOT NULL;",
        )
        .map_err(|e| e.to_string())?;
    }
    add_continues_column(conn)?;
    super::sittings::create_tables(conn)?;
    outbox::create_tables(conn)?;
    super::class_rounds::create_tables(conn)?;
    super::learners::create_tables(conn)?;
    super::drill_results::create_tables(conn)?;
    conn.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(|e| e.to_string())
}

/// Whether the database has the table `name`: one from before the table, opened read-only,
/// does not.
pub(super) fn has_table(conn: &Connection, name: &str) -> Result<bool, String> {
    conn.query_row(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [name],
        |_| Ok(()),
    )
    .optional()
    .map(|o| o.is_some())
    .map_err(|e| e.to_string())
}

/// Version 6: each attempt's `continues_json`, null for one that began as its file says
/// (every attempt recorded before).
fn add_continues_column(conn: &Connection) -> Result<(), String> {
    let has: bool = conn
        .query_row(
            "SELECT 1 FROM pragma_table_info('attempts') WHERE name = 'continues_json'",
            [],
            |_| Ok(()),
        )
        .optional()
        .map_err(|e| e.to_string())?
        .is_some();
    if has {
        return Ok(());
    }
    conn.execute_batch("ALTER TABLE attempts ADD COLUMN continues_json TEXT;")
        .map_err(|e| e.to_string())
}

/// An attempt begun and not finished: enough to replay it to where it stopped.
#[derive(Clone, Debug, PartialEq)]
pub struct Unfinished {
    pub id: String,
    pub scenario_id: String,
    pub scenario_file: String,
    pub content_hash: String,
    pub seed: u64,
    pub mode: Mode,
    pub learner: Option<String>,
    pub started_at: String,
    pub choices: Vec<Choice>,
    /// The earlier session it continues, when it does.
    pub continues: Option<Continued>,
}

/// The attempts a best score is taken from: finished, scored, and played to an end (the
/// turn limit, the client leaving, a crisis), not ended early by the trainee, whose summary's
/// `end` is null: one fitting move and a stop would otherwise outrank a whole session.
const PLAYED_OUT: &str = "finished_at IS NOT NULL AND overall IS NOT NULL \
    AND json_extract(result_json, '$.summary.end') IS NOT NULL";

/// The default database: `$ATTUNE_DATA_DIR/records.sqlite`, else under
/// `$XDG_DATA_HOME/attune` or `~/.local/share/attune`.
pub fn default_path() -> Option<PathBuf> {
    let dir = if let Some(d) = std::env::var_os("ATTUNE_DATA_DIR") {
        PathBuf::from(d)
    } else if let Some(d) = std::env::var_os("XDG_DATA_HOME") {
        PathBuf::from(d).join("attune")
    } else {
        PathBuf::from(std::env::var_os("HOME")?).join(".local/share/attune")
    };
    Some(dir.join("records.sqlite"))
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Practice => "practice",
        Mode::Assessment => "assessment",
    }
}

impl Store {
    /// Opens the database to record in it, creating it (and its folder) when there is
    /// none, and bringing an older one up to date. Commands that only read use
    /// `open_read_only` instead, which works on a read-only or full disk.
    pub fn open(path: &Path) -> Result<Store, OpenError> {
        // Records are private: the folder is made 0700 and the database 0600 before SQLite
        // opens it, since SQLite gives its -wal and -shm files the database's own mode.
        if let Some(dir) = path.parent() {
            attune_core::save::create_private_dir(dir).map_err(OpenError::Create)?;
        }
        attune_core::save::create_private_file(path).map_err(OpenError::Create)?;
        let conn = Connection::open(path).map_err(|e| OpenError::sqlite(path, e))?;
        Store::set_up(conn, path)
    }

    /// Settings, checks and tables for a connection just opened for writing. Every error
    /// names the database ("attempt to write a readonly database" alone does not say which).
    pub(super) fn set_up(mut conn: Connection, path: &Path) -> Result<Store, OpenError> {
        let sqlite = |e| OpenError::sqlite(path, e);
        // WAL with full syncs: a committed turn survives a killed process or a power cut.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sqlite)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sqlite)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(sqlite)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(sqlite)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(sqlite)?;
        if version > SCHEMA_VERSION {
            return Err(OpenError::Newer {
                path: path.to_path_buf(),
                version,
            });
        }
        // Immediate: it reads the schema, then writes; see `outbox::write_transaction`.
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sqlite)?;
        create_or_migrate(&tx).map_err(|message| OpenError::Tables {
            path: path.to_path_buf(),
            message,
        })?;
        tx.commit().map_err(sqlite)?;
        Ok(Store { conn })
    }

    /// Records the start of an attempt, with its `initialized` statement queued in the same
    /// transaction, and returns its id (a random UUID).
    pub fn begin(&mut self, attempt: &NewAttempt) -> Result<String, String> {
        let tx = self.conn.transaction().map_err(|e| e.to_string())?;
        let id = insert_attempt(&tx, attempt)?;
        tx.commit().map_err(|e| e.to_string())?;
        Ok(id)
    }

    /// Saves one turn, in its own transaction, as soon as it is played, with its `answered`
    /// statement queued in the same transaction.
    pub fn record_turn(&mut self, attempt: &str, t: &TurnOutcome) -> Result<(), String> {
        let tx = self.conn.transaction().map_err(|e| e.to_string())?;
        tx.execute(
            "INSERT INTO turns (attempt_id, turn, choice_json, technique, fit, response_id, client_line, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                attempt,
                t.turn,
                serde_json::to_string(&t.choice).map_err(|e| e.to_string())?,
                t.choice.technique,
                f64::from(t.fit.score),
                t.response_id,
                t.client_line,
                super::clock::now_rfc3339()
            ],
        )
        .map_err(|e| e.to_string())?;
        outbox::queue(&tx, attempt, &[Role::Answered(t.turn)])?;
        tx.commit().map_err(|e| e.to_string())
    }

    /// Closes an attempt with its sealed result. Its statements are queued in the same
    /// transaction (the closing ones, and any earlier one missing), so no moment exists at
    /// which the attempt is finished and its statements are not waiting to be sent.
    pub fn finish(&mut self, attempt: &str, result: &AttemptResult) -> Result<(), String> {
        let overall = result.summary["overall"].as_f64();
        let passed = result.summary["passed"].as_bool();
        let tx = self.conn.transaction().map_err(|e| e.to_string())?;
        let changed = tx
            .execute(
                "UPDATE attempts SET finished_at = ?2, overall = ?3, passed = ?4, result_json = ?5 WHERE id = ?1 AND finished_at IS NULL",
                params![attempt, result.finished_at, overall, passed, result.to_json()],
            )
            .map_err(|e| e.to_string())?;
        if changed != 1 {
            return Err(format!("attempt {attempt} is not open"));
        }
        outbox::queue_attempt(&tx, attempt)?;
        tx.commit().map_err(|e| e.to_string())
    }

    /// Attempts begun and never finished, newest first, with their recorded choices.
    pub fn unfinished(&self) -> Result<Vec<Unfinished>, String> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, scenario_id, scenario_file, content_hash, seed, mode, learner, started_at, continues_json FROM attempts WHERE finished_at IS NULL ORDER BY started_at DESC, rowid DESC")
            .map_err(|e| e.to_string())?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    Unfinished {
                        id: r.get(0)?,
                        scenario_id: r.get(1)?,
                        scenario_file: r.get(2)?,
                        content_hash: r.get(3)?,
                        seed: r.get::<_, i64>(4)? as u64,
                        mode: if r.get::<_, String>(5)? == "assessment" {
                            Mode::Assessment
                        } else {
                            Mode::Practice
                        },
                        learner: r.get(6)?,
                        started_at: r.get(7)?,
                        choices: Vec::new(),
                        continues: None,
                    },
                    r.get::<_, Option<String>>(8)?,
                ))
            })
            .map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        for row in rows {
            let (mut u, continues) = row.map_err(|e| e.to_string())?;
            u.choices = self.choices(&u.id)?;
            u.continues = continues
                .map(|j| serde_json::from_str(&j))
                .transpose()
                .map_err(|e| format!("attempt {}: its continued session: {e}", u.id))?;
            out.push(u);
        }
        Ok(out)
    }

    /// The choices recorded for an attempt, in turn order.
    pub fn choices(&self, attempt: &str) -> Result<Vec<Choice>, String> {
        let mut stmt = self
            .conn
            .prepare("SELECT choice_json FROM turns WHERE attempt_id = ?1 ORDER BY turn")
            .map_err(|e| e.to_string())?;
        let rows = stmt
            .query_map([attempt], |r| r.get::<_, String>(0))
            .map_err(|e| e.to_string())?;
        rows.map(|r| {
            r.map_err(|e| e.to_string())
                .and_then(|j| serde_json::from_str(&j).map_err(|e| e.to_string()))
        })
        .collect()
    }

    /// Every finished attempt's sealed result, oldest first.
    pub fn results(&self) -> Result<Vec<AttemptResult>, String> {
        self.result_texts()?
            .into_iter()
            .map(|(_, j)| serde_json::from_str(&j).map_err(|e| e.to_string()))
            .collect()
    }

    /// Every finished attempt's id and its result as the database holds it (JSON text, to
    /// be verified as it is), oldest first.
    pub fn result_texts(&self) -> Result<Vec<(String, String)>, String> {
        let mut stmt = self.conn.prepare("SELECT id, result_json FROM attempts WHERE result_json IS NOT NULL ORDER BY finished_at, rowid").map_err(|e| e.to_string())?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(|e| e.to_string())?;
        rows.map(|r| r.map_err(|e| e.to_string())).collect()
    }

    /// One finished attempt's sealed result.
    pub fn result_of(&self, attempt: &str) -> Result<Option<AttemptResult>, String> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT result_json FROM attempts WHERE id = ?1 AND result_json IS NOT NULL",
                [attempt],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| e.to_string())?;
        json.map(|j| serde_json::from_str(&j).map_err(|e| e.to_string()))
            .transpose()
    }

    /// One learner's best finished score on each scenario, by scenario id: the attempts
    /// saved under `learner`, or with no learner named when it is `None`.
    pub fn best_scores_of(
        &self,
        learner: Option<&str>,
    ) -> Result<std::collections::HashMap<String, f64>, String> {
        // `IS` rather than `=`: it also matches NULL to NULL (no learner named).
        let mut stmt = self.conn.prepare(&format!("SELECT scenario_id, MAX(overall) FROM attempts WHERE {PLAYED_OUT} AND learner IS ?1 GROUP BY scenario_id")).map_err(|e| e.to_string())?;
        let rows = stmt
            .query_map([learner], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, f64>(1)?))
            })
            .map_err(|e| e.to_string())?;
        rows.map(|r| r.map_err(|e| e.to_string())).collect()
    }

    /// Each scenario's best finished score over every learner, by scenario id.
    pub fn best_scores(&self) -> Result<std::collections::HashMap<String, f64>, String> {
        let mut stmt = self.conn.prepare(&format!("SELECT scenario_id, MAX(overall) FROM attempts WHERE {PLAYED_OUT} GROUP BY scenario_id")).map_err(|e| e.to_string())?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, f64>(1)?)))
            .map_err(|e| e.to_string())?;
        rows.map(|r| r.map_err(|e| e.to_string())).collect()
    }

    /// The id of an open attempt, if it exists.
    pub fn is_open(&self, attempt: &str) -> Result<bool, String> {
        self.conn
            .query_row(
                "SELECT 1 FROM attempts WHERE id = ?1 AND finished_at IS NULL",
                [attempt],
                |_| Ok(()),
            )
            .optional()
            .map(|o| o.is_some())
            .map_err(|e| e.to_string())
    }
}
