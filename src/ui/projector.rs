//! The projector screen: a practice session laid out for a classroom's projector rather
//! than the desk. The client's face and last line fill the stage in type sized from the
//! window (readable from the back of a room at 1280x720 and 1920x1080), the earlier turns
//! are condensed to a line each, and the instructor's palette sits beside the stage in
//! larger type. The meters are shown or hidden at the instructor's choice (M); the number
//! keys and Enter play a move as in the session screen.
//!
//! The stage's sizes follow the width it is left, so a further panel beside the palette
//! (the class's vote) narrows the stage rather than covering it.

use egui::{RichText, Ui};

use super::class_vote::{self, ClassVoteUi, ClassVoteView};
use super::session::{self, SessionUi, SessionView};
use super::{UiAction, library::first_name, portrait, theme};
use crate::model::Rupture;

/// The projector's own state: the palette's as in a session, and the meters' toggle.
#[derive(Clone, Debug)]
pub struct ProjectorUi {
    pub session: SessionUi,
    /// The meters are shown (the instructor may hide them while the class reads the client).
    pub meters: bool,
    pub vote: ClassVoteUi,
}

impl Default for ProjectorUi {
    fn default() -> Self {
        ProjectorUi {
            session: SessionUi::default(),
            meters: true,
            vote: ClassVoteUi::default(),
        }
    }
}

/// The smallest size (points) of the client's line: readable from the back of a room on a
/// 1280x720 projector.
pub const LINE_MIN_SIZE: f32 = 28.0;
const PALETTE_MIN_WIDTH: f32 = 330.0;
const PALETTE_MAX_WIDTH: f32 = 560.0;
/// The narrowest the line's column beside the portrait gets before the portrait shrinks.
const LINE_MIN_WIDTH: f32 = 420.0;

/// The sizes of the projector's type and portrait, from the window and the stage's width.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sizes {
    /// The client's line.
    pub line: f32,
    /// The cues under it.
    pub cue: f32,
    /// The condensed transcript, the move just played and the title.
    pub text: f32,
    /// The palette's and the meters' text.
    pub palette: f32,
    pub portrait: egui::Vec2,
}

/// The sizes for a window `height` points tall whose stage is `stage_width` wide: the type
/// grows with the window's height, the line's held back only where the stage is narrow.
pub fn sizes(stage_width: f32, height: f32) -> Sizes {
    let line = (height / 24.0).min(stage_width / 26.0).max(LINE_MIN_SIZE);
    let portrait_height =
        (height * 0.42).min((stage_width - LINE_MIN_WIDTH).max(140.0) * 280.0 / 260.0);
    Sizes {
        line,
        cue: (line * 0.75).max(20.0),
        text: (height / 36.0).clamp(17.0, 30.0),
        palette: (height / 42.0).clamp(17.0, 24.0),
        portrait: egui::vec2(portrait_height * 260.0 / 280.0, portrait_height),
    }
}

/// The instructor's palette's width in a window `width` points wide.
pub fn palette_width(width: f32) -> f32 {
    (width * 0.28).clamp(PALETTE_MIN_WIDTH, PALETTE_MAX_WIDTH)
}

/// The class vote's panel's width in a window `width` points wide, while a vote is open.
pub fn vote_width(width: f32) -> f32 {
    (width * 0.24).clamp(VOTE_MIN_WIDTH, VOTE_MAX_WIDTH)
}

const VOTE_MIN_WIDTH: f32 = 290.0;
const VOTE_MAX_WIDTH: f32 = 480.0;

