//! The class report over many attempts: the gradebook, score distribution, pass rate per
//! client, the rubric breakdown, how hard each decision was and how well it separated
//! strong from weak attempts, and the most common misfits. Rendered as text, CSV and one
//! self-contained HTML page (`report_page`).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::csv;
use super::gradebook::{self, Gradebook};
use super::miti_profile::{self, MitiProfile};
use super::result::AttemptResult;
use super::turn_words::SaidRow;
use super::words;

#[derive(Clone, Debug, Default)]
pub struct ScenarioRow {
    pub scenario_id: String,
    pub title: String,
    pub attempts: usize,
    pub passed: usize,
    pub mean_overall: f64,
}

/// One decision: a turn of a scenario, over every attempt that reached it.
#[derive(Clone, Debug)]
pub struct DecisionRow {
    pub scenario_id: String,
    pub title: String,
    pub turn: u32,
    pub attempts: usize,
    /// Mean fit / 100: low is a hard decision.
    pub difficulty: f64,
    /// Pearson correlation of this turn's fit with the attempt's overall score (item-total
    /// correlation); `None` with fewer than `MIN_FOR_DISCRIMINATION` attempts or no spread.
    pub discrimination: Option<f64>,
}

impl DecisionRow {
    /// Why there is no discrimination figure, in words.
    pub fn why_no_discrimination(&self) -> &'static str {
        if self.attempts < MIN_FOR_DISCRIMINATION {
            "too few attempts"
        } else {
            "no spread"
        }
    }
}

#[derive(Clone, Debug)]
pub struct MisfitRow {
    pub scenario_id: String,
    pub title: String,
    pub technique: String,
    /// Turns played with a fit under `MISFIT_BELOW`.
    pub count: usize,
    pub mean_fit: f64,
}

impl MisfitRow {
    /// The mean fit to one decimal, rounded down: every fit counted is under
    /// `MISFIT_BELOW`, and 44.96 shown as 45.0 would read as if it were not.
    pub fn mean_fit_shown(&self) -> String {
        words::score((self.mean_fit * 10.0).floor() / 10.0)
    }
}

#[derive(Clone, Debug)]
pub struct RubricRow {
    /// `fis` or `integration`, as the summary names the group.
    pub group: String,
    /// The item's name in the summary, e.g. `alliance_bond_capacity`.
    pub item: String,
    pub mean: f64,
}

