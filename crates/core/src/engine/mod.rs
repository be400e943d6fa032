//! The deterministic session engine: a prepared scenario, a seed and the trainee's choices
//! give the same turns, byte for byte, every time.

mod branches;
mod dynamics;
mod playthrough;
mod prepared;
mod rng;
mod series;
mod session;
pub mod transcript;

pub use branches::{Branch, BranchedSession};
pub use playthrough::{PlaythroughResult, run_playthrough};
pub use prepared::{PrepareError, PreparedScenario};
pub use series::{
    Continuation, NotOnTrack, SeriesError, SeriesStart, Shortfall, continue_from, on_track,
};
pub use session::{ApplyError, Session};
