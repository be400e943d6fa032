//! The assessment pack's screen: who is taking it, progress between clients, the results.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::{DrawScreen, root_ui, send, showing};
use crate::app::{AppCommand, PackDesk, Records, ScenarioLibrary, Screen};
use crate::ui;

pub(super) fn plugin(_app: &mut App) {}

pub(super) fn draw_plugin(app: &mut App) {
    app.init_resource::<PackScreen>()
        // The name typed is forgotten once the library is shown again.
        .add_systems(
            OnEnter(Screen::Library),
            |mut screen: ResMut<PackScreen>| *screen = PackScreen::default(),
        )
        .add_systems(
            EguiPrimaryContextPass,
            draw.in_set(DrawScreen).run_if(showing(Screen::Pack)),
        );
}

/// The pack screen's own state.
#[derive(Resource, Default)]
pub struct PackScreen {
    pub ui: ui::pack::PackUi,
}

fn draw(
    mut contexts: EguiContexts,
    library: Res<ScenarioLibrary>,
    packs: Res<PackDesk>,
    records: Res<Records>,
    mut screen: ResMut<PackScreen>,
    mut out: MessageWriter<AppCommand>,
) -> Result {
    let Some(view) = view(&packs, &library, &records) else {
        return Ok(());
    };
    let mut root = root_ui(&mut contexts)?;
    screen.ui.learner_problem = packs.learner_problem.clone();
    let actions = ui::pack::show(&mut root, &view, &mut screen.ui);
    send(&mut out, actions);
    Ok(())
}

/// The pack's screen as plain data.
fn view<'a>(
    packs: &'a PackDesk,
    library: &ScenarioLibrary,
    records: &Records,
) -> Option<ui::pack::PackView<'a>> {
    let (pack, _) = packs.opened.as_ref()?;
    let now = crate::assessment::now_unix();
    let clients = pack
        .scenarios
        .iter()
        .map(|item| {
            let scenario = library
                .by_id(&item.scenario)
                .and_then(|e| e.scenario.as_ref())
                .map(|p| &p.scenario);
            let done = packs
                .sitting
                .as_ref()
                .and_then(|s| s.done.iter().find(|d| d.scenario == item.scenario));
            ui::pack::PackClient {
                name: scenario.map_or(item.scenario.clone(), |s| s.client.name.clone()),
                title: scenario.map_or(String::new(), |s| s.meta.title.clone()),
                result: done.map(|d| (d.overall, d.passed)),
                attempt: done.map(|d| d.attempt_id.clone()),
            }
        })
        .collect();
    Some(ui::pack::PackView {
        title: &pack.title,
        class_id: &pack.class_id,
        instructions: &pack.instructions,
        pass_mark: pack.pass_mark,
        time_limit_minutes: pack.time_limit_minutes,
        clients,
        sitting: packs.sitting.as_ref().map(|s| ui::pack::SittingView {
            learner: s.learner.clone(),
            next: s.next(now).map(|(position, _)| position),
            seconds_left: s.seconds_left(now),
            time_up: s.time_is_up(now),
        }),
        saved_to: records.path.as_ref().map(|p| p.display().to_string()),
        problems: &packs.problems,
    })
}
