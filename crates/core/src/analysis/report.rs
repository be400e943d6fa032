//! The analysis as data (serialised as the `--json` output) and as a text report.
//!
//! JSON fields, top level:
//! - `scenario`: `id`, `title`, `turn_limit`, `pass_mark`, `techniques` (how many).
//! - `settings`: `random_playthroughs`, `seed`, `beam_width`, `polish_rounds`, `weak_below`.
//! - `best_path`: `source` (`"search"`, or `"expert"` when the search did worse than the
//!   expert playthrough), `score` (a path score, below), `requirements_total`, `end`, and
//!   `turns`: `turn`, `choice` (as in a play script), `technique_name`, `fit`,
//!   `response_id`, `events`, `key_moments`.
//! - `search`: the search's own `score`, `at_least_expert` (null without an expert
//!   playthrough), `moves_played`, `moves_previewed`.
//! - `expert`: null, or `name`, `seed`, `score` of the scenario's expert playthrough.
//! - `random`: null when no random session was played, else `playthroughs`, `mean`,
//!   `median`, `p10`, `p90`, `min`, `max`, `pass_rate`, `dropout_rate`, `crisis_rate`,
//!   `safety_failure_rate` (rates 0..1) and `histogram` (`from`, `to`, `count`, ten bins).
//! - `spread`: null without random play, else `best_minus_mean`, `best_minus_median`,
//!   `best_minus_p90`, `best_minus_random_max` (points of overall score).
//! - `coverage`: `responses`, `events`, `key_moments`, each a list of `id`,
//!   `random_turns`, `random_playthroughs`, `best_path`, `scripted`, `reached`; and
//!   `never_reached` with the ids of each kind reached by no random session, not by the
//!   best path and not by the scenario's own playthroughs.
//! - `techniques`: `id`, `name`, `uses` (in random play), `mean_fit` (random play),
//!   `best_fit` (random play and the best path), `weak`; `weak_techniques`: the ids whose
//!   mean and best fit are both below `settings.weak_below`.
//!
//! A path score: `passed`, `safe` (no safety gate failed), `completed` (no dropout or
//! crisis), `requirements_met` (of the scenario's `pass_requires`), `overall` (0..100).

use std::fmt::Write;

use serde::Serialize;

use super::random::Distribution;
use super::score::PathScore;
use crate::model::{SessionEnd, TurnFlag};
use crate::scenario::Choice;
use crate::scoring::TurnOutcome;

