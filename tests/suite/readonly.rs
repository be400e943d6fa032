//! The records read without writing and kept private: `resume`, `export`, `report` and
//! `sync --status` on a read-only mount and a full disk (each run in a user and mount
//! namespace, since the tests run as root, whom file modes do not stop), with the folder
//! hashed before and after; result files written whole or not at all; folders 0700 and
//! files 0600; learners' names checked where they are typed and printed safely where they
//! are stored; and every CSV cell kept as text when it looks like a formula.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{attune_command, root, stderr, stdout};

const DAN: &str = "scenarios/dan-mandated-anger.ron";
const SCRIPT: &str = "tests/scripts/dan-expert.ron";

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("readonly-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn with_data(data: &Path, args: &[&str]) -> Output {
    attune_command()
        .args(args)
        .env("ATTUNE_DATA_DIR", data)
        .output()
        .expect("runs attune")
}

fn succeeded(o: &Output) -> &Output {
    assert!(o.status.success(), "{}{}", stdout(o), stderr(o));
    o
}

/// Dan's expert path recorded and finished under `learner`.
fn record_finished(data: &Path, learner: &str) {
    succeeded(&with_data(
        data,
        &[
            "play",
            DAN,
            "--seed",
            "7",
            "--script",
            SCRIPT,
            "--record",
            "--learner",
            learner,
        ],
    ));
}

/// An attempt killed (SIGKILL) after a few turns, so its turns are still in the -wal.
fn record_killed(data: &Path, learner: &str) {
    let db = data.join("records.sqlite");
    let mut child = attune_command()
        .args([
            "play",
            DAN,
            "--seed",
            "3",
            "--script",
            SCRIPT,
            "--record",
            "--learner",
            learner,
            "--pace-ms",
            "150",
        ])
        .env("ATTUNE_DATA_DIR", data)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    let timed_out = loop {
        std::thread::sleep(std::time::Duration::from_millis(50));
        // Read through the recording process's -shm, so that closing this connection
        // cannot checkpoint the -wal into the main file.
        let uri = format!("file:{}?mode=ro&readonly_shm=1", db.display());
        let saved = rusqlite::Connection::open_with_flags(
            uri,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI,
        )
        .and_then(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM turns JOIN attempts ON attempts.id = attempt_id WHERE learner = ?1",
                [learner],
                |r| r.get::<_, i64>(0),
            )
        })
        .unwrap_or(0);
        let timed_out = start.elapsed().as_secs() >= 60;
        if saved >= 3 || timed_out {
            break timed_out;
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    assert!(!timed_out, "never saved three turns");
}

/// Every file in a folder (not below it) with a hash of its bytes: what "nothing changed"
/// compares.
fn snapshot(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, blake3::hash(&std::fs::read(&p).unwrap()).to_string())
        })
        .collect();
    files.sort();
    files
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
}

/// Runs a shell script in a new user and mount namespace, as the root of that namespace:
/// it can mount, and its mounts vanish with it. `$ATTUNE` is the binary.
fn in_namespace(script: &str, args: &[&Path]) -> Output {
    let out = Command::new("unshare")
        .args(["-rm", "sh", "-ec", script, "sh"])
        .args(args)
        .env("ATTUNE", env!("CARGO_BIN_EXE_attune"))
        .current_dir(root())
        .output()
        .expect("runs unshare (util-linux)");
    assert!(
        out.status.success(),
        "the script in a user and mount namespace failed (it needs `unshare -rm`):\n{}{}",
        stdout(&out),
        stderr(&out)
    );
    out
}

/// The four reading commands on `data` mounted read-only, writing their output to `out`;
/// each command's stdout and stderr are left in `out` for the test to read.
const READ_ONLY_RUN: &str = r#"
data=$1; out=$2
mount --bind "$data" "$data"
mount -o remount,bind,ro "$data"
if touch "$data/probe" 2>/dev/null; then echo "the mount is writable"; exit 1; fi
export ATTUNE_DATA_DIR="$data"
run() { name=$1; shift; code=0; "$ATTUNE" "$@" >"$out/$name.out" 2>"$out/$name.err" || code=$?; echo $code >"$out/$name.code"; }
run resume resume
run export export --out "$out/export"
run csv export --format csv --out "$out/csv"
run report report --out "$out/report"
run status sync --status
"#;

/// What a reading command printed, after checking it succeeded.
fn read_run(out: &Path, name: &str) -> String {
    let text = |ext: &str| std::fs::read_to_string(out.join(format!("{name}.{ext}"))).unwrap();
    assert_eq!(
        text("code").trim(),
        "0",
        "{name}: {}{}",
        text("out"),
        text("err")
    );
    text("out")
}

