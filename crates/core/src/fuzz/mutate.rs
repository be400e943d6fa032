//! The mutator: input `n` is one of the seed files (unchanged for the first few numbers),
//! a few mutations of one, a soup of RON tokens, or random bytes, chosen by a generator
//! seeded from `n` alone.

use super::check::Readers;
use super::corpus::Seed;
use crate::source::{MAX_NESTING, MAX_SOURCE_BYTES};

/// SplitMix64: tiny, fast and good enough to choose mutations.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A length from 1 to `max`, mostly short: each power of two up to 4096 is as likely.
    fn span_len(&mut self, max: usize) -> usize {
        let bits = self.below(13);
        (self.below(1 << bits) + 1).min(max.max(1))
    }
}

/// One generated input and how it was made.
#[derive(Clone, Debug)]
pub struct Input {
    pub index: u64,
    pub bytes: Vec<u8>,
    /// The seed file it started from, or `random bytes` / `token soup`.
    pub origin: String,
    /// The mutations applied, in order.
    pub steps: Vec<String>,
    /// The readers it goes through: scenarios, play scripts (from a script), or both
    /// (shapeless inputs).
    pub readers: Readers,
}

impl Input {
    pub fn describe(&self) -> String {
        let mut s = format!(
            "input #{} ({} bytes) from {}",
            self.index,
            self.bytes.len(),
            self.origin
        );
        if !self.steps.is_empty() {
            s.push_str(": ");
            s.push_str(&self.steps.join(", "));
        }
        s
    }
}

/// No mutation grows an input past this, except the one that tests the size limit.
const MAX_GROWN: usize = MAX_SOURCE_BYTES / 2;

const BRACKETS: &[u8] = b"()[]{}";
const QUOTES: &[&str] = &[
    "\"", "'", "\\\"", "\\", "r#\"", "\"#", "r##\"", "b\"", "'\\'", "'''", "\"\"\"",
];
const UNICODE: &[&str] = &[
    "é",
    "—",
    "’",
    "\u{200B}",
    "\u{FEFF}",
    "\u{202E}",
    "😀",
    "\u{0301}",
    "\u{FFFF}",
    "\0",
    "\u{10FFFF}",
    "ﬁ",
    "İ",
    "ß",
    "\r",
    "\r\n",
    "\t",
    "\u{2028}",
    "日本語",
    "\u{1F3FD}",
];
const NUMBERS: &[&str] = &[
    "1e999",
    "-1e999",
    "NaN",
    "-NaN",
    "inf",
    "-inf",
    "1e-999",
    "1e38",
    "3.5e38",
    "-0",
    "-0.0",
    "340282366920938463463374607431768211456",
    "18446744073709551616",
    "18446744073709551615",
    "-9223372036854775809",
    "4294967296",
    "4294967295",
    "2147483648",
    "-2147483649",
    "0x7fffffff",
    "0xffffffffffffffffff",
    "0b",
    "0o8",
    "1_000_000",
    "00000000000000000001",
    ".5",
    "5.",
    "1e",
    "+1",
    "--1",
    "1.0.0",
    "1..2",
    "0.1e+",
    "1__0",
    "1e1_0",
];
const TOKENS: &[&str] = &[
    ",",
    ":",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "Some(",
    "None",
    "true",
    "false",
    "()",
    "[]",
    "{}",
    "#![enable(implicit_some)]",
    "#![enable(unwrap_newtypes)]",
    "#![enable(unwrap_variant_newtypes)]",
    "#![enable(explicit_struct_names)]",
    "#!",
    "#[",
    "/*",
    "*/",
    "//",
    "\n",
    "r#x",
    "r#",
    "b\"\\xff\"",
    "'a'",
    "'\\u{1F600}'",
    "\"\"",
    "\"\\u{0}\"",
    "\"\\u{D800}\"",
    "\"\\x7f\"",
    "When(",
    "AtTurn(",
    "SetFlag(",
    "Scenario(",
    "Some(Some(",
    "format_version: 1",
    "x: 1",
    "(x: 1)",
    "\"k\": ",
];
const STRINGS: &[&str] = &[
    "",
    " ",
    "\\\\",
    "\\n",
    "\\u{0}",
    "\\u{110000}",
    "\\u{",
    "\\x",
    "\\q",
    "complex_reflection",
    "complex_reflexion",
    "  padded  ",
    "UPPER_CASE",
    "with space",
    "日本語",
    "\u{202E}rtl",
];

