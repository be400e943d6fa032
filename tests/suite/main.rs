//! The integration test suite, one binary so the crate links once.

mod app;
mod cli;
mod common;
mod determinism;
mod engine;
mod principles;
mod scenarios;
mod screens;
mod window;
