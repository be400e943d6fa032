//! Plays a script of choices through the real window, as a person would click through it:
//! library, briefing, session, debrief. Saves a screenshot of each screen and exits. Used
//! by `attune play SCENARIO --gui --script FILE --screenshot OUT.png` and the end-to-end
//! test.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};

use super::{AppCommand, Practice, ScenarioLibrary, Screen};
use crate::model::Mode;
use crate::scenario::Choice;
use crate::ui::UiAction;

#[derive(Clone, Debug)]
pub struct ScriptedRun {
    /// The library key of the scenario, e.g. `scenarios/dan-mandated-anger.ron`.
    pub scenario: String,
    pub seed: u64,
    pub mode: Mode,
    pub choices: Vec<Choice>,
    /// The debrief's screenshot; the other screens are saved beside it
    /// (`OUT-library.png`, `OUT-briefing.png`, `OUT-session.png`).
    pub screenshot: Option<PathBuf>,
    /// Milliseconds between moves, to play at a person's pace.
    pub pace_ms: u64,
    /// Take up this interrupted attempt from the library instead of starting anew; the
    /// script's choices after its saved turns are played.
    pub resume: Option<String>,
}

#[derive(Resource)]
struct Driver {
    script: ScriptedRun,
    step: Step,
    /// Frames to wait before the next step, so each screen is drawn before it is left.
    wait: u32,
    played: usize,
    pending_shots: Vec<PathBuf>,
    session_shot: bool,
    /// The next technique is shown selected on screen before the session's screenshot.
    shown_selected: bool,
    frames: u32,
    wait_resumed: u32,
    /// Frames waited on the debrief for the best moves to be found.
    wait_best: u32,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Step {
    AwaitLibrary,
    Library,
    /// Waiting for a resumed attempt to be replayed.
    Resumed,
    Briefing,
    Session,
    Debrief,
    Exit,
}

/// Frames each screen is shown before its screenshot, and after it before moving on.
const SETTLE_FRAMES: u32 = 8;
/// The most frames the debrief's screenshot waits for the best moves to be found.
const BEST_MOVES_FRAMES: u32 = 2_000;
/// A run that has not finished after this many frames has hung: exit with an error.
const MAX_FRAMES: u32 = 20_000;

pub fn plugin(app: &mut App, script: ScriptedRun) {
    app.insert_resource(Driver {
        script,
        step: Step::AwaitLibrary,
        wait: 0,
        played: 0,
        pending_shots: Vec::new(),
        session_shot: false,
        shown_selected: false,
        frames: 0,
        wait_resumed: 0,
        wait_best: 0,
    })
    .add_systems(Update, drive);
}

fn shot_path(base: &std::path::Path, screen: &str) -> PathBuf {
    let stem = base
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("attune");
    base.with_file_name(format!("{stem}-{screen}.png"))
}

#[allow(clippy::too_many_arguments)]
fn drive(
    mut driver: ResMut<Driver>,
    library: Res<ScenarioLibrary>,
    practice: Res<Practice>,
    screen: Res<State<Screen>>,
    mut out: MessageWriter<AppCommand>,
    mut exit: MessageWriter<AppExit>,
    mut commands: Commands,
    mut session_screen: Option<ResMut<super::screens::session::SessionScreen>>,
    debrief_screen: Option<Res<super::screens::debrief::DebriefScreen>>,
) {
    let d = &mut *driver;
    d.frames += 1;
    if d.frames > MAX_FRAMES {
        error!(
            "the scripted run did not finish in {MAX_FRAMES} frames (at step {:?})",
            d.step
        );
        exit.write(AppExit::error());
        return;
    }
    if d.wait > 0 {
        d.wait -= 1;
        return;
    }
    let mut shoot = |d: &mut Driver, name: Option<&str>| {
        if let Some(base) = d.script.screenshot.clone() {
            let path = match name {
                Some(name) => shot_path(&base, name),
                None => base,
            };
            if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = std::fs::remove_file(&path);
            commands
                .spawn(Screenshot::primary_window())
                .observe(save_to_disk(path.clone()));
            d.pending_shots.push(path);
        }
        d.wait = SETTLE_FRAMES;
    };
    match d.step {
        Step::AwaitLibrary => match library.get(&d.script.scenario) {
            Some(entry) if entry.scenario.is_some() => {
                d.step = Step::Library;
                d.wait = SETTLE_FRAMES;
            }
            Some(entry) if !entry.diagnostics.is_empty() => {
                for diagnostic in &entry.diagnostics {
                    error!("{diagnostic}");
                }
                exit.write(AppExit::error());
            }
            _ => {}
        },
        Step::Library => {
            shoot(d, Some("library"));
            if let Some(id) = d.script.resume.clone() {
                out.write(AppCommand(UiAction::ResumeAttempt(id)));
                d.step = Step::Resumed;
            } else {
                out.write(AppCommand(UiAction::OpenBriefing(
                    d.script.scenario.clone(),
                )));
                d.step = Step::Briefing;
            }
        }
        Step::Resumed => match practice.run.as_ref() {
            Some(run) => {
                // The saved turns are replayed; play on from the first unsaved one.
                d.played = run.run.session().turns().len();
                println!("resumed with {} saved turns", d.played);
                d.step = Step::Session;
            }
            None if d.wait_resumed > 30 => {
                error!("the attempt could not be resumed");
                exit.write(AppExit::error());
            }
            None => d.wait_resumed += 1,
        },
        Step::Briefing if *screen.get() == Screen::Briefing => {
            shoot(d, Some("briefing"));
            out.write(AppCommand(UiAction::Start {
                mode: d.script.mode,
                seed: d.script.seed,
            }));
            d.step = Step::Session;
        }
        Step::Session if matches!(screen.get(), Screen::Session | Screen::Debrief) => {
            let ended = practice
                .run
                .as_ref()
                .is_none_or(|r| r.run.session().ended().is_some());
            if !d.session_shot
                && d.played > 0
                && d.played >= d.script.choices.len().div_ceil(2)
                && *screen.get() == Screen::Session
            {
                // Mid-session, with a transcript, feedback and the next move being prepared.
                if !d.shown_selected
                    && let Some(next) = d.script.choices.get(d.played)
                    && let Some(screen) = session_screen.as_mut()
                {
                    // Words alone show the move they will be played as.
                    let shown = crate::coding::confirmed_as_coded(next);
                    screen.ui.selected = Some(shown.technique.clone());
                    screen.ui.adaptation = shown.into_owned();
                    d.shown_selected = true;
                    d.wait = 2;
                    return;
                }
                d.session_shot = true;
                shoot(d, Some("session"));
                return;
            }
            let index = d.played;
            if !ended && index < d.script.choices.len() {
                // The whole step, words (`say`) and all: the engine codes them into the turn.
                if d.script.pace_ms > 0 {
                    std::thread::sleep(std::time::Duration::from_millis(d.script.pace_ms));
                }
                out.write(AppCommand(UiAction::Play(d.script.choices[index].clone())));
                d.played += 1;
                d.wait = 1;
            } else {
                if !ended {
                    out.write(AppCommand(UiAction::EndSession));
                }
                d.step = Step::Debrief;
                d.wait = SETTLE_FRAMES;
            }
        }
        Step::Debrief if *screen.get() == Screen::Debrief => {
            // The debrief finds the best move at each turn on a thread: shoot it once found.
            let finding = debrief_screen.as_ref().is_some_and(|s| {
                let mut jobs = s.best_moves.started().peekable();
                jobs.peek().is_none() || jobs.any(|job| job.result().is_none())
            });
            if finding && d.wait_best < BEST_MOVES_FRAMES {
                d.wait_best += 1;
                return;
            }
            if let Some(run) = practice.run.as_ref() {
                // The result as the debrief shows it, for the person or test that ran the script.
                let session = run.run.session();
                let summary = session.summary();
                println!(
                    "played {} turns; overall {:.1} / 100; {}",
                    session.turns().len(),
                    summary.overall,
                    if summary.passed {
                        "passed"
                    } else {
                        "not passed"
                    }
                );
            }
            shoot(d, None);
            d.step = Step::Exit;
        }
        // Exit once every screenshot is on disk.
        Step::Exit if d.pending_shots.iter().all(|p| p.exists()) => {
            exit.write(AppExit::Success);
        }
        _ => {}
    }
}
