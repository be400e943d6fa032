//! The model everything else is built on: the technique catalogue (`assets/techniques.ron`,
//! clinical-model.md section 6) and its schools; the simulated client's fixed traits
//! (sections 2 to 4) and live state (section 7); the condition language scenario lines,
//! catalogue prerequisites and the moment book share; client moments (section 10: a line can
//! open a moment that stays open until answered, and while it is open the fit judges the move
//! on how it answers it; Stiles, Honos-Webb & Surko 1998) with what each calls for
//! (`assets/moments.ron`) and the feedback's voice; and the names of the fit's components and
//! of a turn's and a session's outcome, which scenario files use.
//!
//! One folder because these refer to each other at the level of vocabulary (a technique
//! suits client stages; a client prefers schools; a condition tests techniques, the client's
//! state and the open moment): above it nothing is imported back.

mod catalogue;
mod check;
mod client_state;
mod client_traits;
mod component;
mod condition;
mod mode;
mod moment_book;
mod moment_kind;
mod outcome_kinds;
mod school;
mod technique;
mod voice;

pub use catalogue::*;
pub use check::{Checker, validate_technique};
pub use client_state::{ClientState, RiskLevel, Rupture, Stage, StateSnapshot};
pub use client_traits::{
    Appearance, ClientProfile, ClientTraits, Culture, HairColour, HairStyle, Intake, KeptBack,
    Preferences, RiskProfile,
};
pub use component::Component;
pub use condition::*;
pub use mode::Mode;
pub use moment_book::{
    BookIndex, Call, DEFAULT_MOMENTS_TEXT, Judgement, MarkerMove, MomentBook, MomentRule,
};
pub use moment_kind::{MomentKind, OpenMoment, Reaction, Verdict};
pub use outcome_kinds::{SafetyGate, SessionEnd, TurnFlag};
pub use school::School;
pub use technique::{Contraindication, MitiCode, Prerequisite, Relational, Technique};
pub use voice::{Template, Voice, Words};
