//! Result files and verification by replay: an untouched result verifies; an edited
//! score, an edited choice and a result from a changed scenario are each rejected.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{attune, attune_command, root, stderr, stdout};

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("records-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Plays Dan's expert script from a private copy of his scenario and writes the result.
fn played(d: &Path) -> (PathBuf, PathBuf) {
    let library = d.join("scenarios");
    std::fs::create_dir_all(&library).unwrap();
    let scenario = library.join("dan-mandated-anger.ron");
    std::fs::copy(root().join("scenarios/dan-mandated-anger.ron"), &scenario).unwrap();
    let result = d.join("dan.json");
    let out = attune(&[
        "play",
        scenario.to_str().unwrap(),
        "--seed",
        "7",
        "--script",
        "tests/scripts/dan-expert.ron",
        "--result",
        result.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (library, result)
}

fn verify(library: &Path, results: &[&Path]) -> (bool, String) {
    let mut args = vec!["verify", "--scenarios", library.to_str().unwrap()];
    args.extend(results.iter().map(|p| p.to_str().unwrap()));
    let out = attune(&args);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The result edited as a forger with Attune's code would: the seal made afresh, so that
/// only the rules and the replay stand in the way.
fn edited(from: &Path, to: &Path, edit: impl Fn(&mut serde_json::Value)) {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(from).unwrap()).unwrap();
    edit(&mut v);
    v["seal"] = serde_json::json!(attune::records::seal::seal_of(&v));
    std::fs::write(to, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

#[test]
fn an_untouched_result_verifies_and_carries_what_replay_needs() {
    let d = dir("untouched");
    let (library, result) = played(&d);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&result).unwrap()).unwrap();
    assert_eq!(v["format"], "attune-result/2");
    assert_eq!(v["played"], "Script");
    assert!(uuid::Uuid::parse_str(v["attempt_id"].as_str().unwrap()).is_ok());
    assert!(attune::records::seal::holds(&v));
    assert!(
        v["scenario"]["content_hash"]
            .as_str()
            .unwrap()
            .starts_with("blake3:")
    );
    assert_eq!(v["seed"], 7);
    assert_eq!(v["choices"].as_array().unwrap().len(), 12);
    assert_eq!(v["turns"].as_array().unwrap().len(), 12);
    assert_eq!(v["summary"]["passed"], true);
    assert!(v["started_at"].as_str().unwrap().ends_with('Z'));
    let (ok, out) = verify(&library, &[&result]);
    assert!(ok, "{out}");
    assert!(out.contains("1 verified, 0 rejected"), "{out}");
}

#[test]
fn an_edited_score_is_rejected() {
    let d = dir("score");
    let (library, result) = played(&d);
    let forged = d.join("forged.json");
    edited(&result, &forged, |v| {
        v["summary"]["overall"] = serde_json::json!(95.0)
    });
    let (ok, out) = verify(&library, &[&result, &forged]);
    assert!(!ok);
    assert!(out.contains("REJECTED"), "{out}");
    assert!(out.contains("summary.overall: recorded 95.0"), "{out}");
    assert!(out.contains("2 results: 1 verified, 1 rejected"), "{out}");
    // The replay's figure reads as the app shows scores: one decimal, not 35.61480712890625.
    let line = out.lines().find(|l| l.contains("summary.overall")).unwrap();
    let replayed = line.rsplit("replay gives ").next().unwrap();
    assert!(
        replayed.split_once('.').is_some_and(|(_, d)| d.len() == 1),
        "{line}"
    );

    // A turn's fit edited on its own is caught too.
    edited(&result, &forged, |v| {
        v["turns"][2]["fit"] = serde_json::json!(99.0)
    });
    let (ok, out) = verify(&library, &[&forged]);
    assert!(!ok && out.contains("turns[2].fit: recorded 99.0"), "{out}");

    // Edited by hand, the seal gives it away before anything is replayed.
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&result).unwrap()).unwrap();
    v["summary"]["overall"] = serde_json::json!(95.0);
    std::fs::write(&forged, v.to_string()).unwrap();
    let (ok, out) = verify(&library, &[&forged]);
    assert!(
        !ok && out.contains("its seal does not match its contents"),
        "{out}"
    );
}

#[test]
fn an_edited_choice_is_rejected() {
    let d = dir("choice");
    let (library, result) = played(&d);
    let forged = d.join("forged.json");
    edited(&result, &forged, |v| {
        v["choices"][3]["technique"] = serde_json::json!("confrontation")
    });
    let (ok, out) = verify(&library, &[&forged]);
    assert!(!ok);
    assert!(
        out.contains(
            "turns[3].technique: recorded \"complex_reflection\", replay gives \"confrontation\""
        ),
        "{out}"
    );
}

#[test]
fn a_result_from_a_changed_scenario_is_rejected() {
    let d = dir("scenario");
    let (library, result) = played(&d);
    let file = library.join("dan-mandated-anger.ron");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("\"Dan Mercer\"", "\"Dan Merrick\"", 1)).unwrap();
    let (ok, out) = verify(&library, &[&result]);
    assert!(!ok);
    assert!(
        out.contains("scenario `dan-mandated-anger`")
            && out.contains("has changed since the attempt"),
        "{out}"
    );
}

