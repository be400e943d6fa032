//! Learners and their progress: two learners practise in the headless app, each seeing only
//! their own attempts and progress; the learner picker and the progress screen drawn
//! through egui_kittest (the screen at laptop and desktop sizes, after a simulated week of
//! practice and empty); `attune play --learner` names the same profiles.

use std::path::PathBuf;

use attune::app::screens::progress::{ProgressScreen, progress_view};
use attune::app::{LibraryEntry, Records, ScenarioLibrary, Screen};
use attune::model::Mode;
use attune::records::Store;
use attune::records::progress::progress_of;
use attune::ui::progress::ProgressView;
use attune::ui::{self, UiAction};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use crate::app::{headless_app_with, screen, send, update_until};
use crate::common;

#[path = "../../examples/week_of_practice.rs"]
mod week;

/// A folder of its own for a test's data, emptied first.
fn data_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("progress-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

const DAN: &str = "scenarios/dan-mandated-anger.ron";

/// Plays a whole practice session of Dan in the app, with the expert's moves or a poor one.
fn practise_dan(app: &mut bevy::prelude::App, expert: bool) {
    send(app, UiAction::OpenBriefing(DAN.into()));
    send(
        app,
        UiAction::Start {
            mode: Mode::Practice,
            seed: 3,
        },
    );
    assert_eq!(screen(app), Screen::Session);
    let script = if expert {
        crate::app::dan_expert_script()
    } else {
        vec![
            common::choice("advice_giving"),
            common::choice("confrontation"),
        ]
    };
    for choice in script {
        if screen(app) != Screen::Session {
            break;
        }
        send(app, UiAction::Play(choice));
    }
    if screen(app) == Screen::Session {
        send(app, UiAction::EndSession);
    }
    send(app, UiAction::BackToLibrary);
    assert_eq!(screen(app), Screen::Library);
}

fn progress(app: &mut bevy::prelude::App) -> ProgressView {
    send(app, UiAction::OpenProgress);
    assert_eq!(screen(app), Screen::Progress);
    let view = app.world().resource::<ProgressScreen>().view.clone();
    send(app, UiAction::BackToLibrary);
    view
}

#[test]
fn two_learners_practise_and_each_sees_only_their_own_attempts_and_progress() {
    let dir = data_dir("two");
    let db = dir.join("records.sqlite");
    let mut app = headless_app_with(&common::root().join("scenarios"), false, db.clone());
    update_until(&mut app, "Dan's scenario", |w| {
        w.resource::<ScenarioLibrary>()
            .get(DAN)
            .is_some_and(|e| e.scenario.is_some())
    });
    // No one yet: what to do first.
    let empty = progress(&mut app);
    assert_eq!(empty.sessions, 0);
    assert!(
        empty
            .next
            .as_ref()
            .unwrap()
            .reason
            .contains("no sessions yet")
    );

    send(&mut app, UiAction::SetLearner("Ann Lee".into()));
    practise_dan(&mut app, true);
    practise_dan(&mut app, true);
    send(&mut app, UiAction::SetLearner("Ben".into()));
    practise_dan(&mut app, false);

    let ben = progress(&mut app);
    assert_eq!(ben.learner.as_deref(), Some("Ben"));
    assert_eq!(ben.sessions, 1, "Ben sees his one session, not Ann's two");
    send(&mut app, UiAction::SetLearner("Ann Lee".into()));
    let ann = progress(&mut app);
    assert_eq!(ann.learner.as_deref(), Some("Ann Lee"));
    assert_eq!(ann.sessions, 2);
    assert_eq!(ann.clients.len(), 1);
    assert_eq!(ann.clients[0].client, "Dan Mercer");
    assert_eq!(ann.clients[0].points.len(), 2);
    let reactance = |v: &ProgressView| {
        v.skills
            .iter()
            .find(|s| s.label == "Reactance matching")
            .and_then(|s| s.percent)
            .unwrap()
    };
    assert!(
        reactance(&ann) > reactance(&ben),
        "the expert's reactance matching is the stronger: {} against {}",
        reactance(&ann),
        reactance(&ben)
    );
    // "Your best" is each learner's own.
    let mut records = app.world_mut().resource_mut::<Records>();
    let ann_best = records.best_scores();
    records.practice_learner = Some("Ben".into());
    let ben_best = records.best_scores();
    assert!(
        ann_best["dan-mandated-anger"] > ben_best.get("dan-mandated-anger").copied().unwrap_or(0.0)
    );
    // Both are profiles, in the order they were made; the store on disk says so.
    assert_eq!(records.learners(), ["Ann Lee", "Ben"]);
    drop(app);
    let store = Store::open(&db).unwrap();
    assert_eq!(
        store.finished_attempts_of(Some("Ann Lee")).unwrap().len(),
        2
    );
    assert_eq!(store.finished_attempts_of(Some("Ben")).unwrap().len(), 1);
    assert!(store.finished_attempts_of(None).unwrap().is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

/// The library as the app loads it, built from the files, for the view model.
fn library() -> ScenarioLibrary {
    let mut library = ScenarioLibrary::default();
    for file in common::library_files() {
        let bytes = std::fs::read(&file).unwrap();
        library.entries.push(LibraryEntry {
            path: format!("scenarios/{}", file.file_name().unwrap().to_str().unwrap()),
            scenario: Some(common::prepared_from(&file)),
            content_hash: attune::records::content_hash(&bytes),
            diagnostics: Vec::new(),
        });
    }
    library
}

/// The progress view after the simulated week for one learner.
fn week_view(name: &str) -> ProgressView {
    let dir = data_dir(name);
    let mut store = Store::open(&dir.join("records.sqlite")).unwrap();
    let start = 1_780_000_000;
    let n = week::simulate(
        &mut store,
        &common::root().join("scenarios"),
        "Ann Lee",
        start,
    )
    .unwrap();
    assert_eq!(n, 10);
    let library = library();
    let progress = progress_of(&store, Some("Ann Lee"), |hash| {
        library.by_hash(hash).and_then(|e| e.scenario.clone())
    })
    .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    progress_view(&progress, &library)
}

#[test]
fn a_week_of_practice_shows_a_line_per_client_rising_and_the_skills() {
    let view = week_view("week");
    assert_eq!(view.sessions, 10);
    assert_eq!(view.clients.len(), 3, "{:?}", view.clients);
    for c in &view.clients {
        let first = c.points.first().unwrap();
        let last = c.points.last().unwrap();
        assert!(
            last[0] > first[0],
            "{}: later sessions later on the axis",
            c.client
        );
        assert!(
            last[1] > first[1],
            "{}: the expert's sessions at the end score higher: {:?}",
            c.client,
            c.points
        );
    }
    assert_eq!(view.fis.len(), 10);
    assert!(
        view.fis
            .iter()
            .all(|p| (1.0..=5.0).contains(&p[1]) && (0.0..=7.0).contains(&p[0]))
    );
    assert_eq!(view.skills.len(), 6);
    assert!(
        view.skills.iter().filter(|s| s.percent.is_some()).count() >= 5,
        "{:?}",
        view.skills
    );
    let next = view.next.as_ref().unwrap();
    assert!(
        next.open.is_some(),
        "the next client is in the library: {next:?}"
    );
    assert!(
        next.reason.contains("weakest skill") || next.reason.contains("least evidence"),
        "{}",
        next.reason
    );
}

fn progress_harness(
    view: ProgressView,
    w: f32,
    h: f32,
) -> Harness<'static, (ProgressView, Vec<UiAction>)> {
    Harness::builder()
        .with_size(egui::vec2(w, h))
        .build_ui_state(
            |ui, (view, actions): &mut (ProgressView, Vec<UiAction>)| {
                actions.extend(ui::progress::show(ui, view));
            },
            (view, Vec::new()),
        )
}

#[test]
fn the_progress_screen_shows_a_week_at_laptop_and_desktop_sizes() {
    let view = week_view("screen");
    let next_client = view.next.as_ref().unwrap().client.clone();
    for (w, h) in [(1280.0, 800.0), (1920.0, 1080.0)] {
        let mut harness = progress_harness(view.clone(), w, h);
        harness.run();
        harness.get_by_label("Progress: Ann Lee");
        harness.get_by_label_contains("10 sessions · 0 drill answers · since");
        harness.get_by_label("What to practise next");
        harness.get_by_label("Your sessions over time");
        harness.get_by_label("Rubric trends");
        harness.get_by_label("Your skills");
        for skill in [
            "Reactance matching",
            "Rupture repair",
            "Risk assessment",
            "Responding to the client's moment",
        ] {
            harness.get_by_label(skill);
        }
        harness.get_by_label(&format!("Meet {next_client}")).click();
        harness.run();
        assert_eq!(
            harness.state().1,
            vec![UiAction::OpenBriefing(
                view.next.as_ref().unwrap().open.clone().unwrap()
            )],
            "at {w}x{h}"
        );
        harness.get_by_label("Back to the library").click();
        harness.run();
        assert_eq!(harness.state().1.last(), Some(&UiAction::BackToLibrary));
    }
}

#[test]
fn a_learner_with_no_sessions_sees_what_to_do_first() {
    let library = library();
    let dir = data_dir("empty");
    let store = Store::open(&dir.join("records.sqlite")).unwrap();
    let progress = progress_of(&store, Some("Cleo"), |_| None).unwrap();
    let view = progress_view(&progress, &library);
    let mut harness = progress_harness(view, 1280.0, 800.0);
    harness.run();
    harness.get_by_label_contains("You have no sessions yet. Start with");
    harness.get_by_label_contains("show here once you finish a session");
    assert!(harness.query_by_label("Your sessions over time").is_none());
    assert_eq!(harness.query_all_by_label("not practised yet").count(), 6);
    let _ = std::fs::remove_dir_all(&dir);
}

type LibraryState = (ui::library::LibraryUi, Vec<UiAction>, Option<String>);

fn library_harness(current: Option<&str>) -> Harness<'static, LibraryState> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, (state, actions, current): &mut LibraryState| {
                let desk = ui::library::LibraryDesk {
                    learner: current.clone(),
                    learners: vec!["Ann Lee".into(), "Ben".into()],
                    course_position: None,
                    ..Default::default()
                };
                actions.extend(ui::library::show(ui, &[], &desk, state, 1.0));
            },
            (Default::default(), Vec::new(), current.map(str::to_string)),
        )
}