/// Builds inputs from seed files. Input `n` depends only on `n`, the run seed and the seeds.
pub struct Mutator {
    seeds: Vec<Seed>,
    /// The seeds inputs start from (by index); all seeds donate values and spans.
    bases: Vec<usize>,
    field_names: Vec<String>,
    run_seed: u64,
}

impl Mutator {
    pub fn new(seeds: Vec<Seed>, run_seed: u64) -> Mutator {
        assert!(
            !seeds.is_empty(),
            "the mutator needs at least one seed file"
        );
        let mut field_names: Vec<String> = seeds
            .iter()
            .flat_map(|s| s.field_names.iter().cloned())
            .collect();
        field_names.sort();
        field_names.dedup();
        if field_names.is_empty() {
            field_names.push("technique".to_string());
        }
        Mutator {
            bases: (0..seeds.len()).collect(),
            seeds,
            field_names,
            run_seed,
        }
    }

    /// Starts inputs only from seeds of at most `max_bytes` (the large ones still donate
    /// values), for a quick run; keeps every seed when none is that small.
    pub fn with_bases_under(mut self, max_bytes: usize) -> Mutator {
        let small: Vec<usize> = (0..self.seeds.len())
            .filter(|&i| self.seeds[i].text.len() <= max_bytes)
            .collect();
        if !small.is_empty() {
            self.bases = small;
        }
        self
    }

    pub fn seeds(&self) -> &[Seed] {
        &self.seeds
    }

    pub fn input(&self, index: u64) -> Input {
        let mut rng = Rng::new(self.run_seed ^ index.wrapping_mul(0xD605_BBB5_8C8A_BBFD));
        rng.next_u64();
        if let Some(seed) = self.bases.get(index as usize).map(|&i| &self.seeds[i]) {
            return Input {
                index,
                bytes: seed.text.as_bytes().to_vec(),
                origin: seed.name.clone(),
                steps: Vec::new(),
                readers: readers_for(seed),
            };
        }
        match rng.below(32) {
            0 => self.random_bytes(index, &mut rng),
            1 => self.token_soup(index, &mut rng),
            _ => self.mutated(index, &mut rng),
        }
    }

    fn random_bytes(&self, index: u64, rng: &mut Rng) -> Input {
        let len = rng.span_len(4096) - 1;
        let printable = rng.one_in(2);
        let bytes = (0..len)
            .map(|_| {
                let b = rng.next_u64() as u8;
                if printable { b' ' + b % 95 } else { b }
            })
            .collect();
        Input {
            index,
            bytes,
            origin: "random bytes".to_string(),
            steps: Vec::new(),
            readers: Readers::Both,
        }
    }

    fn token_soup(&self, index: u64, rng: &mut Rng) -> Input {
        let mut out = String::new();
        for _ in 0..rng.span_len(400) {
            match rng.below(6) {
                0 => out.push_str(&self.field_names[rng.below(self.field_names.len())]),
                1 => out.push_str(rng.pick::<&str>(NUMBERS)),
                2 => out.push_str(&format!("\"{}\"", rng.pick(STRINGS))),
                _ => out.push_str(rng.pick::<&str>(TOKENS)),
            }
            if rng.one_in(2) {
                out.push(*rng.pick(&[' ', '\n', ' ', '\t']));
            }
        }
        Input {
            index,
            bytes: out.into_bytes(),
            origin: "token soup".to_string(),
            steps: Vec::new(),
            readers: Readers::Both,
        }
    }

