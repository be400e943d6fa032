//! `attune resume` and `attune export`: the records database from the command line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use super::check::scenario_files;
use crate::engine::Session;
use crate::records::{AttemptResult, HashedLibrary, Store, csv, files, words};
use crate::scenario::{parse_script, read_text};

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
}

pub fn db_path() -> Result<PathBuf, String> {
    crate::records::store::default_path()
        .ok_or_else(|| "no data folder: set ATTUNE_DATA_DIR or HOME".to_string())
}

/// A play script's choices for this scenario; its problems, one per line, as the error.
pub(super) fn read_script(
    script: &Path,
    prepared: &crate::engine::PreparedScenario,
) -> Result<Vec<crate::scenario::Choice>, String> {
    let name = script.display().to_string();
    let text = read_text(script).map_err(|e| format!("{name}: {e}"))?;
    let known: Vec<&str> = prepared.techniques.iter().map(|t| t.id.as_str()).collect();
    parse_script(&name, &text, &known).map_err(|d| {
        d.iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// Takes up the attempt in the app's window, playing the script's remaining choices there.
fn resume_in_window(
    u: &crate::records::Unfinished,
    scenario: &crate::records::HashedScenario,
    scenarios: &Path,
    script: Option<&Path>,
    db: &Path,
) -> Result<ExitCode, String> {
    let script = script.ok_or(
        "--gui needs --script: the choices after the saved turns are played in the window",
    )?;
    let choices = read_script(script, &scenario.prepared)?;
    let location = crate::app::LibraryLocation::of_folder(scenarios)?;
    let key = location
        .key_of(&scenario.file)
        .ok_or("the scenario file has no name")?;
    Ok(crate::app::run(
        scenarios,
        crate::app::Opening {
            script: Some(crate::app::scripted::ScriptedRun {
                scenario: key,
                seed: u.seed,
                mode: u.mode,
                choices,
                screenshot: None,
                pace_ms: 0,
                resume: Some(u.id.clone()),
            }),
            records: Some(db.to_path_buf()),
            pack: None,
        },
    ))
}

pub fn resume(
    attempt: Option<&str>,
    script: Option<&Path>,
    scenarios: &Path,
    gui: bool,
) -> Result<ExitCode, String> {
    let db = db_path()?;
    let mut store = Store::open(&db)?;
    let open = store.unfinished()?;
    let Some(id) = attempt else {
        if open.is_empty() {
            println!("no interrupted attempts in {}", db.display());
        }
        for u in &open {
            println!(
                "{}  {}  started {}  {} saved{}",
                u.id,
                u.scenario_id,
                words::timestamp(&u.started_at),
                crate::words::count_with(u.choices.len(), "turn", "turns"),
                u.learner
                    .as_ref()
                    .map_or(String::new(), |l| format!("  learner {l}"))
            );
        }
        return Ok(ExitCode::SUCCESS);
    };
    let u = open.iter().find(|u| u.id == id).ok_or_else(|| {
        format!("no interrupted attempt with id {id} (run `attune resume` to list them)")
    })?;
    let library = HashedLibrary::scan(&scenario_files(&[scenarios.to_path_buf()])?);
    let scenario = library.by_hash(&u.content_hash).ok_or_else(|| format!("scenario `{}` is no longer in {} as it was played (content hash {}); the attempt cannot be resumed", u.scenario_id, scenarios.display(), u.content_hash))?;
    // An attempt in an assessment sitting was played with the pack's pass mark.
    let pack = match store.sitting_of(id)? {
        Some((sitting, position)) => store
            .open_sittings()?
            .into_iter()
            .find(|s| s.id == sitting)
            .map(|s| s.pack_ref(position)),
        None => None,
    };
    if gui {
        return resume_in_window(u, scenario, scenarios, script, &db);
    }
    // Replay what was saved: the same seed and choices give the same session.
    let prepared = match &pack {
        Some(p) => Arc::new(scenario.prepared.with_pass_mark(p.pass_mark)),
        None => Arc::clone(&scenario.prepared),
    };
    let prepared = &prepared;
    let mut session = Session::new(Arc::clone(prepared), u.seed);
    for c in &u.choices {
        session
            .apply(c)
            .map_err(|e| format!("the saved turns no longer replay: {e}"))?;
    }
    eprintln!(
        "resumed attempt {id} after {} saved",
        crate::words::count_with(u.choices.len(), "turn", "turns")
    );
    if let Some(script) = script {
        let choices = read_script(script, prepared)?;
        let rest = choices.get(u.choices.len()..).unwrap_or(&[]);
        super::play::play_choices(&mut session, rest, Some((&mut store, id)), 0)?;
    }
    let file_name = scenario
        .file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let result = AttemptResult::of(
        &session,
        &file_name,
        scenario.content_hash.clone(),
        u.mode,
        u.learner.clone(),
        u.started_at.clone(),
    );
    let result = match pack {
        Some(p) => result.in_pack(p),
        None => result,
    };
    store.finish(id, &result)?;
    super::sync::after_finish(&mut store, &db);
    print!("{}", crate::transcript::to_text(&session));
    Ok(ExitCode::SUCCESS)
}

pub fn export(out: &Path, format: ExportFormat) -> Result<ExitCode, String> {
    let db = db_path()?;
    let results = Store::open(&db)?.results()?;
    if results.is_empty() {
        return Err(format!(
            "no finished attempts in the records database {}: nothing to export",
            db.display()
        ));
    }
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let write = |name: &str, text: String| {
        let path = out.join(name);
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, text)
            .and_then(|_| std::fs::rename(&tmp, &path))
            .map_err(|e| format!("{}: {e}", path.display()))
    };
    match format {
        ExportFormat::Json => {
            for (i, r) in results.iter().enumerate() {
                write(
                    &format!("{:05}-{}-seed{}.json", i + 1, r.scenario.id, r.seed),
                    r.to_json(),
                )?;
            }
        }
        ExportFormat::Csv => {
            let mut attempts = String::from(
                "attempt,scenario_id,content_hash,learner,mode,seed,started_at,finished_at,turns,overall,passed,pack_id,class_id\n",
            );
            let mut turns = String::from(
                "attempt,scenario_id,learner,turn,technique,fit,response_id,client_line\n",
            );
            for (i, r) in results.iter().enumerate() {
                let n = i + 1;
                let learner = r.learner.as_deref().unwrap_or("");
                let played = r.turns.as_array().map_or(0, Vec::len);
                attempts.push_str(&format!(
                    "{n},{},{},{},{:?},{},{},{},{played},{},{},{},{}\n",
                    csv::text(&r.scenario.id),
                    r.scenario.content_hash,
                    csv::text(learner),
                    r.mode,
                    r.seed,
                    r.started_at,
                    r.finished_at,
                    r.summary["overall"]
                        .as_f64()
                        .map_or(String::new(), |v| format!("{v:.1}")),
                    r.summary["passed"].as_bool().unwrap_or(false),
                    csv::text(r.pack.as_ref().map_or("", |p| p.id.as_str())),
                    csv::text(r.pack.as_ref().map_or("", |p| p.class_id.as_str())),
                ));
                for t in r.turns.as_array().into_iter().flatten() {
                    turns.push_str(&format!(
                        "{n},{},{},{},{},{},{},{}\n",
                        csv::text(&r.scenario.id),
                        csv::text(learner),
                        t["turn"],
                        csv::text(t["technique"].as_str().unwrap_or("")),
                        t["fit"]
                            .as_f64()
                            .map_or(String::new(), |v| format!("{v:.1}")),
                        csv::text(t["response_id"].as_str().unwrap_or("")),
                        csv::text(t["client_line"].as_str().unwrap_or(""))
                    ));
                }
            }
            write("attempts.csv", attempts)?;
            write("turns.csv", turns)?;
        }
    }
    eprintln!(
        "exported {} to {}",
        crate::words::count_with(results.len(), "attempt", "attempts"),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Where the report's attempts came from, in words: `9 result files in results/`.
fn describe_paths(files: usize, paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let folders = paths.iter().any(|p| p.is_dir());
    format!(
        "{} {} {}{}",
        crate::words::count_with(files, "result file", "result files"),
        if folders { "in" } else { "named:" },
        names.join(", "),
        if folders { " (with subfolders)" } else { "" }
    )
}

pub fn report(
    paths: &[PathBuf],
    out: &Path,
    class: Option<&str>,
    from_store: Option<&super::report_lrs::Source>,
) -> Result<ExitCode, String> {
    let mut flags = Vec::new();
    let (mut results, mut source) = if let Some(store) = from_store {
        let (results, source, flagged) = super::report_lrs::read(store)?;
        flags = flagged;
        (results, source)
    } else if paths.is_empty() {
        let db = db_path()?;
        let results = Store::open(&db)?.results()?;
        if results.is_empty() {
            return Err(format!(
                "no finished attempts in the records database {}; to report on result files, name them or their folder (`attune report results/`)",
                db.display()
            ));
        }
        (results, format!("the records database {}", db.display()))
    } else {
        let files = files::result_files(paths)?;
        (
            files::read_results(&files)?,
            describe_paths(files.len(), paths),
        )
    };
    let mut title = "Attune class report".to_string();
    if let Some(class) = class {
        // Only the attempts taken in a pack for this class.
        let mut classes: Vec<String> = results
            .iter()
            .filter_map(|r| r.pack.as_ref().map(|p| format!("`{}`", p.class_id)))
            .collect();
        classes.sort();
        classes.dedup();
        let before = results.len();
        results.retain(|r| r.pack.as_ref().is_some_and(|p| p.class_id == class));
        if results.is_empty() {
            // Naming the classes there are makes a typo plain to see.
            return Err(format!(
                "no results for class `{class}` among the {} from {source}; {}",
                crate::words::count_with(before, "attempt", "attempts"),
                if classes.is_empty() {
                    "none of them was taken in a pack".to_string()
                } else {
                    format!("the classes there are: {}", classes.join(", "))
                }
            ));
        }
        title = format!("{title}: class {class}");
        source = format!("{source}; only attempts taken in a pack for class {class}");
    }
    let mut report = crate::records::report::build(&results);
    report.flags = flags;
    report.source = format!(
        "{} by {}, from {source}.",
        crate::words::count_with(report.attempts, "attempt", "attempts"),
        crate::words::count_with(report.learners, "learner", "learners"),
    );
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    for (name, text) in [
        ("report.html", report.html(&title)),
        ("gradebook.csv", report.csv_gradebook()),
        ("scenarios.csv", report.csv_scenarios()),
        ("decisions.csv", report.csv_decisions()),
        ("misfits.csv", report.csv_misfits()),
    ] {
        let path = out.join(name);
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    print!("{}", report.text());
    eprintln!(
        "report written to {} (the gradebook also as gradebook.csv)",
        out.join("report.html").display()
    );
    Ok(ExitCode::SUCCESS)
}
