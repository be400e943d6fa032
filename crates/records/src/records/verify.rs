//! Verification: the seal (a file edited by hand), the rules (`rules.rs`: what a result
//! says must fit its scenario file, its timestamps and, when given, the instructor's pack),
//! then replay: find the scenario by content hash (and, for an attempt that continued an
//! earlier session, that session's scenario too), replay the seed and the choices from
//! where the attempt began, recompute every figure, and compare it with what the result
//! file says.

use super::continued::StartError;
use super::files::why_not_a_result;
use super::library::HashedLibrary;
use super::result::{AttemptResult, RESULT_FORMAT, RESULT_FORMAT_1, outcome_values};
use crate::assessment::AssessmentPack;

#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Every check held and every recorded figure is what the replay gives.
    Verified,
    /// Verified, with what the checks could not cover or what differs harmlessly (a format
    /// 1 file has no seal; the scenario file has been renamed).
    VerifiedWithNotes(Vec<String>),
    /// The seal does not match the fields: the file was edited after Attune wrote it. With
    /// where its turns and summary differ from a replay of its choices, when a replay could
    /// be made and found any (a turn's words edited by hand shows here, naming the turn).
    SealBroken(Vec<String>),
    /// A rule does not hold (the scenario named, the timestamps, the pack).
    BreaksRules(Vec<String>),
    /// The replay differs: each entry names a place and both values.
    Differs(Vec<String>),
    /// The scenario the attempt was played on is not in the library as it was.
    ScenarioChanged(String),
    /// The file is not a result file Attune can read.
    Unreadable(String),
}

impl Verdict {
    pub fn is_verified(&self) -> bool {
        matches!(self, Verdict::Verified | Verdict::VerifiedWithNotes(_))
    }

    /// Why a result was rejected, as one line per reason (none when it verified).
    pub fn reasons(&self) -> Vec<String> {
        match self {
            Verdict::Verified | Verdict::VerifiedWithNotes(_) => Vec::new(),
            Verdict::SealBroken(differs) => {
                let mut out = vec![
                    "its seal does not match its contents: the file was edited after Attune wrote it"
                        .to_string(),
                ];
                out.extend(differs.iter().map(|d| format!("the replay differs at {d}")));
                out
            }
            Verdict::BreaksRules(why) => why.clone(),
            Verdict::Differs(diffs) => {
                let mut out = vec!["the replay does not give the recorded figures".to_string()];
                out.extend(diffs.iter().cloned());
                out
            }
            Verdict::ScenarioChanged(why) | Verdict::Unreadable(why) => vec![why.clone()],
        }
    }
}

/// A JSON value with its fractional numbers to one decimal, as people read scores.
fn for_people(v: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Number(n) if n.is_f64() => n
            .as_f64()
            .and_then(|x| serde_json::Number::from_f64((x * 10.0).round() / 10.0))
            .map_or_else(|| v.clone(), Value::Number),
        Value::Array(items) => Value::Array(items.iter().map(for_people).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, x)| (k.clone(), for_people(x)))
                .collect(),
        ),
        _ => v.clone(),
    }
}

/// Where the first differences between two JSON values lie, as `path: recorded X, replay Y`.
fn differences(
    path: &str,
    recorded: &serde_json::Value,
    replayed: &serde_json::Value,
    out: &mut Vec<String>,
) {
    use serde_json::Value;
    const MAX: usize = 20;
    if out.len() >= MAX || recorded == replayed {
        return;
    }
    match (recorded, replayed) {
        // The engine computes in f32; a JSON reader may round the last digit of the f64
        // text, so numbers agree when they are the same f32.
        (Value::Number(a), Value::Number(b))
            if a.as_f64().map(|x| x as f32) == b.as_f64().map(|x| x as f32) => {}
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                differences(
                    &format!("{path}.{k}"),
                    a.get(k).unwrap_or(&Value::Null),
                    b.get(k).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                differences(&format!("{path}[{i}]"), x, y, out);
            }
        }
        (Value::Number(a), Value::Number(b)) if a.is_f64() || b.is_f64() => {
            let (a, b) = super::words::two_that_differ(
                a.as_f64().unwrap_or(f64::NAN),
                b.as_f64().unwrap_or(f64::NAN),
            );
            out.push(format!("{path}: recorded {a}, replay gives {b}"));
        }
        _ => {
            let short = |v: &Value| {
                let s = for_people(v).to_string();
                if s.chars().count() > 80 {
                    format!("{}...", s.chars().take(80).collect::<String>())
                } else {
                    s
                }
            };
            out.push(format!(
                "{path}: recorded {}, replay gives {}",
                short(recorded),
                short(replayed)
            ));
        }
    }
}

