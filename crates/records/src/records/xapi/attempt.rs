//! An attempt as the records database holds it, read when its statements are sent: the
//! attempt's row, its saved turns, its assessment sitting, and the sealed result once it is
//! finished. Statements are built from this and the configuration in force at that moment.

use rusqlite::{Connection, OptionalExtension};

use crate::records::AttemptResult;
use attune_core::model::Mode;
use attune_core::scenario::Choice;

/// One attempt, finished or not.
#[derive(Clone, Debug)]
pub struct AttemptRecord {
    pub id: String,
    pub scenario_id: String,
    pub scenario_title: String,
    pub content_hash: String,
    pub seed: u64,
    pub mode: Mode,
    pub learner: Option<String>,
    pub started_at: String,
    /// The assessment pack it was taken in, if any.
    pub pack: Option<PackOf>,
    /// The turns saved so far, in order.
    pub turns: Vec<SavedTurn>,
    /// The sealed result, once the attempt is finished.
    pub result: Option<AttemptResult>,
}

/// What the statements say of the pack an attempt was part of.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct PackOf {
    pub id: String,
    pub title: String,
    pub class_id: String,
    /// The sitting: one learner's go at the whole pack.
    pub sitting: String,
}

/// One turn as saved when it was played.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedTurn {
    pub turn: u32,
    pub choice: Choice,
    pub fit: f64,
    pub recorded_at: String,
}

impl AttemptRecord {
    /// Reads the attempt `id`; `None` when there is no such attempt.
    pub fn read(conn: &Connection, id: &str) -> Result<Option<AttemptRecord>, String> {
        let row = conn
            .query_row(
                "SELECT scenario_id, scenario_title, content_hash, seed, mode, learner, started_at, result_json FROM attempts WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, Option<String>>(7)?,
                    ))
                },
            )
            .optional()
            .map_err(err)?;
        let Some((scenario_id, title, content_hash, seed, mode, learner, started_at, result)) = row
        else {
            return Ok(None);
        };
        let result: Option<AttemptResult> = result
            .map(|j| {
                serde_json::from_str(&j)
                    .map_err(|e| format!("attempt {id}: its sealed result does not read: {e}"))
            })
            .transpose()?;
        // Attempts begun before titles were kept take theirs from the sealed result.
        let scenario_title = title
            .or_else(|| result.as_ref().map(|r| r.scenario.title.clone()))
            .unwrap_or_else(|| scenario_id.clone());
        let pack = match &result {
            Some(r) => r.pack.as_ref().map(|p| PackOf {
                id: p.id.clone(),
                title: p.title.clone(),
                class_id: p.class_id.clone(),
                sitting: p.sitting.clone(),
            }),
            None => sitting_pack(conn, id)?,
        };
        Ok(Some(AttemptRecord {
            id: id.to_string(),
            scenario_id,
            scenario_title,
            content_hash,
            seed: seed as u64,
            mode: if mode == "assessment" {
                Mode::Assessment
            } else {
                Mode::Practice
            },
            learner,
            started_at,
            pack,
            turns: saved_turns(conn, id)?,
            result,
        }))
    }

    /// The saved turn numbered `n`.
    pub fn turn(&self, n: u32) -> Option<&SavedTurn> {
        self.turns.iter().find(|t| t.turn == n)
    }
}

/// The pack of the sitting an unfinished attempt belongs to.
fn sitting_pack(conn: &Connection, attempt: &str) -> Result<Option<PackOf>, String> {
    let row = conn
        .query_row(
            "SELECT s.id, s.pack_json FROM sitting_attempts a JOIN sittings s ON s.id = a.sitting_id WHERE a.attempt_id = ?1",
            [attempt],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()
        .map_err(err)?;
    let Some((sitting, pack_json)) = row else {
        return Ok(None);
    };
    let mut pack: serde_json::Value = serde_json::from_str(&pack_json).map_err(err)?;
    pack["sitting"] = sitting.into();
    serde_json::from_value(pack)
        .map(Some)
        .map_err(|e| format!("sitting of attempt {attempt}: {e}"))
}

fn saved_turns(conn: &Connection, attempt: &str) -> Result<Vec<SavedTurn>, String> {
    let mut stmt = conn
        .prepare("SELECT turn, choice_json, fit, recorded_at FROM turns WHERE attempt_id = ?1 ORDER BY turn")
        .map_err(err)?;
    let rows = stmt
        .query_map([attempt], |r| {
            Ok((
                r.get::<_, u32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, f64>(2)?,
                r.get::<_, String>(3)?,
            ))
        })
        .map_err(err)?;
    rows.map(|row| {
        let (turn, choice, fit, recorded_at) = row.map_err(err)?;
        Ok(SavedTurn {
            turn,
            choice: serde_json::from_str(&choice)
                .map_err(|e| format!("attempt {attempt}, turn {turn}: {e}"))?,
            fit,
            recorded_at,
        })
    })
    .collect()
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}
