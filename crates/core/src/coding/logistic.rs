//! A small multinomial logistic regression over binary features (words, word pairs, cue
//! names, shape features), trained at start. Unlike naive Bayes it weighs features jointly,
//! so twenty words that merely co-occur with a code do not outvote the one that decides it.
//!
//! Deterministic: weights start at zero, examples are visited in the order given, for a
//! fixed number of passes of stochastic gradient descent with a step that shrinks each pass,
//! and an L2 penalty applied to every weight once a pass. Features are sorted, ties in the
//! output go to the first label.

use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How the classifier is trained.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Training {
    /// Passes over the examples.
    pub epochs: usize,
    /// The first pass's step; pass `e` uses `rate / (1 + e / 4)`.
    pub rate: f64,
    /// The L2 penalty's strength, per example.
    pub l2: f64,
}

impl Default for Training {
    fn default() -> Training {
        Training {
            epochs: 20,
            rate: 0.5,
            l2: 1e-3,
        }
    }
}

/// A trained classifier over string labels.
#[derive(Clone, Debug, Default)]
pub struct Logistic {
    labels: Vec<String>,
    index: HashMap<String, usize>,
    /// `weights[feature * labels + label]`.
    weights: Vec<f64>,
    bias: Vec<f64>,
}

impl Logistic {
    /// Trains on (features, label) examples; repeated features count once.
    pub fn train<'a>(
        examples: impl IntoIterator<Item = (Vec<String>, &'a str)>,
        training: Training,
    ) -> Logistic {
        let examples: Vec<(BTreeSet<String>, &str)> = examples
            .into_iter()
            .map(|(f, l)| (f.into_iter().collect(), l))
            .collect();
        let labels: Vec<String> = examples
            .iter()
            .map(|(_, l)| l.to_string())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let vocabulary: BTreeMap<&str, ()> = examples
            .iter()
            .flat_map(|(f, _)| f.iter().map(|s| (s.as_str(), ())))
            .collect();
        let index: HashMap<String, usize> = vocabulary
            .keys()
            .enumerate()
            .map(|(i, f)| (f.to_string(), i))
            .collect();
        let k = labels.len();
        let encoded: Vec<(Vec<usize>, usize)> = examples
            .iter()
            .map(|(f, l)| {
                let feats = f.iter().map(|s| index[s]).collect();
                let label = labels.iter().position(|x| x == l).unwrap_or(0);
                (feats, label)
            })
            .collect();
        let mut model = Logistic {
            weights: vec![0.0; index.len() * k],
            bias: vec![0.0; k],
            labels,
            index,
        };
        let n = encoded.len().max(1) as f64;
        let mut scores = vec![0.0; k];
        // The weights are `scale * model.weights` while training, so the once-a-pass L2
        // shrink is one multiplication rather than one per weight.
        let mut scale = 1.0;
        let mut step = vec![0.0; k];
        for epoch in 0..training.epochs {
            let rate = training.rate / (1.0 + epoch as f64 / 4.0);
            for (feats, label) in &encoded {
                model.scores_into(feats, scale, &mut scores);
                softmax(&mut scores);
                for (j, p) in scores.iter().enumerate() {
                    let g = p - f64::from(u8::from(j == *label));
                    model.bias[j] -= rate * g;
                    step[j] = rate * g / scale;
                }
                for &f in feats {
                    for (w, s) in model.weights[f * k..(f + 1) * k].iter_mut().zip(&step) {
                        *w -= s;
                    }
                }
            }
            scale *= (1.0 - rate * training.l2 * n).max(1e-9);
        }
        for w in &mut model.weights {
            *w *= scale;
        }
        model
    }

    /// Each label's score: its bias plus `scale` times the weights of the features present.
    fn scores_into(&self, feats: &[usize], scale: f64, scores: &mut [f64]) {
        let k = self.labels.len();
        scores.fill(0.0);
        for &f in feats {
            for (s, w) in scores.iter_mut().zip(&self.weights[f * k..(f + 1) * k]) {
                *s += w;
            }
        }
        for (s, b) in scores.iter_mut().zip(&self.bias) {
            *s = *s * scale + b;
        }
    }

    /// The labels it knows, sorted.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The vocabulary's single words (no word pairs, no named features).
    pub fn words(&self) -> impl Iterator<Item = &String> {
        self.index
            .keys()
            .filter(|f| !f.contains(' ') && !f.contains(':'))
    }

    /// Probability of each label (same order as [`Self::labels`]); features never seen in
    /// training are ignored.
    pub fn posterior(&self, feats: &[String]) -> Vec<f64> {
        let mut known: Vec<usize> = feats
            .iter()
            .filter_map(|f| self.index.get(f).copied())
            .collect();
        known.sort_unstable();
        known.dedup();
        let mut scores = vec![0.0; self.labels.len()];
        self.scores_into(&known, 1.0, &mut scores);
        softmax(&mut scores);
        scores
    }

    /// How much a feature pushes towards one label against the others' average, used to
    /// say which words led to a decision.
    pub fn lift(&self, feature: &str, label: usize) -> f64 {
        let k = self.labels.len();
        let Some(&f) = self.index.get(feature) else {
            return 0.0;
        };
        let row = &self.weights[f * k..(f + 1) * k];
        let others: f64 = row
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != label)
            .map(|(_, w)| *w)
            .sum::<f64>()
            / (k.max(2) - 1) as f64;
        row.get(label).copied().unwrap_or(0.0) - others
    }
}

/// Turns scores into probabilities in place.
fn softmax(scores: &mut [f64]) {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for s in scores.iter_mut() {
        *s = (*s - max).exp();
        sum += *s;
    }
    for s in scores.iter_mut() {
        *s /= sum;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> Vec<String> {
        s.split(' ').map(String::from).collect()
    }

    #[test]
    fn learns_the_feature_that_decides_over_ones_that_merely_co_occur() {
        // "?" decides; "you" and "feel" occur in both classes.
        let lr = Logistic::train(
            [
                (f("what happened ?"), "q"),
                (f("how do you feel ?"), "q"),
                (f("do you feel low ?"), "q"),
                (f("you feel sad"), "r"),
                (f("you feel low"), "r"),
                (f("it hurt"), "r"),
            ],
            Training::default(),
        );
        let p = lr.posterior(&f("you feel angry ?"));
        assert_eq!(lr.labels()[if p[0] > p[1] { 0 } else { 1 }], "q", "{p:?}");
        let p = lr.posterior(&f("you feel angry"));
        assert!(p[1] > p[0], "{p:?}");
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(lr.lift("?", 0) > 0.0);
        assert_eq!(lr.lift("unseen", 0), 0.0);
    }

    #[test]
    fn training_is_deterministic() {
        let examples = || [(f("a b"), "x"), (f("b c"), "y"), (f("c d"), "x")];
        let a = Logistic::train(examples(), Training::default());
        let b = Logistic::train(examples(), Training::default());
        assert_eq!(a.weights, b.weights);
    }
}
