//! The class vote under load: simulated students, each on its own thread, join over HTTP,
//! poll the round as the page does and vote, changing their vote every few seconds; then the
//! vote is closed and the tally checked against each student's last accepted vote.
//!
//! `cargo run --release -p attune-classroom --example load -- [students] [seconds]`
//! (200 students for 60 seconds unless told). It prints the requests, their statuses and
//! latencies, the tally check and the process's memory before and after.

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
    last_vote: Option<String>,
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

fn student(address: SocketAddr, code: &str, ids: &[String], seconds: u64, seed: u64) -> Student {
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
        let technique = &ids[(next(&mut rng) % ids.len() as u64) as usize];
        let body = format!(r#"{{"turn":1,"technique":"{technique}","pacing":"Slower"}}"#);
        let (reply, took) = timed("POST", "/api/vote", Some(&cookie), body.as_bytes());
        seen.latencies.push(took);
        *seen.statuses.entry(reply.status).or_default() += 1;
        if reply.status == 200 {
            seen.last_vote = Some(technique.clone());
        }
        std::thread::sleep(Duration::from_millis(2000 + next(&mut rng) % 4000));
    }
    seen
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let students: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(200);
    let seconds: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(60);
    let catalogue = Catalogue::builtin();
    let ids: Vec<String> = catalogue.techniques.iter().map(|t| t.id.clone()).collect();
    let ballot = Arc::new(Mutex::new(BallotBox::new(
        JoinCode::random(),
        Limits::default(),
    )));
    ballot
        .lock()
        .unwrap()
        .open_round(RoundView::new(1, "Dan", "Hm.", &[], &catalogue));
    let code = ballot.lock().unwrap().code().as_str().to_string();
    let rss_before = memory_kib("VmRSS:");
    let server = ClassServer::start("127.0.0.1:0".parse()?, ballot.clone())?;
    let address = server.address();
    let started = Instant::now();
    let threads: Vec<_> = (0..students)
        .map(|n| {
            let (code, ids) = (code.clone(), ids.clone());
            std::thread::spawn(move || student(address, &code, &ids, seconds, n as u64 + 1))
        })
        .collect();
    let seen: Vec<Student> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let elapsed = started.elapsed();
    ballot.lock().unwrap().close_round();
    let tally = ballot.lock().unwrap().tally().expect("a round was open");

    let mut expected: HashMap<&str, usize> = HashMap::new();
    for vote in seen.iter().filter_map(|s| s.last_vote.as_deref()) {
        *expected.entry(vote).or_default() += 1;
    }
    let counted: HashMap<&str, usize> = tally
        .by_technique
        .iter()
        .map(|(t, n)| (t.as_str(), *n))
        .collect();
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
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
    println!("{students} students for {:.1} s", elapsed.as_secs_f64());
    println!(
        "{} requests ({:.0}/s); statuses {:?}",
        latencies.len() + joins.len(),
        (latencies.len() + joins.len()) as f64 / elapsed.as_secs_f64(),
        statuses
    );
    println!(
        "joining all at once: median {:.2} ms, max {:.2} ms",
        joins[joins.len() / 2].as_secs_f64() * 1e3,
        joins[joins.len() - 1].as_secs_f64() * 1e3
    );
    println!(
        "polls and votes: latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        at(1.0).as_secs_f64() * 1e3
    );
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
