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

/// Renders a diagnostic with its source line when `source` (the file's text) is given.
pub fn render(d: &Diagnostic, source: Option<&str>) -> String {
    render_line(
        d,
        source.and_then(|s| s.lines().nth(d.line.saturating_sub(1))),
    )
}

/// Renders a diagnostic with its line of source, `line_text`, when known. For many
/// diagnostics in one file, split the file into lines once and use this: `render` looks
/// for the line from the top each time, which is slow for thousands of them in a long file.
pub fn render_line(d: &Diagnostic, line_text: Option<&str>) -> String {
    let severity = if d.is_error() { "error" } else { "warning" };
    let mut out = format!("{}:{}:{}: {severity}: {}", d.file, d.line, d.col, d.message);
    let gutter = d.line.to_string().len();
    if let Some(text) = line_text {
        let chars: Vec<char> = text.chars().collect();
        let start = d.col.saturating_sub(1).min(chars.len());
        let len = span_len(&chars[start..]).clamp(1, 60);
        // Tabs keep their width so the caret lines up.
        let pad: String = chars[..start]
            .iter()
            .map(|c| if *c == '\t' { '\t' } else { ' ' })
            .collect();
        out.push_str(&format!(
            "\n{:gutter$} |\n{} | {}\n{:gutter$} | {pad}{}",
            "",
            d.line,
            text.trim_end(),
            "",
            "^".repeat(len)
        ));
    }
    if let Some(help) = &d.help {
        out.push_str(&format!("\n{:gutter$} = help: {help}", ""));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Severity;

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
}