/// Checks one result against the scenarios available, by content hash, under the rules
/// alone; when the hash is missing, the scenario's current file (found by id) says what
/// changed.
pub fn verify_result(text: &str, library: &HashedLibrary) -> Verdict {
    verify_against(text, library, None)
}

/// Checks one result as `verify_result` does and, when `pack` is given, against the
/// instructor's pack: its pass mark, seeds, scenarios and pinned versions, never the
/// result's own account of them.
pub fn verify_against(
    text: &str,
    library: &HashedLibrary,
    pack: Option<&AssessmentPack>,
) -> Verdict {
    verify_at(text, library, pack, crate::assessment::now_unix()).0
}

/// The verdict on one text, with the result as read when it could be read.
fn verify_at(
    text: &str,
    library: &HashedLibrary,
    pack: Option<&AssessmentPack>,
    now: u64,
) -> (Verdict, Option<AttemptResult>) {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return (Verdict::Unreadable(why_not_a_result(text, &e)), None),
    };
    // The seal is checked on the text as read, before the fields are taken out of it.
    let seal_holds = value["format"] != RESULT_FORMAT || super::seal::holds(&value);
    let result: AttemptResult = match serde_json::from_value(value) {
        Ok(r) => r,
        Err(e) => return (Verdict::Unreadable(why_not_a_result(text, &e)), None),
    };
    let verdict = verdict_on(seal_holds, &result, library, pack, now);
    (verdict, Some(result))
}

fn verdict_on(
    seal_holds: bool,
    result: &AttemptResult,
    library: &HashedLibrary,
    pack: Option<&AssessmentPack>,
    now: u64,
) -> Verdict {
    match result.format.as_str() {
        RESULT_FORMAT | RESULT_FORMAT_1 => {}
        other => {
            return Verdict::Unreadable(format!(
                "format `{other}`, expected `{RESULT_FORMAT}` (or `{RESULT_FORMAT_1}`)"
            ));
        }
    }
    let Some(scenario) = library.by_hash(&result.scenario.content_hash) else {
        if !seal_holds {
            return Verdict::SealBroken(Vec::new());
        }
        let why = match library.file_of(&result.scenario.id) {
            Some(file) => format!(
                "scenario `{}` ({}) has changed since the attempt: its content hash is no longer {}",
                result.scenario.id,
                file.display(),
                result.scenario.content_hash
            ),
            None => format!(
                "no scenario with content hash {} (id `{}`) is in the library",
                result.scenario.content_hash, result.scenario.id
            ),
        };
        return Verdict::ScenarioChanged(why);
    };
    let findings = super::rules::check(result, scenario, pack, now);
    if seal_holds && !findings.problems.is_empty() {
        return Verdict::BreaksRules(findings.problems);
    }
    let find = |hash: &str| {
        library
            .by_hash(hash)
            .map(|s| std::sync::Arc::clone(&s.prepared))
    };
    let replayed = super::replay::replay_attempt(
        &scenario.prepared,
        findings.pass_mark,
        result.seed,
        &result.choices,
        result.continues.as_ref(),
        &find,
    );
    let mut notes = findings.notes;
    let problems = match replayed {
        Ok(replayed) => replay_differences(result, replayed, &mut notes),
        Err(StartError::Missing(why)) if seal_holds => return Verdict::ScenarioChanged(why),
        Err(StartError::DoesNotReplay(why)) => vec![why],
        Err(StartError::Missing(_)) => Vec::new(),
    };
    if !seal_holds {
        // The seal says the file was edited; the replay says where, when it can.
        Verdict::SealBroken(problems)
    } else if !problems.is_empty() {
        Verdict::Differs(problems)
    } else if notes.is_empty() {
        Verdict::Verified
    } else {
        Verdict::VerifiedWithNotes(notes)
    }
}

