//! `attune sync`: sends the queued xAPI statements to the configured learning record store
//! (the delivery a recording command makes once its attempt is finished is in `attempts`).

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use super::attempts::{db_path, warn_plain_http};
use crate::records::Store;
use crate::records::xapi::{self, LrsConfig, OutboxCounts, RetryPolicy, outbox};
use crate::words::{count, count_with};

/// At most this many attempts are named for one group of errors in `sync --status`.
const ATTEMPTS_NAMED: usize = 5;

pub fn run(status: bool, retry_failed: bool, wait_secs: u64) -> Result<ExitCode, String> {
    let db = db_path()?;
    let cfg = LrsConfig::for_database(&db);
    if status {
        // Only reads: the queue can be looked at on a read-only or full disk.
        let store = Store::open_read_only(&db).map_err(|e| e.to_string())?;
        print_status(&store, &cfg).map_err(|e| format!("{}: {e}", db.display()))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut store = Store::open(&db).map_err(|e| e.to_string())?;
    let (attempts, queued) = outbox::queue_unqueued(&mut store)?;
    if attempts > 0 {
        println!(
            "queued {} of {} that had none",
            count(queued, "statement"),
            count_with(attempts, "finished attempt", "finished attempts")
        );
    }
    if retry_failed {
        let revived = outbox::retry_failed(&store)?;
        println!(
            "{} to be sent again, built from the configuration as it is now",
            count_with(revived, "failed statement", "failed statements")
        );
    }
    let cfg = match cfg {
        Ok(Some(cfg)) => cfg,
        Ok(None) => {
            let dir = db.parent().unwrap_or(Path::new("."));
            println!(
                "no learning record store is configured, so nothing was sent ({} wait): set endpoint, key and secret in {} or ATTUNE_LRS_ENDPOINT, ATTUNE_LRS_KEY and ATTUNE_LRS_SECRET",
                count_with(outbox::counts(&store)?.pending, "statement", "statements"),
                dir.join(xapi::config::FILE_NAME).display()
            );
            return Ok(ExitCode::SUCCESS);
        }
        Err(e) => {
            return Err(format!(
                "nothing was sent: the learning record store's configuration is wrong: {e}; {} wait until it is corrected",
                count_with(outbox::counts(&store)?.pending, "statement", "statements")
            ));
        }
    };
    warn_plain_http(&cfg);
    // Asked for now: earlier back-off does not hold this run back.
    outbox::make_all_due(&store)?;
    let total = outbox::counts(&store)?.total();
    let deadline = Instant::now() + Duration::from_secs(wait_secs);
    let policy = RetryPolicy {
        base_delay: Duration::from_secs(1),
        max_delay: Duration::from_secs(30),
        ..RetryPolicy::default()
    };
    let mut last_delivered = None;
    let report = xapi::deliver_until(&mut store, &cfg, &policy, deadline, &mut |pass| {
        let o = pass.outbox;
        if last_delivered != Some(o.delivered) && o.pending > 0 {
            println!("{} of {total} statements delivered…", o.delivered);
            last_delivered = Some(o.delivered);
        }
        if let Some(e) = &pass.error {
            println!("the store did not take them: {e}; trying again with back-off");
        }
    })?;
    for (id, message) in &report.failed {
        println!(
            "failed, not sent again until `attune sync --retry-failed`: statement {id}: {message}"
        );
    }
    let o = report.outbox;
    println!(
        "{} sent now; {} of {total} delivered, {} pending, {} failed",
        count(report.delivered, "statement"),
        o.delivered,
        o.pending,
        o.failed
    );
    if o.pending > 0 {
        println!(
            "{} queued for the next `attune sync` or app start{}",
            count_with(o.pending, "statement stays", "statements stay"),
            report
                .error
                .map_or(String::new(), |e| format!(" (last error: {e})"))
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_status(store: &Store, cfg: &Result<Option<LrsConfig>, String>) -> Result<(), String> {
    match cfg {
        Ok(Some(c)) => {
            println!("learning record store: {}", c.endpoint);
            if let Some(w) = c.plain_http_warning() {
                println!("{w}");
            }
        }
        Ok(None) => println!("learning record store: not configured"),
        Err(e) => println!(
            "learning record store: the configuration is wrong, so nothing is sent until it is corrected: {e}"
        ),
    }
    if !store.schema_is_current()? {
        // Read as it is, never migrated here: an older queue may not have today's columns.
        println!(
            "the queue of statements is not shown: these records were written by an older Attune; the next `attune sync` (on a writable disk) brings them up to date"
        );
        return Ok(());
    }
    let OutboxCounts {
        pending,
        delivered,
        failed,
    } = outbox::counts(store)?;
    println!("{pending} pending, {delivered} delivered, {failed} failed");
    if failed > 0 {
        println!("failed statements are not sent again until `attune sync --retry-failed`");
    }
    for e in outbox::errors(store)? {
        let state = if e.failed { "failed" } else { "pending" };
        let mut named: Vec<&str> = e
            .attempts
            .iter()
            .take(ATTEMPTS_NAMED)
            .map(String::as_str)
            .collect();
        let more = e.attempts.len().saturating_sub(ATTEMPTS_NAMED);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        named.sort_unstable();
        println!(
            "  {} {state}: {} ({} {}{more})",
            e.count,
            e.message,
            if e.attempts.len() == 1 {
                "attempt"
            } else {
                "attempts"
            },
            named.join(", ")
        );
    }
    let unqueued = outbox::unqueued_count(store)?;
    if unqueued > 0 {
        println!(
            "{} no statements queued; `attune sync` queues them",
            count_with(unqueued, "finished attempt has", "finished attempts have")
        );
    }
    Ok(())
}
