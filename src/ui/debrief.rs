//! The debrief: score and verdict with the reasons for it, the rubrics, the trajectories,
//! the transcript with each turn's fit and explanation beside the best move the engine
//! finds from the same moment, and the key moments each turn brought through several
//! schools' eyes; rewind into a new branch, and two branches side by side.

use egui::{RichText, Ui};
use egui_plot::{AxisHints, GridMark, Line, LineStyle, Plot};

use super::{UiAction, theme, widgets};
use crate::model::StateSnapshot;
use crate::scenario::KeyMoment;
use crate::scoring::{FisItem, FisRules, SessionSummary, shown_score};

/// The debrief as the screen shows it, built by the app from the finished session.
pub struct DebriefView<'a> {
    pub client_name: &'a str,
    /// Practice offers "Try turn N again" and the branches.
    pub practice: bool,
    /// Reviewing a client of an assessment pack: "back" returns to the pack.
    pub in_pack: bool,
    /// The branch shown.
    pub summary: SessionSummary,
    /// Every branch by name, in order; the one shown is `current`.
    pub branches: Vec<BranchView>,
    pub current: usize,
    /// The two branches compared, when another is chosen to compare with.
    pub comparison: Option<Comparison<'a>>,
    /// The branch shown, turn by turn.
    pub turns: Vec<DebriefTurn<'a>>,
    pub best_moves: BestMoves,
    /// The class's votes, when a class voted on the run's moves.
    pub class: Option<super::class_debrief::ClassDebriefView>,
}

/// A branch as the branch buttons and the comparison name it.
pub struct BranchView {
    /// "Original", "Branch 1 from turn 4".
    pub name: String,
    pub summary: SessionSummary,
    /// How it ended, in words.
    pub ending: String,
}

/// A move as a heading: its fit, "Turn 3: Complex reflection (ask permission)" and the
/// client's answer.
pub struct MoveView<'a> {
    pub turn: u32,
    pub fit: f32,
    /// The technique and its adaptation in words.
    pub words: String,
    pub client_line: &'a str,
}

/// One turn of the branch shown, with what the debrief says about it.
pub struct DebriefTurn<'a> {
    pub played: MoveView<'a>,
    /// The moment the client's line opened, in words.
    pub opened: Option<String>,
    pub explanation: &'a str,
    /// The best move found from the same moment, once found.
    pub best: Option<BestMoveView<'a>>,
    /// The key moments the turn brought about.
    pub key_moments: Vec<&'a KeyMoment>,
    /// The trainee's own words for the move, when they typed any.
    pub said: Option<super::session::TurnWords<'a>>,
}

/// The best move the engine finds from the moment a turn was played in.
pub struct BestMoveView<'a> {
    /// Nothing beat the move played.
    pub played_was_best: bool,
    pub fit: f32,
    /// The move and its adaptation in words.
    pub words: String,
    /// The points it would have added.
    pub gain: f32,
    pub explanation: &'a str,
}

/// How far the search for the best moves has got.
pub enum BestMoves {
    /// Still searching: the share done, 0 to 1.
    Finding(f32),
    /// Found: where they would have gained most, in a sentence.
    Found(String),
}

/// Two branches side by side, the earlier on the left.
pub struct Comparison<'a> {
    pub branches: [usize; 2],
    /// Each branch's moves.
    pub turns: [Vec<MoveView<'a>>; 2],
    /// How many first moves the two share.
    pub shared: usize,
}

#[derive(Clone, Debug, Default)]
pub struct DebriefUi {
    /// Another branch shown beside the current one.
    pub compare_with: Option<usize>,
}

