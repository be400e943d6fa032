//! `attune resume` and `attune export` (with `--class`, one attempt's class votes): the
//! records database from the command line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use super::attempts::{db_path, deliver_after_finish, play_choices, read_script};
use super::check::scenario_files;
use crate::records::class_export::file_name_part;
use crate::records::report::Dropped;
use crate::records::{
    AttemptResult, HashedLibrary, OpenAttempt, Played, Store, csv, files, replay_attempt, words,
};

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
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

/// The interrupted attempts, one a line. It only reads, so it works on a read-only or
/// full disk; whatever an old database holds is printed on one line.
fn list_interrupted(db: &Path) -> Result<ExitCode, String> {
    let open = Store::open_read_only(db)
        .map_err(|e| e.to_string())?
        .unfinished()
        .map_err(|e| format!("{}: {e}", db.display()))?;
    if open.is_empty() {
        println!("no interrupted attempts in {}", db.display());
    }
    for u in &open {
        println!(
            "{}  {}  started {}  {} saved{}",
            words::on_one_line(&u.id),
            words::on_one_line(&u.scenario_id),
            words::on_one_line(&words::timestamp(&u.started_at)),
            crate::words::count_with(u.choices.len(), "turn", "turns"),
            u.learner.as_ref().map_or(String::new(), |l| format!(
                "  learner {}",
                words::on_one_line(l)
            ))
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn resume(
    attempt: Option<&str>,
    script: Option<&Path>,
    scenarios: &Path,
    gui: bool,
) -> Result<ExitCode, String> {
    let db = db_path()?;
    let Some(id) = attempt else {
        return list_interrupted(&db);
    };
    let mut store = Store::open(&db).map_err(|e| e.to_string())?;
    let open = store.unfinished()?;
    let u = open.iter().find(|u| u.id == id).ok_or_else(|| {
        format!("no interrupted attempt with id {id} (run `attune resume` to list them)")
    })?;
    let library = HashedLibrary::scan(&scenario_files(&[scenarios.to_path_buf()])?);
    let scenario = library.by_hash(&u.content_hash).ok_or_else(|| format!("scenario `{}` is no longer in {} as it was played (content hash {}); the attempt cannot be resumed", u.scenario_id, scenarios.display(), u.content_hash))?;
    // An attempt in an assessment sitting was played with the pack's pass mark.
    let pack = store.pack_of(id)?;
    if gui {
        return resume_in_window(u, scenario, scenarios, script, &db);
    }
    // Replay what was saved: the same start, seed and choices give the same session.
    let find = |hash: &str| library.by_hash(hash).map(|s| Arc::clone(&s.prepared));
    let mut session = replay_attempt(
        &scenario.prepared,
        pack.as_ref().map(|p| p.pass_mark),
        u.seed,
        &u.choices,
        u.continues.as_ref(),
        &find,
    )
    .map_err(|why| format!("the attempt cannot be resumed: {why}"))?
    .whole()
    .map_err(|stopped| format!("the saved turns no longer replay: {}", stopped.error))?;
    eprintln!(
        "resumed attempt {id} after {} saved",
        crate::words::count_with(u.choices.len(), "turn", "turns")
    );
    // Finished from the command line: whoever played the saved turns, no person is known
    // to be at a window now.
    let mut attempt = OpenAttempt::resumed(u, pack, Played::Script);
    if let Some(script) = script {
        let choices = read_script(script, session.prepared())?;
        let rest = choices.get(u.choices.len()..).unwrap_or(&[]);
        play_choices(&mut session, rest, Some((&mut store, &mut attempt)), 0)?;
    }
    attempt.finish(&mut store, &session)?;
    deliver_after_finish(&mut store, &db);
    print!("{}", crate::engine::transcript::to_text(&session));
    Ok(ExitCode::SUCCESS)
}

pub fn export(out: &Path, format: ExportFormat) -> Result<ExitCode, String> {
    let db = db_path()?;
    // Only reads: records can be rescued from a read-only or full disk to another one.
    let results = Store::open_read_only(&db)
        .map_err(|e| e.to_string())?
        .results()
        .map_err(|e| format!("{}: {e}", db.display()))?;
    if results.is_empty() {
        return Err(format!(
            "no finished attempts in the records database {}: nothing to export",
            db.display()
        ));
    }
    crate::save::create_private_dir(out)?;
    let write =
        |name: &str, text: String| crate::save::write_atomically(&out.join(name), text.as_bytes());
    match format {
        ExportFormat::Json => {
            for (i, r) in results.iter().enumerate() {
                write(
                    &format!(
                        "{:05}-{}-seed{}.json",
                        i + 1,
                        file_name_part(&r.scenario.id),
                        r.seed
                    ),
                    r.to_json(),
                )?;
            }
        }
        ExportFormat::Csv => {
            let (attempts, turns) = export_tables(&results);
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

/// `attune export --class ATTEMPT`: the class's votes of one finished attempt (its id, or
/// the start of it) as JSON and CSV in `out`, beside the fit of each voted move and the best
/// move found, the attempt replayed on its scenario from the library (`scenarios`).
pub fn export_class(out: &Path, attempt: &str, scenarios: &Path) -> Result<ExitCode, String> {
    use crate::analysis::{Progress, best_moves, review_rounds};
    use crate::records::class_export::{ClassSession, write_class_export};
    let db = db_path()?;
    let store = Store::open_read_only(&db).map_err(|e| e.to_string())?;
    let in_db = |e: String| format!("{}: {e}", db.display());
    let results = store.results().map_err(in_db)?;
    let matching: Vec<&AttemptResult> = results
        .iter()
        .filter(|r| {
            r.attempt_id
                .as_deref()
                .is_some_and(|id| !attempt.is_empty() && id.starts_with(attempt))
        })
        .collect();
    let result = match matching.as_slice() {
        [one] => *one,
        [] => {
            let mut voted = Vec::new();
            for id in results.iter().filter_map(|r| r.attempt_id.as_deref()) {
                if !store.class_rounds(id).map_err(in_db)?.is_empty() {
                    voted.push(id);
                }
            }
            let listed = if voted.is_empty() {
                "no finished attempt has class votes".to_string()
            } else {
                format!("finished attempts with class votes: {}", voted.join(", "))
            };
            return Err(format!(
                "no finished attempt {attempt} in the records database {}; {listed}",
                db.display()
            ));
        }
        _ => {
            return Err(format!(
                "{} finished attempts begin with {attempt}: give more of the id",
                matching.len()
            ));
        }
    };
    let id = result.attempt_id.as_deref().unwrap_or(attempt);
    let rounds = store.class_rounds(id).map_err(in_db)?;
    if rounds.is_empty() {
        return Err(format!(
            "attempt {id} ({}) has no class votes: it was not played with a class voting",
            result.scenario.id
        ));
    }
    let library = HashedLibrary::scan(&scenario_files(&[scenarios.to_path_buf()])?);
    let scenario = library.by_hash(&result.scenario.content_hash).ok_or_else(|| {
        format!(
            "the scenario attempt {id} was played on ({}, {}) is not in {}: give its library with --scenarios",
            result.scenario.id,
            result.scenario.content_hash,
            scenarios.display()
        )
    })?;
    let find = |hash: &str| library.by_hash(hash).map(|s| Arc::clone(&s.prepared));
    let session = replay_attempt(
        &scenario.prepared,
        None,
        result.seed,
        &result.choices,
        result.continues.as_ref(),
        &find,
    )
    .map_err(|why| format!("attempt {id} does not replay: {why}"))?
    .whole()
    .map_err(|s| {
        format!(
            "attempt {id} does not replay: turn {}: {}",
            s.index + 1,
            s.error
        )
    })?;
    let best = best_moves(&session, &Progress::new());
    let reviews = review_rounds(&session, &rounds, Some(&best));
    let session_named = ClassSession {
        scenario_id: &result.scenario.id,
        seed: result.seed,
        attempt: Some(id),
    };
    let [json, csv] = write_class_export(out, &session_named, &reviews)?;
    eprintln!(
        "exported the class's votes on {} to {} and {}",
        crate::words::count_with(reviews.len(), "turn", "turns"),
        json.display(),
        csv.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `attempts.csv` and `turns.csv`: every cell made by `csv`, numbers included, so nothing
/// a result holds (a learner named `=HYPERLINK(...)`) reaches a spreadsheet as a formula.
fn export_tables(results: &[AttemptResult]) -> (String, String) {
    let mut attempts = String::from(
        "attempt,scenario_id,content_hash,learner,mode,seed,started_at,finished_at,turns,overall,passed,pack_id,class_id\n",
    );
    let mut turns = format!(
        "attempt,scenario_id,learner,turn,technique,fit,response_id,client_line,{}\n",
        crate::records::turn_words::WORDS_COLUMNS
    );
    let text_of = |v: &serde_json::Value| csv::text(v.as_str().unwrap_or(""));
    for (i, r) in results.iter().enumerate() {
        let n = (i + 1).to_string();
        let learner = csv::text(r.learner.as_deref().unwrap_or(""));
        let played = r.turns.as_array().map_or(0, Vec::len);
        attempts.push_str(&csv::row(&[
            n.clone(),
            csv::text(&r.scenario.id),
            csv::text(&r.scenario.content_hash),
            learner.clone(),
            csv::text(&format!("{:?}", r.mode)),
            r.seed.to_string(),
            csv::text(&r.started_at),
            csv::text(&r.finished_at),
            played.to_string(),
            csv::score(r.summary["overall"].as_f64()),
            r.summary["passed"].as_bool().unwrap_or(false).to_string(),
            csv::text(r.pack.as_ref().map_or("", |p| p.id.as_str())),
            csv::text(r.pack.as_ref().map_or("", |p| p.class_id.as_str())),
        ]));
        for t in r.turns.as_array().into_iter().flatten() {
            let mut row = vec![
                n.clone(),
                csv::text(&r.scenario.id),
                learner.clone(),
                t["turn"].as_u64().map_or(String::new(), |v| v.to_string()),
                text_of(&t["technique"]),
                csv::score(t["fit"].as_f64()),
                text_of(&t["response_id"]),
                text_of(&t["client_line"]),
            ];
            row.extend(crate::records::turn_words::cells(t));
            turns.push_str(&csv::row(&row));
        }
    }
    (attempts, turns)
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

/// What `attune report` is asked for.
pub struct ReportRun<'a> {
    /// Result files and folders; none reads the records database.
    pub paths: &'a [PathBuf],
    pub out: &'a Path,
    pub class: Option<&'a str>,
    /// The instructor's pack to verify against.
    pub pack: Option<&'a Path>,
    pub scenarios: &'a Path,
    /// Read the class from the learning record store instead (`report --lrs`).
    pub from_store: Option<&'a super::report_lrs::Source>,
}

/// The most results not counted that the terminal lists; the page lists them all.
const DROPPED_SHOWN: usize = 20;

/// The results in the files (or the records database when no path is given) that verify,
/// where they came from in words, and those left out with why.
fn verified_results(
    paths: &[PathBuf],
    pack: Option<&Path>,
    scenarios: &Path,
) -> Result<(Vec<AttemptResult>, String, Vec<Dropped>), String> {
    let library = HashedLibrary::scan(&scenario_files(&[scenarios.to_path_buf()])?);
    let pack = pack
        .map(|p| super::verify::read_pack(p, &library))
        .transpose()?;
    // Where each result came from, for the list of those not counted, and its text.
    let (names, texts, mut source): (Vec<String>, Vec<Result<String, String>>, String) = if paths
        .is_empty()
    {
        let db = db_path()?;
        let rows = Store::open_read_only(&db)
            .map_err(|e| e.to_string())?
            .result_texts()
            .map_err(|e| format!("{}: {e}", db.display()))?;
        if rows.is_empty() {
            return Err(format!(
                "no finished attempts in the records database {}; to report on result files, name them or their folder (`attune report results/`)",
                db.display()
            ));
        }
        let (names, texts) = rows
            .into_iter()
            .map(|(id, json)| (format!("attempt {id} in the records database"), Ok(json)))
            .unzip();
        (
            names,
            texts,
            format!("the records database {}", db.display()),
        )
    } else {
        let found = files::result_files(paths)?;
        (
            found.iter().map(|f| f.display().to_string()).collect(),
            files::read_result_texts(&found),
            describe_paths(found.len(), paths),
        )
    };
    let read = names.len();
    let checked = super::verify::checked_in_order(texts, &names, &library, pack.as_ref(), true);
    let mut results = Vec::new();
    let mut dropped = Vec::new();
    // Attempt ids counted, with where from: a second copy of a result counts once.
    let mut counted: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, super::verify::Checked { verdict, result }) in checked.into_iter().enumerate() {
        let name = names[i].clone();
        match result {
            Some(r) if verdict.is_verified() => {
                if let Some(id) = &r.attempt_id {
                    if let Some(&first) = counted.get(id) {
                        dropped.push(Dropped {
                            name,
                            reasons: vec![format!(
                                "the same attempt as {}, counted once",
                                names[first]
                            )],
                        });
                        continue;
                    }
                    counted.insert(id.clone(), i);
                }
                results.push(r);
            }
            _ => dropped.push(Dropped {
                name,
                reasons: verdict.reasons(),
            }),
        }
    }
    if results.is_empty() {
        let listed: Vec<String> = dropped
            .iter()
            .take(DROPPED_SHOWN)
            .map(|d| format!("{}: {}", d.name, d.reasons.join("; ")))
            .collect();
        return Err(format!(
            "{}
none of the {} from {source} verified, so no report was written ({})",
            listed.join("\n"),
            crate::words::count_with(read, "result", "results"),
            files::WHAT_RESULTS_ARE
        ));
    }
    if let Some(p) = &pack {
        source = format!("{source}, verified against pack `{}`", p.id);
    }
    Ok((results, source, dropped))
}

pub fn report(run: &ReportRun) -> Result<ExitCode, String> {
    let ReportRun {
        paths,
        out,
        class,
        pack,
        scenarios,
        from_store,
    } = *run;
    // The record store's statements are replayed and cross-checked as they are read, and
    // what they do not vouch for is flagged; result files and the records database are
    // verified and what does not verify is left out.
    let (mut results, mut source, dropped, flags) = match from_store {
        Some(store) => {
            let (results, source, flags) = super::report_lrs::read(store)?;
            (results, source, Vec::new(), flags)
        }
        None => {
            let (results, source, dropped) = verified_results(paths, pack, scenarios)?;
            (results, source, dropped, Vec::new())
        }
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
    if !dropped.is_empty() {
        report.source = format!(
            "{} {} not counted (listed below, each with why).",
            report.source,
            crate::words::count_with(dropped.len(), "result", "results")
        );
    }
    report.dropped = dropped;
    crate::save::create_private_dir(out)?;
    for (name, text) in [
        ("report.html", report.html(&title)),
        ("gradebook.csv", report.csv_gradebook()),
        ("scenarios.csv", report.csv_scenarios()),
        ("decisions.csv", report.csv_decisions()),
        ("misfits.csv", report.csv_misfits()),
        ("miti_profiles.csv", report.csv_miti_profiles()),
        ("turns.csv", crate::records::turn_words::turns_csv(&results)),
    ] {
        crate::save::write_atomically(&out.join(name), text.as_bytes())?;
    }
    print!("{}", report.text(DROPPED_SHOWN));
    eprintln!(
        "report written to {} (the gradebook also as gradebook.csv)",
        out.join("report.html").display()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exported_file_stays_in_its_folder_whatever_the_stored_id() {
        assert_eq!(file_name_part("dan-mandated-anger"), "dan-mandated-anger");
        assert_eq!(file_name_part("../../etc/passwd"), "______etc_passwd");
    }
}
