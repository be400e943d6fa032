//! Reading and checking a course file against the scenario library: every problem at its
//! line and column (unknown scenario, key moment, technique or step id; a cycle in `after`;
//! a duplicate id; a prefix longer than the expert path; a moment it never reaches).

use std::sync::Arc;

use super::model::{Course, DrillRef, Prefix, ResolvedDrill};
use crate::engine::{PreparedScenario, Session};
use crate::model::TurnFlag;
use crate::scenario::Playthrough;
use crate::source::{
    Diagnostic, FileKind, Path, Positioned, Problems, did_you_mean, parse_positioned, wrong_kind,
};

/// Reads and checks a course against the scenarios of the library.
pub fn check_course(
    name: &str,
    text: &str,
    library: &[Arc<PreparedScenario>],
) -> Result<Course, Vec<Diagnostic>> {
    let Positioned {
        value: course,
        source,
        tree,
    } = parse_positioned::<Course>(name, text).map_err(|problems| {
        wrong_kind(name, text, FileKind::Course).map_or(problems, |d| vec![d])
    })?;
    let mut problems = Problems::new(&source, &tree);
    let root = Path::root();
    if !is_id(&course.id) {
        problems.at(
            &root.field("id"),
            "the course id must be letters, digits, `-` or `_`, e.g. `default`",
            None,
        );
    }
    if course.title.trim().is_empty() {
        problems.at(&root.field("title"), "the title is empty", None);
    }
    if course.steps.is_empty() {
        problems.at(&root.field("steps"), "the course has no steps", None);
    }
    let step_ids: Vec<&str> = course.steps.iter().map(|s| s.id.as_str()).collect();
    let known_scenarios: Vec<&str> = library
        .iter()
        .map(|p| p.scenario.meta.id.as_str())
        .collect();
    for (i, step) in course.steps.iter().enumerate() {
        let at = root.field("steps").index(i);
        if !is_id(&step.id) {
            problems.at(
                &at.field("id"),
                "a step id must be letters, digits, `-` or `_`",
                None,
            );
        } else if step_ids[..i].contains(&step.id.as_str()) {
            problems.at(
                &at.field("id"),
                &format!("the step id `{}` is used twice", step.id),
                None,
            );
        }
        if step.title.trim().is_empty() {
            problems.at(&at.field("title"), "the title is empty", None);
        }
        for (k, before) in step.after.iter().enumerate() {
            if before == &step.id {
                problems.at(
                    &at.field("after").index(k),
                    &format!("step `{}` cannot wait for itself", step.id),
                    None,
                );
            } else if !step_ids.contains(&before.as_str()) {
                problems.at(
                    &at.field("after").index(k),
                    &format!("no step with id `{before}` in the course"),
                    did_you_mean(before, &step_ids).as_deref(),
                );
            }
        }
        let scenario = match (&step.session, &step.drill) {
            (Some(_), Some(_)) => {
                problems.at(
                    &at.field("drill"),
                    "a step is a session or a drill, not both",
                    Some("split it into two steps"),
                );
                continue;
            }
            (None, None) => {
                problems.at(
                    &at,
                    "the step names neither a `session` nor a `drill`",
                    Some(
                        "add `session: \"a-scenario-id\"` or `drill: (scenario: ..., moment: ...)`",
                    ),
                );
                continue;
            }
            (Some(id), None) => (id, at.field("session")),
            (None, Some(drill)) => (&drill.scenario, at.field("drill").field("scenario")),
        };
        let Some(prepared) = library.iter().find(|p| &p.scenario.meta.id == scenario.0) else {
            problems.at(
                &scenario.1,
                &format!("no scenario with id `{}` in the library", scenario.0),
                did_you_mean(scenario.0, &known_scenarios).as_deref(),
            );
            continue;
        };
        if let Some(drill) = &step.drill {
            if step.skills.is_empty() {
                problems.at(
                    &at.field("skills"),
                    "a drill names the skills it trains",
                    Some("e.g. `skills: [RuptureRepair]`"),
                );
            }
            if let Err(problem) = resolve_drill(prepared, drill) {
                problems.at(
                    &at.field("drill").field(problem.field),
                    &problem.message,
                    problem.help.as_deref(),
                );
            }
        }
    }
    if let Some((i, cycle)) = first_cycle(&course) {
        problems.at(
            &root.field("steps").index(i).field("after"),
            &format!(
                "the unlock rules go round in a circle ({}), so none of these steps can open",
                cycle.join(" → ")
            ),
            None,
        );
    }
    problems.or_value(course)
}

/// Why a drill reference does not resolve, and which of its fields says so.
#[derive(Clone, Debug, PartialEq)]
pub struct DrillProblem {
    /// `scenario`, `prefix` or `moment`.
    pub field: &'static str,
    pub message: String,
    pub help: Option<String>,
}

impl DrillProblem {
    fn new(field: &'static str, message: String) -> DrillProblem {
        DrillProblem {
            field,
            message,
            help: None,
        }
    }
}

