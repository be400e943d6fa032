//! How cost grows with the library (issue 16): generated libraries of 13, 100 and 500
//! scenario files (`library/generate.rs`), written into the bench's temporary folder.
//!
//! - `library load/N`: every file of the folder read, parsed and validated into a
//!   `PreparedScenario` with its content hash, as the app's asset loader does it
//!   (`ScenarioLoader::prepare`); criterion's throughput line gives the files per second,
//!   so the cost per file, and linear growth shows as the same cost per file at every size.
//! - `library app/first update/N` and `library app/filled/N`: the app without a window
//!   (the headless harness of the app tests), from building it to the end of its first
//!   frame, and to the frame after which every file of the folder is in the library.
//!
//! `bash scripts/measure-library.sh` measures the same in the real window under Xvfb; it
//! asks this bench for the libraries with `--write-libraries DIR`.

// A bench's own modules sit beside it, in a folder of its name.
#[path = "library/generate.rs"]
mod generate;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use attune::app::{CorePlugin, LibraryLocation, ScenarioLibrary, ScenarioLoader};
use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use criterion::{BenchmarkId, Criterion, Throughput};

/// The library sizes the issue asks for.
const SIZES: [usize; 3] = [13, 100, 500];

/// The folder of the library of `size` files inside `root`. The folder is named
/// `scenarios`, as the app's messages name it.
fn library_dir(root: &Path, size: usize) -> PathBuf {
    root.join(size.to_string()).join("scenarios")
}

/// The libraries, written afresh.
fn write_libraries(root: &Path) -> Vec<(usize, PathBuf)> {
    SIZES
        .iter()
        .map(|&size| {
            let dir = library_dir(root, size);
            generate::write_library(&dir, size);
            (size, dir)
        })
        .collect()
}

/// Reads and prepares every file of the folder as the app's loader does; returns the ids.
fn load_library(loader: &ScenarioLoader, dir: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the library folder")
        .map(|e| e.expect("a folder entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|file| {
            let key = format!("scenarios/{}", file.file_name().unwrap().to_string_lossy());
            let bytes = attune::source::read_bytes(file).expect("a readable scenario file");
            let prepared = loader
                .prepare(&key, &bytes)
                .unwrap_or_else(|d| panic!("{key} does not load: {d:?}"));
            std::hint::black_box(attune::records::content_hash(&bytes));
            prepared.scenario.meta.id.clone()
        })
        .collect()
}

fn bench_load(c: &mut Criterion, libraries: &[(usize, PathBuf)]) {
    let loader = ScenarioLoader::new("scenarios");
    let mut group = c.benchmark_group("library load");
    group.sample_size(10);
    for (size, dir) in libraries {
        // Every generated file is valid and distinct.
        let ids = load_library(&loader, dir);
        assert_eq!(ids.len(), *size, "every file of {} loads", dir.display());
        assert_eq!(
            ids.iter().collect::<HashSet<_>>().len(),
            *size,
            "every id is its own"
        );
        group.throughput(Throughput::Elements(*size as u64));
        group.bench_with_input(BenchmarkId::from_parameter(size), dir, |b, dir| {
            b.iter(|| load_library(&loader, dir))
        });
    }
    group.finish();
}

/// The app without a window on `dir`, as the app tests build it, saving no attempts.
fn headless_app(dir: &Path) -> App {
    let location = LibraryLocation::of_folder(dir).expect("the library folder");
    let mut app = App::new();
    app.add_plugins((
        MinimalPlugins,
        StatesPlugin,
        location.reader_plugin(),
        location.asset_plugin(false),
    ));
    app.add_plugins(CorePlugin {
        location,
        records: None,
    });
    app
}

/// Whether every one of the `size` files is in the library, loaded.
fn filled(app: &App, size: usize) -> bool {
    let library = app.world().resource::<ScenarioLibrary>();
    library.entries.len() == size && library.entries.iter().all(|e| e.scenario.is_some())
}

/// From building the app to the end of its first frame, and to the end of the frame that
/// fills the library.
fn start_app(dir: &Path, size: usize) -> (Duration, Duration) {
    let start = Instant::now();
    let mut app = headless_app(dir);
    app.update();
    let first = start.elapsed();
    while !filled(&app, size) {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the library of {size} files did not fill within two minutes"
        );
        // Frames as a window would run them while loading, not a busy loop that would take
        // a core from the loading thread.
        std::thread::sleep(Duration::from_millis(1));
        app.update();
    }
    (first, start.elapsed())
}

fn bench_app(c: &mut Criterion, libraries: &[(usize, PathBuf)]) {
    let mut group = c.benchmark_group("library app");
    group.sample_size(10);
    for (size, dir) in libraries {
        group.bench_with_input(BenchmarkId::new("first update", size), dir, |b, dir| {
            b.iter_custom(|n| (0..n).map(|_| start_app(dir, *size).0).sum())
        });
        group.bench_with_input(BenchmarkId::new("filled", size), dir, |b, dir| {
            b.iter_custom(|n| (0..n).map(|_| start_app(dir, *size).1).sum())
        });
    }
    group.finish();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `--write-libraries DIR`: only write the libraries, for scripts/measure-library.sh.
    if let Some(at) = args.iter().position(|a| a == "--write-libraries") {
        let root = PathBuf::from(args.get(at + 1).expect("--write-libraries DIR"));
        for (size, dir) in write_libraries(&root) {
            println!("{size} {}", dir.display());
        }
        return;
    }
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("library-bench");
    let libraries = write_libraries(&root);
    let mut c = Criterion::default().configure_from_args();
    bench_load(&mut c, &libraries);
    bench_app(&mut c, &libraries);
    c.final_summary();
}