    fn mutated(&self, index: u64, rng: &mut Rng) -> Input {
        let seed = &self.seeds[*rng.pick(&self.bases)];
        let mut bytes = seed.text.as_bytes().to_vec();
        let mut steps = Vec::new();
        let count = 1 + rng.span_len(8).min(8).trailing_zeros() as usize + rng.below(2);
        for _ in 0..count {
            steps.push(self.mutate(&mut bytes, seed, rng));
        }
        if rng.one_in(1000) {
            // Just at or just over the size limit: last, as other mutations would be slow
            // on four megabytes.
            let target = MAX_SOURCE_BYTES + rng.below(2);
            bytes.resize(target.max(bytes.len()), b' ');
            steps.push(format!("pad to {} bytes", bytes.len()));
        }
        Input {
            index,
            bytes,
            origin: seed.name.clone(),
            steps,
            readers: readers_for(seed),
        }
    }

    /// Applies one mutation and says what it did.
    fn mutate(&self, buf: &mut Vec<u8>, seed: &Seed, rng: &mut Rng) -> String {
        let len = buf.len();
        match rng.below(22) {
            0 | 1 => {
                let (s, e) = span(buf, rng);
                buf.drain(s..e);
                format!("delete {s}..{e}")
            }
            2 => {
                let (s, e) = span(buf, rng);
                let at = boundary(buf, rng.below(len + 1));
                if len + (e - s) <= MAX_GROWN {
                    let copy = buf[s..e].to_vec();
                    replace(buf, at..at, &copy);
                }
                format!("copy {s}..{e} to {at}")
            }
            3 => {
                let (a, b) = span(buf, rng);
                let (c, d) = span(buf, rng);
                if b <= c || d <= a {
                    let ((a, b), (c, d)) = if b <= c {
                        ((a, b), (c, d))
                    } else {
                        ((c, d), (a, b))
                    };
                    let mut out = buf[..a].to_vec();
                    out.extend_from_slice(&buf[c..d]);
                    out.extend_from_slice(&buf[b..c]);
                    out.extend_from_slice(&buf[a..b]);
                    out.extend_from_slice(&buf[d..]);
                    *buf = out;
                }
                format!("swap {a}..{b} with {c}..{d}")
            }
            4 => {
                let text: String = (0..rng.span_len(8))
                    .map(|_| *rng.pick(BRACKETS) as char)
                    .collect();
                insert(buf, rng, &text, "brackets")
            }
            5 => {
                let q = rng.pick(QUOTES);
                insert(buf, rng, q, "quote")
            }
            6 => {
                let u = rng.pick(UNICODE);
                insert(buf, rng, u, "unicode")
            }
            7 | 8 => {
                let n = rng.pick(NUMBERS);
                replace_number(buf, rng, n)
            }
            9 => self.deep_nesting(buf, rng),
            10 => {
                let at = boundary(buf, rng.below(len + 1));
                buf.truncate(at);
                format!("truncate at {at}")
            }
            11 => {
                let t = rng.pick(TOKENS);
                insert(buf, rng, t, "token")
            }
            12 | 13 => self.rename_field(buf, seed, rng),
            14 => replace_string(buf, rng),
            15 => {
                let mut flips = Vec::new();
                for _ in 0..rng.span_len(4) {
                    if !buf.is_empty() {
                        let at = rng.below(buf.len());
                        buf[at] ^= 1 << rng.below(8);
                        flips.push(at.to_string());
                    }
                }
                format!("flip bits at {}", flips.join(" "))
            }
            16 => {
                let other = rng.pick(&self.seeds);
                let ob = other.text.as_bytes();
                let (s, e) = span(ob, rng);
                let at = boundary(buf, rng.below(len + 1));
                if len + (e - s) <= MAX_GROWN {
                    replace(buf, at..at, &ob[s..e]);
                }
                format!("splice {}[{s}..{e}] at {at}", other.name)
            }
            17 => {
                // Remove a whole field or value, with the comma after it, as an author might.
                let Some((s, e)) = pick_range(rng, &seed.fields, &seed.values, buf.len()) else {
                    return "delete nothing".to_string();
                };
                let e = skip_comma(buf, e);
                buf.drain(s..e);
                format!("delete value {s}..{e}")
            }
            18 => {
                // Repeat a field or list item: duplicate fields, long lists.
                let Some((s, e)) = pick_range(rng, &seed.fields, &seed.values, buf.len()) else {
                    return "repeat nothing".to_string();
                };
                let times = *rng.pick(&[1, 2, 10, 1000]);
                let mut item = buf[s..e].to_vec();
                item.extend_from_slice(b", ");
                if len + item.len() * times <= MAX_GROWN {
                    let copies: Vec<u8> = item.repeat(times);
                    replace(buf, s..s, &copies);
                }
                format!("repeat value {s}..{e} {times} times")
            }
            19 | 20 => {
                // Put a value from any seed where another value was.
                let Some((s, e)) = pick_range(rng, &[], &seed.values, buf.len()) else {
                    return "replace nothing".to_string();
                };
                let other = rng.pick(&self.seeds);
                let Some((os, oe)) = pick_range(rng, &[], &other.values, other.text.len()) else {
                    return "replace nothing".to_string();
                };
                if len + (oe - os) <= MAX_GROWN {
                    replace(buf, s..e, &other.text.as_bytes()[os..oe]);
                }
                format!("replace value {s}..{e} with {}[{os}..{oe}]", other.name)
            }
            _ => {
                let (s, e) = span(buf, rng);
                buf.drain(s..e);
                let n = rng.pick(NUMBERS);
                insert(buf, rng, n, "number")
            }
        }
    }

