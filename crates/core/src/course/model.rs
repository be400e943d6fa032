//! The course file format as Rust types: a course, its ordered steps (a whole session or a
//! drill), and where in a scenario a drill's moment is.

use serde::{Deserialize, Serialize};

use crate::scenario::{Choice, Difficulty};
use crate::scoring::Skill;

/// A course: steps a learner takes in order of difficulty, opened by unlock rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Course")]
pub struct Course {
    /// Letters, digits, `-` and `_`, e.g. `default`.
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub steps: Vec<Step>,
}

impl Course {
    /// The step with this id.
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// The drill steps, in course order.
    pub fn drills(&self) -> impl Iterator<Item = (&Step, &DrillRef)> {
        self.steps
            .iter()
            .filter_map(|s| s.drill.as_ref().map(|d| (s, d)))
    }
}

/// One step: exactly one of `session` (a scenario id, played whole) or `drill`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Unique in the course; `after` lists name steps by it.
    pub id: String,
    pub title: String,
    pub difficulty: Difficulty,
    /// The skills the step trains (at least one for a drill).
    #[serde(default)]
    pub skills: Vec<Skill>,
    /// The step opens once each step named here is passed.
    #[serde(default)]
    pub after: Vec<String>,
    /// A whole session with this scenario (`meta.id`); passed at the scenario's pass mark.
    #[serde(default)]
    pub session: Option<String>,
    /// A drill; passed once each skill it trains is mastered.
    #[serde(default)]
    pub drill: Option<DrillRef>,
}

impl Step {
    /// What the step is, when it names exactly one of a session or a drill.
    pub fn kind(&self) -> Option<StepKind<'_>> {
        match (&self.session, &self.drill) {
            (Some(scenario), None) => Some(StepKind::Session(scenario)),
            (None, Some(drill)) => Some(StepKind::Drill(drill)),
            _ => None,
        }
    }

    /// The scenario the step plays, whole or in part.
    pub fn scenario(&self) -> Option<&str> {
        match self.kind()? {
            StepKind::Session(s) => Some(s),
            StepKind::Drill(d) => Some(&d.scenario),
        }
    }
}

/// A step's kind, borrowed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StepKind<'a> {
    Session(&'a str),
    Drill(&'a DrillRef),
}

/// Where a drill's moment is: a scenario and exactly one of a move prefix or a key moment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrillRef {
    /// The scenario's `meta.id`.
    pub scenario: String,
    /// The moves played before the learner's: `Expert(3)` or `Choices([...])`.
    #[serde(default)]
    pub prefix: Option<Prefix>,
    /// A key moment's id: the expert path is replayed up to the move that answers it.
    #[serde(default)]
    pub moment: Option<String>,
}

/// The moves before a drill's moment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Prefix {
    /// The first N moves of the scenario's expert playthrough.
    Expert(u32),
    /// These moves, in order.
    Choices(Vec<Choice>),
}

/// A drill reference resolved against its scenario: the moves to replay, the expert's move
/// at the moment (when the expert path is followed), and the key moment it answers.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedDrill {
    pub prefix: Vec<Choice>,
    /// The expert playthrough's next move, when the prefix follows the expert path.
    pub expert_move: Option<Choice>,
    /// The key moment (index in the scenario) the expert's next move answers, if any.
    pub key_moment: Option<usize>,
    /// The seed of the expert playthrough, which reached the moment when checked.
    pub reference_seed: u64,
}
