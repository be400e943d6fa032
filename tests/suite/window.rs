//! End to end, as a person would use it: the real binary in a real window under Xvfb
//! (Mesa's software Vulkan), clicking through library, briefing, session and debrief from a
//! script of choices, saving a screenshot of each screen.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common;

/// Width, height and the share of pixels in the most common colour.
fn inspect_png(path: &Path) -> (u32, u32, f64, usize) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let channels = info.color_type.samples();
    let mut counts = std::collections::HashMap::new();
    for px in buf[..info.buffer_size()].chunks(channels) {
        *counts.entry(px[..3].to_vec()).or_insert(0usize) += 1;
    }
    let total = (info.width * info.height) as f64;
    let dominant = *counts.values().max().unwrap() as f64 / total;
    (info.width, info.height, dominant, counts.len())
}

#[test]
fn the_binary_plays_a_script_in_a_real_window_and_saves_screenshots_of_every_screen() {
    assert!(
        Command::new("xvfb-run").arg("--help").output().is_ok(),
        "this test needs Xvfb and Mesa's Vulkan driver: apt-get install xvfb xauth mesa-vulkan-drivers libxkbcommon-x11-0"
    );
    let out_dir =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("window-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).unwrap();
    let shot = out_dir.join("dan.png");
    let output = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x800x24"])
        .arg(env!("CARGO_BIN_EXE_attune"))
        .arg("play")
        .arg(common::root().join("scenarios/dan-mandated-anger.ron"))
        .args(["--seed", "7", "--script"])
        .arg(common::root().join("tests/scripts/dan-expert.ron"))
        .args(["--gui", "--screenshot"])
        .arg(&shot)
        .env("ATTUNE_CONFIG_DIR", &out_dir)
        .output()
        .expect("xvfb-run starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the app exited with {}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status
    );

    // The debrief shows the same result as the headless engine for this seed and script.
    let headless = common::play(
        &common::library("dan-mandated-anger"),
        7,
        &crate::app::dan_expert_script(),
    );
    let summary = headless.summary();
    let expected = format!(
        "played {} turns; overall {:.1} / 100; passed",
        headless.turns().len(),
        summary.overall
    );
    assert!(
        stdout.contains(&expected),
        "expected `{expected}` in:\n{stdout}"
    );

    for name in [
        "dan-library.png",
        "dan-briefing.png",
        "dan-session.png",
        "dan.png",
    ] {
        let (w, h, dominant, colours) = inspect_png(&out_dir.join(name));
        assert_eq!((w, h), (1280, 800), "{name} is the window's size");
        // A blank or black frame is one colour; a screen of text on a light background is
        // still mostly background (the library is about 91%).
        assert!(
            dominant < 0.97,
            "{name} is not blank: {:.0}% of it is one colour",
            dominant * 100.0
        );
        assert!(
            colours > 50,
            "{name} has text and drawing in it: only {colours} colours"
        );
    }
}

/// Turns saved so far in a records database, or 0 while it does not exist yet.
fn saved_turns(db: &Path) -> i64 {
    rusqlite::Connection::open(db)
        .ok()
        .and_then(|c| {
            c.query_row("SELECT COUNT(*) FROM turns", [], |r| r.get::<_, i64>(0))
                .ok()
        })
        .unwrap_or(0)
}

#[test]
fn the_app_killed_mid_session_is_resumed_by_a_new_app_with_every_turn_intact() {
    use std::os::unix::process::CommandExt;
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("window-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let data = dir.join("data");
    let db = data.join("records.sqlite");
    let script = common::root().join("tests/scripts/dan-expert.ron");
    let window = |args: &[&str]| {
        let mut c = Command::new("xvfb-run");
        c.args(["-a", "-s", "-screen 0 1280x800x24"])
            .arg(env!("CARGO_BIN_EXE_attune"))
            .args(args)
            .env("ATTUNE_DATA_DIR", &data)
            .env("ATTUNE_CONFIG_DIR", &dir)
            .current_dir(common::root());
        c
    };
    // The app plays Dan's expert script at a person's pace, saving each turn...
    let mut child = window(&[
        "play",
        "scenarios/dan-mandated-anger.ron",
        "--seed",
        "7",
        "--script",
        script.to_str().unwrap(),
        "--gui",
        "--record",
        "--pace-ms",
        "300",
    ])
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::null())
    .process_group(0)
    .spawn()
    .expect("xvfb-run starts");
    // ...and is killed outright (SIGKILL to the app, Xvfb and all) once four are saved.
    let start = std::time::Instant::now();
    while saved_turns(&db) < 4 {
        assert!(
            start.elapsed().as_secs() < 120,
            "the app never saved four turns"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
    child.wait().unwrap();
    let saved = saved_turns(&db);
    assert!((4..12).contains(&saved), "killed part-way: {saved} saved");

    // A new app process offers it, replays the saved turns and plays on.
    let store = attune::records::Store::open(&db).unwrap();
    let open = store.unfinished().unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].choices.len() as i64, saved);
    let output = window(&[
        "resume",
        &open[0].id,
        "--gui",
        "--script",
        script.to_str().unwrap(),
    ])
    .output()
    .expect("xvfb-run starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains(&format!("resumed with {saved} saved turns")),
        "{stdout}"
    );
    let headless = common::play(
        &common::library("dan-mandated-anger"),
        7,
        &crate::app::dan_expert_script(),
    );
    let expected = format!(
        "played {} turns; overall {:.1} / 100; passed",
        headless.turns().len(),
        headless.summary().overall
    );
    assert!(
        stdout.contains(&expected),
        "expected `{expected}` in:\n{stdout}"
    );

    // The sealed attempt is the uninterrupted one, turn for turn, and verifies.
    let results = store.results().unwrap();
    assert_eq!(results.len(), 1);
    assert!(store.unfinished().unwrap().is_empty());
    let (turns, _) = attune::records::result::outcome_values(&headless);
    let through_text: serde_json::Value = serde_json::from_str(&turns.to_string()).unwrap();
    assert_eq!(results[0].turns, through_text);
    let library = attune::records::HashedLibrary::scan(&common::library_files());
    assert_eq!(
        attune::records::verify_result(&results[0].to_json(), &library),
        attune::records::Verdict::Verified
    );
}
