//! Attempts sent to a learning record store as xAPI statements, through the real binary
//! against a local store that goes down and comes back: every statement arrives exactly
//! once and is valid by the xAPI 1.0.3 rules; nothing is sent when nothing is configured.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::common::{attune_in as command, run_in as run, stderr, stdout};
use crate::lrs::{Behaviour, FakeLrs, Received};

const KEY: &str = "attune-test";
const SECRET: &str = "p@ss:word";
/// `Basic ` and base64 of `attune-test:p@ss:word`.
const AUTHORIZATION: &str = "Basic YXR0dW5lLXRlc3Q6cEBzczp3b3Jk";
const CMI5: &str = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
/// Dan's expert script has 12 turns: initialized, 12 answered, completed, passed, terminated.
const PER_ATTEMPT: usize = 16;

fn data_dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("xapi-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn configure(data: &Path, lrs: &FakeLrs) {
    std::fs::write(
        data.join("lrs.ron"),
        format!(
            "(endpoint: \"{}\", key: \"{KEY}\", secret: \"{SECRET}\", home_page: \"https://uni.example/students\")",
            lrs.endpoint()
        ),
    )
    .unwrap();
}

fn play_recorded(data: &Path, seed: &str, learner: Option<&str>) -> Output {
    let mut args = vec![
        "play",
        "scenarios/dan-mandated-anger.ron",
        "--seed",
        seed,
        "--script",
        "tests/scripts/dan-expert.ron",
        "--record",
    ];
    if let Some(l) = learner {
        args.extend(["--learner", l]);
    }
    let out = run(data, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    out
}

fn status(data: &Path) -> String {
    stdout(&run(data, &["sync", "--status"]))
}

/// Every statement sent, in order, from the bodies of POSTs and PUTs.
fn sent(received: &[Received]) -> Vec<Value> {
    received
        .iter()
        .flat_map(|r| match serde_json::from_str::<Value>(&r.body) {
            Ok(Value::Array(batch)) => batch,
            Ok(one @ Value::Object(_)) => vec![one],
            _ => Vec::new(),
        })
        .collect()
}

fn is_uuid(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        s.len() == 36
            && s.char_indices().all(|(i, c)| {
                if [8, 13, 18, 23].contains(&i) {
                    c == '-'
                } else {
                    c.is_ascii_hexdigit() && !c.is_ascii_uppercase()
                }
            })
    })
}

/// An IRI as xAPI needs it here: a scheme, then no spaces.
fn is_iri(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        s.split_once(':').is_some_and(|(scheme, rest)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !rest.is_empty()
                && !s.contains(char::is_whitespace)
        })
    })
}

/// An ISO 8601 timestamp with a time zone, as the LRS must accept it.
fn is_timestamp(v: &Value) -> bool {
    let Some(s) = v.as_str() else { return false };
    let b = s.as_bytes();
    b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && [0..4, 5..7, 8..10, 11..13, 14..16, 17..19]
            .into_iter()
            .all(|r| s[r].bytes().all(|c| c.is_ascii_digit()))
        && (s.ends_with('Z') || s[19..].contains(['+', '-']))
}

fn mentions_key(v: &Value, key: &str) -> bool {
    match v {
        Value::Object(m) => m
            .iter()
            .any(|(k, v)| k.contains(key) || mentions_key(v, key)),
        Value::Array(a) => a.iter().any(|v| mentions_key(v, key)),
        _ => false,
    }
}

