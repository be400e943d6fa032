//! The library screen: a card per client, unfinished work offered again, the packs beside
//! the library, who practises and the text size. Its handler opens a client's briefing,
//! takes up or throws away unfinished practice, and brings the trainee back here.

use std::collections::HashMap;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::course::CourseProgress;
use super::{DrawScreen, Handles, root_ui, send, showing};
use crate::app::course::CourseDesk;
use crate::app::flow::{Desk, Played};
use crate::app::settings::Settings;
use crate::app::{AppCommand, LibraryLocation, PackDesk, Records, ScenarioLibrary, Screen};
use crate::assessment::now_unix;
use crate::model::Mode;
use crate::ui::{self, UiAction};

pub(super) fn plugin(app: &mut App) {
    // What is unfinished is read again each time the library is shown.
    app.add_systems(OnEnter(Screen::Library), |mut records: ResMut<Records>| {
        records.refresh()
    })
    .add_systems(Update, handle.in_set(Handles(Screen::Library)));
}

fn handle(mut commands: MessageReader<AppCommand>, mut desk: Desk) {
    for AppCommand(action) in commands.read() {
        match action {
            UiAction::OpenBriefing(path)
                if desk.library.get(path).is_some_and(|e| e.scenario.is_some()) =>
            {
                desk.practice.selected = Some(path.clone());
                desk.go(Screen::Briefing);
            }
            UiAction::ResumeAttempt(id) => resume_attempt(&mut desk, id),
            // Only practice is thrown away here, never an assessment.
            UiAction::DiscardAttempt(id)
                if desk
                    .records
                    .unfinished
                    .iter()
                    .any(|u| &u.id == id && u.mode == Mode::Practice) =>
            {
                desk.records.discard(id);
            }
            UiAction::BackToLibrary => back(&mut desk),
            UiAction::SetLearner(typed) => choose_learner(&mut desk, typed),
            UiAction::OpenProgress => desk.go(Screen::Progress),
            _ => {}
        }
    }
}

/// Practice is recorded under the learner chosen (a name that can be one, made a profile;
/// an empty or unusable one names no one), and "Your best" and progress are theirs.
fn choose_learner(desk: &mut Desk, typed: &str) {
    let name = crate::assessment::valid_learner(typed).ok();
    if let Some(name) = &name {
        desk.records.add_learner(name);
    }
    desk.records.practice_learner = name;
}

/// Carries on an interrupted attempt where it stopped.
fn resume_attempt(desk: &mut Desk, id: &str) {
    let Some(u) = desk.records.unfinished.iter().find(|u| u.id == id).cloned() else {
        return;
    };
    if let Some(run) = desk.replay(Played::unfinished(&u, None), "resumed") {
        desk.take_up(run, &u, None);
    }
}

/// Back to the library, saving a session left behind; in a sitting, the briefing and the
/// debrief go back to the pack instead.
fn back(desk: &mut Desk) {
    if matches!(desk.screen(), Screen::Briefing | Screen::Debrief) && desk.packs.sitting.is_some() {
        desk.practice.run = None;
        desk.practice.selected = None;
        desk.go(Screen::Pack);
        return;
    }
    if desk.practice.run.is_some() && desk.records.is_recording() {
        desk.save(true);
    }
    desk.practice.run = None;
    desk.practice.selected = None;
    desk.packs.opened = None;
    desk.packs.sitting = None;
    desk.packs.current = None;
    desk.packs.learner_problem = None;
    desk.go(Screen::Library);
}

pub(super) fn draw_plugin(app: &mut App) {
    app.init_resource::<LibraryScreen>()
        .add_systems(OnEnter(Screen::Library), refresh_desk)
        .add_systems(
            Update,
            (
                apply_settings,
                follow_learner.after(apply_settings),
                place_on_course.after(follow_learner),
            ),
        )
        .add_systems(
            EguiPrimaryContextPass,
            draw.in_set(DrawScreen).run_if(showing(Screen::Library)),
        );
}

/// The library screen's own state.
#[derive(Resource, Default)]
pub struct LibraryScreen {
    pub ui: ui::library::LibraryUi,
    /// The practising learner's best finished score per scenario id, from the records,
    /// read again each time the library is shown and when the learner changes.
    pub best: HashMap<String, f32>,
    /// Pack files beside the library, listed again each time the library is shown.
    pub packs: Vec<String>,
    /// The learner profiles' names, read again when the library is shown and when the
    /// learner changes.
    pub learners: Vec<String>,
    /// The practising learner's progress on the course, read with their best scores.
    pub course: CourseProgress,
    /// Where they are on it, in a line.
    pub course_position: Option<String>,
}

/// The line saying where the learner is on the course (the course is read once the library
/// has loaded, after the library screen first shows).
fn place_on_course(course: Res<CourseDesk>, mut screen: ResMut<LibraryScreen>) {
    let line = super::course::position(&course, &screen.course, now_unix());
    if screen.course_position != line {
        screen.course_position = line;
    }
}

