//! The window while the library loads. Scenario files are read on a loading thread, and
//! nothing there wakes a reactive window: left alone, it would show the cards read by its
//! first frames and the rest only at its next wake (5 s focused, 60 s in the background)
//! or when the mouse moves. So while the folder is being read, the window runs a frame at
//! least every `LOADING_FRAME`, and the cards appear as their files are read; once every
//! file is in, the window's own update modes come back and it idles again. A window driven
//! by a script runs continuously already and is left as it is.

use std::time::Duration;

use bevy::prelude::*;
use bevy::winit::{UpdateMode, WinitSettings};

use super::ScenarioLibrary;

/// The longest a loading library waits for its next frame.
pub const LOADING_FRAME: Duration = Duration::from_millis(50);

pub fn plugin(app: &mut App) {
    app.add_systems(Update, frames_while_loading);
}

/// Where the window is: `own` holds its own settings while the library loads.
fn frames_while_loading(
    library: Res<ScenarioLibrary>,
    server: Res<AssetServer>,
    mut settings: ResMut<WinitSettings>,
    mut own: Local<Option<WinitSettings>>,
    mut loaded_before: Local<bool>,
    mut done: Local<bool>,
) {
    if *done {
        return;
    }
    let loading = library.is_loading(&server);
    match own.take() {
        None if loading && matches!(settings.focused_mode, UpdateMode::Reactive { .. }) => {
            *own = Some(settings.clone());
            settings.focused_mode = UpdateMode::reactive(LOADING_FRAME);
            settings.unfocused_mode = UpdateMode::reactive(LOADING_FRAME);
        }
        Some(kept) if loading => *own = Some(kept),
        // The last file's asset event is written at the end of the frame in which the
        // folder counts as loaded and read by the library in the next; the window's own
        // settings come back only once that next frame has run.
        Some(kept) if !*loaded_before => {
            *own = Some(kept);
            *loaded_before = true;
        }
        Some(kept) => {
            *settings = kept;
            *done = true;
        }
        // A script's window (continuous), or a library read before the first frame.
        None => *done = !loading,
    }
}
