//! Reading the class back from the learning record store: the statements it holds (xAPI
//! `GET statements`, page by page through `more` links), grouped by registration into
//! attempts, each replayed from the scenario library to cross-check what was stored. The
//! store, not the learner's machine, says who sent each statement (its `authority`), so an
//! attempt in someone else's name, a missing or repeated turn, a score that does not replay
//! and an attempt that never finished are flagged here, each in a sentence, never dropped
//! silently.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde_json::Value;

use super::config::{LrsConfig, http_origin};
use super::http::Client;
use super::statements::{ANONYMOUS, MASTERY_EXT, iri_segment, score_of};
use crate::assessment::PackRef;
use crate::records::library::HashedLibrary;
use crate::records::result::{AttemptResult, Played, outcome_values};
use attune_core::model::Mode;
use attune_core::scenario::Choice;

/// What to ask the store for.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// Only statements from this time on (RFC 3339), as xAPI's `since`.
    pub since: Option<String>,
    /// Statements per page asked for; the store may send fewer.
    pub page_size: usize,
}

/// More pages than this is a store that keeps answering `more`: stop and say so.
const MAX_PAGES: usize = 100_000;

/// Every statement the store holds for the query, in the order it sent them.
pub fn fetch(cfg: &LrsConfig, query: &Query, timeout: Duration) -> Result<Vec<Value>, String> {
    let client = Client::new(cfg, timeout);
    let mut url = format!("{}?limit={}", cfg.statements_url(), query.page_size.max(1));
    if let Some(since) = &query.since {
        url.push_str(&format!("&since={}", iri_segment(since)));
    }
    let origin = http_origin(&cfg.endpoint)?;
    let mut statements = Vec::new();
    let mut seen_links = BTreeSet::new();
    for _ in 0..MAX_PAGES {
        let page = client.get_json(&url)?;
        let Some(list) = page["statements"].as_array() else {
            return Err(format!("{url}: the answer has no list of statements"));
        };
        let empty = list.is_empty();
        statements.extend(list.iter().cloned());
        let more = page["more"].as_str().unwrap_or("").trim();
        // An empty page or a link already followed ends the walk: a store that sends the
        // same `more` again would otherwise be read for ever.
        if more.is_empty() || empty || !seen_links.insert(more.to_string()) {
            return Ok(statements);
        }
        url = resolve(&origin, &cfg.statements_url(), more);
    }
    Err(format!(
        "the store at {} kept sending more pages after {MAX_PAGES}; nothing was reported",
        cfg.endpoint
    ))
}

