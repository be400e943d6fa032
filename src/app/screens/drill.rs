//! The drill screen: one hard moment of a course's drill step, prepared by the core
//! (`course::prepare_drill`), answered with one move (`UiAction::AnswerDrill`: nothing is
//! played in any session), shown with its fit, the schools' commentary and the best move;
//! each answer is kept with the learner's records, and *Again* prepares the same moment
//! with a fresh seed, so the client's words vary.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::course::CourseProgress;
use super::session_view::{self, Consult};
use super::{DrawScreen, Handles, root_ui, send, showing};
use crate::app::course::CourseDesk;
use crate::app::flow::Desk;
use crate::app::{AppCommand, Screen};
use crate::assessment::now_unix;
use crate::course::{Drill, DrillAnswer, DrillResult, StepKind, prepare_drill, resolve_drill};
use crate::engine::BranchedSession;
use crate::engine::transcript::describe_adaptation;
use crate::model::Mode;
use crate::scoring::Skill;
use crate::ui::drill::{AnswerView, DrillView};
use crate::ui::{self, UiAction};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<DrillDesk>()
        .add_systems(Update, handle.in_set(Handles(Screen::Drill)));
}

/// The drill under way, if any.
#[derive(Resource, Default)]
pub struct DrillDesk {
    pub run: Option<DrillRun>,
    /// Why the last drill asked for could not be opened.
    pub problem: Option<String>,
}

/// One drill being answered.
pub struct DrillRun {
    pub step: String,
    pub title: String,
    pub skills: Vec<Skill>,
    pub scenario: String,
    pub drill: Drill,
    /// The drill's session as the session screen's view reads it.
    shown: BranchedSession,
    pub seed: u64,
    /// Answers given before this one in this sitting.
    pub tries: u32,
    pub answer: Option<DrillAnswer>,
}

fn handle(
    mut commands: MessageReader<AppCommand>,
    mut desk: Desk,
    mut drills: ResMut<DrillDesk>,
    course: Res<CourseDesk>,
    mut progress: ResMut<CourseProgress>,
) {
    for AppCommand(action) in commands.read() {
        match action {
            UiAction::OpenDrill(step) => {
                let seed = now_unix() % 1_000_000 + 1;
                match open(&desk, &course, step, seed, 0) {
                    Ok(run) => {
                        drills.run = Some(run);
                        drills.problem = None;
                        desk.go(Screen::Drill);
                    }
                    Err(why) => {
                        warn!("drill {step}: {why}");
                        drills.problem = Some(why);
                    }
                }
            }
            UiAction::DrillAgain => {
                let Some(run) = drills.run.as_ref() else {
                    continue;
                };
                // A seed well past the ones the last try may have moved on to.
                let seed = run.seed.wrapping_add(crate::course::MAX_SEED_TRIES + 1);
                let (step, tries) = (run.step.clone(), run.tries + 1);
                match open(&desk, &course, &step, seed, tries) {
                    Ok(run) => drills.run = Some(run),
                    Err(why) => drills.problem = Some(why),
                }
            }
            UiAction::AnswerDrill(choice) => {
                let Some(run) = drills.run.as_mut().filter(|r| r.answer.is_none()) else {
                    continue;
                };
                match run.drill.answer(choice) {
                    Ok(answer) => {
                        let at = now_unix();
                        // The skills the drill trains that the move was scored on.
                        let results: Vec<DrillResult> = answer
                            .evidence
                            .iter()
                            .filter(|(skill, _)| run.skills.contains(skill))
                            .map(|&(skill, value)| DrillResult { skill, value, at })
                            .collect();
                        desk.records.record_drill(
                            &run.step,
                            &run.scenario,
                            run.drill.session.seed(),
                            &answer,
                            &results,
                            at,
                        );
                        progress.results.extend(results);
                        run.answer = Some(answer);
                    }
                    Err(e) => warn!("drill answer not taken: {e}"),
                }
            }
            _ => {}
        }
    }
}

