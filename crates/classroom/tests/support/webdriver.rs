//! A small W3C WebDriver client for tests that need a real browser: it starts Debian's
//! `chromedriver` on a free port, opens a headless Chromium with a phone's viewport (390x844,
//! touch, a mobile user agent) and speaks WebDriver's JSON over std's `TcpStream`, one request
//! per connection. Every wait has a timeout, so a broken page fails a test in seconds.
//!
//! Dropping the [`Browser`] (also while a test panics) ends the session, kills chromedriver
//! and removes the browser's temporary profile.
//!
//! Self-contained (std, `serde_json`, `base64`, `png`), so the root package's test suite can
//! include it with `#[path = "../../crates/classroom/tests/support/webdriver.rs"] mod webdriver;`.

// Each test uses a part of it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

/// Where Debian's packages put the driver and the browser.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The phone the page is seen on: an iPhone 12-14's viewport in CSS pixels.
pub const PHONE_WIDTH: u32 = 390;
pub const PHONE_HEIGHT: u32 = 844;

/// A phone browser's user agent, so the page is served and laid out as on a phone.
const PHONE_USER_AGENT: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 \
     (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36";

/// The longest any one request to the driver may take (opening a session is the slowest).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How long [`Browser::wait_for`] and friends wait by default.
pub const WAIT: Duration = Duration::from_secs(5);

/// The key WebDriver names an element reference with.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// One element of the page, as the driver refers to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element(String);

impl Element {
    /// The element as a script's argument (`arguments[n]` in [`Browser::execute`]).
    pub fn to_json(&self) -> Value {
        json!({ ELEMENT_KEY: self.0 })
    }
}

/// A headless Chromium driven through chromedriver; everything is cleaned up on drop.
pub struct Browser {
    driver: Child,
    address: SocketAddr,
    session: Option<String>,
    profile: PathBuf,
}

impl Browser {
    /// Starts chromedriver and opens a headless Chromium with a phone's viewport. Panics with
    /// a message naming `scripts/setup-debian.sh` if the driver or the browser is missing: a
    /// browser test never skips silently.
    pub fn phone() -> Browser {
        for (path, package) in [(CHROMEDRIVER, "chromium-driver"), (CHROMIUM, "chromium")] {
            assert!(
                Path::new(path).exists(),
                "{path} is missing: install Debian's `{package}` package (scripts/setup-debian.sh does)"
            );
        }
        let port = free_port();
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("could not start {CHROMEDRIVER} ({e}): run scripts/setup-debian.sh")
            });
        let profile = unique_profile_dir();
        // From here on, dropping `browser` kills the driver and removes the profile.
        let mut browser = Browser {
            driver,
            address,
            session: None,
            profile,
        };
        browser.wait_until_driver_is_ready();
        browser.open_session();
        browser
    }

    fn wait_until_driver_is_ready(&mut self) {
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(Some(status)) = self.driver.try_wait() {
                panic!("{CHROMEDRIVER} exited at once ({status}): run scripts/setup-debian.sh");
            }
            if let Ok((200, reply)) = request(self.address, "GET", "/status", None)
                && reply["value"]["ready"] == true
            {
                return;
            }
            assert!(
                Instant::now() < until,
                "{CHROMEDRIVER} did not become ready in 10 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn open_session(&mut self) {
        let capabilities = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "pageLoadStrategy": "normal",
                "timeouts": { "implicit": 0, "pageLoad": 10_000, "script": 5_000 },
                "goog:chromeOptions": {
                    "binary": CHROMIUM,
                    "args": [
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--no-first-run",
                        "--hide-scrollbars",
                        format!("--window-size={PHONE_WIDTH},{PHONE_HEIGHT}"),
                        format!("--user-data-dir={}", self.profile.display()),
                    ],
                    "mobileEmulation": {
                        "deviceMetrics": {
                            "width": PHONE_WIDTH, "height": PHONE_HEIGHT,
                            "pixelRatio": 1.0, "touch": true, "mobile": true,
                        },
                        "userAgent": PHONE_USER_AGENT,
                    },
                },
            }},
        });
        let reply = self.call("POST", "/session", Some(capabilities));
        let id = reply["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("chromedriver opened no session: {reply}"));
        self.session = Some(id.to_string());
    }

    /// Sends one command to the driver; panics with the driver's own message on an error.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        match request(self.address, method, path, body.as_ref()) {
            Ok((200, reply)) => reply["value"].clone(),
            Ok((status, reply)) => panic!(
                "WebDriver {method} {path} failed ({status}): {} {}",
                reply["value"]["error"], reply["value"]["message"]
            ),
            Err(e) => panic!("WebDriver {method} {path}: {e}"),
        }
    }

    /// A command on the open session: `path` is what follows `/session/{id}`.
    fn command(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let session = self.session.as_deref().expect("a session is open");
        self.call(method, &format!("/session/{session}{path}"), body)
    }

    /// Opens `url` and waits for the page to load.
    pub fn navigate(&self, url: &str) {
        self.command("POST", "/url", Some(json!({ "url": url })));
    }

    /// Every element matching the CSS `selector`, in document order (none is not an error).
    pub fn find_all(&self, selector: &str) -> Vec<Element> {
        let found = self.command(
            "POST",
            "/elements",
            Some(json!({ "using": "css selector", "value": selector })),
        );
        found
            .as_array()
            .map(|all| all.iter().filter_map(element_of).collect())
            .unwrap_or_default()
    }

    /// The first element matching `selector`, waiting up to [`WAIT`] for it to appear.
    pub fn find(&self, selector: &str) -> Element {
        let found = wait_for_or_none(WAIT, || self.find_all(selector).into_iter().next());
        found.unwrap_or_else(|| {
            let page = self.execute(
                "return location.href + ': ' + document.documentElement.outerHTML.slice(0, 400);",
                vec![],
            );
            panic!("no element `{selector}` in {WAIT:?} on {page}")
        })
    }

    /// Clicks `element`, scrolled first to the middle of the screen as a finger would (the
    /// driver's own scrolling puts it at the bottom edge, under any sticky footer).
    pub fn click(&self, element: &Element) {
        self.execute(
            "arguments[0].scrollIntoView({ block: 'center' });",
            vec![element.to_json()],
        );
        self.command("POST", &format!("/element/{}/click", element.0), None);
    }

    /// Empties the text field `element`.
    pub fn clear(&self, element: &Element) {
        self.command("POST", &format!("/element/{}/clear", element.0), None);
    }

    /// Types `text` into `element`.
    pub fn send_keys(&self, element: &Element, text: &str) {
        self.command(
            "POST",
            &format!("/element/{}/value", element.0),
            Some(json!({ "text": text })),
        );
    }

    /// The text `element` shows (empty when it is hidden).
    pub fn text(&self, element: &Element) -> String {
        let text = self.command("GET", &format!("/element/{}/text", element.0), None);
        text.as_str().unwrap_or_default().to_string()
    }

    /// Whether `element` is shown.
    pub fn is_displayed(&self, element: &Element) -> bool {
        self.command("GET", &format!("/element/{}/displayed", element.0), None) == true
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its result.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        self.command(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Runs `script` as an async function body (it may `await`) and returns its result.
    pub fn execute_async(&self, script: &str, args: Vec<Value>) -> Value {
        let wrapped = format!(
            "const done = arguments[arguments.length - 1]; const args = arguments;\n\
             (async () => {{ {script} }})().then(done, (e) => done({{ error: String(e) }}));"
        );
        self.command(
            "POST",
            "/execute/async",
            Some(json!({ "script": wrapped, "args": args })),
        )
    }

    /// A screenshot of the viewport as PNG bytes.
    pub fn screenshot(&self) -> Vec<u8> {
        let encoded = self.command("GET", "/screenshot", None);
        base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().expect("a screenshot is base64 text"))
            .expect("the screenshot is valid base64")
    }

    /// Polls `probe` every 50 ms until it gives a value, for at most [`WAIT`]; panics naming
    /// `what` it waited for.
    pub fn wait_for<T>(&self, what: &str, probe: impl FnMut() -> Option<T>) -> T {
        wait_for(what, WAIT, probe)
    }

    /// Waits until the first element matching `selector` shows a text containing `wanted`;
    /// returns the whole text.
    pub fn wait_for_text(&self, selector: &str, wanted: &str) -> String {
        let mut last = String::new();
        let found = wait_for_or_none(WAIT, || {
            let element = self.find_all(selector).into_iter().next()?;
            last = self.text(&element);
            last.contains(wanted).then(|| last.clone())
        });
        found.unwrap_or_else(|| {
            panic!("`{selector}` did not show {wanted:?} in {WAIT:?}; it shows {last:?}")
        })
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ending the session quits Chromium and its helpers; then the driver goes.
        if let Some(session) = self.session.take() {
            let _ = request(self.address, "DELETE", &format!("/session/{session}"), None);
        }
        // Asked to shut down, the driver removes its own temporary folders; killed only if
        // it has not gone within two seconds.
        let _ = request(self.address, "GET", "/shutdown", None);
        let _ = wait_for_or_none(Duration::from_secs(2), || {
            self.driver.try_wait().ok().flatten()
        });
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// The pixel size of a PNG and whether it shows more than one colour; panics if `bytes` is not
/// a PNG.
pub fn png_summary(bytes: &[u8]) -> (u32, u32, bool) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("the screenshot is a PNG");
    let mut pixels = vec![
        0;
        reader
            .output_buffer_size()
            .expect("a PNG of a bounded size")
    ];
    let frame = reader.next_frame(&mut pixels).expect("the PNG decodes");
    let pixels = &pixels[..frame.buffer_size()];
    let step = frame.color_type.samples() * usize::from(frame.bit_depth as u8).div_ceil(8);
    let first = &pixels[..step];
    let varied = pixels.chunks_exact(step).any(|p| p != first);
    (frame.width, frame.height, varied)
}

fn element_of(value: &Value) -> Option<Element> {
    value[ELEMENT_KEY]
        .as_str()
        .map(|id| Element(id.to_string()))
}

fn wait_for_or_none<T>(timeout: Duration, mut probe: impl FnMut() -> Option<T>) -> Option<T> {
    let until = Instant::now() + timeout;
    loop {
        if let Some(found) = probe() {
            return Some(found);
        }
        if Instant::now() >= until {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Polls `probe` until it gives a value, for at most `timeout`; panics naming `what`.
pub fn wait_for<T>(what: &str, timeout: Duration, probe: impl FnMut() -> Option<T>) -> T {
    wait_for_or_none(timeout, probe)
        .unwrap_or_else(|| panic!("waited {timeout:?} for {what}, in vain"))
}

/// A port no one listens on now (the driver binds it a moment later).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free local port")
        .port()
}

/// A fresh folder for the browser's profile, removed when the browser is dropped.
fn unique_profile_dir() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("attune-chromium-{}-{n}", std::process::id()))
}

/// One HTTP request to the driver: its status and its JSON answer.
fn request(
    address: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> std::io::Result<(u16, Value)> {
    // A POST without parameters still carries an empty object: the driver insists on one.
    let body = match (body, method) {
        (Some(body), _) => body.to_string(),
        (None, "POST") => "{}".to_string(),
        (None, _) => String::new(),
    };
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(REQUEST_TIMEOUT))?;
    stream.set_write_timeout(Some(REQUEST_TIMEOUT))?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\
         Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    // chromedriver says `Connection: close` but keeps the connection open: read the head,
    // then exactly the body its Content-Length announces.
    let mut raw = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::Error::other("the driver closed before answering"));
        }
        raw.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).to_string();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status in {head:?}")))?;
    let length: usize = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no Content-Length in {head:?}")))?;
    let mut body = raw.split_off(head_end);
    while body.len() < length {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::Error::other("the driver's answer was cut short"));
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    let value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    Ok((status, value))
}
