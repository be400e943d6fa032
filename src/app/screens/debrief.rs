//! The debrief screen: the verdict, the rubrics and the transcript beside the best moves,
//! found on a background thread when it opens. Its handler opens a new branch from a turn
//! and switches between branches.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::debrief_view::{self, BestMovesJobs, ClassVotes};
use super::{DrawScreen, Handles, root_ui, send, showing};
use crate::app::flow::Desk;
use crate::app::{AppCommand, PackDesk, Practice, Screen};
use crate::engine::BranchedSession;
use crate::records::class_export::{ClassSession, write_class_export};
use crate::ui::{self, UiAction};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, handle.in_set(Handles(Screen::Debrief)));
}

fn handle(mut commands: MessageReader<AppCommand>, mut desk: Desk) {
    for AppCommand(action) in commands.read() {
        match action {
            UiAction::Rewind(turn) => {
                if let Some(run) = desk.practice.run.as_mut()
                    && run.run.rewind(*turn).is_some()
                {
                    // A class plays the new branch on the projector, as it played the first.
                    let screen = if desk.practice.classroom {
                        Screen::Projector
                    } else {
                        Screen::Session
                    };
                    desk.go(screen);
                }
            }
            UiAction::ExportClassResults => export_class(&mut desk),
            UiAction::SwitchBranch(i) => {
                if let Some(run) = desk.practice.run.as_mut()
                    && *i < run.run.branches.len()
                {
                    run.run.current = *i;
                }
            }
            _ => {}
        }
    }
}

/// Writes the class's votes on the run's first branch as JSON and CSV into the data
/// folder's `attune-export` (where `attune export` writes by default), named as
/// `attune export --class` names them; the paths, or why not, are shown on the debrief.
fn export_class(desk: &mut Desk) {
    let outcome = (|| {
        let run = desk.practice.run.as_ref().ok_or("no session to export")?;
        let first = &run.run.branches[0].session;
        let dir = desk
            .records
            .path
            .as_ref()
            .and_then(|p| p.parent())
            .ok_or("no data folder: the app runs without records")?
            .join("attune-export");
        let found = crate::analysis::best_moves(first, &crate::analysis::Progress::new());
        let reviews =
            crate::analysis::review_rounds(first, &desk.practice.class_rounds, Some(&found));
        let named = ClassSession {
            scenario_id: &first.prepared().scenario.meta.id,
            seed: first.seed(),
            attempt: desk.records.class_attempt.as_deref(),
        };
        let paths = write_class_export(&dir, &named, &reviews)?;
        Ok(paths.iter().map(|p| p.display().to_string()).collect())
    })();
    desk.practice.class_export = Some(outcome);
}

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

impl DebriefScreen {
    /// Draws the debrief of `run` in `ui` (`in_pack`: a client of an assessment pack),
    /// starting the search for its best moves the first time; returns what the trainee did.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        run: &BranchedSession,
        in_pack: bool,
    ) -> Vec<UiAction> {
        self.show_with_class(ui, run, in_pack, ClassVotes::default())
    }

    /// `show`, with the class's votes on the run when a class voted.
    pub fn show_with_class(
        &mut self,
        ui: &mut egui::Ui,
        run: &BranchedSession,
        in_pack: bool,
        class: ClassVotes,
    ) -> Vec<UiAction> {
        let ctx = ui.ctx().clone();
        let best = self.best_moves.for_run(run, move || ctx.request_repaint());
        let view = debrief_view::view(run, self.ui.compare_with, best, in_pack, class);
        ui::debrief::show(ui, &view, &mut self.ui)
    }
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
    let class = ClassVotes {
        rounds: &practice.class_rounds,
        export: practice.class_export.as_ref(),
    };
    let actions = screen.show_with_class(&mut root, &run.run, packs.sitting.is_some(), class);
    send(&mut out, actions);
    Ok(())
}
