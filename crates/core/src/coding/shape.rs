//! Hand-made features of an utterance's shape, added to its words: how it opens and ends,
//! whether it is about the client ("you ...") or the therapist ("I ..."), whether it asks,
//! hedges, contrasts or instructs, and how long it is. On a corpus of a few hundred lines
//! these generalise better than word pairs, which mostly occur once.

use super::normalise::Token;

/// Words that open a question when they start a sentence.
const WH_WORDS: [&str; 8] = [
    "what", "how", "why", "when", "where", "who", "which", "whats",
];

/// Auxiliaries that open a yes/no question when they start a sentence.
const AUXILIARIES: [&str; 20] = [
    "do", "did", "does", "are", "is", "was", "were", "have", "has", "had", "can", "could", "would",
    "will", "should", "shall", "may", "might", "arent", "dont",
];

/// Words by which an utterance is about the client.
const YOU_WORDS: [&str; 8] = [
    "you", "youre", "youve", "youd", "youll", "your", "yourself", "ya",
];

/// Words that carry a feeling (what a complex reflection often adds).
const FEELING_WORDS: [&str; 24] = [
    "feel",
    "feeling",
    "feels",
    "felt",
    "scared",
    "afraid",
    "angry",
    "sad",
    "hurt",
    "lonely",
    "ashamed",
    "guilty",
    "frustrated",
    "worried",
    "anxious",
    "exhausted",
    "trapped",
    "stuck",
    "torn",
    "relieved",
    "hopeless",
    "overwhelmed",
    "frightened",
    "upset",
];

/// Words of effort or strength (what an affirmation names about the client).
const STRENGTH_WORDS: [&str; 16] = [
    "courage",
    "brave",
    "strength",
    "strong",
    "hard",
    "effort",
    "determined",
    "commitment",
    "honest",
    "honesty",
    "persistence",
    "managed",
    "care",
    "cared",
    "proud",
    "resourceful",
];

/// The shape features of an utterance's normalised tokens.
pub fn shape_features(tokens: &[Token]) -> Vec<String> {
    let words: Vec<&str> = tokens
        .iter()
        .filter(|t| t.word != "?")
        .map(|t| t.word.as_str())
        .collect();
    let mut out = Vec::new();
    let Some(first) = words.first() else {
        out.push("shape:empty".to_string());
        return out;
    };
    out.push(format!("shape:first:{first}"));
    if let Some(second) = words.get(1) {
        out.push(format!("shape:first2:{first} {second}"));
    }
    if let Some(last) = words.last() {
        out.push(format!("shape:last:{last}"));
    }
    let asks = tokens.last().is_some_and(|t| t.word == "?");
    let has_question_mark = tokens.iter().any(|t| t.word == "?");
    if asks {
        out.push("shape:ends-with-question-mark".into());
    } else if has_question_mark {
        out.push("shape:question-mark-inside".into());
    } else {
        out.push("shape:statement".into());
    }
    let opens = |set: &[&str]| {
        tokens
            .iter()
            .any(|t| t.sentence_start && set.contains(&t.word.as_str()))
    };
    if opens(&WH_WORDS) {
        out.push("shape:opens-with-wh-word".into());
    }
    if opens(&AUXILIARIES) {
        out.push("shape:opens-with-auxiliary".into());
    }
    if YOU_WORDS.contains(first) {
        out.push("shape:opens-with-you".into());
    }
    let count = |set: &[&str]| words.iter().filter(|w| set.contains(w)).count();
    let you = count(&YOU_WORDS);
    let me = count(&["i", "im", "ive", "id", "me", "my"]);
    out.push(
        match (you > 0, me > 0) {
            (true, false) => "shape:about-the-client",
            (false, true) => "shape:about-the-therapist",
            (true, true) => "shape:about-both",
            (false, false) => "shape:about-neither",
        }
        .into(),
    );
    let has = |w: &str| words.contains(&w);
    let pair = |a: &str, b: &str| words.windows(2).any(|p| p[0] == a && p[1] == b);
    if pair("i", "wonder") || pair("im", "wondering") {
        out.push("shape:i-wonder".into());
    }
    if pair("i", "think") || pair("i", "reckon") || pair("i", "guess") {
        out.push("shape:i-think".into());
    }
    if has("but") || has("though") || has("yet") {
        out.push("shape:contrast".into());
    }
    if pair("part", "of") || pair("one", "hand") || pair("other", "hand") {
        out.push("shape:two-sides".into());
    }
    if has("we") || has("us") || has("lets") || has("together") {
        out.push("shape:joint".into());
    }
    if has("dont") || has("not") || has("never") || has("cant") || has("wont") {
        out.push("shape:negation".into());
    }
    if count(&FEELING_WORDS) > 0 {
        out.push("shape:feeling-word".into());
    }
    if you > 0 && count(&STRENGTH_WORDS) > 0 {
        out.push("shape:client-strength".into());
    }
    if has("maybe") || has("might") || has("perhaps") || has("could") {
        out.push("shape:hedge".into());
    }
    if has("try") || has("trying") || has("tried") {
        out.push("shape:try".into());
    }
    let sentences = tokens.iter().filter(|t| t.sentence_start).count();
    if sentences > 1 {
        out.push("shape:several-sentences".into());
    }
    out.push(
        match words.len() {
            0..=3 => "shape:length:1-3",
            4..=8 => "shape:length:4-8",
            9..=15 => "shape:length:9-15",
            _ => "shape:length:16+",
        }
        .into(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::super::normalise::tokenise;
    use super::*;

    fn has(text: &str, feature: &str) -> bool {
        shape_features(&tokenise(text)).iter().any(|f| f == feature)
    }

    #[test]
    fn reads_how_an_utterance_opens_ends_and_whom_it_is_about() {
        assert!(has("What happened then?", "shape:opens-with-wh-word"));
        assert!(has("What happened then?", "shape:ends-with-question-mark"));
        assert!(has("Did you go?", "shape:opens-with-auxiliary"));
        assert!(has("You're torn.", "shape:statement"));
        assert!(has("You're torn.", "shape:about-the-client"));
        assert!(!has("You're torn.", "shape:opens-with-wh-word"));
        assert!(has("I wonder if you're tired", "shape:i-wonder"));
        assert!(has("It took courage, you did it", "shape:client-strength"));
        assert!(has("Part of you wants out", "shape:two-sides"));
        assert!(has("Hi.", "shape:length:1-3"));
        assert!(has("Hi. Come in.", "shape:several-sentences"));
        assert!(has("", "shape:empty"));
    }
}
