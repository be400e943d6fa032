//! The coder of therapist utterances: what a trainee typed, read as a MITI 4.2.1 behaviour
//! code, the nearest catalogue technique and the adaptations (direction, framing), with the
//! cue words that led there. Offline, deterministic and fast (well under a millisecond an
//! utterance), with nothing to download.
//!
//! Three kinds of evidence work together. The rules (`assets/utterances/coder.ron`) are cue
//! phrases in data, matched on normalised words (case, apostrophes and small typos do not
//! hide them). The shape features (`shape.rs`) say how the utterance opens and ends, whom
//! it is about, whether it hedges, contrasts or names two sides, and its length. The words
//! and word pairs come from the labelled corpus. A classifier trained at start on the
//! corpus's `train` lines weighs all three; the rules' cues are features of it, so a strong
//! cue counts without overruling what the corpus teaches ("have you tried ...?" ends in a
//! question mark but is advice).
//!
//! Six ways of combining them were measured by 5-fold cross-validation on the `train`
//! lines alone (see [`Combination`]; `coding::tests::report` prints the figures). Cohen's
//! kappa of the MITI code, on the 490 train lines: rules only 0.29, naive Bayes over words
//! 0.48, rules then naive Bayes 0.48, naive Bayes over words and cues 0.51, the same with
//! shape features 0.60, and logistic regression over words, cues and shape 0.65.
//! [`Combination::LogisticWithShape`] is kept: the shape features gave the largest gain
//! (they recur across utterances where word pairs mostly occur once), and the logistic
//! regression weighs features jointly where naive Bayes lets many weakly related words
//! outvote the one that decides. Its settings (10 passes, step 0.1, L2 0.001) were chosen
//! the same way; the figures were flat across a 3 x 3 x 3 grid around them. Dropping the
//! word pairs cost little (0.64), so they stay, for the phrases no cue names yet.
//!
//! The technique is a second classifier over the same features plus a MITI code, restricted
//! to the techniques that fit the code: those the catalogue files under it and those the
//! train lines label with it. It is weighed over the three likeliest codes, each technique's
//! probability under a code times that code's probability, so a reflection read as simple
//! by a hair can still be named the complex reflection it probably is; when the technique
//! fits only a runner-up code, that code becomes the reading, so code and technique always
//! agree. The technique stage also learns from each catalogue technique's `example`,
//! labelled with its technique and catalogue code: the rarest techniques have one to five
//! corpus lines, and the catalogue adds one more for each, in the catalogue's own words.
//!
//! These were chosen by 5-fold cross-validation on the 556 `train` lines
//! (`coding::tests::technique_options` prints every candidate and checks the kept one is the
//! best by technique accuracy plus MITI kappa). Technique accuracy / kappa: the coded code
//! alone 53.8% / 0.688; over two codes 54.5%, three 55.0%, all eleven 54.7%; with the
//! catalogue's examples for the technique stage, over one code 54.5%, three 55.8% / 0.689
//! (kept); with them for the code stage too, 54.5% / 0.694 over one code, 55.2% over three.
//! Measured and left out: technique cue phrases written from each technique's definition
//! (decisional balance's "pros and cons", grounding's "feet on the floor", ...), which did
//! not help (measured on the 490 train lines before the newest: technique 54.3% to 53.9%,
//! kappa 0.648 to 0.639; they rarely occur in the train lines, so the classifier gives them
//! little weight), and the technique cues read by the technique stage only (kappa 0.639 to
//! 0.628).
//!
//! Directiveness and framing come from the rules, with the MITI code's usual adaptation
//! when no cue speaks.

mod bayes;
mod corpus;
mod evaluate;
mod logistic;
mod normalise;
mod rules;
mod shape;
mod words_check;

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

pub use corpus::{CorpusError, Labelled, MITI_CODES, Split, miti_index, miti_name, parse_corpus};
pub use evaluate::{CodeFigures, Report, cohen_kappa, cross_validate, evaluate};
pub use normalise::{Speller, Token, tokenise};
pub use rules::{DEFAULT_RULES_TEXT, Hit, Rules, Target};
pub use words_check::{
    MISMATCH_CONFIDENCE, WordsMode, confirmed_as_coded, mismatch, miti_definition, read_words,
    reading, shared_coder, shared_coder_id,
};

