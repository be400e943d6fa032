//! An attempt as xAPI 1.0.3 statements shaped like a cmi5 session: initialized, one
//! answered per turn, completed, passed or failed, terminated. Pure: the same attempt always
//! gives the same statements, ids included, so queuing it again adds nothing and a store
//! that already has a statement recognises the retry.

use serde_json::{Value, json};
use uuid::Uuid;

use super::config::LrsConfig;
use crate::records::AttemptResult;
use crate::records::clock::parse_rfc3339;
use crate::scenario::Choice;

pub const XAPI_VERSION: &str = "1.0.3";

/// The namespace of Attune's statement ids (UUID v5 over attempt id and role).
const ID_NAMESPACE: Uuid = Uuid::from_u128(0xc03a2ffc_83a8_4f90_b602_be2cddb777fd);

const CMI5_CATEGORY: &str = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
/// cmi5 requires this category on defined statements that carry completion or success.
const MOVEON_CATEGORY: &str = "https://w3id.org/xapi/cmi5/context/categories/moveon";
const SESSION_EXT: &str = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
pub const MASTERY_EXT: &str = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
const SIMULATION_TYPE: &str = "http://adlnet.gov/expapi/activities/simulation";
const INTERACTION_TYPE: &str = "http://adlnet.gov/expapi/activities/cmi.interaction";

/// The learner's account name for attempts played without one. Fixed rather than made up
/// per machine, so that nothing in a statement can follow an anonymous person around.
pub const ANONYMOUS: &str = "anonymous";

/// A turn's decision counts as a success at this fit: where the app starts colouring a fit
/// as good (a fit of 45 to 65 is shown as middling, not as a success).
pub const GOOD_FIT: f64 = 65.0;

/// One statement, ready to send.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub id: String,
    pub json: Value,
}

/// Everything a statement needs that is the same across the attempt.
struct Frame<'a> {
    cfg: &'a LrsConfig,
    attempt_id: &'a str,
    result: &'a AttemptResult,
    pack: Option<Pack>,
    actor: Value,
    au: Value,
    session: String,
}

/// The statements for a finished attempt. `turn_times` are the turns' recorded times in
/// turn order; a turn without one takes the attempt's finishing time.
pub fn build(
    cfg: &LrsConfig,
    attempt_id: &str,
    result: &AttemptResult,
    turn_times: &[String],
) -> Result<Vec<Statement>, String> {
    build_with(cfg, attempt_id, result, turn_times, pack_of(result))
}

fn build_with(
    cfg: &LrsConfig,
    attempt_id: &str,
    result: &AttemptResult,
    turn_times: &[String],
    pack: Option<Pack>,
) -> Result<Vec<Statement>, String> {
    let registration = Uuid::parse_str(attempt_id)
        .map_err(|_| format!("attempt id `{attempt_id}` is not a UUID"))?;
    let f = Frame {
        cfg,
        attempt_id,
        result,
        pack,
        actor: json!({
            "objectType": "Agent",
            "account": {
                "homePage": cfg.home_page,
                "name": result.learner.as_deref().filter(|l| !l.trim().is_empty()).unwrap_or(ANONYMOUS),
            }
        }),
        au: json!({
            "objectType": "Activity",
            "id": scenario_iri(cfg, &result.scenario.id),
            "definition": {
                "name": { "en-US": result.scenario.title },
                "type": SIMULATION_TYPE,
            }
        }),
        session: derived_id(&registration.to_string(), "session"),
    };
    let finished = &result.finished_at;
    let duration = duration(&result.started_at, finished);
    let mut out = vec![f.defined("initialized", &result.started_at, None, false)];
    let turns = result.turns.as_array().map_or(&[][..], Vec::as_slice);
    for (i, turn) in turns.iter().enumerate() {
        let at = turn_times.get(i).unwrap_or(finished);
        out.push(f.answered(turn, result.choices.get(i), at));
    }
    out.push(f.defined(
        "completed",
        finished,
        Some(json!({ "completion": true, "duration": duration })),
        true,
    ));
    let summary = &result.summary;
    let overall = score_of(summary["overall"].as_f64());
    let passed = summary["passed"].as_bool().unwrap_or(false);
    let mut outcome = f.defined(
        if passed { "passed" } else { "failed" },
        finished,
        Some(json!({
            "score": { "scaled": overall / 100.0, "raw": overall, "min": 0, "max": 100 },
            "success": passed,
            "duration": duration,
        })),
        true,
    );
    if let Some(mark) = summary["pass_mark"].as_f64() {
        outcome.json["context"]["extensions"][MASTERY_EXT] = json!(score_of(Some(mark)) / 100.0);
    }
    out.push(outcome);
    out.push(f.defined(
        "terminated",
        finished,
        Some(json!({ "duration": duration })),
        false,
    ));
    Ok(out)
}

