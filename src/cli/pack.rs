//! `attune play --pack PACK --learner ID --script ...`: an assessment pack taken headless,
//! one script per client in the pack's order, each attempt saved in the records as it is
//! played. The window's way of taking a pack (`attune play --pack PACK`) is in `app`.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use super::check::scenario_files;
use super::play::play_choices;
use crate::assessment::{self, Sitting, SittingItem};
use crate::engine::{Mode, Session};
use crate::records::{AttemptResult, HashedLibrary, NewAttempt, Store};
use crate::scenario::read_text;

pub struct PackRun<'a> {
    pub pack: &'a Path,
    pub scenarios: &'a Path,
    pub scripts: &'a [std::path::PathBuf],
    pub learner: Option<&'a str>,
    /// A folder for one result file per client.
    pub results: Option<&'a Path>,
    pub db: &'a Path,
    pub pace_ms: u64,
}

pub fn run(r: &PackRun) -> Result<ExitCode, String> {
    let learner = assessment::valid_learner(r.learner.unwrap_or_default())
        .map_err(|why| format!("--learner: {why}"))?;
    let library = HashedLibrary::scan(&scenario_files(&[r.scenarios.to_path_buf()])?);
    let available = library.available();
    let name = r.pack.display().to_string();
    let text = read_text(r.pack).map_err(|e| format!("{name}: {e}"))?;
    let pack = match assessment::parse_pack(&name, &text, &available) {
        Ok(p) => p,
        Err(problems) => {
            for p in problems {
                eprintln!("{}", crate::source::render(&p, Some(&text)));
            }
            return Ok(ExitCode::FAILURE);
        }
    };
    if r.scripts.len() != pack.scenarios.len() {
        return Err(format!(
            "the pack has {} clients; give one --script for each, in order (got {})",
            pack.scenarios.len(),
            r.scripts.len()
        ));
    }
    // Every script is read before the sitting begins, so a bad one records nothing.
    let mut plan = Vec::new();
    for (item, script) in pack.scenarios.iter().zip(r.scripts) {
        let scenario = library
            .scenarios
            .iter()
            .find(|s| s.prepared.scenario.meta.id == item.scenario)
            .expect("the pack was checked against this library");
        let prepared = Arc::new(scenario.prepared.with_pass_mark(pack.pass_mark));
        let choices = super::records::read_script(script, &prepared)?;
        plan.push((scenario, prepared, choices));
    }
    let mut store = Store::open(r.db)?;
    let mut sitting = Sitting::new(pack, name, learner, assessment::now_unix());
    store.begin_sitting(&sitting)?;
    eprintln!(
        "sitting {} of `{}` for {} recorded in {}",
        sitting.id,
        sitting.pack.id,
        sitting.learner,
        r.db.display()
    );
    if let Some(dir) = r.results {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    while let Some((position, item)) = sitting.next(assessment::now_unix()) {
        let item = item.clone();
        let (scenario, prepared, choices) = &plan[position - 1];
        let prepared = Arc::clone(prepared);
        let file = scenario
            .file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let started_at = crate::records::clock::now_rfc3339();
        let id = store.begin_in_sitting(
            &NewAttempt {
                scenario_id: &item.scenario,
                scenario_title: &prepared.scenario.meta.title,
                scenario_file: &file,
                content_hash: &scenario.content_hash,
                seed: item.seed,
                mode: Mode::Assessment,
                learner: Some(&sitting.learner),
                started_at: &started_at,
            },
            &sitting.id,
            position,
        )?;
        let mut session = Session::new(prepared, item.seed);
        play_choices(&mut session, choices, Some((&mut store, &id)), r.pace_ms)?;
        let result = AttemptResult::of(
            &session,
            &file,
            scenario.content_hash.clone(),
            Mode::Assessment,
            Some(sitting.learner.clone()),
            started_at,
        )
        .in_pack(sitting.pack_ref(position));
        store.finish(&id, &result)?;
        super::sync::after_finish(&mut store, r.db);
        if let Some(dir) = r.results {
            let out = dir.join(format!("{position:02}-{}.json", item.scenario));
            super::play::write_atomically(&out, &result.to_json())
                .map_err(|e| format!("{}: {e}", out.display()))?;
        }
        let summary = session.summary();
        println!(
            "{position}. {}: {:.1} / 100, {}",
            item.scenario,
            summary.overall,
            if summary.passed {
                "passed"
            } else {
                "not passed"
            }
        );
        sitting.done.push(SittingItem {
            scenario: item.scenario.clone(),
            attempt_id: id,
            overall: summary.overall,
            passed: summary.passed,
        });
    }
    store.finish_sitting(&sitting.id, &crate::records::clock::now_rfc3339())?;
    let total = sitting.pack.scenarios.len();
    if sitting.done.len() < total {
        println!(
            "time is up: {} of {total} clients not met",
            total - sitting.done.len()
        );
    }
    println!(
        "{}: passed {} of {total} (pass mark {})",
        sitting.learner,
        sitting.passed_count(),
        crate::records::words::score(f64::from(sitting.pack.pass_mark))
    );
    Ok(ExitCode::SUCCESS)
}
