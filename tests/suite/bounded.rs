//! Bounded input and output (issue 13, findings 4 and 5): a file with thousands of problems
//! on one line gives a report of bounded size; devices and named pipes are refused by name
//! at once, wherever a file is read, and a named pipe in the scenarios folder hangs
//! nothing. Every command runs under a guard that kills it after 20 seconds, and what it
//! prints is captured only up to a cap (its full size is counted).

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::common::{attune_command, fixture_text, mkfifo, root};

/// What a test keeps of a command's output; the rest is counted, not kept.
const KEPT_BYTES: usize = 2 * 1024 * 1024;
/// How long a command may run before it counts as hung.
const HANG: Duration = Duration::from_secs(20);
/// The most a report may print, for any input.
const BOUND: usize = 1024 * 1024;

struct Ran {
    status: ExitStatus,
    stdout: String,
    stderr: String,
    /// Bytes written to stdout and stderr together, all of them.
    bytes: usize,
    took: Duration,
}

fn capture(mut from: impl Read + Send + 'static) -> JoinHandle<(Vec<u8>, usize)> {
    std::thread::spawn(move || {
        let (mut kept, mut total) = (Vec::new(), 0);
        let mut buf = vec![0u8; 64 * 1024];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 {
                break;
            }
            total += n;
            let room = KEPT_BYTES.saturating_sub(kept.len());
            kept.extend_from_slice(&buf[..n.min(room)]);
        }
        (kept, total)
    })
}

