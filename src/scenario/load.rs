use std::path::Path as FsPath;

use super::{Scenario, validate_scenario};
use crate::catalogue::Catalogue;
use crate::source::{Diagnostic, MAX_SOURCE_BYTES, Severity, SourceText, parse_tree};

/// A scenario that parsed and passed validation, with its text kept for positions.
#[derive(Clone, Debug)]
pub struct LoadedScenario {
    pub scenario: Scenario,
    pub source: SourceText,
    pub warnings: Vec<Diagnostic>,
}

/// Reads and checks a scenario file. Every problem comes back as a diagnostic naming the
/// file, line and column; nothing panics on bad input.
pub fn load_scenario(
    path: &FsPath,
    catalogue: &Catalogue,
) -> Result<LoadedScenario, Vec<Diagnostic>> {
    let name = path.display().to_string();
    let text = read_text(path).map_err(|message| vec![Diagnostic::whole_file(&name, message)])?;
    parse_scenario(&name, &text, catalogue)
}

/// Reads a text file Attune accepts: not too large, valid UTF-8.
pub fn read_text(path: &FsPath) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read this file: {e}"))?;
    if meta.len() > MAX_SOURCE_BYTES as u64 {
        return Err(format!(
            "the file is {} bytes; the limit is {MAX_SOURCE_BYTES}",
            meta.len()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read this file: {e}"))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "the file is not UTF-8 text (first bad byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Parses and validates scenario text; `name` is the path used in messages.
pub fn parse_scenario(
    name: &str,
    text: &str,
    catalogue: &Catalogue,
) -> Result<LoadedScenario, Vec<Diagnostic>> {
    if text.len() > MAX_SOURCE_BYTES {
        return Err(vec![Diagnostic::whole_file(
            name,
            format!(
                "the text is {} bytes; the limit is {MAX_SOURCE_BYTES}",
                text.len()
            ),
        )]);
    }
    let source = SourceText::new(name, text);
    // Our positioned tree first: it gives the clearer message for bad syntax and refuses
    // nesting deep enough to exhaust the stack.
    let tree = match parse_tree(text) {
        Ok(tree) => tree,
        Err(e) => {
            return Err(vec![source.diagnostic_at(
                e.offset,
                Severity::Error,
                format!("syntax error: {}", e.message),
            )]);
        }
    };
    let scenario: Scenario = match crate::ron_options().from_str(text) {
        Ok(s) => s,
        Err(e) => return Err(vec![ron_diagnostic(name, &e)]),
    };
    let mut diagnostics: Vec<Diagnostic> = validate_scenario(&scenario, catalogue)
        .into_iter()
        .map(|issue| {
            let node = tree.locate(&issue.path);
            let mut d = source.diagnostic_at(node.start, issue.severity, issue.message);
            d.help = issue.help;
            d
        })
        .collect();
    diagnostics.sort_by_key(|d| (d.severity, d.line, d.col));
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    Ok(LoadedScenario {
        scenario,
        source,
        warnings: diagnostics,
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
            help = super::closest(found, expected).map(|s| format!("did you mean `{s}`?"));
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
            help = super::closest(found, expected).map(|s| format!("did you mean `{s}`?"));
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
