//! Every independent mistake in one run. The RON reader stops at the first error, so each
//! error found is mended in a copy of the text by its most likely fix (a missing `,` put
//! in, a misspelt field or value replaced by the name closest to it, a text's missing quote
//! added, ...) and the copy read again, until it reads or no fix is known. Every error is
//! reported at its place in the original text; one that falls where an earlier fix was
//! made is a consequence of the guess, not a new mistake, and ends the search.

use super::ron_error::{ron_diagnostic, sharpen};
use super::ron_tree::Repair;
use super::{Diagnostic, Node, NodeKind, Severity, SourceText, closest, parse_tree};

/// Enough for any file a person wrote; each round reads the whole text again.
const MAX_ROUNDS: usize = 32;
/// How much text all rounds together may read again, so that a huge file (machine-made or
/// mangled) gets its first mistakes quickly rather than every one slowly.
const REREAD_BYTES: usize = 1024 * 1024;

/// The text with the fixes made so far, each kept in the original's offsets.
struct Patched<'a> {
    original: &'a str,
    /// Sorted by start; they never overlap.
    edits: Vec<Repair>,
    text: String,
}

impl<'a> Patched<'a> {
    fn new(original: &'a str) -> Patched<'a> {
        Patched {
            original,
            edits: Vec::new(),
            text: original.to_string(),
        }
    }

    /// The original offset of an offset in the patched text (the start of a fix for an
    /// offset inside one).
    fn to_original(&self, at: usize) -> usize {
        let mut shift: isize = 0;
        for e in &self.edits {
            let start = (e.start as isize + shift) as usize;
            if at < start {
                break;
            }
            if at < start + e.with.len() {
                return e.start;
            }
            shift += e.with.len() as isize - (e.end - e.start) as isize;
        }
        (at as isize - shift).clamp(0, self.original.len() as isize) as usize
    }

    /// Whether an original offset is where a fix was made.
    fn touched(&self, at: usize) -> bool {
        self.edits.iter().any(|e| (e.start..=e.end).contains(&at))
    }

    /// Makes a fix given in the patched text's offsets; false when it would undo or overlap
    /// an earlier one.
    fn apply(&mut self, fix: &Repair) -> bool {
        let start = self.to_original(fix.start);
        let end = self.to_original(fix.end).max(start);
        if self.edits.iter().any(|e| start <= e.end && e.start <= end) {
            return false;
        }
        let at = self.edits.partition_point(|e| e.start < start);
        self.edits.insert(
            at,
            Repair {
                start,
                end,
                with: fix.with.clone(),
            },
        );
        let mut text = String::with_capacity(self.original.len() + 16);
        let mut from = 0;
        for e in &self.edits {
            text.push_str(&self.original[from..e.start]);
            text.push_str(&e.with);
            from = e.end;
        }
        text.push_str(&self.original[from..]);
        self.text = text;
        true
    }
}

/// Reads `text` as a `T`: the value, its positioned tree and text when it reads, else every
/// mistake found.
pub fn read_all_mistakes<T: serde::de::DeserializeOwned>(
    name: &str,
    text: &str,
) -> Result<(T, SourceText, Node), Vec<Diagnostic>> {
    let source = SourceText::new(name, text);
    let mut patched = Patched::new(text);
    let mut found: Vec<Diagnostic> = Vec::new();
    let rounds = (REREAD_BYTES / text.len().max(1)).clamp(1, MAX_ROUNDS);
    // Whether the rounds ran out with a mistake just mended, rather than the search ending.
    let mut more_may_follow = false;
    for round in 0..rounds {
        let (at, mut d, fix) = match parse_tree(&patched.text) {
            Err(e) => {
                let d = Diagnostic {
                    help: e.help().map(str::to_string),
                    ..source.diagnostic_at(
                        0,
                        Severity::Error,
                        format!("syntax error: {}", e.message),
                    )
                };
                (e.offset, d, e.repair().cloned())
            }
            Ok(tree) => match crate::source::ron_options().from_str::<T>(&patched.text) {
                Ok(value) if found.is_empty() => return Ok((value, source, tree)),
                Ok(_) => break,
                Err(e) => {
                    let copy = SourceText::new(name, patched.text.as_str());
                    let d = sharpen(ron_diagnostic(name, &e), &e.code, &copy, &tree);
                    let at = copy.offset(d.line, d.col);
                    let fix = mend(&e.code, &patched.text, &tree, at);
                    (at, d, fix)
                }
            },
        };
        let original_at = patched.to_original(at);
        if !found.is_empty() && patched.touched(original_at) {
            break;
        }
        (d.line, d.col) = source.position(original_at);
        if found.iter().any(|f| f.line == d.line && f.col == d.col) {
            break;
        }
        found.push(d);
        match fix {
            Some(fix) if patched.apply(&fix) => more_may_follow = round + 1 == rounds,
            _ => break,
        }
    }
    found.sort_by_key(|d| (d.line, d.col));
    if more_may_follow && found.len() > 1 {
        let mut d = Diagnostic::whole_file(
            name,
            format!(
                "stopped looking after {} problems; there may be more: fix these and check again",
                found.len()
            ),
        );
        d.severity = Severity::Warning;
        found.push(d);
    }
    Err(found)
}

/// The most likely fix for an error the typed reader found at `at`, when one is known.
fn mend(code: &ron::Error, text: &str, tree: &Node, at: usize) -> Option<Repair> {
    use ron::Error as E;
    match code {
        E::NoSuchStructField {
            expected, found, ..
        } => {
            let field = field_near(tree, text, found, at)?;
            let taken = |m: &&str| field.siblings.iter().any(|(k, _)| k == m);
            let meant = closest(found, expected).filter(|m| !taken(m));
            Some(match meant {
                // Renamed, so the field it stands for is not reported missing as well.
                Some(meant) => Repair {
                    start: field.key_at,
                    end: field.key_at + found.len(),
                    with: meant.to_string(),
                },
                None => drop_field(text, field.key_at, field.value),
            })
        }
        E::DuplicateStructField { field, .. } => {
            let field = field_near(tree, text, field, at)?;
            Some(drop_field(text, field.key_at, field.value))
        }
        E::NoSuchEnumVariant {
            expected, found, ..
        } => {
            let meant = closest(found, expected).or_else(|| expected.first().copied())?;
            let start = text[at..].find(found.as_str()).map(|i| at + i)?;
            Some(Repair {
                start,
                end: start + found.len(),
                with: meant.to_string(),
            })
        }
        E::ExpectedFloat | E::ExpectedInteger | E::IntegerOutOfBounds => stand_in(tree, at, "1"),
        E::ExpectedString | E::ExpectedStringEnd => stand_in(tree, at, "\"\""),
        E::ExpectedBoolean => stand_in(tree, at, "false"),
        E::ExpectedArray => stand_in(tree, at, "[]"),
        _ => None,
    }
}

/// A field as written: its struct's fields, where its name starts, and its value.
struct FieldAt<'t> {
    siblings: &'t [(String, Node)],
    key_at: usize,
    value: &'t Node,
}

