//! The class report over many attempts: score distribution, pass rate per scenario, the
//! rubric breakdown, how hard each decision was and how well it separated strong from
//! weak attempts, and the most common misfits. Rendered as text, CSV and one
//! self-contained HTML page with inline SVG charts.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::result::AttemptResult;

#[derive(Clone, Debug, Default)]
pub struct ScenarioRow {
    pub scenario_id: String,
    pub attempts: usize,
    pub passed: usize,
    pub mean_overall: f64,
}

/// One decision: a turn of a scenario, over every attempt that reached it.
#[derive(Clone, Debug)]
pub struct DecisionRow {
    pub scenario_id: String,
    pub turn: u32,
    pub attempts: usize,
    /// Mean fit / 100: low is a hard decision.
    pub difficulty: f64,
    /// Pearson correlation of this turn's fit with the attempt's overall score (item-total
    /// correlation); `None` with fewer than five attempts or no spread.
    pub discrimination: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct MisfitRow {
    pub scenario_id: String,
    pub technique: String,
    /// Turns played with a fit under 45.
    pub count: usize,
    pub mean_fit: f64,
}

#[derive(Clone, Debug, Default)]
pub struct ClassReport {
    pub attempts: usize,
    pub learners: usize,
    pub passed: usize,
    pub mean_overall: f64,
    /// Attempts per 10-point score band, 0-10 to 90-100.
    pub histogram: [usize; 10],
    pub scenarios: Vec<ScenarioRow>,
    /// Mean of each rubric item (integration and FIS, 1..5) across attempts.
    pub rubric: Vec<(String, f64)>,
    pub decisions: Vec<DecisionRow>,
    pub misfits: Vec<MisfitRow>,
}

/// A fit under this is a misfit for the report (the app shows it as a poor fit).
const MISFIT_BELOW: f64 = 45.0;

fn pearson(xs: &[f64], ys: &[f64]) -> Option<f64> {
    let n = xs.len() as f64;
    if xs.len() < 5 {
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

pub fn build(results: &[AttemptResult]) -> ClassReport {
    let mut r = ClassReport {
        attempts: results.len(),
        ..Default::default()
    };
    let mut learners = std::collections::BTreeSet::new();
    let mut per_scenario: BTreeMap<&str, ScenarioRow> = BTreeMap::new();
    let mut rubric: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    let mut decisions: BTreeMap<(&str, u32), (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    let mut misfits: BTreeMap<(&str, &str), (usize, f64)> = BTreeMap::new();
    let mut total = 0.0;
    for a in results {
        if let Some(l) = &a.learner {
            learners.insert(l.as_str());
        }
        let overall = a.summary["overall"].as_f64().unwrap_or(0.0);
        let passed = a.summary["passed"].as_bool().unwrap_or(false);
        total += overall;
        r.passed += usize::from(passed);
        r.histogram[((overall / 10.0) as usize).min(9)] += 1;
        let row = per_scenario
            .entry(&a.scenario.id)
            .or_insert_with(|| ScenarioRow {
                scenario_id: a.scenario.id.clone(),
                ..Default::default()
            });
        row.attempts += 1;
        row.passed += usize::from(passed);
        row.mean_overall += overall;
        for group in ["integration", "fis"] {
            if let Some(items) = a.summary[group].as_object() {
                for (k, v) in items {
                    if let Some(v) = v.as_f64() {
                        let e = rubric.entry(format!("{group}.{k}")).or_default();
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
            s
        })
        .collect();
    r.rubric = rubric
        .into_iter()
        .map(|(k, (sum, n))| (k, sum / n as f64))
        .collect();
    r.decisions = decisions
        .into_iter()
        .map(|((s, turn), (fits, overalls))| DecisionRow {
            scenario_id: s.to_string(),
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
    r
}

impl ClassReport {
    pub fn text(&self) -> String {
        let mut o = String::new();
        let pct = |n: usize, d: usize| {
            if d == 0 {
                0.0
            } else {
                100.0 * n as f64 / d as f64
            }
        };
        let _ = writeln!(
            o,
            "{} attempt(s) by {} learner(s): mean {:.1}, {:.0}% passed",
            self.attempts,
            self.learners,
            self.mean_overall,
            pct(self.passed, self.attempts)
        );
        let _ = writeln!(o, "\nBy scenario:");
        for s in &self.scenarios {
            let _ = writeln!(
                o,
                "  {:<42} {:>5} attempts  mean {:>5.1}  passed {:>3.0}%",
                s.scenario_id,
                s.attempts,
                s.mean_overall,
                pct(s.passed, s.attempts)
            );
        }
        let _ = writeln!(o, "\nMost common misfits (fit under {MISFIT_BELOW:.0}):");
        for m in self.misfits.iter().take(8) {
            let _ = writeln!(
                o,
                "  {:>5} x {} in {} (mean fit {:.0})",
                m.count, m.technique, m.scenario_id, m.mean_fit
            );
        }
        o
    }

    pub fn csv_scenarios(&self) -> String {
        let mut o = String::from("scenario_id,attempts,passed,pass_rate,mean_overall\n");
        for s in &self.scenarios {
            let _ = writeln!(
                o,
                "{},{},{},{:.3},{:.2}",
                s.scenario_id,
                s.attempts,
                s.passed,
                s.passed as f64 / s.attempts as f64,
                s.mean_overall
            );
        }
        o
    }

    pub fn csv_decisions(&self) -> String {
        let mut o = String::from("scenario_id,turn,attempts,difficulty,discrimination\n");
        for d in &self.decisions {
            let _ = writeln!(
                o,
                "{},{},{},{:.3},{}",
                d.scenario_id,
                d.turn,
                d.attempts,
                d.difficulty,
                d.discrimination
                    .map_or(String::new(), |v| format!("{v:.3}"))
            );
        }
        o
    }

    pub fn csv_misfits(&self) -> String {
        let mut o = String::from("scenario_id,technique,count,mean_fit\n");
        for m in &self.misfits {
            let _ = writeln!(
                o,
                "{},{},{},{:.1}",
                m.scenario_id, m.technique, m.count, m.mean_fit
            );
        }
        o
    }

    /// One page, no external files: inline CSS and SVG.
    pub fn html(&self, title: &str) -> String {
        let esc = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
        };
        let mut o = String::new();
        let _ = write!(
            o,
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title><style>\
             body{{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1000px;color:#222}}\
             h1{{font-size:1.6rem}} h2{{font-size:1.2rem;margin-top:2rem}} table{{border-collapse:collapse;width:100%}}\
             td,th{{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}} td.n{{text-align:right}}\
             .k{{display:inline-block;margin-right:2rem}} .k b{{font-size:1.6rem;display:block}}</style></head><body>\
             <h1>{t}</h1>",
            t = esc(title)
        );
        let pct = |n: usize, d: usize| {
            if d == 0 {
                0.0
            } else {
                100.0 * n as f64 / d as f64
            }
        };
        let _ = write!(
            o,
            "<div><span class=\"k\"><b>{}</b>attempts</span><span class=\"k\"><b>{}</b>learners</span><span class=\"k\"><b>{:.1}</b>mean score</span><span class=\"k\"><b>{:.0}%</b>passed</span></div>",
            self.attempts,
            self.learners,
            self.mean_overall,
            pct(self.passed, self.attempts)
        );
        // Score distribution: vertical bars, Okabe-Ito blue.
        let max = *self.histogram.iter().max().unwrap_or(&1).max(&1) as f64;
        let _ = write!(
            o,
            "<h2>Score distribution</h2><svg role=\"img\" aria-label=\"Attempts per score band\" viewBox=\"0 0 620 240\" width=\"620\" height=\"240\">"
        );
        for (i, n) in self.histogram.iter().enumerate() {
            let h = 180.0 * *n as f64 / max;
            let x = 40 + i * 58;
            let _ = write!(
                o,
                "<rect x=\"{x}\" y=\"{:.1}\" width=\"48\" height=\"{h:.1}\" fill=\"#0072B2\"><title>{}-{}: {n}</title></rect><text x=\"{}\" y=\"226\" font-size=\"11\" text-anchor=\"middle\">{}-{}</text><text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{n}</text>",
                200.0 - h,
                i * 10,
                i * 10 + 10,
                x + 24,
                i * 10,
                i * 10 + 10,
                x + 24,
                195.0 - h
            );
        }
        let _ = write!(o, "</svg>");
        // Pass rate per scenario: horizontal bars.
        let _ = write!(
            o,
            "<h2>Pass rate by scenario</h2><svg role=\"img\" aria-label=\"Pass rate per scenario\" viewBox=\"0 0 900 {}\" width=\"900\">",
            24 * self.scenarios.len() + 10
        );
        for (i, s) in self.scenarios.iter().enumerate() {
            let rate = pct(s.passed, s.attempts);
            let y = 5 + i * 24;
            let _ = write!(
                o,
                "<text x=\"0\" y=\"{}\" font-size=\"12\">{}</text><rect x=\"330\" y=\"{y}\" width=\"{:.1}\" height=\"16\" fill=\"#009E73\"/><text x=\"{:.1}\" y=\"{}\" font-size=\"12\">{rate:.0}% of {}</text>",
                y + 13,
                esc(&s.scenario_id),
                4.5 * rate,
                336.0 + 4.5 * rate,
                y + 13,
                s.attempts
            );
        }
        let _ = write!(o, "</svg>");
        let _ = write!(
            o,
            "<h2>Rubric breakdown (mean, 1 to 5)</h2><table><tr><th>item</th><th>mean</th></tr>"
        );
        for (k, v) in &self.rubric {
            let _ = write!(
                o,
                "<tr><td>{}</td><td class=\"n\">{v:.2}</td></tr>",
                esc(&k.replace('_', " "))
            );
        }
        let _ = write!(
            o,
            "</table><h2>Decisions: difficulty and discrimination</h2><p>Difficulty is the mean fit of the move made at that turn (1 = every learner chose well); discrimination is the correlation of that turn's fit with the attempt's overall score (how well the decision separates strong from weak attempts).</p><table><tr><th>scenario</th><th>turn</th><th>attempts</th><th>difficulty</th><th>discrimination</th></tr>"
        );
        for d in &self.decisions {
            let _ = write!(
                o,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.2}</td><td class=\"n\">{}</td></tr>",
                esc(&d.scenario_id),
                d.turn,
                d.attempts,
                d.difficulty,
                d.discrimination.map_or("-".into(), |v| format!("{v:.2}"))
            );
        }
        let _ = write!(
            o,
            "</table><h2>Most common misfits</h2><table><tr><th>scenario</th><th>technique</th><th>times</th><th>mean fit</th></tr>"
        );
        for m in &self.misfits {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{:.0}</td></tr>",
                esc(&m.scenario_id),
                esc(&m.technique),
                m.count,
                m.mean_fit
            );
        }
        let _ = write!(o, "</table></body></html>\n");
        o
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
}
