//! The trainee's own words kept and shown to instructors, end to end: a script with words
//! played and recorded, its result file verified untouched and rejected with the turn
//! named when its words were edited, the export's and the report's `turns.csv` with the
//! words, and the report's MITI profile per learner (one who typed no words says so).

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{attune_command, root};

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("words-records-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(data: &Path, args: &[&str]) -> Output {
    attune_command()
        .args(args)
        .env("ATTUNE_DATA_DIR", data)
        .output()
        .expect("runs attune")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Dan's expert script with the trainee's words on its first three moves: a question typed
/// where a complex reflection was claimed, then two reflections said as reflections.
fn words_script(d: &Path) -> PathBuf {
    let expert = std::fs::read_to_string(root().join("tests/scripts/dan-expert.ron")).unwrap();
    let mut lines: Vec<String> = expert.lines().map(str::to_string).collect();
    let said = [
        "Why did you hit the wall?",
        "Part of you is sick of being told what to do, and part of you wants to keep this job.",
        "It's your call what you do with this hour.",
    ];
    for (i, words) in said.iter().enumerate() {
        lines[i + 1] =
            lines[i + 1].replace("(technique:", &format!("(say: \"{words}\", technique:"));
    }
    let script = d.join("dan-words.ron");
    std::fs::write(&script, lines.join("\n")).unwrap();
    script
}

#[test]
fn words_are_kept_verified_exported_and_profiled_per_learner() {
    // What the profile below expects rests on how the coder reads the three; said first,
    // so a coder that reads them otherwise fails here, plainly, rather than in the report.
    let coder = attune::coding::shared_coder();
    let read: Vec<attune::model::MitiCode> = [
        "Why did you hit the wall?",
        "Part of you is sick of being told what to do, and part of you wants to keep this job.",
        "It's your call what you do with this hour.",
    ]
    .iter()
    .map(|w| coder.code(w).miti)
    .collect();
    use attune::model::MitiCode::*;
    assert_eq!(read, [Question, ComplexReflection, EmphasizingAutonomy]);

    let d = dir("all");
    let data = d.join("data");
    let script = words_script(&d);
    let result = d.join("ann.json");
    let played = ok(&run(
        &data,
        &[
            "play",
            "scenarios/dan-mandated-anger.ron",
            "--seed",
            "7",
            "--script",
            script.to_str().unwrap(),
            "--record",
            "--learner",
            "Ann",
            "--result",
            result.to_str().unwrap(),
        ],
    ));
    assert!(played.contains("Why did you hit the wall?"), "{played}");
    ok(&run(
        &data,
        &[
            "play",
            "scenarios/dan-mandated-anger.ron",
            "--seed",
            "7",
            "--script",
            "tests/scripts/dan-expert.ron",
            "--record",
            "--learner",
            "Bo",
        ],
    ));

    // The result file holds the words and verifies; edited words do not, naming the turn.
    let text = std::fs::read_to_string(&result).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["turns"][0]["said"], "Why did you hit the wall?");
    assert_eq!(v["turns"][0]["coded_as"], "Question");
    assert!(v["turns"][0]["mismatch"].is_string(), "{}", v["turns"][0]);
    let verify = |file: &Path| {
        run(
            &data,
            &["verify", "--scenarios", "scenarios", file.to_str().unwrap()],
        )
    };
    ok(&verify(&result));
    let mut edited = v.clone();
    edited["turns"][1]["said"] = serde_json::json!("I hear you.");
    let by_hand = d.join("by-hand.json");
    std::fs::write(&by_hand, serde_json::to_string_pretty(&edited).unwrap()).unwrap();
    let out = verify(&by_hand);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("its seal does not match") && said.contains("turns[1].said"),
        "{said}"
    );
    edited["seal"] = serde_json::json!(attune::records::seal::seal_of(&edited));
    let resealed = d.join("resealed.json");
    std::fs::write(&resealed, serde_json::to_string_pretty(&edited).unwrap()).unwrap();
    let out = verify(&resealed);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("the replay does not give the recorded figures")
            && said.contains("turns[1].said"),
        "{said}"
    );

    // The export's turns.csv: the words columns, empty for a turn without words.
    let export = d.join("export");
    ok(&run(
        &data,
        &[
            "export",
            "--format",
            "csv",
            "--out",
            export.to_str().unwrap(),
        ],
    ));
    let turns = std::fs::read_to_string(export.join("turns.csv")).unwrap();
    let head = turns.lines().next().unwrap();
    assert!(head.ends_with(",said,coded_as,mismatch"), "{head}");
    assert!(
        turns.contains("\"Part of you is sick of being told what to do, and part of you wants to keep this job.\""),
        "the words are one quoted cell:\n{turns}"
    );
    assert!(
        turns
            .lines()
            .any(|l| l.contains(",Why did you hit the wall?,Question,\"You chose")),
        "{turns}"
    );

    // The report: turns.csv, the MITI profiles in the summary, the page and the CSV.
    let report = d.join("report");
    let summary = ok(&run(&data, &["report", "--out", report.to_str().unwrap()]));
    assert!(
        summary.contains("MITI profiles, from the learners' own words"),
        "{summary}"
    );
    // The coder reads the three: a question, a complex reflection, emphasising autonomy.
    assert!(
        summary.contains(
            "Ann: 3 turns with words: questions 1, simple reflections 0, complex reflections 1, \
             other codes 1; reflections per question 1.0 (fair), complex reflections 100% (good)"
        ),
        "{summary}"
    );
    assert!(summary.contains("Bo: no words typed"), "{summary}");
    let profiles = std::fs::read_to_string(report.join("miti_profiles.csv")).unwrap();
    let ann = profiles.lines().find(|l| l.starts_with("Ann,")).unwrap();
    assert_eq!(
        ann, "Ann,1,typed,3,1,0,1,1,1.00,fair,100.0,good",
        "{profiles}"
    );
    let bo = profiles.lines().find(|l| l.starts_with("Bo,")).unwrap();
    assert!(
        bo.starts_with("Bo,1,no words typed") && bo.ends_with(",,,"),
        "{profiles}"
    );
    let report_turns = std::fs::read_to_string(report.join("turns.csv")).unwrap();
    assert!(
        report_turns.starts_with(
            "learner,scenario,attempt,turn,technique,adaptation,fit,said,coded_as,mismatch\n"
        ),
        "{report_turns}"
    );
    assert!(
        report_turns
            .lines()
            .any(|l| l.starts_with("Ann,dan-mandated-anger,")
                && l.contains("Why did you hit the wall?")),
        "{report_turns}"
    );
    let page = std::fs::read_to_string(report.join("report.html")).unwrap();
    assert!(page.contains("<h2 id=\"miti\">MITI profiles</h2>"));
    assert!(page.contains("What they said") && page.contains("Why did you hit the wall?"));
    assert!(page.contains("no words typed"));
}
