//! Lints: what parses and validates but cannot work as the author meant. Run after
//! validation succeeds (they assume ids and ranges are sound), from the same place, and
//! reported the same way: an `Issue` at a path, which the loader turns into `line:col`.
//! Warnings unless the scenario cannot work as written.
//!
//! `reach` and `conditions` are the shared analysis (what the scenario can ever reach, and
//! why a condition can never hold); each other file is one lint.

mod agreement;
mod commentary;
mod conditions;
mod coverage;
mod events;
mod intake;
mod never_holds;
mod passable;
mod reach;
mod shadowed;
mod traits;

use crate::model::Catalogue;
use crate::scenario::{LoadedScenario, Scenario, Trigger, parse_scenario};
use crate::scoring::ScoringConfig;
use crate::source::{Diagnostic, Issue, Path, Severity};

/// What `attune check` does to scenario text: load it (parse and validate), then, when it
/// loaded, every lint with the caller's scoring. The lints' findings join the loader's
/// warnings, in file order; a lint that finds the scenario cannot work is an error.
pub fn check_scenario(
    name: &str,
    text: &str,
    catalogue: &Catalogue,
    cfg: &ScoringConfig,
) -> Result<LoadedScenario, Vec<Diagnostic>> {
    let mut loaded = parse_scenario(name, text, catalogue)?;
    let found: Vec<Diagnostic> = lint_scenario(&loaded.scenario, catalogue, cfg)
        .into_iter()
        .map(|issue| loaded.diagnostic(issue))
        .collect();
    loaded.warnings.extend(found);
    loaded.warnings.sort_by_key(|d| (d.severity, d.line, d.col));
    if loaded.warnings.iter().any(Diagnostic::is_error) {
        return Err(std::mem::take(&mut loaded.warnings));
    }
    Ok(loaded)
}

/// `check_scenario` on a file, read through the one bounded reader.
pub fn check_scenario_file(
    path: &std::path::Path,
    catalogue: &Catalogue,
    cfg: &ScoringConfig,
) -> Result<LoadedScenario, Vec<Diagnostic>> {
    let name = path.display().to_string();
    let text = crate::scenario::read_text(path)
        .map_err(|e| vec![Diagnostic::whole_file(&name, e.to_string())])?;
    check_scenario(&name, &text, catalogue, cfg)
}

/// Every lint on a scenario that has passed validation.
pub fn lint_scenario(s: &Scenario, catalogue: &Catalogue, cfg: &ScoringConfig) -> Vec<Issue> {
    let reach = reach::Reach::of(s, catalogue, cfg);
    let events = events::which_can_fire(s, &reach);
    let responses = ResponseFacts::of(s, &reach, &events);
    let mut issues = Vec::new();
    never_holds::check(s, &reach, &events, &responses, &mut issues);
    events::check(s, &reach, &events, &mut issues);
    shadowed::check(s, &reach, &responses, &mut issues);
    coverage::check(s, &reach, &responses, &mut issues);
    traits::check(s, cfg, &mut issues);
    commentary::check(s, &mut issues);
    passable::check(s, catalogue, cfg, &mut issues);
    agreement::check(s, catalogue, cfg, &mut issues);
    intake::check(s, &reach, &mut issues);
    issues
}

/// A piece of a scenario's content that comes up in play.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Content {
    Response,
    Event,
    KeyMoment,
}

/// Why content never comes up, from the same analysis as the lints: for `attune analyze`,
/// which finds by play what was never reached and says here why.
pub struct WhyNever<'a> {
    scenario: &'a Scenario,
    reach: reach::Reach<'a>,
    events: conditions::EventFacts<'a>,
}

impl<'a> WhyNever<'a> {
    pub fn of(s: &'a Scenario, catalogue: &'a Catalogue, cfg: &ScoringConfig) -> WhyNever<'a> {
        let reach = reach::Reach::of(s, catalogue, cfg);
        let events = events::which_can_fire(s, &reach);
        WhyNever {
            scenario: s,
            reach,
            events,
        }
    }

    /// Each part of the content's condition that no state the scenario can reach meets, in
    /// words; empty when nothing in the scenario rules it out (or no content has this id).
    pub fn why(&self, content: Content, id: &str) -> Vec<String> {
        use conditions::Place;
        let s = self.scenario;
        let root = Path::root();
        let found =
            match content {
                Content::Response => s.responses.iter().position(|r| r.id == id).map(|i| {
                    let at = root.field("responses").index(i).field("when");
                    (&s.responses[i].when, at, Place::Response)
                }),
                Content::KeyMoment => s.key_moments.iter().position(|m| m.id == id).map(|i| {
                    let at = root.field("key_moments").index(i).field("when");
                    (&s.key_moments[i].when, at, Place::KeyMoment)
                }),
                Content::Event => s.events.iter().position(|e| e.id == id).and_then(|i| {
                    match &s.events[i].trigger {
                        Trigger::When(c) => Some((
                            &**c,
                            root.field("events").index(i).field("trigger"),
                            Place::Event(i),
                        )),
                        Trigger::AtTurn(_) => None,
                    }
                }),
            };
        let Some((condition, at, place)) = found else {
            return Vec::new();
        };
        let mut reasons = conditions::why_never(condition, &at, place, &self.reach, &self.events);
        reasons.extend(conditions::wrong_rupture_kind(condition, &at, &self.reach));
        reasons.into_iter().map(|r| r.message).collect()
    }
}

/// What several lints need about each response line, worked out once.
struct ResponseFacts {
    /// Why each line's condition can never hold; empty when it may.
    never: Vec<Vec<conditions::Reason>>,
    /// Which moves (`Reach::moves`) each line's condition accepts.
    moves: Vec<Vec<bool>>,
}

impl ResponseFacts {
    fn of(s: &Scenario, reach: &reach::Reach, events: &conditions::EventFacts) -> ResponseFacts {
        let at = |i: usize| Path::root().field("responses").index(i).field("when");
        ResponseFacts {
            never: s
                .responses
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    conditions::why_never(
                        &r.when,
                        &at(i),
                        conditions::Place::Response,
                        reach,
                        events,
                    )
                })
                .collect(),
            moves: s
                .responses
                .iter()
                .map(|r| reach.moves_matching(&r.when))
                .collect(),
        }
    }

    fn can_hold(&self, i: usize) -> bool {
        self.never[i].is_empty()
    }
}

fn warning(path: Path, message: String, help: Option<String>) -> Issue {
    Issue {
        path,
        severity: Severity::Warning,
        message,
        help,
    }
}

/// One warning per reason a condition can never hold, each at the part that says so.
fn report(reasons: &[conditions::Reason], subject: &str, issues: &mut Vec<Issue>) {
    for r in reasons.iter().filter(|r| !r.already_reported) {
        issues.push(warning(
            r.path.clone(),
            format!("{subject}: {}", r.message),
            r.help.clone(),
        ));
    }
}