impl Frame<'_> {
    /// The context every statement of the attempt shares.
    fn context(&self, categories: &[&str]) -> Value {
        let r = self.result;
        let ext = |name: &str| format!("{}/extensions/{name}", self.cfg.activity_base);
        let mut c = json!({
            "registration": self.attempt_id,
            "platform": "Attune",
            "language": "en-US",
            "contextActivities": {},
            "extensions": {
                SESSION_EXT: self.session,
                ext("content-hash"): r.scenario.content_hash,
                ext("seed"): r.seed,
                ext("mode"): serde_json::to_value(r.mode).unwrap_or(Value::Null),
            }
        });
        if !categories.is_empty() {
            let list: Vec<Value> = categories
                .iter()
                .map(|id| json!({ "objectType": "Activity", "id": id }))
                .collect();
            c["contextActivities"]["category"] = Value::Array(list);
        }
        // A pack sitting: the pack is the grouping, the class an extension (a team would
        // need the class's members as agents, which Attune does not know).
        if let Some(pack) = &self.pack {
            c["contextActivities"]["grouping"] = json!([{
                "objectType": "Activity",
                "id": format!("{}/packs/{}", self.cfg.activity_base, iri_segment(&pack.id)),
                "definition": { "name": { "en-US": pack.title } },
            }]);
            c["extensions"][ext("class")] = json!(pack.class_id);
            c["extensions"][ext("sitting")] = json!(pack.sitting);
        }
        c
    }

    /// A cmi5 defined statement about the scenario itself.
    fn defined(&self, verb: &str, at: &str, result: Option<Value>, moves_on: bool) -> Statement {
        let categories: &[&str] = if moves_on {
            &[CMI5_CATEGORY, MOVEON_CATEGORY]
        } else {
            &[CMI5_CATEGORY]
        };
        let id = derived_id(self.attempt_id, verb_role(verb));
        let mut s = json!({
            "id": id,
            "version": XAPI_VERSION,
            "actor": self.actor,
            "verb": verb_of(verb),
            "object": self.au,
            "context": self.context(categories),
            "timestamp": at,
        });
        if let Some(r) = result {
            s["result"] = r;
        }
        Statement { id, json: s }
    }

    /// A cmi5 allowed statement: one decision, as an interaction within the scenario.
    fn answered(&self, turn: &Value, choice: Option<&Choice>, at: &str) -> Statement {
        let n = turn["turn"].as_u64().unwrap_or(0);
        let technique = turn["technique"].as_str().unwrap_or("");
        let fit = score_of(turn["fit"].as_f64());
        let id = derived_id(self.attempt_id, &format!("answered/{n}"));
        let mut context = self.context(&[]);
        context["contextActivities"]["parent"] = json!([self.au]);
        let mut result = json!({
            "response": choice.map_or_else(|| technique.to_string(), response_of),
            "score": { "scaled": fit / 100.0, "raw": fit, "min": 0, "max": 100 },
            "success": fit >= GOOD_FIT,
        });
        if let Some(c) = choice {
            let key = format!("{}/extensions/choice", self.cfg.activity_base);
            result["extensions"] = json!({ key: c });
        }
        let s = json!({
            "id": id,
            "version": XAPI_VERSION,
            "actor": self.actor,
            "verb": verb_of("answered"),
            "object": {
                "objectType": "Activity",
                "id": format!("{}/turns/{n}", self.au["id"].as_str().unwrap_or("")),
                "definition": {
                    "name": { "en-US": format!("{}: turn {n}", self.result.scenario.title) },
                    "type": INTERACTION_TYPE,
                    "interactionType": "other",
                }
            },
            "result": result,
            "context": context,
            "timestamp": at,
        });
        Statement { id, json: s }
    }
}

/// What the statements say of an assessment pack the attempt was part of.
#[derive(serde::Deserialize)]
struct Pack {
    id: String,
    title: String,
    class_id: String,
    sitting: String,
}

/// The attempt's pack, read from its sealed JSON form (what the statements describe), so
/// that this module needs nothing of the assessment types beyond these four fields.
fn pack_of(result: &AttemptResult) -> Option<Pack> {
    let pack = serde_json::to_value(result).ok()?.get_mut("pack")?.take();
    serde_json::from_value(pack).ok()
}

/// Passed and failed share one id: an attempt has exactly one outcome.
fn verb_role(verb: &str) -> &str {
    match verb {
        "passed" | "failed" => "outcome",
        v => v,
    }
}

fn verb_of(verb: &str) -> Value {
    json!({
        "id": format!("http://adlnet.gov/expapi/verbs/{verb}"),
        "display": { "en-US": verb },
    })
}

