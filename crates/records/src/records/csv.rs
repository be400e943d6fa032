//! CSV cells for the tables spreadsheets open: quoted per RFC 4180 when they hold a comma,
//! a quote or a line break, and text that a spreadsheet would run as a formula (a learner
//! named `=HYPERLINK(...)`, also after leading spaces) kept as text by a leading
//! apostrophe. Every text cell of every table Attune writes is made by `text`; numbers are
//! written as digits, which a spreadsheet never runs.

/// A text cell: names, titles, reasons.
pub fn text(s: &str) -> String {
    // Some spreadsheets trim leading spaces on import and then run what follows.
    let formula = s.trim_start().starts_with(['=', '+', '-', '@']) || s.starts_with(['\t', '\r']);
    let s = if formula {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// A score or fit cell, to one decimal as the app shows it; empty when there is none or it
/// is not a finite number. Digits only, so never a formula.
pub fn score(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite())
        .map_or(String::new(), super::words::score)
}

/// One row of cells, already made with `text` or numbers, ended by a line break.
pub fn row(cells: &[String]) -> String {
    let mut line = cells.join(",");
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_when_they_must_be_and_formulas_stay_text() {
        assert_eq!(text("Ann Lee"), "Ann Lee");
        assert_eq!(text("Lee, Ann"), "\"Lee, Ann\"");
        assert_eq!(text("Ann \"A\""), "\"Ann \"\"A\"\"\"");
        assert_eq!(text("two\nlines"), "\"two\nlines\"");
        assert_eq!(text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(text("-1"), "'-1");
        assert_eq!(text("  =1+1"), "'  =1+1");
        assert_eq!(text("\t=1+1"), "'\t=1+1");
        assert_eq!(text("a=b"), "a=b");
        assert_eq!(score(Some(78.46)), "78.5");
        assert_eq!(score(Some(f64::INFINITY)), "");
        assert_eq!(score(None), "");
    }
}
