//! Source text with positions: diagnostics that name `path:line:col`, and a light RON
//! syntax tree that maps a field path (`responses[3].when.techniques[0]`) back to where
//! it was written.

mod diagnostic;
mod kind;
mod normalize;
mod problems;
mod read;
mod recover;
mod render;
mod ron_error;
mod ron_tree;
mod suggest;

pub use diagnostic::{Diagnostic, Issue, Severity};
pub use kind::{FileKind, wrong_kind};
pub use normalize::normalize;
pub use problems::Problems;
pub use read::{ReadError, not_a_regular_file, read_bytes};
pub use render::{
    SHOWN_LINE_CHARS, SHOWN_MESSAGE_CHARS, SHOWN_PER_FILE, clip, listed, not_shown, render_file,
    render_line, shown_and_rest,
};
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
    /// For text that is not all ASCII, the number of characters before every
    /// `CHAR_MARK_STRIDE`th byte (moved on to a character boundary), so that a column is
    /// counted from the nearest mark rather than from its line's start: thousands of
    /// problems on one long line would otherwise count the line thousands of times. Empty
    /// for ASCII text, where characters are bytes.
    char_marks: Vec<(usize, usize)>,
}

/// Bytes between two character marks.
const CHAR_MARK_STRIDE: usize = 256;

fn char_marks(text: &str) -> Vec<(usize, usize)> {
    if text.is_ascii() {
        return Vec::new();
    }
    let mut marks = vec![(0, 0)];
    let (mut at, mut chars) = (0, 0);
    while at + CHAR_MARK_STRIDE < text.len() {
        let mut next = at + CHAR_MARK_STRIDE;
        while !text.is_char_boundary(next) {
            next += 1;
        }
        chars += text[at..next].chars().count();
        at = next;
        marks.push((at, chars));
    }
    marks
}

impl SourceText {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceText {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceText {
            name: name.into(),
            char_marks: char_marks(&text),
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self.chars_before(offset) - self.chars_before(start) + 1;
        (line + 1, col)
    }

    /// How many characters come before byte `offset` (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        if self.char_marks.is_empty() {
            return offset;
        }
        let i = self.char_marks.partition_point(|&(at, _)| at <= offset) - 1;
        let (at, chars) = self.char_marks[i];
        chars + self.text[at..offset].chars().count()
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

/// RON reading options shared by every file Attune reads: `Some(..)` may be left out.
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by issue 13: every column on a long line was counted from the line's start,
    /// so a one-line file with 40,000 problems took seconds before printing anything.
    #[test]
    fn columns_on_a_long_line_of_mixed_text_are_counted_from_the_nearest_mark() {
        let text = format!("{}\nzweite Zeile: „ok“\n", "é—a\t".repeat(500));
        let source = SourceText::new("x.ron", text.clone());
        for (offset, _) in text.char_indices() {
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..offset].matches('\n').count() + 1;
            let col = text[line_start..offset].chars().count() + 1;
            assert_eq!(source.position(offset), (line, col), "at byte {offset}");
            assert_eq!(source.offset(line, col), offset);
        }
        let ascii = SourceText::new("a.ron", "ab\ncd");
        assert_eq!(ascii.position(4), (2, 2));
    }
}
