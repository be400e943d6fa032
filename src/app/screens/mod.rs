//! The screens as plugins, in the manner of TheBevyFlock's `bevy_new_2d` template: one
//! module per screen, each with its own state (a resource), its own draw system (run only
//! while its screen is shown, in the egui pass) and its own handler of the `AppCommand`
//! messages that concern it. What several screens share is small: the practice run
//! (`Practice`), the assessment pack (`PackDesk`) and the records; a screen changes the
//! screen through `NextState<Screen>`.
//!
//! `plugin` adds what works headless (the `Screen` state and each screen's handler);
//! `draw_plugin` adds the drawing, for the window. The screens' functions in `ui/` take view models built here
//! (`session_view`, `debrief_view`), never an engine type.

pub mod briefing;
pub mod course;
pub mod debrief;
pub mod debrief_view;
pub mod drill;
pub mod library;
pub mod pack;
pub mod progress;
pub mod projector;
pub mod session;
pub mod session_view;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::flow::HandleCommands;
use super::settings::Settings;
use super::{AppCommand, PackDesk, Practice, ScenarioLibrary};
use crate::ui::{self, UiAction};

/// The screens, one state each.
#[derive(States, Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Screen {
    #[default]
    Library,
    Briefing,
    Session,
    Debrief,
    /// An assessment pack: who is taking it, progress between clients, the results.
    Pack,
    /// A practice session for a class, on the instructor's projector.
    Projector,
    /// The course: each step's status, the skills' mastery, what to practise next.
    Course,
    /// One drill: a hard moment, answered with one move.
    Drill,
    /// The practising learner's progress: sessions over time, skills, what to practise next.
    Progress,
}

/// What every screen needs headless: the state and each screen's handler.
pub fn plugin(app: &mut App) {
    app.init_state::<Screen>();
    // Each screen handles its messages in its own system, in this order within a frame.
    app.configure_sets(
        Update,
        (
            Handles(Screen::Library),
            Handles(Screen::Briefing),
            // The class vote keeps its round before the move is played.
            Handles(Screen::Projector),
            Handles(Screen::Session),
            Handles(Screen::Debrief),
            Handles(Screen::Pack),
            Handles(Screen::Course),
            Handles(Screen::Drill),
        )
            .chain()
            .in_set(HandleCommands),
    );
    app.add_plugins((
        library::plugin,
        briefing::plugin,
        projector::plugin,
        session::plugin,
        debrief::plugin,
        pack::plugin,
        course::plugin,
        drill::plugin,
        progress::plugin,
    ));
}

/// Each screen's drawing, for the window: the theme first, then the one screen shown.
pub fn draw_plugin(app: &mut App) {
    app.configure_sets(EguiPrimaryContextPass, DrawScreen.after(apply_theme))
        .add_systems(EguiPrimaryContextPass, apply_theme);
    app.add_plugins((
        library::draw_plugin,
        briefing::draw_plugin,
        session::draw_plugin,
        debrief::draw_plugin,
        pack::draw_plugin,
        projector::draw_plugin,
        course::draw_plugin,
        drill::draw_plugin,
        progress::draw_plugin,
    ));
}

/// A screen's handler of the `AppCommand` messages that concern it.
#[derive(SystemSet, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Handles(pub Screen);

/// The screens' draw systems, after the theme is applied.
#[derive(SystemSet, Clone, Debug, PartialEq, Eq, Hash)]
pub struct DrawScreen;

/// The screen drawn: the state's, or the library when what that screen shows is missing
/// (no client selected, no session, no pack).
pub fn drawn(
    screen: Screen,
    practice: &Practice,
    packs: &PackDesk,
    library: &ScenarioLibrary,
) -> Screen {
    let shown = match screen {
        Screen::Library | Screen::Progress => true,
        Screen::Briefing => practice
            .selected
            .as_deref()
            .and_then(|p| library.get(p))
            .is_some_and(|e| e.scenario.is_some()),
        Screen::Session | Screen::Projector | Screen::Debrief => practice.run.is_some(),
        Screen::Pack => packs.opened.is_some(),
        // The course screen says itself when no course is offered; a drill's screen draws
        // nothing without one and is left for the course.
        Screen::Course | Screen::Drill => true,
    };
    if shown { screen } else { Screen::Library }
}

/// What decides the screen drawn.
#[derive(SystemParam)]
pub struct Shown<'w> {
    screen: Res<'w, State<Screen>>,
    practice: Res<'w, Practice>,
    packs: Res<'w, PackDesk>,
    library: Res<'w, ScenarioLibrary>,
}

/// A run condition: `which` is the screen drawn now.
pub fn showing(which: Screen) -> impl FnMut(Shown) -> bool + Clone {
    move |shown: Shown| {
        drawn(
            *shown.screen.get(),
            &shown.practice,
            &shown.packs,
            &shown.library,
        ) == which
    }
}

/// The theme and the text size, applied when the text size changes.
fn apply_theme(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    mut themed: Local<Option<f32>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    if *themed != Some(settings.text_scale) {
        ui::theme::apply(ctx);
        ctx.set_zoom_factor(settings.text_scale);
        *themed = Some(settings.text_scale);
    }
    Ok(())
}

/// The whole window as one egui `Ui` for a screen to draw in.
fn root_ui(contexts: &mut EguiContexts) -> Result<egui::Ui> {
    let ctx = contexts.ctx_mut()?.clone();
    let rect = ctx.viewport_rect();
    Ok(egui::Ui::new(
        ctx,
        egui::Id::new("attune_root"),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(rect),
    ))
}

/// What the trainee did on a screen, sent on as messages.
fn send(out: &mut MessageWriter<AppCommand>, actions: Vec<UiAction>) {
    for action in actions {
        out.write(AppCommand(action));
    }
}
