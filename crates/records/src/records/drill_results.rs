//! Drill results: each answer a learner gives in a drill (one hard moment of a scenario,
//! then one move), with its fit and the evidence it gives for each skill. Each answer is
//! saved in its own transaction, like a turn, so a killed process keeps every answer it
//! reported as saved; answering the same drill again adds a row, never replaces one, so
//! mastery can follow the recent answers.

use rusqlite::{Connection, params};

use super::store::Store;
use attune_core::scenario::Choice;
use attune_core::scoring::Skill;

const TABLES: &str = "
CREATE TABLE IF NOT EXISTS drill_results (
    id INTEGER PRIMARY KEY,
    learner TEXT,
    drill_id TEXT NOT NULL,
    scenario_id TEXT NOT NULL,
    choice_json TEXT NOT NULL,
    fit REAL NOT NULL,
    skills_json TEXT NOT NULL,
    answered_unix INTEGER NOT NULL,
    seed INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS drill_results_learner ON drill_results (learner, answered_unix);
";

/// One answer to a drill.
#[derive(Clone, Debug, PartialEq)]
pub struct DrillResult {
    /// Who answered; none for someone practising without a profile.
    pub learner: Option<String>,
    /// The drill's id in its course.
    pub drill_id: String,
    /// The scenario the drill's moment is taken from.
    pub scenario_id: String,
    /// The move the learner chose.
    pub choice: Choice,
    /// The move's fit, 0..100.
    pub fit: f32,
    /// The evidence the move gave for each skill whose term applied (0..1), as
    /// `attune_core::scoring::skill_evidence` reads it.
    pub skills: Vec<(Skill, f32)>,
    /// When it was answered, in seconds since 1970.
    pub answered_unix: u64,
    /// The seed the drill's moment was played from.
    pub seed: u64,
}

/// Makes the table; an older database gains it when opened to record in.
pub(super) fn create_tables(conn: &Connection) -> Result<(), String> {
    conn.execute_batch(TABLES).map_err(|e| e.to_string())
}

/// Whether the database has the table: one from before it, opened read-only, does not.
fn has_table(conn: &Connection) -> Result<bool, String> {
    super::store::has_table(conn, "drill_results")
}

/// The skills' evidence as stored: `{"stage_matching": 0.75, ...}`.
fn skills_json(skills: &[(Skill, f32)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = skills
        .iter()
        .map(|(s, v)| (s.id().to_string(), serde_json::json!(v)))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// The skills' evidence read back; a skill this Attune does not know is an error, not
/// dropped, so nothing a newer Attune saved is misread quietly.
fn skills_from_json(text: &str) -> Result<Vec<(Skill, f32)>, String> {
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(text).map_err(|e| format!("a drill result's skills: {e}"))?;
    let mut out = Vec::new();
    for (id, value) in map {
        let skill = Skill::from_id(&id)
            .ok_or_else(|| format!("a drill result names an unknown skill {id:?}"))?;
        let v = value
            .as_f64()
            .ok_or_else(|| format!("a drill result's {id} is not a number"))?;
        out.push((skill, v as f32));
    }
    out.sort_by_key(|(s, _)| *s);
    Ok(out)
}

impl Store {
    /// Saves one answer to a drill, in its own transaction, and returns its row id.
    pub fn record_drill(&mut self, result: &DrillResult) -> Result<i64, String> {
        if !(0.0..=100.0).contains(&result.fit) {
            return Err(format!("a drill's fit is 0..100, not {}", result.fit));
        }
        if let Some((skill, v)) = result.skills.iter().find(|(_, v)| !(0.0..=1.0).contains(v)) {
            return Err(format!("the evidence for {} is 0..1, not {v}", skill.id()));
        }
        let choice = serde_json::to_string(&result.choice).map_err(|e| e.to_string())?;
        let tx = self.conn.transaction().map_err(|e| e.to_string())?;
        tx.execute(
            "INSERT INTO drill_results (learner, drill_id, scenario_id, choice_json, fit, skills_json, answered_unix, seed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                result.learner,
                result.drill_id,
                result.scenario_id,
                choice,
                f64::from(result.fit),
                skills_json(&result.skills),
                result.answered_unix as i64,
                result.seed as i64
            ],
        )
        .map_err(|e| e.to_string())?;
        let id = tx.last_insert_rowid();
        if let Some(name) = &result.learner {
            super::learners::ensure(&tx, name)?;
        }
        tx.commit().map_err(|e| e.to_string())?;
        Ok(id)
    }

    /// One learner's drill answers (or those given without a profile, for `None`),
    /// oldest first.
    pub fn drill_results(&self, learner: Option<&str>) -> Result<Vec<DrillResult>, String> {
        if !has_table(&self.conn)? {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare("SELECT learner, drill_id, scenario_id, choice_json, fit, skills_json, answered_unix, seed FROM drill_results WHERE learner IS ?1 ORDER BY answered_unix, id")
            .map_err(|e| e.to_string())?;
        let rows = stmt
            .query_map([learner], |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, f64>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, i64>(7)?,
                ))
            })
            .map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        for row in rows {
            let (learner, drill_id, scenario_id, choice, fit, skills, answered, seed) =
                row.map_err(|e| e.to_string())?;
            out.push(DrillResult {
                learner,
                drill_id,
                scenario_id,
                choice: serde_json::from_str(&choice)
                    .map_err(|e| format!("a drill result's move: {e}"))?,
                fit: fit as f32,
                skills: skills_from_json(&skills)?,
                answered_unix: answered.max(0) as u64,
                seed: seed as u64,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(learner: Option<&str>, technique: &str, fit: f32, at: u64) -> DrillResult {
        DrillResult {
            learner: learner.map(str::to_string),
            drill_id: "dan-first-rupture".into(),
            scenario_id: "dan-mandated-anger".into(),
            choice: Choice::new(technique),
            fit,
            skills: vec![
                (Skill::RuptureRepair, fit / 100.0),
                (Skill::ReactanceMatching, 0.5),
            ],
            answered_unix: at,
            seed: 7,
        }
    }

    #[test]
    fn each_answer_is_kept_per_learner_and_survives_reopening() {
        let dir = std::env::temp_dir().join(format!("attune-drills-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("records.sqlite");
        {
            let mut store = Store::open(&path).unwrap();
            store
                .record_drill(&answer(Some("Ann"), "confrontation", 12.0, 100))
                .unwrap();
            store
                .record_drill(&answer(Some("Ann"), "rupture_repair", 88.0, 200))
                .unwrap();
            store
                .record_drill(&answer(Some("Ben"), "open_question", 60.0, 150))
                .unwrap();
            store
                .record_drill(&answer(None, "open_question", 50.0, 160))
                .unwrap();
            assert!(
                store
                    .record_drill(&answer(Some("Ann"), "x", 101.0, 1))
                    .is_err()
            );
        }
        let store = Store::open(&path).unwrap();
        let ann = store.drill_results(Some("Ann")).unwrap();
        assert_eq!(ann.len(), 2, "the same drill answered twice is kept twice");
        assert_eq!(
            ann[0],
            answer(Some("Ann"), "confrontation", 12.0, 100).sorted()
        );
        assert_eq!(ann[1].choice.technique, "rupture_repair");
        assert_eq!(store.drill_results(Some("Ben")).unwrap().len(), 1);
        assert_eq!(store.drill_results(None).unwrap().len(), 1);
        let names: Vec<String> = store
            .learners()
            .unwrap()
            .into_iter()
            .map(|l| l.name)
            .collect();
        assert_eq!(
            names,
            ["Ann", "Ben"],
            "a drill answered under a new name makes it a profile"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    impl DrillResult {
        fn sorted(mut self) -> DrillResult {
            self.skills.sort_by_key(|(s, _)| *s);
            self
        }
    }
}
