//! The app's delivery in the background: after each saved turn the app nudges the courier,
//! which sends what is due from a thread of its own with its own connection to the
//! database, so a frame never waits on the network. One thread at a time: a nudge while it
//! is sending makes it go round once more before it ends, so nothing queued meanwhile is
//! left behind. The configuration is read afresh each round, so a store configured (or
//! corrected) while the app runs is used from the next turn on.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use super::config::LrsConfig;
use super::deliver::{BACKGROUND_LIMIT, DeliveryReport, RetryPolicy, deliver_until};
use crate::records::Store;

pub struct Courier {
    db_path: PathBuf,
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    /// A thread is sending.
    running: bool,
    /// Nudged while sending: go round once more.
    again: bool,
    /// How the last round ended: what it did, or why it could not send.
    last: Option<Result<DeliveryReport, String>>,
}

impl Courier {
    /// A courier for the records database at `db_path`.
    pub fn new(db_path: PathBuf) -> Courier {
        Courier {
            db_path,
            state: Arc::default(),
        }
    }

    /// Sends what is due, in the background, when a store is configured.
    pub fn nudge(&self) {
        let mut state = lock(&self.state);
        if state.running {
            state.again = true;
            return;
        }
        state.running = true;
        drop(state);
        let (db_path, state) = (self.db_path.clone(), Arc::clone(&self.state));
        let started = std::thread::Builder::new()
            .name("xapi-delivery".into())
            .spawn(move || {
                loop {
                    let outcome = round(&db_path);
                    let mut s = lock(&state);
                    s.last = outcome;
                    if !std::mem::take(&mut s.again) {
                        s.running = false;
                        return;
                    }
                }
            });
        if started.is_err() {
            // No thread to be had: the statements wait for the next nudge or `attune sync`.
            lock(&self.state).running = false;
        }
    }

    /// Whether no thread is sending now.
    pub fn is_idle(&self) -> bool {
        !lock(&self.state).running
    }

    /// How the last round ended; `None` before any, or when no store is configured.
    pub fn last(&self) -> Option<Result<DeliveryReport, String>> {
        lock(&self.state).last.clone()
    }
}

/// One round: `None` when no store is configured (nothing is sent).
fn round(db_path: &std::path::Path) -> Option<Result<DeliveryReport, String>> {
    let cfg = match LrsConfig::for_database(db_path) {
        Ok(Some(cfg)) => cfg,
        Ok(None) => return None,
        Err(e) => return Some(Err(e)),
    };
    Some(
        Store::open(db_path)
            .map_err(|e| e.to_string())
            .and_then(|mut store| {
                let deadline = Instant::now() + BACKGROUND_LIMIT;
                deliver_until(
                    &mut store,
                    &cfg,
                    &RetryPolicy::default(),
                    deadline,
                    &mut |_| {},
                )
            }),
    )
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|p| p.into_inner())
}
