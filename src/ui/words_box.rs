//! "Say it in your own words": the box under the transcript where the trainee types what
//! they would say. The words are coded as they are typed; the cue words that led there are
//! highlighted in the box, and the proposal (the MITI code, the nearest technique and its
//! adaptations) is put in the palette. Enter plays it with the words; picking another
//! technique in the palette corrects it (Shift+Enter starts a new line).

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, RichText, Ui};

use super::{UiAction, theme, widgets};
use crate::coding::{Coding, WordsMode, reading, shared_coder};
use crate::model::Technique;
use crate::scenario::Choice;

/// The box's accessible name, which the tests and a screen reader find it by.
pub const WORDS_LABEL: &str = "Say it in your own words";

/// The words being typed and what became of the proposal.
#[derive(Clone, Debug, Default)]
pub struct WordsUi {
    pub text: String,
    /// The words the palette was last set from, so a proposal is put there once per edit
    /// and a control the trainee changed afterwards is left alone.
    proposed_for: String,
    /// The trainee picked another technique after the proposal: the correction stands
    /// until the words change.
    pub corrected: bool,
    /// The turn the box last took the keyboard for (words-first).
    focused_for: Option<usize>,
    /// The coder's reading of the words as they stand.
    reading: Reading,
}

/// The coder's reading of the words, kept while they stay the same: the box is laid out
/// and the proposal drawn every frame, and the words change only when typed.
#[derive(Clone, Debug, Default)]
struct Reading {
    /// The trimmed words read.
    words: String,
    coding: Option<Coding>,
}

impl Reading {
    /// The reading of `text` (trimmed), coded again only when it changed; none when blank.
    fn of(&mut self, text: &str) -> Option<&Coding> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return None;
        }
        if self.coding.is_none() || self.words != trimmed {
            self.words = trimmed.to_string();
            self.coding = Some(shared_coder().code(trimmed));
        }
        self.coding.as_ref()
    }
}

impl WordsUi {
    /// The words as a move carries them: trimmed, none when blank.
    pub fn words(&self) -> Option<String> {
        let t = self.text.trim();
        (!t.is_empty()).then(|| t.to_string())
    }

    /// A technique was picked in the palette: with words typed, that corrects the proposal.
    pub fn picked_in_palette(&mut self) {
        if self.words().is_some() {
            self.corrected = true;
        }
    }

    /// After a move is played the box starts empty for the next turn.
    pub fn played(&mut self) {
        *self = WordsUi {
            focused_for: self.focused_for,
            ..WordsUi::default()
        };
    }
}

/// A technique may be played now: words-required sessions need words first.
pub fn may_play(mode: WordsMode, words: &WordsUi) -> bool {
    mode != WordsMode::Required || words.words().is_some()
}

/// The highlight behind a cue's words: a highlighter pen's yellow, dimmed in the dark theme,
/// so the words stay readable in either.
fn cue_background(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(110, 90, 20)
    } else {
        Color32::from_rgb(255, 226, 120)
    }
}

/// The typed text laid out with the cue words highlighted.
fn highlighted(
    ui: &Ui,
    text: &str,
    cues: &[(std::ops::Range<usize>, String)],
    wrap: f32,
) -> LayoutJob {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let plain = TextFormat::simple(font.clone(), ui.visuals().text_color());
    let cue = TextFormat {
        background: cue_background(ui),
        ..plain.clone()
    };
    let mut job = LayoutJob::default();
    let mut at = 0;
    for (range, _) in cues {
        // Cue ranges come sorted and from this very text; skip any that do not fit it.
        if range.start < at
            || range.end > text.len()
            || !text.is_char_boundary(range.start)
            || !text.is_char_boundary(range.end)
        {
            continue;
        }
        job.append(&text[at..range.start], 0.0, plain.clone());
        job.append(&text[range.clone()], 0.0, cue.clone());
        at = range.end;
    }
    job.append(&text[at..], 0.0, plain);
    job.wrap.max_width = wrap;
    job
}

