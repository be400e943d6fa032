//! A learner's sitting of a pack: who, when it began, which clients are done. Pure data,
//! so the app, the command line and the records database share one idea of progress and
//! of the time left.

use serde::{Deserialize, Serialize};

use super::AssessmentPack;

/// What a result keeps of the pack it was played in: enough to group results by class
/// and to replay the attempt with the pack's pass mark.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PackRef {
    pub id: String,
    pub title: String,
    pub class_id: String,
    pub pass_mark: f32,
    /// The sitting's id: one learner's go at the whole pack.
    pub sitting: String,
    /// 1-based position of this client in the pack.
    pub position: usize,
}

/// A client of the pack that the learner has finished.
#[derive(Clone, Debug, PartialEq)]
pub struct SittingItem {
    pub scenario: String,
    pub attempt_id: String,
    pub overall: f32,
    pub passed: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sitting {
    pub id: String,
    pub pack: AssessmentPack,
    /// The pack file as opened, so an interrupted sitting can be opened again.
    pub pack_file: String,
    pub learner: String,
    /// Seconds since 1970 when the learner began; the time limit counts from here.
    pub started_unix: u64,
    pub done: Vec<SittingItem>,
}

/// A learner's name or id as typed: trimmed, not empty, one line, at most 80 characters.
pub fn valid_learner(typed: &str) -> Result<String, String> {
    let name = typed.trim();
    if name.is_empty() {
        return Err("type your name or student id".into());
    }
    if name.chars().count() > 80 {
        return Err("a name or id of at most 80 characters".into());
    }
    // A line break or an escape sequence in a name would forge lines in listings.
    if name.chars().any(attune_core::words::forges_text) {
        return Err("one line, without tabs, control characters or direction marks".into());
    }
    Ok(name.to_string())
}

impl Sitting {
    pub fn new(pack: AssessmentPack, pack_file: String, learner: String, now_unix: u64) -> Sitting {
        Sitting {
            id: uuid::Uuid::new_v4().to_string(),
            pack,
            pack_file,
            learner,
            started_unix: now_unix,
            done: Vec::new(),
        }
    }

    /// The next client to meet, with its 1-based position; none when all are done or the
    /// time is up.
    pub fn next(&self, now_unix: u64) -> Option<(usize, &super::PackItem)> {
        if self.time_is_up(now_unix) {
            return None;
        }
        self.pack
            .scenarios
            .iter()
            .enumerate()
            .find(|(_, item)| !self.done.iter().any(|d| d.scenario == item.scenario))
            .map(|(i, item)| (i + 1, item))
    }

    pub fn is_complete(&self, now_unix: u64) -> bool {
        self.next(now_unix).is_none()
    }

    /// Seconds left, when the pack has a time limit.
    pub fn seconds_left(&self, now_unix: u64) -> Option<u64> {
        let limit = u64::from(self.pack.time_limit_minutes?) * 60;
        Some((self.started_unix + limit).saturating_sub(now_unix))
    }

    pub fn time_is_up(&self, now_unix: u64) -> bool {
        self.seconds_left(now_unix) == Some(0)
    }

    pub fn pack_ref(&self, position: usize) -> PackRef {
        PackRef {
            id: self.pack.id.clone(),
            title: self.pack.title.clone(),
            class_id: self.pack.class_id.clone(),
            pass_mark: self.pack.pass_mark,
            sitting: self.id.clone(),
            position,
        }
    }

    /// How much the pack asks for the learner's own words at each move (the app weighs it
    /// against the learner's own setting).
    pub fn words_mode(&self) -> attune_core::coding::WordsMode {
        self.pack.words
    }

    /// Clients passed, of those in the pack.
    pub fn passed_count(&self) -> usize {
        self.done.iter().filter(|d| d.passed).count()
    }
}

/// Seconds since 1970, now.
pub fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::two_client_pack as pack;

    #[test]
    fn clients_come_in_pack_order_until_all_are_done() {
        let mut s = Sitting::new(pack(None), "p.ron".into(), "Ann".into(), 1000);
        assert_eq!(s.next(1000).unwrap().1.scenario, "a");
        s.done.push(SittingItem {
            scenario: "a".into(),
            attempt_id: "x".into(),
            overall: 70.0,
            passed: true,
        });
        assert_eq!(s.next(99_999).unwrap(), (2, &s.pack.scenarios[1]));
        s.done.push(SittingItem {
            scenario: "b".into(),
            attempt_id: "y".into(),
            overall: 50.0,
            passed: false,
        });
        assert!(s.is_complete(1000));
        assert_eq!(s.passed_count(), 1);
        assert_eq!(s.seconds_left(1000), None);
    }

    #[test]
    fn the_time_limit_counts_from_the_start_and_ends_the_sitting() {
        let s = Sitting::new(pack(Some(30)), "p.ron".into(), "Ann".into(), 1000);
        assert_eq!(s.seconds_left(1000), Some(1800));
        assert_eq!(s.seconds_left(2000), Some(800));
        assert!(!s.is_complete(2799));
        assert!(s.time_is_up(2800));
        assert!(s.next(5000).is_none());
    }

    #[test]
    fn the_sitting_carries_the_packs_words_mode() {
        let mut p = pack(None);
        assert_eq!(
            Sitting::new(p.clone(), "p.ron".into(), "Ann".into(), 0).words_mode(),
            attune_core::coding::WordsMode::Optional
        );
        p.words = attune_core::coding::WordsMode::Required;
        let s = Sitting::new(p, "p.ron".into(), "Ann".into(), 0);
        assert_eq!(s.words_mode(), attune_core::coding::WordsMode::Required);
    }

    #[test]
    fn learner_names_are_trimmed_and_checked() {
        assert_eq!(valid_learner("  Ann Lee \n").unwrap(), "Ann Lee");
        assert!(valid_learner("   ").is_err());
        assert!(valid_learner("a\tb").is_err());
        assert!(valid_learner("Ann\u{1b}[2J").is_err());
        assert!(valid_learner("Ann\u{202E}eeL").is_err());
        assert!(valid_learner(&"x".repeat(81)).is_err());
    }
}
