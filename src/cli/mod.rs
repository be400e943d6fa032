//! The `attune` command line: one module per sub-command.

mod check;
mod play;
mod techniques;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "attune",
    version,
    about = "Attune: practise psychotherapy with simulated clients, scored on how well each move fits the client.",
    arg_required_else_help = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
    },
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { paths, format } => check::run(&paths, format),
        Command::Techniques { json } => techniques::run(json),
        Command::Play {
            scenario,
            seed,
            script,
            json,
        } => play::run(&scenario, seed, &script, json),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