/// The box, the proposal and what Enter does. `turn` is the number of turns played (to give
/// the keyboard to the box once per turn in words-first); `selected` and `adaptation` are
/// the palette's, which the proposal sets and a correction changes.
#[allow(clippy::too_many_arguments)]
pub fn show(
    ui: &mut Ui,
    mode: WordsMode,
    turn: usize,
    ended: bool,
    techniques: &[Technique],
    words: &mut WordsUi,
    selected: &mut Option<String>,
    adaptation: &mut Choice,
    actions: &mut Vec<UiAction>,
) {
    ui.add_space(4.0);
    let heading = match mode {
        WordsMode::Optional => format!("{WORDS_LABEL} (optional)"),
        WordsMode::First => WORDS_LABEL.to_string(),
        WordsMode::Required => format!("{WORDS_LABEL} (this session asks for them)"),
    };
    let label = ui.label(RichText::new(heading).strong());

    let cached = &mut words.reading;
    let mut layouter = |ui: &Ui, buf: &dyn egui::TextBuffer, wrap: f32| {
        let text = buf.as_str();
        // Cue ranges are in the trimmed words; shift them to the box's text.
        let offset = text.len() - text.trim_start().len();
        let cues: Vec<_> = cached
            .of(text)
            .into_iter()
            .flat_map(|c| &c.cues)
            .map(|(r, why)| (r.start + offset..r.end + offset, why.clone()))
            .collect();
        ui.fonts_mut(|f| f.layout_job(highlighted(ui, text, &cues, wrap)))
    };
    let edit = egui::TextEdit::multiline(&mut words.text)
        .hint_text("What would you say to the client? Enter plays it; Shift+Enter for a new line.")
        .desired_rows(2)
        .desired_width(f32::INFINITY)
        .return_key(egui::KeyboardShortcut::new(
            egui::Modifiers::SHIFT,
            egui::Key::Enter,
        ))
        .interactive(!ended)
        .layouter(&mut layouter);
    let response = ui.add(edit).labelled_by(label.id);
    if mode != WordsMode::Optional && !ended && words.focused_for != Some(turn) {
        words.focused_for = Some(turn);
        response.request_focus();
    }

    // Read after the edit, so the proposal is of the words as they are now.
    let coding = words.reading.of(&words.text).cloned();
    // A fresh proposal goes into the palette once per edit, unless the trainee corrected it.
    let current = words.words().unwrap_or_default();
    if current != words.proposed_for {
        words.proposed_for = current.clone();
        if current.is_empty() {
            words.corrected = false;
        } else if let Some(c) = &coding
            && !words.corrected
            && techniques.iter().any(|t| t.id == c.technique)
        {
            *selected = Some(c.technique.clone());
            adaptation.directiveness = c.directiveness;
            adaptation.framing = c.framing;
        }
    }

    if let Some(c) = &coding {
        proposal(ui, c, techniques, selected.as_deref(), words.corrected);
    } else if mode == WordsMode::Required {
        widgets::muted(ui, "Type what you would say; then Enter plays it.");
    }

    let enter =
        response.has_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter) && !i.modifiers.shift);
    if enter
        && !ended
        && let Some(said) = words.words()
        && let Some(id) = selected
            .as_ref()
            .filter(|id| techniques.iter().any(|t| &t.id == *id))
    {
        actions.push(UiAction::Play(Choice {
            technique: id.clone(),
            say: Some(said),
            ..adaptation.clone()
        }));
        words.played();
    }
}

/// What the words read as and what Enter will play.
fn proposal(
    ui: &mut Ui,
    c: &Coding,
    techniques: &[Technique],
    selected: Option<&str>,
    corrected: bool,
) {
    let name_of = |id: &str| {
        techniques
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.name.as_str())
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Reads as:").color(theme::MUTED));
        let mut reads = reading(c.miti, c.confidence);
        if let Some(name) = name_of(&c.technique) {
            reads.push_str(&format!("; {name}"));
        }
        reads.push_str(&format!(
            "; {}; {}",
            c.directiveness.label().to_lowercase(),
            c.framing.label().to_lowercase()
        ));
        ui.label(RichText::new(reads).strong());
    });
    match (selected.and_then(name_of), corrected) {
        (Some(name), true) => widgets::muted(
            ui,
            format!("You corrected it to {name}: Enter plays {name} with your words."),
        ),
        (Some(name), false) if name_of(&c.technique).is_some() => widgets::muted(
            ui,
            format!("Enter plays {name} with your words; pick another technique to correct it."),
        ),
        _ => widgets::muted(
            ui,
            "This client's palette has no technique for that: pick one to play with your words.",
        ),
    }
    if !c.cues.is_empty() {
        let reasons: Vec<&str> = c.cues.iter().take(3).map(|(_, why)| why.as_str()).collect();
        widgets::muted(ui, format!("Cues: {}", reasons.join("; ")));
    }
}
