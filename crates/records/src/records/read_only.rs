//! Opening the records database only to read it, so that the commands that only read
//! (`resume` listing, `export`, `report`, `sync --status`) work on a read-only mount or a
//! full disk, and records can be rescued to another disk. Nothing is written: no schema,
//! no pragma, no migration, and no -wal or -shm file is created where SQLite can avoid it.
//!
//! The database is kept in write-ahead-log mode, so its last turns may still be in
//! `records.sqlite-wal` (a recording process that was killed leaves them there). How it is
//! opened depends on what lies beside it:
//! - no -wal, or an empty one, and no -shm: no process has it open and every turn is in the
//!   main file, which is read as `immutable` (no locks, no -shm, no -wal);
//! - a -shm: the -wal is read through it without writing to it (`readonly_shm`), whether
//!   it holds the last turns of a killed process or a running app is recording;
//! - a -wal with turns and no -shm (a copy that left the -shm behind): SQLite needs a -shm
//!   to read the -wal, and creates one if the folder is writable; on a read-only disk the
//!   error says to copy the folder to a writable disk.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::store::{OpenError, SCHEMA_VERSION, Store};

/// How the database is read, from what lies beside it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Way {
    /// Every turn is in the main file and no process has it open.
    Immutable,
    /// Through the existing -shm, without writing to it.
    ReadOnlyShm,
    /// The -wal holds turns and there is no -shm: SQLite must make one.
    MakeShm,
}

impl Way {
    fn choose(wal_holds_turns: bool, has_shm: bool) -> Way {
        match (wal_holds_turns, has_shm) {
            (_, true) => Way::ReadOnlyShm,
            (false, false) => Way::Immutable,
            (true, false) => Way::MakeShm,
        }
    }

    fn query(self) -> &'static str {
        match self {
            // Immutable skips the -wal: only when it holds nothing. A recording process that
            // starts while this reads writes to a new -wal, not to the main file, until it
            // checkpoints at its end; the commands here read for milliseconds.
            Way::Immutable => "mode=ro&immutable=1",
            Way::ReadOnlyShm => "mode=ro&readonly_shm=1",
            Way::MakeShm => "mode=ro",
        }
    }
}

impl Store {
    /// Opens the database only to read it; see the module's doc. A database not created
    /// yet reads as an empty one (nothing recorded), without creating it. A database from
    /// an older Attune is read as it is (its attempts and turns have not changed since the
    /// first version); one from a newer Attune is refused. Every error names the database.
    pub fn open_read_only(path: &Path) -> Result<Store, OpenError> {
        let io = |path: &Path, source| OpenError::Io {
            path: path.to_path_buf(),
            source,
        };
        match std::fs::metadata(path) {
            Err(e) if e.kind() == ErrorKind::NotFound => return Store::nothing_recorded(),
            Err(e) => return Err(io(path, e)),
            Ok(m) if !m.is_file() => {
                return Err(OpenError::NotAFile {
                    path: path.to_path_buf(),
                });
            }
            Ok(_) => {}
        }
        let wal = beside(path, "-wal");
        let shm = beside(path, "-shm");
        let wal_holds_turns = match std::fs::metadata(&wal) {
            Ok(m) => m.len() > 0,
            Err(e) if e.kind() == ErrorKind::NotFound => false,
            Err(e) => return Err(io(&wal, e)),
        };
        let has_shm = shm.try_exists().map_err(|e| io(&shm, e))?;
        let way = Way::choose(wal_holds_turns, has_shm);
        let explain = |source: rusqlite::Error| {
            if way == Way::MakeShm {
                OpenError::NeedsShm {
                    path: path.to_path_buf(),
                    wal: wal.clone(),
                    shm: shm.clone(),
                    source: Box::new(source),
                }
            } else {
                OpenError::sqlite(path, source)
            }
        };
        let conn = Connection::open_with_flags(
            file_uri(path, way.query()).map_err(|e| io(path, e))?,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(explain)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(explain)?;
        // SQLite reads the file only now: this is where a damaged or foreign file shows.
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(explain)?;
        if version > SCHEMA_VERSION {
            return Err(OpenError::Newer {
                path: path.to_path_buf(),
                version,
            });
        }
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .map_err(explain)?;
        if tables.is_empty() {
            // Created and never written to (a process stopped before making the tables).
            return Store::nothing_recorded();
        }
        if !tables.iter().any(|t| t == "attempts") {
            return Err(OpenError::NotRecords {
                path: path.to_path_buf(),
            });
        }
        Ok(Store { conn })
    }

    /// Whether the database has the current schema; one from an older Attune is brought up
    /// to date only when it is opened to record in.
    pub fn schema_is_current(&self) -> Result<bool, String> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| e.to_string())?;
        Ok(version == SCHEMA_VERSION)
    }

    /// An empty database in memory: what a data folder with no records holds.
    fn nothing_recorded() -> Result<Store, OpenError> {
        let memory = Path::new(":memory:");
        let conn = Connection::open_in_memory().map_err(|e| OpenError::sqlite(memory, e))?;
        Store::set_up(conn, memory)
    }
}

