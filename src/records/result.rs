//! The result file: everything needed to replay an attempt (the scenario's content hash,
//! the seed, the choices) beside everything it produced (each turn and the summary), as
//! JSON. `attune verify` replays the first and compares it with the second.

use serde::{Deserialize, Serialize};

use crate::engine::{Mode, Session};
use crate::scenario::Choice;

pub const RESULT_FORMAT: &str = "attune-result/1";

/// Which scenario, exactly: the hash covers every byte of the file as played.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioRef {
    pub id: String,
    pub title: String,
    /// The file name the attempt was played from, for people; matching uses the hash.
    pub file: String,
    /// `blake3:` and the hash of the file's bytes.
    pub content_hash: String,
}

/// A whole attempt. `turns` and `summary` are what the engine reported; they are kept as
/// JSON values so that verification compares exactly what was written.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AttemptResult {
    pub format: String,
    pub scenario: ScenarioRef,
    pub mode: Mode,
    pub seed: u64,
    /// The learner's name or id, when the attempt was an assessment.
    #[serde(default)]
    pub learner: Option<String>,
    /// The assessment pack the attempt was part of; its pass mark replaced the scenario's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack: Option<crate::assessment::PackRef>,
    pub started_at: String,
    pub finished_at: String,
    pub choices: Vec<Choice>,
    pub turns: serde_json::Value,
    pub summary: serde_json::Value,
}

/// `blake3:<hex>` of a scenario file's bytes.
pub fn content_hash(bytes: &[u8]) -> String {
    format!("blake3:{}", blake3::hash(bytes).to_hex())
}

/// One turn as a result file keeps it: enough to show and to check, not the whole fit
/// breakdown (which replay recomputes anyway).
#[derive(Serialize)]
struct TurnRecord<'a> {
    turn: u32,
    technique: &'a str,
    fit: f32,
    response_id: &'a str,
    client_line: &'a str,
    happened: Vec<&'static str>,
}

/// What the engine reports for a session, as the JSON values a result file keeps.
pub fn outcome_values(session: &Session) -> (serde_json::Value, serde_json::Value) {
    let turns: Vec<TurnRecord> = session
        .turns()
        .iter()
        .map(|t| TurnRecord {
            turn: t.turn,
            technique: &t.choice.technique,
            fit: t.fit.score,
            response_id: &t.response_id,
            client_line: &t.client_line,
            happened: t.flags.iter().map(|f| f.kind()).collect(),
        })
        .collect();
    let turns = serde_json::to_value(turns).expect("plain data");
    let summary = serde_json::to_value(session.summary()).expect("plain data");
    (turns, summary)
}

impl AttemptResult {
    /// The result of a played session; `content_hash` is that of the scenario file as played.
    pub fn of(
        session: &Session,
        file: &str,
        content_hash: String,
        mode: Mode,
        learner: Option<String>,
        started_at: String,
    ) -> AttemptResult {
        let meta = &session.prepared().scenario.meta;
        let (turns, summary) = outcome_values(session);
        AttemptResult {
            format: RESULT_FORMAT.to_string(),
            scenario: ScenarioRef {
                id: meta.id.clone(),
                title: meta.title.clone(),
                file: file.to_string(),
                content_hash,
            },
            mode,
            seed: session.seed(),
            learner,
            pack: None,
            started_at,
            finished_at: super::clock::now_rfc3339(),
            choices: session.choices().cloned().collect(),
            turns,
            summary,
        }
    }

    /// The same result, marked as part of a pack.
    pub fn in_pack(mut self, pack: crate::assessment::PackRef) -> AttemptResult {
        self.pack = Some(pack);
        self
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("results are plain data")
    }
}
