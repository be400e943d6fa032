//! Attune's records, above the core: assessment packs and sittings, attempts kept in an
//! embedded SQLite database, result files sealed and verified by replay, reports and the
//! gradebook, and xAPI statements sent to a learning record store. No window type; the app
//! and the command line both call it. `assessment` is below `records` (checked by
//! `tests/layers.rs`).

pub mod assessment;
pub mod records;

/// The repository's root, where the tests find the library's scenarios and scripts.
#[cfg(test)]
pub(crate) fn repo_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}
