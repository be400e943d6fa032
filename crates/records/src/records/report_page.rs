//! The class report as one self-contained HTML page: inline CSS, inline SVG, and a short
//! inline script that sorts the gradebook's tables by a clicked column (no network, no
//! other file needed).

use std::fmt::Write;

use super::gradebook::Shown;
use super::report::{ClassReport, MIN_FOR_DISCRIMINATION, MISFIT_BELOW, percent};
use super::words;

const STYLE: &str = "\
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#222;line-height:1.4}\
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.25rem;margin-top:2.2rem} h3{font-size:1rem;margin:1.4rem 0 .4rem}\
p.about{color:#555;margin-top:0} p.note{color:#444;max-width:60rem}\
table{border-collapse:collapse;width:100%;margin:.4rem 0} table.compact{width:auto;min-width:30rem} caption{text-align:left;font-weight:600;padding:.3rem 0}\
td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}\
th{background:#f4f4f4;white-space:nowrap} td.n,th.n{text-align:right;white-space:nowrap} td.w{white-space:nowrap} td.client{min-width:13rem} td.said{min-width:18rem}\
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit;text-align:inherit}\
th button::after{content:' \\2195';color:#999} th[aria-sort=ascending] button::after{content:' \\25B2';color:#222}\
th[aria-sort=descending] button::after{content:' \\25BC';color:#222}\
.pass{color:#00734f;font-weight:600} .fail{color:#a3401d;font-weight:600} .muted{color:#777}\
.k{display:inline-block;margin-right:2.5rem} .k b{font-size:1.6rem;display:block}\
.bar{display:inline-block;height:.8rem;background:#009E73;vertical-align:middle;margin-right:.4rem}";

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A table heading that sorts its column when pressed.
fn sort_head(label: &str, numeric: bool) -> String {
    format!(
        "<th scope=\"col\"{}><button type=\"button\">{}</button></th>",
        if numeric { " class=\"n\"" } else { "" },
        esc(label)
    )
}

fn result_cell(passed: bool) -> &'static str {
    if passed {
        "<td class=\"pass w\">Passed</td>"
    } else {
        "<td class=\"fail w\">Not passed</td>"
    }
}

fn time_cell(seconds: Option<u64>) -> String {
    match seconds {
        Some(s) => format!(
            "<td class=\"n\" data-sort=\"{s}\">{}</td>",
            words::duration(s)
        ),
        None => "<td class=\"n muted\" data-sort=\"\">not recorded</td>".into(),
    }
}

pub fn html(r: &ClassReport, title: &str) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t}</title><style>{STYLE}</style></head><body><h1>{t}</h1>",
        t = esc(title)
    );
    if !r.source.is_empty() {
        let _ = write!(o, "<p class=\"about\">{}</p>", esc(&r.source));
    }
    let _ = write!(
        o,
        "<div><span class=\"k\"><b>{}</b>{}</span><span class=\"k\"><b>{}</b>{}</span>\
         <span class=\"k\"><b>{}</b>mean score</span><span class=\"k\"><b>{:.0}%</b>passed</span></div>",
        r.attempts,
        if r.attempts == 1 {
            "attempt"
        } else {
            "attempts"
        },
        r.learners,
        if r.learners == 1 {
            "learner"
        } else {
            "learners"
        },
        words::score(r.mean_overall),
        percent(r.passed, r.attempts)
    );
    flags(&mut o, r);
    dropped(&mut o, r);
    gradebook(&mut o, r);
    miti_profiles(&mut o, r);
    said(&mut o, r);
    distribution(&mut o, r);
    by_client(&mut o, r);
    rubric(&mut o, r);
    decisions(&mut o, r);
    misfits(&mut o, r);
    let _ = writeln!(
        o,
        "<script>{}</script></body></html>",
        include_str!("sortable.js")
    );
    o
}

