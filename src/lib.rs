//! Attune: a training simulator for psychotherapy and counselling students.
//!
//! The core (client model, technique catalogue, scenario format, engine, scoring) uses no
//! engine or window type, so the command line, the app and the tests all drive the same
//! rules. `ui` holds the screens as plain egui functions; `app` is the thin Bevy shell.

pub mod analysis;
pub mod app;
pub mod assessment;
pub mod catalogue;
pub mod cli;
pub mod client;
pub mod condition;
pub mod engine;
pub mod fuzz;
pub mod graph;
pub mod moments;
pub mod records;
pub mod save;
pub mod scenario;
pub mod scoring;
pub mod source;
pub mod transcript;
pub mod ui;
pub mod words;

/// RON reading options shared by every file Attune reads: `Some(..)` may be left out.
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}