/// Runs `command`, failing the test if it is still running after `HANG`.
fn run_guarded(mut command: Command, what: &str) -> Ran {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("attune starts");
    let out = capture(child.stdout.take().unwrap());
    let err = capture(child.stderr.take().unwrap());
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > HANG {
            child.kill().ok();
            child.wait().ok();
            panic!("`{what}` was still running after {HANG:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = started.elapsed();
    let (out, out_bytes) = out.join().unwrap();
    let (err, err_bytes) = err.join().unwrap();
    eprintln!("{what}: {} bytes in {took:?}", out_bytes + err_bytes);
    Ran {
        status,
        stdout: String::from_utf8_lossy(&out).into_owned(),
        stderr: String::from_utf8_lossy(&err).into_owned(),
        bytes: out_bytes + err_bytes,
        took,
    }
}

fn attune(args: &[&str]) -> Ran {
    let mut command = attune_command();
    command.args(args);
    run_guarded(command, &format!("attune {}", args.join(" ")))
}

fn scratch(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("bounded-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The test fixture written on one line, with `n` responses that each name an unknown
/// technique: `n` problems on that one line.
fn one_line_scenario(n: usize) -> String {
    let fixture = fixture_text();
    let lines: Vec<&str> = fixture
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(str::trim)
        .collect();
    assert!(
        lines.iter().all(|l| !l.contains("//")),
        "comments would swallow the line"
    );
    let bad: String = (0..n)
        .map(|i| format!("(id:\"r{i}\",lines:[\"x\"],when:(techniques:[\"nope\"])),"))
        .collect();
    lines
        .join(" ")
        .replacen("responses: [", &format!("responses: [{bad}"), 1)
}

/// Found by issue 13: each problem printed its whole source line, so this 105 KB file of
/// one line with 2,000 problems made `attune check` write 314 MB, and a 2.1 MB one over
/// 10 GB before the disk filled.
#[test]
fn check_of_a_one_line_file_with_thousands_of_errors_prints_a_bounded_report() {
    let d = scratch("one-line");
    for (n, size) in [(2_000, "105 KB"), (40_000, "2.1 MB")] {
        let path = d.join(format!("one-line-{n}.ron"));
        std::fs::write(&path, one_line_scenario(n)).unwrap();
        let file = path.to_str().unwrap();
        let ran = attune(&["check", file]);
        assert_eq!(ran.status.code(), Some(1), "{}", ran.stderr);
        assert!(ran.bytes < BOUND, "{size}: {} bytes", ran.bytes);
        assert!(
            ran.stderr
                .contains(&format!("checked 1 file: {n} error(s)")),
            "{}",
            ran.stderr
        );
        assert_eq!(
            ran.stdout
                .matches("error: unknown technique `nope`")
                .count(),
            50
        );
        assert!(
            ran.stdout.contains(&format!(
                "{file}: {} more problems in this file are not shown ({} errors)",
                n - 50,
                n - 50
            )),
            "{}",
            &ran.stdout[ran.stdout.len() - 500..]
        );
        // Each source line cut to a window, the caret under the technique it names.
        let shown: Vec<&str> = ran
            .stdout
            .lines()
            .filter(|l| l.starts_with("1 | "))
            .collect();
        assert_eq!(shown.len(), 50);
        assert!(
            shown.iter().all(|l| l.chars().count() <= 110),
            "{}",
            shown[0]
        );
        let carets: Vec<&str> = ran.stdout.lines().filter(|l| l.contains('^')).collect();
        for (line, caret) in shown.iter().zip(&carets) {
            let at = caret.chars().position(|c| c == '^').unwrap();
            let under: String = line.chars().skip(at).take(6).collect();
            assert_eq!(under, "\"nope\"", "{line}\n{caret}");
        }
        // The same in JSON: a bounded list and a count of the rest.
        let ran = attune(&["check", "--format", "json", file]);
        assert!(ran.bytes < BOUND, "{size} as JSON: {} bytes", ran.bytes);
        let report: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
        assert_eq!(report["errors"], n);
        assert_eq!(report["diagnostics"].as_array().unwrap().len(), 50);
        assert_eq!(report["omitted"], n - 50);
        assert_eq!(report["omitted_by_file"][0]["file"], file);
        assert_eq!(report["omitted_by_file"][0]["count"], n - 50);
    }
    std::fs::remove_dir_all(&d).ok();
}

/// Found by issue 13: a pack naming one scenario 2,000 times on one line made
/// `attune check` write 266 MB, each "named twice" printing the whole line.
#[test]
fn a_pack_naming_one_scenario_2000_times_prints_a_bounded_report() {
    let d = scratch("pack");
    let items = "(scenario: \"dan-mandated-anger\", seed: 1), ".repeat(2_000);
    let pack = d.join("pack.ron");
    std::fs::write(
        &pack,
        format!(
            "AssessmentPack(id: \"p\", title: \"t\", class_id: \"c\", pass_mark: 60, scenarios: [{items}])\n"
        ),
    )
    .unwrap();
    let ran = attune(&["check", pack.to_str().unwrap()]);
    assert_eq!(ran.status.code(), Some(1));
    assert!(ran.bytes < BOUND, "{} bytes", ran.bytes);
    assert_eq!(
        ran.stdout
            .matches("`dan-mandated-anger` is named twice")
            .count(),
        50
    );
    assert!(
        ran.stdout
            .contains("1949 more problems in this file are not shown (1949 errors)"),
        "{}",
        ran.stdout
    );
    // Taking the pack reports it the same way.
    let script = root().join("tests/scripts/dan-expert.ron");
    let mut command = attune_command();
    command
        .env("ATTUNE_DATA_DIR", d.join("data"))
        .args(["play", "--pack", pack.to_str().unwrap(), "--learner", "Ann"])
        .args(["--script", script.to_str().unwrap()]);
    let ran = run_guarded(command, "attune play --pack (2,000 times)");
    assert!(!ran.status.success());
    assert!(ran.bytes < BOUND, "{} bytes", ran.bytes);
    assert!(ran.stderr.contains("1949 more problems"), "{}", ran.stderr);
    std::fs::remove_dir_all(&d).ok();
}

/// Found by issue 13: the size limit was checked from the file's metadata, which is 0 for a
/// device, so `attune check /dev/zero` read until memory ran out.
#[test]
fn check_of_dev_zero_is_refused_at_once() {
    let ran = attune(&["check", "/dev/zero"]);
    assert_eq!(ran.status.code(), Some(1));
    assert!(
        ran.stdout.contains(
            "/dev/zero:1:1: error: this is a character device, not a regular file, so it is not read"
        ),
        "{}",
        ran.stdout
    );
    eprintln!("refused in {:?}", ran.took);
}

/// Found by issue 13: `/dev/urandom` hung `check`; named as a result, it hung `verify`.
#[test]
fn dev_urandom_is_refused() {
    let ran = attune(&["check", "/dev/urandom"]);
    assert_eq!(ran.status.code(), Some(1));
    assert!(
        ran.stdout
            .contains("/dev/urandom:1:1: error: this is a character device"),
        "{}",
        ran.stdout
    );
    let ran = attune(&["verify", "/dev/urandom"]);
    assert!(!ran.status.success());
    assert!(
        ran.stdout
            .contains("REJECTED  /dev/urandom: this is a character device"),
        "{}",
        ran.stdout
    );
}

/// Found by issue 13: a named pipe in the scenarios folder hung `check`, `test`, `verify`
/// and `play --pack`, each waiting for a writer that never came. Now it is named and
/// refused, and everything else runs.
#[test]
fn a_fifo_in_the_scenarios_folder_does_not_hang_check_test_verify_or_play_pack() {
    let d = scratch("fifo");
    let lib = d.join("scenarios");
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::copy(
        root().join("scenarios/dan-mandated-anger.ron"),
        lib.join("dan-mandated-anger.ron"),
    )
    .unwrap();
    let pipe = lib.join("pipe.ron");
    mkfifo(&pipe);
    let refused = format!(
        "{}:1:1: error: this is a named pipe (FIFO), not a regular file",
        pipe.display()
    );
    let lib_arg = lib.to_str().unwrap();

    let ran = attune(&["check", lib_arg]);
    assert_eq!(ran.status.code(), Some(1));
    assert!(ran.stdout.contains(&refused), "{}", ran.stdout);
    assert!(
        ran.stderr.contains("checked 2 files: 1 error(s)"),
        "{}",
        ran.stderr
    );

    let ran = attune(&["test", lib_arg]);
    assert!(ran.stdout.contains(&refused), "{}", ran.stdout);
    assert!(
        ran.stdout.contains("1 file does not load"),
        "{}",
        ran.stdout
    );

    let pack = d.join("pack.ron");
    std::fs::write(
        &pack,
        "AssessmentPack(id: \"p\", title: \"t\", class_id: \"c\", pass_mark: 60, scenarios: [(scenario: \"dan-mandated-anger\", seed: 7)])",
    )
    .unwrap();
    let results = d.join("results");
    let script = root().join("tests/scripts/dan-expert.ron");
    let mut command = attune_command();
    command
        .env("ATTUNE_DATA_DIR", d.join("data"))
        .args([
            "--scenarios",
            lib_arg,
            "play",
            "--pack",
            pack.to_str().unwrap(),
        ])
        .args(["--learner", "Ann", "--script", script.to_str().unwrap()])
        .args(["--result", results.to_str().unwrap()]);
    let ran = run_guarded(command, "attune play --pack");
    assert!(ran.status.success(), "{}{}", ran.stdout, ran.stderr);

    let ran = attune(&["--scenarios", lib_arg, "verify", results.to_str().unwrap()]);
    assert!(ran.status.success(), "{}{}", ran.stdout, ran.stderr);
    assert!(
        ran.stdout.contains("1 result: 1 verified, 0 rejected"),
        "{}",
        ran.stdout
    );

    // Named as a result, the pipe is refused too.
    let ran = attune(&["--scenarios", lib_arg, "verify", pipe.to_str().unwrap()]);
    assert!(!ran.status.success());
    assert!(
        ran.stdout.contains("this is a named pipe (FIFO)"),
        "{}",
        ran.stdout
    );
    std::fs::remove_dir_all(&d).ok();
}

/// Found by issue 13: `lrs.ron` was read with no check of what it is; a named pipe there
/// would stop every command that sends or plays. Now it is refused by name.
#[test]
fn a_fifo_as_lrs_ron_is_refused_by_name() {
    let d = scratch("lrs");
    let data = d.join("data");
    std::fs::create_dir_all(&data).unwrap();
    mkfifo(&data.join("lrs.ron"));
    let named = format!(
        "{}: this is a named pipe (FIFO)",
        data.join("lrs.ron").display()
    );
    // Sending stops with the reason; the status shows it and carries on.
    let mut command = attune_command();
    command.env("ATTUNE_DATA_DIR", &data).args(["sync"]);
    let ran = run_guarded(command, "attune sync");
    assert!(!ran.status.success());
    assert!(ran.stderr.contains(&named), "{}", ran.stderr);
    let mut command = attune_command();
    command
        .env("ATTUNE_DATA_DIR", &data)
        .args(["sync", "--status"]);
    let ran = run_guarded(command, "attune sync --status");
    assert!(ran.stdout.contains(&named), "{}", ran.stdout);
    std::fs::remove_dir_all(&d).ok();
}
