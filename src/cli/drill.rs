//! `attune drill`: one drill of a course played headless: the moment replayed, one move
//! answered, and its fit, skill evidence, the moment's commentary and the best move found
//! printed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use crate::course::{check_course, prepare_drill, resolve_drill};
use crate::records::HashedLibrary;
use crate::scenario::{Choice, read_text};
use crate::source::{did_you_mean, listed};

/// Plays `drill_id` of the course with the first of `choices` (from `--choice` or the
/// script's first entry).
pub fn run(
    course_path: &Path,
    drill_id: &str,
    techniques: &[String],
    script: Option<&PathBuf>,
    seed: u64,
    library_dir: &Path,
) -> Result<ExitCode, String> {
    let name = course_path.display().to_string();
    let text = read_text(course_path).map_err(|e| format!("{name}: {e}"))?;
    let files = super::check::scenario_files(&[library_dir.to_path_buf()])?;
    let library: Vec<_> = HashedLibrary::scan(&files)
        .scenarios
        .into_iter()
        .map(|s| s.prepared)
        .collect();
    let course = match check_course(&name, &text, &library) {
        Ok(course) => course,
        Err(problems) => {
            for line in listed(&problems) {
                eprintln!("{line}");
            }
            return Ok(ExitCode::FAILURE);
        }
    };
    let Some((step, drill)) = course.drills().find(|(s, _)| s.id == drill_id) else {
        let ids: Vec<&str> = course.drills().map(|(s, _)| s.id.as_str()).collect();
        let hint = did_you_mean(drill_id, &ids)
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        return Err(format!(
            "no drill `{drill_id}` in {name}{hint}; its drills: {}",
            ids.join(", ")
        ));
    };
    let prepared = library
        .iter()
        .find(|p| p.scenario.meta.id == drill.scenario)
        .ok_or_else(|| format!("scenario `{}` is not in the library", drill.scenario))?;
    let choice = match (techniques.first(), script) {
        (Some(technique), _) => Choice::new(technique),
        (None, Some(path)) => first_choice(path, prepared)?,
        (None, None) => return Err("give the move with --choice TECHNIQUE or --script FILE".into()),
    };
    let resolved = resolve_drill(prepared, drill).map_err(|p| p.message)?;
    let ready = prepare_drill(prepared, &resolved, seed).map_err(|e| e.to_string())?;
    let answer = ready.answer(&choice).map_err(|e| e.to_string())?;

    println!(
        "Drill `{}`: {} (seed {})",
        step.id,
        step.title,
        ready.session.seed()
    );
    if let Some(last) = ready.session.turns().last() {
        println!("  Client: {}", last.client_line);
    } else {
        println!("  Client: {}", ready.session.opening_line());
    }
    if let Some(words) = &answer.moment_words {
        println!("  The moment: {words}");
    }
    println!(
        "Your move: {} ({:.1})",
        move_words(&answer.outcome.technique_name, &answer.choice),
        answer.fit.score
    );
    println!("  {}", answer.fit.explanation);
    println!("  Client: {}", answer.outcome.client_line);
    for (skill, value) in &answer.evidence {
        println!("  {}: {:.0}%", skill.label(), value * 100.0);
    }
    println!("Advice: {}", answer.advice);
    if let Some(title) = &answer.key_moment_title {
        println!("Key moment: {title}");
        for c in &answer.commentary {
            println!("  {:?}: {}", c.school, c.text);
        }
    }
    if answer.best.yours_was_best {
        println!("Best move found: yours.");
    } else {
        println!(
            "Best move found: {} ({:.1}): {}",
            move_words(&answer.best.technique_name, &answer.best.choice),
            answer.best.fit.score,
            answer.best.fit.explanation
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A move in words: the technique and the adaptations that differ from "as is"
/// ("Metacommunication, slower, collaborative").
fn move_words(technique_name: &str, choice: &Choice) -> String {
    let plain = Choice::new(&choice.technique);
    let mut words = vec![technique_name.to_string()];
    if choice.directiveness != plain.directiveness {
        words.push(choice.directiveness.label().to_lowercase());
    }
    if choice.focus != plain.focus {
        words.push(choice.focus.label().to_lowercase());
    }
    if choice.pacing != plain.pacing {
        words.push(choice.pacing.label().to_lowercase());
    }
    if choice.framing != plain.framing {
        words.push(choice.framing.label().to_lowercase());
    }
    if choice.culturally_adapted {
        words.push("culturally adapted".into());
    }
    if choice.spiritually_adapted {
        words.push("spiritually adapted".into());
    }
    words.join(", ")
}

/// The first choice of a play script, its techniques checked against the scenario.
fn first_choice(
    path: &Path,
    prepared: &Arc<crate::engine::PreparedScenario>,
) -> Result<Choice, String> {
    let name = path.display().to_string();
    let text = read_text(path).map_err(|e| format!("{name}: {e}"))?;
    let known: Vec<&str> = prepared.techniques.iter().map(|t| t.id.as_str()).collect();
    let choices = super::attempts::parse_play_script(&name, &text, &known)
        .map_err(|problems| listed(&problems).join("\n"))?;
    choices
        .into_iter()
        .next()
        .ok_or_else(|| format!("{name}: the script has no choices"))
}