pub fn show(ui: &mut Ui, view: &DebriefView, state: &mut DebriefUi) -> Vec<UiAction> {
    let mut actions = Vec::new();
    let summary = &view.summary;
    let practice = view.practice;

    egui::Panel::top("debrief_top").show(ui, |ui| {
        ui.add_space(6.0);
        // The way back stays in view at the right; the title and verdict wrap before it
        // at large text sizes rather than run under it.
        widgets::row_with_end(ui, |ui| {
            let back = if view.in_pack {
                "Back to the pack"
            } else {
                "Back to the library"
            };
            if ui.button(back).clicked() {
                actions.push(UiAction::BackToLibrary);
            }
            ui.with_layout(
                egui::Layout::left_to_right(egui::Align::Center).with_main_wrap(true),
                |ui| {
                    ui.heading(format!("Debrief: {}", view.client_name));
                    verdict_ui(ui, summary);
                },
            );
        });
        reasons_ui(ui, summary);
        if practice && view.branches.len() > 1 {
            branches_ui(ui, view, state, &mut actions);
        }
        ui.add_space(4.0);
    });

    // Left: the trajectories and the rubrics; right: what happened, turn by turn.
    egui::Panel::left("debrief_scores")
        .resizable(true)
        .default_size(ui.available_width() * 0.42)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("debrief_scores_scroll")
                .show(ui, |ui| {
                    widgets::section(ui, "Alliance, distress and hope by turn");
                    trajectory_ui(ui, "trajectory", summary, summary.turns_played, 220.0);
                    rubrics_ui(ui, summary);
                });
        });
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("debrief_story_scroll")
            .show(ui, |ui| {
                if let Some(comparison) = &view.comparison {
                    compare_ui(ui, view, comparison);
                    ui.separator();
                }
                if let Some(class) = &view.class {
                    super::class_debrief::show(ui, class, &mut actions);
                    ui.separator();
                }
                transcript_ui(ui, view, &mut actions);
            });
    });
    actions
}

/// The colour of a score and its verdict: one colour for both, so a score never looks
/// good beside "Not passed".
pub fn verdict_colour(passed: bool) -> egui::Color32 {
    if passed { theme::GOOD } else { theme::BAD }
}

fn verdict_ui(ui: &mut Ui, summary: &SessionSummary) {
    let colour = verdict_colour(summary.passed);
    let verdict = if summary.passed {
        "Passed"
    } else {
        "Not passed"
    };
    // Each part moves to the next line whole when the row is full, never split.
    let whole = |text: RichText| egui::Label::new(text).wrap_mode(egui::TextWrapMode::Extend);
    ui.add(whole(
        RichText::new(format!(
            "{} / 100",
            shown_score(summary.overall, summary.pass_mark)
        ))
        .size(24.0)
        .strong()
        .color(colour),
    ));
    ui.add(whole(
        RichText::new(verdict).size(20.0).strong().color(colour),
    ));
    ui.add(whole(RichText::new(format!(
        "pass mark {}",
        summary.pass_mark
    ))));
}

/// Why the session did not pass, then what else bears on it.
fn reasons_ui(ui: &mut Ui, summary: &SessionSummary) {
    if !summary.not_passed_because.is_empty() {
        ui.label(
            RichText::new(format!(
                "Why not passed: {}.",
                summary.not_passed_because.join("; ")
            ))
            .color(theme::BAD)
            .strong(),
        );
    }
    for note in &summary.notes {
        ui.label(RichText::new(note).color(theme::WARN));
    }
}

fn branches_ui(
    ui: &mut Ui,
    view: &DebriefView,
    state: &mut DebriefUi,
    actions: &mut Vec<UiAction>,
) {
    let name = |i: usize| view.branches[i].name.clone();
    ui.horizontal_wrapped(|ui| {
        ui.label("Branches:");
        for (i, b) in view.branches.iter().enumerate() {
            let label = format!(
                "{} ({})",
                b.name,
                shown_score(b.summary.overall, b.summary.pass_mark)
            );
            if ui.selectable_label(i == view.current, label).clicked() && i != view.current {
                actions.push(UiAction::SwitchBranch(i));
            }
        }
        ui.separator();
        egui::ComboBox::from_label("Compare with")
            .selected_text(
                state
                    .compare_with
                    .map_or("no other branch".to_string(), name),
            )
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.compare_with, None, "no other branch");
                for i in (0..view.branches.len()).filter(|i| *i != view.current) {
                    ui.selectable_value(&mut state.compare_with, Some(i), name(i));
                }
            });
    });
}

