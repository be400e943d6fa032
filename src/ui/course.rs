//! The course screen: where the learner stands on the course (each step open, passed or
//! waiting for the steps it names), their skills' mastery from their drills, and what to
//! practise next with the reason. A session step opens its client's briefing; a drill step
//! opens the drill.

use egui::{RichText, Ui};

use super::{UiAction, theme, widgets};

/// What the course screen shows.
#[derive(Clone, Debug, Default)]
pub struct CourseView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// Who practises (their progress is shown), if anyone.
    pub learner: Option<&'a str>,
    pub steps: Vec<StepView>,
    pub skills: Vec<SkillRow>,
    /// What to practise next, as a sentence, and the drill step that trains it.
    pub next: Option<(String, Option<String>)>,
    /// Why no course is offered.
    pub problems: &'a [String],
}

/// One step of the course.
#[derive(Clone, Debug)]
pub struct StepView {
    pub id: String,
    pub title: String,
    pub difficulty: &'static str,
    pub skills: Vec<&'static str>,
    pub kind: StepKindView,
    pub status: StepStatusView,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StepKindView {
    /// A whole session with a client: the library entry's path when it loads.
    ClientSession {
        path: Option<String>,
    },
    Drill,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StepStatusView {
    /// Waiting for these steps (their titles).
    Locked(Vec<String>),
    Open,
    Passed,
}

/// One skill's standing.
#[derive(Clone, Debug)]
pub struct SkillRow {
    pub label: &'static str,
    /// Mastery 0..1 from the recent drills, none before any.
    pub mastery: Option<f32>,
    pub mastered: bool,
    /// Due for review now.
    pub due: bool,
}

pub fn show(ui: &mut Ui, view: &CourseView) -> Vec<UiAction> {
    let mut actions = Vec::new();
    egui::Panel::top("course_top").show(ui, |ui| {
        ui.add_space(4.0);
        widgets::row_with_end(ui, |ui| {
            if ui.button("Back to the library").clicked() {
                actions.push(UiAction::BackToLibrary);
            }
            ui.with_layout(
                egui::Layout::left_to_right(egui::Align::Center).with_main_wrap(true),
                |ui| {
                    ui.heading(if view.title.is_empty() {
                        "Course"
                    } else {
                        view.title
                    });
                    let who = view
                        .learner
                        .map_or("no learner chosen: your progress is not kept".into(), |l| {
                            format!("{l}'s progress")
                        });
                    widgets::muted(ui, who);
                },
            );
        });
        ui.add_space(4.0);
    });
    if view.steps.is_empty() {
        egui::CentralPanel::default().show(ui, |ui| {
            theme::wrap_text(ui);
            ui.label("No course is offered.");
            for problem in view.problems {
                ui.label(RichText::new(problem).color(theme::BAD).small());
            }
        });
        return actions;
    }
    egui::Panel::right("course_skills")
        .resizable(false)
        .exact_size((ui.available_width() * 0.34).clamp(280.0, 460.0))
        .show(ui, |ui| {
            theme::wrap_text(ui);
            widgets::section(ui, "Practise next");
            match &view.next {
                Some((reason, step)) => {
                    ui.label(reason);
                    if let Some(step) = step
                        && ui.button("Start this drill").clicked()
                    {
                        actions.push(UiAction::OpenDrill(step.clone()));
                    }
                }
                None => {
                    ui.label("Nothing is due: every skill the course's drills train is mastered.");
                }
            }
            widgets::section(ui, "Your skills, from your drills");
            for skill in &view.skills {
                let text = match skill.mastery {
                    None => RichText::new("not practised").color(theme::MUTED),
                    Some(m) if skill.mastered => {
                        RichText::new(format!("{:.0}% mastered", m * 100.0)).color(theme::GOOD)
                    }
                    Some(m) => RichText::new(format!(
                        "{:.0}%{}",
                        m * 100.0,
                        if skill.due { ", due" } else { "" }
                    ))
                    .color(theme::WARN),
                };
                ui.horizontal_wrapped(|ui| {
                    ui.label(skill.label);
                    ui.label(text);
                });
            }
        });
    egui::CentralPanel::default().show(ui, |ui| {
        theme::wrap_text(ui);
        if !view.description.is_empty() {
            ui.label(view.description);
        }
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for step in &view.steps {
                    step_row(ui, step, &mut actions);
                }
            });
    });
    actions
}

fn step_row(ui: &mut Ui, step: &StepView, actions: &mut Vec<UiAction>) {
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        let (mark, colour) = match &step.status {
            StepStatusView::Passed => ("Passed", theme::GOOD),
            StepStatusView::Open => ("Open", theme::ACCENT),
            StepStatusView::Locked(_) => ("Locked", theme::MUTED),
        };
        ui.label(RichText::new(mark).color(colour).strong());
        // An open (or passed) step is its own button: the title opens the client's
        // briefing or the drill; a locked one is its title.
        let open = !matches!(step.status, StepStatusView::Locked(_));
        match &step.kind {
            StepKindView::ClientSession { path: Some(path) } if open => {
                if ui
                    .button(format!("Meet the client: {}", step.title))
                    .clicked()
                {
                    actions.push(UiAction::OpenBriefing(path.clone()));
                }
            }
            StepKindView::Drill if open => {
                if ui.button(format!("Drill: {}", step.title)).clicked() {
                    actions.push(UiAction::OpenDrill(step.id.clone()));
                }
            }
            StepKindView::ClientSession { .. } => {
                ui.label(RichText::new(format!("Client session: {}", step.title)).strong());
            }
            StepKindView::Drill => {
                ui.label(RichText::new(format!("Drill: {}", step.title)).strong());
            }
        }
        ui.label(RichText::new(step.difficulty).color(theme::MUTED).small());
    });
    let mut detail = String::new();
    if !step.skills.is_empty() {
        detail.push_str(&format!("Trains {}.", step.skills.join(", ")));
    }
    if let StepStatusView::Locked(waiting) = &step.status {
        detail.push_str(&format!(" Opens after: {}.", waiting.join(", ")));
    }
    if !detail.is_empty() {
        widgets::muted(ui, detail.trim());
    }
}
