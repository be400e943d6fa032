//! The moves worth playing from a state. A choice is a technique and six adaptations, 432
//! combinations per technique; previewing them all at every state of a search would cost
//! too much. The fit is close to a sum of one term per adaptation, so each technique's
//! adaptations are tuned by coordinate ascent on `Session::preview_fit` (directiveness and
//! framing together, as both move collaboration; then focus, pacing and the cultural and
//! spiritual adaptations), about 18 previews instead of 432. Checked on the library: a
//! beam that also kept each technique's second-best adaptation cost twice the time and
//! found no better path, as the polish (see `search`) tries one-adaptation changes anyway.

use crate::engine::{PreparedScenario, Session};
use crate::model::Condition;
use crate::scenario::{Choice, Directiveness, FocusShift, Framing, Pacing, Trigger};

/// A move and the fit it would get now.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub choice: Choice,
    pub fit: f32,
}

/// Whether the yes/no adaptations can change anything with this client: through the fit
/// (culture or faith salient) or through a condition that reads them.
#[derive(Clone, Copy, Debug)]
pub struct AdaptationSpace {
    pub cultural: bool,
    pub spiritual: bool,
}

impl AdaptationSpace {
    pub fn of(prepared: &PreparedScenario) -> AdaptationSpace {
        let threshold = prepared.config.matching.salience_threshold.value;
        let client = &prepared.scenario.client;
        AdaptationSpace {
            cultural: client.culture.salience >= threshold
                || any_condition(prepared, |c| c.culturally_adapted.is_some()),
            spiritual: client.religion.salience >= threshold
                || any_condition(prepared, |c| c.spiritually_adapted.is_some()),
        }
    }
}

/// Whether any condition of the scenario or its techniques satisfies `test`.
fn any_condition(prepared: &PreparedScenario, test: impl Fn(&Condition) -> bool) -> bool {
    let s = &prepared.scenario;
    s.responses.iter().any(|r| test(&r.when))
        || s.events
            .iter()
            .any(|e| matches!(&e.trigger, Trigger::When(c) if test(c)))
        || s.key_moments.iter().any(|m| test(&m.when))
        || prepared.techniques.iter().any(|t| {
            t.prerequisites.iter().any(|p| test(&p.needs))
                || t.contraindications.iter().any(|c| test(&c.when))
        })
}

/// Finds the candidate moves from a session's current state.
pub struct MoveFinder {
    space: AdaptationSpace,
    /// One plain choice per technique, in the prepared scenario's order.
    plain: Vec<Choice>,
}

impl MoveFinder {
    pub fn new(prepared: &PreparedScenario) -> MoveFinder {
        MoveFinder {
            space: AdaptationSpace::of(prepared),
            plain: prepared
                .techniques
                .iter()
                .map(|t| Choice::new(&t.id))
                .collect(),
        }
    }

    pub fn technique_count(&self) -> usize {
        self.plain.len()
    }

    /// For every technique, its best adaptations by fit now, appended to `out`. Returns
    /// the number of previews made.
    pub fn candidates(&self, session: &Session, out: &mut Vec<Candidate>) -> u64 {
        let mut previews = 0;
        for plain in &self.plain {
            let (best, n) = self.tune(session, plain);
            out.push(best);
            previews += n;
        }
        previews
    }

    /// Coordinate ascent over one technique's adaptations: the best choice found and the
    /// number of previews it took.
    fn tune(&self, session: &Session, plain: &Choice) -> (Candidate, u64) {
        let mut previews = 0u64;
        let mut current = plain.clone();
        // Where culture or faith is salient the adapted wording is the better start.
        current.culturally_adapted = self.space.cultural;
        current.spiritually_adapted = self.space.spiritual;
        let mut best = Candidate {
            fit: f32::NEG_INFINITY,
            choice: current.clone(),
        };
        // Previews `current`; keeps it when it beats the best so far (ties keep the earlier).
        let mut try_current = |current: &Choice, best: &mut Candidate| {
            previews += 1;
            let fit = session
                .preview_fit(current)
                .map_or(f32::NEG_INFINITY, |f| f.score);
            if fit > best.fit {
                *best = Candidate {
                    choice: current.clone(),
                    fit,
                };
            }
        };
        for d in Directiveness::ALL {
            for f in Framing::ALL {
                current.directiveness = d;
                current.framing = f;
                try_current(&current, &mut best);
            }
        }
        let tried = best.choice.focus;
        for focus in FocusShift::ALL.into_iter().filter(|&f| f != tried) {
            current = Choice {
                focus,
                ..best.choice.clone()
            };
            try_current(&current, &mut best);
        }
        let tried = best.choice.pacing;
        for pacing in Pacing::ALL.into_iter().filter(|&p| p != tried) {
            current = Choice {
                pacing,
                ..best.choice.clone()
            };
            try_current(&current, &mut best);
        }
        if self.space.cultural {
            current = Choice {
                culturally_adapted: !best.choice.culturally_adapted,
                ..best.choice.clone()
            };
            try_current(&current, &mut best);
        }
        if self.space.spiritual {
            current = Choice {
                spiritually_adapted: !best.choice.spiritually_adapted,
                ..best.choice.clone()
            };
            try_current(&current, &mut best);
        }
        (best, previews)
    }

    /// The choices one adaptation away from `choice` (each dimension changed alone), for
    /// polishing a finished path.
    pub fn neighbours(&self, choice: &Choice, out: &mut Vec<Choice>) {
        let mut push = |change: &dyn Fn(&mut Choice)| {
            let mut c = choice.clone();
            change(&mut c);
            if c != *choice {
                out.push(c);
            }
        };
        for d in Directiveness::ALL {
            push(&|c| c.directiveness = d);
        }
        for f in FocusShift::ALL {
            push(&|c| c.focus = f);
        }
        for p in Pacing::ALL {
            push(&|c| c.pacing = p);
        }
        for f in Framing::ALL {
            push(&|c| c.framing = f);
        }
        if self.space.cultural {
            push(&|c| c.culturally_adapted = !c.culturally_adapted);
        }
        if self.space.spiritual {
            push(&|c| c.spiritually_adapted = !c.spiritually_adapted);
        }
    }
}
