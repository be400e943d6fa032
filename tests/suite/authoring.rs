//! The instructor's side of authoring: the template `attune new` copies is the example
//! docs/authoring.md quotes, it passes `attune check` and its playthroughs pass, and the
//! mistakes a new author makes get an actionable message at the right line.

use std::path::PathBuf;

use attune::engine::run_playthrough;

use crate::common::{attune, root, stderr, stdout};

fn template() -> String {
    std::fs::read_to_string(root().join("assets/template.ron")).expect("assets/template.ron")
}

/// A fresh folder for this test process.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("authoring-{}", std::process::id()))
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// 1-based line and column of the first occurrence of `needle`.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in text"));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, col)
}

/// The template with one mistake made in it, checked: the file's path, its text and what
/// `attune check` printed.
fn check_mistake(name: &str, from: &str, to: &str) -> (String, String, String) {
    let original = template();
    assert_eq!(
        original.matches(from).count(),
        1,
        "`{from}` occurs once in the template"
    );
    let text = original.replacen(from, to, 1);
    let path = scratch(name).join(format!("{name}.ron"));
    std::fs::write(&path, &text).unwrap();
    let out = attune(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    (path.display().to_string(), text, stdout(&out))
}

/// Asserts the report has an error at `line:col` whose message contains `phrase`.
fn assert_error_at(report: &str, path: &str, (line, col): (usize, usize), phrase: &str) {
    let head = format!("{path}:{line}:{col}: error: ");
    let found = report
        .lines()
        .any(|l| l.starts_with(&head) && l.contains(phrase));
    assert!(found, "expected `{head}...{phrase}` in:\n{report}");
}

#[test]
fn the_guide_quotes_the_template_byte_for_byte() {
    let guide = std::fs::read_to_string(root().join("docs/authoring.md")).unwrap();
    let marker = "<!-- The block below is assets/template.ron, byte for byte; a test checks it. -->\n```ron\n";
    let start = guide
        .find(marker)
        .expect("the guide marks the quoted template")
        + marker.len();
    let end = start + guide[start..].find("\n```\n").expect("the block is closed") + 1;
    assert_eq!(
        &guide[start..end],
        template(),
        "docs/authoring.md must quote assets/template.ron exactly"
    );
}

#[test]
fn the_template_passes_check_without_warnings_and_its_playthroughs_pass() {
    let out = attune(&["check", "assets/template.ron"]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("0 error(s), 0 warning(s)"),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );

    let prepared = crate::common::prepared_from(&root().join("assets/template.ron"));
    let plays = &prepared.scenario.playthroughs;
    assert!(plays.len() >= 3, "an expert, a novice and a gate path");
    let mut scores = std::collections::HashMap::new();
    for play in plays {
        let result = run_playthrough(&prepared, play);
        assert!(
            result.failures.is_empty(),
            "{}: {:?}",
            play.name,
            result.failures
        );
        scores.insert(
            play.name.split(':').next().unwrap().to_string(),
            result.summary,
        );
    }
    assert!(scores["expert"].passed && !scores["novice"].passed && !scores["gate"].passed);
    assert!(
        !scores["gate"].safety_failures.is_empty(),
        "the gate path trips the safety gate"
    );

    let out = attune(&["test", "assets/template.ron"]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(
        stdout(&out).contains(" 3 passed, 0 failed"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn new_writes_the_template_with_the_name_as_its_id_and_says_what_to_do_next() {
    let dir = scratch("new");
    let out = attune(&["new", "gareth-insomnia", "--dir", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = dir.join("gareth-insomnia.ron");
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path).expect("the file was written");
    assert_eq!(
        text,
        template().replacen("id: \"example-client\"", "id: \"gareth-insomnia\"", 1)
    );
    let said = stdout(&out);
    for step in [
        format!("Created {shown}"),
        format!("attune check {shown}"),
        format!("attune test {shown}"),
    ] {
        assert!(said.contains(&step), "`{step}` in:\n{said}");
    }
    // What it wrote is a working scenario.
    assert!(attune(&["check", &shown]).status.success());
    assert!(attune(&["test", &shown]).status.success());
}

#[test]
fn new_never_overwrites_and_refuses_a_bad_name() {
    let dir = scratch("no-overwrite");
    let path = dir.join("mine.ron");
    std::fs::write(&path, "my work").unwrap();
    let out = attune(&["new", "mine", "--dir", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "my work");

    let out = attune(&["new", "Gareth Insomnia", "--dir", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("lower-case letters, digits and hyphens")
            && err.contains("did you mean `gareth-insomnia`?"),
        "{err}"
    );
    let out = attune(&["new", "gareth.ron", "--dir", dir.to_str().unwrap()]);
    assert!(stderr(&out).contains("without `.ron`"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "nothing else was written"
    );
}

// ---- The mistakes a new author makes, each at its line, with a way to fix it ----

#[test]
fn a_misspelt_technique_is_named_at_its_line_with_the_right_id() {
    let (path, text, report) = check_mistake(
        "typo-when",
        "techniques: [\"stimulus_control\"], flags",
        "techniques: [\"stimulus_contrl\"], flags",
    );
    assert_error_at(
        &report,
        &path,
        position_of(&text, "\"stimulus_contrl\""),
        "unknown technique `stimulus_contrl`",
    );
    assert!(
        report.contains("= help: did you mean `stimulus_control`?"),
        "{report}"
    );

    let (path, text, report) = check_mistake(
        "typo-choice",
        "(technique: \"emphasizing_autonomy\"),\n                (technique: \"suicide_risk_assessment\"",
        "(technique: \"emphasising_autonomy\"),\n                (technique: \"suicide_risk_assessment\"",
    );
    assert_error_at(
        &report,
        &path,
        position_of(&text, "\"emphasising_autonomy\""),
        "unknown technique `emphasising_autonomy`",
    );
    assert!(
        report.contains("did you mean `emphasizing_autonomy`?"),
        "{report}"
    );
    // The source line is shown with a caret under the id.
    assert!(
        report.contains("(technique: \"emphasising_autonomy\"),\n"),
        "{report}"
    );
    assert!(
        report.contains(&format!("|{}{}", " ".repeat(29), "^".repeat(22))),
        "{report}"
    );
}

#[test]
fn a_missing_required_field_is_named_by_the_part_it_belongs_to() {
    let (path, text, report) = check_mistake("no-turn-limit", "        turn_limit: 8,\n", "");
    assert_error_at(
        &report,
        &path,
        position_of(&text, "session: ("),
        "`session` is missing its required field `turn_limit`",
    );
    assert!(report.contains("add `turn_limit: ...`"), "{report}");

    let heard_lines = "            lines: [\"Yeah. That's it. Lying there doing sums in my head.\", \"Exactly. And then it's five o'clock and the alarm goes at six.\"],\n";
    let (path, text, report) = check_mistake("no-lines", heard_lines, "");
    let entry = text.find("id: \"heard\"").unwrap();
    let open = text[..entry].rfind('(').unwrap();
    let line = text[..open].matches('\n').count() + 1;
    let col = open - text[..open].rfind('\n').unwrap();
    assert_error_at(
        &report,
        &path,
        (line, col),
        "entry 10 of `responses` (`heard`) is missing its required field `lines`",
    );
}

#[test]
fn a_value_of_the_wrong_kind_is_pointed_at_with_what_was_found() {
    let (path, text, report) = check_mistake("quoted-age", "age: 47,", "age: \"47\",");
    assert_error_at(
        &report,
        &path,
        position_of(&text, "\"47\""),
        "expected a whole number, found `\"47\"`",
    );
    assert!(
        report.contains("write the number without quotes: `47`"),
        "{report}"
    );

    let (path, text, report) = check_mistake("decimal-turns", "turn_limit: 8,", "turn_limit: 8.5,");
    assert_error_at(
        &report,
        &path,
        position_of(&text, "8.5"),
        "expected a whole number, found `8.5`",
    );

    let (path, text, report) = check_mistake("word-trait", "reactance: 0.65,", "reactance: high,");
    assert_error_at(
        &report,
        &path,
        position_of(&text, "high,"),
        "expected a number, found `high`",
    );

    let (path, text, report) = check_mistake(
        "text-not-list",
        "lines: [\"Maybe.\", \"I don't know, do I?\"]",
        "lines: \"Maybe.\"",
    );
    assert_error_at(
        &report,
        &path,
        position_of(&text, "\"Maybe.\""),
        "expected a list in square brackets",
    );
    assert!(report.contains("`[\"Maybe.\"]`"), "{report}");

    let (path, text, report) = check_mistake("yes-not-true", "once: true,", "once: yes,");
    assert_error_at(
        &report,
        &path,
        position_of(&text, "yes,"),
        "expected `true` or `false`, found `yes`",
    );
}

#[test]
fn a_trait_out_of_range_is_reported_at_its_value() {
    let (path, text, report) =
        check_mistake("reactance-range", "reactance: 0.65,", "reactance: 1.4,");
    assert_error_at(
        &report,
        &path,
        position_of(&text, "1.4"),
        "trait `reactance` is 1.4, out of range: it must lie between 0 and 1",
    );
}

#[test]
fn an_unclosed_paren_is_reported_at_the_paren_not_where_the_reader_gave_up() {
    // A condition left open: the next field is read as part of it, and the reader only
    // stops at the next response. The message points at the `(` that was never closed.
    let (path, text, report) = check_mistake(
        "open-when",
        "when: (rupture_repaired: true),",
        "when: (rupture_repaired: true,",
    );
    let (line, _) = position_of(&text, "when: (rupture_repaired: true,\n");
    let col = text.lines().nth(line - 1).unwrap().find('(').unwrap() + 1;
    assert_error_at(
        &report,
        &path,
        (line, col),
        "this `(` is never closed: a `)` is probably missing before `lines` on line",
    );
    assert!(
        report.contains(&format!("on line {}", line + 1)),
        "{report}"
    );

    // A one-line group left open swallows the rest of the file.
    let (path, text, report) = check_mistake(
        "open-state",
        "stage: Contemplation),",
        "stage: Contemplation,",
    );
    let (line, col) = position_of(&text, "(bond: 0.35");
    assert_error_at(
        &report,
        &path,
        (line, col),
        "a `)` is probably missing before `session`",
    );

    // A list left open on its line names the bracket it belongs to.
    let (path, text, report) =
        check_mistake("open-list", "cues: [\"shrugs\"]),", "cues: [\"shrugs\"),");
    let (line, col) = position_of(&text, "[\"shrugs\")");
    assert!(report.contains(&format!("{path}:{line}:")), "{report}");
    assert!(
        report.contains(&format!("to close the `[` at line {line}, column {col}")),
        "{report}"
    );
}

#[test]
fn a_missing_comma_is_pointed_at_where_it_belongs() {
    let (path, text, report) = check_mistake("no-comma", "age: 47,", "age: 47");
    let (line, col) = position_of(&text, "age: 47\n");
    assert_error_at(
        &report,
        &path,
        (line, col + "age: 47".len()),
        "a `,` is missing before the next field, `pronouns`",
    );
}

#[test]
fn a_misspelt_field_or_value_gets_the_closest_name() {
    let (path, text, report) = check_mistake("field-typo", "priority: 50,", "prioirty: 50,");
    assert_error_at(
        &report,
        &path,
        position_of(&text, "prioirty"),
        "unknown field `prioirty`",
    );
    assert!(report.contains("did you mean `priority`?"), "{report}");

    let (path, text, report) = check_mistake(
        "stage-typo",
        "stage: Contemplation)",
        "stage: contemplation)",
    );
    assert_error_at(
        &report,
        &path,
        position_of(&text, "contemplation)"),
        "unknown value `contemplation`",
    );
    assert!(report.contains("did you mean `Contemplation`?"), "{report}");
}

// ---- Every mistake in one run, in words an author can act on ----

/// The template with each `from` replaced once by its `to`, written to a scratch file.
fn template_with(name: &str, changes: &[(&str, &str)]) -> (String, String) {
    let mut text = template();
    for (from, to) in changes {
        assert_eq!(text.matches(from).count(), 1, "`{from}` occurs once");
        text = text.replacen(from, to, 1);
    }
    let path = scratch(name).join(format!("{name}.ron"));
    std::fs::write(&path, &text).unwrap();
    (path.display().to_string(), text)
}

#[test]
fn four_independent_mistakes_are_all_reported_in_one_run() {
    let (path, text) = template_with(
        "four-mistakes",
        &[
            ("author: \"Your name\",", "author: \"Your name\""),
            ("pronouns: \"he/him\",", "pronoun: \"he/him\","),
            ("stage: Contemplation)", "stage: Contemplaton)"),
            ("I just need to sleep.\",", "I just need to sleep.,"),
        ],
    );
    let out = attune(&["check", &path]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    let after_name = {
        let (line, col) = position_of(&text, "author: \"Your name\"");
        (line, col + "author: \"Your name\"".len())
    };
    assert_error_at(&report, &path, after_name, "a `,` is missing");
    assert_error_at(
        &report,
        &path,
        position_of(&text, "pronoun:"),
        "unknown field `pronoun`",
    );
    assert!(report.contains("did you mean `pronouns`?"), "{report}");
    assert_error_at(
        &report,
        &path,
        position_of(&text, "Contemplaton"),
        "unknown value `Contemplaton`",
    );
    assert!(report.contains("did you mean `Contemplation`?"), "{report}");
    assert_error_at(
        &report,
        &path,
        position_of(&text, "\"Look, no offence"),
        "this text is never closed",
    );
    assert!(
        stderr(&out).contains("4 error(s)"),
        "exactly the four mistakes, no echoes of them:\n{report}{}",
        stderr(&out)
    );
}

#[test]
fn curly_quotes_are_named_with_the_fix_and_quotes_inside_text_are_fine() {
    let (path, text) = template_with(
        "curly",
        &[("name: \"Gareth Lloyd\",", "name: “Gareth Lloyd”,")],
    );
    let out = attune(&["check", &path]);
    let report = stdout(&out);
    assert_error_at(
        &report,
        &path,
        position_of(&text, "“Gareth"),
        "curly quotes `“`: RON needs straight double quotes",
    );
    assert!(
        report.contains("write \"Gareth Lloyd\" instead of “Gareth Lloyd”"),
        "{report}"
    );
    assert!(stderr(&out).contains("1 error(s)"), "{report}");

    // Curly quotes inside straight-quoted text are the author's words, not a mistake.
    let (path, _) = template_with(
        "curly-inside",
        &[(
            "title: \"Gareth: \\\"I just need a decent night's sleep\\\"\",",
            "title: \"Gareth: “I just need a decent night’s sleep”\",",
        )],
    );
    let out = attune(&["check", &path]);
    assert!(out.status.success(), "{}", stdout(&out));
}

#[test]
fn a_byte_order_mark_and_old_mac_or_windows_line_endings_are_read_silently() {
    for (name, ending) in [("cr-only", "\r"), ("crlf", "\r\n")] {
        let text = format!("\u{feff}{}", template().replace('\n', ending));
        let path = scratch(name).join(format!("{name}.ron"));
        std::fs::write(&path, text).unwrap();
        let out = attune(&["check", path.to_str().unwrap()]);
        assert!(out.status.success(), "{name}: {}", stdout(&out));
        assert!(
            stderr(&out).contains("0 error(s), 0 warning(s)"),
            "{name}: {}{}",
            stdout(&out),
            stderr(&out)
        );
    }
    // A mistake in a CR-only file is still at its own line.
    let text = template()
        .replacen("age: 47,", "age: 47.5,", 1)
        .replace('\n', "\r");
    let path = scratch("cr-mistake").join("cr-mistake.ron");
    std::fs::write(&path, &text).unwrap();
    let report = stdout(&attune(&["check", path.to_str().unwrap()]));
    let (line, _) = position_of(&template(), "age: 47,");
    assert!(
        report.contains(&format!("cr-mistake.ron:{line}:")),
        "line {line} in:\n{report}"
    );
}

#[test]
fn a_misspelt_flag_suggests_the_flag_meant() {
    let (path, text) = template_with(
        "flag-typo",
        &[(
            "(techniques: [\"stimulus_control\"], flags: [\"rationale_given\"])",
            "(techniques: [\"stimulus_control\"], flags: [\"rationale_givn\"])",
        )],
    );
    let out = attune(&["check", &path]);
    let report = stdout(&out);
    let (line, col) = position_of(&text, "\"rationale_givn\"");
    assert!(
        report.contains(&format!(
            "{path}:{line}:{col}: warning: flag `rationale_givn` is never set"
        )),
        "{report}"
    );
    assert!(
        report.contains("= help: did you mean `rationale_given`?"),
        "{report}"
    );
}

// ---- Packs and scripts are checked by their own rules ----

#[test]
fn check_recognises_packs_and_scripts_by_their_content() {
    let out = attune(&[
        "check",
        "packs/sample-midterm.ron",
        "tests/scripts/dan-expert.ron",
    ]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stderr(&out).contains(
            "checked 2 files (1 assessment pack, 1 play script): 0 error(s), 0 warning(s)"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_finds_a_packs_and_a_scripts_mistakes_in_a_folder() {
    let dir = scratch("mixed-folder");
    let pack = std::fs::read_to_string(root().join("packs/sample-midterm.ron"))
        .unwrap()
        .replacen("pass_mark: 60,", "pass_mark: 160,", 1)
        .replacen("\"tom-panic-exposure\"", "\"tom-panic-exposur\"", 1);
    std::fs::write(dir.join("pack.ron"), &pack).unwrap();
    let script =
        "[\n    (technique: \"complex_reflection\"),\n    (technique: \"open_questoin\"),\n]\n";
    std::fs::write(dir.join("script.ron"), script).unwrap();
    std::fs::copy(
        root().join("assets/template.ron"),
        dir.join("example-client.ron"),
    )
    .unwrap();

    let out = attune(&["check", dir.to_str().unwrap()]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    let pack_path = dir.join("pack.ron").display().to_string();
    assert_error_at(
        &report,
        &pack_path,
        position_of(&pack, "160"),
        "the pass mark is an overall score from 0 to 100",
    );
    assert_error_at(
        &report,
        &pack_path,
        position_of(&pack, "\"tom-panic-exposur\""),
        "no scenario with id `tom-panic-exposur`",
    );
    assert!(
        report.contains("did you mean `tom-panic-exposure`?"),
        "{report}"
    );
    let script_path = dir.join("script.ron").display().to_string();
    assert_error_at(
        &report,
        &script_path,
        position_of(script, "\"open_questoin\""),
        "unknown technique `open_questoin`",
    );
    assert!(
        stderr(&out)
            .contains("checked 3 files (1 scenario, 1 assessment pack, 1 play script): 3 error(s)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_pack_naming_a_scenario_that_does_not_load_says_so() {
    let library = scratch("broken-library");
    let broken = template()
        .replacen("id: \"example-client\"", "id: \"broken-client\"", 1)
        .replacen("age: 47,", "age: 47.5,", 1);
    std::fs::write(library.join("broken-client.ron"), broken).unwrap();
    let pack = std::fs::read_to_string(root().join("packs/sample-midterm.ron"))
        .unwrap()
        .replacen("\"tom-panic-exposure\"", "\"broken-client\"", 1);
    let pack_path = scratch("broken-pack").join("pack.ron");
    std::fs::write(&pack_path, &pack).unwrap();
    let out = attune(&[
        "--scenarios",
        library.to_str().unwrap(),
        "check",
        pack_path.to_str().unwrap(),
    ]);
    let report = stdout(&out);
    assert!(
        report.contains("scenario `broken-client` is in the library")
            && report.contains("but does not load"),
        "{report}"
    );
}

#[test]
fn a_pack_or_script_given_where_a_scenario_is_needed_is_named() {
    let out = attune(&["graph", "packs/sample-midterm.ron"]);
    assert!(!out.status.success());
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        said.contains("this file is an assessment pack, not a scenario"),
        "{said}"
    );
    let out = attune(&["test", "tests/scripts"]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("a play script (a list of choices), not a scenario"),
        "{}",
        stdout(&out)
    );
}