use crate::model::{Catalogue, MitiCode};
use crate::scenario::{Directiveness, Framing};
use bayes::{NaiveBayes, argmax, features};
use logistic::{Logistic, Training};
use shape::shape_features;

/// The labelled corpus compiled in (`docs/utterance-corpus.md`).
pub const BUILTIN_CORPUS_TEXT: &str = include_str!("../../../../assets/utterances/corpus.tsv");

/// How the rules and the classifier are combined into the MITI code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Combination {
    /// The code with the most cue weight; `Other` when no cue fires.
    RulesOnly,
    /// Naive Bayes over words alone.
    ClassifierOnly,
    /// The rules when a strong cue clearly leads, else naive Bayes over words.
    RulesThenClassifier,
    /// Naive Bayes over words plus the rules' cues as features.
    ClassifierWithCues,
    /// Naive Bayes over words, the rules' cues and the utterance's shape (how it opens
    /// and ends, whom it is about, its length).
    BayesWithShape,
    /// Logistic regression over words, the rules' cues and the utterance's shape.
    LogisticWithShape,
}

impl Combination {
    /// Every combination, for measuring them side by side.
    pub const ALL: [Combination; 6] = [
        Combination::RulesOnly,
        Combination::ClassifierOnly,
        Combination::RulesThenClassifier,
        Combination::ClassifierWithCues,
        Combination::BayesWithShape,
        Combination::LogisticWithShape,
    ];

    /// The classifier's features for an utterance's words, cue features and tokens.
    fn features(self, words: &[String], cues: &[String], tokens: &[Token]) -> Vec<String> {
        match self {
            Combination::RulesOnly
            | Combination::ClassifierOnly
            | Combination::RulesThenClassifier => features(words, &[]),
            Combination::ClassifierWithCues => features(words, cues),
            Combination::BayesWithShape | Combination::LogisticWithShape => {
                let mut extra = cues.to_vec();
                extra.extend(shape_features(tokens));
                features(words, &extra)
            }
        }
    }

    /// The technique stage's features, from the code stage's: with the shape combinations
    /// the same plus the MITI code (the labelled one in training, the coded one after),
    /// else words and cues.
    fn technique_features(
        self,
        code_features: Vec<String>,
        words: &[String],
        cues: &[String],
        miti: MitiCode,
    ) -> Vec<String> {
        match self {
            Combination::BayesWithShape | Combination::LogisticWithShape => {
                let mut out = code_features;
                out.push(format!("coded:{}", miti_name(miti)));
                out
            }
            _ => features(words, cues),
        }
    }
}

/// A trained classifier of either kind, behind one interface.
#[derive(Clone, Debug)]
enum Classifier {
    Bayes(NaiveBayes),
    Logistic(Logistic),
}

impl Classifier {
    fn train(
        combination: Combination,
        examples: Vec<(Vec<String>, &str)>,
        training: Training,
    ) -> Classifier {
        match combination {
            Combination::LogisticWithShape => {
                Classifier::Logistic(Logistic::train(examples, training))
            }
            _ => Classifier::Bayes(NaiveBayes::train(examples)),
        }
    }

    fn labels(&self) -> &[String] {
        match self {
            Classifier::Bayes(m) => m.labels(),
            Classifier::Logistic(m) => m.labels(),
        }
    }

    fn posterior(&self, feats: &[String]) -> Vec<f64> {
        match self {
            Classifier::Bayes(m) => m.posterior(feats),
            Classifier::Logistic(m) => m.posterior(feats),
        }
    }

    fn lift(&self, feature: &str, label: usize) -> f64 {
        match self {
            Classifier::Bayes(m) => m.lift(feature, label),
            Classifier::Logistic(m) => m.lift(feature, label),
        }
    }

    /// How much a word must favour the code to be shown as one that led there: naive
    /// Bayes's log-likelihood ratio is in nats, the logistic regression's weights are
    /// smaller (any positive push, as the weights are learnt jointly).
    fn leaning_threshold(&self) -> f64 {
        match self {
            Classifier::Bayes(_) => 1.0,
            Classifier::Logistic(_) => 0.05,
        }
    }

