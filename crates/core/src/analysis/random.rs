//! Random play: N sessions, each choosing a random technique with random adaptations
//! every turn. Playthrough `i` draws from its own generator seeded by (seed, i), and the
//! work is split into fixed chunks merged in order, so the result depends on the seed
//! alone, never on the number of threads.

use std::sync::Arc;

use super::coverage::{ContentIndex, ContentTally};
use super::progress::Progress;
use super::technique_fit::TechniqueTally;
use super::workers::parallel_map;
use crate::engine::{PreparedScenario, Session};
use crate::model::SessionEnd;
use crate::scenario::{Choice, Directiveness, FocusShift, Framing, Pacing};

/// Playthroughs per job: big enough to amortise a job, small enough to balance two cores
/// and move the progress bar.
const CHUNK: u64 = 250;

#[derive(Clone, Debug, PartialEq)]
pub struct RandomPlay {
    /// Each playthrough's overall score, in playthrough order.
    pub scores: Vec<f32>,
    pub passed: u64,
    pub dropouts: u64,
    pub crises: u64,
    /// Playthroughs in which a safety gate failed.
    pub safety_failures: u64,
    pub content: ContentTally,
    pub techniques: TechniqueTally,
}

/// SplitMix64 (Steele, Lea & Flood 2014): tiny, fast and good enough to pick moves.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform below `n` (n > 0), by multiply-shift.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    fn for_playthrough(seed: u64, index: u64) -> Rng {
        let mut mixer = Rng(seed);
        let base = mixer.next();
        let mut rng = Rng(base ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03));
        rng.next();
        rng
    }
}

/// Plays `playthroughs` random sessions, advancing `progress` by one unit per session.
pub fn play_random(
    prepared: &Arc<PreparedScenario>,
    playthroughs: u64,
    seed: u64,
    progress: &Progress,
) -> RandomPlay {
    let chunks: Vec<(u64, u64)> = (0..playthroughs.div_ceil(CHUNK))
        .map(|c| (c * CHUNK, ((c + 1) * CHUNK).min(playthroughs)))
        .collect();
    let index = ContentIndex::new(prepared);
    let parts = parallel_map(&chunks, |&(from, to)| {
        let part = play_chunk(prepared, &index, seed, from..to);
        progress.advance(to - from);
        part
    });
    let mut total = empty(prepared, playthroughs as usize);
    for part in parts {
        total.scores.extend_from_slice(&part.scores);
        total.passed += part.passed;
        total.dropouts += part.dropouts;
        total.crises += part.crises;
        total.safety_failures += part.safety_failures;
        total.content.merge(&part.content);
        total.techniques.merge(&part.techniques);
    }
    total
}

fn empty(prepared: &PreparedScenario, capacity: usize) -> RandomPlay {
    RandomPlay {
        scores: Vec::with_capacity(capacity),
        passed: 0,
        dropouts: 0,
        crises: 0,
        safety_failures: 0,
        content: ContentTally::new(prepared),
        techniques: TechniqueTally::new(prepared.techniques.len()),
    }
}

/// One reusable choice per technique: only the adaptations change between turns, so no
/// technique id is allocated per turn.
fn plain_choices(prepared: &PreparedScenario) -> Vec<Choice> {
    prepared
        .techniques
        .iter()
        .map(|t| Choice::new(&t.id))
        .collect()
}

/// Plays random playthrough `i`: a random technique with random adaptations every turn.
/// Calls `each_turn` with the technique's index and the outcome of every turn.
fn play_one(
    prepared: &Arc<PreparedScenario>,
    choices: &mut [Choice],
    seed: u64,
    i: u64,
    mut each_turn: impl FnMut(usize, &crate::scoring::TurnOutcome),
) -> Session {
    let mut rng = Rng::for_playthrough(seed, i);
    let mut session = Session::new(Arc::clone(prepared), rng.next());
    for _ in 0..prepared.scenario.session.turn_limit {
        let t = rng.below(choices.len());
        let choice = &mut choices[t];
        choice.directiveness = Directiveness::ALL[rng.below(Directiveness::ALL.len())];
        choice.focus = FocusShift::ALL[rng.below(FocusShift::ALL.len())];
        choice.pacing = Pacing::ALL[rng.below(Pacing::ALL.len())];
        choice.framing = Framing::ALL[rng.below(Framing::ALL.len())];
        let bits = rng.next();
        choice.culturally_adapted = bits & 1 == 1;
        choice.spiritually_adapted = bits & 2 == 2;
        let Ok(outcome) = session.apply(choice) else {
            break;
        };
        each_turn(t, outcome);
        if outcome.ended.is_some() {
            break;
        }
    }
    session
}

/// Plays the same random sessions `play_random` plays, one after another, and hands each
/// finished session to `f` (for checks over every turn of random play).
pub fn for_each_random_session(
    prepared: &Arc<PreparedScenario>,
    playthroughs: u64,
    seed: u64,
    mut f: impl FnMut(&Session),
) {
    let mut choices = plain_choices(prepared);
    for i in 0..playthroughs {
        f(&play_one(prepared, &mut choices, seed, i, |_, _| {}));
    }
}

