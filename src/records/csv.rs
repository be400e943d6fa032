//! CSV cells for the tables spreadsheets open: quoted per RFC 4180 when they hold a comma,
//! a quote or a line break, and text that a spreadsheet would run as a formula (a learner
//! named `=HYPERLINK(...)`) kept as text by a leading apostrophe.

/// A text cell: names, titles, reasons.
pub fn text(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
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
    }
}
