//! The session: the client on screen, the transcript, the technique palette grouped by
//! school with number-key shortcuts, adaptation controls, and in practice mode the meters,
//! per-turn feedback and a consult panel with hints from several schools.

use egui::{RichText, Ui};

use super::words_box::{self, WordsUi};
use super::{UiAction, portrait, theme, widgets};
use crate::coding::WordsMode;
use crate::model::{Rupture, School, StateSnapshot, Technique};
use crate::scenario::{
    Choice, Directiveness, FocusShift, Framing, Pacing, Scenario, technique_example,
};

/// The session as the screen shows it, built by the app from the running session.
pub struct SessionView<'a> {
    /// The client met, their traits for the portrait and their techniques' own examples.
    pub scenario: &'a Scenario,
    /// Practice shows the meters, the feedback, the moments and the consult panel.
    pub practice: bool,
    /// The client's state now.
    pub now: StateSnapshot,
    pub opening_line: &'a str,
    pub opening_cue: Option<&'a str>,
    /// The moment the client's first line opened, in words.
    pub opening_moment: Option<String>,
    /// The moment open now, in words.
    pub open_moment: Option<String>,
    pub turns: Vec<TurnView<'a>>,
    /// The session is over: no technique can be used.
    pub ended: bool,
    /// The techniques offered, in catalogue order.
    pub techniques: &'a [Technique],
    /// A line above the session from outside it, e.g. the pack and the time left.
    pub banner: Option<String>,
    /// The consult panel's hints, best first; none where the panel is not offered.
    pub consult: Option<Vec<ConsultHint>>,
    /// How much the session asks for the trainee's own words (the learner's setting or
    /// the pack's).
    pub words_mode: WordsMode,
}

/// One played turn as the transcript and the feedback show it.
pub struct TurnView<'a> {
    /// 1 is the first move.
    pub turn: u32,
    pub technique_name: &'a str,
    /// How the move was adapted, in words ("ask permission first"); empty when as is.
    pub adaptation: String,
    pub fit: f32,
    pub explanation: &'a str,
    pub client_line: &'a str,
    pub cues: &'a [String],
    /// A rupture marker in the client's answer.
    pub marker: Option<Rupture>,
    /// The moment the client's line opened, in words.
    pub opened: Option<String>,
    /// What else the turn brought that the feedback names (a rupture, a risk cue...).
    pub notes: Vec<String>,
    /// The trainee's own words for the move, when they typed any.
    pub words: Option<TurnWords<'a>>,
}

/// A turn's words as the transcript and the feedback show them.
pub struct TurnWords<'a> {
    pub text: &'a str,
    /// "a question (91%)".
    pub reads_as: String,
    /// What the words do not do that the move claimed, with the MITI definition.
    pub mismatch: Option<&'a str>,
}

/// What one school would try now, with advice for this moment when it says something new.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsultHint {
    /// "School: technique".
    pub heading: String,
    pub advice: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct SessionUi {
    pub search: String,
    pub selected: Option<String>,
    /// The adaptation being prepared; its `technique` is set when played.
    pub adaptation: Choice,
    /// "End session" asks once more: an unfinished session cannot pass.
    pub confirm_end: bool,
    /// The own-words box.
    pub words: WordsUi,
}

/// What ending now means, asked before the session is ended early.
fn end_warning(played: usize, turn_limit: u32) -> String {
    format!(
        "End after {played} of {}? A session ended early does not pass.",
        crate::words::count(turn_limit, "turn")
    )
}

/// The techniques shown in the palette, in display order: grouped by school, filtered by
/// the search. Number keys 1 to 9 pick the first nine of these.
pub fn visible_techniques<'a>(techniques: &'a [Technique], search: &str) -> Vec<&'a Technique> {
    let needle = search.trim().to_lowercase();
    let mut out = Vec::new();
    for school in School::ALL {
        for t in techniques.iter().filter(|t| t.school == school) {
            if needle.is_empty()
                || t.name.to_lowercase().contains(&needle)
                || t.description.to_lowercase().contains(&needle)
                || t.tags.iter().any(|g| g.contains(&needle))
            {
                out.push(t);
            }
        }
    }
    out
}

