//! The eight Facilitative Interpersonal Skills items (Anderson et al. 2009; clinical-model.md
//! section 8), each 1..5. FIS observers rate how a therapist's responses land with a
//! difficult client, so each item rests on what happened as the client received it: a
//! warm move that misfired conveyed little warmth, and a session the client walked out of
//! did not show a strong bond. The rules' constants and their sources are in the `fis`
//! section of `assets/scoring.ron`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::config::Sourced;
use crate::model::{Component, Reaction, SessionEnd, StateSnapshot, TurnFlag};
use crate::scoring::TurnOutcome;

/// The eight items, in the order Anderson et al. list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum FisItem {
    VerbalFluency,
    EmotionalExpression,
    WarmthAcceptanceUnderstanding,
    Empathy,
    Persuasiveness,
    HopePositiveExpectations,
    AllianceBondCapacity,
    RuptureRepairResponsiveness,
}

impl FisItem {
    pub const ALL: [FisItem; 8] = [
        FisItem::VerbalFluency,
        FisItem::EmotionalExpression,
        FisItem::WarmthAcceptanceUnderstanding,
        FisItem::Empathy,
        FisItem::Persuasiveness,
        FisItem::HopePositiveExpectations,
        FisItem::AllianceBondCapacity,
        FisItem::RuptureRepairResponsiveness,
    ];
}

/// Facilitative Interpersonal Skills (Anderson et al. 2009), each 1..5.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FisItems {
    pub verbal_fluency: u8,
    pub emotional_expression: u8,
    pub warmth_acceptance_understanding: u8,
    pub empathy: u8,
    pub persuasiveness: u8,
    pub hope_positive_expectations: u8,
    pub alliance_bond_capacity: u8,
    pub rupture_repair_responsiveness: u8,
}

impl FisItems {
    pub fn get(&self, item: FisItem) -> u8 {
        match item {
            FisItem::VerbalFluency => self.verbal_fluency,
            FisItem::EmotionalExpression => self.emotional_expression,
            FisItem::WarmthAcceptanceUnderstanding => self.warmth_acceptance_understanding,
            FisItem::Empathy => self.empathy,
            FisItem::Persuasiveness => self.persuasiveness,
            FisItem::HopePositiveExpectations => self.hope_positive_expectations,
            FisItem::AllianceBondCapacity => self.alliance_bond_capacity,
            FisItem::RuptureRepairResponsiveness => self.rupture_repair_responsiveness,
        }
    }
}

/// How an item is named and what its rating rests on, for the debrief.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FisItemText {
    pub label: String,
    /// What the rating rests on, in words a student reads.
    pub basis: String,
    pub source: String,
}

/// The constants of the FIS rules, each with its source.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FisRules {
    /// The fit at which a move conveys a skill neither way.
    pub fit_neutral: Sourced,
    /// The fit at which a move conveys all of what its technique can.
    pub fit_full: Sourced,
    /// The least fit of a move that counts as fluent.
    pub fluent_fit_min: Sourced,
    /// The most a move can show (on -1..1) when the client's line was a reaction to a misstep.
    pub misstep_reaction: Sourced,
    /// What each rupture left unrepaired takes off the relational items (on -1..1).
    pub unrepaired_rupture: Sourced,
    /// The highest rating of the relational items when the client dropped out.
    pub dropout_cap: Sourced,
    /// The highest rating of emotional expression and hope when the session ended in crisis.
    pub crisis_cap: Sourced,
    /// The change in hope or alliance over a session that moves an item from 3 to 5.
    pub meter_span: Sourced,
    /// Rupture-repair responsiveness when no rupture arose to test it.
    pub untested_repair: Sourced,
    pub items: BTreeMap<FisItem, FisItemText>,
}

impl FisRules {
    /// The rules shipped in `assets/scoring.ron`, read once. The session summary rates with
    /// these (every scenario is prepared with the shipped scoring file; `SummaryInput` does
    /// not carry the prepared configuration).
    pub fn builtin() -> &'static FisRules {
        static RULES: std::sync::OnceLock<FisRules> = std::sync::OnceLock::new();
        RULES.get_or_init(|| super::ScoringConfig::builtin().fis)
    }

    pub fn text(&self, item: FisItem) -> &FisItemText {
        &self.items[&item]
    }
}

/// -1..1 onto 1..5.
pub(super) fn item(v: f32) -> u8 {
    (3.0 + 2.0 * v).round().clamp(1.0, 5.0) as u8
}

/// What a session shows, as the rules need it.
pub struct FisEvidence<'a> {
    pub turns: &'a [TurnOutcome],
    pub initial: StateSnapshot,
    pub ended: Option<SessionEnd>,
    pub ruptures_opened: u32,
    pub ruptures_repaired: u32,
}

