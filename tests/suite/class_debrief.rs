//! The class debrief: a class's votes saved with the attempt as the projector plays it,
//! read back, shown on the debrief (through egui_kittest at the projectors' sizes) and
//! exported from the debrief and from `attune export --class`.

use std::path::PathBuf;

use attune::analysis::{BestMovesJob, ClassRound, VotedMove};
use attune::app::screens::debrief::DebriefScreen;
use attune::app::screens::debrief_view::{self, ClassVotes};
use attune::app::{Practice, Records, Screen};
use attune::engine::BranchedSession;
use attune::model::Mode;
use attune::records::{AttemptPlan, Played, Store, content_hash, record_whole};
use attune::scenario::{Choice, Pacing};
use attune::ui::UiAction;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use crate::app::{headless_app_with, screen, send, update_until};
use crate::common;

/// A folder of its own for a test's data, emptied first.
fn data_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("class-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn slower_reflection() -> Choice {
    Choice {
        pacing: Pacing::Slower,
        ..Choice::new("complex_reflection")
    }
}

/// The class's votes on Dan's first two turns: most chose the move played at turn 1 (one
/// voter alone chose a far worse one, which does not split a class); at turn 2 the class
/// divided evenly.
fn rounds() -> Vec<ClassRound> {
    vec![
        ClassRound {
            turn: 1,
            voters: 5,
            options: vec![
                VotedMove {
                    choice: slower_reflection(),
                    votes: 4,
                },
                VotedMove {
                    choice: Choice::new("confrontation"),
                    votes: 1,
                },
            ],
        },
        ClassRound {
            turn: 2,
            voters: 4,
            options: vec![
                VotedMove {
                    choice: Choice::new("open_question"),
                    votes: 2,
                },
                VotedMove {
                    choice: Choice::new("psychoeducation"),
                    votes: 2,
                },
            ],
        },
    ]
}

/// The moves played: the class's top choice at turn 1, one of the two halves' at turn 2.
fn played() -> [Choice; 2] {
    [slower_reflection(), Choice::new("open_question")]
}

fn practice(app: &bevy::prelude::App) -> &Practice {
    app.world().resource::<Practice>()
}

