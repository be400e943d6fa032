//! How well the coder agrees with the corpus's labels: accuracy and Cohen's kappa overall
//! and per MITI code (one code against the rest), technique and adaptation accuracy, and the
//! confusion matrix; and a stratified k-fold cross-validation for when a corpus has no
//! held-out split.

use std::fmt;

use super::{Coder, Combination, Labelled, MITI_CODES, Rules, miti_index};

/// One MITI code's figures, that code against all the others.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeFigures {
    pub code: crate::model::MitiCode,
    /// How many lines carry the code.
    pub support: usize,
    pub precision: f64,
    pub recall: f64,
    pub kappa: f64,
}

/// The coder's agreement with the labels of a set of lines.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// What was measured, e.g. "test split (120 lines)" or "5-fold cross-validation on dev".
    pub label: String,
    pub lines: usize,
    pub accuracy: f64,
    pub kappa: f64,
    pub per_code: Vec<CodeFigures>,
    pub technique_accuracy: f64,
    pub directiveness_accuracy: f64,
    pub framing_accuracy: f64,
    /// `confusion[labelled][coded]`, indexed as [`MITI_CODES`].
    pub confusion: Vec<Vec<usize>>,
}

/// Cohen's kappa of a square confusion matrix: observed agreement corrected for the
/// agreement the two raters' marginals would give by chance. 0 when there is nothing to judge.
pub fn cohen_kappa(confusion: &[Vec<usize>]) -> f64 {
    let n: usize = confusion.iter().flatten().sum();
    if n == 0 {
        return 0.0;
    }
    let n = n as f64;
    let observed = (0..confusion.len()).map(|i| confusion[i][i]).sum::<usize>() as f64 / n;
    let expected: f64 = (0..confusion.len())
        .map(|i| {
            let row: usize = confusion[i].iter().sum();
            let col: usize = confusion.iter().map(|r| r[i]).sum();
            row as f64 * col as f64
        })
        .sum::<f64>()
        / (n * n);
    if (1.0 - expected).abs() < 1e-12 {
        return if (observed - 1.0).abs() < 1e-12 {
            1.0
        } else {
            0.0
        };
    }
    (observed - expected) / (1.0 - expected)
}

/// Accumulates predictions against labels.
#[derive(Default)]
struct Tally {
    confusion: Vec<Vec<usize>>,
    technique: usize,
    directiveness: usize,
    framing: usize,
    lines: usize,
}

impl Tally {
    fn new() -> Tally {
        Tally {
            confusion: vec![vec![0; MITI_CODES.len()]; MITI_CODES.len()],
            ..Tally::default()
        }
    }

    fn add(&mut self, coder: &Coder, line: &Labelled) {
        let c = coder.code(&line.text);
        self.confusion[miti_index(line.miti)][miti_index(c.miti)] += 1;
        self.technique += usize::from(c.technique == line.technique);
        self.directiveness += usize::from(c.directiveness == line.directiveness);
        self.framing += usize::from(c.framing == line.framing);
        self.lines += 1;
    }

    fn report(self, label: String) -> Report {
        let n = self.lines.max(1) as f64;
        let m = &self.confusion;
        let correct: usize = (0..m.len()).map(|i| m[i][i]).sum();
        let per_code = MITI_CODES
            .iter()
            .enumerate()
            .map(|(i, (code, _))| {
                let tp = m[i][i];
                let labelled: usize = m[i].iter().sum();
                let coded: usize = m.iter().map(|r| r[i]).sum();
                let fp = coded - tp;
                let fn_ = labelled - tp;
                let tn = self.lines - tp - fp - fn_;
                CodeFigures {
                    code: *code,
                    support: labelled,
                    precision: if coded == 0 {
                        0.0
                    } else {
                        tp as f64 / coded as f64
                    },
                    recall: if labelled == 0 {
                        0.0
                    } else {
                        tp as f64 / labelled as f64
                    },
                    kappa: cohen_kappa(&[vec![tp, fn_], vec![fp, tn]]),
                }
            })
            .collect();
        Report {
            label,
            lines: self.lines,
            accuracy: correct as f64 / n,
            kappa: cohen_kappa(m),
            per_code,
            technique_accuracy: self.technique as f64 / n,
            directiveness_accuracy: self.directiveness as f64 / n,
            framing_accuracy: self.framing as f64 / n,
            confusion: self.confusion,
        }
    }
}

/// The coder's agreement with the labels of the given lines (all of them, whatever their split).
pub fn evaluate(coder: &Coder, lines: &[Labelled]) -> Report {
    let mut tally = Tally::new();
    for line in lines {
        tally.add(coder, line);
    }
    tally.report(format!("{} lines", lines.len()))
}

/// Stratified k-fold cross-validation: lines are dealt to folds round-robin within each MITI
/// code (in corpus order, so the result is deterministic); each fold is coded by a coder
/// trained on the others, and the predictions are pooled into one report.
pub fn cross_validate(
    rules: &Rules,
    lines: &[Labelled],
    k: usize,
    combination: Combination,
) -> Report {
    let mut report = cross_validate_with(lines, k, |train| {
        Coder::train(rules.clone(), train, combination)
    });
    report.label = format!("{}-fold cross-validation, {combination:?}", k.max(2));
    report
}

/// Stratified k-fold cross-validation of any way of training a coder (for choosing the
/// classifier's settings on the `train` lines alone).
pub(super) fn cross_validate_with(
    lines: &[Labelled],
    k: usize,
    train_coder: impl Fn(&[&Labelled]) -> Coder,
) -> Report {
    let k = k.max(2);
    let mut seen = vec![0usize; MITI_CODES.len()];
    let fold: Vec<usize> = lines
        .iter()
        .map(|l| {
            let i = miti_index(l.miti);
            seen[i] += 1;
            (seen[i] - 1) % k
        })
        .collect();
    let mut tally = Tally::new();
    for f in 0..k {
        let train: Vec<&Labelled> = lines
            .iter()
            .zip(&fold)
            .filter(|(_, g)| **g != f)
            .map(|(l, _)| l)
            .collect();
        let coder = train_coder(&train);
        for (line, _) in lines.iter().zip(&fold).filter(|(_, g)| **g == f) {
            tally.add(&coder, line);
        }
    }
    tally.report(format!("{k}-fold cross-validation"))
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {} lines", self.label, self.lines)?;
        writeln!(
            f,
            "MITI accuracy {:.1}%, kappa {:.3}; technique {:.1}%; directiveness {:.1}%; framing {:.1}%",
            self.accuracy * 100.0,
            self.kappa,
            self.technique_accuracy * 100.0,
            self.directiveness_accuracy * 100.0,
            self.framing_accuracy * 100.0
        )?;
        writeln!(
            f,
            "{:<24} {:>7} {:>9} {:>7} {:>6}",
            "code", "support", "precision", "recall", "kappa"
        )?;
        for c in &self.per_code {
            writeln!(
                f,
                "{:<24} {:>7} {:>9.2} {:>7.2} {:>6.2}",
                super::miti_name(c.code),
                c.support,
                c.precision,
                c.recall,
                c.kappa
            )?;
        }
        writeln!(
            f,
            "confusion (rows labelled, columns coded, in the order above):"
        )?;
        for row in &self.confusion {
            let cells: Vec<String> = row.iter().map(|n| format!("{n:>3}")).collect();
            writeln!(f, "{}", cells.join(""))?;
        }
        Ok(())
    }
}
