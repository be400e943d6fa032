//! Lint 1: response lines, key moments and this scenario's prerequisites and
//! contraindications whose condition can never hold. (Events are `events.rs`.)

use super::conditions::{EventFacts, Place, Reason, why_never};
use super::reach::Reach;
use super::{ResponseFacts, report};
use crate::model::{Condition, Contraindication, Prerequisite};
use crate::scenario::Scenario;
use crate::source::{Issue, Path};

pub fn check(
    s: &Scenario,
    reach: &Reach,
    events: &EventFacts,
    responses: &ResponseFacts,
    issues: &mut Vec<Issue>,
) {
    let root = Path::root();
    for (r, reasons) in s.responses.iter().zip(&responses.never) {
        report(
            reasons,
            &format!("response `{}` can never be said", r.id),
            issues,
        );
    }
    for (i, m) in s.key_moments.iter().enumerate() {
        let at = root.field("key_moments").index(i).field("when");
        let reasons = why_never(&m.when, &at, Place::KeyMoment, reach, events);
        report(
            &reasons,
            &format!("key moment `{}` can never come up", m.id),
            issues,
        );
    }
    for (id, rules) in &s.technique_rules {
        let gates_at = Gates {
            technique: id,
            at: root.field("technique_rules").key(id),
            validated_flags: true,
        };
        gates_at.check(
            &rules.prerequisites,
            &rules.contraindications,
            reach,
            events,
            issues,
        );
    }
    for (i, t) in s.techniques.iter().enumerate() {
        let at = root.field("techniques").index(i);
        // Validation does not check flags inside techniques (a catalogue technique may
        // name any scenario's flags), so a flag nothing sets is news here.
        let gates_at = Gates {
            technique: &t.id,
            at,
            validated_flags: false,
        };
        gates_at.check(
            &t.prerequisites,
            &t.contraindications,
            reach,
            events,
            issues,
        );
    }
}

/// The prerequisites and contraindications a scenario gives one technique.
struct Gates<'a> {
    technique: &'a str,
    at: Path,
    /// Whether validation already warned about flags nothing sets in these conditions.
    validated_flags: bool,
}

impl Gates<'_> {
    fn check(
        &self,
        prerequisites: &[Prerequisite],
        contraindications: &[Contraindication],
        reach: &Reach,
        events: &EventFacts,
        issues: &mut Vec<Issue>,
    ) {
        let technique = self.technique;
        for (i, p) in prerequisites.iter().enumerate() {
            let path = self.at.field("prerequisites").index(i).field("needs");
            let reasons = self.why_never(&p.needs, &path, reach, events);
            let subject = format!(
                "the prerequisite \"{}\" of `{technique}` can never be met, so every use of `{technique}` loses the unmet-prerequisite points",
                p.label
            );
            report(&reasons, &subject, issues);
        }
        for (i, c) in contraindications.iter().enumerate() {
            let path = self.at.field("contraindications").index(i).field("when");
            // A contraindication for a state this client never reaches is a safeguard kept
            // in case the scenario changes; only one that could never apply is reported.
            let mut reasons = self.why_never(&c.when, &path, reach, events);
            reasons.retain(|r| !r.about_this_client);
            report(
                &reasons,
                &format!("this contraindication of `{technique}` can never apply"),
                issues,
            );
        }
    }

    fn why_never(
        &self,
        c: &Condition,
        path: &Path,
        reach: &Reach,
        events: &EventFacts,
    ) -> Vec<Reason> {
        let mut reasons = why_never(c, path, Place::Gate, reach, events);
        if !self.validated_flags {
            for r in &mut reasons {
                r.already_reported = false;
            }
        }
        reasons
    }
}
