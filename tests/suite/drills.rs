//! The course and its drills in the headless app: the default course is offered once the
//! library has loaded; a drill answered twice with different moves (the second a fresh
//! try) keeps both answers with the learner's records; a step opens once the session it
//! waits for is passed; and the course and drill screens drawn through egui_kittest.

use std::path::PathBuf;

use attune::app::course::CourseDesk;
use attune::app::screens::course::{CourseProgress, view as course_view};
use attune::app::screens::drill::{DrillDesk, view as drill_view};
use attune::app::screens::session_view::Consult;
use attune::app::{Records, ScenarioLibrary, Screen};
use attune::model::Mode;
use attune::records::Store;
use attune::ui::course::{StepKindView, StepStatusView};
use attune::ui::{self, UiAction};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use crate::app::{headless_app_with, screen, send, update_until};
use crate::common;

fn data_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("drills-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The headless app on the library with its records, the course read, `learner` practising.
fn app_with_course(name: &str, learner: &str) -> (bevy::prelude::App, PathBuf) {
    let db = data_dir(name).join("records.sqlite");
    let mut app = headless_app_with(&common::root().join("scenarios"), false, db.clone());
    update_until(&mut app, "the course", |w| {
        w.resource::<CourseDesk>().course.is_some()
            || !w.resource::<CourseDesk>().problems.is_empty()
    });
    let desk = app.world().resource::<CourseDesk>();
    assert!(desk.problems.is_empty(), "{:?}", desk.problems);
    assert_eq!(desk.file.as_deref(), Some("courses/default.ron"));
    send(&mut app, UiAction::SetLearner(learner.into()));
    (app, db)
}

/// The course screen's view of a step now: its status.
fn status_of(app: &bevy::prelude::App, step: &str) -> StepStatusView {
    let world = app.world();
    let view = course_view(
        world.resource::<CourseDesk>(),
        world.resource::<CourseProgress>(),
        world.resource::<ScenarioLibrary>(),
        None,
        attune::assessment::now_unix(),
    );
    view.steps
        .into_iter()
        .find(|s| s.id == step)
        .unwrap_or_else(|| panic!("no step {step}"))
        .status
}

#[test]
fn a_drill_answered_twice_with_different_moves_keeps_both_answers() {
    let (mut app, db) = app_with_course("twice", "Ann Lee");
    send(&mut app, UiAction::OpenCourse);
    assert_eq!(screen(&app), Screen::Course);
    // Tom's first drill is open from the start (it waits for nothing).
    assert_eq!(status_of(&app, "tom-change-talk"), StepStatusView::Open);

    send(&mut app, UiAction::OpenDrill("tom-change-talk".into()));
    assert_eq!(screen(&app), Screen::Drill);
    let first_seed = app
        .world()
        .resource::<DrillDesk>()
        .run
        .as_ref()
        .unwrap()
        .seed;
    send(
        &mut app,
        UiAction::AnswerDrill(common::choice("complex_reflection")),
    );
    let answered = |app: &bevy::prelude::App| {
        let run = app.world().resource::<DrillDesk>();
        let run = run.run.as_ref().unwrap();
        run.answer
            .as_ref()
            .map(|a| (a.choice.technique.clone(), a.fit.score))
    };
    let (first, first_fit) = answered(&app).expect("the drill is answered");
    assert_eq!(first, "complex_reflection");

    send(&mut app, UiAction::DrillAgain);
    assert!(answered(&app).is_none(), "a fresh try waits for its answer");
    let run = app.world().resource::<DrillDesk>();
    let again = run.run.as_ref().unwrap();
    assert_eq!((again.tries, again.step.as_str()), (1, "tom-change-talk"));
    assert_ne!(again.seed, first_seed, "a fresh seed");
    send(
        &mut app,
        UiAction::AnswerDrill(common::choice("advice_giving")),
    );
    let (second, second_fit) = answered(&app).unwrap();
    assert_eq!(second, "advice_giving");
    assert!(
        second_fit < first_fit,
        "unsolicited advice fits Tom's change talk worse than a reflection ({second_fit} vs {first_fit})"
    );

    // Both answers are kept with the learner, in order, with their skills.
    drop(app);
    let store = Store::open_read_only(&db).unwrap();
    let kept = store.drill_results(Some("Ann Lee")).unwrap();
    let moves: Vec<(&str, &str)> = kept
        .iter()
        .map(|r| (r.drill_id.as_str(), r.choice.technique.as_str()))
        .collect();
    assert_eq!(
        moves,
        vec![
            ("tom-change-talk", "complex_reflection"),
            ("tom-change-talk", "advice_giving")
        ]
    );
    assert!(kept.iter().all(|r| !r.skills.is_empty()), "{kept:?}");
    assert!(
        store
            .drill_results(Some("someone else"))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_step_opens_once_the_session_it_waits_for_is_passed() {
    let (mut app, _) = app_with_course("unlock", "Ben Okafor");
    send(&mut app, UiAction::OpenCourse);
    let StepStatusView::Locked(waiting) = status_of(&app, "tom-first-exposure") else {
        panic!("the second drill waits for Tom's session");
    };
    assert_eq!(waiting.len(), 1);

    // Tom's session passed with the expert's moves.
    let prepared = common::library("tom-panic-exposure");
    let expert = attune::analysis::expert_playthrough(&prepared.scenario)
        .unwrap()
        .clone();
    send(
        &mut app,
        UiAction::OpenBriefing("scenarios/tom-panic-exposure.ron".into()),
    );
    send(
        &mut app,
        UiAction::Start {
            mode: Mode::Practice,
            seed: expert.seed,
        },
    );
    for choice in expert.choices {
        if screen(&app) != Screen::Session {
            break;
        }
        send(&mut app, UiAction::Play(choice));
    }
    assert_eq!(screen(&app), Screen::Debrief, "the session ended");
    assert!(
        app.world_mut()
            .resource_mut::<Records>()
            .passed_scenarios()
            .contains(&"tom-panic-exposure".to_string())
    );

    send(&mut app, UiAction::OpenCourse);
    assert_eq!(status_of(&app, "tom"), StepStatusView::Passed);
    assert_eq!(status_of(&app, "tom-first-exposure"), StepStatusView::Open);
    // The library's line says where the learner is.
    let world = app.world();
    let line = attune::app::screens::course::position(
        world.resource::<CourseDesk>(),
        world.resource::<CourseProgress>(),
        attune::assessment::now_unix(),
    )
    .unwrap();
    let steps = world
        .resource::<CourseDesk>()
        .course
        .as_ref()
        .unwrap()
        .steps
        .len();
    assert!(
        line.contains(&format!(": 1 of {steps} steps passed; next: ")),
        "{line}"
    );
}

#[test]
fn the_course_and_a_drill_are_drawn_and_answered_by_clicking() {
    let (mut app, _) = app_with_course("drawn", "Cara Diaz");
    send(&mut app, UiAction::OpenCourse);
    // The course screen at a laptop's size: steps, skills, what next; a drill opens by click.
    {
        let world = app.world();
        let view = course_view(
            world.resource::<CourseDesk>(),
            world.resource::<CourseProgress>(),
            world.resource::<ScenarioLibrary>(),
            Some("Cara Diaz"),
            attune::assessment::now_unix(),
        );
        assert!(view.steps.iter().any(|s| s.kind == StepKindView::Drill));
        let mut harness = Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .build_ui_state(
                move |ui, actions: &mut Vec<UiAction>| actions.extend(ui::course::show(ui, &view)),
                Vec::new(),
            );
        ui::theme::apply(&harness.ctx);
        harness.run();
        harness.get_by_label("Practise next");
        harness.get_by_label("Reactance matching");
        harness.get_by_label_contains("Cara Diaz's progress");
        harness
            .get_by_label("Drill: Tom wants to be told what to do")
            .click();
        harness.run();
        assert_eq!(
            harness.state(),
            &vec![UiAction::OpenDrill("tom-change-talk".into())]
        );
    }

    // The drill screen: the palette answers it; the answer shows the fit, the schools and
    // the best move.
    send(&mut app, UiAction::OpenDrill("tom-change-talk".into()));
    let shot = |app: &bevy::prelude::App| {
        let drills = app.world().resource::<DrillDesk>();
        let run = drills.run.as_ref().unwrap();
        let mut consult = Consult::default();
        let view = drill_view(run, &mut consult);
        let mut harness = Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .build_ui_state(
                |ui, state: &mut (ui::drill::DrillUi, Vec<UiAction>)| {
                    let actions = ui::drill::show(ui, &view, &mut state.0);
                    state.1.extend(actions);
                },
                (ui::drill::DrillUi::default(), Vec::new()),
            );
        ui::theme::apply(&harness.ctx);
        harness.run();
        harness.get_by_label("Your move");
        harness.get_by_label_contains("What would you say next?");
        harness.get_by_label("Find").focus();
        harness.get_by_label("Find").type_text("complex refl");
        harness.run();
        harness.key_press(egui::Key::Escape);
        harness.run();
        harness.key_press(egui::Key::Num1);
        harness.run();
        harness.key_press(egui::Key::Enter);
        harness.run();
        harness.state().1.clone()
    };
    let actions = shot(&app);
    assert_eq!(
        actions,
        vec![UiAction::AnswerDrill(common::choice("complex_reflection"))],
        "the palette answers the drill; nothing is played"
    );
    send(&mut app, actions[0].clone());
    let world = app.world();
    let drills = world.resource::<DrillDesk>();
    let run = drills.run.as_ref().unwrap();
    let view = drill_view(run, &mut Consult::default());
    let answer = view.answer.clone().expect("answered");
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1920.0, 1080.0))
        .build_ui_state(
            move |ui, state: &mut (ui::drill::DrillUi, Vec<UiAction>)| {
                let actions = ui::drill::show(ui, &view, &mut state.0);
                state.1.extend(actions);
            },
            (ui::drill::DrillUi::default(), Vec::new()),
        );
    ui::theme::apply(&harness.ctx);
    harness.run();
    harness.get_by_label(&answer.yours);
    harness.get_by_label(&format!(" Fit {:.0} ", answer.fit));
    harness.get_by_label("The best move found");
    harness.get_by_label("What the move showed");
    harness.get_by_label("Again").click();
    harness.run();
    assert_eq!(harness.state().1, vec![UiAction::DrillAgain]);
}