#[test]
fn a_class_sessions_votes_are_kept_with_its_attempt_shown_exported_and_reviewed() {
    let data = data_dir("app");
    let db = data.join("records.sqlite");
    let mut app = headless_app_with(&common::root().join("scenarios"), false, db.clone());
    let key = "scenarios/dan-mandated-anger.ron".to_string();
    update_until(&mut app, "Dan's scenario", |w| {
        w.resource::<attune::app::ScenarioLibrary>()
            .get(&key)
            .is_some_and(|e| e.scenario.is_some())
    });
    send(&mut app, UiAction::OpenBriefing(key));
    send(&mut app, UiAction::StartClassroom { seed: 7 });
    assert_eq!(screen(&app), Screen::Projector);

    // What the class vote's code does when the instructor plays a move the class voted on.
    for (round, choice) in rounds().into_iter().zip(played()) {
        let world = app.world_mut();
        world.resource_mut::<Records>().save_class_round(&round);
        world.resource_mut::<Practice>().class_rounds.push(round);
        send(&mut app, UiAction::Play(choice));
    }
    assert_eq!(app.world().resource::<Records>().problem, None);
    send(&mut app, UiAction::EndSession);
    assert_eq!(screen(&app), Screen::Debrief);

    // The saved attempt's rounds are those saved.
    let store = Store::open_read_only(&db).unwrap();
    let results = store.results().unwrap();
    assert_eq!(results.len(), 1, "the class session is one attempt");
    let id = results[0].attempt_id.clone().unwrap();
    assert_eq!(store.class_rounds(&id).unwrap(), rounds());
    drop(store);

    // The debrief's view lists the distribution.
    let run = &practice(&app).run.as_ref().unwrap().run;
    let job = BestMovesJob::start(run.session(), || {});
    job.wait();
    let saved = rounds();
    let votes = ClassVotes {
        rounds: &saved,
        export: None,
    };
    let view = debrief_view::view(run, None, &job, false, votes);
    let class = view.class.expect("the class's votes are shown");
    assert_eq!(class.turns.len(), 2);
    let first = &class.turns[0];
    assert_eq!(first.options[0].words, "Complex reflection (slower)");
    assert_eq!((first.options[0].votes, first.options[0].share), (4, 0.8));
    assert!(first.options[0].played && first.played_was_top);
    assert_eq!(first.split, None);
    assert!(first.best.is_some(), "the best move found is beside it");
    assert_eq!(
        class.turns[1].split.as_deref(),
        Some("no move had a majority")
    );

    // Exported from the debrief into the data folder, the paths kept to be shown.
    send(&mut app, UiAction::ExportClassResults);
    let written = match practice(&app).class_export.clone() {
        Some(Ok(paths)) => paths,
        other => panic!("not exported: {other:?}"),
    };
    let stem = format!("class-dan-mandated-anger-seed7-{}", &id[..8]);
    assert_eq!(
        written,
        ["json", "csv"].map(|ext| data
            .join("attune-export")
            .join(format!("{stem}.{ext}"))
            .display()
            .to_string())
    );
    let csv = std::fs::read_to_string(&written[1]).unwrap();
    assert_eq!(csv.lines().count(), 5, "a header and four options: {csv}");

    // Reviewing the saved attempt brings its votes back.
    app.world_mut()
        .resource_mut::<Practice>()
        .class_rounds
        .clear();
    app.world_mut()
        .resource_mut::<bevy::prelude::NextState<Screen>>()
        .set(Screen::Pack);
    app.update();
    send(&mut app, UiAction::ReviewAttempt(id));
    assert_eq!(screen(&app), Screen::Debrief);
    assert_eq!(practice(&app).class_rounds, rounds());
    drop(app);
    let _ = std::fs::remove_dir_all(&data);
}

/// Records a finished attempt of Dan (seed 7) with `moves`, returning its id.
fn recorded(store: &mut Store, moves: &[Choice]) -> String {
    let file = common::root().join("scenarios/dan-mandated-anger.ron");
    let session = common::play(&common::library("dan-mandated-anger"), 7, moves);
    let plan = AttemptPlan {
        file: "dan-mandated-anger.ron".into(),
        content_hash: content_hash(&std::fs::read(&file).unwrap()),
        mode: Mode::Practice,
        learner: None,
        pack: None,
        played: Played::Script,
        continues: None,
    };
    record_whole(store, &session, plan, "2026-12-06T10:00:00Z".into())
        .unwrap()
        .attempt
}

