//! The core's behaviour, without the app: the engine turn by turn, the clinical principles
//! the scoring follows, client moments, the library's playthroughs and deterministic,
//! byte-identical transcripts. Builds and runs without Bevy.

mod common;
mod courses;
mod determinism;
mod engine;
mod moments;
mod principles;
mod scenarios;
mod series;
mod series_session_3;
mod utterance_corpus;
