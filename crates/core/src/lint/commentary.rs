//! Lint 6: a key moment with no commentary at all. The debrief shows key moments through
//! several schools' eyes (product.md, "Debrief"); one with nothing to say cannot be shown,
//! so this is an error. Fewer than three schools is validation's warning.

use crate::scenario::Scenario;
use crate::source::{Issue, Path, Severity};

pub fn check(s: &Scenario, issues: &mut Vec<Issue>) {
    for (i, m) in s.key_moments.iter().enumerate() {
        if m.commentary.is_empty() {
            issues.push(Issue {
                path: Path::root()
                    .field("key_moments")
                    .index(i)
                    .field("commentary"),
                severity: Severity::Error,
                message: format!(
                    "key moment `{}` has no commentary, so the debrief has nothing to say about it",
                    m.id
                ),
                help: Some(
                    "add commentary from at least three schools: `(school: Cbt, text: \"...\")`"
                        .into(),
                ),
            });
        }
    }
}
