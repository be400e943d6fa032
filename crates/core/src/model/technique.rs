//! A technique as the catalogue describes it: its school, its attributes for matching
//! (directiveness, focus, arousal, the stages it suits, its relational stance), its MITI
//! code, prerequisites and contraindications.

use serde::{Deserialize, Serialize};

use super::School;
use crate::model::{Condition, Stage};

/// One therapeutic technique and the attributes the engine reasons about
/// (clinical-model.md section 6).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Technique {
    pub id: String,
    pub name: String,
    pub school: School,
    /// Other schools that use the move as their own (reflection is person-centred and MI).
    #[serde(default)]
    pub also: Vec<School>,
    pub description: String,
    /// What the therapist might say.
    pub example: String,
    /// 0 client-led .. 1 therapist-directed.
    pub directiveness: f32,
    /// 0 insight/affect .. 1 symptom/skill.
    pub focus: f32,
    /// -1 lowers arousal .. +1 raises it.
    pub arousal: f32,
    /// Stages the technique fits; empty means every stage.
    #[serde(default)]
    pub stages: Vec<Stage>,
    pub relational: Relational,
    /// 0..1: how well the move repairs an open rupture (metacommunication 1, validation
    /// high, a skills drill 0).
    #[serde(default)]
    pub repair: f32,
    /// Whether the move assesses suicide risk (and so meets the safety gate).
    #[serde(default)]
    pub assesses_risk: bool,
    pub miti: MitiCode,
    /// Free tags that scenario conditions can match, e.g. "reflection", "skill".
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub prerequisites: Vec<Prerequisite>,
    #[serde(default)]
    pub contraindications: Vec<Contraindication>,
    /// Flags the move establishes when delivered with adequate fit, e.g. "rationale_given".
    #[serde(default)]
    pub establishes: Vec<String>,
}

impl Technique {
    pub fn fits_stage(&self, stage: Stage) -> bool {
        self.stages.is_empty() || self.stages.contains(&stage)
    }

    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }

    pub fn belongs_to(&self, school: School) -> bool {
        self.school == school || self.also.contains(&school)
    }
}

/// The relational common factors a move carries, each -1..1 (Norcross & Lambert 2018).
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Relational {
    pub empathy: f32,
    pub collaboration: f32,
    pub warmth: f32,
    /// How much the move builds a credible rationale (expectations r = 0.18).
    pub credibility: f32,
}

/// Behaviour codes of MITI 4.2.1, used for the session's behaviour counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum MitiCode {
    Question,
    SimpleReflection,
    ComplexReflection,
    Affirmation,
    SeekingCollaboration,
    EmphasizingAutonomy,
    GivingInformation,
    Persuade,
    /// Persuasion after asking permission: MITI codes it apart from plain persuasion.
    PersuadeWithPermission,
    Confront,
    Other,
}

/// Something that must hold before a technique can work, e.g. a rationale before
/// exposure. An unmet prerequisite costs points.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Prerequisite {
    pub needs: Condition,
    /// Plain words for feedback: "the client has a coping skill to use".
    pub label: String,
}

/// A client state in which a technique does harm. A contraindicated move caps the turn.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contraindication {
    pub when: Condition,
    /// Why, with its source: "premature interpretation at high distress harms (...)".
    pub reason: String,
}
