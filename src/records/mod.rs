//! Attempt records: a played session as a self-contained result file that anyone can
//! verify by replaying it, so no score can be edited and no scenario swapped unnoticed.

pub mod clock;
pub mod csv;
pub mod files;
pub mod gradebook;
pub mod library;
mod read_only;
pub mod report;
mod report_page;
pub mod result;
pub mod sittings;
pub mod store;
pub mod verify;
pub mod words;
pub mod xapi;

pub use library::{HashedLibrary, HashedScenario};
pub use result::{AttemptResult, RESULT_FORMAT, ScenarioRef, content_hash};
pub use store::{NewAttempt, Store, Unfinished};
pub use verify::{Verdict, verify_all, verify_result};
