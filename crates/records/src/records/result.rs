//! The result file: everything needed to replay an attempt (the scenario's content hash,
//! the seed, the choices, and the earlier session a continued attempt began from) beside everything it produced (each turn and the summary), who
//! took it, when and how, as JSON, sealed (`seal.rs`). `attune verify` checks the seal and
//! the rules, replays the first and compares it with the second.

use serde::{Deserialize, Serialize};

use attune_core::engine::Session;
use attune_core::model::{MitiCode, Mode};
use attune_core::scenario::Choice;

/// The format Attune writes: with the attempt's id, how it was played, and a seal.
pub const RESULT_FORMAT: &str = "attune-result/2";
/// The first format, still read: no attempt id, no `played`, no seal.
pub const RESULT_FORMAT_1: &str = "attune-result/1";

/// How an attempt was played: in the app's window by a person, or from a script (`attune
/// play --script`, `play --pack --script`, `resume`, and the app's scripted runs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Played {
    Window,
    /// The default: the weaker claim, made unless a person is known to be at the window.
    #[default]
    Script,
}

impl Played {
    /// As the report shows it.
    pub fn words(self) -> &'static str {
        match self {
            Played::Window => "in the window",
            Played::Script => "from a script",
        }
    }
}

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
    /// The attempt's id, a UUID: the records database's when the attempt was recorded,
    /// else a fresh one. It is the attempt's xAPI registration, so a result can be matched
    /// with what the learning record store holds. Absent in format 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempt_id: Option<String>,
    pub scenario: ScenarioRef,
    pub mode: Mode,
    pub seed: u64,
    /// The learner's name or id, when the attempt was an assessment.
    #[serde(default)]
    pub learner: Option<String>,
    /// The assessment pack the attempt was part of; its pass mark replaced the scenario's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack: Option<crate::assessment::PackRef>,
    /// In the window or from a script; absent in format 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub played: Option<Played>,
    /// The earlier session this attempt continued, when it began where that one left the
    /// client (a series' later session); absent otherwise, and in files written before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continues: Option<super::continued::Continued>,
    pub started_at: String,
    pub finished_at: String,
    pub choices: Vec<Choice>,
    pub turns: serde_json::Value,
    pub summary: serde_json::Value,
    /// Which coder read the trainee's words (`coding::shared_coder_id`), when there are
    /// words: a later version may read them otherwise, and `verify` then compares the words
    /// but not the old readings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coder: Option<String>,
    /// The seal over every other field (`seal.rs`); absent in format 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<String>,
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
    /// The trainee's own words, when they typed any: kept beside the move so that an
    /// instructor reads what was said, and compared on replay like every other field.
    #[serde(skip_serializing_if = "Option::is_none")]
    said: Option<&'a str>,
    /// The MITI code the words read as (the coder's), when there are words.
    #[serde(skip_serializing_if = "Option::is_none")]
    coded_as: Option<MitiCode>,
    /// What the words do that the confirmed move does not, when they differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    mismatch: Option<&'a str>,
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
            said: t.words.as_ref().map(|w| w.text.as_str()),
            coded_as: t.words.as_ref().map(|w| w.miti),
            mismatch: t.words.as_ref().and_then(|w| w.mismatch.as_deref()),
        })
        .collect();
    let turns = serde_json::to_value(turns).expect("plain data");
    let summary = serde_json::to_value(session.summary()).expect("plain data");
    (turns, summary)
}

impl AttemptResult {
    /// The sealed result of a played session, under a fresh attempt id (`recorded_as` gives
    /// it the records database's); `content_hash` is that of the scenario file as played.
    pub fn of(
        session: &Session,
        file: &str,
        content_hash: String,
        mode: Mode,
        learner: Option<String>,
        started_at: String,
        played: Played,
    ) -> AttemptResult {
        let meta = &session.prepared().scenario.meta;
        let (turns, summary) = outcome_values(session);
        AttemptResult {
            format: RESULT_FORMAT.to_string(),
            attempt_id: Some(uuid::Uuid::new_v4().to_string()),
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
            played: Some(played),
            continues: None,
            started_at,
            finished_at: super::clock::now_rfc3339(),
            choices: session.choices().cloned().collect(),
            turns,
            summary,
            coder: session
                .turns()
                .iter()
                .any(|t| t.words.is_some())
                .then(|| attune_core::coding::shared_coder_id().to_string()),
            seal: None,
        }
        .sealed()
    }

    /// The same result under the records database's id for the attempt.
    pub fn recorded_as(mut self, attempt_id: &str) -> AttemptResult {
        self.attempt_id = Some(attempt_id.to_string());
        self.sealed()
    }

    /// The same result, marked as continuing `earlier` (`None`: from its file's start).
    pub fn continuing(mut self, earlier: Option<super::continued::Continued>) -> AttemptResult {
        self.continues = earlier;
        self.sealed()
    }

    /// The same result, marked as part of a pack.
    pub fn in_pack(mut self, pack: crate::assessment::PackRef) -> AttemptResult {
        self.pack = Some(pack);
        self.sealed()
    }

    /// The result with its seal made afresh over its fields as they are now. Attune seals
    /// what it writes; anyone running this code can seal anything, which is why `verify`
    /// checks the rules whatever the seal says.
    pub fn sealed(mut self) -> AttemptResult {
        // Through the text, as the file will hold it: numbers as the JSON reader reads them.
        let text = serde_json::to_string(&self).expect("results are plain data");
        let value: serde_json::Value = serde_json::from_str(&text).expect("just written");
        self.seal = Some(super::seal::seal_of(&value));
        self
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("results are plain data")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The seal is made over the text as written: a pass mark held as `f32` (65.3) reads
    /// back as the same number, not as 65.30000305175781.
    #[test]
    fn a_sealed_result_holds_its_seal_when_read_back_from_its_file() {
        let result: AttemptResult = serde_json::from_value(json!({
            "format": RESULT_FORMAT,
            "attempt_id": "8a3c3e0e-52a4-4c39-9d59-0d3c54a0f6d1",
            "scenario": {"id": "dan", "title": "Dan", "file": "dan.ron", "content_hash": "blake3:0"},
            "mode": "Assessment",
            "seed": 3,
            "learner": "Ann",
            "pack": {"id": "p", "title": "P", "class_id": "C", "pass_mark": 65.3,
                     "sitting": "0c1f7a52-4a5e-4d8e-bb35-8f6f5c2f9a11", "position": 1},
            "played": "Script",
            "started_at": "2026-11-24T09:00:00Z",
            "finished_at": "2026-11-24T09:10:00Z",
            "choices": [{"technique": "open_question"}],
            "turns": [{"turn": 1, "fit": 61.25}],
            "summary": {"overall": 61.25},
        }))
        .unwrap();
        let written = result.sealed().to_json();
        let read: serde_json::Value = serde_json::from_str(&written).unwrap();
        assert!(written.contains("\"pass_mark\": 65.3"), "{written}");
        assert!(super::super::seal::holds(&read));
    }
}
