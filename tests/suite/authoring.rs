//! The instructor's side of authoring: the template `attune new` copies is the example
//! docs/authoring.md quotes, it passes `attune check` and its playthroughs pass, and the
//! mistakes a new author makes get an actionable message at the right line.

use std::path::PathBuf;
use std::process::Output;

use attune::engine::run_playthrough;

use crate::common::{attune, root, stdout};

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

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
