//! The `attune` binary as an author or a script would run it.

use std::path::Path;
use std::process::Output;

use crate::common::{attune, fixture_text, root, stdout};

/// Writes `text` to a fresh temporary file and returns its path.
fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("attune-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// 1-based line and column of the first occurrence of `needle` in `text`.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in text"));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, col)
}

/// Checks a broken variant of the fixture and returns the single-line messages.
fn check_variant(name: &str, from: &str, to: &str) -> (Output, String, String) {
    let text = fixture_text().replacen(from, to, 1);
    assert_ne!(text, fixture_text(), "the substitution applies");
    let path = temp_file(name, &text);
    let out = attune(&["check", path.to_str().unwrap()]);
    (out, path.display().to_string(), text)
}

#[test]
fn check_passes_the_library() {
    let out = attune(&["check", "scenarios/"]);
    assert!(
        out.status.success(),
        "{}{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn check_reports_a_syntax_error_at_its_position() {
    let (out, path, text) = check_variant("syntax.ron", "age: 30,", "age: 30,,");
    assert_eq!(out.status.code(), Some(1));
    let (line, _) = position_of(&text, "age: 30,,");
    let msg = stdout(&out);
    assert!(msg.starts_with(&format!("{path}:{line}:")), "{msg}");
    assert!(msg.contains("error"), "{msg}");
}

#[test]
fn check_reports_an_unclosed_paren_without_panicking() {
    let text = fixture_text();
    let cut = &text[..text.rfind(')').unwrap()];
    let path = temp_file("unclosed.ron", cut);
    let out = attune(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains(&format!("{}:", path.display())),
        "{}",
        stdout(&out)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn check_names_an_unknown_technique_with_a_suggestion() {
    let (out, path, text) = check_variant(
        "unknown.ron",
        "tags: [\"risk_assessment\"]",
        "techniques: [\"complex_reflexion\"]",
    );
    assert_eq!(out.status.code(), Some(1));
    let (line, col) = position_of(&text, "\"complex_reflexion\"");
    let msg = stdout(&out);
    assert!(
        msg.contains(&format!(
            "{path}:{line}:{col}: error: unknown technique `complex_reflexion`"
        )),
        "{msg}"
    );
    assert!(msg.contains("did you mean `complex_reflection`?"), "{msg}");
}

#[test]
fn check_reports_an_out_of_range_trait_at_its_value() {
    let (out, path, text) = check_variant("range.ron", "reactance: 0.8", "reactance: 1.4");
    assert_eq!(out.status.code(), Some(1));
    let (line, col) = position_of(&text, "1.4");
    let msg = stdout(&out);
    assert!(
        msg.contains(&format!(
            "{path}:{line}:{col}: error: trait `reactance` is 1.4, out of range"
        )),
        "{msg}"
    );
}

#[test]
fn check_reports_a_missing_required_part_and_a_duplicate_id() {
    let (out, path, _) = check_variant("missing.ron", "        turn_limit: 6,\n", "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains(&format!("{path}:")) && stdout(&out).contains("turn_limit"),
        "{}",
        stdout(&out)
    );

    let (out, path, text) = check_variant("dup.ron", "id: \"heard\"", "id: \"marker\"");
    assert_eq!(out.status.code(), Some(1));
    let second = text.match_indices("id: \"marker\"").nth(1).unwrap().0;
    let line = text[..second].matches('\n').count() + 1;
    assert!(
        stdout(&out).contains(&format!("{path}:{line}:")) && stdout(&out).contains("used twice"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn check_reports_every_file_in_a_folder_and_a_missing_path() {
    let out = attune(&["check", "no/such/folder"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file or folder"));
    let binary = temp_file("binary.ron", "");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x41]).unwrap();
    let out = attune(&["check", binary.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("not UTF-8"), "{}", stdout(&out));
}

#[test]
fn techniques_json_lists_at_least_thirty_across_eight_schools() {
    let out = attune(&["techniques", "--json"]);
    assert!(out.status.success());
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(list.len() >= 30, "{} techniques", list.len());
    let mut schools: Vec<&str> = list
        .iter()
        .map(|t| t["school"].as_str().expect("school"))
        .collect();
    assert!(list.iter().all(|t| t["id"].is_string()));
    schools.sort();
    schools.dedup();
    assert!(schools.len() >= 8, "{schools:?}");
}

#[test]
fn play_json_has_turns_with_fit_and_lines_and_a_summary() {
    let script = temp_file(
        "script.ron",
        "[(technique: \"complex_reflection\"), (technique: \"open_question\", directiveness: AskPermission)]",
    );
    let fixture = root().join("tests/fixtures/minimal.ron");
    let out = attune(&[
        "play",
        fixture.to_str().unwrap(),
        "--seed",
        "4",
        "--script",
        script.to_str().unwrap(),
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let turns = v["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 2);
    for t in turns {
        let fit = t["fit"].as_f64().unwrap();
        assert!((0.0..=100.0).contains(&fit));
        assert!(!t["client_line"].as_str().unwrap().is_empty());
    }
    assert!(v["summary"]["overall"].is_number());
    assert!(v["summary"]["flags"].is_array());

    let text = attune(&[
        "play",
        fixture.to_str().unwrap(),
        "--script",
        script.to_str().unwrap(),
    ]);
    assert!(
        stdout(&text).contains("Turn 2: Open question (asking permission)"),
        "{}",
        stdout(&text)
    );
    assert!(stdout(&text).contains("Summary"));
}

#[test]
fn play_points_at_an_unknown_technique_in_the_script() {
    let script = temp_file(
        "bad-script.ron",
        "[\n  (technique: \"complex_reflection\"),\n  (technique: \"open_questoin\"),\n]",
    );
    let fixture = root().join("tests/fixtures/minimal.ron");
    let out = attune(&[
        "play",
        fixture.to_str().unwrap(),
        "--script",
        script.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "{}:3:15: error: unknown technique `open_questoin`",
            script.display()
        )),
        "{err}"
    );
    assert!(err.contains("did you mean `open_question`?"), "{err}");
}

#[test]
fn help_is_available_for_every_command() {
    for cmd in ["check", "techniques", "play", "test", "drill"] {
        let out = attune(&[cmd, "--help"]);
        assert!(out.status.success());
        assert!(!stdout(&out).is_empty());
    }
    assert!(Path::new(env!("CARGO_BIN_EXE_attune")).exists());
}

/// The README's first command plays Dan's expert path; the script must stay the same as
/// the scenario's own expert playthrough so the README shows a passing session.
#[test]
fn the_readme_play_command_shows_a_passing_session() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("cargo run --release -- play ") && !l.contains("--gui"))
        .expect("README has the play command");
    let args: Vec<&str> = line
        .trim_start_matches("cargo run --release -- ")
        .split_whitespace()
        .collect();
    let out = attune(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout(&out).contains(" - PASSED (pass mark"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn test_runs_every_playthrough_in_the_library_and_reports_them() {
    let out = attune(&["test", "scenarios"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("ok     scenarios/dan-mandated-anger.ron / expert"),
        "{stdout}"
    );
    assert!(
        stdout.lines().last().unwrap().contains(" passed, 0 failed"),
        "{stdout}"
    );
}

#[test]
fn test_names_the_expectation_that_failed_and_exits_non_zero() {
    let text =
        std::fs::read_to_string(crate::common::root().join("scenarios/dan-mandated-anger.ron"))
            .unwrap();
    // Claim that the novice path passes: the report must say it did not.
    let edited = text.replacen("expect: (passed: false", "expect: (passed: true", 1);
    assert_ne!(
        edited, text,
        "a failing path is expected as `passed: false`"
    );
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("dan-mandated-anger.ron");
    std::fs::write(&file, edited).unwrap();
    let out = attune(&["test", file.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    assert!(stdout.contains("FAILED"), "{stdout}");
    assert!(
        stdout.contains("expected the session to pass, but it failed with"),
        "{stdout}"
    );
}

/// Playthrough expectations reach inside the session: a wrong response id, too high a fit,
/// missing words, a flag not set and a stage not reached are each named with the turn.
#[test]
fn test_reports_each_unmet_turn_and_state_expectation() {
    let text =
        std::fs::read_to_string(crate::common::root().join("scenarios/maria-depression-risk.ron"))
            .unwrap();
    let edited = text
        .replacen("(turn: 5, response: \"risk-answer-after-cue\", fit: (min: 75.0)", "(turn: 5, response: \"open-middle\", fit: (min: 95.0), line_contains: \"purple elephants\"", 1)
        .replacen("state: (alliance: (min: 0.55), stage: Preparation),", "state: (alliance: (min: 0.55), stage: Maintenance),\n                flags: [\"never_set_anywhere\"],", 1);
    assert_ne!(edited, text);
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-expect-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("maria-depression-risk.ron");
    std::fs::write(&file, edited).unwrap();
    let out = attune(&["test", file.to_str().unwrap()]);
    let text = stdout(&out);
    assert!(!out.status.success());
    for expected in [
        "turn 5: expected response `open-middle` to answer, but `risk-answer-after-cue` did",
        "turn 5 (suicide_risk_assessment): expected a fit in 95..100, got",
        "turn 5: expected the client to say \"purple elephants\"",
        "expected the client to end in maintenance, but they are in preparation",
        "expected flag `never_set_anywhere` to be set at the end",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
}

#[test]
fn check_names_an_unknown_turn_event_kind_with_a_suggestion() {
    let text =
        std::fs::read_to_string(crate::common::root().join("scenarios/maria-depression-risk.ron"))
            .unwrap();
    let edited = text.replacen(
        "happens: [\"RiskAssessed\"]",
        "happens: [\"RiskAssesed\"]",
        1,
    );
    let path = temp_file("maria-kind.ron", &edited);
    let out = attune(&["check", path.to_str().unwrap()]);
    let err = stdout(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("`RiskAssesed` is not something that happens on a turn"),
        "{err}"
    );
    assert!(err.contains("did you mean `RiskAssessed`?"), "{err}");
}

/// The template with each `from` replaced once by its `to`, in a fresh file.
fn template_variant(name: &str, changes: &[(&str, &str)]) -> std::path::PathBuf {
    let mut text = std::fs::read_to_string(root().join("assets/template.ron")).unwrap();
    for (from, to) in changes {
        assert_eq!(text.matches(from).count(), 1, "`{from}` occurs once");
        text = text.replacen(from, to, 1);
    }
    temp_file(name, &text)
}

#[test]
fn test_says_how_a_session_ended_in_words() {
    let path = template_variant(
        "endings.ron",
        &[
            (
                "end: TurnLimit, safety_failures: []",
                "end: Dropout, safety_failures: []",
            ),
            (
                "score: (max: 60.0), end: Dropout",
                "score: (max: 60.0), end: Crisis",
            ),
            (
                "safety_failures: [RiskNotAssessed]",
                "safety_failures: [ArousalWhileAtRisk]",
            ),
        ],
    );
    let out = attune(&["test", path.to_str().unwrap()]);
    let text = stdout(&out);
    assert!(!out.status.success(), "{text}");
    for expected in [
        "the playthrough expected the session to end early by dropout (the client leaving), but it did not end early: it ran to its turn limit",
        "the playthrough expected the session to end early in a crisis (risk rising unmanaged), but it ended early by dropout (the client left)",
        "expected the safety gate \"no arousal-raising work while at risk\" to fail, but it held",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    for engine_word in ["None", "Some(", "ArousalWhileAtRisk", "Dropout"] {
        assert!(
            !text.contains(engine_word),
            "`{engine_word}` is engine talk:\n{text}"
        );
    }
}

#[test]
fn analyze_says_why_a_line_was_never_reached() {
    // A less reactant Gareth pulls away rather than pushing back: his confrontation line
    // can never be said.
    let path = template_variant(
        "withdrawing.ron",
        &[
            ("reactance: 0.65,", "reactance: 0.4,"),
            ("externalizing: 0.6,", "externalizing: 0.3,"),
        ],
    );
    let out = attune(&[
        "analyze",
        path.to_str().unwrap(),
        "--random",
        "200",
        "--beam-width",
        "4",
    ]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("response `pushback`: it needs a Confrontation rupture, but with reactance 0.4 and externalizing 0.3 this client's ruptures open as Withdrawal"),
        "{text}"
    );
    let out = attune(&[
        "analyze",
        path.to_str().unwrap(),
        "--random",
        "200",
        "--beam-width",
        "4",
        "--json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let why = &json["coverage"]["never_reached_why"]["responses"]["pushback"];
    assert!(
        why[0]
            .as_str()
            .unwrap()
            .contains("ruptures open as Withdrawal"),
        "{why}"
    );
}
