//! One client seen across sessions: a scenario that follows another says what carries from
//! the end of that session into this one and what fades between weeks, what may happen
//! between the sessions, and where the client is expected to be by now (the course a
//! not-on-track warning is measured against). The rules are data, each with its source.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{Effect, Scenario};
use crate::model::{Catalogue, ClientState, Range};
use crate::source::{Issue, Path, Severity, did_you_mean};

/// How this scenario continues an earlier session with the same client.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Series {
    /// The id of the scenario this one follows (the session before).
    pub follows: String,
    /// What carries from the end of that session; everything else starts as this file says.
    #[serde(default)]
    pub carry: Vec<CarryRule>,
    /// What may happen between the sessions; the seed picks one of those whose condition
    /// holds on the carried state, weighted.
    #[serde(default)]
    pub between: Vec<BetweenEvent>,
    /// Where the client is expected to be at the end of the session followed: below it,
    /// she is not on track and the learner is warned.
    #[serde(default)]
    pub expected: Vec<Expectation>,
}

/// One thing that carries from the session before.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CarryRule {
    pub carries: Carried,
    /// For a meter: the fraction of the way it moves back between weeks, from where the
    /// session ended toward where that session began (0 keeps the end, 1 loses the gain).
    #[serde(default)]
    pub fade: Option<f32>,
    /// The principle the rule follows.
    pub source: String,
}

/// What a carry rule carries.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub enum Carried {
    /// Bond, goals and tasks, each faded.
    Alliance,
    Distress,
    Hope,
    /// The stage of change as the session left it, one step back when the session ended
    /// badly (a dropout, a crisis, or a rupture left open): people recycle through the
    /// stages after a setback.
    Stage,
    /// A flag: set at the start when it was set at the end of the session before, and not
    /// set otherwise (whatever this file's initial flags say).
    Flag(String),
}

/// Something that may happen between sessions: homework done or not, a setback.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BetweenEvent {
    pub id: String,
    /// When it can happen, on the carried state.
    #[serde(default)]
    pub when: StateCondition,
    /// How likely it is against the other events that can happen.
    #[serde(default = "default_weight")]
    pub weight: u32,
    /// What it changes in the carried state.
    #[serde(default)]
    pub effects: Vec<Effect>,
    /// What the client opens with instead of the file's opening line.
    #[serde(default)]
    pub opening_line: Option<String>,
    #[serde(default)]
    pub opening_cues: Vec<String>,
    /// What the learner reads on the briefing: "Since last week: ...".
    pub note: String,
    /// The principle the event follows.
    pub source: String,
}

fn default_weight() -> u32 {
    1
}

/// A condition on the client's state between sessions.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StateCondition {
    #[serde(default)]
    pub alliance: Option<Range>,
    #[serde(default)]
    pub hope: Option<Range>,
    #[serde(default)]
    pub distress: Option<Range>,
    #[serde(default)]
    pub flags: Vec<String>,
    #[serde(default)]
    pub not_flags: Vec<String>,
}

impl StateCondition {
    /// Whether the state meets every part of the condition.
    pub fn holds(&self, state: &ClientState) -> bool {
        let within = |range: &Option<Range>, v: f32| range.as_ref().is_none_or(|r| r.contains(v));
        within(&self.alliance, state.alliance())
            && within(&self.hope, state.hope)
            && within(&self.distress, state.distress)
            && self.flags.iter().all(|f| state.has_flag(f))
            && !self.not_flags.iter().any(|f| state.has_flag(f))
    }
}

/// Where the client is expected to be at the end of the session followed.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub measure: Measure,
    /// The least expected, for a meter (0..1).
    #[serde(default)]
    pub at_least: Option<f32>,
    /// What the learner might do when the client falls short of it.
    pub advice: String,
    pub source: String,
}

/// What an expectation measures at the end of a session.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub enum Measure {
    Alliance,
    Hope,
    /// The flag is set: the work the session was for was done.
    Flag(String),
}

/// Every flag a scenario can set: its initial flags, its lines' and events' effects, and
/// what its techniques establish.
pub fn settable_flags<'a>(s: &'a Scenario, catalogue: &'a Catalogue) -> HashSet<&'a str> {
    let mut settable: HashSet<&str> = HashSet::new();
    settable.extend(s.initial_state.flags.iter().map(String::as_str));
    for t in catalogue.techniques.iter().chain(&s.techniques) {
        settable.extend(t.establishes.iter().map(String::as_str));
    }
    let effects = s
        .responses
        .iter()
        .flat_map(|r| &r.effects)
        .chain(s.events.iter().flat_map(|e| &e.effects));
    for e in effects {
        if let Effect::SetFlag(f) = e {
            settable.insert(f);
        }
    }
    settable
}

