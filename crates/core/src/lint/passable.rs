//! Lint 7: no path passes. A cheap, sufficient check, not a proof: the scenario's own
//! passing claims (playthroughs expected to pass, or named "expert") are played first; if
//! none passes, the analyser's beam search (`attune analyze`), with a small beam, looks
//! for a passing session. The warning fires only when nothing found passes, and says how
//! close the search came.

use std::sync::Arc;

use crate::analysis::{Progress, SearchSettings, best_path};
use crate::engine::{PreparedScenario, run_playthrough};
use crate::model::Catalogue;
use crate::scenario::Scenario;
use crate::scoring::ScoringConfig;
use crate::source::{Issue, Path};

use super::warning;

/// Small enough for `attune check`, wide enough to follow chains of events and markers.
const SEARCH: SearchSettings = SearchSettings {
    beam_width: 4,
    polish_rounds: 1,
    seed: 1,
};

pub fn check(s: &Scenario, catalogue: &Catalogue, cfg: &ScoringConfig, issues: &mut Vec<Issue>) {
    let Ok(prepared) = PreparedScenario::new(s.clone(), catalogue, cfg) else {
        return; // validation reports why it cannot be prepared
    };
    let prepared = Arc::new(prepared);
    let claims: Vec<usize> = (0..s.playthroughs.len())
        .filter(|&i| {
            let p = &s.playthroughs[i];
            p.expect.passed == Some(true) || p.name.to_lowercase().contains("expert")
        })
        .collect();
    for &i in &claims {
        if run_playthrough(&prepared, &s.playthroughs[i])
            .summary
            .passed
        {
            return;
        }
    }
    let best = best_path(&prepared, &SEARCH, &Progress::new(), 0)
        .session
        .summary();
    if best.passed {
        return;
    }
    let (path, played) = match claims.first() {
        Some(&i) => (
            Path::root().field("playthroughs").index(i).field("name"),
            "its expert playthroughs do not pass, and ",
        ),
        None => (
            Path::root().field("session"),
            "it has no expert playthrough, and ",
        ),
    };
    let why = if best.flags.is_empty() {
        String::new()
    } else {
        format!("; {}", best.flags.join("; "))
    };
    issues.push(warning(
        path,
        format!(
            "no passing session found: {played}a short search's best session scored {:.1} against a pass mark of {:.1}{why}",
            best.overall, best.pass_mark
        ),
        Some("add an expert playthrough that passes (`attune test` plays it), or check the pass mark and `pass_requires`".into()),
    ));
}
