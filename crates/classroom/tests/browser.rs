//! The class vote's page in a real browser: headless Chromium at a phone's viewport (390x844)
//! joins with the code, searches the palette, picks a technique and an adaptation and votes,
//! beside students voting over plain HTTP; the ballot's tally is exactly what was sent; the
//! browser changes its vote and the tally follows; once the round is closed the page says so
//! and a vote from it is refused. Screenshots of each state are saved under the target's
//! temporary folder (`classroom-*.png`) to be looked at.
//!
//! Needs Debian's `chromium` and `chromium-driver` (scripts/setup-debian.sh installs them):
//! without them the test fails, saying so.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use attune_classroom::ballot::{BallotBox, JoinCode, Limits, RoundView};
use attune_classroom::server::{ClassServer, SharedBallot};
use attune_core::model::Catalogue;
use serde_json::{Value, json};

#[path = "support/class_page.rs"]
mod class_page;
mod support;
#[path = "support/webdriver.rs"]
mod webdriver;

use class_page::StudentVote;
use support::send;
use webdriver::{Browser, PHONE_HEIGHT, PHONE_WIDTH, png_summary};

const CODE: &str = "ACD347";
const LINE: &str = "I don't really know why I'm here. My wife thinks I drink too much.";
const CUES: [&str; 2] = ["arms folded", "looks at the door"];

fn class() -> (ClassServer, SharedBallot, RoundView) {
    let ballot = Arc::new(Mutex::new(BallotBox::new(
        JoinCode::parse(CODE).unwrap(),
        Limits::default(),
    )));
    let cues: Vec<String> = CUES.iter().map(|c| c.to_string()).collect();
    let round = RoundView::new(1, "Dan", LINE, &cues, &Catalogue::builtin());
    ballot.lock().unwrap().open_round(round.clone());
    let server = ClassServer::start("127.0.0.1:0".parse().unwrap(), ballot.clone()).unwrap();
    (server, ballot, round)
}

/// A vote as the API takes it, every adaptation spelt out (what the page sends too).
fn full_vote(technique: &str, adaptations: &[(&str, &str)]) -> Value {
    let mut vote = json!({
        "technique": technique,
        "directiveness": "AsIs", "focus": "AsIs", "pacing": "AsIs", "framing": "AsIs",
        "culturally_adapted": false, "spiritually_adapted": false,
    });
    for (field, value) in adaptations {
        vote[*field] = json!(value);
    }
    vote
}

