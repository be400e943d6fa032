//! A small multinomial naive Bayes classifier over word unigrams and bigrams (and any extra
//! features the caller adds, such as the rules' cue names), trained in milliseconds at start.
//! Deterministic: classes and features are kept in sorted maps, ties go to the first class.

use std::collections::{BTreeMap, HashMap};

/// Features of an utterance: its words, its adjacent word pairs, and any extra features.
pub fn features(words: &[String], extra: &[String]) -> Vec<String> {
    let mut out: Vec<String> = words.to_vec();
    out.extend(words.windows(2).map(|w| format!("{} {}", w[0], w[1])));
    out.extend(extra.iter().cloned());
    out
}

/// A trained classifier over string labels.
#[derive(Clone, Debug, Default)]
pub struct NaiveBayes {
    labels: Vec<String>,
    log_prior: Vec<f64>,
    /// Per feature, its log-likelihood under each label.
    log_like: HashMap<String, Vec<f64>>,
}

/// Additive smoothing: small, since the corpus is small and cues are sparse.
const ALPHA: f64 = 0.5;

impl NaiveBayes {
    /// Trains on (features, label) examples.
    pub fn train<'a>(examples: impl IntoIterator<Item = (Vec<String>, &'a str)>) -> NaiveBayes {
        let mut docs: BTreeMap<String, usize> = BTreeMap::new();
        let mut counts: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
        let mut totals: BTreeMap<String, f64> = BTreeMap::new();
        let mut vocab: BTreeMap<String, ()> = BTreeMap::new();
        for (feats, label) in examples {
            *docs.entry(label.to_string()).or_default() += 1;
            let c = counts.entry(label.to_string()).or_default();
            for f in feats {
                *c.entry(f.clone()).or_default() += 1.0;
                *totals.entry(label.to_string()).or_default() += 1.0;
                vocab.insert(f, ());
            }
        }
        let labels: Vec<String> = docs.keys().cloned().collect();
        let n_docs: usize = docs.values().sum();
        let v = vocab.len() as f64 + 1.0;
        let log_prior = labels
            .iter()
            .map(|l| (docs[l] as f64 / n_docs.max(1) as f64).ln())
            .collect();
        let denom: Vec<f64> = labels
            .iter()
            .map(|l| totals.get(l).copied().unwrap_or(0.0) + ALPHA * v)
            .collect();
        let mut log_like = HashMap::new();
        for f in vocab.keys() {
            let row = labels
                .iter()
                .zip(&denom)
                .map(|(l, d)| ((counts[l].get(f).copied().unwrap_or(0.0) + ALPHA) / d).ln())
                .collect();
            log_like.insert(f.clone(), row);
        }
        NaiveBayes {
            labels,
            log_prior,
            log_like,
        }
    }

    /// The labels it knows, sorted.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The vocabulary's single words (no bigrams, no extra features).
    pub fn words(&self) -> impl Iterator<Item = &String> {
        self.log_like
            .keys()
            .filter(|f| !f.contains(' ') && !f.contains(':'))
    }

    /// Posterior probability of each label (same order as [`Self::labels`]); features never
    /// seen in training are ignored, so an unknown word does not favour the rarer labels.
    pub fn posterior(&self, feats: &[String]) -> Vec<f64> {
        let mut scores = self.log_prior.clone();
        for f in feats {
            if let Some(row) = self.log_like.get(f) {
                for (s, l) in scores.iter_mut().zip(row) {
                    *s += l;
                }
            }
        }
        let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let exp: Vec<f64> = scores.iter().map(|s| (s - max).exp()).collect();
        let sum: f64 = exp.iter().sum();
        exp.into_iter().map(|e| e / sum).collect()
    }

    /// How much a feature favours one label over the others on average (log ratio), used
    /// to say which words led to a decision.
    pub fn lift(&self, feature: &str, label: usize) -> f64 {
        let Some(row) = self.log_like.get(feature) else {
            return 0.0;
        };
        let others: f64 = row
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != label)
            .map(|(_, l)| *l)
            .sum::<f64>()
            / (row.len().max(2) - 1) as f64;
        row[label] - others
    }
}

/// The index of the largest value (the first on a tie).
pub fn argmax(values: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        s.split(' ').map(String::from).collect()
    }

    #[test]
    fn learns_which_words_go_with_which_label() {
        let nb = NaiveBayes::train([
            (features(&w("what happened"), &[]), "q"),
            (features(&w("how are you"), &[]), "q"),
            (features(&w("you feel sad"), &[]), "r"),
            (features(&w("you feel angry"), &[]), "r"),
        ]);
        let p = nb.posterior(&features(&w("you feel low"), &[]));
        assert_eq!(nb.labels()[argmax(&p)], "r");
        let p = nb.posterior(&features(&w("what now"), &[]));
        assert_eq!(nb.labels()[argmax(&p)], "q");
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(nb.lift("feel", 1) > 0.0);
    }
}
