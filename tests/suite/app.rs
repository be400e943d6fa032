//! The app without a window: Bevy with `MinimalPlugins`, states and assets, the scenario
//! library loaded from disk, and whole sessions played through the app's own messages.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use attune::app::{AppCommand, CorePlugin, LibraryLocation, Practice, ScenarioLibrary, Screen};
use attune::engine::transcript;
use attune::model::Mode;
use attune::scenario::{Choice, parse_script};
use attune::ui::UiAction;
use bevy::prelude::*;
use bevy::state::app::StatesPlugin;

use crate::common;

const DAN: &str = "dan-mandated-anger.ron";

/// A private copy of the library, so a test can edit files without touching the real one.
fn library_copy(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("app-{name}-{}", std::process::id()))
        .join("scenarios");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(common::root().join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    dir
}

fn headless_app(scenarios: &Path, watch: bool) -> App {
    headless_app_with(scenarios, watch, fresh_records())
}

/// The app without a window, saving its attempts in `records`.
pub(crate) fn headless_app_with(scenarios: &Path, watch: bool, records: PathBuf) -> App {
    let location = LibraryLocation::of_folder(scenarios).unwrap();
    let mut app = App::new();
    app.add_plugins((
        MinimalPlugins,
        StatesPlugin,
        location.reader_plugin(),
        location.asset_plugin(watch),
    ));
    app.add_plugins(CorePlugin {
        location,
        records: Some(records),
    });
    app
}

/// A records database of the test's own, never the user's.
fn fresh_records() -> PathBuf {
    static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("app-records-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir.join("records.sqlite")
}

/// Runs frames until `done` holds, failing after ten seconds.
pub(crate) fn update_until(app: &mut App, what: &str, done: impl Fn(&World) -> bool) {
    let start = Instant::now();
    while !done(app.world()) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for {what}"
        );
        app.update();
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn entry_loaded(world: &World, key: &str) -> bool {
    world
        .resource::<ScenarioLibrary>()
        .get(key)
        .is_some_and(|e| e.scenario.is_some())
}

pub(crate) fn send(app: &mut App, action: UiAction) {
    app.world_mut().write_message(AppCommand(action));
    app.update();
    // State changes apply in the next frame's transition schedule.
    app.update();
}

pub(crate) fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

pub fn dan_expert_script() -> Vec<Choice> {
    let text =
        std::fs::read_to_string(common::root().join("tests/scripts/dan-expert.ron")).unwrap();
    let prepared = common::library("dan-mandated-anger");
    let known: Vec<&str> = prepared.techniques.iter().map(|t| t.id.as_str()).collect();
    parse_script("dan-expert.ron", &text, &known).unwrap()
}

#[test]
fn the_library_loads_every_scenario_file_as_an_asset() {
    let mut app = headless_app(&common::root().join("scenarios"), false);
    let expected = common::library_files().len();
    update_until(&mut app, "the library", |w| {
        let lib = w.resource::<ScenarioLibrary>();
        lib.entries.len() == expected && lib.entries.iter().all(|e| e.scenario.is_some())
    });
    let lib = app.world().resource::<ScenarioLibrary>();
    assert!(
        lib.entries.iter().all(|e| e.diagnostics.is_empty()),
        "every library scenario loads cleanly"
    );
    assert_eq!(screen(&app), Screen::Library);
}

/// Found by issue 13: Bevy reads a folder's files one after another, so a named pipe in the
/// scenarios folder stopped the library loading for ever (and a pack opened in the window
/// waited for it). Now the pipe is left out, shown in the library by name, and the rest
/// loads.
#[test]
fn a_fifo_in_the_scenarios_folder_is_named_in_the_library_and_the_rest_loads() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("app-fifo-{}", std::process::id()))
        .join("scenarios");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(common::root().join("scenarios").join(DAN), dir.join(DAN)).unwrap();
    common::mkfifo(&dir.join("pipe.ron"));
    let mut app = headless_app(&dir, false);
    update_until(&mut app, "the library without the pipe", |w| {
        entry_loaded(w, &format!("scenarios/{DAN}"))
            && w.resource::<ScenarioLibrary>()
                .is_loaded(w.resource::<AssetServer>())
            && w.resource::<ScenarioLibrary>()
                .get("scenarios/pipe.ron")
                .is_some()
    });
    let lib = app.world().resource::<ScenarioLibrary>();
    let pipe = lib.get("scenarios/pipe.ron").unwrap();
    assert!(pipe.scenario.is_none());
    assert_eq!(
        pipe.diagnostics[0].to_string(),
        "scenarios/pipe.ron:1:1: error: this is a named pipe (FIFO), not a regular file, so it is not read; give the path of a file"
    );
    std::fs::remove_dir_all(dir.parent().unwrap()).ok();
}

