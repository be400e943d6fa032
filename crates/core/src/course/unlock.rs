//! Which steps of a course are open: a step opens once every step its `after` names is
//! passed; a session step passes when the learner has passed its scenario, a drill step
//! once every skill it trains is mastered (and the step is open).

use super::model::{Course, StepKind};
use crate::scoring::Skill;

/// Where a learner is on one step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepStatus {
    /// Waiting for these steps to pass.
    Locked {
        waiting_for: Vec<String>,
    },
    Open,
    Passed,
}

/// Each step's status, in course order. `sessions_passed` are the scenario ids the learner
/// has passed a session of; `mastered` the skills mastered (`SkillStanding::mastered`).
pub fn step_statuses(
    course: &Course,
    sessions_passed: &[&str],
    mastered: &[Skill],
) -> Vec<StepStatus> {
    let own_pass = |i: usize| match course.steps[i].kind() {
        Some(StepKind::Session(scenario)) => sessions_passed.contains(&scenario),
        Some(StepKind::Drill(_)) => {
            let skills = &course.steps[i].skills;
            !skills.is_empty() && skills.iter().all(|s| mastered.contains(s))
        }
        None => false,
    };
    let mut passed = vec![false; course.steps.len()];
    // Passing spreads along the unlock rules; a course of n steps settles in n rounds
    // (a cycle, refused by the check, simply never opens).
    for _ in 0..course.steps.len() {
        let mut changed = false;
        for i in 0..course.steps.len() {
            if !passed[i] && waiting_for(course, i, &passed).is_empty() && own_pass(i) {
                passed[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    (0..course.steps.len())
        .map(|i| {
            let waiting = waiting_for(course, i, &passed);
            if passed[i] {
                StepStatus::Passed
            } else if waiting.is_empty() {
                StepStatus::Open
            } else {
                StepStatus::Locked {
                    waiting_for: waiting,
                }
            }
        })
        .collect()
}

/// The steps named in step `i`'s `after` that have not passed.
fn waiting_for(course: &Course, i: usize, passed: &[bool]) -> Vec<String> {
    course.steps[i]
        .after
        .iter()
        .filter(|id| {
            course
                .steps
                .iter()
                .position(|s| &s.id == *id)
                .is_none_or(|j| !passed[j])
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course() -> Course {
        ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(
                r#"Course(id: "c", title: "C", steps: [
                (id: "meet", title: "Meet", difficulty: Introductory, session: "s1"),
                (id: "drill", title: "Drill", difficulty: Introductory, skills: [RuptureRepair],
                 after: ["meet"], drill: (scenario: "s1", moment: "m")),
                (id: "next", title: "Next", difficulty: Advanced, after: ["drill"], session: "s2"),
            ])"#,
            )
            .unwrap()
    }

    #[test]
    fn a_step_unlocks_after_its_prerequisite_passes() {
        let c = course();
        let none = step_statuses(&c, &[], &[]);
        assert_eq!(none[0], StepStatus::Open);
        assert_eq!(
            none[1],
            StepStatus::Locked {
                waiting_for: vec!["meet".into()]
            }
        );
        // Mastery alone does not pass a drill that is not open yet.
        let early = step_statuses(&c, &[], &[Skill::RuptureRepair]);
        assert_ne!(early[1], StepStatus::Passed);
        let met = step_statuses(&c, &["s1"], &[]);
        assert_eq!(met[0], StepStatus::Passed);
        assert_eq!(met[1], StepStatus::Open);
        assert!(matches!(met[2], StepStatus::Locked { .. }));
        let all = step_statuses(&c, &["s1"], &[Skill::RuptureRepair]);
        assert_eq!(all[1], StepStatus::Passed);
        assert_eq!(all[2], StepStatus::Open);
    }
}
