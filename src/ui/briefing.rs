//! The briefing: the client's intake (what a referral tells a counsellor, never the
//! author's whole story), the learning objectives in practice, and the choice of mode:
//! practice or assessment at the desk, or classroom (a practice session on a projector).

use egui::{RichText, Ui};

use super::{UiAction, library::difficulty_label, portrait, theme, widgets};
use crate::coding::WordsMode;
use crate::model::{Mode, RiskLevel};
use crate::scenario::{Scenario, student_intake};

#[derive(Clone, Debug, Default)]
pub struct BriefingUi {
    pub format: Format,
    /// For a session that follows an earlier one with the same client: what happened
    /// since, and the not-on-track warning when it applies.
    pub series: Option<SeriesNote>,
    /// How much the session asks for the trainee's own words: the learner's setting, or
    /// the pack's when `words_fixed` (an instructor's pack decides it for its sessions).
    pub words_mode: WordsMode,
    pub words_fixed: bool,
}

/// What the briefing says of the session before, in a series of sessions with one client.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SeriesNote {
    /// "Since last week: ...", or that there is no earlier session to start from.
    pub since_last_week: String,
    /// The not-on-track warning with what to do, when the client is below the course.
    pub not_on_track: Option<String>,
}

/// How the session is held. Classroom is practice shown on a projector: it scores and is
/// recorded as practice (the session's `Mode` is what results and their verification
/// read), only the screen differs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Practice,
    Assessment,
    Classroom,
}

impl Format {
    /// The mode the session is scored and recorded in.
    pub fn mode(self) -> Mode {
        match self {
            Format::Practice | Format::Classroom => Mode::Practice,
            Format::Assessment => Mode::Assessment,
        }
    }
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
                    state.format = Format::Assessment;
                    ui.label(RichText::new(format!("Assessment: {title}")).color(theme::ACCENT));
                }
                None => {
                    ui.label("Mode:");
                    ui.radio_value(&mut state.format, Format::Practice, "Practice");
                    ui.radio_value(&mut state.format, Format::Assessment, "Assessment");
                    ui.radio_value(&mut state.format, Format::Classroom, "Classroom");
                }
            }
            let begin = egui::Button::new(RichText::new("Begin session").strong());
            if ui.add(begin).clicked() {
                // In a pack the pack's seed is used whatever is asked for here.
                actions.push(match state.format {
                    Format::Assessment => UiAction::Start { mode: Mode::Assessment, seed: ASSESSMENT_SEED },
                    Format::Practice => UiAction::Start { mode: Mode::Practice, seed: practice_seed },
                    Format::Classroom => UiAction::StartClassroom { seed: practice_seed },
                });
            }
        });
        let explain = match state.format {
            Format::Practice => "Practice: live meters, feedback after every move, hints from several schools, and rewind to any turn.",
            Format::Assessment => "Assessment: no meters, no hints, no rewind; the same wording for every learner. Your result is scored at the end.",
            Format::Classroom => "Classroom: a practice session for a projector. The client's face, line and cues in large type for the room, the meters shown or hidden at your choice; you play the move the class decides on.",
        };
        widgets::muted(ui, explain);
        words_row(ui, state, &mut actions);
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
                if let Some(note) = &state.series {
                    series_ui(ui, note);
                }
                intake_ui(ui, scenario);
                objectives_ui(ui, scenario, state.format.mode());
                ui.add_space(6.0);
                widgets::muted(ui, format!("Up to {} turns.", scenario.session.turn_limit));
            });
    });
    actions
}

/// What the words box asks of the trainee: chosen here for practice, fixed by a pack.
fn words_row(ui: &mut Ui, state: &mut BriefingUi, actions: &mut Vec<UiAction>) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Your own words:");
        if state.words_fixed {
            ui.label(
                RichText::new(format!("{} (set by the pack)", state.words_mode.label()))
                    .color(theme::ACCENT),
            );
        } else {
            let before = state.words_mode;
            egui::ComboBox::from_id_salt("words_mode")
                .selected_text(state.words_mode.label())
                .show_ui(ui, |ui| {
                    for m in WordsMode::ALL {
                        ui.selectable_value(&mut state.words_mode, m, m.label());
                    }
                })
                .response
                .labelled_by(label.id);
            if state.words_mode != before {
                actions.push(UiAction::SetWordsMode(state.words_mode));
            }
        }
    });
    widgets::muted(
        ui,
        match state.words_mode {
            WordsMode::Optional => {
                "Type what you would say to the client if you like; Attune reads it, proposes the technique, and keeps your words in the transcript."
            }
            WordsMode::First => {
                "Words first: say it in your own words at every turn, then confirm or correct the technique Attune reads in them. The palette alone still works."
            }
            WordsMode::Required => {
                "Words required: every move needs your own words; the palette corrects the technique Attune reads in them."
            }
        },
    );
}

/// What happened since the session before, and the not-on-track warning.
fn series_ui(ui: &mut Ui, note: &SeriesNote) {
    widgets::section(ui, "Since the last session");
    ui.label(&note.since_last_week);
    if let Some(warning) = &note.not_on_track {
        ui.add_space(4.0);
        ui.label(RichText::new(warning).color(theme::WARN));
    }
}

/// The referral and intake form: only what the client and referrer have said so far.
fn intake_ui(ui: &mut Ui, scenario: &Scenario) {
    let c = &scenario.client;
    let intake = student_intake(c);
    widgets::section(ui, "Reason for referral");
    if !intake.referred_by.is_empty() {
        widgets::muted(ui, format!("From: {}", intake.referred_by));
    }
    ui.label(&intake.reason);
    if !intake.referral.is_empty() {
        widgets::section(ui, "Referral");
        ui.label(&intake.referral);
    }
    for (heading, text) in [
        ("What they want from help", &intake.wants),
        ("Culture", &intake.culture),
        ("Faith", &intake.faith),
    ] {
        if !text.is_empty() {
            widgets::section(ui, heading);
            ui.label(text);
        }
    }
    if c.risk.level > RiskLevel::None || !intake.risk.is_empty() {
        widgets::section(ui, "Risk at intake");
        let level = match c.risk.level {
            RiskLevel::None => "No risk identified.".to_string(),
            level => format!("Assessed as {}.", level.label()),
        };
        ui.label(format!("{level} {}", intake.risk).trim_end().to_string());
    }
}

/// What an assessment scores, in place of the objectives: a scenario's objectives name
/// the moves that fit, which an assessment asks the learner to find.
pub const ASSESSED: &str = "Each move is scored on how well it fits this client and what they have just said or done. The working alliance, any risk assessed in time, and whether the session reaches the work the client came for count too. The learning objectives are shown in practice only: here the reading of the client is yours.";

fn objectives_ui(ui: &mut Ui, scenario: &Scenario, mode: Mode) {
    match mode {
        Mode::Practice => {
            widgets::section(ui, "Learning objectives");
            for objective in &scenario.meta.learning_objectives {
                ui.label(format!("\u{2022} {objective}"));
            }
        }
        Mode::Assessment => {
            widgets::section(ui, "What is assessed");
            ui.label(ASSESSED);
        }
    }
}
