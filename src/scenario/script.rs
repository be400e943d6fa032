use super::Choice;
use crate::source::{Diagnostic, MAX_SOURCE_BYTES, Path, Severity, SourceText, parse_tree};

/// Parses a play script: a RON list of choices. Unknown technique ids are reported at
/// their position, with a suggestion when one is close.
pub fn parse_script(
    name: &str,
    text: &str,
    known_techniques: &[&str],
) -> Result<Vec<Choice>, Vec<Diagnostic>> {
    if text.len() > MAX_SOURCE_BYTES {
        return Err(vec![Diagnostic::whole_file(
            name,
            "the script is too large",
        )]);
    }
    let source = SourceText::new(name, text);
    let tree = parse_tree(text).map_err(|e| {
        vec![source.diagnostic_at(
            e.offset,
            Severity::Error,
            format!("syntax error: {}", e.message),
        )]
    })?;
    let choices: Vec<Choice> = crate::ron_options()
        .from_str(text)
        .map_err(|e| vec![super::ron_diagnostic(name, &e)])?;
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
