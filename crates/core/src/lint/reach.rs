//! What a scenario can reach at all: the stages, risk levels and flags its client can ever
//! be in, and every move the trainee can make. Each set over-approximates
//! (it holds everything the engine could produce, maybe more), so a condition that needs
//! something outside it can never hold.
//!
//! Rupture kinds are left out on purpose: which kind opens follows from the client's traits
//! by an engine rule, and library scenarios keep lines for both kinds so that tuning a
//! trait never leaves the client without a marker.

use std::collections::{BTreeSet, HashSet};

use crate::model::{Catalogue, Technique};
use crate::model::{ClientState, Condition, Facts, RiskLevel, Stage};
use crate::scenario::{Choice, Directiveness, Effect, FocusShift, Pacing, Scenario};
use crate::scoring::{MoveProfile, ScoringConfig};

pub struct Reach<'a> {
    pub scenario: &'a Scenario,
    /// The catalogue's techniques and the scenario's own.
    pub techniques: Vec<&'a Technique>,
    pub stages: BTreeSet<Stage>,
    pub risks: BTreeSet<RiskLevel>,
    /// Flags some effect, technique or the initial state can set.
    pub settable_flags: HashSet<&'a str>,
    /// Flags set from the start that nothing clears.
    pub permanent_flags: HashSet<&'a str>,
    pub can_assess_risk: bool,
    /// Every distinct way a technique can be delivered, as far as conditions can tell.
    pub moves: Vec<Move>,
    neutral_state: ClientState,
}

/// One technique delivered one way: the adaptations that change what a condition sees
/// (directiveness, focus, arousal, asked permission). Cultural and spiritual adaptation are
/// free choices on any move, so they are left out and treated apart.
pub struct Move {
    pub technique: usize,
    /// The move as delivered with the adaptations that give it (framing and cultural or
    /// spiritual adaptation left as they are).
    pub profile: MoveProfile,
}

fn all_effects(s: &Scenario) -> impl Iterator<Item = &Effect> {
    s.responses
        .iter()
        .flat_map(|r| &r.effects)
        .chain(s.events.iter().flat_map(|e| &e.effects))
}

impl<'a> Reach<'a> {
    pub fn of(s: &'a Scenario, catalogue: &'a Catalogue, cfg: &ScoringConfig) -> Reach<'a> {
        let techniques: Vec<&Technique> =
            catalogue.techniques.iter().chain(&s.techniques).collect();

        // Stages: the engine advances one stage at a time up to action, never past it;
        // `SetStage` effects can put the client anywhere they name.
        let mut starts: Vec<Stage> = vec![s.initial_state.stage];
        starts.extend(all_effects(s).filter_map(|e| match e {
            Effect::SetStage(st) => Some(*st),
            _ => None,
        }));
        let mut stages = BTreeSet::new();
        for mut st in starts {
            stages.insert(st);
            while st < Stage::Action {
                st = st.next();
                stages.insert(st);
            }
        }

        // Risk: the starting level, every level an effect sets, and each one lowered step by
        // step by assessment.
        let start_risk = s.initial_state.risk.unwrap_or(s.client.risk.level);
        let mut risk_starts = vec![start_risk];
        risk_starts.extend(all_effects(s).filter_map(|e| match e {
            Effect::SetRisk(r) => Some(*r),
            _ => None,
        }));
        let mut risks = BTreeSet::new();
        for mut r in risk_starts {
            risks.insert(r);
            while r.lower() != r {
                r = r.lower();
                risks.insert(r);
            }
        }

        let mut settable: HashSet<&str> =
            s.initial_state.flags.iter().map(String::as_str).collect();
        for t in &techniques {
            settable.extend(t.establishes.iter().map(String::as_str));
        }
        let mut cleared: HashSet<&str> = HashSet::new();
        for e in all_effects(s) {
            match e {
                Effect::SetFlag(f) => {
                    settable.insert(f);
                }
                Effect::ClearFlag(f) => {
                    cleared.insert(f);
                }
                _ => {}
            }
        }
        let permanent_flags = s
            .initial_state
            .flags
            .iter()
            .map(String::as_str)
            .filter(|f| !cleared.contains(f))
            .collect();

