//! `attune sync`: sends the queued xAPI statements to the configured learning record store,
//! and the note a recording command prints after queuing an attempt's statements.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::records::xapi::{self, LrsConfig, OutboxCounts, RetryPolicy, outbox};
use crate::records::{AttemptResult, Store};
use crate::words::{count, count_with};

pub fn run(status: bool, wait_secs: u64) -> Result<ExitCode, String> {
    let db = super::records::db_path()?;
    let cfg = LrsConfig::for_database(&db)?;
    if status {
        // Only reads: the queue can be looked at on a read-only or full disk.
        let store = Store::open_read_only(&db)?;
        print_status(&store, cfg.as_ref()).map_err(|e| format!("{}: {e}", db.display()))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut store = Store::open(&db)?;
    let Some(cfg) = cfg else {
        let dir = db.parent().unwrap_or(Path::new("."));
        println!(
            "no learning record store is configured, so nothing was sent: set endpoint, key and secret in {} or ATTUNE_LRS_ENDPOINT, ATTUNE_LRS_KEY and ATTUNE_LRS_SECRET",
            dir.join(xapi::config::FILE_NAME).display()
        );
        return Ok(ExitCode::SUCCESS);
    };
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
    for (id, message) in &report.rejected {
        println!("rejected by the store, not sent again: statement {id}: {message}");
    }
    let o = report.outbox;
    println!(
        "{} sent now; {} of {total} delivered, {} pending, {} rejected",
        count(report.delivered, "statement"),
        o.delivered,
        o.pending,
        o.rejected
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

fn print_status(store: &Store, cfg: Option<&LrsConfig>) -> Result<(), String> {
    let OutboxCounts {
        pending,
        delivered,
        rejected,
    } = outbox::counts(store)?;
    match cfg {
        Some(c) => println!("learning record store: {}", c.endpoint),
        None => println!("learning record store: not configured"),
    }
    if !store.schema_is_current()? {
        // Read as it is, never migrated here: an older queue may not have today's columns.
        println!(
            "the queue of statements is not shown: these records were written by an older Attune; the next `attune sync` (on a writable disk) brings them up to date"
        );
        return Ok(());
    }
    println!("{pending} pending, {delivered} delivered, {rejected} rejected");
    for e in outbox::errors(store)? {
        let state = if e.rejected { "rejected" } else { "pending" };
        println!("  {} {state}: {}", e.count, e.message);
    }
    Ok(())
}

/// After an attempt is saved: queue its statements and try to send them once, when a store
/// is configured. Never fails the command: the attempt is saved whatever happens here.
pub fn after_finish(store: &mut Store, db: &Path, attempt_id: &str, result: &AttemptResult) {
    match xapi::queue_and_deliver(store, db, attempt_id, result) {
        Ok(None) => {}
        Ok(Some((_, report))) => {
            for (id, message) in &report.rejected {
                eprintln!("note: the learning record store rejected statement {id}: {message}");
            }
            let pending = report.outbox.pending;
            if pending > 0 {
                eprintln!(
                    "note: {} for the learning record store ({}); `attune sync` sends them",
                    count_with(pending, "statement waits", "statements wait"),
                    report.error.as_deref().unwrap_or("not due yet")
                );
            } else {
                eprintln!(
                    "sent {} to the learning record store",
                    count(report.delivered, "statement")
                );
            }
        }
        Err(e) => eprintln!("note: not sent to the learning record store: {e}"),
    }
}
