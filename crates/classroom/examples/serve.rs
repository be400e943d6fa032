//! Serves a class vote on the built-in catalogue with a sample client line, for looking at
//! the students' page without the app:
//!
//! `cargo run -p attune-classroom --example serve -- 127.0.0.1:8765 [seconds-until-closed]`
//!
//! It prints the join code and a link that joins with it, then prints the tally every few
//! seconds; with a number of seconds it closes the vote after them.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use attune_classroom::ballot::{BallotBox, JoinCode, Limits, RoundView};
use attune_classroom::server::ClassServer;
use attune_core::model::Catalogue;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let address = args
        .next()
        .unwrap_or_else(|| "127.0.0.1:8765".into())
        .parse()?;
    let close_after: Option<u64> = args.next().map(|s| s.parse()).transpose()?;
    let ballot = Arc::new(Mutex::new(BallotBox::new(
        JoinCode::random(),
        Limits::default(),
    )));
    ballot.lock().unwrap().open_round(RoundView::new(
        1,
        "Dan",
        "My wife made me come. I don't really see what talking is going to do.",
        &["Arms folded, looking at the door.".to_string()],
        &Catalogue::builtin(),
    ));
    let server = ClassServer::start(address, ballot.clone())?;
    let code = ballot.lock().unwrap().code().clone();
    println!("join code {}", code.as_str());
    println!("http://{}/?code={}", server.address(), code.as_str());
    let started = Instant::now();
    loop {
        std::thread::sleep(Duration::from_secs(3));
        let mut ballot = ballot.lock().unwrap();
        if close_after.is_some_and(|s| started.elapsed() >= Duration::from_secs(s))
            && ballot.is_open()
        {
            ballot.close_round();
            println!("the vote is closed");
        }
        if let Some(tally) = ballot.tally() {
            println!(
                "{} devices, {} voted: {:?}",
                ballot.devices(),
                tally.voters,
                tally.by_technique
            );
        }
    }
}
