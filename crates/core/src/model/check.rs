//! Checks of the model's values that their types cannot make: a technique's attributes in
//! range, its prerequisites' conditions naming techniques that exist, a condition's bounds.
//! The catalogue file and a scenario's own techniques are checked by the same code; the
//! scenario format's own checks (`scenario::validate`) build on the same `Checker`.

use std::collections::HashSet;

use super::{Condition, Range, Technique};
use crate::source::{Issue, Path, Severity, did_you_mean};

/// Collects the problems found in a technique, a condition or (in `scenario::validate`) a
/// whole scenario, against the ids the file can name.
pub struct Checker<'a> {
    pub issues: Vec<Issue>,
    pub techniques: Vec<&'a str>,
    pub events: HashSet<&'a str>,
    pub settable_flags: HashSet<&'a str>,
}

impl Checker<'_> {
    pub fn error(&mut self, path: Path, message: impl Into<String>) {
        self.issues.push(Issue {
            path,
            severity: Severity::Error,
            message: message.into(),
            help: None,
        });
    }

    pub fn warn(&mut self, path: Path, message: impl Into<String>) {
        self.warn_with(path, message, None);
    }

    pub fn warn_with(&mut self, path: Path, message: impl Into<String>, help: Option<String>) {
        self.issues.push(Issue {
            path,
            severity: Severity::Warning,
            message: message.into(),
            help,
        });
    }

    /// "did you mean `rationale_given`?" for a flag nothing sets, from the flags something does.
    pub fn flag_help(&self, flag: &str) -> Option<String> {
        let mut known: Vec<&str> = self.settable_flags.iter().copied().collect();
        known.sort_unstable();
        did_you_mean(flag, &known)
    }

    pub fn unit(&mut self, path: Path, what: &str, v: f32) {
        self.range(path, what, v, 0.0, 1.0);
    }

    pub fn range(&mut self, path: Path, what: &str, v: f32, lo: f32, hi: f32) {
        if !(lo..=hi).contains(&v) {
            self.error(
                path,
                format!("{what} is {v}, out of range: it must lie between {lo} and {hi}"),
            );
        }
    }

    pub fn technique_ref(&mut self, path: Path, id: &str) {
        if !self.techniques.contains(&id) {
            let help = did_you_mean(id, &self.techniques);
            self.issues.push(Issue {
                path,
                severity: Severity::Error,
                message: format!("unknown technique `{id}`"),
                help: help.or_else(|| Some("`attune techniques` lists the catalogue".into())),
            });
        }
    }

    pub fn bounds(&mut self, path: Path, what: &str, r: &Option<Range>, lo: f32, hi: f32) {
        let Some(r) = r else { return };
        for (end, v) in [("min", r.min), ("max", r.max)] {
            if let Some(v) = v {
                self.range(
                    path.field(if end == "min" { "min" } else { "max" }),
                    &format!("{what} {end}"),
                    v,
                    lo,
                    hi,
                );
            }
        }
        if let (Some(a), Some(b)) = (r.min, r.max)
            && a > b
        {
            self.error(
                path,
                format!("{what}: min {a} is above max {b}, so this can never hold"),
            );
        }
    }

    pub fn condition(&mut self, path: Path, c: &Condition) {
        for (i, id) in c.techniques.iter().enumerate() {
            self.technique_ref(path.field("techniques").index(i), id);
        }
        for (i, id) in c.not_techniques.iter().enumerate() {
            self.technique_ref(path.field("not_techniques").index(i), id);
        }
        for (field, r) in [
            ("directiveness", &c.directiveness),
            ("focus", &c.focus),
            ("bond", &c.bond),
            ("alliance", &c.alliance),
            ("distress", &c.distress),
            ("hope", &c.hope),
            ("reactance", &c.reactance),
        ] {
            self.bounds(path.field(field), field, r, 0.0, 1.0);
        }
        self.bounds(path.field("arousal"), "arousal", &c.arousal, -1.0, 1.0);
        self.bounds(path.field("fit"), "fit", &c.fit, 0.0, 100.0);
        self.bounds(path.field("turn"), "turn", &c.turn, 0.0, 1000.0);
        if let Some(e) = &c.event
            && !self.events.contains(e.as_str())
        {
            let mut known: Vec<&str> = self.events.iter().copied().collect();
            known.sort_unstable();
            self.issues.push(Issue {
                path: path.field("event"),
                severity: Severity::Error,
                message: format!("no event has the id `{e}`"),
                help: did_you_mean(e, &known),
            });
        }
        for (i, f) in c.flags.iter().enumerate() {
            if !self.settable_flags.contains(f.as_str()) {
                let help = self.flag_help(f);
                self.warn_with(
                    path.field("flags").index(i),
                    format!("flag `{f}` is never set by the initial state, a technique or an effect, so this condition can never hold"),
                    help,
                );
            }
        }
        // A misspelt flag in `not_flags` is never set, so that part always holds: silent
        // unless said here, and only worth saying when a known flag is close to it.
        for (i, f) in c.not_flags.iter().enumerate() {
            if !self.settable_flags.contains(f.as_str())
                && let Some(help) = self.flag_help(f)
            {
                self.warn_with(
                    path.field("not_flags").index(i),
                    format!("flag `{f}` is never set, so `not_flags` always lets this through"),
                    Some(help),
                );
            }
        }
    }
}

/// Checks one technique's attributes (catalogue or scenario-specific).
pub fn validate_technique(t: &Technique, path: &Path, known_ids: &[&str], issues: &mut Vec<Issue>) {
    let mut c = Checker {
        issues: Vec::new(),
        techniques: known_ids.to_vec(),
        events: HashSet::new(),
        settable_flags: HashSet::new(),
    };
    if t.id.is_empty()
        || !t
            .id
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
    {
        c.error(
            path.field("id"),
            format!(
                "technique id `{}` must be lower-case letters, digits and underscores",
                t.id
            ),
        );
    }
    c.unit(
        path.field("directiveness"),
        "directiveness",
        t.directiveness,
    );
    c.unit(path.field("focus"), "focus", t.focus);
    c.range(path.field("arousal"), "arousal", t.arousal, -1.0, 1.0);
    c.unit(path.field("repair"), "repair", t.repair);
    let r = path.field("relational");
    for (field, v) in [
        ("empathy", t.relational.empathy),
        ("collaboration", t.relational.collaboration),
        ("warmth", t.relational.warmth),
        ("credibility", t.relational.credibility),
    ] {
        c.range(r.field(field), field, v, -1.0, 1.0);
    }
    if t.description.trim().is_empty() || t.example.trim().is_empty() {
        c.error(
            path.clone(),
            format!("technique `{}` needs a description and an example", t.id),
        );
    }
    // Conditions inside a technique may name flags from any scenario, so no flag check here.
    for (i, p) in t.prerequisites.iter().enumerate() {
        let mut sub = Checker {
            issues: Vec::new(),
            techniques: c.techniques.clone(),
            events: HashSet::new(),
            settable_flags: HashSet::new(),
        };
        sub.condition(
            path.field("prerequisites").index(i).field("needs"),
            &p.needs,
        );
        c.issues.extend(
            sub.issues
                .into_iter()
                .filter(|i| i.severity == Severity::Error),
        );
    }
    issues.extend(c.issues);
}
