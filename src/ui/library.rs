//! The scenario library: a card per client, search and filters, and any file that does
//! not load shown with its `path:line:col` errors.

use egui::{RichText, Ui};

use super::learner_picker::{self, Learners};
use super::{UiAction, portrait, theme, widgets};
use crate::scenario::{Difficulty, Scenario, student_intake};
use crate::source::Diagnostic;

/// One library entry as the screen sees it.
pub struct LibraryCard<'a> {
    pub path: &'a str,
    /// The last version of the file that loaded, if any.
    pub scenario: Option<&'a Scenario>,
    /// Problems with the file as it is now on disk.
    pub diagnostics: &'a [Diagnostic],
    pub best_score: Option<f32>,
}

/// Something left unfinished, offered again at the top of the library.
pub struct Interrupted {
    /// The action that takes it up.
    pub resume: UiAction,
    /// Offered for practice attempts only: an assessment is never thrown away here.
    pub discard: Option<UiAction>,
    pub what: String,
    pub detail: String,
}

/// What the library shows besides the clients: unfinished work, assessment packs and any
/// problem with the records or with a pack that would not open.
#[derive(Default)]
pub struct LibraryDesk {
    pub interrupted: Vec<Interrupted>,
    /// Pack files found beside the library, as paths to open.
    pub packs: Vec<String>,
    pub problems: Vec<String>,
    /// Who practises here (from the settings); practice is saved under this name.
    pub learner: Option<String>,
    /// The learner profiles' names, in the order they were made.
    pub learners: Vec<String>,
    /// Where the learner is on the course ("3 of 43 steps passed; next: ..."), if one is
    /// offered.
    pub course_position: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct LibraryUi {
    pub search: String,
    pub difficulty: Option<Difficulty>,
    /// A pack file's path, typed to open it.
    pub pack_path: String,
    /// Who is practising: the picker's state.
    pub learner: super::learner_picker::PickerState,
}

fn matches(card: &LibraryCard, ui_state: &LibraryUi) -> bool {
    let Some(s) = card.scenario else {
        return ui_state.search.is_empty() && ui_state.difficulty.is_none();
    };
    if ui_state.difficulty.is_some_and(|d| d != s.meta.difficulty) {
        return false;
    }
    let needle = ui_state.search.trim().to_lowercase();
    needle.is_empty()
        || [
            &s.client.name,
            &student_intake(&s.client).reason,
            &s.meta.title,
        ]
        .iter()
        .any(|t| t.to_lowercase().contains(&needle))
        || s.meta
            .tags
            .iter()
            .any(|t| t.to_lowercase().contains(&needle))
}

pub fn difficulty_label(d: Difficulty) -> &'static str {
    match d {
        Difficulty::Introductory => "Introductory",
        Difficulty::Intermediate => "Intermediate",
        Difficulty::Advanced => "Advanced",
    }
}

pub fn show(
    ui: &mut Ui,
    cards: &[LibraryCard],
    desk: &LibraryDesk,
    state: &mut LibraryUi,
    text_scale: f32,
) -> Vec<UiAction> {
    let mut actions = Vec::new();
    egui::Panel::top("library_top").show(ui, |ui| {
        ui.add_space(6.0);
        // The text size stays in view at the right; the title wraps when the window is narrow.
        widgets::row_with_end(ui, |ui| {
            let mut scale = text_scale;
            let slider = ui.add(
                egui::Slider::new(&mut scale, 0.8..=2.0)
                    .step_by(0.1)
                    .text("Text size"),
            );
            if slider.changed() {
                actions.push(UiAction::SetTextScale(scale));
            }
            ui.with_layout(
                egui::Layout::left_to_right(egui::Align::Center).with_main_wrap(true),
                |ui| {
                    ui.heading("Attune");
                    ui.label(RichText::new("Choose a client to meet").color(theme::MUTED));
                },
            );
        });
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Search");
            ui.add(
                egui::TextEdit::singleline(&mut state.search)
                    .hint_text("name, problem or tag")
                    .desired_width(ui.available_width().min(260.0)),
            )
            .labelled_by(label.id);
            egui::ComboBox::from_label("Difficulty")
                .selected_text(state.difficulty.map_or("Any", difficulty_label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut state.difficulty, None, "Any");
                    for d in [
                        Difficulty::Introductory,
                        Difficulty::Intermediate,
                        Difficulty::Advanced,
                    ] {
                        ui.selectable_value(&mut state.difficulty, Some(d), difficulty_label(d));
                    }
                });
        });
        learner_picker::header(ui, learners(desk), &mut state.learner, &mut actions);
        if let Some(position) = &desk.course_position {
            super::widgets::muted(ui, position);
        }
        ui.add_space(4.0);
    });
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("library_scroll")
            .show(ui, |ui| {
                desk_ui(ui, desk, state, &mut actions);
                let shown: Vec<&LibraryCard> = cards.iter().filter(|c| matches(c, state)).collect();
                if cards.is_empty() {
                    widgets::muted(ui, "Loading the scenario library...");
                } else if shown.is_empty() {
                    ui.horizontal_wrapped(|ui| {
                        ui.label("No client matches the search.");
                        if ui.button("Show every client").clicked() {
                            state.search.clear();
                            state.difficulty = None;
                        }
                    });
                }
                // Two columns on a wide window, so a class-sized library fits on a screen or two.
                let columns = if ui.available_width() > 1000.0 { 2 } else { 1 };
                ui.columns(columns, |cols| {
                    for (i, card) in shown.iter().enumerate() {
                        let col = &mut cols[i % columns];
                        card_ui(col, card, &mut actions);
                        col.add_space(8.0);
                    }
                });
            });
    });
    actions
}

