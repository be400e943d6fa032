//! Diagnostics as a person reads them in a terminal: the `path:line:col` line, then the
//! source line with a caret under the problem, then the suggestion.
//!
//! ```text
//! scenarios/x.ron:3:57: error: unknown value `Hard` of `Difficulty`
//!    |
//!  3 |     meta: (id: "x", difficulty: Hard),
//!    |                                 ^^^^
//!    = help: did you mean `Advanced`?
//! ```

use super::Diagnostic;

/// How many characters from `col` the problem spans: a quoted string, a word, or one
/// character.
fn span_len(chars: &[char]) -> usize {
    match chars.first() {
        None => 1,
        Some('"') => chars
            .iter()
            .skip(1)
            .position(|c| *c == '"')
            .map_or(chars.len(), |end| end + 2),
        Some('“' | '„') => chars
            .iter()
            .skip(1)
            .position(|c| matches!(c, '”' | '“' | '"'))
            .map_or(1, |end| end + 2),
        Some(c) if c.is_alphanumeric() || *c == '_' => chars
            .iter()
            .take_while(|c| c.is_alphanumeric() || **c == '_' || **c == '.' || **c == '-')
            .count(),
        Some(_) => 1,
    }
}

/// Most characters of a source line shown beside a problem: a long line is cut to a window
/// around the caret, with `…` where it was cut, so a file written on one line does not
/// print all of itself for each of its problems.
pub const SHOWN_LINE_CHARS: usize = 100;
/// How many characters of the line the window keeps before the caret, when it can.
const CONTEXT_BEFORE: usize = 40;
/// Longest message or suggestion shown; longer ones (quoting a long value) are cut.
pub const SHOWN_MESSAGE_CHARS: usize = 400;
/// Most problems shown for one file; the rest are counted (errors come first).
pub const SHOWN_PER_FILE: usize = 50;

/// Renders a diagnostic with its line of source, `line_text`, when known (for a file's
/// diagnostics, `render_file` finds the lines).
pub fn render_line(d: &Diagnostic, line_text: Option<&str>) -> String {
    let severity = if d.is_error() { "error" } else { "warning" };
    let mut out = format!(
        "{}:{}:{}: {severity}: {}",
        d.file,
        d.line,
        d.col,
        clip(&d.message)
    );
    let gutter = d.line.to_string().len();
    if let Some(text) = line_text {
        let (shown, pad, caret) = window(text, d.col);
        out.push_str(&format!(
            "\n{:gutter$} |\n{} | {shown}\n{:gutter$} | {pad}{}",
            "",
            d.line,
            "",
            "^".repeat(caret)
        ));
    }
    if let Some(help) = &d.help {
        out.push_str(&format!("\n{:gutter$} = help: {}", "", clip(help)));
    }
    out
}

/// A file's diagnostics split into those shown (the first `SHOWN_PER_FILE`) and the rest.
pub fn shown_and_rest(diagnostics: &[Diagnostic]) -> (&[Diagnostic], &[Diagnostic]) {
    diagnostics.split_at(diagnostics.len().min(SHOWN_PER_FILE))
}

/// One file's diagnostics as a person reads them, each with its line of the file's `text`
/// when known, at most `SHOWN_PER_FILE` of them and then a line counting the rest. The
/// text is split into lines once, however many problems there are.
pub fn render_file(diagnostics: &[Diagnostic], text: Option<&str>) -> Vec<String> {
    let lines: Vec<&str> = text.map_or(Vec::new(), |t| t.lines().collect());
    let (shown, rest) = shown_and_rest(diagnostics);
    let mut out: Vec<String> = shown
        .iter()
        .map(|d| {
            let line = text.and_then(|_| lines.get(d.line.saturating_sub(1)).copied());
            render_line(d, line)
        })
        .collect();
    if let Some(first) = rest.first() {
        out.push(not_shown(&first.file, rest));
    }
    out
}

/// One file's diagnostics one per line, as the commands that play or draw a scenario list
/// why it does not load: at most `SHOWN_PER_FILE`, then a line counting the rest.
pub fn listed(diagnostics: &[Diagnostic]) -> Vec<String> {
    let (shown, rest) = shown_and_rest(diagnostics);
    let mut out: Vec<String> = shown.iter().map(Diagnostic::to_string).collect();
    if let Some(first) = rest.first() {
        out.push(not_shown(&first.file, rest));
    }
    out
}

