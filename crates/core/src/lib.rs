//! Attune's core: everything that decides what happens in a session and how it is judged,
//! with no window, database or network, so the app, the command line and the tests all drive
//! the same rules and this crate's tests build without Bevy.
//!
//! Layers from the ground up; each module imports only those listed before it (checked by
//! `tests/layers.rs`):
//! 1. text: `source` (reading files, RON with positions, diagnostics), `words` (counted
//!    nouns), `save` (atomic writes);
//! 2. `model`: the technique catalogue, the client, conditions, client moments;
//! 3. `scenario`: the scenario format, parsed and validated;
//! 4. `scoring`: the fit of a move and the session rubrics; `coding`: a therapist's typed words
//!    read as a MITI code, technique and adaptations;
//! 5. `engine`: a session played turn by turn, branches, playthroughs, transcripts;
//! 6. authoring tools: `analysis` (best paths, random play, agreement), `course` (courses and
//!    drills, whose best move comes from the analysis), `graph`, `fuzz`, and `lint` (what
//!    validates but cannot work as meant), which uses the analysis.

// Text.
pub mod save;
pub mod source;
pub mod words;

// The model.
pub mod model;

// The scenario format.
pub mod scenario;

// Scoring.
pub mod scoring;

// Coding what the trainee typed.
pub mod coding;

// The engine.
pub mod engine;

// Authoring tools.
pub mod analysis;
pub mod course;
pub mod fuzz;
pub mod graph;
pub mod lint;