fn rubrics_ui(ui: &mut Ui, s: &SessionSummary) {
    widgets::section(ui, "Facilitative interpersonal skills (1 to 5)");
    let rules = FisRules::builtin();
    egui::Grid::new("fis")
        .striped(true)
        .num_columns(2)
        .show(ui, |ui| {
            for item in FisItem::ALL {
                let text = rules.text(item);
                ui.label(&text.label).on_hover_text(&text.basis);
                ui.label(RichText::new(s.fis.get(item).to_string()).strong())
                    .on_hover_text(&text.basis);
                ui.end_row();
            }
        });
    egui::CollapsingHeader::new("What each rating rests on")
        .id_salt("fis_basis")
        .show(ui, |ui| {
            for item in FisItem::ALL {
                let text = rules.text(item);
                ui.label(RichText::new(&text.label).strong());
                ui.label(&text.basis);
                widgets::muted(ui, &text.source);
            }
        });
    widgets::section(ui, "MITI behaviour counts");
    let m = &s.miti;
    if m.from_words > 0 {
        widgets::muted(
            ui,
            format!(
                "Counted from your own words on {} of {}: MITI codes what is said.{}",
                m.from_words,
                crate::words::count(s.turns_played, "turn"),
                if m.from_words < s.turns_played {
                    " The other turns count the technique chosen."
                } else {
                    ""
                }
            ),
        );
    }
    let banded = |value: String, band: Option<crate::scoring::MitiBand>| match band {
        Some(b) => format!("{value} ({})", b.label()),
        None => value,
    };
    table(
        ui,
        "miti",
        &[
            ("Questions", m.questions.to_string()),
            ("Simple reflections", m.simple_reflections.to_string()),
            ("Complex reflections", m.complex_reflections.to_string()),
            ("Affirmations", m.affirmations.to_string()),
            ("Seeking collaboration", m.seeking_collaboration.to_string()),
            ("Emphasising autonomy", m.emphasizing_autonomy.to_string()),
            ("Giving information", m.giving_information.to_string()),
            ("Persuading without permission", m.persuade.to_string()),
            (
                "Persuading with permission",
                m.persuade_with_permission.to_string(),
            ),
            ("Confronting", m.confront.to_string()),
            (
                "Reflections per question (fair 1, good 2)",
                m.reflection_to_question.map_or("no questions".into(), |r| {
                    banded(format!("{r:.1}"), m.reflection_band())
                }),
            ),
            (
                "Complex share of reflections (fair 40%, good 50%)",
                m.percent_complex_reflections
                    .map_or("no reflections".into(), |p| {
                        banded(format!("{p:.0}%"), m.complex_band())
                    }),
            ),
        ],
    );
    widgets::section(ui, "Integration rubric (1 to 5)");
    let i = &s.integration;
    table(
        ui,
        "integration",
        &[
            (
                "Directiveness matched to reactance",
                i.reactance_matching.to_string(),
            ),
            (
                "Focus matched to coping style",
                i.coping_style_matching.to_string(),
            ),
            (
                "Work matched to stage of change",
                i.stage_matching.to_string(),
            ),
            (
                "Preferences, culture and faith",
                i.preferences_and_culture
                    .map_or("not at stake".into(), |v| v.to_string()),
            ),
            (
                "Responsiveness to ruptures",
                i.rupture_responsiveness.to_string(),
            ),
            ("Safety", i.safety.to_string()),
        ],
    );
}

fn table(ui: &mut Ui, id: &str, rows: &[(&str, String)]) {
    egui::Grid::new(id)
        .striped(true)
        .num_columns(2)
        .show(ui, |ui| {
            for (label, value) in rows {
                ui.label(*label);
                ui.label(RichText::new(value).strong());
                ui.end_row();
            }
        });
}

/// The smallest room a turn's number needs on the axis, in points.
const TURN_LABEL_ROOM: f32 = 22.0;

/// Every how many turns the axis is labelled: every turn when there is room, every other
/// (or every third...) when the plot is crowded.
pub fn turn_label_step(turns: u32, width: f32) -> u32 {
    let per_turn = width / turns.max(1) as f32;
    (TURN_LABEL_ROOM / per_turn.max(1.0)).ceil().max(1.0) as u32
}

