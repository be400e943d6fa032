//! Practice or assessment: what a session shows the trainee while it runs (meters,
//! feedback, hints, rewinding) and whether it counts. The engine, the records and the
//! screens all name it.

/// Practice shows meters, hints and rewind; assessment hides them.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Mode {
    #[default]
    Practice,
    Assessment,
}
