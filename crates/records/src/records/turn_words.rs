//! The trainee's own words at each turn, as the records' tables show them: what was said,
//! the MITI code the words read as and any mismatch with the confirmed move, read from a
//! result file's turns (which verification compared with a replay of the choices). The
//! export's `turns.csv` and the report's `turns.csv` both take their cells from here.

use attune_core::engine::transcript::describe_adaptation;
use serde_json::Value;

use super::csv;
use super::gradebook::NO_LEARNER;
use super::result::AttemptResult;

/// The header of the three words columns, in the order `cells` gives them.
pub const WORDS_COLUMNS: &str = "said,coded_as,mismatch";

/// A result file turn's words columns as CSV cells: the words, the MITI code they read as
/// and the mismatch, each empty when the turn has none.
pub fn cells(turn: &Value) -> [String; 3] {
    let text = |field: &str| csv::text(turn[field].as_str().unwrap_or(""));
    [text("said"), text("coded_as"), text("mismatch")]
}

/// The report's `turns.csv`: each learner's every turn, with the move and its adaptation,
/// its fit, and what the learner said, so an instructor can read what each one said at
/// each turn. `attempt` is the attempt's id (its number in the report's input when a
/// format 1 result has none).
pub fn turns_csv(results: &[AttemptResult]) -> String {
    let mut o = format!("learner,scenario,attempt,turn,technique,adaptation,fit,{WORDS_COLUMNS}\n");
    for (i, a) in results.iter().enumerate() {
        let learner = csv::text(a.learner.as_deref().unwrap_or(NO_LEARNER));
        let attempt = csv::text(&a.attempt_id.clone().unwrap_or_else(|| (i + 1).to_string()));
        for (n, t) in a.turns.as_array().into_iter().flatten().enumerate() {
            let adaptation = a
                .choices
                .get(n)
                .map(describe_adaptation)
                .unwrap_or_default();
            let mut row = vec![
                learner.clone(),
                csv::text(&a.scenario.id),
                attempt.clone(),
                t["turn"].as_u64().map_or(String::new(), |v| v.to_string()),
                csv::text(t["technique"].as_str().unwrap_or("")),
                csv::text(&adaptation),
                csv::score(t["fit"].as_f64()),
            ];
            row.extend(cells(t));
            o.push_str(&csv::row(&row));
        }
    }
    o
}

/// One turn a learner gave words for, as the report's page lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct SaidRow {
    pub learner: String,
    /// The client's title.
    pub client: String,
    pub turn: u64,
    /// The move confirmed (a technique id).
    pub technique: String,
    pub said: String,
    /// The MITI code the words read as (`None` in a file that does not say).
    pub coded_as: Option<attune_core::model::MitiCode>,
    pub mismatch: Option<String>,
}

/// Every turn of these attempts that has words, attempt by attempt in turn order.
pub fn said_rows(results: &[AttemptResult]) -> Vec<SaidRow> {
    let mut rows = Vec::new();
    for a in results {
        for t in a.turns.as_array().into_iter().flatten() {
            let Some(said) = t["said"].as_str() else {
                continue;
            };
            rows.push(SaidRow {
                learner: a.learner.clone().unwrap_or_else(|| NO_LEARNER.into()),
                client: a.scenario.title.clone(),
                turn: t["turn"].as_u64().unwrap_or(0),
                technique: t["technique"].as_str().unwrap_or("").to_string(),
                said: said.to_string(),
                coded_as: serde_json::from_value(t["coded_as"].clone()).ok(),
                mismatch: t["mismatch"].as_str().map(str::to_string),
            });
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_turns_words_are_three_escaped_cells_empty_without_words() {
        let said = json!({"turn": 2, "said": "So, you \"had\" to, right?", "coded_as": "Question",
                          "mismatch": "You chose a complex reflection, but your words read as a question."});
        assert_eq!(
            cells(&said),
            [
                "\"So, you \"\"had\"\" to, right?\"".to_string(),
                "Question".into(),
                "\"You chose a complex reflection, but your words read as a question.\"".into(),
            ]
        );
        assert_eq!(
            cells(&json!({"turn": 1})),
            [String::new(), String::new(), String::new()]
        );
        let formula = json!({"said": "=HYPERLINK(\"x\")"});
        assert!(
            cells(&formula)[0].starts_with("\"'="),
            "{:?}",
            cells(&formula)
        );
    }
}
