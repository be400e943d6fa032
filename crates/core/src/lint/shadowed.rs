//! Lint 2: response lines that can never be said because another line always wins. The
//! engine says the matching line with the highest priority, then the most specific
//! condition, then the earliest in the file (`engine::session::choose_response`). A line
//! is shadowed when another, not `once`, outranks it and holds whenever it holds.
//!
//! "Holds whenever it holds" is decided part by part, soundly: the move part exactly, by
//! trying every technique delivered every way; each state field by containment within what
//! the scenario can reach. A line whose own condition can never hold is left to lint 1.

use super::reach::Reach;
use super::{ResponseFacts, warning};
use crate::model::{Condition, Range, Rupture};
use crate::scenario::Scenario;
use crate::source::{Issue, Path};

/// Above this many lines the pairwise comparison is skipped: no real scenario comes near
/// (the library's largest has about 150), and a machine-made file must not make `check`
/// quadratic.
const MAX_LINES_COMPARED: usize = 1000;

pub fn check(s: &Scenario, reach: &Reach, facts: &ResponseFacts, issues: &mut Vec<Issue>) {
    if s.responses.len() > MAX_LINES_COMPARED {
        return;
    }
    let responses = Path::root().field("responses");
    let moves: Vec<Vec<u64>> = facts.moves.iter().map(|m| bits(m)).collect();
    let ranks: Vec<(i32, u32)> = s
        .responses
        .iter()
        .map(|r| (r.priority, r.when.specificity()))
        .collect();
    for (b, rb) in s.responses.iter().enumerate() {
        if !facts.can_hold(b) {
            continue;
        }
        let winner = s.responses.iter().enumerate().find(|&(a, ra)| {
            a != b
                && !ra.once
                && (ranks[a] > ranks[b] || (ranks[a] == ranks[b] && a < b))
                && subset(&moves[b], &moves[a])
                && implies(&rb.when, &ra.when, reach)
        });
        if let Some((_, ra)) = winner {
            let why = if ra.priority > rb.priority {
                format!("its priority {} is higher", ra.priority)
            } else if ra.when.specificity() > rb.when.specificity() {
                "at equal priority its condition is more specific".to_string()
            } else {
                "at equal priority and specificity it comes first in the file".to_string()
            };
            issues.push(warning(
                responses.index(b).field("id"),
                format!(
                    "response `{}` can never be said: `{}` holds whenever it does and is chosen first ({why})",
                    rb.id, ra.id
                ),
                Some(format!("raise `{}`'s priority above {}, or narrow `{}`'s condition", rb.id, ra.priority, ra.id)),
            ));
        }
    }
}

/// The moves as a bit set, so that comparing two lines' moves is a few word operations.
fn bits(moves: &[bool]) -> Vec<u64> {
    moves
        .chunks(64)
        .map(|chunk| {
            chunk
                .iter()
                .enumerate()
                .fold(0u64, |w, (i, on)| w | (u64::from(*on) << i))
        })
        .collect()
}

fn subset(b: &[u64], a: &[u64]) -> bool {
    b.iter().zip(a).all(|(b, a)| b & !a == 0)
}

/// Whether every value `b` allows within `lo..=hi` is inside `a`.
fn within(b: Option<Range>, a: Option<Range>, lo: f32, hi: f32) -> bool {
    let Some(a) = a else { return true };
    let (b_lo, b_hi) = match b {
        Some(r) => (
            r.min.map_or(lo, |m| m.max(lo)),
            r.max.map_or(hi, |m| m.min(hi)),
        ),
        None => (lo, hi),
    };
    a.min.is_none_or(|m| m <= b_lo) && a.max.is_none_or(|m| m >= b_hi)
}

fn same_or_free<T: PartialEq>(b: Option<T>, a: Option<T>) -> bool {
    a.is_none() || a == b
}

/// The rupture states `c` allows: a rupture that opened this turn leaves one open, a repair
/// leaves none.
fn rupture_states(c: &Condition) -> Vec<Rupture> {
    [Rupture::None, Rupture::Withdrawal, Rupture::Confrontation]
        .into_iter()
        .filter(|r| c.rupture.is_empty() || c.rupture.contains(r))
        .filter(|r| c.rupture_opened != Some(true) || *r != Rupture::None)
        .filter(|r| c.rupture_repaired != Some(true) || *r == Rupture::None)
        .collect()
}

/// Whether `b` holding implies the state part of `a` holds (the move part is compared
/// apart, exactly). Sufficient, not necessary: `false` means "not shown".
fn implies(b: &Condition, a: &Condition, reach: &Reach) -> bool {
    let limit = reach.turn_limit() as f32;
    let unit = |bf: Option<Range>, af: Option<Range>| within(bf, af, 0.0, 1.0);
    let ranges = within(b.fit, a.fit, 0.0, 100.0)
        && within(b.turn, a.turn, 1.0, limit)
        && unit(b.bond, a.bond)
        && unit(b.alliance, a.alliance)
        && unit(b.distress, a.distress)
        && unit(b.hope, a.hope)
        && unit(b.reactance, a.reactance);
    if !ranges {
        return false;
    }
    let stages_b: Vec<_> = if b.stages.is_empty() {
        reach.stages.iter().copied().collect()
    } else {
        b.stages
            .iter()
            .copied()
            .filter(|s| reach.stages.contains(s))
            .collect()
    };
    let stages = a.stages.is_empty() || stages_b.iter().all(|s| a.stages.contains(s));

    let ruptures_b = rupture_states(b);
    let ruptures = a.rupture.is_empty() || ruptures_b.iter().all(|r| a.rupture.contains(r));
    let opened = same_or_free(b.rupture_opened, a.rupture_opened)
        || (a.rupture_opened == Some(false) && ruptures_b.iter().all(|r| *r == Rupture::None));
    let repaired = same_or_free(b.rupture_repaired, a.rupture_repaired)
        || (a.rupture_repaired == Some(false) && !ruptures_b.contains(&Rupture::None));

    let risks_b: Vec<_> = reach
        .risks
        .iter()
        .filter(|r| {
            b.risk_at_least.is_none_or(|m| **r >= m) && b.risk_below.is_none_or(|m| **r < m)
        })
        .collect();
    let risk = risks_b
        .iter()
        .all(|r| a.risk_at_least.is_none_or(|m| **r >= m) && a.risk_below.is_none_or(|m| **r < m));

    let flags = a
        .flags
        .iter()
        .all(|f| b.flags.contains(f) || reach.permanent_flags.contains(f.as_str()));
    let not_flags = a
        .not_flags
        .iter()
        .all(|f| b.not_flags.contains(f) || !reach.settable_flags.contains(f.as_str()));

    // The moment open when the move was made, and how the move met it.
    let moment = a.open_moment.is_empty()
        || (!b.open_moment.is_empty() && b.open_moment.iter().all(|m| a.open_moment.contains(m)));

    stages
        && moment
        && same_or_free(b.verdict, a.verdict)
        && ruptures
        && opened
        && repaired
        && risk
        && same_or_free(b.risk_assessed, a.risk_assessed)
        && same_or_free(b.culturally_adapted, a.culturally_adapted)
        && same_or_free(b.spiritually_adapted, a.spiritually_adapted)
        && flags
        && not_flags
        && reach.client_flags_hold(a)
        && (a.event.is_none() || a.event == b.event)
}
