//! The projector screen: a practice session for a class, drawn for the instructor's
//! projector (`ui::projector`). Its moves are played and recorded by the session screen's
//! handler, which plays a choice from either screen, so a classroom session scores, saves
//! and ends to the debrief exactly as practice does.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::session_view::{self, Consult};
use super::{DrawScreen, root_ui, send, showing};
use crate::app::{AppCommand, Practice, Screen};
use crate::ui;

pub(super) fn draw_plugin(app: &mut App) {
    app.init_resource::<ProjectorScreen>()
        // No technique is left selected from the last session; the meters choice stays.
        .add_systems(
            OnEnter(Screen::Projector),
            |mut screen: ResMut<ProjectorScreen>| screen.ui.session = Default::default(),
        )
        .add_systems(
            EguiPrimaryContextPass,
            draw.in_set(DrawScreen).run_if(showing(Screen::Projector)),
        );
}

/// The projector screen's own state.
#[derive(Resource, Default)]
pub struct ProjectorScreen {
    pub ui: ui::projector::ProjectorUi,
    consult: Consult,
}

fn draw(
    mut contexts: EguiContexts,
    practice: Res<Practice>,
    mut screen: ResMut<ProjectorScreen>,
    mut out: MessageWriter<AppCommand>,
) -> Result {
    let Some(run) = practice.run.as_ref() else {
        return Ok(());
    };
    let mut root = root_ui(&mut contexts)?;
    let screen = &mut *screen;
    let view = session_view::view(&run.run, None, &mut screen.consult);
    let actions = ui::projector::show(&mut root, &view, &mut screen.ui);
    send(&mut out, actions);
    Ok(())
}
