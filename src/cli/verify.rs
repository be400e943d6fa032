//! `attune verify [--pack PACK] RESULT-OR-FOLDER...`: checks each result file's seal and
//! rules, then replays it from its scenario (matched by content hash in the scenario
//! library), recomputes every figure and reports any that differ. With `--pack`, the pass
//! mark, seeds, scenarios and pinned versions come from the instructor's pack, never from
//! the result. Folders are searched with their subfolders for `.json` files. One line per
//! file, then a summary; exit status non-zero when any result does not verify.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::check::scenario_files;
use crate::assessment::AssessmentPack;
use crate::records::files::{read_result_texts, result_files};
use crate::records::{
    AttemptKey, AttemptResult, HashedLibrary, Verdict, mark_same_attempts, verify_each,
};
use crate::scenario::read_text;
use crate::words::count;

pub fn run(paths: &[PathBuf], scenarios: &Path, pack: Option<&Path>) -> Result<ExitCode, String> {
    let results = result_files(paths)?;
    let library = HashedLibrary::scan(&scenario_files(&[scenarios.to_path_buf()])?);
    let pack = pack.map(|p| read_pack(p, &library)).transpose()?;
    let (mut ok, mut bad) = (0, 0);
    // Read all, verify on all cores, report in the order found.
    let names: Vec<String> = results.iter().map(|p| p.display().to_string()).collect();
    let checked = checked_in_order(
        read_result_texts(&results),
        &names,
        &library,
        pack.as_ref(),
        false,
    );
    for (name, Checked { verdict, .. }) in names.iter().zip(checked) {
        match verdict {
            Verdict::Verified => {
                ok += 1;
                println!("verified  {name}");
            }
            Verdict::VerifiedWithNotes(notes) => {
                ok += 1;
                println!("verified  {name}");
                for n in notes {
                    println!("    note: {n}");
                }
            }
            rejected => {
                bad += 1;
                let reasons = rejected.reasons();
                println!("REJECTED  {name}: {}", reasons[0]);
                for r in &reasons[1..] {
                    println!("    {r}");
                }
            }
        }
    }
    let against = pack
        .as_ref()
        .map_or(String::new(), |p| format!(" against pack `{}`", p.id));
    println!(
        "{}{against}: {ok} verified, {bad} rejected",
        count((ok + bad) as usize, "result")
    );
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// One result checked: its verdict (with results sharing an attempt id marked), and the
/// result as read when it was asked for and could be read.
pub(super) struct Checked {
    pub verdict: Verdict,
    pub result: Option<AttemptResult>,
}

/// Each text (or why it could not be read) verified on all cores, in order; the results
/// as read are kept only when `keep_results`.
pub(super) fn checked_in_order(
    texts: Vec<Result<String, String>>,
    names: &[String],
    library: &HashedLibrary,
    pack: Option<&AssessmentPack>,
    keep_results: bool,
) -> Vec<Checked> {
    let mut readable = Vec::with_capacity(texts.len());
    let mut why_not = Vec::with_capacity(texts.len());
    for t in texts {
        match t {
            Ok(text) => {
                readable.push(text);
                why_not.push(None);
            }
            Err(why) => why_not.push(Some(why)),
        }
    }
    let mut verified = verify_each(&readable, library, pack, &|verdict, result| {
        let key = result.as_ref().and_then(AttemptKey::of);
        (verdict, key, result.filter(|_| keep_results))
    })
    .into_iter();
    drop(readable);
    let (mut verdicts, mut keys, mut results) = (Vec::new(), Vec::new(), Vec::new());
    for why in why_not {
        let (verdict, key, result) = match why {
            None => verified.next().expect("one verdict per readable text"),
            Some(why) => (Verdict::Unreadable(why), None, None),
        };
        verdicts.push(verdict);
        keys.push(key);
        results.push(result);
    }
    mark_same_attempts(&mut verdicts, &keys, names);
    verdicts
        .into_iter()
        .zip(results)
        .map(|(verdict, result)| Checked { verdict, result })
        .collect()
}

/// The instructor's pack, checked against the scenario library as when it is taken; its
/// problems, each at its line, are the error.
pub(super) fn read_pack(path: &Path, library: &HashedLibrary) -> Result<AssessmentPack, String> {
    let name = path.display().to_string();
    let text = read_text(path).map_err(|e| format!("{name}: {e}"))?;
    crate::assessment::parse_pack(&name, &text, &library.available()).map_err(|problems| {
        let shown = crate::source::render_file(&problems, Some(&text));
        format!(
            "{}\nthe pack {name} cannot be used to verify results until it reads against the scenario library",
            shown.join("\n")
        )
    })
}