/// Below these widths (in points, after the text size zoom) a column stops being readable:
/// the transcript keeps at least `TRANSCRIPT_MIN_WIDTH`, and the palette `PALETTE_MIN_WIDTH`.
pub const TRANSCRIPT_MIN_WIDTH: f32 = 280.0;
pub const PALETTE_MIN_WIDTH: f32 = 250.0;
const CLIENT_MIN_WIDTH: f32 = 200.0;
const CLIENT_MAX_WIDTH: f32 = 340.0;
const PALETTE_MAX_WIDTH: f32 = 480.0;

/// How the session's columns share the window's width (in points).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Columns {
    /// The client's column (portrait, cues, feedback) as (smallest, first, largest) width;
    /// none when the window is too narrow for three readable columns, and the client is
    /// shown in a strip above the transcript instead.
    pub client: Option<(f32, f32, f32)>,
    /// The share of the width beside the client's column the palette takes at first.
    pub palette_share: f32,
}

/// The columns for a window `width` points wide: three when each can keep its readable
/// width, else the transcript and the palette side by side.
pub fn columns(width: f32) -> Columns {
    let three = CLIENT_MIN_WIDTH + TRANSCRIPT_MIN_WIDTH + PALETTE_MIN_WIDTH + 40.0;
    let client = (width >= three).then(|| {
        let max = (width - TRANSCRIPT_MIN_WIDTH - PALETTE_MIN_WIDTH - 20.0)
            .clamp(CLIENT_MIN_WIDTH, CLIENT_MAX_WIDTH);
        (
            CLIENT_MIN_WIDTH,
            (width * 0.23).clamp(CLIENT_MIN_WIDTH, max),
            max,
        )
    });
    Columns {
        client,
        palette_share: if client.is_some() { 0.38 } else { 0.42 },
    }
}

/// The palette's (smallest, first, largest) width in `left` points beside the transcript.
fn palette_range(left: f32, share: f32) -> (f32, f32, f32) {
    let max = (left - TRANSCRIPT_MIN_WIDTH)
        .min(PALETTE_MAX_WIDTH)
        .max(PALETTE_MIN_WIDTH.min(left * 0.5));
    let min = PALETTE_MIN_WIDTH.min(max);
    (min, (left * share).clamp(min, max), max)
}