#[derive(Clone, Debug, Serialize)]
pub struct Analysis {
    pub scenario: ScenarioInfo,
    pub settings: SettingsInfo,
    pub best_path: BestPath,
    pub search: SearchInfo,
    pub expert: Option<ExpertInfo>,
    pub random: Option<Distribution>,
    pub spread: Option<Spread>,
    pub coverage: Coverage,
    pub techniques: Vec<TechniqueStats>,
    pub weak_techniques: Vec<String>,
    /// Lines whose reaction (misstep or welcoming) the score contradicts.
    pub disagreements: Vec<super::Disagreement>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ScenarioInfo {
    pub id: String,
    pub title: String,
    pub turn_limit: u32,
    pub pass_mark: f32,
    pub techniques: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct SettingsInfo {
    pub random_playthroughs: u64,
    pub seed: u64,
    pub beam_width: usize,
    pub polish_rounds: usize,
    pub weak_below: f32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PathSource {
    Search,
    Expert,
}

#[derive(Clone, Debug, Serialize)]
pub struct BestPath {
    pub source: PathSource,
    pub score: PathScore,
    pub requirements_total: u32,
    pub end: Option<SessionEnd>,
    pub turns: Vec<PathTurn>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PathTurn {
    pub turn: u32,
    pub choice: Choice,
    pub technique_name: String,
    pub fit: f32,
    pub response_id: String,
    pub events: Vec<String>,
    pub key_moments: Vec<String>,
}

impl PathTurn {
    pub fn of(t: &TurnOutcome) -> PathTurn {
        let ids = |want_event: bool| {
            t.flags
                .iter()
                .filter_map(|f| match f {
                    TurnFlag::Event { id } if want_event => Some(id.clone()),
                    TurnFlag::KeyMoment { id } if !want_event => Some(id.clone()),
                    _ => None,
                })
                .collect()
        };
        PathTurn {
            turn: t.turn,
            choice: t.choice.clone(),
            technique_name: t.technique_name.to_string(),
            fit: t.fit.score,
            response_id: t.response_id.to_string(),
            events: ids(true),
            key_moments: ids(false),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct SearchInfo {
    pub score: PathScore,
    pub at_least_expert: Option<bool>,
    pub moves_played: u64,
    pub moves_previewed: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct ExpertInfo {
    pub name: String,
    pub seed: u64,
    pub score: PathScore,
}

#[derive(Clone, Debug, Serialize)]
pub struct Spread {
    pub best_minus_mean: f32,
    pub best_minus_median: f32,
    pub best_minus_p90: f32,
    pub best_minus_random_max: f32,
}

#[derive(Clone, Debug, Serialize)]
pub struct Coverage {
    pub responses: Vec<ContentReach>,
    pub events: Vec<ContentReach>,
    pub key_moments: Vec<ContentReach>,
    pub never_reached: NeverReached,
}

#[derive(Clone, Debug, Serialize)]
pub struct ContentReach {
    pub id: String,
    pub random_turns: u64,
    pub random_playthroughs: u64,
    pub best_path: bool,
    pub scripted: bool,
    pub reached: bool,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct NeverReached {
    pub responses: Vec<String>,
    pub events: Vec<String>,
    pub key_moments: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TechniqueStats {
    pub id: String,
    pub name: String,
    pub uses: u64,
    pub mean_fit: Option<f32>,
    pub best_fit: Option<f32>,
    pub weak: bool,
}

impl Analysis {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("the analysis holds only plain data")
    }

    /// The report for a terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write_header(&mut out);
        self.write_best_path(&mut out);
        self.write_random(&mut out);
        self.write_coverage(&mut out);
        self.write_disagreements(&mut out);
        self.write_techniques(&mut out);
        out
    }

    fn write_header(&self, out: &mut String) {
        let s = &self.scenario;
        let _ = writeln!(out, "Analysis of {} ({})", s.id, s.title);
        let _ = writeln!(
            out,
            "{} turns, pass mark {:.0}, {} techniques; {} random playthroughs (seed {}), beam width {}",
            s.turn_limit,
            s.pass_mark,
            s.techniques,
            self.settings.random_playthroughs,
            self.settings.seed,
            self.settings.beam_width
        );
    }

    fn write_best_path(&self, out: &mut String) {
        let b = &self.best_path;
        let _ = writeln!(out);
        match (b.source, self.search.at_least_expert) {
            (PathSource::Search, Some(true)) => {
                let _ = writeln!(
                    out,
                    "Best path (found by the search; at least as good as the expert playthrough)"
                );
            }
            (PathSource::Search, _) => {
                let _ = writeln!(
                    out,
                    "Best path (found by the search; the scenario has no expert playthrough to compare)"
                );
            }
            (PathSource::Expert, _) => {
                let _ = writeln!(
                    out,
                    "Best path: the expert playthrough. The search found only {} and did worse.",
                    score_text(&self.search.score, None)
                );
            }
        }
        let _ = writeln!(
            out,
            "  {}",
            score_text(&b.score, Some(b.requirements_total))
        );
        let _ = writeln!(
            out,
            "  {:>4}  {:>5}  {:<56}  response [events]",
            "turn", "fit", "technique (adaptations)"
        );
        for t in &b.turns {
            let adapt = crate::engine::transcript::describe_adaptation(&t.choice);
            let name = if adapt.is_empty() {
                t.choice.technique.clone()
            } else {
                format!("{} ({adapt})", t.choice.technique)
            };
            let mut reached = t.response_id.clone();
            for e in t.events.iter().chain(&t.key_moments) {
                let _ = write!(reached, " [{e}]");
            }
            let _ = writeln!(
                out,
                "  {:>4}  {:>5.1}  {:<56}  {reached}",
                t.turn, t.fit, name
            );
        }
        if let Some(e) = &self.expert {
            let _ = writeln!(
                out,
                "Expert playthrough \"{}\": {}",
                e.name,
                score_text(&e.score, Some(b.requirements_total))
            );
        }
    }

    fn write_random(&self, out: &mut String) {
        let Some(d) = &self.random else { return };
        let _ = writeln!(
            out,
            "\nRandom play ({} playthroughs: a random technique with random adaptations each turn)",
            d.playthroughs
        );
        let widest = d
            .histogram
            .iter()
            .map(|b| b.count)
            .max()
            .unwrap_or(0)
            .max(1);
        for bin in &d.histogram {
            let bar = "#".repeat(((bin.count as f64 / widest as f64) * 40.0).round() as usize);
            let _ = writeln!(
                out,
                "  {:>3.0}-{:<3.0} | {:<40} {}",
                bin.from, bin.to, bar, bin.count
            );
        }
        let _ = writeln!(
            out,
            "  mean {:.1}  median {:.1}  p10 {:.1}  p90 {:.1}  min {:.1}  max {:.1}",
            d.mean, d.median, d.p10, d.p90, d.min, d.max
        );
        let pct = |r: f32| 100.0 * r;
        let _ = writeln!(
            out,
            "  passed {:.1}%  dropout {:.1}%  crisis {:.1}%  a safety gate failed {:.1}%",
            pct(d.pass_rate),
            pct(d.dropout_rate),
            pct(d.crisis_rate),
            pct(d.safety_failure_rate)
        );
        if let Some(s) = &self.spread {
            let _ = writeln!(
                out,
                "  spread: best path {:.1} is {:+.1} over the median, {:+.1} over p90, {:+.1} over the best random session",
                self.best_path.score.overall,
                s.best_minus_median,
                s.best_minus_p90,
                s.best_minus_random_max
            );
        }
    }

    fn write_coverage(&self, out: &mut String) {
        let c = &self.coverage;
        let reached = |items: &[ContentReach]| items.iter().filter(|r| r.reached).count();
        let _ = writeln!(
            out,
            "\nCoverage: {} of {} responses, {} of {} events, {} of {} key moments reached",
            reached(&c.responses),
            c.responses.len(),
            reached(&c.events),
            c.events.len(),
            reached(&c.key_moments),
            c.key_moments.len()
        );
        let n = self.settings.random_playthroughs.max(1) as f64;
        let _ = writeln!(
            out,
            "  {:<10}  {:<40}  {:>8}  {:>7}  {:>4}  {:>8}",
            "kind", "id", "turns", "random", "best", "scripted"
        );
        for (kind, items) in [
            ("response", &c.responses),
            ("event", &c.events),
            ("moment", &c.key_moments),
        ] {
            for r in items {
                let _ = writeln!(
                    out,
                    "  {:<10}  {:<40}  {:>8}  {:>6.1}%  {:>4}  {:>8}{}",
                    kind,
                    r.id,
                    r.random_turns,
                    100.0 * r.random_playthroughs as f64 / n,
                    if r.best_path { "yes" } else { "" },
                    if r.scripted { "yes" } else { "" },
                    if r.reached { "" } else { "  NEVER REACHED" }
                );
            }
        }
        let never = &c.never_reached;
        if never.responses.is_empty() && never.events.is_empty() && never.key_moments.is_empty() {
            let _ = writeln!(out, "  Every response, event and key moment was reached.");
        } else {
            for (kind, ids) in [
                ("responses", &never.responses),
                ("events", &never.events),
                ("key moments", &never.key_moments),
            ] {
                if !ids.is_empty() {
                    let _ = writeln!(out, "  never reached ({kind}): {}", ids.join(", "));
                }
            }
        }
    }

    fn write_disagreements(&self, out: &mut String) {
        if self.disagreements.is_empty() {
            let _ = writeln!(
                out,
                "\nThe client and the score agree: no misstep reaction follows a fitting move, no welcoming one a poor move."
            );
            return;
        }
        let _ = writeln!(
            out,
            "\nThe client and the score disagree on {}:",
            crate::words::count(self.disagreements.len(), "line")
        );
        for d in &self.disagreements {
            let _ = writeln!(out, "  {}", d.message());
        }
    }

    fn write_techniques(&self, out: &mut String) {
        let w = self.settings.weak_below;
        if self.weak_techniques.is_empty() {
            let _ = writeln!(
                out,
                "\nEvery technique reached a fit of {w:.0} or more at least once."
            );
        } else {
            let _ = writeln!(
                out,
                "\nTechniques that never score well (mean and best fit below {w:.0}): {}",
                self.weak_techniques.join(", ")
            );
        }
        let _ = writeln!(
            out,
            "  {:<32}  {:>7}  {:>8}  {:>8}",
            "technique", "uses", "mean fit", "best fit"
        );
        let mut rows: Vec<&TechniqueStats> = self.techniques.iter().collect();
        rows.sort_by(|a, b| {
            b.mean_fit
                .unwrap_or(-1.0)
                .total_cmp(&a.mean_fit.unwrap_or(-1.0))
        });
        let num = |v: Option<f32>| v.map_or("-".to_string(), |v| format!("{v:.1}"));
        for t in rows {
            let _ = writeln!(
                out,
                "  {:<32}  {:>7}  {:>8}  {:>8}{}",
                t.id,
                t.uses,
                num(t.mean_fit),
                num(t.best_fit),
                if t.weak { "  weak" } else { "" }
            );
        }
    }
}

fn score_text(s: &PathScore, requirements_total: Option<u32>) -> String {
    let mut text = format!(
        "overall {:.1}, {}",
        s.overall,
        if s.passed { "passed" } else { "not passed" }
    );
    if !s.safe {
        text.push_str(", a safety gate failed");
    }
    if !s.completed {
        text.push_str(", ended early (dropout or crisis)");
    }
    if let Some(total) = requirements_total.filter(|&t| t > 0) {
        let _ = write!(text, ", requirements {}/{total}", s.requirements_met);
    }
    text
}
