//! The gradebook: for each learner and each client, the attempt that counts, with its
//! score, whether it passed, why not when it did not, and how long it took. A learner with
//! several attempts at a client has two rows, the best and the latest, each saying which it
//! is (one row when they are the same attempt), so an instructor grading either way sees
//! both. Attempts taken in a pack and outside one are kept apart.

use std::collections::BTreeMap;

use super::csv;
use super::result::AttemptResult;
use super::words;

/// The learner of an attempt that names none (practice from a script, say).
pub const NO_LEARNER: &str = "(no name given)";

/// Which of a learner's attempts at a client a row shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// The learner's only attempt at this client.
    Only,
    /// The highest score of several; also the latest.
    BestAndLatest,
    Best,
    Latest,
}

impl Shown {
    pub fn words(self, attempts: usize) -> String {
        match self {
            Shown::Only => "only attempt".into(),
            Shown::BestAndLatest => format!("best and latest of {attempts}"),
            Shown::Best => format!("best of {attempts}"),
            Shown::Latest => format!("latest of {attempts}"),
        }
    }
}

#[derive(Clone, Debug)]
pub struct GradeRow {
    pub learner: String,
    pub scenario_id: String,
    pub title: String,
    /// The pack's title, or `practice` / `assessment` outside a pack.
    pub taken_in: String,
    pub class_id: Option<String>,
    /// In the window or from a script; `None` for a format 1 result, which does not say.
    pub played: Option<super::result::Played>,
    pub shown: Shown,
    /// The learner's attempts at this client in this setting.
    pub attempts: usize,
    pub overall: f64,
    pub pass_mark: Option<f64>,
    pub passed: bool,
    /// Why the attempt did not pass, worst first; empty when it passed.
    pub why_not: Vec<String>,
    /// From the attempt's start to its end; `None` when a timestamp cannot be read.
    pub seconds: Option<u64>,
    pub started_at: String,
    pub finished_at: String,
}

/// One learner across every client: how their best attempts went.
#[derive(Clone, Debug)]
pub struct LearnerRow {
    pub learner: String,
    pub clients: usize,
    pub passed: usize,
    pub mean_best: f64,
    /// Every attempt's time added up; `None` when none could be read.
    pub seconds: Option<u64>,
}

#[derive(Clone, Debug, Default)]
pub struct Gradebook {
    /// By learner, then client, best before latest.
    pub rows: Vec<GradeRow>,
    pub learners: Vec<LearnerRow>,
}

fn num(v: &serde_json::Value) -> Option<f64> {
    v.as_f64()
}

/// Why a session did not pass, from its summary, worst first: failed safety gates, a
/// session that did not run its course, requirements not reached, a score under the pass
/// mark.
pub fn why_not_passed(summary: &serde_json::Value) -> Vec<String> {
    if summary["passed"].as_bool() == Some(true) {
        return Vec::new();
    }
    let mut why = Vec::new();
    for f in summary["safety_failures"].as_array().into_iter().flatten() {
        let detail = f["detail"].as_str().unwrap_or("a safety gate failed");
        why.push(match f["turn"].as_u64() {
            Some(turn) => format!("Safety gate failed at turn {turn}: {detail}"),
            None => format!("Safety gate failed: {detail}"),
        });
    }
    let played = summary["turns_played"].as_u64().unwrap_or(0);
    let limit = summary["turn_limit"].as_u64().unwrap_or(0);
    match summary["end"].as_str() {
        Some("Dropout") => why.push(format!(
            "The client dropped out after {}",
            attune_core::words::count_with(played as usize, "turn", "turns")
        )),
        Some("Crisis") => why.push(format!(
            "The session ended in an unmanaged crisis at turn {played}"
        )),
        Some("TurnLimit") => {}
        _ => why.push(format!("Ended early, after {played} of {limit} turns")),
    }
    // The scenario's own requirements travel only as the summary's plain-language notes.
    for f in summary["flags"].as_array().into_iter().flatten() {
        if let Some(f) = f.as_str().filter(|f| f.starts_with("Not reached")) {
            let what = f.strip_prefix("Not reached, so not passed: ").unwrap_or(f);
            why.push(format!("Requirement not reached: {what}"));
        }
    }
    if let (Some(overall), Some(mark)) = (num(&summary["overall"]), num(&summary["pass_mark"]))
        && overall < mark
    {
        why.push(format!(
            "Score {} is under the pass mark of {}",
            words::score(overall),
            words::score(mark)
        ));
    }
    if why.is_empty() {
        why.push("Not passed".into());
    }
    why
}

fn seconds_taken(a: &AttemptResult) -> Option<u64> {
    let start = super::clock::parse_rfc3339(&a.started_at)?;
    let end = super::clock::parse_rfc3339(&a.finished_at)?;
    end.checked_sub(start)
}

