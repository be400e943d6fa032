//! The integration test suite, one binary so the crate links once.

mod analyze;
mod app;
mod authoring;
mod bounded;
mod cli;
mod common;
mod debrief;
mod determinism;
mod engine;
mod forgery;
mod graph;
mod intake;
mod lints;
mod lrs;
mod moments;
mod packs;
mod principles;
mod readonly;
mod records;
mod responsive_library;
mod robustness;
mod scenarios;
mod screens;
mod window;
mod xapi;