fn play_chunk(
    prepared: &Arc<PreparedScenario>,
    index: &ContentIndex,
    seed: u64,
    range: std::ops::Range<u64>,
) -> RandomPlay {
    let mut part = empty(prepared, (range.end - range.start) as usize);
    let mut choices = plain_choices(prepared);
    for i in range {
        part.content.next_session();
        let session = play_one(prepared, &mut choices, seed, i, |t, outcome| {
            part.techniques.record(t, outcome.fit.score);
            part.content.record(index, outcome);
        });
        let summary = session.summary();
        part.scores.push(summary.overall);
        part.passed += u64::from(summary.passed);
        part.dropouts += u64::from(summary.end == Some(SessionEnd::Dropout));
        part.crises += u64::from(summary.end == Some(SessionEnd::Crisis));
        part.safety_failures += u64::from(!summary.safety_failures.is_empty());
    }
    part
}

/// The distribution of random play's scores.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Distribution {
    pub playthroughs: u64,
    pub mean: f32,
    pub median: f32,
    pub p10: f32,
    pub p90: f32,
    pub min: f32,
    pub max: f32,
    pub pass_rate: f32,
    pub dropout_rate: f32,
    pub crisis_rate: f32,
    pub safety_failure_rate: f32,
    /// Ten bins of ten points: 0-10, 10-20, ..., 90-100 (100 falls in the last).
    pub histogram: Vec<Bin>,
}

#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Bin {
    pub from: f32,
    pub to: f32,
    pub count: u64,
}

impl RandomPlay {
    /// None when no session was played.
    pub fn distribution(&self) -> Option<Distribution> {
        Distribution::of(
            &self.scores,
            [
                self.passed,
                self.dropouts,
                self.crises,
                self.safety_failures,
            ],
        )
    }
}

impl Distribution {
    /// The statistics of `scores`, with the counts of sessions that passed, dropped out,
    /// ended in crisis and failed a safety gate. None when there are no scores.
    pub fn of(
        scores: &[f32],
        [passed, dropouts, crises, safety_failures]: [u64; 4],
    ) -> Option<Distribution> {
        let n = scores.len();
        if n == 0 {
            return None;
        }
        let mut sorted = scores.to_vec();
        sorted.sort_by(f32::total_cmp);
        // Nearest rank: the smallest score with at least p of the scores at or below it.
        let rank = |p: f64| sorted[((p * n as f64).ceil() as usize).clamp(1, n) - 1];
        let mut histogram: Vec<Bin> = (0..10)
            .map(|b| Bin {
                from: b as f32 * 10.0,
                to: (b + 1) as f32 * 10.0,
                count: 0,
            })
            .collect();
        for s in &sorted {
            histogram[((s / 10.0) as usize).min(9)].count += 1;
        }
        let rate = |k: u64| k as f32 / n as f32;
        Some(Distribution {
            playthroughs: n as u64,
            mean: (sorted.iter().map(|&s| f64::from(s)).sum::<f64>() / n as f64) as f32,
            median: if n % 2 == 1 {
                sorted[n / 2]
            } else {
                (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
            },
            p10: rank(0.1),
            p90: rank(0.9),
            min: sorted[0],
            max: sorted[n - 1],
            pass_rate: rate(passed),
            dropout_rate: rate(dropouts),
            crisis_rate: rate(crises),
            safety_failure_rate: rate(safety_failures),
            histogram,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distribution_statistics_follow_their_definitions() {
        // 1, 2, ..., 100 shuffled: order must not matter.
        let scores: Vec<f32> = (1..=100).map(|i| ((i * 37) % 100 + 1) as f32).collect();
        let d = Distribution::of(&scores, [25, 10, 5, 20]).unwrap();
        assert_eq!((d.min, d.max, d.median, d.mean), (1.0, 100.0, 50.5, 50.5));
        assert_eq!((d.p10, d.p90), (10.0, 90.0));
        assert_eq!(
            (
                d.pass_rate,
                d.dropout_rate,
                d.crisis_rate,
                d.safety_failure_rate
            ),
            (0.25, 0.1, 0.05, 0.2)
        );
        // 1..=9 in the first bin, 10..=19 in the second, 90..=100 (eleven) in the last.
        let counts: Vec<u64> = d.histogram.iter().map(|b| b.count).collect();
        assert_eq!(counts, vec![9, 10, 10, 10, 10, 10, 10, 10, 10, 11]);
        assert!(Distribution::of(&[], [0; 4]).is_none());
    }

    #[test]
    fn each_playthrough_has_its_own_stream() {
        let a: Vec<u64> = (0..4).map(|i| Rng::for_playthrough(9, i).next()).collect();
        assert!(
            a.iter()
                .enumerate()
                .all(|(i, x)| a[..i].iter().all(|y| y != x)),
            "{a:?}"
        );
        assert_eq!(Rng::for_playthrough(9, 3).next(), a[3]);
        let mut r = Rng(1);
        assert!((0..1000).all(|_| r.below(7) < 7));
    }
}
