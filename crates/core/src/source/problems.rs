//! The problems a checker finds in a positioned RON file, each an error at the field it
//! names (`path:line:col`), gathered so that every one is reported, not only the first.

use super::{Diagnostic, Node, Path, Severity, SourceText};

pub struct Problems<'a> {
    source: &'a SourceText,
    tree: &'a Node,
    found: Vec<Diagnostic>,
}

impl<'a> Problems<'a> {
    pub fn new(source: &'a SourceText, tree: &'a Node) -> Problems<'a> {
        Problems {
            source,
            tree,
            found: Vec::new(),
        }
    }

    /// An error at the field `path`, with help when there is some.
    pub fn at(&mut self, path: &Path, message: &str, help: Option<&str>) {
        let node = self.tree.locate(path);
        let mut d = self
            .source
            .diagnostic_at(node.start, Severity::Error, message.to_string());
        d.help = help.map(str::to_string);
        self.found.push(d);
    }

    /// `value` when nothing was found, else every problem.
    pub fn or_value<T>(self, value: T) -> Result<T, Vec<Diagnostic>> {
        if self.found.is_empty() {
            Ok(value)
        } else {
            Err(self.found)
        }
    }
}
