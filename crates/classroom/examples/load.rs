//! The class vote under load: simulated students, each on its own thread, join over HTTP,
//! poll the round as the page does and vote (for a technique of the round's palette, on its
//! turn), changing their vote every few seconds.
//!
//! Against a server of its own (the ballot box in this process):
//! `cargo run --release -p attune-classroom --example load -- [students] [seconds]`
//! (200 students for 60 seconds unless told); then the vote is closed and the tally checked
//! against each student's last accepted vote.
//!
//! Against a server it did not start (the app's, on the projector):
//! `... --example load -- --address http://HOST:PORT --code CODE [--students N] [--seconds S]`;
//! the round is left open for the instructor to close, and the driver prints the count the
//! closed round must show, as `expected: turn T, V voters: technique=n ...` (most votes first,
//! then by name: the order of the app's `class vote closed: ...` log line).
//!
//! Both print the requests, their statuses and latencies, and the process's memory.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use attune_classroom::ballot::{BallotBox, JoinCode, Limits, RoundView};
use attune_classroom::server::ClassServer;
use attune_core::model::Catalogue;

#[path = "../tests/support/mod.rs"]
mod support;

/// What one student's thread saw.
#[derive(Default)]
struct Student {
    /// The turn and technique of the last vote the server accepted.
    last_vote: Option<(u64, String)>,
    statuses: HashMap<u16, usize>,
    /// Joining: all students at once, so it meets the listener's backlog.
    join_latency: Duration,
    /// Polling and voting after that.
    latencies: Vec<Duration>,
}

/// A small xorshift generator per student: the driver needs spread, not security.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

fn memory_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// The turn of a round as the server shows it, and the ids of its palette's techniques.
fn round_of(reply: &support::Reply) -> Option<(u64, Vec<String>)> {
    let state = reply.json();
    let round = state.get("round")?;
    let turn = round.get("turn")?.as_u64()?;
    let ids: Vec<String> = round
        .get("palette")?
        .as_array()?
        .iter()
        .filter_map(|school| school.get("techniques")?.as_array())
        .flatten()
        .filter_map(|t| Some(t.get("id")?.as_str()?.to_string()))
        .collect();
    (!ids.is_empty()).then_some((turn, ids))
}

fn student(address: SocketAddr, code: &str, seconds: u64, seed: u64) -> Student {
    let mut seen = Student::default();
    let mut rng = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let timed = |method: &str, path: &str, cookie: Option<&str>, body: &[u8]| {
        let start = Instant::now();
        let reply = support::send(address, method, path, cookie, body);
        (reply, start.elapsed())
    };
    let (reply, took) = timed(
        "POST",
        "/api/join",
        None,
        format!(r#"{{"code":"{code}"}}"#).as_bytes(),
    );
    seen.join_latency = took;
    *seen.statuses.entry(reply.status).or_default() += 1;
    if reply.status != 200 {
        return seen;
    }
    let cookie = reply.cookie();
    let end = Instant::now() + Duration::from_secs(seconds);
    while Instant::now() < end {
        // The page polls every two seconds; a student changes their mind every two to six.
        let (reply, took) = timed("GET", "/api/round", Some(&cookie), b"");
        seen.latencies.push(took);
        *seen.statuses.entry(reply.status).or_default() += 1;
        if let Some((turn, ids)) = round_of(&reply).filter(|_| reply.status == 200) {
            let technique = &ids[(next(&mut rng) % ids.len() as u64) as usize];
            let body = format!(r#"{{"turn":{turn},"technique":"{technique}","pacing":"Slower"}}"#);
            let (reply, took) = timed("POST", "/api/vote", Some(&cookie), body.as_bytes());
            seen.latencies.push(took);
            *seen.statuses.entry(reply.status).or_default() += 1;
            if reply.status == 200 {
                seen.last_vote = Some((turn, technique.clone()));
            }
        }
        std::thread::sleep(Duration::from_millis(2000 + next(&mut rng) % 4000));
    }
    seen
}

/// Where the students vote: a server of this process's own, or one given on the command line.
enum Target {
    Own,
    Given { address: SocketAddr, code: String },
}

/// The command line: `[students] [seconds]`, or `--address URL --code CODE` with
/// `--students N` and `--seconds S`.
fn parse_args() -> Result<(Target, usize, u64), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut students, mut seconds) = (200usize, 60u64);
    if !args.iter().any(|a| a.starts_with("--")) {
        if let Some(n) = args.first() {
            students = n.parse().map_err(|e| format!("students {n:?}: {e}"))?;
        }
        if let Some(s) = args.get(1) {
            seconds = s.parse().map_err(|e| format!("seconds {s:?}: {e}"))?;
        }
        if args.len() > 2 {
            return Err("expected at most [students] [seconds]".into());
        }
        return Ok((Target::Own, students, seconds));
    }
    let (mut address, mut code) = (None, None);
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--address" => {
                let host = value
                    .trim_start_matches("http://")
                    .trim_end_matches('/')
                    .to_string();
                let parsed: SocketAddr = host
                    .parse()
                    .map_err(|e| format!("--address {value:?} (http://HOST:PORT): {e}"))?;
                address = Some(parsed);
            }
            "--code" => code = Some(value),
            "--students" => {
                students = value
                    .parse()
                    .map_err(|e| format!("--students {value:?}: {e}"))?
            }
            "--seconds" => {
                seconds = value
                    .parse()
                    .map_err(|e| format!("--seconds {value:?}: {e}"))?
            }
            other => return Err(format!("unknown option {other:?}").into()),
        }
    }
    match (address, code) {
        (Some(address), Some(code)) => Ok((Target::Given { address, code }, students, seconds)),
        _ => Err("--address and --code go together".into()),
    }
}

