//! Sending attempts to a learning record store as xAPI 1.0.3 statements shaped like cmi5.
//! Each attempt's statements are queued in the records database (`outbox`) in the same
//! transactions that record it (`Store::begin`, `record_turn`, `finish`), whether or not a
//! store is configured; they are built when sent (`statements`, from `attempt` and the
//! configuration in `config`) and sent from there (`deliver`, and `courier` for the app in
//! the background). Nothing here touches the network unless a store is configured, and an
//! unreachable store loses nothing: the statements wait and go when it is back. The class
//! is read back from the store, and cross-checked by replay, by `read`.

pub mod attempt;
pub mod config;
pub mod courier;
pub mod deliver;
pub mod http;
pub mod iri;
pub mod outbox;
pub mod read;
pub mod statements;

pub use config::LrsConfig;
pub use courier::Courier;
pub use deliver::{DeliveryReport, RetryPolicy, deliver_pending, deliver_until, flush_at_start};
pub use outbox::OutboxCounts;
