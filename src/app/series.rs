//! A practice session that follows an earlier one with the same client (Priya's session 2
//! after session 1): the practising learner's latest finished attempt of the session before
//! is replayed from the records, and the new session starts where it left the client, with
//! what happened since and the not-on-track warning for the briefing.
//!
//! Not yet done: the attempt record holds the scenario, seed and choices but not the
//! carried start, so reviewing, resuming or verifying a continued attempt replays it from
//! the file's start and finds a different session.

use std::sync::Arc;

use bevy::prelude::*;

use super::library::ScenarioLibrary;
use super::records::Records;
use crate::engine::{PreparedScenario, Session, continue_from};
use crate::ui::briefing::SeriesNote;

/// What the briefing said of the session before, for the practice session begun last.
#[derive(Resource, Default)]
pub struct SeriesDesk {
    pub note: Option<SeriesNote>,
}

/// Where a practice session begins, and what the briefing says of the session before.
pub struct SeriesBegin {
    pub session: Session,
    /// `None` for a client met on their own.
    pub note: Option<SeriesNote>,
}

/// The session of `prepared` the practising learner begins with `seed`: continuing their
/// latest finished attempt of the session it follows, or as its file says when there is
/// none (and the note says so).
pub fn begin(
    library: &ScenarioLibrary,
    records: &mut Records,
    prepared: &Arc<PreparedScenario>,
    seed: u64,
) -> SeriesBegin {
    let plain = |note: Option<SeriesNote>| SeriesBegin {
        session: Session::new(Arc::clone(prepared), seed),
        note,
    };
    let Some(series) = &prepared.scenario.series else {
        return plain(None);
    };
    let fresh = |why: &str| {
        Some(SeriesNote {
            since_last_week: format!(
                "{why}, so this session starts as written, from a typical first session."
            ),
            not_on_track: None,
        })
    };
    let Some(earlier) = library
        .entries
        .iter()
        .filter_map(|e| e.scenario.as_ref())
        .find(|p| p.scenario.meta.id == series.follows)
    else {
        return plain(fresh(&format!(
            "The session this one follows (`{}`) is not in the library",
            series.follows
        )));
    };
    let Some(result) = records.latest_finished(&series.follows) else {
        return plain(fresh(&format!(
            "You have not finished \u{201c}{}\u{201d} yet",
            earlier.scenario.meta.title
        )));
    };
    let before = match crate::records::replay(earlier, None, result.seed, &result.choices).whole() {
        Ok(session) => session,
        Err(stopped) => {
            return plain(fresh(&format!(
                "Your last attempt at the session before no longer replays ({})",
                stopped.error
            )));
        }
    };
    match continue_from(prepared, &before, seed) {
        Ok(next) => SeriesBegin {
            session: next.session(Arc::clone(prepared), seed),
            note: Some(SeriesNote {
                since_last_week: next.event.map_or_else(
                    || "Since last week: nothing out of the ordinary.".to_string(),
                    |(_, note)| note,
                ),
                not_on_track: next.not_on_track.map(|n| n.warning()),
            }),
        },
        Err(e) => plain(fresh(&e.to_string())),
    }
}
