//! RON read with positions: a value parsed together with the syntax tree that locates its
//! fields, and the RON reader's own errors turned into `path:line:col` diagnostics.

use super::{Diagnostic, Node, NodeKind, Severity, SourceText};

/// Text parsed twice: into the typed value by serde, and into a positioned tree so that
/// later checks can point at a line and column.
pub struct Positioned<T> {
    pub value: T,
    pub source: SourceText,
    pub tree: Node,
}

/// Parses RON text into `T`, keeping positions. The positioned tree goes first: it gives
/// the clearer message for bad syntax and refuses nesting deep enough to exhaust the stack.
/// A byte-order mark and old Mac line endings are accepted (`normalize`); on bad input,
/// every independent mistake is reported, not only the first (`recover`).
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
    let text = super::normalize(text);
    let (value, source, tree) = super::recover::read_all_mistakes(name, &text)?;
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
        } => unknown_name("field", " in", found, expected, outer.as_deref(), &mut help),
        E::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => unknown_name("value", " of", found, expected, outer.as_deref(), &mut help),
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

/// "unknown field `x` in `Client`; expected one of: ...", with the closest name as help.
fn unknown_name(
    what: &str,
    relation: &str,
    found: &str,
    expected: &[&str],
    outer: Option<&str>,
    help: &mut Option<String>,
) -> String {
    *help = super::did_you_mean(found, expected);
    let place = outer
        .map(|o| format!("{relation} `{o}`"))
        .unwrap_or_default();
    format!(
        "unknown {what} `{found}`{place}; expected one of: {}",
        expected.join(", ")
    )
}

/// Sharpens the RON reader's message with the text and the positioned tree: points at the
/// value itself rather than the space before it, says what was found, names the part a
/// missing field belongs to as it is written in the file (`session`, entry 4 of
/// `responses`) rather than by its Rust type, and reads `8.5` where a whole number is
/// needed as that rather than as a missing comma.
pub(super) fn sharpen(
    mut d: Diagnostic,
    code: &ron::Error,
    source: &SourceText,
    tree: &Node,
) -> Diagnostic {
    use ron::Error as E;
    let text = source.text.as_str();
    let mut at = source.offset(d.line, d.col);
    match code {
        E::MissingStructField { field, .. } => {
            if let Some((label, anchor)) = struct_closing_at(tree, text, at) {
                d.message = format!("{label} is missing its required field `{field}`");
                d.help = Some(format!(
                    "add `{field}: ...` inside its parentheses; docs/authoring.md describes every field"
                ));
                at = anchor;
            }
        }
        E::ExpectedComma | E::ExpectedInteger | E::IntegerOutOfBounds
            if decimal_before(text, at).is_some() =>
        {
            // `8.5` where a whole number is needed: the reader stops at the `.`.
            let start = decimal_before(text, at).unwrap_or(at);
            d.message = format!("expected a whole number, found `{}`", token(&text[start..]));
            d.help = Some(
                "this field counts something (turns, years): write it without a decimal point"
                    .into(),
            );
            at = start;
        }
        _ => {
            at = skip_blank(text, at);
            let found = token(&text[at..]);
            if d.message.starts_with("expected ") && !found.is_empty() {
                d.help = d.help.take().or_else(|| help_for(code, found));
                d.message = format!("{}, found `{found}`", d.message.trim_end_matches(" here"));
            }
            if matches!(code, E::IntegerOutOfBounds) {
                // The reader points past a minus sign.
                let negative = text[..at].ends_with('-');
                if negative {
                    at -= 1;
                }
                let found = token(&text[at..]);
                d.message = if negative {
                    format!(
                        "`{found}` cannot be negative here: this field takes a whole number, 0 or more"
                    )
                } else {
                    format!("`{found}` is too large for this field")
                };
            } else if matches!(code, E::ExpectedInteger)
                && d.message.starts_with("expected a number")
            {
                d.message = d
                    .message
                    .replacen("expected a number", "expected a whole number", 1);
            }
        }
    }
    let (line, col) = source.position(at);
    d.line = line;
    d.col = col;
    d
}

/// A suggestion for a value of the wrong kind.
fn help_for(code: &ron::Error, found: &str) -> Option<String> {
    use ron::Error as E;
    let quoted = found.starts_with('"');
    let inner = found.trim_matches('"');
    match code {
        E::ExpectedFloat | E::ExpectedInteger if quoted && inner.parse::<f64>().is_ok() => {
            Some(format!("write the number without quotes: `{inner}`"))
        }
        E::ExpectedFloat | E::ExpectedInteger => {
            Some("write a number such as `0.6` or `8`, without quotes".into())
        }
        E::ExpectedString | E::ExpectedStringEnd => {
            Some(format!("put text in double quotes: `\"{inner}\"`"))
        }
        E::ExpectedArray if quoted => Some(format!(
            "a list goes in square brackets, even with one item: `[{found}]`"
        )),
        E::ExpectedBoolean => Some("write `true` or `false`, without quotes".into()),
        _ => None,
    }
}

