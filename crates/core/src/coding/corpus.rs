//! The labelled utterance corpus (`assets/utterances/*.tsv`) read into rows, with a clear
//! error naming the line for anything malformed, so a bad label never trains the coder.

use crate::model::MitiCode;
use crate::scenario::{Directiveness, Framing};

/// Which part of the corpus a line belongs to: `train` lines may tune the coder, `test`
/// lines only measure it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    Train,
    Test,
}

/// One labelled therapist utterance.
#[derive(Clone, Debug, PartialEq)]
pub struct Labelled {
    pub id: String,
    pub split: Split,
    pub miti: MitiCode,
    pub technique: String,
    pub directiveness: Directiveness,
    pub framing: Framing,
    pub variety: String,
    pub client: String,
    pub text: String,
}

/// A malformed corpus line: its 1-based line number and what is wrong.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("corpus line {line}: {message}")]
pub struct CorpusError {
    pub line: usize,
    pub message: String,
}

/// Every MITI code with the name the corpus spells it by.
pub const MITI_CODES: [(MitiCode, &str); 11] = [
    (MitiCode::Question, "Question"),
    (MitiCode::SimpleReflection, "SimpleReflection"),
    (MitiCode::ComplexReflection, "ComplexReflection"),
    (MitiCode::Affirmation, "Affirmation"),
    (MitiCode::SeekingCollaboration, "SeekingCollaboration"),
    (MitiCode::EmphasizingAutonomy, "EmphasizingAutonomy"),
    (MitiCode::GivingInformation, "GivingInformation"),
    (MitiCode::Persuade, "Persuade"),
    (MitiCode::PersuadeWithPermission, "PersuadeWithPermission"),
    (MitiCode::Confront, "Confront"),
    (MitiCode::Other, "Other"),
];

/// The corpus name of a MITI code.
pub fn miti_name(code: MitiCode) -> &'static str {
    MITI_CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| *n)
        .unwrap_or("Other")
}

/// The index of a code in [`MITI_CODES`], used for confusion matrices.
pub fn miti_index(code: MitiCode) -> usize {
    MITI_CODES
        .iter()
        .position(|(c, _)| *c == code)
        .unwrap_or(10)
}

fn parse_miti(s: &str) -> Option<MitiCode> {
    MITI_CODES.iter().find(|(_, n)| *n == s).map(|(c, _)| *c)
}

fn parse_directiveness(s: &str) -> Option<Directiveness> {
    Some(match s {
        "AskPermission" => Directiveness::AskPermission,
        "OfferAsOption" => Directiveness::OfferAsOption,
        "AsIs" => Directiveness::AsIs,
        "Prescribe" => Directiveness::Prescribe,
        _ => return None,
    })
}

fn parse_framing(s: &str) -> Option<Framing> {
    Some(match s {
        "Collaborative" => Framing::Collaborative,
        "AsIs" => Framing::AsIs,
        "ExpertLed" => Framing::ExpertLed,
        _ => return None,
    })
}

/// Reads a corpus: skips blank and `#` lines and the header (the first line whose first
/// column is `id`), and rejects any line without nine columns or with an unknown label.
pub fn parse_corpus(text: &str) -> Result<Vec<Labelled>, CorpusError> {
    let mut rows = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = raw.split('\t').collect();
        if cols[0] == "id" {
            continue;
        }
        let err = |message: String| CorpusError { line, message };
        if cols.len() != 9 {
            return Err(err(format!(
                "expected 9 tab-separated columns, found {}",
                cols.len()
            )));
        }
        let split = match cols[1] {
            "train" => Split::Train,
            "test" => Split::Test,
            other => return Err(err(format!("split must be train or test, not {other:?}"))),
        };
        let miti =
            parse_miti(cols[2]).ok_or_else(|| err(format!("unknown MITI code {:?}", cols[2])))?;
        let directiveness = parse_directiveness(cols[4])
            .ok_or_else(|| err(format!("unknown directiveness {:?}", cols[4])))?;
        let framing =
            parse_framing(cols[5]).ok_or_else(|| err(format!("unknown framing {:?}", cols[5])))?;
        if cols[3].trim().is_empty() || cols[8].trim().is_empty() {
            return Err(err("technique and text must not be empty".into()));
        }
        rows.push(Labelled {
            id: cols[0].to_string(),
            split,
            miti,
            technique: cols[3].to_string(),
            directiveness,
            framing,
            variety: cols[6].to_string(),
            client: cols[7].to_string(),
            text: cols[8].to_string(),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_set_parses_and_bad_lines_are_named() {
        let rows = parse_corpus(include_str!("../../../../assets/utterances/dev.tsv")).unwrap();
        assert!(rows.len() >= 77);
        for (code, _) in MITI_CODES {
            assert!(rows.iter().any(|r| r.miti == code), "{code:?} has examples");
        }
        let bad = "id\tsplit\tmiti\ttechnique\tdirectiveness\tframing\tvariety\tclient\ttext\nx\ttrain\tQuestoin\topen_question\tAsIs\tAsIs\ten-GB\tgeneric\tHi?\n";
        let e = parse_corpus(bad).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("Questoin"));
    }
}
