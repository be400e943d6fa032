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

/// An X window dump (`xwd -root`) read as rows of RGB: width, height and a pixel reader.
struct Xwd {
    width: usize,
    height: usize,
    rgb: Vec<[u8; 3]>,
}

/// Reads the parts of the XWD format `xwd` writes for a 24-bit TrueColor screen: a
/// big-endian header, a colour map, then 32-bit pixels in the header's byte order.
fn read_xwd(bytes: &[u8]) -> Xwd {
    let field = |i: usize| u32::from_be_bytes(bytes[i * 4..i * 4 + 4].try_into().unwrap());
    let (header_size, width, height) = (field(0) as usize, field(4) as usize, field(5) as usize);
    let (little_endian, bits, bytes_per_line) = (field(7) == 0, field(11), field(12) as usize);
    let masks = [field(14), field(15), field(16)];
    let colours = field(19) as usize;
    assert_eq!(bits, 32, "a 24-bit screen is dumped at 32 bits a pixel");
    let data = &bytes[header_size + colours * 12..];
    let mut rgb = Vec::with_capacity(width * height);
    for y in 0..height {
        for x in 0..width {
            let at = y * bytes_per_line + x * 4;
            let raw: [u8; 4] = data[at..at + 4].try_into().unwrap();
            let pixel = if little_endian {
                u32::from_le_bytes(raw)
            } else {
                u32::from_be_bytes(raw)
            };
            rgb.push(masks.map(|m| ((pixel & m) >> m.trailing_zeros()) as u8));
        }
    }
    Xwd { width, height, rgb }
}

/// After the window is made larger, with no other input, the new area is drawn at once:
/// the app's light panels, not the dark clear colour of a frame laid out for the old size.
#[test]
fn a_resized_window_is_redrawn_at_once_without_input() {
    for tool in ["xvfb-run", "xdotool", "xwd"] {
        assert!(
            Command::new("which")
                .arg(tool)
                .output()
                .is_ok_and(|o| o.status.success()),
            "this test needs {tool}: bash scripts/setup-debian.sh installs it"
        );
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("window-resize-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let dump = dir.join("resized.xwd");
    // The app opens at 1280x800 in a 1600x1000 screen, is resized to 1500x950 once it has
    // drawn, and the screen is dumped a little later, with nothing else happening.
    let script = r#"
        "$ATTUNE" & app=$!
        window=$(xdotool search --sync --name 'Attune' | head -n 1)
        sleep 4
        xdotool windowsize "$window" 1500 950
        sleep 3
        xwd -root -silent > "$DUMP"
        kill "$app"
        wait "$app" || true
    "#;
    let output = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1600x1000x24", "bash", "-c", script])
        .env("ATTUNE", env!("CARGO_BIN_EXE_attune"))
        .env("DUMP", &dump)
        .env("ATTUNE_CONFIG_DIR", &dir)
        .env("ATTUNE_DATA_DIR", dir.join("data"))
        .current_dir(common::root())
        .output()
        .expect("xvfb-run starts");
    let bytes = std::fs::read(&dump).unwrap_or_else(|e| {
        panic!(
            "no screen dump ({e}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let screen = read_xwd(&bytes);
    assert_eq!((screen.width, screen.height), (1600, 1000));
    // The strip the resize added on the right, and the one at the bottom.
    let light = |x0: usize, x1: usize, y0: usize, y1: usize| {
        let mut light = 0;
        let mut all = 0;
        for y in y0..y1 {
            for x in x0..x1 {
                let [r, g, b] = screen.rgb[y * screen.width + x];
                all += 1;
                if r > 200 && g > 200 && b > 200 {
                    light += 1;
                }
            }
        }
        light as f64 / all as f64
    };
    let right = light(1300, 1490, 120, 940);
    let bottom = light(20, 1490, 820, 940);
    assert!(
        right > 0.8 && bottom > 0.8,
        "the area the resize added is not drawn: {:.0}% and {:.0}% of it is the app's background",
        right * 100.0,
        bottom * 100.0
    );
}
