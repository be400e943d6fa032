//! Text as editors save it, made plain before reading: a UTF-8 byte-order mark at the start
//! is dropped, and a lone carriage return (old Mac line endings) becomes a line break.
//! Windows line endings (`\r\n`) read as they are. Accepted silently: neither changes what
//! the author wrote, and both otherwise give errors no author could act on (a file of one
//! line, or a stray character before the first value).

use std::borrow::Cow;

const BYTE_ORDER_MARK: char = '\u{feff}';

pub fn normalize(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix(BYTE_ORDER_MARK).unwrap_or(text);
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_goes_and_lone_carriage_returns_become_line_breaks() {
        assert_eq!(normalize("\u{feff}(a: 1)"), "(a: 1)");
        assert_eq!(normalize("// c\r(a: 1)\r"), "// c\n(a: 1)\n");
        assert_eq!(normalize("(a: 1)\r\n"), "(a: 1)\r\n");
        assert!(matches!(normalize("(a: 1)\n"), Cow::Borrowed(_)));
    }
}
