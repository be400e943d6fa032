//! Conditions on the trainee's move and the client's state. One type serves response
//! lines, events, key moments, prerequisites and contraindications, so authors learn one
//! vocabulary. Every field is optional; all the fields given must hold.

use serde::{Deserialize, Serialize};

use crate::model::{ClientState, RiskLevel, Rupture, Stage};
use crate::model::{MomentKind, School, Technique, Verdict};

/// An inclusive range; either end may be left open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    #[serde(default)]
    pub min: Option<f32>,
    #[serde(default)]
    pub max: Option<f32>,
}

impl Range {
    pub fn contains(&self, value: f32) -> bool {
        self.min.is_none_or(|m| value >= m) && self.max.is_none_or(|m| value <= m)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    // --- the move ---
    /// The technique is one of these ids.
    #[serde(default)]
    pub techniques: Vec<String>,
    /// The technique is none of these ids.
    #[serde(default)]
    pub not_techniques: Vec<String>,
    /// The technique belongs to one of these schools.
    #[serde(default)]
    pub schools: Vec<School>,
    /// The technique carries at least one of these tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Effective directiveness after the trainee's adaptation, 0..1.
    #[serde(default)]
    pub directiveness: Option<Range>,
    /// Effective focus, 0 insight/affect .. 1 symptom/skill.
    #[serde(default)]
    pub focus: Option<Range>,
    /// Effective arousal effect, -1..1.
    #[serde(default)]
    pub arousal: Option<Range>,
    /// The turn's fit score, 0..100 (response lines and key moments only).
    #[serde(default)]
    pub fit: Option<Range>,
    #[serde(default)]
    pub asked_permission: Option<bool>,
    #[serde(default)]
    pub culturally_adapted: Option<bool>,
    #[serde(default)]
    pub spiritually_adapted: Option<bool>,

    // --- the client ---
    #[serde(default)]
    pub bond: Option<Range>,
    #[serde(default)]
    pub alliance: Option<Range>,
    #[serde(default)]
    pub distress: Option<Range>,
    #[serde(default)]
    pub hope: Option<Range>,
    #[serde(default)]
    pub reactance: Option<Range>,
    #[serde(default)]
    pub stages: Vec<Stage>,
    /// The rupture state is one of these (None means no rupture is open).
    #[serde(default)]
    pub rupture: Vec<Rupture>,
    /// A rupture opened on this very turn.
    #[serde(default)]
    pub rupture_opened: Option<bool>,
    /// A rupture was repaired on this very turn.
    #[serde(default)]
    pub rupture_repaired: Option<bool>,
    #[serde(default)]
    pub risk_at_least: Option<RiskLevel>,
    #[serde(default)]
    pub risk_below: Option<RiskLevel>,
    #[serde(default)]
    pub risk_assessed: Option<bool>,
    /// All of these flags are set (prerequisites met, markers present).
    #[serde(default)]
    pub flags: Vec<String>,
    /// None of these flags is set.
    #[serde(default)]
    pub not_flags: Vec<String>,
    /// The client has one of these clinical flags (from the client profile).
    #[serde(default)]
    pub client_flags: Vec<String>,
    /// The turn number (1 is the trainee's first move) lies in this range.
    #[serde(default)]
    pub turn: Option<Range>,
    /// This event fired on this turn.
    #[serde(default)]
    pub event: Option<String>,

    // --- the moment (response lines and key moments) ---
    /// The moment open when the move was made is one of these (docs/authoring.md, Moments).
    #[serde(default)]
    pub open_moment: Vec<MomentKind>,
    /// How the move met that moment: `Answered`, `PassedOver` or `Overridden`.
    #[serde(default)]
    pub verdict: Option<Verdict>,
}

/// What a condition is evaluated against. Move fields are absent when a condition is
/// evaluated outside a turn (an event scheduled on state alone still sees the last move).
pub struct Facts<'a> {
    pub technique: Option<&'a Technique>,
    pub directiveness: f32,
    pub focus: f32,
    pub arousal: f32,
    pub fit: Option<f32>,
    pub asked_permission: bool,
    pub culturally_adapted: bool,
    pub spiritually_adapted: bool,
    pub state: &'a ClientState,
    pub client_flags: &'a [String],
    pub rupture_opened: bool,
    pub rupture_repaired: bool,
    pub turn: u32,
    pub events_fired: &'a [&'a str],
    /// The moment open when the move was made, and how the move met it.
    pub moment: Option<MomentKind>,
    pub verdict: Option<Verdict>,
}

impl<'a> Facts<'a> {
    /// Facts about the client's state alone, with no move (a moment's `closes_when`).
    pub fn of_state(state: &'a ClientState, turn: u32) -> Facts<'a> {
        Facts {
            technique: None,
            directiveness: 0.0,
            focus: 0.0,
            arousal: 0.0,
            fit: None,
            asked_permission: false,
            culturally_adapted: false,
            spiritually_adapted: false,
            state,
            client_flags: &[],
            rupture_opened: false,
            rupture_repaired: false,
            turn,
            events_fired: &[],
            moment: None,
            verdict: None,
        }
    }
}

impl Condition {
    pub fn holds(&self, f: &Facts) -> bool {
        self.identity_holds(f.technique) && self.rest_holds(f)
    }

