//! Play scripts: a RON list of choices (a step may carry the trainee's words, `say: "..."`,
//! with or without its technique), read with every problem located at its line, and
//! each technique checked against those the scenario offers.

use super::Choice;
use crate::source::{
    Diagnostic, FileKind, Path, Positioned, Severity, parse_positioned, wrong_kind,
};

/// Parses a play script: a RON list of choices. Unknown technique ids are reported at
/// their position, with a suggestion when one is close.
pub fn parse_script(
    name: &str,
    text: &str,
    known_techniques: &[&str],
) -> Result<Vec<Choice>, Vec<Diagnostic>> {
    let Positioned {
        value: choices,
        source,
        tree,
    } = parse_positioned::<Vec<Choice>>(name, text).map_err(|problems| {
        wrong_kind(name, text, FileKind::Script).map_or(problems, |d| vec![d])
    })?;
    let mut errors = Vec::new();
    for (i, c) in choices.iter().enumerate() {
        // Words alone are played as the coder reads them (`coding::confirmed_as_coded`).
        if c.technique.is_empty() {
            if c.words().is_none() {
                let node = tree.locate(&Path::root().index(i));
                errors.push(source.diagnostic_at(
                    node.start,
                    Severity::Error,
                    "this step has neither a technique nor words: give `technique: ...`, `say: \"...\"`, or both"
                        .to_string(),
                ));
            }
            continue;
        }
        if !known_techniques.contains(&c.technique.as_str()) {
            let node = tree.locate(&Path::root().index(i).field("technique"));
            let mut d = source.diagnostic_at(
                node.start,
                Severity::Error,
                format!("unknown technique `{}`", c.technique),
            );
            d.help = crate::source::did_you_mean(&c.technique, known_techniques);
            errors.push(d);
        }
    }
    if errors.is_empty() {
        Ok(choices)
    } else {
        Err(errors)
    }
}
