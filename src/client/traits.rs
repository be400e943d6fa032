use serde::{Deserialize, Serialize};

use super::RiskLevel;
use crate::catalogue::School;

/// Who the client is: everything an intake would record.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClientProfile {
    pub name: String,
    pub age: u32,
    pub pronouns: String,
    pub background: String,
    pub presenting_problem: String,
    pub traits: ClientTraits,
    #[serde(default)]
    pub preferences: Preferences,
    #[serde(default)]
    pub culture: Culture,
    #[serde(default)]
    pub religion: Culture,
    #[serde(default)]
    pub risk: RiskProfile,
    /// Clinical facts that techniques can be contraindicated by, e.g. "active_self_harm",
    /// "dissociation", "psychosis", "severe_substance_misuse".
    #[serde(default)]
    pub clinical_flags: Vec<String>,
    /// How the app draws the client; chosen from the name when absent.
    #[serde(default)]
    pub appearance: Option<Appearance>,
}

/// The portrait's look, so a client is drawn as the author imagines them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Appearance {
    /// 1 (lightest) to 5 (darkest).
    #[serde(default)]
    pub skin_tone: Option<u8>,
    #[serde(default)]
    pub hair: Option<HairColour>,
    #[serde(default)]
    pub hair_style: Option<HairStyle>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum HairColour {
    Black,
    DarkBrown,
    Brown,
    Auburn,
    Blonde,
    Grey,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum HairStyle {
    Short,
    Long,
    Tied,
    Bald,
}

/// Beutler's Systematic Treatment Selection dimensions plus attachment and expectations,
/// each 0..1 (clinical-model.md sections 2 and 4).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClientTraits {
    /// Trait reactance: how strongly the client resists being directed (d = 0.79).
    pub reactance: f32,
    /// Coping style: 1 externalizing, 0 internalizing (d = 0.60).
    pub externalizing: f32,
    pub impairment: f32,
    pub complexity: f32,
    pub social_support: f32,
    pub attachment_security: f32,
    /// Outcome expectations (r = 0.18): low values make credibility matter more.
    #[serde(default = "half")]
    pub expectations: f32,
}

fn half() -> f32 {
    0.5
}

impl ClientTraits {
    /// Reactance or externalizing from which a client's ruptures are confrontations.
    pub const CONFRONTS_FROM: f32 = 0.6;

    /// The kind of rupture this client opens under strain: reactant or externalizing
    /// clients push back, others pull away (Safran & Muran 2000).
    pub fn rupture_kind(&self) -> super::Rupture {
        if self.reactance >= Self::CONFRONTS_FROM || self.externalizing >= Self::CONFRONTS_FROM {
            super::Rupture::Confrontation
        } else {
            super::Rupture::Withdrawal
        }
    }
}

/// What the client wants from therapy (Swift et al. 2018: honoured preferences halve dropout).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Preferences {
    /// Preferred therapist directiveness 0..1, if the client has a clear view.
    #[serde(default)]
    pub directiveness: Option<f32>,
    /// Preferred focus 0 (insight/affect) .. 1 (symptom/skill).
    #[serde(default)]
    pub focus: Option<f32>,
    #[serde(default)]
    pub schools: Vec<School>,
    #[serde(default)]
    pub avoid_schools: Vec<School>,
    #[serde(default)]
    pub notes: String,
}

/// Cultural or religious salience: how much adapting to it matters to this client
/// (culturally adapted treatment d = 0.50; religious accommodation g = 0.33).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Culture {
    #[serde(default)]
    pub salience: f32,
    #[serde(default)]
    pub notes: String,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RiskProfile {
    /// Risk at intake; scheduled events can raise it during the session.
    #[serde(default)]
    pub level: RiskLevel,
    #[serde(default)]
    pub risk_factors: Vec<String>,
    #[serde(default)]
    pub protective_factors: Vec<String>,
    #[serde(default)]
    pub notes: String,
}
