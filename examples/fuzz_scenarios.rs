//! The long robustness run: feeds mutated scenario files, token soup and random bytes
//! through the scenario checker and the script reader, and reports speed, the slowest
//! input, peak memory and every panic, slow input or misplaced diagnostic found.
//!
//! ```sh
//! cargo run --release --example fuzz_scenarios -- 1000000
//! ```
//!
//! Offending inputs are written to `<target>/fuzz_scenarios/` (or `--out`) with a note of
//! what went wrong beside each. Input N is the same on every run while the seed files are
//! unchanged, so `--first N --count 1` reruns one. A stack overflow cannot be caught: it
//! ends the process with a message naming the worker thread, `fuzz inputs A..B`, so
//! `--first A --count` (B - A) reruns that batch.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use attune::fuzz::{CheckPath, Mutator, RunConfig, load_seeds, run};
use clap::Parser;

#[derive(Parser)]
#[command(about = "Fuzz the scenario checker and script reader with mutated inputs")]
struct Args {
    /// How many inputs to run.
    #[arg(default_value_t = 1_000_000)]
    count: u64,
    /// The first input number (input N is the same while the seed files are unchanged).
    #[arg(long, default_value_t = 0)]
    first: u64,
    /// An input slower than this many milliseconds is reported as a finding.
    #[arg(long, default_value_t = 250)]
    budget_ms: u64,
    /// An input still running after this many seconds stops the run as a hang.
    #[arg(long, default_value_t = 30)]
    hang_s: u64,
    /// Where offending inputs are written (default: `fuzz_scenarios` in the target folder).
    #[arg(long)]
    out: Option<PathBuf>,
    /// The project folder holding `scenarios/` and `tests/` (the seed files).
    #[arg(long, default_value = env!("CARGO_MANIFEST_DIR"))]
    root: PathBuf,
    /// Seconds between progress lines.
    #[arg(long, default_value_t = 10)]
    progress_s: u64,
    /// Peak memory growth, in MiB, above which the run fails.
    #[arg(long, default_value_t = 256)]
    max_growth_mib: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let seeds = match load_seeds(&args.root) {
        Ok(seeds) => seeds,
        Err(e) => {
            eprintln!(
                "cannot read the seed files under {}: {e}",
                args.root.display()
            );
            return ExitCode::FAILURE;
        }
    };
    let out = args.out.clone().unwrap_or_else(default_out);
    println!(
        "{} seed files; inputs {}..{}; findings go to {}",
        seeds.len(),
        args.first,
        args.first + args.count,
        out.display()
    );
    let mutator = Mutator::new(seeds, 0);
    let check = CheckPath::new();
    let mut config = RunConfig::new(args.count, out);
    config.first = args.first;
    config.budget = Duration::from_millis(args.budget_ms);
    config.hang_limit = Duration::from_secs(args.hang_s);
    config.progress_every = Duration::from_secs(args.progress_s);
    let report = run(&mutator, &check, &config, |p| {
        let slowest = p.slowest.as_ref().map_or(String::new(), |s| {
            format!(
                ", slowest {:.2} ms (#{})",
                s.time.as_secs_f64() * 1e3,
                s.index
            )
        });
        let peak = p.peak_rss_kb.map_or(String::new(), |kb| {
            format!(", peak {:.1} MiB", kb as f64 / 1024.0)
        });
        println!(
            "{:>9}/{} inputs, {:.0}/s, {} findings{slowest}{peak}",
            p.done,
            p.total,
            p.per_second(),
            p.findings
        );
    });
    print!("{report}");
    let growth_ok = report
        .peak_growth_kb()
        .is_none_or(|kb| kb <= args.max_growth_mib * 1024);
    if !growth_ok {
        println!("peak memory grew by more than {} MiB", args.max_growth_mib);
    }
    if report.findings.is_empty() && growth_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `<target>/fuzz_scenarios`, found from this program's own path
/// (`<target>/<profile>/examples/fuzz_scenarios`).
fn default_out() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.join("fuzz_scenarios")))
        .unwrap_or_else(|| std::env::temp_dir().join("fuzz_scenarios"))
}
