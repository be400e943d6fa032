//! The class server over real HTTP (std `TcpStream`, one request per connection): joining,
//! voting and changing the vote, the tally against what was sent, each bad input refused with
//! its status and not counted, and no socket before the start or after the stop.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use attune_classroom::ballot::{BallotBox, JoinCode, Limits, RoundView};
use attune_classroom::server::{ClassServer, SharedBallot};
use attune_core::model::Catalogue;

mod support;

use support::send;

const CODE: &str = "ACD347";

fn class(limits: Limits) -> (ClassServer, SharedBallot) {
    let ballot = Arc::new(Mutex::new(BallotBox::new(
        JoinCode::parse(CODE).unwrap(),
        limits,
    )));
    ballot.lock().unwrap().open_round(RoundView::new(
        1,
        "Dan",
        "I don't really know why I'm here.",
        &["arms folded".to_string()],
        &Catalogue::builtin(),
    ));
    let server = ClassServer::start("127.0.0.1:0".parse().unwrap(), ballot.clone()).unwrap();
    (server, ballot)
}

fn join(address: SocketAddr) -> String {
    let reply = send(address, "POST", "/api/join", None, br#"{"code":"acd347"}"#);
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.cookie()
}

fn vote(technique: &str, extra: &str) -> Vec<u8> {
    format!(r#"{{"turn":1,"technique":"{technique}"{extra}}}"#).into_bytes()
}

fn techniques() -> Vec<String> {
    Catalogue::builtin()
        .techniques
        .iter()
        .map(|t| t.id.clone())
        .collect()
}

#[test]
fn students_join_vote_and_change_their_votes_and_the_tally_is_what_they_sent() {
    let (server, ballot) = class(Limits::default());
    let address = server.address();
    let ids = techniques();
    let page = send(address, "GET", "/", None, b"");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("classroom.js"));
    assert_eq!(send(address, "GET", "/classroom.js", None, b"").status, 200);

    // Twelve devices: device n votes for technique n % 3, then the even ones change to 3.
    let cookies: Vec<String> = (0..12).map(|_| join(address)).collect();
    for (n, cookie) in cookies.iter().enumerate() {
        let reply = send(
            address,
            "POST",
            "/api/vote",
            Some(cookie),
            &vote(&ids[n % 3], ""),
        );
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    for cookie in cookies.iter().step_by(2) {
        let reply = send(
            address,
            "POST",
            "/api/vote",
            Some(cookie),
            &vote(&ids[3], r#","directiveness":"AskPermission""#),
        );
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    let state = send(address, "GET", "/api/round", Some(&cookies[0]), b"").json();
    assert_eq!(state["open"], true);
    assert_eq!(state["round"]["line"], "I don't really know why I'm here.");
    assert_eq!(state["your_vote"]["technique"], ids[3].as_str());
    assert_eq!(state["your_vote"]["directiveness"], "AskPermission");

    let tally = ballot.lock().unwrap().tally().unwrap();
    assert_eq!(tally.voters, 12);
    // What was sent, counted here: the last vote of each device.
    let mut last: Vec<&str> = (0..12).map(|n| ids[n % 3].as_str()).collect();
    for n in (0..12).step_by(2) {
        last[n] = ids[3].as_str();
    }
    let mut expected: Vec<(String, usize)> = Vec::new();
    for id in &last {
        match expected.iter_mut().find(|(t, _)| t == id) {
            Some((_, n)) => *n += 1,
            None => expected.push((id.to_string(), 1)),
        }
    }
    expected.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    assert_eq!(expected[0], (ids[3].clone(), 6));
    assert_eq!(tally.by_technique, expected);
    server.stop();
}

#[test]
fn each_bad_request_is_refused_with_its_status_and_not_counted() {
    let (server, ballot) = class(Limits::default());
    let address = server.address();
    let t = techniques()[0].clone();
    // The bad requests come from several devices, so none is held back by the rate limit.
    let devices: Vec<String> = (0..4).map(|_| join(address)).collect();
    let cases: Vec<(&str, Option<&str>, Vec<u8>, u16)> = vec![
        ("/api/join", None, br#"{"code":"WRONG1"}"#.to_vec(), 401),
        ("/api/join", None, b"code=ACD347".to_vec(), 400),
        ("/api/vote", None, vote(&t, ""), 401),
        (
            "/api/vote",
            Some("attune_token=0123456789abcdef0123456789abcdef"),
            vote(&t, ""),
            401,
        ),
        (
            "/api/vote",
            Some(&devices[0]),
            vote("mind_reading", ""),
            404,
        ),
        (
            "/api/vote",
            Some(&devices[0]),
            vote(&t, r#","focus":"Sideways""#),
            404,
        ),
        (
            "/api/vote",
            Some(&devices[1]),
            b"{\"turn\":1,".to_vec(),
            400,
        ),
        (
            "/api/vote",
            Some(&devices[1]),
            vote(&t, r#","name":"Ann""#),
            400,
        ),
        ("/api/vote", Some(&devices[2]), vec![b'x'; 64 * 1024], 413),
        (
            "/api/vote",
            Some(&devices[2]),
            format!(r#"{{"turn":7,"technique":"{t}"}}"#).into_bytes(),
            409,
        ),
    ];
    for (path, cookie, body, status) in cases {
        let reply = send(address, "POST", path, cookie, &body);
        assert_eq!(reply.status, status, "{path} {}", reply.body);
        assert!(reply.json()["error"].is_string(), "{}", reply.body);
    }
    assert_eq!(send(address, "GET", "/api/round", None, b"").status, 401);
    assert_eq!(send(address, "GET", "/nothing", None, b"").status, 404);
    assert_eq!(
        send(address, "DELETE", "/api/vote", Some(&devices[3]), b"").status,
        405
    );
    assert_eq!(ballot.lock().unwrap().voted(), 0);

    // After the instructor closes the vote: 409, and the tally stands.
    let reply = send(
        address,
        "POST",
        "/api/vote",
        Some(&devices[3]),
        &vote(&t, ""),
    );
    assert_eq!(reply.status, 200);
    ballot.lock().unwrap().close_round();
    let reply = send(
        address,
        "POST",
        "/api/vote",
        Some(&devices[3]),
        &vote(&techniques()[1], ""),
    );
    assert_eq!(reply.status, 409);
    assert!(reply.body.contains("closed"));
    assert_eq!(
        ballot.lock().unwrap().tally().unwrap().by_technique,
        vec![(t, 1)]
    );
}

#[test]
fn a_device_flooding_votes_gets_429_and_its_flood_is_not_counted() {
    let limits = Limits {
        vote_burst: 3,
        vote_refill: Duration::from_secs(60),
        ..Limits::default()
    };
    let (server, ballot) = class(limits);
    let address = server.address();
    let ids = techniques();
    let cookie = join(address);
    let statuses: Vec<u16> = (0..8)
        .map(|n| {
            send(
                address,
                "POST",
                "/api/vote",
                Some(&cookie),
                &vote(&ids[n], ""),
            )
            .status
        })
        .collect();
    assert_eq!(statuses, [200, 200, 200, 429, 429, 429, 429, 429]);
    let tally = ballot.lock().unwrap().tally().unwrap();
    assert_eq!(tally.voters, 1);
    assert_eq!(tally.by_technique, vec![(ids[2].clone(), 1)]);
}

#[test]
fn an_address_guessing_the_code_gets_429_and_no_token() {
    let (server, ballot) = class(Limits::default());
    let address = server.address();
    let statuses: Vec<u16> = (0..12)
        .map(|n| {
            let body = format!(r#"{{"code":"WRONG{}"}}"#, n % 10);
            send(address, "POST", "/api/join", None, body.as_bytes()).status
        })
        .collect();
    assert_eq!(statuses[..10], [401; 10]);
    assert_eq!(statuses[10..], [429, 429]);
    assert_eq!(
        send(address, "POST", "/api/join", None, br#"{"code":"ACD347"}"#).status,
        429,
        "held back, right code or not"
    );
    assert_eq!(ballot.lock().unwrap().devices(), 0);
}

/// Whether anything accepts connections on `address`.
fn listening(address: SocketAddr) -> bool {
    TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok()
}

#[test]
fn there_is_no_socket_before_the_server_starts_or_after_it_stops() {
    // A free port: bound, read and released.
    let address = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    assert!(!listening(address));
    let ballot = Arc::new(Mutex::new(BallotBox::new(
        JoinCode::random(),
        Limits::default(),
    )));
    let server = ClassServer::start(address, ballot.clone()).unwrap();
    assert_eq!(
        server.address(),
        address,
        "bound to the address given, no other"
    );
    assert!(listening(address));
    server.stop();
    assert!(!listening(address), "stopped: the port is closed");

    // Dropping the handle stops it too.
    let server = ClassServer::start(address, ballot).unwrap();
    assert!(listening(address));
    drop(server);
    assert!(!listening(address), "dropped: the port is closed");
}
