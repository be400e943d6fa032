//! Every weight and constant of the scoring model, read from `assets/scoring.ron`, each
//! with the source it comes from (clinical-model.md sections 4 to 7).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::model::Component;
use crate::model::Template;

pub const DEFAULT_SCORING_TEXT: &str = include_str!("../../../../assets/scoring.ron");
pub const DEFAULT_SCORING_PATH: &str = "assets/scoring.ron";

/// A number and where it comes from.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Sourced {
    pub value: f32,
    pub source: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringConfig {
    /// Relative weight of each match term in the turn fit.
    pub weights: BTreeMap<Component, Sourced>,
    pub matching: Matching,
    pub adaptations: Adaptations,
    pub penalties: Penalties,
    pub dynamics: Dynamics,
    /// Words for the per-turn explanation, by component.
    pub explanations: BTreeMap<Component, Phrases>,
    /// Where the explanation calls a client characteristic high or low.
    pub bands: Bands,
    /// How the Facilitative Interpersonal Skills items are rated. A scoring file written
    /// before they were configurable gets the shipped rules.
    #[serde(default = "builtin_fis")]
    pub fis: super::FisRules,
}

fn builtin_fis() -> super::FisRules {
    super::FisRules::builtin().clone()
}

/// Where a 0..1 client characteristic is named high or low in the per-turn explanation
/// ("High reactance", "Internalizing coping", "Very high distress"). Words only: the fit
/// itself uses the continuous values.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Bands {
    pub reactance_high: Sourced,
    pub reactance_low: Sourced,
    pub externalizing_high: Sourced,
    pub externalizing_low: Sourced,
    pub distress_very_high: Sourced,
    pub distress_high: Sourced,
    pub distress_low: Sourced,
    pub expectations_low: Sourced,
    pub alliance_fragile: Sourced,
    pub alliance_developing: Sourced,
    pub support_low: Sourced,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Matching {
    /// An authoring check: a term (-1..1) at or below this is "clearly against" the client,
    /// as `attune check` warns of a preference every suitable move must go against.
    pub clearly_against: Sourced,
    /// How fast a gap between a move and its ideal turns a term from +1 to -1.
    pub gap_slope: Sourced,
    /// The same for arousal, whose scale (-1..1) is twice as wide.
    pub arousal_slope: Sourced,
    /// The last stretch of a term's range, above -1, where the gap curve closes slowly
    /// instead of stopping, so a bigger gap always scores lower.
    pub gap_tail: Sourced,
    /// How far a move may sit from its ideal before the explanation says it overshot or
    /// undershot what the client needed.
    pub overshoot_margin: Sourced,
    /// How much of the slope applies when a move is less directive than the ideal.
    pub under_direction_factor: Sourced,
    /// How much steeper over-direction is judged per unit of state reactance.
    pub reactance_amplifier: Sourced,
    /// Distress at which change is likeliest; arousal should rise below it, fall above it.
    pub optimal_distress: Sourced,
    /// How strongly distress away from the optimum calls for raising or lowering arousal.
    pub arousal_gain: Sourced,
    /// Cultural or religious salience above which adapting the wording matters.
    pub salience_threshold: Sourced,
    /// How much each stage a move lags behind the client's stage costs (from +1).
    pub stage_behind_step: Sourced,
    /// How much each stage a move runs ahead of the client's stage costs (from +1).
    pub stage_ahead_step: Sourced,
    /// How far high (or low) impairment moves the ideal directiveness toward (or away from)
    /// structure, at the extremes.
    pub impairment_structure: Sourced,
    /// How far high (or low) complexity moves the ideal focus toward insight and thematic
    /// work (or toward symptom relief), at the extremes.
    pub complexity_depth: Sourced,
    /// How much more empathy and warmth weigh per unit complexity exceeds social support.
    pub support_relational: Sourced,
    /// The least directiveness that serves a client who has asked for guidance.
    pub guidance_ideal: Sourced,
    /// Preferred directiveness at or above which a client wants to be guided, so
    /// permission and options earn nothing.
    pub prefers_direction: Sourced,
}