/// Resolves a drill against its scenario: the moves to replay, checked to play out on the
/// expert playthrough's seed.
pub fn resolve_drill(
    prepared: &Arc<PreparedScenario>,
    drill: &DrillRef,
) -> Result<ResolvedDrill, DrillProblem> {
    let expert = || {
        expert_playthrough(prepared).ok_or_else(|| {
            DrillProblem::new(
                "scenario",
                format!(
                    "scenario `{}` has no expert playthrough (one named `expert: ...`) to take the moment from",
                    prepared.scenario.meta.id
                ),
            )
        })
    };
    match (&drill.prefix, &drill.moment) {
        (Some(_), Some(_)) => Err(DrillProblem::new(
            "moment",
            "a drill gives a `prefix` or a `moment`, not both".into(),
        )),
        (None, None) => Err(DrillProblem {
            field: "scenario",
            message: "the drill gives neither a `prefix` nor a `moment`".into(),
            help: Some("add `moment: \"a-key-moment-id\"` or `prefix: Expert(3)`".into()),
        }),
        (Some(Prefix::Expert(n)), None) => {
            let expert = expert()?;
            let n = *n as usize;
            if n > expert.choices.len() {
                return Err(DrillProblem::new(
                    "prefix",
                    format!(
                        "the expert playthrough has {} moves; a prefix of {n} is longer",
                        expert.choices.len()
                    ),
                ));
            }
            let session = replay(prepared, expert.seed, &expert.choices[..n])
                .map_err(|why| DrillProblem::new("prefix", why))?;
            let expert_move = expert.choices.get(n).cloned();
            if expert_move.is_none() || session.ended().is_some() {
                return Err(DrillProblem::new(
                    "prefix",
                    format!(
                        "after {n} expert moves the session is over: nothing is left to answer"
                    ),
                ));
            }
            let key_moment = expert_move
                .as_ref()
                .and_then(|m| key_moment_answered(&session, m));
            Ok(ResolvedDrill {
                prefix: expert.choices[..n].to_vec(),
                expert_move,
                key_moment,
                reference_seed: expert.seed,
            })
        }
        (Some(Prefix::Choices(choices)), None) => {
            let known: Vec<&str> = prepared.techniques.iter().map(|t| t.id.as_str()).collect();
            if let Some(unknown) = choices
                .iter()
                .find(|c| prepared.technique_index(&c.technique).is_none())
            {
                return Err(DrillProblem {
                    field: "prefix",
                    message: format!("unknown technique `{}`", unknown.technique),
                    help: did_you_mean(&unknown.technique, &known),
                });
            }
            let seed = expert_playthrough(prepared).map_or(1, |p| p.seed);
            let session =
                replay(prepared, seed, choices).map_err(|why| DrillProblem::new("prefix", why))?;
            if session.ended().is_some() {
                return Err(DrillProblem::new(
                    "prefix",
                    "the session is over after these moves: nothing is left to answer".into(),
                ));
            }
            Ok(ResolvedDrill {
                prefix: choices.clone(),
                expert_move: None,
                key_moment: None,
                reference_seed: seed,
            })
        }
        (None, Some(id)) => {
            let moments = &prepared.scenario.key_moments;
            let Some(index) = moments.iter().position(|m| &m.id == id) else {
                let known: Vec<&str> = moments.iter().map(|m| m.id.as_str()).collect();
                return Err(DrillProblem {
                    field: "moment",
                    message: format!(
                        "scenario `{}` has no key moment `{id}`",
                        prepared.scenario.meta.id
                    ),
                    help: did_you_mean(id, &known),
                });
            };
            let expert = expert()?;
            let mut session = Session::new(Arc::clone(prepared), expert.seed);
            for (k, choice) in expert.choices.iter().enumerate() {
                let Ok(turn) = session.apply(choice) else {
                    break;
                };
                if flags_key_moment(&turn.flags, id) {
                    return Ok(ResolvedDrill {
                        prefix: expert.choices[..k].to_vec(),
                        expert_move: Some(choice.clone()),
                        key_moment: Some(index),
                        reference_seed: expert.seed,
                    });
                }
            }
            Err(DrillProblem {
                field: "moment",
                message: format!("the expert playthrough never reaches key moment `{id}`"),
                help: Some(
                    "drill a moment the expert path meets, or give a `prefix` of choices".into(),
                ),
            })
        }
    }
}

/// The scenario's expert playthrough: the first whose name starts with `expert`.
pub(super) fn expert_playthrough(prepared: &PreparedScenario) -> Option<&Playthrough> {
    prepared
        .scenario
        .playthroughs
        .iter()
        .find(|p| p.name.to_lowercase().starts_with("expert"))
}

