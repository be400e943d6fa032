//! The scenario library: every file in the scenarios folder, its last good version and its
//! current problems. Edits on disk arrive as asset events; a changed scenario also updates
//! a running session of it, between turns.

use std::sync::Arc;

use bevy::asset::LoadedFolder;
use bevy::prelude::*;

use super::reader::LeftOut;
use super::records::Records;
use super::{LibraryLocation, Practice, ScenarioFile};
use crate::engine::PreparedScenario;
use crate::source::Diagnostic;

#[derive(Clone, Debug)]
pub struct LibraryEntry {
    /// The file's path inside the asset root, e.g. `scenarios/dan-mandated-anger.ron`.
    pub path: String,
    /// The last version that loaded.
    pub scenario: Option<Arc<PreparedScenario>>,
    /// The content hash of the last version that loaded.
    pub content_hash: String,
    /// Problems with the file as it is now; empty when it loads.
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Resource, Default)]
pub struct ScenarioLibrary {
    pub entries: Vec<LibraryEntry>,
    folder: Handle<LoadedFolder>,
}

impl ScenarioLibrary {
    pub fn get(&self, path: &str) -> Option<&LibraryEntry> {
        self.entries.iter().find(|e| e.path == path)
    }

    /// Whether every file of the folder has been read once.
    pub fn is_loaded(&self, server: &AssetServer) -> bool {
        server.is_loaded_with_dependencies(&self.folder)
    }

    /// Whether every file of the folder has been read once and taken into the library (its
    /// asset event arrives a frame after the folder counts as loaded).
    pub fn is_complete(&self, server: &AssetServer, folders: &Assets<LoadedFolder>) -> bool {
        self.is_loaded(server)
            && folders
                .get(&self.folder)
                .is_some_and(|f| self.entries.len() >= f.handles.len())
    }

    /// Whether the folder's files are still being read for the first time (neither all
    /// loaded nor stopped by a failure).
    pub fn is_loading(&self, server: &AssetServer) -> bool {
        !server.is_loaded_with_dependencies(&self.folder)
            && !server
                .get_recursive_dependency_load_state(&self.folder)
                .is_some_and(|s| s.is_failed())
    }

    /// The entry whose last good version has this content hash.
    pub fn by_hash(&self, hash: &str) -> Option<&LibraryEntry> {
        self.entries
            .iter()
            .find(|e| e.scenario.is_some() && e.content_hash == hash)
    }

    /// The entry holding the scenario with this id.
    pub fn by_id(&self, id: &str) -> Option<&LibraryEntry> {
        self.entries.iter().find(|e| {
            e.scenario
                .as_ref()
                .is_some_and(|p| p.scenario.meta.id == id)
        })
    }

    /// The entry of a file, made when it is new.
    fn entry_mut(&mut self, path: &str) -> &mut LibraryEntry {
        let index = match self.entries.iter().position(|e| e.path == path) {
            Some(i) => i,
            None => {
                self.entries.push(LibraryEntry {
                    path: path.to_string(),
                    scenario: None,
                    content_hash: String::new(),
                    diagnostics: Vec::new(),
                });
                self.entries.sort_by(|a, b| a.path.cmp(&b.path));
                self.entries
                    .iter()
                    .position(|e| e.path == path)
                    .expect("just inserted")
            }
        };
        &mut self.entries[index]
    }

    /// Records a file the folder's reader left out (a named pipe, a device), with why.
    fn left_out(&mut self, path: &str, why: &str) {
        self.entry_mut(path).diagnostics = vec![Diagnostic::whole_file(path, why)];
    }

    /// Records a new version of a file; returns the scenario when it loaded and changed.
    fn update(&mut self, file: &ScenarioFile) -> Option<Arc<PreparedScenario>> {
        let entry = self.entry_mut(&file.path);
        match &file.result {
            Ok(prepared) => {
                entry.diagnostics.clear();
                let changed = !entry
                    .scenario
                    .as_ref()
                    .is_some_and(|old| Arc::ptr_eq(old, prepared));
                entry.scenario = Some(Arc::clone(prepared));
                entry.content_hash = file.content_hash.clone();
                changed.then(|| Arc::clone(prepared))
            }
            Err(diagnostics) => {
                entry.diagnostics = diagnostics.clone();
                None
            }
        }
    }
}

pub fn plugin(app: &mut App) {
    app.init_resource::<ScenarioLibrary>()
        .add_systems(Startup, load_library)
        .add_systems(Update, sync_library.in_set(LibrarySync));
}

/// Library updates run before commands are handled, so a command sees the newest files.
#[derive(SystemSet, Clone, Debug, PartialEq, Eq, Hash)]
pub struct LibrarySync;

fn load_library(mut library: ResMut<ScenarioLibrary>, server: Res<AssetServer>) {
    // The asset root is the library folder itself.
    library.folder = server.load_folder("");
}

fn sync_library(
    mut events: MessageReader<AssetEvent<ScenarioFile>>,
    files: Res<Assets<ScenarioFile>>,
    mut library: ResMut<ScenarioLibrary>,
    mut practice: ResMut<Practice>,
    mut records: ResMut<Records>,
    left_out: Res<LeftOut>,
    location: Res<LibraryLocation>,
) {
    for (path, why) in left_out.take() {
        library.left_out(&format!("{}/{}", location.folder, path.display()), &why);
    }
    for event in events.read() {
        let (AssetEvent::Added { id } | AssetEvent::Modified { id }) = event else {
            continue;
        };
        let Some(file) = files.get(*id) else { continue };
        if let Some(prepared) = library.update(file)
            && let Some(run) = practice.run.as_mut()
            && run.path == file.path
            // An assessment is played on the content it began with.
            && run.run.mode == crate::model::Mode::Practice
        {
            // Live reload: replay the running session on the new content.
            run.run.reload(prepared);
            if records.is_recording() {
                records.restart(run, &file.content_hash);
            }
        }
    }
}
