//! The library in a real window under Xvfb, as a person opening the app waits for it: the
//! first frame comes before the library has been read, and a library that takes seconds to
//! read is drawn complete without anyone touching the window (a reactive window is woken by
//! nothing when a file has loaded).

use std::path::PathBuf;
use std::process::Command;

use crate::common;

// The libraries the library bench measures, made by the same generator.
#[path = "../../benches/library/generate.rs"]
mod generate;

/// The probe's time (seconds since 1970) for `what`, if it printed one.
fn probe_time(log: &str, what: &str) -> Option<f64> {
    log.lines()
        .find_map(|l| l.strip_prefix(what)?.trim().parse().ok())
}

#[test]
fn a_large_library_fills_the_window_without_input_after_a_first_frame_that_does_not_wait() {
    assert!(
        Command::new("xvfb-run").arg("--help").output().is_ok(),
        "this test needs Xvfb and Mesa's Vulkan driver: bash scripts/setup-debian.sh installs them"
    );
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("library-window-{}", std::process::id()));
    let scenarios = dir.join("scenarios");
    let files = generate::write_library(&scenarios, 100).len();
    let log = dir.join("probe.log");
    // The app is left alone until its probe says the library is on screen, or 45 s pass
    // (an unfocused window left idle would next wake after 60 s).
    let script = r#"
        "$ATTUNE" --scenarios "$SCENARIOS" </dev/null >"$LOG" 2>&1 & app=$!
        for _ in $(seq 900); do
            grep -q '^library-filled ' "$LOG" && grep -q '^first-frame ' "$LOG" && break
            sleep 0.05
        done
        kill "$app"
        wait "$app" || true
    "#;
    let output = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x800x24", "bash", "-c", script])
        .env("ATTUNE", env!("CARGO_BIN_EXE_attune"))
        .env("SCENARIOS", &scenarios)
        .env("LOG", &log)
        .env(attune::app::probe::ENV, "1")
        .env("ATTUNE_CONFIG_DIR", &dir)
        .env("ATTUNE_DATA_DIR", dir.join("data"))
        .current_dir(common::root())
        .output()
        .expect("xvfb-run starts");
    let printed = std::fs::read_to_string(&log).unwrap_or_default();
    let context = || format!("{printed}\n{}", String::from_utf8_lossy(&output.stderr));
    let first = probe_time(&printed, "first-frame")
        .unwrap_or_else(|| panic!("no first frame:\n{}", context()));
    let filled = probe_time(&printed, "library-filled").unwrap_or_else(|| {
        panic!(
            "the window did not show all {files} files within 45 s:\n{}",
            context()
        )
    });
    assert!(
        first < filled,
        "the first frame ({first}) waited for the library ({filled})"
    );
}
