//! Seeded variety. Each pick is a pure function of (seed, turn, purpose), so a rewound and
//! replayed turn says the same words, and no pick depends on how many came before it.

/// SplitMix64's finaliser: a fast, well-mixed 64-bit hash.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// What a pick is for, so that the line and the cue of one turn vary independently.
#[derive(Clone, Copy)]
pub enum Purpose {
    Line = 1,
    Cue = 2,
    EventLine = 3,
    EventCue = 4,
    Opening = 5,
    /// What happens between two sessions with the same client, and its opening cue.
    BetweenSessions = 6,
}

/// An index below `n` (0 when `n` is 0).
pub fn pick(seed: u64, turn: u32, purpose: Purpose, salt: usize, n: usize) -> usize {
    if n <= 1 {
        return 0;
    }
    let h = mix(seed ^ mix(((turn as u64) << 32) ^ ((purpose as u64) << 24) ^ salt as u64));
    (h % n as u64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_are_stable_and_spread() {
        assert_eq!(
            pick(7, 3, Purpose::Line, 0, 5),
            pick(7, 3, Purpose::Line, 0, 5)
        );
        let mut seen = [0u32; 4];
        for seed in 0..4000 {
            seen[pick(seed, 1, Purpose::Line, 0, 4)] += 1;
        }
        assert!(seen.iter().all(|&c| c > 850), "{seen:?}");
    }
}