pub fn show(ui: &mut Ui, view: &SessionView, state: &mut SessionUi) -> Vec<UiAction> {
    let mut actions = Vec::new();
    let scenario = view.scenario;
    let practice = view.practice;
    let now = view.now;
    let last = view.turns.last();

    egui::Panel::top("session_top").show(ui, |ui| {
        ui.add_space(4.0);
        title_row(ui, view, state, &mut actions);
        if practice {
            meters_row(ui, &now);
        }
        ui.add_space(4.0);
    });

    let layout = columns(ui.available_width());
    if let Some((min, first, max)) = layout.client {
        egui::Panel::left("session_client")
            .default_size(first)
            .size_range(min..=max)
            .show(ui, |ui| {
                ui.add_space(6.0);
                let width = ui.available_width().min(260.0);
                portrait::draw(
                    ui,
                    &scenario.client,
                    &now,
                    egui::vec2(width, width * 280.0 / 260.0),
                );
                client_notes(ui, view, last, &now);
                if practice && let Some(t) = last {
                    feedback_ui(ui, t);
                }
            });
    }

    let (min, first, max) = palette_range(ui.available_width(), layout.palette_share);
    egui::Panel::right("session_palette")
        .default_size(first)
        .size_range(min..=max)
        .show(ui, |ui| {
            palette_ui(ui, view, view.consult.as_deref(), state, &mut actions);
        });

    egui::CentralPanel::default().show(ui, |ui| {
        if layout.client.is_none() {
            // Too narrow for the client's own column: a small portrait and the cues above
            // the transcript, and the feedback on the last move under it.
            ui.horizontal(|ui| {
                portrait::draw(ui, &scenario.client, &now, egui::vec2(70.0, 75.0));
                ui.vertical(|ui| client_notes(ui, view, last, &now));
            });
            ui.separator();
        }
        egui::Panel::bottom("session_words").show(ui, |ui| {
            let SessionUi {
                words,
                selected,
                adaptation,
                ..
            } = state;
            words_box::show(
                ui,
                view.words_mode,
                view.turns.len(),
                view.ended,
                view.techniques,
                words,
                selected,
                adaptation,
                &mut actions,
            );
        });
        ui.label(RichText::new("Transcript").strong());
        egui::ScrollArea::vertical()
            .id_salt("session_transcript")
            .auto_shrink([false, false])
            .stick_to_bottom(true)
            .show(ui, |ui| {
                ui.label(RichText::new(format!(
                    "{}: \u{201c}{}\u{201d}",
                    super::library::first_name(&scenario.client.name),
                    view.opening_line
                )));
                if practice && let Some(words) = &view.opening_moment {
                    moment_note(ui, words);
                }
                for t in &view.turns {
                    turn_ui(ui, &scenario.client.name, t, practice);
                    if practice && let Some(words) = &t.opened {
                        moment_note(ui, words);
                    }
                }
                // Folded, so the client's last line stays in view in a short transcript.
                if layout.client.is_none()
                    && practice
                    && let Some(t) = last
                {
                    egui::CollapsingHeader::new(format!("Feedback on turn {}", t.turn))
                        .show(ui, |ui| feedback_ui(ui, t));
                }
            });
    });

    keyboard_shortcuts(ui, view.techniques, view.words_mode, state, &mut actions);
    actions
}

/// The client's name, the turn, the mode and any banner, wrapping onto a second line when
/// the window is narrow, with "End session" kept in view at the right.
fn title_row(ui: &mut Ui, view: &SessionView, state: &mut SessionUi, actions: &mut Vec<UiAction>) {
    let scenario = view.scenario;
    let practice = view.practice;
    widgets::row_with_end(ui, |ui| {
        end_session_button(ui, state);
        ui.with_layout(
            egui::Layout::left_to_right(egui::Align::Center).with_main_wrap(true),
            |ui| {
                ui.heading(&scenario.client.name);
                ui.label(format!(
                    "Turn {} of {}",
                    view.turns.len() + 1,
                    scenario.session.turn_limit
                ));
                ui.label(
                    RichText::new(if practice { "Practice" } else { "Assessment" })
                        .color(theme::ACCENT),
                );
                if practice {
                    let stage = view.now.stage;
                    ui.add(
                        egui::Label::new(format!("Stage: {}", stage.label()))
                            .wrap_mode(egui::TextWrapMode::Extend),
                    );
                }
                if let Some(banner) = &view.banner {
                    ui.label(RichText::new(banner).strong());
                }
            },
        );
    });
    if state.confirm_end {
        end_session_confirmation(ui, view, state, actions);
    }
}

/// "End session": it asks once more (below the title row), in practice as in assessment,
/// since a session ended early cannot be taken back.
pub(super) fn end_session_button(ui: &mut Ui, state: &mut SessionUi) {
    if !state.confirm_end && ui.button("End session").clicked() {
        state.confirm_end = true;
    }
}

pub(super) fn end_session_confirmation(
    ui: &mut Ui,
    view: &SessionView,
    state: &mut SessionUi,
    actions: &mut Vec<UiAction>,
) {
    let warning = end_warning(view.turns.len(), view.scenario.session.turn_limit);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(warning).color(theme::WARN));
        if ui.button("End it now").clicked() {
            actions.push(UiAction::EndSession);
        }
        if ui.button("Keep going").clicked() {
            state.confirm_end = false;
        }
    });
}

