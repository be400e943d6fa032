//! Every scenario in the library validates and its scripted playthroughs pass.

use attune_core::engine::run_playthrough;
use attune_core::lint::check_scenario_file;
use attune_core::model::Catalogue;
use attune_core::scoring::ScoringConfig;

use crate::common::{library_files, prepared_from, root};

#[test]
fn every_library_scenario_validates_without_warnings() {
    let catalogue = Catalogue::builtin();
    let files = library_files();
    assert!(
        files.len() >= 3,
        "the library has {} scenarios",
        files.len()
    );
    for file in files {
        let loaded = check_scenario_file(&file, &catalogue, &ScoringConfig::builtin())
            .unwrap_or_else(|d| panic!("{}: {d:#?}", file.display()));
        assert!(
            loaded.warnings.is_empty(),
            "{}: {:#?}",
            file.display(),
            loaded.warnings
        );
        let stem = file.file_stem().unwrap().to_str().unwrap();
        assert_eq!(
            loaded.scenario.meta.id, stem,
            "the scenario id matches its file name"
        );
    }
}

#[test]
fn every_library_scenario_carries_passing_expert_novice_and_gate_playthroughs() {
    let mut problems = Vec::new();
    for file in library_files() {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let prepared = prepared_from(&file);
        let plays = &prepared.scenario.playthroughs;
        if plays.len() < 3 {
            problems.push(format!(
                "{name}: {} playthroughs, expected an expert, a novice and a gate path",
                plays.len()
            ));
        }
        let mut expert = None;
        let mut novice = None;
        for play in plays {
            let result = run_playthrough(&prepared, play);
            // Shown with `--nocapture`: the figures behind each scenario's discrimination.
            println!(
                "{name:<28} {:<60} {:>5.1} {}",
                play.name,
                result.summary.overall,
                if result.summary.passed {
                    "pass"
                } else {
                    "fail"
                }
            );
            for failure in &result.failures {
                problems.push(format!("{name} / {}: {failure}", play.name));
            }
            // Named by their first word, as `attune analyze` finds the expert path.
            let first = play.name.trim_start().to_lowercase();
            if first.starts_with("expert") {
                expert = Some(result.summary.clone());
            }
            if first.starts_with("novice") {
                novice = Some(result.summary.clone());
            }
        }
        match (expert, novice) {
            (Some(expert), Some(novice)) => {
                if !expert.passed || novice.passed {
                    problems.push(format!(
                        "{name}: the expert path must pass and the novice path must not"
                    ));
                }
                if expert.overall - novice.overall < 25.0 {
                    problems.push(format!(
                        "{name}: expert {:.1} vs novice {:.1}: the scenario does not discriminate",
                        expert.overall, novice.overall
                    ));
                }
            }
            _ => problems.push(format!(
                "{name}: needs playthroughs named `expert...` and `novice...`"
            )),
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Integration, not one school: no technique, however good in its place, passes a client
/// when it is all the trainee does.
#[test]
fn no_single_technique_played_every_turn_passes_any_scenario() {
    let mut passing = Vec::new();
    for file in library_files() {
        let prepared = prepared_from(&file);
        let turns = prepared.scenario.session.turn_limit as usize;
        for technique in &prepared.techniques {
            let mut session =
                attune_core::engine::Session::new(std::sync::Arc::clone(&prepared), 1);
            for _ in 0..turns {
                if session
                    .apply(&attune_core::scenario::Choice::new(&technique.id))
                    .is_err()
                {
                    break;
                }
            }
            let summary = session.summary();
            if summary.passed {
                passing.push(format!(
                    "{}: `{}` every turn scores {:.1} and passes",
                    file.display(),
                    technique.id,
                    summary.overall
                ));
            }
        }
    }
    assert!(passing.is_empty(), "{passing:#?}");
}

/// Instructors pick clients from docs/scenarios.md: every library file is listed there.
#[test]
fn every_library_scenario_is_listed_for_instructors() {
    let doc = std::fs::read_to_string(root().join("docs/scenarios.md")).unwrap();
    let missing: Vec<String> = library_files()
        .iter()
        .map(|f| f.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|stem| {
            // The Priya series is listed as one row: `priya-gad-session-1`, `-2`, `-3`.
            let listed = doc.contains(&format!("`{stem}`"))
                || stem.rsplit_once('-').is_some_and(|(_, n)| {
                    doc.contains(&format!("`-{n}`"))
                        && doc.contains(&format!("`{}-1`", &stem[..stem.len() - 2]))
                });
            !listed
        })
        .collect();
    assert!(missing.is_empty(), "not in docs/scenarios.md: {missing:?}");
}
