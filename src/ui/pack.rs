//! The assessment pack's screen: before the sitting, what the pack holds and the one
//! question of who is taking it; between clients, progress and the time left; at the
//! end, each client's result and where it was saved.

use egui::{RichText, Ui};

use super::{UiAction, theme, widgets};
use crate::coding::WordsMode;

/// One client of the pack as the screen shows it.
pub struct PackClient {
    pub name: String,
    pub title: String,
    /// Once met: the overall score and whether it passed.
    pub result: Option<(f32, bool)>,
    /// The finished attempt, to review at the end.
    pub attempt: Option<String>,
}

/// A sitting in progress or complete.
pub struct SittingView {
    pub learner: String,
    /// The 1-based position of the next client; none when the sitting is over.
    pub next: Option<usize>,
    pub seconds_left: Option<u64>,
    pub time_up: bool,
}

pub struct PackView<'a> {
    pub title: &'a str,
    pub class_id: &'a str,
    pub instructions: &'a str,
    pub pass_mark: f32,
    pub time_limit_minutes: Option<u32>,
    /// How much the pack asks for the learner's own words, listed with the rules.
    pub words: WordsMode,
    pub clients: Vec<PackClient>,
    pub sitting: Option<SittingView>,
    /// Where the results are saved, for the last screen.
    pub saved_to: Option<String>,
    /// What went wrong with the last step asked for (a changed scenario, records not saved).
    pub problems: &'a [String],
}

#[derive(Clone, Debug, Default)]
pub struct PackUi {
    pub learner: String,
    /// Why the name typed was refused.
    pub learner_problem: Option<String>,
}

/// `mm:ss`, or `h:mm:ss` past an hour.
pub fn clock(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

pub fn show(ui: &mut Ui, view: &PackView, state: &mut PackUi) -> Vec<UiAction> {
    let mut actions = Vec::new();
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("pack_scroll")
            .show(ui, |ui| {
                ui.heading(view.title);
                ui.label(
                    RichText::new(format!("Assessment · class {}", view.class_id))
                        .color(theme::ACCENT),
                );
                let limit = view
                    .time_limit_minutes
                    .map_or("no time limit".to_string(), |m| {
                        format!("{m} minutes for the whole pack")
                    });
                let words = match view.words {
                    WordsMode::Optional => "",
                    WordsMode::First => " · your own words first at each move",
                    WordsMode::Required => " · your own words at every move",
                };
                widgets::muted(
                    ui,
                    format!(
                        "{} · pass mark {:.0} for each · {limit}{words}",
                        crate::words::count(view.clients.len(), "client"),
                        view.pass_mark
                    ),
                );
                for problem in view.problems {
                    ui.label(RichText::new(problem).color(theme::BAD));
                }
                match &view.sitting {
                    None => before(ui, view, state, &mut actions),
                    Some(sitting) => during(ui, view, sitting, &mut actions),
                }
            });
    });
    actions
}

fn client_list(ui: &mut Ui, view: &PackView, show_results: bool, actions: &mut Vec<UiAction>) {
    egui::Grid::new("pack_clients")
        .striped(true)
        .num_columns(3)
        .show(ui, |ui| {
            for (i, c) in view.clients.iter().enumerate() {
                ui.label(format!("{}.", i + 1));
                ui.label(RichText::new(&c.name).strong());
                ui.label(&c.title);
                if show_results {
                    match c.result {
                        Some((score, passed)) => {
                            let verdict = if passed { "passed" } else { "not passed" };
                            ui.label(
                                RichText::new(format!("{score:.1} · {verdict}")).color(if passed {
                                    theme::GOOD
                                } else {
                                    theme::BAD
                                }),
                            );
                        }
                        None => {
                            ui.label(RichText::new("not met").color(theme::MUTED));
                        }
                    }
                    if let Some(attempt) = &c.attempt
                        && ui.button(format!("Review {}", c.name)).clicked()
                    {
                        actions.push(UiAction::ReviewAttempt(attempt.clone()));
                    }
                }
                ui.end_row();
            }
        });
}

fn before(ui: &mut Ui, view: &PackView, state: &mut PackUi, actions: &mut Vec<UiAction>) {
    if !view.instructions.is_empty() {
        widgets::section(ui, "Instructions");
        ui.label(view.instructions);
    }
    widgets::section(ui, "Clients, in order");
    client_list(ui, view, false, actions);
    widgets::section(ui, "Who is taking it");
    widgets::muted(
        ui,
        "Asked once for the whole pack; it goes with every result your instructor collects.",
    );
    let mut begin = false;
    ui.horizontal(|ui| {
        let label = ui.label("Your name or student id");
        let field = ui
            .add(egui::TextEdit::singleline(&mut state.learner).desired_width(260.0))
            .labelled_by(label.id);
        begin |= field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        begin |= ui
            .add(egui::Button::new(
                RichText::new("Begin the assessment").strong(),
            ))
            .clicked();
    });
    if let Some(problem) = &state.learner_problem {
        ui.label(RichText::new(problem).color(theme::BAD));
    }
    widgets::muted(
        ui,
        "Assessment mode: no meters, no hints and no rewind. Each session is saved turn by turn.",
    );
    if begin {
        actions.push(UiAction::BeginSitting(state.learner.clone()));
    }
    ui.add_space(8.0);
    if ui.button("Back to the library").clicked() {
        actions.push(UiAction::BackToLibrary);
    }
}

fn during(ui: &mut Ui, view: &PackView, sitting: &SittingView, actions: &mut Vec<UiAction>) {
    ui.label(format!("Taken by {}", sitting.learner));
    if let Some(left) = sitting.seconds_left
        && sitting.next.is_some()
    {
        ui.label(RichText::new(format!("Time left: {}", clock(left))).strong());
    }
    match sitting.next {
        Some(next) => {
            let done = view.clients.iter().filter(|c| c.result.is_some()).count();
            widgets::section(ui, &format!("{done} of {} done", view.clients.len()));
            if done > 0 {
                widgets::muted(
                    ui,
                    "Your sessions so far are saved. Scores are shown at the end.",
                );
            }
            let client = &view.clients[next - 1];
            ui.add_space(6.0);
            let text = format!("Meet {} (client {next})", client.name);
            if ui
                .add(egui::Button::new(RichText::new(text).strong()))
                .clicked()
            {
                actions.push(UiAction::NextClient);
            }
            ui.add_space(8.0);
            if ui
                .button("Stop for now (continue later from the library)")
                .clicked()
            {
                actions.push(UiAction::BackToLibrary);
            }
        }
        None => {
            let heading = if sitting.time_up {
                "Time is up: the assessment is over"
            } else {
                "Assessment complete"
            };
            widgets::section(ui, heading);
            let met: Vec<&PackClient> =
                view.clients.iter().filter(|c| c.result.is_some()).collect();
            let passed = met.iter().filter(|c| c.result.is_some_and(|r| r.1)).count();
            ui.label(format!(
                "Passed {passed} of {} (pass mark {:.0}).",
                crate::words::count(view.clients.len(), "client"),
                view.pass_mark
            ));
            client_list(ui, view, true, actions);
            widgets::muted(
                ui,
                "Review a client to see each move's fit and explanation beside the best move at that turn, the rubrics and the key moments.",
            );
            if let Some(to) = &view.saved_to {
                widgets::muted(ui, format!("Saved in {to}."));
            }
            ui.add_space(8.0);
            if ui.button("Back to the library").clicked() {
                actions.push(UiAction::BackToLibrary);
            }
        }
    }
}
