//! Sending attempts to a learning record store as xAPI 1.0.3 statements shaped like cmi5.
//! Nothing here touches the network unless a store is configured (`config`). Finished
//! attempts are queued in the records database (`outbox`) and sent from there (`deliver`),
//! so an unreachable store loses nothing: the statements wait and go when it is back. The
//! class is read back from the store, and cross-checked by replay, by `read`.

pub mod config;
pub mod deliver;
pub mod http;
pub mod outbox;
pub mod read;
pub mod statements;

use std::path::Path;
use std::thread::JoinHandle;
use std::time::Duration;

pub use config::LrsConfig;
pub use deliver::{
    DeliveryReport, RetryPolicy, deliver_in_background, deliver_pending, deliver_until,
    flush_in_background,
};
pub use outbox::{OutboxCounts, queue_attempt};

use crate::records::{AttemptResult, Store};

/// For a command that just finished an attempt: queues its statements and makes one quick
/// delivery pass. `None` when no store is configured (and then nothing is sent); otherwise
/// how many statements were queued and what the pass did.
pub fn queue_and_deliver(
    store: &mut Store,
    db_path: &Path,
    attempt_id: &str,
    result: &AttemptResult,
) -> Result<Option<(usize, DeliveryReport)>, String> {
    let Some(cfg) = LrsConfig::for_database(db_path)? else {
        return Ok(None);
    };
    let queued = queue_attempt(store, &cfg, attempt_id, result)?;
    // A short timeout: a person is waiting, and whatever is not sent stays queued.
    let policy = RetryPolicy {
        request_timeout: Duration::from_secs(10),
        ..RetryPolicy::default()
    };
    let report = deliver_pending(store, &cfg, &policy)?;
    Ok(Some((queued, report)))
}

/// For the app when an attempt is finished: queues its statements now and sends them from
/// a background thread. `None` when no store is configured.
pub fn queue_and_deliver_in_background(
    store: &mut Store,
    db_path: &Path,
    attempt_id: &str,
    result: &AttemptResult,
) -> Result<Option<JoinHandle<Result<DeliveryReport, String>>>, String> {
    let Some(cfg) = LrsConfig::for_database(db_path)? else {
        return Ok(None);
    };
    queue_attempt(store, &cfg, attempt_id, result)?;
    Ok(Some(deliver_in_background(db_path.to_path_buf(), cfg)))
}
