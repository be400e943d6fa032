//! The scenario format, version 1: one simulated client in a RON file.
//! `load` parses text with positions kept; `validate` checks what the types cannot. What
//! validates but cannot work as meant is `crate::lint`'s, above the engine.

mod load;
mod model;
mod script;
mod series;
mod student;
mod validate;

pub use crate::source::closest;
pub use load::{
    LoadedScenario, TextError, decode_text, load_scenario, parse_scenario, read_optional_text,
    read_text,
};
pub use model::*;
pub use script::{parse_script, parse_script_coded};
pub use series::{
    BetweenEvent, Carried, CarryRule, Expectation, Measure, Series, StateCondition, check_follows,
    settable_flags, validate_series,
};
pub use student::{contains_words, student_intake, technique_example};
pub use validate::validate_scenario;