/// What the four commands must show for the records of `record_finished(Ann)` and
/// `record_killed(Ben)`.
fn check_read_runs(out: &Path) {
    let listing = read_run(out, "resume");
    assert!(
        listing.contains("dan-mandated-anger") && listing.contains("learner Ben"),
        "the interrupted attempt, its last turns still in the -wal, is listed: {listing}"
    );
    read_run(out, "export");
    let exported = std::fs::read_dir(out.join("export")).unwrap().count();
    assert_eq!(exported, 1, "the finished attempt is exported");
    read_run(out, "csv");
    let attempts = std::fs::read_to_string(out.join("csv/attempts.csv")).unwrap();
    assert!(attempts.contains("Ann Lee"), "{attempts}");
    read_run(out, "report");
    assert!(out.join("report/report.html").is_file());
    let status = read_run(out, "status");
    assert!(status.contains("pending"), "{status}");
}

#[test]
fn resume_export_report_and_sync_status_work_on_a_read_only_copy_of_the_data_folder() {
    let d = dir("read-only");
    let data = d.join("data");
    record_finished(&data, "Ann Lee");
    record_killed(&data, "Ben");
    assert!(
        std::fs::metadata(data.join("records.sqlite-wal"))
            .unwrap()
            .len()
            > 0,
        "the killed attempt's last turns are still in the -wal"
    );

    // The folder as the killed process left it (-wal and -shm beside the database), and
    // the same records after a clean close (the -wal checkpointed away): each read-only.
    let killed = d.join("killed");
    copy_folder(&data, &killed);
    let closed = d.join("closed");
    copy_folder(&data, &closed);
    let reopened = rusqlite::Connection::open(closed.join("records.sqlite")).unwrap();
    reopened
        .query_row("SELECT COUNT(*) FROM turns", [], |r| r.get::<_, i64>(0))
        .unwrap();
    drop(reopened);
    assert_eq!(
        snapshot(&closed).len(),
        1,
        "a clean close leaves the database alone: {:?}",
        snapshot(&closed)
    );

    for copy in [&killed, &closed] {
        let before = snapshot(copy);
        let out = d.join(format!(
            "out-{}",
            copy.file_name().unwrap().to_string_lossy()
        ));
        std::fs::create_dir_all(&out).unwrap();
        in_namespace(READ_ONLY_RUN, &[copy.as_path(), out.as_path()]);
        check_read_runs(&out);

        // And on the writable folder: not a byte changed, no -wal or -shm created.
        for args in [
            &["resume"][..],
            &["export", "--out", out.join("again").to_str().unwrap()],
            &[
                "report",
                "--out",
                out.join("report-again").to_str().unwrap(),
            ],
            &["sync", "--status"],
        ] {
            succeeded(&with_data(copy, args));
        }
        assert_eq!(snapshot(copy), before, "{} changed", copy.display());
    }
}

#[test]
fn a_full_disk_neither_stops_reading_nor_leaves_a_partial_result_file() {
    let d = dir("full");
    let data = d.join("data");
    record_finished(&data, "Ann Lee");
    record_killed(&data, "Ben");
    let out = d.join("out");
    let disk = d.join("disk");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::create_dir_all(&disk).unwrap();
    // A small disk holding a copy of the data folder, then filled to the last byte.
    let script = r#"
disk=$1; data=$2; out=$3
mount -t tmpfs -o size=2m tmpfs "$disk"
mkdir "$disk/data" "$disk/export"
cp -a "$data/." "$disk/data/"
dd if=/dev/zero of="$disk/fill" bs=4k 2>/dev/null || true
export ATTUNE_DATA_DIR="$disk/data"
run() { name=$1; shift; code=0; "$ATTUNE" "$@" >"$out/$name.out" 2>"$out/$name.err" || code=$?; echo $code >"$out/$name.code"; }
run resume resume
run export export --out "$out/export"
run csv export --format csv --out "$out/csv"
run report report --out "$out/report"
run status sync --status
run full-export export --format csv --out "$disk/export"
run full-play play scenarios/dan-mandated-anger.ron --seed 7 --script tests/scripts/dan-expert.ron --result "$disk/export/dan.json"
ls -A "$disk/export" >"$out/left-behind"
ls -A "$disk/data" >"$out/data-after"
"#;
    in_namespace(script, &[&disk, &data, &out]);
    check_read_runs(&out);
    for name in ["full-export", "full-play"] {
        let code = std::fs::read_to_string(out.join(format!("{name}.code"))).unwrap();
        let err = std::fs::read_to_string(out.join(format!("{name}.err"))).unwrap();
        assert_ne!(code.trim(), "0", "{name} cannot succeed on a full disk");
        assert!(
            err.contains(&disk.join("export").display().to_string())
                && err.contains("free some space"),
            "{name}: the error names the file and says what to do: {err}"
        );
    }
    let left = std::fs::read_to_string(out.join("left-behind")).unwrap();
    assert_eq!(
        left, "",
        "nothing, not even a 0-byte or temporary file, is left"
    );
    let data_after = std::fs::read_to_string(out.join("data-after")).unwrap();
    let mut before: Vec<String> = snapshot(&data).into_iter().map(|(n, _)| n).collect();
    before.sort();
    assert_eq!(
        data_after.lines().collect::<Vec<_>>(),
        before,
        "reading created no file in the data folder"
    );
}

