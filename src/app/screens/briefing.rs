//! The briefing screen: the client's intake and the choice of mode, with a new practice
//! seed each time it is opened.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::{DrawScreen, root_ui, send, showing};
use crate::app::{AppCommand, PackDesk, Practice, ScenarioLibrary, Screen};
use crate::ui;

pub(super) fn plugin(_app: &mut App) {}

pub(super) fn draw_plugin(app: &mut App) {
    app.init_resource::<BriefingScreen>()
        .add_systems(OnEnter(Screen::Briefing), new_practice_seed)
        .add_systems(
            EguiPrimaryContextPass,
            draw.in_set(DrawScreen).run_if(showing(Screen::Briefing)),
        );
}

/// The briefing screen's own state.
#[derive(Resource, Default)]
pub struct BriefingScreen {
    pub ui: ui::briefing::BriefingUi,
    /// The seed a practice session starts with, new for each briefing.
    pub practice_seed: u64,
}

fn new_practice_seed(mut screen: ResMut<BriefingScreen>) {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64);
    screen.practice_seed = nanos % 1_000_000 + 1;
}

fn draw(
    mut contexts: EguiContexts,
    library: Res<ScenarioLibrary>,
    practice: Res<Practice>,
    packs: Res<PackDesk>,
    mut screen: ResMut<BriefingScreen>,
    mut out: MessageWriter<AppCommand>,
) -> Result {
    let Some(prepared) = practice
        .selected
        .as_deref()
        .and_then(|p| library.get(p))
        .and_then(|e| e.scenario.as_ref())
    else {
        return Ok(());
    };
    let mut root = root_ui(&mut contexts)?;
    let pack_title = packs.sitting.as_ref().map(|s| s.pack.title.as_str());
    let screen = &mut *screen;
    let actions = ui::briefing::show(
        &mut root,
        &prepared.scenario,
        &mut screen.ui,
        screen.practice_seed,
        pack_title,
    );
    send(&mut out, actions);
    Ok(())
}
