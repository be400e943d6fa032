//! The progress screen: one learner's sessions over time per client, the FIS and
//! integration rubric means as trends, the six skills with how strong each is, and what to
//! practise next with the reason. It draws a `ProgressView` the app builds from the
//! records; a learner with no sessions sees what to do first.

use egui::{RichText, Ui};
use egui_plot::{AxisHints, Corner, Legend, Line, Plot, Points};

use super::{UiAction, theme, widgets};

/// A client's sessions as points: days since the learner's first session, and the score.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientSeries {
    pub client: String,
    pub points: Vec<[f64; 2]>,
}

/// How strong a skill is, for its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkillLevel {
    Unknown,
    Weak,
    Developing,
    Strong,
}

/// One skill's row.
#[derive(Clone, Debug, PartialEq)]
pub struct SkillRow {
    pub label: String,
    /// Mean evidence 0..100, when there is any.
    pub percent: Option<f32>,
    /// How many moves (and drill answers) it rests on, in words.
    pub evidence: String,
    /// "strong", "weak", "too little evidence yet"...
    pub standing: String,
    pub level: SkillLevel,
}

/// What to practise next.
#[derive(Clone, Debug, PartialEq)]
pub struct NextView {
    pub client: String,
    pub reason: String,
    /// The library entry to open, when the client is in the library.
    pub open: Option<String>,
}

/// Everything the progress screen shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProgressView {
    /// Whose progress; none for practice saved without a profile.
    pub learner: Option<String>,
    /// Finished sessions.
    pub sessions: usize,
    /// Sessions played to an end (not stopped early), which the score plot shows.
    pub scored: usize,
    pub drills: usize,
    /// The first session's date, as the x axis counts from it.
    pub since: Option<String>,
    pub clients: Vec<ClientSeries>,
    /// The FIS items' mean (1..5) by session.
    pub fis: Vec<[f64; 2]>,
    /// The integration rubric's mean (1..5) by session.
    pub integration: Vec<[f64; 2]>,
    pub skills: Vec<SkillRow>,
    pub next: Option<NextView>,
    /// Anything that could not be read, said plainly.
    pub notes: Vec<String>,
}

/// Colours for the clients' lines, told apart without relying on red and green alone.
const CLIENT_COLOURS: [egui::Color32; 6] = [
    theme::ALLIANCE,
    theme::DISTRESS,
    theme::HOPE,
    theme::WARN,
    theme::ACCENT,
    egui::Color32::from_rgb(204, 121, 167),
];

pub fn show(ui: &mut Ui, view: &ProgressView) -> Vec<UiAction> {
    let mut actions = Vec::new();
    egui::Panel::top("progress_top").show(ui, |ui| {
        ui.add_space(6.0);
        ui.horizontal_wrapped(|ui| {
            if ui.button("Back to the library").clicked() {
                actions.push(UiAction::BackToLibrary);
            }
            let who = view
                .learner
                .as_deref()
                .unwrap_or("practice without a profile");
            ui.heading(format!("Progress: {who}"));
        });
        widgets::muted(
            ui,
            format!(
                "{} · {}{}",
                crate::words::count(view.sessions, "session"),
                crate::words::count(view.drills, "drill answer"),
                view.since
                    .as_ref()
                    .map_or(String::new(), |d| format!(" · since {d}"))
            ),
        );
        ui.add_space(4.0);
    });
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("progress_scroll")
            .show(ui, |ui| {
                for note in &view.notes {
                    ui.label(RichText::new(note).color(theme::WARN));
                }
                next_ui(ui, view, &mut actions);
                if view.sessions == 0 {
                    widgets::muted(
                        ui,
                        "Your sessions over time, the rubric trends and your skills show here once you finish a session.",
                    );
                } else {
                    let wide = ui.available_width() > 1100.0;
                    if wide {
                        ui.columns(2, |cols| {
                            scores_ui(&mut cols[0], view);
                            rubric_ui(&mut cols[1], view);
                        });
                    } else {
                        scores_ui(ui, view);
                        rubric_ui(ui, view);
                    }
                }
                skills_ui(ui, view);
            });
    });
    actions
}