fn taken_in(a: &AttemptResult) -> String {
    match (&a.pack, a.mode) {
        (Some(p), _) => p.title.clone(),
        (None, attune_core::model::Mode::Assessment) => "assessment".into(),
        (None, attune_core::model::Mode::Practice) => "practice".into(),
    }
}

fn row(a: &AttemptResult, shown: Shown, attempts: usize) -> GradeRow {
    let s = &a.summary;
    GradeRow {
        learner: a.learner.clone().unwrap_or_else(|| NO_LEARNER.into()),
        scenario_id: a.scenario.id.clone(),
        title: a.scenario.title.clone(),
        taken_in: taken_in(a),
        class_id: a.pack.as_ref().map(|p| p.class_id.clone()),
        played: a.played,
        shown,
        attempts,
        overall: num(&s["overall"]).unwrap_or(0.0),
        pass_mark: num(&s["pass_mark"]),
        passed: s["passed"].as_bool().unwrap_or(false),
        why_not: why_not_passed(s),
        seconds: seconds_taken(a),
        started_at: a.started_at.clone(),
        finished_at: a.finished_at.clone(),
    }
}

/// The gradebook of these attempts. The latest attempt is the one finished last (the later
/// in the list when two finished in the same second); the best has the highest score, a
/// pass before a fail on a tie, and the later of two equal ones.
pub fn build(results: &[AttemptResult]) -> Gradebook {
    // learner -> (client, setting) -> attempts in order
    type Key<'a> = (&'a str, &'a str, String);
    let mut groups: BTreeMap<Key, Vec<&AttemptResult>> = BTreeMap::new();
    for a in results {
        let learner = a.learner.as_deref().unwrap_or(NO_LEARNER);
        groups
            .entry((learner, a.scenario.id.as_str(), taken_in(a)))
            .or_default()
            .push(a);
    }
    let score = |a: &AttemptResult| num(&a.summary["overall"]).unwrap_or(0.0);
    let passed = |a: &AttemptResult| a.summary["passed"].as_bool().unwrap_or(false);
    let finished = |a: &AttemptResult| super::clock::parse_rfc3339(&a.finished_at).unwrap_or(0);
    let mut book = Gradebook::default();
    let mut per_learner: BTreeMap<&str, Vec<&GradeRow>> = BTreeMap::new();
    let mut rows = Vec::new();
    let mut learner_seconds: BTreeMap<&str, Option<u64>> = BTreeMap::new();
    for ((learner, _, _), attempts) in &groups {
        let n = attempts.len();
        let latest = (0..n)
            .max_by_key(|&i| (finished(attempts[i]), i))
            .unwrap_or(0);
        let best = (0..n)
            .max_by(|&i, &j| {
                score(attempts[i])
                    .total_cmp(&score(attempts[j]))
                    .then(passed(attempts[i]).cmp(&passed(attempts[j])))
                    .then(finished(attempts[i]).cmp(&finished(attempts[j])))
                    .then(i.cmp(&j))
            })
            .unwrap_or(0);
        if n == 1 {
            rows.push(row(attempts[0], Shown::Only, 1));
        } else if best == latest {
            rows.push(row(attempts[best], Shown::BestAndLatest, n));
        } else {
            rows.push(row(attempts[best], Shown::Best, n));
            rows.push(row(attempts[latest], Shown::Latest, n));
        }
        let total = learner_seconds.entry(learner).or_insert(None);
        for a in attempts {
            if let Some(s) = seconds_taken(a) {
                *total = Some(total.unwrap_or(0) + s);
            }
        }
    }
    for r in &rows {
        if r.shown != Shown::Latest {
            per_learner.entry(&r.learner).or_default().push(r);
        }
    }
    book.learners = per_learner
        .into_iter()
        .map(|(learner, best)| LearnerRow {
            learner: learner.to_string(),
            clients: best.len(),
            passed: best.iter().filter(|r| r.passed).count(),
            mean_best: best.iter().map(|r| r.overall).sum::<f64>() / best.len() as f64,
            seconds: learner_seconds.get(learner).copied().flatten(),
        })
        .collect();
    book.rows = rows;
    book
}

/// How an attempt was played, as the CSV has it: `window`, `script`, or empty when the
/// result (format 1) does not say.
fn played_cell(played: Option<super::result::Played>) -> &'static str {
    match played {
        Some(super::result::Played::Window) => "window",
        Some(super::result::Played::Script) => "script",
        None => "",
    }
}