#[test]
fn a_file_that_is_not_a_result_is_rejected_with_a_reason() {
    let d = dir("garbage");
    let (library, _) = played(&d);
    let junk = d.join("junk.json");
    std::fs::write(&junk, "{\"hello\": 1}").unwrap();
    let (ok, out) = verify(&library, &[&junk]);
    assert!(!ok);
    assert!(out.contains("not an Attune result file"), "{out}");
}

fn attune_with_data(data: &Path, args: &[&str]) -> Output {
    attune_command()
        .args(args)
        .env("ATTUNE_DATA_DIR", data)
        .output()
        .expect("runs attune")
}

/// Nothing is lost: a process killed in the middle of an attempt leaves every saved turn in
/// the database, and a new process resumes the attempt and finishes it with the same
/// result an uninterrupted attempt gives.
#[test]
fn a_killed_attempt_is_resumed_with_every_turn_intact() {
    let d = dir("kill");
    let data = d.join("data");
    let script = "tests/scripts/dan-expert.ron";
    let mut child = attune_command()
        .args([
            "play",
            "scenarios/dan-mandated-anger.ron",
            "--seed",
            "7",
            "--script",
            script,
            "--record",
            "--learner",
            "s1234",
            "--pace-ms",
            "150",
        ])
        .env("ATTUNE_DATA_DIR", &data)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it (SIGKILL: no chance to tidy up) once a few turns are saved.
    let db = data.join("records.sqlite");
    let start = std::time::Instant::now();
    let reached = loop {
        std::thread::sleep(std::time::Duration::from_millis(50));
        let n = rusqlite::Connection::open(&db)
            .ok()
            .and_then(|c| {
                c.query_row("SELECT COUNT(*) FROM turns", [], |r| r.get::<_, i64>(0))
                    .ok()
            })
            .unwrap_or(0);
        if n >= 4 {
            break true;
        }
        if start.elapsed().as_secs() >= 30 {
            break false;
        }
    };
    // Killed and reaped whether or not it got that far, so no child outlives the test.
    let _ = child.kill();
    let _ = child.wait();
    assert!(reached, "the attempt never saved four turns");
    let saved = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM turns", [], |r| r.get::<_, i64>(0))
        .unwrap();
    assert!(
        (4..12).contains(&saved),
        "killed part-way: {saved} turns saved"
    );

    // A new process lists the interrupted attempt with its saved turns.
    let list = attune_with_data(&data, &["resume"]);
    let listing = String::from_utf8_lossy(&list.stdout).into_owned();
    assert!(
        listing.contains("dan-mandated-anger")
            && listing.contains(&format!("{saved} turns saved"))
            && listing.contains(" UTC ")
            && listing.contains("learner s1234"),
        "{listing}"
    );
    let id = listing.split_whitespace().next().unwrap().to_string();

    // Resume and finish it from the same script.
    let resumed = attune_with_data(&data, &["resume", &id, "--script", script]);
    assert!(
        resumed.status.success(),
        "{}",
        String::from_utf8_lossy(&resumed.stderr)
    );
    assert!(
        String::from_utf8_lossy(&attune_with_data(&data, &["resume"]).stdout)
            .contains("no interrupted attempts")
    );

    // The finished attempt equals an uninterrupted one: export it and compare.
    let out = d.join("export");
    assert!(
        attune_with_data(&data, &["export", "--out", out.to_str().unwrap()])
            .status
            .success()
    );
    let files: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    let exported: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    let whole = d.join("whole.json");
    assert!(
        attune(&[
            "play",
            "scenarios/dan-mandated-anger.ron",
            "--seed",
            "7",
            "--script",
            script,
            "--result",
            whole.to_str().unwrap()
        ])
        .status
        .success()
    );
    let whole: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&whole).unwrap()).unwrap();
    assert_eq!(exported["turns"], whole["turns"], "every turn is intact");
    assert_eq!(exported["summary"], whole["summary"]);
    assert_eq!(exported["learner"], "s1234");
    // And the exported file verifies by replay.
    let (ok, report) = verify(&root().join("scenarios"), &[&files[0]]);
    assert!(ok, "{report}");
}

