//! Runs a scenario's scripted playthroughs and says which expectation failed and why.

use std::sync::Arc;

use super::{PreparedScenario, Session};
use crate::model::{Rupture, SafetyGate, SessionEnd};
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
            Err(super::ApplyError::SessionOver(end)) => {
                failures.push(format!(
                    "choice {} (`{}`) was never played: the session {} after turn {}",
                    i + 1,
                    choice.technique,
                    actual_ending(Some(end)),
                    session.turns().len()
                ));
                break;
            }
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
            "the playthrough expected the session to {}, but it {}",
            expected_ending(end),
            actual_ending(summary.end)
        ));
    }
    for gate in &expect.safety_failures {
        if !summary.safety_failures.iter().any(|f| f.gate == *gate) {
            failures.push(format!(
                "expected the safety gate \"{}\" to fail, but it held",
                gate_words(*gate)
            ));
        }
    }
    let state = session.state();
    for flag in &expect.flags {
        if !state.has_flag(flag) {
            failures.push(format!(
                "expected flag `{flag}` to be set at the end, but it was not"
            ));
        }
    }
    for flag in &expect.not_flags {
        if state.has_flag(flag) {
            failures.push(format!(
                "expected flag `{flag}` not to be set at the end, but it was"
            ));
        }
    }
    if let Some(want) = &expect.state {
        let now = state.snapshot();
        for (name, range, value) in [
            ("alliance", want.alliance, now.alliance),
            ("bond", want.bond, now.bond),
            ("distress", want.distress, now.distress),
            ("hope", want.hope, now.hope),
        ] {
            if let Some(range) = range
                && !range.contains(value)
            {
                failures.push(format!(
                    "expected {name} at the end in {}, got {value:.2}",
                    describe(&range, 0.0, 1.0)
                ));
            }
        }
        if let Some(stage) = want.stage
            && now.stage != stage
        {
            failures.push(format!(
                "expected the client to end in {}, but they are in {}",
                stage.label(),
                now.stage.label()
            ));
        }
        if let Some(rupture) = want.rupture
            && now.rupture != rupture
        {
            failures.push(format!(
                "expected the session to end with {}, but it ended with {}",
                rupture_words(rupture),
                rupture_words(now.rupture)
            ));
        }
    }
    for t in &expect.turns {
        let Some(outcome) = session.turns().get(t.turn.saturating_sub(1) as usize) else {
            failures.push(format!(
                "turn {}: expected, but the session ended after {} turns",
                t.turn,
                session.turns().len()
            ));
            continue;
        };
        if let Some(range) = &t.fit
            && !range.contains(outcome.fit.score)
        {
            failures.push(format!(
                "turn {} ({}): expected a fit in {}, got {:.1} ({})",
                t.turn,
                outcome.choice.technique,
                describe(range, 0.0, 100.0),
                outcome.fit.score,
                outcome.fit.explanation
            ));
        }
        if let Some(id) = &t.response
            && *outcome.response_id != **id
        {
            failures.push(format!(
                "turn {}: expected response `{id}` to answer, but `{}` did: \"{}\"",
                t.turn, outcome.response_id, outcome.client_line
            ));
        }
        if let Some(words) = &t.line_contains
            && !outcome.client_line.contains(words.as_str())
        {
            failures.push(format!(
                "turn {}: expected the client to say \"{words}\", but they said \"{}\"",
                t.turn, outcome.client_line
            ));
        }
        for kind in &t.happens {
            if !outcome.flags.iter().any(|f| f.kind() == kind) {
                let seen: Vec<&str> = outcome.flags.iter().map(|f| f.kind()).collect();
                let saw = if seen.is_empty() {
                    "nothing of note happened".to_string()
                } else {
                    format!("only {} happened", seen.join(", "))
                };
                failures.push(format!(
                    "turn {}: expected {kind} to happen, but {saw}",
                    t.turn
                ));
            }
        }
    }
    PlaythroughResult {
        name: play.name.clone(),
        summary,
        failures,
    }
}

/// What an expected ending means, as "expected the session to ...".
fn expected_ending(end: SessionEnd) -> &'static str {
    match end {
        SessionEnd::TurnLimit => "run to its turn limit",
        SessionEnd::Dropout => "end early by dropout (the client leaving)",
        SessionEnd::Crisis => "end early in a crisis (risk rising unmanaged)",
    }
}

/// How the session actually ended, as "but it ...".
fn actual_ending(end: Option<SessionEnd>) -> &'static str {
    match end {
        None => "did not end early: it was still open when the playthrough's choices ran out",
        Some(SessionEnd::TurnLimit) => "did not end early: it ran to its turn limit",
        Some(SessionEnd::Dropout) => "ended early by dropout (the client left)",
        Some(SessionEnd::Crisis) => "ended early in a crisis (risk rose unmanaged)",
    }
}

fn gate_words(gate: SafetyGate) -> &'static str {
    match gate {
        SafetyGate::RiskNotAssessed => "risk assessed in time",
        SafetyGate::ArousalWhileAtRisk => "no arousal-raising work while at risk",
    }
}

fn rupture_words(rupture: Rupture) -> &'static str {
    match rupture {
        Rupture::None => "no rupture open",
        Rupture::Withdrawal => "a withdrawal rupture open (the client pulling away)",
        Rupture::Confrontation => "a confrontation rupture open (the client pushing back)",
    }
}

fn describe(range: &crate::model::Range, lo: f32, hi: f32) -> String {
    format!("{}..{}", range.min.unwrap_or(lo), range.max.unwrap_or(hi))
}