#[test]
fn the_learner_picker_switches_in_one_click_and_adds_a_profile() {
    let mut harness = library_harness(Some("Ann Lee"));
    harness.run();
    assert!(
        harness.query_by_label("Who is practising?").is_none(),
        "no prompt while someone practises"
    );
    harness.get_by_label("Practising as").click();
    harness.run();
    harness.get_by_label("Ben").click();
    harness.run();
    assert_eq!(harness.state().1, vec![UiAction::SetLearner("Ben".into())]);
    // A new name typed is asked for; one that cannot be a name is refused, with the reason.
    harness.get_by_label("Add a learner").focus();
    harness
        .get_by_label("Add a learner")
        .type_text("Trần Đức Minh");
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(
        harness.state().1.last(),
        Some(&UiAction::SetLearner("Trần Đức Minh".into()))
    );
    harness.get_by_label("Add a learner").focus();
    harness
        .get_by_label("Add a learner")
        .type_text(&"x".repeat(90));
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(harness.state().1.len(), 2);
    harness.get_by_label_contains("Not saved: a name or id of at most 80 characters");
    harness.get_by_label("Your progress").click();
    harness.run();
    assert_eq!(harness.state().1.last(), Some(&UiAction::OpenProgress));
}

#[test]
fn with_no_learner_the_library_asks_who_is_practising_until_told() {
    let mut harness = library_harness(None);
    harness.run();
    harness.get_by_label("Who is practising?");
    harness.get_by_label("I am Ben").click();
    harness.run();
    assert_eq!(harness.state().1, vec![UiAction::SetLearner("Ben".into())]);
    harness.get_by_label("Your name").focus();
    harness.get_by_label("Your name").type_text("Cleo");
    harness.get_by_label("Start practising").click();
    harness.run();
    assert_eq!(
        harness.state().1.last(),
        Some(&UiAction::SetLearner("Cleo".into()))
    );
    // Exploring without a profile is allowed, and the prompt goes.
    harness.get_by_label("Just exploring").click();
    harness.run();
    harness.run();
    assert!(harness.query_by_label("Who is practising?").is_none());
    assert_eq!(harness.state().1.len(), 2);
}

#[test]
fn the_command_lines_learner_is_the_apps_profile() {
    let dir = data_dir("cli");
    let out = common::attune_in(
        &dir,
        &[
            "play",
            "scenarios/dan-mandated-anger.ron",
            "--script",
            "tests/scripts/dan-expert.ron",
            "--record",
            "--learner",
            "Ann Lee",
        ],
    )
    .output()
    .unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    let mut store = Store::open(&dir.join("records.sqlite")).unwrap();
    let names: Vec<String> = store
        .learners()
        .unwrap()
        .into_iter()
        .map(|l| l.name)
        .collect();
    assert_eq!(
        names,
        ["Ann Lee"],
        "the name given on the command line became a profile"
    );
    // The app's profile of that name is the same one: its attempt is hers.
    let before = store.learners().unwrap();
    store.add_learner("Ann Lee").unwrap();
    assert_eq!(store.learners().unwrap(), before);
    assert_eq!(
        store.finished_attempts_of(Some("Ann Lee")).unwrap().len(),
        1
    );
    let _ = std::fs::remove_dir_all(&dir);
}
