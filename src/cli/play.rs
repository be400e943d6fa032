use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use crate::catalogue::Catalogue;
use crate::engine::{PreparedScenario, Session};
use crate::scenario::{load_scenario, parse_script, read_text};
use crate::scoring::ScoringConfig;
use crate::transcript;

fn print_diagnostics(diagnostics: &[crate::source::Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}

pub fn run(
    scenario_path: &Path,
    seed: u64,
    script_path: &Path,
    json: bool,
) -> Result<ExitCode, String> {
    let catalogue = Catalogue::builtin();
    let loaded = match load_scenario(scenario_path, &catalogue) {
        Ok(l) => l,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            return Ok(ExitCode::FAILURE);
        }
    };
    let prepared = Arc::new(
        PreparedScenario::new(loaded.scenario, &catalogue, &ScoringConfig::builtin())
            .map_err(|e| e.to_string())?,
    );
    let script_name = script_path.display().to_string();
    let text = read_text(script_path).map_err(|e| format!("{script_name}: {e}"))?;
    let known: Vec<&str> = prepared.techniques.iter().map(|t| t.id.as_str()).collect();
    let choices = match parse_script(&script_name, &text, &known) {
        Ok(c) => c,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            return Ok(ExitCode::FAILURE);
        }
    };
    let mut session = Session::new(prepared, seed);
    for (i, choice) in choices.iter().enumerate() {
        if let Err(e) = session.apply(choice) {
            eprintln!(
                "note: {e}; {} choice(s) from turn {} on were not played",
                choices.len() - i,
                i + 1
            );
            break;
        }
    }
    if json {
        println!("{}", transcript::to_json(&session));
    } else {
        print!("{}", transcript::to_text(&session));
    }
    Ok(ExitCode::SUCCESS)
}
