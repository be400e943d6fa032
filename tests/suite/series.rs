//! Priya across sessions in the headless app: a learner plays session 1, and session 2
//! starts where their attempt left her (alliance, stage, flags as the carry rules say), with
//! the not-on-track warning after a poor session 1 and none after a good one.

use std::path::PathBuf;
use std::sync::Arc;

use attune::app::records::Records;
use attune::app::series::SeriesDesk;
use attune::app::{Practice, ScenarioLibrary, Screen};
use attune::engine::{Session, continue_from};
use attune::model::Mode;
use attune::scenario::Choice;
use attune::ui::UiAction;
use bevy::prelude::*;

use crate::app::{headless_app_with, screen, send, update_until};
use crate::common;

const S1: &str = "scenarios/priya-gad-session-1.ron";
const S2: &str = "scenarios/priya-gad-session-2.ron";
const S3: &str = "scenarios/priya-gad-session-3.ron";

fn records_path(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("series-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir.join("records.sqlite")
}

/// Session 1's own playthrough whose name begins with `name`: its seed and choices.
fn playthrough(name: &str) -> (u64, Vec<Choice>) {
    let prepared = common::library("priya-gad-session-1");
    let play = prepared
        .scenario
        .playthroughs
        .iter()
        .find(|p| p.name.starts_with(name))
        .unwrap();
    (play.seed, play.choices.clone())
}

fn app_for(learner: &str) -> App {
    let mut app = headless_app_with(
        &common::root().join("scenarios"),
        false,
        records_path(learner),
    );
    app.world_mut().resource_mut::<Records>().practice_learner = Some(learner.to_string());
    update_until(&mut app, "Priya's sessions", |w| {
        let library = w.resource::<ScenarioLibrary>();
        [S1, S2, S3]
            .iter()
            .all(|k| library.get(k).is_some_and(|e| e.scenario.is_some()))
    });
    app
}

fn session(app: &App) -> &Session {
    app.world()
        .resource::<Practice>()
        .run
        .as_ref()
        .unwrap()
        .run
        .session()
}

/// Plays session 1 in the app to its end and goes back to the library; returns the core's
/// own session 1 played the same way.
fn play_session_1(app: &mut App, name: &str) -> Session {
    let (seed, choices) = playthrough(name);
    send(app, UiAction::OpenBriefing(S1.into()));
    send(
        app,
        UiAction::Start {
            mode: Mode::Practice,
            seed,
        },
    );
    for choice in &choices {
        if session(app).ended().is_some() || screen(app) != Screen::Session {
            break;
        }
        send(app, UiAction::Play(choice.clone()));
    }
    assert_eq!(screen(app), Screen::Debrief);
    let played = session(app).clone();
    send(app, UiAction::BackToLibrary);
    played
}

fn start_session_2(app: &mut App, seed: u64) {
    start_session(app, S2, seed);
}

/// Opens the briefing of the session in the file `key` and starts it with `seed`.
fn start_session(app: &mut App, key: &str, seed: u64) {
    send(app, UiAction::OpenBriefing(key.into()));
    send(
        app,
        UiAction::Start {
            mode: Mode::Practice,
            seed,
        },
    );
    assert_eq!(screen(app), Screen::Session);
}

#[test]
fn session_2_starts_where_a_poor_session_1_left_her_with_the_not_on_track_warning() {
    let mut app = app_for("Ann");
    let before = play_session_1(&mut app, "novice");
    start_session_2(&mut app, 5);
    let expected = continue_from(&common::library("priya-gad-session-2"), &before, 5).unwrap();
    let now = session(&app).state();
    let carried = &expected.start.state;
    assert_eq!(now.alliance(), carried.alliance());
    assert_eq!(now.stage, carried.stage);
    assert!(now.stage < before.state().stage.max(attune::model::Stage::Action));
    assert_eq!(now.flags, carried.flags);
    assert!(!now.has_flag("formulation_shared"), "{:?}", now.flags);
    let note = app
        .world()
        .resource::<SeriesDesk>()
        .note
        .clone()
        .expect("the briefing speaks of last week");
    assert!(
        note.since_last_week.starts_with("Since last week"),
        "{note:?}"
    );
    let warning = note
        .not_on_track
        .expect("not on track after a poor session 1");
    assert!(warning.contains("Repair the alliance first"), "{warning}");
}

#[test]
fn after_a_good_session_1_session_2_carries_her_progress_and_gives_no_warning() {
    let mut app = app_for("Ben");
    let before = play_session_1(&mut app, "expert");
    start_session_2(&mut app, 5);
    let now = session(&app).state();
    assert_eq!(now.stage, before.state().stage);
    for flag in ["homework_agreed", "worry_beliefs_named"] {
        assert!(now.has_flag(flag), "{flag}: {:?}", now.flags);
    }
    let note = app.world().resource::<SeriesDesk>().note.clone().unwrap();
    assert_eq!(note.not_on_track, None, "{note:?}");
}

#[test]
fn with_no_earlier_attempt_session_2_starts_as_written_and_says_so() {
    let mut app = app_for("Cleo");
    start_session_2(&mut app, 5);
    let file = common::library("priya-gad-session-2");
    let plain = Session::new(Arc::clone(&file), 5);
    assert_eq!(session(&app).state().alliance(), plain.state().alliance());
    assert_eq!(session(&app).opening_line(), plain.opening_line());
    let note = app.world().resource::<SeriesDesk>().note.clone().unwrap();
    assert!(note.since_last_week.contains("not finished"), "{note:?}");
    assert_eq!(note.not_on_track, None);
}

#[test]
fn attune_check_names_a_carried_flag_never_set_and_a_session_followed_not_in_the_library() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("series-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let library = common::root().join("scenarios");
    let text = std::fs::read_to_string(library.join("priya-gad-session-2.ron")).unwrap();
    let bad_flag = dir.join("flag.ron");
    std::fs::write(
        &bad_flag,
        text.replacen("Flag(\"goal_agreed\")", "Flag(\"goal_agred\")", 1),
    )
    .unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("Flag(\"goal_agreed\")"))
        .unwrap()
        + 1;
    let bad_follows = dir.join("follows.ron");
    std::fs::write(
        &bad_follows,
        text.replacen(
            "follows: \"priya-gad-session-1\"",
            "follows: \"priya-gad-session-0\"",
            1,
        ),
    )
    .unwrap();
    let out = common::attune(&[
        "check",
        bad_flag.to_str().unwrap(),
        bad_follows.to_str().unwrap(),
        "--scenarios",
        library.to_str().unwrap(),
    ]);
    let said = common::stdout(&out);
    assert!(!out.status.success());
    assert!(
        said.contains(&format!(
            "flag.ron:{line}:23: error: the flag `goal_agred` is never set in `priya-gad-session-1`"
        )),
        "{said}"
    );
    assert!(said.contains("did you mean `goal_agreed`?"), "{said}");
    assert!(
        said.contains("follows `priya-gad-session-0`, which is not in the library"),
        "{said}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_briefing_shows_since_last_week_and_the_warning_only_when_given() {
    use attune::ui::briefing::{BriefingUi, SeriesNote};
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    let prepared = common::library("priya-gad-session-2");
    let state = BriefingUi {
        series: Some(SeriesNote {
            since_last_week: "Since last week: she kept the log for four days.".into(),
            not_on_track: Some("Not on track: repair the alliance first.".into()),
        }),
        ..BriefingUi::default()
    };
    let mut briefing = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, state: &mut BriefingUi| {
                attune::ui::briefing::show(ui, &prepared.scenario, state, 1, None);
            },
            state,
        );
    briefing.run();
    briefing.get_by_label("Since the last session");
    briefing.get_by_label("Since last week: she kept the log for four days.");
    briefing.get_by_label("Not on track: repair the alliance first.");
    briefing.state_mut().series = None;
    briefing.run();
    assert!(briefing.query_by_label("Since the last session").is_none());
    assert!(briefing.query_by_label_contains("Not on track").is_none());
}

