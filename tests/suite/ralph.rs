//! Attempts sent to Ralph, a real learning record store, by the real binary, each learner
//! with credentials of their own: every statement stored once with the learner's account as
//! its authority, through a store stopped and restarted mid-sync and through SIGKILLs at
//! random moments of play; and `attune report --lrs` reading the class back with the
//! instructor's credentials, replaying it and flagging what the store does not vouch for.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{attune_in as command, run_in as run, stderr, stdout};
use crate::ralph_server::{LEARNERS_HOME, Learner, Ralph};

/// Dan's expert script has 12 turns: initialized, 12 answered, completed, passed, terminated.
const PER_EXPERT_ATTEMPT: usize = 16;
const NOVICE: &str = r#"[(technique: "psychoeducation", directiveness: Prescribe), (technique: "open_question"), (technique: "complex_reflection"), (technique: "open_question")]"#;

fn data_dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("ralph-data-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A learner's own data folder, configured with their own credentials.
fn learner_folder(ralph: &Ralph, learner: &Learner, test: &str) -> PathBuf {
    let data = data_dir(&format!("{test}-{}", learner.name));
    std::fs::write(data.join("lrs.ron"), ralph.learner_config(learner)).unwrap();
    data
}

fn novice_script() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ralph-dan-novice.ron");
    std::fs::write(&path, NOVICE).unwrap();
    path
}

