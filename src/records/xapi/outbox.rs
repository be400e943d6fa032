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

/// Statements not delivered that share a last error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorGroup {
    pub rejected: bool,
    pub message: String,
    pub count: usize,
}

/// The last errors of the statements not delivered, grouped, most frequent first.
pub fn errors(store: &Store) -> Result<Vec<ErrorGroup>, String> {
    let mut stmt = store
        .conn
        .prepare("SELECT rejected_at IS NOT NULL, last_error, COUNT(*) FROM outbox WHERE delivered_at IS NULL AND last_error IS NOT NULL GROUP BY 1, 2 ORDER BY 3 DESC, 2")
        .map_err(err)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(ErrorGroup {
                rejected: r.get(0)?,
                message: r.get(1)?,
                count: r.get::<_, i64>(2)? as usize,
            })
        })
        .map_err(err)?;
    rows.map(|r| r.map_err(err)).collect()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    const ATTEMPT: &str = "5f0c9d7e-2b1a-4c3d-9e8f-0a1b2c3d4e5f";

    fn cfg() -> LrsConfig {
        LrsConfig {
            endpoint: "http://127.0.0.1:9/xapi".into(),
            key: "k".into(),
            secret: "s".into(),
            home_page: "https://uni.example".into(),
            activity_base: "https://uni.example/attune".into(),
        }
    }

    fn db(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("attune-outbox-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir.join("records.sqlite")
    }

    /// A store holding one finished attempt of two turns, and its result.
    fn finished(name: &str) -> (Store, AttemptResult) {
        let store = Store::open(&db(name)).unwrap();
        store
            .conn
            .execute(
                "INSERT INTO attempts (id, scenario_id, scenario_file, content_hash, seed, mode, started_at) VALUES (?1, 'dan', 'dan.ron', 'blake3:00', 7, 'practice', '2026-11-24T21:00:00Z')",
                [ATTEMPT],
            )
            .unwrap();
        let result = serde_json::from_value(serde_json::json!({
            "format": "attune-result/1",
            "scenario": { "id": "dan", "title": "Dan", "file": "dan.ron", "content_hash": "blake3:00" },
            "mode": "Practice", "seed": 7, "learner": "s-1",
            "started_at": "2026-11-24T21:00:00Z", "finished_at": "2026-11-24T21:10:00Z",
            "choices": [{ "technique": "open_question" }, { "technique": "affirmation" }],
            "turns": [
                { "turn": 1, "technique": "open_question", "fit": 70.0, "response_id": "a", "client_line": "", "happened": [] },
                { "turn": 2, "technique": "affirmation", "fit": 50.0, "response_id": "b", "client_line": "", "happened": [] },
            ],
            "summary": { "overall": 60.0, "passed": true, "pass_mark": 60.0 },
        }))
        .unwrap();
        (store, result)
    }

    fn ids(due: &[Due]) -> Vec<String> {
        due.iter().map(|d| d.statement_id.clone()).collect()
    }

    #[test]
    fn queuing_an_attempt_twice_adds_nothing_the_second_time() {
        let (mut store, result) = finished("twice");
        assert_eq!(
            queue_attempt(&mut store, &cfg(), ATTEMPT, &result).unwrap(),
            6
        );
        assert_eq!(
            queue_attempt(&mut store, &cfg(), ATTEMPT, &result).unwrap(),
            0
        );
        let counts = counts(&store).unwrap();
        assert_eq!((counts.pending, counts.total()), (6, 6));
        // Oldest first: the session's statements in their order.
        let due = claim_due(&mut store, 0, 10, 1_000).unwrap();
        let verbs: Vec<String> = due
            .iter()
            .map(|d| serde_json::from_str::<serde_json::Value>(&d.json).unwrap()["verb"]["display"]["en-US"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            verbs,
            [
                "initialized",
                "answered",
                "answered",
                "completed",
                "passed",
                "terminated"
            ]
        );
    }

    #[test]
    fn failures_back_off_and_a_claim_holds_statements_from_other_senders() {
        let (mut store, result) = finished("backoff");
        queue_attempt(&mut store, &cfg(), ATTEMPT, &result).unwrap();
        let policy = RetryPolicy {
            base_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(5),
            ..RetryPolicy::default()
        };
        let t0 = 1_000_000;
        let first = claim_due(&mut store, t0, 2, 500).unwrap();
        assert_eq!(first.len(), 2);
        // Claimed: another sender at the same moment gets the next ones, not these.
        let other = claim_due(&mut store, t0, 10, 500).unwrap();
        assert_eq!(other.len(), 4);
        assert!(claim_due(&mut store, t0 + 499, 10, 500).unwrap().is_empty());
        mark_failed(&mut store, &ids(&first), "down", t0, &policy).unwrap();
        mark_delivered(&mut store, &ids(&other)).unwrap();
        assert_eq!(next_due(&store).unwrap(), Some(t0 + 2_000));
        assert!(
            claim_due(&mut store, t0 + 1_999, 10, 500)
                .unwrap()
                .is_empty()
        );
        // Each failure doubles the wait, up to the cap.
        for (now, wait) in [
            (t0 + 2_000, 4_000),
            (t0 + 6_000, 5_000),
            (t0 + 11_000, 5_000),
        ] {
            let again = claim_due(&mut store, now, 10, 500).unwrap();
            assert_eq!(ids(&again), ids(&first));
            mark_failed(&mut store, &ids(&again), "still down", now, &policy).unwrap();
            assert_eq!(next_due(&store).unwrap(), Some(now + wait));
        }
        let still = ErrorGroup {
            rejected: false,
            message: "still down".into(),
            count: 2,
        };
        assert_eq!(errors(&store).unwrap(), [still]);
        // Asked to send now: due whatever the back-off.
        make_all_due(&store).unwrap();
        assert_eq!(claim_due(&mut store, t0, 10, 500).unwrap().len(), 2);
        mark_rejected(&mut store, &first[0].statement_id, "HTTP 400").unwrap();
        mark_delivered(&mut store, &ids(&first[1..])).unwrap();
        let c = counts(&store).unwrap();
        assert_eq!((c.pending, c.delivered, c.rejected), (0, 5, 1));
        assert_eq!(next_due(&store).unwrap(), None);
        let refused = ErrorGroup {
            rejected: true,
            message: "HTTP 400".into(),
            count: 1,
        };
        assert_eq!(errors(&store).unwrap(), [refused]);
    }

    #[test]
    fn a_version_1_database_gains_the_outbox_and_keeps_its_attempts() {
        let path = db("migration");
        let (store, _) = finished("migration");
        // Back to version 1 as it was: no outbox.
        store
            .conn
            .execute_batch("DROP TABLE outbox; PRAGMA user_version = 1;")
            .unwrap();
        drop(store);
        let store = Store::open(&path).unwrap();
        let version: i64 = store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, 2);
        let kept: String = store
            .conn
            .query_row("SELECT id FROM attempts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, ATTEMPT);
        assert_eq!(counts(&store).unwrap(), OutboxCounts::default());
    }
}