        let mut moves = Vec::with_capacity(techniques.len() * 36);
        for (i, t) in techniques.iter().enumerate() {
            for directiveness in Directiveness::ALL {
                for focus in FocusShift::ALL {
                    for pacing in Pacing::ALL {
                        let choice = Choice {
                            directiveness,
                            focus,
                            pacing,
                            ..Choice::new(&t.id)
                        };
                        moves.push(Move {
                            technique: i,
                            profile: MoveProfile::of(t, &choice, cfg),
                        });
                    }
                }
            }
        }

        Reach {
            scenario: s,
            can_assess_risk: s.initial_state.risk_assessed
                || techniques.iter().any(|t| t.assesses_risk),
            techniques,
            stages,
            risks,
            settable_flags: settable,
            permanent_flags,
            moves,
            neutral_state: s.initial_state.clone(),
        }
    }

    /// Which moves satisfy the condition's move constraints (the technique and how it is
    /// delivered), one entry per `self.moves`. Cultural and spiritual adaptation are not
    /// looked at.
    pub fn moves_matching(&self, c: &Condition) -> Vec<bool> {
        let mut allowed = vec![false; self.techniques.len()];
        for i in self.techniques_matching(c) {
            allowed[i] = true;
        }
        let delivery = c.directiveness.is_some()
            || c.focus.is_some()
            || c.arousal.is_some()
            || c.asked_permission.is_some();
        let only_delivery = Condition {
            directiveness: c.directiveness,
            focus: c.focus,
            arousal: c.arousal,
            asked_permission: c.asked_permission,
            ..Condition::default()
        };
        self.moves
            .iter()
            .map(|m| {
                let p = &m.profile;
                allowed[m.technique]
                    && (!delivery
                        || only_delivery.holds(&Facts {
                            directiveness: p.directiveness,
                            focus: p.focus,
                            arousal: p.arousal,
                            asked_permission: p.asked_permission,
                            ..self.neutral_facts(self.techniques[m.technique])
                        }))
            })
            .collect()
    }

    /// The techniques the condition's technique constraints (`techniques`, `not_techniques`,
    /// `schools`, `tags`) let through, whatever the delivery.
    pub fn techniques_matching(&self, c: &Condition) -> Vec<usize> {
        if c.techniques.is_empty()
            && c.not_techniques.is_empty()
            && c.schools.is_empty()
            && c.tags.is_empty()
        {
            return (0..self.techniques.len()).collect();
        }
        let only_identity = Condition {
            techniques: c.techniques.clone(),
            not_techniques: c.not_techniques.clone(),
            schools: c.schools.clone(),
            tags: c.tags.clone(),
            ..Condition::default()
        };
        (0..self.techniques.len())
            .filter(|&i| only_identity.holds(&self.neutral_facts(self.techniques[i])))
            .collect()
    }

    /// Facts for a move-only condition: the technique as it is, the state irrelevant.
    fn neutral_facts<'f>(&'f self, t: &'f Technique) -> Facts<'f> {
        Facts {
            technique: Some(t),
            directiveness: t.directiveness,
            focus: t.focus,
            arousal: t.arousal,
            fit: None,
            asked_permission: false,
            culturally_adapted: false,
            spiritually_adapted: false,
            state: &self.neutral_state,
            client_flags: &[],
            rupture_opened: false,
            rupture_repaired: false,
            turn: 1,
            events_fired: &[],
            moment: None,
            verdict: None,
        }
    }

    pub fn turn_limit(&self) -> u32 {
        self.scenario.session.turn_limit
    }

    /// Whether the client's own clinical flags satisfy `client_flags`.
    pub fn client_flags_hold(&self, c: &Condition) -> bool {
        c.client_flags.is_empty()
            || c.client_flags
                .iter()
                .any(|g| self.scenario.client.clinical_flags.contains(g))
    }
}
