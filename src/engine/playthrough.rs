//! Runs a scenario's scripted playthroughs and says which expectation failed and why.

use std::sync::Arc;

use super::{PreparedScenario, Session};
use crate::scenario::Playthrough;
use crate::scoring::SessionSummary;

pub struct PlaythroughResult {
    pub name: String,
    pub summary: SessionSummary,
    /// One sentence per unmet expectation; empty when the playthrough passed.
    pub failures: Vec<String>,
}

pub fn run_playthrough(prepared: &Arc<PreparedScenario>, play: &Playthrough) -> PlaythroughResult {
    let mut session = Session::new(Arc::clone(prepared), play.seed);
    let mut failures = Vec::new();
    for (i, choice) in play.choices.iter().enumerate() {
        match session.apply(choice) {
            Ok(_) => {}
            // A script may run past an early ending it expects (a novice path ending in
            // dropout); an unexpected early ending is reported.
            Err(super::ApplyError::SessionOver(end)) if play.expect.end == Some(end) => break,
            Err(e) => {
                failures.push(format!(
                    "choice {} (`{}`) could not be played: {e}",
                    i + 1,
                    choice.technique
                ));
                break;
            }
        }
    }
    let summary = session.summary();
    let expect = &play.expect;
    if let Some(passed) = expect.passed
        && passed != summary.passed
    {
        let why = if summary.flags.is_empty() {
            String::new()
        } else {
            format!(" ({})", summary.flags.join("; "))
        };
        failures.push(format!(
            "expected the session to {}, but it {} with {:.1}{why}",
            if passed { "pass" } else { "fail" },
            if summary.passed { "passed" } else { "failed" },
            summary.overall
        ));
    }
    if let Some(range) = &expect.score
        && !range.contains(summary.overall)
    {
        failures.push(format!(
            "expected an overall score in {}..{}, got {:.1}",
            range.min.unwrap_or(0.0),
            range.max.unwrap_or(100.0),
            summary.overall
        ));
    }
    if let Some(end) = expect.end
        && summary.end != Some(end)
    {
        failures.push(format!(
            "expected the session to end by {end:?}, but it ended by {:?}",
            summary.end
        ));
    }
    for gate in &expect.safety_failures {
        if !summary.safety_failures.iter().any(|f| f.gate == *gate) {
            failures.push(format!(
                "expected the safety gate {gate:?} to fail, but it did not"
            ));
        }
    }
    PlaythroughResult {
        name: play.name.clone(),
        summary,
        failures,
    }
}
