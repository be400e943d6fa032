//! An attempt as xAPI 1.0.3 statements shaped like a cmi5 session: initialized, one
//! answered per turn, completed, passed or failed, terminated. Each statement is one role of
//! its attempt, built when it is sent from the attempt as recorded and the configuration in
//! force. Pure: the same attempt and configuration always give the same statement, and its
//! id depends on the attempt and the role alone, so queuing it again adds nothing and a
//! store that already has it recognises the retry.

use serde_json::{Value, json};
use uuid::Uuid;

use super::attempt::{AttemptRecord, SavedTurn};
use super::config::LrsConfig;
use crate::records::AttemptResult;
use crate::records::clock::parse_rfc3339;
use attune_core::model::Mode;
use attune_core::scenario::Choice;

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

/// What a statement says of its attempt; its id is derived from the attempt and this.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Initialized,
    /// The decision of turn N.
    Answered(u32),
    Completed,
    /// Passed or failed: an attempt has exactly one outcome, so both share one id.
    Outcome,
    Terminated,
}

impl Role {
    /// The name kept in the outbox and hashed into the statement's id.
    pub fn name(&self) -> String {
        match self {
            Role::Initialized => "initialized".into(),
            Role::Answered(n) => format!("answered/{n}"),
            Role::Completed => "completed".into(),
            Role::Outcome => "outcome".into(),
            Role::Terminated => "terminated".into(),
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        Some(match name {
            "initialized" => Role::Initialized,
            "completed" => Role::Completed,
            "outcome" => Role::Outcome,
            "terminated" => Role::Terminated,
            _ => Role::Answered(name.strip_prefix("answered/")?.parse().ok()?),
        })
    }

    /// The statement id of this role in `attempt_id`.
    pub fn statement_id(&self, attempt_id: &str) -> String {
        derived_id(attempt_id, &self.name())
    }
}

/// The statements that close a finished attempt of `turns` turns.
///
/// cmi5 (section 9.3.3) sends `completed` "when the learner has experienced all relevant
/// material in an AU": an attempt ended before its first turn did none of the work, so it
/// is not completed. `failed` (9.3.5) is sent "when the learner has attempted and failed
/// the AU": an assessment, graded with a score, that was ended with nothing done is
/// a fail an instructor needs to see; a practice session left at once is not a judgement
/// of anything and is sent as initialized and terminated only.
pub fn closing_roles(turns: usize, result: &AttemptResult) -> Vec<Role> {
    if turns > 0 {
        return vec![Role::Completed, Role::Outcome, Role::Terminated];
    }
    let graded = result.mode == Mode::Assessment && result.summary["overall"].as_f64().is_some();
    if graded {
        vec![Role::Outcome, Role::Terminated]
    } else {
        vec![Role::Terminated]
    }
}

/// Every role of an attempt as it stands: initialized, each saved turn, and the closing
/// ones once it is finished.
pub fn roles_of(attempt: &AttemptRecord) -> Vec<Role> {
    let mut roles = vec![Role::Initialized];
    roles.extend(attempt.turns.iter().map(|t| Role::Answered(t.turn)));
    if let Some(result) = &attempt.result {
        roles.extend(closing_roles(attempt.turns.len(), result));
    }
    roles
}

/// One statement, ready to send.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub id: String,
    pub json: Value,
}

/// Everything a statement needs that is the same across the attempt.
struct Frame<'a> {
    cfg: &'a LrsConfig,
    attempt: &'a AttemptRecord,
    actor: Value,
    au: Value,
    session: String,
}