/// The struct field named `name` whose name is written nearest `at`.
fn field_near<'t>(tree: &'t Node, text: &str, name: &str, at: usize) -> Option<FieldAt<'t>> {
    let mut best: Option<(usize, FieldAt<'t>)> = None;
    let mut stack = vec![tree];
    while let Some(node) = stack.pop() {
        match &node.kind {
            NodeKind::Struct { fields, .. } => {
                for (k, v) in fields {
                    if k == name
                        && let Some(key_at) = key_start(text, k, v)
                    {
                        let distance = key_at.abs_diff(at);
                        if best.as_ref().is_none_or(|(d, _)| distance < *d) {
                            let field = FieldAt {
                                siblings: fields,
                                key_at,
                                value: v,
                            };
                            best = Some((distance, field));
                        }
                    }
                    stack.push(v);
                }
            }
            NodeKind::Tuple { items, .. } | NodeKind::List(items) => stack.extend(items),
            NodeKind::Map(entries) => stack.extend(entries.iter().map(|(_, v)| v)),
            NodeKind::Str(_) | NodeKind::Atom(_) => {}
        }
    }
    best.map(|(_, found)| found)
}

/// Where a field's name starts: just before its `:` and value.
fn key_start(text: &str, key: &str, value: &Node) -> Option<usize> {
    let before = text[..value.start].trim_end().strip_suffix(':')?.trim_end();
    before.ends_with(key).then(|| before.len() - key.len())
}

