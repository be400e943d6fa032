//! `attune techniques`: the technique catalogue grouped by school, as text or JSON.

use std::process::ExitCode;

use crate::model::{Catalogue, School};

pub fn run(json: bool) -> Result<ExitCode, String> {
    let catalogue = Catalogue::builtin();
    if json {
        let text =
            serde_json::to_string_pretty(&catalogue.techniques).map_err(|e| e.to_string())?;
        println!("{text}");
        return Ok(ExitCode::SUCCESS);
    }
    for school in School::ALL {
        let in_school: Vec<_> = catalogue
            .techniques
            .iter()
            .filter(|t| t.school == school)
            .collect();
        if in_school.is_empty() {
            continue;
        }
        println!("{}", school.label());
        for t in in_school {
            println!(
                "  {:<28} dir {:.1}  focus {:.1}  arousal {:+.1}  {}",
                t.id, t.directiveness, t.focus, t.arousal, t.description
            );
        }
        println!();
    }
    println!(
        "{} techniques across {} schools",
        catalogue.techniques.len(),
        catalogue.schools().len()
    );
    Ok(ExitCode::SUCCESS)
}
