//! Source text with positions: diagnostics that name `path:line:col`, and a light RON
//! syntax tree that maps a field path (`responses[3].when.techniques[0]`) back to where
//! it was written.

mod diagnostic;
mod kind;
mod normalize;
mod read;
mod recover;
mod render;
mod ron_error;
mod ron_tree;
mod suggest;

pub use diagnostic::{Diagnostic, Issue, Severity};
pub use kind::{FileKind, wrong_kind};
pub use normalize::normalize;
pub use read::{ReadError, not_a_regular_file, read_bytes, too_large};
pub use render::{render, render_line};
pub use ron_error::{Positioned, parse_positioned, ron_diagnostic};
pub use ron_tree::{CURLY_QUOTES, Node, NodeKind, ParseTreeError, Path, Repair, Seg, parse_tree};
pub use suggest::{closest, did_you_mean};

/// Largest file Attune will read as a scenario or script: far above any real scenario,
/// low enough that a stray binary file cannot exhaust memory.
pub const MAX_SOURCE_BYTES: usize = 4 * 1024 * 1024;
/// Deepest nesting accepted, matching the RON reader's own recursion limit.
pub const MAX_NESTING: usize = 128;

/// A file's text with an index of line starts, so byte offsets become line and column.
#[derive(Clone, Debug)]
pub struct SourceText {
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceText {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceText {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceText {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self.text[start..offset].chars().count() + 1;
        (line + 1, col)
    }

    /// The byte offset of a 1-based line and column (in characters), clamped to the text:
    /// the inverse of `position`.
    pub fn offset(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.max(1) - 1) else {
            return self.text.len();
        };
        let end = self
            .line_starts
            .get(line.max(1))
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end]
            .char_indices()
            .nth(col.max(1) - 1)
            .map_or(end, |(i, _)| start + i)
    }

    /// The text of a 1-based line, without its line break.
    pub fn line(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    pub fn diagnostic_at(
        &self,
        offset: usize,
        severity: Severity,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, col) = self.position(offset);
        Diagnostic {
            severity,
            file: self.name.clone(),
            line,
            col,
            message: message.into(),
            help: None,
        }
    }
}
