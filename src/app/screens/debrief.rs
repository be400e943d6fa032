//! The debrief screen: the verdict, the rubrics and the transcript beside the best moves,
//! found on a background thread when it opens.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::debrief_view::{self, BestMovesJobs};
use super::{DrawScreen, root_ui, send, showing};
use crate::app::{AppCommand, PackDesk, Practice, Screen};
use crate::ui;

pub(super) fn plugin(_app: &mut App) {}

pub(super) fn draw_plugin(app: &mut App) {
    app.init_resource::<DebriefScreen>()
        .add_systems(
            OnEnter(Screen::Debrief),
            |mut screen: ResMut<DebriefScreen>| *screen = DebriefScreen::default(),
        )
        .add_systems(
            EguiPrimaryContextPass,
            draw.in_set(DrawScreen).run_if(showing(Screen::Debrief)),
        );
}

/// The debrief screen's own state.
#[derive(Resource, Default)]
pub struct DebriefScreen {
    pub ui: ui::debrief::DebriefUi,
    pub best_moves: BestMovesJobs,
}

fn draw(
    mut contexts: EguiContexts,
    practice: Res<Practice>,
    packs: Res<PackDesk>,
    mut screen: ResMut<DebriefScreen>,
    mut out: MessageWriter<AppCommand>,
) -> Result {
    let Some(run) = practice.run.as_ref() else {
        return Ok(());
    };
    let mut root = root_ui(&mut contexts)?;
    let screen = &mut *screen;
    let ctx = root.ctx().clone();
    let best = screen
        .best_moves
        .for_run(&run.run, move || ctx.request_repaint());
    let view = debrief_view::view(
        &run.run,
        screen.ui.compare_with,
        best,
        packs.sitting.is_some(),
    );
    let actions = ui::debrief::show(&mut root, &view, &mut screen.ui);
    send(&mut out, actions);
    Ok(())
}
