//! Lint 4: techniques the client has no line of their own for. A technique is answered
//! specifically when some response that looks at the move (its technique, school, tags or
//! delivery) could match it, whatever the client's state; otherwise the client can only
//! meet it with a line that ignores what the trainee did (the fallback, or a line about
//! the state alone). One warning per scenario, at the responses list, naming them all.

use super::reach::Reach;
use super::{ResponseFacts, warning};
use crate::scenario::Scenario;
use crate::source::{Issue, Path};

pub fn check(s: &Scenario, reach: &Reach, facts: &ResponseFacts, issues: &mut Vec<Issue>) {
    let responses = Path::root().field("responses");
    let mut answered = vec![false; reach.techniques.len()];
    for (i, r) in s.responses.iter().enumerate() {
        if !r.when.is_about_move() || !facts.can_hold(i) {
            continue;
        }
        for (m, ok) in reach.moves.iter().zip(&facts.moves[i]) {
            if *ok {
                answered[m.technique] = true;
            }
        }
    }
    let missing: Vec<String> = reach
        .techniques
        .iter()
        .zip(&answered)
        .filter(|(_, a)| !**a)
        .map(|(t, _)| format!("`{}`", t.id))
        .collect();
    if missing.is_empty() {
        return;
    }
    issues.push(warning(
        responses,
        format!(
            "{} of {} techniques have no response of their own, so the client meets them only with lines that ignore the move: {}",
            missing.len(),
            reach.techniques.len(),
            missing.join(", ")
        ),
        Some("add a response whose `techniques`, `schools` or `tags` take them in, e.g. a low-priority line per school".into()),
    ));
}