/// `records.sqlite-wal` beside `records.sqlite`.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A `file:` URI for SQLite, every byte but the plainest percent-encoded (a `?` or `#` in
/// a folder name would otherwise end the path).
fn file_uri(path: &Path, query: &str) -> std::io::Result<String> {
    let absolute = std::path::absolute(path)?;
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(absolute.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = absolute.to_string_lossy().replace('\\', "/").into_bytes();
    let mut uri = String::from("file:");
    for b in bytes {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push('?');
    uri.push_str(query);
    Ok(uri)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::NewAttempt;
    use attune_core::model::Mode;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("attune-read-only-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Every file in a folder with a hash of its bytes.
    fn snapshot(dir: &Path) -> Vec<(String, blake3::Hash)> {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, blake3::hash(&std::fs::read(&p).unwrap()))
            })
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    }

    fn begin(store: &mut Store, learner: &str) {
        store
            .begin(&NewAttempt {
                scenario_id: "dan-mandated-anger",
                scenario_title: "Dan",
                scenario_file: "dan-mandated-anger.ron",
                content_hash: "blake3:00",
                seed: 7,
                mode: Mode::Practice,
                learner: Some(learner),
                started_at: "2026-12-06T06:00:00Z",
                continues: None,
            })
            .unwrap();
    }

    fn learners(store: &Store) -> Vec<String> {
        let mut names: Vec<String> = store
            .unfinished()
            .unwrap()
            .into_iter()
            .filter_map(|u| u.learner)
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_closed_database_is_read_as_it_is_and_nothing_is_created_beside_it() {
        let dir = temp_dir("closed");
        let db = dir.join("records.sqlite");
        begin(&mut Store::open(&db).unwrap(), "Ann");
        let before = snapshot(&dir);
        assert_eq!(
            before.len(),
            1,
            "a closed database leaves no -wal: {before:?}"
        );
        let store = Store::open_read_only(&db).unwrap();
        assert_eq!(learners(&store), ["Ann"]);
        drop(store);
        assert_eq!(snapshot(&dir), before);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_last_turns_still_in_the_wal_are_read_without_writing() {
        let dir = temp_dir("wal");
        let live = dir.join("live");
        let copy = dir.join("copy");
        std::fs::create_dir_all(&copy).unwrap();
        let mut store = Store::open(&live.join("records.sqlite")).unwrap();
        begin(&mut store, "Ann");
        begin(&mut store, "Ben");
        // The folder as a killed process leaves it: committed rows still in the -wal.
        for name in ["records.sqlite", "records.sqlite-wal", "records.sqlite-shm"] {
            std::fs::copy(live.join(name), copy.join(name)).unwrap();
        }
        drop(store);
        assert!(
            std::fs::metadata(copy.join("records.sqlite-wal"))
                .unwrap()
                .len()
                > 0
        );
        let before = snapshot(&copy);
        let store = Store::open_read_only(&copy.join("records.sqlite")).unwrap();
        assert_eq!(
            learners(&store),
            ["Ann", "Ben"],
            "the rows in the -wal are read"
        );
        drop(store);
        assert_eq!(snapshot(&copy), before, "no byte changed, no file added");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_missing_database_reads_as_empty_and_is_not_created() {
        let dir = temp_dir("missing");
        let db = dir.join("records.sqlite");
        let store = Store::open_read_only(&db).unwrap();
        assert!(store.unfinished().unwrap().is_empty());
        assert!(store.results().unwrap().is_empty());
        assert!(!db.exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_foreign_or_newer_database_is_refused_naming_it() {
        let dir = temp_dir("foreign");
        let db = dir.join("records.sqlite");
        std::fs::write(
            &db,
            "not a database at all, but long enough to have a header...",
        )
        .unwrap();
        let err = Store::open_read_only(&db).err().unwrap();
        assert!(matches!(err, OpenError::Sqlite { .. }), "{err:?}");
        assert!(
            err.to_string().starts_with(&db.display().to_string()),
            "{err}"
        );
        std::fs::remove_file(&db).unwrap();
        Connection::open(&db)
            .unwrap()
            .execute_batch("CREATE TABLE other (x); PRAGMA user_version = 99;")
            .unwrap();
        let err = Store::open_read_only(&db).err().unwrap();
        assert!(
            matches!(err, OpenError::Newer { version: 99, .. }),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!(
                "{} was written by a newer Attune (schema 99); update Attune to open it",
                db.display()
            )
        );
        // The writer refuses it the same way, before changing anything.
        let err = Store::open(&db).err().unwrap();
        assert!(
            matches!(err, OpenError::Newer { version: 99, .. }),
            "{err:?}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_folder_and_a_database_without_attempts_are_told_apart() {
        let dir = temp_dir("not-records");
        let err = Store::open_read_only(&dir).err().unwrap();
        assert!(matches!(err, OpenError::NotAFile { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!(
                "{}: not a records database: it is not a file",
                dir.display()
            )
        );
        let db = dir.join("records.sqlite");
        Connection::open(&db)
            .unwrap()
            .execute_batch("CREATE TABLE other (x);")
            .unwrap();
        let err = Store::open_read_only(&db).err().unwrap();
        assert!(matches!(err, OpenError::NotRecords { .. }), "{err:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_older_database_is_read_as_it_is() {
        let dir = temp_dir("older");
        let db = dir.join("records.sqlite");
        begin(&mut Store::open(&db).unwrap(), "Ann");
        Connection::open(&db)
            .unwrap()
            .execute_batch("PRAGMA user_version = 1;")
            .unwrap();
        let store = Store::open_read_only(&db).unwrap();
        assert_eq!(learners(&store), ["Ann"]);
        assert!(!store.schema_is_current().unwrap());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn folder_names_with_uri_characters_are_encoded() {
        let uri = file_uri(Path::new("/data/a?b#c d%/records.sqlite"), "mode=ro").unwrap();
        assert_eq!(uri, "file:/data/a%3Fb%23c%20d%25/records.sqlite?mode=ro");
    }
}