/// Takes out of a result's turns and summary what the coder read in the words (each turn's
/// `coded_as` and `mismatch`, the summary's MITI counts), leaving the words themselves.
fn without_readings(
    turns: &serde_json::Value,
    summary: &serde_json::Value,
) -> (serde_json::Value, serde_json::Value) {
    let mut turns = turns.clone();
    for t in turns.as_array_mut().into_iter().flatten() {
        if let Some(t) = t.as_object_mut() {
            t.remove("coded_as");
            t.remove("mismatch");
        }
    }
    let mut summary = summary.clone();
    if let Some(s) = summary.as_object_mut() {
        s.remove("miti");
    }
    (turns, summary)
}

/// Where the result's turns (the words and their coding among them) and summary differ
/// from the replay of its choices, each naming its place (`turns[1].said`, the second
/// turn's words) and both values.
///
/// Words read by another version's coder (`result.coder`) are compared as words; their
/// readings are not, since this version's coder may read the same words otherwise, and a
/// note says so.
fn replay_differences(
    result: &AttemptResult,
    replayed: super::replay::Replayed,
    notes: &mut Vec<String>,
) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(stopped) = replayed.stopped {
        problems.push(format!(
            "choices[{}] (`{}`) cannot be replayed: {}",
            stopped.index, result.choices[stopped.index].technique, stopped.error
        ));
    }
    let (turns, summary) = outcome_values(&replayed.session);
    let has_words = result.choices.iter().any(|c| c.words().is_some());
    let this_coder = attune_core::coding::shared_coder_id();
    if has_words && result.coder.as_deref() != Some(this_coder) {
        let (recorded_turns, recorded_summary) = without_readings(&result.turns, &result.summary);
        let (turns, summary) = without_readings(&turns, &summary);
        differences("turns", &recorded_turns, &turns, &mut problems);
        differences("summary", &recorded_summary, &summary, &mut problems);
        notes.push(format!(
            "the words were read by another version of the coder ({}; this one is {this_coder}): \
             the words, the moves and every score were compared, the words' MITI codes and counts were not",
            result.coder.as_deref().unwrap_or("unnamed")
        ));
    } else {
        differences("turns", &result.turns, &turns, &mut problems);
        differences("summary", &result.summary, &summary, &mut problems);
    }
    problems
}

/// Verifies many results on all cores, keeping their order; against the instructor's pack
/// when one is given.
pub fn verify_all(
    texts: &[String],
    library: &HashedLibrary,
    pack: Option<&AssessmentPack>,
) -> Vec<Verdict> {
    verify_each(texts, library, pack, &|verdict, _| verdict)
}

/// `verify_all`, also giving each result as read, for the report to count what verified.
pub fn verify_and_read_all(
    texts: &[String],
    library: &HashedLibrary,
    pack: Option<&AssessmentPack>,
) -> Vec<(Verdict, Option<AttemptResult>)> {
    verify_each(texts, library, pack, &|verdict, result| (verdict, result))
}

/// Verifies many results on all cores, in order, keeping of each what `keep` takes from
/// its verdict and the result as read (each result is dropped on its own thread unless
/// kept, so that verifying thousands does not hold them all).
pub fn verify_each<T: Send>(
    texts: &[String],
    library: &HashedLibrary,
    pack: Option<&AssessmentPack>,
    keep: &(dyn Fn(Verdict, Option<AttemptResult>) -> T + Sync),
) -> Vec<T> {
    let now = crate::assessment::now_unix();
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 16);
    let chunk = texts.len().div_ceil(workers).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = texts
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|t| {
                            let (verdict, result) = verify_at(t, library, pack, now);
                            keep(verdict, result)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("verification does not panic"))
            .collect()
    })
}

/// What tells two results of one attempt apart: its id, and its seal (the same seal, the
/// same contents).
#[derive(Clone, Debug, PartialEq)]
pub struct AttemptKey {
    pub id: String,
    pub seal: Option<String>,
}

