//! Conditions that can never hold (lint 1). Each check is sound: it fires only when no
//! session, whatever the trainee does, could make the condition true, judged from what the
//! scenario can reach (`Reach`) and from where the condition is checked (`Place`).

use std::collections::HashMap;

use super::reach::Reach;
use crate::model::{ClientTraits, Condition, MomentKind, Range, RiskLevel, Rupture};
use crate::scoring::MoveProfile;
use crate::source::{Path, did_you_mean};

/// Where a condition is checked; each place sees different facts of the turn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Place {
    /// A response line: chosen after the state update, before any event of the turn fires.
    Response,
    /// An event's `When` trigger: events are checked in file order after the response, and
    /// each sees the events before it that fired this turn.
    Event(usize),
    /// A key moment: checked after every event of the turn.
    KeyMoment,
    /// A prerequisite or contraindication: checked before the move is scored, so no fit,
    /// no event and no rupture change of this turn yet.
    Gate,
}

/// Why a condition can never hold, at the part of it that says so.
pub struct Reason {
    pub path: Path,
    pub message: String,
    /// Validation already warns about this (a flag nothing sets); not repeated.
    pub already_reported: bool,
    /// It never holds only because of what this client can reach (their risk, stage,
    /// flags, clinical flags, the turn limit), not because the condition contradicts
    /// itself or is checked where it cannot be seen. A contraindication written for a
    /// state this client never reaches is a safeguard, not a mistake.
    pub about_this_client: bool,
    /// A suggestion, e.g. the known name closest to a misspelt one.
    pub help: Option<String>,
}

impl Reason {
    fn with_help(self, help: Option<String>) -> Reason {
        Reason { help, ..self }
    }
}

/// Events by id, and which of them can never fire (filled in by a fixpoint in `events`).
pub struct EventFacts<'a> {
    pub index: HashMap<&'a str, usize>,
    pub never_fire: Vec<bool>,
}

fn reason(path: Path, message: String) -> Reason {
    Reason {
        path,
        message,
        already_reported: false,
        about_this_client: false,
        help: None,
    }
}

fn unreached(path: Path, message: String) -> Reason {
    Reason {
        about_this_client: true,
        ..reason(path, message)
    }
}

