//! The `attune` command line: one module per sub-command.

mod check;
mod play;
mod techniques;
mod test;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
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
    /// Validate scenario files or folders, printing `path:line:col: message` for each problem.
    Check {
        /// Scenario files, or folders searched for `.ron` files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = check::Format::Text)]
        format: check::Format,
    },
    /// Run the scripted playthroughs scenarios carry, reporting each unmet expectation.
    Test {
        /// Scenario files, or folders searched for `.ron` files (default: scenarios/).
        paths: Vec<PathBuf>,
    },
    /// List the technique catalogue.
    Techniques {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Play a session headless from a script of choices and print the transcript and summary.
    Play {
        /// The scenario file.
        scenario: PathBuf,
        /// Seed for the client's wording; the same seed and script always give the same session.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// A RON list of choices, e.g. `[(technique: "complex_reflection"), (technique: "psychoeducation", directiveness: AskPermission)]`.
        #[arg(long)]
        script: PathBuf,
        /// Print JSON instead of a transcript.
        #[arg(long)]
        json: bool,
        /// Play the script in the app's real window instead of printing a transcript.
        #[arg(long, conflicts_with = "json")]
        gui: bool,
        /// With --gui: save a screenshot of the debrief here (and of the other screens
        /// beside it, as OUT-library.png, OUT-briefing.png, OUT-session.png), then exit.
        #[arg(long, requires = "gui")]
        screenshot: Option<PathBuf>,
        /// With --gui: play in assessment mode (no meters, hints or rewind).
        #[arg(long, requires = "gui")]
        assessment: bool,
    },
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let scenarios = cli.scenarios.unwrap_or_else(crate::app::default_scenarios_dir);
    let result = match cli.command {
        None => Ok(crate::app::run(&scenarios, None)),
        Some(Command::Check { paths, format }) => check::run(&paths, format),
        Some(Command::Techniques { json }) => techniques::run(json),
        Some(Command::Test { paths }) => test::run(&if paths.is_empty() { vec![scenarios.clone()] } else { paths }),
        Some(Command::Play { scenario, seed, script, gui: true, screenshot, assessment, .. }) => {
            play::run_gui(&scenario, seed, &script, screenshot, assessment)
        }
        Some(Command::Play { scenario, seed, script, json, .. }) => play::run(&scenario, seed, &script, json),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
