//! The scenario library as results refer to it: each file that loads, by the content hash
//! of its bytes, so a result is replayed on exactly the scenario it was played on.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::result::content_hash;
use crate::assessment::Available;
use attune_core::engine::PreparedScenario;
use attune_core::model::Catalogue;
use attune_core::scenario::decode_text;
use attune_core::scoring::ScoringConfig;

pub struct HashedScenario {
    pub file: PathBuf,
    /// `blake3:` and the hash of the file's bytes.
    pub content_hash: String,
    pub prepared: Arc<PreparedScenario>,
}

#[derive(Default)]
pub struct HashedLibrary {
    pub scenarios: Vec<HashedScenario>,
}

impl HashedLibrary {
    /// Every file that loads; one that does not cannot have produced a result, so it is
    /// left out quietly.
    pub fn scan(files: &[PathBuf]) -> HashedLibrary {
        let catalogue = Catalogue::builtin();
        let scoring = ScoringConfig::builtin();
        let scenarios = files
            .iter()
            .filter_map(|file| {
                let bytes = attune_core::source::read_bytes(file).ok()?;
                let hash = content_hash(&bytes);
                let text = decode_text(bytes).ok()?;
                let prepared = PreparedScenario::from_text(
                    &file.display().to_string(),
                    &text,
                    &catalogue,
                    &scoring,
                )
                .ok()?;
                Some(HashedScenario {
                    file: file.clone(),
                    content_hash: hash,
                    prepared,
                })
            })
            .collect();
        HashedLibrary { scenarios }
    }

    pub fn by_hash(&self, hash: &str) -> Option<&HashedScenario> {
        self.scenarios.iter().find(|s| s.content_hash == hash)
    }

    /// What a pack may name: each scenario's id and content hash.
    pub fn available(&self) -> Vec<Available<'_>> {
        self.scenarios
            .iter()
            .map(|s| Available {
                id: &s.prepared.scenario.meta.id,
                content_hash: &s.content_hash,
            })
            .collect()
    }

    /// The file holding the scenario with this id now, whatever its content.
    pub fn file_of(&self, id: &str) -> Option<&Path> {
        self.scenarios
            .iter()
            .find(|s| s.prepared.scenario.meta.id == id)
            .map(|s| s.file.as_path())
    }
}
