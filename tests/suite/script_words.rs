//! `attune play --script` with the trainee's own words (issue 17): the words printed with
//! how they were coded and any mismatch, words alone played as coded, the words in the
//! JSON transcript, and scripts that cannot be played refused at their line.

use std::path::PathBuf;

use crate::common::{attune, stderr, stdout};

const DAN: &str = "scenarios/dan-mandated-anger.ron";
/// Dan's expert path with words on its first three moves (see the file's comment).
const WORDS: &str = "tests/scripts/dan-words.ron";

fn temp_script(name: &str, text: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("script-words-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn play_prints_the_words_their_coding_and_a_question_typed_for_a_reflection() {
    let out = attune(&["play", DAN, "--seed", "7", "--script", WORDS]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let turn_1 = &text[text.find("Turn 1:").unwrap()..text.find("Turn 2:").unwrap()];
    assert!(turn_1.starts_with("Turn 1: Complex reflection"), "{turn_1}");
    assert!(
        turn_1.contains("You said: \"What makes you so angry about being here?\""),
        "{turn_1}"
    );
    assert!(turn_1.contains("Coded: reads as a question"), "{turn_1}");
    assert!(
        turn_1.contains(
            "! words: You chose a complex reflection, but your words read as a question."
        ),
        "{turn_1}"
    );
    assert!(
        turn_1.contains("a complex reflection is a statement that adds substantial meaning"),
        "the MITI definition of what was claimed: {turn_1}"
    );
    // Words that do what was claimed raise nothing; a move without words shows none.
    let turn_3 = &text[text.find("Turn 3:").unwrap()..text.find("Turn 4:").unwrap()];
    assert!(turn_3.contains("You said:"), "{turn_3}");
    assert!(!turn_3.contains("! words:"), "{turn_3}");
    let turn_4 = &text[text.find("Turn 4:").unwrap()..text.find("Turn 5:").unwrap()];
    assert!(!turn_4.contains("You said:"), "{turn_4}");
    assert!(
        text.contains("MITI counts (3 of 12 turns from your words)"),
        "{text}"
    );
}

#[test]
fn words_alone_play_the_technique_they_are_coded_as_and_the_json_carries_the_words() {
    let out = attune(&["play", DAN, "--seed", "7", "--script", WORDS, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let turns = v["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 12);

    let first = &turns[0]["words"];
    assert_eq!(first["text"], "What makes you so angry about being here?");
    assert_eq!(first["miti"], "Question");
    assert!(
        first["mismatch"]
            .as_str()
            .unwrap()
            .contains("read as a question"),
        "{first}"
    );
    assert_eq!(
        turns[0]["technique"], "complex_reflection",
        "the move confirmed"
    );

    // Words alone: the move played is the technique the words were coded as.
    let alone = &turns[1];
    assert_eq!(alone["choice"]["say"], alone["words"]["text"]);
    assert_eq!(alone["technique"], alone["words"]["technique"], "{alone}");
    assert_eq!(alone["technique"], "complex_reflection");
    assert!(alone["words"]["mismatch"].is_null(), "{alone}");

    // A move without words has no `words` at all.
    assert!(turns[3].get("words").is_none(), "{}", turns[3]);
    assert_eq!(v["summary"]["miti"]["from_words"], 3);
}

#[test]
fn a_step_with_neither_technique_nor_words_is_refused_at_its_line() {
    let script = temp_script(
        "neither.ron",
        "[\n  (say: \"You want them off your back.\"),\n  (directiveness: AskPermission),\n]",
    );
    let out = attune(&["play", DAN, "--script", script.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{}:3:3: error: this step has neither a technique nor words",
            script.display()
        )),
        "{err}"
    );
    assert!(stdout(&out).is_empty(), "nothing played: {}", stdout(&out));
}

#[test]
fn the_words_reach_the_result_file_with_their_move() {
    let out_file = temp_script("result.json", "");
    let out = attune(&[
        "play",
        DAN,
        "--seed",
        "7",
        "--script",
        WORDS,
        "--result",
        out_file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let result = std::fs::read_to_string(&out_file).unwrap();
    assert!(
        result.contains("What makes you so angry about being here?"),
        "the words are kept with the attempt"
    );
    let _ = std::fs::remove_file(&out_file);
}

#[test]
fn play_help_says_a_script_step_may_carry_words() {
    let out = attune(&["play", "--help"]);
    assert!(out.status.success());
    let help = stdout(&out);
    assert!(
        help.contains("(say: \"...\", technique: \"...\")"),
        "{help}"
    );
    assert!(help.contains("words alone"), "{help}");
}
