//! Ralph, a real learning record store (France Université Numérique's `ralph-malph`), run
//! for a test: on a free 127.0.0.1 port, with its filesystem backend in a folder of its own,
//! an instructor account that reads everything and one account per learner whose agent is
//! that learner's xAPI account. It can be stopped and started again on the same port and
//! folder, keeping what it stored, and is stopped (its whole process group) when dropped.
//!
//! `scripts/setup-debian.sh` installs Ralph in a virtual environment outside the clone; a
//! test that needs it fails, naming that script, when it is not there: CI must run these.

use std::io::{Read, Seek, SeekFrom};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Learners' accounts belong to this system (their `homePage`), as Attune's `home_page`.
pub const LEARNERS_HOME: &str = "https://uni.example/students";
/// The instructor's account, on the staff system.
pub const STAFF_HOME: &str = "https://uni.example/staff";
pub const INSTRUCTOR: &str = "instructor";
const INSTRUCTOR_PASSWORD: &str = "instructor-secret";

/// How many statements Ralph returns per page: small, so that reading a class back follows
/// `more` links over several pages.
pub const PAGE_SIZE: usize = 10;

/// Where `scripts/setup-debian.sh` puts Ralph's virtual environment.
fn venv() -> PathBuf {
    match std::env::var_os("ATTUNE_RALPH_VENV") {
        Some(v) if !v.is_empty() => PathBuf::from(v),
        _ => PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
            .join(".cache/attune/ralph-venv"),
    }
}

fn ralph_program() -> PathBuf {
    let program = venv().join("bin/ralph");
    assert!(
        program.is_file(),
        "Ralph is not installed at {}: run `bash scripts/setup-debian.sh`, which installs it there (or set ATTUNE_RALPH_VENV to where it is)",
        program.display()
    );
    program
}

/// Makes the filesystem backend append to its statements file: by default it creates the
/// file and refuses every later write to it ("Statements bulk indexation failed").
const SITECUSTOMIZE: &str = "\
from ralph.backends.data.base import BaseOperationType
from ralph.backends.data.fs import FSDataBackend
FSDataBackend.default_operation_type = BaseOperationType.APPEND
";

/// A learner's account: the credentials the instructor issues and the xAPI account Ralph
/// records as the `authority` of whatever is sent with them.
#[derive(Clone, Debug)]
pub struct Learner {
    pub name: String,
    pub password: String,
}

impl Learner {
    pub fn new(name: &str) -> Learner {
        Learner {
            name: name.to_string(),
            password: format!("{name}-password"),
        }
    }
}

pub struct Ralph {
    port: u16,
    dir: PathBuf,
    server: Option<Child>,
}