fn desk_ui(ui: &mut Ui, desk: &LibraryDesk, state: &mut LibraryUi, actions: &mut Vec<UiAction>) {
    for problem in &desk.problems {
        ui.label(RichText::new(problem).monospace().color(theme::BAD));
    }
    if learner_picker::asks(learners(desk), &state.learner) {
        learner_picker::prompt(ui, learners(desk), &mut state.learner, actions);
    }
    if !desk.interrupted.is_empty() {
        egui::Frame::group(ui.style())
            .inner_margin(10.0)
            .stroke(egui::Stroke::new(1.5, theme::WARN))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(RichText::new("Interrupted: pick up where you left off").strong());
                for item in &desk.interrupted {
                    ui.horizontal_wrapped(|ui| {
                        if ui.button(format!("Resume {}", item.what)).clicked() {
                            actions.push(item.resume.clone());
                        }
                        if let Some(discard) = &item.discard
                            && ui.button(format!("Discard {}", item.what)).clicked()
                        {
                            actions.push(discard.clone());
                        }
                        widgets::muted(ui, &item.detail);
                    });
                }
            });
        ui.add_space(8.0);
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Assessment packs").strong());
        for pack in &desk.packs {
            let name = pack.rsplit('/').next().unwrap_or(pack);
            if ui.button(format!("Open {name}")).clicked() {
                actions.push(UiAction::OpenPack(pack.clone()));
            }
        }
        let label = ui.label("Pack file");
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut state.pack_path)
                    .hint_text("path to a pack your instructor gave you")
                    .desired_width(280.0),
            )
            .labelled_by(label.id);
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui.button("Open pack").clicked() || entered) && !state.pack_path.trim().is_empty() {
            actions.push(UiAction::OpenPack(state.pack_path.trim().to_string()));
        }
    });
    ui.add_space(8.0);
}

/// The profiles as the picker sees them.
fn learners(desk: &LibraryDesk) -> Learners<'_> {
    Learners {
        current: desk.learner.as_deref(),
        profiles: &desk.learners,
    }
}

fn card_ui(ui: &mut Ui, card: &LibraryCard, actions: &mut Vec<UiAction>) {
    egui::Frame::group(ui.style())
        .inner_margin(10.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                if let Some(s) = card.scenario {
                    portrait::draw(
                        ui,
                        &s.client,
                        &s.initial_state.snapshot(),
                        egui::vec2(90.0, 100.0),
                    );
                }
                ui.vertical(|ui| {
                    match card.scenario {
                        Some(s) => {
                            ui.horizontal_wrapped(|ui| {
                                ui.label(
                                    RichText::new(format!("{}, {}", s.client.name, s.client.age))
                                        .strong()
                                        .size(18.0),
                                );
                                ui.label(
                                    RichText::new(difficulty_label(s.meta.difficulty))
                                        .color(theme::ACCENT),
                                );
                                if let Some(best) = card.best_score {
                                    ui.label(
                                        RichText::new(format!("Your best: {best:.0}"))
                                            .color(theme::fit_colour(best)),
                                    );
                                }
                            });
                            ui.label(RichText::new(&s.meta.title).italics());
                            ui.label(&student_intake(&s.client).reason);
                            if !s.meta.tags.is_empty() {
                                widgets::muted(ui, s.meta.tags.join(" · "));
                            }
                            let button =
                                egui::Button::new(format!("Meet {}", first_name(&s.client.name)));
                            if ui.add(button).clicked() {
                                actions.push(UiAction::OpenBriefing(card.path.to_string()));
                            }
                        }
                        None => {
                            ui.label(RichText::new(card.path).strong());
                        }
                    }
                    if !card.diagnostics.is_empty() {
                        let note = if card.scenario.is_some() {
                            "The file has errors; the last good version is still usable:"
                        } else {
                            "This file does not load:"
                        };
                        ui.label(RichText::new(note).color(theme::BAD).strong());
                        // The first few, each cut to a line's worth, and a count of the rest.
                        let (shown, rest) = card
                            .diagnostics
                            .split_at(card.diagnostics.len().min(SHOWN_ON_A_CARD));
                        for d in shown {
                            ui.label(RichText::new(d.to_string()).monospace().color(theme::BAD));
                        }
                        if !rest.is_empty() {
                            ui.label(
                                RichText::new(crate::source::not_shown(card.path, rest))
                                    .color(theme::BAD),
                            );
                        }
                    }
                });
            });
        });
}

/// Problems listed on a library card; `attune check` lists more.
const SHOWN_ON_A_CARD: usize = 6;

pub fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}
