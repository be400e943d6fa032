//! The debrief: score and pass, the rubric tables, the trajectories, the transcript with
//! each turn's fit and explanation, the key moments through several schools' eyes, rewind
//! into a new branch, and two branches side by side.

use egui::{RichText, Ui};
use egui_plot::{Line, LineStyle, Plot};

use super::{UiAction, theme, widgets};
use crate::engine::{BranchedSession, Mode, Session, TurnFlag};
use crate::scenario::Scenario;
use crate::scoring::SessionSummary;
use crate::transcript::describe_adaptation;

#[derive(Clone, Debug, Default)]
pub struct DebriefUi {
    /// Another branch shown beside the current one.
    pub compare_with: Option<usize>,
    /// Reviewing a client of an assessment pack: "back" returns to the pack.
    pub in_pack: bool,
}

pub fn show(ui: &mut Ui, run: &BranchedSession, state: &mut DebriefUi) -> Vec<UiAction> {
    let mut actions = Vec::new();
    let session = run.session();
    let scenario = &session.prepared().scenario;
    let summary = session.summary();
    let practice = run.mode == Mode::Practice;

    egui::Panel::top("debrief_top").show(ui, |ui| {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            ui.heading(format!("Debrief: {}", scenario.client.name));
            let (verdict, colour) = if summary.passed {
                ("Passed", theme::GOOD)
            } else {
                ("Not passed", theme::BAD)
            };
            ui.label(
                RichText::new(format!("{:.0} / 100", summary.overall))
                    .size(24.0)
                    .strong()
                    .color(theme::fit_colour(summary.overall)),
            );
            ui.label(RichText::new(verdict).size(20.0).strong().color(colour));
            ui.label(format!("pass mark {:.0}", summary.pass_mark));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let back = if state.in_pack {
                    "Back to the pack"
                } else {
                    "Back to the library"
                };
                if ui.button(back).clicked() {
                    actions.push(UiAction::BackToLibrary);
                }
            });
        });
        for flag in &summary.flags {
            // A failed safety gate fails the session whatever the score: it stands out.
            let text = RichText::new(flag);
            ui.label(if flag.starts_with("Safety") {
                text.color(theme::BAD).strong()
            } else {
                text.color(theme::WARN)
            });
        }
        if practice && run.branches.len() > 1 {
            branches_ui(ui, run, state, &mut actions);
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
                    trajectory_ui(ui, &summary);
                    rubrics_ui(ui, &summary);
                });
        });
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("debrief_story_scroll")
            .show(ui, |ui| {
                if let Some(other) = state
                    .compare_with
                    .filter(|i| *i != run.current && *i < run.branches.len())
                {
                    compare_ui(ui, run, other);
                    ui.separator();
                }
                key_moments_ui(ui, scenario, session);
                transcript_ui(ui, session, practice, &mut actions);
            });
    });
    actions
}

fn branches_ui(
    ui: &mut Ui,
    run: &BranchedSession,
    state: &mut DebriefUi,
    actions: &mut Vec<UiAction>,
) {
    ui.horizontal(|ui| {
        ui.label("Branches:");
        for (i, b) in run.branches.iter().enumerate() {
            let label = match b.parent {
                None => format!("Original ({:.0})", b.session.summary().overall),
                Some((_, turn)) => format!(
                    "Branch {i} from turn {} ({:.0})",
                    turn + 1,
                    b.session.summary().overall
                ),
            };
            if ui.selectable_label(i == run.current, label).clicked() && i != run.current {
                actions.push(UiAction::SwitchBranch(i));
            }
        }
        ui.separator();
        egui::ComboBox::from_label("Compare with")
            .selected_text(
                state
                    .compare_with
                    .map_or("none".to_string(), |i| format!("branch {i}")),
            )
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.compare_with, None, "none");
                for i in (0..run.branches.len()).filter(|i| *i != run.current) {
                    ui.selectable_value(&mut state.compare_with, Some(i), format!("branch {i}"));
                }
            });
    });
}

