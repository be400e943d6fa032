//! Assessment packs and the app's records: a pack taken headless and in the (windowless)
//! app, the learner asked once, assessment mode and the pack's seeds and pass mark
//! enforced, every attempt saved turn by turn, and interrupted attempts and sittings
//! resumed by a new app with nothing lost.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use attune::app::{PackDesk, Practice, Records, ScenarioLibrary, Screen};
use attune::assessment::{AssessmentPack, PackItem, Sitting, now_unix};
use attune::engine::Session;
use attune::model::Mode;
use attune::records::{
    AttemptPlan, AttemptResult, HashedLibrary, OpenAttempt, Played, Store, Verdict, verify_result,
};
use attune::scenario::Choice;
use attune::ui::UiAction;
use bevy::prelude::*;

use crate::app::{headless_app_with, screen, send, update_until};
use crate::common::{self, attune_command, root};

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("packs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A scenario's expert playthrough: its choices.
pub(crate) fn expert(stem: &str) -> Vec<Choice> {
    let prepared = common::library(stem);
    prepared
        .scenario
        .playthroughs
        .iter()
        .find(|p| p.name.starts_with("expert"))
        .unwrap_or_else(|| panic!("{stem} has an expert playthrough"))
        .choices
        .clone()
}

const PACK: &str = r#"AssessmentPack(
    id: "test-pack",
    title: "Test pack",
    class_id: "CLASS-7",
    pass_mark: 65,
    time_limit_minutes: 30,
    scenarios: [
        (scenario: "dan-mandated-anger", seed: 11),
        (scenario: "tom-panic-exposure", seed: 5),
    ],
)"#;

/// `attune` with the test's own records under `d/data`.
fn attune_in(d: &Path) -> std::process::Command {
    let mut c = attune_command();
    c.env("ATTUNE_DATA_DIR", d.join("data"));
    c
}

fn write_pack(d: &Path, text: &str) -> PathBuf {
    let path = d.join("pack.ron");
    std::fs::write(&path, text).unwrap();
    path
}

fn write_script(d: &Path, name: &str, choices: &[Choice]) -> PathBuf {
    let path = d.join(format!("{name}.ron"));
    std::fs::write(&path, ron::to_string(&choices).unwrap()).unwrap();
    path
}

/// A JSON value as it reads back from its text, as the records database keeps it.
fn through_text(v: &serde_json::Value) -> serde_json::Value {
    serde_json::from_str(&v.to_string()).unwrap()
}

fn library() -> HashedLibrary {
    HashedLibrary::scan(&common::library_files())
}

