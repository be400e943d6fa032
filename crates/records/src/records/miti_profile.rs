//! Each learner's MITI profile across their attempts: the codes their own words read as
//! (the `coded_as` of their result files' turns, which verification compared with a replay
//! of the choices), counted by the core's `MitiCounts`, with reflections per question and
//! the share of complex reflections against MITI 4.2.1's fair and good thresholds. A
//! learner who typed no words has no profile, said so, rather than zeros.

use std::collections::BTreeMap;

use attune_core::model::MitiCode;
use attune_core::scoring::{MitiBand, MitiCounts};

use super::csv;
use super::gradebook::NO_LEARNER;
use super::result::AttemptResult;

/// One learner's profile.
#[derive(Clone, Debug, PartialEq)]
pub struct MitiProfile {
    pub learner: String,
    /// The learner's attempts in the report.
    pub attempts: usize,
    /// The codes of every turn they gave words for; `None` when they gave none.
    pub counts: Option<MitiCounts>,
}

/// The codes the words of one attempt's turns read as, in turn order.
fn words_codes(a: &AttemptResult) -> impl Iterator<Item = MitiCode> + '_ {
    a.turns
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| serde_json::from_value(t.get("coded_as")?.clone()).ok())
}

/// Every learner's profile, by name.
pub fn build(results: &[AttemptResult]) -> Vec<MitiProfile> {
    let mut by_learner: BTreeMap<&str, Vec<&AttemptResult>> = BTreeMap::new();
    for a in results {
        by_learner
            .entry(a.learner.as_deref().unwrap_or(NO_LEARNER))
            .or_default()
            .push(a);
    }
    by_learner
        .into_iter()
        .map(|(learner, attempts)| {
            let counts = MitiCounts::of_words_codes(attempts.iter().flat_map(|a| words_codes(a)));
            MitiProfile {
                learner: learner.to_string(),
                attempts: attempts.len(),
                counts: (counts.from_words > 0).then_some(counts),
            }
        })
        .collect()
}

/// A ratio or share with its band, as people read it: `2.0 (good)`, `45% (fair)`, or why
/// there is none.
pub fn reflections_per_question(m: &MitiCounts) -> String {
    match (m.reflection_to_question, m.reflection_band()) {
        (Some(r), Some(b)) => format!("{r:.1} ({})", b.label()),
        _ => "no question asked".into(),
    }
}

/// The complex share of reflections with its band, or why there is none.
pub fn percent_complex(m: &MitiCounts) -> String {
    match (m.percent_complex_reflections, m.complex_band()) {
        (Some(p), Some(b)) => format!("{p:.0}% ({})", b.label()),
        _ => "no reflection".into(),
    }
}

/// Every code counted that is not a question or a reflection.
pub fn other_codes(m: &MitiCounts) -> u32 {
    m.total() - m.questions - m.simple_reflections - m.complex_reflections
}

/// What the report says of a learner who typed no words.
pub const NO_WORDS: &str = "no words typed: chose from the menu only";

/// `miti_profiles.csv`: one row a learner; the counts and ratios empty for a learner who
/// typed no words (`words` says so), never zeros that were not measured.
pub fn csv(profiles: &[MitiProfile]) -> String {
    let mut o = String::from(
        "learner,attempts,words,turns_with_words,questions,simple_reflections,complex_reflections,other_codes,reflections_per_question,reflection_band,percent_complex,complex_band\n",
    );
    let band = |b: Option<MitiBand>| b.map_or(String::new(), |b| csv::text(b.label()));
    for p in profiles {
        let mut row = vec![csv::text(&p.learner), p.attempts.to_string()];
        match &p.counts {
            None => {
                row.push(csv::text(NO_WORDS));
                row.extend(std::iter::repeat_n(String::new(), 9));
            }
            Some(m) => row.extend([
                "typed".to_string(),
                m.from_words.to_string(),
                m.questions.to_string(),
                m.simple_reflections.to_string(),
                m.complex_reflections.to_string(),
                other_codes(m).to_string(),
                m.reflection_to_question
                    .map_or(String::new(), |r| format!("{r:.2}")),
                band(m.reflection_band()),
                m.percent_complex_reflections
                    .map_or(String::new(), |p| format!("{p:.1}")),
                band(m.complex_band()),
            ]),
        }
        o.push_str(&csv::row(&row));
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn attempt(learner: &str, codes: &[Option<&str>]) -> AttemptResult {
        let turns: Vec<serde_json::Value> = codes
            .iter()
            .enumerate()
            .map(|(i, c)| match c {
                Some(c) => json!({"turn": i + 1, "said": "words", "coded_as": c}),
                None => json!({"turn": i + 1}),
            })
            .collect();
        serde_json::from_value(json!({
            "format": "attune-result/2",
            "scenario": {"id": "dan", "title": "Dan", "file": "dan.ron", "content_hash": "blake3:0"},
            "mode": "Practice", "seed": 1, "learner": learner,
            "started_at": "2026-12-06T09:00:00Z", "finished_at": "2026-12-06T09:10:00Z",
            "choices": [], "turns": turns, "summary": {},
        }))
        .unwrap()
    }

    #[test]
    fn a_profile_counts_the_words_of_every_attempt_and_a_learner_without_words_has_none() {
        let results = [
            attempt("Ann", &[Some("Question"), Some("ComplexReflection"), None]),
            attempt("Ann", &[Some("SimpleReflection"), Some("Affirmation")]),
            attempt("Bo", &[None, None]),
        ];
        let profiles = build(&results);
        assert_eq!(profiles.len(), 2);
        let ann = profiles[0].counts.as_ref().unwrap();
        assert_eq!((profiles[0].attempts, ann.from_words), (2, 4));
        assert_eq!(
            (
                ann.questions,
                ann.simple_reflections,
                ann.complex_reflections
            ),
            (1, 1, 1)
        );
        assert_eq!(other_codes(ann), 1);
        assert_eq!(reflections_per_question(ann), "2.0 (good)");
        assert_eq!(percent_complex(ann), "50% (good)");
        assert_eq!(profiles[1].counts, None, "Bo typed nothing");

        let table = csv(&profiles);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines[1], "Ann,2,typed,4,1,1,1,1,2.00,good,50.0,good");
        assert_eq!(lines[2], format!("Bo,1,{NO_WORDS},,,,,,,,,"), "{table}");
    }
}
