//! The skills a learner's progress is told in: each is one matching principle of the
//! clinical model, read from the fit term that scores it (clinical-model.md sections 2, 3,
//! 5, 9 and 10). A turn is evidence for a skill only when that term applied to the move: a
//! rupture must be open for repair to count, a risk cue for risk assessment, a client moment
//! for responding to it.

use serde::{Deserialize, Serialize};

use super::{Fit, TurnOutcome};
use crate::model::Component;

/// A skill a learner practises and is measured on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Skill {
    /// Less directive with a reactant client, more with a compliant one (Beutler et al.
    /// 2018: d = 0.79 across 13 studies).
    ReactanceMatching,
    /// Symptom- and skill-focused work with an externalizing client, insight- and
    /// emotion-focused with an internalizing one (Beutler et al. 2018: d = 0.60, 18 studies).
    CopingStyleMatching,
    /// Processes fitting the client's stage of change (Prochaska & DiClemente; Krebs et al.
    /// 2018).
    StageMatching,
    /// Noticing a rupture and repairing it (Eubanks, Muran & Safran 2018: r = 0.29).
    RuptureRepair,
    /// Asking directly about a risk cue before anything else (suicide-risk competencies).
    RiskAssessment,
    /// Answering what the client just did: change talk, sustain talk, discord, a marker
    /// (Stiles, Honos-Webb & Surko 1998: appropriate responsiveness).
    RespondingToMoment,
}

impl Skill {
    pub const ALL: [Skill; 6] = [
        Skill::ReactanceMatching,
        Skill::CopingStyleMatching,
        Skill::StageMatching,
        Skill::RuptureRepair,
        Skill::RiskAssessment,
        Skill::RespondingToMoment,
    ];

    /// The fit term that scores the skill.
    pub fn component(self) -> Component {
        match self {
            Skill::ReactanceMatching => Component::Directiveness,
            Skill::CopingStyleMatching => Component::Focus,
            Skill::StageMatching => Component::Stage,
            Skill::RuptureRepair => Component::Repair,
            Skill::RiskAssessment => Component::Safety,
            Skill::RespondingToMoment => Component::Responsiveness,
        }
    }

    /// The name a learner reads.
    pub fn label(self) -> &'static str {
        match self {
            Skill::ReactanceMatching => "Reactance matching",
            Skill::CopingStyleMatching => "Coping-style matching",
            Skill::StageMatching => "Stage matching",
            Skill::RuptureRepair => "Rupture repair",
            Skill::RiskAssessment => "Risk assessment",
            Skill::RespondingToMoment => "Responding to the client's moment",
        }
    }

    /// The skill's name in files and records (`reactance_matching`).
    pub fn id(self) -> &'static str {
        match self {
            Skill::ReactanceMatching => "reactance_matching",
            Skill::CopingStyleMatching => "coping_style_matching",
            Skill::StageMatching => "stage_matching",
            Skill::RuptureRepair => "rupture_repair",
            Skill::RiskAssessment => "risk_assessment",
            Skill::RespondingToMoment => "responding_to_moment",
        }
    }

    pub fn from_id(id: &str) -> Option<Skill> {
        Skill::ALL.into_iter().find(|s| s.id() == id)
    }
}

/// How well a move showed each skill whose term applied to it: 0 (the term's worst, -1) to
/// 1 (its best, +1).
pub fn skill_evidence(fit: &Fit) -> Vec<(Skill, f32)> {
    Skill::ALL
        .into_iter()
        .filter_map(|skill| {
            let term = fit.component(skill.component())?;
            Some((skill, ((term.value + 1.0) / 2.0).clamp(0.0, 1.0)))
        })
        .collect()
}

/// The evidence of a played turn.
pub fn turn_skill_evidence(turn: &TurnOutcome) -> Vec<(Skill, f32)> {
    skill_evidence(&turn.fit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_skill_has_its_own_term_and_its_id_reads_back() {
        let mut terms: Vec<Component> = Skill::ALL.iter().map(|s| s.component()).collect();
        terms.dedup();
        assert_eq!(terms.len(), Skill::ALL.len());
        for skill in Skill::ALL {
            assert_eq!(Skill::from_id(skill.id()), Some(skill));
        }
    }
}