/// "x.ron: 1950 more problems in this file are not shown (1950 errors)".
pub fn not_shown(file: &str, rest: &[Diagnostic]) -> String {
    let errors = rest.iter().filter(|d| d.is_error()).count();
    let warnings = rest.len() - errors;
    let kinds: Vec<String> = [(errors, "error"), (warnings, "warning")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, word)| crate::words::count(n, word))
        .collect();
    format!(
        "{file}: {} in this file {} not shown ({})",
        crate::words::count_with(rest.len(), "more problem", "more problems"),
        if rest.len() == 1 { "is" } else { "are" },
        kinds.join(", ")
    )
}

/// The part of `text` shown around 1-based character column `col`: the shown text, the
/// padding that puts the caret under `col` (tabs kept, so it lines up), and the caret's
/// length. Reads no further into the line than the window needs.
fn window(text: &str, col: usize) -> (String, String, usize) {
    let wanted = col.saturating_sub(1);
    // The characters a window around `wanted` can take, from a window's width before it
    // to one past a window's width after it (to know whether the line goes on); those
    // before are skipped, not collected.
    let mut skipped = wanted.saturating_sub(SHOWN_LINE_CHARS);
    let mut rest = text.chars();
    if skipped > 0 && rest.nth(skipped - 1).is_none() {
        // A column past the line's end: show the line's end.
        skipped = text.chars().count().saturating_sub(SHOWN_LINE_CHARS);
        rest = text.chars();
        if skipped > 0 {
            rest.nth(skipped - 1);
        }
    }
    let chars: Vec<char> = rest
        .take(wanted - skipped.min(wanted) + SHOWN_LINE_CHARS + 1)
        .collect();
    let start = (wanted - skipped.min(wanted)).min(chars.len());
    let (from, to) = if skipped == 0 && chars.len() <= SHOWN_LINE_CHARS {
        (0, chars.len())
    } else {
        let from = start.saturating_sub(CONTEXT_BEFORE);
        let to = (from + SHOWN_LINE_CHARS).min(chars.len());
        (to.saturating_sub(SHOWN_LINE_CHARS).min(from), to)
    };
    let cut_before = skipped + from > 0;
    let cut_after = to < chars.len();
    let mut shown: String = chars[from..to].iter().collect();
    if cut_after {
        shown.push('…');
    } else {
        shown.truncate(shown.trim_end().len());
    }
    let mut pad = String::new();
    if cut_before {
        shown.insert(0, '…');
        pad.push(' ');
    }
    pad.extend(
        chars[from..start]
            .iter()
            .map(|c| if *c == '\t' { '\t' } else { ' ' }),
    );
    let caret = span_len(&chars[start..])
        .clamp(1, 60)
        .min((to - start).max(1));
    (shown, pad, caret)
}