/// The session after these moves with this seed, or why they do not all play.
pub(super) fn replay(
    prepared: &Arc<PreparedScenario>,
    seed: u64,
    choices: &[crate::scenario::Choice],
) -> Result<Session, String> {
    let mut session = Session::new(Arc::clone(prepared), seed);
    for (i, choice) in choices.iter().enumerate() {
        session
            .apply(choice)
            .map_err(|e| format!("move {} (`{}`) does not play: {e}", i + 1, choice.technique))?;
    }
    Ok(session)
}

/// The key moment (by index) this move would mark if played now.
pub(super) fn key_moment_answered(
    session: &Session,
    choice: &crate::scenario::Choice,
) -> Option<usize> {
    let mut trial = session.clone();
    let turn = trial.apply(choice).ok()?;
    let moments = &session.prepared().scenario.key_moments;
    turn.flags.iter().find_map(|f| match f {
        TurnFlag::KeyMoment { id } => moments.iter().position(|m| &m.id == id),
        _ => None,
    })
}

pub(super) fn flags_key_moment(flags: &[TurnFlag], id: &str) -> bool {
    flags
        .iter()
        .any(|f| matches!(f, TurnFlag::KeyMoment { id: seen } if seen == id))
}

fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The first step (by index) on a cycle of `after` rules, with the cycle's ids in order.
fn first_cycle(course: &Course) -> Option<(usize, Vec<String>)> {
    let index = |id: &str| course.steps.iter().position(|s| s.id == id);
    // 0 = not visited, 1 = on the current path, 2 = done.
    let mut mark = vec![0u8; course.steps.len()];
    fn visit(
        i: usize,
        course: &Course,
        index: &dyn Fn(&str) -> Option<usize>,
        mark: &mut [u8],
        path: &mut Vec<usize>,
    ) -> Option<Vec<usize>> {
        mark[i] = 1;
        path.push(i);
        for before in &course.steps[i].after {
            let Some(j) = index(before) else { continue };
            if j == i {
                continue; // reported on its own
            }
            if mark[j] == 1 {
                let from = path.iter().position(|&p| p == j).unwrap_or(0);
                let mut cycle = path[from..].to_vec();
                cycle.push(j);
                return Some(cycle);
            }
            if mark[j] == 0
                && let Some(cycle) = visit(j, course, index, mark, path)
            {
                return Some(cycle);
            }
        }
        path.pop();
        mark[i] = 2;
        None
    }
    for i in 0..course.steps.len() {
        if mark[i] == 0 {
            let mut path = Vec::new();
            if let Some(cycle) = visit(i, course, &index, &mut mark, &mut path) {
                let ids = cycle.iter().map(|&k| course.steps[k].id.clone()).collect();
                return Some((cycle[0], ids));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<String> {
        check_course("c.ron", text, &[])
            .unwrap_err()
            .into_iter()
            .map(|d| format!("{}:{} {}", d.line, d.col, d.message))
            .collect()
    }

    #[test]
    fn a_step_must_be_exactly_one_of_a_session_or_a_drill() {
        let found = messages(
            "#![enable(implicit_some)]\nCourse(id: \"c\", title: \"C\", steps: [\n  (id: \"a\", title: \"A\", difficulty: Introductory),\n  (id: \"b\", title: \"B\", difficulty: Introductory, session: \"s\", drill: (scenario: \"s\", moment: \"m\")),\n])",
        );
        assert!(
            found[0].starts_with("3:3 the step names neither"),
            "{found:?}"
        );
        assert!(
            found[1].starts_with("4:") && found[1].contains("not both"),
            "{found:?}"
        );
    }

    #[test]
    fn a_longer_cycle_is_named_in_order_at_its_first_step() {
        let found = messages(
            "#![enable(implicit_some)]\nCourse(id: \"c\", title: \"C\", steps: [\n  (id: \"a\", title: \"A\", difficulty: Introductory, after: [\"c\"], session: \"s\"),\n  (id: \"b\", title: \"B\", difficulty: Introductory, after: [\"a\"], session: \"s\"),\n  (id: \"c\", title: \"C\", difficulty: Introductory, after: [\"b\"], session: \"s\"),\n])",
        );
        let cycle = found
            .iter()
            .find(|m| m.contains("circle"))
            .expect("the cycle is reported");
        assert!(cycle.contains("a → c → b → a"), "{cycle}");
        assert!(cycle.starts_with("3:"), "{cycle}");
        // Each session names a scenario the (empty) library does not have.
        assert_eq!(
            found.iter().filter(|m| m.contains("no scenario")).count(),
            3
        );
    }

    #[test]
    fn an_unknown_skill_is_named_with_the_closest() {
        let errors = check_course(
            "c.ron",
            "Course(id: \"c\", title: \"C\", steps: [(id: \"a\", title: \"A\", difficulty: Introductory, skills: [RuptureRepiar], session: Some(\"s\"))])",
            &[],
        )
        .unwrap_err();
        assert!(errors[0].message.contains("RuptureRepiar"), "{errors:?}");
        assert_eq!(
            errors[0].help.as_deref(),
            Some("did you mean `RuptureRepair`?")
        );
    }
}