/// The statement of one role of an attempt, with the configuration in force now. An error
/// says why it cannot be built (a closing statement of an attempt not finished, a turn that
/// was never saved).
pub fn build(cfg: &LrsConfig, attempt: &AttemptRecord, role: &Role) -> Result<Statement, String> {
    let registration = Uuid::parse_str(&attempt.id)
        .map_err(|_| format!("attempt id `{}` is not a UUID", attempt.id))?;
    let f = Frame {
        cfg,
        attempt,
        actor: json!({
            "objectType": "Agent",
            "account": {
                "homePage": cfg.home_page,
                "name": attempt.learner.as_deref().filter(|l| !l.trim().is_empty()).unwrap_or(ANONYMOUS),
            }
        }),
        au: json!({
            "objectType": "Activity",
            "id": scenario_iri(cfg, &attempt.scenario_id),
            "definition": {
                "name": { "en-US": attempt.scenario_title },
                "type": SIMULATION_TYPE,
            }
        }),
        session: derived_id(&registration.to_string(), "session"),
    };
    let closing = || {
        attempt.result.as_ref().ok_or_else(|| {
            format!(
                "attempt {} is not finished, so it has no {} statement",
                attempt.id,
                role.name()
            )
        })
    };
    Ok(match role {
        Role::Initialized => f.defined("initialized", &attempt.started_at, None, false),
        Role::Answered(n) => {
            let turn = attempt
                .turn(*n)
                .ok_or_else(|| format!("attempt {} has no turn {n} saved", attempt.id))?;
            f.answered(turn)
        }
        Role::Completed => {
            let result = closing()?;
            f.defined(
                "completed",
                &result.finished_at,
                Some(json!({ "completion": true, "duration": f.duration(result) })),
                true,
            )
        }
        Role::Outcome => {
            let result = closing()?;
            let summary = &result.summary;
            let overall = score_of(summary["overall"].as_f64());
            let passed = summary["passed"].as_bool().unwrap_or(false);
            let mut outcome = f.defined(
                if passed { "passed" } else { "failed" },
                &result.finished_at,
                Some(json!({
                    "score": { "scaled": overall / 100.0, "raw": overall, "min": 0, "max": 100 },
                    "success": passed,
                    "duration": f.duration(result),
                })),
                true,
            );
            if let Some(mark) = summary["pass_mark"].as_f64() {
                outcome.json["context"]["extensions"][MASTERY_EXT] =
                    json!(score_of(Some(mark)) / 100.0);
            }
            outcome
        }
        Role::Terminated => {
            let result = closing()?;
            f.defined(
                "terminated",
                &result.finished_at,
                Some(json!({ "duration": f.duration(result) })),
                false,
            )
        }
    })
}

impl Frame<'_> {
    /// The context every statement of the attempt shares.
    fn context(&self, categories: &[&str]) -> Value {
        let a = self.attempt;
        let ext = |name: &str| format!("{}/extensions/{name}", self.cfg.activity_base);
        let mut c = json!({
            "registration": a.id,
            "platform": "Attune",
            "language": "en-US",
            "contextActivities": {},
            "extensions": {
                SESSION_EXT: self.session,
                ext("content-hash"): a.content_hash,
                ext("seed"): a.seed,
                ext("mode"): serde_json::to_value(a.mode).unwrap_or(Value::Null),
            }
        });
        // How it was played (a person in the window or a script), known once it is finished:
        // the closing statements carry it, so a report read from the store can say it too.
        if let Some(played) = a.result.as_ref().and_then(|r| r.played) {
            c["extensions"][ext("played")] = serde_json::to_value(played).unwrap_or(Value::Null);
        }
        if !categories.is_empty() {
            let list: Vec<Value> = categories
                .iter()
                .map(|id| json!({ "objectType": "Activity", "id": id }))
                .collect();
            c["contextActivities"]["category"] = Value::Array(list);
        }
        // A pack sitting: the pack is the grouping, the class an extension (a team would
        // need the class's members as agents, which Attune does not know).
        if let Some(pack) = &a.pack {
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
        let id = derived_id(&self.attempt.id, verb_role(verb));
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
    fn answered(&self, turn: &SavedTurn) -> Statement {
        let n = turn.turn;
        let fit = score_of(Some(turn.fit));
        let id = derived_id(&self.attempt.id, &Role::Answered(n).name());
        let mut context = self.context(&[]);
        context["contextActivities"]["parent"] = json!([self.au]);
        let key = format!("{}/extensions/choice", self.cfg.activity_base);
        let mut result = json!({
            "response": response_of(&turn.choice),
            "score": { "scaled": fit / 100.0, "raw": fit, "min": 0, "max": 100 },
            "success": fit >= GOOD_FIT,
            "extensions": { key: turn.choice },
        });
        // The trainee's own words are the answer given; the move stays in the choice.
        if let Some(words) = turn.choice.words() {
            let coded = attune_core::coding::shared_coder().code(words).miti;
            result["response"] = json!(words);
            result["extensions"][format!("{}/extensions/coded-miti", self.cfg.activity_base)] =
                json!(coded);
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
                    "name": { "en-US": format!("{}: turn {n}", self.attempt.scenario_title) },
                    "type": INTERACTION_TYPE,
                    "interactionType": "other",
                }
            },
            "result": result,
            "context": context,
            "timestamp": turn.recorded_at,
        });
        Statement { id, json: s }
    }

    /// How long the attempt took, as its closing statements report it.
    fn duration(&self, result: &AttemptResult) -> String {
        duration(&self.attempt.started_at, &result.finished_at)
    }
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

/// The technique, then each adaptation that differs from as-is, in xAPI's `[,]` list form
/// (the words, when there are any, are the response instead: `answered`).
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

