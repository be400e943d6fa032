//! The drill screen: one hard moment of a session. The client as they are at that moment
//! (portrait, the last exchanges, their line and cues, the moment in words), the palette to
//! answer with one move; then the move's fit and why, the client's reply, what the move
//! showed of each skill, the schools' commentary on the moment and the best move found with
//! its reason, and *Again* for the same moment with a fresh line.

use egui::{RichText, Ui};

use super::session::{self, SessionUi, SessionView};
use super::{UiAction, library::first_name, portrait, theme, widgets};

/// What the drill screen shows.
pub struct DrillView<'a> {
    /// The step's title ("Dan: the first pushback").
    pub title: &'a str,
    /// The skills the drill trains.
    pub skills: Vec<&'static str>,
    /// Tries at this drill so far in this sitting.
    pub tries: u32,
    /// The session at the moment, for the stage and the palette.
    pub session: SessionView<'a>,
    /// The answer once given.
    pub answer: Option<AnswerView>,
}

/// A drill answered.
#[derive(Clone, Debug)]
pub struct AnswerView {
    /// "Complex reflection (slower)".
    pub yours: String,
    pub fit: f32,
    pub explanation: String,
    pub reply: String,
    pub reply_cues: Vec<String>,
    /// Each skill the move showed, 0..1.
    pub evidence: Vec<(&'static str, f32)>,
    pub advice: String,
    pub moment_title: Option<String>,
    /// Each school's view of the moment: the school and its words.
    pub commentary: Vec<(&'static str, String)>,
    /// The best move found, its fit and reason; `None` when the learner's was the best.
    pub best: Option<(String, f32, String)>,
}

/// The drill screen's own state: the palette's.
#[derive(Clone, Debug, Default)]
pub struct DrillUi {
    pub palette: SessionUi,
}

pub fn show(ui: &mut Ui, view: &DrillView, state: &mut DrillUi) -> Vec<UiAction> {
    let mut actions = Vec::new();
    egui::Panel::top("drill_top").show(ui, |ui| {
        ui.add_space(4.0);
        widgets::row_with_end(ui, |ui| {
            if ui.button("Back to the course").clicked() {
                actions.push(UiAction::OpenCourse);
            }
            ui.with_layout(
                egui::Layout::left_to_right(egui::Align::Center).with_main_wrap(true),
                |ui| {
                    ui.heading(format!("Drill: {}", view.title));
                    if !view.skills.is_empty() {
                        widgets::muted(ui, format!("Trains {}", view.skills.join(", ")));
                    }
                    if view.tries > 0 {
                        widgets::muted(ui, format!("try {}", view.tries + 1));
                    }
                },
            );
        });
        ui.add_space(4.0);
    });
    let side = (ui.available_width() * 0.4).clamp(320.0, 620.0);
    egui::Panel::right("drill_side")
        .resizable(false)
        .exact_size(side)
        .show(ui, |ui| match &view.answer {
            None => {
                ui.label(RichText::new("Your move").strong());
                let mut palette_actions = Vec::new();
                session::palette_ui(
                    ui,
                    &view.session,
                    None,
                    &mut state.palette,
                    &mut palette_actions,
                );
                // A move chosen here answers the drill: it is not played in any session.
                actions.extend(palette_actions.into_iter().map(|a| match a {
                    UiAction::Play(choice) => UiAction::AnswerDrill(choice),
                    other => other,
                }));
            }
            Some(answer) => answered(ui, answer, &mut actions),
        });
    egui::CentralPanel::default().show(ui, |ui| stage(ui, view));
    if view.answer.is_none() {
        let mut keys = Vec::new();
        session::keyboard_shortcuts(
            ui,
            view.session.techniques,
            view.session.words_mode,
            &mut state.palette,
            &mut keys,
        );
        actions.extend(keys.into_iter().map(|a| match a {
            UiAction::Play(choice) => UiAction::AnswerDrill(choice),
            other => other,
        }));
    }
    actions
}

/// The client at the moment: portrait, the last exchanges, the line, the cues, the moment.
fn stage(ui: &mut Ui, view: &DrillView) {
    let s = &view.session;
    theme::wrap_text(ui);
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.horizontal_top(|ui| {
                portrait::draw(ui, &s.scenario.client, &s.now, egui::vec2(156.0, 168.0));
                ui.vertical(|ui| {
                    ui.label(RichText::new(&s.scenario.client.name).strong().size(20.0));
                    let name = first_name(&s.scenario.client.name);
                    // The two exchanges before the moment, for context.
                    let shown = s.turns.len().saturating_sub(2);
                    if shown > 0 {
                        widgets::muted(ui, format!("{shown} earlier turns"));
                    }
                    // The last answer is the line below, in large type.
                    let last = s.turns.len().saturating_sub(1);
                    for (i, t) in s.turns.iter().enumerate().skip(shown) {
                        ui.label(
                            RichText::new(format!("You: {}", t.technique_name))
                                .color(theme::ACCENT),
                        );
                        if i < last {
                            ui.label(format!("{name}: \u{201c}{}\u{201d}", t.client_line));
                        }
                    }
                });
            });
            ui.add_space(8.0);
            let (line, cues): (&str, Vec<&str>) = match s.turns.last() {
                Some(t) => (t.client_line, t.cues.iter().map(String::as_str).collect()),
                None => (s.opening_line, s.opening_cue.into_iter().collect()),
            };
            ui.label(RichText::new(format!("\u{201c}{line}\u{201d}")).size(22.0));
            for cue in cues {
                ui.label(
                    RichText::new(format!("({cue})"))
                        .italics()
                        .color(theme::MUTED),
                );
            }
            let moment = s.open_moment.as_ref().or(s.opening_moment.as_ref());
            if let Some(moment) = moment {
                ui.add_space(4.0);
                ui.label(RichText::new(format!("Moment: {moment}")).color(theme::WARN));
            }
            ui.add_space(6.0);
            ui.label("What would you say next? Choose one move and how to adapt it.");
        });
}