#[cfg(unix)]
#[test]
fn records_are_created_private_and_existing_folders_are_not_loosened() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let d = dir("private");
    // A data folder that does not exist yet, two levels down.
    let data = d.join("new/data");
    record_killed(&data, "Ben");
    assert_eq!(mode(&d.join("new")), 0o700);
    assert_eq!(mode(&data), 0o700);
    for name in ["records.sqlite", "records.sqlite-wal", "records.sqlite-shm"] {
        assert_eq!(mode(&data.join(name)), 0o600, "{name}");
    }
    // Result files, exports and reports: private too.
    record_finished(&data, "Ann Lee");
    let result = d.join("dan.json");
    succeeded(&with_data(
        &data,
        &[
            "play",
            DAN,
            "--script",
            SCRIPT,
            "--result",
            result.to_str().unwrap(),
        ],
    ));
    assert_eq!(mode(&result), 0o600);
    let export = d.join("export");
    succeeded(&with_data(
        &data,
        &["export", "--out", export.to_str().unwrap()],
    ));
    succeeded(&with_data(
        &data,
        &[
            "export",
            "--format",
            "csv",
            "--out",
            export.to_str().unwrap(),
        ],
    ));
    let report = d.join("report");
    succeeded(&with_data(
        &data,
        &["report", "--out", report.to_str().unwrap()],
    ));
    assert_eq!(mode(&export), 0o700);
    assert_eq!(mode(&report), 0o700);
    for folder in [&export, &report] {
        for e in std::fs::read_dir(folder).unwrap() {
            let p = e.unwrap().path();
            assert_eq!(mode(&p), 0o600, "{}", p.display());
        }
    }
    // A folder that exists, shared with a group on purpose, keeps its mode.
    let shared = d.join("shared");
    std::fs::create_dir_all(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o750)).unwrap();
    record_finished(&shared, "Ann Lee");
    assert_eq!(mode(&shared), 0o750);
    assert_eq!(mode(&shared.join("records.sqlite")), 0o600);
}

#[test]
fn a_learner_with_a_line_break_or_escape_sequence_cannot_forge_the_resume_listing() {
    let d = dir("forged-lines");
    let data = d.join("data");
    for forged in [
        "Ann\n0000  maria-depression-risk  started",
        "Ann\u{1b}[2J",
        "a\u{202E}b",
    ] {
        let out = with_data(
            &data,
            &[
                "play",
                DAN,
                "--script",
                SCRIPT,
                "--record",
                "--learner",
                forged,
            ],
        );
        assert!(!out.status.success(), "{forged:?} was accepted");
        assert!(stderr(&out).contains("--learner:"), "{}", stderr(&out));
    }
    assert!(
        !data.join("records.sqlite").exists(),
        "nothing was recorded under a refused name"
    );
    // A database from before names were checked: stored names print on one line.
    record_killed(&data, "Ben");
    rusqlite::Connection::open(data.join("records.sqlite"))
        .unwrap()
        .execute(
            "UPDATE attempts SET learner = ?1",
            ["Ben\nfake-id  maria-depression-risk  started 2026-01-01 00:00 UTC\u{1b}[31m"],
        )
        .unwrap();
    let listing = stdout(succeeded(&with_data(&data, &["resume"])));
    assert_eq!(listing.lines().count(), 1, "{listing}");
    assert!(
        listing.contains("learner Ben\\u{a}fake-id") && listing.contains("\\u{1b}[31m"),
        "{listing}"
    );
    assert!(!listing.contains('\u{1b}'), "{listing}");
}

