//! What the suite's tests share: the core's helpers (`crates/core/tests/suite/common.rs`,
//! included here so there is one copy), and running the `attune` binary.

use std::path::Path;
use std::process::{Command, Output};

#[path = "../../crates/core/tests/suite/common.rs"]
mod core_common;
pub use core_common::*;

/// The `attune` binary, run from the project folder as a user would run it.
pub fn attune_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_attune"));
    command.current_dir(root());
    command
}

pub fn attune(args: &[&str]) -> Output {
    attune_command().args(args).output().expect("runs attune")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `attune` with its own data folder and no record store from the environment, as on a
/// learner's machine.
pub fn attune_in(data: &Path, args: &[&str]) -> Command {
    let mut c = attune_command();
    c.args(args).env("ATTUNE_DATA_DIR", data);
    for var in ["ENDPOINT", "KEY", "SECRET", "HOME_PAGE", "ACTIVITY_BASE"] {
        c.env_remove(format!("ATTUNE_LRS_{var}"));
    }
    c
}

/// `attune_in`, run to its end.
pub fn run_in(data: &Path, args: &[&str]) -> Output {
    attune_in(data, args).output().expect("runs attune")
}

/// Makes a named pipe (FIFO) at `path`: a file that blocks whoever opens it for reading
/// until a writer comes.
pub fn mkfifo(path: &Path) {
    let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    assert_eq!(
        unsafe { libc::mkfifo(name.as_ptr(), 0o600) },
        0,
        "mkfifo {}",
        path.display()
    );
}