/// The live meters, narrower bars on a narrow window, wrapping rather than cut off.
fn meters_row(ui: &mut Ui, now: &StateSnapshot) {
    // A meter is its label, the bar and the percentage: about 130 points besides the bar.
    let bar = (ui.available_width() / 3.0 - 130.0).clamp(60.0, 140.0);
    ui.horizontal_wrapped(|ui| {
        for (label, value, colour) in [
            ("Alliance", now.alliance, theme::ALLIANCE),
            ("Distress", now.distress, theme::DISTRESS),
            ("Hope", now.hope, theme::HOPE),
        ] {
            if ui.available_width() < bar + 130.0 {
                ui.end_row();
            }
            widgets::meter(ui, label, value, colour, bar);
        }
    });
}

/// What the client shows besides words: cues, an open rupture and, in practice, the moment
/// their last line opened.
fn client_notes(ui: &mut Ui, view: &SessionView, last: Option<&TurnView>, now: &StateSnapshot) {
    cues_ui(ui, view.opening_cue, last, now);
    if view.practice
        && let Some(open) = &view.open_moment
    {
        ui.label(
            RichText::new(format!("Moment: {open}"))
                .color(theme::WARN)
                .strong(),
        );
    }
}

fn cues_ui(ui: &mut Ui, opening_cue: Option<&str>, last: Option<&TurnView>, now: &StateSnapshot) {
    let cues: Vec<&str> = match last {
        Some(t) => t.cues.iter().map(String::as_str).collect(),
        None => opening_cue.into_iter().collect(),
    };
    for cue in cues {
        ui.label(
            RichText::new(format!("({cue})"))
                .italics()
                .color(theme::MUTED),
        );
    }
    match now.rupture {
        Rupture::Confrontation => {
            ui.label(
                RichText::new("Rupture: confrontation")
                    .color(theme::BAD)
                    .strong(),
            );
        }
        Rupture::Withdrawal => {
            ui.label(
                RichText::new("Rupture: withdrawal")
                    .color(theme::BAD)
                    .strong(),
            );
        }
        Rupture::None => {}
    }
}

/// A moment the client's line opened, under the line in the transcript (practice only).
fn moment_note(ui: &mut Ui, words: &str) {
    ui.label(
        RichText::new(format!("Moment: {words}"))
            .italics()
            .color(theme::WARN),
    );
}

fn feedback_ui(ui: &mut Ui, t: &TurnView) {
    widgets::section(ui, "Last move");
    ui.horizontal(|ui| {
        widgets::fit_badge(ui, t.fit);
        ui.label(t.technique_name);
    });
    ui.label(t.explanation);
    for note in &t.notes {
        ui.label(RichText::new(note).color(theme::WARN));
    }
    if let Some(w) = &t.words {
        widgets::muted(ui, format!("Your words read as {}.", w.reads_as));
        if let Some(m) = w.mismatch {
            ui.label(RichText::new(m).color(theme::WARN));
        }
    }
}

fn turn_ui(ui: &mut Ui, client_name: &str, t: &TurnView, practice: bool) {
    ui.add_space(6.0);
    let adaptation = if t.adaptation.is_empty() {
        String::new()
    } else {
        format!(" ({})", t.adaptation)
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!(
                "Turn {}. You: {}{}",
                t.turn, t.technique_name, adaptation
            ))
            .color(theme::ACCENT),
        );
        if practice {
            widgets::fit_badge(ui, t.fit);
        }
    });
    if let Some(w) = &t.words {
        ui.label(RichText::new(format!("You said: \u{201c}{}\u{201d}", w.text)).italics());
        if practice && let Some(m) = w.mismatch {
            ui.label(RichText::new(format!("Your words: {m}")).color(theme::WARN));
        }
    }
    ui.label(format!(
        "{}: \u{201c}{}\u{201d}",
        super::library::first_name(client_name),
        t.client_line
    ));
    for cue in t.cues {
        ui.label(
            RichText::new(format!("({cue})"))
                .italics()
                .color(theme::MUTED),
        );
    }
    if let Some(marker) = t.marker {
        let kind = if marker == Rupture::Confrontation {
            "confrontation"
        } else {
            "withdrawal"
        };
        ui.label(RichText::new(format!("Rupture marker: {kind}")).color(theme::BAD));
    }
}

