//! A practice session that follows an earlier one with the same client (Priya's session 2
//! after session 1): the practising learner's latest finished attempt of the session before
//! is replayed from the records, and the new session starts where it left the client, with
//! what happened since and the not-on-track warning for the briefing.
//!
//! The attempt begun for it keeps the session it continued (`records::Continued`: that
//! attempt's scenario by content hash, seed and choices, and what it continued in turn), in
//! the records database and in its sealed result. The carried start and the between-session
//! event follow from them deterministically, so reviewing, resuming and verifying replay it
//! from where it began (`records::replay_attempt`), not from its file's start.

use std::sync::Arc;

use bevy::prelude::*;

use super::library::ScenarioLibrary;
use super::records::Records;
use crate::engine::{PreparedScenario, Session, continue_from};
use crate::records::Continued;
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
    /// The earlier session it continues, for its attempt's record; `None` when it begins
    /// as its file says.
    pub continues: Option<Continued>,
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
        continues: None,
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
    let continued = Continued::of_result(&result);
    let find = |hash: &str| library.by_hash(hash).and_then(|e| e.scenario.clone());
    let before = match continued.replay(&find) {
        Ok(session) => session,
        Err(why) => {
            return plain(fresh(&format!(
                "Your last attempt at the session before no longer replays ({why})"
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
            continues: Some(continued),
        },
        Err(e) => plain(fresh(&e.to_string())),
    }
}
