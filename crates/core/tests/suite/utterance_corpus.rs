//! The labelled corpus of therapist utterances (`assets/utterances/corpus.tsv`, issue 17):
//! every line is well formed, its labels name real MITI codes, catalogue techniques and
//! adaptations, and the train/test split holds every code, so a coder trained on one half
//! can be measured on the other.

use std::collections::{BTreeMap, BTreeSet};

use attune_core::model::{Catalogue, MitiCode};
use attune_core::scenario::{Directiveness, Framing};

/// The corpus as shipped, read at compile time so the test needs no working directory.
const CORPUS: &str = include_str!("../../../../assets/utterances/corpus.tsv");

const HEADER: [&str; 9] = [
    "id",
    "split",
    "miti",
    "technique",
    "directiveness",
    "framing",
    "variety",
    "client",
    "text",
];

/// Every MITI code the corpus must cover, with the least number of utterances for each.
const REQUIRED: [(MitiCode, usize); 11] = [
    (MitiCode::Question, 25),
    (MitiCode::SimpleReflection, 25),
    (MitiCode::ComplexReflection, 25),
    (MitiCode::Affirmation, 25),
    (MitiCode::SeekingCollaboration, 25),
    (MitiCode::EmphasizingAutonomy, 25),
    (MitiCode::GivingInformation, 25),
    (MitiCode::Persuade, 25),
    (MitiCode::PersuadeWithPermission, 25),
    (MitiCode::Confront, 25),
    (MitiCode::Other, 10),
];

/// One labelled utterance, as the checks need it.
struct Line {
    number: usize,
    id: String,
    split: String,
    miti: MitiCode,
    technique: String,
}

/// A label column holds a bare enum variant name; RON reads it the way the core's files do.
fn variant<T: serde::de::DeserializeOwned>(number: usize, column: &str, value: &str) -> T {
    ron::from_str(value)
        .unwrap_or_else(|e| panic!("corpus line {number}: `{value}` is not a valid {column} ({e})"))
}

/// Parses the corpus with std only, failing on the first malformed line with its number.
fn parse() -> Vec<Line> {
    let mut rows = CORPUS
        .lines()
        .enumerate()
        .map(|(i, text)| (i + 1, text))
        .filter(|(_, text)| !text.starts_with('#'));
    let (_, header) = rows.next().expect("the corpus has a header line");
    assert_eq!(
        header.split('\t').collect::<Vec<_>>(),
        HEADER,
        "header line"
    );
    rows.map(|(number, text)| {
        let fields: Vec<&str> = text.split('\t').collect();
        assert_eq!(
            fields.len(),
            9,
            "corpus line {number} has {} fields, not 9: {text:?}",
            fields.len()
        );
        assert!(
            matches!(fields[1], "train" | "test"),
            "corpus line {number}: split `{}` is neither train nor test",
            fields[1]
        );
        let _: Directiveness = variant(number, "directiveness", fields[4]);
        let _: Framing = variant(number, "framing", fields[5]);
        assert!(
            matches!(fields[6], "en-GB" | "en-US" | "en-AU"),
            "corpus line {number}: variety `{}` is not en-GB, en-US or en-AU",
            fields[6]
        );
        assert!(
            !fields[7].trim().is_empty(),
            "corpus line {number} has no client tag"
        );
        assert!(
            !fields[8].trim().is_empty(),
            "corpus line {number} has no text"
        );
        Line {
            number,
            id: fields[0].to_string(),
            split: fields[1].to_string(),
            miti: variant(number, "MITI code", fields[2]),
            technique: fields[3].to_string(),
        }
    })
    .collect()
}

#[test]
fn corpus_lines_have_nine_fields_and_unique_well_formed_ids() {
    let lines = parse();
    assert!(
        lines.len() >= 450,
        "the corpus has {} utterances, fewer than 450",
        lines.len()
    );
    let mut seen = BTreeSet::new();
    for line in &lines {
        let digits = line.id.strip_prefix('u').unwrap_or("");
        assert!(
            digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()),
            "corpus line {}: id `{}` is not u followed by four digits",
            line.number,
            line.id
        );
        assert!(
            seen.insert(line.id.clone()),
            "corpus line {}: id `{}` is used twice",
            line.number,
            line.id
        );
    }
}

#[test]
fn corpus_techniques_are_catalogue_ids_and_cover_at_least_thirty() {
    let catalogue = Catalogue::builtin();
    let lines = parse();
    for line in &lines {
        assert!(
            catalogue.get(&line.technique).is_some(),
            "corpus line {}: technique `{}` is not in the catalogue",
            line.number,
            line.technique
        );
    }
    let used: BTreeSet<&str> = lines.iter().map(|l| l.technique.as_str()).collect();
    assert!(
        used.len() >= 30,
        "the corpus uses {} techniques, fewer than 30",
        used.len()
    );
}

#[test]
fn corpus_covers_every_miti_code_in_both_splits() {
    let lines = parse();
    let mut per_code: BTreeMap<(String, &str), usize> = BTreeMap::new();
    for line in &lines {
        *per_code
            .entry((format!("{:?}", line.miti), line.split.as_str()))
            .or_default() += 1;
    }
    for (code, least) in REQUIRED {
        let name = format!("{code:?}");
        let train = per_code.get(&(name.clone(), "train")).copied().unwrap_or(0);
        let test = per_code.get(&(name.clone(), "test")).copied().unwrap_or(0);
        assert!(
            train > 0 && test > 0,
            "{name}: {train} train and {test} test utterances; both splits need it"
        );
        assert!(
            train + test >= least,
            "{name} has {} utterances, fewer than {least}",
            train + test
        );
        let share = test as f64 / (train + test) as f64;
        assert!(
            (0.2..=0.4).contains(&share),
            "{name}: {:.0}% of its utterances are in the test split, not about 30%",
            share * 100.0
        );
    }
}