/// Draws the projector; `vote` is the class vote's panel.
pub fn show(
    ui: &mut Ui,
    view: &SessionView,
    vote: &ClassVoteView,
    state: &mut ProjectorUi,
) -> Vec<UiAction> {
    let mut actions = Vec::new();
    let height = ui.available_height();
    let palette = palette_width(ui.available_width());
    let voting = matches!(vote, ClassVoteView::Open(_));
    let vote_panel = vote_width(ui.available_width());
    let beside = palette + if voting { vote_panel } else { 0.0 };
    let text = sizes(ui.available_width() - beside, height);

    egui::Panel::top("projector_top").show(ui, |ui| {
        sized(ui, text.palette);
        ui.add_space(4.0);
        title_row(ui, view, state, text.text, &mut actions);
        if state.meters {
            meters_row(ui, view, text.palette);
        }
        ui.add_space(4.0);
    });

    egui::Panel::right("projector_palette")
        .resizable(false)
        .exact_size(palette)
        .show(ui, |ui| {
            sized(ui, text.palette);
            if !voting {
                class_vote::show(ui, vote, &mut state.vote, text.palette, &mut actions);
                ui.separator();
            }
            ui.label(RichText::new("Your move").strong());
            // No consult panel: the palette is on the wall, and the schools' hints would
            // answer what the class is asked.
            session::palette_ui(ui, view, None, &mut state.session, &mut actions);
        });

    if voting {
        egui::Panel::right("projector_vote")
            .resizable(false)
            .exact_size(vote_panel)
            .show(ui, |ui| {
                sized(ui, text.palette);
                egui::ScrollArea::vertical()
                    .id_salt("projector_vote_scroll")
                    .show(ui, |ui| {
                        class_vote::show(ui, vote, &mut state.vote, text.palette, &mut actions)
                    });
            });
    }

    egui::CentralPanel::default().show(ui, |ui| {
        let sizes = sizes(ui.available_width(), height);
        stage(ui, view, &sizes);
        earlier_turns(ui, view, sizes.text);
    });

    session::keyboard_shortcuts(
        ui,
        view.techniques,
        // A class votes on moves; the own-words box is a trainee's own practice.
        crate::coding::WordsMode::Optional,
        &mut state.session,
        &mut actions,
    );
    if !ui.ctx().egui_wants_keyboard_input() && ui.input(|i| i.key_pressed(egui::Key::M)) {
        state.meters = !state.meters;
    }
    actions
}

/// Body, button, small and monospace text at `size` points in `ui`, with check boxes and
/// radio buttons to match.
fn sized(ui: &mut Ui, size: f32) {
    use egui::{FontId, TextStyle};
    let style = ui.style_mut();
    let styles = &mut style.text_styles;
    styles.insert(TextStyle::Body, FontId::proportional(size));
    styles.insert(TextStyle::Button, FontId::proportional(size));
    styles.insert(TextStyle::Small, FontId::proportional(size * 0.85));
    styles.insert(TextStyle::Monospace, FontId::monospace(size * 0.85));
    style.spacing.icon_width = size * 0.8;
    style.spacing.icon_width_inner = size * 0.5;
    style.spacing.interact_size.y = size * 1.2;
}

/// The three meters in one row, their bars sharing the width.
fn meters_row(ui: &mut Ui, view: &SessionView, size: f32) {
    // A meter is its label, the bar and the percentage: about ten characters besides the bar.
    let bar = (ui.available_width() / 3.0 - 10.0 * size).clamp(80.0, 320.0);
    let now = &view.now;
    ui.horizontal(|ui| {
        for (label, value, colour) in [
            ("Alliance", now.alliance, theme::ALLIANCE),
            ("Distress", now.distress, theme::DISTRESS),
            ("Hope", now.hope, theme::HOPE),
        ] {
            super::widgets::meter(ui, label, value, colour, bar);
            ui.add_space(size);
        }
    });
}

