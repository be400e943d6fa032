//! Lint 3: events that can never fire. An event fires at most once, on the first turn its
//! trigger holds; a `When` trigger that can never hold (including one waiting for an event
//! that itself never fires, or for one checked after it) leaves the event dead. `AtTurn`
//! outside the session is already a validation error, and a trigger on a flag nothing sets
//! a validation warning.

use std::collections::HashMap;

use super::conditions::{EventFacts, Place, why_never};
use super::reach::Reach;
use super::report;
use crate::scenario::{Scenario, Trigger};
use crate::source::{Issue, Path};

fn trigger_path(i: usize) -> Path {
    Path::root().field("events").index(i).field("trigger")
}

/// Which events can fire: a fixpoint, since an event waiting for a dead event is dead too.
pub fn which_can_fire<'a>(s: &'a Scenario, reach: &Reach) -> EventFacts<'a> {
    let mut facts = EventFacts {
        index: s
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect::<HashMap<_, _>>(),
        never_fire: s
            .events
            .iter()
            .map(|e| matches!(e.trigger, Trigger::AtTurn(n) if n == 0 || n > s.session.turn_limit))
            .collect(),
    };
    loop {
        let mut changed = false;
        for (i, e) in s.events.iter().enumerate() {
            if facts.never_fire[i] {
                continue;
            }
            if let Trigger::When(c) = &e.trigger
                && !why_never(c, &trigger_path(i), Place::Event(i), reach, &facts).is_empty()
            {
                facts.never_fire[i] = true;
                changed = true;
            }
        }
        if !changed {
            return facts;
        }
    }
}

pub fn check(s: &Scenario, reach: &Reach, events: &EventFacts, issues: &mut Vec<Issue>) {
    for (i, e) in s.events.iter().enumerate() {
        if let Trigger::When(c) = &e.trigger {
            let reasons = why_never(c, &trigger_path(i), Place::Event(i), reach, events);
            report(
                &reasons,
                &format!("event `{}` can never fire", e.id),
                issues,
            );
        }
    }
}
