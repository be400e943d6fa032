//! Spreading independent jobs over the machine's cores with scoped threads. Results come
//! back in the order of the jobs, whatever the number of threads, so every analysis is
//! deterministic.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Threads to use: the cores available, at most eight.
pub fn worker_count() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
}

/// `f` applied to every job, in parallel; the results in job order. Each worker takes the
/// next job when it finishes one, so uneven jobs still keep every core busy.
pub fn parallel_map<T, R, F>(jobs: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let workers = worker_count().min(jobs.len());
    if workers <= 1 {
        return jobs.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<R>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                // Results are kept locally and stored once, so the lock is taken once per worker.
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    mine.push((i, f(job)));
                }
                let mut slots = slots.lock().expect("no worker panicked holding the lock");
                for (i, r) in mine {
                    slots[i] = Some(r);
                }
            });
        }
    });
    slots
        .into_inner()
        .expect("no worker panicked holding the lock")
        .into_iter()
        .map(|r| r.expect("every job ran"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_job_order() {
        let jobs: Vec<u64> = (0..1000).collect();
        let squares = parallel_map(&jobs, |x| x * x);
        assert_eq!(squares, jobs.iter().map(|x| x * x).collect::<Vec<_>>());
    }
}
