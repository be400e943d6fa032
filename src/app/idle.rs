//! Keeps an idle window idle, and redraws it at once when it must.
//!
//! bevy_egui 0.42 pushes an `egui::Event::ModifiersChanged` into every pass whether or not
//! the modifiers changed, and egui treats any input event as a reason to repaint at once,
//! so the window never sleeps. Dropping the events that repeat the last known modifiers
//! restores reactive rendering.
//!
//! A resize, on the other hand, is drawn one frame late: bevy_egui takes egui's screen size
//! from the camera in `PreUpdate`, but the camera learns the window's new size only in
//! `PostUpdate`, so the frame the resize wakes is laid out for the old size and, with
//! nothing else to wake the app, stays on screen until the mouse moves. One more frame,
//! asked for when the window's size or scale changes, lays it out for the new size.

use bevy::prelude::*;
use bevy::window::{RequestRedraw, WindowResized, WindowScaleFactorChanged};
use bevy_egui::{EguiInput, EguiInputSet};

pub fn plugin(app: &mut App) {
    app.add_systems(
        PreUpdate,
        drop_unchanged_modifiers.after(EguiInputSet::WriteEguiEvents),
    )
    .add_systems(PostUpdate, redraw_after_resize);
    super::wake::plugin(app);
    super::loading::plugin(app);
}

/// Asks for one more frame after the window changes size or scale.
fn redraw_after_resize(
    mut resized: MessageReader<WindowResized>,
    mut rescaled: MessageReader<WindowScaleFactorChanged>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let changed = resized.read().count() + rescaled.read().count() > 0;
    if changed {
        redraw.write(RequestRedraw);
    }
}

fn drop_unchanged_modifiers(
    mut inputs: Query<(Entity, &mut EguiInput)>,
    mut last: Local<bevy::platform::collections::HashMap<Entity, egui::Modifiers>>,
) {
    for (entity, mut input) in &mut inputs {
        let known = last.get(&entity).copied();
        let mut seen = known;
        input.0.events.retain(|event| match event {
            egui::Event::ModifiersChanged(m) => {
                let repeat = seen == Some(*m);
                seen = Some(*m);
                !repeat
            }
            _ => true,
        });
        if let Some(m) = seen {
            last.insert(entity, m);
        }
    }
}