/// The records database of `app_for(name)`, and the data folder it is in.
fn data_of(name: &str) -> (PathBuf, PathBuf) {
    let db = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("series-{name}-{}", std::process::id()))
        .join("records.sqlite");
    let data = db.parent().unwrap().to_path_buf();
    (db, data)
}

/// An app on the records of `app_for(name)`, kept (a new app after the last one was killed).
fn app_again(name: &str) -> App {
    let (db, _) = data_of(name);
    let mut app = headless_app_with(&common::root().join("scenarios"), false, db);
    app.world_mut().resource_mut::<Records>().practice_learner = Some(name.to_string());
    update_until(&mut app, "Priya's sessions", |w| {
        let library = w.resource::<ScenarioLibrary>();
        [S1, S2, S3]
            .iter()
            .all(|k| library.get(k).is_some_and(|e| e.scenario.is_some()))
    });
    app
}

/// Session 2's own first playthrough's choices.
fn session_2_moves() -> Vec<Choice> {
    common::library("priya-gad-session-2").scenario.playthroughs[0]
        .choices
        .clone()
}

/// Plays `moves` in the app's session while it goes on.
fn play_on(app: &mut App, moves: &[Choice]) {
    for choice in moves {
        if session(app).ended().is_some() || screen(app) != Screen::Session {
            break;
        }
        send(app, UiAction::Play(choice.clone()));
    }
}

/// What a session is, to compare a replay with the session as played.
fn as_played(s: &Session) -> String {
    format!("{:?} {:?} {:?}", s.turns(), s.state(), s.summary())
}

