//! The class debrief: for each turn the class voted on, how the votes fell (each move with
//! its votes and share as a bar), the fit each move would have had, the move played, the
//! best move the engine finds, and where the class split; a button writes it all as JSON
//! and CSV for the instructor. Drawn above the transcript when the run had a class voting.

use egui::{RichText, Ui};

use super::{UiAction, theme, widgets};

/// The class's votes as the debrief shows them, built by the app.
pub struct ClassDebriefView {
    pub turns: Vec<ClassTurnView>,
    /// What the last export wrote, or why it did not.
    pub export: Option<ExportNote>,
    /// The best moves are still being searched for (each turn's `best` is then none).
    pub finding_best: bool,
}

/// One voted turn.
pub struct ClassTurnView {
    pub turn: u32,
    pub voters: usize,
    /// Most votes first.
    pub options: Vec<ClassOptionView>,
    /// The move played in words, its fit, and whether it had the most votes.
    pub played_words: String,
    pub played_fit: f32,
    pub played_was_top: bool,
    /// Why the class split here, in words, if it did.
    pub split: Option<String>,
    /// The best move the engine finds here, in words, with its fit; none while searching,
    /// or while another branch than the class's is shown.
    pub best: Option<(String, f32)>,
}

/// One move the class voted for.
pub struct ClassOptionView {
    /// The technique and its adaptation in words.
    pub words: String,
    pub votes: usize,
    /// Its share of the voters, 0..1.
    pub share: f32,
    /// The fit it would have had; none for a move the scenario does not know.
    pub fit: Option<f32>,
    pub played: bool,
}

/// The outcome of "Export class results".
pub enum ExportNote {
    /// The files written.
    Written(Vec<String>),
    Failed(String),
}

/// The width of a full share bar.
const BAR_WIDTH: f32 = 180.0;

pub fn show(ui: &mut Ui, view: &ClassDebriefView, actions: &mut Vec<UiAction>) {
    widgets::section(ui, "The class's votes");
    ui.horizontal_wrapped(|ui| {
        widgets::muted(
            ui,
            "Each move the class voted for, with the fit it would have had from the same moment.",
        );
        if ui.button("Export class results").clicked() {
            actions.push(UiAction::ExportClassResults);
        }
    });
    match &view.export {
        Some(ExportNote::Written(paths)) => {
            ui.label(RichText::new("Class results written to:").color(theme::GOOD));
            for p in paths {
                ui.label(RichText::new(p).monospace().small());
            }
        }
        Some(ExportNote::Failed(why)) => {
            ui.label(RichText::new(format!("Could not export: {why}")).color(theme::BAD));
        }
        None => {}
    }
    for t in &view.turns {
        ui.add_space(6.0);
        turn_ui(ui, t, view.finding_best);
    }
}

fn turn_ui(ui: &mut Ui, t: &ClassTurnView, finding_best: bool) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("Turn {}", t.turn)).strong());
        widgets::muted(
            ui,
            crate::words::count_with(t.voters, "vote", "votes").to_string(),
        );
        if let Some(why) = &t.split {
            ui.label(
                RichText::new(format!("The class split here: {why}"))
                    .color(theme::WARN)
                    .strong(),
            );
        }
    });
    egui::Grid::new(("class_turn", t.turn))
        .num_columns(4)
        .spacing([10.0, 2.0])
        .show(ui, |ui| {
            for o in &t.options {
                option_row(ui, o);
                ui.end_row();
            }
        });
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Played:").small().strong());
        widgets::fit_badge(ui, t.played_fit);
        ui.label(&t.played_words);
        if !t.played_was_top {
            widgets::muted(ui, "(not the class's top choice)");
        }
    });
    match &t.best {
        Some((words, fit)) => {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Best move found:").small().strong());
                widgets::fit_badge(ui, *fit);
                ui.label(words);
            });
        }
        None if finding_best => widgets::muted(ui, "Finding the best move here…"),
        None => {}
    }
}

fn option_row(ui: &mut Ui, o: &ClassOptionView) {
    let words = if o.played {
        RichText::new(format!("{} (played)", o.words)).strong()
    } else {
        RichText::new(&o.words)
    };
    ui.label(words);
    let bar = egui::ProgressBar::new(o.share.clamp(0.0, 1.0))
        .fill(theme::ACCENT)
        .desired_width(BAR_WIDTH);
    let share = format!("{:.0}%", o.share * 100.0);
    ui.add(bar).widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::WidgetType::ProgressIndicator,
            true,
            format!("{}: {share} of the votes", o.words),
        )
    });
    ui.label(RichText::new(format!("{} ({share})", o.votes)).monospace());
    match o.fit {
        Some(fit) => widgets::fit_badge(ui, fit),
        None => {
            widgets::muted(ui, "no fit");
        }
    }
}