impl AttemptKey {
    /// A result's key; format 1 results have no attempt id, so none.
    pub fn of(result: &AttemptResult) -> Option<AttemptKey> {
        Some(AttemptKey {
            id: result.attempt_id.clone()?,
            seal: result.seal.clone(),
        })
    }
}

/// Results that share an attempt id, among those verified: a second copy of the same
/// result is noted as such (`report` counts it once); different contents under one id
/// (a classmate's result under another name, say) reject every one of them, since at most
/// one is the attempt as played. `keys` are the results' (`AttemptKey::of`), `names` say
/// where each came from.
pub fn mark_same_attempts(verdicts: &mut [Verdict], keys: &[Option<AttemptKey>], names: &[String]) {
    // Attempt id -> the verified results carrying it, in order.
    let mut groups: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for (i, (verdict, key)) in verdicts.iter().zip(keys).enumerate() {
        if let (true, Some(key)) = (verdict.is_verified(), key) {
            groups.entry(&key.id).or_default().push(i);
        }
    }
    let mut marks: Vec<(usize, Verdict)> = Vec::new();
    for (id, group) in groups.into_iter().filter(|(_, g)| g.len() > 1) {
        let seal = |i: usize| keys[i].as_ref().and_then(|k| k.seal.as_deref());
        let first = group[0];
        if group.iter().all(|&i| seal(i) == seal(first)) {
            for &i in &group[1..] {
                let mut notes = match &verdicts[i] {
                    Verdict::VerifiedWithNotes(n) => n.clone(),
                    _ => Vec::new(),
                };
                notes.push(format!("the same attempt as {}", names[first]));
                marks.push((i, Verdict::VerifiedWithNotes(notes)));
            }
        } else {
            for &i in &group {
                let others: Vec<&str> = group
                    .iter()
                    .filter(|&&o| o != i)
                    .map(|&o| names[o].as_str())
                    .collect();
                marks.push((
                    i,
                    Verdict::BreaksRules(vec![format!(
                        "{} also {} attempt id {id} with different contents: at most one of them is the attempt as played",
                        others.join(", "),
                        if others.len() == 1 { "has" } else { "have" }
                    )]),
                ));
            }
        }
    }
    for (i, verdict) in marks {
        verdicts[i] = verdict;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn diff(recorded: serde_json::Value, replayed: serde_json::Value) -> Vec<String> {
        let mut out = Vec::new();
        differences("summary", &recorded, &replayed, &mut out);
        out
    }

    #[test]
    fn differing_numbers_read_to_one_decimal_or_as_many_as_show_the_difference() {
        assert_eq!(
            diff(
                json!({"overall": 95.0}),
                json!({"overall": 35.614_807_128_906_25})
            ),
            ["summary.overall: recorded 95.0, replay gives 35.6"]
        );
        assert_eq!(
            diff(json!({"overall": 35.61}), json!({"overall": 35.64})),
            ["summary.overall: recorded 35.61, replay gives 35.64"]
        );
        assert_eq!(
            diff(json!({"turns_played": 12}), json!({"turns_played": 11})),
            ["summary.turns_played: recorded 12, replay gives 11"]
        );
        // Numbers inside a value shown whole are rounded too.
        assert_eq!(
            diff(json!({"t": [1.0]}), json!({"t": [0.123_456_789, 2.0]})),
            ["summary.t: recorded [1.0], replay gives [0.1,2.0]"]
        );
    }

    /// A result of Dan played with the trainee's words, as written, and the library.
    fn words_result() -> (serde_json::Value, HashedLibrary) {
        let session = crate::testing::dan_played_with_words(7);
        let (_, hash) = crate::testing::dan();
        let result = AttemptResult::of(
            &session,
            "dan-mandated-anger.ron",
            hash,
            attune_core::model::Mode::Practice,
            Some("Ann".into()),
            "2026-12-06T09:00:00Z".into(),
            super::super::result::Played::Script,
        );
        let value = serde_json::from_str(&result.to_json()).unwrap();
        (value, HashedLibrary::scan(&[crate::testing::dan_file()]))
    }

    fn resealed(v: serde_json::Value) -> String {
        let r: AttemptResult = serde_json::from_value(v).unwrap();
        r.sealed().to_json()
    }

    #[test]
    fn a_result_with_words_verifies_untouched_and_not_when_a_turns_words_are_edited() {
        let (v, library) = words_result();
        assert_eq!(v["turns"][1]["said"], "Why did you hit the wall?");
        assert_eq!(verify_result(&v.to_string(), &library), Verdict::Verified);

        // The words edited by hand: the seal breaks, and the replay names the turn.
        let mut edited = v.clone();
        edited["turns"][1]["said"] = json!("It sounds like the wall took what you feel.");
        let verdict = verify_result(&edited.to_string(), &library);
        let Verdict::SealBroken(differs) = &verdict else {
            panic!("{verdict:?}")
        };
        assert!(
            differs
                .iter()
                .any(|d| d.starts_with("turns[1].said: recorded")),
            "{differs:?}"
        );
        assert!(
            verdict
                .reasons()
                .iter()
                .any(|r| r.contains("turns[1].said"))
        );

        // Resealed by a forger: the replay of the choices' words gives the recorded ones.
        let verdict = verify_result(&resealed(edited), &library);
        let Verdict::Differs(differs) = &verdict else {
            panic!("{verdict:?}")
        };
        assert!(
            differs.iter().any(|d| d.starts_with("turns[1].said:")),
            "{differs:?}"
        );

        // The coding claimed otherwise, resealed: a question claimed as coded a reflection.
        let mut recoded = v.clone();
        recoded["turns"][1]["coded_as"] = json!("ComplexReflection");
        recoded["turns"][1]["mismatch"] = serde_json::Value::Null;
        let verdict = verify_result(&resealed(recoded), &library);
        let Verdict::Differs(differs) = &verdict else {
            panic!("{verdict:?}")
        };
        assert!(
            differs.iter().any(|d| d.starts_with("turns[1].coded_as:")),
            "{differs:?}"
        );

        // The words of the choice and of the turn both edited, resealed: the words code
        // differently, and the summary's MITI counts with them.
        let mut both = v;
        let words = "Why do you think the court sent you?";
        both["choices"][0]["say"] = json!(words);
        both["turns"][0]["said"] = json!(words);
        let verdict = verify_result(&resealed(both), &library);
        let Verdict::Differs(differs) = &verdict else {
            panic!("{verdict:?}")
        };
        assert!(
            differs.iter().any(|d| d.starts_with("turns[0].coded_as:") || d.starts_with("turns[0].mismatch:")),
            "{differs:?}"
        );
    }

    #[test]
    fn words_read_by_another_coder_verify_with_a_note_and_are_still_compared_as_words() {
        let (v, library) = words_result();
        assert_eq!(
            v["coder"],
            json!(attune_core::coding::shared_coder_id()),
            "a result with words names its coder"
        );
        // As a later version would find it: another coder, which read a turn otherwise.
        let mut older = v.clone();
        older["coder"] = json!("attune-coder/1-0000000000000000");
        older["turns"][1]["coded_as"] = json!("ComplexReflection");
        older["turns"][1]["mismatch"] = serde_json::Value::Null;
        older["summary"]["miti"]["questions"] = json!(0);
        let verdict = verify_result(&resealed(older.clone()), &library);
        let Verdict::VerifiedWithNotes(notes) = &verdict else {
            panic!("{verdict:?}")
        };
        assert!(
            notes
                .iter()
                .any(|n| n.contains("another version of the coder")),
            "{notes:?}"
        );
        // The words themselves are still held to the choices.
        older["turns"][1]["said"] = json!("It sounds like the wall took what you feel.");
        let verdict = verify_result(&resealed(older), &library);
        let Verdict::Differs(differs) = &verdict else {
            panic!("{verdict:?}")
        };
        assert!(
            differs.iter().any(|d| d.starts_with("turns[1].said:")),
            "{differs:?}"
        );
        // And a score is still a score.
        let mut scored = v;
        scored["coder"] = json!("attune-coder/1-0000000000000000");
        scored["summary"]["overall"] = json!(99.0);
        let verdict = verify_result(&resealed(scored), &library);
        assert!(matches!(verdict, Verdict::Differs(_)), "{verdict:?}");
    }
}
