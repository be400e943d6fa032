//! `attune report --lrs`: the class as the learning record store holds it, read with the
//! instructor's credentials, replayed and cross-checked (`records::xapi::read`), for the
//! same report builder as result files and the records database.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::check::scenario_files;
use crate::records::HashedLibrary;
use crate::records::xapi::LrsConfig;
use crate::records::xapi::read::{self, Query};

/// Where to read from and with which credentials.
pub struct Source {
    /// The instructor's store configuration (a file like `lrs.ron`); without it, the data
    /// folder's `lrs.ron` and the `ATTUNE_LRS_*` variables.
    pub config: Option<PathBuf>,
    /// Only statements from this time on.
    pub since: Option<String>,
    /// The scenario library the attempts are replayed from.
    pub scenarios: PathBuf,
}

/// Statements asked for per page (the store may send fewer, and says so with `more`).
const PAGE_SIZE: usize = 500;

/// What the store holds, as attempts to report on, a sentence saying where they came from,
/// and the flags.
pub fn read(
    source: &Source,
) -> Result<(Vec<crate::records::AttemptResult>, String, Vec<String>), String> {
    if let Some(since) = &source.since
        && crate::records::clock::parse_rfc3339(since).is_none()
    {
        return Err(format!(
            "--since `{since}` is not an RFC 3339 time; write it like 2026-09-01T00:00:00Z"
        ));
    }
    let cfg = config(source.config.as_deref())?;
    let library = HashedLibrary::scan(&scenario_files(std::slice::from_ref(&source.scenarios))?);
    let query = Query {
        since: source.since.clone(),
        page_size: PAGE_SIZE,
    };
    let statements = read::fetch(&cfg, &query, Duration::from_secs(60))
        .map_err(|e| format!("reading the learning record store: {e}"))?;
    let back = read::attempts(&statements, &cfg, &library);
    let flags: Vec<String> = back.flags.iter().map(read::Flag::sentence).collect();
    let mut source_text = format!(
        "the learning record store {} ({}{}",
        cfg.endpoint,
        crate::words::count_with(back.statements, "statement", "statements"),
        source
            .since
            .as_ref()
            .map_or(String::new(), |s| format!(" since {s}"))
    );
    if back.others > 0 {
        source_text.push_str(&format!(
            ", of which {} not Attune's under {}",
            back.others, cfg.activity_base
        ));
    }
    source_text.push_str(&format!(
        "; each attempt replayed from {}",
        source.scenarios.display()
    ));
    if !flags.is_empty() {
        source_text.push_str(&format!(
            "; {} flagged",
            crate::words::count_with(flags.len(), "attempt", "attempts")
        ));
    }
    source_text.push(')');
    if back.attempts.is_empty() {
        let mut message = format!("no attempt to report on in {source_text}");
        for f in &flags {
            message.push_str(&format!("\n  {f}"));
        }
        return Err(message);
    }
    Ok((back.attempts, source_text, flags))
}

/// The instructor's configuration: the file named, else the data folder's.
fn config(file: Option<&Path>) -> Result<LrsConfig, String> {
    let loaded = match file {
        Some(path) => {
            let name = path.display().to_string();
            let text = crate::scenario::read_text(path).map_err(|e| format!("{name}: {e}"))?;
            LrsConfig::from_sources(Some((&name, &text)), &|k| std::env::var(k).ok())?
        }
        None => LrsConfig::load()?,
    };
    loaded.ok_or_else(|| {
        let in_data = crate::records::store::default_path()
            .and_then(|db| db.parent().map(|d| d.join(crate::records::xapi::config::FILE_NAME)))
            .map_or("lrs.ron in the data folder".to_string(), |p| p.display().to_string());
        format!(
            "no learning record store is configured to read from: give the instructor's configuration with --lrs-config FILE (the same fields as lrs.ron), or set it in {in_data}"
        )
    })
}