/// A stable statement id for one role in one attempt.
fn derived_id(attempt_id: &str, role: &str) -> String {
    Uuid::new_v5(&ID_NAMESPACE, format!("{attempt_id}/{role}").as_bytes()).to_string()
}

/// A 0..100 figure, kept in range so that a statement is never invalid for it.
pub(super) fn score_of(v: Option<f64>) -> f64 {
    let v = v.unwrap_or(0.0).clamp(0.0, 100.0);
    (v * 100.0).round() / 100.0
}

/// The technique, then each adaptation that differs from as-is, in xAPI's `[,]` list form.
fn response_of(choice: &Choice) -> String {
    let mut parts = vec![choice.technique.clone()];
    let (Ok(Value::Object(given)), Ok(Value::Object(plain))) = (
        serde_json::to_value(choice),
        serde_json::to_value(Choice::default()),
    ) else {
        return choice.technique.clone();
    };
    for (k, v) in given {
        if k != "technique" && plain.get(&k) != Some(&v) {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            parts.push(format!("{k}={v}"));
        }
    }
    parts.join("[,]")
}

/// ISO 8601 duration between two RFC 3339 times, at least zero.
fn duration(from: &str, to: &str) -> String {
    let secs = match (parse_rfc3339(from), parse_rfc3339(to)) {
        (Some(a), Some(b)) => b.saturating_sub(a),
        _ => 0,
    };
    format!("PT{secs}S")
}

fn scenario_iri(cfg: &LrsConfig, scenario: &str) -> String {
    format!("{}/scenarios/{}", cfg.activity_base, iri_segment(scenario))
}

