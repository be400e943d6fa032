//! `attune analyze`: the best path, random play's score distribution, content coverage and
//! weak techniques of one scenario, as a table or as JSON.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::analysis::{Progress, Settings, analyze};
use crate::catalogue::Catalogue;
use crate::engine::PreparedScenario;
use crate::scoring::ScoringConfig;

pub fn run(scenario_path: &Path, settings: &Settings, json: bool) -> Result<ExitCode, String> {
    let prepared = match PreparedScenario::from_file(
        scenario_path,
        &Catalogue::builtin(),
        &ScoringConfig::builtin(),
    ) {
        Ok(p) => p,
        Err(diagnostics) => {
            for d in &diagnostics {
                eprintln!("{d}");
            }
            return Ok(ExitCode::FAILURE);
        }
    };
    let started = Instant::now();
    let analysis = with_progress_bar(|progress| analyze(&prepared, settings, progress));
    if json {
        println!("{}", analysis.to_json());
    } else {
        print!("{}", analysis.to_text());
        println!("\nAnalysed in {:.2} s.", started.elapsed().as_secs_f64());
    }
    Ok(ExitCode::SUCCESS)
}

/// Parses a fit threshold, 0..100.
pub fn fit_threshold(text: &str) -> Result<f32, String> {
    let value: f32 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if (0.0..=100.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is outside 0..100, the range of a fit"))
    }
}

/// Runs `work` with a progress bar on stderr, drawn only when stderr is a terminal (so
/// pipes and logs stay clean) by a thread that wakes every 50 ms.
fn with_progress_bar<R: Send>(work: impl FnOnce(&Progress) -> R + Send) -> R {
    let progress = Progress::new();
    if !std::io::stderr().is_terminal() {
        return work(&progress);
    }
    let finished = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let drawer = scope.spawn(|| {
            let mut shown = usize::MAX;
            while !finished.load(Ordering::Relaxed) {
                let percent = (progress.fraction() * 100.0) as usize;
                if percent != shown {
                    shown = percent;
                    let filled = percent * 30 / 100;
                    eprint!(
                        "\ranalysing [{}{}] {percent:>3}%",
                        "#".repeat(filled),
                        " ".repeat(30 - filled)
                    );
                    let _ = std::io::stderr().flush();
                }
                std::thread::park_timeout(Duration::from_millis(50));
            }
            // Clear the bar's line.
            eprint!("\r\x1b[2K");
            let _ = std::io::stderr().flush();
        });
        let result = work(&progress);
        finished.store(true, Ordering::Relaxed);
        drawer.thread().unpark();
        result
    })
}
