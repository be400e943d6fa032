//! Attune: a training simulator for psychotherapy and counselling students.
//!
//! This package is the app and the command line. The rules live below it, in two crates
//! with no window type: `attune-core` (the client model, the scenario format, scoring, the
//! engine, the authoring tools) and `attune-records` (assessment packs, attempt records,
//! result files, the record store). Their modules are re-exported here, so the app, the
//! command line and the tests name them as `attune::engine`, `attune::records` and so on.
//! `ui` holds the screens as plain egui functions over view models; `app` is the Bevy shell.
//! ARCHITECTURE.md has the map.

pub use attune_core::{
    analysis, coding, course, engine, fuzz, graph, lint, model, save, scenario, scoring, source,
    words,
};
pub use attune_records::{assessment, records};

pub mod app;
pub mod cli;
pub mod ui;