impl FisEvidence<'_> {
    /// How much of a component a move conveyed as the client received it, -1..1: its term,
    /// no more than how well the move fitted, and no more than `misstep_reaction` when the
    /// client's line was a reaction to a misstep.
    fn received(&self, t: &TurnOutcome, c: Component, rules: &FisRules) -> Option<f32> {
        let value = t.fit.component(c)?.value;
        let (neutral, full) = (rules.fit_neutral.value, rules.fit_full.value);
        let landed = ((t.fit.score - neutral) / (full - neutral).max(1.0)).clamp(-1.0, 1.0);
        let mut shown = value.min(landed);
        if t.reaction == Some(Reaction::Misstep) {
            shown = shown.min(rules.misstep_reaction.value);
        }
        Some(shown)
    }

    fn mean_received(&self, c: Component, rules: &FisRules) -> f32 {
        let values: Vec<f32> = self
            .turns
            .iter()
            .filter_map(|t| self.received(t, c, rules))
            .collect();
        if values.is_empty() {
            -1.0
        } else {
            values.iter().sum::<f32>() / values.len() as f32
        }
    }

    fn last(&self) -> StateSnapshot {
        self.turns.last().map_or(self.initial, |t| t.after)
    }

    fn unrepaired(&self) -> f32 {
        self.ruptures_opened.saturating_sub(self.ruptures_repaired) as f32
    }
}

pub fn rate(e: &FisEvidence, rules: &FisRules) -> FisItems {
    if e.turns.is_empty() {
        // No response was made, so no skill was shown.
        return FisItems {
            verbal_fluency: 1,
            emotional_expression: 1,
            warmth_acceptance_understanding: 1,
            empathy: 1,
            persuasiveness: 1,
            hope_positive_expectations: 1,
            alliance_bond_capacity: 1,
            rupture_repair_responsiveness: 1,
        };
    }
    let n = e.turns.len() as f32;
    let cap = |rating: u8, limit: &Sourced, applies: bool| {
        if applies {
            rating.min(limit.value.round().clamp(1.0, 5.0) as u8)
        } else {
            rating
        }
    };
    let dropout = e.ended == Some(SessionEnd::Dropout);
    let crisis = e.ended == Some(SessionEnd::Crisis);
    let relational = |v: f32| {
        cap(
            item(v - rules.unrepaired_rupture.value * e.unrepaired()),
            &rules.dropout_cap,
            dropout,
        )
    };
    let clean = e
        .turns
        .iter()
        .filter(|t| {
            t.fit.cap.is_none()
                && t.fit.unmet_prerequisites.is_empty()
                && t.fit.score >= rules.fluent_fit_min.value
        })
        .count() as f32;
    let last = e.last();
    let span = rules.meter_span.value.max(0.01);
    let repair = if e.ruptures_opened == 0 {
        rules.untested_repair.value.round().clamp(1.0, 5.0) as u8
    } else {
        (1.0 + 4.0 * e.ruptures_repaired as f32 / e.ruptures_opened as f32)
            .round()
            .clamp(1.0, 5.0) as u8
    };
    FisItems {
        verbal_fluency: (1.0 + 4.0 * clean / n).round() as u8,
        emotional_expression: cap(
            cap(
                item(e.mean_received(Component::Arousal, rules)),
                &rules.crisis_cap,
                crisis,
            ),
            &rules.dropout_cap,
            dropout,
        ),
        warmth_acceptance_understanding: relational(e.mean_received(Component::Warmth, rules)),
        empathy: relational(e.mean_received(Component::Empathy, rules)),
        // Persuaded is what the client came to agree to: the credibility the moves offered
        // and the rise in agreement on goals and tasks (Bordin), half each.
        persuasiveness: cap(
            item(
                (e.mean_received(Component::Credibility, rules)
                    + ((agreement(&last) - agreement(&e.initial)) / span).clamp(-1.0, 1.0))
                    / 2.0,
            ),
            &rules.dropout_cap,
            dropout,
        ),
        hope_positive_expectations: cap(
            cap(
                item((last.hope - e.initial.hope) / span),
                &rules.crisis_cap,
                crisis,
            ),
            &rules.dropout_cap,
            dropout,
        ),
        alliance_bond_capacity: relational((last.alliance - e.initial.alliance) / span),
        rupture_repair_responsiveness: cap(repair, &rules.dropout_cap, dropout),
    }
}

/// Agreement on the goals and tasks of the work, 0..1 (Bordin's alliance, less the bond).
fn agreement(s: &StateSnapshot) -> f32 {
    (s.goals + s.tasks) / 2.0
}

/// Ruptures opened and repaired in a session.
pub(super) fn ruptures(turns: &[TurnOutcome]) -> (u32, u32) {
    let opened = turns
        .iter()
        .filter(|t| t.has_flag(|f| matches!(f, TurnFlag::RuptureOpened { .. })))
        .count() as u32;
    let repaired = turns
        .iter()
        .filter(|t| t.has_flag(|f| matches!(f, TurnFlag::RuptureRepaired)))
        .count() as u32;
    (opened, repaired)
}
