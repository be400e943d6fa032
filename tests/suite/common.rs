use std::path::{Path, PathBuf};
use std::sync::Arc;

use attune::catalogue::Catalogue;
use attune::engine::{PreparedScenario, Session};
use attune::scenario::{Choice, load_scenario, parse_scenario};
use attune::scoring::ScoringConfig;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn prepared_from(path: &Path) -> Arc<PreparedScenario> {
    let catalogue = Catalogue::builtin();
    let loaded = load_scenario(path, &catalogue)
        .unwrap_or_else(|d| panic!("{} does not load: {d:?}", path.display()));
    Arc::new(
        PreparedScenario::new(loaded.scenario, &catalogue, &ScoringConfig::builtin())
            .expect("prepares"),
    )
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
    let catalogue = Catalogue::builtin();
    let loaded = parse_scenario("fixture.ron", text, &catalogue)
        .unwrap_or_else(|d| panic!("fixture does not load: {d:?}"));
    Arc::new(
        PreparedScenario::new(loaded.scenario, &catalogue, &ScoringConfig::builtin())
            .expect("prepares"),
    )
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
