//! The runner: generates inputs, checks each on a worker thread with an ordinary 2 MiB
//! stack (what the app's loading threads get), catches panics, times every input and
//! watches for one that never finishes.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

use super::check::{CheckPath, Checked, Outcome};
use super::memory::{peak_rss_kb, reset_peak_rss, rss_kb};
use super::mutate::{Input, Mutator};

#[derive(Clone, Debug)]
pub struct RunConfig {
    /// The first input number; inputs `first..first + count` are run.
    pub first: u64,
    pub count: u64,
    /// An input that takes longer than this is reported.
    pub budget: Duration,
    /// An input still running after this long is a hang: the runner writes it out and
    /// ends the process, since a thread cannot be stopped from outside.
    pub hang_limit: Duration,
    /// Where offending inputs are written.
    pub findings_dir: PathBuf,
    /// At most this many findings are written as files (all are counted).
    pub max_written: usize,
    pub progress_every: Duration,
    pub stack_size: usize,
}

impl RunConfig {
    pub fn new(count: u64, findings_dir: impl Into<PathBuf>) -> RunConfig {
        RunConfig {
            first: 0,
            count,
            budget: Duration::from_secs(1),
            hang_limit: Duration::from_secs(30),
            findings_dir: findings_dir.into(),
            max_written: 20,
            progress_every: Duration::from_secs(5),
            stack_size: 2 * 1024 * 1024,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum FindingKind {
    /// The panic message with its location.
    Panic(String),
    OverBudget(Duration),
    /// A diagnostic that points outside the text or names the wrong file.
    BadDiagnostic(String),
}

#[derive(Clone, Debug)]
pub struct Finding {
    pub index: u64,
    pub kind: FindingKind,
    pub description: String,
    /// The input as written for reproduction, when it was.
    pub file: Option<PathBuf>,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            FindingKind::Panic(m) => write!(f, "panic: {m}")?,
            FindingKind::OverBudget(t) => write!(f, "slow: {:.1} ms", t.as_secs_f64() * 1e3)?,
            FindingKind::BadDiagnostic(m) => write!(f, "bad diagnostic: {m}")?,
        }
        write!(f, "\n  {}", self.description)?;
        if let Some(file) = &self.file {
            write!(f, "\n  written to {}", file.display())?;
        }
        Ok(())
    }
}

#[derive(Clone, Debug)]
pub struct Slowest {
    pub index: u64,
    pub time: Duration,
    pub description: String,
}

/// A snapshot for progress lines.
#[derive(Clone, Debug)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
    pub elapsed: Duration,
    pub slowest: Option<Slowest>,
    pub findings: usize,
    pub peak_rss_kb: Option<u64>,
}