fn next_ui(ui: &mut Ui, view: &ProgressView, actions: &mut Vec<UiAction>) {
    let Some(next) = &view.next else {
        return;
    };
    egui::Frame::group(ui.style())
        .inner_margin(10.0)
        .stroke(egui::Stroke::new(1.5, theme::ACCENT))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new("What to practise next").strong().size(16.0));
            ui.label(&next.reason);
            if let Some(path) = &next.open
                && ui.button(format!("Meet {}", next.client)).clicked()
            {
                actions.push(UiAction::OpenBriefing(path.clone()));
            }
        });
    ui.add_space(8.0);
}

fn day_axis() -> AxisHints<'static> {
    AxisHints::new_x()
        .label("Days since your first session")
        .formatter(|mark, _| {
            let day = mark.value.round();
            if (mark.value - day).abs() < 1e-6 && day >= 0.0 {
                format!("{day:.0}")
            } else {
                String::new()
            }
        })
}

fn plot_of(id: &str, low: f64, high: f64, y_label: &'static str) -> Plot<'static> {
    Plot::new(id.to_string())
        .height(220.0)
        .include_x(0.0)
        .include_x(1.0)
        .include_y(low)
        .include_y(high)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .legend(Legend::default().position(Corner::LeftTop))
        .custom_x_axes(vec![day_axis()])
        .custom_y_axes(vec![AxisHints::new_y().label(y_label)])
}

fn scores_ui(ui: &mut Ui, view: &ProgressView) {
    widgets::section(ui, "Your sessions over time");
    widgets::muted(
        ui,
        format!(
            "Each session's score (the mean fit of your moves, 0 to 100), a line per client; {} played to an end.",
            crate::words::count(view.scored, "session")
        ),
    );
    plot_of("progress_scores", 0.0, 100.0, "Score").show(ui, |plot| {
        for (i, c) in view.clients.iter().enumerate() {
            let colour = CLIENT_COLOURS[i % CLIENT_COLOURS.len()];
            plot.line(
                Line::new(c.client.clone(), c.points.clone())
                    .color(colour)
                    .width(2.0),
            );
            plot.points(
                Points::new(c.client.clone(), c.points.clone())
                    .color(colour)
                    .radius(3.5),
            );
        }
    });
}

fn rubric_ui(ui: &mut Ui, view: &ProgressView) {
    widgets::section(ui, "Rubric trends");
    widgets::muted(
        ui,
        "The mean of the eight FIS items and of the integration rubric, each 1 to 5, session by session.",
    );
    plot_of("progress_rubrics", 1.0, 5.0, "Rating").show(ui, |plot| {
        plot.line(
            Line::new("FIS mean", view.fis.clone())
                .color(theme::ALLIANCE)
                .width(2.0),
        );
        plot.line(
            Line::new("Integration mean", view.integration.clone())
                .color(theme::HOPE)
                .width(2.0)
                .style(egui_plot::LineStyle::dashed_loose()),
        );
        // A mark per session, so sessions on one day are told apart from a slope.
        plot.points(
            Points::new("FIS mean", view.fis.clone())
                .color(theme::ALLIANCE)
                .radius(3.0),
        );
        plot.points(
            Points::new("Integration mean", view.integration.clone())
                .color(theme::HOPE)
                .radius(3.0),
        );
    });
}

fn skills_ui(ui: &mut Ui, view: &ProgressView) {
    widgets::section(ui, "Your skills");
    widgets::muted(
        ui,
        "From every move where the skill counted: 50% is a neutral fit, 70% and above is strong, below 50% weak.",
    );
    egui::Grid::new("progress_skills")
        .striped(true)
        .num_columns(4)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            for s in &view.skills {
                ui.label(RichText::new(&s.label).strong());
                let colour = match s.level {
                    SkillLevel::Strong => theme::GOOD,
                    SkillLevel::Weak => theme::BAD,
                    SkillLevel::Developing => theme::WARN,
                    SkillLevel::Unknown => theme::MUTED,
                };
                ui.label(RichText::new(&s.standing).color(colour).strong());
                ui.label(s.percent.map_or("-".to_string(), |p| format!("{p:.0}%")));
                widgets::muted(ui, &s.evidence);
                ui.end_row();
            }
        });
}
