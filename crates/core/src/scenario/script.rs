//! Play scripts: a RON list of choices (a step may carry the trainee's words, `say: "..."`,
//! with or without its technique), read with every problem located at its line, and
//! each technique checked against those the scenario offers.

use super::Choice;
use crate::source::{
    Diagnostic, FileKind, Path, Positioned, Severity, parse_positioned, wrong_kind,
};

/// Parses a play script: a RON list of choices. Unknown technique ids are reported at
/// their position, with a suggestion when one is close. A step given by its words alone is
/// not checked further here: `parse_script_coded` also checks what the words are coded as.
pub fn parse_script(
    name: &str,
    text: &str,
    known_techniques: &[&str],
) -> Result<Vec<Choice>, Vec<Diagnostic>> {
    parse_checked(name, text, known_techniques, None)
}

/// `parse_script`, also checking every step given by its words alone: `coded_as` gives the
/// technique id the words are coded as (the coder is a layer above the script format, so
/// its caller passes it in), and a technique not among `known_techniques` is reported at
/// the step's words, before anything is played.
pub fn parse_script_coded(
    name: &str,
    text: &str,
    known_techniques: &[&str],
    coded_as: &dyn Fn(&str) -> String,
) -> Result<Vec<Choice>, Vec<Diagnostic>> {
    parse_checked(name, text, known_techniques, Some(coded_as))
}

fn parse_checked(
    name: &str,
    text: &str,
    known_techniques: &[&str],
    coded_as: Option<&dyn Fn(&str) -> String>,
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
            match (c.words(), coded_as) {
                (None, _) => {
                    let node = tree.locate(&Path::root().index(i));
                    errors.push(source.diagnostic_at(
                        node.start,
                        Severity::Error,
                        "this step has neither a technique nor words: give `technique: ...`, `say: \"...\"`, or both"
                            .to_string(),
                    ));
                }
                (Some(words), Some(coded_as)) => {
                    let technique = coded_as(words);
                    if !known_techniques.contains(&technique.as_str()) {
                        let node = tree.locate(&Path::root().index(i).field("say"));
                        let mut d = source.diagnostic_at(
                            node.start,
                            Severity::Error,
                            format!(
                                "these words alone are coded as `{technique}`, which the scenario does not offer"
                            ),
                        );
                        d.help = Some(
                            "name the move to play with them: `(say: \"...\", technique: \"...\")`"
                                .to_string(),
                        );
                        errors.push(d);
                    }
                }
                (Some(_), None) => {}
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

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &["open_question", "complex_reflection"];

    /// A stand-in for the coder: words ending in `?` are questions, the rest reflections of
    /// a technique this test leaves out of `KNOWN`.
    fn coded_as(words: &str) -> String {
        if words.ends_with('?') {
            "open_question".into()
        } else {
            "simple_reflection".into()
        }
    }

    #[test]
    fn words_with_a_technique_and_words_alone_read() {
        let text = r#"[
    (say: "You feel trapped.", technique: "complex_reflection"),
    (say: "What brings you here?"),
]"#;
        let choices = parse_script_coded("s.ron", text, KNOWN, &coded_as).unwrap();
        assert_eq!(choices.len(), 2);
        assert_eq!(choices[0].words(), Some("You feel trapped."));
        assert_eq!(choices[0].technique, "complex_reflection");
        assert_eq!(choices[1].technique, "");
        assert_eq!(choices[1].words(), Some("What brings you here?"));
    }

    #[test]
    fn a_step_with_neither_technique_nor_words_is_refused_at_its_position() {
        let text = "[\n  (technique: \"open_question\"),\n  (say: \"  \"),\n]";
        let errors = parse_script("s.ron", text, KNOWN).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!((errors[0].line, errors[0].col), (3, 3));
        assert!(
            errors[0].message.contains("neither a technique nor words"),
            "{errors:?}"
        );
    }

    #[test]
    fn words_alone_coded_as_a_technique_not_offered_are_refused_at_the_words() {
        let text = "[\n  (say: \"What now?\"),\n  (say: \"You are fed up.\"),\n]";
        let errors = parse_script_coded("s.ron", text, KNOWN, &coded_as).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!((errors[0].line, errors[0].col), (3, 9));
        assert!(
            errors[0]
                .message
                .contains("coded as `simple_reflection`, which the scenario does not offer"),
            "{errors:?}"
        );
        assert!(errors[0].help.as_deref().unwrap().contains("technique:"));
        // Without the coder the script format alone cannot say.
        assert!(parse_script("s.ron", text, KNOWN).is_ok());
    }
}
