//! The briefing screen: the client's intake and the choice of mode, with a new practice
//! seed each time it is opened. Its handler begins the session: a practice one (at the desk,
//! or on the projector for a class), or in a sitting the pack's next client with the pack's
//! seed and pass mark.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::{DrawScreen, Handles, root_ui, send, showing};
use crate::app::flow::Desk;
use crate::app::records::Records;
use crate::app::series::{self, SeriesDesk};
use crate::app::{AppCommand, PackDesk, Practice, PracticeRun, ScenarioLibrary, Screen};
use crate::assessment;
use crate::engine::BranchedSession;
use crate::model::Mode;
use crate::ui::{self, UiAction};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<SeriesDesk>()
        .add_systems(Update, handle.in_set(Handles(Screen::Briefing)));
}

fn handle(mut commands: MessageReader<AppCommand>, mut desk: Desk, mut series: ResMut<SeriesDesk>) {
    for AppCommand(action) in commands.read() {
        match action {
            UiAction::Start { mode, seed } => {
                start(&mut desk, &mut series, *mode, *seed, Screen::Session)
            }
            // A class practises: the session is a practice one, shown on the projector.
            UiAction::StartClassroom { seed } if desk.packs.sitting.is_none() => start(
                &mut desk,
                &mut series,
                Mode::Practice,
                *seed,
                Screen::Projector,
            ),
            UiAction::StartClassroom { .. } => {
                warn!("a sitting's client is met in assessment, not in a classroom")
            }
            _ => {}
        }
    }
}

/// Begins a session with the client whose briefing is open: in a sitting, only its next
/// client, unchanged since the pack was made. A practice session is shown on `screen`, and
/// one that follows an earlier session begins where the learner's last attempt at it left
/// the client (`app::series`).
fn start(desk: &mut Desk, series: &mut SeriesDesk, mode: Mode, seed: u64, screen: Screen) {
    let Some(path) = desk.practice.selected.clone() else {
        return;
    };
    let Some(entry) = desk.library.get(&path) else {
        return;
    };
    let Some(prepared) = entry.scenario.clone() else {
        return;
    };
    let hash = entry.content_hash.clone();
    let Some(sitting) = desk.packs.sitting.as_ref() else {
        let begun = series::begin(&desk.library, &mut desk.records, &prepared, seed);
        series.note = begun.note;
        let run = PracticeRun {
            path,
            run: BranchedSession::from_session(begun.session, mode),
        };
        desk.records.begin_practice(&run, &hash, begun.continues);
        desk.practice.run = Some(run);
        desk.practice.classroom = screen == Screen::Projector;
        desk.practice.class_rounds.clear();
        desk.practice.class_export = None;
        desk.go(screen);
        return;
    };
    let id = &prepared.scenario.meta.id;
    match sitting.meet(id, &hash, assessment::now_unix()) {
        Ok(meeting) => {
            let run = PracticeRun {
                path,
                run: BranchedSession::new(
                    sitting.scored_by_pack(&prepared),
                    meeting.item.seed,
                    Mode::Assessment,
                ),
            };
            desk.records.begin(
                &run,
                &hash,
                Some(&sitting.learner),
                Some((sitting, meeting.position)),
                None,
            );
            desk.packs.current = Some(meeting.position);
            desk.practice.run = Some(run);
            desk.practice.classroom = false;
            desk.practice.class_rounds.clear();
            desk.practice.class_export = None;
            desk.practice.class_export = None;
            desk.go(Screen::Session);
        }
        // In a sitting only its next client is met: the time is up, or this is not it.
        Err(assessment::Refusal::NotNext) => desk.next_client(),
        Err(assessment::Refusal::Changed) => {
            desk.packs.problems = vec![format!(
                "{path} has changed since the pack was made; ask your instructor for the file the pack names"
            )];
            desk.go(Screen::Pack);
        }
    }
}

pub(super) fn draw_plugin(app: &mut App) {
    app.init_resource::<BriefingScreen>()
        .add_systems(
            OnEnter(Screen::Briefing),
            (new_practice_seed, series_note).chain(),
        )
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

/// What the briefing says of the session before, for a client seen across sessions: worked
/// out with the practice seed the session will begin with (none in a sitting).
fn series_note(
    library: Res<ScenarioLibrary>,
    practice: Res<Practice>,
    packs: Res<PackDesk>,
    mut records: ResMut<Records>,
    mut screen: ResMut<BriefingScreen>,
) {
    let prepared = practice
        .selected
        .as_deref()
        .and_then(|p| library.get(p))
        .and_then(|e| e.scenario.clone());
    screen.ui.series = match prepared {
        Some(prepared) if packs.sitting.is_none() => {
            series::begin(&library, &mut records, &prepared, screen.practice_seed).note
        }
        _ => None,
    };
}

fn draw(
    mut contexts: EguiContexts,
    library: Res<ScenarioLibrary>,
    practice: Res<Practice>,
    packs: Res<PackDesk>,
    settings: Res<crate::app::settings::Settings>,
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
    // The mode that applies; a pack that asks for words fixes it, unless the learner's
    // own setting asks more.
    let sitting = packs.sitting.as_ref();
    screen.ui.words_mode = crate::app::words_mode::words_mode(&settings, sitting);
    screen.ui.words_fixed = sitting.is_some_and(|s| {
        s.words_mode() != crate::coding::WordsMode::Optional
            && s.words_mode() == screen.ui.words_mode
    });
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
