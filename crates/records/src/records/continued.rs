//! What a continued attempt (a session that begins where an earlier one with the same
//! client left off) keeps so that it replays exactly: the earlier session's scenario (by
//! content hash), seed and choices. The carried start and the between-session event follow
//! from them deterministically (`engine::continue_from`), so they are not stored: replaying
//! the earlier session and continuing from it gives them again, and a result whose
//! continuation was edited no longer replays to the figures it records.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::result::AttemptResult;
use attune_core::engine::{PreparedScenario, Session, continue_from};
use attune_core::scenario::Choice;

/// The earlier session a continued attempt began from, enough to replay it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Continued {
    /// The earlier scenario's id, for people and to check the file the hash finds.
    pub scenario_id: String,
    /// `blake3:` and the hash of the earlier scenario file as played.
    pub content_hash: String,
    pub seed: u64,
    pub choices: Vec<Choice>,
    /// The session the earlier one itself continued, when it did (session 3 after 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continues: Option<Box<Continued>>,
}

/// Why a continued attempt's start could not be made again.
#[derive(Clone, Debug, PartialEq)]
pub enum StartError {
    /// The earlier session's scenario is not in the library as it was played.
    Missing(String),
    /// The earlier session does not replay, or the attempt's scenario cannot continue it.
    DoesNotReplay(String),
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::Missing(why) | StartError::DoesNotReplay(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for StartError {}

impl Continued {
    /// A finished attempt, as the earlier session of one that continues it.
    pub fn of_result(result: &AttemptResult) -> Continued {
        Continued {
            scenario_id: result.scenario.id.clone(),
            content_hash: result.scenario.content_hash.clone(),
            seed: result.seed,
            choices: result.choices.clone(),
            continues: result.continues.clone().map(Box::new),
        }
    }

    /// The earlier session replayed whole, from its own start; `find` gives the scenario
    /// with a content hash.
    pub fn replay(
        &self,
        find: &dyn Fn(&str) -> Option<Arc<PreparedScenario>>,
    ) -> Result<Session, StartError> {
        let Some(prepared) = find(&self.content_hash) else {
            return Err(StartError::Missing(format!(
                "the session it continues (`{}`, content hash {}) is not in the library as it was played",
                self.scenario_id, self.content_hash
            )));
        };
        if prepared.scenario.meta.id != self.scenario_id {
            return Err(StartError::DoesNotReplay(format!(
                "the session it continues is named `{}`, but its content hash is that of `{}`",
                self.scenario_id, prepared.scenario.meta.id
            )));
        }
        let start = start_of(&prepared, self.seed, self.continues.as_deref(), find)?;
        super::replay::play_on(start, &self.choices)
            .whole()
            .map_err(|stopped| {
                StartError::DoesNotReplay(format!(
                    "the session it continues (`{}`) does not replay: choices[{}]: {}",
                    self.scenario_id, stopped.index, stopped.error
                ))
            })
    }
}

/// The session of `prepared` with `seed` before any turn: as its file says, or, when it
/// `continues` an earlier session, where that one left the client.
pub fn start_of(
    prepared: &Arc<PreparedScenario>,
    seed: u64,
    continues: Option<&Continued>,
    find: &dyn Fn(&str) -> Option<Arc<PreparedScenario>>,
) -> Result<Session, StartError> {
    let Some(earlier) = continues else {
        return Ok(Session::new(Arc::clone(prepared), seed));
    };
    let before = earlier.replay(find)?;
    let next = continue_from(prepared, &before, seed).map_err(|e| {
        StartError::DoesNotReplay(format!("it cannot continue the session it names: {e}"))
    })?;
    Ok(next.session(Arc::clone(prepared), seed))
}
