//! The scenario format, version 1: one simulated client in a RON file.
//! `load` parses text with positions kept; `validate` checks what the types cannot;
//! `lint` finds what validates but cannot work as meant.

mod lint;
mod load;
mod model;
mod script;
mod student;
mod validate;

pub use crate::source::closest;
pub use lint::{Content, WhyNever, lint_scenario};
pub use load::{
    LoadedScenario, decode_text, load_scenario, parse_for_play, parse_scenario, read_optional_text,
    read_text,
};
pub use model::*;
pub use script::parse_script;
pub use student::{contains_words, student_intake, technique_example};
pub use validate::{validate_scenario, validate_technique};
