//! The `attune` command line: one module per sub-command.

mod analyze;
mod attempts;
mod check;
mod drill;
mod graph;
mod new;
mod pack;
mod play;
mod records;
mod report_lrs;
mod sync;
mod techniques;
mod test;
mod verify;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "attune",
    version,
    about = "Attune: practise psychotherapy with simulated clients, scored on how well each move fits the client.",
    long_about = "Attune: practise psychotherapy with simulated clients, scored on how well each move fits the client.\n\nWith no command, opens the app on the scenario library."
)]
struct Cli {
    /// The scenario library the app opens (default: ./scenarios, else the one Attune was built with).
    #[arg(long, global = true, value_name = "DIR")]
    scenarios: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Validate scenarios, assessment packs, play scripts and courses (each told by its content),
    /// finding every problem in one run; prints the first 50 of each file as
    /// `path:line:col: message` with its source line, then how many more there are.
    ///
    /// A pack is checked against the scenario library (`--scenarios`): each scenario it
    /// names must be there and load. A script's techniques must be in the catalogue or a
    /// library scenario. A course's scenarios, key moments and drill prefixes are checked
    /// against the library too.
    Check {
        /// Files, or folders searched for `.ron` files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = check::Format::Text)]
        format: check::Format,
    },
    /// Play one drill of a course headless: the scenario replayed to the drill's moment,
    /// one move answered; prints the fit, the skills it showed, the moment's commentary
    /// from several schools and the best move found there, with its reason.
    Drill {
        /// The course file (RON), e.g. courses/default.ron.
        course: PathBuf,
        /// The drill step's id in the course.
        drill: String,
        /// The move: a technique id (`attune techniques` lists them).
        #[arg(long, value_name = "TECHNIQUE", required_unless_present = "script")]
        choice: Vec<String>,
        /// A play script whose first choice is the move (to give adaptations too).
        #[arg(long, conflicts_with = "choice")]
        script: Option<PathBuf>,
        /// Seed for the client's wording; a seed that does not reach the moment moves on
        /// to the next.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Run the scripted playthroughs scenarios carry, reporting each unmet expectation.
    Test {
        /// Scenario files, or folders searched for `.ron` files (default: scenarios/).
        paths: Vec<PathBuf>,
    },
    /// Draw a scenario's structure (events, key moments, flags, safety gates, pass
    /// requirements, techniques) as a Graphviz or Mermaid graph.
    Graph {
        /// The scenario file.
        scenario: PathBuf,
        /// Output format: `dot` for Graphviz, `mermaid` for a Mermaid flowchart.
        #[arg(long, value_enum, default_value_t = graph::Format::Dot)]
        format: graph::Format,
        /// Write the graph to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Analyse a scenario: the best path the engine can find, the score distribution of
    /// random play, which responses, events and key moments are ever reached, and which
    /// techniques never fit.
    ///
    /// The best path comes from a beam search over whole sessions (techniques and their
    /// adaptations), checked against the scenario's expert playthrough; if the search did
    /// worse, the expert path is reported instead and the report says so. A progress bar is
    /// drawn on stderr when it is a terminal.
    ///
    /// --json prints an object with: `scenario` (id, title, turn_limit, pass_mark,
    /// techniques), `settings`, `best_path` (source "search" or "expert", score, end,
    /// requirements_total, turns with choice, fit, response_id, events, key_moments),
    /// `search` (score, at_least_expert, moves_played, moves_previewed), `expert` (name,
    /// seed, score, or null), `random` (playthroughs, mean, median, p10, p90, min, max,
    /// pass_rate, dropout_rate, crisis_rate, safety_failure_rate, histogram of ten bins
    /// with from, to, count), `spread` (best_minus_mean, best_minus_median,
    /// best_minus_p90, best_minus_random_max), `coverage` (responses, events, key_moments:
    /// id, random_turns, random_playthroughs, best_path, scripted, reached; never_reached;
    /// and never_reached_why: for each id never reached, the parts of its condition no
    /// reachable state meets, empty when nothing rules it out), `techniques` (id, name, uses, mean_fit, best_fit, weak) and
    /// `weak_techniques`. A score is passed, safe, completed, requirements_met, overall.
    Analyze {
        /// The scenario file.
        scenario: PathBuf,
        /// How many random playthroughs to play (a random technique with random
        /// adaptations each turn).
        #[arg(long = "random", value_name = "N", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        random: u64,
        /// Seed for random play; the same seed always gives the same report.
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
        /// Sessions the best-path search keeps after each turn; wider searches longer.
        #[arg(long, value_name = "W", default_value_t = crate::analysis::Settings::default().beam_width as u64, value_parser = clap::value_parser!(u64).range(1..=4096))]
        beam_width: u64,
        /// A technique is reported as weak when its mean and its best fit are both below this (0..100).
        #[arg(long, value_name = "FIT", default_value_t = 50.0, value_parser = analyze::fit_threshold)]
        weak_below: f32,
        /// Print JSON (the fields are listed above) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Start a new scenario from the commented template: writes DIR/NAME.ron with its id set to NAME.
    New {
        /// The scenario's id and file name: lower-case letters, digits and hyphens, e.g. `gareth-insomnia`.
        name: String,
        /// The folder to write the file in; created if missing.
        #[arg(long, value_name = "DIR", default_value = "scenarios")]
        dir: PathBuf,
    },
    /// List the technique catalogue.
    Techniques {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Play a session headless from a script of choices and print the transcript and
    /// summary; or take an assessment pack (`--pack`) in the app's window, or headless
    /// with one script per client.
    Play {
        /// The scenario file (not with --pack).
        #[arg(required_unless_present = "pack", conflicts_with = "pack")]
        scenario: Option<PathBuf>,
        /// Seed for the client's wording; the same seed and script always give the same session.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// A RON list of choices, e.g. `[(technique: "complex_reflection"), (technique: "psychoeducation", directiveness: AskPermission)]`.
        /// A step may carry the trainee's own words, `(say: "...", technique: "...")`, or words alone,
        /// `(say: "...")`, played as coded; the transcript prints their coding and any mismatch.
        /// With --pack: one per client, in the pack's order; without any, the pack opens in the window.
        #[arg(long, required_unless_present = "pack")]
        script: Vec<PathBuf>,
        /// An assessment pack (RON) to take: assessment mode, the pack's seeds and pass
        /// mark, the learner's name asked once, every attempt saved in the records.
        #[arg(long, value_name = "PACK")]
        pack: Option<PathBuf>,
        /// Print JSON instead of a transcript.
        #[arg(long)]
        json: bool,
        /// Play the script in the app's real window instead of printing a transcript.
        #[arg(long, conflicts_with_all = ["json", "pack"])]
        gui: bool,
        /// With --gui: save a screenshot of the debrief here (and of the other screens
        /// beside it, as OUT-library.png, OUT-briefing.png, OUT-session.png), then exit.
        #[arg(long, requires = "gui")]
        screenshot: Option<PathBuf>,
        /// With --gui: play in assessment mode (no meters, hints or rewind).
        #[arg(long, requires = "gui")]
        assessment: bool,
        /// Also write the attempt as a self-contained result file (JSON) that `attune
        /// verify` can check by replaying it; with --pack, a folder for one file per client.
        #[arg(long, value_name = "FILE", conflicts_with = "gui")]
        result: Option<PathBuf>,
        /// Save the attempt in the records database, each turn as it is played (always
        /// on with --pack; with --gui, the window's attempt is saved too).
        #[arg(long)]
        record: bool,
        /// The learner's name or id, saved with the attempt (with --pack and scripts: required).
        #[arg(long)]
        learner: Option<String>,
        /// Wait this many milliseconds before each move.
        #[arg(long, default_value_t = 0)]
        pace_ms: u64,
    },
    /// List attempts that were interrupted, or finish one: its recorded turns are replayed
    /// and the script's remaining choices played on.
    Resume {
        /// The attempt's id (as listed); without it, list the interrupted attempts.
        attempt: Option<String>,
        /// The script the attempt was played from; its choices after the recorded ones are played.
        #[arg(long, requires = "attempt")]
        script: Option<PathBuf>,
        /// Take the attempt up in the app's window (from the library's Resume button, as a
        /// trainee would) and play the script's remaining choices there.
        #[arg(long, requires = "script")]
        gui: bool,
    },
    /// A class report over result files (or folders of them, searched with their
    /// subfolders), or over the records database when no path is given: an HTML page with
    /// the gradebook (each learner's score, pass or not and why, time taken, played in the
    /// window or from a script, per client; sortable) and charts, the gradebook and other
    /// tables as CSV, and a summary here. Every result is verified first (as `attune
    /// verify` does); one that does not verify is left out and named with why, here and on
    /// the page. Fails, writing nothing, when no result is found or none verifies.
    Report {
        /// Result files, or folders searched with their subfolders for `.json` result files
        /// (as `attune play --pack --result` and `attune export` write them).
        paths: Vec<PathBuf>,
        /// Output folder for report.html, gradebook.csv and the other CSV tables.
        #[arg(long, default_value = "attune-report")]
        out: PathBuf,
        /// Only attempts taken in an assessment pack for this class id.
        #[arg(long, value_name = "ID")]
        class: Option<String>,
        /// Verify against this assessment pack (as `attune verify --pack`): only attempts
        /// taken in it, checked with its pass mark, seeds and scenarios, are counted.
        #[arg(long, value_name = "PACK", conflicts_with = "lrs")]
        pack: Option<PathBuf>,
        /// Read the class from the learning record store instead: every attempt's
        /// statements, replayed from the scenario library (`--scenarios`) to cross-check
        /// them; attempts sent in someone else's name, with missing or repeated turns, with
        /// scores that do not replay or never finished are flagged.
        #[arg(long, conflicts_with = "paths")]
        lrs: bool,
        /// With --lrs: the instructor's store configuration, a file with lrs.ron's fields
        /// and credentials that may read every learner's statements (default: lrs.ron in
        /// the data folder and the ATTUNE_LRS_* variables).
        #[arg(long, value_name = "FILE", requires = "lrs")]
        lrs_config: Option<PathBuf>,
        /// With --lrs: only statements from this time on (RFC 3339, e.g. 2026-09-01T00:00:00Z).
        #[arg(long, value_name = "TIME", requires = "lrs")]
        since: Option<String>,
    },
    /// Write every finished attempt in the records database as result files (JSON, each
    /// verifiable with `attune verify`) or as two CSV tables (attempts and turns); with
    /// --class, one attempt's class votes instead.
    Export {
        /// Output folder.
        #[arg(long, default_value = "attune-export")]
        out: PathBuf,
        #[arg(long, value_enum, default_value_t = records::ExportFormat::Json)]
        format: records::ExportFormat,
        /// Export the class's votes of this finished attempt (its id, or the start of it),
        /// played on the projector with the class voting: each voted turn's options with
        /// their votes, shares and fits, the move played and the best move found, as
        /// class-<scenario>-seed<seed>-<attempt>.json and .csv (both, whatever --format).
        #[arg(long, value_name = "ATTEMPT")]
        class: Option<String>,
    },
    /// Send the queued xAPI statements of recorded attempts to the learning record store
    /// (configured in lrs.ron in the data folder, or ATTUNE_LRS_ENDPOINT, ATTUNE_LRS_KEY and
    /// ATTUNE_LRS_SECRET), retrying with back-off until all are delivered or the wait ends;
    /// finished attempts with no statements queued (from older versions) are queued first.
    /// Without a configured store nothing is sent.
    Sync {
        /// Only print how many statements are pending, delivered and failed, why, and
        /// whether the configuration is sound; sends nothing.
        #[arg(long)]
        status: bool,
        /// Make the failed statements (refused by the store, or failing past the retry
        /// limit) pending again, built afresh from the configuration, and send them.
        #[arg(long, conflicts_with = "status")]
        retry_failed: bool,
        /// Keep retrying for at most this many seconds.
        #[arg(long, value_name = "SECS", default_value_t = 30)]
        wait: u64,
    },
    /// Check result files: the seal (a file edited by hand), the rules (the scenario named
    /// is the one its content hash belongs to; timestamps real, ordered, not in the future,
    /// long enough for the turns a person played in the window; a pack's attempt is an
    /// assessment), then replay: the scenario is matched by content hash, every score is
    /// recomputed, and any result whose recorded figures differ is reported. One line per
    /// file, then a count; exit status non-zero when any is rejected.
    Verify {
        /// Result files, or folders searched with their subfolders for `.json` result files
        /// (from `attune play --result`, `attune play --pack --result` or `attune export`).
        #[arg(required = true)]
        results: Vec<PathBuf>,
        /// The instructor's assessment pack: the pass mark, seeds, scenarios and pinned
        /// versions are taken from it, never from the result; a result not taken in this
        /// pack, or of a scenario it does not name, is rejected.
        #[arg(long, value_name = "PACK")]
        pack: Option<PathBuf>,
    },
}

/// A single session takes exactly one script.
fn one_script(scripts: &[PathBuf]) -> Result<&Path, String> {
    match scripts {
        [one] => Ok(one),
        [] => Err("--script FILE is needed to play a scenario".into()),
        _ => Err("one --script for a scenario (several only with --pack)".into()),
    }
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let scenarios = cli
        .scenarios
        .unwrap_or_else(crate::app::default_scenarios_dir);
    let result = match cli.command {
        None => Ok(crate::app::run(
            &scenarios,
            crate::app::Opening {
                records: crate::records::store::default_path(),
                ..Default::default()
            },
        )),
        Some(Command::Check { paths, format }) => check::run(&paths, &scenarios, format),
        Some(Command::Graph {
            scenario,
            format,
            output,
        }) => graph::run(&scenario, format, output.as_ref()),
        Some(Command::Techniques { json }) => techniques::run(json),
        Some(Command::New { name, dir }) => new::run(&name, &dir),
        Some(Command::Analyze {
            scenario,
            random,
            seed,
            beam_width,
            weak_below,
            json,
        }) => {
            let settings = crate::analysis::Settings {
                random_playthroughs: random,
                seed,
                beam_width: beam_width as usize,
                weak_below,
                ..crate::analysis::Settings::default()
            };
            analyze::run(&scenario, &settings, json)
        }
        Some(Command::Drill {
            course,
            drill,
            choice,
            script,
            seed,
        }) => drill::run(&course, &drill, &choice, script.as_ref(), seed, &scenarios),
        Some(Command::Test { paths }) => test::run(&if paths.is_empty() {
            vec![scenarios.clone()]
        } else {
            paths
        }),
        Some(Command::Play {
            pack: Some(pack),
            script,
            learner,
            result,
            pace_ms,
            ..
        }) => {
            if script.is_empty() {
                Ok(crate::app::run(
                    &scenarios,
                    crate::app::Opening {
                        pack: Some(pack),
                        records: crate::records::store::default_path(),
                        ..Default::default()
                    },
                ))
            } else {
                attempts::db_path().and_then(|db| {
                    pack::run(&pack::PackRun {
                        pack: &pack,
                        scenarios: &scenarios,
                        scripts: &script,
                        learner: learner.as_deref(),
                        results: result.as_deref(),
                        db: &db,
                        pace_ms,
                    })
                })
            }
        }
        Some(Command::Play {
            scenario: Some(scenario),
            seed,
            script,
            gui,
            screenshot,
            assessment,
            json,
            result,
            record,
            learner,
            pace_ms,
            pack: None,
        }) => one_script(&script).and_then(|script| {
            let learner = learner.as_deref().map(attempts::learner_arg).transpose()?;
            let recording = if record {
                attempts::db_path().map(|db| Some(play::Recording { db, pace_ms }))
            } else {
                Ok(None)
            };
            recording.and_then(|r| {
                if gui {
                    play::run_gui(&scenario, seed, script, screenshot, assessment, r)
                } else {
                    play::run(&scenario, seed, script, json, result.as_deref(), learner, r)
                }
            })
        }),
        Some(Command::Play { .. }) => Err("give a scenario file or --pack".to_string()),
        Some(Command::Resume {
            attempt,
            script,
            gui,
        }) => records::resume(attempt.as_deref(), script.as_deref(), &scenarios, gui),
        Some(Command::Export {
            out,
            class: Some(attempt),
            ..
        }) => records::export_class(&out, &attempt, &scenarios),
        Some(Command::Export { out, format, .. }) => records::export(&out, format),
        Some(Command::Report {
            paths,
            out,
            class,
            pack,
            lrs,
            lrs_config,
            since,
        }) => {
            let from_store = lrs.then(|| report_lrs::Source {
                config: lrs_config,
                since,
                scenarios: scenarios.clone(),
            });
            records::report(&records::ReportRun {
                paths: &paths,
                out: &out,
                class: class.as_deref(),
                pack: pack.as_deref(),
                scenarios: &scenarios,
                from_store: from_store.as_ref(),
            })
        }
        Some(Command::Sync {
            status,
            retry_failed,
            wait,
        }) => sync::run(status, retry_failed, wait),
        Some(Command::Verify { results, pack }) => {
            verify::run(&results, &scenarios, pack.as_deref())
        }
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