/// What the library shows besides its clients, read when it is entered.
fn refresh_desk(
    mut records: ResMut<Records>,
    location: Res<LibraryLocation>,
    mut screen: ResMut<LibraryScreen>,
) {
    screen.best = best_scores(&mut records);
    screen.learners = records.learners();
    screen.course = CourseProgress::read(&mut records);
    screen.packs = location
        .pack_files()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
}

fn draw(
    mut contexts: EguiContexts,
    library: Res<ScenarioLibrary>,
    settings: Res<Settings>,
    packs: Res<PackDesk>,
    records: Res<Records>,
    mut screen: ResMut<LibraryScreen>,
    mut out: MessageWriter<AppCommand>,
) -> Result {
    let mut root = root_ui(&mut contexts)?;
    let screen = &mut *screen;
    let cards: Vec<ui::library::LibraryCard> = library
        .entries
        .iter()
        .map(|e| ui::library::LibraryCard {
            path: &e.path,
            scenario: e.scenario.as_ref().map(|p| &p.scenario),
            diagnostics: &e.diagnostics,
            best_score: e
                .scenario
                .as_ref()
                .and_then(|p| screen.best.get(&p.scenario.meta.id).copied()),
        })
        .collect();
    let mut problems: Vec<String> = records.problem.iter().cloned().collect();
    problems.extend(packs.problems.iter().cloned());
    let desk = ui::library::LibraryDesk {
        interrupted: interrupted(&records, &library),
        packs: screen.packs.clone(),
        problems,
        learner: settings.learner.clone(),
        learners: screen.learners.clone(),
        course_position: screen.course_position.clone(),
    };
    let actions = ui::library::show(
        &mut root,
        &cards,
        &desk,
        &mut screen.ui,
        settings.text_scale,
    );
    send(&mut out, actions);
    Ok(())
}

/// Unfinished work as the library offers it again.
fn interrupted(records: &Records, library: &ScenarioLibrary) -> Vec<ui::library::Interrupted> {
    let name_of = |id: &str| {
        library
            .by_id(id)
            .and_then(|e| e.scenario.as_ref())
            .map_or(id.to_string(), |p| p.scenario.client.name.clone())
    };
    let mut out = Vec::new();
    for s in &records.open_sittings {
        let in_progress = records
            .in_sittings
            .iter()
            .find(|(sitting, _)| *sitting == s.id)
            .map_or(String::new(), |(_, u)| {
                format!(
                    " · session with {} under way, {} saved",
                    name_of(&u.scenario_id),
                    crate::words::count(u.choices.len(), "turn")
                )
            });
        out.push(ui::library::Interrupted {
            resume: UiAction::ResumeSitting(s.id.clone()),
            discard: None,
            what: format!("assessment \"{}\"", s.pack.title),
            detail: format!(
                "{} · {} of {} clients done{in_progress} · begun {}",
                s.learner,
                s.done.len(),
                s.pack.scenarios.len(),
                ui::when::readable(s.started_unix)
            ),
        });
    }
    for u in &records.unfinished {
        let practice = u.mode == Mode::Practice;
        out.push(ui::library::Interrupted {
            resume: UiAction::ResumeAttempt(u.id.clone()),
            discard: practice.then(|| UiAction::DiscardAttempt(u.id.clone())),
            what: format!("session with {}", name_of(&u.scenario_id)),
            detail: format!(
                "{} · {} saved · begun {}",
                if practice { "practice" } else { "assessment" },
                crate::words::count(u.choices.len(), "turn"),
                ui::when::readable_rfc3339(&u.started_at)
            ),
        });
    }
    out
}

/// Text size and learner changes apply at once and are remembered for the next run.
fn apply_settings(mut commands: MessageReader<AppCommand>, mut settings: ResMut<Settings>) {
    for AppCommand(action) in commands.read() {
        match action {
            UiAction::SetTextScale(scale) => settings.text_scale = scale.clamp(0.8, 2.0),
            UiAction::SetWordsMode(mode) => settings.words_mode = *mode,
            // The library checks the name before it asks; an invalid one names no one.
            UiAction::SetLearner(typed) => {
                settings.learner = crate::assessment::valid_learner(typed).ok()
            }
            _ => continue,
        }
        if let Err(e) = settings.save() {
            warn!("could not save the settings: {e}");
        }
    }
}

/// Practice is recorded under the learner the settings name (a profile from then on), and
/// "Your best" and the profiles listed are read again whenever the learner changes.
fn follow_learner(
    settings: Res<Settings>,
    mut records: ResMut<Records>,
    mut screen: ResMut<LibraryScreen>,
    mut read_for: Local<Option<Option<String>>>,
) {
    if records.practice_learner != settings.learner {
        records.practice_learner = settings.learner.clone();
    }
    if read_for.as_ref() != Some(&records.practice_learner) {
        if let Some(name) = records.practice_learner.clone() {
            records.add_learner(&name);
        }
        screen.best = best_scores(&mut records);
        screen.learners = records.learners();
        screen.course = CourseProgress::read(&mut records);
        *read_for = Some(records.practice_learner.clone());
    }
}

fn best_scores(records: &mut Records) -> HashMap<String, f32> {
    records
        .best_scores()
        .into_iter()
        .map(|(k, v)| (k, v as f32))
        .collect()
}