/// The xAPI 1.0.3 statement rules these statements could break, and cmi5's category rule.
fn validate(s: &Value) -> Result<(), String> {
    let fail = |what: &str| Err(format!("{what}: {s}"));
    if !is_uuid(&s["id"]) {
        return fail("id is not a UUID");
    }
    if !s["version"].is_null() && s["version"] != "1.0.3" {
        return fail("version");
    }
    let actor = &s["actor"];
    let identifiers = ["mbox", "mbox_sha1sum", "openid", "account"]
        .iter()
        .filter(|k| actor.get(**k).is_some())
        .count();
    if identifiers != 1 || actor.get("account").is_none() {
        return fail("the actor must have exactly one identifier, an account");
    }
    if actor["objectType"] != "Agent" && !actor["objectType"].is_null() {
        return fail("actor objectType");
    }
    let account = &actor["account"];
    if !is_iri(&account["homePage"]) || account["name"].as_str().is_none_or(str::is_empty) {
        return fail("account needs a homePage IRI and a name");
    }
    if mentions_key(s, "mbox") {
        return fail("no mbox anywhere");
    }
    if !is_iri(&s["verb"]["id"])
        || s["verb"]["display"]
            .as_object()
            .is_none_or(|d| d.is_empty())
    {
        return fail("verb needs an IRI id and a display");
    }
    let object = &s["object"];
    if object["objectType"] != "Activity" || !is_iri(&object["id"]) {
        return fail("object must be an Activity with an IRI id");
    }
    if !is_timestamp(&s["timestamp"]) {
        return fail("timestamp is not ISO 8601");
    }
    if let Some(score) = s.get("result").and_then(|r| r.get("score")) {
        if let Some(scaled) = score.get("scaled")
            && !scaled.as_f64().is_some_and(|v| (-1.0..=1.0).contains(&v))
        {
            return fail("score.scaled out of [-1, 1]");
        }
        let (min, max, raw) = (
            score["min"].as_f64(),
            score["max"].as_f64(),
            score["raw"].as_f64(),
        );
        if let (Some(min), Some(max)) = (min, max)
            && min > max
        {
            return fail("score.min above max");
        }
        if let Some(raw) = raw
            && (min.is_some_and(|m| raw < m) || max.is_some_and(|m| raw > m))
        {
            return fail("score.raw outside min..max");
        }
    }
    let context = &s["context"];
    if !is_uuid(&context["registration"]) {
        return fail("context.registration is not a UUID");
    }
    for list in ["parent", "grouping", "category", "other"] {
        if let Some(v) = context["contextActivities"].get(list) {
            let activities = v.as_array().ok_or("contextActivities must be lists")?;
            if !activities.iter().all(|a| is_iri(&a["id"])) {
                return fail("context activity without an IRI id");
            }
        }
    }
    let verb = s["verb"]["id"].as_str().unwrap_or("");
    let defined = ["initialized", "completed", "passed", "failed", "terminated"]
        .iter()
        .any(|v| verb == format!("http://adlnet.gov/expapi/verbs/{v}"));
    let categories = context["contextActivities"]["category"].as_array();
    let has_cmi5 = categories.is_some_and(|c| c.iter().any(|a| a["id"] == CMI5));
    if defined != has_cmi5 {
        return fail("the cmi5 category belongs on cmi5 defined statements only");
    }
    Ok(())
}