/// How each adaptation shifts a technique's attributes.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Adaptations {
    pub ask_permission: Sourced,
    pub offer_as_option: Sourced,
    pub prescribe: Sourced,
    pub focus_shift: Sourced,
    pub pacing_shift: Sourced,
    pub collaborative_framing: Sourced,
    pub expert_framing: Sourced,
    /// Collaboration earned by asking permission, per unit of the client's reactance.
    pub permission_collaboration: Sourced,
    /// Collaboration earned by offering a move as an option, per unit of reactance.
    pub option_collaboration: Sourced,
    /// Credibility a move gains per unit of collaboration its framing spends (and loses per
    /// unit it adds).
    pub framing_credibility: Sourced,
    /// Directiveness at or below which a technique has no direction to adapt: prescribing,
    /// permission and framing take none of their effect.
    pub reach_floor: Sourced,
    /// How much more directiveness than `reach_floor` a technique needs to take all of it.
    pub reach_span: Sourced,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Penalties {
    pub contraindication_cap: Sourced,
    pub prerequisite_penalty: Sourced,
    pub pass_mark: Sourced,
    /// Effective arousal above which a move counts as arousal-raising while risk is high.
    pub high_risk_arousal_limit: Sourced,
    /// How many times in a row a micro-skill may be used before the next use is capped.
    pub repetition_run_allowed: Sourced,
    /// The same for a structured technique (a formulation, a skill, an exercise).
    pub structured_run_allowed: Sourced,
    /// The same for a multi-turn task (a chair dialogue, a step of exposure).
    pub multi_turn_run_allowed: Sourced,
    /// How many times one structured technique may be used in a session before later uses are capped.
    pub repetition_session_allowed: Sourced,
    /// The same for multi-turn tasks (techniques carrying one of `multi_turn_tags`).
    pub multi_turn_session_allowed: Sourced,
    pub multi_turn_tags: Tags,
    /// A technique carrying one of these tags, and no more directive than
    /// `microskill_directiveness_max`, is a micro-skill.
    pub microskill_tags: Tags,
    /// Above this directiveness a tagged question or reflection is a structured technique.
    pub microskill_directiveness_max: Sourced,
    /// The cap on a move whose prerequisites are not met (besides its penalty).
    pub prerequisite_cap: Sourced,
    /// The same for reflections and questions, the micro-skills every conversation is made of.
    pub microskill_session_allowed: Sourced,
    pub repetition_cap: Sourced,
    /// The cap on a move the open moment rules out.
    pub moment_cap: Sourced,
    /// The cap on any move other than assessing or containing an open, unassessed risk cue.
    pub safety_cap: Sourced,
    /// The share of a capped move's fit above its cap that still counts, so that a capped
    /// move done better still scores a little better (adaptation order holds under caps).
    pub cap_slack: Sourced,
    /// A line marked as the client's reaction to a misstep must follow only moves below this.
    pub misstep_fit_below: Sourced,
    /// A line marked as a welcoming reaction must follow only moves at or above this.
    pub welcoming_fit_at_least: Sourced,
}

/// A list of technique tags and why they are listed.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Tags {
    pub tags: Vec<String>,
    pub source: String,
}

/// How the client state moves each turn (clinical-model.md section 7).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Dynamics {
    pub bond_rate: Sourced,
    pub goals_rate: Sourced,
    /// The share of the bond's growth a fully insecurely attached client still makes.
    pub insecure_bond_share: Sourced,
    /// How much a collaborative move adds to agreement on goals, beside its fit.
    pub goals_collaboration_weight: Sourced,
    pub tasks_rate: Sourced,
    pub distress_arousal_rate: Sourced,
    pub relief_rate: Sourced,
    pub hope_rate: Sourced,
    pub stage_rate: Sourced,
    pub stage_alliance_min: Sourced,
    /// The fit a move needs for the client's stage to advance with it.
    pub stage_fit_min: Sourced,
    pub strain_decay: Sourced,
    pub strain_threshold: Sourced,
    pub reactance_rise: Sourced,
    pub reactance_recovery: Sourced,
    pub rupture_bond_drop: Sourced,
    pub repair_min: Sourced,
    pub repair_fit_min: Sourced,
    pub repair_bonus: Sourced,
    pub establish_fit_min: Sourced,
}

/// Explanation phrases. `good` when the term helped; `too_high` / `too_low` when the move
/// overshot or undershot what this client needed (for relational terms only `too_low`).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Phrases {
    pub good: Template,
    #[serde(default)]
    pub too_high: Template,
    pub too_low: Template,
    /// Advice for the coming move, for the consult panel: "keep the direction low".
    pub advice: Template,
    /// The principle and effect size the explanation names: "reactance matching, d = 0.79".
    pub principle: Arc<str>,
    /// Where it comes from: "Beutler et al. 2018".
    pub source: Arc<str>,
}

impl ScoringConfig {
    pub fn parse(text: &str) -> Result<ScoringConfig, String> {
        let config: ScoringConfig = crate::source::ron_options()
            .from_str(text)
            .map_err(|e| format!("{}:{}: {}", e.span.start.line, e.span.start.col, e.code))?;
        for component in Component::ALL {
            if !config.weights.contains_key(&component) {
                return Err(format!("the weight of `{component:?}` is missing"));
            }
            if !config.explanations.contains_key(&component) {
                return Err(format!("the explanation of `{component:?}` is missing"));
            }
        }
        for item in super::FisItem::ALL {
            if !config.fis.items.contains_key(&item) {
                return Err(format!("the FIS item `{item:?}` has no label and basis"));
            }
        }
        Ok(config)
    }

    /// The configuration shipped in `assets/scoring.ron`.
    pub fn builtin() -> ScoringConfig {
        ScoringConfig::parse(DEFAULT_SCORING_TEXT)
            .expect("assets/scoring.ron is checked by the test suite")
    }

    pub fn weight(&self, component: Component) -> f32 {
        self.weights.get(&component).map_or(0.0, |w| w.value)
    }

    pub fn phrases(&self, component: Component) -> &Phrases {
        &self.explanations[&component]
    }
}
