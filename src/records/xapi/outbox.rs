//! The outbox: statements wait in the records database until the store has them. Rows are
//! written once per attempt (ids are derived, so queuing again adds nothing) and leave the
//! pending state only by a store's answer: delivered, or rejected as never acceptable.

use rusqlite::{Connection, OptionalExtension, params};

use super::config::LrsConfig;
use super::deliver::RetryPolicy;
use super::statements;
use crate::records::clock::now_rfc3339;
use crate::records::{AttemptResult, Store};

/// Schema version 2 adds this to version 1's tables; nothing existing changes.
const TABLES: &str = "
CREATE TABLE IF NOT EXISTS outbox (
    statement_id TEXT PRIMARY KEY,
    attempt_id TEXT NOT NULL REFERENCES attempts(id),
    json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0,
    next_try_at INTEGER NOT NULL DEFAULT 0,
    delivered_at TEXT,
    rejected_at TEXT,
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (next_try_at)
    WHERE delivered_at IS NULL AND rejected_at IS NULL;
";

pub(in crate::records) fn create_tables(conn: &Connection) -> Result<(), String> {
    conn.execute_batch(TABLES).map_err(err)
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// A statement due to be sent.
#[derive(Clone, Debug, PartialEq)]
pub struct Due {
    pub statement_id: String,
    pub json: String,
}

/// How many statements are in each state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: usize,
    pub delivered: usize,
    pub rejected: usize,
}

impl OutboxCounts {
    pub fn total(&self) -> usize {
        self.pending + self.delivered + self.rejected
    }
}

/// Queues a finished attempt's statements in one transaction; returns how many were new
/// (none when the attempt was queued before).
pub fn queue_attempt(
    store: &mut Store,
    cfg: &LrsConfig,
    attempt_id: &str,
    result: &AttemptResult,
) -> Result<usize, String> {
    let times = turn_times(&store.conn, attempt_id)?;
    let built = statements::build(cfg, attempt_id, result, &times)?;
    let now = now_rfc3339();
    let tx = store.conn.transaction().map_err(err)?;
    let mut added = 0;
    for s in &built {
        added += tx
            .execute(
                "INSERT OR IGNORE INTO outbox (statement_id, attempt_id, json, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![s.id, attempt_id, s.json.to_string(), now],
            )
            .map_err(err)?;
    }
    tx.commit().map_err(err)?;
    Ok(added)
}

/// The times the attempt's turns were saved, in turn order.
fn turn_times(conn: &Connection, attempt_id: &str) -> Result<Vec<String>, String> {
    let mut stmt = conn
        .prepare("SELECT recorded_at FROM turns WHERE attempt_id = ?1 ORDER BY turn")
        .map_err(err)?;
    let rows = stmt
        .query_map([attempt_id], |r| r.get::<_, String>(0))
        .map_err(err)?;
    rows.map(|r| r.map_err(err)).collect()
}

/// Takes up to `limit` due statements, oldest first, and holds them for `lease_ms` so that
/// another sender (the app and `attune sync` at once) leaves them alone meanwhile.
pub fn claim_due(
    store: &mut Store,
    now_ms: u64,
    limit: usize,
    lease_ms: u64,
) -> Result<Vec<Due>, String> {
    let tx = store.conn.transaction().map_err(err)?;
    let due = {
        let mut stmt = tx
            .prepare("SELECT statement_id, json FROM outbox WHERE delivered_at IS NULL AND rejected_at IS NULL AND next_try_at <= ?1 ORDER BY rowid LIMIT ?2")
            .map_err(err)?;
        let rows = stmt
            .query_map(params![now_ms as i64, limit as i64], |r| {
                Ok(Due {
                    statement_id: r.get(0)?,
                    json: r.get(1)?,
                })
            })
            .map_err(err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(err)?
    };
    for d in &due {
        tx.execute(
            "UPDATE outbox SET next_try_at = ?2 WHERE statement_id = ?1",
            params![d.statement_id, (now_ms + lease_ms) as i64],
        )
        .map_err(err)?;
    }
    tx.commit().map_err(err)?;
    Ok(due)
}

/// The store has these statements.
pub fn mark_delivered(store: &mut Store, ids: &[String]) -> Result<(), String> {
    let now = now_rfc3339();
    let tx = store.conn.transaction().map_err(err)?;
    for id in ids {
        tx.execute(
            "UPDATE outbox SET delivered_at = ?2, tries = tries + 1, last_error = NULL WHERE statement_id = ?1 AND delivered_at IS NULL",
            params![id, now],
        )
        .map_err(err)?;
    }
    tx.commit().map_err(err)
}

/// The store refused this statement for what it is; sending it again cannot help.
pub fn mark_rejected(store: &mut Store, id: &str, message: &str) -> Result<(), String> {
    store
        .conn
        .execute(
            "UPDATE outbox SET rejected_at = ?2, tries = tries + 1, last_error = ?3 WHERE statement_id = ?1 AND delivered_at IS NULL",
            params![id, now_rfc3339(), message],
        )
        .map(|_| ())
        .map_err(err)
}

/// Sending failed for a reason that may pass (store down, overloaded): try again later,
/// each failure waiting twice as long as the last, up to the policy's cap.
pub fn mark_failed(
    store: &mut Store,
    ids: &[String],
    message: &str,
    now_ms: u64,
    policy: &RetryPolicy,
) -> Result<(), String> {
    let tx = store.conn.transaction().map_err(err)?;
    for id in ids {
        let tries: Option<u32> = tx
            .query_row(
                "SELECT tries FROM outbox WHERE statement_id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .map_err(err)?;
        let tries = tries.unwrap_or(0) + 1;
        tx.execute(
            "UPDATE outbox SET tries = ?2, next_try_at = ?3, last_error = ?4 WHERE statement_id = ?1",
            params![id, tries, (now_ms + policy.backoff_ms(tries)) as i64, message],
        )
        .map_err(err)?;
    }
    tx.commit().map_err(err)
}

/// A person asked to send now: every pending statement is due, whatever its back-off.
pub fn make_all_due(store: &Store) -> Result<usize, String> {
    store
        .conn
        .execute(
            "UPDATE outbox SET next_try_at = 0 WHERE delivered_at IS NULL AND rejected_at IS NULL",
            [],
        )
        .map_err(err)
}

/// When the next pending statement is due (milliseconds since 1970), if any is pending.
pub fn next_due(store: &Store) -> Result<Option<u64>, String> {
    store
        .conn
        .query_row(
            "SELECT MIN(next_try_at) FROM outbox WHERE delivered_at IS NULL AND rejected_at IS NULL",
            [],
            |r| r.get::<_, Option<i64>>(0),
        )
        .map(|v| v.map(|v| v.max(0) as u64))
        .map_err(err)
}

pub fn counts(store: &Store) -> Result<OutboxCounts, String> {
    store
        .conn
        .query_row(
            "SELECT COUNT(*) FILTER (WHERE delivered_at IS NULL AND rejected_at IS NULL), COUNT(delivered_at), COUNT(rejected_at) FROM outbox",
            [],
            |r| {
                Ok(OutboxCounts {
                    pending: r.get::<_, i64>(0)? as usize,
                    delivered: r.get::<_, i64>(1)? as usize,
                    rejected: r.get::<_, i64>(2)? as usize,
                })
            },
        )
        .map_err(err)
}

/// The last error of every pending or rejected statement, by statement id.
pub fn errors(store: &Store) -> Result<Vec<(String, String)>, String> {
    let mut stmt = store
        .conn
        .prepare("SELECT statement_id, last_error FROM outbox WHERE delivered_at IS NULL AND last_error IS NOT NULL ORDER BY rowid")
        .map_err(err)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(err)?;
    rows.map(|r| r.map_err(err)).collect()
}
