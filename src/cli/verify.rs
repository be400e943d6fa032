//! `attune verify RESULT-OR-FOLDER...`: replays each result file from its scenario
//! (matched by content hash in the scenario library), recomputes every figure and reports
//! any that differ. Folders are searched with their subfolders for `.json` files. One line
//! per file, then a summary; exit status non-zero when any result does not verify.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::check::scenario_files;
use crate::records::files::result_files;
use crate::records::{HashedLibrary, Verdict, verify_all};
use crate::words::count;

pub fn run(paths: &[PathBuf], scenarios: &Path) -> Result<ExitCode, String> {
    let results = result_files(paths)?;
    let library = HashedLibrary::scan(&scenario_files(&[scenarios.to_path_buf()])?);
    let (mut ok, mut bad) = (0, 0);
    // Read all, verify on all cores, report in the order found.
    let texts: Vec<Result<String, String>> = results
        .iter()
        .map(|p| crate::scenario::read_text(p))
        .collect();
    let readable: Vec<String> = texts
        .iter()
        .filter_map(|t| t.as_ref().ok().cloned())
        .collect();
    let mut verdicts = verify_all(&readable, &library).into_iter();
    for (path, text) in results.iter().zip(&texts) {
        let name = path.display();
        let verdict = match text {
            Ok(_) => verdicts.next().expect("one verdict per readable file"),
            Err(e) => Verdict::Unreadable(e.clone()),
        };
        match verdict {
            Verdict::Verified => {
                ok += 1;
                println!("verified  {name}");
            }
            Verdict::Differs(diffs) => {
                bad += 1;
                println!("REJECTED  {name}: the replay does not give the recorded figures");
                for d in diffs {
                    println!("    {d}");
                }
            }
            Verdict::ScenarioChanged(why) | Verdict::Unreadable(why) => {
                bad += 1;
                println!("REJECTED  {name}: {why}");
            }
        }
    }
    println!(
        "{}: {ok} verified, {bad} rejected",
        count((ok + bad) as usize, "result")
    );
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
