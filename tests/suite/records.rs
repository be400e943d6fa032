//! Result files and verification by replay: an untouched result verifies; an edited
//! score, an edited choice and a result from a changed scenario are each rejected.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::root;

fn attune(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_attune")).args(args).current_dir(root()).output().expect("runs attune")
}

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("records-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Plays Dan's expert script from a private copy of his scenario and writes the result.
fn played(d: &Path) -> (PathBuf, PathBuf) {
    let library = d.join("scenarios");
    std::fs::create_dir_all(&library).unwrap();
    let scenario = library.join("dan-mandated-anger.ron");
    std::fs::copy(root().join("scenarios/dan-mandated-anger.ron"), &scenario).unwrap();
    let result = d.join("dan.json");
    let out = attune(&["play", scenario.to_str().unwrap(), "--seed", "7", "--script", "tests/scripts/dan-expert.ron", "--result", result.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (library, result)
}

fn verify(library: &Path, results: &[&Path]) -> (bool, String) {
    let mut args = vec!["verify", "--scenarios", library.to_str().unwrap()];
    args.extend(results.iter().map(|p| p.to_str().unwrap()));
    let out = attune(&args);
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

fn edited(from: &Path, to: &Path, edit: impl Fn(&mut serde_json::Value)) {
    let mut v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(from).unwrap()).unwrap();
    edit(&mut v);
    std::fs::write(to, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

#[test]
fn an_untouched_result_verifies_and_carries_what_replay_needs() {
    let d = dir("untouched");
    let (library, result) = played(&d);
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&result).unwrap()).unwrap();
    assert_eq!(v["format"], "attune-result/1");
    assert!(v["scenario"]["content_hash"].as_str().unwrap().starts_with("blake3:"));
    assert_eq!(v["seed"], 7);
    assert_eq!(v["choices"].as_array().unwrap().len(), 12);
    assert_eq!(v["turns"].as_array().unwrap().len(), 12);
    assert_eq!(v["summary"]["passed"], true);
    assert!(v["started_at"].as_str().unwrap().ends_with('Z'));
    let (ok, out) = verify(&library, &[&result]);
    assert!(ok, "{out}");
    assert!(out.contains("1 verified, 0 rejected"), "{out}");
}

#[test]
fn an_edited_score_is_rejected() {
    let d = dir("score");
    let (library, result) = played(&d);
    let forged = d.join("forged.json");
    edited(&result, &forged, |v| v["summary"]["overall"] = serde_json::json!(95.0));
    let (ok, out) = verify(&library, &[&result, &forged]);
    assert!(!ok);
    assert!(out.contains("REJECTED"), "{out}");
    assert!(out.contains("summary.overall: recorded 95.0"), "{out}");
    assert!(out.contains("1 verified, 1 rejected"), "{out}");

    // A turn's fit edited on its own is caught too.
    edited(&result, &forged, |v| v["turns"][2]["fit"] = serde_json::json!(99.0));
    let (ok, out) = verify(&library, &[&forged]);
    assert!(!ok && out.contains("turns[2].fit: recorded 99.0"), "{out}");
}

#[test]
fn an_edited_choice_is_rejected() {
    let d = dir("choice");
    let (library, result) = played(&d);
    let forged = d.join("forged.json");
    edited(&result, &forged, |v| v["choices"][3]["technique"] = serde_json::json!("confrontation"));
    let (ok, out) = verify(&library, &[&forged]);
    assert!(!ok);
    assert!(out.contains("turns[3].technique: recorded \"complex_reflection\", replay gives \"confrontation\""), "{out}");
}

#[test]
fn a_result_from_a_changed_scenario_is_rejected() {
    let d = dir("scenario");
    let (library, result) = played(&d);
    let file = library.join("dan-mandated-anger.ron");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("\"Dan Mercer\"", "\"Dan Merrick\"", 1)).unwrap();
    let (ok, out) = verify(&library, &[&result]);
    assert!(!ok);
    assert!(out.contains("scenario `dan-mandated-anger`") && out.contains("has changed since the attempt"), "{out}");
}

#[test]
fn a_file_that_is_not_a_result_is_rejected_with_a_reason() {
    let d = dir("garbage");
    let (library, _) = played(&d);
    let junk = d.join("junk.json");
    std::fs::write(&junk, "{\"hello\": 1}").unwrap();
    let (ok, out) = verify(&library, &[&junk]);
    assert!(!ok);
    assert!(out.contains("not an Attune result file"), "{out}");
}