/// The checks one file can make of its series: fractions in 0..1, a fade where one is
/// meant and none where not, events that have a note, flags the events read that can be
/// there.
pub fn validate_series(s: &Scenario) -> Vec<Issue> {
    let Some(series) = &s.series else {
        return Vec::new();
    };
    let path = Path::root().field("series");
    let mut issues = Vec::new();
    if series.follows == s.meta.id {
        error(
            &mut issues,
            path.field("follows"),
            "a scenario cannot follow itself".into(),
        );
    }
    for (i, rule) in series.carry.iter().enumerate() {
        let at = path.field("carry").index(i);
        let meter = matches!(
            rule.carries,
            Carried::Alliance | Carried::Distress | Carried::Hope
        );
        match rule.fade {
            Some(f) if !(0.0..=1.0).contains(&f) => error(
                &mut issues,
                at.field("fade"),
                format!("the fade is {f}, out of range: it must lie between 0 and 1"),
            ),
            Some(_) if !meter => error(
                &mut issues,
                at.field("fade"),
                format!(
                    "{:?} carries whole; only the alliance, distress and hope fade",
                    rule.carries
                ),
            ),
            None if meter => error(
                &mut issues,
                at.clone(),
                format!(
                    "say how much of the {:?} fades between weeks: `fade: 0.3`",
                    rule.carries
                ),
            ),
            _ => {}
        }
    }
    let mut present: HashSet<&str> = s.initial_state.flags.iter().map(String::as_str).collect();
    for rule in &series.carry {
        if let Carried::Flag(f) = &rule.carries {
            present.insert(f);
        }
    }
    for e in series.between.iter().flat_map(|e| &e.effects) {
        if let Effect::SetFlag(f) = e {
            present.insert(f);
        }
    }
    let mut known: Vec<&str> = present.iter().copied().collect();
    known.sort_unstable();
    let mut ids: HashSet<&str> = HashSet::new();
    for (i, event) in series.between.iter().enumerate() {
        let at = path.field("between").index(i);
        if !ids.insert(&event.id) {
            error(
                &mut issues,
                at.field("id"),
                format!("two events between sessions are called `{}`", event.id),
            );
        }
        if event.note.trim().is_empty() {
            error(
                &mut issues,
                at.field("note"),
                "say what the learner reads of it: `note: \"Since last week: ...\"`".into(),
            );
        }
        if event
            .opening_line
            .as_deref()
            .is_some_and(|l| l.trim().is_empty())
        {
            error(
                &mut issues,
                at.field("opening_line"),
                "the opening line is empty".into(),
            );
        }
        let when = at.field("when");
        for (field, list) in [
            ("flags", &event.when.flags),
            ("not_flags", &event.when.not_flags),
        ] {
            for (j, f) in list.iter().enumerate() {
                if !present.contains(f.as_str()) {
                    let mut issue = Issue {
                        path: when.field(field).index(j),
                        severity: Severity::Error,
                        message: format!(
                            "the flag `{f}` is neither carried nor in the initial state nor set by an event between sessions"
                        ),
                        help: did_you_mean(f, &known),
                    };
                    issue.help = issue.help.or(Some(
                        "carry it: `(carries: Flag(\"...\"), source: \"...\")`".into(),
                    ));
                    issues.push(issue);
                }
            }
        }
    }
    for (i, e) in series.expected.iter().enumerate() {
        let at = path.field("expected").index(i);
        match (&e.measure, e.at_least) {
            (Measure::Flag(_), Some(_)) => issues.push(Issue {
                path: at.field("at_least"),
                severity: Severity::Error,
                message: "a flag is set or not: leave out `at_least`".into(),
                help: None,
            }),
            (Measure::Flag(_), None) => {}
            (_, None) => issues.push(Issue {
                path: at.clone(),
                severity: Severity::Error,
                message: format!("say the least {:?} expected: `at_least: 0.5`", e.measure),
                help: None,
            }),
            (_, Some(v)) if !(0.0..=1.0).contains(&v) => issues.push(Issue {
                path: at.field("at_least"),
                severity: Severity::Error,
                message: format!("`at_least` is {v}, out of range: it must lie between 0 and 1"),
                help: None,
            }),
            _ => {}
        }
    }
    issues
}

fn error(issues: &mut Vec<Issue>, path: Path, message: String) {
    issues.push(Issue {
        path,
        severity: Severity::Error,
        message,
        help: None,
    });
}

/// The checks that need the scenario followed (`attune check` finds it in the library):
/// that it exists, and that every flag carried or expected is one it can set.
pub fn check_follows(
    s: &Scenario,
    followed: Option<&Scenario>,
    available: &[&str],
    catalogue: &Catalogue,
) -> Vec<Issue> {
    let Some(series) = &s.series else {
        return Vec::new();
    };
    let path = Path::root().field("series");
    let Some(followed) = followed else {
        return vec![Issue {
            path: path.field("follows"),
            severity: Severity::Error,
            message: format!(
                "this scenario follows `{}`, which is not in the library",
                series.follows
            ),
            help: did_you_mean(&series.follows, available),
        }];
    };
    let settable = settable_flags(followed, catalogue);
    let mut known: Vec<&str> = settable.iter().copied().collect();
    known.sort_unstable();
    let never_set = |f: &str, at: Path| Issue {
        path: at,
        severity: Severity::Error,
        message: format!(
            "the flag `{f}` is never set in `{}`, so it can never carry",
            followed.meta.id
        ),
        help: did_you_mean(f, &known),
    };
    let mut issues = Vec::new();
    for (i, rule) in series.carry.iter().enumerate() {
        if let Carried::Flag(f) = &rule.carries
            && !settable.contains(f.as_str())
        {
            issues.push(never_set(f, path.field("carry").index(i).field("carries")));
        }
    }
    for (i, e) in series.expected.iter().enumerate() {
        if let Measure::Flag(f) = &e.measure
            && !settable.contains(f.as_str())
        {
            issues.push(never_set(
                f,
                path.field("expected").index(i).field("measure"),
            ));
        }
    }
    issues
}