    fn words(&self) -> Vec<String> {
        match self {
            Classifier::Bayes(m) => m.words().cloned().collect(),
            Classifier::Logistic(m) => m.words().cloned().collect(),
        }
    }
}

/// How the logistic regression of the MITI code is trained (chosen by cross-validation on
/// the `train` lines).
const MITI_TRAINING: Training = Training {
    epochs: 10,
    rate: 0.1,
    l2: 1e-3,
};

/// How the logistic regression of the technique is trained.
const TECHNIQUE_TRAINING: Training = Training {
    epochs: 10,
    rate: 0.1,
    l2: 1e-3,
};

/// Where the technique stage's extra labelled examples come from, beside the corpus's
/// `train` lines (measured by cross-validation on them; see the module doc).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtraExamples {
    /// The corpus's lines only.
    None,
    /// Each catalogue technique's example, labelled with the technique and its catalogue
    /// code, for the technique stage.
    CatalogueForTechnique,
    /// The same, for both the code stage and the technique stage.
    CatalogueForBoth,
}

/// How the technique stage is trained and read (chosen by cross-validation on `train`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TechniqueOptions {
    /// Extra labelled examples.
    pub extra: ExtraExamples,
    /// How many of the likeliest MITI codes each technique is weighed over, each by its
    /// probability (1: the coded code alone).
    pub codes: usize,
}

/// The technique options the coder uses.
pub const TECHNIQUE_OPTIONS: TechniqueOptions = TechniqueOptions {
    extra: ExtraExamples::CatalogueForTechnique,
    codes: 3,
};

/// The combination the coder uses unless told otherwise (the best on held-out folds).
pub const CHOSEN: Combination = Combination::LogisticWithShape;

/// What the coder reads in an utterance.
#[derive(Clone, Debug, PartialEq)]
pub struct Coding {
    pub miti: MitiCode,
    /// The nearest catalogue technique's id.
    pub technique: String,
    pub directiveness: Directiveness,
    pub framing: Framing,
    /// 0..1: the classifier's probability of the code (the rules' share of cue weight under
    /// [`Combination::RulesOnly`]).
    pub confidence: f32,
    /// Byte ranges in the original text that led to the coding, each with why.
    pub cues: Vec<(Range<usize>, String)>,
    /// One line for the trainee: "reads as a complex reflection (82%): ...".
    pub why: String,
}

/// A trained coder.
#[derive(Clone, Debug)]
pub struct Coder {
    rules: Rules,
    miti: Classifier,
    technique: Classifier,
    /// The (code, technique) pairs that fit together: each technique under its catalogue
    /// code, and every pair the training lines label (permission then advice is persuading
    /// with permission, though the catalogue files `information_with_permission` under
    /// seeking collaboration), so the technique stays coherent with the code.
    fitting: HashSet<(MitiCode, String)>,
    combination: Combination,
    /// How many of the likeliest codes the technique is weighed over.
    codes: usize,
}

/// How a MITI code reads in a sentence: "a complex reflection".
pub fn miti_phrase(code: MitiCode) -> &'static str {
    match code {
        MitiCode::Question => "a question",
        MitiCode::SimpleReflection => "a simple reflection",
        MitiCode::ComplexReflection => "a complex reflection",
        MitiCode::Affirmation => "an affirmation",
        MitiCode::SeekingCollaboration => "seeking collaboration",
        MitiCode::EmphasizingAutonomy => "emphasising autonomy",
        MitiCode::GivingInformation => "giving information",
        MitiCode::Persuade => "persuading",
        MitiCode::PersuadeWithPermission => "persuading with permission",
        MitiCode::Confront => "confronting",
        MitiCode::Other => "none of the MITI behaviours",
    }
}

/// Words too common to explain a coding to a trainee ("the", "of"), left out of the
/// words shown as having led there (the classifier still reads them).
const FUNCTION_WORDS: [&str; 24] = [
    "a", "an", "the", "of", "to", "in", "on", "at", "for", "and", "or", "it", "its", "is", "be",
    "that", "this", "with", "as", "by", "from", "was", "are", "if",
];

/// The feature name a cue hit adds to the classifier.
fn cue_feature(target: &Target) -> String {
    match target {
        Target::Miti(c) => format!("cue:miti:{}", miti_name(*c)),
        Target::Technique(t) => format!("cue:technique:{t}"),
        Target::Direction(d) => format!("cue:direction:{d:?}"),
        Target::Framing(f) => format!("cue:framing:{f:?}"),
    }
}