/// Percent-encodes all but RFC 3986's unreserved characters, so any id is one path segment
/// (or one query value).
pub(super) fn iri_segment(s: &str) -> String {
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
    use crate::records::xapi::attempt::PackOf;

    const ATTEMPT: &str = "5f0c9d7e-2b1a-4c3d-9e8f-0a1b2c3d4e5f";

    fn cfg() -> LrsConfig {
        LrsConfig {
            endpoint: "https://lrs.example.edu/xapi/".into(),
            key: "k".into(),
            secret: "s".into(),
            home_page: "https://uni.example".into(),
            activity_base: "https://uni.example/attune".into(),
            endpoint_from: "lrs.ron".into(),
        }
    }

    /// A result as a result file has it, so the test does not depend on every field's name.
    fn result(mode: &str, passed: bool, overall: f64) -> AttemptResult {
        serde_json::from_value(json!({
            "format": "attune-result/1",
            "scenario": { "id": "dan mandated", "title": "Dan", "file": "dan.ron", "content_hash": "blake3:00" },
            "mode": mode,
            "seed": 7,
            "started_at": "2026-11-24T21:00:00Z",
            "finished_at": "2026-11-24T21:12:30Z",
            "choices": [],
            "turns": [],
            "summary": { "overall": overall, "passed": passed, "pass_mark": 60.0 },
        }))
        .expect("a result")
    }

    /// Dan, two turns saved, finished with `passed` and `overall`.
    fn attempt(learner: Option<&str>, passed: bool, overall: f64) -> AttemptRecord {
        let turn = |turn, choice: Value, fit, recorded_at: &str| SavedTurn {
            turn,
            choice: serde_json::from_value(choice).unwrap(),
            fit,
            recorded_at: recorded_at.into(),
        };
        AttemptRecord {
            id: ATTEMPT.into(),
            scenario_id: "dan mandated".into(),
            scenario_title: "Dan".into(),
            content_hash: "blake3:00".into(),
            seed: 7,
            mode: Mode::Practice,
            learner: learner.map(str::to_string),
            started_at: "2026-11-24T21:00:00Z".into(),
            pack: None,
            turns: vec![
                turn(
                    1,
                    json!({ "technique": "open_question" }),
                    82.5,
                    "2026-11-24T21:03:00Z",
                ),
                turn(
                    2,
                    json!({ "technique": "psychoeducation", "directiveness": "AskPermission", "pacing": "Slower" }),
                    40.0,
                    "2026-11-24T21:07:10Z",
                ),
            ],
            result: Some(result("Practice", passed, overall)),
        }
    }

    fn all(a: &AttemptRecord) -> Vec<Statement> {
        roles_of(a)
            .iter()
            .map(|r| build(&cfg(), a, r).unwrap())
            .collect()
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
        let s = all(&attempt(Some("s-17"), true, 71.25));
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
        // Each turn at the time it was saved, the closing ones at the finish.
        assert_eq!(s[1].json["timestamp"], "2026-11-24T21:03:00Z");
        assert_eq!(s[2].json["timestamp"], "2026-11-24T21:07:10Z");
        assert_eq!(s[3].json["timestamp"], "2026-11-24T21:12:30Z");
        assert_eq!(s[5].json["result"]["duration"], "PT750S");
    }

    #[test]
    fn an_unfinished_attempt_has_its_opening_and_its_turns_and_nothing_that_closes_it() {
        let mut a = attempt(None, true, 70.0);
        a.result = None;
        assert_eq!(
            roles_of(&a),
            [Role::Initialized, Role::Answered(1), Role::Answered(2)]
        );
        let e = build(&cfg(), &a, &Role::Completed).unwrap_err();
        assert!(e.contains("not finished"), "{e}");
        let e = build(&cfg(), &a, &Role::Answered(3)).unwrap_err();
        assert!(e.contains("no turn 3"), "{e}");
        // Built before the finish or after, a turn's statement is the same.
        let finished = attempt(None, true, 70.0);
        assert_eq!(
            build(&cfg(), &a, &Role::Answered(2)).unwrap(),
            build(&cfg(), &finished, &Role::Answered(2)).unwrap()
        );
    }

    #[test]
    fn a_zero_turn_attempt_is_not_sent_as_completed() {
        let mut practice = attempt(None, false, 0.0);
        practice.turns.clear();
        assert_eq!(roles_of(&practice), [Role::Initialized, Role::Terminated]);
        assert_eq!(verbs(&all(&practice)), ["initialized", "terminated"]);
        // An assessment ended before its first turn is graded: a fail with its score.
        let mut assessment = practice.clone();
        assessment.mode = Mode::Assessment;
        assessment.result = Some(result("Assessment", false, 0.0));
        assert_eq!(
            verbs(&all(&assessment)),
            ["initialized", "failed", "terminated"]
        );
        let failed = &all(&assessment)[1];
        assert_eq!(failed.json["result"]["score"]["scaled"], 0.0);
        assert_eq!(failed.json["result"]["success"], false);
    }

    #[test]
    fn roles_have_names_that_read_back_and_ids_from_the_attempt_and_the_role() {
        for role in [
            Role::Initialized,
            Role::Answered(2),
            Role::Completed,
            Role::Outcome,
            Role::Terminated,
        ] {
            assert_eq!(Role::parse(&role.name()), Some(role.clone()));
            let a = attempt(None, true, 70.0);
            assert_eq!(
                build(&cfg(), &a, &role).unwrap().id,
                role.statement_id(ATTEMPT)
            );
        }
        assert_eq!(Role::parse("answered/12"), Some(Role::Answered(12)));
        assert_eq!(Role::parse("answered/x"), None);
        assert_eq!(Role::parse("launched"), None);
    }

    #[test]
    fn an_answer_in_the_trainees_words_carries_them_as_the_response_with_their_code() {
        let mut a = attempt(None, true, 70.0);
        a.turns[0].choice.say = Some(" Why did you come today? ".into());
        let s = all(&a);
        let answer = &s[1].json["result"];
        assert_eq!(answer["response"], "Why did you come today?");
        let ext = &answer["extensions"];
        assert_eq!(
            ext["https://uni.example/attune/extensions/coded-miti"],
            "Question"
        );
        assert_eq!(
            ext["https://uni.example/attune/extensions/choice"]["technique"],
            "open_question"
        );
        assert!(
            s[2].json["result"]["extensions"]
                .get("https://uni.example/attune/extensions/coded-miti")
                .is_none(),
            "no words, no code"
        );
    }

    #[test]
    fn answers_carry_the_choice_and_its_fit() {
        let s = all(&attempt(None, true, 70.0));
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
            poor["result"]["extensions"]["https://uni.example/attune/extensions/choice"]["directiveness"],
            "AskPermission"
        );
        assert_eq!(
            poor["context"]["extensions"]["https://uni.example/attune/extensions/seed"],
            7
        );
        assert_eq!(
            poor["context"]["extensions"]["https://uni.example/attune/extensions/content-hash"],
            "blake3:00"
        );
        assert_eq!(
            poor["object"]["id"],
            "https://uni.example/attune/scenarios/dan%20mandated/turns/2"
        );
        assert_eq!(poor["object"]["definition"]["interactionType"], "other");
        assert_eq!(poor["object"]["definition"]["name"]["en-US"], "Dan: turn 2");
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
        let pass = all(&attempt(None, true, 71.25));
        let fail = all(&attempt(None, false, 130.0));
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
        let a = all(&attempt(None, true, 70.0));
        let again = all(&attempt(None, true, 70.0));
        let mut other = attempt(None, true, 70.0);
        other.id = "6f0c9d7e-2b1a-4c3d-9e8f-0a1b2c3d4e5f".into();
        let other = all(&other);
        let ids = |s: &[Statement]| s.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&again));
        let mut every = ids(&a);
        every.extend(ids(&other));
        let n = every.len();
        every.sort();
        every.dedup();
        assert_eq!(every.len(), n);
        assert!(every.iter().all(|id| Uuid::parse_str(id).is_ok()));
        // A pass and a fail of the same attempt are one outcome, never both.
        let failed = all(&attempt(None, false, 20.0));
        assert_eq!(a[4].id, failed[4].id);
        let mut bad = attempt(None, true, 70.0);
        bad.id = "not-a-uuid".into();
        assert!(build(&cfg(), &bad, &Role::Initialized).is_err());
    }

    #[test]
    fn a_pack_sitting_names_the_pack_and_the_class() {
        let plain = all(&attempt(None, true, 70.0));
        assert!(
            plain[0].json["context"]["contextActivities"]
                .get("grouping")
                .is_none()
        );
        let mut sat = attempt(None, true, 70.0);
        sat.pack = Some(PackOf {
            id: "week 3".into(),
            title: "Week 3".into(),
            class_id: "psy-201".into(),
            sitting: "s-1".into(),
        });
        let s = all(&sat);
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
            let s = all(&attempt(learner, true, 70.0));
            assert_eq!(s[0].json["actor"]["account"]["name"], ANONYMOUS);
            assert!(!s[0].json.to_string().contains("mbox"));
        }
    }
}
