//! The session screen: the client, the transcript and the technique palette, with the
//! pack's banner and time left in a timed sitting. Its handler plays each choice and
//! records it, and ends the session when asked, when it is over or when time is up.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::session_view::{self, Consult};
use super::{DrawScreen, Handles, root_ui, send, showing};
use crate::app::flow::Desk;
use crate::app::settings::Settings;
use crate::app::wake::Wakeups;
use crate::app::words_mode::words_mode;
use crate::app::{AppCommand, PackDesk, Practice, Screen};
use crate::assessment;
use crate::coding::WordsMode;
use crate::engine::BranchedSession;
use crate::ui::{self, UiAction};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        (end_when_time_is_up, handle)
            .chain()
            .in_set(Handles(Screen::Session)),
    );
}

fn handle(mut commands: MessageReader<AppCommand>, mut desk: Desk) {
    for AppCommand(action) in commands.read() {
        match action {
            UiAction::Play(choice) => {
                let Some(run) = desk.practice.run.as_mut() else {
                    continue;
                };
                match run.run.play(choice) {
                    Ok(turn) => {
                        let ended = turn.ended.is_some();
                        desk.save(false);
                        if ended {
                            desk.leave_session();
                        }
                    }
                    Err(e) => warn!("choice not played: {e}"),
                }
            }
            UiAction::EndSession if desk.practice.run.is_some() => {
                desk.save(true);
                desk.leave_session();
            }
            _ => {}
        }
    }
}

/// Ends the running session of a timed sitting once its time is up.
fn end_when_time_is_up(
    packs: Res<PackDesk>,
    practice: Res<Practice>,
    screen: Res<State<Screen>>,
    mut out: MessageWriter<AppCommand>,
) {
    if *screen.get() == Screen::Session
        && packs.current.is_some()
        && practice.run.is_some()
        && packs
            .sitting
            .as_ref()
            .is_some_and(|s| s.time_is_up(assessment::now_unix()))
    {
        out.write(AppCommand(UiAction::EndSession));
    }
}

pub(super) fn draw_plugin(app: &mut App) {
    app.init_resource::<SessionScreen>()
        // No technique is left selected from the last session.
        .add_systems(
            OnEnter(Screen::Session),
            |mut screen: ResMut<SessionScreen>| *screen = SessionScreen::default(),
        )
        .add_systems(
            EguiPrimaryContextPass,
            draw.in_set(DrawScreen).run_if(showing(Screen::Session)),
        )
        .add_systems(Update, wake_each_second_while_timed);
}

/// A timed sitting's clock counts down on the session screen: the window runs a frame at
/// least each second while it shows one (see `app::wake`).
fn wake_each_second_while_timed(
    packs: Res<PackDesk>,
    practice: Res<Practice>,
    screen: Res<State<Screen>>,
    mut wakeups: ResMut<Wakeups>,
) {
    let timed = packs
        .sitting
        .as_ref()
        .is_some_and(|s| s.seconds_left(assessment::now_unix()).is_some());
    if *screen.get() == Screen::Session
        && packs.current.is_some()
        && practice.run.is_some()
        && timed
    {
        wakeups.at_least_every(std::time::Duration::from_secs(1));
    }
}

/// The session screen's own state.
#[derive(Resource, Default)]
pub struct SessionScreen {
    pub ui: ui::session::SessionUi,
    pub consult: Consult,
}

impl SessionScreen {
    /// Draws `run` in `ui` with `banner` above it, asking for the trainee's own words as
    /// `words_mode` says; returns what the trainee did.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        run: &BranchedSession,
        banner: Option<String>,
        words_mode: WordsMode,
    ) -> Vec<UiAction> {
        let mut view = session_view::view(run, banner, &mut self.consult);
        view.words_mode = words_mode;
        ui::session::show(ui, &view, &mut self.ui)
    }
}

fn draw(
    mut contexts: EguiContexts,
    practice: Res<Practice>,
    packs: Res<PackDesk>,
    settings: Res<Settings>,
    mut screen: ResMut<SessionScreen>,
    mut out: MessageWriter<AppCommand>,
) -> Result {
    let Some(run) = practice.run.as_ref() else {
        return Ok(());
    };
    let mut root = root_ui(&mut contexts)?;
    let banner = banner(&packs);
    let mode = words_mode(&settings, packs.sitting.as_ref());
    let actions = screen.show(&mut root, &run.run, banner, mode);
    send(&mut out, actions);
    Ok(())
}

/// In a timed sitting the session shows the client's place in the pack and the time left
/// (drawn again each second: `wake_each_second_while_timed`).
fn banner(packs: &PackDesk) -> Option<String> {
    let s = packs.sitting.as_ref()?;
    let position = packs.current?;
    let left = s
        .seconds_left(assessment::now_unix())
        .map_or(String::new(), |l| format!(" · {} left", ui::pack::clock(l)));
    Some(format!(
        "Client {position} of {}{left}",
        s.pack.scenarios.len()
    ))
}