/// The cue features of an utterance: each hit's feature, repeated by its weight (rounded),
/// so a decisive cue counts for more than a hint.
fn cue_features(hits: &[Hit]) -> Vec<String> {
    let mut out = Vec::new();
    for h in hits {
        let f = cue_feature(&h.target);
        for _ in 0..(h.weight.round().max(1.0) as usize) {
            out.push(f.clone());
        }
    }
    out
}

fn miti_from_name(name: &str) -> MitiCode {
    MITI_CODES
        .iter()
        .find(|(_, n)| *n == name)
        .map_or(MitiCode::Other, |(c, _)| *c)
}

impl Coder {
    /// Trains a coder on a corpus's `train` lines with the built-in rules.
    pub fn from_corpus(text: &str) -> Result<Coder, CorpusError> {
        let rows = parse_corpus(text)?;
        let rules =
            Rules::parse(DEFAULT_RULES_TEXT).map_err(|message| CorpusError { line: 0, message })?;
        let train: Vec<&Labelled> = rows.iter().filter(|r| r.split == Split::Train).collect();
        Ok(Coder::train(rules, &train, CHOSEN))
    }

    /// The coder trained on the corpus compiled in.
    pub fn builtin() -> Coder {
        Coder::from_corpus(BUILTIN_CORPUS_TEXT).expect("the built-in utterance corpus parses")
    }

    /// Trains on the given lines (all of them, whatever their split) with these rules.
    pub fn train(rules: Rules, lines: &[&Labelled], combination: Combination) -> Coder {
        Coder::train_tuned(
            rules,
            lines,
            combination,
            [MITI_TRAINING, TECHNIQUE_TRAINING],
            TECHNIQUE_OPTIONS,
        )
    }

    /// Trains with the given logistic regression settings for the code and the technique
    /// (for choosing them by cross-validation).
    fn train_tuned(
        rules: Rules,
        lines: &[&Labelled],
        combination: Combination,
        [miti_training, technique_training]: [Training; 2],
        options: TechniqueOptions,
    ) -> Coder {
        let catalogue = Catalogue::builtin();
        let mut miti_examples = Vec::new();
        let mut technique_examples = Vec::new();
        let extra: Vec<(&str, MitiCode, &str)> = match options.extra {
            ExtraExamples::None => Vec::new(),
            ExtraExamples::CatalogueForTechnique | ExtraExamples::CatalogueForBoth => catalogue
                .techniques
                .iter()
                .map(|t| (t.example.as_str(), t.miti, t.id.as_str()))
                .collect(),
        };
        let corpus = lines
            .iter()
            .map(|l| (l.text.as_str(), l.miti, l.technique.as_str(), true));
        let extra_both = options.extra == ExtraExamples::CatalogueForBoth;
        let all = corpus.chain(extra.iter().map(|&(t, m, id)| (t, m, id, extra_both)));
        for (text, code, technique, for_code) in all {
            let tokens = rules.speller.normalise(text);
            let hits = rules.find(&tokens);
            let words: Vec<String> = tokens.iter().map(|t| t.word.clone()).collect();
            let cues = cue_features(&hits);
            let code_features = combination.features(&words, &cues, &tokens);
            technique_examples.push((
                combination.technique_features(code_features.clone(), &words, &cues, code),
                technique,
            ));
            if for_code {
                miti_examples.push((code_features, miti_name(code)));
            }
        }
        let miti = Classifier::train(combination, miti_examples, miti_training);
        let technique = Classifier::train(combination, technique_examples, technique_training);
        let mut rules = rules;
        rules.speller.know(miti.words());
        let mut fitting: HashSet<(MitiCode, String)> = catalogue
            .techniques
            .iter()
            .map(|t| (t.miti, t.id.clone()))
            .collect();
        fitting.extend(lines.iter().map(|l| (l.miti, l.technique.clone())));
        Coder {
            rules,
            miti,
            technique,
            fitting,
            combination,
            codes: options.codes,
        }
    }

    /// How this coder combines rules and classifier.
    pub fn combination(&self) -> Combination {
        self.combination
    }