/// A student voting over plain HTTP: joins, votes `vote` on turn 1.
fn http_student(address: SocketAddr, vote: &Value) {
    let joined = send(address, "POST", "/api/join", None, br#"{"code":"ACD347"}"#);
    assert_eq!(joined.status, 200, "{}", joined.body);
    let mut body = vote.clone();
    body["turn"] = json!(1);
    let reply = send(
        address,
        "POST",
        "/api/vote",
        Some(&joined.cookie()),
        body.to_string().as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
}

/// The ballot's count of each whole vote, as JSON text, against what was sent.
fn assert_tally_is(ballot: &SharedBallot, sent: &[Value]) {
    let mut expected: BTreeMap<String, usize> = BTreeMap::new();
    for vote in sent {
        *expected.entry(vote.to_string()).or_default() += 1;
    }
    let tally = ballot.lock().unwrap().tally().unwrap();
    let counted: BTreeMap<String, usize> = tally
        .by_vote
        .iter()
        .map(|(vote, n)| (vote.to_json().to_string(), *n))
        .collect();
    assert_eq!(tally.voters, sent.len());
    assert_eq!(counted, expected);
}

/// The techniques the palette should show for `search`: every word in the technique's name,
/// description or school, in the palette's order.
fn matching(round: &RoundView, search: &str) -> Vec<String> {
    let words: Vec<String> = search
        .split_whitespace()
        .map(|w| w.to_lowercase())
        .collect();
    let words = &words;
    round
        .palette
        .iter()
        .flat_map(|school| {
            school.techniques.iter().filter(move |t| {
                let text = format!("{} {} {}", t.name, t.description, school.label).to_lowercase();
                words.iter().all(|w| text.contains(w.as_str()))
            })
        })
        .map(|t| t.name.clone())
        .collect()
}

/// Saves a screenshot of the phone page as `classroom-{name}.png` and checks it is a PNG of
/// the phone's size with more than one colour in it.
fn screenshot(browser: &Browser, name: &str) -> PathBuf {
    let png = browser.screenshot();
    let (width, height, varied) = png_summary(&png);
    assert_eq!((width, height), (PHONE_WIDTH, PHONE_HEIGHT), "{name}");
    assert!(varied, "the {name} screenshot is blank");
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("classroom-{name}.png"));
    std::fs::write(&path, png).unwrap();
    path
}

#[test]
fn a_phone_browser_joins_searches_votes_changes_its_vote_and_is_refused_once_closed() {
    let (server, ballot, round) = class();
    let url = format!("http://{}/", server.address());
    let browser = Browser::phone();

    // The join screen; the code typed as a student might, in lower case.
    browser.navigate(&url);
    browser.find("#code");
    screenshot(&browser, "join");
    class_page::join(&browser, &url, "acd347");
    browser.wait_for_text("#line", LINE);
    assert_eq!(browser.text(&browser.find("#client")), "Dan says:");
    assert_eq!(browser.text(&browser.find("#cues")), CUES.join("\n"));
    let schools: Vec<String> = round.palette.iter().map(|s| s.label.clone()).collect();
    assert_eq!(class_page::shown_schools(&browser), schools);

    // Searching filters the palette to the matching techniques, nothing else.
    let shown = class_page::search(&browser, "reflection");
    assert_eq!(shown, matching(&round, "reflection"));
    assert!(shown.contains(&"Complex reflection".to_string()));
    assert!(shown.len() < round.palette.iter().map(|s| s.techniques.len()).sum());
    screenshot(&browser, "search");

    // The browser votes; five students vote over HTTP.
    let first = StudentVote {
        search: "reflection",
        technique: "Complex reflection",
        adaptations: &[("directiveness", "AskPermission")],
    };
    class_page::vote_again(&browser, &first);
    screenshot(&browser, "voted");
    let mut sent = vec![full_vote(
        "complex_reflection",
        &[("directiveness", "AskPermission")],
    )];
    let students = [
        full_vote("open_question", &[]),
        full_vote("open_question", &[("pacing", "Slower")]),
        full_vote("affirmation", &[("framing", "Collaborative")]),
        full_vote("affirmation", &[("framing", "Collaborative")]),
        full_vote("complex_reflection", &[("focus", "TowardInsight")]),
    ];
    for vote in &students {
        http_student(server.address(), vote);
    }
    sent.extend(students);
    assert_tally_is(&ballot, &sent);

    // The browser changes its mind: the tally follows (the direction chosen before stays).
    let second = StudentVote {
        search: "open question",
        technique: "Open question",
        adaptations: &[("pacing", "Slower")],
    };
    class_page::vote_again(&browser, &second);
    sent[0] = full_vote(
        "open_question",
        &[("directiveness", "AskPermission"), ("pacing", "Slower")],
    );
    assert_tally_is(&ballot, &sent);
    let tally = ballot.lock().unwrap().tally().unwrap();
    assert_eq!(tally.by_technique[0], ("open_question".to_string(), 3));

    // The instructor closes the vote: the page says so, offers no vote, and one sent from it
    // anyway is refused and not counted.
    ballot.lock().unwrap().close_round();
    class_page::wait_until_closed(&browser);
    assert!(!browser.is_displayed(&browser.find("#send")));
    browser.wait_for_text("#message", "The vote is closed.");
    screenshot(&browser, "closed");
    let mut late = full_vote("affirmation", &[]);
    late["turn"] = json!(1);
    let (status, answer) = class_page::post_vote_from_page(&browser, &late);
    assert_eq!(status, 409, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("closed"));
    assert_tally_is(&ballot, &sent);

    drop(browser);
    server.stop();
}
