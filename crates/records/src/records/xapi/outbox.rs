//! The outbox: what is to be said to the record store, kept in the records database until
//! the store has it. A row is an intent, one role of one attempt (`initialized`,
//! `answered/N`, `completed`, `outcome`, `terminated`) under the statement id derived from
//! them; the statement itself is built when it is sent, from the attempt as recorded and the
//! configuration in force, so a corrected configuration applies to everything still waiting.
//! Rows are written in the same transaction as what they describe (see `Store`), whether or
//! not a store is configured, and leave the pending state only by a store's answer:
//! delivered, or a dead letter (refused for what it is, or failing past the retry limit),
//! which waits for `attune sync --retry-failed`.

use rusqlite::{Connection, OptionalExtension, params};

use super::attempt::AttemptRecord;
use super::deliver::RetryPolicy;
use super::statements::{self, Role};
use crate::records::Store;
use crate::records::clock::now_rfc3339;

/// Schema version 3's outbox. Version 2 kept the statement's JSON, built when queued;
/// `migrate_from_json` turns its rows into these.
const TABLE: &str = "
CREATE TABLE IF NOT EXISTS outbox (
    statement_id TEXT PRIMARY KEY,
    attempt_id TEXT NOT NULL REFERENCES attempts(id),
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0,
    server_errors INTEGER NOT NULL DEFAULT 0,
    next_try_at INTEGER NOT NULL DEFAULT 0,
    delivered_at TEXT,
    dead_at TEXT,
    last_error TEXT
);
";

const INDEXES: &str = "
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (next_try_at)
    WHERE delivered_at IS NULL AND dead_at IS NULL;
CREATE INDEX IF NOT EXISTS outbox_attempt ON outbox (attempt_id, role);
";

/// Creates the outbox, or brings a version 2 outbox up to version 3 in place. Runs inside
/// `Store::open`'s transaction.
pub(in crate::records) fn create_tables(conn: &Connection) -> Result<(), String> {
    let has_json: bool = conn
        .query_row(
            "SELECT 1 FROM pragma_table_info('outbox') WHERE name = 'json'",
            [],
            |_| Ok(()),
        )
        .optional()
        .map_err(err)?
        .is_some();
    if has_json {
        migrate_from_json(conn)?;
    } else {
        conn.execute_batch(TABLE).map_err(err)?;
    }
    conn.execute_batch(INDEXES).map_err(err)
}

/// Version 2 rows to version 3: each row's role is found by matching its id with the ids
/// derived from its attempt's roles; delivered rows stay delivered, rejected ones become
/// dead letters, pending ones go on waiting (now built at send time).
fn migrate_from_json(conn: &Connection) -> Result<(), String> {
    conn.execute_batch(&format!(
        "ALTER TABLE outbox RENAME TO outbox_v2; DROP INDEX IF EXISTS outbox_due; {TABLE}"
    ))
    .map_err(err)?;
    conn.execute_batch(
        "INSERT INTO outbox (statement_id, attempt_id, role, created_at, tries, next_try_at, delivered_at, dead_at, last_error)
             SELECT statement_id, attempt_id, 'unknown', created_at, tries, next_try_at, delivered_at, rejected_at, last_error FROM outbox_v2 ORDER BY rowid;",
    )
    .map_err(err)?;
    let rows: Vec<(String, String)> = {
        let mut stmt = conn
            .prepare("SELECT statement_id, attempt_id FROM outbox")
            .map_err(err)?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(err)?
            .collect::<Result<_, _>>()
            .map_err(err)?
    };
    for (id, attempt) in rows {
        let turns: u32 = conn
            .query_row(
                "SELECT COALESCE(MAX(turn), 0) FROM turns WHERE attempt_id = ?1",
                [&attempt],
                |r| r.get(0),
            )
            .map_err(err)?;
        let mut candidates = vec![
            Role::Initialized,
            Role::Completed,
            Role::Outcome,
            Role::Terminated,
        ];
        candidates.extend((1..=turns).map(Role::Answered));
        if let Some(role) = candidates.iter().find(|r| r.statement_id(&attempt) == id) {
            conn.execute(
                "UPDATE outbox SET role = ?2 WHERE statement_id = ?1",
                params![id, role.name()],
            )
            .map_err(err)?;
        }
    }
    // Cannot happen with ids Attune derived: kept, never sent, and said.
    conn.execute(
        "UPDATE outbox SET dead_at = ?1, last_error = 'queued by an older Attune under an id it does not recognise; not sent' WHERE role = 'unknown' AND delivered_at IS NULL",
        [now_rfc3339()],
    )
    .map_err(err)?;
    // Version 2 sent every finished attempt as completed; one with no turn is not (see
    // `statements::closing_roles`): what is still pending of that is dropped here.
    let mut stmt = conn
        .prepare("SELECT DISTINCT attempt_id FROM outbox WHERE delivered_at IS NULL AND role IN ('completed', 'outcome') AND attempt_id NOT IN (SELECT attempt_id FROM turns)")
        .map_err(err)?;
    let empty: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .map_err(err)?
        .collect::<Result<_, _>>()
        .map_err(err)?;
    for attempt in empty {
        let Some(record) = AttemptRecord::read(conn, &attempt)? else {
            continue;
        };
        let keep: Vec<String> = statements::roles_of(&record)
            .iter()
            .map(Role::name)
            .collect();
        for role in ["completed", "outcome"] {
            if !keep.iter().any(|k| k == role) {
                conn.execute(
                    "DELETE FROM outbox WHERE attempt_id = ?1 AND role = ?2 AND delivered_at IS NULL",
                    params![attempt, role],
                )
                .map_err(err)?;
            }
        }
    }
    conn.execute_batch("DROP TABLE outbox_v2").map_err(err)
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// A transaction that reads and then writes: it takes the write lock at once, waiting its
/// turn, because a read snapshot cannot become a write once another sender (the app and
/// `attune sync` at once) has committed since; SQLite would refuse it without waiting.
fn write_transaction(store: &mut Store) -> Result<rusqlite::Transaction<'_>, String> {
    store
        .conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(err)
}