/// The technique chosen and still shown: a technique the search now hides is not the one
/// Enter or "Use this technique" would play.
pub fn chosen<'a>(visible: &[&'a Technique], state: &SessionUi) -> Option<&'a Technique> {
    let id = state.selected.as_deref()?;
    visible.iter().copied().find(|t| t.id == id)
}

/// The palette; `consult` is the consult panel's hints, where the panel is offered.
pub(super) fn palette_ui(
    ui: &mut Ui,
    view: &SessionView,
    consult: Option<&[ConsultHint]>,
    state: &mut SessionUi,
    actions: &mut Vec<UiAction>,
) {
    // Long technique names and headers wrap rather than run out of a narrow palette.
    theme::wrap_text(ui);
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        let label = ui.label("Find");
        ui.add(
            egui::TextEdit::singleline(&mut state.search)
                .hint_text("technique")
                .desired_width(ui.available_width().min(200.0)),
        )
        .labelled_by(label.id);
    });
    let visible = visible_techniques(view.techniques, &state.search);
    let chosen = chosen(&visible, state);
    // The list fills the height left above the chosen technique's details and the button
    // that uses it. The details take the height their content took last frame (at most a
    // little over half); when that changes, the next frame is drawn at once.
    let spacing = ui.spacing().item_spacing.y;
    // The button is as tall as its text makes it, which in large type (the projector) is
    // more than the interact size.
    let button_text =
        ui.text_style_height(&egui::TextStyle::Button) + 2.0 * ui.spacing().button_padding.y;
    let button = if chosen.is_some() {
        ui.spacing().interact_size.y.max(button_text) + 2.0 * spacing + 4.0
    } else {
        0.0
    };
    let details_max = (ui.available_height() * 0.55).max(120.0);
    // In a short palette the technique's description folds away (its hover shows it too).
    let short = ui.available_height() < 420.0;
    let details_id = ui.id().with("palette_details_height");
    let details_last: f32 = ui.data(|d| d.get_temp(details_id)).unwrap_or(details_max);
    // At least three rows of the list stay in view, however little height there is.
    let row = ui.text_style_height(&egui::TextStyle::Button)
        + 2.0 * ui.spacing().button_padding.y
        + spacing;
    let list_min = 3.5 * row;
    let details_height = details_last
        .min(details_max)
        .min(ui.available_height() - button - list_min - 4.0 * spacing)
        .max(40.0);
    let list_height =
        (ui.available_height() - details_height - button - 4.0 * spacing).max(list_min);
    if visible.is_empty() {
        ui.allocate_ui(egui::vec2(ui.available_width(), list_height), |ui| {
            ui.set_min_height(list_height);
            nothing_found(ui, &mut state.search);
        });
    } else {
        egui::ScrollArea::vertical()
            .id_salt("palette")
            .auto_shrink([false, false])
            .max_height(list_height)
            .show(ui, |ui| technique_list(ui, view.scenario, &visible, state));
    }
    ui.separator();
    let details = egui::ScrollArea::vertical()
        .id_salt("palette_details")
        .auto_shrink([false, true])
        .max_height(details_height)
        .show(ui, |ui| {
            match chosen {
                Some(t) => technique_details(ui, view.scenario, t, &mut state.adaptation, short),
                None => widgets::muted(
                    ui,
                    "Pick a technique (click, or press its number), adapt it, then use it.",
                ),
            }
            if let Some(hints) = consult {
                consult_ui(ui, hints);
            }
        });
    let content = details.content_size.y;
    if (content - details_last).abs() > 0.5 {
        ui.data_mut(|d| d.insert_temp(details_id, content));
        ui.ctx().request_repaint();
    }
    if let Some(t) = chosen {
        ui.add_space(4.0);
        let play = egui::Button::new(RichText::new("Use this technique").strong());
        let allowed = words_box::may_play(view.words_mode, &state.words);
        let hover = if allowed {
            "Enter"
        } else {
            "This session asks for your own words first: type them in the box under the transcript."
        };
        if ui
            .add_enabled(!view.ended && allowed, play)
            .on_hover_text(hover)
            .on_disabled_hover_text(hover)
            .clicked()
        {
            actions.push(play_with_words(t, state));
        }
    }
}

