//! Checks the types cannot make: ranges, unique ids, references to techniques, events and
//! flags that exist, the parts every scenario needs.

use std::collections::{BTreeSet, HashSet};

use super::{Effect, FORMAT_VERSION, Scenario, Trigger};
use crate::model::{Catalogue, Checker, Component, Condition, validate_technique};
use crate::source::{Issue, Path, Severity, did_you_mean};

pub fn validate_scenario(s: &Scenario, catalogue: &Catalogue) -> Vec<Issue> {
    let root = Path::root();
    let mut techniques: Vec<&str> = catalogue.techniques.iter().map(|t| t.id.as_str()).collect();
    techniques.extend(s.techniques.iter().map(|t| t.id.as_str()));
    let settable = super::settable_flags(s, catalogue);
    let mut c = Checker {
        issues: Vec::new(),
        techniques,
        events: s.events.iter().map(|e| e.id.as_str()).collect(),
        settable_flags: settable,
    };

    if s.format_version != FORMAT_VERSION {
        c.error(
            root.field("format_version"),
            format!(
                "format version {} is not supported; this Attune reads version {FORMAT_VERSION}",
                s.format_version
            ),
        );
    }
    let meta = root.field("meta");
    if s.meta.id.is_empty()
        || !s
            .meta
            .id
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-' || ch == '_')
    {
        c.error(
            meta.field("id"),
            "the scenario id must be lower-case letters, digits, `-` or `_`, and not empty",
        );
    }
    if s.meta.title.trim().is_empty() {
        c.error(meta.field("title"), "the scenario needs a title");
    }
    if s.meta.learning_objectives.is_empty() {
        c.error(
            meta.field("learning_objectives"),
            "list at least one learning objective",
        );
    }

    let client = root.field("client");
    if !(1..=120).contains(&s.client.age) {
        c.error(
            client.field("age"),
            format!("age {} is not plausible", s.client.age),
        );
    }
    for (field, text) in [
        ("name", &s.client.name),
        ("presenting_problem", &s.client.presenting_problem),
        ("background", &s.client.background),
    ] {
        if text.trim().is_empty() {
            c.error(
                client.field(field),
                format!("the client's {} is empty", field.replace('_', " ")),
            );
        }
    }
    if let Some(tone) = s.client.appearance.and_then(|a| a.skin_tone)
        && !(1..=5).contains(&tone)
    {
        c.error(
            client.field("appearance").field("skin_tone"),
            format!("skin_tone {tone} must be 1 (lightest) to 5 (darkest)"),
        );
    }
    let traits = client.field("traits");
    let tr = &s.client.traits;
    for (field, v) in [
        ("reactance", tr.reactance),
        ("externalizing", tr.externalizing),
        ("impairment", tr.impairment),
        ("complexity", tr.complexity),
        ("social_support", tr.social_support),
        ("attachment_security", tr.attachment_security),
        ("expectations", tr.expectations),
    ] {
        c.unit(traits.field(field), &format!("trait `{field}`"), v);
    }
    let prefs = client.field("preferences");
    if let Some(v) = s.client.preferences.directiveness {
        c.unit(prefs.field("directiveness"), "preferred directiveness", v);
    }
    if let Some(v) = s.client.preferences.focus {
        c.unit(prefs.field("focus"), "preferred focus", v);
    }
    c.unit(
        client.field("culture").field("salience"),
        "cultural salience",
        s.client.culture.salience,
    );
    c.unit(
        client.field("religion").field("salience"),
        "religious salience",
        s.client.religion.salience,
    );

    let state = root.field("initial_state");
    let st = &s.initial_state;
    for (field, v) in [
        ("bond", st.bond),
        ("goals", st.goals),
        ("tasks", st.tasks),
        ("distress", st.distress),
        ("hope", st.hope),
        ("strain", st.strain),
        ("stage_progress", st.stage_progress),
    ] {
        c.unit(state.field(field), &format!("initial `{field}`"), v);
    }
    if let Some(v) = st.reactance {
        c.unit(state.field("reactance"), "initial `reactance`", v);
    }

    let session = root.field("session");
    if !(1..=100).contains(&s.session.turn_limit) {
        c.error(
            session.field("turn_limit"),
            format!(
                "turn limit {} must be between 1 and 100",
                s.session.turn_limit
            ),
        );
    }
    if s.session.opening_line.trim().is_empty() {
        c.error(
            session.field("opening_line"),
            "the client needs an opening line",
        );
    }
    if let Some(p) = s.session.pass_mark {
        c.range(session.field("pass_mark"), "pass mark", p, 0.0, 100.0);
    }
    c.unit(
        session.field("end").field("dropout_alliance"),
        "dropout alliance",
        s.session.end.dropout_alliance,
    );

    // Responses: unique ids, real lines, a fallback.
    let responses = root.field("responses");
    if s.responses.is_empty() {
        c.error(
            responses.clone(),
            "the scenario needs at least one response line",
        );
    }
    let mut seen = HashSet::new();
    for (i, r) in s.responses.iter().enumerate() {
        let p = responses.index(i);
        if !seen.insert(r.id.as_str()) {
            c.error(
                p.field("id"),
                format!("response id `{}` is used twice", r.id),
            );
        }
        if r.lines.is_empty() || r.lines.iter().any(|l| l.trim().is_empty()) {
            c.error(
                p.field("lines"),
                format!("response `{}` needs at least one non-empty line", r.id),
            );
        }
        c.condition(p.field("when"), &r.when);
    }
    if !s.responses.is_empty()
        && !s
            .responses
            .iter()
            .any(|r| r.when == Condition::default() && !r.once)
    {
        c.error(responses, "no fallback response: add one with no `when` (and not `once`) so the client always has something to say");
    }

    // Clearing a flag nothing sets does nothing: most likely a misspelt name.
    let effect_lists = s
        .responses
        .iter()
        .enumerate()
        .map(|(i, r)| (root.field("responses").index(i), &r.effects))
        .chain(
            s.events
                .iter()
                .enumerate()
                .map(|(i, e)| (root.field("events").index(i), &e.effects)),
        );
    let mut cleared_unset = Vec::new();
    for (at, effects) in effect_lists {
        for (j, e) in effects.iter().enumerate() {
            if let Effect::ClearFlag(f) = e
                && !c.settable_flags.contains(f.as_str())
            {
                cleared_unset.push((at.field("effects").index(j), f));
            }
        }
    }
    for (at, f) in cleared_unset {
        let help = c.flag_help(f);
        c.warn_with(
            at,
            format!("`ClearFlag(\"{f}\")` clears a flag nothing sets, so it does nothing"),
            help,
        );
    }

    let events = root.field("events");
    let mut seen = HashSet::new();
    for (i, e) in s.events.iter().enumerate() {
        let p = events.index(i);
        if !seen.insert(e.id.as_str()) {
            c.error(p.field("id"), format!("event id `{}` is used twice", e.id));
        }
        match &e.trigger {
            Trigger::AtTurn(n) if *n == 0 || *n > s.session.turn_limit => {
                c.error(
                    p.field("trigger"),
                    format!(
                        "event `{}` is set for turn {n}, outside turns 1 to {}",
                        e.id, s.session.turn_limit
                    ),
                );
            }
            Trigger::AtTurn(_) => {}
            Trigger::When(cond) => c.condition(p.field("trigger"), cond),
        }
        if e.lines.is_empty() && e.effects.is_empty() {
            c.warn(
                p.clone(),
                format!(
                    "event `{}` has neither lines nor effects, so nothing happens when it fires",
                    e.id
                ),
            );
        }
    }

    let moments = root.field("key_moments");
    let mut seen = HashSet::new();
    for (i, m) in s.key_moments.iter().enumerate() {
        let p = moments.index(i);
        if !seen.insert(m.id.as_str()) {
            c.error(
                p.field("id"),
                format!("key moment id `{}` is used twice", m.id),
            );
        }
        c.condition(p.field("when"), &m.when);
        let schools: BTreeSet<_> = m.commentary.iter().map(|x| x.school).collect();
        // No commentary at all is the lint's error (scenario/lint/commentary.rs).
        if !m.commentary.is_empty() && schools.len() < 3 {
            c.warn(p.field("commentary"), format!("key moment `{}` has commentary from {} school(s); give at least three points of view", m.id, schools.len()));
        }
    }

    let own = root.field("techniques");
    for (i, t) in s.techniques.iter().enumerate() {
        let p = own.index(i);
        if catalogue.get(&t.id).is_some() {
            c.error(
                p.field("id"),
                format!(
                    "technique `{}` already exists in the catalogue; give yours a new id",
                    t.id
                ),
            );
        }
        if s.techniques[..i].iter().any(|o| o.id == t.id) {
            c.error(
                p.field("id"),
                format!("technique id `{}` is used twice", t.id),
            );
        }
        let known = c.techniques.clone();
        validate_technique(t, &p, &known, &mut c.issues);
    }

    for (i, r) in s.session.pass_requires.iter().enumerate() {
        let p = root.field("session").field("pass_requires").index(i);
        if !c.settable_flags.contains(r.flag.as_str()) {
            let help = c.flag_help(&r.flag);
            c.issues.push(Issue {
                path: p.field("flag"),
                severity: Severity::Error,
                message: format!("flag `{}` is never set by the initial state, a technique or an effect, so no session could pass", r.flag),
                help,
            });
        }
        if r.why.trim().is_empty() {
            c.error(
                p.field("why"),
                "say in `why` what the session must reach, for the debrief".to_string(),
            );
        }
    }

    for (id, rules) in &s.technique_rules {
        let p = root.field("technique_rules").key(id);
        c.technique_ref(p.clone(), id);
        for (i, pre) in rules.prerequisites.iter().enumerate() {
            c.condition(p.field("prerequisites").index(i).field("needs"), &pre.needs);
            if pre.label.trim().is_empty() {
                c.error(
                    p.field("prerequisites").index(i),
                    "a prerequisite needs a `label` saying in plain words what must come first"
                        .to_string(),
                );
            }
        }
        for (i, contra) in rules.contraindications.iter().enumerate() {
            c.condition(
                p.field("contraindications").index(i).field("when"),
                &contra.when,
            );
            if contra.reason.trim().is_empty() {
                c.error(
                    p.field("contraindications").index(i),
                    "a contraindication needs a `reason` naming the harm and its source"
                        .to_string(),
                );
            }
        }
    }

    for (name, v) in &s.weights {
        let p = root.field("weights").key(name);
        if Component::from_name(name).is_none() {
            let names: Vec<&str> = Component::ALL.iter().map(|c| c.name()).collect();
            let help = did_you_mean(name, &names);
            c.issues.push(Issue {
                path: p,
                severity: Severity::Error,
                message: format!("`{name}` is not a scoring component"),
                help,
            });
        } else if !(0.0..=1.0).contains(v) {
            c.error(p, format!("weight {v} must lie between 0 and 1"));
        }
    }

    let plays = root.field("playthroughs");
    let mut seen = HashSet::new();
    for (i, play) in s.playthroughs.iter().enumerate() {
        let p = plays.index(i);
        if !seen.insert(play.name.as_str()) {
            c.error(
                p.field("name"),
                format!("playthrough name `{}` is used twice", play.name),
            );
        }
        for (j, choice) in play.choices.iter().enumerate() {
            c.technique_ref(
                p.field("choices").index(j).field("technique"),
                &choice.technique,
            );
        }
        let response_ids: Vec<&str> = s.responses.iter().map(|r| r.id.as_str()).collect();
        for (j, t) in play.expect.turns.iter().enumerate() {
            let tp = p.field("expect").field("turns").index(j);
            if t.turn == 0 || t.turn as usize > play.choices.len() {
                c.error(
                    tp.field("turn"),
                    format!(
                        "turn {} is not one of this playthrough's {} turns",
                        t.turn,
                        play.choices.len()
                    ),
                );
            }
            if let Some(id) = &t.response
                && !response_ids.contains(&id.as_str())
            {
                let help = did_you_mean(id, &response_ids);
                c.issues.push(Issue {
                    path: tp.field("response"),
                    severity: Severity::Error,
                    message: format!("no response has the id `{id}`"),
                    help,
                });
            }
            for (k, kind) in t.happens.iter().enumerate() {
                if !crate::model::TurnFlag::KINDS.contains(&kind.as_str()) {
                    let help = did_you_mean(kind, &crate::model::TurnFlag::KINDS);
                    c.issues.push(Issue {
                        path: tp.field("happens").index(k),
                        severity: Severity::Error,
                        message: format!(
                            "`{kind}` is not something that happens on a turn; one of: {}",
                            crate::model::TurnFlag::KINDS.join(", ")
                        ),
                        help,
                    });
                }
            }
        }
        for (field, flags) in [
            ("flags", &play.expect.flags),
            ("not_flags", &play.expect.not_flags),
        ] {
            for (j, f) in flags.iter().enumerate() {
                if !c.settable_flags.contains(f.as_str()) {
                    let help = c.flag_help(f);
                    c.warn_with(
                        p.field("expect").field(field).index(j),
                        format!(
                            "flag `{f}` is never set by the initial state, a technique or an effect"
                        ),
                        help,
                    );
                }
            }
        }
        if play.choices.len() > s.session.turn_limit as usize {
            c.error(
                p.field("choices"),
                format!(
                    "{} choices, more than the turn limit of {}",
                    play.choices.len(),
                    s.session.turn_limit
                ),
            );
        }
    }
    c.issues.extend(super::validate_series(s));
    c.issues
}
