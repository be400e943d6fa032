//! The forgery suite (issue 13): an honest result, Dan's expert session taken in a pack by
//! the binary, then every field of it edited one at a time by hand (each leaf of the JSON,
//! inside the turns and the summary too, and each field deleted), each rejected by `verify
//! --pack`; then the honest-looking forgeries the issue found, sealed afresh as a forger
//! with Attune's code would, each rejected by the rule checks or the replay. `report`
//! verifies what it reads and drops what does not verify, saying why.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use attune::engine::Session;
use attune::model::Mode;
use attune::records::seal::seal_of;
use attune::records::{AttemptResult, HashedLibrary, Played, Verdict, verify_against};
use serde_json::{Value, json};

use crate::common::{attune_command, root};

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("forgery-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Dan's expert session scores under 80 (79.3 with this seed): a forger wants a pass.
const PACK: &str = r#"AssessmentPack(
    id: "psy501-final",
    title: "Final",
    class_id: "PSY501-A",
    pass_mark: 80,
    scenarios: [
        (scenario: "dan-mandated-anger", seed: 3, content_hash: "HASH"),
    ],
)"#;

/// A test's world: its own scenario library (Dan, Maria, Tom), the pack, and the honest
/// result the binary wrote.
struct World {
    dir: PathBuf,
    library: PathBuf,
    pack: PathBuf,
    honest: PathBuf,
}