fn verbs_of(statements: &[&Value]) -> Vec<String> {
    statements
        .iter()
        .map(|s| {
            s["verb"]["id"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn every_statement_arrives_once_though_the_store_is_down_for_part_of_the_run() {
    let data = data_dir("down-and-up");
    let mut lrs = FakeLrs::start();
    configure(&data, &lrs);

    // Up: the attempt is sent as soon as it is saved.
    let first = play_recorded(&data, "7", Some("learner-1"));
    assert!(
        stderr(&first).contains(&format!("sent {PER_ATTEMPT} statements")),
        "{}",
        stderr(&first)
    );
    assert!(status(&data).contains(&format!("0 pending, {PER_ATTEMPT} delivered")));

    // Down: the next attempt is saved, its statements wait, nothing is lost.
    lrs.down();
    let second = play_recorded(&data, "8", None);
    assert!(
        stderr(&second).contains(&format!("note: {PER_ATTEMPT} statements wait")),
        "{}",
        stderr(&second)
    );
    assert!(status(&data).contains(&format!("{PER_ATTEMPT} pending, {PER_ATTEMPT} delivered")));
    let down = stdout(&run(&data, &["sync", "--wait", "0"]));
    assert!(
        down.contains(&format!("{PER_ATTEMPT} statements stay queued")),
        "{down}"
    );

    // Back while `attune sync` retries: it delivers the rest once the store returns.
    let sync = command(&data, &["sync", "--wait", "60"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    lrs.up();
    let out = sync.wait_with_output().unwrap();
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert!(
        text.contains(&format!(
            "{PER_ATTEMPT} of {} statements delivered…",
            2 * PER_ATTEMPT
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{0} of {0} delivered, 0 pending, 0 failed",
            2 * PER_ATTEMPT
        )),
        "{text}"
    );

    // Nothing left: another sync sends nothing.
    let requests = lrs.received().len();
    assert!(run(&data, &["sync"]).status.success());
    assert_eq!(lrs.received().len(), requests);

    let received = lrs.received();
    for r in &received {
        assert_eq!(r.method, "POST", "{}", r.target);
        assert_eq!(r.target, "/xapi/statements");
        assert_eq!(r.header("x-experience-api-version"), Some("1.0.3"));
        assert_eq!(r.header("authorization"), Some(AUTHORIZATION));
        assert!(
            r.header("content-type")
                .is_some_and(|c| c.starts_with("application/json"))
        );
    }
    let statements = sent(&received);
    let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
    for s in &statements {
        validate(s).unwrap();
        *by_id
            .entry(s["id"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    assert_eq!(statements.len(), 2 * PER_ATTEMPT);
    assert!(
        by_id.values().all(|n| *n == 1),
        "sent more than once: {by_id:?}"
    );
    assert_eq!(lrs.stored().len(), 2 * PER_ATTEMPT);

    // Each attempt is one registration, a cmi5 session in order.
    let mut registrations: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for s in &statements {
        let r = s["context"]["registration"].as_str().unwrap().to_string();
        registrations.entry(r).or_default().push(s);
    }
    assert_eq!(registrations.len(), 2);
    let mut names = Vec::new();
    for attempt in registrations.values() {
        let verbs = verbs_of(attempt);
        assert_eq!(verbs.len(), PER_ATTEMPT);
        assert_eq!(verbs[0], "initialized");
        assert!(verbs[1..13].iter().all(|v| v == "answered"), "{verbs:?}");
        assert_eq!(verbs[13..], ["completed", "passed", "terminated"]);
        names.push(attempt[0]["actor"]["account"]["name"].as_str().unwrap());
        assert_eq!(
            attempt[0]["actor"]["account"]["homePage"],
            "https://uni.example/students"
        );
        assert_eq!(attempt[14]["result"]["success"], true);
    }
    names.sort();
    assert_eq!(names, ["anonymous", "learner-1"]);
}

#[test]
fn an_answer_lost_on_the_way_back_is_resolved_by_conflict_without_a_second_copy() {
    let data = data_dir("conflict");
    let lrs = FakeLrs::start();
    configure(&data, &lrs);
    lrs.set(Behaviour::LoseNextAnswer);
    let played = play_recorded(&data, "7", Some("learner-2"));
    assert!(
        stderr(&played).contains(&format!("note: {PER_ATTEMPT} statements wait")),
        "{}",
        stderr(&played)
    );
    assert_eq!(lrs.stored().len(), PER_ATTEMPT, "the store kept the batch");

    let out = run(&data, &["sync"]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains(&format!(
        "{PER_ATTEMPT} of {PER_ATTEMPT} delivered, 0 pending"
    )));
    // The repeat batch was refused as a conflict, then each statement put under its id
    // and found there: stored once, all delivered.
    let received = lrs.received();
    let methods: Vec<&str> = received.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods[..2], ["POST", "POST"]);
    assert_eq!(methods[2..].len(), PER_ATTEMPT);
    assert!(methods[2..].iter().all(|m| *m == "PUT"));
    assert!(
        received
            .iter()
            .all(|r| r.header("x-experience-api-version") == Some("1.0.3"))
    );
    let mut ids: Vec<String> = lrs.stored().iter().map(|s| s["id"].to_string()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), PER_ATTEMPT);
}

#[test]
fn statements_the_store_refuses_are_reported_and_not_sent_again() {
    let data = data_dir("rejected");
    let lrs = FakeLrs::start();
    configure(&data, &lrs);
    lrs.set(Behaviour::RejectAll);
    let played = play_recorded(&data, "7", None);
    assert!(
        stderr(&played).contains("did not take statement"),
        "{}",
        stderr(&played)
    );
    let s = status(&data);
    assert!(
        s.contains(&format!("0 pending, 0 delivered, {PER_ATTEMPT} failed")),
        "{s}"
    );
    assert!(s.contains("HTTP 400: refused for the test"), "{s}");
    let requests = lrs.received().len();
    assert!(run(&data, &["sync"]).status.success());
    assert_eq!(
        lrs.received().len(),
        requests,
        "rejected statements are not retried"
    );
}

#[test]
fn with_no_store_configured_nothing_is_sent_and_the_statements_wait() {
    let data = data_dir("unconfigured");
    let played = play_recorded(&data, "7", Some("learner-3"));
    assert!(
        !stderr(&played).contains("learning record store"),
        "{}",
        stderr(&played)
    );
    assert_eq!(outbox(&data).pending, PER_ATTEMPT);
    let out = run(&data, &["sync"]);
    assert!(out.status.success());
    assert!(
        stdout(&out).contains(&format!(
            "no learning record store is configured, so nothing was sent ({PER_ATTEMPT} statements wait)"
        )),
        "{}",
        stdout(&out)
    );
    assert!(status(&data).contains("not configured"));
}

fn outbox(data: &Path) -> attune::records::xapi::OutboxCounts {
    let store = attune::records::Store::open(&data.join("records.sqlite")).unwrap();
    attune::records::xapi::outbox::counts(&store).unwrap()
}

/// The ids of the attempts whose statements the store holds, one per attempt.
fn registrations(lrs: &FakeLrs) -> Vec<String> {
    let mut r: Vec<String> = lrs
        .stored()
        .iter()
        .map(|s| s["context"]["registration"].as_str().unwrap().to_string())
        .collect();
    r.sort();
    r.dedup();
    r
}

#[test]
fn an_attempt_played_before_a_store_was_configured_is_sent_once_one_is() {
    let data = data_dir("configured-later");
    play_recorded(&data, "7", Some("learner-4"));
    let lrs = FakeLrs::start();
    configure(&data, &lrs);
    let out = run(&data, &["sync"]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(
        stdout(&out).contains(&format!(
            "{PER_ATTEMPT} of {PER_ATTEMPT} delivered, 0 pending, 0 failed"
        )),
        "{}",
        stdout(&out)
    );
    let stored = lrs.stored();
    assert_eq!(stored.len(), PER_ATTEMPT);
    for s in &stored {
        validate(s).unwrap();
        assert_eq!(s["actor"]["account"]["name"], "learner-4");
    }
    // Sent once: another sync sends nothing.
    let requests = lrs.received().len();
    assert!(run(&data, &["sync"]).status.success());
    assert_eq!(lrs.received().len(), requests);
}

#[test]
fn finished_attempts_from_a_version_that_queued_nothing_are_queued_by_sync() {
    let data = data_dir("older-version");
    play_recorded(&data, "7", None);
    // As a version that queued only when a store was configured left it.
    rusqlite_open(&data)
        .execute("DELETE FROM outbox", [])
        .unwrap();
    assert!(
        status(&data).contains("1 finished attempt has no statements queued"),
        "{}",
        status(&data)
    );
    let lrs = FakeLrs::start();
    configure(&data, &lrs);
    let out = run(&data, &["sync"]);
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "queued {PER_ATTEMPT} statements of 1 finished attempt that had none"
        )),
        "{text}"
    );
    assert_eq!(lrs.stored().len(), PER_ATTEMPT);
}

fn rusqlite_open(data: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(data.join("records.sqlite")).unwrap()
}

fn write_config(data: &Path, endpoint: &str, home_page: &str) {
    std::fs::write(
        data.join("lrs.ron"),
        format!("(endpoint: \"{endpoint}\", key: \"{KEY}\", secret: \"{SECRET}\", home_page: \"{home_page}\")"),
    )
    .unwrap();
}

#[test]
fn a_broken_lrs_ron_fixed_later_sends_what_waited() {
    let data = data_dir("broken-config");
    let lrs = FakeLrs::start();
    write_config(&data, &lrs.endpoint(), "x{y}");
    let played = play_recorded(&data, "7", Some("learner-5"));
    let lrs_ron = data.join("lrs.ron").display().to_string();
    let said = format!("{lrs_ron}: home_page `x{{y}}` is not an absolute http:// or https:// IRI");
    assert!(stderr(&played).contains(&said), "{}", stderr(&played));
    // Nothing went to the store; the statements wait, pending and not failed.
    assert!(lrs.received().is_empty());
    let s = status(&data);
    assert!(
        s.contains(&said) && s.contains(&format!("{PER_ATTEMPT} pending, 0 delivered, 0 failed")),
        "{s}"
    );
    let out = run(&data, &["sync"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains(&said), "{}", stderr(&out));
    assert!(lrs.received().is_empty());

    write_config(&data, &lrs.endpoint(), "https://uni.example/students");
    let out = run(&data, &["sync"]);
    assert!(out.status.success(), "{}", stdout(&out));
    let stored = lrs.stored();
    assert_eq!(stored.len(), PER_ATTEMPT);
    assert!(
        stored
            .iter()
            .all(|s| s["actor"]["account"]["homePage"] == "https://uni.example/students")
    );
}

#[test]
fn home_page_values_that_are_not_iris_are_refused() {
    let data = data_dir("not-iris");
    for bad in ["x{y}", "a|b", "%zz", "http://[::1"] {
        write_config(&data, "https://lrs.example/xapi/", bad);
        let out = run(&data, &["sync"]);
        assert!(!out.status.success(), "{bad}");
        let text = stderr(&out);
        assert!(
            text.contains(&format!("lrs.ron: home_page `{bad}` ")),
            "{bad}: {text}"
        );
    }
}

#[test]
fn a_fixed_configuration_rebuilds_pending_statements() {
    let data = data_dir("rebuilt");
    let mut lrs = FakeLrs::start();
    write_config(&data, &lrs.endpoint(), "https://old.example");
    lrs.down();
    play_recorded(&data, "7", Some("learner-6"));
    assert_eq!(outbox(&data).pending, PER_ATTEMPT);
    // The home page and the activity ids change while the statements wait.
    write_config(&data, &lrs.endpoint(), "https://new.example/students");
    lrs.up();
    let out = run(&data, &["sync"]);
    assert!(out.status.success(), "{}", stdout(&out));
    let stored = lrs.stored();
    assert_eq!(stored.len(), PER_ATTEMPT);
    for s in &stored {
        validate(s).unwrap();
        assert_eq!(
            s["actor"]["account"]["homePage"],
            "https://new.example/students"
        );
        assert!(
            s["object"]["id"]
                .as_str()
                .unwrap()
                .starts_with("https://new.example/students/attune/scenarios/"),
            "{}",
            s["object"]["id"]
        );
        assert!(!s.to_string().contains("old.example"));
    }
}

#[test]
fn a_statement_failing_past_the_retry_limit_is_a_dead_letter_and_retry_failed_sends_it() {
    let data = data_dir("dead-letter");
    let lrs = FakeLrs::start();
    configure(&data, &lrs);
    lrs.set(Behaviour::FailAll);
    let played = play_recorded(&data, "7", Some("learner-7"));
    assert!(
        stderr(&played).contains("HTTP 500: failed for the test"),
        "{}",
        stderr(&played)
    );
    // A server error is tried again: one is counted for each statement.
    let s = status(&data);
    assert!(
        s.contains(&format!("{PER_ATTEMPT} pending, 0 delivered, 0 failed")),
        "{s}"
    );
    // Hours of the store failing on them, as the outbox would count it (the limit is 20).
    let db = rusqlite_open(&data);
    db.execute("UPDATE outbox SET server_errors = 19", [])
        .unwrap();
    drop(db);
    let out = run(&data, &["sync", "--wait", "0"]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(
        stdout(&out).contains(&format!("0 pending, {PER_ATTEMPT} failed")),
        "{}",
        stdout(&out)
    );
    let s = status(&data);
    let attempt = registration_of(&data);
    assert!(
        s.contains(&format!("0 pending, 0 delivered, {PER_ATTEMPT} failed")),
        "{s}"
    );
    assert!(
        s.contains(&format!(
            "  {PER_ATTEMPT} failed: gave up after 20 server errors: HTTP 500: failed for the test (attempt {attempt})"
        )),
        "{s}"
    );
    assert!(s.contains("`attune sync --retry-failed`"), "{s}");

    // Dead letters are not tried again by a plain sync, even with the store mended...
    lrs.set(Behaviour::Normal);
    let requests = lrs.received().len();
    assert!(run(&data, &["sync"]).status.success());
    assert_eq!(lrs.received().len(), requests);
    // ...only when asked.
    let out = run(&data, &["sync", "--retry-failed"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains(&format!("{PER_ATTEMPT} failed statements to be sent again")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{PER_ATTEMPT} of {PER_ATTEMPT} delivered, 0 pending, 0 failed"
        )),
        "{text}"
    );
    assert_eq!(lrs.stored().len(), PER_ATTEMPT);
    assert_eq!(registrations(&lrs), [attempt]);
}

/// The id of the only attempt in the data folder.
fn registration_of(data: &Path) -> String {
    rusqlite_open(data)
        .query_row("SELECT id FROM attempts", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_zero_turn_attempt_is_not_sent_as_completed() {
    let data = data_dir("zero-turns");
    let lrs = FakeLrs::start();
    configure(&data, &lrs);
    let script = data.join("nothing.ron");
    std::fs::write(&script, "[]").unwrap();
    let out = run(
        &data,
        &[
            "play",
            "scenarios/dan-mandated-anger.ron",
            "--seed",
            "7",
            "--script",
            &script.display().to_string(),
            "--record",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let stored = lrs.stored();
    let refs: Vec<&Value> = stored.iter().collect();
    assert_eq!(verbs_of(&refs), ["initialized", "terminated"]);
    for s in &stored {
        validate(s).unwrap();
    }
}

#[test]
fn credentials_over_plain_http_to_another_host_are_warned_about() {
    let data = data_dir("plain-http");
    // 0.0.0.0 is not a loopback address, and refuses at once here.
    write_config(&data, "http://0.0.0.0:9/xapi/", "https://uni.example");
    play_recorded(&data, "7", None);
    let warning =
        "warning: the learning record store's key and secret go to 0.0.0.0 over plain http://";
    let out = run(&data, &["sync", "--wait", "0"]);
    assert_eq!(stderr(&out).matches(warning).count(), 1, "{}", stderr(&out));
    assert!(status(&data).contains(warning));
    // Loopback: nothing to warn about.
    let lrs = FakeLrs::start();
    configure(&data, &lrs);
    let out = run(&data, &["sync"]);
    assert!(out.status.success());
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    assert!(!status(&data).contains("warning"));
}

#[test]
fn a_half_configured_store_is_an_error_that_names_what_is_missing() {
    let data = data_dir("half");
    let out = command(&data, &["sync"])
        .env("ATTUNE_LRS_ENDPOINT", "https://lrs.example/xapi")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("key, secret missing"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_validator_catches_what_it_checks() {
    let good: Value = serde_json::json!({
        "id": "5f0c9d7e-2b1a-4c3d-9e8f-0a1b2c3d4e5f",
        "actor": { "objectType": "Agent", "account": { "homePage": "https://uni.example", "name": "a" } },
        "verb": { "id": "http://adlnet.gov/expapi/verbs/answered", "display": { "en-US": "answered" } },
        "object": { "objectType": "Activity", "id": "https://uni.example/attune/scenarios/x/turns/1" },
        "result": { "score": { "scaled": 0.5, "raw": 50, "min": 0, "max": 100 } },
        "context": { "registration": "6f0c9d7e-2b1a-4c3d-9e8f-0a1b2c3d4e5f" },
        "timestamp": "2026-11-24T21:00:00Z",
    });
    validate(&good).unwrap();
    let broken: [(&str, Value); 8] = [
        ("/id", "not-a-uuid".into()),
        ("/actor/mbox", "mailto:a@uni.example".into()),
        ("/verb/display", serde_json::json!({})),
        ("/object/id", "no scheme".into()),
        ("/result/score/scaled", 1.5.into()),
        ("/result/score/raw", 101.into()),
        ("/timestamp", "yesterday".into()),
        ("/version", "2.0.0".into()),
    ];
    for (pointer, value) in broken {
        let mut s = good.clone();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        s.pointer_mut(parent).unwrap()[key] = value;
        assert!(validate(&s).is_err(), "{pointer} passed");
    }
    let mut defined = good.clone();
    defined["verb"]["id"] = "http://adlnet.gov/expapi/verbs/initialized".into();
    assert!(
        validate(&defined).is_err(),
        "a defined statement without the cmi5 category"
    );
}

#[test]
fn the_app_sends_a_pack_attempt_in_the_background_with_the_learner_and_class() {
    use crate::app::send;
    use crate::packs::{app_with, expert};
    use attune::model::Mode;
    use attune::ui::UiAction;
    let data = data_dir("app-pack");
    let lrs = FakeLrs::start();
    configure(&data, &lrs);
    let pack = data.join("pack.ron");
    std::fs::write(
        &pack,
        r#"AssessmentPack(id: "xapi-pack", title: "X", class_id: "PSY501-B", pass_mark: 60,
            scenarios: [(scenario: "dan-mandated-anger", seed: 7)])"#,
    )
    .unwrap();
    let mut app = app_with(&data.join("records.sqlite"));
    send(&mut app, UiAction::OpenPack(pack.display().to_string()));
    send(&mut app, UiAction::BeginSitting("s1234".into()));
    send(
        &mut app,
        UiAction::Start {
            mode: Mode::Assessment,
            seed: 1,
        },
    );
    for choice in expert("dan-mandated-anger") {
        send(&mut app, UiAction::Play(choice));
    }
    // Sent from a background thread while the app goes on.
    let start = std::time::Instant::now();
    while lrs.stored().len() < PER_ATTEMPT {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the statements arrive"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let stored = lrs.stored();
    assert_eq!(stored.len(), PER_ATTEMPT);
    for s in &stored {
        validate(s).unwrap();
        assert_eq!(
            s["actor"]["account"]["name"], "s1234",
            "the learner, as an account"
        );
    }
    let texts: Vec<String> = stored.iter().map(|s| s.to_string()).collect();
    assert!(
        texts.iter().all(|t| t.contains("PSY501-B")),
        "the class travels with each"
    );
    for r in lrs.received() {
        assert_eq!(r.header("x-experience-api-version"), Some("1.0.3"));
    }
}

#[test]
fn the_app_sends_each_turns_statement_as_it_is_played() {
    use crate::app::send;
    use crate::packs::{app_with, expert};
    use attune::model::Mode;
    use attune::ui::UiAction;
    let data = data_dir("app-turn-by-turn");
    let lrs = FakeLrs::start();
    configure(&data, &lrs);
    let mut app = app_with(&data.join("records.sqlite"));
    send(
        &mut app,
        UiAction::OpenBriefing("scenarios/dan-mandated-anger.ron".into()),
    );
    send(
        &mut app,
        UiAction::Start {
            mode: Mode::Practice,
            seed: 7,
        },
    );
    let wait_for = |n: usize| {
        let start = std::time::Instant::now();
        while lrs.stored().len() < n {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{n} statements arrive, {} did",
                lrs.stored().len()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    // Each turn reaches the store while the session goes on, not at its end.
    for (turn, choice) in expert("dan-mandated-anger").into_iter().take(3).enumerate() {
        send(&mut app, UiAction::Play(choice));
        wait_for(turn + 2);
        let stored = lrs.stored();
        let last = stored.last().unwrap();
        assert_eq!(last["verb"]["display"]["en-US"], "answered");
        assert!(
            last["object"]["id"]
                .as_str()
                .unwrap()
                .ends_with(&format!("/turns/{}", turn + 1)),
            "{last}"
        );
    }
    let stored = lrs.stored();
    assert_eq!(stored.len(), 4);
    assert_eq!(stored[0]["verb"]["display"]["en-US"], "initialized");
    for s in &stored {
        validate(s).unwrap();
    }
}
