//! Sittings in the records database: a learner's go at an assessment pack, and which of
//! its attempts belong to it, so a sitting interrupted between or during clients can be
//! taken up again with the same learner, the same clock and the clients already done.

use rusqlite::{Connection, OptionalExtension, params};

use super::store::{NewAttempt, Store, insert_attempt};
use crate::assessment::{AssessmentPack, PackRef, Sitting, SittingItem};

const TABLES: &str = "
CREATE TABLE IF NOT EXISTS sittings (
    id TEXT PRIMARY KEY,
    pack_id TEXT NOT NULL,
    pack_file TEXT NOT NULL,
    pack_json TEXT NOT NULL,
    learner TEXT NOT NULL,
    started_unix INTEGER NOT NULL,
    finished_at TEXT
);
CREATE TABLE IF NOT EXISTS sitting_attempts (
    attempt_id TEXT PRIMARY KEY REFERENCES attempts(id),
    sitting_id TEXT NOT NULL REFERENCES sittings(id),
    position INTEGER NOT NULL
);
";

pub(super) fn create_tables(conn: &Connection) -> Result<(), String> {
    conn.execute_batch(TABLES).map_err(|e| e.to_string())
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

impl Store {
    /// Records that a learner has begun a pack.
    pub fn begin_sitting(&self, sitting: &Sitting) -> Result<(), String> {
        let pack_json = serde_json::to_string(&sitting.pack).map_err(err)?;
        self.conn
            .execute(
                "INSERT INTO sittings (id, pack_id, pack_file, pack_json, learner, started_unix) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![sitting.id, sitting.pack.id, sitting.pack_file, pack_json, sitting.learner, sitting.started_unix as i64],
            )
            .map_err(err)?;
        Ok(())
    }

    /// Begins an attempt as the `position`th client of a sitting, in one transaction.
    pub fn begin_in_sitting(
        &mut self,
        attempt: &NewAttempt,
        sitting: &str,
        position: usize,
    ) -> Result<String, String> {
        let tx = self.conn.transaction().map_err(err)?;
        let id = insert_attempt(&tx, attempt)?;
        tx.execute(
            "INSERT INTO sitting_attempts (attempt_id, sitting_id, position) VALUES (?1, ?2, ?3)",
            params![id, sitting, position as i64],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(id)
    }

    /// The sitting and position an attempt belongs to, if any.
    pub fn sitting_of(&self, attempt: &str) -> Result<Option<(String, usize)>, String> {
        self.conn
            .query_row(
                "SELECT sitting_id, position FROM sitting_attempts WHERE attempt_id = ?1",
                [attempt],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize)),
            )
            .optional()
            .map_err(err)
    }

    /// The pack an unfinished attempt was begun in, as its result is to name it, when it is
    /// a client of a sitting still open.
    pub fn pack_of(&self, attempt: &str) -> Result<Option<PackRef>, String> {
        let Some((sitting, position)) = self.sitting_of(attempt)? else {
            return Ok(None);
        };
        Ok(self
            .open_sittings()?
            .into_iter()
            .find(|s| s.id == sitting)
            .map(|s| s.pack_ref(position)))
    }

    pub fn finish_sitting(&self, sitting: &str, finished_at: &str) -> Result<(), String> {
        self.conn
            .execute(
                "UPDATE sittings SET finished_at = ?2 WHERE id = ?1 AND finished_at IS NULL",
                params![sitting, finished_at],
            )
            .map_err(err)?;
        Ok(())
    }

    /// Sittings begun and not finished, newest first, each with the clients already done.
    pub fn open_sittings(&self) -> Result<Vec<Sitting>, String> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, pack_file, pack_json, learner, started_unix FROM sittings WHERE finished_at IS NULL ORDER BY started_unix DESC, rowid DESC")
            .map_err(err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            })
            .map_err(err)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, pack_file, pack_json, learner, started) = row.map_err(err)?;
            let pack: AssessmentPack = serde_json::from_str(&pack_json).map_err(err)?;
            let done = self.sitting_done(&id)?;
            out.push(Sitting {
                id,
                pack,
                pack_file,
                learner,
                started_unix: started.max(0) as u64,
                done,
            });
        }
        Ok(out)
    }

    /// The finished attempts of a sitting, in pack order.
    fn sitting_done(&self, sitting: &str) -> Result<Vec<SittingItem>, String> {
        let mut stmt = self
            .conn
            .prepare("SELECT a.scenario_id, a.id, a.overall, a.passed FROM sitting_attempts s JOIN attempts a ON a.id = s.attempt_id WHERE s.sitting_id = ?1 AND a.finished_at IS NOT NULL ORDER BY s.position")
            .map_err(err)?;
        let rows = stmt
            .query_map([sitting], |r| {
                Ok(SittingItem {
                    scenario: r.get(0)?,
                    attempt_id: r.get(1)?,
                    overall: r.get::<_, Option<f64>>(2)?.unwrap_or(0.0) as f32,
                    passed: r.get::<_, Option<bool>>(3)?.unwrap_or(false),
                })
            })
            .map_err(err)?;
        rows.map(|r| r.map_err(err)).collect()
    }

    /// Deletes an attempt that was begun and never finished, with its turns and the class's
    /// votes on them. A finished attempt is never deleted.
    pub fn discard_unfinished(&mut self, attempt: &str) -> Result<(), String> {
        let tx = self.conn.transaction().map_err(err)?;
        let open: bool = tx
            .query_row(
                "SELECT 1 FROM attempts WHERE id = ?1 AND finished_at IS NULL",
                [attempt],
                |_| Ok(()),
            )
            .optional()
            .map_err(err)?
            .is_some();
        if !open {
            return Err(format!("attempt {attempt} is not an unfinished attempt"));
        }
        tx.execute("DELETE FROM turns WHERE attempt_id = ?1", [attempt])
            .map_err(err)?;
        super::xapi::outbox::forget(&tx, attempt)?;
        super::class_rounds::forget(&tx, attempt)?;
        tx.execute(
            "DELETE FROM sitting_attempts WHERE attempt_id = ?1",
            [attempt],
        )
        .map_err(err)?;
        tx.execute("DELETE FROM attempts WHERE id = ?1", [attempt])
            .map_err(err)?;
        tx.commit().map_err(err)
    }
}