    fn deep_nesting(&self, buf: &mut Vec<u8>, rng: &mut Rng) -> String {
        let depth = *rng.pick(&[
            8,
            MAX_NESTING - 1,
            MAX_NESTING,
            MAX_NESTING + 1,
            1000,
            100_000,
        ]);
        let (open, close) = *rng.pick(&[
            ("(", ")"),
            ("[", "]"),
            ("{", "}"),
            ("Some(", ")"),
            ("(x:", ")"),
            ("{\"k\":", "}"),
        ]);
        let balanced = rng.one_in(2);
        let s = boundary(buf, rng.below(buf.len() + 1));
        let e = if balanced {
            boundary(buf, s + rng.span_len(64).min(buf.len() - s))
        } else {
            s
        };
        if buf.len() + depth * (open.len() + close.len()) > MAX_GROWN {
            return "nest nothing".to_string();
        }
        let mut out = buf[..s].to_vec();
        out.extend_from_slice(open.repeat(depth).as_bytes());
        out.extend_from_slice(&buf[s..e]);
        if balanced {
            out.extend_from_slice(close.repeat(depth).as_bytes());
        }
        out.extend_from_slice(&buf[e..]);
        *buf = out;
        format!(
            "nest {depth} `{open}` at {s}{}",
            if balanced { " (closed)" } else { "" }
        )
    }

    fn rename_field(&self, buf: &mut Vec<u8>, seed: &Seed, rng: &mut Rng) -> String {
        let Some((s, _)) = pick_range(rng, &seed.fields, &[], buf.len()) else {
            return "rename nothing".to_string();
        };
        let end = s + buf[s..]
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
            .unwrap_or(buf.len() - s);
        let old = String::from_utf8_lossy(&buf[s..end]).into_owned();
        let new = match rng.below(6) {
            0 | 1 => self.field_names[rng.below(self.field_names.len())].clone(),
            2 => typo(&old, rng),
            3 => format!("r#{old}"),
            4 => old.to_uppercase(),
            _ => String::new(),
        };
        let mut out = buf[..s].to_vec();
        out.extend_from_slice(new.as_bytes());
        out.extend_from_slice(&buf[end..]);
        *buf = out;
        format!("rename field `{old}` at {s} to `{new}`")
    }
}

fn readers_for(seed: &Seed) -> Readers {
    if seed.name.starts_with("tests/scripts/") {
        Readers::Script
    } else {
        Readers::Scenario
    }
}

/// Moves `at` forward to the start of a character, so that most mutations keep the text
/// valid UTF-8 (bit flips are there to break it).
fn boundary(buf: &[u8], mut at: usize) -> usize {
    at = at.min(buf.len());
    while at < buf.len() && (buf[at] & 0xC0) == 0x80 {
        at += 1;
    }
    at
}

