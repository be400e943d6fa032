//! `attune test`: runs the scripted playthroughs scenarios carry and reports, for each one
//! that fails, which expectation failed and why.

use std::path::PathBuf;
use std::process::ExitCode;

use super::check::scenario_files;
use crate::engine::{PreparedScenario, run_playthrough};
use crate::model::Catalogue;
use crate::scenario::read_text;
use crate::scoring::ScoringConfig;
use crate::source::FileKind;

pub fn run(paths: &[PathBuf]) -> Result<ExitCode, String> {
    let files = scenario_files(paths)?;
    let catalogue = Catalogue::builtin();
    let scoring = ScoringConfig::builtin();
    let (mut passed, mut failed, mut broken) = (0, 0, 0usize);
    for file in &files {
        let name = file.display();
        // Packs and scripts live beside scenarios; they carry no playthroughs to run.
        let kind = read_text(file).map_or(FileKind::Scenario, |text| FileKind::of(&text));
        if kind != FileKind::Scenario {
            println!(
                "skip   {name}: {}, not a scenario (`attune check` checks it)",
                kind.words()
            );
            continue;
        }
        let prepared = match PreparedScenario::from_file(file, &catalogue, &scoring) {
            Ok(p) => p,
            Err(diagnostics) => {
                broken += 1;
                println!("BROKEN {name}: does not load");
                let errors: Vec<_> = diagnostics.into_iter().filter(|d| d.is_error()).collect();
                for line in crate::source::listed(&errors) {
                    println!("    {line}");
                }
                continue;
            }
        };
        if prepared.scenario.playthroughs.is_empty() {
            println!("NONE   {name}: no playthroughs");
        }
        for play in &prepared.scenario.playthroughs {
            let result = run_playthrough(&prepared, play);
            let s = &result.summary;
            let verdict = if s.passed { "passed" } else { "not passed" };
            if result.failures.is_empty() {
                passed += 1;
                println!("ok     {name} / {}: {:.1}, {verdict}", play.name, s.overall);
            } else {
                failed += 1;
                println!("FAILED {name} / {}: {:.1}, {verdict}", play.name, s.overall);
                for failure in &result.failures {
                    println!("    {failure}");
                }
            }
        }
    }
    println!(
        "{} playthroughs in {} files: {passed} passed, {failed} failed{}",
        passed + failed,
        files.len(),
        if broken > 0 {
            format!(
                ", {} not load",
                crate::words::count_with(broken, "file does", "files do")
            )
        } else {
            String::new()
        }
    );
    Ok(if failed + broken == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
