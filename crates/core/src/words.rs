//! Words for everything a person reads: counts ("1 rupture", "3 ruptures", never
//! "1 rupture(s)"), and which characters must never reach a terminal or a page as they are.

/// The noun in the form that goes with `n`: `plural(1, "turn")` is "turn", `plural(2,
/// "turn")` is "turns". Nouns whose plural is not the singular plus "s" use `count_with`.
pub fn plural(n: u64, singular: &str) -> String {
    if n == 1 {
        singular.to_string()
    } else {
        format!("{singular}s")
    }
}

/// Any unsigned count: a `u32` from the engine or a `usize` length.
pub trait Amount {
    fn amount(self) -> u64;
}

macro_rules! amount {
    ($($t:ty),*) => {$(
        impl Amount for $t {
            fn amount(self) -> u64 {
                self as u64
            }
        }
    )*};
}
amount!(u8, u16, u32, u64, usize);

/// `n` and its noun: "1 turn", "12 turns".
pub fn count(n: impl Amount, singular: &str) -> String {
    let n = n.amount();
    format!("{n} {}", plural(n, singular))
}

/// `n` and its noun, for a noun with an irregular plural: "1 move was", "2 moves were"
/// is `count_with(n, "move was", "moves were")`.
pub fn count_with(n: impl Amount, singular: &str, plural: &str) -> String {
    let n = n.amount();
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// Whether a character can forge what a terminal or a page shows around it: a control
/// character (a line break, an escape sequence's ESC) or a bidirectional control that
/// reorders the text after it.
pub fn forges_text(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_takes_the_singular_and_every_other_count_the_plural() {
        assert_eq!(count(1u32, "rupture"), "1 rupture");
        assert_eq!(count(0u32, "rupture"), "0 ruptures");
        assert_eq!(count(2usize, "turn"), "2 turns");
        assert_eq!(count_with(1u32, "move was", "moves were"), "1 move was");
        assert_eq!(count_with(3u32, "move was", "moves were"), "3 moves were");
        assert_eq!(plural(1, "file"), "file");
    }
}
