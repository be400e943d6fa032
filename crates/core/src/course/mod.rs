//! Courses and drills: a course orders whole sessions and short drills by difficulty, with
//! unlock rules and the skills each step trains; a drill is one hard moment of a library
//! scenario (the state reached by a prefix of moves, or just before a key moment of the
//! expert path), answered with one move and shown its fit, the moment's commentary and the
//! best move found. Mastery per skill and a spaced review schedule are pure functions of a
//! learner's drill results and the time now, so records and screens stay separate.
//!
//! Above `analysis` (a drill's best move comes from its move finder), below `graph`/`lint`.

mod check;
mod drill;
mod mastery;
mod model;
mod unlock;

pub use check::{DrillProblem, check_course, resolve_drill};
pub use drill::{BestMove, Drill, DrillAnswer, DrillError, MAX_SEED_TRIES, prepare_drill};
pub use mastery::{
    Box as ScheduleBox, DEFAULT_SCHEDULE_TEXT, DrillResult, PracticeSchedule, SkillStanding,
    Suggestion, due_skills, mastery, next_practice, standings,
};
pub use model::{Course, DrillRef, Prefix, ResolvedDrill, Step, StepKind};
pub use unlock::{StepStatus, step_statuses};
