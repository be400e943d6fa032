//! A class's votes kept with the attempt they were cast on: one row per attempt and turn,
//! the round as JSON. Each save is its own transaction, like a turn, so a killed process
//! keeps every round it reported as saved; saving a turn again replaces its round (the
//! instructor's app saves a round when the move is played, and a turn is played once per
//! attempt, but a retry after a failed save must not fail on the row it half-wrote).

use rusqlite::{Connection, OptionalExtension, params};

use super::store::Store;
use attune_core::analysis::ClassRound;

const TABLES: &str = "
CREATE TABLE IF NOT EXISTS class_rounds (
    attempt_id TEXT NOT NULL REFERENCES attempts(id),
    turn INTEGER NOT NULL,
    round_json TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (attempt_id, turn)
);
";

/// Makes the table; an older database gains it when opened to record in.
pub(super) fn create_tables(conn: &Connection) -> Result<(), String> {
    conn.execute_batch(TABLES).map_err(|e| e.to_string())
}

/// Deletes an attempt's rounds (inside the transaction that discards the attempt).
pub(super) fn forget(conn: &Connection, attempt: &str) -> Result<(), String> {
    if !has_table(conn)? {
        return Ok(());
    }
    conn.execute("DELETE FROM class_rounds WHERE attempt_id = ?1", [attempt])
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Whether the database has the table: one from before it, opened read-only, does not.
fn has_table(conn: &Connection) -> Result<bool, String> {
    super::store::has_table(conn, "class_rounds")
}

impl Store {
    /// Saves the class's round at its turn of `attempt`, in its own transaction, replacing
    /// any round saved before at that turn. The attempt must exist.
    pub fn save_class_round(&mut self, attempt: &str, round: &ClassRound) -> Result<(), String> {
        let json = serde_json::to_string(round).map_err(|e| e.to_string())?;
        let tx = self.conn.transaction().map_err(|e| e.to_string())?;
        let known = tx
            .query_row(
                "SELECT 1 FROM attempts WHERE id = ?1",
                [attempt],
                |_| Ok(()),
            )
            .optional()
            .map_err(|e| e.to_string())?
            .is_some();
        if !known {
            return Err(format!(
                "no attempt {attempt} to keep the class's votes with"
            ));
        }
        tx.execute(
            "INSERT OR REPLACE INTO class_rounds (attempt_id, turn, round_json, recorded_at) VALUES (?1, ?2, ?3, ?4)",
            params![attempt, round.turn, json, super::clock::now_rfc3339()],
        )
        .map_err(|e| e.to_string())?;
        tx.commit().map_err(|e| e.to_string())
    }

    /// The class's rounds of `attempt`, in turn order; none when the class did not vote
    /// (or the database predates class votes).
    pub fn class_rounds(&self, attempt: &str) -> Result<Vec<ClassRound>, String> {
        if !has_table(&self.conn)? {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare(
                "SELECT turn, round_json FROM class_rounds WHERE attempt_id = ?1 ORDER BY turn",
            )
            .map_err(|e| e.to_string())?;
        let rows = stmt
            .query_map([attempt], |r| {
                Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(|e| e.to_string())?;
        rows.map(|r| {
            let (turn, json) = r.map_err(|e| e.to_string())?;
            serde_json::from_str(&json)
                .map_err(|e| format!("the class's votes at turn {turn} of {attempt}: {e}"))
        })
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use attune_core::analysis::VotedMove;
    use attune_core::engine::Session;
    use attune_core::model::Mode;
    use attune_core::scenario::Choice;

    use super::*;
    use crate::records::{AttemptPlan, OpenAttempt, Played};
    use crate::testing::dan;

    fn store(name: &str) -> (std::path::PathBuf, Store) {
        let dir = std::env::temp_dir().join(format!("attune-class-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("records.sqlite");
        let store = Store::open(&path).unwrap();
        (path, store)
    }

    fn begin(store: &mut Store) -> String {
        let (prepared, hash) = dan();
        let session = Session::new(Arc::clone(&prepared), 3);
        let plan = AttemptPlan {
            file: "dan-mandated-anger.ron".into(),
            content_hash: hash,
            mode: Mode::Practice,
            learner: None,
            pack: None,
            played: Played::Script,
            continues: None,
        };
        OpenAttempt::begin(store, &session, plan, "2026-12-06T12:00:00Z".into())
            .unwrap()
            .id
    }

    fn round(turn: u32, votes: &[(&str, usize)]) -> ClassRound {
        ClassRound {
            turn,
            voters: votes.iter().map(|(_, n)| n).sum(),
            options: votes
                .iter()
                .map(|(t, n)| VotedMove {
                    choice: Choice::new(t),
                    votes: *n,
                })
                .collect(),
        }
    }

    #[test]
    fn rounds_are_read_back_in_turn_order_and_a_resaved_turn_replaces_its_round() {
        let (path, mut store) = store("save");
        let id = begin(&mut store);
        let second = round(2, &[("open_question", 3)]);
        let first = round(1, &[("complex_reflection", 4), ("confrontation", 1)]);
        store.save_class_round(&id, &second).unwrap();
        store.save_class_round(&id, &first).unwrap();
        let again = round(2, &[("open_question", 2), ("simple_reflection", 2)]);
        store.save_class_round(&id, &again).unwrap();
        drop(store);
        // A new connection, as after a killed process: what was saved is there.
        let store = Store::open(&path).unwrap();
        assert_eq!(store.class_rounds(&id).unwrap(), vec![first, again]);
        assert!(store.class_rounds("someone-else").unwrap().is_empty());
    }

    #[test]
    fn a_round_needs_its_attempt_and_goes_with_it_when_discarded() {
        let (_, mut store) = store("discard");
        let err = store
            .save_class_round("nobody", &round(1, &[("open_question", 1)]))
            .unwrap_err();
        assert!(err.contains("no attempt nobody"), "{err}");
        let id = begin(&mut store);
        store
            .save_class_round(&id, &round(1, &[("open_question", 1)]))
            .unwrap();
        store.discard_unfinished(&id).unwrap();
        let left: i64 = store
            .conn
            .query_row("SELECT COUNT(*) FROM class_rounds", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0);
    }

    #[test]
    fn a_database_from_before_class_votes_gains_the_table_when_opened() {
        let (path, mut store) = store("old");
        let id = begin(&mut store);
        store
            .conn
            .execute_batch("DROP TABLE class_rounds; PRAGMA user_version = 3;")
            .unwrap();
        drop(store);
        // Read-only, the old database answers "no votes" rather than failing.
        let read = Store::open_read_only(&path).unwrap();
        assert!(read.class_rounds(&id).unwrap().is_empty());
        drop(read);
        let mut store = Store::open(&path).unwrap();
        let version: i64 = store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, super::super::store::SCHEMA_VERSION);
        let r = round(1, &[("open_question", 1)]);
        store.save_class_round(&id, &r).unwrap();
        assert_eq!(store.class_rounds(&id).unwrap(), vec![r]);
    }
}
