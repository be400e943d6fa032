//! A start-up probe for `scripts/measure-app.sh` and `scripts/measure-library.sh`: when
//! `ATTUNE_PROBE_FIRST_FRAME` is set, the first frame that reaches the window is captured
//! and the wall-clock time of the capture is printed as `first-frame <seconds since 1970>`;
//! in the app, the first frame that shows every file of the scenarios folder in the library
//! is captured too, printed as `library-filled <seconds since 1970>`. The scripts compare
//! these with the time they launched the process. Shared with the bare comparison window in
//! `examples/bare_window.rs`, so both are timed the same way.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};
use bevy::window::RequestRedraw;

use super::{LibraryLocation, ScenarioLibrary};

pub const ENV: &str = "ATTUNE_PROBE_FIRST_FRAME";

pub fn plugin(app: &mut App) {
    if std::env::var_os(ENV).is_some() {
        app.add_systems(Startup, capture_first_frame)
            .add_systems(Update, capture_filled_library);
    }
}

fn capture_first_frame(mut commands: Commands) {
    capture(&mut commands, "first-frame");
}

/// Captures the first frame whose library holds an entry for every `.ron` file of the
/// folder (a file that loads, or one that shows its problems); the bare window has no
/// library and skips this.
fn capture_filled_library(
    mut commands: Commands,
    library: Option<Res<ScenarioLibrary>>,
    location: Option<Res<LibraryLocation>>,
    mut files: Local<Option<usize>>,
    mut captured: Local<Option<Arc<AtomicBool>>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let (Some(library), Some(location)) = (library, location) else {
        return;
    };
    let files = *files.get_or_insert_with(|| {
        std::fs::read_dir(&location.root)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "ron"))
            .count()
    });
    match &*captured {
        None if library.entries.len() >= files => {
            *captured = Some(capture(&mut commands, "library-filled"));
            redraw.write(RequestRedraw);
        }
        // A capture arrives a frame or two after the frame it shows: frames are kept coming
        // until it has, so that an idle window does not hold the printed time back.
        Some(done) if !done.load(Ordering::Relaxed) => {
            redraw.write(RequestRedraw);
        }
        _ => {}
    }
}

/// Captures the next frame that reaches the window and prints `what` and the time then;
/// the flag returned is set once it has.
fn capture(commands: &mut Commands, what: &'static str) -> Arc<AtomicBool> {
    let done = Arc::new(AtomicBool::new(false));
    let set = Arc::clone(&done);
    commands
        .spawn(Screenshot::primary_window())
        .observe(move |_: On<ScreenshotCaptured>| {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            println!("{what} {:.3}", now.as_secs_f64());
            set.store(true, Ordering::Relaxed);
        });
    done
}
