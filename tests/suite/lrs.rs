//! A learning record store for tests, on 127.0.0.1: it keeps every request it receives and
//! stores statements as an xAPI 1.0.3 store would (a batch with a known id is refused whole
//! with 409; a PUT of a known id is a 409 too). It can be taken down, refusing connections,
//! and brought back on the same port, and made to refuse or fail on everything: faults a
//! real store cannot be made to produce on demand.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::Value;

/// One request as received.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    pub target: String,
    /// Names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Behaviour {
    Normal,
    /// Stores the next batch, then closes the connection without answering, as when an
    /// answer is lost on the way back.
    LoseNextAnswer,
    /// Answers 400 to everything.
    RejectAll,
    /// Answers 500 to everything, as a store that fails on what it is sent.
    FailAll,
}

struct Shared {
    received: Vec<Received>,
    stored: Vec<Value>,
    behaviour: Behaviour,
}

pub struct FakeLrs {
    port: u16,
    shared: Arc<Mutex<Shared>>,
    running: Option<(Arc<AtomicBool>, JoinHandle<()>)>,
}

impl FakeLrs {
    pub fn start() -> FakeLrs {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
        let mut lrs = FakeLrs {
            port: listener.local_addr().unwrap().port(),
            shared: Arc::new(Mutex::new(Shared {
                received: Vec::new(),
                stored: Vec::new(),
                behaviour: Behaviour::Normal,
            })),
            running: None,
        };
        lrs.serve(listener);
        lrs
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/xapi/", self.port)
    }

    pub fn set(&self, b: Behaviour) {
        self.shared.lock().unwrap().behaviour = b;
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.lock().unwrap().received.clone()
    }

    pub fn stored(&self) -> Vec<Value> {
        self.shared.lock().unwrap().stored.clone()
    }

    /// Stops listening: connections to the port are refused until `up`.
    pub fn down(&mut self) {
        if let Some((stop, thread)) = self.running.take() {
            stop.store(true, Ordering::SeqCst);
            thread.join().expect("the server thread ends");
        }
    }

    /// Listens again on the same port, keeping what was received and stored.
    pub fn up(&mut self) {
        let mut tries = 0;
        let listener = loop {
            match TcpListener::bind(("127.0.0.1", self.port)) {
                Ok(l) => break l,
                Err(_) if tries < 50 => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => panic!("port {} cannot be listened on again: {e}", self.port),
            }
        };
        self.serve(listener);
    }

    fn serve(&mut self, listener: TcpListener) {
        listener.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let (flag, shared) = (Arc::clone(&stop), Arc::clone(&self.shared));
        let thread = std::thread::spawn(move || {
            // The listener lives in this thread only: when it ends, the port is closed.
            while !flag.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let _ = answer(stream, &shared);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        self.running = Some((stop, thread));
    }
}

impl Drop for FakeLrs {
    fn drop(&mut self) {
        self.down();
    }
}

fn read_request(stream: &TcpStream) -> std::io::Result<Received> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or("").to_string(),
        parts.next().unwrap_or("").to_string(),
    );
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h)?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((n, v)) = h.split_once(':') {
            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let get = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let mut body = Vec::new();
    if get("transfer-encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            let mut chunk = vec![0; n + 2];
            reader.read_exact(&mut chunk)?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(n) = get("content-length").and_then(|n| n.parse::<usize>().ok()) {
        body.resize(n, 0);
        reader.read_exact(&mut body)?;
    }
    Ok(Received {
        method,
        target,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn answer(mut stream: TcpStream, shared: &Mutex<Shared>) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let request = read_request(&stream)?;
    let (status, body) = {
        let mut s = shared.lock().unwrap();
        s.received.push(request.clone());
        match respond(&mut s, &request) {
            Some(r) => r,
            // The answer is lost: close without a word.
            None => return Ok(()),
        }
    };
    let reason = match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        409 => "Conflict",
        500 => "Internal Server Error",
        _ => "Not Found",
    };
    write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nX-Experience-API-Version: 1.0.3\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}

fn respond(s: &mut Shared, r: &Received) -> Option<(u16, String)> {
    match s.behaviour {
        Behaviour::RejectAll => return Some((400, "refused for the test".into())),
        Behaviour::FailAll => return Some((500, "failed for the test".into())),
        _ => {}
    }
    let known = |s: &Shared, id: &Value| s.stored.iter().any(|st| &st["id"] == id);
    match (r.method.as_str(), r.target.split_once('?')) {
        ("POST", None) if r.target == "/xapi/statements" => {
            let Ok(Value::Array(batch)) = serde_json::from_str::<Value>(&r.body) else {
                return Some((400, "not a list of statements".into()));
            };
            if batch.iter().any(|st| known(s, &st["id"])) {
                return Some((409, "a statement with this id is stored".into()));
            }
            let ids: Vec<Value> = batch.iter().map(|st| st["id"].clone()).collect();
            s.stored.extend(batch);
            if s.behaviour == Behaviour::LoseNextAnswer {
                s.behaviour = Behaviour::Normal;
                return None;
            }
            Some((200, Value::Array(ids).to_string()))
        }
        ("PUT", Some(("/xapi/statements", query))) => {
            let id = query.strip_prefix("statementId=").unwrap_or("");
            let Ok(st) = serde_json::from_str::<Value>(&r.body) else {
                return Some((400, "not a statement".into()));
            };
            if st["id"] != id {
                return Some((400, "statementId differs from the statement's id".into()));
            }
            if known(s, &st["id"]) {
                return Some((409, "a statement with this id is stored".into()));
            }
            s.stored.push(st);
            Some((204, String::new()))
        }
        _ => Some((404, String::new())),
    }
}