impl Ralph {
    /// Creates the accounts with `ralph auth` and starts the server; returns once it answers.
    pub fn start(name: &str, learners: &[Learner]) -> Ralph {
        let program = ralph_program();
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("ralph-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for sub in ["app", "store", "python"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        std::fs::write(dir.join("python/sitecustomize.py"), SITECUSTOMIZE).unwrap();
        // Reading everything is the instructor's; a learner may write, and read only what
        // their own account sent.
        add_account(
            &program,
            &dir,
            INSTRUCTOR,
            INSTRUCTOR_PASSWORD,
            &["all"],
            STAFF_HOME,
        );
        for l in learners {
            add_account(
                &program,
                &dir,
                &l.name,
                &l.password,
                &["statements/write", "statements/read/mine"],
                LEARNERS_HOME,
            );
        }
        let mut ralph = Ralph {
            port: free_port(),
            dir,
            server: None,
        };
        ralph.up();
        ralph
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/xAPI/", self.port)
    }

    /// A learner's `lrs.ron`: the store, their own credentials, the learners' system.
    pub fn learner_config(&self, learner: &Learner) -> String {
        format!(
            "(endpoint: \"{}\", key: \"{}\", secret: \"{}\", home_page: \"{LEARNERS_HOME}\")",
            self.endpoint(),
            learner.name,
            learner.password
        )
    }

    /// The instructor's configuration, for `attune report --lrs --lrs-config FILE`; its
    /// `home_page` is the learners' (it names the accounts statements are about).
    pub fn instructor_config(&self) -> String {
        format!(
            "(endpoint: \"{}\", key: \"{INSTRUCTOR}\", secret: \"{INSTRUCTOR_PASSWORD}\", home_page: \"{LEARNERS_HOME}\")",
            self.endpoint()
        )
    }

    /// Starts the server on its port and folder and waits until it answers.
    pub fn up(&mut self) {
        assert!(self.server.is_none(), "Ralph is already running");
        self.recover_store();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("server.log"))
            .unwrap();
        let mut command = Command::new(ralph_program());
        command
            .args(["runserver", "-b", "fs", "-h", "127.0.0.1", "-p"])
            .arg(self.port.to_string())
            .arg("--fs-default-directory-path")
            .arg(self.dir.join("store"))
            .current_dir(&self.dir)
            .env("PYTHONPATH", self.dir.join("python"))
            .env("RALPH_APP_DIR", self.dir.join("app"))
            .env(
                "RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT",
                PAGE_SIZE.to_string(),
            )
            // Scopes decide who reads what: the instructor everything, a learner their own.
            .env("RALPH_LRS_RESTRICT_BY_SCOPES", "true")
            .env("RALPH_LRS_RESTRICT_BY_AUTHORITY", "true")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            // Its own process group: uvicorn starts children, and stopping kills them all.
            .process_group(0);
        let mut server = command.spawn().expect("Ralph starts");
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = server.try_wait() {
                panic!(
                    "Ralph stopped at start ({status}); the end of its log:\n{}",
                    self.log_tail()
                );
            }
            if self.answers() {
                break;
            }
            if start.elapsed() > Duration::from_secs(90) {
                kill_group(&mut server);
                panic!(
                    "Ralph did not answer on port {} within 90 s; the end of its log:\n{}",
                    self.port,
                    self.log_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        self.server = Some(server);
    }

    /// Stops the server at once (SIGKILL to its process group): connections to the port are
    /// refused until `up`. What it stored stays in its folder.
    pub fn down(&mut self) {
        if let Some(mut server) = self.server.take() {
            kill_group(&mut server);
        }
    }

    /// Drops a statement half-written when the server was killed. A record store on a
    /// database rolls such a write back; the filesystem backend leaves the partial line, then
    /// fails every later request ("xAPI statements query failed") because it rereads the
    /// file. Truncating to the last whole line is that rollback: the client never had an
    /// answer for the statement, so it must send it again.
    ///
    /// The backend also rewrites a whole history file (`app/history.json`) on every read and
    /// write; killed during that rewrite it is left empty or cut, and every later request
    /// fails with a JSON error (HTTP 500, or a reset connection). It is only Ralph's log of
    /// what it did, so a history that does not parse starts again empty.
    fn recover_store(&self) {
        let history = self.dir.join("app/history.json");
        if let Ok(text) = std::fs::read_to_string(&history)
            && serde_json::from_str::<serde_json::Value>(&text).is_err()
        {
            std::fs::write(&history, "[]").expect("Ralph's history file can be rewritten");
        }
        let file = self.statements_file();
        let Ok(bytes) = std::fs::read(&file) else {
            return;
        };
        if bytes.is_empty() || bytes.ends_with(b"\n") {
            return;
        }
        let whole = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        std::fs::OpenOptions::new()
            .write(true)
            .open(&file)
            .and_then(|f| f.set_len(whole as u64))
            .expect("the statements file can be truncated");
    }

    fn answers(&self) -> bool {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(2)))
            .http_status_as_error(false)
            .build()
            .into();
        agent
            .get(format!("http://127.0.0.1:{}/__heartbeat__", self.port))
            .call()
            .is_ok_and(|r| r.status().as_u16() == 200)
    }

    /// The statements file of the filesystem backend.
    pub fn statements_file(&self) -> PathBuf {
        self.dir.join("store/fs_lrs.jsonl")
    }

    /// Every statement Ralph has stored, in the order it stored them, read from its file
    /// (not through the API, so that these tests do not depend on Attune's reader).
    pub fn stored(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(self.statements_file()).unwrap_or_default();
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).expect("Ralph stores JSON lines"))
            .collect()
    }

    /// The last few kilobytes of the server's log, for a failure message.
    pub fn log_tail(&self) -> String {
        let Ok(mut f) = std::fs::File::open(self.dir.join("server.log")) else {
            return String::new();
        };
        let len = f.metadata().map_or(0, |m| m.len());
        let _ = f.seek(SeekFrom::Start(len.saturating_sub(4096)));
        let mut tail = String::new();
        let _ = f.read_to_string(&mut tail);
        tail
    }
}

impl Drop for Ralph {
    fn drop(&mut self) {
        self.down();
        // Kept after a failure, for its log and what it stored.
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// `ralph auth`: one user in the users file, with an xAPI account as its agent.
fn add_account(
    program: &Path,
    dir: &Path,
    user: &str,
    password: &str,
    scopes: &[&str],
    home_page: &str,
) {
    let mut command = Command::new(program);
    command
        .args(["auth", "-u", user, "-p", password, "-w"])
        .args(["-A", user, home_page])
        .env("RALPH_APP_DIR", dir.join("app"))
        // Without it, `ralph auth` looks for the Elasticsearch backend and fails.
        .env("RALPH_RUNSERVER_BACKEND", "fs")
        .current_dir(dir)
        .stdin(Stdio::null());
    for s in scopes {
        command.args(["-s", s]);
    }
    let out = command.output().expect("ralph auth runs");
    assert!(
        out.status.success(),
        "ralph auth for {user} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
    listener.local_addr().unwrap().port()
}

fn kill_group(server: &mut Child) {
    let group = server.id() as libc::pid_t;
    // SAFETY: a plain system call on the group this harness made for the server.
    unsafe {
        libc::kill(-group, libc::SIGKILL);
    }
    let _ = server.wait();
}