impl World {
    fn new(name: &str) -> World {
        let dir = dir(name);
        let library = dir.join("scenarios");
        std::fs::create_dir_all(&library).unwrap();
        for stem in [
            "dan-mandated-anger",
            "maria-depression-risk",
            "tom-panic-exposure",
        ] {
            let file = format!("{stem}.ron");
            std::fs::copy(root().join("scenarios").join(&file), library.join(&file)).unwrap();
        }
        let hash = attune::records::content_hash(
            &std::fs::read(library.join("dan-mandated-anger.ron")).unwrap(),
        );
        let pack = dir.join("final.ron");
        std::fs::write(&pack, PACK.replace("HASH", &hash)).unwrap();
        let results = dir.join("results");
        let out = attune_command()
            .env("ATTUNE_DATA_DIR", dir.join("data"))
            .args(["--scenarios".as_ref(), library.as_os_str()])
            .args(["play".as_ref(), "--pack".as_ref(), pack.as_os_str()])
            .args([
                "--learner",
                "Ann Lee",
                "--script",
                "tests/scripts/dan-expert.ron",
            ])
            .args(["--result".as_ref(), results.as_os_str()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        World {
            honest: results.join("01-dan-mandated-anger.json"),
            dir,
            library,
            pack,
        }
    }

    fn honest_value(&self) -> Value {
        serde_json::from_str(&std::fs::read_to_string(&self.honest).unwrap()).unwrap()
    }

    /// `attune verify` (with the pack when `with_pack`) over the paths: each file's line.
    fn verify(&self, paths: &[&Path], with_pack: bool) -> (bool, String) {
        let mut c = attune_command();
        c.args(["--scenarios".as_ref(), self.library.as_os_str()])
            .arg("verify");
        if with_pack {
            c.args(["--pack".as_ref(), self.pack.as_os_str()]);
        }
        let out = c.args(paths).output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    }

    /// `attune report` over the paths into `out`: success, stdout, stderr.
    fn report(&self, paths: &[&Path], out: &Path, extra: &[&str]) -> (bool, String, String) {
        let o = attune_command()
            .args(["--scenarios".as_ref(), self.library.as_os_str()])
            .arg("report")
            .args(paths)
            .args(["--out".as_ref(), out.as_os_str()])
            .args(extra)
            .output()
            .unwrap();
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    }
}

/// Writes a result, sealed afresh as a forger running Attune's code would.
fn write_resealed(path: &Path, mut v: Value) {
    v["seal"] = json!(seal_of(&v));
    std::fs::write(path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

/// A step into a JSON value: a field or an index.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn show(path: &[Step]) -> String {
    path.iter()
        .map(|s| match s {
            Step::Key(k) => format!(".{k}"),
            Step::Index(i) => format!("[{i}]"),
        })
        .collect()
}

fn at<'a>(v: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(v, |v, s| match s {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

/// Every leaf of `v` (scalars, and empty arrays and objects), and every field of every
/// object, by path.
fn walk(v: &Value, path: &mut Vec<Step>, leaves: &mut Vec<Vec<Step>>, fields: &mut Vec<Vec<Step>>) {
    match v {
        Value::Object(map) if !map.is_empty() => {
            for (k, x) in map {
                path.push(Step::Key(k.clone()));
                fields.push(path.clone());
                walk(x, path, leaves, fields);
                path.pop();
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, x) in items.iter().enumerate() {
                path.push(Step::Index(i));
                walk(x, path, leaves, fields);
                path.pop();
            }
        }
        _ => leaves.push(path.clone()),
    }
}

/// A leaf changed to another value of its kind.
fn changed(v: &Value) -> Value {
    match v {
        Value::String(s) => json!(format!("{s}x")),
        Value::Number(n) if n.is_u64() => json!(n.as_u64().unwrap() + 1),
        Value::Number(n) => json!(n.as_f64().unwrap() + 1.0),
        Value::Bool(b) => json!(!b),
        Value::Null => json!("x"),
        Value::Array(_) => json!(["x"]),
        Value::Object(_) => json!({"x": 1}),
    }
}

/// Every edit of one field: each leaf changed, each field deleted.
fn single_edits(honest: &Value) -> Vec<(String, Value)> {
    let (mut leaves, mut fields) = (Vec::new(), Vec::new());
    walk(honest, &mut Vec::new(), &mut leaves, &mut fields);
    let mut edits = Vec::new();
    for path in leaves {
        let mut v = honest.clone();
        let leaf = at(&mut v, &path);
        *leaf = changed(leaf);
        edits.push((format!("{} changed", show(&path)), v));
    }
    for path in fields {
        let mut v = honest.clone();
        let (last, parent) = path.split_last().unwrap();
        let Step::Key(k) = last else { unreachable!() };
        at(&mut v, parent).as_object_mut().unwrap().remove(k);
        edits.push((format!("{} deleted", show(&path)), v));
    }
    edits
}

/// Writes each edit to its own file in `folder` and runs `verify --pack` over the folder
/// once: the edits that verified, by name.
fn verified_edits(w: &World, folder: &str, edits: &[(String, Value)], reseal: bool) -> Vec<String> {
    let folder = w.dir.join(folder);
    std::fs::create_dir_all(&folder).unwrap();
    for (i, (_, v)) in edits.iter().enumerate() {
        let file = folder.join(format!("{i:04}.json"));
        if reseal {
            write_resealed(&file, v.clone());
        } else {
            std::fs::write(&file, serde_json::to_string_pretty(v).unwrap()).unwrap();
        }
    }
    let (_, out) = w.verify(&[&folder], true);
    let verified: Vec<String> = out
        .lines()
        .filter_map(|l| l.strip_prefix("verified  "))
        .map(|f| {
            let i: usize = Path::new(f.trim())
                .file_stem()
                .unwrap()
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            edits[i].0.clone()
        })
        .collect();
    let total = out
        .lines()
        .filter(|l| l.starts_with("verified  ") || l.starts_with("REJECTED  "))
        .count();
    assert_eq!(total, edits.len(), "a line per file:\n{out}");
    verified
}

#[test]
fn the_honest_result_verifies_against_its_pack() {
    let w = World::new("honest");
    let (ok, out) = w.verify(&[&w.honest], true);
    assert!(ok, "{out}");
    assert!(
        out.contains("1 result against pack `psy501-final`: 1 verified, 0 rejected"),
        "{out}"
    );
    let v = w.honest_value();
    assert_eq!(
        v["summary"]["passed"], false,
        "79.3 under a pass mark of 80"
    );
    assert_eq!(v["pack"]["pass_mark"], 80.0);
}

/// Every field of the result edited by hand, one at a time: each is rejected.
#[test]
fn every_field_of_a_result_edited_by_hand_is_rejected_by_verify_pack() {
    let w = World::new("by-hand");
    let edits = single_edits(&w.honest_value());
    assert!(edits.len() > 300, "every leaf and field: {}", edits.len());
    let verified = verified_edits(&w, "by-hand", &edits, false);
    eprintln!(
        "forgery suite: {} of {} single-field edits by hand rejected",
        edits.len() - verified.len(),
        edits.len()
    );
    assert!(verified.is_empty(), "edits that verified: {verified:?}");
}

/// The same edits sealed afresh, as a forger with Attune's code would: what still verifies
/// is only what verification cannot see (docs/assessment.md says so): the learner's name,
/// the file name the scenario was played from (shown as a note), and choices edited into
/// others that score the same (an adaptation deleted to its default, or one this client's
/// scoring does not weigh).
#[test]
fn a_forger_who_reseals_can_change_only_what_verification_cannot_see() {
    let w = World::new("resealed");
    let edits: Vec<(String, Value)> = single_edits(&w.honest_value())
        .into_iter()
        .filter(|(name, _)| !name.starts_with(".seal"))
        .collect();
    let verified = verified_edits(&w, "resealed", &edits, true);
    eprintln!(
        "forgery suite: {} of {} single-field edits sealed afresh rejected; verified: {verified:?}",
        edits.len() - verified.len(),
        edits.len()
    );
    let unseen = |name: &str| {
        name == ".learner changed"
            || name == ".scenario.file changed"
            // A choice's adaptation left at its default reads back the same.
            || (name.starts_with(".choices[") && name.ends_with(" deleted"))
            // Dan has no cultural or faith needs: adapting a move to them changes no
            // figure, so the replay of the edited choices is the same session.
            || (name.starts_with(".choices[")
                && (name.ends_with("culturally_adapted changed")
                    || name.ends_with("spiritually_adapted changed")))
    };
    let seen: Vec<&String> = verified.iter().filter(|n| !unseen(n)).collect();
    assert!(seen.is_empty(), "resealed edits that verified: {seen:?}");
}

/// A result played with the library under the pack's name, as a forger with the code
/// would make one: scenario `stem`, `seed`, Dan's expert choices where they apply.
fn made_with_the_code(w: &World, stem: &str, seed: u64, pass_mark: f32) -> Value {
    let library = HashedLibrary::scan(&[w.library.join(format!("{stem}.ron"))]);
    let scenario = &library.scenarios[0];
    let prepared = Arc::new(scenario.prepared.with_pass_mark(pass_mark));
    let mut session = Session::new(prepared, seed);
    for c in crate::app::dan_expert_script() {
        if session.apply(&c).is_err() {
            break;
        }
    }
    let honest = w.honest_value();
    let pack: attune::assessment::PackRef = serde_json::from_value(honest["pack"].clone()).unwrap();
    let result = AttemptResult::of(
        &session,
        &format!("{stem}.ron"),
        scenario.content_hash.clone(),
        Mode::Assessment,
        Some("Ann Lee".into()),
        honest["started_at"].as_str().unwrap().into(),
        Played::Script,
    )
    .in_pack(pack);
    serde_json::to_value(&result).unwrap()
}

/// The honest-looking forgeries the issue found, each sealed afresh: every one is rejected
/// by `verify --pack`, and those the rules alone catch by plain `verify` too.
#[test]
fn verify_checks_the_rules_not_only_the_arithmetic_even_with_the_seal_made_afresh() {
    let w = World::new("resealed-forgeries");
    let honest = w.honest_value();
    let edit = |f: &dyn Fn(&mut Value)| {
        let mut v = honest.clone();
        f(&mut v);
        v
    };
    // (what, the forged result, also rejected without the pack)
    let forgeries: Vec<(&str, Value, bool)> = vec![
        (
            "the pass mark lowered to turn a 79.3 into a pass",
            edit(&|v| {
                v["pack"]["pass_mark"] = json!(60.0);
                v["summary"]["pass_mark"] = json!(60.0);
                v["summary"]["passed"] = json!(true);
            }),
            false,
        ),
        (
            "the same, relabelled as format 1 to shed the seal",
            edit(&|v| {
                v["pack"]["pass_mark"] = json!(60.0);
                v["summary"]["pass_mark"] = json!(60.0);
                v["summary"]["passed"] = json!(true);
                v["format"] = json!("attune-result/1");
                for k in ["attempt_id", "played", "seal"] {
                    v.as_object_mut().unwrap().remove(k);
                }
            }),
            false,
        ),
        (
            "the pack deleted",
            edit(&|v| {
                v.as_object_mut().unwrap().remove("pack");
            }),
            false,
        ),
        (
            "the pack id edited",
            edit(&|v| v["pack"]["id"] = json!("psy501-resit")),
            false,
        ),
        (
            "the class edited",
            edit(&|v| v["pack"]["class_id"] = json!("PSY501-B")),
            false,
        ),
        (
            "the pack title edited",
            edit(&|v| v["pack"]["title"] = json!("Resit")),
            false,
        ),
        (
            "the position edited",
            edit(&|v| v["pack"]["position"] = json!(2)),
            false,
        ),
        (
            "the sitting not a UUID",
            edit(&|v| v["pack"]["sitting"] = json!("s-1")),
            true,
        ),
        (
            "the mode made practice",
            edit(&|v| v["mode"] = json!("Practice")),
            true,
        ),
        (
            "the timestamps reversed",
            edit(&|v| {
                let (s, f) = (v["started_at"].clone(), v["finished_at"].clone());
                v["started_at"] = json!(attune::records::clock::rfc3339(
                    attune::records::clock::parse_rfc3339(f.as_str().unwrap()).unwrap() + 60
                ));
                v["finished_at"] = s;
            }),
            true,
        ),
        (
            "finished in the future",
            edit(&|v| v["finished_at"] = json!("2099-01-01T00:00:00Z")),
            true,
        ),
        (
            "a start that is no timestamp",
            edit(&|v| v["started_at"] = json!("yesterday")),
            true,
        ),
        (
            "a script passed off as a person in the window",
            edit(&|v| v["played"] = json!("Window")),
            true,
        ),
        (
            "Dan relabelled as Maria",
            edit(&|v| v["scenario"]["id"] = json!("maria-depression-risk")),
            true,
        ),
        (
            "the scenario's title edited",
            edit(&|v| v["scenario"]["title"] = json!("Maria")),
            true,
        ),
        (
            "an absurd score",
            edit(&|v| v["summary"]["overall"] = json!(1e308)),
            true,
        ),
        (
            "a learner's name that forges a line",
            edit(&|v| v["learner"] = json!("Ann Lee\nverified  everything")),
            true,
        ),
        (
            "an attempt id that is no UUID",
            edit(&|v| v["attempt_id"] = json!("attempt-1")),
            true,
        ),
        (
            "replayed with the code under another seed",
            made_with_the_code(&w, "dan-mandated-anger", 4, 80.0),
            false,
        ),
        (
            "a client the pack does not name, played with the code",
            made_with_the_code(&w, "tom-panic-exposure", 3, 80.0),
            false,
        ),
        (
            "played with the code under the pass mark the forger wants",
            made_with_the_code(&w, "dan-mandated-anger", 3, 60.0),
            false,
        ),
    ];
    let folder = w.dir.join("forged");
    std::fs::create_dir_all(&folder).unwrap();
    let mut rejected = 0;
    for (i, (what, v, plain)) in forgeries.iter().enumerate() {
        let file = folder.join(format!("{i:02}.json"));
        write_resealed(&file, v.clone());
        let (ok, out) = w.verify(&[&file], true);
        assert!(!ok && out.contains("REJECTED"), "{what}: {out}");
        rejected += 1;
        if *plain {
            let (ok, out) = w.verify(&[&file], false);
            assert!(!ok, "{what} is rejected without the pack too: {out}");
        }
    }
    eprintln!(
        "forgery suite: {rejected} of {} honest-looking forgeries sealed afresh rejected",
        forgeries.len()
    );
}

#[test]
fn report_drops_a_result_with_an_absurd_score() {
    let w = World::new("absurd");
    let forged = w.dir.join("results/02-absurd.json");
    let mut v = w.honest_value();
    v["summary"]["overall"] = json!(1e308);
    write_resealed(&forged, v);
    let out = w.dir.join("report");
    let (ok, summary, err) = w.report(&[&w.dir.join("results")], &out, &[]);
    assert!(ok, "{err}");
    let honest = w.honest_value()["summary"]["overall"].as_f64().unwrap();
    assert!(
        summary.starts_with(&format!("1 attempt by 1 learner: mean {honest:.1}")),
        "{summary}"
    );
    assert!(
        summary.contains("Not counted (1 result):")
            && summary.contains("02-absurd.json: the replay does not give the recorded figures")
            && summary.contains("summary.overall: recorded 1e308, replay gives"),
        "{summary}"
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains(&format!("<b>{honest:.1}</b>mean score")),
        "the mean is the honest attempt's"
    );
    assert!(html.contains("Not counted") && html.contains("02-absurd.json"));
    let gradebook = std::fs::read_to_string(out.join("gradebook.csv")).unwrap();
    assert_eq!(gradebook.lines().count(), 2, "{gradebook}");
}

#[test]
fn report_counts_a_relabelled_attempt_under_its_real_scenario_or_drops_it() {
    let w = World::new("relabelled");
    let forged = w.dir.join("results/02-maria.json");
    let mut v = w.honest_value();
    v["scenario"]["id"] = json!("maria-depression-risk");
    v["scenario"]["title"] = json!("Maria: \"I should be over it by now\"");
    write_resealed(&forged, v);
    let out = w.dir.join("report");
    let (ok, summary, err) = w.report(&[&w.dir.join("results")], &out, &[]);
    assert!(ok, "{err}");
    let by_client = summary.split("\nLearners").next().unwrap();
    assert!(
        by_client.contains("1 attempt") && !by_client.contains("Maria"),
        "{summary}"
    );
    assert!(
        summary.contains("02-maria.json: it names scenario `maria-depression-risk`, but its content hash is that of `dan-mandated-anger`"),
        "{summary}"
    );
    let scenarios = std::fs::read_to_string(out.join("scenarios.csv")).unwrap();
    assert!(
        !scenarios.contains("maria") && scenarios.contains("dan-mandated-anger,"),
        "{scenarios}"
    );
}

/// One file that is not UTF-8 (or not a result at all) no longer aborts the report: it is
/// left out with its reason.
#[test]
fn a_non_utf8_result_does_not_abort_the_report() {
    let w = World::new("non-utf8");
    let results = w.dir.join("results");
    std::fs::write(
        results.join("02-latin1.json"),
        b"{\"learner\": \"Jos\xe9\"}",
    )
    .unwrap();
    std::fs::write(results.join("03-notes.json"), "{\"hello\": 1}").unwrap();
    let out = w.dir.join("report");
    let (ok, summary, err) = w.report(&[&results], &out, &[]);
    assert!(ok, "{err}");
    assert!(summary.starts_with("1 attempt by 1 learner"), "{summary}");
    assert!(
        summary.contains("02-latin1.json: not an Attune result file: it is not UTF-8 text")
            && summary.contains("03-notes.json: not an Attune result file"),
        "{summary}"
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("02-latin1.json") && html.contains("03-notes.json"));
    // Nothing verifies: no report, and every reason said.
    let (ok, _, err) = w.report(
        &[
            &results.join("02-latin1.json"),
            &results.join("03-notes.json"),
        ],
        &w.dir.join("none"),
        &[],
    );
    assert!(!ok && err.contains("none of the 2 results"), "{err}");
    assert!(!w.dir.join("none").exists());
}

/// The report with the pack counts only attempts taken in it, and shows for each attempt
/// whether it was played in the window or from a script.
#[test]
fn report_takes_the_pack_and_shows_how_each_attempt_was_played() {
    let w = World::new("report-pack");
    let results = w.dir.join("results");
    let practice = results.join("02-practice.json");
    let out = attune_command()
        .args(["--scenarios".as_ref(), w.library.as_os_str()])
        .args(["play", "scenarios/dan-mandated-anger.ron", "--seed", "3"])
        .args(["--script", "tests/scripts/dan-expert.ron"])
        .args(["--result".as_ref(), practice.as_os_str()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let report = w.dir.join("report");
    let pack = w.pack.to_str().unwrap();
    let (ok, summary, err) = w.report(&[&results], &report, &["--pack", pack]);
    assert!(ok, "{err}");
    assert!(summary.starts_with("1 attempt by 1 learner"), "{summary}");
    assert!(
        summary.contains("02-practice.json: not taken in this pack"),
        "{summary}"
    );
    let gradebook = std::fs::read_to_string(report.join("gradebook.csv")).unwrap();
    assert!(gradebook.lines().next().unwrap().ends_with(",played"));
    assert!(
        gradebook.lines().nth(1).unwrap().ends_with(",script"),
        "{gradebook}"
    );
    let html = std::fs::read_to_string(report.join("report.html")).unwrap();
    assert!(html.contains(">Played<") && html.contains("from a script"));
    assert!(html.contains("verified against pack `psy501-final`"));
    // Without the pack both count.
    let (ok, summary, _) = w.report(&[&results], &report, &[]);
    assert!(
        ok && summary.starts_with("2 attempts by 1 learner"),
        "{summary}"
    );
}

/// A person takes time: a result that says it was played in the window must have taken at
/// least a second a turn; one played at a person's pace verifies.
#[test]
fn a_window_attempt_faster_than_a_person_can_play_is_rejected() {
    let w = World::new("window-pace");
    let library = HashedLibrary::scan(&[w.library.join("dan-mandated-anger.ron")]);
    let scenario = &library.scenarios[0];
    let session = crate::common::play(&scenario.prepared, 3, &crate::app::dan_expert_script());
    let now = attune::assessment::now_unix();
    let result = |seconds_ago: u64| {
        AttemptResult::of(
            &session,
            "dan-mandated-anger.ron",
            scenario.content_hash.clone(),
            Mode::Practice,
            None,
            attune::records::clock::rfc3339(now - seconds_ago),
            Played::Window,
        )
        .to_json()
    };
    match verify_against(&result(3), &library, None) {
        Verdict::BreaksRules(why) => assert!(
            why[0].contains("a person played 12 turns in the window in"),
            "{why:?}"
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        verify_against(&result(90), &library, None),
        Verdict::Verified
    );
}

/// Result files written before the seal still verify by replay, and say what that leaves
/// unchecked; a sealed file relabelled format 1 is refused.
#[test]
fn a_format_1_result_verifies_by_replay_and_says_it_has_no_seal() {
    let w = World::new("format-1");
    let mut v = w.honest_value();
    v["format"] = json!("attune-result/1");
    for k in ["attempt_id", "played", "seal"] {
        v.as_object_mut().unwrap().remove(k);
    }
    let old = w.dir.join("old.json");
    std::fs::write(&old, v.to_string()).unwrap();
    let (ok, out) = w.verify(&[&old], true);
    assert!(ok, "{out}");
    assert!(
        out.contains("note: format 1: no seal, fields outside the replay unchecked"),
        "{out}"
    );
    let mut v = w.honest_value();
    v["format"] = json!("attune-result/1");
    std::fs::write(&old, v.to_string()).unwrap();
    let (ok, out) = w.verify(&[&old], false);
    assert!(!ok && out.contains("which only format 2 has"), "{out}");
}

/// A pack that has changed under its scenarios cannot vouch for anything: `verify --pack`
/// says why, at the pack's line, and verifies nothing.
#[test]
fn verify_pack_refuses_a_pack_that_does_not_read_against_the_library() {
    let w = World::new("stale-pack");
    let text = std::fs::read_to_string(&w.pack).unwrap();
    std::fs::write(&w.pack, text.replace("blake3:", "blake3:00")).unwrap();
    let out = attune_command()
        .args(["--scenarios".as_ref(), w.library.as_os_str()])
        .args(["verify".as_ref(), "--pack".as_ref(), w.pack.as_os_str()])
        .arg(&w.honest)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("final.ron:7:") && err.contains("cannot be used to verify results"),
        "{err}"
    );
}

/// The records database is read like any file: an attempt whose stored result was edited
/// (here its score, sealed afresh) is left out of the report, named by its attempt id.
#[test]
fn report_drops_an_attempt_edited_in_the_records_database() {
    let w = World::new("database");
    let db = w.dir.join("data/records.sqlite");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (id, json): (String, String) = conn
        .query_row(
            "SELECT id, result_json FROM attempts WHERE result_json IS NOT NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let mut v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["attempt_id"],
        json!(id),
        "the result carries the record's id"
    );
    v["summary"]["overall"] = json!(95.0);
    v["summary"]["passed"] = json!(true);
    v["seal"] = json!(seal_of(&v));
    // A second attempt, honest, so that the report has something to count.
    let out = attune_command()
        .env("ATTUNE_DATA_DIR", w.dir.join("data"))
        .args(["play", "scenarios/tom-panic-exposure.ron", "--seed", "2"])
        .args(["--script", "tests/scripts/dan-expert.ron", "--record"])
        .output()
        .unwrap();
    assert!(out.status.success());
    conn.execute(
        "UPDATE attempts SET result_json = ?2, overall = 95.0, passed = 1 WHERE id = ?1",
        rusqlite::params![id, v.to_string()],
    )
    .unwrap();
    drop(conn);
    let report = w.dir.join("report");
    let o = attune_command()
        .env("ATTUNE_DATA_DIR", w.dir.join("data"))
        .args(["--scenarios".as_ref(), w.library.as_os_str()])
        .args(["report".as_ref(), "--out".as_ref(), report.as_os_str()])
        .output()
        .unwrap();
    let summary = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(summary.starts_with("1 attempt by 0 learners"), "{summary}");
    assert!(
        summary.contains(&format!(
            "attempt {id} in the records database: the replay does not give the recorded figures"
        )),
        "{summary}"
    );
}

/// A classmate's result copied under another name, sealed afresh, keeps the attempt id:
/// both are rejected, since at most one is the attempt as played. A second copy of the
/// same file is no forgery: it verifies, says so, and the report counts it once.
#[test]
fn a_result_copied_under_another_name_is_rejected_and_a_plain_copy_counts_once() {
    let w = World::new("copies");
    let results = w.dir.join("results");
    let copy = results.join("02-copy.json");
    std::fs::copy(&w.honest, &copy).unwrap();
    let (ok, out) = w.verify(&[&results], true);
    assert!(ok, "{out}");
    assert!(out.contains("note: the same attempt as "), "{out}");
    let report = w.dir.join("report");
    let (ok, summary, err) = w.report(&[&results], &report, &[]);
    assert!(ok, "{err}");
    assert!(
        summary.starts_with("1 attempt by 1 learner")
            && summary.contains("02-copy.json: the same attempt as ")
            && summary.contains(", counted once"),
        "{summary}"
    );

    let mut v = w.honest_value();
    v["learner"] = json!("Bo Chen");
    write_resealed(&results.join("03-bo.json"), v);
    let (ok, out) = w.verify(&[&results], true);
    assert!(!ok, "{out}");
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with("REJECTED") && l.contains("with different contents"))
            .count(),
        3,
        "{out}"
    );
}