/// Queues `roles` of an attempt; returns how many were new. Ids are derived, so a role
/// queued before adds nothing.
pub(in crate::records) fn queue(
    conn: &Connection,
    attempt_id: &str,
    roles: &[Role],
) -> Result<usize, String> {
    let now = now_rfc3339();
    let mut added = 0;
    for role in roles {
        added += conn
            .execute(
                "INSERT OR IGNORE INTO outbox (statement_id, attempt_id, role, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![role.statement_id(attempt_id), attempt_id, role.name(), now],
            )
            .map_err(err)?;
    }
    Ok(added)
}

/// Queues every statement of an attempt as it now stands (see `statements::roles_of`).
pub(in crate::records) fn queue_attempt(
    conn: &Connection,
    attempt_id: &str,
) -> Result<usize, String> {
    match AttemptRecord::read(conn, attempt_id)? {
        Some(record) => queue(conn, attempt_id, &statements::roles_of(&record)),
        None => Err(format!("no attempt {attempt_id} to queue")),
    }
}

/// Forgets the statements of an attempt that is being deleted (an unfinished attempt the
/// learner discarded): what was not sent never will be.
pub(in crate::records) fn forget(conn: &Connection, attempt_id: &str) -> Result<(), String> {
    conn.execute("DELETE FROM outbox WHERE attempt_id = ?1", [attempt_id])
        .map(|_| ())
        .map_err(err)
}

/// Finished attempts with no closing statement queued: finished by a version that queued
/// nothing while no store was configured, or killed between finishing and queuing.
const UNQUEUED: &str = "SELECT id FROM attempts a WHERE finished_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.attempt_id = a.id AND o.role = 'terminated')";

/// How many finished attempts have no statements queued (reads only).
pub fn unqueued_count(store: &Store) -> Result<usize, String> {
    store
        .conn
        .query_row(&format!("SELECT COUNT(*) FROM ({UNQUEUED})"), [], |r| {
            r.get::<_, i64>(0)
        })
        .map(|n| n as usize)
        .map_err(err)
}

/// Queues the statements of every finished attempt that has none; returns how many
/// attempts and statements were queued.
pub fn queue_unqueued(store: &mut Store) -> Result<(usize, usize), String> {
    let tx = write_transaction(store)?;
    let ids: Vec<String> = {
        let mut stmt = tx.prepare(UNQUEUED).map_err(err)?;
        stmt.query_map([], |r| r.get(0))
            .map_err(err)?
            .collect::<Result<_, _>>()
            .map_err(err)?
    };
    let mut statements = 0;
    for id in &ids {
        statements += queue_attempt(&tx, id)?;
    }
    tx.commit().map_err(err)?;
    Ok((ids.len(), statements))
}

