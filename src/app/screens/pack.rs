//! The assessment pack's screen: who is taking it, progress between clients, the results.
//! Its handler opens a pack (from the library, or the command line once the library has
//! loaded), begins a sitting, meets the next client, takes up an interrupted sitting and
//! opens a finished client's debrief.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::{DrawScreen, Handles, root_ui, send, showing};
use crate::app::flow::{Desk, HandleCommands, Played};
use crate::app::{AppCommand, PackDesk, Records, ScenarioLibrary, Screen};
use crate::assessment::{self, Available, Sitting};
use crate::ui::{self, UiAction};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, handle.in_set(Handles(Screen::Pack)));
}

fn handle(mut commands: MessageReader<AppCommand>, mut desk: Desk) {
    for AppCommand(action) in commands.read() {
        match action {
            UiAction::OpenPack(path) => open_pack(&mut desk, path),
            UiAction::BeginSitting(typed) => begin_sitting(&mut desk, typed),
            UiAction::NextClient => desk.next_client(),
            UiAction::ResumeSitting(id) => resume_sitting(&mut desk, id),
            UiAction::ReviewAttempt(id) => review(&mut desk, id),
            _ => {}
        }
    }
}

/// A pack named on the command line, opened once the library has loaded.
#[derive(Resource)]
struct PendingPack {
    path: Option<String>,
    /// Frames seen since the library loaded, so its files' events have been taken in.
    settled: u32,
}

pub fn open_when_loaded(app: &mut App, path: String) {
    app.insert_resource(PendingPack {
        path: Some(path),
        settled: 0,
    })
    .add_systems(Update, open_pending_pack.before(HandleCommands));
}

fn open_pending_pack(
    mut pending: ResMut<PendingPack>,
    library: Res<ScenarioLibrary>,
    server: Res<AssetServer>,
    mut out: MessageWriter<AppCommand>,
) {
    if pending.path.is_none() || !library.is_loaded(&server) {
        return;
    }
    pending.settled += 1;
    if pending.settled >= 3
        && let Some(path) = pending.path.take()
    {
        out.write(AppCommand(UiAction::OpenPack(path)));
    }
}

fn open_pack(desk: &mut Desk, path: &str) {
    let available: Vec<Available> = desk
        .library
        .entries
        .iter()
        .filter_map(|e| {
            Some(Available {
                id: &e.scenario.as_ref()?.scenario.meta.id,
                content_hash: &e.content_hash,
            })
        })
        .collect();
    let parsed = crate::scenario::read_text(std::path::Path::new(path))
        .map_err(|e| vec![format!("{path}: {e}")])
        .and_then(|text| {
            assessment::parse_pack(path, &text, &available)
                .map_err(|ds| ds.iter().map(|d| d.to_string()).collect())
        });
    match parsed {
        Ok(pack) => {
            desk.packs.problems.clear();
            desk.packs.learner_problem = None;
            desk.packs.opened = Some((pack, path.to_string()));
            desk.packs.sitting = None;
            desk.go(Screen::Pack);
        }
        Err(problems) => {
            for p in &problems {
                warn!("{p}");
            }
            desk.packs.problems = problems;
        }
    }
}

fn begin_sitting(desk: &mut Desk, typed: &str) {
    let Some((pack, file)) = desk.packs.opened.clone() else {
        return;
    };
    let sitting = match Sitting::begin(pack, file, typed, assessment::now_unix()) {
        Ok(sitting) => sitting,
        Err(why) => {
            desk.packs.learner_problem = Some(why);
            return;
        }
    };
    // Nothing of an assessment may be lost: without a working records database it
    // does not begin.
    if !desk.records.begin_sitting(&sitting) {
        desk.packs.learner_problem = Some(desk.records.problem.clone().unwrap_or_else(|| {
            "Attempts cannot be saved here, so the assessment cannot begin.".into()
        }));
        return;
    }
    desk.packs.learner_problem = None;
    desk.packs.sitting = Some(sitting);
    desk.next_client();
}

/// Opens the debrief of a finished attempt: its result replayed on the scenario it was
/// played on, with its pack's pass mark.
fn review(desk: &mut Desk, id: &str) {
    let Some(result) = desk.records.result_of(id) else {
        return;
    };
    let played = Played {
        scenario_id: &result.scenario.id,
        content_hash: &result.scenario.content_hash,
        seed: result.seed,
        mode: result.mode,
        choices: &result.choices,
        pass_mark: result.pack.as_ref().map(|p| p.pass_mark),
        continues: result.continues.as_ref(),
    };
    if let Some(run) = desk.replay(played, "shown") {
        desk.practice.run = Some(run);
        // A class's attempt is reviewed with the class's votes.
        desk.practice.class_rounds = desk.records.class_rounds(id);
        desk.practice.class_export = None;
        desk.go(Screen::Debrief);
    }
}

fn resume_sitting(desk: &mut Desk, id: &str) {
    let Some(sitting) = desk
        .records
        .open_sittings
        .iter()
        .find(|s| s.id == id)
        .cloned()
    else {
        return;
    };
    desk.packs.opened = Some((sitting.pack.clone(), sitting.pack_file.clone()));
    let interrupted = desk.records.unfinished_in(&sitting.id);
    let pass_mark = sitting.pack.pass_mark;
    desk.packs.sitting = Some(sitting);
    desk.packs.problems.clear();
    match interrupted {
        Some((u, position)) => {
            let Some(run) = desk.replay(Played::unfinished(&u, Some(pass_mark)), "resumed") else {
                desk.go(Screen::Pack);
                return;
            };
            let pack = desk.packs.sitting.as_ref().map(|s| s.pack_ref(position));
            desk.packs.current = Some(position);
            desk.take_up(run, &u, pack);
        }
        None => {
            // A sitting whose time ran out, or whose last client was done, while the
            // app was closed is over now.
            if let Some(s) = desk.packs.sitting.as_ref()
                && s.is_complete(assessment::now_unix())
            {
                let id = s.id.clone();
                desk.records.finish_sitting(&id);
            }
            desk.go(Screen::Pack)
        }
    }
}

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
        words: pack.words,
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
