//! A small RON reader that keeps where every value was written. Serde and the `ron` crate
//! build the typed scenario; this tree only answers "where is `responses[3].when`?" so that
//! checks made after parsing can still point at a line and column.

use super::MAX_NESTING;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Byte offsets of the value in the source.
    pub start: usize,
    pub end: usize,
    pub kind: NodeKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// `Name(field: value, ...)` or `(field: value, ...)`.
    Struct {
        name: Option<String>,
        fields: Vec<(String, Node)>,
    },
    /// `Name(a, b)`, `(a, b)` or an enum variant with data such as `Some(x)`.
    Tuple {
        name: Option<String>,
        items: Vec<Node>,
    },
    List(Vec<Node>),
    Map(Vec<(Node, Node)>),
    /// A string, with its unescaped text.
    Str(String),
    /// A number, boolean, character or bare identifier (a unit enum variant).
    Atom(String),
}

/// One step of a path into a parsed value.
#[derive(Clone, Debug, PartialEq)]
pub enum Seg {
    Field(&'static str),
    Index(usize),
    /// The entry of a map whose key is this string.
    Key(String),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Path(pub Vec<Seg>);

impl Path {
    pub fn root() -> Path {
        Path(Vec::new())
    }
    pub fn field(&self, name: &'static str) -> Path {
        self.with(Seg::Field(name))
    }
    pub fn index(&self, i: usize) -> Path {
        self.with(Seg::Index(i))
    }
    pub fn key(&self, k: &str) -> Path {
        self.with(Seg::Key(k.to_string()))
    }
    fn with(&self, seg: Seg) -> Path {
        let mut segs = self.0.clone();
        segs.push(seg);
        Path(segs)
    }
}

impl std::fmt::Display for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Field(name) if i == 0 => write!(f, "{name}")?,
                Seg::Field(name) => write!(f, ".{name}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
                Seg::Key(k) => write!(f, "[{k:?}]")?,
            }
        }
        Ok(())
    }
}

impl Node {
    /// The deepest node along `path` that exists: when a field was left out (and took its
    /// default), the error still points at the enclosing value.
    pub fn locate(&self, path: &Path) -> &Node {
        let mut node = self;
        for seg in &path.0 {
            match node.child(seg) {
                Some(next) => node = next,
                None => break,
            }
        }
        node
    }

