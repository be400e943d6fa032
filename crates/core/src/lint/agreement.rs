//! Lint 8: the client and the score disagree. A line marked `reaction: Misstep` that a
//! fitting move can draw, or `reaction: Welcoming` that a poor one can, found by playing the
//! scenario's playthroughs and a few thousand seeded random sessions (the analyser's random
//! play; `attune analyze` plays more and adds the best path).

use std::sync::Arc;

use crate::analysis::{ContentIndex, ContentTally, Progress, disagreements, play_random};
use crate::engine::PreparedScenario;
use crate::model::Catalogue;
use crate::scenario::Scenario;
use crate::scoring::ScoringConfig;
use crate::source::{Issue, Path};

use super::warning;

/// Enough random sessions to reach most lines a few times, in a few milliseconds.
const RANDOM_SESSIONS: u64 = 2_000;

pub fn check(s: &Scenario, catalogue: &Catalogue, cfg: &ScoringConfig, issues: &mut Vec<Issue>) {
    if !s.responses.iter().any(|r| r.reaction.is_some()) {
        return;
    }
    let Ok(prepared) = PreparedScenario::new(s.clone(), catalogue, cfg) else {
        return; // validation reports why it cannot be prepared
    };
    let prepared = Arc::new(prepared);
    let index = ContentIndex::new(&prepared);
    let mut scripted = ContentTally::new(&prepared);
    for play in &s.playthroughs {
        let session = crate::analysis::play_script(&prepared, play);
        scripted.record_session(&index, session.turns());
    }
    let random = play_random(&prepared, RANDOM_SESSIONS, 1, &Progress::new());
    for d in disagreements(&prepared, &[&scripted, &random.content]) {
        issues.push(warning(
            Path::root()
                .field("responses")
                .index(d.response)
                .field("reaction"),
            format!("the client and the score disagree: {}", d.message()),
            Some(d.suggestion()),
        ));
    }
}
