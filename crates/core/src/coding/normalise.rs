//! Turns typed text into the words the coder reads, keeping each word's byte range in the
//! original so a cue can be highlighted where the trainee typed it. Lower case, apostrophes
//! folded away ("don't" and "dont" are one word), punctuation dropped except `?` (a question
//! is a cue), sentence starts marked, and typos mended by a map and by one edit to a cue word.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// One word of an utterance as the coder reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// The normalised word (`"?"` for a question mark).
    pub word: String,
    /// Where it is in the original text, in bytes.
    pub span: Range<usize>,
    /// Whether it opens a sentence (first word, or first after `.`, `!`, `?`, `;`, `:`).
    pub sentence_start: bool,
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`')
}

/// Splits text into lower-case words with apostrophes folded, plus `?` tokens.
pub fn tokenise(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut current: Option<(String, usize)> = None;
    let mut at_start = true;
    let flush = |current: &mut Option<(String, usize)>,
                 end: usize,
                 tokens: &mut Vec<Token>,
                 at_start: &mut bool| {
        if let Some((word, start)) = current.take()
            && !word.is_empty()
        {
            tokens.push(Token {
                word,
                span: start..end,
                sentence_start: *at_start,
            });
            *at_start = false;
        }
    };
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            let entry = current.get_or_insert_with(|| (String::new(), i));
            entry.0.extend(c.to_lowercase());
        } else if is_apostrophe(c) && current.is_some() {
            // Folded away, but the word goes on ("it's" reads as "its").
        } else {
            let end = i;
            // A trailing apostrophe would otherwise sit inside the span.
            flush(&mut current, end, &mut tokens, &mut at_start);
            if c == '?' {
                tokens.push(Token {
                    word: "?".into(),
                    span: i..i + 1,
                    sentence_start: false,
                });
            }
            if matches!(c, '.' | '!' | '?' | ';' | ':' | '\n') {
                at_start = true;
            }
        }
    }
    flush(&mut current, text.len(), &mut tokens, &mut at_start);
    // Trim spans that ended on a folded apostrophe ("dogs'").
    for t in &mut tokens {
        while t.span.end > t.span.start
            && text[..t.span.end]
                .chars()
                .next_back()
                .is_some_and(is_apostrophe)
        {
            let last = text[..t.span.end]
                .chars()
                .next_back()
                .map_or(1, char::len_utf8);
            t.span.end -= last;
        }
    }
    tokens
}

/// Mends typos: a fixed map of common misspellings, then, for a word the coder does not
/// know of five letters or more, the one cue word it is a single edit from.
#[derive(Clone, Debug, Default)]
pub struct Speller {
    typos: HashMap<String, String>,
    /// Cue words by length, for the one-edit search.
    cue_words: HashMap<usize, Vec<String>>,
    known: HashSet<String>,
}

impl Speller {
    /// A speller with the given typo map and the words cues are made of.
    pub fn new(
        typos: &HashMap<String, String>,
        cue_words: impl IntoIterator<Item = String>,
    ) -> Speller {
        let mut s = Speller {
            typos: typos.iter().map(|(k, v)| (fold(k), fold(v))).collect(),
            ..Speller::default()
        };
        for w in cue_words {
            if s.known.insert(w.clone()) {
                s.cue_words.entry(w.chars().count()).or_default().push(w);
            }
        }
        for list in s.cue_words.values_mut() {
            list.sort();
        }
        s
    }

    /// Adds words that are spelled right as they are (the classifier's vocabulary), so they
    /// are never "mended" into a cue word.
    pub fn know(&mut self, words: impl IntoIterator<Item = String>) {
        self.known.extend(words);
    }

    /// The word as the coder should read it.
    pub fn mend(&self, word: &str) -> String {
        if let Some(fixed) = self.typos.get(word) {
            return fixed.clone();
        }
        let n = word.chars().count();
        if n < 5 || self.known.contains(word) {
            return word.to_string();
        }
        let head: Vec<char> = word.chars().take(2).collect();
        for len in [n, n - 1, n + 1] {
            if let Some(list) = self.cue_words.get(&len)
                && let Some(hit) = list.iter().find(|c| {
                    may_be_one_edit(&head, c) && strsim::damerau_levenshtein(word, c) == 1
                })
            {
                return hit.clone();
            }
        }
        word.to_string()
    }

    /// Tokenises and mends every word.
    pub fn normalise(&self, text: &str) -> Vec<Token> {
        let mut tokens = tokenise(text);
        for t in &mut tokens {
            if t.word != "?" {
                t.word = self.mend(&t.word);
            }
        }
        tokens
    }
}

/// A quick test that a word whose first two letters are `head` could be one edit from
/// `candidate`: one edit leaves one of the first two letters in place or swaps or shifts
/// them, so at least one of them matches one of the candidate's first two. Saves the
/// full distance on almost every candidate.
fn may_be_one_edit(head: &[char], candidate: &str) -> bool {
    let mut c = candidate.chars();
    let (Some(c0), Some(c1)) = (c.next(), c.next()) else {
        return true;
    };
    head.iter().any(|h| *h == c0 || *h == c1)
}

/// Lower case with apostrophes folded: how cue phrases and typo-map keys are compared.
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !is_apostrophe(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_apostrophes_and_punctuation_but_keeps_question_marks() {
        let words: Vec<String> = tokenise("It's OK, isn\u{2019}t it? Don't worry!")
            .into_iter()
            .map(|t| t.word)
            .collect();
        assert_eq!(words, ["its", "ok", "isnt", "it", "?", "dont", "worry"]);
    }

    #[test]
    fn spans_point_at_the_original_words_and_sentence_starts_are_marked() {
        let text = "Well, you're here. So what now?";
        let toks = tokenise(text);
        assert_eq!(&text[toks[1].span.clone()], "you're");
        assert!(toks[0].sentence_start && !toks[1].sentence_start);
        let so = toks.iter().find(|t| t.word == "so").unwrap();
        assert!(so.sentence_start);
        assert_eq!(&text[so.span.clone()], "So");
    }

    #[test]
    fn typos_are_mended_by_map_and_by_one_edit_to_a_cue_word() {
        let typos = HashMap::from([("becuase".to_string(), "because".to_string())]);
        let mut s = Speller::new(
            &typos,
            [
                "should".to_string(),
                "sounds".to_string(),
                "permission".to_string(),
            ],
        );
        assert_eq!(s.mend("becuase"), "because");
        assert_eq!(s.mend("shoud"), "should");
        assert_eq!(s.mend("sonuds"), "sounds");
        assert_eq!(s.mend("permision"), "permission");
        // Short words and known words are left alone.
        assert_eq!(s.mend("shod"), "shod");
        s.know(["shouted".to_string()]);
        assert_eq!(s.mend("shouted"), "shouted");
        assert_eq!(s.mend("zzzzzz"), "zzzzzz");
    }
}
