//! The client's profile: stable traits (reactance, coping style, expectations...),
//! preferences, culture and faith, risk, what the intake tells the student, what the client
//! keeps back, and how they look.

use serde::{Deserialize, Serialize};

use super::RiskLevel;
use crate::model::School;

/// Who the client is. `background` and `presenting_problem` are the author's whole truth,
/// secrets included; the student reads only `intake`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClientProfile {
    pub name: String,
    pub age: u32,
    pub pronouns: String,
    pub background: String,
    pub presenting_problem: String,
    /// What a counsellor is told before the first meeting: the only client text the library
    /// card and the briefing show. Files written before it existed fall back to
    /// `presenting_problem` and `background` (`scenario::student_intake`).
    #[serde(default)]
    pub intake: Option<Intake>,
    /// What the client keeps back at first, for `attune check` to keep out of what the
    /// student reads before it comes out. Never shown in the app.
    #[serde(default)]
    pub keeps_back: Vec<KeptBack>,
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

/// The referral and the intake form, as a counsellor receives them: what the referrer and
/// the client have said so far, and nothing the client keeps back.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Intake {
    /// Who referred the client, e.g. "GP referral (Dr Ann Patel, Parkview Surgery)" or
    /// "Self-referral by phone".
    #[serde(default)]
    pub referred_by: String,
    /// Why they are coming, in a sentence or two: the library card's line.
    pub reason: String,
    /// The referral letter or intake notes, in the referrer's words.
    pub referral: String,
    /// What the client says they want from help.
    #[serde(default)]
    pub wants: String,
    /// Culture and language, as the intake form records them.
    #[serde(default)]
    pub culture: String,
    /// Faith, as the intake form records it.
    #[serde(default)]
    pub faith: String,
    /// Risk as screened at referral; the level shown beside it is `risk.level`.
    #[serde(default)]
    pub risk: String,
}

/// Something the client keeps back until the session earns it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KeptBack {
    /// One line for the instructor: what it is.
    pub what: String,
    /// The client flag a response or event sets when it comes out, e.g. "lapse_disclosed".
    pub disclosure_flag: String,
    /// Words that would give it away, matched as whole words whatever their case: list
    /// each form ("drank", "drinking") and phrases ("one drink") as they would be written.
    pub give_away_words: Vec<String>,
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
