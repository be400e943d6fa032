//! A minimal HTTP/1.1 client over std `TcpStream` for the class server's tests and its load
//! driver: one request per connection, the whole answer read.

// The tests and the load driver each use a part of it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use serde_json::Value;

pub struct Reply {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    pub fn cookie(&self) -> String {
        let line = self
            .headers
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
            .expect("a cookie is set");
        line["set-cookie:".len()..]
            .trim()
            .split(';')
            .next()
            .unwrap()
            .to_string()
    }
}

/// Sends one request and reads the whole answer.
pub fn send(
    address: SocketAddr,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: &[u8],
) -> Reply {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(cookie) = cookie {
        head.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    // A server may answer an oversized body before reading it all and close: that is fine.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let raw = String::from_utf8_lossy(&raw).to_string();
    let (headers, body) = raw.split_once("\r\n\r\n").expect("an HTTP answer");
    let status = headers.split(' ').nth(1).unwrap().parse().unwrap();
    Reply {
        status,
        headers: headers.to_string(),
        body: body.to_string(),
    }
}
