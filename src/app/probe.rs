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
        app.init_resource::<Captures>()
            .add_systems(Startup, capture_first_frame)
            // The library's count is read once the frame's files are in it.
            .add_systems(
                Update,
                (
                    capture_filled_library.after(super::library::LibrarySync),
                    redraw_until_captured,
                ),
            );
    }
}

/// The captures asked for, each with a flag set once it has been printed.
#[derive(Resource, Default)]
struct Captures(Vec<Arc<AtomicBool>>);

impl Captures {
    /// Captures the next frame that reaches the window and prints `what` and the time then.
    fn take(&mut self, commands: &mut Commands, what: &'static str) {
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
        self.0.push(done);
    }
}

fn capture_first_frame(mut commands: Commands, mut captures: ResMut<Captures>) {
    captures.take(&mut commands, "first-frame");
}

/// A capture arrives a frame or two after the frame it shows: frames are kept coming until
/// every capture has, so that an idle window does not hold a printed time back.
fn redraw_until_captured(captures: Res<Captures>, mut redraw: MessageWriter<RequestRedraw>) {
    if captures.0.iter().any(|done| !done.load(Ordering::Relaxed)) {
        redraw.write(RequestRedraw);
    }
}

/// Captures the first frame whose library holds an entry for every `.ron` file of the
/// folder (a file that loads, or one that shows its problems); the bare window has no
/// library and skips this.
fn capture_filled_library(
    mut commands: Commands,
    mut captures: ResMut<Captures>,
    library: Option<Res<ScenarioLibrary>>,
    location: Option<Res<LibraryLocation>>,
    mut files: Local<Option<usize>>,
    mut asked: Local<bool>,
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
    if !*asked && library.entries.len() >= files {
        captures.take(&mut commands, "library-filled");
        *asked = true;
    }
}
