//! The rules of a sitting as plain code, the clock passed in as seconds since 1970: a
//! learner named before it begins, clients met in the pack's order and only from the file
//! the pack pins, each scored with the pack's pass mark, the running session ended when the
//! time is up, and the sitting over after its last client or at its time limit. The app
//! and `attune play --pack` both follow these; only the waiting and the screens are theirs.

use std::sync::Arc;

use super::{AssessmentPack, PackItem, Sitting, SittingItem, valid_learner};
use attune_core::engine::PreparedScenario;

/// Why a client cannot be met now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not the sitting's next client, or none is left because the time is up or every
    /// client is done.
    NotNext,
    /// The scenario file is no longer the one the pack pins by its content hash.
    Changed,
}

/// The client the learner meets now: their 1-based place in the pack and its item.
#[derive(Clone, Debug, PartialEq)]
pub struct Meeting {
    pub position: usize,
    pub item: PackItem,
}

/// The scenario as a pack's clients are scored: with the pack's pass mark, which replaces
/// the scenario's own, when there is a pack; as it is otherwise. Every session played or
/// replayed for a pack goes through here.
pub fn with_pack_pass_mark(
    prepared: &Arc<PreparedScenario>,
    pass_mark: Option<f32>,
) -> Arc<PreparedScenario> {
    match pass_mark {
        Some(mark) => Arc::new(prepared.with_pass_mark(mark)),
        None => Arc::clone(prepared),
    }
}

impl Sitting {
    /// Begins a sitting of `pack` at `now` for the learner's name or id as typed, checked
    /// as every learner's name is (`valid_learner`); the refusal says why in words.
    pub fn begin(
        pack: AssessmentPack,
        pack_file: String,
        typed_learner: &str,
        now: u64,
    ) -> Result<Sitting, String> {
        let learner = valid_learner(typed_learner)?;
        Ok(Sitting::new(pack, pack_file, learner, now))
    }

    /// Whether the client `scenario`, whose file has `content_hash` now, may be met at
    /// `now`: only the sitting's next client, before the time is up, from the file the
    /// pack pins when it pins one.
    pub fn meet(&self, scenario: &str, content_hash: &str, now: u64) -> Result<Meeting, Refusal> {
        let (position, item) = self.next(now).ok_or(Refusal::NotNext)?;
        if item.scenario != scenario {
            return Err(Refusal::NotNext);
        }
        if item
            .content_hash
            .as_ref()
            .is_some_and(|h| h != content_hash)
        {
            return Err(Refusal::Changed);
        }
        Ok(Meeting {
            position,
            item: item.clone(),
        })
    }

    /// The scenario as this sitting's clients are scored: with the pack's pass mark.
    pub fn scored_by_pack(&self, prepared: &Arc<PreparedScenario>) -> Arc<PreparedScenario> {
        with_pack_pass_mark(prepared, Some(self.pack.pass_mark))
    }