/// A result left out of the report because it does not verify: where it came from (a
/// file, or an attempt in the records database) and why.
#[derive(Clone, Debug)]
pub struct Dropped {
    pub name: String,
    pub reasons: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct ClassReport {
    /// Where the attempts came from, for the page's first line (set by the caller).
    pub source: String,
    pub attempts: usize,
    pub learners: usize,
    pub passed: usize,
    pub mean_overall: f64,
    /// Attempts per 10-point score band: under 10, 10 to under 20, ..., 90 to 100.
    pub histogram: [usize; 10],
    pub scenarios: Vec<ScenarioRow>,
    /// Mean of each rubric item (integration and FIS, 1..5) across attempts.
    pub rubric: Vec<RubricRow>,
    pub decisions: Vec<DecisionRow>,
    pub misfits: Vec<MisfitRow>,
    pub gradebook: Gradebook,
    /// Each learner's MITI profile from their own words (`miti_profile`).
    pub profiles: Vec<MitiProfile>,
    /// Every turn a learner gave words for, with what they said.
    pub said: Vec<SaidRow>,
    /// What was read and left out, with why: it did not verify, or repeats an attempt
    /// already counted (set by the caller, which verified it).
    pub dropped: Vec<Dropped>,
    /// What the instructor should look at in the attempts' source, one sentence each (set
    /// by the caller: `report --lrs` flags attempts the record store's statements do not
    /// vouch for).
    pub flags: Vec<String>,
}

/// A fit under this is a misfit for the report (the app shows it as a poor fit).
pub const MISFIT_BELOW: f64 = 45.0;
/// A correlation over fewer attempts than this says nothing.
pub const MIN_FOR_DISCRIMINATION: usize = 5;

fn pearson(xs: &[f64], ys: &[f64]) -> Option<f64> {
    let n = xs.len() as f64;
    if xs.len() < MIN_FOR_DISCRIMINATION {
        return None;
    }
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    (sxx > 1e-9 && syy > 1e-9).then(|| sxy / (sxx * syy).sqrt())
}

/// The 10-point band of a score: 10 falls in "10 to under 20", 100 in the last band.
pub fn band(overall: f64) -> usize {
    if overall.is_nan() {
        return 0;
    }
    ((overall / 10.0).floor().max(0.0) as usize).min(9)
}

pub fn build(results: &[AttemptResult]) -> ClassReport {
    let mut r = ClassReport {
        attempts: results.len(),
        ..Default::default()
    };
    let mut learners = std::collections::BTreeSet::new();
    let mut titles: BTreeMap<&str, &str> = BTreeMap::new();
    let mut per_scenario: BTreeMap<&str, ScenarioRow> = BTreeMap::new();
    let mut rubric: BTreeMap<(&str, String), (f64, usize)> = BTreeMap::new();
    // Per (scenario, turn): each attempt's fit there, and its overall score.
    type FitsAndOveralls = (Vec<f64>, Vec<f64>);
    let mut decisions: BTreeMap<(&str, u32), FitsAndOveralls> = BTreeMap::new();
    let mut misfits: BTreeMap<(&str, &str), (usize, f64)> = BTreeMap::new();
    let mut total = 0.0;
    for a in results {
        if let Some(l) = &a.learner {
            learners.insert(l.as_str());
        }
        // The latest title an attempt gives names the client.
        titles.insert(&a.scenario.id, &a.scenario.title);
        let overall = a.summary["overall"].as_f64().unwrap_or(0.0);
        let passed = a.summary["passed"].as_bool().unwrap_or(false);
        total += overall;
        r.passed += usize::from(passed);
        r.histogram[band(overall)] += 1;
        let row = per_scenario
            .entry(&a.scenario.id)
            .or_insert_with(|| ScenarioRow {
                scenario_id: a.scenario.id.clone(),
                ..Default::default()
            });
        row.attempts += 1;
        row.passed += usize::from(passed);
        row.mean_overall += overall;
        for group in ["fis", "integration"] {
            if let Some(items) = a.summary[group].as_object() {
                for (k, v) in items {
                    if let Some(v) = v.as_f64() {
                        let e = rubric.entry((group, k.clone())).or_default();
                        e.0 += v;
                        e.1 += 1;
                    }
                }
            }
        }
        for t in a.turns.as_array().into_iter().flatten() {
            let (Some(turn), Some(fit), Some(technique)) = (
                t["turn"].as_u64(),
                t["fit"].as_f64(),
                t["technique"].as_str(),
            ) else {
                continue;
            };
            let d = decisions.entry((&a.scenario.id, turn as u32)).or_default();
            d.0.push(fit);
            d.1.push(overall);
            if fit < MISFIT_BELOW {
                let m = misfits.entry((&a.scenario.id, technique)).or_default();
                m.0 += 1;
                m.1 += fit;
            }
        }
    }
    let title = |id: &str| {
        titles
            .get(id)
            .map_or_else(|| id.to_string(), |t| t.to_string())
    };
    r.learners = learners.len();
    r.mean_overall = if results.is_empty() {
        0.0
    } else {
        total / results.len() as f64
    };
    r.scenarios = per_scenario
        .into_values()
        .map(|mut s| {
            s.mean_overall /= s.attempts as f64;
            s.title = title(&s.scenario_id);
            s
        })
        .collect();
    r.rubric = rubric
        .into_iter()
        .map(|((group, item), (sum, n))| RubricRow {
            group: group.to_string(),
            item,
            mean: sum / n as f64,
        })
        .collect();
    // As the debrief lists them, each group together (`fis` before `integration`).
    r.rubric.sort_by(|a, b| {
        a.group
            .cmp(&b.group)
            .then(words::rubric_rank(&a.group, &a.item).cmp(&words::rubric_rank(&b.group, &b.item)))
    });
    r.decisions = decisions
        .into_iter()
        .map(|((s, turn), (fits, overalls))| DecisionRow {
            scenario_id: s.to_string(),
            title: title(s),
            turn,
            attempts: fits.len(),
            difficulty: fits.iter().sum::<f64>() / fits.len() as f64 / 100.0,
            discrimination: pearson(&fits, &overalls),
        })
        .collect();
    let mut m: Vec<MisfitRow> = misfits
        .into_iter()
        .map(|((s, t), (n, sum))| MisfitRow {
            scenario_id: s.to_string(),
            title: title(s),
            technique: t.to_string(),
            count: n,
            mean_fit: sum / n as f64,
        })
        .collect();
    m.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.scenario_id.cmp(&b.scenario_id))
            .then(a.technique.cmp(&b.technique))
    });
    m.truncate(15);
    r.misfits = m;
    r.gradebook = gradebook::build(results);
    r.profiles = miti_profile::build(results);
    r.said = super::turn_words::said_rows(results);
    r
}

