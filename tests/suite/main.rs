//! The integration test suite, one binary so the crate links once.

mod analyze;
mod app;
mod authoring;
mod bounded;
mod class_debrief;
mod cli;
mod common;
mod debrief;
mod forgery;
mod graph;
mod intake;
mod layers;
mod library_window;
mod lints;
mod lrs;
mod packs;
mod projector;
mod ralph;
mod ralph_server;
mod readonly;
mod records;
mod responsive_library;
mod robustness;
mod screens;
mod window;
mod xapi;
