//! Short plain-text summaries for node labels: a condition in a few clauses, effects that
//! are not drawn as edges, and word wrapping.

use crate::model::Rupture;
use crate::model::{Condition, Range};
use crate::scenario::{Effect, Trigger};

/// Label width in characters; long labels make wide nodes and unreadable graphs.
pub const WRAP_WIDTH: usize = 30;
/// Ids listed in one clause before the rest are counted ("a, b, c +3 more").
const LIST_MAX: usize = 3;

/// The clauses of a condition the graph does not draw as edges (flags, `not_flags` and
/// `event` become edges).
pub fn condition_clauses(c: &Condition) -> Vec<String> {
    let mut out = Vec::new();
    list(&mut out, "technique", &c.techniques);
    list(&mut out, "not technique", &c.not_techniques);
    let schools: Vec<String> = c.schools.iter().map(|s| format!("{s:?}")).collect();
    list(&mut out, "school", &schools);
    list(&mut out, "tag", &c.tags);
    range(&mut out, "directiveness", &c.directiveness);
    range(&mut out, "focus", &c.focus);
    range(&mut out, "arousal", &c.arousal);
    range(&mut out, "fit", &c.fit);
    boolean(&mut out, "asked permission", c.asked_permission);
    boolean(&mut out, "culturally adapted", c.culturally_adapted);
    boolean(&mut out, "spiritually adapted", c.spiritually_adapted);
    range(&mut out, "bond", &c.bond);
    range(&mut out, "alliance", &c.alliance);
    range(&mut out, "distress", &c.distress);
    range(&mut out, "hope", &c.hope);
    range(&mut out, "reactance", &c.reactance);
    let stages: Vec<String> = c.stages.iter().map(|s| format!("{s:?}")).collect();
    list(&mut out, "stage", &stages);
    let ruptures: Vec<String> = c
        .rupture
        .iter()
        .map(|r| {
            if *r == Rupture::None {
                "none open".to_string()
            } else {
                format!("{r:?}")
            }
        })
        .collect();
    list(&mut out, "rupture", &ruptures);
    boolean(&mut out, "rupture opens", c.rupture_opened);
    boolean(&mut out, "rupture repaired", c.rupture_repaired);
    if let Some(r) = c.risk_at_least {
        out.push(format!("risk ≥ {r:?}"));
    }
    if let Some(r) = c.risk_below {
        out.push(format!("risk < {r:?}"));
    }
    boolean(&mut out, "risk assessed", c.risk_assessed);
    list(&mut out, "client flag", &c.client_flags);
    range(&mut out, "turn", &c.turn);
    out
}

/// "at turn 4", or "when <clauses>".
pub fn trigger_text(t: &Trigger) -> String {
    match t {
        Trigger::AtTurn(n) => format!("at turn {n}"),
        Trigger::When(c) => {
            let clauses = condition_clauses(c);
            if clauses.is_empty() {
                "when: flags below".to_string()
            } else {
                format!("when {}", clauses.join("; "))
            }
        }
    }
}

/// Effects drawn as text rather than edges (changes to the meters).
pub fn meter_effects(effects: &[Effect]) -> Option<String> {
    let parts: Vec<String> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Distress(d) => Some(format!("distress {d:+}")),
            Effect::Hope(d) => Some(format!("hope {d:+}")),
            Effect::Bond(d) => Some(format!("bond {d:+}")),
            _ => None,
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn list(out: &mut Vec<String>, name: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let shown = items[..items.len().min(LIST_MAX)].join(", ");
    let rest = items.len().saturating_sub(LIST_MAX);
    out.push(if rest > 0 {
        format!("{name}: {shown} +{rest} more")
    } else {
        format!("{name}: {shown}")
    })
}

fn range(out: &mut Vec<String>, name: &str, r: &Option<Range>) {
    match r {
        Some(Range {
            min: Some(lo),
            max: Some(hi),
        }) if lo == hi => out.push(format!("{name} = {lo}")),
        Some(Range {
            min: Some(lo),
            max: Some(hi),
        }) => out.push(format!("{name} {lo}–{hi}")),
        Some(Range {
            min: Some(lo),
            max: None,
        }) => out.push(format!("{name} ≥ {lo}")),
        Some(Range {
            min: None,
            max: Some(hi),
        }) => out.push(format!("{name} ≤ {hi}")),
        _ => {}
    }
}

fn boolean(out: &mut Vec<String>, name: &str, value: Option<bool>) {
    match value {
        Some(true) => out.push(name.to_string()),
        Some(false) => out.push(format!("not {name}")),
        None => {}
    }
}

/// Splits text into lines of at most `width` characters at spaces; a single longer word
/// keeps its own line. At most `max_lines` lines are kept, the last ending in "…".
pub fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let fits = current.chars().count() + 1 + word.chars().count() <= width;
        if current.is_empty() {
            current.push_str(word);
        } else if fits {
            current.push(' ');
            current.push_str(word);
        } else {
            lines.push(std::mem::take(&mut current));
            current.push_str(word);
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            last.push('…');
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_truncates() {
        let lines = wrap("one two three four five six", 9, 2);
        assert_eq!(lines, vec!["one two", "three…"]);
        assert_eq!(wrap("", 10, 3), Vec::<String>::new());
        assert_eq!(
            wrap("averyveryverylongword x", 5, 3),
            vec!["averyveryverylongword", "x"]
        );
    }

    #[test]
    fn clauses_skip_what_edges_show_and_shorten_lists() {
        let c = Condition {
            techniques: vec!["a".into(), "b".into(), "c".into(), "d".into(), "e".into()],
            flags: vec!["f".into()],
            bond: Some(Range {
                min: Some(0.5),
                max: None,
            }),
            turn: Some(Range {
                min: Some(3.0),
                max: Some(5.0),
            }),
            rupture: vec![Rupture::None],
            ..Condition::default()
        };
        assert_eq!(
            condition_clauses(&c),
            vec![
                "technique: a, b, c +2 more",
                "bond ≥ 0.5",
                "rupture: none open",
                "turn 3–5"
            ]
        );
        assert!(condition_clauses(&Condition::default()).is_empty());
    }
}