#[test]
fn a_learner_named_on_the_command_line_is_in_the_result_file() {
    let d = dir("learner-result");
    let result = d.join("dan.json");
    succeeded(&with_data(
        &d.join("data"),
        &[
            "play",
            DAN,
            "--seed",
            "7",
            "--script",
            SCRIPT,
            "--learner",
            "Ann Lee",
            "--result",
            result.to_str().unwrap(),
        ],
    ));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&result).unwrap()).unwrap();
    assert_eq!(v["learner"], "Ann Lee");
}

/// The cells of a CSV table, read as RFC 4180 says.
fn csv_cells(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    assert!(
        !quoted && cell.is_empty() && row.is_empty(),
        "ends with a line break"
    );
    rows
}

/// Every cell of a table is a number or text no spreadsheet runs as a formula, and every
/// row has the header's columns.
fn assert_no_formula(name: &str, text: &str) {
    let rows = csv_cells(text);
    let columns = rows[0].len();
    for row in &rows {
        assert_eq!(row.len(), columns, "{name}: {row:?}");
        for cell in row {
            let formula = cell.trim_start().starts_with(['=', '+', '-', '@'])
                || cell.starts_with(['\t', '\r']);
            assert!(
                !formula || cell.parse::<f64>().is_ok(),
                "{name}: a cell a spreadsheet would run: {cell:?}"
            );
        }
    }
}

#[test]
fn a_learner_named_like_a_formula_stays_text_in_every_csv() {
    let d = dir("formula");
    let data = d.join("data");
    let learner = "=HYPERLINK(\"http://example.invalid\",\"grade\")";
    record_finished(&data, learner);
    let result = d.join("results/dan.json");
    std::fs::create_dir_all(result.parent().unwrap()).unwrap();
    succeeded(&with_data(
        &data,
        &[
            "play",
            DAN,
            "--seed",
            "7",
            "--script",
            SCRIPT,
            "--learner",
            "@SUM(1+1)",
            "--result",
            result.to_str().unwrap(),
        ],
    ));
    // The report's tables, from the records database and from result files.
    let from_db = d.join("report-db");
    let from_files = d.join("report-files");
    succeeded(&with_data(
        &data,
        &["report", "--out", from_db.to_str().unwrap()],
    ));
    // An attempt stored by an older or tampered database: every text of its result looks
    // like a formula, numbers too.
    let db = rusqlite::Connection::open(data.join("records.sqlite")).unwrap();
    let json: String = db
        .query_row("SELECT result_json FROM attempts", [], |r| r.get(0))
        .unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["learner"] = " +1+cmd|' /C calc'!A0".into();
    v["started_at"] = "=1+1".into();
    v["finished_at"] = "-1+1".into();
    v["scenario"]["content_hash"] = "@x".into();
    v["turns"][0]["turn"] = "=2+2".into();
    v["turns"][0]["technique"] = "=3+3".into();
    v["turns"][0]["client_line"] = "\t=4+4".into();
    v["summary"]["overall"] = "=5+5".into();
    db.execute(
        "INSERT INTO attempts (id, scenario_id, scenario_file, content_hash, seed, mode, learner, started_at, finished_at, result_json) VALUES ('forged', 'dan-mandated-anger', 'x', '@x', 7, 'practice', 'x', '=1', '=1', ?1)",
        [v.to_string()],
    )
    .unwrap();
    drop(db);

    let csv = d.join("csv");
    succeeded(&with_data(
        &data,
        &["export", "--format", "csv", "--out", csv.to_str().unwrap()],
    ));
    let attempts = std::fs::read_to_string(csv.join("attempts.csv")).unwrap();
    assert!(
        csv_cells(&attempts)
            .iter()
            .any(|row| row[3] == format!("'{learner}")),
        "{attempts}"
    );
    let mut tables = vec![
        ("attempts.csv".to_string(), attempts),
        (
            "turns.csv".to_string(),
            std::fs::read_to_string(csv.join("turns.csv")).unwrap(),
        ),
    ];
    succeeded(&with_data(
        &data,
        &[
            "report",
            result.parent().unwrap().to_str().unwrap(),
            "--out",
            from_files.to_str().unwrap(),
        ],
    ));
    for folder in [&from_db, &from_files] {
        for name in [
            "gradebook.csv",
            "scenarios.csv",
            "decisions.csv",
            "misfits.csv",
        ] {
            tables.push((
                format!("{}/{name}", folder.display()),
                std::fs::read_to_string(folder.join(name)).unwrap(),
            ));
        }
    }
    let gradebook = std::fs::read_to_string(from_files.join("gradebook.csv")).unwrap();
    assert!(gradebook.contains("'@SUM(1+1)"), "{gradebook}");
    for (name, text) in &tables {
        assert_no_formula(name, text);
    }
}