#[test]
fn a_pack_taken_headless_records_each_client_with_the_pack_and_verifies() {
    let d = dir("headless");
    let pack = write_pack(&d, PACK);
    let dan = write_script(&d, "dan", &expert("dan-mandated-anger"));
    let tom = write_script(&d, "tom", &expert("tom-panic-exposure"));
    let results = d.join("results");
    let out = attune_in(&d)
        .args([
            "play",
            "--pack",
            pack.to_str().unwrap(),
            "--learner",
            " Ann Lee ",
        ])
        .args([
            "--script",
            dan.to_str().unwrap(),
            "--script",
            tom.to_str().unwrap(),
        ])
        .args(["--result", results.to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1. dan-mandated-anger: "), "{stdout}");
    assert!(stdout.contains("2. tom-panic-exposure: "), "{stdout}");
    assert!(stdout.contains("Ann Lee: passed"), "{stdout}");

    let store = Store::open(&d.join("data/records.sqlite")).unwrap();
    let recorded = store.results().unwrap();
    assert_eq!(recorded.len(), 2);
    assert!(
        store.open_sittings().unwrap().is_empty(),
        "the sitting is closed"
    );
    let library = library();
    for (r, (id, seed)) in recorded
        .iter()
        .zip([("dan-mandated-anger", 11), ("tom-panic-exposure", 5)])
    {
        assert_eq!(r.scenario.id, id);
        assert_eq!(r.seed, seed, "the pack's seed is used");
        assert_eq!(r.mode, Mode::Assessment);
        assert_eq!(
            r.learner.as_deref(),
            Some("Ann Lee"),
            "trimmed, once for both"
        );
        let pack = r.pack.as_ref().expect("the result names its pack");
        assert_eq!(
            (pack.id.as_str(), pack.class_id.as_str()),
            ("test-pack", "CLASS-7")
        );
        assert_eq!(
            r.summary["pass_mark"].as_f64(),
            Some(65.0),
            "the pack's pass mark"
        );
        assert_eq!(verify_result(&r.to_json(), &library), Verdict::Verified);
    }
    // The result files verify from the command line too.
    let files: Vec<PathBuf> = std::fs::read_dir(&results)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 2);
    let out = attune_command()
        .arg("verify")
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // The class's report and the spreadsheet export know the pack and the class.
    let with_data = |args: &[&str]| attune_in(&d).args(args).output().unwrap();
    let report = d.join("report");
    let out = with_data(&[
        "report",
        "--class",
        "CLASS-7",
        "--out",
        report.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(report.join("report.html")).unwrap();
    assert!(html.contains("class CLASS-7"), "the report names its class");
    let out = with_data(&[
        "report",
        "--class",
        "OTHER",
        "--out",
        report.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no results for class `OTHER`"));
    let csv = d.join("csv");
    let out = with_data(&["export", "--format", "csv", "--out", csv.to_str().unwrap()]);
    assert!(out.status.success());
    let attempts = std::fs::read_to_string(csv.join("attempts.csv")).unwrap();
    assert!(
        attempts
            .lines()
            .next()
            .unwrap()
            .ends_with(",pack_id,class_id")
    );
    assert_eq!(
        attempts
            .lines()
            .filter(|l| l.ends_with(",test-pack,CLASS-7"))
            .count(),
        2,
        "{attempts}"
    );
}

#[test]
fn a_pack_result_with_its_pass_mark_edited_is_rejected() {
    let library = library();
    let prepared = common::library("dan-mandated-anger");
    let session = common::play(
        &std::sync::Arc::new(prepared.with_pass_mark(90.0)),
        3,
        &expert("dan-mandated-anger"),
    );
    let hash = library
        .scenarios
        .iter()
        .find(|s| s.prepared.scenario.meta.id == "dan-mandated-anger")
        .unwrap()
        .content_hash
        .clone();
    let sitting = Sitting::new(
        AssessmentPack {
            id: "p".into(),
            title: "P".into(),
            class_id: "C".into(),
            pass_mark: 90.0,
            time_limit_minutes: None,
            instructions: String::new(),
            words: Default::default(),
            scenarios: vec![PackItem {
                scenario: "dan-mandated-anger".into(),
                seed: 3,
                content_hash: None,
            }],
        },
        "p.ron".into(),
        "Ann".into(),
        0,
    );
    let result = AttemptResult::of(
        &session,
        "dan-mandated-anger.ron",
        hash,
        Mode::Assessment,
        Some("Ann".into()),
        attune::records::clock::now_rfc3339(),
        attune::records::Played::Script,
    )
    .in_pack(sitting.pack_ref(1));
    assert_eq!(
        result.summary["passed"], false,
        "78.5 is below a pass mark of 90"
    );
    assert_eq!(
        verify_result(&result.to_json(), &library),
        Verdict::Verified
    );
    // Lowering the pack's pass mark in the file does not turn it into a pass: by hand it
    // breaks the seal; sealed afresh, the replay with that mark differs.
    let mut forged = result.clone();
    forged.pack.as_mut().unwrap().pass_mark = 60.0;
    assert!(matches!(
        verify_result(&forged.to_json(), &library),
        Verdict::SealBroken(_)
    ));
    assert!(matches!(
        verify_result(&forged.sealed().to_json(), &library),
        Verdict::Differs(_)
    ));
}

#[test]
fn a_pack_naming_an_unknown_scenario_is_refused_at_its_line() {
    let d = dir("unknown");
    let pack = write_pack(
        &d,
        &PACK.replace("tom-panic-exposure", "tom-panic-exposrue"),
    );
    let out = attune_in(&d)
        .args(["play", "--pack", pack.to_str().unwrap(), "--learner", "Ann"])
        .args(["--script", "a.ron", "--script", "b.ron"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("pack.ron:9:"), "{stderr}");
    assert!(
        stderr.contains("no scenario with id `tom-panic-exposrue`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `tom-panic-exposure`?"),
        "{stderr}"
    );
    assert!(!d.join("data/records.sqlite").exists(), "nothing recorded");
}

// ---- the app, windowless ----

/// The windowless app on the real library, fully loaded, saving attempts in `records`.
pub(crate) fn app_with(records: &Path) -> App {
    let mut app = headless_app_with(&root().join("scenarios"), false, records.to_path_buf());
    let expected = common::library_files().len();
    update_until(&mut app, "the library", |w| {
        let lib = w.resource::<ScenarioLibrary>();
        lib.entries.len() == expected && lib.entries.iter().all(|e| e.scenario.is_some())
    });
    app
}

fn turns(app: &App) -> usize {
    app.world()
        .resource::<Practice>()
        .run
        .as_ref()
        .map_or(0, |r| r.run.session().turns().len())
}

fn key(stem: &str) -> String {
    format!("scenarios/{stem}.ron")
}

#[test]
fn the_app_saves_each_turn_and_a_new_app_resumes_an_interrupted_attempt_with_nothing_lost() {
    let d = dir("app-resume");
    let db = d.join("records.sqlite");
    let script = expert("dan-mandated-anger");
    {
        let mut app = app_with(&db);
        send(&mut app, UiAction::OpenBriefing(key("dan-mandated-anger")));
        send(
            &mut app,
            UiAction::Start {
                mode: Mode::Practice,
                seed: 7,
            },
        );
        for choice in &script[..4] {
            send(&mut app, UiAction::Play(choice.clone()));
            // Each turn is in the database the moment it is played.
            let saved = Store::open(&db).unwrap().unfinished().unwrap()[0]
                .choices
                .len();
            assert_eq!(saved, turns(&app));
        }
        // The app goes away mid-session without finishing anything.
    }
    let mut app = app_with(&db);
    send(&mut app, UiAction::BackToLibrary);
    let records = app.world().resource::<Records>();
    assert_eq!(records.unfinished.len(), 1, "offered on the library");
    let interrupted = records.unfinished[0].clone();
    assert_eq!(interrupted.choices, script[..4].to_vec());
    send(&mut app, UiAction::ResumeAttempt(interrupted.id.clone()));
    assert_eq!(screen(&app), Screen::Session);
    assert_eq!(turns(&app), 4, "the saved turns are back");
    for choice in &script[4..] {
        send(&mut app, UiAction::Play(choice.clone()));
    }
    assert_eq!(screen(&app), Screen::Debrief);

    let store = Store::open(&db).unwrap();
    assert!(store.unfinished().unwrap().is_empty());
    let results = store.results().unwrap();
    assert_eq!(results.len(), 1);
    let uninterrupted = common::play(&common::library("dan-mandated-anger"), 7, &script);
    let (turns_json, summary) = attune::records::result::outcome_values(&uninterrupted);
    assert_eq!(
        results[0].turns,
        through_text(&turns_json),
        "every turn as if never interrupted"
    );
    assert_eq!(results[0].summary, through_text(&summary));
    assert_eq!(
        verify_result(&results[0].to_json(), &library()),
        Verdict::Verified
    );
}

#[test]
fn a_practice_attempt_can_be_discarded_but_an_assessment_attempt_cannot() {
    let d = dir("app-discard");
    let db = d.join("records.sqlite");
    {
        let mut app = app_with(&db);
        for mode in [Mode::Practice, Mode::Assessment] {
            send(&mut app, UiAction::OpenBriefing(key("tom-panic-exposure")));
            send(&mut app, UiAction::Start { mode, seed: 1 });
            send(
                &mut app,
                UiAction::Play(common::choice("complex_reflection")),
            );
            // Leave without ending: a crash, as far as the records can tell.
            app.world_mut().resource_mut::<Records>().abandon();
            app.world_mut().resource_mut::<Practice>().run = None;
        }
    }
    let mut app = app_with(&db);
    send(&mut app, UiAction::BackToLibrary);
    let open = app.world().resource::<Records>().unfinished.clone();
    assert_eq!(open.len(), 2);
    for u in &open {
        send(&mut app, UiAction::DiscardAttempt(u.id.clone()));
    }
    let left = app.world().resource::<Records>().unfinished.clone();
    assert_eq!(left.len(), 1);
    assert_eq!(
        left[0].mode,
        Mode::Assessment,
        "an assessment is never thrown away"
    );
}

fn open_pack(app: &mut App, d: &Path, text: &str) {
    let pack = write_pack(d, text);
    send(app, UiAction::OpenPack(pack.display().to_string()));
    assert_eq!(screen(app), Screen::Pack);
}

#[test]
fn a_pack_in_the_app_asks_the_learner_once_and_plays_every_client_in_assessment_mode() {
    let d = dir("app-pack");
    let db = d.join("records.sqlite");
    let mut app = app_with(&db);
    open_pack(&mut app, &d, PACK);

    send(&mut app, UiAction::BeginSitting("   ".into()));
    assert_eq!(screen(&app), Screen::Pack, "an empty name is refused");
    assert!(app.world().resource::<PackDesk>().learner_problem.is_some());

    send(&mut app, UiAction::BeginSitting("Ann Lee".into()));
    for (stem, seed) in [("dan-mandated-anger", 11), ("tom-panic-exposure", 5)] {
        assert_eq!(screen(&app), Screen::Briefing);
        assert_eq!(
            app.world().resource::<Practice>().selected.as_deref(),
            Some(key(stem).as_str()),
            "the pack's clients in order"
        );
        // Whatever mode and seed the screen asks for, the pack's apply.
        send(
            &mut app,
            UiAction::Start {
                mode: Mode::Practice,
                seed: 999,
            },
        );
        {
            let run = &app.world().resource::<Practice>().run.as_ref().unwrap().run;
            assert_eq!(run.mode, Mode::Assessment);
            assert_eq!(run.session().seed(), seed);
            assert_eq!(run.session().prepared().pass_mark(), 65.0);
        }
        send(&mut app, UiAction::Rewind(0));
        assert_eq!(
            app.world()
                .resource::<Practice>()
                .run
                .as_ref()
                .unwrap()
                .run
                .branches
                .len(),
            1,
            "no rewind"
        );
        for choice in expert(stem) {
            send(&mut app, UiAction::Play(choice));
        }
        assert_eq!(screen(&app), Screen::Pack, "no debrief between clients");
        if stem.starts_with("dan") {
            send(&mut app, UiAction::NextClient);
        }
    }
    let desk = app.world().resource::<PackDesk>();
    let sitting = desk.sitting.as_ref().unwrap();
    assert_eq!(sitting.done.len(), 2);
    assert!(sitting.is_complete(attune::assessment::now_unix()));

    let store = Store::open(&db).unwrap();
    assert!(
        store.open_sittings().unwrap().is_empty(),
        "the sitting is closed"
    );
    let results = store.results().unwrap();
    assert_eq!(results.len(), 2);
    for r in &results {
        assert_eq!(r.learner.as_deref(), Some("Ann Lee"));
        assert_eq!(r.pack.as_ref().unwrap().sitting, sitting.id);
        assert_eq!(verify_result(&r.to_json(), &library()), Verdict::Verified);
    }

    // At the end each client can be reviewed in the debrief, and "back" returns to the pack.
    let tom = sitting.done[1].attempt_id.clone();
    send(&mut app, UiAction::ReviewAttempt(tom));
    assert_eq!(screen(&app), Screen::Debrief);
    {
        let run = &app.world().resource::<Practice>().run.as_ref().unwrap().run;
        assert_eq!(run.mode, Mode::Assessment, "reviewed without rewind");
        let summary = serde_json::to_value(run.session().summary()).unwrap();
        assert_eq!(through_text(&summary), results[1].summary);
    }
    send(&mut app, UiAction::BackToLibrary);
    assert_eq!(screen(&app), Screen::Pack);
}

#[test]
fn a_sitting_interrupted_mid_client_resumes_with_its_learner_and_clients_done() {
    let d = dir("app-sitting");
    let db = d.join("records.sqlite");
    let tom = expert("tom-panic-exposure");
    {
        let mut app = app_with(&db);
        open_pack(&mut app, &d, PACK);
        send(&mut app, UiAction::BeginSitting("Ann Lee".into()));
        send(
            &mut app,
            UiAction::Start {
                mode: Mode::Assessment,
                seed: 1,
            },
        );
        for choice in expert("dan-mandated-anger") {
            send(&mut app, UiAction::Play(choice));
        }
        send(&mut app, UiAction::NextClient);
        send(
            &mut app,
            UiAction::Start {
                mode: Mode::Assessment,
                seed: 1,
            },
        );
        for choice in &tom[..3] {
            send(&mut app, UiAction::Play(choice.clone()));
        }
    }
    let mut app = app_with(&db);
    send(&mut app, UiAction::BackToLibrary);
    let records = app.world().resource::<Records>();
    assert!(
        records.unfinished.is_empty(),
        "the attempt is offered with its sitting"
    );
    assert_eq!(records.open_sittings.len(), 1);
    let sitting = records.open_sittings[0].clone();
    assert_eq!(sitting.learner, "Ann Lee");
    assert_eq!(sitting.done.len(), 1, "Dan is done");
    assert_eq!(
        records.in_sittings.len(),
        1,
        "Tom's session is under way in it"
    );
    assert_eq!(records.in_sittings[0].0, sitting.id);
    assert_eq!(records.in_sittings[0].1.choices.len(), 3);

    send(&mut app, UiAction::ResumeSitting(sitting.id.clone()));
    assert_eq!(screen(&app), Screen::Session);
    assert_eq!(turns(&app), 3);
    for choice in &tom[3..] {
        send(&mut app, UiAction::Play(choice.clone()));
    }
    assert_eq!(screen(&app), Screen::Pack);
    let store = Store::open(&db).unwrap();
    assert!(store.open_sittings().unwrap().is_empty());
    let results = store.results().unwrap();
    assert_eq!(results.len(), 2);
    let tom_result = &results[1];
    assert_eq!(
        tom_result.learner.as_deref(),
        Some("Ann Lee"),
        "not asked again"
    );
    assert_eq!(tom_result.pack.as_ref().unwrap().position, 2);
    let uninterrupted = common::play(
        &std::sync::Arc::new(common::library("tom-panic-exposure").with_pass_mark(65.0)),
        5,
        &tom,
    );
    assert_eq!(
        tom_result.summary,
        through_text(&attune::records::result::outcome_values(&uninterrupted).1)
    );
}

#[test]
fn when_the_time_is_up_the_running_session_ends_and_the_sitting_is_over() {
    let d = dir("app-time");
    let db = d.join("records.sqlite");
    // A one-minute sitting begun 58 seconds ago, left at its first client.
    let pack: AssessmentPack = attune::source::ron_options()
        .from_str(&PACK.replace("time_limit_minutes: 30", "time_limit_minutes: 1"))
        .unwrap();
    let sitting = Sitting::new(
        pack,
        "pack.ron".into(),
        "Ann".into(),
        attune::assessment::now_unix() - 58,
    );
    Store::open(&db).unwrap().begin_sitting(&sitting).unwrap();

    let mut app = app_with(&db);
    send(&mut app, UiAction::BackToLibrary);
    send(&mut app, UiAction::ResumeSitting(sitting.id.clone()));
    assert_eq!(screen(&app), Screen::Pack);
    send(&mut app, UiAction::NextClient);
    send(
        &mut app,
        UiAction::Start {
            mode: Mode::Assessment,
            seed: 1,
        },
    );
    send(
        &mut app,
        UiAction::Play(common::choice("complex_reflection")),
    );
    assert_eq!(screen(&app), Screen::Session);
    let start = Instant::now();
    while screen(&app) == Screen::Session {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the clock ends the session"
        );
        app.update();
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(screen(&app), Screen::Pack);
    let store = Store::open(&db).unwrap();
    let results = store.results().unwrap();
    assert_eq!(results.len(), 1, "the session cut short is saved");
    assert_eq!(
        results[0].summary["passed"], false,
        "a session ended early never passes"
    );
    assert!(
        store.open_sittings().unwrap().is_empty(),
        "the sitting is over"
    );
}

#[test]
fn time_running_out_on_a_briefing_or_while_the_app_is_closed_ends_the_sitting() {
    let d = dir("app-time-closed");
    let db = d.join("records.sqlite");
    let pack: AssessmentPack = attune::source::ron_options()
        .from_str(&PACK.replace("time_limit_minutes: 30", "time_limit_minutes: 1"))
        .unwrap();
    let now = attune::assessment::now_unix();
    // One sitting whose minute ran out while the app was closed, one with two seconds left.
    let over = Sitting::new(pack.clone(), "pack.ron".into(), "Ann".into(), now - 120);
    let nearly = Sitting::new(pack, "pack.ron".into(), "Bo".into(), now - 58);
    let store = Store::open(&db).unwrap();
    store.begin_sitting(&over).unwrap();
    store.begin_sitting(&nearly).unwrap();

    let mut app = app_with(&db);
    send(&mut app, UiAction::BackToLibrary);
    send(&mut app, UiAction::ResumeSitting(over.id.clone()));
    assert_eq!(screen(&app), Screen::Pack);
    let left: Vec<String> = store
        .open_sittings()
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(
        left,
        vec![nearly.id.clone()],
        "the sitting out of time is closed"
    );

    send(&mut app, UiAction::BackToLibrary);
    send(&mut app, UiAction::ResumeSitting(nearly.id.clone()));
    send(&mut app, UiAction::NextClient);
    assert_eq!(screen(&app), Screen::Briefing);
    std::thread::sleep(Duration::from_secs(3));
    send(
        &mut app,
        UiAction::Start {
            mode: Mode::Practice,
            seed: 1,
        },
    );
    assert_eq!(
        screen(&app),
        Screen::Pack,
        "no session begins once the time is up"
    );
    assert!(app.world().resource::<Practice>().run.is_none());
    assert!(store.unfinished().unwrap().is_empty(), "nothing was begun");
    assert!(store.open_sittings().unwrap().is_empty());
}

#[test]
fn a_bad_script_for_a_later_client_records_nothing() {
    let d = dir("bad-script");
    let pack = write_pack(&d, PACK);
    let dan = write_script(&d, "dan", &expert("dan-mandated-anger"));
    let tom = d.join("tom.ron");
    std::fs::write(&tom, r#"[(technique: "complex_reflectoin")]"#).unwrap();
    let out = attune_in(&d)
        .args(["play", "--pack", pack.to_str().unwrap(), "--learner", "Ann"])
        .args([
            "--script",
            dan.to_str().unwrap(),
            "--script",
            tom.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("tom.ron:1:"), "{stderr}");
    assert!(
        stderr.contains("complex_reflection"),
        "the suggestion: {stderr}"
    );
    assert!(
        !d.join("data/records.sqlite").exists(),
        "no sitting was begun"
    );
}

const THREE_CLIENTS: &str = r#"AssessmentPack(
    id: "three-clients",
    title: "Three clients",
    class_id: "CLASS-9",
    pass_mark: 60,
    scenarios: [
        (scenario: "dan-mandated-anger", seed: 11),
        (scenario: "maria-depression-risk", seed: 23),
        (scenario: "tom-panic-exposure", seed: 5),
    ],
)"#;

/// The rows after the header of a CSV table, each cell unquoted (RFC 4180).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    rows.split_off(1)
}

/// Takes the pack headless for a learner with these scripts, its results in `results`.
fn sit(d: &Path, pack: &Path, learner: &str, scripts: &[PathBuf], results: &Path) {
    let out = attune_in(d)
        .args([
            "play",
            "--pack",
            pack.to_str().unwrap(),
            "--learner",
            learner,
        ])
        .args(
            scripts
                .iter()
                .flat_map(|s| ["--script".as_ref(), s.as_os_str()]),
        )
        .args(["--result".as_ref(), results.as_os_str()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The assessor's folder: one subfolder per learner (a learner who sat the pack twice has
/// two), exactly as `play --pack --result` writes it. `verify` and `report` take the folder
/// whole; the report's gradebook shows each learner's score per client, pass or not and
/// why not, the best and the latest of several attempts, and the same rows as CSV.
#[test]
fn report_and_verify_accept_the_folder_layout_play_pack_result_writes() {
    let d = dir("gradebook");
    let pack = write_pack(&d, THREE_CLIENTS);
    let stems = [
        "dan-mandated-anger",
        "maria-depression-risk",
        "tom-panic-exposure",
    ];
    let experts: Vec<PathBuf> = stems
        .iter()
        .map(|s| write_script(&d, &format!("{s}-expert"), &expert(s)))
        .collect();
    let poor_choices = vec![Choice::new("confrontation"); 12];
    let poor: Vec<PathBuf> = stems
        .iter()
        .map(|s| write_script(&d, &format!("{s}-poor"), &poor_choices))
        .collect();
    let results = d.join("results");
    sit(&d, &pack, "Ann Lee", &experts, &results.join("ann"));
    sit(&d, &pack, "Bo Chen", &experts, &results.join("bo-1"));
    sit(&d, &pack, "Bo Chen", &poor, &results.join("bo-2"));
    sit(&d, &pack, "Cy Diaz", &poor, &results.join("cy"));

    let out = attune_command()
        .arg("verify")
        .arg(&results)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.starts_with("verified  "))
            .count(),
        12,
        "a line per file: {stdout}"
    );
    assert!(
        stdout.contains("12 results: 12 verified, 0 rejected"),
        "{stdout}"
    );

    let report = d.join("report");
    let out = attune_command()
        .arg("report")
        .arg(&results)
        .args(["--out".as_ref(), report.as_os_str()])
        .output()
        .unwrap();
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        summary.starts_with("12 attempts by 3 learners"),
        "{summary}"
    );
    assert!(summary.contains("Ann Lee"), "{summary}");

    let csv = std::fs::read_to_string(report.join("gradebook.csv")).unwrap();
    let rows = csv_rows(&csv);
    let of = |learner: &str| rows.iter().filter(|r| r[0] == learner).collect::<Vec<_>>();
    assert_eq!(of("Ann Lee").len(), 3, "{csv}");
    assert!(
        of("Ann Lee").iter().all(|r| r[5] == "only attempt"),
        "{csv}"
    );
    // Bo sat twice, the second time worse: the best and the latest of each client.
    let bo = of("Bo Chen");
    assert_eq!(bo.len(), 6, "{csv}");
    for stem in stems {
        let shown: Vec<&str> = bo
            .iter()
            .filter(|r| r[1] == stem)
            .map(|r| r[5].as_str())
            .collect();
        assert_eq!(shown, ["best of 2", "latest of 2"], "{csv}");
    }
    // Cy's fails say why.
    let cy = of("Cy Diaz");
    assert!(
        cy.iter().all(|r| r[9] == "no" && !r[10].is_empty()),
        "{csv}"
    );
    assert!(
        cy.iter()
            .any(|r| r[1] == "maria-depression-risk" && r[10].contains("Safety gate failed")),
        "{csv}"
    );

    let html = std::fs::read_to_string(report.join("report.html")).unwrap();
    assert!(html.contains("<table class=\"sortable\" id=\"attempts\">"));
    assert!(html.contains("<button type=\"button\">Score</button>"));
    assert!(html.contains("<script>") && !html.contains("http"));
    for learner in ["Ann Lee", "Bo Chen", "Cy Diaz"] {
        assert!(html.contains(learner), "{learner} is in the gradebook");
    }
    assert!(html.contains("best of 2") && html.contains("latest of 2"));
    assert!(
        html.contains("12 attempts by 3 learners, from 12 result files in ")
            && html.contains("(with subfolders)")
    );
}

#[test]
fn resume_from_the_command_line_finishes_a_packs_client_in_its_sitting_with_its_pass_mark() {
    let d = dir("cli-resume-sitting");
    let db = d.join("data/records.sqlite");
    let pack: AssessmentPack = attune::source::ron_options().from_str(PACK).unwrap();
    let mut store = Store::open(&db).unwrap();
    let sitting = Sitting::new(pack, "pack.ron".into(), "Ann".into(), now_unix());
    store.begin_sitting(&sitting).unwrap();

    // Dan, the pack's first client, played for three turns and then killed.
    let library = library();
    let dan = library
        .scenarios
        .iter()
        .find(|s| s.prepared.scenario.meta.id == "dan-mandated-anger")
        .unwrap();
    let meeting = sitting
        .meet("dan-mandated-anger", &dan.content_hash, now_unix())
        .unwrap();
    let mut session = Session::new(sitting.scored_by_pack(&dan.prepared), meeting.item.seed);
    let plan = AttemptPlan {
        file: "dan-mandated-anger.ron".into(),
        content_hash: dan.content_hash.clone(),
        mode: Mode::Assessment,
        learner: Some("Ann".into()),
        pack: Some(sitting.pack_ref(meeting.position)),
        played: Played::Script,
        continues: None,
    };
    let mut attempt =
        OpenAttempt::begin(&mut store, &session, plan, "2026-12-06T09:00:00Z".into()).unwrap();
    let choices = expert("dan-mandated-anger");
    for c in &choices[..3] {
        session.apply(c).unwrap();
    }
    attempt.save_turns(&mut store, &session).unwrap();
    drop((attempt, store));

    let script = write_script(&d, "dan", &choices);
    let out = attune_in(&d)
        .args(["resume", &only_unfinished(&db), "--script"])
        .arg(&script)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));

    let store = Store::open(&db).unwrap();
    let results = store.results().unwrap();
    assert_eq!(results.len(), 1);
    let result = &results[0];
    assert_eq!(
        result.pack,
        Some(sitting.pack_ref(1)),
        "still the pack's client"
    );
    assert_eq!(
        result.summary["pass_mark"], 65.0,
        "scored with the pack's pass mark"
    );
    assert_eq!(result.choices, choices[..result.choices.len()]);
    assert_eq!(
        verify_result(&result.to_json(), &library),
        Verdict::Verified
    );
    assert_eq!(
        store.open_sittings().unwrap()[0].done.len(),
        1,
        "the sitting counts the client done"
    );
}

/// The id of the only attempt left unfinished in the database.
fn only_unfinished(db: &Path) -> String {
    let open = Store::open(db).unwrap().unfinished().unwrap();
    assert_eq!(open.len(), 1);
    open[0].id.clone()
}

/// `words: Required`: every move of every script needs the learner's own words. A step
/// without them is refused, naming its client and step, before the sitting is recorded;
/// with words everywhere the pack is taken and the words are kept with each move.
#[test]
fn a_pack_requiring_words_refuses_a_step_without_them_before_recording_anything() {
    let d = dir("words-required");
    let pack = write_pack(
        &d,
        &PACK.replace("    scenarios:", "    words: Required,\n    scenarios:"),
    );
    let with_words = |stem: &str| -> Vec<Choice> {
        expert(stem)
            .into_iter()
            .enumerate()
            .map(|(i, c)| Choice {
                say: Some(format!("My words for move {}.", i + 1)),
                ..c
            })
            .collect()
    };
    let dan = write_script(&d, "dan", &with_words("dan-mandated-anger"));
    let mut tom_choices = with_words("tom-panic-exposure");
    tom_choices[1].say = None;
    let tom = write_script(&d, "tom", &tom_choices);
    let take = |tom: &Path| {
        attune_in(&d)
            .args(["play", "--pack", pack.to_str().unwrap(), "--learner", "Ann"])
            .args(["--script", dan.to_str().unwrap()])
            .args(["--script", tom.to_str().unwrap()])
            .output()
            .unwrap()
    };
    let out = take(&tom);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("client `tom-panic-exposure`'s step 2 has none"),
        "{stderr}"
    );
    assert!(stderr.contains("tom.ron"), "{stderr}");
    assert!(
        !d.join("data/records.sqlite").exists(),
        "no sitting was begun"
    );

    let tom = write_script(&d, "tom", &with_words("tom-panic-exposure"));
    let out = take(&tom);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = Store::open(&d.join("data/records.sqlite")).unwrap();
    let recorded = store.results().unwrap();
    assert_eq!(recorded.len(), 2);
    for r in &recorded {
        assert!(
            r.choices.iter().all(|c| c.words().is_some()),
            "the words are kept with every move of {}",
            r.scenario.id
        );
    }
}