/// The answer: fit, reply, skills, the schools' view and the best move; then *Again*.
fn answered(ui: &mut Ui, a: &AnswerView, actions: &mut Vec<UiAction>) {
    theme::wrap_text(ui);
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                widgets::fit_badge(ui, a.fit);
                ui.label(RichText::new(&a.yours).strong());
            });
            ui.label(&a.explanation);
            ui.add_space(4.0);
            ui.label(RichText::new(format!("\u{201c}{}\u{201d}", a.reply)).italics());
            for cue in &a.reply_cues {
                ui.label(
                    RichText::new(format!("({cue})"))
                        .italics()
                        .color(theme::MUTED),
                );
            }
            if !a.evidence.is_empty() {
                widgets::section(ui, "What the move showed");
                for (skill, value) in &a.evidence {
                    widgets::meter(ui, skill, *value, theme::fit_colour(value * 100.0), 140.0);
                }
            }
            widgets::section(ui, "Advice");
            ui.label(&a.advice);
            if !a.commentary.is_empty() {
                let title = a.moment_title.as_deref().unwrap_or("this moment");
                widgets::section(ui, &format!("The schools on {title}"));
                for (school, text) in &a.commentary {
                    ui.label(RichText::new(*school).strong());
                    ui.label(text);
                }
            }
            widgets::section(ui, "The best move found");
            match &a.best {
                None => {
                    ui.label(RichText::new("Yours: nothing found beat it.").color(theme::GOOD));
                }
                Some((best, fit, reason)) => {
                    ui.horizontal_wrapped(|ui| {
                        widgets::fit_badge(ui, *fit);
                        ui.label(RichText::new(best).strong());
                    });
                    ui.label(reason);
                }
            }
            ui.add_space(8.0);
            ui.horizontal_wrapped(|ui| {
                if ui
                    .button("Again")
                    .on_hover_text("The same moment, the client's words varied")
                    .clicked()
                {
                    actions.push(UiAction::DrillAgain);
                }
                if ui.button("Back to the course").clicked() {
                    actions.push(UiAction::OpenCourse);
                }
            });
        });
}
