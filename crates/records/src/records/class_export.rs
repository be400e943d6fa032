//! The class's votes of a session as files for the instructor: a JSON document with every
//! voted turn (the options, their shares and fits, the move played, the best move found,
//! whether the class split) and a CSV table with one row per turn and option, for a
//! spreadsheet. The app writes them from the class debrief, `attune export --class` from a
//! saved attempt; both name the files the same way.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::csv;
use attune_core::analysis::{RoundReview, Split};
use attune_core::engine::transcript::describe_adaptation;
use attune_core::scenario::Choice;

/// A fit within this many points of the best move found counts as the best (as the
/// debrief's search says "your move was the best found").
const TIE: f32 = 0.5;

/// What the class's votes are of: named in the JSON and the files' names.
#[derive(Clone, Debug)]
pub struct ClassSession<'a> {
    pub scenario_id: &'a str,
    pub seed: u64,
    /// The saved attempt, when there is one.
    pub attempt: Option<&'a str>,
}

/// A stored id as part of a file name: letters, digits, `-` and `_` kept, anything else
/// (a `/` or `..` in a tampered database) made `_`, so every file stays in its folder.
pub fn file_name_part(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// `class-<scenario>-seed<seed>[-<attempt's first 8 characters>]`: the files' name
/// without the extension.
pub fn file_stem(session: &ClassSession) -> String {
    let mut stem = format!(
        "class-{}-seed{}",
        file_name_part(session.scenario_id),
        session.seed
    );
    if let Some(attempt) = session.attempt {
        stem.push('-');
        stem.push_str(&file_name_part(
            &attempt.chars().take(8).collect::<String>(),
        ));
    }
    stem
}

/// The split in words, as the debrief says it; empty when the class did not split.
pub fn split_words(split: Option<&Split>) -> String {
    match split {
        None => String::new(),
        Some(Split::NoMajority) => "no move had a majority".into(),
        Some(Split::FarApart { points }) => {
            format!("sizeable groups chose moves {points:.0} points apart in fit")
        }
    }
}

fn move_json(technique_name: &str, choice: &Choice, fit: Option<f32>) -> Value {
    json!({
        "technique": choice.technique,
        "technique_name": technique_name,
        "adaptation": describe_adaptation(choice),
        "fit": fit.map(|f| (f64::from(f) * 10.0).round() / 10.0),
    })
}

/// Whether a voted move is as good as the best move found at its turn.
fn is_best(review: &RoundReview, fit: Option<f32>) -> bool {
    match (&review.best, fit) {
        (Some(best), Some(fit)) => fit >= best.fit.score - TIE,
        _ => false,
    }
}

/// The class's votes as one JSON document (pretty, ending in a line break).
pub fn class_json(session: &ClassSession, reviews: &[RoundReview]) -> String {
    let turns: Vec<Value> = reviews
        .iter()
        .map(|r| {
            let options: Vec<Value> = r
                .options
                .iter()
                .map(|o| {
                    let mut v = move_json(&o.technique_name, &o.choice, o.fit);
                    v["votes"] = json!(o.votes);
                    v["share"] = json!((f64::from(o.share) * 1000.0).round() / 1000.0);
                    v["played"] = json!(o.played);
                    v["best"] = json!(is_best(r, o.fit));
                    v
                })
                .collect();
            json!({
                "turn": r.turn,
                "voters": r.voters,
                "options": options,
                "played": move_json(&r.played_technique_name, &r.played, Some(r.played_fit)),
                "played_was_top": r.played_was_top,
                "split": r.split.is_some(),
                "split_reason": r.split.as_ref().map(|s| split_words(Some(s))),
                "best": r.best.as_ref().map(|b| move_json(&b.technique_name, &b.best, Some(b.fit.score))),
            })
        })
        .collect();
    let doc = json!({
        "format": "attune-class-votes/1",
        "scenario_id": session.scenario_id,
        "seed": session.seed,
        "attempt_id": session.attempt,
        "turns": turns,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// The class's votes as a CSV table: one row per turn and option. `played` and `best` say
/// whether the option is the move played and as good as the best move found;
/// `best_move` and `best_fit` name that best move on every row of its turn.
pub fn class_csv(reviews: &[RoundReview]) -> String {
    let mut out = String::from(
        "turn,technique,adaptation,votes,share,fit,played,best,split,best_move,best_fit\n",
    );
    for r in reviews {
        let (best_move, best_fit) = match &r.best {
            Some(b) => {
                let adaptation = describe_adaptation(&b.best);
                let words = if adaptation.is_empty() {
                    b.technique_name.clone()
                } else {
                    format!("{} ({adaptation})", b.technique_name)
                };
                (csv::text(&words), csv::score(Some(f64::from(b.fit.score))))
            }
            None => (String::new(), String::new()),
        };
        for o in &r.options {
            out.push_str(&csv::row(&[
                r.turn.to_string(),
                csv::text(&o.technique_name),
                csv::text(&describe_adaptation(&o.choice)),
                o.votes.to_string(),
                format!("{:.3}", o.share),
                csv::score(o.fit.map(f64::from)),
                o.played.to_string(),
                is_best(r, o.fit).to_string(),
                r.split.is_some().to_string(),
                best_move.clone(),
                best_fit.clone(),
            ]));
        }
    }
    out
}

/// Writes `<stem>.json` and `<stem>.csv` into `dir` (made if missing, private like the
/// records) and returns their paths, JSON first.
pub fn write_class_export(
    dir: &Path,
    session: &ClassSession,
    reviews: &[RoundReview],
) -> Result<[PathBuf; 2], String> {
    if reviews.is_empty() {
        return Err("the class did not vote on any move played: nothing to export".into());
    }
    attune_core::save::create_private_dir(dir)?;
    let stem = file_stem(session);
    let json_path = dir.join(format!("{stem}.json"));
    let csv_path = dir.join(format!("{stem}.csv"));
    attune_core::save::write_atomically(&json_path, class_json(session, reviews).as_bytes())?;
    attune_core::save::write_atomically(&csv_path, class_csv(reviews).as_bytes())?;
    Ok([json_path, csv_path])
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use attune_core::analysis::{ClassRound, VotedMove, best_moves, review_rounds};
    use attune_core::engine::Session;
    use attune_core::scenario::{Choice, Pacing};

    use super::*;
    use crate::testing::dan;

    /// Dan played three moves; the class voted on the first two.
    fn reviewed() -> Vec<RoundReview> {
        let (prepared, _) = dan();
        let mut session = Session::new(Arc::clone(&prepared), 5);
        let slow = Choice {
            pacing: Pacing::Slower,
            ..Choice::new("complex_reflection")
        };
        for c in [
            slow.clone(),
            Choice::new("open_question"),
            Choice::new("affirmation"),
        ] {
            session.apply(&c).unwrap();
        }
        let rounds = [
            ClassRound {
                turn: 1,
                voters: 5,
                options: vec![
                    VotedMove {
                        choice: slow,
                        votes: 3,
                    },
                    VotedMove {
                        choice: Choice::new("confrontation"),
                        votes: 2,
                    },
                ],
            },
            ClassRound {
                turn: 2,
                voters: 4,
                options: vec![
                    VotedMove {
                        choice: Choice::new("simple_reflection"),
                        votes: 2,
                    },
                    VotedMove {
                        choice: Choice::new("open_question"),
                        votes: 2,
                    },
                ],
            },
        ];
        let best = best_moves(&session, &attune_core::analysis::Progress::new());
        review_rounds(&session, &rounds, Some(&best))
    }

    fn dan_session() -> ClassSession<'static> {
        ClassSession {
            scenario_id: "dan-mandated-anger",
            seed: 5,
            attempt: Some("0123456789abcdef"),
        }
    }

    #[test]
    fn the_json_has_each_voted_turn_with_its_options_the_move_played_and_the_best() {
        let reviews = reviewed();
        let doc: Value = serde_json::from_str(&class_json(&dan_session(), &reviews)).unwrap();
        assert_eq!(doc["scenario_id"], "dan-mandated-anger");
        assert_eq!(doc["attempt_id"], "0123456789abcdef");
        let turns = doc["turns"].as_array().unwrap();
        assert_eq!(turns.len(), 2);
        let first = &turns[0];
        assert_eq!(first["turn"], 1);
        assert_eq!(first["voters"], 5);
        assert_eq!(first["options"][0]["technique"], "complex_reflection");
        assert_eq!(first["options"][0]["adaptation"], "slower");
        assert_eq!(first["options"][0]["votes"], 3);
        assert_eq!(first["options"][0]["share"], 0.6);
        assert_eq!(first["options"][0]["played"], true);
        assert_eq!(first["options"][1]["played"], false);
        assert_eq!(first["played_was_top"], true);
        let fit = reviews[0].options[1].fit.unwrap();
        let stored = first["options"][1]["fit"].as_f64().unwrap();
        assert!(
            (stored - f64::from(fit)).abs() <= 0.05,
            "{stored} against {fit}"
        );
        assert!(first["best"]["technique"].is_string());
        // 2 against 2: no majority, the class split.
        assert_eq!(turns[1]["split"], true);
        assert_eq!(turns[1]["split_reason"], "no move had a majority");
        assert_eq!(turns[1]["played"]["technique"], "open_question");
    }

    #[test]
    fn the_csv_has_a_row_per_turn_and_option() {
        let reviews = reviewed();
        let text = class_csv(&reviews);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "turn,technique,adaptation,votes,share,fit,played,best,split,best_move,best_fit"
        );
        assert_eq!(lines.len(), 5, "a header and four options: {text}");
        let first: Vec<&str> = lines[1].split(',').collect();
        assert_eq!(
            &first[..5],
            ["1", "Complex reflection", "slower", "3", "0.600"]
        );
        assert_eq!(
            first[5],
            csv::score(reviews[0].options[0].fit.map(f64::from))
        );
        assert_eq!(first[6], "true");
        assert!(
            lines[3].starts_with("2,Simple reflection,,2,0.500,"),
            "{}",
            lines[3]
        );
        assert!(lines[4].contains(",true,") && lines[4].starts_with("2,Open question"));
    }

    #[test]
    fn files_are_named_by_scenario_seed_and_attempt_and_nothing_is_written_without_votes() {
        assert_eq!(
            file_stem(&dan_session()),
            "class-dan-mandated-anger-seed5-01234567"
        );
        let odd = ClassSession {
            scenario_id: "../x",
            seed: 1,
            attempt: None,
        };
        assert_eq!(file_stem(&odd), "class-___x-seed1");
        let dir = std::env::temp_dir().join(format!("attune-class-export-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let err = write_class_export(&dir, &dan_session(), &[]).unwrap_err();
        assert!(err.contains("nothing to export"), "{err}");
        let [json, csv] = write_class_export(&dir, &dan_session(), &reviewed()).unwrap();
        assert!(json.ends_with("class-dan-mandated-anger-seed5-01234567.json"));
        assert!(std::fs::read_to_string(csv).unwrap().starts_with("turn,"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
