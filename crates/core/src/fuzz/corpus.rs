//! The seed files mutations start from, with the spans of their values found once so that
//! structure-aware mutations (delete a list item, swap two values) cost nothing per input.

use std::path::Path;

use crate::source::{Node, NodeKind, parse_tree};

/// One seed file: its text, where each value was written, and its field names.
#[derive(Clone, Debug)]
pub struct Seed {
    pub name: String,
    pub text: String,
    /// Byte ranges of every value in the file (empty when the file does not parse).
    pub values: Vec<(usize, usize)>,
    /// Byte ranges of every struct field from its name to the end of its value.
    pub fields: Vec<(usize, usize)>,
    /// Every field name used in the file.
    pub field_names: Vec<String>,
}

impl Seed {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Seed {
        let text = text.into();
        let mut seed = Seed {
            name: name.into(),
            text,
            values: Vec::new(),
            fields: Vec::new(),
            field_names: Vec::new(),
        };
        if let Ok(tree) = parse_tree(&seed.text) {
            seed.collect(&tree);
        }
        seed.field_names.sort();
        seed.field_names.dedup();
        seed
    }

    fn collect(&mut self, node: &Node) {
        self.values.push((node.start, node.end));
        match &node.kind {
            NodeKind::Struct { fields, .. } => {
                for (name, value) in fields {
                    if let Some(start) = field_start(&self.text, value.start, name) {
                        self.fields.push((start, value.end));
                    }
                    self.field_names.push(name.clone());
                    self.collect(value);
                }
            }
            NodeKind::Tuple { items, .. } | NodeKind::List(items) => {
                for item in items {
                    self.collect(item);
                }
            }
            NodeKind::Map(entries) => {
                for (k, v) in entries {
                    self.collect(k);
                    self.collect(v);
                }
            }
            NodeKind::Str(_) | NodeKind::Atom(_) => {}
        }
    }
}

/// Where `name: value` begins, found by walking back from the value over `:` and the name.
fn field_start(text: &str, value_start: usize, name: &str) -> Option<usize> {
    let before = text[..value_start].trim_end();
    let before = before.strip_suffix(':')?.trim_end();
    let before = before.strip_suffix(name)?;
    Some(before.len())
}

/// Every `.ron` file in `scenarios/`, `tests/fixtures/` and `tests/scripts/` under `root`,
/// in a stable order.
pub fn load_seeds(root: &Path) -> std::io::Result<Vec<Seed>> {
    let mut seeds = Vec::new();
    for dir in ["scenarios", "tests/fixtures", "tests/scripts"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()?;
        paths.sort();
        for path in paths {
            if path.extension().is_some_and(|e| e == "ron") {
                let text = std::fs::read_to_string(&path)?;
                seeds.push(Seed::new(format!("{dir}/{}", file_name(&path)), text));
            }
        }
    }
    Ok(seeds)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_and_whole_fields() {
        let text = "(a: [1, 2], b: (c: \"x\"))";
        let seed = Seed::new("t.ron", text);
        let fields: Vec<&str> = seed.fields.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(fields, ["a: [1, 2]", "b: (c: \"x\")", "c: \"x\""]);
        assert!(seed.values.iter().any(|&(s, e)| &text[s..e] == "2"));
        assert_eq!(seed.field_names, ["a", "b", "c"]);
    }
}
