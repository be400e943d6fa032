//! `attune analyze`: the best path, random play's score distribution, content coverage and
//! weak techniques of one scenario, as a table or as JSON.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::analysis::{NeverReached, Progress, Settings, analyze};
use crate::engine::PreparedScenario;
use crate::lint::{Content, WhyNever};
use crate::model::Catalogue;
use crate::scoring::ScoringConfig;

pub fn run(scenario_path: &Path, settings: &Settings, json: bool) -> Result<ExitCode, String> {
    let prepared = match PreparedScenario::from_file(
        scenario_path,
        &Catalogue::builtin(),
        &ScoringConfig::builtin(),
    ) {
        Ok(p) => p,
        Err(diagnostics) => {
            for line in crate::source::listed(&diagnostics) {
                eprintln!("{line}");
            }
            return Ok(ExitCode::FAILURE);
        }
    };
    let started = Instant::now();
    let analysis = with_progress_bar(|progress| analyze(&prepared, settings, progress));
    let why = why_never_reached(&prepared, &analysis.coverage.never_reached);
    if json {
        let mut value: serde_json::Value =
            serde_json::from_str(&analysis.to_json()).map_err(|e| e.to_string())?;
        value["coverage"]["never_reached_why"] = why_as_json(&why);
        println!(
            "{}",
            serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?
        );
    } else {
        print!(
            "{}",
            beside_coverage(&analysis.to_text(), &why_as_text(&why))
        );
        println!("\nAnalysed in {:.2} s.", started.elapsed().as_secs_f64());
    }
    Ok(ExitCode::SUCCESS)
}

/// One piece of content no session reached, and why, as far as the scenario tells.
struct Unreached {
    kind: &'static str,
    id: String,
    /// Each part of its condition no reachable state meets; empty when nothing in the
    /// scenario rules it out and random play only missed it.
    reasons: Vec<String>,
}

fn why_never_reached(prepared: &PreparedScenario, never: &NeverReached) -> Vec<Unreached> {
    let catalogue = Catalogue::builtin();
    let scoring = ScoringConfig::builtin();
    let why = WhyNever::of(&prepared.scenario, &catalogue, &scoring);
    [
        ("response", Content::Response, &never.responses),
        ("event", Content::Event, &never.events),
        ("key moment", Content::KeyMoment, &never.key_moments),
    ]
    .into_iter()
    .flat_map(|(kind, content, ids)| ids.iter().map(move |id| (kind, content, id)))
    .map(|(kind, content, id)| Unreached {
        kind,
        id: id.clone(),
        reasons: why.why(content, id),
    })
    .collect()
}

/// The report with the reasons placed right after its list of what was never reached, so
/// that the why sits by the what; at the end if that list is not found.
fn beside_coverage(report: &str, why: &str) -> String {
    let mut at = None;
    let mut offset = 0;
    for line in report.split_inclusive('\n') {
        offset += line.len();
        if line.starts_with("  never reached (") {
            at = Some(offset);
        }
    }
    let at = at.unwrap_or(report.len());
    format!("{}{}{}", &report[..at], why, &report[at..])
}

fn why_as_text(unreached: &[Unreached]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if unreached.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\nWhy never reached:");
    for u in unreached {
        if u.reasons.is_empty() {
            let _ = writeln!(
                out,
                "  {} `{}`: nothing in the scenario rules it out, but no session played here met its condition; try more random sessions (--random) or a playthrough that reaches it",
                u.kind, u.id
            );
        }
        for reason in &u.reasons {
            let _ = writeln!(out, "  {} `{}`: {reason}", u.kind, u.id);
        }
    }
    out
}

/// `{"responses": {"id": ["reason", ...]}, "events": {...}, "key_moments": {...}}`; an
/// empty list where nothing in the scenario rules it out.
fn why_as_json(unreached: &[Unreached]) -> serde_json::Value {
    let mut out = serde_json::json!({ "responses": {}, "events": {}, "key_moments": {} });
    for u in unreached {
        let kind = match u.kind {
            "response" => "responses",
            "event" => "events",
            _ => "key_moments",
        };
        out[kind][&u.id] = serde_json::json!(u.reasons);
    }
    out
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