/// A message cut to `SHOWN_MESSAGE_CHARS`, with `…` where it was cut.
pub fn clip(message: &str) -> std::borrow::Cow<'_, str> {
    match message.char_indices().nth(SHOWN_MESSAGE_CHARS) {
        None => std::borrow::Cow::Borrowed(message),
        Some((end, _)) => std::borrow::Cow::Owned(format!("{}…", &message[..end])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Severity;

    fn render(d: &Diagnostic, source: Option<&str>) -> String {
        render_line(d, source.and_then(|s| s.lines().nth(d.line - 1)))
    }

    fn diag(line: usize, col: usize, help: Option<&str>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: "x.ron".into(),
            line,
            col,
            message: "unknown technique `complex_reflexion`".into(),
            help: help.map(str::to_string),
        }
    }

    #[test]
    fn the_caret_sits_under_the_whole_quoted_value() {
        let source = "[\n    (technique: \"complex_reflexion\"),\n]\n";
        let text = render(
            &diag(2, 17, Some("did you mean `complex_reflection`?")),
            Some(source),
        );
        assert_eq!(
            text,
            "x.ron:2:17: error: unknown technique `complex_reflexion`\n  |\n2 |     (technique: \"complex_reflexion\"),\n  |                 ^^^^^^^^^^^^^^^^^^^\n  = help: did you mean `complex_reflection`?"
        );
    }

    #[test]
    fn words_are_underlined_and_missing_lines_are_left_out() {
        let source = "(difficulty: Hard)";
        assert_eq!(
            render(&diag(1, 14, None), Some(source)),
            format!(
                "x.ron:1:14: error: unknown technique `complex_reflexion`\n  |\n1 | (difficulty: Hard)\n  | {}^^^^",
                " ".repeat(13)
            )
        );
        let plain = render(&diag(9, 1, None), Some(source));
        assert_eq!(
            plain,
            "x.ron:9:1: error: unknown technique `complex_reflexion`"
        );
    }

    /// The shown line of a rendering and the column its caret starts at (in characters,
    /// after the `N | ` gutter).
    fn shown_and_caret(text: &str) -> (String, usize) {
        let lines: Vec<&str> = text.lines().collect();
        let shown = lines[2].split_once(" | ").unwrap().1.to_string();
        let caret = lines[3].split_once(" | ").unwrap().1;
        (shown, caret.chars().take_while(|c| *c != '^').count())
    }

    /// Found by issue 13: every problem printed its whole source line, so a 105 KB file of
    /// one line with 2,000 problems printed 314 MB.
    #[test]
    fn a_long_line_is_cut_to_a_window_around_the_caret() {
        let line = format!(
            "{}\"complex_reflexion\"{}",
            "ä".repeat(50_000),
            "ö".repeat(50_000)
        );
        let text = render_line(&diag(1, 50_001, None), Some(&line));
        let (shown, caret) = shown_and_caret(&text);
        assert_eq!(
            shown,
            format!(
                "…{}\"complex_reflexion\"{}…",
                "ä".repeat(CONTEXT_BEFORE),
                "ö".repeat(SHOWN_LINE_CHARS - CONTEXT_BEFORE - 19)
            )
        );
        // Under the opening quote, counted in characters, whatever their bytes.
        assert_eq!(shown.chars().nth(caret), Some('"'));
        assert!(text.len() < 1_000, "{} bytes", text.len());
        assert!(text.ends_with(&"^".repeat(19)), "{text}");
    }

    #[test]
    fn near_the_ends_of_a_long_line_the_window_keeps_its_width_and_cuts_one_side() {
        let line = format!("x{}", "-".repeat(999));
        let (shown, caret) = shown_and_caret(&render_line(&diag(1, 1, None), Some(&line)));
        assert_eq!(shown, format!("x{}…", "-".repeat(SHOWN_LINE_CHARS - 1)));
        assert_eq!(caret, 0);
        let line = format!("{}y", "-".repeat(999));
        let (shown, caret) = shown_and_caret(&render_line(&diag(1, 1_000, None), Some(&line)));
        assert_eq!(shown, format!("…{}y", "-".repeat(SHOWN_LINE_CHARS - 1)));
        assert_eq!(shown.chars().nth(caret), Some('y'));
        // A column past the end of the line points just after it.
        let (shown, caret) = shown_and_caret(&render_line(&diag(1, 5_000, None), Some(&line)));
        assert_eq!(caret, shown.chars().count());
    }

    #[test]
    fn tabs_before_the_caret_are_kept_so_it_lines_up() {
        let line = format!("{}\t\tHard", "\t".repeat(300));
        let text = render_line(&diag(1, 303, None), Some(&line));
        let (shown, caret) = shown_and_caret(&text);
        assert!(shown.starts_with('…') && shown.ends_with("Hard"), "{shown}");
        assert_eq!(shown.chars().nth(caret), Some('H'));
        let pad = text.lines().nth(3).unwrap().split_once(" | ").unwrap().1;
        // The window ends with the line, so it is filled from before the caret.
        assert_eq!(
            pad,
            format!(" {}^^^^", "\t".repeat(SHOWN_LINE_CHARS - "Hard".len()))
        );
    }

    #[test]
    fn a_long_message_is_cut_with_a_mark() {
        let mut d = diag(1, 1, None);
        d.message = format!("unknown technique `{}`", "a".repeat(10_000));
        let text = render_line(&d, None);
        assert_eq!(
            text.chars().count(),
            "x.ron:1:1: error: ".len() + SHOWN_MESSAGE_CHARS + 1
        );
        assert!(text.ends_with('…'));
    }

    #[test]
    fn a_file_shows_its_first_problems_and_counts_the_rest() {
        let mut all: Vec<Diagnostic> = (1..=SHOWN_PER_FILE + 7).map(|l| diag(l, 1, None)).collect();
        all[SHOWN_PER_FILE + 6].severity = Severity::Warning;
        let source = "(a: 1)\n".repeat(SHOWN_PER_FILE + 7);
        let blocks = render_file(&all, Some(&source));
        assert_eq!(blocks.len(), SHOWN_PER_FILE + 1);
        assert!(blocks[0].contains("1 | (a: 1)"), "{}", blocks[0]);
        assert_eq!(
            blocks[SHOWN_PER_FILE],
            "x.ron: 7 more problems in this file are not shown (6 errors, 1 warning)"
        );
        assert_eq!(
            render_file(&all[..SHOWN_PER_FILE], Some(&source)).len(),
            SHOWN_PER_FILE
        );
    }
}
