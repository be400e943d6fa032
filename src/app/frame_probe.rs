//! A frame-time probe for `scripts/measure-class.sh`, off unless `ATTUNE_PROBE_FRAMES` is
//! set (to the seconds between summaries; 5 when it is not a positive number). The window
//! renders reactively, so the time between frames says more about what woke it than about
//! how busy it is: the probe times each frame's *work*, from the start of its `First`
//! schedule to the end of its `Last`, and, apart from that, the interval since the frame
//! before. It prints to stdout, for a script to read:
//!
//! - a line per frame: `frame <seconds since 1970> work_ms=<ms> interval_ms=<ms>` (the
//!   interval is 0 on the first frame), so that a script can take the figures of any span of
//!   time it chooses;
//! - a summary of the frames since the last one, every period and at exit:
//!   `frame-times <seconds since 1970> frames=<n> work_ms p50=.. p95=.. p99=.. max=..
//!   interval_ms p50=.. p95=.. p99=.. max=..`.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bevy::prelude::*;

pub const ENV: &str = "ATTUNE_PROBE_FRAMES";

/// The seconds between summaries when `ATTUNE_PROBE_FRAMES` is not a positive number.
const DEFAULT_PERIOD: f64 = 5.0;

pub fn plugin(app: &mut App) {
    let Some(value) = std::env::var_os(ENV) else {
        return;
    };
    let period = value
        .to_str()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|p| p.is_finite() && *p > 0.0)
        .unwrap_or(DEFAULT_PERIOD);
    app.insert_resource(FrameClock::new(Duration::from_secs_f64(period)))
        .add_systems(First, start_frame)
        .add_systems(Last, (end_frame, summarise_at_exit).chain());
}

/// The frames timed since the last summary.
#[derive(Resource)]
struct FrameClock {
    period: Duration,
    /// When the frame under way started, and when the one before did.
    started: Option<Instant>,
    previous: Option<Instant>,
    since: Instant,
    work_ms: Vec<f64>,
    interval_ms: Vec<f64>,
}

impl FrameClock {
    fn new(period: Duration) -> FrameClock {
        FrameClock {
            period,
            started: None,
            previous: None,
            since: Instant::now(),
            work_ms: Vec::new(),
            interval_ms: Vec::new(),
        }
    }

    /// Prints the summary of the frames since the last one and starts a new span.
    fn summarise(&mut self) {
        if !self.work_ms.is_empty() {
            println!(
                "frame-times {:.3} frames={} work_ms {} interval_ms {}",
                unix_seconds(),
                self.work_ms.len(),
                Spread::of(&self.work_ms),
                Spread::of(&self.interval_ms),
            );
        }
        self.work_ms.clear();
        self.interval_ms.clear();
        self.since = Instant::now();
    }
}

fn start_frame(mut clock: ResMut<FrameClock>) {
    let now = Instant::now();
    clock.previous = clock.started.replace(now);
}

fn end_frame(mut clock: ResMut<FrameClock>) {
    let Some(started) = clock.started else {
        return;
    };
    let work = started.elapsed().as_secs_f64() * 1e3;
    let interval = clock
        .previous
        .map_or(0.0, |p| started.duration_since(p).as_secs_f64() * 1e3);
    println!(
        "frame {:.3} work_ms={work:.3} interval_ms={interval:.3}",
        unix_seconds()
    );
    clock.work_ms.push(work);
    if clock.previous.is_some() {
        clock.interval_ms.push(interval);
    }
    if clock.since.elapsed() >= clock.period {
        clock.summarise();
    }
}

fn summarise_at_exit(mut exits: MessageReader<AppExit>, mut clock: ResMut<FrameClock>) {
    if exits.read().count() > 0 {
        clock.summarise();
    }
}

fn unix_seconds() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64()
}

/// The median, 95th and 99th percentiles (nearest rank) and the largest of some times in ms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

impl Spread {
    /// The spread of `times`; all zero when there are none.
    pub fn of(times: &[f64]) -> Spread {
        let mut sorted = times.to_vec();
        sorted.sort_by(f64::total_cmp);
        let rank = |q: f64| -> f64 {
            if sorted.is_empty() {
                return 0.0;
            }
            let n = sorted.len();
            let index = ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
            sorted[index]
        };
        Spread {
            p50: rank(0.5),
            p95: rank(0.95),
            p99: rank(0.99),
            max: sorted.last().copied().unwrap_or(0.0),
        }
    }
}

impl std::fmt::Display for Spread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "p50={:.3} p95={:.3} p99={:.3} max={:.3}",
            self.p50, self.p95, self.p99, self.max
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_takes_nearest_rank_percentiles_and_the_largest() {
        let times: Vec<f64> = (1..=100).rev().map(f64::from).collect();
        let spread = Spread::of(&times);
        assert_eq!(
            spread,
            Spread {
                p50: 50.0,
                p95: 95.0,
                p99: 99.0,
                max: 100.0
            }
        );
        assert_eq!(
            spread.to_string(),
            "p50=50.000 p95=95.000 p99=99.000 max=100.000"
        );
    }

    #[test]
    fn spread_of_one_time_or_none() {
        let one = Spread::of(&[7.5]);
        assert_eq!((one.p50, one.p99, one.max), (7.5, 7.5, 7.5));
        assert_eq!(Spread::of(&[]).max, 0.0);
    }
}