/// The client's name, the turn, "Classroom", the meters' toggle and "End session".
fn title_row(
    ui: &mut Ui,
    view: &SessionView,
    state: &mut ProjectorUi,
    size: f32,
    actions: &mut Vec<UiAction>,
) {
    super::widgets::row_with_end(ui, |ui| {
        session::end_session_button(ui, &mut state.session);
        ui.checkbox(&mut state.meters, "Meters")
            .on_hover_text("Show or hide the meters (M)");
        ui.with_layout(
            egui::Layout::left_to_right(egui::Align::Center).with_main_wrap(true),
            |ui| {
                ui.label(
                    RichText::new(&view.scenario.client.name)
                        .strong()
                        .size(size * 1.2),
                );
                ui.label(format!(
                    "Turn {} of {}",
                    view.turns.len() + 1,
                    view.scenario.session.turn_limit
                ));
                ui.label(RichText::new("Classroom").color(theme::ACCENT));
            },
        );
    });
    if state.session.confirm_end {
        session::end_session_confirmation(ui, view, &mut state.session, actions);
    }
}

/// The client large: the portrait, and beside it the move just played, the client's line
/// and cues, and an open rupture.
fn stage(ui: &mut Ui, view: &SessionView, sizes: &Sizes) {
    let last = view.turns.last();
    ui.add_space(8.0);
    ui.horizontal_top(|ui| {
        portrait::draw(ui, &view.scenario.client, &view.now, sizes.portrait);
        ui.add_space(12.0);
        ui.vertical(|ui| {
            theme::wrap_text(ui);
            egui::ScrollArea::vertical()
                .id_salt("projector_line")
                .max_height(sizes.portrait.y.max(ui.available_height() * 0.55))
                .show(ui, |ui| {
                    if let Some(t) = last {
                        let adaptation = if t.adaptation.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", t.adaptation)
                        };
                        ui.label(
                            RichText::new(format!("You: {}{adaptation}", t.technique_name))
                                .size(sizes.text)
                                .color(theme::ACCENT),
                        );
                    }
                    let line = last.map_or(view.opening_line, |t| t.client_line);
                    ui.label(RichText::new(format!("\u{201c}{line}\u{201d}")).size(sizes.line));
                    let cues: Vec<&str> = match last {
                        Some(t) => t.cues.iter().map(String::as_str).collect(),
                        None => view.opening_cue.into_iter().collect(),
                    };
                    for cue in cues {
                        ui.label(
                            RichText::new(format!("({cue})"))
                                .size(sizes.cue)
                                .italics()
                                .color(theme::MUTED),
                        );
                    }
                    let rupture = match view.now.rupture {
                        Rupture::Confrontation => Some("Rupture: confrontation"),
                        Rupture::Withdrawal => Some("Rupture: withdrawal"),
                        Rupture::None => None,
                    };
                    if let Some(rupture) = rupture {
                        ui.label(
                            RichText::new(rupture)
                                .size(sizes.cue)
                                .color(theme::BAD)
                                .strong(),
                        );
                    }
                    if view.ended {
                        ui.label(
                            RichText::new("The session is over.")
                                .size(sizes.text)
                                .strong(),
                        );
                    }
                });
        });
    });
}

/// The turns before the last, a line each (cut with an ellipsis), newest at the bottom.
fn earlier_turns(ui: &mut Ui, view: &SessionView, size: f32) {
    let Some((_, earlier)) = view.turns.split_last() else {
        return;
    };
    ui.add_space(8.0);
    ui.separator();
    ui.label(
        RichText::new("Earlier")
            .size(size)
            .strong()
            .color(theme::MUTED),
    );
    let name = first_name(&view.scenario.client.name);
    egui::ScrollArea::vertical()
        .id_salt("projector_transcript")
        .auto_shrink([false, false])
        .stick_to_bottom(true)
        .show(ui, |ui| {
            let row = |ui: &mut Ui, text: String| {
                ui.add(egui::Label::new(RichText::new(text).size(size)).truncate());
            };
            row(ui, format!("{name}: \u{201c}{}\u{201d}", view.opening_line));
            for t in earlier {
                let adaptation = if t.adaptation.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", t.adaptation)
                };
                row(
                    ui,
                    format!(
                        "{}. {}{adaptation}. {name}: \u{201c}{}\u{201d}",
                        t.turn, t.technique_name, t.client_line
                    ),
                );
            }
        });
}
