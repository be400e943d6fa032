//! `attune play --pack PACK --learner ID --script ...`: an assessment pack taken headless,
//! one script per client in the pack's order, each attempt saved in the records as it is
//! played; a pack that requires the learner's own words refuses a script step without
//! them before anything is recorded. The window's way of taking a pack (`attune play --pack PACK`) is in `app`.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use super::attempts::{deliver_after_finish, learner_arg, play_choices, read_script};
use super::check::scenario_files;
use crate::assessment::{self, Sitting};
use crate::coding::WordsMode;
use crate::engine::Session;
use crate::model::Mode;
use crate::records::{AttemptPlan, HashedLibrary, OpenAttempt, Played, Store};
use crate::scenario::Choice;
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
    let learner = learner_arg(r.learner.unwrap_or_default())?;
    let library = HashedLibrary::scan(&scenario_files(&[r.scenarios.to_path_buf()])?);
    let available = library.available();
    let name = r.pack.display().to_string();
    let text = read_text(r.pack).map_err(|e| format!("{name}: {e}"))?;
    let pack = match assessment::parse_pack(&name, &text, &available) {
        Ok(p) => p,
        Err(problems) => {
            for block in crate::source::render_file(&problems, Some(&text)) {
                eprintln!("{block}");
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
    let mut sitting = Sitting::new(pack, name, learner, assessment::now_unix());
    // Every script is read before the sitting is recorded, so a bad one records nothing.
    let mut plan = Vec::new();
    for (item, script) in sitting.pack.scenarios.iter().zip(r.scripts) {
        let scenario = library
            .scenarios
            .iter()
            .find(|s| s.prepared.scenario.meta.id == item.scenario)
            .expect("the pack was checked against this library");
        let prepared = sitting.scored_by_pack(&scenario.prepared);
        let choices = read_script(script, &prepared)?;
        words_as_required(sitting.pack.words, &item.scenario, script, &choices)?;
        plan.push((scenario, prepared, choices));
    }
    let mut store = Store::open(r.db).map_err(|e| e.to_string())?;
    store.begin_sitting(&sitting)?;
    eprintln!(
        "sitting {} of `{}` for {} recorded in {}",
        sitting.id,
        sitting.pack.id,
        sitting.learner,
        r.db.display()
    );
    if let Some(dir) = r.results {
        crate::save::create_private_dir(dir)?;
    }
    while let Some((position, item)) = sitting.next(assessment::now_unix()) {
        let item = item.clone();
        let (scenario, prepared, choices) = &plan[position - 1];
        let mut session = Session::new(Arc::clone(prepared), item.seed);
        let attempt_plan = AttemptPlan {
            file: scenario
                .file
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            content_hash: scenario.content_hash.clone(),
            mode: Mode::Assessment,
            learner: Some(sitting.learner.clone()),
            pack: Some(sitting.pack_ref(position)),
            played: Played::Script,
            continues: None,
        };
        let started_at = crate::records::clock::now_rfc3339();
        let mut attempt = OpenAttempt::begin(&mut store, &session, attempt_plan, started_at)?;
        play_choices(
            &mut session,
            choices,
            Some((&mut store, &mut attempt)),
            r.pace_ms,
        )?;
        let finished = attempt.finish(&mut store, &session)?;
        deliver_after_finish(&mut store, r.db);
        if let Some(dir) = r.results {
            let out = dir.join(format!("{position:02}-{}.json", item.scenario));
            crate::save::write_atomically(&out, finished.result.to_json().as_bytes())?;
        }
        println!(
            "{position}. {}: {:.1} / 100, {}",
            item.scenario,
            finished.score.overall,
            if finished.score.passed {
                "passed"
            } else {
                "not passed"
            }
        );
        sitting.client_done(finished.sitting_item(), assessment::now_unix());
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

/// A pack with `words: Required` takes no move without the learner's own words: the steps
/// of `client`'s script that have none, named, as the error.
fn words_as_required(
    mode: WordsMode,
    client: &str,
    script: &Path,
    choices: &[Choice],
) -> Result<(), String> {
    if mode != WordsMode::Required {
        return Ok(());
    }
    let missing: Vec<String> = choices
        .iter()
        .enumerate()
        .filter(|(_, c)| c.words().is_none())
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{}: the pack requires the learner's own words at every move, but client `{client}`'s {} {} none; give each step `say: \"...\"`",
        script.display(),
        if missing.len() == 1 {
            format!("step {}", missing[0])
        } else {
            format!("steps {}", missing.join(", "))
        },
        if missing.len() == 1 { "has" } else { "have" },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(technique: &str, words: Option<&str>) -> Choice {
        Choice {
            say: words.map(str::to_string),
            ..Choice::new(technique)
        }
    }

    #[test]
    fn required_words_name_the_client_and_each_step_without_them() {
        let choices = [
            said("open_question", Some("What brings you?")),
            said("complex_reflection", None),
            said("affirmation", Some("  ")),
        ];
        let script = Path::new("dan.ron");
        let err = words_as_required(WordsMode::Required, "dan", script, &choices).unwrap_err();
        assert!(err.starts_with("dan.ron: "), "{err}");
        assert!(err.contains("client `dan`'s steps 2, 3 have none"), "{err}");
        let one = words_as_required(WordsMode::Required, "dan", script, &choices[..2]);
        assert!(one.unwrap_err().contains("step 2 has none"));
    }

    #[test]
    fn optional_or_first_words_take_any_script_and_required_takes_words_everywhere() {
        let bare = [said("open_question", None)];
        let script = Path::new("s.ron");
        assert!(words_as_required(WordsMode::Optional, "dan", script, &bare).is_ok());
        assert!(words_as_required(WordsMode::First, "dan", script, &bare).is_ok());
        let worded = [said("", Some("You're fed up."))];
        assert!(words_as_required(WordsMode::Required, "dan", script, &worded).is_ok());
    }
}