/// A statement due to be sent: which role of which attempt.
#[derive(Clone, Debug, PartialEq)]
pub struct Due {
    pub statement_id: String,
    pub attempt_id: String,
    pub role: String,
}

/// How many statements are in each state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: usize,
    pub delivered: usize,
    /// Dead letters: refused by the store, or failing past the retry limit.
    pub failed: usize,
}

impl OutboxCounts {
    pub fn total(&self) -> usize {
        self.pending + self.delivered + self.failed
    }
}

/// Takes up to `limit` due statements, oldest first, and holds them for `lease_ms` so that
/// another sender (the app and `attune sync` at once) leaves them alone meanwhile.
pub fn claim_due(
    store: &mut Store,
    now_ms: u64,
    limit: usize,
    lease_ms: u64,
) -> Result<Vec<Due>, String> {
    let tx = write_transaction(store)?;
    let due = {
        let mut stmt = tx
            .prepare("SELECT statement_id, attempt_id, role FROM outbox WHERE delivered_at IS NULL AND dead_at IS NULL AND next_try_at <= ?1 ORDER BY rowid LIMIT ?2")
            .map_err(err)?;
        let rows = stmt
            .query_map(params![now_ms as i64, limit as i64], |r| {
                Ok(Due {
                    statement_id: r.get(0)?,
                    attempt_id: r.get(1)?,
                    role: r.get(2)?,
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

/// A dead letter: the store refused this statement for what it is, or it cannot be built;
/// sending it again as it is cannot help.
pub fn mark_dead(store: &mut Store, id: &str, message: &str) -> Result<(), String> {
    store
        .conn
        .execute(
            "UPDATE outbox SET dead_at = ?2, tries = tries + 1, last_error = ?3 WHERE statement_id = ?1 AND delivered_at IS NULL",
            params![id, now_rfc3339(), message],
        )
        .map(|_| ())
        .map_err(err)
}

/// How a failed try counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The store could not be reached or asked to wait (down, overloaded, the
    /// configuration's fault): it says nothing about the statement, so it is tried again
    /// for as long as it takes.
    Unavailable,
    /// The store took the statement and failed on it (a server error): counted towards the
    /// retry limit, past which the statement is a dead letter.
    ServerError,
}

/// Sending failed: try again later, each failure waiting twice as long as the last, up to
/// the policy's cap; a statement that reaches the policy's retry limit of server errors is
/// a dead letter instead.
pub fn mark_failed(
    store: &mut Store,
    ids: &[String],
    message: &str,
    failure: Failure,
    now_ms: u64,
    policy: &RetryPolicy,
) -> Result<(), String> {
    let tx = write_transaction(store)?;
    for id in ids {
        let counts: Option<(u32, u32)> = tx
            .query_row(
                "SELECT tries, server_errors FROM outbox WHERE statement_id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(err)?;
        let (tries, errors) = counts.unwrap_or((0, 0));
        let (tries, errors) = (
            tries + 1,
            errors + u32::from(failure == Failure::ServerError),
        );
        if errors >= policy.retry_limit {
            tx.execute(
                "UPDATE outbox SET tries = ?2, server_errors = ?3, dead_at = ?4, last_error = ?5 WHERE statement_id = ?1",
                params![id, tries, errors, now_rfc3339(), format!("gave up after {errors} server errors: {message}")],
            )
            .map_err(err)?;
        } else {
            tx.execute(
                "UPDATE outbox SET tries = ?2, server_errors = ?3, next_try_at = ?4, last_error = ?5 WHERE statement_id = ?1",
                params![id, tries, errors, (now_ms + policy.backoff_ms(tries)) as i64, message],
            )
            .map_err(err)?;
        }
    }
    tx.commit().map_err(err)
}

/// Statements claimed and not tried (the store failed on an earlier one): due again when
/// `at_ms` comes, their counts unchanged.
pub fn put_back(store: &mut Store, ids: &[String], at_ms: u64) -> Result<(), String> {
    let tx = store.conn.transaction().map_err(err)?;
    for id in ids {
        tx.execute(
            "UPDATE outbox SET next_try_at = ?2 WHERE statement_id = ?1 AND delivered_at IS NULL",
            params![id, at_ms as i64],
        )
        .map_err(err)?;
    }
    tx.commit().map_err(err)
}

/// `attune sync --retry-failed`: every dead letter is pending again, its tries reset (it
/// will be built afresh from the configuration in force); returns how many.
pub fn retry_failed(store: &Store) -> Result<usize, String> {
    store
        .conn
        .execute(
            "UPDATE outbox SET dead_at = NULL, tries = 0, server_errors = 0, next_try_at = 0, last_error = NULL WHERE dead_at IS NOT NULL AND delivered_at IS NULL",
            [],
        )
        .map_err(err)
}

/// A person asked to send now: every pending statement is due, whatever its back-off.
pub fn make_all_due(store: &Store) -> Result<usize, String> {
    store
        .conn
        .execute(
            "UPDATE outbox SET next_try_at = 0 WHERE delivered_at IS NULL AND dead_at IS NULL",
            [],
        )
        .map_err(err)
}

/// When the next pending statement is due (milliseconds since 1970), if any is pending.
pub fn next_due(store: &Store) -> Result<Option<u64>, String> {
    store
        .conn
        .query_row(
            "SELECT MIN(next_try_at) FROM outbox WHERE delivered_at IS NULL AND dead_at IS NULL",
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
            "SELECT COUNT(*) FILTER (WHERE delivered_at IS NULL AND dead_at IS NULL), COUNT(delivered_at), COUNT(*) FILTER (WHERE delivered_at IS NULL AND dead_at IS NOT NULL) FROM outbox",
            [],
            |r| {
                Ok(OutboxCounts {
                    pending: r.get::<_, i64>(0)? as usize,
                    delivered: r.get::<_, i64>(1)? as usize,
                    failed: r.get::<_, i64>(2)? as usize,
                })
            },
        )
        .map_err(err)
}

/// Statements not delivered that share a last error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorGroup {
    /// Dead letters (not tried again until `--retry-failed`), or still pending.
    pub failed: bool,
    pub message: String,
    pub count: usize,
    /// The attempts they belong to, in the order first queued.
    pub attempts: Vec<String>,
}

/// The last errors of the statements not delivered, grouped, most frequent first.
pub fn errors(store: &Store) -> Result<Vec<ErrorGroup>, String> {
    let mut stmt = store
        .conn
        .prepare("SELECT dead_at IS NOT NULL, last_error, COUNT(*), GROUP_CONCAT(DISTINCT attempt_id) FROM outbox WHERE delivered_at IS NULL AND last_error IS NOT NULL GROUP BY 1, 2 ORDER BY 3 DESC, 2")
        .map_err(err)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(ErrorGroup {
                failed: r.get(0)?,
                message: r.get(1)?,
                count: r.get::<_, i64>(2)? as usize,
                attempts: r
                    .get::<_, Option<String>>(3)?
                    .map(|a| a.split(',').map(str::to_string).collect())
                    .unwrap_or_default(),
            })
        })
        .map_err(err)?;
    rows.map(|r| r.map_err(err)).collect()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::records::xapi::LrsConfig;
    use crate::records::{AttemptResult, NewAttempt};
    use attune_core::engine::{PreparedScenario, Session};
    use attune_core::model::Mode;
    use attune_core::scenario::Choice;

    fn db(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("attune-outbox-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir.join("records.sqlite")
    }

    fn dan() -> (Arc<PreparedScenario>, String, Vec<Choice>) {
        let (prepared, hash) = crate::testing::dan();
        let script = std::fs::read_to_string(
            crate::testing::repo_root().join("tests/scripts/dan-expert.ron"),
        )
        .unwrap();
        let known: Vec<&str> = prepared.techniques.iter().map(|t| t.id.as_str()).collect();
        let choices =
            attune_core::scenario::parse_script("dan-expert.ron", &script, &known).unwrap();
        (prepared, hash, choices)
    }

    /// Begins a Dan attempt and records its first `turns` expert turns, as `play --record`
    /// does; returns its id and the result to finish it with.
    fn played(store: &mut Store, turns: usize, mode: Mode) -> (String, AttemptResult) {
        let (prepared, hash, choices) = dan();
        let started_at = now_rfc3339();
        let id = store
            .begin(&NewAttempt {
                scenario_id: &prepared.scenario.meta.id,
                scenario_title: &prepared.scenario.meta.title,
                scenario_file: "dan-mandated-anger.ron",
                content_hash: &hash,
                seed: 7,
                mode,
                learner: Some("s-1"),
                started_at: &started_at,
                continues: None,
            })
            .unwrap();
        let mut session = Session::new(prepared, 7);
        for choice in &choices[..turns] {
            let turn = session.apply(choice).unwrap();
            store.record_turn(&id, turn).unwrap();
        }
        let result = AttemptResult::of(
            &session,
            "dan-mandated-anger.ron",
            hash,
            mode,
            Some("s-1".into()),
            started_at,
            crate::records::Played::Script,
        )
        .recorded_as(&id);
        (id, result)
    }

    fn roles(store: &Store, state: &str) -> Vec<String> {
        let sql = format!("SELECT role FROM outbox WHERE {state} ORDER BY rowid");
        let mut stmt = store.conn.prepare(&sql).unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    fn pending(store: &Store) -> Vec<String> {
        roles(store, "delivered_at IS NULL AND dead_at IS NULL")
    }

    fn ids(due: &[Due]) -> Vec<String> {
        due.iter().map(|d| d.statement_id.clone()).collect()
    }

    #[test]
    fn each_part_of_an_attempt_queues_its_statement_as_it_is_saved() {
        let mut store = Store::open(&db("as-saved")).unwrap();
        let (id, result) = played(&mut store, 2, Mode::Practice);
        assert_eq!(pending(&store), ["initialized", "answered/1", "answered/2"]);
        store.finish(&id, &result).unwrap();
        assert_eq!(
            pending(&store),
            [
                "initialized",
                "answered/1",
                "answered/2",
                "completed",
                "outcome",
                "terminated"
            ]
        );
        // Queuing again adds nothing: the ids are derived.
        assert_eq!(queue_attempt(&store.conn, &id).unwrap(), 0);
        assert_eq!(queue_unqueued(&mut store).unwrap(), (0, 0));
    }

    #[test]
    fn a_kill_between_finish_and_queue_cannot_lose_statements() {
        let path = db("kill");
        let mut store = Store::open(&path).unwrap();
        let (id, result) = played(&mut store, 3, Mode::Practice);
        // Queuing fails inside the finish (as a kill or a full disk would stop it there):
        // the attempt is not finished either, so nothing can be finished and unqueued.
        store
            .conn
            .execute_batch("CREATE TEMP TRIGGER stop BEFORE INSERT ON outbox WHEN NEW.role = 'terminated' BEGIN SELECT RAISE(ABORT, 'killed'); END;")
            .unwrap();
        assert!(store.finish(&id, &result).is_err());
        drop(store);
        // What a new process finds: still open, with its turns and their statements, and
        // nothing closing it.
        let mut store = Store::open(&path).unwrap();
        assert!(store.is_open(&id).unwrap());
        assert_eq!(
            pending(&store),
            ["initialized", "answered/1", "answered/2", "answered/3"]
        );
        store.finish(&id, &result).unwrap();
        drop(store);
        let store = Store::open(&path).unwrap();
        assert!(!store.is_open(&id).unwrap());
        assert_eq!(pending(&store)[4..], ["completed", "outcome", "terminated"]);
        assert_eq!(unqueued_count(&store).unwrap(), 0);
    }

    #[test]
    fn finished_attempts_with_nothing_queued_are_queued_by_sync() {
        let mut store = Store::open(&db("unqueued")).unwrap();
        let (id, result) = played(&mut store, 2, Mode::Practice);
        store.finish(&id, &result).unwrap();
        // As an older version left it: finished, nothing queued.
        store.conn.execute("DELETE FROM outbox", []).unwrap();
        assert_eq!(unqueued_count(&store).unwrap(), 1);
        assert_eq!(queue_unqueued(&mut store).unwrap(), (1, 6));
        assert_eq!(unqueued_count(&store).unwrap(), 0);
        assert_eq!(pending(&store).len(), 6);
    }

    #[test]
    fn a_discarded_attempt_takes_its_unsent_statements_with_it() {
        let mut store = Store::open(&db("discard")).unwrap();
        let (id, _) = played(&mut store, 2, Mode::Practice);
        store.discard_unfinished(&id).unwrap();
        assert_eq!(counts(&store).unwrap().total(), 0);
    }

    #[test]
    fn failures_back_off_and_a_claim_holds_statements_from_other_senders() {
        let mut store = Store::open(&db("backoff")).unwrap();
        let (id, result) = played(&mut store, 2, Mode::Practice);
        store.finish(&id, &result).unwrap();
        let policy = RetryPolicy {
            base_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(5),
            ..RetryPolicy::default()
        };
        let t0 = 1_000_000;
        let first = claim_due(&mut store, t0, 2, 500).unwrap();
        assert_eq!(first.len(), 2);
        assert_eq!(
            (first[0].role.as_str(), first[0].attempt_id.as_str()),
            ("initialized", id.as_str())
        );
        // Claimed: another sender at the same moment gets the next ones, not these.
        let other = claim_due(&mut store, t0, 10, 500).unwrap();
        assert_eq!(other.len(), 4);
        assert!(claim_due(&mut store, t0 + 499, 10, 500).unwrap().is_empty());
        mark_failed(
            &mut store,
            &ids(&first),
            "down",
            Failure::Unavailable,
            t0,
            &policy,
        )
        .unwrap();
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
            mark_failed(
                &mut store,
                &ids(&again),
                "still down",
                Failure::Unavailable,
                now,
                &policy,
            )
            .unwrap();
            assert_eq!(next_due(&store).unwrap(), Some(now + wait));
        }
        let groups = errors(&store).unwrap();
        assert_eq!(groups.len(), 1);
        assert_eq!(
            (
                groups[0].failed,
                groups[0].count,
                groups[0].message.as_str()
            ),
            (false, 2, "still down")
        );
        assert_eq!(groups[0].attempts, std::slice::from_ref(&id));
        // Asked to send now: due whatever the back-off.
        make_all_due(&store).unwrap();
        assert_eq!(claim_due(&mut store, t0, 10, 500).unwrap().len(), 2);
        mark_dead(&mut store, &first[0].statement_id, "HTTP 400").unwrap();
        mark_delivered(&mut store, &ids(&first[1..])).unwrap();
        let c = counts(&store).unwrap();
        assert_eq!((c.pending, c.delivered, c.failed), (0, 5, 1));
        assert_eq!(next_due(&store).unwrap(), None);
        assert!(errors(&store).unwrap()[0].failed);
    }

    #[test]
    fn a_statement_failing_past_the_retry_limit_is_a_dead_letter_and_retry_failed_revives_it() {
        let mut store = Store::open(&db("limit")).unwrap();
        played(&mut store, 0, Mode::Practice);
        let policy = RetryPolicy {
            retry_limit: 3,
            ..RetryPolicy::default()
        };
        let one = ids(&claim_due(&mut store, 0, 1, 0).unwrap());
        // The store out of reach counts for nothing, however long.
        for _ in 0..10 {
            mark_failed(
                &mut store,
                &one,
                "connection refused",
                Failure::Unavailable,
                0,
                &policy,
            )
            .unwrap();
        }
        assert_eq!(counts(&store).unwrap().failed, 0);
        for _ in 0..2 {
            mark_failed(
                &mut store,
                &one,
                "HTTP 500",
                Failure::ServerError,
                0,
                &policy,
            )
            .unwrap();
        }
        assert_eq!(counts(&store).unwrap().pending, 1);
        mark_failed(
            &mut store,
            &one,
            "HTTP 500",
            Failure::ServerError,
            0,
            &policy,
        )
        .unwrap();
        let c = counts(&store).unwrap();
        assert_eq!((c.pending, c.failed), (0, 1));
        assert_eq!(
            errors(&store).unwrap()[0].message,
            "gave up after 3 server errors: HTTP 500"
        );
        assert!(
            claim_due(&mut store, u64::MAX / 2, 10, 0)
                .unwrap()
                .is_empty()
        );
        assert_eq!(retry_failed(&store).unwrap(), 1);
        let again = claim_due(&mut store, 0, 10, 0).unwrap();
        assert_eq!(ids(&again), one);
        let (tries, errors): (u32, u32) = store
            .conn
            .query_row("SELECT tries, server_errors FROM outbox", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((tries, errors), (0, 0));
    }

    /// Version 2's outbox, as it was: the statement's JSON kept from when it was queued.
    const V2_OUTBOX: &str = "
        ALTER TABLE attempts DROP COLUMN scenario_title;
        DROP TABLE outbox;
        CREATE TABLE outbox (
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
        CREATE INDEX outbox_due ON outbox (next_try_at) WHERE delivered_at IS NULL AND rejected_at IS NULL;
        PRAGMA user_version = 2;";

    #[test]
    fn a_version_2_outbox_is_migrated_in_place_and_what_waited_still_goes() {
        let path = db("v2");
        let mut store = Store::open(&path).unwrap();
        let (id, result) = played(&mut store, 2, Mode::Practice);
        store.finish(&id, &result).unwrap();
        let (empty, empty_result) = played(&mut store, 0, Mode::Practice);
        store.finish(&empty, &empty_result).unwrap();
        store.conn.execute_batch(V2_OUTBOX).unwrap();
        // Version 2 queued a finished attempt's six statements (and a 0-turn one's five,
        // completed among them): one delivered, one rejected, the rest pending.
        let v2 = |attempt: &str, role: &str, delivered: Option<&str>, rejected: Option<&str>| {
            store
                .conn
                .execute(
                    "INSERT INTO outbox (statement_id, attempt_id, json, created_at, tries, delivered_at, rejected_at, last_error) VALUES (?1, ?2, '{}', '2026-11-24T21:00:00Z', 1, ?3, ?4, ?5)",
                    params![Role::parse(role).unwrap().statement_id(attempt), attempt, delivered, rejected, rejected.map(|_| "HTTP 400: bad")],
                )
                .unwrap();
        };
        v2(&id, "initialized", Some("2026-11-24T21:01:00Z"), None);
        v2(&id, "answered/1", None, Some("2026-11-24T21:01:00Z"));
        for role in ["answered/2", "completed", "outcome", "terminated"] {
            v2(&id, role, None, None);
        }
        for role in ["initialized", "completed", "outcome", "terminated"] {
            v2(&empty, role, None, None);
        }
        drop(store);

        let mut store = Store::open(&path).unwrap();
        let version: i64 = store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, crate::records::store::SCHEMA_VERSION);
        assert_eq!(roles(&store, "delivered_at IS NOT NULL"), ["initialized"]);
        assert_eq!(roles(&store, "dead_at IS NOT NULL"), ["answered/1"]);
        // The 0-turn attempt's completed and outcome are gone (a practice session left at
        // once is neither), its opening and closing remain.
        assert_eq!(
            pending(&store),
            [
                "answered/2",
                "completed",
                "outcome",
                "terminated",
                "initialized",
                "terminated"
            ]
        );
        // The title came back from the sealed result, and every pending row builds.
        let title: String = store
            .conn
            .query_row(
                "SELECT scenario_title FROM attempts WHERE id = ?1",
                [&id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(title, result.scenario.title);
        let cfg = LrsConfig {
            endpoint: "https://lrs.example/xapi/".into(),
            home_page: "https://uni.example".into(),
            activity_base: "https://uni.example/attune".into(),
            ..LrsConfig::default()
        };
        for d in claim_due(&mut store, 0, 100, 0).unwrap() {
            let attempt = AttemptRecord::read(&store.conn, &d.attempt_id)
                .unwrap()
                .unwrap();
            let built = statements::build(&cfg, &attempt, &Role::parse(&d.role).unwrap()).unwrap();
            assert_eq!(built.id, d.statement_id);
        }
        assert_eq!(unqueued_count(&store).unwrap(), 0);
    }

    #[test]
    fn a_version_1_database_gains_the_outbox_and_keeps_its_attempts() {
        let path = db("v1");
        let mut store = Store::open(&path).unwrap();
        let (id, result) = played(&mut store, 1, Mode::Practice);
        store.finish(&id, &result).unwrap();
        // Back to version 1 as it was: no outbox.
        store
            .conn
            .execute_batch("ALTER TABLE attempts DROP COLUMN scenario_title; DROP TABLE outbox; PRAGMA user_version = 1;")
            .unwrap();
        drop(store);
        let mut store = Store::open(&path).unwrap();
        let version: i64 = store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, crate::records::store::SCHEMA_VERSION);
        assert!(!store.is_open(&id).unwrap());
        // Its statements were never queued: `attune sync` queues them.
        assert_eq!(counts(&store).unwrap(), OutboxCounts::default());
        assert_eq!(queue_unqueued(&mut store).unwrap(), (1, 5));
    }
}
