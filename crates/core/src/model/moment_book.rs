//! The moment book: for each moment, what it calls for, what it rules out, how long it
//! stays open and the words the feedback uses, each with its source. Read from
//! `assets/moments.ron`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use super::{MomentKind, Template, Verdict};
use crate::model::{Condition, Facts, Technique};

pub const DEFAULT_MOMENTS_TEXT: &str = include_str!("../../../../assets/moments.ron");

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MomentBook {
    pub moments: BTreeMap<MomentKind, MomentRule>,
    /// Moves that are themselves answers to a marker (two-chair work to a split,
    /// metacommunication to a strain): offered with none of their markers open, they answer
    /// nothing the client did.
    pub marker_moves: BTreeMap<String, MarkerMove>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MomentRule {
    /// Lower-case words for the moment: "change talk".
    pub label: Arc<str>,
    pub principle: Arc<str>,
    pub source: Arc<str>,
    /// What the transcript and the session screen say the client did: "{name} voiced
    /// change talk".
    pub noticed: Template,
    /// Advice for this moment, as the consult panel gives it: "Reflect the change talk".
    pub advice: Template,
    /// Moves that answer the moment, each with how well (1 the ideal, less an acceptable
    /// answer). The best matching one counts.
    pub calls_for: Vec<Call>,
    /// Moves the moment rules out; such a move cannot reach the pass mark.
    #[serde(default)]
    pub rules_out: Vec<Condition>,
    /// Everything not called for is ruled out (a risk cue: safety first).
    #[serde(default)]
    pub rules_out_everything_else: bool,
    /// The responsiveness term of a move neither called for nor ruled out.
    #[serde(default = "default_otherwise")]
    pub otherwise: f32,
    /// A cap on a move that passes the moment by, where carrying on as if nothing happened
    /// is itself a misstep (an open rupture).
    #[serde(default)]
    pub passed_over_cap: Option<f32>,
    /// Feedback for each verdict. Placeholders: {name} {they} {them} {their} {technique}.
    pub answered: Template,
    pub passed_over: Template,
    pub overridden: Template,
    /// How many moves the moment stays open for if not answered.
    #[serde(default = "default_lasts")]
    pub lasts: u32,
    /// Whether one answering move closes the moment.
    #[serde(default = "yes")]
    pub closes_when_answered: bool,
    /// The moment also closes once this holds after a move (engagement: a bond formed).
    #[serde(default)]
    pub closes_when: Option<Condition>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Call {
    pub when: Condition,
    #[serde(default = "one")]
    pub value: f32,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarkerMove {
    /// The moments this move answers.
    pub markers: Vec<MomentKind>,
    /// A client flag that keeps the marker on record after its moment has passed (the
    /// catalogue's own prerequisite for the move names the same flag).
    #[serde(default)]
    pub flag: Option<String>,
    /// Its responsiveness term when none of them is open.
    pub value: f32,
    /// The cap on its fit when none of them is open: a response to nothing the client did
    /// does not reach the pass mark.
    pub cap: f32,
    /// Feedback: "{technique} with no ...".
    pub unprompted: Template,
    /// The session's last moves prompt it with no marker (asking for feedback on the
    /// session at its end); 0 means never.
    #[serde(default)]
    pub prompted_in_last_turns: u32,
    pub source: Arc<str>,
}

fn default_otherwise() -> f32 {
    -0.3
}
fn default_lasts() -> u32 {
    2
}
fn yes() -> bool {
    true
}
fn one() -> f32 {
    1.0
}

/// How a move met a moment.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Judgement {
    pub kind: MomentKind,
    pub verdict: Verdict,
    /// The responsiveness term, -1..1.
    pub value: f32,
}

impl MomentBook {
    pub fn parse(text: &str) -> Result<MomentBook, String> {
        let book: MomentBook = crate::source::ron_options()
            .from_str(text)
            .map_err(|e| format!("{}:{}: {}", e.span.start.line, e.span.start.col, e.code))?;
        for kind in MomentKind::ALL {
            if !book.moments.contains_key(&kind) {
                return Err(format!("the moment `{kind:?}` is missing"));
            }
        }
        Ok(book)
    }

    /// The book shipped in `assets/moments.ron`.
    pub fn builtin() -> &'static MomentBook {
        static BOOK: OnceLock<MomentBook> = OnceLock::new();
        BOOK.get_or_init(|| {
            MomentBook::parse(DEFAULT_MOMENTS_TEXT)
                .expect("assets/moments.ron is checked by the test suite")
        })
    }

    pub fn rule(&self, kind: MomentKind) -> &MomentRule {
        &self.moments[&kind]
    }

    /// How the move in `facts` (technique `technique` of `index`'s list) meets the open
    /// moment. A move the moment rules out is overridden even if it also resembles an answer
    /// (pressing on with a reflection-shaped directive is still pressing on).
    pub fn judge(
        &self,
        kind: MomentKind,
        facts: &Facts,
        index: &BookIndex,
        technique: usize,
    ) -> Judgement {
        let rule = self.rule(kind);
        let mask = index.masks[technique * MomentKind::ALL.len() + kind as usize];
        let overridden = |value| Judgement {
            kind,
            verdict: Verdict::Overridden,
            value,
        };
        let ruled_out = rule
            .rules_out
            .iter()
            .enumerate()
            .any(|(i, c)| mask & (1 << i) != 0 && c.rest_holds(facts));
        if ruled_out {
            return overridden(-1.0);
        }
        let best = rule
            .calls_for
            .iter()
            .enumerate()
            .filter(|(i, c)| mask & (1 << (CALLS_FROM + i)) != 0 && c.when.rest_holds(facts))
            .map(|(_, c)| c.value)
            .max_by(f32::total_cmp);
        match best {
            Some(value) => Judgement {
                kind,
                verdict: Verdict::Answered,
                value,
            },
            None if rule.rules_out_everything_else => overridden(-1.0),
            None => Judgement {
                kind,
                verdict: Verdict::PassedOver,
                value: rule.otherwise,
            },
        }
    }

    /// The book looked up for a list of techniques, once per prepared scenario.
    pub fn index(&self, techniques: &[Technique]) -> Result<BookIndex, String> {
        for (kind, rule) in &self.moments {
            if rule.rules_out.len() > CALLS_FROM || rule.calls_for.len() > 64 - CALLS_FROM {
                return Err(format!(
                    "the moment `{kind:?}` has more than {CALLS_FROM} rulings or calls"
                ));
            }
        }
        let mut masks = Vec::with_capacity(techniques.len() * MomentKind::ALL.len());
        for t in techniques {
            for kind in MomentKind::ALL {
                let rule = self.rule(kind);
                let ruled = rule
                    .rules_out
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.identity_holds(Some(t)))
                    .fold(0u64, |m, (i, _)| m | 1 << i);
                let called = rule
                    .calls_for
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.when.identity_holds(Some(t)))
                    .fold(0u64, |m, (i, _)| m | 1 << (CALLS_FROM + i));
                masks.push(ruled | called);
            }
        }
        Ok(BookIndex {
            masks,
            marker_moves: techniques
                .iter()
                .map(|t| self.marker_moves.get(&t.id).cloned())
                .collect(),
        })
    }
}

/// Where `calls_for` entries start in a `BookIndex` mask; `rules_out` entries take the bits
/// below.
const CALLS_FROM: usize = 32;

/// For each technique of a scenario: which of each moment's rulings and calls its identity
/// (id, schools, tags) satisfies, as bits, and the marker move it is, if any. A turn then
/// checks only the state part of each condition.
#[derive(Clone, Debug, Default)]
pub struct BookIndex {
    masks: Vec<u64>,
    marker_moves: Vec<Option<MarkerMove>>,
}

impl BookIndex {
    /// The technique as a marker move, if it is one.
    pub fn marker_move(&self, technique: usize) -> Option<&MarkerMove> {
        self.marker_moves[technique].as_ref()
    }
}

impl MarkerMove {
    /// None of its markers open now and none on record: a response to nothing the client
    /// did, with its (negative) responsiveness term and cap.
    pub fn unprompted(&self, open: Option<MomentKind>, state: &crate::model::ClientState) -> bool {
        open.is_none_or(|k| !self.markers.contains(&k))
            && self.flag.as_ref().is_none_or(|f| !state.has_flag(f))
    }
}