/// Plays Dan with a script, recorded as `learner`.
fn play(data: &Path, seed: u64, script: &Path, learner: &str) -> Output {
    let seed = seed.to_string();
    let out = run(
        data,
        &[
            "play",
            "scenarios/dan-mandated-anger.ron",
            "--seed",
            &seed,
            "--script",
            &script.display().to_string(),
            "--record",
            "--learner",
            learner,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    out
}

fn expert() -> PathBuf {
    crate::common::root().join("tests/scripts/dan-expert.ron")
}

/// The finished attempts of a records database: id and number of turns.
fn finished_attempts(data: &Path) -> Vec<(String, usize)> {
    let conn = rusqlite::Connection::open(data.join("records.sqlite")).unwrap();
    let mut stmt = conn
        .prepare("SELECT a.id, (SELECT COUNT(*) FROM turns t WHERE t.attempt_id = a.id) FROM attempts a WHERE a.finished_at IS NOT NULL ORDER BY a.started_at")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// How often Ralph stored each statement id.
fn copies(stored: &[Value]) -> BTreeMap<String, usize> {
    let mut by_id = BTreeMap::new();
    for s in stored {
        *by_id
            .entry(s["id"].as_str().expect("an id").to_string())
            .or_default() += 1;
    }
    by_id
}

/// Every finished attempt's statements are in the store exactly once: initialized, one
/// answered per turn, completed, the outcome and terminated, by distinct ids, and no id
/// stored twice. Returns how many statements that is; panics naming how many attempts are
/// short and the first few of them.
fn assert_each_finished_attempt_stored_once(data: &Path, stored: &[Value]) -> usize {
    let by_id = copies(stored);
    let twice: Vec<_> = by_id.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "stored more than once: {twice:?}");
    let mut by_registration: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for s in stored {
        by_registration
            .entry(s["context"]["registration"].as_str().unwrap())
            .or_default()
            .push(s);
    }
    let attempts = finished_attempts(data);
    let mut expected = 0;
    let mut short = Vec::new();
    for (id, turns) in &attempts {
        let mut verbs: Vec<String> = by_registration
            .get(id.as_str())
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|s| s["verb"]["display"]["en-US"].as_str().unwrap().to_string())
            .collect();
        verbs.sort();
        let answered = verbs.iter().filter(|v| *v == "answered").count();
        if (answered, verbs.len()) != (*turns, turns + 4) {
            short.push(format!(
                "attempt {id} ({turns} turns) has in the store: {verbs:?}"
            ));
        }
        expected += turns + 4;
    }
    assert!(
        short.is_empty(),
        "{} of {} finished attempts are not all in the store; the first:\n{}",
        short.len(),
        attempts.len(),
        short[..short.len().min(5)].join("\n")
    );
    expected
}

#[test]
fn ralph_accepts_and_stores_every_statement_of_an_attempt() {
    let learner = Learner::new("s-101");
    let ralph = Ralph::start("accepts", std::slice::from_ref(&learner));
    let data = learner_folder(&ralph, &learner, "accepts");
    let played = play(&data, 7, &expert(), &learner.name);
    assert!(
        stderr(&played).contains(&format!("sent {PER_EXPERT_ATTEMPT} statements")),
        "{}",
        stderr(&played)
    );
    let status = stdout(&run(&data, &["sync", "--status"]));
    assert!(
        status.contains(&format!("0 pending, {PER_EXPERT_ATTEMPT} delivered")),
        "{status}"
    );

    let stored = ralph.stored();
    assert_eq!(stored.len(), PER_EXPERT_ATTEMPT);
    assert_eq!(
        assert_each_finished_attempt_stored_once(&data, &stored),
        PER_EXPERT_ATTEMPT
    );
    let verbs: Vec<&str> = stored
        .iter()
        .map(|s| s["verb"]["display"]["en-US"].as_str().unwrap())
        .collect();
    assert_eq!(verbs[0], "initialized");
    assert!(verbs[1..13].iter().all(|v| *v == "answered"), "{verbs:?}");
    assert_eq!(verbs[13..], ["completed", "passed", "terminated"]);
    let account = serde_json::json!({ "homePage": LEARNERS_HOME, "name": learner.name });
    for s in &stored {
        // The learner's own account sent it, and the store says so.
        assert_eq!(s["actor"]["account"], account, "{s}");
        assert_eq!(s["authority"]["account"], account, "{s}");
        assert!(
            s["stored"].is_string(),
            "the store stamps its own time: {s}"
        );
    }
}

#[test]
fn a_learner_posting_as_someone_else_is_flagged_by_report_lrs() {
    let (honest, forger) = (Learner::new("s-201"), Learner::new("s-202"));
    let ralph = Ralph::start("forged", &[honest.clone(), forger.clone()]);
    let honest_data = learner_folder(&ralph, &honest, "forged");
    let forger_data = learner_folder(&ralph, &forger, "forged");
    play(&honest_data, 7, &novice_script(), &honest.name);
    // With their own credentials, s-202 plays an expert attempt in s-201's name.
    let forged = play(&forger_data, 7, &expert(), &honest.name);
    assert!(
        stderr(&forged).contains(&format!("sent {PER_EXPERT_ATTEMPT} statements")),
        "the store takes it: {}",
        stderr(&forged)
    );
    let forged_id = finished_attempts(&forger_data)[0].0.clone();

    let (out, report) = report_lrs(&ralph, "forged");
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    let flag = text
        .lines()
        .find(|l| l.contains(&forged_id))
        .unwrap_or_else(|| panic!("the forged attempt is flagged: {text}"));
    assert!(
        flag.contains(&format!(
            "{PER_EXPERT_ATTEMPT} statements in the name of `s-201` were sent with the account `s-202`"
        )) && flag.ends_with("not counted"),
        "{flag}"
    );
    // Only the honest attempt counts: one learner, one failed attempt.
    assert!(text.starts_with("1 attempt by 1 learner: mean"), "{text}");
    let gradebook = std::fs::read_to_string(report.join("gradebook.csv")).unwrap();
    assert_eq!(gradebook.lines().count(), 2, "{gradebook}");
    assert!(
        gradebook
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("s-201,dan-mandated-anger"),
        "{gradebook}"
    );
    let html = std::fs::read_to_string(report.join("report.html")).unwrap();
    assert!(html.contains("id=\"flags\"") && html.contains(&forged_id));
}

/// `attune report --lrs` with the instructor's configuration, into its own folder.
fn report_lrs(ralph: &Ralph, test: &str) -> (Output, PathBuf) {
    let instructor = data_dir(&format!("{test}-instructor"));
    let config = instructor.join("instructor-lrs.ron");
    std::fs::write(&config, ralph.instructor_config()).unwrap();
    let out_dir = instructor.join("report");
    let out = run(
        &instructor,
        &[
            "report",
            "--lrs",
            "--lrs-config",
            &config.display().to_string(),
            "--out",
            &out_dir.display().to_string(),
        ],
    );
    (out, out_dir)
}

#[test]
fn report_lrs_reads_the_class_back_from_ralph() {
    let learners = [Learner::new("s-301"), Learner::new("s-302")];
    let ralph = Ralph::start("class", &learners);
    let novice = novice_script();
    let mut folders = Vec::new();
    for (i, l) in learners.iter().enumerate() {
        let data = learner_folder(&ralph, l, "class");
        play(&data, 7 + i as u64, &novice, &l.name);
        play(&data, 11 + i as u64, &expert(), &l.name);
        folders.push(data);
    }
    // One more, taken in an assessment pack with the pack's own pass mark and seed.
    let pack = data_dir("class-pack").join("pack.ron");
    std::fs::write(
        &pack,
        r#"AssessmentPack(id: "ralph-pack", title: "Week 3", class_id: "PSY501-B", pass_mark: 80,
            scenarios: [(scenario: "dan-mandated-anger", seed: 5)])"#,
    )
    .unwrap();
    let taken = run(
        &folders[1],
        &[
            "play",
            "--pack",
            &pack.display().to_string(),
            "--learner",
            "s-302",
            "--script",
            &expert().display().to_string(),
        ],
    );
    assert!(taken.status.success(), "{}", stderr(&taken));
    // More statements than one page of Ralph's: the report follows `more` links.
    assert!(ralph.stored().len() > 2 * crate::ralph_server::PAGE_SIZE);

    let (out, report) = report_lrs(&ralph, "class");
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert!(!text.contains("Flagged"), "{text}");
    assert!(text.starts_with("5 attempts by 2 learners: mean"), "{text}");

    // The same class from the learners' own records gives the same report, figure for
    // figure: the store held every attempt, and each replays to what was played.
    let exports = data_dir("class-exports");
    for (i, data) in folders.iter().enumerate() {
        let dir = exports.join(format!("learner-{i}"));
        let e = run(data, &["export", "--out", &dir.display().to_string()]);
        assert!(e.status.success(), "{}", stderr(&e));
    }
    let local = exports.join("report");
    let from_files = run(
        &exports,
        &[
            "report",
            &exports.display().to_string(),
            "--out",
            &local.display().to_string(),
        ],
    );
    assert!(from_files.status.success(), "{}", stderr(&from_files));
    assert_eq!(text, stdout(&from_files));
    for csv in [
        "gradebook.csv",
        "scenarios.csv",
        "decisions.csv",
        "misfits.csv",
    ] {
        assert_eq!(
            std::fs::read_to_string(report.join(csv)).unwrap(),
            std::fs::read_to_string(local.join(csv)).unwrap(),
            "{csv}"
        );
    }
    let gradebook = std::fs::read_to_string(report.join("gradebook.csv")).unwrap();
    assert!(gradebook.contains("Week 3,PSY501-B"), "{gradebook}");
}

