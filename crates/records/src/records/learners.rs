//! Learner profiles: a local name per person who practises on this machine (nothing is
//! sent anywhere for it). Attempts carry the learner's name, so each learner's attempts,
//! best scores and progress are read by that name; a profile is what the app offers to
//! pick from. A name used for an attempt becomes a profile when the attempt is recorded,
//! and an older database gains a profile for each name its attempts were saved under.

use rusqlite::{Connection, OptionalExtension, params};

use super::store::Store;

const TABLES: &str = "
CREATE TABLE IF NOT EXISTS learners (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_unix INTEGER NOT NULL
);
";

/// A learner profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Learner {
    pub id: i64,
    /// The name as the learner typed it (trimmed): unique on this machine.
    pub name: String,
    /// When the profile was made, in seconds since 1970.
    pub created_unix: u64,
}

/// Makes the table; an older database gains it, with a profile for each learner its
/// attempts name, when opened to record in.
pub(super) fn create_tables(conn: &Connection) -> Result<(), String> {
    let existed = has_table(conn)?;
    conn.execute_batch(TABLES).map_err(|e| e.to_string())?;
    if !existed {
        conn.execute(
            "INSERT OR IGNORE INTO learners (name, created_unix)
             SELECT learner, ?1 FROM attempts WHERE learner IS NOT NULL AND trim(learner) != ''
             GROUP BY learner ORDER BY MIN(started_at)",
            [now_unix() as i64],
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Makes `name` a profile when it is not one yet (inside the transaction that records an
/// attempt under it).
pub(super) fn ensure(conn: &Connection, name: &str) -> Result<(), String> {
    conn.execute(
        "INSERT OR IGNORE INTO learners (name, created_unix) VALUES (?1, ?2)",
        params![name, now_unix() as i64],
    )
    .map(|_| ())
    .map_err(|e| e.to_string())
}

/// Whether the database has the table: one from before it, opened read-only, does not.
fn has_table(conn: &Connection) -> Result<bool, String> {
    super::store::has_table(conn, "learners")
}

fn now_unix() -> u64 {
    super::clock::now_millis() / 1000
}

fn learner_row(r: &rusqlite::Row) -> rusqlite::Result<Learner> {
    Ok(Learner {
        id: r.get(0)?,
        name: r.get(1)?,
        created_unix: r.get::<_, i64>(2)?.max(0) as u64,
    })
}

impl Store {
    /// Adds a profile named `typed` (checked as `valid_learner` checks a name), or returns
    /// the one that has that name already.
    pub fn add_learner(&mut self, typed: &str) -> Result<Learner, String> {
        let name = crate::assessment::valid_learner(typed)?;
        let tx = self.conn.transaction().map_err(|e| e.to_string())?;
        ensure(&tx, &name)?;
        tx.commit().map_err(|e| e.to_string())?;
        self.learner_named(&name)?
            .ok_or_else(|| format!("the profile {name} was not kept"))
    }

    /// Every profile, in the order they were made.
    pub fn learners(&self) -> Result<Vec<Learner>, String> {
        if !has_table(&self.conn)? {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare("SELECT id, name, created_unix FROM learners ORDER BY id")
            .map_err(|e| e.to_string())?;
        let rows = stmt.query_map([], learner_row).map_err(|e| e.to_string())?;
        rows.map(|r| r.map_err(|e| e.to_string())).collect()
    }

    /// The profile with exactly this name (after trimming), if there is one.
    pub fn learner_named(&self, name: &str) -> Result<Option<Learner>, String> {
        if !has_table(&self.conn)? {
            return Ok(None);
        }
        self.conn
            .query_row(
                "SELECT id, name, created_unix FROM learners WHERE name = ?1",
                [name.trim()],
                learner_row,
            )
            .optional()
            .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("attune-learners-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn a_profile_is_added_once_and_found_by_its_name() {
        let dir = dir("add");
        let mut store = Store::open(&dir.join("records.sqlite")).unwrap();
        assert!(store.learners().unwrap().is_empty());
        let ann = store.add_learner("  Ann Lee ").unwrap();
        assert_eq!(ann.name, "Ann Lee");
        let again = store.add_learner("Ann Lee").unwrap();
        assert_eq!(again, ann, "the same name is the same profile");
        store.add_learner("Ben").unwrap();
        let names: Vec<String> = store
            .learners()
            .unwrap()
            .into_iter()
            .map(|l| l.name)
            .collect();
        assert_eq!(names, ["Ann Lee", "Ben"]);
        assert_eq!(store.learner_named("Ben").unwrap().unwrap().name, "Ben");
        assert_eq!(store.learner_named("Cleo").unwrap(), None);
        assert!(store.add_learner("   ").is_err(), "a blank name is refused");
        assert!(store.add_learner("Ann\nfake line").is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_older_database_gains_a_profile_per_practising_learner_and_a_new_name_becomes_one() {
        use attune_core::model::Mode;
        let dir = dir("migrate");
        let path = dir.join("records.sqlite");
        {
            let mut store = Store::open(&path).unwrap();
            for (learner, started) in [
                (Some("Zoe"), "2026-01-02T10:00:00Z"),
                (Some("Yan"), "2026-01-03T10:00:00Z"),
                (None, "2026-01-04T10:00:00Z"),
            ] {
                store
                    .begin(&crate::records::NewAttempt {
                        scenario_id: "dan",
                        scenario_title: "Dan",
                        scenario_file: "dan.ron",
                        content_hash: "blake3:00",
                        seed: 1,
                        mode: Mode::Practice,
                        learner,
                        started_at: started,
                        continues: None,
                    })
                    .unwrap();
            }
            // Back to version 4: no profiles table.
            store
                .conn
                .execute_batch(
                    "DROP TABLE learners; DROP TABLE drill_results; PRAGMA user_version = 4;",
                )
                .unwrap();
        }
        let mut store = Store::open(&path).unwrap();
        let version: i64 = store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, crate::records::store::SCHEMA_VERSION);
        let names = |s: &Store| -> Vec<String> {
            s.learners().unwrap().into_iter().map(|l| l.name).collect()
        };
        assert_eq!(
            names(&store),
            ["Zoe", "Yan"],
            "oldest first, and no profile for no name"
        );
        let mut new = crate::records::NewAttempt {
            scenario_id: "dan",
            scenario_title: "Dan",
            scenario_file: "dan.ron",
            content_hash: "blake3:00",
            seed: 1,
            mode: Mode::Practice,
            learner: Some("Xu"),
            started_at: "2026-01-05T10:00:00Z",
            continues: None,
        };
        store.begin(&new).unwrap();
        new.mode = Mode::Assessment;
        new.learner = Some("s1234567");
        store.begin(&new).unwrap();
        assert_eq!(
            names(&store),
            ["Zoe", "Yan", "Xu"],
            "practice makes a profile; an assessment id does not"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