/// The value starting at the front of `rest`: a quoted string, a word or number, or one
/// character; shortened when long.
fn token(rest: &str) -> &str {
    let end = if let Some(inner) = rest.strip_prefix('"') {
        inner.find('"').map_or(rest.len(), |i| i + 2)
    } else {
        rest.find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '+')))
            .unwrap_or(rest.len())
            .max(rest.chars().next().map_or(0, char::len_utf8))
    };
    let end = end.min(rest.len());
    let mut cut = end.min(40);
    while !rest.is_char_boundary(cut) {
        cut -= 1;
    }
    &rest[..cut]
}

/// Past spaces, line breaks and comments, to where the next value starts.
fn skip_blank(text: &str, mut at: usize) -> usize {
    loop {
        let rest = &text[at.min(text.len())..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if trimmed.starts_with("//") {
            at += trimmed.find('\n').unwrap_or(trimmed.len());
        } else {
            return at.min(text.len());
        }
    }
}

/// Where a number like `8.5` starts, when the reader stopped at its decimal point.
fn decimal_before(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    if !rest.starts_with('.') || !rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let before = &text[..at];
    let digits = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let start = at - digits;
    let start = if text[..start].ends_with('-') {
        start - 1
    } else {
        start
    };
    (digits > 0).then_some(start)
}

/// How a value was reached from its parent, to name it as the author wrote it.
#[derive(Clone, Copy)]
enum Owner<'t> {
    Root,
    Field(&'t str),
    Entry { list: Option<&'t str>, index: usize },
}

/// The struct whose closing `)` is at `at`, in words (`session`, entry 4 of `responses`
/// (`heard`)), and where to point: its field name, or the start of a list entry.
fn struct_closing_at(tree: &Node, text: &str, at: usize) -> Option<(String, usize)> {
    fn find<'t>(node: &'t Node, at: usize, owner: Owner<'t>) -> Option<(&'t Node, Owner<'t>)> {
        if at < node.start || at >= node.end {
            return None;
        }
        let name = match owner {
            Owner::Field(k) => Some(k),
            _ => None,
        };
        let inner = match &node.kind {
            NodeKind::Struct { fields, .. } => fields
                .iter()
                .find_map(|(k, v)| find(v, at, Owner::Field(k))),
            // `Some(x)` and `When((...))` wrap the value meant.
            NodeKind::Tuple { items, .. } if items.len() == 1 => find(&items[0], at, owner),
            NodeKind::Tuple { items, .. } | NodeKind::List(items) => items
                .iter()
                .enumerate()
                .find_map(|(index, v)| find(v, at, Owner::Entry { list: name, index })),
            NodeKind::Map(entries) => entries.iter().find_map(|(k, v)| match &k.kind {
                NodeKind::Str(key) => find(v, at, Owner::Field(key)),
                _ => find(v, at, owner),
            }),
            _ => None,
        };
        let closes_here = matches!(node.kind, NodeKind::Struct { .. }) && node.end == at + 1;
        inner.or(closes_here.then_some((node, owner)))
    }
    let (node, owner) = find(tree, at, Owner::Root)?;
    let id = match &node.kind {
        NodeKind::Struct { fields, .. } => fields.iter().find_map(|(k, v)| match (&**k, &v.kind) {
            ("id" | "name", NodeKind::Str(s)) => Some(s.as_str()),
            _ => None,
        }),
        _ => None,
    };
    Some(match owner {
        Owner::Root => ("the file".to_string(), node.start),
        Owner::Field(k) => {
            // Point at the field's name, written just before its value.
            let before = text[..node.start].trim_end();
            let key_at = before
                .strip_suffix(':')
                .map(str::trim_end)
                .filter(|b| b.ends_with(k))
                .map_or(node.start, |b| b.len() - k.len());
            (format!("`{k}`"), key_at)
        }
        Owner::Entry { list, index } => {
            let mut label = match list {
                Some(list) => format!("entry {} of `{list}`", index + 1),
                None => format!("entry {} of the list", index + 1),
            };
            if let Some(id) = id {
                label.push_str(&format!(" (`{id}`)"));
            }
            (label, node.start)
        }
    })
}
