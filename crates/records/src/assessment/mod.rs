//! Graded assessment: the packs instructors hand out and a learner's sitting of one.

pub mod pack;
pub mod sitting;
pub mod sitting_rules;

pub use pack::{AssessmentPack, Available, PackItem, Unloadable, check_pack, parse_pack};
pub use sitting::{PackRef, Sitting, SittingItem, now_unix, valid_learner};
pub use sitting_rules::{Meeting, Refusal, with_pack_pass_mark};