    fn child(&self, seg: &Seg) -> Option<&Node> {
        match (&self.kind, seg) {
            (NodeKind::Struct { fields, .. }, Seg::Field(name)) => {
                fields.iter().find(|(k, _)| k == name).map(|(_, v)| v)
            }
            (NodeKind::List(items), Seg::Index(i)) => items.get(*i),
            (NodeKind::Tuple { items, .. }, Seg::Index(i)) if items.len() > 1 => items.get(*i),
            (NodeKind::Map(entries), Seg::Key(key)) => entries
                .iter()
                .find(|(k, _)| matches!(&k.kind, NodeKind::Str(s) if s == key))
                .map(|(_, v)| v),
            // `Some(x)` and newtype variants such as `When((...))` wrap the value meant.
            (NodeKind::Tuple { items, .. }, _) if items.len() == 1 => items[0].child(seg),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParseTreeError {
    pub offset: usize,
    pub message: String,
    /// How to mend it, when known; boxed because this error travels up every level of
    /// nesting, whose stack frames must stay small (`MAX_NESTING` levels on a small stack).
    mend: Option<Box<Mend>>,
}

#[derive(Clone, Debug, PartialEq)]
struct Mend {
    repair: Option<Repair>,
    help: Option<String>,
}

impl ParseTreeError {
    fn new(
        offset: usize,
        message: String,
        repair: Option<Repair>,
        help: Option<String>,
    ) -> ParseTreeError {
        ParseTreeError {
            offset,
            message,
            mend: (repair.is_some() || help.is_some()).then(|| Box::new(Mend { repair, help })),
        }
    }

    /// An edit that most likely mends the mistake, so that reading can go on and find the
    /// next one (`recover`); none when no likely fix is known.
    pub fn repair(&self) -> Option<&Repair> {
        self.mend.as_ref()?.repair.as_ref()
    }

    /// How to fix it, in plain words.
    pub fn help(&self) -> Option<&str> {
        self.mend.as_ref()?.help.as_deref()
    }
}

/// Replace `start..end` of the text read with `with` (an insertion when they are equal).
#[derive(Clone, Debug, PartialEq)]
pub struct Repair {
    pub start: usize,
    pub end: usize,
    pub with: String,
}

impl Repair {
    pub fn insert(at: usize, with: impl Into<String>) -> Repair {
        Repair {
            start: at,
            end: at,
            with: with.into(),
        }
    }
}

/// Why curly quotes turn up, and how to stop them.
const SMART_QUOTES: &str = "word processors and some editors turn `\"` into curly quotes as you type (turn off \"smart quotes\")";

/// Typographic quotes an editor or word processor puts in place of `"` and `'`.
pub const CURLY_QUOTES: [char; 8] = ['“', '”', '„', '‟', '‘', '’', '«', '»'];

/// Parses RON text into a positioned tree.
pub fn parse_tree(text: &str) -> Result<Node, ParseTreeError> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
        depth: 0,
        dedent: None,
        broken_string: None,
    };
    parse_all(&mut p).map_err(|e| {
        let e = p.explain_unclosed_string(e);
        p.explain_unclosed(e)
    })
}

fn parse_all(p: &mut Parser) -> Result<Node, ParseTreeError> {
    p.skip_trivia()?;
    // Inner attributes such as `#![enable(implicit_some)]`.
    while p.peek() == Some(b'#') {
        while let Some(c) = p.peek() {
            p.i += 1;
            if c == b']' {
                break;
            }
        }
        p.skip_trivia()?;
    }
    let node = p.value()?;
    p.skip_trivia()?;
    if p.i < p.s.len() {
        return Err(p.error("unexpected text after the end of the value"));
    }
    Ok(node)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    depth: usize,
    /// The first item that starts a line no deeper than the line that opened its group
    /// (the group's bracket, the item): in a file laid out by indentation, a closing
    /// bracket is missing just before it. Only used to explain a syntax error.
    dedent: Option<(usize, usize)>,
    /// The last string read that ran over a line break although its first line looks
    /// finished (`"Go on, then],`): its closing quote is most likely missing. Only used to
    /// explain a syntax error.
    broken_string: Option<usize>,
}

/// What `note_dedent` keeps for one group while its items are read.
#[derive(Default)]
struct GroupLayout {
    /// Where the line holding the group's bracket starts, once needed.
    open_line: Option<usize>,
    /// Whether the first item sat deeper than that line (or beside the bracket).
    first_deeper: Option<bool>,
}

/// Where `, name:` (a comma and the next field) starts in a line, if it does.
fn next_field_at(line: &str) -> Option<usize> {
    line.match_indices(',').map(|(i, _)| i).find(|&i| {
        let rest = line[i + 1..].trim_start();
        let name = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        name > 0 && rest[name..].trim_start().starts_with(':')
    })
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

fn closing(open: u8) -> char {
    match open {
        b'[' => ']',
        b'{' => '}',
        _ => ')',
    }
}

impl<'a> Parser<'a> {
    fn error(&self, message: &str) -> ParseTreeError {
        ParseTreeError::new(self.i, message.to_string(), None, None)
    }

    #[inline(never)]
    fn error_mended_by(&self, message: &str, repair: Repair) -> ParseTreeError {
        ParseTreeError::new(self.i, message.to_string(), Some(repair), None)
    }

    /// A syntax error after a string that ran over a line break it should not have: the
    /// string's closing quote is missing. Say so at the string, and mend it by closing it
    /// at the end of its line (before the `,`, `)` or `]` that end the line).
    fn explain_unclosed_string(&self, e: ParseTreeError) -> ParseTreeError {
        let Some(start) = self.broken_string.filter(|s| *s < e.offset) else {
            return e;
        };
        let line_end = self.text[start..]
            .find(['\n', '\r'])
            .map_or(self.text.len(), |i| start + i);
        let line = &self.text[start..line_end];
        let body = line.trim_end().trim_end_matches([',', ')', ']', ' ']);
        // `"d, size: 4),`: the text most likely ends before the next `field:` on its line.
        let body = &body[..next_field_at(body).unwrap_or(body.len())];
        let close_at = start + body.len();
        let curly = body.ends_with(CURLY_QUOTES);
        let (line_no, _) = line_col(self.text, start);
        ParseTreeError::new(
            start,
            if curly {
                format!(
                    "this text is never closed: it ends with a curly quote on line {line_no}, and RON needs a straight double quote `\"`"
                )
            } else {
                format!(
                    "this text is never closed: a `\"` is missing at its end, on line {line_no}"
                )
            },
            Some(if curly {
                let q = body.chars().next_back().map_or(0, char::len_utf8);
                Repair {
                    start: close_at - q,
                    end: close_at,
                    with: "\"".into(),
                }
            } else {
                Repair::insert(close_at, "\"")
            }),
            Some(if curly {
                format!("replace the curly quote with a straight one `\"`; {SMART_QUOTES}")
            } else {
                "end the text with a `\"` where it stops, before the `,`".to_string()
            }),
        )
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    /// A syntax error after a dedented item is most likely that item's group left open:
    /// say so at the bracket, rather than only where the reader stopped (often much later).
    fn explain_unclosed(&self, e: ParseTreeError) -> ParseTreeError {
        let Some((open, item)) = self.dedent.filter(|(_, item)| *item <= e.offset) else {
            return e;
        };
        let rest = &self.text[item..];
        let word_len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let what = match &rest[..word_len] {
            "" => rest.chars().next().map(String::from).unwrap_or_default(),
            word => word.to_string(),
        };
        let (item_line, _) = line_col(self.text, item);
        let (stop_line, _) = line_col(self.text, e.offset);
        // Close the group just before the dedented item, and separate it from that item.
        let item_line_start = self.text[..item].rfind('\n').map_or(0, |i| i + 1);
        let before = self.text[..item_line_start].trim_end();
        let close = if before.ends_with(',') { "" } else { "," };
        ParseTreeError::new(
            open,
            format!(
                "this `{}` is never closed: a `{}` is probably missing before `{what}` on line {item_line} (the reader stopped at line {stop_line})",
                self.s[open] as char,
                closing(self.s[open]),
            ),
            Some(Repair::insert(
                before.len(),
                format!("{close}{},", closing(self.s[open])),
            )),
            None,
        )
    }

    /// Notes an item that starts its own line no deeper than the line its group opened on,
    /// in a group whose first item sat deeper or beside the bracket (so flat layouts,
    /// where every line starts at the same column, are left alone).
    ///
    /// Called for every item, so it only looks back over the spaces before the item and
    /// finds the bracket's line once per group: scanning whole lines here made a long line
    /// of items quadratic (a 1 MB one-line list took ten seconds).
    fn note_dedent(&mut self, open: usize, group: &mut GroupLayout) {
        let text = self.text;
        let before = text[..self.i].trim_end_matches([' ', '\t']);
        let starts_line = before.is_empty() || before.ends_with('\n');
        let deeper = !starts_line || {
            let item_line = before.len();
            let open_line = *group
                .open_line
                .get_or_insert_with(|| text[..open].rfind('\n').map_or(0, |i| i + 1));
            // The item's line is indented by `item_indent`; it is deeper than the bracket's
            // line when that line has a character other than a space or tab sooner.
            let item_indent = self.i - item_line;
            open_line == item_line
                || !text.as_bytes()[open_line..]
                    .iter()
                    .take(item_indent)
                    .all(|c| matches!(c, b' ' | b'\t'))
        };
        match group.first_deeper {
            None => group.first_deeper = Some(deeper),
            Some(true) if !deeper && self.dedent.is_none() => self.dedent = Some((open, self.i)),
            _ => {}
        }
    }

    fn skip_trivia(&mut self) -> Result<(), ParseTreeError> {
        loop {
            match self.peek() {
                Some(c) if c.is_ascii_whitespace() => self.i += 1,
                Some(b'/') if self.s.get(self.i + 1) == Some(&b'/') => {
                    while self.peek().is_some_and(|c| c != b'\n') {
                        self.i += 1;
                    }
                }
                Some(b'/') if self.s.get(self.i + 1) == Some(&b'*') => {
                    let start = self.i;
                    self.i += 2;
                    let mut level = 1;
                    while level > 0 {
                        match (self.peek(), self.s.get(self.i + 1)) {
                            (None, _) => {
                                self.i = start;
                                return Err(
                                    self.error("this block comment is never closed with */")
                                );
                            }
                            (Some(b'/'), Some(b'*')) => {
                                level += 1;
                                self.i += 2;
                            }
                            (Some(b'*'), Some(b'/')) => {
                                level -= 1;
                                self.i += 2;
                            }
                            _ => self.i += 1,
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn value(&mut self) -> Result<Node, ParseTreeError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            // Point at the bracket that goes one level too deep, not the space before it.
            self.skip_trivia()?;
            return Err(self.error(&format!(
                "values are nested too deeply: the limit is {MAX_NESTING} levels of brackets"
            )));
        }
        let node = self.value_inner();
        self.depth -= 1;
        node
    }

    fn value_inner(&mut self) -> Result<Node, ParseTreeError> {
        self.skip_trivia()?;
        let start = self.i;
        match self.peek() {
            None => Err(self.error("expected a value, found the end of the file")),
            Some(b'(') => self.parens(start, None),
            Some(b'[') => {
                self.i += 1;
                let items = self.items(start, b']', Self::value)?;
                Ok(Node {
                    start,
                    end: self.i,
                    kind: NodeKind::List(items),
                })
            }
            Some(b'{') => {
                self.i += 1;
                let entries = self.items(start, b'}', |p| {
                    let k = p.value()?;
                    p.skip_trivia()?;
                    p.expect(b':')?;
                    let v = p.value()?;
                    Ok((k, v))
                })?;
                Ok(Node {
                    start,
                    end: self.i,
                    kind: NodeKind::Map(entries),
                })
            }
            Some(b'"') => {
                let s = self.string()?;
                Ok(Node {
                    start,
                    end: self.i,
                    kind: NodeKind::Str(s),
                })
            }
            Some(b'r')
                if matches!(self.s.get(self.i + 1), Some(b'"') | Some(b'#'))
                    && self.raw_string_ahead() =>
            {
                let s = self.raw_string()?;
                Ok(Node {
                    start,
                    end: self.i,
                    kind: NodeKind::Str(s),
                })
            }
            Some(b'b') if self.s.get(self.i + 1) == Some(&b'"') => {
                self.i += 1;
                let s = self.string()?;
                Ok(Node {
                    start,
                    end: self.i,
                    kind: NodeKind::Str(s),
                })
            }
            Some(b'\'') => {
                self.i += 1;
                if self.peek() == Some(b'\\') {
                    self.i += 1;
                }
                self.i += self.text[self.i..].chars().next().map_or(0, char::len_utf8);
                self.expect(b'\'')?;
                Ok(Node {
                    start,
                    end: self.i,
                    kind: NodeKind::Atom(self.text[start..self.i].to_string()),
                })
            }
            Some(c) if c.is_ascii_digit() || c == b'-' || c == b'+' || c == b'.' => {
                while self.peek().is_some_and(|c| {
                    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-' | b'+')
                }) {
                    self.i += 1;
                }
                Ok(Node {
                    start,
                    end: self.i,
                    kind: NodeKind::Atom(self.text[start..self.i].to_string()),
                })
            }
            Some(_) if self.text[self.i..].starts_with(CURLY_QUOTES) => Err(self.curly_quotes()),
            Some(c) if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                let name = self.ident();
                self.skip_trivia()?;
                if self.peek() == Some(b'(') {
                    self.parens(start, Some(name))
                } else {
                    Ok(Node {
                        start,
                        end: self.i,
                        kind: NodeKind::Atom(name),
                    })
                }
            }
            Some(_) => Err(self.error("expected a value here")),
        }
    }

    /// Text in curly quotes: say so, and mend it by straightening the quotes on this line.
    #[cold]
    #[inline(never)]
    fn curly_quotes(&self) -> ParseTreeError {
        let open = self.text[self.i..].chars().next().unwrap_or('“');
        let line_end = self.text[self.i..]
            .find(['\n', '\r'])
            .map_or(self.text.len(), |e| self.i + e);
        let after_open = self.i + open.len_utf8();
        let close = self.text[after_open..line_end]
            .char_indices()
            .find(|(_, c)| CURLY_QUOTES.contains(c) || *c == '"')
            .map(|(at, c)| (after_open + at, c));
        let mut with = String::from("\"");
        let end = match close {
            Some((at, c)) => {
                with.push_str(&self.text[after_open..at]);
                with.push('"');
                at + c.len_utf8()
            }
            None => after_open,
        };
        let shown = &self.text[self.i..end.max(after_open)];
        let help = format!("write {with} instead of {shown}; {SMART_QUOTES}");
        ParseTreeError::new(
            self.i,
            format!("curly quotes `{open}`: RON needs straight double quotes `\"` around text"),
            Some(Repair {
                start: self.i,
                end,
                with,
            }),
            Some(help),
        )
    }

    fn raw_string_ahead(&self) -> bool {
        let mut j = self.i + 1;
        while self.s.get(j) == Some(&b'#') {
            j += 1;
        }
        self.s.get(j) == Some(&b'"')
    }

    fn ident(&mut self) -> String {
        let start = self.i;
        if self.s[self.i..].starts_with(b"r#") {
            self.i += 2;
        }
        while let Some(ch) = self.text[self.i..].chars().next() {
            if ch.is_alphanumeric() || ch == '_' {
                self.i += ch.len_utf8();
            } else {
                break;
            }
        }
        self.text[start..self.i]
            .trim_start_matches("r#")
            .to_string()
    }

    /// `( ... )`: a struct when the first item is `ident:`, otherwise a tuple.
    fn parens(&mut self, start: usize, name: Option<String>) -> Result<Node, ParseTreeError> {
        self.skip_trivia()?;
        let open = self.i;
        self.expect(b'(')?;
        self.skip_trivia()?;
        if self.is_field_ahead() {
            let fields = self.items(open, b')', |p| {
                p.skip_trivia()?;
                let key_start = p.i;
                let key = p.ident();
                if key.is_empty() {
                    p.i = key_start;
                    return Err(p.error("expected a field name"));
                }
                p.skip_trivia()?;
                if p.peek() != Some(b':') {
                    return Err(p.error_mended_by(
                        &format!("expected `:` after the field name `{key}`"),
                        Repair::insert(p.i, ":"),
                    ));
                }
                p.i += 1;
                let v = p.value()?;
                Ok((key, v))
            })?;
            Ok(Node {
                start,
                end: self.i,
                kind: NodeKind::Struct { name, fields },
            })
        } else {
            let items = self.items(open, b')', Self::value)?;
            Ok(Node {
                start,
                end: self.i,
                kind: NodeKind::Tuple { name, items },
            })
        }
    }

    fn is_field_ahead(&mut self) -> bool {
        let save = self.i;
        let c = self.peek();
        let ok = if c.is_some_and(|c| c.is_ascii_alphabetic() || c == b'_' || c >= 0x80) {
            let _ = self.ident();
            self.skip_trivia().is_ok() && self.peek() == Some(b':')
        } else {
            false
        };
        self.i = save;
        ok
    }

    /// Comma-separated items up to `close`, a trailing comma allowed; `open` is the
    /// offset of the opening bracket, named in messages.
    fn items<T>(
        &mut self,
        open: usize,
        close: u8,
        mut item: impl FnMut(&mut Self) -> Result<T, ParseTreeError>,
    ) -> Result<Vec<T>, ParseTreeError> {
        let mut out = Vec::new();
        let mut layout = GroupLayout::default();
        loop {
            self.skip_trivia()?;
            if self.peek() == Some(close) {
                self.i += 1;
                return Ok(out);
            }
            if self.peek().is_none() {
                // At the end of the last text, which has a line to show.
                self.i = self.text.trim_end().len();
                let (line, col) = line_col(self.text, open);
                return Err(self.error(&format!(
                    "expected `{}` before the end of the file, to close the `{}` at line {line}, column {col}",
                    close as char,
                    self.s[open] as char
                )));
            }
            self.note_dedent(open, &mut layout);
            out.push(item(self)?);
            let item_end = self.i;
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(c) if c == close => {}
                next => return Err(self.missing_separator(open, close, item_end, next)),
            }
        }
    }

    /// What is wrong when an item is followed by neither `,` nor the closing bracket: kept
    /// out of `items`, whose stack frame every level of nesting pays for.
    #[cold]
    #[inline(never)]
    fn missing_separator(
        &mut self,
        open: usize,
        close: u8,
        item_end: usize,
        next: Option<u8>,
    ) -> ParseTreeError {
        let next_at = self.i;
        let field = self.is_field_ahead().then(|| self.ident());
        // Point just after the value when the next one starts a new line: that
        // is where the `,` belongs.
        self.i = if self.text[item_end..next_at].contains('\n') {
            item_end
        } else {
            next_at
        };
        let comma = Repair::insert(item_end, ",");
        if let Some(field) = field {
            return self.error_mended_by(
                &format!("a `,` is missing before the next field, `{field}`"),
                comma,
            );
        }
        // A word where a `,` belongs: text without its quotes, e.g.
        // `lines: [Go on, then"]`.
        let unquoted = next.is_some_and(|c| c.is_ascii_alphabetic());
        let (line, col) = line_col(self.text, open);
        // A new item on a new line after a finished one: the `,` is missing.
        let starts_value =
            next.is_some_and(|c| matches!(c, b'(' | b'[' | b'{' | b'"') || c.is_ascii_digit());
        if starts_value && self.text[item_end..next_at].contains('\n') {
            return self.error_mended_by(
                &format!(
                    "a `,` is missing after this item, before the next one on line {}",
                    line_col(self.text, next_at).0
                ),
                comma,
            );
        }
        self.error(&format!(
            "expected `,` between items, or `{}` to close the `{}` at line {line}, column {col}{}",
            close as char,
            self.s[open] as char,
            if unquoted {
                " (is some text missing its double quotes?)"
            } else {
                ""
            }
        ))
    }

    fn expect(&mut self, c: u8) -> Result<(), ParseTreeError> {
        self.skip_trivia()?;
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected `{}`", c as char)))
        }
    }

    fn string(&mut self) -> Result<String, ParseTreeError> {
        let start = self.i;
        self.i += 1;
        let mut out = String::new();
        loop {
            let Some(ch) = self.text[self.i..].chars().next() else {
                self.i = start;
                return Err(self.error("this string is never closed with a quote"));
            };
            self.i += ch.len_utf8();
            match ch {
                '"' => {
                    self.note_broken_string(start, &out);
                    return Ok(out);
                }
                '\\' => {
                    let Some(esc) = self.text[self.i..].chars().next() else {
                        continue;
                    };
                    self.i += esc.len_utf8();
                    out.push(match esc {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        '0' => '\0',
                        other => other,
                    });
                }
                other => out.push(other),
            }
        }
    }

    /// Notes a string that runs over a line break although its first line looks finished:
    /// it ends in `,`, `)`, `]` or a curly quote, as a value's line does.
    fn note_broken_string(&mut self, start: usize, read: &str) {
        let Some(first_line) = read.split_once('\n').map(|(first, _)| first) else {
            return;
        };
        let first_line = first_line.trim_end_matches('\r').trim_end();
        if first_line.ends_with([',', ')', ']']) || first_line.ends_with(CURLY_QUOTES) {
            self.broken_string = Some(start);
        }
    }

    fn raw_string(&mut self) -> Result<String, ParseTreeError> {
        let start = self.i;
        self.i += 1;
        let mut hashes = 0;
        while self.peek() == Some(b'#') {
            hashes += 1;
            self.i += 1;
        }
        self.i += 1;
        let closing = format!("\"{}", "#".repeat(hashes));
        match self.text[self.i..].find(&closing) {
            Some(len) => {
                let s = self.text[self.i..self.i + len].to_string();
                self.i += len + closing.len();
                Ok(s)
            }
            None => {
                self.i = start;
                Err(self.error("this raw string is never closed"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_nested_fields_lists_and_wrapped_options() {
        let text =
            "// comment\nScenario(\n  a: [ (x: 1), (x: Some(\"two\")) ],\n  m: {\"k\": 3},\n)";
        let tree = parse_tree(text).unwrap();
        let node = tree.locate(&Path::root().field("a").index(1).field("x"));
        assert_eq!(&text[node.start..node.end], "Some(\"two\")");
        let node = tree.locate(&Path::root().field("m").key("k"));
        assert_eq!(&text[node.start..node.end], "3");
        // A missing field points at the enclosing value.
        let node = tree.locate(&Path::root().field("a").index(0).field("missing"));
        assert_eq!(&text[node.start..node.end], "(x: 1)");
    }

    #[test]
    fn reports_unclosed_parens_and_strings() {
        assert!(parse_tree("(a: 1").is_err());
        let err = parse_tree("(a: \"oops)").unwrap_err();
        assert_eq!(err.offset, 4);
    }

    #[test]
    fn an_unclosed_group_is_blamed_at_its_bracket_when_a_later_line_is_dedented() {
        // `when: (` is never closed; the reader only fails at the next entry.
        let text = "[\n    (\n        when: (a: 1,\n        lines: [],\n    ),\n    (\n        b: 2,\n    ),\n]";
        let err = parse_tree(text).unwrap_err();
        assert_eq!(err.offset, text.find("(a: 1").unwrap());
        assert!(
            err.message
                .contains("a `)` is probably missing before `lines` on line 4"),
            "{}",
            err.message
        );
        // A flat layout (nothing indented) is not taken for a dedent.
        let flat = "(\na: (\nb: 1,\n),\nc: 2 d: 3)";
        assert!(
            parse_tree(flat)
                .unwrap_err()
                .message
                .contains("a `,` is missing before the next field, `d`")
        );
    }

    #[test]
    fn refuses_deep_nesting_without_overflowing_the_stack() {
        let text = "[".repeat(100_000);
        assert!(
            parse_tree(&text)
                .unwrap_err()
                .message
                .contains("nested too deeply")
        );
    }
}
