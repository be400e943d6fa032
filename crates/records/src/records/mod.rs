//! Attempt records: a played session as a self-contained, sealed result file that anyone
//! can verify: its seal shows a file edited by hand, rule checks (against the scenario
//! file and, with `--pack`, the instructor's pack) catch a result that could not have been
//! played as it says, and replay recomputes every figure. What this cannot show (who
//! played) is in docs/assessment.md; the learning record store vouches for that. Every
//! attempt is recorded one way (`recording.rs`, on the database in `store.rs`) and every
//! stored attempt replayed one way (`replay.rs`).

pub mod class_export;
pub mod class_rounds;
pub mod clock;
pub mod continued;
pub mod csv;
pub mod drill_results;
pub mod files;
pub mod gradebook;
pub mod learners;
pub mod library;
pub mod miti_profile;
pub mod progress;
mod read_only;
pub mod recording;
pub mod replay;
pub mod report;
mod report_page;
pub mod result;
pub mod rules;
pub mod seal;
pub mod sittings;
pub mod store;
pub mod turn_words;
pub mod verify;
pub mod words;
pub mod xapi;

pub use continued::{Continued, StartError};
pub use drill_results::DrillResult;
pub use learners::Learner;
pub use library::{HashedLibrary, HashedScenario};
pub use recording::{AttemptPlan, Finished, OpenAttempt, Score, record_whole};
pub use replay::{Replayed, Stopped, replay, replay_attempt};
pub use result::{
    AttemptResult, Played, RESULT_FORMAT, RESULT_FORMAT_1, ScenarioRef, content_hash,
};
pub use store::{NewAttempt, OpenError, Store, Unfinished};
pub use verify::{
    AttemptKey, Verdict, mark_same_attempts, verify_against, verify_all, verify_and_read_all,
    verify_each, verify_result,
};