/// An empty search result says so, with a way back to the whole list.
fn nothing_found(ui: &mut Ui, search: &mut String) {
    ui.add_space(6.0);
    ui.label(format!(
        "No technique matches \u{2018}{}\u{2019}.",
        search.trim()
    ));
    if ui.button("Clear the search").clicked() {
        search.clear();
    }
}

/// The visible techniques grouped by school, the first nine numbered for their keys.
fn technique_list(ui: &mut Ui, scenario: &Scenario, visible: &[&Technique], state: &mut SessionUi) {
    let mut index = 0;
    for school in School::ALL {
        let in_school: Vec<&&Technique> = visible.iter().filter(|t| t.school == school).collect();
        if in_school.is_empty() {
            continue;
        }
        ui.label(RichText::new(school.label()).strong().color(theme::MUTED));
        for t in in_school {
            index += 1;
            ui.horizontal(|ui| {
                let key = if index <= 9 {
                    index.to_string()
                } else {
                    String::new()
                };
                ui.add_sized(
                    [14.0, 18.0],
                    egui::Label::new(RichText::new(key).small().color(theme::MUTED)),
                );
                let selected = state.selected.as_deref() == Some(t.id.as_str());
                let response = ui
                    .add(egui::Button::selectable(selected, &t.name).wrap())
                    .on_hover_text(format!(
                        "{}\n\u{201c}{}\u{201d}",
                        t.description,
                        technique_example(scenario, t)
                    ));
                if response.clicked() {
                    select(state, &t.id);
                }
            });
        }
    }
}

fn technique_details(
    ui: &mut Ui,
    scenario: &Scenario,
    t: &Technique,
    adaptation: &mut Choice,
    short: bool,
) {
    let about = |ui: &mut Ui| {
        ui.label(&t.description);
        let example = technique_example(scenario, t);
        ui.label(RichText::new(format!("\u{201c}{example}\u{201d}")).italics());
    };
    if short {
        egui::CollapsingHeader::new(RichText::new(&t.name).strong())
            .id_salt("technique_about")
            .show_unindented(ui, about);
    } else {
        ui.label(RichText::new(&t.name).strong());
        about(ui);
    }
    adaptation_ui(ui, adaptation);
}

fn select(state: &mut SessionUi, id: &str) {
    state.words.picked_in_palette();
    if state.selected.as_deref() != Some(id) {
        state.selected = Some(id.to_string());
        state.adaptation = Choice::default();
    }
}

/// The adaptation controls: a two-column grid when the palette is wide enough for its
/// longest row, else one wrapping row per control, so nothing is cut off.
fn adaptation_ui(ui: &mut Ui, a: &mut Choice) {
    // 440 points at the theme's 15-point text; larger type (the projector's) needs more.
    let body = egui::TextStyle::Body.resolve(ui.style()).size;
    let grid = 440.0 * body / 15.0;
    if ui.available_width() >= grid {
        egui::Grid::new("adaptation")
            .num_columns(2)
            .show(ui, |ui| adaptation_rows(ui, a, true));
    } else {
        adaptation_rows(ui, a, false);
    }
}

