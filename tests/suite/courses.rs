//! Courses from the command line: `attune check` on course files (every problem at its
//! line and column) and `attune drill` playing one drill headless.

use crate::common::{attune, stderr, stdout};

/// A course with one mistake of each kind, each on a line of its own.
const BAD_COURSE: &str = r#"#![enable(implicit_some)]
Course(
    id: "bad",
    title: "Bad",
    steps: [
        (id: "meet", title: "Meet", difficulty: Advanced, session: "dan-mandated-angr"),
        (id: "meet", title: "Twice", difficulty: Advanced, session: "dan-mandated-anger"),
        (id: "a", title: "A", difficulty: Advanced, skills: [RuptureRepair], after: ["b"],
         drill: (scenario: "dan-mandated-anger", moment: "father-nmed")),
        (id: "b", title: "B", difficulty: Advanced, skills: [RuptureRepair], after: ["a", "nowhere"],
         drill: (scenario: "dan-mandated-anger", prefix: Expert(99))),
        (id: "c", title: "C", difficulty: Advanced, skills: [RuptureRepair],
         drill: (scenario: "dan-mandated-anger", moment: "first-rupture")),
        (id: "d", title: "D", difficulty: Advanced, skills: [RuptureRepair],
         drill: (scenario: "dan-mandated-anger", prefix: Choices([(technique: "complex_reflecton")]))),
    ],
)
"#;

/// 1-based line and column of the first occurrence of `needle` in `text`.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in text"));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, col)
}

#[test]
fn check_reports_each_mistake_in_a_course_at_its_line_and_column() {
    let dir = std::env::temp_dir().join(format!("attune-course-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad-course.ron");
    std::fs::write(&path, BAD_COURSE).unwrap();
    let name = path.display().to_string();
    let out = attune(&["check", &name]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = stdout(&out);
    let expect = [
        (
            "\"dan-mandated-angr\"",
            "no scenario with id `dan-mandated-angr`",
        ),
        (
            "\"meet\", title: \"Twice\"",
            "the step id `meet` is used twice",
        ),
        ("\"father-nmed\"", "has no key moment `father-nmed`"),
        ("Expert(99)", "a prefix of 99 is longer"),
        ("\"nowhere\"", "no step with id `nowhere`"),
        (
            "\"first-rupture\"",
            "never reaches key moment `first-rupture`",
        ),
        ("Choices(", "unknown technique `complex_reflecton`"),
        ("[\"b\"]", "go round in a circle (a → b → a)"),
    ];
    for (at, message) in expect {
        let (line, col) = position_of(BAD_COURSE, at);
        let wanted = format!("{name}:{line}:{col}: error: ");
        assert!(
            report
                .lines()
                .any(|l| l.starts_with(&wanted) && l.contains(message)),
            "expected `{message}` at {line}:{col} in:\n{report}"
        );
    }
    assert!(
        report.contains("did you mean `dan-mandated-anger`"),
        "{report}"
    );
    assert!(report.contains("did you mean `father-named`"), "{report}");
    assert!(stderr(&out).contains("1 course"), "{}", stderr(&out));
}

#[test]
fn check_passes_the_default_course() {
    let out = attune(&["check", "courses/"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn drill_plays_one_move_and_shows_its_fit_the_commentary_and_a_better_move() {
    let out = attune(&[
        "drill",
        "courses/default.ron",
        "dan-roll-with-it",
        "--choice",
        "confrontation",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Your move: Confrontation"), "{text}");
    assert!(text.contains("Reactance matching:"), "{text}");
    assert!(text.contains("Key moment: "), "{text}");
    assert!(text.contains("MotivationalInterviewing:"), "{text}");
    assert!(
        text.contains("Best move found: ") && !text.contains("Best move found: yours"),
        "{text}"
    );
}

#[test]
fn drill_names_an_unknown_drill_and_lists_the_course_drills() {
    let out = attune(&[
        "drill",
        "courses/default.ron",
        "no-such-drill",
        "--choice",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("no drill `no-such-drill`"), "{err}");
    assert!(err.contains("dan-roll-with-it"), "{err}");
}

#[test]
fn drill_takes_its_move_with_adaptations_from_a_script() {
    let dir = std::env::temp_dir().join(format!("attune-drill-script-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("move.ron");
    std::fs::write(
        &script,
        r#"[(technique: "suicide_risk_assessment", directiveness: AskPermission)]"#,
    )
    .unwrap();
    let out = attune(&[
        "drill",
        "courses/default.ron",
        "maria-risk-cue",
        "--script",
        script.to_str().unwrap(),
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Your move: Suicide risk assessment and safety plan, ask permission first"),
        "{text}"
    );
    assert!(text.contains("Risk assessment: 100%"), "{text}");
}