    /// Codes one utterance.
    pub fn code(&self, utterance: &str) -> Coding {
        let tokens = self.rules.speller.normalise(utterance);
        let hits = self.rules.find(&tokens);
        let words: Vec<String> = tokens.iter().map(|t| t.word.clone()).collect();
        let cues = cue_features(&hits);

        // Cue weight per MITI code, for the rules.
        let mut weight: BTreeMap<usize, f32> = BTreeMap::new();
        for h in &hits {
            if let Target::Miti(c) = h.target {
                *weight.entry(miti_index(c)).or_default() += h.weight;
            }
        }
        let mut ranked: Vec<(usize, f32)> = weight.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let total: f32 = ranked.iter().map(|r| r.1).sum();
        let rules_pick = ranked
            .first()
            .map(|&(i, w)| (MITI_CODES[i].0, w / total.max(1e-6)));
        let rules_clear = match ranked.as_slice() {
            [(_, top), rest @ ..] => {
                *top >= 3.0 && rest.first().is_none_or(|(_, second)| top - second >= 1.0)
            }
            [] => false,
        };

        let miti_feats = self.combination.features(&words, &cues, &tokens);
        let post = self.miti.posterior(&miti_feats);
        let best = argmax(&post);
        let classifier_pick = (miti_from_name(&self.miti.labels()[best]), post[best] as f32);
        let from_rules = match self.combination {
            Combination::RulesOnly => true,
            Combination::RulesThenClassifier => rules_clear,
            _ => false,
        };
        let (miti, confidence) = if from_rules {
            rules_pick.unwrap_or((MitiCode::Other, 0.0))
        } else {
            classifier_pick
        };

        let mut candidates = vec![(miti, 1.0)];
        if self.codes > 1 && !from_rules {
            let mut ranked: Vec<usize> = (0..post.len()).collect();
            ranked.sort_by(|a, b| post[*b].total_cmp(&post[*a]).then(a.cmp(b)));
            candidates = ranked
                .into_iter()
                .take(self.codes)
                .map(|i| (miti_from_name(&self.miti.labels()[i]), post[i]))
                .collect();
        }
        let (technique, technique_code) = self.technique_for(&candidates, |code| {
            self.combination
                .technique_features(miti_feats.clone(), &words, &cues, code)
        });
        // The code stays coherent with the technique: when the technique fits only a
        // runner-up code, that code is the reading (and its probability the confidence).
        let (miti, confidence) = match candidates.iter().find(|(c, _)| *c == technique_code) {
            Some(&(code, p))
                if code != miti && !self.fitting.contains(&(miti, technique.clone())) =>
            {
                (code, p as f32)
            }
            _ => (miti, confidence),
        };
        // A reflection, a question or an affirmation tells the client nothing to do, so it is
        // never prescribed, whatever words it carries ("you're here because you have to be").
        let tells = matches!(
            miti,
            MitiCode::Persuade | MitiCode::Confront | MitiCode::GivingInformation | MitiCode::Other
        );
        let directiveness = pick(&hits, |t| match t {
            Target::Direction(Directiveness::Prescribe) if !tells => None,
            Target::Direction(d) => Some(*d),
            _ => None,
        })
        .unwrap_or(match miti {
            MitiCode::Persuade | MitiCode::Confront => Directiveness::Prescribe,
            MitiCode::PersuadeWithPermission => Directiveness::AskPermission,
            _ => Directiveness::AsIs,
        });
        let framing = pick(&hits, |t| match t {
            Target::Framing(f) => Some(*f),
            _ => None,
        })
        .unwrap_or(match miti {
            MitiCode::SeekingCollaboration => Framing::Collaborative,
            _ => Framing::AsIs,
        });

        // The cues that agree with the coding, then the words the classifier leaned on.
        let mut found: Vec<(Range<usize>, String)> = hits
            .iter()
            .filter(|h| match &h.target {
                Target::Miti(c) => *c == miti,
                Target::Technique(t) => *t == technique,
                Target::Direction(d) => *d == directiveness,
                Target::Framing(f) => *f == framing,
            })
            .map(|h| (h.span.clone(), h.reason.clone()))
            .collect();
        if !from_rules {
            let label = self
                .miti
                .labels()
                .iter()
                .position(|l| l == miti_name(miti))
                .unwrap_or(best);
            let mut leaning: Vec<(f64, &Token)> = tokens
                .iter()
                .filter(|t| !FUNCTION_WORDS.contains(&t.word.as_str()))
                .filter(|t| {
                    !found
                        .iter()
                        .any(|(r, _)| r.start <= t.span.start && t.span.end <= r.end)
                })
                .map(|t| (self.miti.lift(&t.word, label), t))
                .filter(|(l, _)| *l > self.miti.leaning_threshold())
                .collect();
            leaning.sort_by(|a, b| {
                b.0.total_cmp(&a.0)
                    .then(a.1.span.start.cmp(&b.1.span.start))
            });
            for (_, t) in leaning.into_iter().take(2) {
                found.push((
                    t.span.clone(),
                    format!(
                        "\"{}\": often in {} in the corpus",
                        &utterance[t.span.clone()],
                        miti_phrase(miti)
                    ),
                ));
            }
        }
        found.sort_by(|a, b| a.0.start.cmp(&b.0.start).then(a.0.end.cmp(&b.0.end)));
        // One entry per range, its reasons joined.
        let mut merged: Vec<(Range<usize>, String)> = Vec::with_capacity(found.len());
        for (range, why) in found {
            match merged.last_mut() {
                Some((r, w)) if *r == range => {
                    w.push_str("; ");
                    w.push_str(&why);
                }
                _ => merged.push((range, why)),
            }
        }
        let found = merged;

        let reasons: Vec<&str> = found.iter().map(|(_, why)| why.as_str()).collect();
        let why = format!(
            "reads as {}; technique {}; {}; {}{}",
            reading(miti, confidence),
            technique,
            directiveness.label(),
            framing.label(),
            if reasons.is_empty() {
                String::new()
            } else {
                format!(". Cues: {}", reasons.join("; "))
            }
        );
        Coding {
            miti,
            technique,
            directiveness,
            framing,
            confidence,
            cues: found,
            why,
        }
    }

