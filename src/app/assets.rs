//! Scenario files as Bevy assets. The loader never fails on content: a file that does not
//! parse or validate becomes an asset holding its diagnostics, so the library can show the
//! error and keep the last good version.

use std::sync::Arc;

use bevy::asset::{AssetLoader, LoadContext, io::Reader};
use bevy::prelude::*;
use bevy::tasks::futures_lite::AsyncReadExt;

use crate::engine::PreparedScenario;
use crate::model::Catalogue;
use crate::scenario::decode_text;
use crate::scoring::ScoringConfig;
use crate::source::Diagnostic;

#[derive(Asset, TypePath)]
pub struct ScenarioFile {
    /// The path inside the asset root, e.g. `scenarios/dan-mandated-anger.ron`.
    pub path: String,
    pub result: Result<Arc<PreparedScenario>, Vec<Diagnostic>>,
    /// `blake3:` and the hash of the file's bytes, as results record it.
    pub content_hash: String,
}

#[derive(TypePath)]
pub struct ScenarioLoader {
    catalogue: Arc<Catalogue>,
    scoring: Arc<ScoringConfig>,
    /// The library folder's name, put before each file's path so messages read
    /// `scenarios/dan.ron:12:5`.
    folder: String,
}

impl ScenarioLoader {
    pub fn new(folder: &str) -> ScenarioLoader {
        ScenarioLoader {
            catalogue: Arc::new(Catalogue::builtin()),
            scoring: Arc::new(ScoringConfig::builtin()),
            folder: folder.to_string(),
        }
    }

    /// Turns a file's bytes into a prepared scenario or the diagnostics that say why not.
    pub fn prepare(
        &self,
        path: &str,
        bytes: &[u8],
    ) -> Result<Arc<PreparedScenario>, Vec<Diagnostic>> {
        let text = decode_text(bytes.to_vec())
            .map_err(|e| vec![Diagnostic::whole_file(path, e.to_string())])?;
        PreparedScenario::from_text(path, &text, &self.catalogue, &self.scoring)
    }
}

impl AssetLoader for ScenarioLoader {
    type Asset = ScenarioFile;
    type Settings = ();
    type Error = std::io::Error;

    async fn load(
        &self,
        reader: &mut dyn Reader,
        _settings: &(),
        load_context: &mut LoadContext<'_>,
    ) -> Result<ScenarioFile, Self::Error> {
        let path = format!("{}/{}", self.folder, load_context.path().path().display());
        // At most one byte past the limit, whatever the file is.
        let mut bytes = Vec::new();
        let limit = crate::source::MAX_SOURCE_BYTES as u64;
        AsyncReadExt::read_to_end(&mut AsyncReadExt::take(reader, limit + 1), &mut bytes).await?;
        let result = if bytes.len() as u64 > limit {
            Err(vec![Diagnostic::whole_file(
                &path,
                crate::source::ReadError::TooLarge(None).to_string(),
            )])
        } else {
            self.prepare(&path, &bytes)
        };
        let content_hash = crate::records::content_hash(&bytes);
        Ok(ScenarioFile {
            path,
            result,
            content_hash,
        })
    }

    fn extensions(&self) -> &[&str] {
        &["ron"]
    }
}

pub fn plugin(app: &mut App, location: &super::LibraryLocation) {
    app.init_asset::<ScenarioFile>()
        .register_asset_loader(ScenarioLoader::new(&location.folder));
}