/// Alliance, distress and hope after each turn (0 is the start), every turn labelled on
/// the axis (every other when crowded), both axes named. `turns_shown` widens the axis so
/// that plots side by side share it.
fn trajectory_ui(ui: &mut Ui, id: &str, s: &SessionSummary, turns_shown: u32, height: f32) {
    // The key above the plot, so it never covers a line; each line differs in style as well
    // as colour, so none depends on colour alone.
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new("\u{2014}\u{2014} Alliance")
                .color(theme::ALLIANCE)
                .strong(),
        );
        ui.label(
            RichText::new("- - - Distress")
                .color(theme::DISTRESS)
                .strong(),
        );
        ui.label(
            RichText::new("\u{00b7}\u{00b7}\u{00b7}\u{00b7} Hope")
                .color(theme::HOPE)
                .strong(),
        );
    });
    let series = |f: fn(&StateSnapshot) -> f32| -> Vec<[f64; 2]> {
        s.trajectory
            .iter()
            .enumerate()
            .map(|(i, p)| [i as f64, f(p) as f64])
            .collect()
    };
    let turns = turns_shown.max(s.turns_played).max(1);
    // The axis takes about 60 points of the width for the level's labels.
    let step = f64::from(turn_label_step(turns, ui.available_width() - 60.0));
    let x_axis = AxisHints::new_x()
        .label("Turn (0 is the start)")
        .label_spacing(12.0..=16.0)
        .formatter(|mark, _| {
            let turn = mark.value.round();
            if (mark.value - turn).abs() < 1e-6 && turn >= 0.0 {
                format!("{turn:.0}")
            } else {
                String::new()
            }
        });
    let y_axis = AxisHints::new_y()
        .label("Level")
        .formatter(|mark, _| format!("{:.0}%", mark.value * 100.0));
    Plot::new(id)
        .height(height)
        .include_x(0.0)
        .include_x(f64::from(turns))
        .include_y(0.0)
        .include_y(1.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .custom_x_axes(vec![x_axis])
        .custom_y_axes(vec![y_axis])
        .x_grid_spacer(move |input| turn_marks(input.bounds, step))
        .y_grid_spacer(egui_plot::uniform_grid_spacer(|_| [0.25, 0.5, 1.0]))
        .show(ui, |plot| {
            plot.line(
                Line::new("Alliance", series(|p| p.alliance))
                    .color(theme::ALLIANCE)
                    .width(2.5),
            );
            plot.line(
                Line::new("Distress", series(|p| p.distress))
                    .color(theme::DISTRESS)
                    .width(2.5)
                    .style(LineStyle::dashed_loose()),
            );
            plot.line(
                Line::new("Hope", series(|p| p.hope))
                    .color(theme::HOPE)
                    .width(2.5)
                    .style(LineStyle::Dotted { spacing: 6.0 }),
            );
        });
}

/// A grid mark at every `step` turns across the bounds.
fn turn_marks((low, high): (f64, f64), step: f64) -> Vec<GridMark> {
    let first = (low.max(0.0) / step).ceil() as i64;
    let last = (high / step).floor() as i64;
    (first..=last)
        .map(|k| GridMark {
            value: k as f64 * step,
            step_size: step,
        })
        .collect()
}

/// The key moments a turn brought about, each seen by several schools, under that turn.
fn key_moments_ui(ui: &mut Ui, turn: u32, moments: &[&KeyMoment]) {
    for m in moments {
        egui::CollapsingHeader::new(
            RichText::new(format!(
                "Key moment: {}, seen by {}",
                m.title,
                crate::words::count(m.commentary.len(), "school")
            ))
            .color(theme::ACCENT)
            .strong(),
        )
        .id_salt(("key_moment", turn, &m.id))
        .default_open(true)
        .show(ui, |ui| {
            for c in &m.commentary {
                ui.label(RichText::new(c.school.label()).strong());
                ui.label(&c.text);
            }
        });
    }
}