impl Gradebook {
    /// One row per shown attempt, for spreadsheets.
    pub fn csv(&self) -> String {
        let mut o = String::from(
            "learner,scenario_id,scenario_title,taken_in,class_id,shown,attempts,score,pass_mark,passed,why_not_passed,time_taken_seconds,started_at,finished_at,played\n",
        );
        for r in &self.rows {
            o.push_str(&csv::row(&[
                csv::text(&r.learner),
                csv::text(&r.scenario_id),
                csv::text(&r.title),
                csv::text(&r.taken_in),
                csv::text(r.class_id.as_deref().unwrap_or("")),
                csv::text(&r.shown.words(r.attempts)),
                r.attempts.to_string(),
                words::score(r.overall),
                r.pass_mark.map_or(String::new(), words::score),
                if r.passed { "yes" } else { "no" }.into(),
                csv::text(&r.why_not.join("; ")),
                r.seconds.map_or(String::new(), |s| s.to_string()),
                csv::text(&r.started_at),
                csv::text(&r.finished_at),
                played_cell(r.played).into(),
            ]));
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn attempt(
        learner: &str,
        scenario: &str,
        overall: f64,
        passed: bool,
        at: &str,
    ) -> AttemptResult {
        serde_json::from_value(json!({
            "format": "attune-result/1",
            "scenario": {"id": scenario, "title": format!("Title of {scenario}"), "file": "x.ron", "content_hash": "blake3:0"},
            "mode": "Practice",
            "seed": 1,
            "learner": learner,
            "started_at": "2026-11-24T09:00:00Z",
            "finished_at": at,
            "choices": [],
            "turns": [],
            "summary": {"overall": overall, "passed": passed, "pass_mark": 60.0, "end": "TurnLimit",
                        "turns_played": 12, "turn_limit": 12, "flags": [], "safety_failures": []},
        }))
        .unwrap()
    }

    #[test]
    fn several_attempts_show_the_best_and_the_latest_and_say_which() {
        let book = build(&[
            attempt("ann", "dan", 72.0, true, "2026-11-24T09:10:00Z"),
            attempt("ann", "dan", 55.0, false, "2026-11-24T09:30:00Z"),
            attempt("ann", "tom", 64.0, true, "2026-11-24T09:20:00Z"),
            attempt("bob", "dan", 50.0, false, "2026-11-24T09:12:00Z"),
            attempt("bob", "dan", 61.0, true, "2026-11-24T09:40:00Z"),
        ]);
        let shown: Vec<(&str, &str, Shown, f64)> = book
            .rows
            .iter()
            .map(|r| {
                (
                    r.learner.as_str(),
                    r.scenario_id.as_str(),
                    r.shown,
                    r.overall,
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("ann", "dan", Shown::Best, 72.0),
                ("ann", "dan", Shown::Latest, 55.0),
                ("ann", "tom", Shown::Only, 64.0),
                ("bob", "dan", Shown::BestAndLatest, 61.0),
            ]
        );
        assert_eq!(book.rows[0].shown.words(2), "best of 2");
        assert_eq!(book.rows[0].seconds, Some(600));
        // The learners' table counts each client once, by the best attempt.
        let ann = &book.learners[0];
        assert_eq!((ann.clients, ann.passed, ann.mean_best), (2, 2, 68.0));
        assert_eq!(ann.seconds, Some(600 + 1800 + 1200), "every attempt's time");
    }

    #[test]
    fn a_fail_says_why_worst_first() {
        let summary = json!({
            "overall": 52.25, "passed": false, "pass_mark": 60.0, "end": "Dropout",
            "turns_played": 7, "turn_limit": 12,
            "safety_failures": [{"gate": "RiskNotAssessed", "turn": 4, "detail": "the risk cue was not assessed"}],
            "flags": ["Not reached, so not passed: a coping plan", "2 contraindicated move(s)"],
        });
        assert_eq!(
            why_not_passed(&summary),
            [
                "Safety gate failed at turn 4: the risk cue was not assessed",
                "The client dropped out after 7 turns",
                "Requirement not reached: a coping plan",
                "Score 52.2 is under the pass mark of 60.0",
            ]
        );
        assert!(why_not_passed(&json!({"passed": true})).is_empty());
    }

    #[test]
    fn the_csv_quotes_names_and_keeps_formulas_as_text() {
        let book = build(&[attempt(
            "=cmd, \"x\"",
            "dan",
            72.0,
            true,
            "2026-11-24T09:10:00Z",
        )]);
        let csv = book.csv();
        let line = csv.lines().nth(1).unwrap();
        assert!(
            line.starts_with(
                "\"'=cmd, \"\"x\"\"\",dan,Title of dan,practice,,only attempt,1,72.0,60.0,yes,,600,"
            ),
            "{line}"
        );
    }
}