/// A `more` link as a URL: absolute as it is, `/path` on the endpoint's origin, anything
/// else beside the Statement resource (xAPI calls it a relative IRL).
fn resolve(origin: &str, statements_url: &str, more: &str) -> String {
    if more.starts_with("http://") || more.starts_with("https://") {
        more.to_string()
    } else if more.starts_with('/') {
        format!("{origin}{more}")
    } else {
        let base = statements_url
            .rsplit_once('/')
            .map_or(statements_url, |(b, _)| b);
        format!("{base}/{more}")
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Something about one attempt the instructor should look at.
#[derive(Clone, Debug, PartialEq)]
pub struct Flag {
    /// The attempt's registration (its id in the records database).
    pub registration: String,
    /// Who the statements say played it.
    pub learner: String,
    /// The scenario's id, when the library knows its content hash.
    pub scenario: Option<String>,
    pub problems: Vec<String>,
    /// Whether the attempt is in the report all the same (with its replayed figures).
    pub counted: bool,
}

impl Flag {
    /// One sentence for the terminal and the report page.
    pub fn sentence(&self) -> String {
        format!(
            "attempt {} by {}{}: {}; {}",
            self.registration,
            self.learner,
            self.scenario
                .as_ref()
                .map_or(String::new(), |s| format!(" at {s}")),
            self.problems.join("; "),
            if self.counted {
                "counted with its replayed scores"
            } else {
                "not counted"
            }
        )
    }
}

/// The class as the store holds it.
#[derive(Debug, Default)]
pub struct ReadBack {
    /// Attempts that replay, with the figures the replay gives.
    pub attempts: Vec<AttemptResult>,
    pub flags: Vec<Flag>,
    /// Statements read from the store.
    pub statements: usize,
    /// Statements that are not Attune's under this activity base (left aside).
    pub others: usize,
}

/// One attempt's statements, by role.
#[derive(Default)]
struct Gathered<'a> {
    all: Vec<&'a Value>,
    initialized: Vec<&'a Value>,
    /// By turn number: every distinct statement stored for it.
    answered: BTreeMap<u64, Vec<&'a Value>>,
    completed: Vec<&'a Value>,
    outcome: Vec<&'a Value>,
    terminated: Vec<&'a Value>,
}

/// Groups the statements into attempts, checks each and replays those that can be.
pub fn attempts(statements: &[Value], cfg: &LrsConfig, library: &HashedLibrary) -> ReadBack {
    let ext = |name: &str| format!("{}/extensions/{name}", cfg.activity_base);
    let hash_key = ext("content-hash");
    let mut out = ReadBack {
        statements: statements.len(),
        ..ReadBack::default()
    };
    // The first copy of each id; a repeated id is the store's doing, counted per attempt.
    let mut first_of: BTreeMap<&str, usize> = BTreeMap::new();
    let mut repeats: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_registration: BTreeMap<&str, Gathered> = BTreeMap::new();
    for s in statements {
        let registration = s["context"]["registration"].as_str();
        let ours = s["context"]["extensions"].get(&hash_key).is_some();
        let (Some(registration), true) = (registration, ours) else {
            out.others += 1;
            continue;
        };
        let id = s["id"].as_str().unwrap_or("");
        if let Some(n) = first_of.get_mut(id) {
            *n += 1;
            *repeats.entry(registration).or_default() += 1;
            continue;
        }
        first_of.insert(id, 1);
        let g = by_registration.entry(registration).or_default();
        g.all.push(s);
        match verb_of(s) {
            "initialized" => g.initialized.push(s),
            "answered" => {
                let turn = s["object"]["id"]
                    .as_str()
                    .and_then(|o| o.rsplit_once("/turns/"))
                    .and_then(|(_, n)| n.parse::<u64>().ok())
                    .unwrap_or(0);
                g.answered.entry(turn).or_default().push(s);
            }
            "completed" => g.completed.push(s),
            "passed" | "failed" => g.outcome.push(s),
            "terminated" => g.terminated.push(s),
            _ => {}
        }
    }
    // Attempts in the order they began; two begun in the same second (timestamps are to the
    // second) in the order the store took them, so "latest" means the same as in the
    // learner's own records.
    let mut ordered: Vec<(&str, Gathered)> = by_registration.into_iter().collect();
    ordered.sort_by_key(|(_, g)| (started_of(g).to_string(), stored_of(g).to_string()));
    for (registration, g) in &ordered {
        let mut check = Check {
            g,
            cfg,
            ext: &ext,
            problems: Vec::new(),
            excluded: false,
        };
        if let Some(&n) = repeats.get(registration) {
            // The store's copy, not the learner's: noted, the attempt still counts.
            check.problems.push(format!(
                "the store holds {} of its statements",
                attune_core::words::count_with(n, "extra copy", "extra copies")
            ));
        }
        let learner = check.identity();
        let result = check.replay(library, learner.as_deref());
        let scenario = g
            .initialized
            .first()
            .and_then(|s| s["context"]["extensions"][&hash_key].as_str())
            .and_then(|hash| library.by_hash(hash))
            .map(|h| h.prepared.scenario.meta.id.clone());
        let counted = !check.excluded && result.is_some();
        if !check.problems.is_empty() {
            out.flags.push(Flag {
                registration: registration.to_string(),
                learner: learner.unwrap_or_else(|| ANONYMOUS.to_string()),
                scenario,
                problems: check.problems,
                counted,
            });
        }
        if let (true, Some(r)) = (counted, result) {
            out.attempts.push(r);
        }
    }
    assign_positions(&mut out.attempts);
    out
}

fn verb_of(s: &Value) -> &str {
    s["verb"]["id"]
        .as_str()
        .and_then(|v| v.strip_prefix("http://adlnet.gov/expapi/verbs/"))
        .unwrap_or("")
}

fn started_of<'a>(g: &Gathered<'a>) -> &'a str {
    g.initialized
        .first()
        .or(g.all.first())
        .and_then(|s| s["timestamp"].as_str())
        .unwrap_or("")
}

