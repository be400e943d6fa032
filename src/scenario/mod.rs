//! The scenario format, version 1: one simulated client in a RON file.
//! `load` parses text with positions kept; `validate` checks what the types cannot.

mod load;
mod model;
mod script;
mod validate;

pub use load::{LoadedScenario, load_scenario, parse_scenario, read_text};
pub use model::*;
pub use script::parse_script;
pub use validate::{closest, validate_scenario, validate_technique};
