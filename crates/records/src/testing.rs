//! What the records' unit tests share: the repository's root, Dan (the library's scenario
//! the tests record) and Priya's sessions (a series) made ready with their files' content
//! hashes, and a two-client pack.

use std::path::PathBuf;
use std::sync::Arc;

use attune_core::engine::PreparedScenario;
use attune_core::model::Catalogue;
use attune_core::scoring::ScoringConfig;

use crate::assessment::{AssessmentPack, PackItem};
use crate::records::content_hash;

/// The repository's root, where the tests find the library's scenarios and scripts.
pub fn repo_root() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Dan's scenario file in the library.
pub fn dan_file() -> PathBuf {
    repo_root().join("scenarios/dan-mandated-anger.ron")
}

/// Dan made ready to play, and his file's content hash.
pub fn dan() -> (Arc<PreparedScenario>, String) {
    library_scenario(&dan_file())
}

/// Priya's session `n` (1 to 3) in the library.
pub fn priya_file(n: u32) -> PathBuf {
    repo_root().join(format!("scenarios/priya-gad-session-{n}.ron"))
}

/// Priya's session `n` made ready to play, and its file's content hash.
pub fn priya(n: u32) -> (Arc<PreparedScenario>, String) {
    library_scenario(&priya_file(n))
}

/// The scenario file at `path` made ready to play, and its content hash.
fn library_scenario(path: &std::path::Path) -> (Arc<PreparedScenario>, String) {
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy();
    let prepared = PreparedScenario::from_text(
        &name,
        std::str::from_utf8(&bytes).unwrap(),
        &Catalogue::builtin(),
        &ScoringConfig::builtin(),
    )
    .unwrap();
    (prepared, content_hash(&bytes))
}

/// A pack of two clients, `a` and `b`, with a pass mark of 60 and seed 1, no hashes pinned.
pub fn two_client_pack(limit: Option<u32>) -> AssessmentPack {
    AssessmentPack {
        id: "p".into(),
        title: "P".into(),
        class_id: "C".into(),
        pass_mark: 60.0,
        time_limit_minutes: limit,
        instructions: String::new(),
        words: Default::default(),
        scenarios: ["a", "b"]
            .iter()
            .map(|s| PackItem {
                scenario: s.to_string(),
                seed: 1,
                content_hash: None,
            })
            .collect(),
    }
}

/// Dan's moves with the trainee's own words, as a words-first session plays them: a
/// complex reflection said as one, a reflection claimed but typed as a question (a
/// mismatch), and words alone (played as coded).
pub fn words_choices() -> Vec<attune_core::scenario::Choice> {
    use attune_core::scenario::Choice;
    vec![
        Choice {
            say: Some("You're furious that the court is making you sit here.".into()),
            ..Choice::new("complex_reflection")
        },
        Choice {
            say: Some("Why did you hit the wall?".into()),
            ..Choice::new("complex_reflection")
        },
        Choice {
            say: Some(
                "Part of you wants to be left alone, and part of you wants your kids back.".into(),
            ),
            ..Choice::default()
        },
    ]
}

/// Dan played from `seed` with `words_choices` through `Session::apply`, as the app plays
/// a words-first session.
pub fn dan_played_with_words(seed: u64) -> attune_core::engine::Session {
    let mut session = attune_core::engine::Session::new(dan().0, seed);
    for choice in words_choices() {
        session.apply(&choice).unwrap();
    }
    session
}
