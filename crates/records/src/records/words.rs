//! Plain words for the records' output to people: lengths of time, scores to one decimal
//! as the app shows them, and rubric items and techniques by their names rather than their
//! field names and ids. Counted nouns ("1 attempt", "3 attempts") are `attune_core::words`.

use std::collections::HashMap;
use std::sync::OnceLock;

use attune_core::words::forges_text;

/// A score, fit or mean as the app shows it: one decimal.
pub fn score(v: f64) -> String {
    format!("{v:.1}")
}

/// Two numbers that differ, each to one decimal, or to as many more as it takes to show
/// that they differ (35.61 against 35.64 reads `35.61` and `35.64`, not `35.6` twice).
pub fn two_that_differ(a: f64, b: f64) -> (String, String) {
    // A number no score can be (1e308 written over a score) reads in powers of ten, not
    // as three hundred digits.
    let absurd = |x: f64| x.abs() >= 1e15;
    if absurd(a) || absurd(b) {
        let show = |x: f64| {
            if absurd(x) {
                format!("{x:e}")
            } else {
                format!("{x:.1}")
            }
        };
        return (show(a), show(b));
    }
    for places in 1..=6 {
        let (x, y) = (format!("{a:.places$}"), format!("{b:.places$}"));
        if x != y {
            return (x, y);
        }
    }
    (a.to_string(), b.to_string())
}

/// How long an attempt took, as a person says it: `45 s`, `12 min 5 s`, `1 h 02 min`.
pub fn duration(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    if h > 0 {
        format!("{h} h {m:02} min")
    } else if m > 0 {
        format!("{m} min {s} s")
    } else {
        format!("{s} s")
    }
}

/// An RFC 3339 UTC timestamp as people read it: `2026-11-24 21:58 UTC`.
pub fn timestamp(rfc3339: &str) -> String {
    match super::clock::parse_rfc3339(rfc3339) {
        Some(secs) => {
            let exact = super::clock::rfc3339(secs);
            format!("{} {} UTC", &exact[..10], &exact[11..16])
        }
        None => rfc3339.to_string(),
    }
}

/// A stored text as it can be printed on one line whatever it holds: each character that
/// `forges_text` (`attune_core::words`) as an escape (`\u{1b}`), so a name in an old database cannot start a new
/// line or colour the terminal.
pub fn on_one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if forges_text(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// `complex_reflection` as words: `Complex reflection`.
pub fn humanize(id: &str) -> String {
    let words = id.replace(['_', '-'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A rubric group of the session summary (`fis`, `integration`) by its name.
pub fn rubric_group(group: &str) -> String {
    match group {
        "fis" => "Facilitative interpersonal skills".into(),
        "integration" => "Integration rubric".into(),
        other => humanize(other),
    }
}

/// The rubric items in the order the debrief lists them, with the debrief's names.
const RUBRIC_ITEMS: [(&str, &str, &str); 14] = [
    ("fis", "verbal_fluency", "Verbal fluency"),
    ("fis", "emotional_expression", "Emotional expression"),
    (
        "fis",
        "warmth_acceptance_understanding",
        "Warmth, acceptance, understanding",
    ),
    ("fis", "empathy", "Empathy"),
    ("fis", "persuasiveness", "Persuasiveness"),
    (
        "fis",
        "hope_positive_expectations",
        "Hope and positive expectations",
    ),
    ("fis", "alliance_bond_capacity", "Alliance-bond capacity"),
    (
        "fis",
        "rupture_repair_responsiveness",
        "Rupture-repair responsiveness",
    ),
    (
        "integration",
        "reactance_matching",
        "Directiveness matched to reactance",
    ),
    (
        "integration",
        "coping_style_matching",
        "Focus matched to coping style",
    ),
    (
        "integration",
        "stage_matching",
        "Work matched to stage of change",
    ),
    (
        "integration",
        "preferences_and_culture",
        "Preferences, culture and faith",
    ),
    (
        "integration",
        "rupture_responsiveness",
        "Responsiveness to ruptures",
    ),
    ("integration", "safety", "Safety"),
];

/// Where a rubric item comes in the debrief's order; an item added later comes last.
pub fn rubric_rank(group: &str, key: &str) -> usize {
    RUBRIC_ITEMS
        .iter()
        .position(|(g, k, _)| *g == group && *k == key)
        .unwrap_or(RUBRIC_ITEMS.len())
}

/// A rubric item by the name the debrief gives it; an item added later reads as words.
pub fn rubric_item(group: &str, key: &str) -> String {
    RUBRIC_ITEMS
        .iter()
        .find(|(g, k, _)| *g == group && *k == key)
        .map_or_else(|| humanize(key), |(_, _, name)| name.to_string())
}

/// A technique by its catalogue name; one the catalogue does not know (a scenario's own)
/// reads as words.
pub fn technique(id: &str) -> String {
    static NAMES: OnceLock<HashMap<String, String>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        attune_core::model::Catalogue::builtin()
            .techniques
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect()
    });
    names.get(id).cloned().unwrap_or_else(|| humanize(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_print_on_one_line_whatever_they_hold() {
        assert_eq!(on_one_line("Trần Đức Minh"), "Trần Đức Minh");
        assert_eq!(
            on_one_line("Ann\nfake-id  dan  started 2026\u{1b}[31m"),
            "Ann\\u{a}fake-id  dan  started 2026\\u{1b}[31m"
        );
        assert_eq!(on_one_line("a\u{202E}b"), "a\\u{202e}b");
    }

    #[test]
    fn numbers_that_differ_show_the_difference() {
        assert_eq!(
            two_that_differ(95.0, 35.614_807_128_906_25),
            ("95.0".into(), "35.6".into())
        );
        assert_eq!(
            two_that_differ(35.61, 35.64),
            ("35.61".into(), "35.64".into())
        );
    }

    #[test]
    fn durations_and_timestamps_read_as_people_say_them() {
        assert_eq!(duration(0), "0 s");
        assert_eq!(duration(725), "12 min 5 s");
        assert_eq!(duration(3720), "1 h 02 min");
        assert_eq!(timestamp("2026-11-24T21:58:03Z"), "2026-11-24 21:58 UTC");
        assert_eq!(timestamp("not a time"), "not a time");
    }

    #[test]
    fn rubric_items_and_techniques_have_names() {
        assert_eq!(
            rubric_item("fis", "alliance_bond_capacity"),
            "Alliance-bond capacity"
        );
        assert_eq!(rubric_item("fis", "new_item"), "New item");
        assert_eq!(technique("complex_reflection"), "Complex reflection");
        assert_eq!(technique("case_formulation"), "Shared case formulation");
        assert_eq!(technique("own_move"), "Own move");
    }
}
