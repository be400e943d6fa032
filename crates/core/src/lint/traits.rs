//! Lint 5: client traits and stated preferences that contradict each other, so that no
//! move can honour both and the scenario teaches a conflict its author did not mean.
//! Each rule uses the scoring model's own terms (clinical-model.md section 7, constants in
//! `assets/scoring.ron`): a move placed exactly where one says scores clearly against the
//! other.

use super::warning;
use crate::scenario::Scenario;
use crate::scoring::ScoringConfig;
use crate::source::{Issue, Path};

pub fn check(s: &Scenario, cfg: &ScoringConfig, issues: &mut Vec<Issue>) {
    let client = Path::root().field("client");
    let prefs = &s.client.preferences;
    let traits = &s.client.traits;
    let slope = cfg.matching.gap_slope.value;

    // Reactance (clinical-model.md sections 2 and 7; Beutler et al. 2018, d = 0.79): the
    // ideal directiveness is 1 - reactance, and over-direction costs more the more reactant
    // the client. A reactant client who asks to be directed contradicts that trait.
    if let Some(wanted) = prefs.directiveness {
        let ideal = 1.0 - traits.reactance;
        let over = 1.0 + cfg.matching.reactance_amplifier.value * traits.reactance;
        let term = 1.0 - slope * (wanted - ideal).max(0.0) * over;
        if term <= cfg.matching.clearly_against.value {
            issues.push(warning(
                client.field("preferences").field("directiveness"),
                format!(
                    "a preferred directiveness of {wanted} contradicts reactance {}: the model's ideal for this client is {ideal:.2}, and a move as directive as they ask scores {term:.2} on reactance matching",
                    traits.reactance
                ),
                Some("lower the preferred directiveness or the reactance, or say in `notes` why this client asks for what provokes them".into()),
            ));
        }
    }

    // Coping style (clinical-model.md sections 2 and 7; Beutler et al. 2018, d = 0.60):
    // the ideal focus is the externalizing level. A stated focus far from it means every
    // move that suits the coping style goes against the preference (Swift et al. 2018).
    if let Some(wanted) = prefs.focus {
        let term = 1.0 - slope * (wanted - traits.externalizing).abs();
        if term <= cfg.matching.clearly_against.value {
            issues.push(warning(
                client.field("preferences").field("focus"),
                format!(
                    "a preferred focus of {wanted} contradicts coping style (externalizing {}): a move that fits the coping style scores {term:.2} on this preference",
                    traits.externalizing
                ),
                Some("bring the preferred focus nearer the externalizing level, or change the coping style".into()),
            ));
        }
    }

    // Preferences (clinical-model.md section 4): a school cannot be both wanted and avoided.
    for (i, school) in prefs.avoid_schools.iter().enumerate() {
        if prefs.schools.contains(school) {
            issues.push(warning(
                client.field("preferences").field("avoid_schools").index(i),
                format!("{school:?} is both a preferred school and one to avoid"),
                None,
            ));
        }
    }
}