#[test]
fn a_whole_session_played_through_messages_matches_the_core_engine() {
    let mut app = headless_app(&common::root().join("scenarios"), false);
    let key = format!("scenarios/{DAN}");
    update_until(&mut app, "Dan's scenario", |w| entry_loaded(w, &key));

    send(&mut app, UiAction::OpenBriefing(key.clone()));
    assert_eq!(screen(&app), Screen::Briefing);
    send(
        &mut app,
        UiAction::Start {
            mode: Mode::Practice,
            seed: 7,
        },
    );
    assert_eq!(screen(&app), Screen::Session);

    let script = dan_expert_script();
    for (i, choice) in script.iter().enumerate() {
        send(&mut app, UiAction::Play(choice.clone()));
        let turns = app
            .world()
            .resource::<Practice>()
            .run
            .as_ref()
            .unwrap()
            .run
            .session()
            .turns()
            .len();
        assert_eq!(turns, i + 1, "each Play message adds exactly one turn");
    }
    // The script fills the turn limit, so the app moves to the debrief on its own.
    assert_eq!(screen(&app), Screen::Debrief);

    let practice = app.world().resource::<Practice>();
    let played = practice.run.as_ref().unwrap().run.session();
    let summary = played.summary();
    assert!(
        summary.passed,
        "the expert path passes in the app as it does headless: {:?}",
        summary.flags
    );

    // The app drives the same engine: the same seed and choices give the same transcript.
    let core = common::play(&common::library("dan-mandated-anger"), 7, &script);
    assert_eq!(transcript::to_json(played), transcript::to_json(&core));

    send(&mut app, UiAction::BackToLibrary);
    assert_eq!(screen(&app), Screen::Library);
    assert!(app.world().resource::<Practice>().run.is_none());
}

#[test]
fn rewinding_from_the_debrief_opens_a_branch_and_keeps_the_original() {
    let mut app = headless_app(&common::root().join("scenarios"), false);
    let key = format!("scenarios/{DAN}");
    update_until(&mut app, "Dan's scenario", |w| entry_loaded(w, &key));
    send(&mut app, UiAction::OpenBriefing(key));
    send(
        &mut app,
        UiAction::Start {
            mode: Mode::Practice,
            seed: 3,
        },
    );
    send(
        &mut app,
        UiAction::Play(common::choice("complex_reflection")),
    );
    send(&mut app, UiAction::Play(common::choice("confrontation")));
    send(&mut app, UiAction::EndSession);
    assert_eq!(screen(&app), Screen::Debrief);

    send(&mut app, UiAction::Rewind(1));
    assert_eq!(
        screen(&app),
        Screen::Session,
        "a rewind goes back into the session"
    );
    send(
        &mut app,
        UiAction::Play(common::choice("rolling_with_resistance")),
    );
    let practice = app.world().resource::<Practice>();
    let run = &practice.run.as_ref().unwrap().run;
    assert_eq!(run.branches.len(), 2);
    assert_eq!(
        run.branches[0].session.turns()[1].choice.technique,
        "confrontation"
    );
    assert_eq!(
        run.session().turns()[1].choice.technique,
        "rolling_with_resistance"
    );
    assert!(
        run.session().turns()[1].fit.score > run.branches[0].session.turns()[1].fit.score,
        "rolling with resistance fits Dan better than confrontation"
    );
}

#[test]
fn assessment_mode_refuses_rewind() {
    let mut app = headless_app(&common::root().join("scenarios"), false);
    let key = format!("scenarios/{DAN}");
    update_until(&mut app, "Dan's scenario", |w| entry_loaded(w, &key));
    send(&mut app, UiAction::OpenBriefing(key));
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
    send(&mut app, UiAction::EndSession);
    send(&mut app, UiAction::Rewind(0));
    assert_eq!(screen(&app), Screen::Debrief);
    assert_eq!(
        app.world()
            .resource::<Practice>()
            .run
            .as_ref()
            .unwrap()
            .run
            .branches
            .len(),
        1
    );
}