fn rubrics_ui(ui: &mut Ui, s: &SessionSummary) {
    widgets::section(ui, "Facilitative interpersonal skills (1 to 5)");
    let f = &s.fis;
    table(
        ui,
        "fis",
        &[
            ("Verbal fluency", f.verbal_fluency.to_string()),
            ("Emotional expression", f.emotional_expression.to_string()),
            (
                "Warmth, acceptance, understanding",
                f.warmth_acceptance_understanding.to_string(),
            ),
            ("Empathy", f.empathy.to_string()),
            ("Persuasiveness", f.persuasiveness.to_string()),
            (
                "Hope and positive expectations",
                f.hope_positive_expectations.to_string(),
            ),
            (
                "Alliance-bond capacity",
                f.alliance_bond_capacity.to_string(),
            ),
            (
                "Rupture-repair responsiveness",
                f.rupture_repair_responsiveness.to_string(),
            ),
        ],
    );
    widgets::section(ui, "MITI behaviour counts");
    let m = &s.miti;
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
            (
                "Persuading (with permission)",
                format!("{} ({})", m.persuade, m.persuade_with_permission),
            ),
            ("Confronting", m.confront.to_string()),
            (
                "Reflection : question (fair 1, good 2)",
                m.reflection_to_question
                    .map_or("-".into(), |r| format!("{r:.1}")),
            ),
            (
                "Complex reflections (fair 40%, good 50%)",
                m.percent_complex_reflections
                    .map_or("-".into(), |p| format!("{p:.0}%")),
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
                    .map_or("n/a".into(), |v| v.to_string()),
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

fn trajectory_ui(ui: &mut Ui, s: &SessionSummary) {
    widgets::section(ui, "Alliance, distress and hope by turn");
    // The key above the plot, so it never covers a line; each line differs in style as well
    // as colour, so none depends on colour alone.
    ui.horizontal(|ui| {
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
    let series = |f: fn(&crate::client::StateSnapshot) -> f32| -> Vec<[f64; 2]> {
        s.trajectory
            .iter()
            .enumerate()
            .map(|(i, p)| [i as f64, f(p) as f64])
            .collect()
    };
    Plot::new("trajectory")
        .height(220.0)
        .include_y(0.0)
        .include_y(1.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .x_axis_label("turn")
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

fn key_moments_ui(ui: &mut Ui, scenario: &Scenario, session: &Session) {
    let moments: Vec<(u32, &crate::scenario::KeyMoment)> = session
        .turns()
        .iter()
        .flat_map(|t| {
            t.flags.iter().filter_map(move |f| match f {
                TurnFlag::KeyMoment { id } => scenario
                    .key_moments
                    .iter()
                    .find(|m| &m.id == id)
                    .map(|m| (t.turn, m)),
                _ => None,
            })
        })
        .collect();
    if moments.is_empty() {
        return;
    }
    widgets::section(ui, "Key moments, seen by several schools");
    for (turn, m) in moments {
        egui::CollapsingHeader::new(format!("Turn {turn}: {}", m.title))
            .default_open(true)
            .show(ui, |ui| {
                for c in &m.commentary {
                    ui.label(RichText::new(c.school.label()).strong());
                    ui.label(&c.text);
                }
            });
    }
}

fn transcript_ui(ui: &mut Ui, session: &Session, practice: bool, actions: &mut Vec<UiAction>) {
    widgets::section(ui, "Transcript");
    let name = &session.prepared().scenario.client.name;
    for t in session.turns() {
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            widgets::fit_badge(ui, t.fit.score);
            let adaptation = describe_adaptation(&t.choice);
            let adaptation = if adaptation.is_empty() {
                String::new()
            } else {
                format!(" ({adaptation})")
            };
            ui.label(
                RichText::new(format!(
                    "Turn {}: {}{}",
                    t.turn, t.technique_name, adaptation
                ))
                .strong(),
            );
            if practice
                && ui
                    .small_button(format!("Try turn {} again", t.turn))
                    .clicked()
            {
                actions.push(UiAction::Rewind(t.turn as usize - 1));
            }
        });
        ui.label(format!(
            "{}: \u{201c}{}\u{201d}",
            super::library::first_name(name),
            t.client_line
        ));
        if let Some(kind) = t.opened {
            ui.label(
                RichText::new(format!("Moment: {}", session.moment_words(kind)))
                    .italics()
                    .color(theme::WARN),
            );
        }
        widgets::muted(ui, &t.fit.explanation);
    }
}

fn compare_ui(ui: &mut Ui, run: &BranchedSession, other: usize) {
    widgets::section(ui, "Two branches side by side");
    ui.columns(2, |cols| {
        for (col, index) in cols.iter_mut().zip([run.current, other]) {
            let s = &run.branches[index].session;
            let summary = s.summary();
            col.label(
                RichText::new(format!(
                    "Branch {index}: {:.0} ({})",
                    summary.overall,
                    if summary.passed {
                        "passed"
                    } else {
                        "not passed"
                    }
                ))
                .strong(),
            );
            for t in s.turns() {
                col.horizontal(|ui| {
                    widgets::fit_badge(ui, t.fit.score);
                    ui.label(format!("{}. {}", t.turn, t.technique_name));
                });
            }
        }
    });
}
