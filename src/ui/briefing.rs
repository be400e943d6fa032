//! The briefing: intake notes and learning objectives, and the choice of mode.

use egui::{RichText, Ui};

use super::{UiAction, library::difficulty_label, portrait, theme, widgets};
use crate::client::RiskLevel;
use crate::engine::Mode;
use crate::scenario::Scenario;

#[derive(Clone, Debug, Default)]
pub struct BriefingUi {
    pub mode: Mode,
}

/// The seed an assessment uses, so every learner meets the same wording.
pub const ASSESSMENT_SEED: u64 = 1;

/// `pack` names the assessment pack when the client is part of one: the mode is then
/// assessment and the pack's seed is used.
pub fn show(
    ui: &mut Ui,
    scenario: &Scenario,
    state: &mut BriefingUi,
    practice_seed: u64,
    pack: Option<&str>,
) -> Vec<UiAction> {
    let mut actions = Vec::new();
    let c = &scenario.client;
    egui::Panel::bottom("briefing_actions").show(ui, |ui| {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let back = if pack.is_some() { "Back to the pack" } else { "Back to the library" };
            if ui.button(back).clicked() {
                actions.push(UiAction::BackToLibrary);
            }
            ui.separator();
            match pack {
                Some(title) => {
                    state.mode = Mode::Assessment;
                    ui.label(RichText::new(format!("Assessment: {title}")).color(theme::ACCENT));
                }
                None => {
                    ui.label("Mode:");
                    ui.radio_value(&mut state.mode, Mode::Practice, "Practice");
                    ui.radio_value(&mut state.mode, Mode::Assessment, "Assessment");
                }
            }
            let begin = egui::Button::new(RichText::new("Begin session").strong());
            if ui.add(begin).clicked() {
                // In a pack the pack's seed is used whatever is asked for here.
                let seed = if state.mode == Mode::Assessment { ASSESSMENT_SEED } else { practice_seed };
                actions.push(UiAction::Start { mode: state.mode, seed });
            }
        });
        let explain = match state.mode {
            Mode::Practice => "Practice: live meters, feedback after every move, hints from several schools, and rewind to any turn.",
            Mode::Assessment => "Assessment: no meters, no hints, no rewind; the same wording for every learner. Your result is scored at the end.",
        };
        widgets::muted(ui, explain);
        ui.add_space(6.0);
    });
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("briefing_scroll")
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    portrait::draw(
                        ui,
                        c,
                        &scenario.initial_state.snapshot(),
                        egui::vec2(120.0, 135.0),
                    );
                    ui.vertical(|ui| {
                        ui.heading(format!("{}, {} ({})", c.name, c.age, c.pronouns));
                        ui.label(RichText::new(&scenario.meta.title).italics());
                        ui.label(
                            RichText::new(difficulty_label(scenario.meta.difficulty))
                                .color(theme::ACCENT),
                        );
                    });
                });
                widgets::section(ui, "Presenting problem");
                ui.label(&c.presenting_problem);
                widgets::section(ui, "Background");
                ui.label(&c.background);
                if !c.preferences.notes.is_empty() {
                    widgets::section(ui, "What they want from help");
                    ui.label(&c.preferences.notes);
                }
                if !c.culture.notes.is_empty() {
                    widgets::section(ui, "Culture");
                    ui.label(&c.culture.notes);
                }
                if !c.religion.notes.is_empty() {
                    widgets::section(ui, "Faith");
                    ui.label(&c.religion.notes);
                }
                if c.risk.level > RiskLevel::None || !c.risk.notes.is_empty() {
                    widgets::section(ui, "Risk at intake");
                    ui.label(format!(
                        "Assessed as {}. {}",
                        c.risk.level.label(),
                        c.risk.notes
                    ));
                }
                widgets::section(ui, "Learning objectives");
                for objective in &scenario.meta.learning_objectives {
                    ui.label(format!("• {objective}"));
                }
                ui.add_space(6.0);
                widgets::muted(ui, format!("Up to {} turns.", scenario.session.turn_limit));
            });
    });
    actions
}
