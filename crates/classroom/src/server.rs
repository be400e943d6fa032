//! The class vote's HTTP server: `tiny_http` on its own thread, bound only to the address the
//! caller gives, started only by [`ClassServer::start`] and stopped by [`ClassServer::stop`]
//! or by dropping the handle. It serves the students' page (`assets/classroom/`, compiled in,
//! so a class needs no internet connection) and a small JSON API:
//!
//! - `POST /api/join` `{"code": "ACD347"}`: the device's token, as a cookie;
//! - `GET /api/round`: the round's view, whether it is open, the device's own vote;
//! - `POST /api/vote` `{"turn": 3, "technique": "...", "pacing": "Slower", ...}`.
//!
//! Refusals answer with the status of their [`Refusal`] and `{"error": "..."}`.

use std::io::Read;
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tiny_http::{Header, Method, Request, Response};

use crate::ballot::{BallotBox, Refusal, Token};

/// The ballot box as the app and the server share it.
pub type SharedBallot = Arc<Mutex<BallotBox>>;

/// The cookie a device's token travels in.
pub const COOKIE: &str = "attune_token";

const PAGE: &str = include_str!("../../../assets/classroom/index.html");
const STYLE: &str = include_str!("../../../assets/classroom/classroom.css");
const SCRIPT: &str = include_str!("../../../assets/classroom/classroom.js");

/// How often the server's thread looks whether it has been asked to stop.
const POLL: Duration = Duration::from_millis(50);

/// A running class server; stopped when stopped or dropped.
pub struct ClassServer {
    address: SocketAddr,
    stop: Arc<AtomicBool>,
    worker: Option<JoinHandle<()>>,
}

impl ClassServer {
    /// Binds `address` (port 0: any free port) and serves the ballot box until stopped.
    pub fn start(address: SocketAddr, ballot: SharedBallot) -> std::io::Result<ClassServer> {
        let server = tiny_http::Server::http(address).map_err(std::io::Error::other)?;
        let address = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| std::io::Error::other("the server is not on an IP address"))?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let worker = std::thread::Builder::new()
            .name("classroom-server".into())
            .spawn(move || {
                while !stopping.load(Ordering::Relaxed) {
                    match server.recv_timeout(POLL) {
                        Ok(Some(request)) => answer(request, &ballot),
                        Ok(None) => {}
                        // A failed accept is the listener's own trouble: wait and go on.
                        Err(_) => std::thread::sleep(POLL),
                    }
                }
                drop(server);
                // tiny_http closes its listener on its own accept thread, after the drop
                // returns: wait until the port refuses connections, so a stopped server has
                // no socket.
                let until = Instant::now() + Duration::from_secs(2);
                while Instant::now() < until
                    && TcpStream::connect_timeout(&address, Duration::from_millis(100)).is_ok()
                {
                    std::thread::sleep(Duration::from_millis(10));
                }
            })?;
        Ok(ClassServer {
            address,
            stop,
            worker: Some(worker),
        })
    }

    /// The address the server listens on (with the port it was given).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Stops the server and waits until its socket is closed.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

impl Drop for ClassServer {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// What the server answers: a status, a content type and a body, and a cookie to set.
struct Answer {
    status: u16,
    content_type: &'static str,
    body: String,
    cookie: Option<String>,
}

impl Answer {
    fn json(value: Value) -> Answer {
        Answer {
            status: 200,
            content_type: "application/json",
            body: value.to_string(),
            cookie: None,
        }
    }

    fn file(content_type: &'static str, body: &str) -> Answer {
        Answer {
            status: 200,
            content_type,
            body: body.to_string(),
            cookie: None,
        }
    }

    fn refused(refusal: &Refusal) -> Answer {
        Answer {
            status: refusal.status(),
            ..Answer::json(json!({ "error": refusal.to_string() }))
        }
    }