/// When the store took the attempt's first statement (its own clock, finer than a second).
fn stored_of<'a>(g: &Gathered<'a>) -> &'a str {
    g.initialized
        .first()
        .or(g.all.first())
        .and_then(|s| s["stored"].as_str())
        .unwrap_or("")
}

/// An agent's account as `name` (and its home page when it is not the learners').
fn account_of(agent: &Value) -> Option<(String, String)> {
    let a = &agent["account"];
    Some((
        a["homePage"].as_str()?.to_string(),
        a["name"].as_str()?.to_string(),
    ))
}

struct Check<'a, 'g> {
    g: &'a Gathered<'g>,
    cfg: &'a LrsConfig,
    ext: &'a dyn Fn(&str) -> String,
    problems: Vec<String>,
    /// A problem that keeps the attempt out of the report.
    excluded: bool,
}

impl Check<'_, '_> {
    fn exclude(&mut self, problem: String) {
        self.problems.push(problem);
        self.excluded = true;
    }

    fn shown(&self, account: &(String, String)) -> String {
        if account.0 == self.cfg.home_page {
            format!("`{}`", account.1)
        } else {
            format!("`{}` of {}", account.1, account.0)
        }
    }

    /// The learner the statements name; flags statements whose actor is not the account
    /// that sent them, and attempts that name more than one learner.
    fn identity(&mut self) -> Option<String> {
        let actors: BTreeSet<(String, String)> = self
            .g
            .all
            .iter()
            .filter_map(|s| account_of(&s["actor"]))
            .collect();
        if actors.len() > 1 {
            let names: Vec<String> = actors.iter().map(|a| self.shown(a)).collect();
            self.exclude(format!(
                "its statements name {} learners: {}",
                actors.len(),
                names.join(", ")
            ));
        }
        let actor = actors.iter().next().cloned();
        let mut senders: BTreeMap<String, usize> = BTreeMap::new();
        let mut unsigned = 0usize;
        for s in &self.g.all {
            match account_of(&s["authority"]) {
                Some(a) if Some(&a) == account_of(&s["actor"]).as_ref() => {}
                Some(a) => *senders.entry(self.shown(&a)).or_default() += 1,
                None => unsigned += 1,
            }
        }
        let as_whom = actor
            .as_ref()
            .map_or("nobody".to_string(), |a| self.shown(a));
        for (sender, n) in senders {
            self.exclude(format!(
                "{} in the name of {as_whom} {} sent with the account {sender}",
                attune_core::words::count_with(n, "statement", "statements"),
                if n == 1 { "was" } else { "were" }
            ));
        }
        if unsigned > 0 {
            self.exclude(format!(
                "the store recorded no account as the authority of {}",
                attune_core::words::count_with(unsigned, "statement", "statements")
            ));
        }
        actor.map(|(_, name)| name).filter(|n| n != ANONYMOUS)
    }