    /// Counts a client as done; true when the sitting is over with it at `now`, its last
    /// client done or its time up.
    pub fn client_done(&mut self, item: SittingItem, now: u64) -> bool {
        self.done.push(item);
        self.is_complete(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shared two-client pack with a pass mark of 85 and seed 7, its files' hashes
    /// pinned to `pinned` when given.
    fn pack(limit: Option<u32>, pinned: Option<&str>) -> AssessmentPack {
        let mut pack = crate::testing::two_client_pack(limit);
        pack.pass_mark = 85.0;
        for item in &mut pack.scenarios {
            item.seed = 7;
            item.content_hash = pinned.map(str::to_string);
        }
        pack
    }

    fn done(scenario: &str, passed: bool) -> SittingItem {
        SittingItem {
            scenario: scenario.into(),
            attempt_id: format!("attempt-{scenario}"),
            overall: if passed { 90.0 } else { 40.0 },
            passed,
        }
    }

    #[test]
    fn a_sitting_begins_only_for_a_learner_named_as_every_learner_is() {
        let s = Sitting::begin(pack(None, None), "p.ron".into(), "  Ann Lee ", 1000).unwrap();
        assert_eq!(s.learner, "Ann Lee");
        assert_eq!(s.started_unix, 1000);
        assert!(s.done.is_empty());
        assert_eq!(
            Sitting::begin(pack(None, None), "p.ron".into(), " \n", 1000).unwrap_err(),
            "type your name or student id"
        );
        assert!(Sitting::begin(pack(None, None), "p.ron".into(), "Ann\u{1b}[2J", 1000).is_err());
    }

    #[test]
    fn the_time_is_up_exactly_at_the_limit_and_not_a_second_before() {
        let s = Sitting::new(pack(Some(30), None), "p.ron".into(), "Ann".into(), 1000);
        let limit = 1000 + 30 * 60;
        assert!(!s.time_is_up(limit - 1));
        assert_eq!(s.seconds_left(limit - 1), Some(1));
        assert!(s.meet("a", "h", limit - 1).is_ok());
        assert!(s.time_is_up(limit));
        assert_eq!(s.meet("a", "h", limit), Err(Refusal::NotNext));
        assert_eq!(s.next(limit), None);
        // Without a limit the time is never up.
        let s = Sitting::new(pack(None, None), "p.ron".into(), "Ann".into(), 1000);
        assert!(!s.time_is_up(u64::MAX));
    }

    #[test]
    fn clients_are_met_in_order_and_none_comes_after_the_last() {
        let mut s = Sitting::new(pack(None, None), "p.ron".into(), "Ann".into(), 1000);
        assert_eq!(s.meet("b", "h", 1000), Err(Refusal::NotNext));
        let first = s.meet("a", "h", 1000).unwrap();
        assert_eq!((first.position, first.item.seed), (1, 7));
        assert!(!s.client_done(done("a", true), 1001));
        assert_eq!(s.meet("a", "h", 1003), Err(Refusal::NotNext));
        assert_eq!(s.meet("b", "h", 1003).unwrap().position, 2);
        assert!(
            s.client_done(done("b", false), 1004),
            "the last client ends it"
        );
        assert_eq!(s.next(1004), None);
        assert_eq!(s.meet("b", "h", 1004), Err(Refusal::NotNext));
        assert_eq!(s.passed_count(), 1);
    }

    #[test]
    fn a_client_done_after_the_time_is_up_ends_the_sitting() {
        let mut s = Sitting::new(pack(Some(1), None), "p.ron".into(), "Ann".into(), 1000);
        assert!(s.client_done(done("a", true), 1060));
        assert_eq!(s.done.len(), 1, "what was played in time is counted");
    }

    #[test]
    fn a_changed_scenario_file_is_refused_when_the_pack_pins_its_hash() {
        let s = Sitting::new(
            pack(None, Some("blake3:pinned")),
            "p.ron".into(),
            "Ann".into(),
            1000,
        );
        assert_eq!(s.meet("a", "blake3:edited", 1000), Err(Refusal::Changed));
        assert_eq!(s.meet("a", "blake3:pinned", 1000).unwrap().position, 1);
        // A pack that pins nothing takes the file as it is.
        let s = Sitting::new(pack(None, None), "p.ron".into(), "Ann".into(), 1000);
        assert!(s.meet("a", "blake3:edited", 1000).is_ok());
    }

    #[test]
    fn the_packs_pass_mark_replaces_the_scenarios_own() {
        let root = crate::testing::repo_root();
        let text = std::fs::read_to_string(root.join("tests/fixtures/minimal.ron")).unwrap();
        let prepared = PreparedScenario::from_text(
            "minimal.ron",
            &text,
            &attune_core::model::Catalogue::builtin(),
            &attune_core::scoring::ScoringConfig::builtin(),
        )
        .unwrap();
        assert_ne!(prepared.pass_mark(), 85.0);
        let s = Sitting::new(pack(None, None), "p.ron".into(), "Ann".into(), 1000);
        assert_eq!(s.scored_by_pack(&prepared).pass_mark(), 85.0);
        assert_eq!(with_pack_pass_mark(&prepared, Some(12.5)).pass_mark(), 12.5);
        let unchanged = with_pack_pass_mark(&prepared, None);
        assert!(Arc::ptr_eq(&unchanged, &prepared), "no pack, no copy");
    }
}