/// Prepares the course's drill `step` with `seed`.
fn open(
    desk: &Desk,
    course: &CourseDesk,
    step: &str,
    seed: u64,
    tries: u32,
) -> Result<DrillRun, String> {
    let course = course.course.as_ref().ok_or("no course is offered")?;
    let found = course
        .step(step)
        .ok_or_else(|| format!("the course has no step `{step}`"))?;
    let Some(StepKind::Drill(reference)) = found.kind() else {
        return Err(format!("`{step}` is not a drill"));
    };
    let prepared = desk
        .library
        .by_id(&reference.scenario)
        .and_then(|e| e.scenario.clone())
        .ok_or_else(|| format!("scenario `{}` is not in the library", reference.scenario))?;
    let resolved = resolve_drill(&prepared, reference).map_err(|p| p.message)?;
    let drill = prepare_drill(&prepared, &resolved, seed).map_err(|e| e.to_string())?;
    Ok(DrillRun {
        step: step.to_string(),
        title: found.title.clone(),
        skills: found.skills.clone(),
        scenario: reference.scenario.clone(),
        shown: BranchedSession::from_session(drill.session.clone(), Mode::Practice),
        drill,
        seed,
        tries,
        answer: None,
    })
}

pub(super) fn draw_plugin(app: &mut App) {
    app.init_resource::<DrillScreen>()
        .add_systems(OnEnter(Screen::Drill), |mut screen: ResMut<DrillScreen>| {
            *screen = DrillScreen::default()
        })
        .add_systems(
            EguiPrimaryContextPass,
            draw.in_set(DrawScreen).run_if(showing(Screen::Drill)),
        );
}

/// The drill screen's own state.
#[derive(Resource, Default)]
pub struct DrillScreen {
    pub ui: ui::drill::DrillUi,
    consult: Consult,
}

fn draw(
    mut contexts: EguiContexts,
    drills: Res<DrillDesk>,
    mut screen: ResMut<DrillScreen>,
    mut out: MessageWriter<AppCommand>,
) -> Result {
    let Some(run) = drills.run.as_ref() else {
        return Ok(());
    };
    let mut root = root_ui(&mut contexts)?;
    let screen = &mut *screen;
    let view = view(run, &mut screen.consult);
    let actions = ui::drill::show(&mut root, &view, &mut screen.ui);
    send(&mut out, actions);
    Ok(())
}

/// The drill screen's view of `run`.
pub fn view<'a>(run: &'a DrillRun, consult: &mut Consult) -> DrillView<'a> {
    let mut session = session_view::view(&run.shown, None, consult);
    // The drill is answered, not consulted: the schools speak after the answer.
    session.consult = None;
    DrillView {
        title: &run.title,
        skills: run.skills.iter().map(|s| s.label()).collect(),
        tries: run.tries,
        session,
        answer: run.answer.as_ref().map(answer_view),
    }
}

fn answer_view(a: &DrillAnswer) -> AnswerView {
    let words = |name: &str, choice: &crate::scenario::Choice| {
        let adaptation = describe_adaptation(choice);
        if adaptation.is_empty() {
            name.to_string()
        } else {
            format!("{name} ({adaptation})")
        }
    };
    AnswerView {
        yours: words(&a.outcome.technique_name, &a.choice),
        fit: a.fit.score,
        explanation: a.fit.explanation.clone(),
        reply: a.outcome.client_line.clone(),
        reply_cues: a.outcome.cues.clone(),
        evidence: a.evidence.iter().map(|(s, v)| (s.label(), *v)).collect(),
        advice: a.advice.clone(),
        moment_title: a.key_moment_title.clone(),
        commentary: a
            .commentary
            .iter()
            .map(|c| (c.school.label(), c.text.clone()))
            .collect(),
        best: (!a.best.yours_was_best).then(|| {
            (
                words(&a.best.technique_name, &a.best.choice),
                a.best.fit.score,
                a.best.fit.explanation.clone(),
            )
        }),
    }
}
