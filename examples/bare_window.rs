//! The baseline `scripts/measure-app.sh` compares Attune with: a bare Bevy window with
//! bevy_egui and one egui window, built with exactly Attune's Bevy features and the same
//! reactive `WinitSettings::desktop_app()`, and nothing of Attune but the start-up probe.
//! Run: `cargo run --release --example bare_window`.

use bevy::prelude::*;
use bevy::winit::WinitSettings;
use bevy_egui::{EguiContexts, EguiPlugin, EguiPrimaryContextPass};

fn main() {
    let mut app = App::new();
    app.add_plugins(DefaultPlugins.set(WindowPlugin {
        primary_window: Some(Window {
            title: "bare Bevy + egui window".into(),
            resolution: (1280, 800).into(),
            ..default()
        }),
        ..default()
    }))
    .add_plugins(EguiPlugin::default())
    .insert_resource(WinitSettings::desktop_app())
    .add_systems(Startup, |mut commands: Commands| {
        commands.spawn(Camera2d);
    })
    .add_systems(EguiPrimaryContextPass, hello);
    attune::app::probe::plugin(&mut app);
    app.run();
}

fn hello(mut contexts: EguiContexts) -> Result {
    egui::Window::new("Hello").show(contexts.ctx_mut()?, |ui| {
        ui.label("A bare egui window.");
    });
    Ok(())
}
