//! Frames for a reactive window when what it shows changes off its own events. The app's
//! window redraws only on input and at its wake-ups (5 s focused, 60 s in the background),
//! and nothing on another thread wakes it: the library's files read by the loading thread,
//! the class's votes counted by the vote's server, a sitting's clock. A system that knows the
//! window must show such a change asks for a frame at least so often ([`Wakeups`]), each
//! frame it must; at the end of the frame the window runs at the most frequent rate asked
//! for, and once nothing asks its own update modes come back and it idles again.
//!
//! (egui's `request_repaint_after` cannot do this: bevy_egui 0.42 turns any delayed repaint
//! into an immediate redraw, so a window asking for one every 500 ms rendered flat out.) A
//! window that does not run reactively (a script's) is left as it is.

use std::time::Duration;

use bevy::prelude::*;
use bevy::winit::{UpdateMode, WinitSettings};

pub fn plugin(app: &mut App) {
    app.init_resource::<Wakeups>()
        .add_systems(PostUpdate, run_at_the_rate_asked);
}

/// This frame's asks for the window's next frames.
#[derive(Resource, Default, Debug)]
pub struct Wakeups {
    asked: Option<Duration>,
}

impl Wakeups {
    /// The window should run a frame at least every `every` from now on (asked again each
    /// frame for as long as it should).
    pub fn at_least_every(&mut self, every: Duration) {
        self.asked = Some(self.asked.map_or(every, |a| a.min(every)));
    }
}

/// Sets the window's update modes to the rate asked for this frame, keeping its own in
/// `own` meanwhile, and gives them back once nothing asks.
fn run_at_the_rate_asked(
    mut wakeups: ResMut<Wakeups>,
    settings: Option<ResMut<WinitSettings>>,
    mut own: Local<Option<WinitSettings>>,
) {
    let asked = wakeups.asked.take();
    let Some(mut settings) = settings else {
        return;
    };
    match (own.take(), asked) {
        (None, Some(every)) if matches!(settings.focused_mode, UpdateMode::Reactive { .. }) => {
            *own = Some(settings.clone());
            settings.focused_mode = UpdateMode::reactive(every);
            settings.unfocused_mode = UpdateMode::reactive(every);
        }
        (Some(kept), Some(every)) => {
            *own = Some(kept);
            let wanted = UpdateMode::reactive(every);
            if settings.focused_mode != wanted {
                settings.focused_mode = wanted;
                settings.unfocused_mode = wanted;
            }
        }
        (Some(kept), None) => *settings = kept,
        (None, _) => {}
    }
}