/// The results left out because they do not verify, each with why, before any figure.
fn dropped(o: &mut String, r: &ClassReport) {
    if r.dropped.is_empty() {
        return;
    }
    let _ = write!(
        o,
        "<h2 id=\"dropped\">Not counted</h2><p class=\"note\">{} {} left out of every figure \
         on this page, each for the reason given (it did not verify, or it repeats an attempt \
         already counted):</p><ul>",
        esc(&attune_core::words::count_with(
            r.dropped.len(),
            "result",
            "results"
        )),
        if r.dropped.len() == 1 { "is" } else { "are" }
    );
    for d in &r.dropped {
        let _ = write!(
            o,
            "<li><code>{}</code>: {}</li>",
            esc(&d.name),
            d.reasons
                .iter()
                .map(|w| esc(w))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    let _ = write!(o, "</ul>");
}

/// How an attempt was played, in words.
fn played_cell(played: Option<super::result::Played>) -> String {
    match played {
        Some(p) => format!("<td class=\"w\">{}</td>", esc(p.words())),
        None => "<td class=\"w muted\">not recorded</td>".into(),
    }
}

/// What the record store's statements do not vouch for, one sentence each, before any figure.
fn flags(o: &mut String, r: &ClassReport) {
    if r.flags.is_empty() {
        return;
    }
    let _ = write!(
        o,
        "<h2 id=\"flags\">Flagged</h2><p class=\"note\">Attempts to look at before grading: \
         each says what is wrong and whether it is counted below.</p><ul>"
    );
    for f in &r.flags {
        let _ = write!(o, "<li>{}</li>", esc(f));
    }
    o.push_str("</ul>");
}

fn gradebook(o: &mut String, r: &ClassReport) {
    let book = &r.gradebook;
    let _ = write!(
        o,
        "<h2 id=\"gradebook\">Gradebook</h2><p class=\"note\">Each learner's attempt at each \
         client. A learner who tried a client more than once has two rows, the best attempt and \
         the latest, and the <i>Attempt</i> column says which. <i>Played</i> says whether it was \
         played in the app's window or from a script (a result file from before Attune recorded \
         it says neither). Press a column's heading to sort \
         by it. The same rows are in <code>gradebook.csv</code> beside this page.</p>"
    );
    let _ = write!(
        o,
        "<table class=\"sortable\" id=\"learners\"><caption>Learners: their best attempt at each client</caption><thead><tr>{}{}{}{}{}</tr></thead><tbody>",
        sort_head("Learner", false),
        sort_head("Clients passed", true),
        sort_head("Clients", true),
        sort_head("Mean best score", true),
        sort_head("Time, all attempts", true),
    );
    for l in &book.learners {
        let _ = write!(
            o,
            "<tr><td class=\"w\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>{}</tr>",
            esc(&l.learner),
            l.passed,
            l.clients,
            words::score(l.mean_best),
            time_cell(l.seconds)
        );
    }
    // Where every attempt was taken alike (one pack, say), the caption says it once.
    let settings: std::collections::BTreeSet<&str> =
        book.rows.iter().map(|g| g.taken_in.as_str()).collect();
    let one_setting = (settings.len() == 1)
        .then(|| settings.iter().next().copied())
        .flatten();
    let caption = match one_setting {
        Some(s) if s == "practice" || s == "assessment" => format!("Attempts, all in {s}"),
        Some(pack) => format!("Attempts, all in the pack \u{201c}{pack}\u{201d}"),
        None => "Attempts".to_string(),
    };
    let _ = write!(
        o,
        "</tbody></table><table class=\"sortable\" id=\"attempts\"><caption>{}</caption><thead><tr>{}{}{}{}{}{}{}{}{}{}</tr></thead><tbody>",
        esc(&caption),
        sort_head("Learner", false),
        sort_head("Client", false),
        if one_setting.is_some() {
            String::new()
        } else {
            sort_head("Taken in", false)
        },
        sort_head("Played", false),
        sort_head("Attempt", false),
        sort_head("Score", true),
        sort_head("Result", false),
        sort_head("Why not passed", false),
        sort_head("Time taken", true),
        sort_head("Finished", false),
    );
    for g in &book.rows {
        let why = if g.why_not.is_empty() {
            String::new()
        } else {
            g.why_not
                .iter()
                .map(|w| esc(w))
                .collect::<Vec<_>>()
                .join("<br>")
        };
        let shown = g.shown.words(g.attempts);
        let taken_in = if one_setting.is_some() {
            String::new()
        } else {
            format!("<td>{}</td>", esc(&g.taken_in))
        };
        let _ = write!(
            o,
            "<tr><td class=\"w\">{}</td><td class=\"client\">{}</td>{taken_in}{}<td class=\"w{}\">{}</td><td class=\"n\">{}</td>{}<td>{}</td>{}<td class=\"w\" data-sort=\"{}\">{}</td></tr>",
            esc(&g.learner),
            esc(&g.title),
            played_cell(g.played),
            if g.shown == Shown::Only { " muted" } else { "" },
            esc(&shown),
            words::score(g.overall),
            result_cell(g.passed),
            why,
            time_cell(g.seconds),
            esc(&g.finished_at),
            esc(&words::timestamp(&g.finished_at)),
        );
    }
    let _ = write!(o, "</tbody></table>");
}

/// A band's cell: its label, coloured as pass and fail are for good and below fair.
fn band_cell(text: String, band: Option<attune_core::scoring::MitiBand>) -> String {
    use attune_core::scoring::MitiBand;
    let class = match band {
        Some(MitiBand::Good) => "pass",
        Some(MitiBand::BelowFair) => "fail",
        Some(MitiBand::Fair) | None => "",
    };
    format!("<td class=\"w {class}\">{}</td>", esc(&text))
}

/// Each learner's MITI profile from their own words; a learner who typed none says so.
fn miti_profiles(o: &mut String, r: &ClassReport) {
    use super::miti_profile::{NO_WORDS, other_codes, percent_complex, reflections_per_question};
    if r.profiles.is_empty() {
        return;
    }
    let _ = write!(
        o,
        "<h2 id=\"miti\">MITI profiles</h2><p class=\"note\">What each learner's own words \
         read as, across their attempts: one MITI 4.2.1 code a turn they typed words for (turns \
         chosen from the menu alone are not counted); <i>refl.</i> is reflections. \
         Reflections per question: fair 1:1, good 2:1. Complex reflections among reflections \
         (<i>% complex refl.</i>): fair 40%, good 50%. The same rows are in \
         <code>miti_profiles.csv</code>; every turn's words are in <code>turns.csv</code>.</p>\
         <table class=\"sortable\" id=\"profiles\"><thead><tr>{}{}{}{}{}{}{}{}</tr></thead><tbody>",
        sort_head("Learner", false),
        sort_head("Turns with words", true),
        sort_head("Questions", true),
        sort_head("Simple refl.", true),
        sort_head("Complex refl.", true),
        sort_head("Other codes", true),
        sort_head("Refl. per question", false),
        sort_head("% complex refl.", false),
    );
    for p in &r.profiles {
        match &p.counts {
            None => {
                let _ = write!(
                    o,
                    "<tr><td class=\"w\">{}</td><td class=\"muted\" colspan=\"7\">{}</td></tr>",
                    esc(&p.learner),
                    esc(NO_WORDS)
                );
            }
            Some(m) => {
                let _ = write!(
                    o,
                    "<tr><td class=\"w\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>{}{}</tr>",
                    esc(&p.learner),
                    m.from_words,
                    m.questions,
                    m.simple_reflections,
                    m.complex_reflections,
                    other_codes(m),
                    band_cell(reflections_per_question(m), m.reflection_band()),
                    band_cell(percent_complex(m), m.complex_band()),
                );
            }
        }
    }
    o.push_str("</tbody></table>");
}

/// What each learner said at each turn they typed words for, with how the words read.
fn said(o: &mut String, r: &ClassReport) {
    if r.said.is_empty() {
        return;
    }
    let _ = write!(
        o,
        "<h2 id=\"said\">What they said</h2><p class=\"note\">Every turn a learner typed \
         their own words for: the move they confirmed, their words, the MITI code the words \
         read as, and where the words do not do what the move does.</p>\
         <table class=\"sortable\" id=\"said-turns\"><thead><tr>{}{}{}{}{}{}{}</tr></thead><tbody>",
        sort_head("Learner", false),
        sort_head("Client", false),
        sort_head("Turn", true),
        sort_head("Move", false),
        sort_head("Said", false),
        sort_head("Reads as", false),
        sort_head("Mismatch", false),
    );
    for t in &r.said {
        let _ = write!(
            o,
            "<tr><td class=\"w\">{}</td><td class=\"client\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"said\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(&t.learner),
            esc(&t.client),
            t.turn,
            esc(&words::technique(&t.technique)),
            esc(&t.said),
            t.coded_as.map_or("", attune_core::coding::miti_phrase),
            esc(t.mismatch.as_deref().unwrap_or("")),
        );
    }
    o.push_str("</tbody></table>");
}

fn distribution(o: &mut String, r: &ClassReport) {
    // Vertical bars, Okabe-Ito blue; each band starts at its lower edge.
    let max = (*r.histogram.iter().max().unwrap_or(&1)).max(1) as f64;
    let _ = write!(
        o,
        "<h2 id=\"distribution\">Score distribution</h2><p class=\"note\">Attempts by overall score, in bands of ten: \
         a score of 60 counts in 60 to 69.9.</p><svg role=\"img\" aria-label=\"Attempts per score band\" \
         viewBox=\"0 0 620 240\" width=\"620\" height=\"240\">"
    );
    for (i, n) in r.histogram.iter().enumerate() {
        let h = 180.0 * *n as f64 / max;
        let x = 40 + i * 58;
        let (from, to) = (
            i * 10,
            if i == 9 {
                "100".to_string()
            } else {
                format!("{}.9", i * 10 + 9)
            },
        );
        let _ = write!(
            o,
            "<rect x=\"{x}\" y=\"{:.1}\" width=\"48\" height=\"{h:.1}\" fill=\"#0072B2\"><title>{from} to {to}: {}</title></rect>\
             <text x=\"{}\" y=\"226\" font-size=\"11\" text-anchor=\"middle\">{from}-{to}</text>\
             <text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{n}</text>",
            200.0 - h,
            attune_core::words::count_with(*n, "attempt", "attempts"),
            x + 24,
            x + 24,
            195.0 - h
        );
    }
    let _ = write!(o, "</svg>");
}

fn by_client(o: &mut String, r: &ClassReport) {
    let _ = write!(
        o,
        "<h2 id=\"clients\">Pass rate by client</h2><table><thead><tr><th scope=\"col\">Client</th>\
         <th scope=\"col\" class=\"n\">Attempts</th><th scope=\"col\" class=\"n\">Mean score</th>\
         <th scope=\"col\">Passed</th></tr></thead><tbody>"
    );
    for s in &r.scenarios {
        let rate = percent(s.passed, s.attempts);
        let _ = write!(
            o,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td><span class=\"bar\" style=\"width:{:.0}px\"></span>{rate:.0}% ({} of {})</td></tr>",
            esc(&s.title),
            s.attempts,
            words::score(s.mean_overall),
            2.0 * rate,
            s.passed,
            s.attempts
        );
    }
    let _ = write!(o, "</tbody></table>");
}

fn rubric(o: &mut String, r: &ClassReport) {
    let _ = write!(
        o,
        "<h2 id=\"rubric\">Rubric breakdown</h2><p class=\"note\">The mean rating of each item over every \
         attempt, from 1 (poor) to 5 (excellent), as each session's debrief rates it.</p>"
    );
    let mut groups: Vec<&str> = r.rubric.iter().map(|x| x.group.as_str()).collect();
    groups.dedup();
    for group in groups {
        let _ = write!(
            o,
            "<table class=\"compact\"><caption>{}</caption><thead><tr><th scope=\"col\">Item</th><th scope=\"col\" class=\"n\">Mean (1 to 5)</th></tr></thead><tbody>",
            esc(&words::rubric_group(group))
        );
        for item in r.rubric.iter().filter(|x| x.group == group) {
            let _ = write!(
                o,
                "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
                esc(&words::rubric_item(group, &item.item)),
                words::score(item.mean)
            );
        }
        let _ = write!(o, "</tbody></table>");
    }
}

fn decisions(o: &mut String, r: &ClassReport) {
    let show_discrimination = r.any_discrimination();
    let _ = write!(
        o,
        "<h2 id=\"decisions\">Decisions: difficulty and discrimination</h2><p class=\"note\">For each turn of each \
         client, the mean fit of the moves learners made there (out of 100; the lower, the harder \
         the decision)"
    );
    if show_discrimination {
        let _ = write!(
            o,
            ", and its discrimination: the correlation, from -1 to 1, of that turn's fit with the \
             attempt's overall score. A high value means strong attempts chose well there and weak \
             ones did not. It needs at least {MIN_FOR_DISCRIMINATION} attempts at a turn and some \
             spread in the fits.</p>"
        );
    } else {
        let most = r.decisions.iter().map(|d| d.attempts).max().unwrap_or(0);
        let _ = write!(
            o,
            ".</p><p class=\"note\">Discrimination (how well a decision separates strong attempts \
             from weak ones) is not shown: it needs at least {MIN_FOR_DISCRIMINATION} attempts at a \
             turn with some spread in their fits, and {}.</p>",
            if most < MIN_FOR_DISCRIMINATION {
                format!(
                    "no turn here has more than {}",
                    attune_core::words::count_with(most, "attempt", "attempts")
                )
            } else {
                "at every turn here all learners' moves fitted alike".to_string()
            }
        );
    }
    let mut clients: Vec<(&str, &str)> = r
        .decisions
        .iter()
        .map(|d| (d.scenario_id.as_str(), d.title.as_str()))
        .collect();
    clients.dedup();
    for (id, title) in clients {
        let _ = write!(
            o,
            "<table class=\"compact\"><caption>{}</caption><thead><tr><th scope=\"col\" class=\"n\">Turn</th>\
             <th scope=\"col\" class=\"n\">Attempts</th><th scope=\"col\" class=\"n\">Mean fit</th>{}</tr></thead><tbody>",
            esc(title),
            if show_discrimination {
                "<th scope=\"col\" class=\"n\">Discrimination</th>"
            } else {
                ""
            }
        );
        for d in r.decisions.iter().filter(|d| d.scenario_id == id) {
            let _ = write!(
                o,
                "<tr><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
                d.turn,
                d.attempts,
                words::score(100.0 * d.difficulty)
            );
            if show_discrimination {
                let _ = match d.discrimination {
                    Some(v) => write!(o, "<td class=\"n\">{v:.2}</td>"),
                    None => write!(
                        o,
                        "<td class=\"n muted\">{}</td>",
                        d.why_no_discrimination()
                    ),
                };
            }
            let _ = write!(o, "</tr>");
        }
        let _ = write!(o, "</tbody></table>");
    }
}

fn misfits(o: &mut String, r: &ClassReport) {
    let _ = write!(
        o,
        "<h2 id=\"misfits\">Most common misfits</h2><p class=\"note\">Moves that scored a fit under \
         {MISFIT_BELOW:.0} (a poor fit for that client at that moment), most frequent first.</p>"
    );
    if r.misfits.is_empty() {
        let _ = write!(
            o,
            "<p>No move in these attempts had a fit under {MISFIT_BELOW:.0}.</p>"
        );
        return;
    }
    let _ = write!(
        o,
        "<table><thead><tr><th scope=\"col\">Client</th><th scope=\"col\">Technique</th>\
         <th scope=\"col\" class=\"n\">Times</th><th scope=\"col\" class=\"n\">Mean fit</th></tr></thead><tbody>"
    );
    for m in &r.misfits {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&m.title),
            esc(&words::technique(&m.technique)),
            m.count,
            m.mean_fit_shown()
        );
    }
    let _ = write!(o, "</tbody></table>");
}
