//! The window while the library loads. Scenario files are read on a loading thread, and
//! nothing there wakes a reactive window: left alone, it would show the cards read by its
//! first frames and the rest only at its next wake (5 s focused, 60 s in the background)
//! or when the mouse moves. So while the folder is being read, the window runs a frame at
//! least every `LOADING_FRAME` (`wake`), and the cards appear as their files are read; once
//! every file is in, the window idles again.

use std::time::Duration;

use bevy::prelude::*;

use super::ScenarioLibrary;
use super::wake::Wakeups;

/// The longest a loading library waits for its next frame.
pub const LOADING_FRAME: Duration = Duration::from_millis(50);

pub fn plugin(app: &mut App) {
    app.add_systems(Update, frames_while_loading);
}

/// Asks for frames while the folder is read, and for one more after: the last file's asset
/// event is written at the end of the frame in which the folder counts as loaded and read
/// by the library in the next.
fn frames_while_loading(
    library: Res<ScenarioLibrary>,
    server: Res<AssetServer>,
    mut wakeups: ResMut<Wakeups>,
    mut one_more_asked: Local<bool>,
    mut done: Local<bool>,
) {
    if *done {
        return;
    }
    if library.is_loading(&server) {
        wakeups.at_least_every(LOADING_FRAME);
    } else if !*one_more_asked {
        wakeups.at_least_every(LOADING_FRAME);
        *one_more_asked = true;
    } else {
        *done = true;
    }
}
