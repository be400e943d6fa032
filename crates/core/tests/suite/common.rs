//! What the core's tests share: the repository's root, the library's scenarios and the test
//! fixture made ready to play, a session played through a list of choices. The app's suite
//! includes this file too (`tests/suite/common.rs`), so there is one copy.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use attune_core::engine::{PreparedScenario, Session};
use attune_core::model::Catalogue;
use attune_core::scenario::Choice;
use attune_core::scoring::ScoringConfig;

/// The repository's root, where the library, the assets and the fixtures are: the core's
/// tests run from `crates/core`, the app's suite (which includes this file) from the root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|dir| dir.join("scenarios").is_dir())
        .expect("the repository holds the library")
        .to_path_buf()
}

pub fn prepared_from(path: &Path) -> Arc<PreparedScenario> {
    PreparedScenario::from_file(path, &Catalogue::builtin(), &ScoringConfig::builtin())
        .unwrap_or_else(|d| panic!("{} does not load: {d:?}", path.display()))
}

/// A library scenario by file stem, e.g. `library("dan-mandated-anger")`.
pub fn library(stem: &str) -> Arc<PreparedScenario> {
    prepared_from(&root().join("scenarios").join(format!("{stem}.ron")))
}

pub fn fixture_text() -> String {
    std::fs::read_to_string(root().join("tests/fixtures/minimal.ron")).expect("fixture")
}

pub fn fixture() -> Arc<PreparedScenario> {
    prepared_text(&fixture_text())
}

pub fn prepared_text(text: &str) -> Arc<PreparedScenario> {
    PreparedScenario::from_text(
        "fixture.ron",
        text,
        &Catalogue::builtin(),
        &ScoringConfig::builtin(),
    )
    .unwrap_or_else(|d| panic!("fixture does not load: {d:?}"))
}

pub fn choice(id: &str) -> Choice {
    Choice::new(id)
}

pub fn play(prepared: &Arc<PreparedScenario>, seed: u64, choices: &[Choice]) -> Session {
    let mut s = Session::new(Arc::clone(prepared), seed);
    for c in choices {
        s.apply(c).expect("choice applies");
    }
    s
}

/// Every scenario file in the library, in a stable order.
pub fn library_files() -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    files
}