    /// Replays the attempt from its seed and choices and compares the stored scores; the
    /// attempt as a result when it can be replayed.
    fn replay(&mut self, library: &HashedLibrary, learner: Option<&str>) -> Option<AttemptResult> {
        let g = self.g;
        let (first, outcome) = match (g.initialized.as_slice(), g.outcome.as_slice()) {
            ([], _) => {
                self.exclude("the store has no initialized statement for it".into());
                return None;
            }
            ([_, _, ..], _) => {
                self.exclude(format!("it was initialized {} times", g.initialized.len()));
                return None;
            }
            (_, [_, _, ..]) => {
                self.exclude(format!(
                    "it has {} outcomes (passed or failed)",
                    g.outcome.len()
                ));
                return None;
            }
            ([_], []) => {
                let turns = attune_core::words::count_with(g.answered.len(), "turn", "turns");
                self.exclude(if g.terminated.is_empty() {
                    format!("it never finished: no passed or failed statement after {turns}")
                } else {
                    format!(
                        "it ended after {turns} without a result (no passed or failed statement)"
                    )
                });
                return None;
            }
            ([first], [outcome]) => (*first, *outcome),
        };
        // cmi5 has no completed statement for an attempt ended before its first turn.
        if g.completed.is_empty() && !g.answered.is_empty() {
            self.problems.push("it has no completed statement".into());
        }
        if g.terminated.is_empty() {
            self.problems.push("it has no terminated statement".into());
        }
        let ext = &first["context"]["extensions"];
        let hash = ext[(self.ext)("content-hash")].as_str().unwrap_or("");
        let Some(scenario) = library.by_hash(hash) else {
            self.exclude(format!(
                "no scenario with content hash {hash} is in the library, so it cannot be replayed"
            ));
            return None;
        };
        let Some(seed) = ext[(self.ext)("seed")].as_u64() else {
            self.exclude("its initialized statement has no seed".into());
            return None;
        };
        let mode: Mode =
            serde_json::from_value(ext[(self.ext)("mode")].clone()).unwrap_or_default();
        // Turns 1..N, each once, each with its choice.
        let mut choices: Vec<Choice> = Vec::new();
        let mut stored_fits = Vec::new();
        let last = g.answered.keys().next_back().copied().unwrap_or(0);
        for turn in 1..=last {
            match g.answered.get(&turn).map(Vec::as_slice) {
                None | Some([]) => {
                    self.exclude(format!("turn {turn} of {last} is missing"));
                    return None;
                }
                Some([_, _, ..]) => {
                    self.exclude(format!("turn {turn} is stored twice, under different ids"));
                    return None;
                }
                Some([s]) => {
                    let choice = s["result"]["extensions"][(self.ext)("choice")].clone();
                    match serde_json::from_value::<Choice>(choice) {
                        Ok(c) => choices.push(c),
                        Err(_) => {
                            self.exclude(format!("turn {turn} has no choice to replay"));
                            return None;
                        }
                    }
                    stored_fits.push(s["result"]["score"]["raw"].as_f64());
                }
            }
        }
        if g.answered.contains_key(&0) {
            self.exclude("an answered statement names no turn".into());
            return None;
        }
        let pack = self.pack(outcome, first);
        let replayed = crate::records::replay(
            &scenario.prepared,
            pack.as_ref().map(|p| p.pass_mark),
            seed,
            &choices,
        );
        let session = match replayed.whole() {
            Ok(session) => session,
            Err(stopped) => {
                self.exclude(format!(
                    "turn {} (`{}`) does not replay: {}",
                    stopped.index + 1,
                    choices[stopped.index].technique,
                    stopped.error
                ));
                return None;
            }
        };
        let (turns, summary) = outcome_values(&session);
        let mut differ = Vec::new();
        for (i, t) in session.turns().iter().enumerate() {
            let replayed = score_of(Some(f64::from(t.fit.score)));
            if let Some(stored) = stored_fits[i]
                && (stored - replayed).abs() > 0.005
            {
                differ.push(format!(
                    "turn {}: stored fit {stored}, replay gives {replayed}",
                    i + 1
                ));
            }
        }
        let overall = score_of(summary["overall"].as_f64());
        let stored_overall = outcome["result"]["score"]["raw"].as_f64();
        if stored_overall.is_none_or(|s| (s - overall).abs() > 0.005) {
            differ.push(format!(
                "stored score {}, replay gives {overall}",
                stored_overall.map_or("none".to_string(), |s| s.to_string())
            ));
        }
        let passed = summary["passed"].as_bool().unwrap_or(false);
        if (verb_of(outcome) == "passed") != passed {
            differ.push(format!(
                "stored as {}, replay gives {}",
                verb_of(outcome),
                if passed { "passed" } else { "failed" }
            ));
        }
        let mastery = outcome["context"]["extensions"][MASTERY_EXT].as_f64();
        let pass_mark = score_of(summary["pass_mark"].as_f64()) / 100.0;
        if mastery.is_some_and(|m| (m - pass_mark).abs() > 0.00005) {
            differ.push(format!(
                "stored pass mark {}, the scenario's is {}",
                mastery.unwrap_or(0.0) * 100.0,
                pass_mark * 100.0
            ));
        }
        if !differ.is_empty() {
            self.exclude(format!("its scores do not replay ({})", differ.join(", ")));
            return None;
        }
        let file = scenario
            .file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let mut result = AttemptResult::of(
            &session,
            &file,
            scenario.content_hash.clone(),
            mode,
            learner.map(str::to_string),
            first["timestamp"].as_str().unwrap_or("").to_string(),
            Played::Script,
        );
        // How it was played, as its closing statements say (none for statements sent by an
        // Attune that did not record it).
        result.played = serde_json::from_value::<Option<Played>>(
            outcome["context"]["extensions"][(self.ext)("played")].clone(),
        )
        .ok()
        .flatten();
        // The attempt finished when it was completed (or reached its outcome).
        let finished = g.completed.first().unwrap_or(&outcome);
        result.finished_at = finished["timestamp"].as_str().unwrap_or("").to_string();
        result.turns = turns;
        result.summary = summary;
        let result = match pack {
            Some(p) => result.in_pack(p),
            None => result,
        };
        // Its id is the registration, so it matches the learner's own records.
        Some(match first["context"]["registration"].as_str() {
            Some(registration) => result.recorded_as(registration),
            None => result,
        })
    }

