//! How two played sessions compare: what decides a session's result comes first (passed,
//! no safety gate failed, not ended by dropout or crisis, the work it must reach), then the
//! overall score.

use std::cmp::Ordering;

use serde::Serialize;

use crate::engine::Session;
use crate::model::SessionEnd;

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PathScore {
    pub passed: bool,
    /// No safety gate failed.
    pub safe: bool,
    /// Not ended by dropout or crisis.
    pub completed: bool,
    /// How many of the scenario's `pass_requires` flags were set.
    pub requirements_met: u32,
    /// Mean turn fit, 0..100.
    pub overall: f32,
}

impl PathScore {
    /// The score of a finished (or abandoned) session, from its summary.
    pub fn of(session: &Session) -> PathScore {
        let summary = session.summary();
        PathScore {
            passed: summary.passed,
            safe: summary.safety_failures.is_empty(),
            completed: !matches!(summary.end, Some(SessionEnd::Dropout | SessionEnd::Crisis)),
            requirements_met: requirements_met(session),
            overall: summary.overall,
        }
    }

    /// A cheap score for a session still in progress: no summary is built, and `passed`
    /// is false as nothing is decided yet.
    pub fn partial(session: &Session) -> PathScore {
        let turns = session.turns();
        let overall = if turns.is_empty() {
            0.0
        } else {
            turns.iter().map(|t| t.fit.score).sum::<f32>() / turns.len() as f32
        };
        PathScore {
            passed: false,
            safe: session.safety_failures().is_empty(),
            completed: !matches!(
                session.ended(),
                Some(SessionEnd::Dropout | SessionEnd::Crisis)
            ),
            requirements_met: requirements_met(session),
            overall,
        }
    }

    pub fn compare(&self, other: &PathScore) -> Ordering {
        (
            self.passed,
            self.safe,
            self.completed,
            self.requirements_met,
        )
            .cmp(&(
                other.passed,
                other.safe,
                other.completed,
                other.requirements_met,
            ))
            .then(self.overall.total_cmp(&other.overall))
    }

    pub fn at_least(&self, other: &PathScore) -> bool {
        self.compare(other) != Ordering::Less
    }
}

fn requirements_met(session: &Session) -> u32 {
    let state = session.state();
    session
        .prepared()
        .scenario
        .session
        .pass_requires
        .iter()
        .filter(|r| state.has_flag(&r.flag))
        .count() as u32
}
