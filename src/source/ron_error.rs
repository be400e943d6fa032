use super::{Diagnostic, Node, Severity, SourceText, parse_tree};

/// Text parsed twice: into the typed value by serde, and into a positioned tree so that
/// later checks can point at a line and column.
pub struct Positioned<T> {
    pub value: T,
    pub source: SourceText,
    pub tree: Node,
}

/// Parses RON text into `T`, keeping positions. The positioned tree goes first: it gives
/// the clearer message for bad syntax and refuses nesting deep enough to exhaust the stack.
pub fn parse_positioned<T: serde::de::DeserializeOwned>(
    name: &str,
    text: &str,
) -> Result<Positioned<T>, Vec<Diagnostic>> {
    if text.len() > super::MAX_SOURCE_BYTES {
        return Err(vec![Diagnostic::whole_file(
            name,
            format!(
                "the text is {} bytes; the limit is {}",
                text.len(),
                super::MAX_SOURCE_BYTES
            ),
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
    let value = crate::ron_options()
        .from_str(text)
        .map_err(|e| vec![ron_diagnostic(name, &e)])?;
    Ok(Positioned {
        value,
        source,
        tree,
    })
}

/// Turns the RON reader's error into a diagnostic at its position.
pub fn ron_diagnostic(name: &str, e: &ron::error::SpannedError) -> Diagnostic {
    use ron::Error as E;
    let mut help = None;
    let message = match &e.code {
        E::MissingStructField { field, outer } => match outer {
            Some(outer) => format!("`{outer}` is missing its required field `{field}`"),
            None => format!("a required field `{field}` is missing"),
        },
        E::NoSuchStructField {
            expected,
            found,
            outer,
        } => {
            help =
                crate::scenario::closest(found, expected).map(|s| format!("did you mean `{s}`?"));
            let place = outer
                .as_deref()
                .map(|o| format!(" in `{o}`"))
                .unwrap_or_default();
            format!(
                "unknown field `{found}`{place}; expected one of: {}",
                expected.join(", ")
            )
        }
        E::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => {
            help =
                crate::scenario::closest(found, expected).map(|s| format!("did you mean `{s}`?"));
            let place = outer
                .as_deref()
                .map(|o| format!(" of `{o}`"))
                .unwrap_or_default();
            format!(
                "unknown value `{found}`{place}; expected one of: {}",
                expected.join(", ")
            )
        }
        E::DuplicateStructField { field, outer } => {
            let place = outer
                .as_deref()
                .map(|o| format!(" in `{o}`"))
                .unwrap_or_default();
            format!("the field `{field}` is given twice{place}")
        }
        E::ExpectedFloat | E::ExpectedInteger => "expected a number here".to_string(),
        E::ExpectedString | E::ExpectedStringEnd => {
            "expected text in double quotes here".to_string()
        }
        E::ExpectedBoolean => "expected `true` or `false` here".to_string(),
        E::ExpectedArray => "expected a list in square brackets `[...]` here".to_string(),
        E::ExpectedStructLike | E::ExpectedNamedStructLike(_) => {
            "expected a group in parentheses `(...)` here".to_string()
        }
        E::Eof => "the file ended early: a closing bracket or parenthesis is missing".to_string(),
        other => other.to_string(),
    };
    Diagnostic {
        severity: Severity::Error,
        file: name.to_string(),
        line: e.span.start.line.max(1),
        col: e.span.start.col.max(1),
        message,
        help,
    }
}
