//! `attune play`: a session played headless from a script (printed as a transcript or JSON,
//! optionally recorded and written as a result file), or through the app's window.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use super::attempts::{deliver_after_finish, play_choices};
use crate::app::LibraryLocation;
use crate::app::scripted::ScriptedRun;
use crate::engine::{PreparedScenario, Session, transcript};
use crate::model::{Catalogue, Mode};
use crate::records::{AttemptPlan, OpenAttempt, Played, Store};
use crate::scenario::{Choice, TextError, decode_text, read_text};
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
        .map_err(TextError::from)
        .and_then(|bytes| Ok((crate::records::content_hash(&bytes), decode_text(bytes)?)))
        .map_err(|e| vec![crate::source::Diagnostic::whole_file(&name, e.to_string())])
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
    match super::attempts::parse_play_script(&script_name, &text, &known) {
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

/// Plays a script headless and prints the transcript; with `result`, also writes the
/// attempt as a result file, and with `recording`, saves it turn by turn. `learner` is
/// checked by `attempts::learner_arg`.
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
    let plan = AttemptPlan {
        file: scenario_path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        content_hash: hash,
        mode: Mode::Practice,
        learner,
        pack: None,
        played: Played::Script,
        continues: None,
    };
    let mut session = Session::new(prepared, seed);
    // One result: the result file is the attempt as recorded: its id and learner included.
    let record = match &recording {
        Some(rec) => {
            let mut store = Store::open(&rec.db).map_err(|e| e.to_string())?;
            let mut attempt = OpenAttempt::begin(&mut store, &session, plan, started_at)?;
            eprintln!("recording attempt {} in {}", attempt.id, rec.db.display());
            play_choices(
                &mut session,
                &choices,
                Some((&mut store, &mut attempt)),
                rec.pace_ms,
            )?;
            let finished = attempt.finish(&mut store, &session)?;
            deliver_after_finish(&mut store, &rec.db);
            finished.result
        }
        None => {
            play_choices(&mut session, &choices, None, 0)?;
            plan.result_of(&session, &started_at)
        }
    };
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