/// Removes `name: value` and the comma after it.
fn drop_field(text: &str, key_at: usize, value: &Node) -> Repair {
    let rest = &text[value.end..];
    let after = rest.trim_start();
    let end = match after.strip_prefix(',') {
        Some(_) => value.end + (rest.len() - after.len()) + 1,
        None => value.end,
    };
    Repair {
        start: key_at,
        end,
        with: String::new(),
    }
}

/// Puts a value of the right kind in place of the innermost value at `at`, in the copy that
/// is read again: the mistake there is already reported, and the stand-in lets the reader
/// go on to find the next one.
fn stand_in(tree: &Node, at: usize, with: &str) -> Option<Repair> {
    let mut node = tree;
    'down: loop {
        let children: Vec<&Node> = match &node.kind {
            NodeKind::Struct { fields, .. } => fields.iter().map(|(_, v)| v).collect(),
            NodeKind::Tuple { items, .. } | NodeKind::List(items) => items.iter().collect(),
            NodeKind::Map(entries) => entries.iter().flat_map(|(k, v)| [k, v]).collect(),
            NodeKind::Str(_) | NodeKind::Atom(_) => Vec::new(),
        };
        for child in children {
            if (child.start..child.end.max(child.start + 1)).contains(&at) {
                node = child;
                continue 'down;
            }
        }
        break;
    }
    (node.start == at).then(|| Repair {
        start: node.start,
        end: node.end,
        with: with.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        name: String,
        size: u32,
        #[serde(default)]
        kind: Option<Kind>,
    }

    #[derive(Debug, serde::Deserialize)]
    enum Kind {
        Small,
        Large,
    }

    fn mistakes(text: &str) -> Vec<(usize, String)> {
        read_all_mistakes::<Vec<Item>>("t.ron", text)
            .unwrap_err()
            .into_iter()
            .map(|d| (d.line, d.message))
            .collect()
    }

    #[test]
    fn four_independent_mistakes_are_all_found_in_one_run() {
        let text = "[\n  (name: \"a\", size: 1)\n  (name: \"b\", sise: 2),\n  (name: \"c\", size: 3, kind: Lage),\n  (name: \"d, size: 4),\n  (name: \"e\", size: 5),\n]";
        let found = mistakes(text);
        let lines: Vec<usize> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![2, 3, 4, 5], "{found:?}");
        assert!(found[0].1.contains("`,` is missing"), "{found:?}");
        assert!(found[1].1.contains("unknown field `sise`"), "{found:?}");
        assert!(found[2].1.contains("unknown value `Lage`"), "{found:?}");
        assert!(found[3].1.contains("never closed"), "{found:?}");
    }

    #[test]
    fn a_consequence_of_a_fix_is_not_reported_as_a_new_mistake() {
        // Renaming the misspelt field keeps `size` from being reported missing too.
        let found = mistakes("[(name: \"a\", sise: 2)]");
        assert_eq!(found.len(), 1, "{found:?}");
        // A field that is not a misspelling is dropped: the one it lacks is a mistake too.
        let found = mistakes("[(name: \"a\", colour: 2)]");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found
                .iter()
                .any(|(_, m)| m.contains("missing its required field `size`"))
        );
    }

    #[test]
    fn a_file_with_very_many_mistakes_says_more_may_follow() {
        let items = "(name: \"a\", size: 1)\n".repeat(40);
        let found = read_all_mistakes::<Vec<Item>>("t.ron", &format!("[\n{items}]")).unwrap_err();
        assert_eq!(found.len(), MAX_ROUNDS + 1);
        let last = found.last().unwrap();
        assert_eq!(last.severity, Severity::Warning);
        assert!(last.message.contains("there may be more"), "{last:?}");
    }

    #[test]
    fn offsets_map_back_through_insertions_and_removals() {
        let mut p = Patched::new("abcdef");
        assert!(p.apply(&Repair::insert(2, "XY")));
        assert_eq!(p.text, "abXYcdef");
        assert_eq!(p.to_original(5), 3);
        assert!(p.apply(&Repair {
            start: 6,
            end: 7,
            with: String::new()
        }));
        assert_eq!(p.text, "abXYcdf");
        assert_eq!(p.to_original(6), 5, "`f`");
        assert!(!p.apply(&Repair::insert(2, "Z")), "inside an earlier fix");
    }
}
