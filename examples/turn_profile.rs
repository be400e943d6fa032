//! Plays a library expert path many times, for profiling one turn (`perf record`, or
//! `valgrind --tool=callgrind` for instruction counts), and counts
//! the heap allocations a turn makes. Arguments: the scenario's file stem (Dan by default)
//! and how many sessions to play (100,000).
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

struct Counting;
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    let stem = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "dan-mandated-anger".into());
    let p = attune::engine::PreparedScenario::from_file(
        std::path::Path::new(&format!("scenarios/{stem}.ron")),
        &attune::model::Catalogue::builtin(),
        &attune::scoring::ScoringConfig::builtin(),
    )
    .unwrap();
    // How many sessions to play: fewer under valgrind (instruction counts, `callgrind`).
    let sessions: u64 = std::env::args()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let play = attune::analysis::expert_playthrough(&p.scenario)
        .unwrap()
        .clone();
    let (mut turns, mut in_turns) = (0u64, 0u64);
    for i in 0..sessions {
        let mut s = attune::engine::Session::new(Arc::clone(&p), i);
        for c in &play.choices {
            let before = ALLOCATIONS.load(Ordering::Relaxed);
            if s.apply(c).is_ok() {
                turns += 1;
                in_turns += ALLOCATIONS.load(Ordering::Relaxed) - before;
            }
        }
    }
    println!(
        "{turns} turns, {:.1} allocations per turn",
        in_turns as f64 / turns as f64
    );
}
