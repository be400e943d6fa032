//! The screens as states and the trainee's actions as messages: the one place where a
//! choice on screen becomes a change in the session.

use bevy::prelude::*;

use super::ScenarioLibrary;
use crate::engine::BranchedSession;
use crate::ui::UiAction;

#[derive(States, Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Screen {
    #[default]
    Library,
    Briefing,
    Session,
    Debrief,
}

/// A trainee action, from the screens, the keyboard, a script or a test.
#[derive(Message, Clone, Debug, PartialEq)]
pub struct AppCommand(pub UiAction);

#[derive(Clone, Debug)]
pub struct PracticeRun {
    /// The library entry being played.
    pub path: String,
    pub run: BranchedSession,
}

#[derive(Resource, Default)]
pub struct Practice {
    /// The library entry whose briefing is open.
    pub selected: Option<String>,
    pub run: Option<PracticeRun>,
}

pub fn plugin(app: &mut App) {
    app.init_state::<Screen>()
        .init_resource::<Practice>()
        .add_message::<AppCommand>()
        .add_systems(Update, handle_commands.after(super::library::LibrarySync));
}

fn handle_commands(
    mut commands: MessageReader<AppCommand>,
    library: Res<ScenarioLibrary>,
    mut practice: ResMut<Practice>,
    mut next: ResMut<NextState<Screen>>,
) {
    for AppCommand(action) in commands.read() {
        match action {
            UiAction::OpenBriefing(path) => {
                if library.get(path).is_some_and(|e| e.scenario.is_some()) {
                    practice.selected = Some(path.clone());
                    next.set(Screen::Briefing);
                }
            }
            UiAction::Start { mode, seed } => {
                let Some(path) = practice.selected.clone() else {
                    continue;
                };
                let Some(prepared) = library.get(&path).and_then(|e| e.scenario.clone()) else {
                    continue;
                };
                practice.run = Some(PracticeRun {
                    path,
                    run: BranchedSession::new(prepared, *seed, *mode),
                });
                next.set(Screen::Session);
            }
            UiAction::Play(choice) => {
                let Some(run) = practice.run.as_mut() else {
                    continue;
                };
                match run.run.play(choice) {
                    Ok(turn) if turn.ended.is_some() => next.set(Screen::Debrief),
                    Ok(_) => {}
                    Err(e) => warn!("choice not played: {e}"),
                }
            }
            UiAction::EndSession => {
                if practice.run.is_some() {
                    next.set(Screen::Debrief);
                }
            }
            UiAction::Rewind(turn) => {
                if let Some(run) = practice.run.as_mut()
                    && run.run.rewind(*turn).is_some()
                {
                    next.set(Screen::Session);
                }
            }
            UiAction::SwitchBranch(i) => {
                if let Some(run) = practice.run.as_mut()
                    && *i < run.run.branches.len()
                {
                    run.run.current = *i;
                }
            }
            UiAction::BackToLibrary => {
                practice.run = None;
                next.set(Screen::Library);
            }
            UiAction::SetTextScale(_) => {}
        }
    }
}