/// Writes a file so the watcher sees a change even within the same second.
fn rewrite(path: &Path, text: &str) {
    let tmp = path.with_extension("tmp-edit");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

#[test]
fn editing_a_scenario_while_the_app_runs_updates_the_library_and_the_running_session() {
    let dir = library_copy("reload");
    let file = dir.join(DAN);
    let key = format!("scenarios/{DAN}");
    let mut app = headless_app(&dir, true);
    update_until(&mut app, "Dan's scenario", |w| entry_loaded(w, &key));

    send(&mut app, UiAction::OpenBriefing(key.clone()));
    send(
        &mut app,
        UiAction::Start {
            mode: Mode::Practice,
            seed: 7,
        },
    );
    send(
        &mut app,
        UiAction::Play(common::choice("complex_reflection")),
    );

    // An instructor renames the client in the file while the trainee is between turns.
    let original = std::fs::read_to_string(&file).unwrap();
    assert!(original.contains("\"Dan Mercer\""));
    rewrite(
        &file,
        &original.replace("\"Dan Mercer\"", "\"Daniel Mercer\""),
    );
    update_until(&mut app, "the edited scenario in the library", |w| {
        w.resource::<ScenarioLibrary>()
            .get(&key)
            .and_then(|e| e.scenario.as_ref())
            .is_some_and(|s| s.scenario.client.name == "Daniel Mercer")
    });
    let practice = app.world().resource::<Practice>();
    let session = practice.run.as_ref().unwrap().run.session();
    assert_eq!(
        session.prepared().scenario.client.name,
        "Daniel Mercer",
        "the running session took the new content"
    );
    assert_eq!(
        session.turns().len(),
        1,
        "the turns played so far were replayed on it"
    );

    // Then breaks it: the error is shown with its position and the last good version stays.
    rewrite(&file, &original.replacen("turn_limit:", "turn_limit: (", 1));
    update_until(&mut app, "the broken file's diagnostics", |w| {
        w.resource::<ScenarioLibrary>()
            .get(&key)
            .is_some_and(|e| !e.diagnostics.is_empty())
    });
    let entry = app
        .world()
        .resource::<ScenarioLibrary>()
        .get(&key)
        .unwrap()
        .clone();
    let message = entry.diagnostics[0].to_string();
    assert!(
        message.starts_with(&format!("{key}:")),
        "the error names the file: {message}"
    );
    let position = message.split(':').nth(1).unwrap();
    assert!(
        position.parse::<u32>().is_ok_and(|line| line > 1),
        "the error names a line: {message}"
    );
    assert_eq!(
        entry.scenario.as_ref().unwrap().scenario.client.name,
        "Daniel Mercer",
        "the last good version stays usable"
    );

    // The session goes on with the last good version.
    send(
        &mut app,
        UiAction::Play(common::choice("rolling_with_resistance")),
    );
    assert_eq!(
        app.world()
            .resource::<Practice>()
            .run
            .as_ref()
            .unwrap()
            .run
            .session()
            .turns()
            .len(),
        2
    );

    // Fixed again: the library clears the error.
    rewrite(&file, &original);
    update_until(&mut app, "the fixed file", |w| {
        w.resource::<ScenarioLibrary>().get(&key).is_some_and(|e| {
            e.diagnostics.is_empty()
                && e.scenario
                    .as_ref()
                    .is_some_and(|s| s.scenario.client.name == "Dan Mercer")
        })
    });
}

#[test]
fn files_that_are_not_scenarios_become_errors_in_the_library_not_crashes() {
    let dir = library_copy("garbage");
    std::fs::write(dir.join("binary.ron"), [0xff, 0xfe, 0x00, 0x12, 0x80]).unwrap();
    std::fs::write(dir.join("nested.ron"), "(".repeat(50_000)).unwrap();
    std::fs::write(dir.join("empty.ron"), "").unwrap();
    std::fs::write(dir.join("wrong-shape.ron"), "[1, 2, 3]").unwrap();
    let mut app = headless_app(&dir, false);
    update_until(&mut app, "every file", |w| {
        let lib = w.resource::<ScenarioLibrary>();
        ["binary.ron", "nested.ron", "empty.ron", "wrong-shape.ron"]
            .iter()
            .all(|f| {
                lib.get(&format!("scenarios/{f}"))
                    .is_some_and(|e| !e.diagnostics.is_empty())
            })
    });
    let lib = app.world().resource::<ScenarioLibrary>();
    for f in ["binary.ron", "nested.ron", "empty.ron", "wrong-shape.ron"] {
        let entry = lib.get(&format!("scenarios/{f}")).unwrap();
        assert!(entry.scenario.is_none(), "{f} never loaded");
        assert!(
            entry.diagnostics[0]
                .to_string()
                .starts_with(&format!("scenarios/{f}:")),
            "{}",
            entry.diagnostics[0]
        );
    }
    assert!(
        entry_loaded(app.world(), &format!("scenarios/{DAN}")),
        "the good files still load"
    );
    // A broken entry cannot be opened.
    send(
        &mut app,
        UiAction::OpenBriefing("scenarios/binary.ron".into()),
    );
    assert_eq!(screen(&app), Screen::Library);
}

/// Dan's expert script with the trainee's words on its first moves, one given by words
/// alone (`tests/scripts/dan-words.ron`), read as `attune play` reads it.
fn dan_words_script() -> Vec<Choice> {
    let text = std::fs::read_to_string(common::root().join("tests/scripts/dan-words.ron")).unwrap();
    let prepared = common::library("dan-mandated-anger");
    let known: Vec<&str> = prepared.techniques.iter().map(|t| t.id.as_str()).collect();
    parse_script("dan-words.ron", &text, &known).unwrap()
}

/// The scripted run of `attune play --gui --script`, here without a window: it plays each
/// step whole, so the words reach the app's transcript, and words alone play as coded.
#[test]
fn the_scripted_run_passes_the_words_of_each_step_to_the_apps_transcript() {
    use attune::app::scripted::{ScriptedRun, plugin};
    let script = dan_words_script();
    let mut app = headless_app(&common::root().join("scenarios"), false);
    plugin(
        &mut app,
        ScriptedRun {
            scenario: format!("scenarios/{DAN}"),
            seed: 7,
            mode: Mode::Practice,
            choices: script.clone(),
            screenshot: None,
            pace_ms: 0,
            resume: None,
        },
    );
    let start = Instant::now();
    while app.should_exit().is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the scripted run did not finish"
        );
        app.update();
    }
    assert_eq!(app.should_exit(), Some(AppExit::Success));
    let practice = app.world().resource::<Practice>();
    let played = practice
        .run
        .as_ref()
        .expect("the debrief's run")
        .run
        .session();
    assert_eq!(played.turns().len(), script.len());
    let said: Vec<Option<&str>> = played
        .turns()
        .iter()
        .map(|t| t.words.as_ref().map(|w| w.text.as_str()))
        .collect();
    let typed: Vec<Option<&str>> = script.iter().map(Choice::words).collect();
    assert_eq!(
        said, typed,
        "every step's words, and only those, are in the transcript"
    );
    let first = played.turns()[0].words.as_ref().unwrap();
    assert!(
        first.mismatch.is_some(),
        "a question typed for a reflection"
    );
    let alone = &played.turns()[1];
    assert_eq!(
        alone.choice.technique,
        alone.words.as_ref().unwrap().technique,
        "words alone play the technique they are coded as"
    );
    // The same engine: the app's transcript is the headless one, words and all.
    let core = common::play(&common::library("dan-mandated-anger"), 7, &script);
    assert_eq!(transcript::to_json(played), transcript::to_json(&core));
}

/// A move sent from the session screen with its words keeps them in the turn played.
#[test]
fn a_move_played_with_words_keeps_them_in_the_apps_session() {
    let mut app = headless_app(&common::root().join("scenarios"), false);
    let key = format!("scenarios/{DAN}");
    update_until(&mut app, "Dan's scenario", |w| entry_loaded(w, &key));
    send(&mut app, UiAction::OpenBriefing(key));
    send(
        &mut app,
        UiAction::Start {
            mode: Mode::Practice,
            seed: 7,
        },
    );
    let choice = Choice {
        say: Some("  You're here because you have to be, not because you want to.  ".into()),
        ..Choice::new("complex_reflection")
    };
    send(&mut app, UiAction::Play(choice));
    let practice = app.world().resource::<Practice>();
    let turn = &practice.run.as_ref().unwrap().run.session().turns()[0];
    let words = turn.words.as_ref().expect("the words were kept");
    assert_eq!(
        words.text,
        "You're here because you have to be, not because you want to."
    );
    assert_eq!(turn.choice.technique, "complex_reflection");
}
