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
    AttemptResult, HashedLibrary, Verdict, mark_same_attempts, verify_and_read_all,
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
    let checked = checked_in_order(read_result_texts(&results), &names, &library, pack.as_ref());
    for (name, (verdict, _)) in names.iter().zip(checked) {
        let name = name.as_str();
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

/// Each text (or why it could not be read) verified, on all cores, in order, with the
/// result as read; results sharing an attempt id marked (`mark_same_attempts`).
pub(super) fn checked_in_order(
    texts: Vec<Result<String, String>>,
    names: &[String],
    library: &HashedLibrary,
    pack: Option<&AssessmentPack>,
) -> Vec<(Verdict, Option<AttemptResult>)> {
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
    let mut verified = verify_and_read_all(&readable, library, pack).into_iter();
    let mut checked: Vec<(Verdict, Option<AttemptResult>)> = why_not
        .into_iter()
        .map(|why| match why {
            None => verified.next().expect("one verdict per readable text"),
            Some(why) => (Verdict::Unreadable(why), None),
        })
        .collect();
    mark_same_attempts(&mut checked, names);
    checked
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