/// Percent-encodes all but RFC 3986's unreserved characters, so any id is one path segment.
fn iri_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ATTEMPT: &str = "5f0c9d7e-2b1a-4c3d-9e8f-0a1b2c3d4e5f";

    fn cfg() -> LrsConfig {
        LrsConfig {
            endpoint: "https://lrs.example.edu/xapi/".into(),
            key: "k".into(),
            secret: "s".into(),
            home_page: "https://uni.example".into(),
            activity_base: "https://uni.example/attune".into(),
        }
    }

    /// A result as a result file has it, so the test does not depend on every field's name.
    fn result(learner: Option<&str>, passed: bool, overall: f64) -> AttemptResult {
        serde_json::from_value(json!({
            "format": "attune-result/1",
            "scenario": { "id": "dan mandated", "title": "Dan", "file": "dan.ron", "content_hash": "blake3:00" },
            "mode": "Practice",
            "seed": 7,
            "learner": learner,
            "started_at": "2026-11-24T21:00:00Z",
            "finished_at": "2026-11-24T21:12:30Z",
            "choices": [
                { "technique": "open_question" },
                { "technique": "psychoeducation", "directiveness": "AskPermission", "pacing": "Slower" },
            ],
            "turns": [
                { "turn": 1, "technique": "open_question", "fit": 82.5, "response_id": "a", "client_line": "…", "happened": [] },
                { "turn": 2, "technique": "psychoeducation", "fit": 40.0, "response_id": "b", "client_line": "…", "happened": [] },
            ],
            "summary": { "overall": overall, "passed": passed, "pass_mark": 60.0 },
        }))
        .expect("a result")
    }

    fn verbs(s: &[Statement]) -> Vec<String> {
        s.iter()
            .map(|s| {
                s.json["verb"]["display"]["en-US"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn an_attempt_is_a_cmi5_session_with_one_answer_per_turn() {
        let times = ["2026-11-24T21:03:00Z".to_string()];
        let s = build(&cfg(), ATTEMPT, &result(Some("s-17"), true, 71.25), &times).unwrap();
        assert_eq!(
            verbs(&s),
            [
                "initialized",
                "answered",
                "answered",
                "completed",
                "passed",
                "terminated"
            ]
        );
        for st in &s {
            assert_eq!(st.json["id"], st.id);
            assert_eq!(st.json["version"], "1.0.3");
            assert_eq!(st.json["context"]["registration"], ATTEMPT);
            assert_eq!(
                st.json["actor"],
                json!({ "objectType": "Agent", "account": { "homePage": "https://uni.example", "name": "s-17" } })
            );
        }
        let au = "https://uni.example/attune/scenarios/dan%20mandated";
        assert_eq!(s[0].json["object"]["id"], au);
        assert_eq!(s[0].json["timestamp"], "2026-11-24T21:00:00Z");
        // Turn times come from the store where known, else the finishing time.
        assert_eq!(s[1].json["timestamp"], "2026-11-24T21:03:00Z");
        assert_eq!(s[2].json["timestamp"], "2026-11-24T21:12:30Z");
        assert_eq!(s[5].json["result"]["duration"], "PT750S");
    }

    #[test]
    fn answers_carry_the_choice_and_its_fit() {
        let s = build(&cfg(), ATTEMPT, &result(None, true, 70.0), &[]).unwrap();
        let (good, poor) = (&s[1].json, &s[2].json);
        assert_eq!(
            good["result"]["score"],
            json!({ "scaled": 0.825, "raw": 82.5, "min": 0, "max": 100 })
        );
        assert_eq!(good["result"]["success"], true);
        assert_eq!(good["result"]["response"], "open_question");
        assert_eq!(poor["result"]["success"], false);
        assert_eq!(
            poor["result"]["response"],
            "psychoeducation[,]directiveness=AskPermission[,]pacing=Slower"
        );
        assert_eq!(
            poor["object"]["id"],
            "https://uni.example/attune/scenarios/dan%20mandated/turns/2"
        );
        assert_eq!(poor["object"]["definition"]["interactionType"], "other");
        assert_eq!(
            poor["context"]["contextActivities"]["parent"][0]["id"],
            s[0].json["object"]["id"]
        );
        // Answers are cmi5 allowed statements: no cmi5 category.
        assert!(
            poor["context"]["contextActivities"]
                .get("category")
                .is_none()
        );
    }

    #[test]
    fn the_outcome_is_passed_or_failed_with_the_scaled_score_and_mastery() {
        let pass = build(&cfg(), ATTEMPT, &result(None, true, 71.25), &[]).unwrap();
        let fail = build(&cfg(), ATTEMPT, &result(None, false, 130.0), &[]).unwrap();
        assert_eq!(pass[4].json["result"]["score"]["scaled"], 0.7125);
        assert_eq!(pass[4].json["result"]["success"], true);
        assert_eq!(
            fail[4].json["verb"]["id"],
            "http://adlnet.gov/expapi/verbs/failed"
        );
        // An out-of-range figure is clamped rather than sent as an invalid statement.
        assert_eq!(fail[4].json["result"]["score"]["scaled"], 1.0);
        assert_eq!(fail[4].json["result"]["success"], false);
        assert_eq!(fail[4].json["context"]["extensions"][MASTERY_EXT], 0.6);
        let cats = |st: &Statement| st.json["context"]["contextActivities"]["category"].clone();
        assert_eq!(cats(&pass[0]).as_array().unwrap().len(), 1);
        assert_eq!(cats(&pass[3])[1]["id"], MOVEON_CATEGORY);
        assert_eq!(cats(&pass[4])[0]["id"], CMI5_CATEGORY);
        assert_eq!(pass[3].json["result"]["completion"], true);
    }

    #[test]
    fn ids_are_uuids_stable_per_attempt_and_distinct_across_attempts() {
        let r = result(None, true, 70.0);
        let a = build(&cfg(), ATTEMPT, &r, &[]).unwrap();
        let again = build(&cfg(), ATTEMPT, &r, &[]).unwrap();
        let other = build(&cfg(), "6f0c9d7e-2b1a-4c3d-9e8f-0a1b2c3d4e5f", &r, &[]).unwrap();
        let ids = |s: &[Statement]| s.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&again));
        let mut all = ids(&a);
        all.extend(ids(&other));
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n);
        assert!(all.iter().all(|id| Uuid::parse_str(id).is_ok()));
        // A pass and a fail of the same attempt are one outcome, never both.
        let failed = build(&cfg(), ATTEMPT, &result(None, false, 20.0), &[]).unwrap();
        assert_eq!(a[4].id, failed[4].id);
        assert!(build(&cfg(), "not-a-uuid", &r, &[]).is_err());
    }

    #[test]
    fn a_pack_sitting_names_the_pack_and_the_class() {
        let plain = build(&cfg(), ATTEMPT, &result(None, true, 70.0), &[]).unwrap();
        assert!(
            plain[0].json["context"]["contextActivities"]
                .get("grouping")
                .is_none()
        );
        let pack = Pack {
            id: "week 3".into(),
            title: "Week 3".into(),
            class_id: "psy-201".into(),
            sitting: "s-1".into(),
        };
        let s = build_with(&cfg(), ATTEMPT, &result(None, true, 70.0), &[], Some(pack)).unwrap();
        let c = &s[1].json["context"];
        assert_eq!(
            c["contextActivities"]["grouping"][0]["id"],
            "https://uni.example/attune/packs/week%203"
        );
        assert_eq!(
            c["extensions"]["https://uni.example/attune/extensions/class"],
            "psy-201"
        );
    }

    #[test]
    fn a_learner_without_a_name_is_the_anonymous_account() {
        for learner in [None, Some("  ")] {
            let s = build(&cfg(), ATTEMPT, &result(learner, true, 70.0), &[]).unwrap();
            assert_eq!(s[0].json["actor"]["account"]["name"], ANONYMOUS);
            assert!(!s[0].json.to_string().contains("mbox"));
        }
    }
}