    /// The pack the attempt was taken in, from its grouping activity and extensions; its pass
    /// mark is the outcome's mastery score (the pack's, when the attempt was played).
    fn pack(&self, outcome: &Value, first: &Value) -> Option<PackRef> {
        let grouping = first["context"]["contextActivities"]["grouping"].get(0)?;
        let prefix = format!("{}/packs/", self.cfg.activity_base);
        let id = grouping["id"].as_str()?.strip_prefix(&prefix)?;
        let ext = &first["context"]["extensions"];
        let mastery = outcome["context"]["extensions"][MASTERY_EXT].as_f64()?;
        Some(PackRef {
            id: percent_decode(id),
            title: grouping["definition"]["name"]["en-US"]
                .as_str()
                .unwrap_or(id)
                .to_string(),
            class_id: ext[(self.ext)("class")].as_str().unwrap_or("").to_string(),
            pass_mark: (mastery * 100.0) as f32,
            sitting: ext[(self.ext)("sitting")]
                .as_str()
                .unwrap_or("")
                .to_string(),
            // Filled in once every attempt of the sitting is known.
            position: 0,
        })
    }
}

/// The statements do not say where in its pack each client stood; the order the learner
/// began them in does.
fn assign_positions(attempts: &mut [AttemptResult]) {
    let mut next: BTreeMap<String, usize> = BTreeMap::new();
    let mut order: Vec<usize> = (0..attempts.len()).collect();
    order.sort_by(|a, b| attempts[*a].started_at.cmp(&attempts[*b].started_at));
    for i in order {
        if let Some(p) = attempts[i].pack.as_mut() {
            let n = next.entry(p.sitting.clone()).or_default();
            *n += 1;
            p.position = *n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_links_resolve_against_the_endpoint() {
        let origin = "http://127.0.0.1:8100";
        let statements = "http://127.0.0.1:8100/xAPI/statements";
        assert_eq!(
            resolve(
                origin,
                statements,
                "/xAPI/statements?limit=2&search_after=a"
            ),
            "http://127.0.0.1:8100/xAPI/statements?limit=2&search_after=a"
        );
        assert_eq!(
            resolve(origin, statements, "https://other.example/more/1"),
            "https://other.example/more/1"
        );
        assert_eq!(
            resolve(origin, statements, "statements?page=2"),
            "http://127.0.0.1:8100/xAPI/statements?page=2"
        );
    }

    #[test]
    fn query_values_and_pack_ids_are_percent_coded_both_ways() {
        assert_eq!(
            iri_segment("2026-12-01T00:00:00+01:00"),
            "2026-12-01T00%3A00%3A00%2B01%3A00"
        );
        assert_eq!(percent_decode("PSY%20501%2FB"), "PSY 501/B");
        assert_eq!(percent_decode("50%"), "50%");
    }
}

#[cfg(test)]
mod attempt_checks {
    use std::sync::Arc;

    use super::*;
    use crate::records::xapi::attempt::{AttemptRecord, SavedTurn};
    use crate::records::xapi::statements::{build, roles_of};
    use attune_core::engine::Session;

    const ATTEMPT: &str = "5f0c9d7e-2b1a-4c3d-9e8f-0a1b2c3d4e5f";
    const MOVES: [&str; 4] = [
        "complex_reflection",
        "rolling_with_resistance",
        "emphasizing_autonomy",
        "complex_reflection",
    ];

    fn cfg() -> LrsConfig {
        LrsConfig {
            endpoint: "https://lrs.example.edu/xAPI/".into(),
            key: "k".into(),
            secret: "s".into(),
            home_page: "https://uni.example/students".into(),
            activity_base: "https://uni.example/attune".into(),
            ..LrsConfig::default()
        }
    }

    fn library() -> HashedLibrary {
        let dan = crate::testing::repo_root().join("scenarios/dan-mandated-anger.ron");
        HashedLibrary::scan(&[dan])
    }

    /// A finished four-turn attempt at Dan by `learner`, as the store holds it: each
    /// statement with the learner's own account as its authority.
    fn stored(library: &HashedLibrary, learner: &str) -> Vec<Value> {
        let moves: Vec<Choice> = MOVES.iter().map(|m| Choice::new(m)).collect();
        stored_with(library, learner, &moves)
    }

    /// The attempt of `stored`, played with `moves`.
    fn stored_with(library: &HashedLibrary, learner: &str, moves: &[Choice]) -> Vec<Value> {
        let dan = &library.scenarios[0];
        let mut session = Session::new(Arc::clone(&dan.prepared), 7);
        for m in moves {
            session.apply(m).unwrap();
        }
        let result = AttemptResult::of(
            &session,
            "dan-mandated-anger.ron",
            dan.content_hash.clone(),
            Mode::Practice,
            Some(learner.to_string()),
            "2026-11-24T21:00:00Z".into(),
            crate::records::Played::Script,
        );
        let record = AttemptRecord {
            id: ATTEMPT.into(),
            scenario_id: result.scenario.id.clone(),
            scenario_title: result.scenario.title.clone(),
            content_hash: dan.content_hash.clone(),
            seed: 7,
            mode: Mode::Practice,
            learner: Some(learner.to_string()),
            started_at: result.started_at.clone(),
            pack: None,
            turns: session
                .turns()
                .iter()
                .map(|t| SavedTurn {
                    turn: t.turn,
                    choice: t.choice.clone(),
                    fit: f64::from(t.fit.score),
                    recorded_at: "2026-11-24T21:01:00Z".into(),
                })
                .collect(),
            result: Some(result),
        };
        roles_of(&record)
            .iter()
            .map(|role| {
                let mut s = build(&cfg(), &record, role).unwrap().json;
                s["authority"] = s["actor"].clone();
                s
            })
            .collect()
    }

    fn problems(back: &ReadBack) -> Vec<String> {
        back.flags.iter().flat_map(|f| f.problems.clone()).collect()
    }

    #[test]
    fn an_honest_attempt_replays_and_is_counted_without_a_flag() {
        let library = library();
        let back = attempts(&stored(&library, "s-1"), &cfg(), &library);
        assert_eq!(back.flags, []);
        assert_eq!(back.attempts.len(), 1);
        let a = &back.attempts[0];
        assert_eq!(a.learner.as_deref(), Some("s-1"));
        assert_eq!(a.choices.len(), MOVES.len());
        assert_eq!(a.started_at, "2026-11-24T21:00:00Z");
    }

    /// The class read back from the store keeps each turn's words: the choices carry them,
    /// and the replayed result's turns hold them with their coding, as a result file does.
    #[test]
    fn an_attempt_in_the_trainees_words_reads_back_with_them() {
        let library = library();
        let words = crate::testing::words_choices();
        let back = attempts(&stored_with(&library, "s-1", &words), &cfg(), &library);
        assert_eq!(back.flags, []);
        let a = &back.attempts[0];
        let said: Vec<Option<&str>> = a.choices.iter().map(Choice::words).collect();
        let sent: Vec<Option<&str>> = words.iter().map(Choice::words).collect();
        assert_eq!(said, sent);
        assert_eq!(a.turns[1]["said"], "Why did you hit the wall?");
        assert_eq!(a.turns[1]["coded_as"], "Question");
    }

    #[test]
    fn a_statement_sent_by_another_account_is_flagged_and_not_counted() {
        let library = library();
        let mut statements = stored(&library, "s-1");
        statements[2]["authority"]["account"]["name"] = "s-2".into();
        let back = attempts(&statements, &cfg(), &library);
        assert!(back.attempts.is_empty());
        assert_eq!(
            problems(&back),
            ["1 statement in the name of `s-1` was sent with the account `s-2`"]
        );
        assert!(back.flags[0].sentence().ends_with("; not counted"));
    }

    #[test]
    fn missing_and_repeated_turns_are_flagged() {
        let library = library();
        let statements = stored(&library, "s-1");
        // Turn 2's statement (after initialized and turn 1) never reached the store.
        let mut missing = statements.clone();
        missing.remove(2);
        let back = attempts(&missing, &cfg(), &library);
        assert_eq!(problems(&back), ["turn 2 of 4 is missing"]);
        // Turn 3 twice, under two ids.
        let mut repeated = statements.clone();
        let mut again = statements[3].clone();
        again["id"] = "0d6c3b6e-8f5a-4c1e-9a7b-2f3e4d5c6b7a".into();
        repeated.push(again);
        let back = attempts(&repeated, &cfg(), &library);
        assert_eq!(
            problems(&back),
            ["turn 3 is stored twice, under different ids"]
        );
        // The very same statement twice is the store's copy: noted, still counted.
        let mut copied = statements.clone();
        copied.push(statements[1].clone());
        let back = attempts(&copied, &cfg(), &library);
        assert_eq!(back.attempts.len(), 1);
        assert_eq!(
            problems(&back),
            ["the store holds 1 extra copy of its statements"]
        );
    }

    #[test]
    fn scores_that_do_not_replay_are_flagged() {
        let library = library();
        let mut statements = stored(&library, "s-1");
        statements[1]["result"]["score"]["raw"] = 99.0.into();
        let outcome = statements.len() - 2;
        statements[outcome]["result"]["score"]["raw"] = 95.5.into();
        let back = attempts(&statements, &cfg(), &library);
        assert!(back.attempts.is_empty());
        let p = problems(&back);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("its scores do not replay (turn 1: stored fit 99, replay gives ")
                && p[0].contains("stored score 95.5, replay gives "),
            "{p:?}"
        );
    }

    #[test]
    fn an_attempt_that_never_finished_is_flagged() {
        let library = library();
        let statements = stored(&library, "s-1");
        // Initialized and the four turns; no completed, outcome or terminated.
        let back = attempts(&statements[..5], &cfg(), &library);
        assert!(back.attempts.is_empty());
        assert_eq!(
            problems(&back),
            ["it never finished: no passed or failed statement after 4 turns"]
        );
    }
}
