//! The integration test suite, one binary so the crate links once.

mod analyze;
mod app;
mod authoring;
mod cli;
mod common;
mod debrief;
mod determinism;
mod engine;
mod graph;
mod intake;
mod lints;
mod lrs;
mod moments;
mod packs;
mod principles;
mod ralph;
mod ralph_server;
mod records;
mod responsive_library;
mod robustness;
mod scenarios;
mod screens;
mod window;
mod xapi;
