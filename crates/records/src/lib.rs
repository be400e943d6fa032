//! Attune's records, above the core: assessment packs and sittings, attempts kept in an
//! embedded SQLite database, result files sealed and verified by replay, reports and the
//! gradebook, and xAPI statements sent to a learning record store. No window type; the app
//! and the command line both call it. `assessment` is below `records` (checked by
//! `tests/layers.rs`).

pub mod assessment;
pub mod records;

#[cfg(test)]
mod testing;
