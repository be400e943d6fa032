//! The Bevy shell around the core: scenarios as hot-reloaded assets, the screens as plugins
//! (`screens/`: each its state, draw system and handler), the trainee's actions as
//! messages and what the screens share (`flow.rs`), and the window (`gui.rs`).

pub mod assets;
pub mod class_vote;
pub mod course;
pub mod flow;
pub mod frame_probe;
pub mod gui;
pub mod idle;
pub mod library;
pub mod loading;
pub mod probe;
pub mod reader;
pub mod records;
pub mod screens;
pub mod scripted;
pub mod series;
pub mod settings;
pub mod wake;
pub mod words_mode;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use bevy::prelude::*;

pub use assets::{ScenarioFile, ScenarioLoader};
pub use flow::{AppCommand, PackDesk, Practice, PracticeRun};
pub use library::{LibraryEntry, ScenarioLibrary};
pub use records::Records;
pub use screens::Screen;

/// Where the scenario library lives. The folder itself is the asset root, so the file
/// watcher watches only it (watching its parent would walk a whole project, `.git` and
/// all, at start-up); `folder` is its name, shown before each file (`scenarios/dan.ron`).
#[derive(Resource, Clone, Debug)]
pub struct LibraryLocation {
    pub root: PathBuf,
    pub folder: String,
}

impl LibraryLocation {
    /// `dir` is the scenarios folder, e.g. `scenarios/`.
    pub fn of_folder(dir: &Path) -> Result<LibraryLocation, String> {
        let dir = dir
            .canonicalize()
            .map_err(|e| format!("{}: {e}", dir.display()))?;
        if !dir.is_dir() {
            return Err(format!("{} is not a folder", dir.display()));
        }
        let folder = dir
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or("the scenarios folder needs a plain name")?
            .to_string();
        Ok(LibraryLocation { root: dir, folder })
    }

    /// The library key of a scenario file inside the folder, e.g. `scenarios/dan.ron`.
    pub fn key_of(&self, file: &Path) -> Option<String> {
        Some(format!("{}/{}", self.folder, file.file_name()?.to_str()?))
    }

    /// Assessment packs kept beside the library: `*.ron` in a `packs` folder next to it.
    pub fn pack_files(&self) -> Vec<PathBuf> {
        self.files_beside("packs")
    }

    /// Courses kept beside the library: `*.ron` in a `courses` folder next to it.
    pub fn course_files(&self) -> Vec<PathBuf> {
        self.files_beside("courses")
    }

    /// The `*.ron` files of the folder `name` beside the library, in name order.
    fn files_beside(&self, name: &str) -> Vec<PathBuf> {
        let Some(dir) = self.root.parent().map(|p| p.join(name)) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "ron"))
            .collect();
        files.sort();
        files
    }

    /// The folder's reader, which leaves out what is not a regular file; added before the
    /// `asset_plugin`.
    pub fn reader_plugin(&self) -> reader::ReaderPlugin {
        reader::ReaderPlugin {
            root: self.root.clone(),
        }
    }

    pub fn asset_plugin(&self, watch: bool) -> bevy::asset::AssetPlugin {
        bevy::asset::AssetPlugin {
            file_path: self.root.display().to_string(),
            watch_for_changes_override: Some(watch),
            meta_check: bevy::asset::AssetMetaCheck::Never,
            ..default()
        }
    }
}

/// Everything except rendering and input: usable headless in tests.
pub struct CorePlugin {
    pub location: LibraryLocation,
    /// The records database; none runs without saving attempts.
    pub records: Option<PathBuf>,
}

impl Plugin for CorePlugin {
    fn build(&self, app: &mut App) {
        assert!(
            app.world().contains_resource::<reader::LeftOut>(),
            "add `LibraryLocation::reader_plugin` before the asset plugin"
        );
        app.insert_resource(Records::open(self.records.clone()));
        app.insert_resource(self.location.clone());
        assets::plugin(app, &self.location);
        library::plugin(app);
        course::plugin(app);
        flow::plugin(app);
        screens::plugin(app);
    }
}

/// The default scenarios folder: `./scenarios` when it exists, else the one beside the
/// project the binary was built from.
pub fn default_scenarios_dir() -> PathBuf {
    let here = PathBuf::from("scenarios");
    if here.is_dir() {
        return here;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// How the window opens: on the library, on an assessment pack, or playing a script.
#[derive(Default)]
pub struct Opening {
    pub script: Option<scripted::ScriptedRun>,
    /// A pack file to open at once.
    pub pack: Option<PathBuf>,
    /// The records database; none runs without saving attempts.
    pub records: Option<PathBuf>,
}

/// Opens the window on the library, or plays a script through it when `script` is given.
pub fn run(scenarios: &Path, opening: Opening) -> ExitCode {
    let Opening {
        script,
        pack,
        records,
    } = opening;
    let location = match LibraryLocation::of_folder(scenarios) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot open the scenario library: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut app = App::new();
    gui::add_window_plugins(&mut app, &location, script.is_some());
    app.add_plugins(CorePlugin {
        location: location.clone(),
        records,
    });
    if script.is_none() {
        // A person plays in this window; a script's runs (and the headless app) are Script.
        app.world_mut().resource_mut::<Records>().played = crate::records::Played::Window;
    }
    app.add_plugins(gui::GuiPlugin);
    if let Some(pack) = pack {
        screens::pack::open_when_loaded(&mut app, pack.display().to_string());
    }
    if let Some(script) = script {
        scripted::plugin(&mut app, script);
    }
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(_) => ExitCode::FAILURE,
    }
}
