use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use attune::engine::{PreparedScenario, Session};
use attune::model::Catalogue;
use attune::scenario::Choice;
use attune::scoring::ScoringConfig;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn prepared_from(path: &Path) -> Arc<PreparedScenario> {
    PreparedScenario::from_file(path, &Catalogue::builtin(), &ScoringConfig::builtin())
        .unwrap_or_else(|d| panic!("{} does not load: {d:?}", path.display()))
}

/// A library scenario by file stem, e.g. `library("dan-mandated-anger")`.
pub fn library(stem: &str) -> Arc<PreparedScenario> {
    prepared_from(&root().join("scenarios").join(format!("{stem}.ron")))
}

pub fn fixture_text() -> String {
    std::fs::read_to_string(root().join("tests/fixtures/minimal.ron")).expect("fixture")
}

pub fn fixture() -> Arc<PreparedScenario> {
    prepared_text(&fixture_text())
}

pub fn prepared_text(text: &str) -> Arc<PreparedScenario> {
    PreparedScenario::from_text(
        "fixture.ron",
        text,
        &Catalogue::builtin(),
        &ScoringConfig::builtin(),
    )
    .unwrap_or_else(|d| panic!("fixture does not load: {d:?}"))
}

pub fn choice(id: &str) -> Choice {
    Choice::new(id)
}

pub fn play(prepared: &Arc<PreparedScenario>, seed: u64, choices: &[Choice]) -> Session {
    let mut s = Session::new(Arc::clone(prepared), seed);
    for c in choices {
        s.apply(c).expect("choice applies");
    }
    s
}

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

/// Every scenario file in the library, in a stable order.
pub fn library_files() -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    files
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
