//! Keeps an idle window idle. bevy_egui 0.42 pushes an `egui::Event::ModifiersChanged`
//! into every pass whether or not the modifiers changed, and egui treats any input event
//! as a reason to repaint at once, so the window never sleeps. Dropping the events that
//! repeat the last known modifiers restores reactive rendering.

use bevy::prelude::*;
use bevy_egui::{EguiInput, EguiInputSet};

pub fn plugin(app: &mut App) {
    app.add_systems(
        PreUpdate,
        drop_unchanged_modifiers.after(EguiInputSet::WriteEguiEvents),
    );
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