/// The count a closed round must show: each student's last accepted vote, as
/// `turn T, V voters: technique=n ...`, most votes first, then by name.
fn expected_line(seen: &[Student]) -> Result<String, String> {
    let votes: Vec<&(u64, String)> = seen.iter().filter_map(|s| s.last_vote.as_ref()).collect();
    let mut turns: Vec<u64> = votes.iter().map(|(turn, _)| *turn).collect();
    turns.sort_unstable();
    turns.dedup();
    if turns.len() > 1 {
        return Err(format!(
            "the students' last votes are on several turns: {turns:?}"
        ));
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (_, technique) in &votes {
        *counts.entry(technique.as_str()).or_default() += 1;
    }
    let mut counts: Vec<(&str, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let mut line = format!(
        "turn {}, {} voters:",
        turns.first().copied().unwrap_or(0),
        votes.len()
    );
    for (technique, n) in counts {
        line.push_str(&format!(" {technique}={n}"));
    }
    Ok(line)
}

/// Runs the students against `address` and prints what they saw; returns what each saw.
fn drive(address: SocketAddr, code: &str, students: usize, seconds: u64) -> Vec<Student> {
    let started = Instant::now();
    let threads: Vec<_> = (0..students)
        .map(|n| {
            let code = code.to_string();
            std::thread::spawn(move || student(address, &code, seconds, n as u64 + 1))
        })
        .collect();
    let seen: Vec<Student> = threads
        .into_iter()
        .map(|t| t.join().expect("a student's thread failed"))
        .collect();
    let elapsed = started.elapsed();
    let mut statuses: HashMap<u16, usize> = HashMap::new();
    let mut latencies: Vec<Duration> = Vec::new();
    for s in &seen {
        for (status, n) in &s.statuses {
            *statuses.entry(*status).or_default() += n;
        }
        latencies.extend(&s.latencies);
    }
    latencies.sort();
    let mut joins: Vec<Duration> = seen.iter().map(|s| s.join_latency).collect();
    joins.sort();
    let mut statuses: Vec<(u16, usize)> = statuses.into_iter().collect();
    statuses.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("{students} students for {:.1} s", elapsed.as_secs_f64());
    println!(
        "{} requests ({:.0}/s); statuses {:?}",
        latencies.len() + joins.len(),
        (latencies.len() + joins.len()) as f64 / elapsed.as_secs_f64(),
        statuses
    );
    if !joins.is_empty() {
        println!(
            "joining all at once: median {:.2} ms, max {:.2} ms",
            ms(joins[joins.len() / 2]),
            ms(joins[joins.len() - 1])
        );
    }
    if !latencies.is_empty() {
        let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
        println!(
            "polls and votes: latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            ms(at(0.5)),
            ms(at(0.99)),
            ms(at(1.0))
        );
    }
    seen
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (target, students, seconds) = parse_args()?;
    let rss_before = memory_kib("VmRSS:");
    match target {
        Target::Given { address, code } => {
            let seen = drive(address, &code, students, seconds);
            println!(
                "driver memory: {} KiB before, {} KiB after, peak {} KiB",
                rss_before,
                memory_kib("VmRSS:"),
                memory_kib("VmHWM:")
            );
            println!("expected: {}", expected_line(&seen)?);
            Ok(())
        }
        Target::Own => own_server(students, seconds, rss_before),
    }
}

/// The students against a ballot box and server of this process: the tally checked here.
fn own_server(
    students: usize,
    seconds: u64,
    rss_before: u64,
) -> Result<(), Box<dyn std::error::Error>> {
    let catalogue = Catalogue::builtin();
    let ballot = Arc::new(Mutex::new(BallotBox::new(
        JoinCode::random(),
        Limits::default(),
    )));
    ballot
        .lock()
        .unwrap()
        .open_round(RoundView::new(1, "Dan", "Hm.", &[], &catalogue));
    let code = ballot.lock().unwrap().code().as_str().to_string();
    let server = ClassServer::start("127.0.0.1:0".parse()?, ballot.clone())?;
    let seen = drive(server.address(), &code, students, seconds);
    ballot.lock().unwrap().close_round();
    let tally = ballot.lock().unwrap().tally().expect("a round was open");

    let mut expected: HashMap<&str, usize> = HashMap::new();
    for (_, vote) in seen.iter().filter_map(|s| s.last_vote.as_ref()) {
        *expected.entry(vote.as_str()).or_default() += 1;
    }
    let counted: HashMap<&str, usize> = tally
        .by_technique
        .iter()
        .map(|(t, n)| (t.as_str(), *n))
        .collect();
    println!(
        "memory: {} KiB before the server, {} KiB after, peak {} KiB (all {} student threads included)",
        rss_before,
        memory_kib("VmRSS:"),
        memory_kib("VmHWM:"),
        students
    );
    let ok = expected == counted && tally.voters == expected.values().sum::<usize>();
    println!(
        "tally: {} voters, {} techniques; equals each student's last accepted vote: {ok}",
        tally.voters,
        tally.by_technique.len()
    );
    server.stop();
    if !ok {
        return Err("the tally differs from the votes sent".into());
    }
    Ok(())
}