#[test]
fn ralph_stopped_and_restarted_mid_sync_gets_every_statement_exactly_once() {
    let learner = Learner::new("s-401");
    let mut ralph = Ralph::start("restart", std::slice::from_ref(&learner));
    let data = learner_folder(&ralph, &learner, "restart");
    // Twelve attempts wait in the outbox while the store is down: 192 statements, four
    // batches.
    ralph.down();
    for seed in 0..12 {
        play(&data, seed, &expert(), &learner.name);
    }
    let total = 12 * PER_EXPERT_ATTEMPT;
    ralph.up();
    let sync = command(&data, &["sync", "--wait", "120"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Stopped as soon as it has stored something, mid-sync.
    let start = Instant::now();
    let file = ralph.statements_file();
    while std::fs::metadata(&file).map_or(0, |m| m.len()) == 0 {
        assert!(start.elapsed() < Duration::from_secs(60), "nothing arrives");
        std::thread::sleep(Duration::from_millis(2));
    }
    ralph.down();
    let at_stop = ralph.stored().len();
    std::thread::sleep(Duration::from_millis(1500));
    ralph.up();
    let out = sync.wait_with_output().unwrap();
    let text = stdout(&out);
    assert!(
        out.status.success() && text.contains(&format!("{total} of {total} delivered, 0 pending")),
        "{text}{}\nthe end of Ralph's log:\n{}",
        stderr(&out),
        ralph.log_tail()
    );
    assert!(
        at_stop < total,
        "the store was stopped after {at_stop} of {total}: not mid-sync"
    );
    assert!(
        text.contains("the store did not take them"),
        "the sync met the stopped store: {text}"
    );
    assert!(
        text.contains(&format!("{total} of {total} delivered, 0 pending")),
        "{text}"
    );
    let stored = ralph.stored();
    assert_eq!(
        assert_each_finished_attempt_stored_once(&data, &stored),
        total
    );
    assert_eq!(stored.len(), total);
}

/// A small reproducible random source (xorshift64*), so a failing run can be repeated.
struct Moments(u64);

impl Moments {
    fn next_below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n.max(1)
    }
}

#[test]
fn sigkill_at_random_moments_of_play_record_loses_no_statement_sent_to_ralph() {
    const KILLS: usize = 200;
    let learner = Learner::new("s-501");
    let mut ralph = Ralph::start("kills", std::slice::from_ref(&learner));
    let data = learner_folder(&ralph, &learner, "kills");
    let script = expert().display().to_string();
    let play_args = |seed: &str| {
        [
            "play",
            "scenarios/dan-mandated-anger.ron",
            "--seed",
            seed,
            "--script",
            &script,
            "--record",
            "--learner",
            "s-501",
            // A little time between turns, so that kills land among the turns as well as
            // in starting, finishing and sending.
            "--pace-ms",
            "5",
        ]
        .map(str::to_string)
    };
    // How long a whole attempt takes here and now, sending included (the store's first
    // answer is slow, so the second attempt is timed): kills fall anywhere from its start
    // to a little past its end.
    let mut timed = Instant::now();
    for warm_up in ["0", "00"] {
        timed = Instant::now();
        let whole = run(&data, &play_args(warm_up).each_ref().map(String::as_str));
        assert!(whole.status.success(), "{}", stderr(&whole));
    }
    let span_ms = (timed.elapsed().as_millis() as u64 * 6 / 5).max(50);
    let seed = 0x5eed_0013_u64;
    let mut moments = Moments(seed);
    let started = Instant::now();
    for i in 1..=KILLS {
        let args = play_args(&i.to_string());
        let mut child = command(&data, &args.each_ref().map(String::as_str))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(moments.next_below(span_ms)));
        // Child::kill is SIGKILL.
        let _ = child.kill();
        child.wait().unwrap();
    }
    let killing = started.elapsed();

    // Finish what was interrupted, then send whatever waits. The store is stopped while
    // the attempts are resumed (each would otherwise wait for the store's answers, which
    // slow as its file grows): their statements wait in the outbox for the sync.
    ralph.down();
    let listing = stdout(&run(&data, &["resume"]));
    let interrupted: Vec<&str> = listing
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|id| id.len() == 36)
        .collect();
    // A library of Dan alone: resuming scans the library, and the whole one takes most of
    // a second per attempt in a debug build.
    let dan_only = data.join("dan-only");
    std::fs::create_dir_all(&dan_only).unwrap();
    std::fs::copy(
        crate::common::root().join("scenarios/dan-mandated-anger.ron"),
        dan_only.join("dan-mandated-anger.ron"),
    )
    .unwrap();
    let library = dan_only.display().to_string();
    for id in &interrupted {
        let out = run(
            &data,
            &["--scenarios", &library, "resume", id, "--script", &script],
        );
        assert!(out.status.success(), "resume {id}: {}", stderr(&out));
    }
    ralph.up();
    let sync = run(&data, &["sync", "--wait", "120"]);
    assert!(sync.status.success(), "{}{}", stdout(&sync), stderr(&sync));

    let stored = ralph.stored();
    let attempts = finished_attempts(&data);
    let expected = assert_each_finished_attempt_stored_once(&data, &stored);
    assert_eq!(
        stored.len(),
        expected,
        "statements of no finished attempt in the store"
    );
    eprintln!(
        "{KILLS} kills (moments from seed {seed:#x}, 0 to {span_ms} ms) in {:.1} s; {} attempts interrupted and resumed; {} finished attempts, {expected} statements, each stored once; {:.1} s in all",
        killing.as_secs_f64(),
        interrupted.len(),
        attempts.len(),
        started.elapsed().as_secs_f64()
    );
}
