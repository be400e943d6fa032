//! Hostile input: mutated scenarios, token soup and random bytes through the checker
//! (a short sweep here; `examples/fuzz_scenarios.rs` runs a million), and the limits on
//! file size and nesting depth.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use attune::fuzz::{
    CheckPath, Checked, FindingKind, Input, Mutator, Outcome, Readers, RunConfig, Seed, load_seeds,
    run, run_with,
};
use attune::model::Catalogue;
use attune::scenario::{load_scenario, parse_scenario, parse_script};
use attune::source::{MAX_NESTING, MAX_SOURCE_BYTES};

use crate::common::root;

/// Set in the child process that runs the sweep, so its memory is its own.
const CHILD: &str = "ATTUNE_FUZZ_CHILD";
const SWEEP: &str = "robustness::twenty_thousand_hostile_inputs_neither_panic_nor_hang_nor_grow";

fn findings_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz_findings")
}

fn known_techniques(catalogue: &Catalogue) -> Vec<&str> {
    catalogue.techniques.iter().map(|t| t.id.as_str()).collect()
}

#[test]
fn twenty_thousand_hostile_inputs_neither_panic_nor_hang_nor_grow() {
    // Peak memory is per process, and the other tests share this one; so the sweep runs
    // alone in a child process (this same test binary, asked for this one test).
    if std::env::var_os(CHILD).is_none() {
        let mut child = Command::new(std::env::current_exe().expect("the test binary"))
            .args([SWEEP, "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD, "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the sweep starts in a child process");
        let started = Instant::now();
        while child
            .try_wait()
            .expect("the child can be waited on")
            .is_none()
        {
            if started.elapsed() > Duration::from_secs(600) {
                child.kill().ok();
                panic!("the sweep ran for over ten minutes");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let out = child.wait_with_output().expect("the child's output");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "the sweep failed:\n{text}");
        assert!(text.contains("1 passed"), "the sweep did not run:\n{text}");
        // Shows the figures with `--nocapture`.
        println!("{text}");
        return;
    }

    let seeds = load_seeds(&root()).expect("the seed files");
    // Inputs start from the small files (the fixture, the scripts) so that 20,000 fit in
    // a few seconds without optimisation; the library files still donate their values.
    let mutator = Mutator::new(seeds, 0).with_bases_under(16 * 1024);
    let check = CheckPath::new();
    let mut config = RunConfig::new(20_000, findings_dir());
    // Generous: this is an unoptimised build on a shared machine. A quadratic path in a
    // mutated file takes seconds, which is what this is here to catch.
    config.budget = Duration::from_millis(1500);
    config.hang_limit = Duration::from_secs(60);
    let report = run(&mutator, &check, &config, |_| {});
    println!("{report}");

    assert_eq!(report.done, 20_000);
    assert!(report.findings.is_empty(), "{report}");
    // The sweep reaches every stage of both readers, not only the syntax check.
    for outcome in [
        Outcome::NotText,
        Outcome::SyntaxError,
        Outcome::Rejected,
        Outcome::Ready,
    ] {
        assert!(
            report.scenarios(outcome) > 20,
            "too few scenarios ended as `{}`:\n{report}",
            outcome.name()
        );
        assert!(
            report.scripts(outcome) > 20,
            "too few scripts ended as `{}`:\n{report}",
            outcome.name()
        );
    }
    assert!(
        report.largest_input > MAX_SOURCE_BYTES,
        "the size limit was never tried:\n{report}"
    );
    if let Some(growth) = report.peak_growth_kb() {
        assert!(
            growth < 128 * 1024,
            "peak memory grew by {growth} KiB:\n{report}"
        );
    }
}

#[test]
fn the_mutator_is_deterministic_and_varied() {
    let seeds = load_seeds(&root()).expect("the seed files");
    let mutator = Mutator::new(seeds, 0);
    let first: Vec<Vec<u8>> = (0..200).map(|n| mutator.input(n).bytes).collect();
    let again: Vec<Vec<u8>> = (0..200).map(|n| mutator.input(n).bytes).collect();
    assert_eq!(first, again);
    let mut distinct = first.clone();
    distinct.sort();
    distinct.dedup();
    assert!(
        distinct.len() > 190,
        "only {} distinct inputs in 200",
        distinct.len()
    );
    // The first inputs are the seed files as they are.
    assert_eq!(first[0], mutator.seeds()[0].text.as_bytes());
}

/// The runner itself: a panic is caught and reported with its message, a slow input and
/// a misplaced diagnostic are reported, and each offending input is written out as it was.
#[test]
fn the_runner_reports_panics_slow_inputs_and_bad_diagnostics_with_their_input() {
    let mutator = Mutator::new(vec![Seed::new("tiny.ron", "[(technique: \"x\")]")], 0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz_runner_test");
    let _ = std::fs::remove_dir_all(&dir);
    let mut config = RunConfig::new(40, &dir);
    // Well above what an ordinary input costs on a loaded machine (a caught panic with a
    // backtrace can take over 100 ms), well below the deliberately slow one.
    config.budget = Duration::from_millis(1000);
    let ready = Checked {
        scenario: Some(Outcome::Ready),
        script: None,
    };
    let misbehave = |input: &Input| match input.index {
        7 => panic!("boom on input 7"),
        9 => {
            std::thread::sleep(Duration::from_millis(1500));
            Ok(ready)
        }
        11 => Err("a diagnostic points nowhere".to_string()),
        _ => Ok(ready),
    };
    let report = run_with(&mutator, &misbehave, &config, |_| {});
    assert_eq!(report.done, 40);
    assert_eq!(report.scenarios(Outcome::Ready), 38);
    assert_eq!(report.slowest.as_ref().map(|s| s.index), Some(9));
    let found: Vec<(u64, &FindingKind)> =
        report.findings.iter().map(|f| (f.index, &f.kind)).collect();
    assert_eq!(found.len(), 3, "{report}");
    assert!(
        matches!(found[0], (7, FindingKind::Panic(m)) if m.contains("boom on input 7")),
        "{report}"
    );
    assert!(
        matches!(found[1], (9, FindingKind::OverBudget(t)) if *t >= Duration::from_millis(1500)),
        "{report}"
    );
    assert!(
        matches!(found[2], (11, FindingKind::BadDiagnostic(_))),
        "{report}"
    );
    for finding in &report.findings {
        let file = finding.file.as_ref().expect("written out");
        assert_eq!(
            std::fs::read(file).unwrap(),
            mutator.input(finding.index).bytes
        );
    }
    let note = std::fs::read_to_string(dir.join("panic-7.txt")).unwrap();
    assert!(
        note.contains("boom on input 7") && note.contains("input #7"),
        "{note}"
    );
}

/// 100,000 open brackets of each kind are refused at the one that goes past the limit,
/// with a message naming the limit, before the RON reader (which recurses) sees them.
#[test]
fn a_hundred_thousand_open_brackets_are_refused_with_the_limit_named() {
    let catalogue = Catalogue::builtin();
    for open in ["(", "[", "{", "Some(", "(a:"] {
        for close in ["", ")"] {
            let text = format!("{}{}", open.repeat(100_000), close.repeat(100_000));
            let errors = parse_scenario("deep.ron", &text, &catalogue)
                .map(|_| ())
                .unwrap_err();
            assert_eq!(errors.len(), 1, "{errors:?}");
            let shown = errors[0].to_string();
            let col = open.len() * MAX_NESTING + 1;
            assert_eq!(
                shown,
                format!(
                    "deep.ron:1:{col}: error: syntax error: values are nested too deeply: the limit is {MAX_NESTING} levels of brackets"
                ),
                "for `{open}`"
            );
            let errors =
                parse_script("deep.ron", &text, &known_techniques(&catalogue)).unwrap_err();
            assert!(errors[0].message.contains("the limit is 128"), "{errors:?}");
        }
    }
}

/// Nesting right at the limit gets past the positioned parser to the RON reader, on a
/// thread with half the usual stack, without optimisation (about 7 KiB a level); one
/// level more is refused.
#[test]
fn nesting_at_the_limit_fits_in_half_a_usual_stack() {
    let messages = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(|| {
            let catalogue = Catalogue::builtin();
            let known = known_techniques(&catalogue);
            let mut messages = Vec::new();
            for (open, close) in [
                ("[", "]"),
                ("(", ")"),
                ("{", "}"),
                ("Some(", ")"),
                ("(a:", ")"),
            ] {
                for depth in [MAX_NESTING, MAX_NESTING + 1] {
                    // The innermost level is an empty list, since `(a:` needs a value.
                    let text = format!("{}[]{}", open.repeat(depth - 1), close.repeat(depth - 1));
                    let script = parse_script("deep.ron", &text, &known).unwrap_err();
                    let scenario = parse_scenario("deep.ron", &text, &catalogue)
                        .map(|_| ())
                        .unwrap_err();
                    messages.push((
                        open,
                        depth,
                        script[0].message.clone(),
                        scenario[0].message.clone(),
                    ));
                }
            }
            messages
        })
        .unwrap()
        .join()
        .expect("no stack overflow");
    for (open, depth, script, scenario) in messages {
        for message in [script, scenario] {
            assert_eq!(
                message.contains("nested too deeply"),
                depth > MAX_NESTING,
                "{depth} `{open}`: {message}"
            );
        }
    }
}

#[test]
fn a_file_over_the_size_limit_is_refused_with_its_size_and_the_limit() {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("too-large.ron");
    std::fs::write(&path, vec![b' '; MAX_SOURCE_BYTES + 1]).unwrap();
    let errors = load_scenario(&path, &Catalogue::builtin())
        .map(|_| ())
        .unwrap_err();
    let shown = errors[0].to_string();
    assert_eq!(
        shown,
        format!(
            "{}:1:1: error: the file is {} bytes; the limit is {MAX_SOURCE_BYTES}",
            path.display(),
            MAX_SOURCE_BYTES + 1
        )
    );
    std::fs::remove_file(&path).ok();
}

/// Found by the sweep: an unknown technique id hundreds of kilobytes long made the
/// "did you mean" search compare it with every technique by edit distance, which took
/// seconds and a matrix of gigabytes. Now words too long to be near are skipped.
#[test]
fn a_huge_unknown_technique_id_is_reported_at_once() {
    let catalogue = Catalogue::builtin();
    let known = known_techniques(&catalogue);
    let id = format!(
        "decisi{}{}onal_balance",
        "[".repeat(500_000),
        "]".repeat(500_000)
    );
    let text = format!("[(technique: \"{id}\")]");
    let started = Instant::now();
    let errors = parse_script("long.ron", &text, &known).unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!((errors[0].line, errors[0].col), (1, 14));
    assert_eq!(errors[0].help, None);
    // A real typo still gets its suggestion.
    let errors =
        parse_script("typo.ron", "[(technique: \"decisional_balanse\")]", &known).unwrap_err();
    assert_eq!(
        errors[0].help.as_deref(),
        Some("did you mean `decisional_balance`?")
    );
}

/// The checker itself, on a few inputs that must land where expected.
#[test]
fn the_check_path_sorts_inputs_by_how_far_they_get() {
    let check = CheckPath::new();
    let both = |scenario, script| {
        Ok(Checked {
            scenario: Some(scenario),
            script: Some(script),
        })
    };
    let fixture = std::fs::read(root().join("tests/fixtures/minimal.ron")).unwrap();
    assert_eq!(
        check.check(&fixture, Readers::Both),
        both(Outcome::Ready, Outcome::Rejected)
    );
    let script = std::fs::read(root().join("tests/scripts/dan-expert.ron")).unwrap();
    assert_eq!(
        check.check(&script, Readers::Both),
        both(Outcome::Rejected, Outcome::Ready)
    );
    assert_eq!(
        check.check(&[0xff, 0xfe], Readers::Both),
        both(Outcome::NotText, Outcome::NotText)
    );
    assert_eq!(
        check.check(b"[(((", Readers::Both),
        both(Outcome::SyntaxError, Outcome::SyntaxError)
    );
    assert_eq!(
        check.check(b"(format_version: 1)", Readers::Scenario),
        Ok(Checked {
            scenario: Some(Outcome::Rejected),
            script: None
        })
    );
}

/// Found by the sweep: the positioned parser looked back to the start of the line for
/// every item (to explain unclosed brackets by indentation), so a long line of items was
/// quadratic; a 1 MB one-line list took ten seconds even optimised. Files written on one
/// line, or joined by a tool, must read in time proportional to their size.
#[test]
fn a_long_one_line_list_is_read_in_linear_time() {
    let catalogue = Catalogue::builtin();
    let one_line = format!("[{}]", vec!["0"; 500_000].join(","));
    let indented = format!("{}[\n{}]", " ".repeat(500_000), "0,\n".repeat(200_000));
    let after_a_long_line = format!("[{}[\n{}]]", "0,".repeat(250_000), "0,\n".repeat(200_000));
    for text in [one_line, indented, after_a_long_line] {
        let started = Instant::now();
        let errors = parse_scenario("long.ron", &text, &catalogue)
            .map(|_| ())
            .unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "took {:?}",
            started.elapsed()
        );
        // Read to the end: the complaint is the shape, not the syntax.
        assert!(!errors[0].message.starts_with("syntax error"), "{errors:?}");
    }
}

/// Found by the sweep: `attune check` looked for each diagnostic's source line from the
/// top of the file, so thousands of problems in a long file were quadratic (60,000 bad
/// responses in a 3 MB file: about half a minute). Now each file is split into lines once.
/// All of them are found and counted; the first 50 are shown (issue 13).
#[test]
fn attune_check_finds_tens_of_thousands_of_problems_in_linear_time() {
    let bad = "(id: \"r\", lines: [\"x\"], when: (techniques: [\"nope\"])),\n".repeat(60_000);
    let text =
        crate::common::fixture_text().replacen("responses: [", &format!("responses: [\n{bad}"), 1);
    assert!(text.len() < MAX_SOURCE_BYTES);
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("many-problems.ron");
    std::fs::write(&path, text).unwrap();
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_attune"))
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    let took = started.elapsed();
    std::fs::remove_file(&path).ok();
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Each bad response names an unknown technique, and all but the first reuse an id.
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("119999 error(s)"),
        "{out:?}"
    );
    assert_eq!(stdout.matches(": error: ").count(), 50);
    assert!(
        stdout.contains("119949 more problems in this file are not shown (119949 errors)"),
        "{}",
        &stdout[stdout.len().saturating_sub(2000)..]
    );
    // Each with its source line and caret.
    assert!(
        stdout.contains("when: (techniques: [\"nope\"])),\n"),
        "{}",
        &stdout[..2000]
    );
    // Generous for a loaded two-core machine; the quadratic version took minutes in a debug build.
    assert!(took < Duration::from_secs(30), "took {took:?}");
}