fn span(buf: &[u8], rng: &mut Rng) -> (usize, usize) {
    let s = boundary(buf, rng.below(buf.len() + 1));
    let e = boundary(buf, s + rng.span_len(buf.len() - s));
    (s, e)
}

/// Replaces `range` with `with`, copying in bulk (`Vec::splice` goes byte by byte, which
/// is slow on megabytes without optimisation).
fn replace(buf: &mut Vec<u8>, range: std::ops::Range<usize>, with: &[u8]) {
    let mut out = Vec::with_capacity(buf.len() - range.len() + with.len());
    out.extend_from_slice(&buf[..range.start]);
    out.extend_from_slice(with);
    out.extend_from_slice(&buf[range.end..]);
    *buf = out;
}

fn insert(buf: &mut Vec<u8>, rng: &mut Rng, text: &str, what: &str) -> String {
    let at = boundary(buf, rng.below(buf.len() + 1));
    replace(buf, at..at, text.as_bytes());
    format!("insert {what} {text:?} at {at}")
}

/// One of the ranges (fields first, when both are offered), clamped to the current buffer,
/// which earlier mutations may have shortened.
fn pick_range(
    rng: &mut Rng,
    fields: &[(usize, usize)],
    values: &[(usize, usize)],
    len: usize,
) -> Option<(usize, usize)> {
    let from = if !fields.is_empty() && (values.is_empty() || rng.one_in(2)) {
        fields
    } else {
        values
    };
    if from.is_empty() {
        return None;
    }
    let &(s, e) = rng.pick(from);
    let (s, e) = (s.min(len), e.min(len));
    (s < e).then_some((s, e))
}

fn skip_comma(buf: &[u8], mut at: usize) -> usize {
    let mut j = at;
    while j < buf.len() && buf[j].is_ascii_whitespace() {
        j += 1;
    }
    if buf.get(j) == Some(&b',') {
        at = j + 1;
    }
    at
}

fn replace_number(buf: &mut Vec<u8>, rng: &mut Rng, n: &str) -> String {
    let from = rng.below(buf.len() + 1);
    let found = (from..buf.len())
        .chain(0..from)
        .find(|&i| buf[i].is_ascii_digit() && (i == 0 || !buf[i - 1].is_ascii_alphanumeric()));
    let Some(s) = found else {
        return insert(buf, rng, n, "number");
    };
    let mut e = s;
    while e < buf.len() && (buf[e].is_ascii_digit() || matches!(buf[e], b'.' | b'e' | b'E' | b'_'))
    {
        e += 1;
    }
    let old = String::from_utf8_lossy(&buf[s..e]).into_owned();
    replace(buf, s..e, n.as_bytes());
    format!("number {old} at {s} to {n}")
}

fn replace_string(buf: &mut Vec<u8>, rng: &mut Rng) -> String {
    let from = rng.below(buf.len() + 1);
    let Some(q) = buf[from..]
        .iter()
        .position(|&c| c == b'"')
        .map(|p| p + from)
    else {
        return "no string to replace".to_string();
    };
    let mut e = q + 1;
    while e < buf.len() && buf[e] != b'"' {
        e += if buf[e] == b'\\' { 2 } else { 1 };
    }
    let e = e.min(buf.len());
    let new = match rng.below(4) {
        0 => "x".repeat(*rng.pick(&[1000, 10_000, 100_000])),
        1 => "\\u{1F600}".repeat(rng.span_len(100)),
        _ => rng.pick(STRINGS).to_string(),
    };
    let desc = format!("string at {q} to {} bytes", new.len());
    replace(buf, q + 1..e, new.as_bytes());
    desc
}

fn typo(word: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.is_empty() {
        return "x".to_string();
    }
    let i = rng.below(chars.len());
    match rng.below(3) {
        0 => {
            chars.remove(i);
        }
        1 => chars.insert(i, chars[i]),
        _ => {
            let j = (i + 1).min(chars.len() - 1);
            chars.swap(i, j);
        }
    }
    chars.into_iter().collect()
}