#[test]
fn a_continued_session_2_is_recorded_with_session_1_reviewed_as_played_and_both_verify() {
    let name = "Dana";
    let mut app = app_for(name);
    play_session_1(&mut app, "novice");
    start_session_2(&mut app, 5);
    assert!(
        session(&app).series_start().is_some(),
        "it continues session 1"
    );
    play_on(&mut app, &session_2_moves());
    if screen(&app) == Screen::Session {
        send(&mut app, UiAction::EndSession);
    }
    assert_eq!(screen(&app), Screen::Debrief);
    let played = as_played(session(&app));

    let (db, data) = data_of(name);
    let results = attune::records::Store::open(&db)
        .unwrap()
        .results()
        .unwrap();
    assert_eq!(results.len(), 2);
    let continues = results[1].continues.as_ref().expect("session 2 continues");
    assert_eq!(continues.scenario_id, "priya-gad-session-1");
    assert_eq!(continues.choices, results[0].choices);
    assert_eq!(continues.seed, results[0].seed);
    assert_eq!(results[0].continues, None);

    // Reviewed from the records: the same session, not one from the file's start.
    app.world_mut()
        .resource_mut::<NextState<Screen>>()
        .set(Screen::Pack);
    app.update();
    send(
        &mut app,
        UiAction::ReviewAttempt(results[1].attempt_id.clone().unwrap()),
    );
    assert_eq!(screen(&app), Screen::Debrief);
    assert_eq!(as_played(session(&app)), played);
    drop(app);

    let out_dir = data.join("exported");
    let library = common::root().join("scenarios");
    let lib = library.to_str().unwrap();
    let export = common::run_in(&data, &["export", "--out", out_dir.to_str().unwrap()]);
    assert!(export.status.success(), "{}", common::stderr(&export));
    let mut files: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    let mut args = vec!["verify", "--scenarios", lib];
    args.extend(files.iter().map(String::as_str));
    let verify = common::run_in(&data, &args);
    assert!(
        verify.status.success(),
        "{}{}",
        common::stdout(&verify),
        common::stderr(&verify)
    );

    // Without session 1 in the library, session 2 cannot be checked and is refused.
    let only_2 = data.join("only-2");
    std::fs::create_dir_all(&only_2).unwrap();
    std::fs::copy(
        common::root().join(S2),
        only_2.join("priya-gad-session-2.ron"),
    )
    .unwrap();
    let session_2_file = files
        .iter()
        .find(|f| f.contains("session-2"))
        .expect("session 2's result");
    let refused = common::run_in(
        &data,
        &[
            "verify",
            "--scenarios",
            only_2.to_str().unwrap(),
            session_2_file,
        ],
    );
    assert!(!refused.status.success());
    let said = common::stdout(&refused);
    assert!(
        said.contains("the session it continues (`priya-gad-session-1`"),
        "{said}"
    );
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn a_continued_session_2_killed_midway_resumes_as_it_was_in_the_app_and_from_the_command_line() {
    let name = "Eli";
    let moves = session_2_moves();
    let before_kill = {
        let mut app = app_for(name);
        play_session_1(&mut app, "novice");
        start_session_2(&mut app, 5);
        play_on(&mut app, &moves[..2]);
        as_played(session(&app))
        // The app goes away mid-session without finishing anything.
    };
    let mut app = app_again(name);
    send(&mut app, UiAction::BackToLibrary);
    let interrupted = app.world().resource::<Records>().unfinished[0].clone();
    assert_eq!(interrupted.scenario_id, "priya-gad-session-2");
    assert!(
        interrupted.continues.is_some(),
        "saved with what it continues"
    );
    send(&mut app, UiAction::ResumeAttempt(interrupted.id.clone()));
    assert_eq!(screen(&app), Screen::Session);
    assert_eq!(as_played(session(&app)), before_kill, "the same session");
    play_on(&mut app, &moves[2..3]);
    let one_more = as_played(session(&app));
    drop(app); // killed again

    // `attune resume` replays it from where it began and seals it as it stands.
    let (db, data) = data_of(name);
    let library = common::root().join("scenarios");
    let out = common::run_in(
        &data,
        &[
            "--scenarios",
            library.to_str().unwrap(),
            "resume",
            &interrupted.id,
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    let store = attune::records::Store::open(&db).unwrap();
    assert!(store.unfinished().unwrap().is_empty());
    let result = store.result_of(&interrupted.id).unwrap().unwrap();
    assert!(result.continues.is_some());
    let replayed = {
        let lib = attune::records::HashedLibrary::scan(&[
            common::root().join(S1),
            common::root().join(S2),
        ]);
        let find = |h: &str| lib.by_hash(h).map(|s| Arc::clone(&s.prepared));
        attune::records::replay_attempt(
            &common::library("priya-gad-session-2"),
            None,
            result.seed,
            &result.choices,
            result.continues.as_ref(),
            &find,
        )
        .unwrap()
        .whole()
        .unwrap()
    };
    assert_eq!(as_played(&replayed), one_more);
    let verdict = attune::records::verify_result(
        &result.to_json(),
        &attune::records::HashedLibrary::scan(&[common::root().join(S1), common::root().join(S2)]),
    );
    assert!(verdict.is_verified(), "{verdict:?}");
    let _ = std::fs::remove_dir_all(&data);
}

/// Plays `moves` in the app's session, ends it if the client is still there, and checks
/// the debrief is showing; returns the session as it ended.
fn finish(app: &mut App, moves: &[Choice]) -> Session {
    play_on(app, moves);
    if screen(app) == Screen::Session {
        send(app, UiAction::EndSession);
    }
    assert_eq!(screen(app), Screen::Debrief);
    session(app).clone()
}

#[test]
fn priya_1_2_3_as_one_learner_session_3_starts_where_session_2_left_her_and_verifies_through_the_chain()
 {
    let name = "Farah";
    let mut app = app_for(name);
    play_session_1(&mut app, "expert");
    start_session_2(&mut app, 5);
    let session_2 = finish(&mut app, &session_2_moves());
    send(&mut app, UiAction::BackToLibrary);

    // Session 3 starts where the learner's session 2 left Priya, three weeks on.
    start_session(&mut app, S3, 7);
    let file = common::library("priya-gad-session-3");
    let expected = continue_from(&file, &session_2, 7).unwrap();
    let now = session(&app);
    assert!(now.series_start().is_some(), "it continues session 2");
    let carried = &expected.start.state;
    assert_eq!(now.state().alliance(), carried.alliance());
    assert_eq!(now.state().distress, carried.distress);
    assert_eq!(now.state().hope, carried.hope);
    assert_eq!(now.state().stage, session_2.state().stage);
    assert_eq!(now.state().flags, carried.flags);
    assert!(now.state().has_flag("experiment_planned"));
    assert_ne!(
        now.state().alliance(),
        Session::new(Arc::clone(&file), 7).state().alliance(),
        "not the file's start"
    );
    assert_eq!(
        now.opening_line(),
        expected
            .start
            .opening_line
            .as_deref()
            .unwrap_or(&file.scenario.session.opening_line)
    );
    let note = app.world().resource::<SeriesDesk>().note.clone().unwrap();
    assert!(
        note.since_last_week.starts_with("Since last session"),
        "{note:?}"
    );
    assert_eq!(note.not_on_track, None, "on track after a good session 2");

    let session_3_moves = file.scenario.playthroughs[0].choices.clone();
    let played = as_played(&finish(&mut app, &session_3_moves));
    assert!(session(&app).summary().passed);
    drop(app);

    // Recorded with the whole chain: session 3 continues session 2, which continued 1.
    let (db, data) = data_of(name);
    let results = attune::records::Store::open(&db)
        .unwrap()
        .results()
        .unwrap();
    assert_eq!(results.len(), 3);
    let continues = results[2].continues.as_ref().expect("session 3 continues");
    assert_eq!(continues.scenario_id, "priya-gad-session-2");
    assert_eq!(continues.choices, results[1].choices);
    let earlier = continues
        .continues
        .as_ref()
        .expect("and session 2 continued 1");
    assert_eq!(earlier.scenario_id, "priya-gad-session-1");
    assert_eq!(earlier.choices, results[0].choices);

    // Replayed through the chain it is the session as played.
    let lib = attune::records::HashedLibrary::scan(&[
        common::root().join(S1),
        common::root().join(S2),
        common::root().join(S3),
    ]);
    let find = |h: &str| lib.by_hash(h).map(|s| Arc::clone(&s.prepared));
    let replayed = attune::records::replay_attempt(
        &file,
        None,
        results[2].seed,
        &results[2].choices,
        results[2].continues.as_ref(),
        &find,
    )
    .unwrap()
    .whole()
    .unwrap();
    assert_eq!(as_played(&replayed), played);

    // `attune export` and `attune verify`: session 3's result verifies on its own.
    let out_dir = data.join("exported");
    let library = common::root().join("scenarios");
    let export = common::run_in(&data, &["export", "--out", out_dir.to_str().unwrap()]);
    assert!(export.status.success(), "{}", common::stderr(&export));
    let session_3_file = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .find(|f| f.contains("session-3"))
        .expect("session 3's result exported");
    let verify = common::run_in(
        &data,
        &[
            "verify",
            "--scenarios",
            library.to_str().unwrap(),
            &session_3_file,
        ],
    );
    assert!(
        verify.status.success(),
        "{}{}",
        common::stdout(&verify),
        common::stderr(&verify)
    );
    let _ = std::fs::remove_dir_all(&data);
}