fn range_text(r: &Range) -> String {
    match (r.min, r.max) {
        (Some(a), Some(b)) => format!("{a}..{b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => "any value".into(),
    }
}

fn list<T>(items: &[T], show: impl Fn(&T) -> String) -> String {
    items
        .iter()
        .map(|x| format!("`{}`", show(x)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every reason the condition can never hold; empty when it may hold.
pub fn why_never(
    c: &Condition,
    at: &Path,
    place: Place,
    reach: &Reach,
    events: &EventFacts,
) -> Vec<Reason> {
    let mut out = Vec::new();
    for (i, f) in c.flags.iter().enumerate() {
        if !reach.settable_flags.contains(f.as_str()) {
            out.push(Reason {
                path: at.field("flags").index(i),
                message: format!("flag `{f}` is never set"),
                already_reported: true,
                about_this_client: true,
                help: None,
            });
        }
    }
    technique_and_delivery(c, at, reach, &mut out);
    state(c, at, place, reach, &mut out);
    event(c, at, place, events, &mut out);
    out
}

/// The move: which techniques the condition lets through, and whether any of them can be
/// delivered as it asks.
fn technique_and_delivery(c: &Condition, at: &Path, reach: &Reach, out: &mut Vec<Reason>) {
    let matching = reach.techniques_matching(c);
    if matching.is_empty() {
        let has_tag = |g: &String| reach.techniques.iter().any(|t| t.has_tag(g));
        if !c.techniques.is_empty() && c.techniques.iter().all(|t| c.not_techniques.contains(t)) {
            out.push(reason(
                at.field("not_techniques"),
                "every technique in `techniques` is also in `not_techniques`".into(),
            ));
        } else if !c.tags.is_empty() && !c.tags.iter().any(has_tag) {
            let mut known: Vec<&str> = reach
                .techniques
                .iter()
                .flat_map(|t| t.tags.iter().map(String::as_str))
                .collect();
            known.sort_unstable();
            known.dedup();
            let help = c.tags.iter().find_map(|g| did_you_mean(g, &known));
            out.push(
                reason(
                    at.field("tags"),
                    format!(
                        "no technique carries the tag(s) {}",
                        list(&c.tags, |g| g.clone())
                    ),
                )
                .with_help(help),
            );
        } else if !c.techniques.is_empty() {
            let mut wants = Vec::new();
            if !c.schools.is_empty() {
                wants.push(format!(
                    "belongs to {}",
                    list(&c.schools, |s| format!("{s:?}"))
                ));
            }
            if !c.tags.is_empty() {
                wants.push(format!("carries {}", list(&c.tags, |g| g.clone())));
            }
            out.push(reason(
                at.field("techniques"),
                format!(
                    "none of the techniques listed ({}) {}, as the condition also requires",
                    list(&c.techniques, |t| t.clone()),
                    wants.join(" and ")
                ),
            ));
        } else if !c.schools.is_empty() && !c.tags.is_empty() && c.not_techniques.is_empty() {
            out.push(reason(
                at.field("tags"),
                format!(
                    "no technique of {} carries the tag(s) {}",
                    list(&c.schools, |s| format!("{s:?}")),
                    list(&c.tags, |g| g.clone())
                ),
            ));
        } else {
            out.push(reason(
                at.clone(),
                "no technique meets `techniques`, `not_techniques`, `schools` and `tags` together"
                    .into(),
            ));
        }
        return;
    }
    if reach.moves_matching(c).iter().any(|m| *m) {
        return;
    }
    // No delivery works: name the one constraint that fails on its own, if there is one.
    let identity = Condition {
        techniques: c.techniques.clone(),
        not_techniques: c.not_techniques.clone(),
        schools: c.schools.clone(),
        tags: c.tags.clone(),
        ..Condition::default()
    };
    let allowed = reach.moves_matching(&identity);
    let ranged: [(&str, Option<Range>, DeliveryValue); 3] = [
        ("directiveness", c.directiveness, |p| p.directiveness),
        ("focus", c.focus, |p| p.focus),
        ("arousal", c.arousal, |p| p.arousal),
    ];
    for (field, range, value) in ranged {
        let Some(range) = range else { continue };
        let values: Vec<f32> = reach
            .moves
            .iter()
            .zip(&allowed)
            .filter(|(_, ok)| **ok)
            .map(|(m, _)| value(&m.profile))
            .collect();
        if !values.iter().any(|v| range.contains(*v)) {
            let lo = values.iter().copied().fold(f32::MAX, f32::min);
            let hi = values.iter().copied().fold(f32::MIN, f32::max);
            out.push(reason(
                at.field(field),
                format!(
                    "no technique the condition allows can be delivered with {field} {}: however adapted, they reach {lo:.2}..{hi:.2}",
                    range_text(&range)
                ),
            ));
            return;
        }
    }
    out.push(reason(
        at.clone(),
        "no technique the condition allows can be delivered to meet its directiveness, focus, arousal and permission constraints together".into(),
    ));
}

/// Reads one delivered quantity off a move.
type DeliveryValue = fn(&MoveProfile) -> f32;

/// The client's state, and the turn.
fn state(c: &Condition, at: &Path, place: Place, reach: &Reach, out: &mut Vec<Reason>) {
    let limit = reach.turn_limit();
    if let Some(r) = &c.turn {
        if r.min.is_some_and(|m| m > limit as f32) {
            out.push(unreached(
                at.field("turn"),
                format!("the session has at most {limit} turns"),
            ));
        } else if r.max.is_some_and(|m| m < 1.0) {
            out.push(reason(at.field("turn"), "turns are counted from 1".into()));
        }
    }

    let lowest = reach.risks.first().copied().unwrap_or_default();
    let highest = reach.risks.last().copied().unwrap_or_default();
    match (c.risk_at_least, c.risk_below) {
        (_, Some(RiskLevel::None)) => out.push(reason(
            at.field("risk_below"),
            "risk is never below `None`".into(),
        )),
        (Some(a), Some(b)) if a >= b => out.push(reason(
            at.field("risk_below"),
            format!("`risk_at_least: {a:?}` and `risk_below: {b:?}` exclude each other"),
        )),
        (a, b) => {
            if let Some(a) = a
                && a > highest
            {
                out.push(unreached(
                    at.field("risk_at_least"),
                    format!("risk never reaches {a:?} with this client: it starts at {:?} and no effect raises it above {highest:?}", start_risk(reach)),
                ));
            }
            if let Some(b) = b
                && b <= lowest
            {
                out.push(unreached(
                    at.field("risk_below"),
                    format!("risk is never below {b:?} with this client: it starts at {:?} and never falls below {lowest:?}", start_risk(reach)),
                ));
            }
        }
    }
    if c.risk_assessed == Some(true) && !reach.can_assess_risk {
        out.push(unreached(
            at.field("risk_assessed"),
            "no technique assesses risk".into(),
        ));
    }

    for (j, f) in c.not_flags.iter().enumerate() {
        if c.flags.contains(f) {
            out.push(reason(
                at.field("not_flags").index(j),
                format!("flag `{f}` is both required (`flags`) and excluded (`not_flags`)"),
            ));
        } else if reach.permanent_flags.contains(f.as_str()) {
            out.push(unreached(
                at.field("not_flags").index(j),
                format!("flag `{f}` is set from the start and no effect clears it"),
            ));
        }
    }

    if !c.stages.is_empty() && !c.stages.iter().any(|s| reach.stages.contains(s)) {
        let reachable: Vec<_> = reach.stages.iter().collect();
        out.push(unreached(
            at.field("stages"),
            format!(
                "the client is only ever in {}: sessions move a client one stage at a time up to action, from {:?} and any stage an effect sets",
                list(&reachable, |s| format!("{s:?}")),
                reach.scenario.initial_state.stage
            ),
        ));
    }

    ruptures(c, at, place, out);

    if !reach.client_flags_hold(c) {
        let has = &reach.scenario.client.clinical_flags;
        let known: Vec<&str> = has.iter().map(String::as_str).collect();
        let help = c.client_flags.iter().find_map(|g| did_you_mean(g, &known));
        out.push(
            unreached(
                at.field("client_flags"),
                if has.is_empty() {
                    "the client has no clinical flags".into()
                } else {
                    format!(
                        "the client's clinical flags are {}, none of these",
                        list(has, |g| g.clone())
                    )
                },
            )
            .with_help(help),
        );
    }

    if place == Place::Gate && c.fit.is_some() {
        out.push(reason(
            at.field("fit"),
            "prerequisites and contraindications are checked before the move is scored, so the turn's fit is not known yet".into(),
        ));
    }
}

fn start_risk(reach: &Reach) -> RiskLevel {
    let s = reach.scenario;
    s.initial_state.risk.unwrap_or(s.client.risk.level)
}

fn ruptures(c: &Condition, at: &Path, place: Place, out: &mut Vec<Reason>) {
    let opened = c.rupture_opened == Some(true);
    let repaired = c.rupture_repaired == Some(true);
    if place == Place::Gate && (opened || repaired) {
        let field = if opened {
            "rupture_opened"
        } else {
            "rupture_repaired"
        };
        out.push(reason(
            at.field(field),
            "prerequisites and contraindications are checked before the move, when nothing has opened or been repaired on this turn yet".into(),
        ));
        return;
    }
    if opened && repaired {
        out.push(reason(
            at.field("rupture_repaired"),
            "a rupture cannot open and be repaired on the same turn".into(),
        ));
        return;
    }
    let listed = |r: Rupture| c.rupture.contains(&r);
    if c.rupture.is_empty() {
        return;
    }
    if opened && c.rupture.iter().all(|r| *r == Rupture::None) {
        out.push(reason(
            at.field("rupture"),
            "with `rupture_opened: true` a rupture is open, so the state is not `None`".into(),
        ));
    } else if repaired && !listed(Rupture::None) {
        out.push(reason(
            at.field("rupture"),
            "with `rupture_repaired: true` no rupture is open any more, so the state is `None`"
                .into(),
        ));
    }
}

/// The rupture kind a condition needs when this client never opens it: which kind opens
/// follows from the client's traits. Not part of `why_never`: library scenarios keep lines
/// for both kinds on purpose (see `reach`), so this explains what play never reached
/// rather than warning about it.
pub fn wrong_rupture_kind(c: &Condition, at: &Path, reach: &Reach) -> Option<Reason> {
    let traits = &reach.scenario.client.traits;
    let opens = traits.rupture_kind();
    let because = || {
        format!(
            "with reactance {} and externalizing {} this client's ruptures open as {opens:?} ({:?} needs either at {} or more)",
            traits.reactance,
            traits.externalizing,
            Rupture::Confrontation,
            ClientTraits::CONFRONTS_FROM
        )
    };
    let other = match opens {
        Rupture::Confrontation => Rupture::Withdrawal,
        _ => Rupture::Confrontation,
    };
    if !c.rupture.is_empty() && c.rupture.iter().all(|r| *r == other) {
        return Some(unreached(
            at.field("rupture"),
            format!("it needs a {other:?} rupture, but {}", because()),
        ));
    }
    let other_moment = MomentKind::of_rupture(other);
    if !c.open_moment.is_empty() && c.open_moment.iter().all(|m| Some(*m) == other_moment) {
        return Some(unreached(
            at.field("open_moment"),
            format!(
                "it needs an open {other:?} rupture moment, but {}",
                because()
            ),
        ));
    }
    None
}

fn event(c: &Condition, at: &Path, place: Place, events: &EventFacts, out: &mut Vec<Reason>) {
    let Some(id) = &c.event else { return };
    let path = at.field("event");
    let Some(&j) = events.index.get(id.as_str()) else {
        return; // an unknown id is a validation error
    };
    match place {
        Place::Gate => out.push(reason(
            path,
            "prerequisites and contraindications are checked before any event of the turn fires".into(),
        )),
        Place::Response => out.push(reason(
            path,
            "response lines are chosen before the turn's events fire; a key moment, or the event's own lines, can follow an event".into(),
        )),
        Place::Event(i) if j == i => out.push(reason(path, "an event cannot wait for itself".into())),
        Place::Event(i) if j > i => out.push(reason(
            path,
            format!("events are checked in file order each turn, and `{id}` comes after this one, so it has not fired yet when this one is checked"),
        )),
        _ if events.never_fire[j] => out.push(unreached(path, format!("event `{id}` can never fire"))),
        _ => {}
    }
}
