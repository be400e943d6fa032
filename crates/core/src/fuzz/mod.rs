//! Robustness testing for the text Attune reads: a small deterministic mutator that turns
//! the real scenario files into broken, strange and hostile variants, and a runner that
//! feeds each one through the same path as `attune check` (and `attune play`'s script
//! reader) and reports any panic, any input slower than its budget, and the memory used.
//!
//! Input `n` is a pure function of `n` and the seed files, so while those files are
//! unchanged a finding is reproduced from its number alone; the runner also writes each
//! offending input to a file, which reproduces it whatever the seed files become.
//! `tests/suite/robustness.rs` runs a short sweep; `examples/fuzz_scenarios.rs` a long one.

mod check;
mod corpus;
mod memory;
mod mutate;
mod run;

pub use check::{CheckPath, Checked, Outcome, Readers};
pub use corpus::{Seed, load_seeds};
pub use memory::{peak_rss_kb, reset_peak_rss, rss_kb};
pub use mutate::{Input, Mutator, Rng};
pub use run::{Checker, Finding, FindingKind, Progress, Report, RunConfig, Slowest, run, run_with};