fn transcript_ui(ui: &mut Ui, view: &DebriefView, actions: &mut Vec<UiAction>) {
    widgets::section(ui, "Transcript");
    match &view.best_moves {
        BestMoves::Found(summary) => widgets::muted(ui, summary),
        BestMoves::Finding(fraction) => {
            ui.horizontal(|ui| {
                ui.label("Finding the best move at each turn");
                ui.add(
                    egui::ProgressBar::new(*fraction)
                        .desired_width(160.0)
                        .show_percentage(),
                );
            });
        }
    }
    for t in &view.turns {
        let played = &t.played;
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            turn_heading(ui, played);
            if view.practice
                && ui
                    .small_button(format!("Try turn {} again", played.turn))
                    .clicked()
            {
                actions.push(UiAction::Rewind(played.turn as usize - 1));
            }
        });
        if let Some(said) = &t.said {
            ui.label(RichText::new(format!("You said: \u{201c}{}\u{201d}", said.text)).italics());
            widgets::muted(ui, format!("Your words read as {}.", said.reads_as));
            if let Some(m) = said.mismatch {
                ui.label(RichText::new(m).color(theme::WARN));
            }
        }
        ui.label(format!(
            "{}: \u{201c}{}\u{201d}",
            super::library::first_name(view.client_name),
            played.client_line
        ));
        if let Some(words) = &t.opened {
            ui.label(
                RichText::new(format!("Moment: {words}"))
                    .italics()
                    .color(theme::WARN),
            );
        }
        widgets::muted(ui, t.explanation);
        if let Some(best) = &t.best {
            best_move_ui(ui, played.turn, best);
        }
        key_moments_ui(ui, played.turn, &t.key_moments);
    }
}

fn best_move_ui(ui: &mut Ui, turn: u32, alt: &BestMoveView) {
    ui.indent(("best_move", turn), |ui| {
        if alt.played_was_best {
            ui.label(
                RichText::new("Your move was the best the engine found here.")
                    .color(theme::GOOD)
                    .small(),
            );
            return;
        }
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Best move here:").small().strong());
            widgets::fit_badge(ui, alt.fit);
            ui.label(RichText::new(format!("{} (+{:.0})", alt.words, alt.gain)).strong());
        });
        widgets::muted(ui, alt.explanation);
    });
}

/// One branch's column header: its name, score and verdict in one colour, and how it ended.
fn branch_header(ui: &mut Ui, branch: &BranchView) {
    let s = &branch.summary;
    let colour = verdict_colour(s.passed);
    ui.label(
        RichText::new(format!(
            "{}: {} / 100, {}",
            branch.name,
            shown_score(s.overall, s.pass_mark),
            if s.passed { "passed" } else { "not passed" }
        ))
        .strong()
        .color(colour),
    );
    widgets::muted(ui, format!("Ending: {}", branch.ending));
}

/// A turn's fit and its move in words: "Turn 3: Complex reflection, asking permission".
fn turn_heading(ui: &mut Ui, t: &MoveView) {
    widgets::fit_badge(ui, t.fit);
    ui.label(RichText::new(format!("Turn {}: {}", t.turn, t.words)).strong());
}

/// One turn of a branch in the comparison: its fit, the move and the client's words.
fn compared_turn(ui: &mut Ui, client: &str, turn: Option<&MoveView>) {
    match turn {
        Some(t) => {
            ui.horizontal_wrapped(|ui| {
                turn_heading(ui, t);
            });
            ui.label(format!("{client}: \u{201c}{}\u{201d}", t.client_line));
        }
        None => widgets::muted(ui, "(no turn here: this branch ended earlier)"),
    }
}

fn compare_ui(ui: &mut Ui, view: &DebriefView, comparison: &Comparison) {
    widgets::section(ui, "Two branches side by side");
    let branches = comparison.branches.map(|i| &view.branches[i]);
    let longest = comparison.turns.iter().map(Vec::len).max().unwrap_or(0);
    ui.columns(2, |cols| {
        for (k, col) in cols.iter_mut().enumerate() {
            branch_header(col, branches[k]);
            trajectory_ui(
                col,
                &format!("compare_trajectory_{k}"),
                &branches[k].summary,
                longest as u32,
                150.0,
            );
        }
    });
    let shared = comparison.shared;
    match shared {
        0 => {}
        1 => widgets::muted(ui, "The first move is the same in both."),
        n => widgets::muted(ui, format!("The first {n} moves are the same in both.")),
    }
    let client = super::library::first_name(view.client_name);
    for i in shared..longest {
        ui.separator();
        ui.columns(2, |cols| {
            for (k, col) in cols.iter_mut().enumerate() {
                compared_turn(col, client, comparison.turns[k].get(i));
            }
        });
    }
}
