//! `attune play`: a session played headless from a script (printed as a transcript or JSON,
//! optionally recorded and written as a result file), or through the app's window.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use crate::app::LibraryLocation;
use crate::app::scripted::ScriptedRun;
use crate::engine::transcript;
use crate::engine::{Mode, PreparedScenario, Session};
use crate::model::Catalogue;
use crate::records::Played;
use crate::scenario::Choice;
use crate::scenario::{decode_text, parse_script, read_text};
use crate::scoring::ScoringConfig;

fn print_diagnostics(diagnostics: &[crate::source::Diagnostic]) {
    for line in crate::source::listed(diagnostics) {
        eprintln!("{line}");
    }
}

/// What a play needs: the scenario made ready, the content hash of its file as read, and
/// the script's choices; or the exit code after their problems were printed.
struct Inputs {
    prepared: Arc<PreparedScenario>,
    content_hash: String,
    choices: Vec<Choice>,
}

fn load_inputs(
    scenario_path: &Path,
    script_path: &Path,
) -> Result<Result<Inputs, ExitCode>, String> {
    let name = scenario_path.display().to_string();
    // Read once: the same bytes are hashed for the records and parsed for the session.
    let loaded = crate::source::read_bytes(scenario_path)
        .map_err(|e| e.to_string())
        .and_then(|bytes| Ok((crate::records::content_hash(&bytes), decode_text(bytes)?)))
        .map_err(|message| vec![crate::source::Diagnostic::whole_file(&name, message)])
        .and_then(|(hash, text)| {
            Ok((
                hash,
                PreparedScenario::from_text(
                    &name,
                    &text,
                    &Catalogue::builtin(),
                    &ScoringConfig::builtin(),
                )?,
            ))
        });
    let (content_hash, prepared) = match loaded {
        Ok(l) => l,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            return Ok(Err(ExitCode::FAILURE));
        }
    };
    let script_name = script_path.display().to_string();
    let text = read_text(script_path).map_err(|e| format!("{script_name}: {e}"))?;
    let known: Vec<&str> = prepared.techniques.iter().map(|t| t.id.as_str()).collect();
    match parse_script(&script_name, &text, &known) {
        Ok(choices) => Ok(Ok(Inputs {
            prepared,
            content_hash,
            choices,
        })),
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            Ok(Err(ExitCode::FAILURE))
        }
    }
}

/// Saving the attempt to the records database as it is played.
pub struct Recording {
    pub db: PathBuf,
    /// Milliseconds to wait before each move, to play at a person's pace.
    pub pace_ms: u64,
}

/// `--learner` checked as every other way of naming a learner is (the app's name field, a
/// pack's sitting, the settings): one line, no escape sequences, at most 80 characters.
pub(super) fn learner_arg(typed: &str) -> Result<String, String> {
    crate::assessment::valid_learner(typed).map_err(|why| format!("--learner: {why}"))
}

/// Plays a script headless and prints the transcript; with `result`, also writes the
/// attempt as a result file, and with `recording`, saves it turn by turn. `learner` is
/// checked by `learner_arg`.
pub fn run(
    scenario_path: &Path,
    seed: u64,
    script_path: &Path,
    json: bool,
    result: Option<&Path>,
    learner: Option<String>,
    recording: Option<Recording>,
) -> Result<ExitCode, String> {
    let started_at = crate::records::clock::now_rfc3339();
    let Inputs {
        prepared,
        content_hash: hash,
        choices,
    } = match load_inputs(scenario_path, script_path)? {
        Ok(inputs) => inputs,
        Err(code) => return Ok(code),
    };
    let file = scenario_path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut store = None;
    if let Some(rec) = &recording {
        let mut s = crate::records::Store::open(&rec.db)?;
        let id = s.begin(&crate::records::NewAttempt {
            scenario_id: &prepared.scenario.meta.id,
            scenario_title: &prepared.scenario.meta.title,
            scenario_file: &file,
            content_hash: &hash,
            seed,
            mode: Mode::Practice,
            learner: learner.as_deref(),
            started_at: &started_at,
        })?;
        eprintln!("recording attempt {id} in {}", rec.db.display());
        store = Some((s, id));
    }
    let mut session = Session::new(prepared, seed);
    let pace = recording.as_ref().map_or(0, |r| r.pace_ms);
    play_choices(
        &mut session,
        &choices,
        store.as_mut().map(|(s, id)| (s, id.as_str())),
        pace,
    )?;
    // One result: the result file is the attempt as recorded: its id and learner included.
    let record = crate::records::AttemptResult::of(
        &session,
        &file,
        hash,
        Mode::Practice,
        learner,
        started_at,
        Played::Script,
    );
    let record = match &store {
        Some((_, id)) => record.recorded_as(id),
        None => record,
    };
    if let Some((mut s, id)) = store {
        s.finish(&id, &record)?;
        if let Some(rec) = &recording {
            super::sync::after_finish(&mut s, &rec.db);
        }
    }
    if json {
        println!("{}", transcript::to_json(&session));
    } else {
        print!("{}", transcript::to_text(&session));
    }
    if let Some(out) = result {
        crate::save::write_atomically(out, record.to_json().as_bytes())?;
        eprintln!("result written to {}", out.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Plays the script in the app's window, screen by screen, and saves screenshots.
pub fn run_gui(
    scenario_path: &Path,
    seed: u64,
    script_path: &Path,
    screenshot: Option<PathBuf>,
    assessment: bool,
    recording: Option<Recording>,
) -> Result<ExitCode, String> {
    // Checked here first so that problems print as they do headless.
    let choices = match load_inputs(scenario_path, script_path)? {
        Ok(inputs) => inputs.choices,
        Err(code) => return Ok(code),
    };
    let folder = scenario_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let location = LibraryLocation::of_folder(folder)?;
    let scenario = location
        .key_of(scenario_path)
        .ok_or_else(|| format!("{}: not a file name", scenario_path.display()))?;
    let mode = if assessment {
        Mode::Assessment
    } else {
        Mode::Practice
    };
    Ok(crate::app::run(
        folder,
        crate::app::Opening {
            script: Some(ScriptedRun {
                scenario,
                seed,
                mode,
                choices,
                screenshot,
                pace_ms: recording.as_ref().map_or(0, |r| r.pace_ms),
                resume: None,
            }),
            records: recording.map(|r| r.db),
            pack: None,
        },
    ))
}

/// Plays choices in order, saving each turn as it is played when recording. Stops at the
/// session's end, saying how many choices were left.
pub fn play_choices(
    session: &mut Session,
    choices: &[Choice],
    mut store: Option<(&mut crate::records::Store, &str)>,
    pace_ms: u64,
) -> Result<(), String> {
    for (i, choice) in choices.iter().enumerate() {
        if pace_ms > 0 {
            std::thread::sleep(std::time::Duration::from_millis(pace_ms));
        }
        match session.apply(choice) {
            Ok(turn) => {
                if let Some((s, id)) = store.as_mut() {
                    s.record_turn(id, turn)?;
                }
            }
            Err(e) => {
                eprintln!(
                    "note: {e}; {} from turn {} on {} not played",
                    crate::words::count(choices.len() - i, "choice"),
                    i + 1,
                    if choices.len() - i == 1 {
                        "was"
                    } else {
                        "were"
                    }
                );
                break;
            }
        }
    }
    Ok(())
}
