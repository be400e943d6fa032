//! Sending the outbox: batches to the Statement resource, one statement at a time when a
//! batch is refused (so that one bad or already-stored statement does not hold the others),
//! and back-off while the store cannot take them.

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::config::LrsConfig;
use super::http::{Answer, Client};
use super::outbox::{self, OutboxCounts};
use crate::records::Store;
use crate::records::clock::now_millis;

/// How hard to try.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Statements per POST.
    pub batch_size: usize,
    /// The wait after a first failure; each further failure doubles it.
    pub base_delay: Duration,
    /// The longest wait between tries.
    pub max_delay: Duration,
    /// How long one request may take, connection included.
    pub request_timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            batch_size: 50,
            base_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(600),
            request_timeout: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// The wait after the `tries`-th failure (1-based): base, 2 base, 4 base, ... capped.
    pub fn backoff_ms(&self, tries: u32) -> u64 {
        let base = self.base_delay.as_millis() as u64;
        let factor = 1u64 << tries.saturating_sub(1).min(30);
        base.saturating_mul(factor)
            .min(self.max_delay.as_millis() as u64)
    }
}

/// What a delivery did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DeliveryReport {
    /// Statements the store took (or already had) during this delivery.
    pub delivered: usize,
    /// Statements refused for good during this delivery, with the store's reason.
    pub rejected: Vec<(String, String)>,
    /// Why the store could not take statements, when it could not.
    pub error: Option<String>,
    /// The outbox afterwards.
    pub outbox: OutboxCounts,
}

/// One pass over the statements that are due: sends them until none is left or the store
/// fails, which puts what was being sent back with a longer wait.
pub fn deliver_pending(
    store: &mut Store,
    cfg: &LrsConfig,
    policy: &RetryPolicy,
) -> Result<DeliveryReport, String> {
    let client = Client::new(cfg, policy.request_timeout);
    let mut report = DeliveryReport::default();
    let lease = policy.request_timeout.as_millis() as u64 * 2;
    loop {
        let due = outbox::claim_due(store, now_millis(), policy.batch_size.max(1), lease)?;
        if due.is_empty() {
            break;
        }
        let ids: Vec<String> = due.iter().map(|d| d.statement_id.clone()).collect();
        let batch = format!(
            "[{}]",
            due.iter()
                .map(|d| d.json.as_str())
                .collect::<Vec<_>>()
                .join(",")
        );
        match client.post(&batch) {
            Answer::Stored => {
                outbox::mark_delivered(store, &ids)?;
                report.delivered += ids.len();
            }
            Answer::Retry(message) => {
                outbox::mark_failed(store, &ids, &message, now_millis(), policy)?;
                report.error = Some(message);
                break;
            }
            // The store took none of the batch: a conflict means some were stored before
            // (our answer was lost), a rejection that some are unacceptable. Statement by
            // statement, each gets its own answer.
            Answer::Conflict | Answer::Rejected(_) => {
                if let Err(message) = one_by_one(store, &client, &due, policy, &mut report)? {
                    report.error = Some(message);
                    break;
                }
            }
        }
    }
    report.outbox = outbox::counts(store)?;
    Ok(report)
}

/// PUTs each statement under its id; `Err` with the reason when the store failed midway.
fn one_by_one(
    store: &mut Store,
    client: &Client,
    due: &[outbox::Due],
    policy: &RetryPolicy,
    report: &mut DeliveryReport,
) -> Result<Result<(), String>, String> {
    for (i, d) in due.iter().enumerate() {
        match client.put(&d.statement_id, &d.json) {
            // A conflict on our own id is our statement, stored by an earlier try.
            Answer::Stored | Answer::Conflict => {
                outbox::mark_delivered(store, std::slice::from_ref(&d.statement_id))?;
                report.delivered += 1;
            }
            Answer::Rejected(message) => {
                outbox::mark_rejected(store, &d.statement_id, &message)?;
                report.rejected.push((d.statement_id.clone(), message));
            }
            Answer::Retry(message) => {
                let rest: Vec<String> = due[i..].iter().map(|d| d.statement_id.clone()).collect();
                outbox::mark_failed(store, &rest, &message, now_millis(), policy)?;
                return Ok(Err(message));
            }
        }
    }
    Ok(Ok(()))
}

/// Passes until nothing is pending or `deadline`, sleeping until the next statement is due;
/// `progress` sees the outbox after each pass.
pub fn deliver_until(
    store: &mut Store,
    cfg: &LrsConfig,
    policy: &RetryPolicy,
    deadline: Instant,
    progress: &mut dyn FnMut(&DeliveryReport),
) -> Result<DeliveryReport, String> {
    let mut total = DeliveryReport::default();
    loop {
        let pass = deliver_pending(store, cfg, policy)?;
        total.delivered += pass.delivered;
        total.rejected.extend(pass.rejected.iter().cloned());
        total.error = pass.error.clone();
        total.outbox = pass.outbox;
        progress(&pass);
        if pass.outbox.pending == 0 {
            return Ok(total);
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok(total);
        }
        let wait = outbox::next_due(store)?.map_or(0, |due| due.saturating_sub(now_millis()));
        let wait = Duration::from_millis(wait).min(deadline - now);
        std::thread::sleep(wait.max(Duration::from_millis(50)));
    }
}

/// How long a background delivery keeps trying before it leaves the rest for next time.
pub const BACKGROUND_LIMIT: Duration = Duration::from_secs(15 * 60);

/// Delivers in a thread with its own connection to the database, retrying with back-off for
/// at most `BACKGROUND_LIMIT`, so that nothing waits on the network.
pub fn deliver_in_background(
    db_path: PathBuf,
    cfg: LrsConfig,
) -> JoinHandle<Result<DeliveryReport, String>> {
    std::thread::Builder::new()
        .name("xapi-delivery".into())
        .spawn(move || {
            let mut store = Store::open(&db_path)?;
            let deadline = Instant::now() + BACKGROUND_LIMIT;
            deliver_until(
                &mut store,
                &cfg,
                &RetryPolicy::default(),
                deadline,
                &mut |_| {},
            )
        })
        .expect("a thread can be started")
}

/// For the app at start-up: sends in the background whatever is still queued, when a store
/// is configured for the database's folder and something is pending.
pub fn flush_in_background(
    db_path: &Path,
) -> Result<Option<JoinHandle<Result<DeliveryReport, String>>>, String> {
    let Some(cfg) = LrsConfig::for_database(db_path)? else {
        return Ok(None);
    };
    let store = Store::open(db_path)?;
    if outbox::counts(&store)?.pending == 0 {
        return Ok(None);
    }
    outbox::make_all_due(&store)?;
    Ok(Some(deliver_in_background(db_path.to_path_buf(), cfg)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_from_the_base_up_to_the_cap() {
        let p = RetryPolicy {
            base_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(60),
            ..RetryPolicy::default()
        };
        let waits: Vec<u64> = (1..=7).map(|t| p.backoff_ms(t)).collect();
        assert_eq!(waits, [2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
        assert_eq!(p.backoff_ms(1_000), 60_000);
    }
}