#[test]
fn attune_export_class_writes_a_saved_attempts_votes_and_refuses_one_without() {
    let data = data_dir("cli");
    let mut store = Store::open(&data.join("records.sqlite")).unwrap();
    let voted = recorded(&mut store, &played());
    for round in rounds() {
        store.save_class_round(&voted, &round).unwrap();
    }
    let alone = recorded(&mut store, &[Choice::new("open_question")]);
    drop(store);
    let out = data.join("out");
    let out_arg = out.to_str().unwrap();

    // Given by the start of its id, as a user copies it.
    let o = common::run_in(&data, &["export", "--class", &voted[..8], "--out", out_arg]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let stem = format!("class-dan-mandated-anger-seed7-{}", &voted[..8]);
    assert!(common::stderr(&o).contains(&format!("{stem}.json")));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join(format!("{stem}.json"))).unwrap())
            .unwrap();
    assert_eq!(json["attempt_id"], voted.as_str());
    assert_eq!(json["turns"][0]["options"][0]["adaptation"], "slower");
    assert_eq!(json["turns"][0]["options"][0]["votes"], 4);
    assert_eq!(json["turns"][1]["split"], true);
    let csv = std::fs::read_to_string(out.join(format!("{stem}.csv"))).unwrap();
    assert!(csv.starts_with("turn,technique,adaptation,votes,share,fit,played,best,"));
    assert!(
        csv.contains("\n1,Complex reflection,slower,4,0.800,"),
        "{csv}"
    );

    let o = common::run_in(&data, &["export", "--class", &alone, "--out", out_arg]);
    assert!(!o.status.success());
    assert!(
        common::stderr(&o).contains(&format!(
            "attempt {alone} (dan-mandated-anger) has no class votes"
        )),
        "{}",
        common::stderr(&o)
    );
    let o = common::run_in(&data, &["export", "--class", "nobody", "--out", out_arg]);
    assert!(!o.status.success());
    let err = common::stderr(&o);
    assert!(err.contains("no finished attempt nobody"), "{err}");
    assert!(
        err.contains(&format!("finished attempts with class votes: {voted}")),
        "{err}"
    );
    let help = common::run_in(&data, &["export", "--help"]);
    assert!(common::stdout(&help).contains("--class <ATTEMPT>"));
    let _ = std::fs::remove_dir_all(&data);
}

type ClassState = (
    BranchedSession,
    DebriefScreen,
    Vec<ClassRound>,
    Vec<UiAction>,
);

/// The debrief of Dan's class session drawn at `size`, with the export's outcome.
fn class_debrief(
    size: (f32, f32),
    export: Option<Result<Vec<String>, String>>,
) -> Harness<'static, ClassState> {
    let mut run = BranchedSession::new(common::library("dan-mandated-anger"), 7, Mode::Practice);
    for c in played() {
        run.play(&c).unwrap();
    }
    let mut harness = Harness::builder()
        .with_size(egui::vec2(size.0, size.1))
        .build_ui_state(
            move |ui, (run, screen, rounds, actions): &mut ClassState| {
                let class = ClassVotes {
                    rounds,
                    export: export.as_ref(),
                };
                actions.extend(screen.show_with_class(ui, run, false, class));
            },
            (run, DebriefScreen::default(), rounds(), Vec::new()),
        );
    harness.step();
    let jobs: Vec<_> = harness.state().1.best_moves.started().cloned().collect();
    jobs.iter().for_each(|j| {
        j.wait();
    });
    harness.run();
    harness
}

#[test]
fn the_class_section_shows_the_votes_the_split_and_exports_at_projector_sizes() {
    for size in [(1280.0, 800.0), (1920.0, 1080.0)] {
        let mut harness = class_debrief(size, None);
        harness.get_by_label("The class's votes");
        harness.get_by_label("Complex reflection (slower) (played)");
        harness.get_by_label("Confrontation");
        harness.get_by_label("4 (80%)");
        harness.get_by_label("Complex reflection (slower): 80% of the votes");
        harness.get_by_label("The class split here: no move had a majority");
        assert_eq!(
            harness.get_all_by_label("Best move found:").count(),
            2,
            "the best move beside each voted turn"
        );
        // The usual transcript stays below it.
        harness.get_by_label("Transcript");
        let button = harness.get_by_label("Export class results");
        assert!(
            button.rect().max.x <= size.0,
            "{size:?}: {:?}",
            button.rect()
        );
        button.click();
        harness.run();
        assert_eq!(harness.state().3, vec![UiAction::ExportClassResults]);
    }
    let written = vec![
        "exports/class-x.json".to_string(),
        "exports/class-x.csv".into(),
    ];
    let harness = class_debrief((1280.0, 800.0), Some(Ok(written)));
    harness.get_by_label("Class results written to:");
    harness.get_by_label("exports/class-x.csv");
    let harness = class_debrief((1280.0, 800.0), Some(Err("disk full".into())));
    harness.get_by_label("Could not export: disk full");
}
