//! The flags on the way to a pass: the scenario's `pass_requires` flags, and, transitively,
//! every flag a condition asks for before one of them can be set (by a response's or an
//! event's effects, or by a technique that establishes it), and the prerequisites of the
//! techniques those conditions name. The search counts how many a
//! session has reached, so that paths which prepared the ground for the required work
//! survive beside paths with a higher fit so far.

use std::collections::BTreeSet;

use crate::engine::PreparedScenario;
use crate::model::{ClientState, Condition};
use crate::scenario::{Effect, Trigger};

#[derive(Clone, Debug, Default)]
pub struct Milestones {
    flags: Vec<String>,
}

impl Milestones {
    pub fn of(prepared: &PreparedScenario) -> Milestones {
        let s = &prepared.scenario;
        let mut relevant: BTreeSet<&str> = s
            .session
            .pass_requires
            .iter()
            .map(|r| r.flag.as_str())
            .collect();
        let sets_relevant = |effects: &[Effect], relevant: &BTreeSet<&str>| {
            effects
                .iter()
                .any(|e| matches!(e, Effect::SetFlag(f) if relevant.contains(f.as_str())))
        };
        loop {
            let mut needed: Vec<&Condition> = Vec::new();
            for r in &s.responses {
                if sets_relevant(&r.effects, &relevant) {
                    needed.push(&r.when);
                }
            }
            for e in &s.events {
                if let Trigger::When(c) = &e.trigger
                    && sets_relevant(&e.effects, &relevant)
                {
                    needed.push(c);
                }
            }
            // A technique's prerequisites matter when it establishes a milestone itself, or
            // when a condition that sets one names it (an unmet prerequisite lowers the fit
            // such conditions often ask for).
            let named: Vec<&str> = needed
                .iter()
                .flat_map(|c| c.techniques.iter().map(String::as_str))
                .collect();
            for t in &prepared.techniques {
                if t.establishes.iter().any(|f| relevant.contains(f.as_str()))
                    || named.contains(&t.id.as_str())
                {
                    needed.extend(t.prerequisites.iter().map(|p| &p.needs));
                }
            }
            let before = relevant.len();
            relevant.extend(
                needed
                    .iter()
                    .flat_map(|c| c.flags.iter().map(String::as_str)),
            );
            if relevant.len() == before {
                break;
            }
        }
        Milestones {
            flags: relevant.into_iter().map(str::to_string).collect(),
        }
    }

    /// How many of the milestone flags are set.
    pub fn reached(&self, state: &ClientState) -> usize {
        self.flags.iter().filter(|f| state.has_flag(f)).count()
    }

    pub fn flags(&self) -> &[String] {
        &self.flags
    }
}
