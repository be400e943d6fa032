//! The scenarios folder as the app reads it: Bevy's file reader, with anything that is not
//! a regular file or a folder left out of the folder's listing and refused when asked for
//! by name. Bevy reads a folder's files one after another, so a named pipe in the folder
//! would otherwise stop the library loading for ever; and a device would be read without
//! end. Each file left out is kept, by name and kind, for the library to show.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bevy::asset::AssetApp;
use bevy::asset::io::file::FileAssetReader;
use bevy::asset::io::{
    AssetReader, AssetReaderError, AssetSource, AssetSourceBuilder, AssetSourceId, PathStream,
    Reader,
};
use bevy::prelude::*;
use bevy::tasks::futures_lite::StreamExt;

use crate::source::{ReadError, not_a_regular_file};

/// Files of the scenarios folder that were left out, with why (as `attune check` says it):
/// filled by the reader, emptied by the library.
#[derive(Resource, Clone, Default)]
pub struct LeftOut(pub Arc<Mutex<Vec<(PathBuf, String)>>>);

impl LeftOut {
    /// The files left out since the last call, by their path inside the folder.
    pub fn take(&self) -> Vec<(PathBuf, String)> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn add(&self, path: &Path, why: String) {
        let mut list = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if !list.iter().any(|(p, _)| p == path) {
            list.push((path.to_path_buf(), why));
        }
    }
}

struct RegularFilesOnly {
    inner: FileAssetReader,
    root: PathBuf,
    left_out: LeftOut,
}

impl RegularFilesOnly {
    /// Why the file at `path` (inside the folder) is not read, if it is not a regular file
    /// or a folder.
    fn refusal(&self, path: &Path) -> Option<String> {
        let kind = std::fs::metadata(self.root.join(path)).ok()?.file_type();
        if kind.is_dir() {
            return None;
        }
        not_a_regular_file(kind).map(|what| ReadError::NotAFile(what).to_string())
    }
}

impl AssetReader for RegularFilesOnly {
    async fn read<'a>(&'a self, path: &'a Path) -> Result<impl Reader + 'a, AssetReaderError> {
        if let Some(why) = self.refusal(path) {
            self.left_out.add(path, why.clone());
            return Err(AssetReaderError::Io(Arc::new(std::io::Error::other(why))));
        }
        self.inner.read(path).await
    }

    async fn read_meta<'a>(&'a self, path: &'a Path) -> Result<impl Reader + 'a, AssetReaderError> {
        self.inner.read_meta(path).await
    }

    async fn read_directory<'a>(
        &'a self,
        path: &'a Path,
    ) -> Result<Box<PathStream>, AssetReaderError> {
        let listed: Vec<PathBuf> = self.inner.read_directory(path).await?.collect().await;
        let mut kept = Vec::with_capacity(listed.len());
        for child in listed {
            match self.refusal(&child) {
                Some(why) => self.left_out.add(&child, why),
                None => kept.push(child),
            }
        }
        Ok(Box::new(bevy::tasks::futures_lite::stream::iter(kept)))
    }

    async fn is_directory<'a>(&'a self, path: &'a Path) -> Result<bool, AssetReaderError> {
        self.inner.is_directory(path).await
    }
}

/// Makes the scenarios folder, `root`, the default asset source, read through
/// `RegularFilesOnly`. Added before Bevy's `AssetPlugin`, which otherwise installs its own.
pub struct ReaderPlugin {
    pub root: PathBuf,
}

impl Plugin for ReaderPlugin {
    fn build(&self, app: &mut App) {
        let left_out = LeftOut::default();
        app.insert_resource(left_out.clone());
        let root = self.root.clone();
        let watched = self.root.display().to_string();
        app.register_asset_source(
            AssetSourceId::Default,
            AssetSourceBuilder::new(move || {
                Box::new(RegularFilesOnly {
                    inner: FileAssetReader::new(&root),
                    root: root.clone(),
                    left_out: left_out.clone(),
                })
            })
            .with_watcher(AssetSource::get_default_watcher(
                watched,
                Duration::from_millis(300),
            )),
        );
    }
}