    /// The most likely technique among those that fit the candidate codes, each technique's
    /// probability under a code weighed by that code's probability (one candidate: the coded
    /// code alone); among all techniques when none fits.
    fn technique_for(
        &self,
        candidates: &[(MitiCode, f64)],
        features_for: impl Fn(MitiCode) -> Vec<String>,
    ) -> (String, MitiCode) {
        let labels = self.technique.labels();
        let first = candidates.first().map_or(MitiCode::Other, |c| c.0);
        // Per technique: its weighed probability, and the code that gave it the most.
        let mut score = vec![(0.0, first, 0.0); labels.len()];
        let mut fallback = vec![0.0; labels.len()];
        let mut any_fits = false;
        for &(code, weight) in candidates {
            let post = self.technique.posterior(&features_for(code));
            for (i, p) in post.iter().enumerate() {
                fallback[i] += weight * p;
                if self.fitting.contains(&(code, labels[i].clone())) {
                    let part = weight * p;
                    let entry = &mut score[i];
                    entry.0 += part;
                    if part > entry.2 {
                        entry.1 = code;
                        entry.2 = part;
                    }
                    any_fits = true;
                }
            }
        }
        let (best, code) = if any_fits {
            let totals: Vec<f64> = score.iter().map(|s| s.0).collect();
            let best = argmax(&totals);
            (best, score[best].1)
        } else {
            (argmax(&fallback), first)
        };
        (labels.get(best).cloned().unwrap_or_default(), code)
    }
}

/// The target with the most cue weight among those `select` accepts (first on a tie).
fn pick<T: Copy + PartialEq>(hits: &[Hit], select: impl Fn(&Target) -> Option<T>) -> Option<T> {
    let mut totals: Vec<(T, f32)> = Vec::new();
    for h in hits {
        if let Some(t) = select(&h.target) {
            match totals.iter_mut().find(|(x, _)| *x == t) {
                Some(entry) => entry.1 += h.weight,
                None => totals.push((t, h.weight)),
            }
        }
    }
    let mut best: Option<(T, f32)> = None;
    for (t, w) in totals {
        if best.is_none_or(|(_, bw)| w > bw) {
            best = Some((t, w));
        }
    }
    best.map(|(t, _)| t)
}

#[cfg(test)]
mod tests;
