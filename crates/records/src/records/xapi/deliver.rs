//! Sending the outbox: each due statement built from its attempt and the configuration in
//! force, batches to the Statement resource, one statement at a time when a batch is
//! refused (so that one bad or already-stored statement does not hold the others), back-off
//! while the store cannot take them, and dead letters past the retry limit.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::attempt::AttemptRecord;
use super::config::LrsConfig;
use super::courier::Courier;
use super::http::{Answer, Client};
use super::outbox::{self, Failure, OutboxCounts};
use super::statements::{self, Role};
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
    /// Server errors on one statement before it is a dead letter. 20: with the app's
    /// back-off (2 s doubling to 10 minutes) that is about two hours of the store failing on
    /// it, long past a restart or a passing fault, and a statement the store cannot take
    /// stops being sent within an afternoon. Failures to reach the store do not count: a
    /// learner offline for a week loses nothing and sends it all when back.
    pub retry_limit: u32,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            batch_size: 50,
            base_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(600),
            request_timeout: Duration::from_secs(20),
            retry_limit: 20,
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
    /// Statements that became dead letters during this delivery, with the reason.
    pub failed: Vec<(String, String)>,
    /// Why the store could not take statements, when it could not.
    pub error: Option<String>,
    /// The outbox afterwards.
    pub outbox: OutboxCounts,
}

/// One statement built for sending.
struct Built {
    id: String,
    json: String,
}

/// One pass over the statements that are due: builds each from its attempt as recorded and
/// the configuration `cfg`, and sends them until none is left or the store cannot take
/// them, which puts what was being sent back with a longer wait.
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
        let built = build_due(store, cfg, &due, &mut report)?;
        if built.is_empty() {
            continue;
        }
        let ids: Vec<String> = built.iter().map(|b| b.id.clone()).collect();
        let batch = format!(
            "[{}]",
            built
                .iter()
                .map(|b| b.json.as_str())
                .collect::<Vec<_>>()
                .join(",")
        );
        match client.post(&batch) {
            Answer::Stored => {
                outbox::mark_delivered(store, &ids)?;
                report.delivered += ids.len();
            }
            Answer::Retry(message) => {
                outbox::mark_failed(
                    store,
                    &ids,
                    &message,
                    Failure::Unavailable,
                    now_millis(),
                    policy,
                )?;
                report.error = Some(message);
                break;
            }
            // The store took none of the batch: a conflict means some were stored before
            // (our answer was lost), a rejection or a server error that some may be
            // unacceptable. Statement by statement, each gets its own answer.
            Answer::Conflict | Answer::Rejected(_) | Answer::ServerError(_) => {
                if one_by_one(store, &client, &built, policy, &mut report)?.is_err() {
                    break;
                }
            }
        }
    }
    report.outbox = outbox::counts(store)?;
    Ok(report)
}

/// Builds the claimed statements; one that cannot be built is a dead letter, with why.
fn build_due(
    store: &mut Store,
    cfg: &LrsConfig,
    due: &[outbox::Due],
    report: &mut DeliveryReport,
) -> Result<Vec<Built>, String> {
    let mut attempts: HashMap<String, Option<AttemptRecord>> = HashMap::new();
    let mut built = Vec::with_capacity(due.len());
    for d in due {
        if !attempts.contains_key(&d.attempt_id) {
            let record = AttemptRecord::read(&store.conn, &d.attempt_id);
            // A record that does not read is reported below for each of its statements.
            attempts.insert(d.attempt_id.clone(), record.unwrap_or(None));
        }
        let statement = match (&attempts[&d.attempt_id], Role::parse(&d.role)) {
            (Some(attempt), Some(role)) => statements::build(cfg, attempt, &role),
            (None, _) => Err(format!("attempt {} cannot be read", d.attempt_id)),
            (_, None) => Err(format!("`{}` is not a statement Attune sends", d.role)),
        };
        match statement {
            Ok(s) => built.push(Built {
                id: s.id,
                json: s.json.to_string(),
            }),
            Err(e) => {
                let message = format!("cannot be built: {e}");
                outbox::mark_dead(store, &d.statement_id, &message)?;
                report.failed.push((d.statement_id.clone(), message));
            }
        }
    }
    Ok(built)
}

/// PUTs each statement under its id; `Err(())` when the store cannot be reached midway,
/// the rest then put back untried.
fn one_by_one(
    store: &mut Store,
    client: &Client,
    built: &[Built],
    policy: &RetryPolicy,
    report: &mut DeliveryReport,
) -> Result<Result<(), ()>, String> {
    for (i, b) in built.iter().enumerate() {
        let id = std::slice::from_ref(&b.id);
        match client.put(&b.id, &b.json) {
            // A conflict on our own id is our statement, stored by an earlier try.
            Answer::Stored | Answer::Conflict => {
                outbox::mark_delivered(store, id)?;
                report.delivered += 1;
            }
            Answer::Rejected(message) => {
                outbox::mark_dead(store, &b.id, &message)?;
                report.failed.push((b.id.clone(), message));
            }
            // About this statement perhaps: counted, and the next one is tried.
            Answer::ServerError(message) => {
                outbox::mark_failed(
                    store,
                    id,
                    &message,
                    Failure::ServerError,
                    now_millis(),
                    policy,
                )?;
                report.error = Some(message);
            }
            Answer::Retry(message) => {
                let now = now_millis();
                outbox::mark_failed(store, id, &message, Failure::Unavailable, now, policy)?;
                let rest: Vec<String> = built[i + 1..].iter().map(|b| b.id.clone()).collect();
                outbox::put_back(store, &rest, now + policy.backoff_ms(1))?;
                report.error = Some(message);
                return Ok(Err(()));
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
        total.failed.extend(pass.failed.iter().cloned());
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

/// For the app at start-up: queues the statements of finished attempts that have none (from
/// older versions), makes everything pending due, and has `courier` send it when a store
/// is configured.
pub fn flush_at_start(store: &mut Store, courier: &Courier) -> Result<(), String> {
    outbox::queue_unqueued(store)?;
    outbox::make_all_due(store)?;
    courier.nudge();
    Ok(())
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
