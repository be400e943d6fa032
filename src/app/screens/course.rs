//! The course screen: the course the app offers (`app::course`), each step's status for the
//! practising learner (the scenarios they have passed, the skills their drills mastered), and
//! what to practise next. Its handler opens it; its progress is read from the records when
//! it opens and follows each drill answered.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::{DrawScreen, Handles, root_ui, send, showing};
use crate::app::course::CourseDesk;
use crate::app::flow::Desk;
use crate::app::{AppCommand, ScenarioLibrary, Screen};
use crate::assessment::now_unix;
use crate::course::{Course, SkillStanding};
use crate::course::{DrillResult, StepKind, StepStatus, next_practice, standings, step_statuses};
use crate::scoring::Skill;
use crate::ui::course::{CourseView, SkillRow, StepKindView, StepStatusView, StepView};
use crate::ui::library::difficulty_label;
use crate::ui::{self, UiAction};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<CourseProgress>()
        .add_systems(Update, handle.in_set(Handles(Screen::Course)));
}

/// The practising learner's progress on the course, read when the course screen opens.
#[derive(Resource, Default, Debug, Clone)]
pub struct CourseProgress {
    /// Scenario ids with a passed session.
    pub passed: Vec<String>,
    /// Every drill result, oldest first.
    pub results: Vec<DrillResult>,
}

impl CourseProgress {
    /// The practising learner's progress, from the records.
    pub fn read(records: &mut crate::app::Records) -> CourseProgress {
        CourseProgress {
            passed: records.passed_scenarios(),
            results: records.drill_results(),
        }
    }
}

fn handle(
    mut commands: MessageReader<AppCommand>,
    mut desk: Desk,
    mut progress: ResMut<CourseProgress>,
) {
    for AppCommand(action) in commands.read() {
        if *action == UiAction::OpenCourse {
            *progress = CourseProgress::read(&mut desk.records);
            desk.go(Screen::Course);
        }
    }
}

/// Where the learner is on the course, in a line for the library: the steps passed and the
/// next open one.
pub fn position(desk: &CourseDesk, progress: &CourseProgress, now: u64) -> Option<String> {
    let course = desk.course.as_ref()?;
    let standing = standings(&progress.results, &Skill::ALL, &desk.schedule, now);
    let statuses = statuses(course, &standing, progress);
    let done = statuses
        .iter()
        .filter(|s| **s == StepStatus::Passed)
        .count();
    let next = course
        .steps
        .iter()
        .zip(&statuses)
        .find(|(_, s)| **s == StepStatus::Open)
        .map_or(String::new(), |(step, _)| format!("; next: {}", step.title));
    Some(format!(
        "{}: {done} of {} steps passed{next}",
        course.title,
        course.steps.len()
    ))
}

/// Each step's status for the learner: passed, open or locked, from the sessions they
/// passed and the skills their drills have mastered (`standing`, the skills as they stand).
fn statuses(
    course: &Course,
    standing: &[SkillStanding],
    progress: &CourseProgress,
) -> Vec<StepStatus> {
    let mastered: Vec<Skill> = standing
        .iter()
        .filter(|s| s.mastered)
        .map(|s| s.skill)
        .collect();
    let passed: Vec<&str> = progress.passed.iter().map(String::as_str).collect();
    step_statuses(course, &passed, &mastered)
}

/// The course screen's view at `now`.
pub fn view<'a>(
    desk: &'a CourseDesk,
    progress: &CourseProgress,
    library: &ScenarioLibrary,
    learner: Option<&'a str>,
    now: u64,
) -> CourseView<'a> {
    let Some(course) = desk.course.as_ref() else {
        return CourseView {
            learner,
            problems: &desk.problems,
            ..CourseView::default()
        };
    };
    let standing = standings(&progress.results, &Skill::ALL, &desk.schedule, now);
    let statuses = statuses(course, &standing, progress);
    let title_of = |id: &str| course.step(id).map_or(id.to_string(), |s| s.title.clone());
    let steps = course
        .steps
        .iter()
        .zip(statuses)
        .map(|(step, status)| StepView {
            id: step.id.clone(),
            title: step.title.clone(),
            difficulty: difficulty_label(step.difficulty),
            skills: step.skills.iter().map(|s| s.label()).collect(),
            kind: match step.kind() {
                Some(StepKind::Session(id)) => StepKindView::ClientSession {
                    path: library.by_id(id).map(|e| e.path.clone()),
                },
                _ => StepKindView::Drill,
            },
            status: match status {
                StepStatus::Locked { waiting_for } => {
                    StepStatusView::Locked(waiting_for.iter().map(|id| title_of(id)).collect())
                }
                StepStatus::Open => StepStatusView::Open,
                StepStatus::Passed => StepStatusView::Passed,
            },
        })
        .collect();
    CourseView {
        title: &course.title,
        description: &course.description,
        learner,
        steps,
        skills: standing
            .iter()
            .map(|s| SkillRow {
                label: s.skill.label(),
                mastery: s.mastery,
                mastered: s.mastered,
                due: s.is_due(now),
            })
            .collect(),
        next: next_practice(course, &progress.results, &desk.schedule, now)
            .map(|s| (s.reason, s.drill_step)),
        problems: &desk.problems,
    }
}

pub(super) fn draw_plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        draw.in_set(DrawScreen).run_if(showing(Screen::Course)),
    );
}

fn draw(
    mut contexts: EguiContexts,
    desk: Res<CourseDesk>,
    progress: Res<CourseProgress>,
    library: Res<ScenarioLibrary>,
    records: Res<crate::app::Records>,
    mut out: MessageWriter<AppCommand>,
) -> Result {
    let mut root = root_ui(&mut contexts)?;
    let learner = records.practice_learner.as_deref();
    let view = view(&desk, &progress, &library, learner, now_unix());
    let actions = ui::course::show(&mut root, &view);
    send(&mut out, actions);
    Ok(())
}