/// `n` of `d` as a whole percentage; 0 of 0 is 0.
pub fn percent(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        100.0 * n as f64 / d as f64
    }
}

impl ClassReport {
    /// Whether any decision has a discrimination figure.
    pub fn any_discrimination(&self) -> bool {
        self.decisions.iter().any(|d| d.discrimination.is_some())
    }

    /// The summary for the terminal, listing at most `dropped_shown` of the results not
    /// counted (the page lists them all).
    pub fn text(&self, dropped_shown: usize) -> String {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "{} by {}: mean {}, {:.0}% passed",
            attune_core::words::count_with(self.attempts, "attempt", "attempts"),
            attune_core::words::count_with(self.learners, "learner", "learners"),
            words::score(self.mean_overall),
            percent(self.passed, self.attempts)
        );
        if !self.flags.is_empty() {
            let _ = writeln!(o, "\nFlagged ({}):", self.flags.len());
            for f in &self.flags {
                let _ = writeln!(o, "  {f}");
            }
        }
        let _ = writeln!(o, "\nBy client:");
        for s in &self.scenarios {
            let _ = writeln!(
                o,
                "  {:>12}  mean {:>5}  passed {:>3.0}%  {}",
                attune_core::words::count_with(s.attempts, "attempt", "attempts"),
                words::score(s.mean_overall),
                percent(s.passed, s.attempts),
                s.title
            );
        }
        if !self.gradebook.learners.is_empty() {
            let _ = writeln!(o, "\nLearners (best attempt at each client):");
            for l in &self.gradebook.learners {
                let _ = writeln!(
                    o,
                    "  passed {} of {:<10}  mean {:>5}  {}",
                    l.passed,
                    attune_core::words::count_with(l.clients, "client", "clients"),
                    words::score(l.mean_best),
                    l.learner
                );
            }
        }
        self.profiles_text(&mut o);
        if !self.dropped.is_empty() {
            let _ = writeln!(
                o,
                "\nNot counted ({}):",
                attune_core::words::count_with(self.dropped.len(), "result", "results")
            );
            for d in self.dropped.iter().take(dropped_shown) {
                let _ = writeln!(o, "  {}: {}", d.name, d.reasons.join("; "));
            }
            if self.dropped.len() > dropped_shown {
                let _ = writeln!(
                    o,
                    "  and {} more, all listed in report.html",
                    self.dropped.len() - dropped_shown
                );
            }
        }
        if self.misfits.is_empty() {
            let _ = writeln!(o, "\nNo move had a fit under {MISFIT_BELOW:.0}.");
        } else {
            let _ = writeln!(o, "\nMost common misfits (fit under {MISFIT_BELOW:.0}):");
        }
        for m in self.misfits.iter().take(8) {
            let _ = writeln!(
                o,
                "  {:>5} x {} with {} (mean fit {})",
                m.count,
                words::technique(&m.technique),
                m.title,
                m.mean_fit_shown()
            );
        }
        o
    }

    pub fn csv_scenarios(&self) -> String {
        let mut o =
            String::from("scenario_id,scenario_title,attempts,passed,pass_rate,mean_overall\n");
        for s in &self.scenarios {
            o.push_str(&csv::row(&[
                csv::text(&s.scenario_id),
                csv::text(&s.title),
                s.attempts.to_string(),
                s.passed.to_string(),
                format!("{:.3}", s.passed as f64 / s.attempts as f64),
                words::score(s.mean_overall),
            ]));
        }
        o
    }

    pub fn csv_decisions(&self) -> String {
        let mut o = String::from("scenario_id,turn,attempts,difficulty,discrimination\n");
        for d in &self.decisions {
            o.push_str(&csv::row(&[
                csv::text(&d.scenario_id),
                d.turn.to_string(),
                d.attempts.to_string(),
                format!("{:.3}", d.difficulty),
                d.discrimination
                    .map_or(String::new(), |v| format!("{v:.3}")),
            ]));
        }
        o
    }

    pub fn csv_misfits(&self) -> String {
        let mut o = String::from("scenario_id,technique,count,mean_fit\n");
        for m in &self.misfits {
            o.push_str(&csv::row(&[
                csv::text(&m.scenario_id),
                csv::text(&m.technique),
                m.count.to_string(),
                words::score(m.mean_fit),
            ]));
        }
        o
    }

    /// The learners' MITI profiles from their own words, one line each, for the terminal.
    fn profiles_text(&self, o: &mut String) {
        if self.profiles.is_empty() {
            return;
        }
        let _ = writeln!(
            o,
            "\nMITI profiles, from the learners' own words (fair 1:1 and 40%, good 2:1 and 50%):"
        );
        for p in &self.profiles {
            match &p.counts {
                None => {
                    let _ = writeln!(o, "  {}: {}", p.learner, miti_profile::NO_WORDS);
                }
                Some(m) => {
                    let _ = writeln!(
                        o,
                        "  {}: {} with words: questions {}, simple reflections {}, complex reflections {}, other codes {}; reflections per question {}, complex reflections {}",
                        p.learner,
                        attune_core::words::count_with(m.from_words as usize, "turn", "turns"),
                        m.questions,
                        m.simple_reflections,
                        m.complex_reflections,
                        miti_profile::other_codes(m),
                        miti_profile::reflections_per_question(m),
                        miti_profile::percent_complex(m)
                    );
                }
            }
        }
    }

    /// `miti_profiles.csv`: each learner's MITI profile from their own words.
    pub fn csv_miti_profiles(&self) -> String {
        miti_profile::csv(&self.profiles)
    }

    pub fn csv_gradebook(&self) -> String {
        self.gradebook.csv()
    }

    /// One page, no external files: inline CSS, SVG and a little script that sorts tables.
    pub fn html(&self, title: &str) -> String {
        super::report_page::html(self, title)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discrimination_is_the_item_total_correlation() {
        // A decision that strong attempts get right and weak ones get wrong discriminates.
        let fits = [90.0, 80.0, 70.0, 30.0, 20.0];
        let overall = [85.0, 75.0, 70.0, 40.0, 35.0];
        assert!(pearson(&fits, &overall).unwrap() > 0.95);
        let flat = [60.0; 5];
        assert_eq!(
            pearson(&flat, &overall),
            None,
            "no spread, no discrimination"
        );
        assert_eq!(pearson(&fits[..3], &overall[..3]), None, "too few attempts");
    }

    #[test]
    fn score_bands_start_at_their_lower_edge() {
        assert_eq!(band(0.0), 0);
        assert_eq!(band(9.99), 0);
        assert_eq!(band(10.0), 1);
        assert_eq!(band(59.9), 5);
        assert_eq!(band(100.0), 9);
        assert_eq!(band(-3.0), 0);
        assert_eq!(band(f64::NAN), 0);
    }
}
