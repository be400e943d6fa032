use super::Choice;
use crate::source::{Diagnostic, Path, Positioned, Severity, parse_positioned};

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
    } = parse_positioned::<Vec<Choice>>(name, text)?;
    let mut errors = Vec::new();
    for (i, c) in choices.iter().enumerate() {
        if !known_techniques.contains(&c.technique.as_str()) {
            let node = tree.locate(&Path::root().index(i).field("technique"));
            let mut d = source.diagnostic_at(
                node.start,
                Severity::Error,
                format!("unknown technique `{}`", c.technique),
            );
            d.help = super::closest(&c.technique, known_techniques)
                .map(|s| format!("did you mean `{s}`?"));
            errors.push(d);
        }
    }
    if errors.is_empty() {
        Ok(choices)
    } else {
        Err(errors)
    }
}