fn adaptation_rows(ui: &mut Ui, a: &mut Choice, in_grid: bool) {
    adaptation_row(ui, in_grid, Directiveness::LABEL, |ui, label| {
        egui::ComboBox::from_id_salt("directiveness")
            .selected_text(a.directiveness.label())
            .show_ui(ui, |ui| {
                for d in Directiveness::ALL {
                    ui.selectable_value(&mut a.directiveness, d, d.label());
                }
            })
            .response
            .labelled_by(label);
    });
    adaptation_row(ui, in_grid, FocusShift::LABEL, |ui, _| {
        for f in FocusShift::ALL {
            ui.radio_value(&mut a.focus, f, f.label());
        }
    });
    adaptation_row(ui, in_grid, Pacing::LABEL, |ui, _| {
        for p in Pacing::ALL {
            ui.radio_value(&mut a.pacing, p, p.label());
        }
    });
    adaptation_row(ui, in_grid, Framing::LABEL, |ui, _| {
        for f in Framing::ALL {
            ui.radio_value(&mut a.framing, f, f.label());
        }
    });
    adaptation_row(ui, in_grid, "Wording", |ui, _| {
        ui.checkbox(&mut a.culturally_adapted, "Culturally adapted");
        ui.checkbox(&mut a.spiritually_adapted, "Spiritually adapted");
    });
}

/// One labelled control row; `add` gets the label's id to name its control by.
fn adaptation_row(ui: &mut Ui, in_grid: bool, label: &str, add: impl FnOnce(&mut Ui, egui::Id)) {
    // The names are single words: they never break, even where text wraps.
    let label = egui::Label::new(label).wrap_mode(egui::TextWrapMode::Extend);
    if in_grid {
        let label = ui.add(label);
        ui.horizontal(|ui| add(ui, label.id));
        ui.end_row();
    } else {
        ui.horizontal_wrapped(|ui| {
            let label = ui.add(label);
            add(ui, label.id);
        });
    }
}

/// Hints from several schools: the best-fitting move each school offers right now, with
/// advice for this moment (what the open moment calls for, or what the move gets right).
fn consult_ui(ui: &mut Ui, hints: &[ConsultHint]) {
    egui::CollapsingHeader::new("Consult the schools").show(ui, |ui| {
        widgets::muted(ui, "What each school would try now, best fit first:");
        for hint in hints {
            ui.label(RichText::new(&hint.heading).strong());
            if let Some(advice) = &hint.advice {
                widgets::muted(ui, advice);
            }
        }
    });
}

/// Number keys pick the first nine visible techniques; Enter uses the selected one.
pub(super) fn keyboard_shortcuts(
    ui: &mut Ui,
    techniques: &[Technique],
    mode: WordsMode,
    state: &mut SessionUi,
    actions: &mut Vec<UiAction>,
) {
    if ui.ctx().egui_wants_keyboard_input() {
        return;
    }
    const KEYS: [egui::Key; 9] = [
        egui::Key::Num1,
        egui::Key::Num2,
        egui::Key::Num3,
        egui::Key::Num4,
        egui::Key::Num5,
        egui::Key::Num6,
        egui::Key::Num7,
        egui::Key::Num8,
        egui::Key::Num9,
    ];
    let visible = visible_techniques(techniques, &state.search);
    for (i, key) in KEYS.iter().enumerate() {
        if ui.input(|inp| inp.key_pressed(*key))
            && let Some(t) = visible.get(i)
        {
            select(state, &t.id);
        }
    }
    // Enter on a focused control presses that control; only with nothing focused does it
    // use the chosen technique, and only one the search still shows.
    if ui.input(|inp| inp.key_pressed(egui::Key::Enter))
        && ui.ctx().memory(|m| m.focused().is_none())
        && words_box::may_play(mode, &state.words)
        && let Some(t) = chosen(&visible, state)
    {
        actions.push(play_with_words(t, state));
    }
}

/// The palette's technique as adapted, with the words typed if any; the box is then
/// cleared for the next turn.
fn play_with_words(t: &Technique, state: &mut SessionUi) -> UiAction {
    let choice = Choice {
        technique: t.id.clone(),
        say: state.words.words(),
        ..state.adaptation.clone()
    };
    state.words.played();
    UiAction::Play(choice)
}
