//! The window: its plugins, the camera, the icon, and the screens' drawing
//! (`screens::draw_plugin`), each screen drawn by its own system in the egui pass.

use bevy::prelude::*;
use bevy::winit::WinitSettings;
use bevy_egui::EguiPlugin;

use super::LibraryLocation;
use super::settings::Settings;

pub const WINDOW_TITLE: &str = "Attune: psychotherapy practice";

/// Window, rendering and assets. Reactive rendering (no frames while idle) unless a script
/// drives the window, which needs a steady frame clock.
pub fn add_window_plugins(app: &mut App, location: &LibraryLocation, scripted: bool) {
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: WINDOW_TITLE.into(),
                    name: Some("attune".into()),
                    resolution: (1280, 800).into(),
                    ..default()
                }),
                ..default()
            })
            .set(location.asset_plugin(!scripted))
            .add_before::<bevy::asset::AssetPlugin>(location.reader_plugin()),
    );
    app.insert_resource(if scripted {
        WinitSettings::game()
    } else {
        WinitSettings::desktop_app()
    });
}

pub struct GuiPlugin;

impl Plugin for GuiPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins(EguiPlugin::default())
            .insert_resource(Settings::load())
            .add_systems(Startup, (spawn_camera, train_the_coder_aside))
            .add_systems(Update, set_window_icon);
        super::screens::draw_plugin(app);
        super::idle::plugin(app);
        super::probe::plugin(app);
        super::frame_probe::plugin(app);
    }
}

fn spawn_camera(mut commands: Commands) {
    commands.spawn(Camera2d);
}

/// The coder of the trainee's own words trains on its corpus once per run (a twentieth of a
/// second in a release build, more in a debug one): done on a thread of its own at start, so
/// the first word typed in a session does not wait for it.
fn train_the_coder_aside() {
    std::thread::spawn(|| {
        crate::coding::shared_coder();
    });
}

/// The window icon, drawn in code: a speech bubble in the accent colour.
fn icon_rgba(size: u32) -> Vec<u8> {
    let mut rgba = Vec::with_capacity((size * size * 4) as usize);
    let c = size as f32 / 2.0;
    for y in 0..size {
        for x in 0..size {
            let (dx, dy) = (x as f32 - c, y as f32 - c * 0.85);
            let bubble = (dx * dx) / (c * c * 0.8) + (dy * dy) / (c * c * 0.5) <= 1.0;
            let tail = y as f32 > c * 1.2
                && (x as f32) > c * 0.45
                && (x as f32) < c * 0.45 + (size as f32 - y as f32) * 0.6;
            if bubble || tail {
                rgba.extend_from_slice(&[0, 114, 178, 255]);
            } else {
                rgba.extend_from_slice(&[0, 0, 0, 0]);
            }
        }
    }
    rgba
}

fn set_window_icon(
    windows: Query<Entity, With<bevy::window::PrimaryWindow>>,
    mut done: Local<bool>,
    _main_thread: bevy::ecs::system::NonSendMarker,
) {
    if *done {
        return;
    }
    let Ok(entity) = windows.single() else { return };
    bevy::winit::WINIT_WINDOWS.with_borrow(|winit_windows| {
        if let Some(window) = winit_windows.get_window(entity) {
            if let Ok(icon) = winit::window::Icon::from_rgba(icon_rgba(64), 64, 64) {
                window.set_window_icon(Some(icon));
            }
            *done = true;
        }
    });
}