#[test]
fn export_writes_csv_tables_of_attempts_and_turns() {
    let d = dir("csv");
    let data = d.join("data");
    for seed in [1, 2] {
        let out = attune_with_data(
            &data,
            &[
                "play",
                "scenarios/tom-panic-exposure.ron",
                "--seed",
                &seed.to_string(),
                "--script",
                "tests/scripts/dan-expert.ron",
                "--record",
                "--learner",
                "Ana, \"A\"",
            ],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = d.join("csv-out");
    assert!(
        attune_with_data(
            &data,
            &["export", "--format", "csv", "--out", out.to_str().unwrap()]
        )
        .status
        .success()
    );
    let attempts = std::fs::read_to_string(out.join("attempts.csv")).unwrap();
    let turns = std::fs::read_to_string(out.join("turns.csv")).unwrap();
    assert_eq!(
        attempts.lines().count(),
        3,
        "a header and one row per attempt:\n{attempts}"
    );
    assert!(
        attempts
            .lines()
            .nth(1)
            .unwrap()
            .contains("tom-panic-exposure")
            && attempts.contains("\"Ana, \"\"A\"\"\""),
        "{attempts}"
    );
    // Tom's script runs 10 of its 12 choices (his turn limit is 10).
    assert_eq!(turns.lines().count(), 1 + 2 * 10, "{turns}");
}

/// The class report over a folder of result files: the page with its charts and tables,
/// the CSV tables, and the summary on the terminal.
#[test]
fn report_builds_a_self_contained_page_csv_tables_and_a_summary() {
    let d = dir("report");
    let results = d.join("results");
    std::fs::create_dir_all(&results).unwrap();
    for (i, (scenario, script)) in [
        ("dan-mandated-anger", "tests/scripts/dan-expert.ron"),
        ("tom-panic-exposure", "tests/scripts/dan-expert.ron"),
    ]
    .iter()
    .cycle()
    .take(6)
    .enumerate()
    {
        let out = attune(&[
            "play",
            &format!("scenarios/{scenario}.ron"),
            "--seed",
            &i.to_string(),
            "--script",
            script,
            "--result",
            results.join(format!("r{i}.json")).to_str().unwrap(),
        ]);
        assert!(out.status.success());
    }
    let out_dir = d.join("report");
    let out = attune(&[
        "report",
        results.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.starts_with("6 attempts by 0 learners"), "{summary}");
    assert!(
        summary.contains("Dan: sent by work after an outburst") && summary.contains("Tom:"),
        "clients by their titles: {summary}"
    );
    let html = std::fs::read_to_string(out_dir.join("report.html")).unwrap();
    for part in [
        "Gradebook",
        "Score distribution",
        "Pass rate by client",
        "Rubric breakdown",
        "difficulty and discrimination",
        "Most common misfits",
        "<svg",
        "6 attempts by 0 learners, from 6 result files in ",
    ] {
        assert!(html.contains(part), "the page has {part}");
    }
    assert!(
        !html.contains("http") && !html.contains(" src=") && !html.contains(" href="),
        "the page is self-contained: no link, no file or script from elsewhere"
    );
    // Plain words, not field names, ids or "(s)".
    for raw in [
        "fis.",
        "integration.",
        "alliance bond capacity",
        "dan-mandated-anger",
        "(s)",
    ] {
        assert!(!html.contains(raw), "the page shows `{raw}`");
    }
    assert!(html.contains("Alliance-bond capacity"));
    // Three attempts per client: discrimination cannot be worked out, and the page says why
    // instead of a column of dashes.
    assert!(
        html.contains("Discrimination (how well a decision separates")
            && html.contains("no turn here has more than 3 attempts"),
        "the empty column is explained"
    );
    assert!(!html.contains("<th scope=\"col\" class=\"n\">Discrimination</th>"));
    let gradebook = std::fs::read_to_string(out_dir.join("gradebook.csv")).unwrap();
    assert!(gradebook.starts_with("learner,scenario_id,scenario_title,"));
    // Attempts without a learner's name are one learner's: the best and the latest of
    // three per client (one row when they are the same attempt).
    let rows: Vec<&str> = gradebook.lines().skip(1).collect();
    assert!(
        (2..=4).contains(&rows.len())
            && rows
                .iter()
                .all(|r| r.starts_with("(no name given),") && r.contains(" of 3,")),
        "{gradebook}"
    );
    let decisions = std::fs::read_to_string(out_dir.join("decisions.csv")).unwrap();
    assert!(decisions.starts_with("scenario_id,turn,attempts,difficulty,discrimination\n"));
    assert_eq!(
        decisions
            .lines()
            .filter(|l| l.starts_with("dan-mandated-anger,"))
            .count(),
        12,
        "one row per turn of Dan's session"
    );
    assert!(
        std::fs::read_to_string(out_dir.join("scenarios.csv"))
            .unwrap()
            .lines()
            .count()
            == 3
    );
}

#[test]
fn the_records_know_each_scenarios_best_finished_score() {
    let d = dir("best");
    let data = d.join("data");
    for seed in [1, 2, 3] {
        assert!(
            attune_with_data(
                &data,
                &[
                    "play",
                    "scenarios/dan-mandated-anger.ron",
                    "--seed",
                    &seed.to_string(),
                    "--script",
                    "tests/scripts/dan-expert.ron",
                    "--record"
                ]
            )
            .status
            .success()
        );
    }
    let store = attune::records::Store::open(&data.join("records.sqlite")).unwrap();
    let best = store.best_scores().unwrap();
    let expected = crate::common::play(
        &crate::common::library("dan-mandated-anger"),
        1,
        &crate::app::dan_expert_script(),
    )
    .summary()
    .overall;
    assert!(
        (best["dan-mandated-anger"] - f64::from(expected)).abs() < 1e-3,
        "{best:?}"
    );
    assert_eq!(best.len(), 1);

    // One fitting move, then the session ended: a higher mean than the whole expert session,
    // but not a session played, so not "your best".
    let one_move = d.join("one-move.ron");
    std::fs::write(&one_move, "[(technique: \"complex_reflection\")]").unwrap();
    let out = attune_with_data(
        &data,
        &[
            "play",
            "scenarios/dan-mandated-anger.ron",
            "--seed",
            "1",
            "--script",
            &one_move.display().to_string(),
            "--record",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let store = attune::records::Store::open(&data.join("records.sqlite")).unwrap();
    let early = store
        .results()
        .unwrap()
        .iter()
        .filter_map(|r| r.summary["overall"].as_f64())
        .fold(f64::MIN, f64::max);
    assert!(
        early > f64::from(expected),
        "the one-move session scores above the expert's: {early} against {expected}"
    );
    let best = store.best_scores().unwrap();
    assert!(
        (best["dan-mandated-anger"] - f64::from(expected)).abs() < 1e-3,
        "a session ended early is not the best: {best:?}"
    );
    let own = store.best_scores_of(None).unwrap();
    assert!(
        (own["dan-mandated-anger"] - f64::from(expected)).abs() < 1e-3,
        "{own:?}"
    );
}

/// `report` and `verify` fail, saying what they looked for and where, when there is nothing
/// to read or a file is not a result; `report` then writes nothing.
#[test]
fn report_and_verify_fail_loudly_when_no_result_is_found_or_a_file_is_not_one() {
    let d = dir("nothing");
    let empty = d.join("empty");
    std::fs::create_dir_all(empty.join("learner-a")).unwrap();
    let out_dir = d.join("report");
    for args in [
        vec![
            "report",
            empty.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ],
        vec!["verify", empty.to_str().unwrap()],
    ] {
        let command = args[0];
        let out = attune(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{command} on an empty folder fails");
        assert!(
            err.contains(&format!("no result files in {}", empty.display()))
                && err.contains("`.json`")
                && err.contains("attune play --pack --result"),
            "{command}: {err}"
        );
    }
    assert!(!out_dir.exists(), "no empty report is written");

    // A scenario file given as a result.
    let out = attune(&[
        "report",
        "scenarios/dan-mandated-anger.ron",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("dan-mandated-anger.ron: not an Attune result file")
            && err.contains("looks like a scenario")
            && err.contains("no report was written"),
        "{err}"
    );
    assert!(!out_dir.exists());
    let out = attune(&["verify", "scenarios/dan-mandated-anger.ron"]);
    assert!(!out.status.success());
    assert!(stdout(&out).contains("REJECTED"), "{}", stdout(&out));

    // An empty records database.
    let data = d.join("data");
    let out = attune_with_data(&data, &["report", "--out", out_dir.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("no finished attempts in the records database"),
        "{err}"
    );
    assert!(!out_dir.exists());
}