    /// The technique part alone: `techniques`, `not_techniques`, `schools`, `tags`. It
    /// depends on the technique only, so a prepared scenario works it out once per line and
    /// technique (`engine::prepared`), and a turn checks the rest (`rest_holds`).
    pub fn identity_holds(&self, t: Option<&Technique>) -> bool {
        (self.techniques.is_empty() || t.is_some_and(|t| self.techniques.contains(&t.id)))
            && !t.is_some_and(|t| self.not_techniques.contains(&t.id))
            && (self.schools.is_empty()
                || t.is_some_and(|t| self.schools.iter().any(|s| t.belongs_to(*s))))
            && (self.tags.is_empty() || t.is_some_and(|t| self.tags.iter().any(|g| t.has_tag(g))))
    }

    /// Everything but the technique part.
    pub fn rest_holds(&self, f: &Facts) -> bool {
        let in_range = |r: &Option<Range>, v: f32| r.as_ref().is_none_or(|r| r.contains(v));
        let flag_eq = |want: &Option<bool>, have: bool| want.is_none_or(|w| w == have);
        in_range(&self.directiveness, f.directiveness)
            && in_range(&self.focus, f.focus)
            && in_range(&self.arousal, f.arousal)
            && self
                .fit
                .as_ref()
                .is_none_or(|r| f.fit.is_some_and(|v| r.contains(v)))
            && flag_eq(&self.asked_permission, f.asked_permission)
            && flag_eq(&self.culturally_adapted, f.culturally_adapted)
            && flag_eq(&self.spiritually_adapted, f.spiritually_adapted)
            && in_range(&self.bond, f.state.bond)
            && in_range(&self.alliance, f.state.alliance())
            && in_range(&self.distress, f.state.distress)
            && in_range(&self.hope, f.state.hope)
            && in_range(&self.reactance, f.state.reactance())
            && (self.stages.is_empty() || self.stages.contains(&f.state.stage))
            && (self.rupture.is_empty() || self.rupture.contains(&f.state.rupture))
            && flag_eq(&self.rupture_opened, f.rupture_opened)
            && flag_eq(&self.rupture_repaired, f.rupture_repaired)
            && self.risk_at_least.is_none_or(|r| f.state.risk() >= r)
            && self.risk_below.is_none_or(|r| f.state.risk() < r)
            && flag_eq(&self.risk_assessed, f.state.risk_assessed)
            && self.flags.iter().all(|g| f.state.has_flag(g))
            && !self.not_flags.iter().any(|g| f.state.has_flag(g))
            && (self.client_flags.is_empty()
                || self.client_flags.iter().any(|g| f.client_flags.contains(g)))
            && in_range(&self.turn, f.turn as f32)
            && self
                .event
                .as_ref()
                .is_none_or(|e| f.events_fired.contains(&e.as_str()))
            && (self.open_moment.is_empty()
                || f.moment.is_some_and(|m| self.open_moment.contains(&m)))
            && self.verdict.is_none_or(|v| f.verdict == Some(v))
    }

    /// How many constraints the condition sets: among lines of equal priority the most
    /// specific one is said.
    pub fn specificity(&self) -> u32 {
        let lists = [
            &self.techniques,
            &self.not_techniques,
            &self.tags,
            &self.flags,
            &self.not_flags,
            &self.client_flags,
        ];
        let ranges = [
            &self.directiveness,
            &self.focus,
            &self.arousal,
            &self.fit,
            &self.bond,
            &self.alliance,
            &self.distress,
            &self.hope,
            &self.reactance,
            &self.turn,
        ];
        let bools = [
            &self.asked_permission,
            &self.culturally_adapted,
            &self.spiritually_adapted,
            &self.rupture_opened,
            &self.rupture_repaired,
            &self.risk_assessed,
        ];
        lists.iter().filter(|l| !l.is_empty()).count() as u32
            + ranges.iter().filter(|r| r.is_some()).count() as u32
            + bools.iter().filter(|b| b.is_some()).count() as u32
            + u32::from(!self.schools.is_empty())
            + u32::from(!self.stages.is_empty())
            + u32::from(!self.rupture.is_empty())
            + u32::from(self.risk_at_least.is_some())
            + u32::from(self.risk_below.is_some())
            + u32::from(self.event.is_some())
            + u32::from(!self.open_moment.is_empty())
            + u32::from(self.verdict.is_some())
    }

    /// Whether the condition looks at the move (technique or adaptation) at all.
    pub fn is_about_move(&self) -> bool {
        !self.techniques.is_empty()
            || !self.not_techniques.is_empty()
            || !self.schools.is_empty()
            || !self.tags.is_empty()
            || self.directiveness.is_some()
            || self.focus.is_some()
            || self.arousal.is_some()
            || self.asked_permission.is_some()
            || self.culturally_adapted.is_some()
            || self.spiritually_adapted.is_some()
            || self.verdict.is_some()
    }
}