impl Progress {
    pub fn per_second(&self) -> f64 {
        self.done as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

#[derive(Clone, Debug)]
pub struct Report {
    pub done: u64,
    pub elapsed: Duration,
    pub slowest: Option<Slowest>,
    pub findings: Vec<Finding>,
    /// How far inputs got as scenarios, and as play scripts.
    pub scenarios: BTreeMap<Outcome, u64>,
    pub scripts: BTreeMap<Outcome, u64>,
    pub largest_input: usize,
    pub rss_before_kb: Option<u64>,
    pub peak_rss_kb: Option<u64>,
}

impl Report {
    pub fn per_second(&self) -> f64 {
        self.done as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// How far the peak resident size rose above the size before the run.
    pub fn peak_growth_kb(&self) -> Option<u64> {
        Some(self.peak_rss_kb?.saturating_sub(self.rss_before_kb?))
    }

    pub fn scenarios(&self, outcome: Outcome) -> u64 {
        self.scenarios.get(&outcome).copied().unwrap_or(0)
    }

    pub fn scripts(&self, outcome: Outcome) -> u64 {
        self.scripts.get(&outcome).copied().unwrap_or(0)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} inputs in {:.1} s ({:.0} inputs/s), {} findings",
            self.done,
            self.elapsed.as_secs_f64(),
            self.per_second(),
            self.findings.len()
        )?;
        let scenarios: Vec<String> = Outcome::ALL
            .iter()
            .map(|o| format!("{} {}", o.name(), self.scenarios(*o)))
            .collect();
        writeln!(f, "as scenarios: {}", scenarios.join(", "))?;
        let scripts: Vec<String> = Outcome::ALL
            .iter()
            .filter(|o| **o != Outcome::Unprepared)
            .map(|o| format!("{} {}", o.name(), self.scripts(*o)))
            .collect();
        writeln!(f, "as scripts: {}", scripts.join(", "))?;
        if let Some(s) = &self.slowest {
            writeln!(
                f,
                "slowest: {:.2} ms, {}",
                s.time.as_secs_f64() * 1e3,
                s.description
            )?;
        }
        writeln!(f, "largest input: {} bytes", self.largest_input)?;
        if let (Some(before), Some(peak)) = (self.rss_before_kb, self.peak_rss_kb) {
            writeln!(
                f,
                "memory: {:.1} MiB before, peak {:.1} MiB (+{:.1} MiB)",
                before as f64 / 1024.0,
                peak as f64 / 1024.0,
                peak.saturating_sub(before) as f64 / 1024.0
            )?;
        }
        for finding in &self.findings {
            writeln!(f, "{finding}")?;
        }
        Ok(())
    }
}

/// Inputs per worker thread.
const BATCH: u64 = 1000;

/// What the worker shares with the watchdog.
#[derive(Default)]
struct Shared {
    done: u64,
    /// The input being checked and when it started.
    current: Option<(u64, Instant)>,
    slowest: Option<Slowest>,
    findings: usize,
}

/// Writes out an input that never finished and ends the process: a running thread cannot
/// be stopped from outside.
fn stop_on_hang(mutator: &Mutator, config: &RunConfig, index: u64, since: Instant) -> ! {
    let input = mutator.input(index);
    let file = write_input(
        config,
        &input,
        "hang",
        &format!("still running after {:?}", since.elapsed()),
    );
    eprintln!(
        "fuzz: {} has run for over {:?}; stopping.{}",
        input.describe(),
        config.hang_limit,
        file.map(|f| format!(" Written to {}", f.display()))
            .unwrap_or_default()
    );
    std::process::exit(3);
}

/// Runs `config.count` inputs through the `attune check` path and reports. Calls
/// `on_progress` every `config.progress_every` from the calling thread, which also
/// watches for hangs.
pub fn run(
    mutator: &Mutator,
    check: &CheckPath,
    config: &RunConfig,
    on_progress: impl FnMut(&Progress),
) -> Report {
    run_with(
        mutator,
        &|input| check.check(&input.bytes, input.readers),
        config,
        on_progress,
    )
}

/// What the runner does with each input: `run` checks it; tests of the runner itself
/// pass something that misbehaves on purpose.
pub type Checker<'a> = dyn Fn(&Input) -> Result<Checked, String> + Sync + 'a;

/// `run` with any checker.
pub fn run_with(
    mutator: &Mutator,
    check: &Checker,
    config: &RunConfig,
    mut on_progress: impl FnMut(&Progress),
) -> Report {
    install_panic_capture();
    reset_peak_rss();
    let rss_before_kb = rss_kb();
    let shared = Mutex::new(Shared::default());
    let started = Instant::now();
    let mut report = Report {
        done: 0,
        elapsed: Duration::ZERO,
        slowest: None,
        findings: Vec::new(),
        scenarios: BTreeMap::new(),
        scripts: BTreeMap::new(),
        largest_input: 0,
        rss_before_kb,
        peak_rss_kb: None,
    };
    // One worker per batch, named after its inputs: a stack overflow cannot be caught and
    // ends the process, but its message names the thread, so the batch can be rerun.
    let end = config.first + config.count;
    let mut batch_start = config.first;
    let mut last_progress = Instant::now();
    while batch_start < end {
        let batch = batch_start..end.min(batch_start + BATCH);
        batch_start = batch.end;
        let partial = std::thread::scope(|scope| {
            let worker = std::thread::Builder::new()
                .name(format!("fuzz inputs {}..{}", batch.start, batch.end))
                .stack_size(config.stack_size)
                .spawn_scoped(scope, || {
                    work(mutator, check, config, batch.clone(), &shared)
                })
                .expect("the fuzz worker thread starts");
            while !worker.is_finished() {
                std::thread::sleep(Duration::from_millis(10));
                let current = lock(&shared).current;
                if let Some((index, since)) = current
                    && since.elapsed() > config.hang_limit
                {
                    stop_on_hang(mutator, config, index, since);
                }
                if last_progress.elapsed() >= config.progress_every {
                    last_progress = Instant::now();
                    let s = lock(&shared);
                    on_progress(&Progress {
                        done: s.done,
                        total: config.count,
                        elapsed: started.elapsed(),
                        slowest: s.slowest.clone(),
                        findings: s.findings,
                        peak_rss_kb: peak_rss_kb(),
                    });
                }
            }
            worker
                .join()
                .expect("the fuzz worker does not panic outside an input")
        });
        report.findings.extend(partial.findings);
        for (outcome, n) in partial.scenarios {
            *report.scenarios.entry(outcome).or_default() += n;
        }
        for (outcome, n) in partial.scripts {
            *report.scripts.entry(outcome).or_default() += n;
        }
        report.largest_input = report.largest_input.max(partial.largest_input);
    }
    report.elapsed = started.elapsed();
    report.peak_rss_kb = peak_rss_kb();
    let s = lock(&shared);
    report.done = s.done;
    report.slowest = s.slowest.clone();
    report
}

/// What only the worker collects.
#[derive(Default)]
struct WorkerResult {
    findings: Vec<Finding>,
    scenarios: BTreeMap<Outcome, u64>,
    scripts: BTreeMap<Outcome, u64>,
    largest_input: usize,
}

fn work(
    mutator: &Mutator,
    check: &Checker,
    config: &RunConfig,
    batch: std::ops::Range<u64>,
    shared: &Mutex<Shared>,
) -> WorkerResult {
    let mut out = WorkerResult::default();
    for index in batch {
        let input = mutator.input(index);
        out.largest_input = out.largest_input.max(input.bytes.len());
        let start = Instant::now();
        lock(shared).current = Some((index, start));
        let mut panic_trace = String::new();
        let run_once = || {
            CAPTURING.with(|c| c.set(true));
            let result = catch_unwind(AssertUnwindSafe(|| check(&input)));
            CAPTURING.with(|c| c.set(false));
            result
        };
        let result = run_once();
        let mut time = start.elapsed();
        if time > config.budget && result.is_ok() {
            // A busy machine can stall any one run; only an input slow every time counts.
            for _ in 0..2 {
                let again = Instant::now();
                let _ = run_once();
                time = time.min(again.elapsed());
            }
        }
        let finding = match result {
            Ok(Ok(Checked { scenario, script })) => {
                if let Some(o) = scenario {
                    *out.scenarios.entry(o).or_default() += 1;
                }
                if let Some(o) = script {
                    *out.scripts.entry(o).or_default() += 1;
                }
                None
            }
            Ok(Err(message)) => Some(FindingKind::BadDiagnostic(message)),
            Err(_) => {
                let (message, trace) = LAST_PANIC
                    .with(|p| p.borrow_mut().take())
                    .unwrap_or_else(|| ("a panic".to_string(), String::new()));
                panic_trace = trace;
                Some(FindingKind::Panic(message))
            }
        };
        let over = (time > config.budget).then_some(FindingKind::OverBudget(time));
        for kind in finding.into_iter().chain(over) {
            let (label, detail) = match &kind {
                FindingKind::Panic(m) => ("panic", format!("{m}\n{panic_trace}")),
                FindingKind::OverBudget(t) => ("slow", format!("took {t:?}")),
                FindingKind::BadDiagnostic(m) => ("diagnostic", m.clone()),
            };
            let seen = {
                let mut s = lock(shared);
                s.findings += 1;
                s.findings
            };
            let file = (seen <= config.max_written)
                .then(|| write_input(config, &input, label, &detail))
                .flatten();
            out.findings.push(Finding {
                index,
                kind,
                description: input.describe(),
                file,
            });
        }
        let mut s = lock(shared);
        s.current = None;
        s.done += 1;
        if s.slowest.as_ref().is_none_or(|w| time > w.time) {
            s.slowest = Some(Slowest {
                index,
                time,
                description: input.describe(),
            });
        }
    }
    out
}

/// A poisoned lock only means a panic elsewhere; the counters are still right.
fn lock(shared: &Mutex<Shared>) -> std::sync::MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(|e| e.into_inner())
}

/// Writes the input as `<label>-<index>.ron` and what went wrong beside it as `.txt`.
fn write_input(config: &RunConfig, input: &Input, label: &str, detail: &str) -> Option<PathBuf> {
    let dir: &Path = &config.findings_dir;
    std::fs::create_dir_all(dir).ok()?;
    let file = dir.join(format!("{label}-{}.ron", input.index));
    std::fs::write(&file, &input.bytes).ok()?;
    let note = format!("{}\n{detail}\n", input.describe());
    std::fs::write(file.with_extension("txt"), note).ok()?;
    Some(file)
}

thread_local! {
    /// Set while this thread checks an input: its panics are recorded, not printed.
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    /// The last recorded panic: its message and location, and a backtrace.
    static LAST_PANIC: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// Installs, once, a panic hook that records panics on a checking thread (with a
/// backtrace, to fix them by) and passes every other panic to the hook it replaced, so
/// other tests in the same process still print theirs.
fn install_panic_capture() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CAPTURING.with(Cell::get) {
                let trace = std::backtrace::Backtrace::force_capture();
                LAST_PANIC.with(|p| *p.borrow_mut() = Some((info.to_string(), trace.to_string())));
            } else {
                previous(info);
            }
        }));
    });
}