    fn status(status: u16, message: &str) -> Answer {
        Answer {
            status,
            ..Answer::json(json!({ "error": message }))
        }
    }
}

fn answer(mut request: Request, ballot: &SharedBallot) {
    let reply = route(&mut request, ballot);
    let mut response = Response::from_string(reply.body).with_status_code(reply.status);
    let mut headers = vec![
        format!("Content-Type: {}; charset=utf-8", reply.content_type),
        "Cache-Control: no-store".to_string(),
        "X-Content-Type-Options: nosniff".to_string(),
    ];
    if let Some(cookie) = reply.cookie {
        headers.push(format!("Set-Cookie: {cookie}"));
    }
    for header in headers {
        if let Ok(header) = header.parse::<Header>() {
            response.add_header(header);
        }
    }
    // A device that went away before its answer is nothing to act on.
    let _ = request.respond(response);
}

fn route(request: &mut Request, ballot: &SharedBallot) -> Answer {
    let path = request.url().split('?').next().unwrap_or("").to_string();
    let method = request.method().clone();
    match (method, path.as_str()) {
        (Method::Get, "/" | "/index.html") => Answer::file("text/html", PAGE),
        (Method::Get, "/classroom.css") => Answer::file("text/css", STYLE),
        (Method::Get, "/classroom.js") => Answer::file("text/javascript", SCRIPT),
        (Method::Post, "/api/join") => join(request, ballot),
        (Method::Get, "/api/round") => match token_of(request) {
            Some(token) => {
                // The ballot box is let go before the round is written out as JSON.
                let state = lock(ballot).state_for(&token, Instant::now());
                match state {
                    Ok(state) => Answer::json(json!(state)),
                    Err(refusal) => Answer::refused(&refusal),
                }
            }
            None => Answer::refused(&Refusal::NotJoined),
        },
        (Method::Post, "/api/vote") => vote(request, ballot),
        (_, "/" | "/index.html" | "/classroom.css" | "/classroom.js" | "/api/join")
        | (_, "/api/round" | "/api/vote") => Answer::status(405, "method not allowed"),
        _ => Answer::status(404, "not found"),
    }
}

fn lock(ballot: &SharedBallot) -> MutexGuard<'_, BallotBox> {
    // A panic elsewhere while holding the box leaves its data whole (every change is one
    // insert), so the vote goes on.
    ballot
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The request's body, at most `limit` bytes: a longer one is refused without reading on.
fn body_of(request: &mut Request, limit: usize) -> Result<Vec<u8>, Refusal> {
    if request.body_length().is_some_and(|n| n > limit) {
        return Err(Refusal::TooLarge(limit));
    }
    let mut body = Vec::new();
    request
        .as_reader()
        .take(limit as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| Refusal::Malformed(e.to_string()))?;
    if body.len() > limit {
        return Err(Refusal::TooLarge(limit));
    }
    Ok(body)
}

/// The device's token from its cookie, if it sent one that is well formed.
fn token_of(request: &Request) -> Option<Token> {
    request
        .headers()
        .iter()
        .filter(|h| h.field.equiv("Cookie"))
        .flat_map(|h| h.value.as_str().split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .and_then(|(_, value)| Token::parse(value))
}

fn join(request: &mut Request, ballot: &SharedBallot) -> Answer {
    let limit = lock(ballot).limits().max_body;
    let body = match body_of(request, limit) {
        Ok(body) => body,
        Err(refusal) => return Answer::refused(&refusal),
    };
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Join {
        code: String,
    }
    let join: Join = match serde_json::from_slice(&body) {
        Ok(join) => join,
        Err(e) => return Answer::refused(&Refusal::Malformed(e.to_string())),
    };
    let Some(from) = request.remote_addr().map(|a| a.ip()) else {
        return Answer::refused(&Refusal::Malformed("no peer address".into()));
    };
    match lock(ballot).join(&join.code, from, Instant::now()) {
        Ok(token) => Answer {
            cookie: Some(format!(
                "{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict",
                token.as_str()
            )),
            ..Answer::json(json!({ "joined": true }))
        },
        Err(refusal) => Answer::refused(&refusal),
    }
}

fn vote(request: &mut Request, ballot: &SharedBallot) -> Answer {
    let Some(token) = token_of(request) else {
        return Answer::refused(&Refusal::NotJoined);
    };
    let limit = lock(ballot).limits().max_body;
    let body = match body_of(request, limit) {
        Ok(body) => body,
        Err(refusal) => return Answer::refused(&refusal),
    };
    match lock(ballot).vote(&token, &body, Instant::now()) {
        Ok(vote) => Answer::json(json!({ "your_vote": vote.to_json() })),
        Err(refusal) => Answer::refused(&refusal),
    }
}
