//! Mastery per skill and the review schedule: pure functions of a learner's drill results
//! (skill, evidence 0 to 1, unix time) and the time now. Mastery is the mean of the latest
//! results; the schedule rule (Leitner boxes with expanding intervals, read from
//! `assets/practice_schedule.ron`, which cites its sources) brings a weak skill back sooner.

use serde::{Deserialize, Serialize};

use super::model::Course;
use crate::scoring::Skill;
use crate::source::{Diagnostic, Severity, parse_positioned};

/// The built-in schedule's text.
pub const DEFAULT_SCHEDULE_TEXT: &str = include_str!("../../../../assets/practice_schedule.ron");

/// The schedule rule: how mastery is read and how soon each level comes back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PracticeSchedule {
    /// Mastery is the mean of this many latest results for a skill.
    pub recent: u32,
    /// The mastery (0 to 1) at which a skill counts as mastered ...
    pub mastery: f32,
    /// ... once it has at least this many results: one good answer may be a guess.
    #[serde(default = "default_mastered_after")]
    pub mastered_after: u32,
    /// From the weakest; each reached by mastery `from` and up.
    pub boxes: Vec<Box>,
}

fn default_mastered_after() -> u32 {
    3
}

/// One box: from which mastery it holds a skill, and its review interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Box {
    pub from: f32,
    pub review_after_hours: u32,
}

impl PracticeSchedule {
    /// The schedule shipped with Attune.
    pub fn builtin() -> PracticeSchedule {
        PracticeSchedule::parse("practice_schedule.ron", DEFAULT_SCHEDULE_TEXT)
            .expect("the built-in practice schedule reads")
    }

    /// Reads and checks a schedule: at least one box, the first from 0, rising `from`s,
    /// intervals that do not shrink (weak skills come back sooner, never later).
    pub fn parse(name: &str, text: &str) -> Result<PracticeSchedule, Vec<Diagnostic>> {
        let read = parse_positioned::<PracticeSchedule>(name, text)?;
        let s = read.value;
        let mut problems = Vec::new();
        let mut problem = |message: &str| {
            let mut d = Diagnostic::whole_file(name, message.to_string());
            d.severity = Severity::Error;
            problems.push(d);
        };
        if s.recent == 0 {
            problem("`recent` must be at least 1");
        }
        if !(0.0..=1.0).contains(&s.mastery) {
            problem("`mastery` is a level from 0 to 1");
        }
        if s.boxes.first().is_none_or(|b| b.from != 0.0) {
            problem("the first box must start `from: 0.0`, so every skill has a box");
        }
        for pair in s.boxes.windows(2) {
            if pair[1].from <= pair[0].from {
                problem("each box must start from a higher mastery than the one before");
            }
            if pair[1].review_after_hours < pair[0].review_after_hours {
                problem("a stronger box must not come back sooner than a weaker one");
            }
        }
        if problems.is_empty() {
            Ok(s)
        } else {
            Err(problems)
        }
    }

    /// The box a mastery level falls in.
    pub fn box_for(&self, mastery: f32) -> Box {
        self.boxes
            .iter()
            .rev()
            .find(|b| mastery >= b.from)
            .or(self.boxes.first())
            .copied()
            .unwrap_or(Box {
                from: 0.0,
                review_after_hours: 24,
            })
    }
}

/// One drill result for one skill: the move's evidence (0 to 1) and when, in unix seconds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DrillResult {
    pub skill: Skill,
    pub value: f32,
    pub at: u64,
}

/// The mean of a skill's latest `recent` results, or `None` when it was never practised.
pub fn mastery(results: &[DrillResult], skill: Skill, schedule: &PracticeSchedule) -> Option<f32> {
    let mut mine: Vec<&DrillResult> = results.iter().filter(|r| r.skill == skill).collect();
    if mine.is_empty() {
        return None;
    }
    // The latest first; equal times keep their order in the list (later = newer).
    mine.reverse();
    mine.sort_by_key(|r| std::cmp::Reverse(r.at));
    let latest = &mine[..mine.len().min(schedule.recent.max(1) as usize)];
    Some(latest.iter().map(|r| r.value).sum::<f32>() / latest.len() as f32)
}

/// Where a learner stands on one skill, now.
#[derive(Clone, Debug, PartialEq)]
pub struct SkillStanding {
    pub skill: Skill,
    /// `None` when never practised.
    pub mastery: Option<f32>,
    pub mastered: bool,
    /// How many results there are for it.
    pub results: usize,
    /// The latest result's time.
    pub last_practised: Option<u64>,
    /// When it is due again (unix seconds): at once when never practised.
    pub due_at: u64,
    /// Seconds past due (0 when not yet due).
    pub overdue: u64,
}

impl SkillStanding {
    pub fn is_due(&self, now: u64) -> bool {
        self.due_at <= now
    }
}

/// Each skill's standing now, in the order given.
pub fn standings(
    results: &[DrillResult],
    skills: &[Skill],
    schedule: &PracticeSchedule,
    now: u64,
) -> Vec<SkillStanding> {
    skills
        .iter()
        .map(|&skill| {
            let level = mastery(results, skill, schedule);
            let count = results.iter().filter(|r| r.skill == skill).count();
            let last = results
                .iter()
                .filter(|r| r.skill == skill)
                .map(|r| r.at)
                .max();
            let due_at = match (level, last) {
                (Some(level), Some(last)) => last
                    .saturating_add(u64::from(schedule.box_for(level).review_after_hours) * 3600),
                _ => 0,
            };
            SkillStanding {
                skill,
                mastery: level,
                mastered: level.is_some_and(|l| l >= schedule.mastery)
                    && count >= schedule.mastered_after as usize,
                results: count,
                last_practised: last,
                due_at,
                overdue: now.saturating_sub(due_at),
            }
        })
        .collect()
}

/// The skills due now, most pressing first: never practised, then the weakest, then the
/// longest overdue.
pub fn due_skills(
    results: &[DrillResult],
    skills: &[Skill],
    schedule: &PracticeSchedule,
    now: u64,
) -> Vec<SkillStanding> {
    let mut due: Vec<SkillStanding> = standings(results, skills, schedule, now)
        .into_iter()
        .filter(|s| s.is_due(now))
        .collect();
    due.sort_by(|a, b| {
        let level = |s: &SkillStanding| s.mastery.unwrap_or(-1.0);
        level(a)
            .total_cmp(&level(b))
            .then(b.overdue.cmp(&a.overdue))
    });
    due
}

/// What to practise next and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    pub skill: Skill,
    /// The first drill step of the course that trains it, if the course has one.
    pub drill_step: Option<String>,
    /// A sentence for the learner.
    pub reason: String,
}

/// The skill to practise next among those the course's drills train (every skill when the
/// course has none): the most pressing one due, or, when none is due, the one due soonest.
pub fn next_practice(
    course: &Course,
    results: &[DrillResult],
    schedule: &PracticeSchedule,
    now: u64,
) -> Option<Suggestion> {
    let mut skills: Vec<Skill> = course
        .drills()
        .flat_map(|(step, _)| step.skills.iter().copied())
        .collect();
    skills.sort();
    skills.dedup();
    if skills.is_empty() {
        skills = Skill::ALL.to_vec();
    }
    let standing = due_skills(results, &skills, schedule, now)
        .into_iter()
        .next()
        .or_else(|| {
            standings(results, &skills, schedule, now)
                .into_iter()
                .min_by_key(|s| s.due_at)
        })?;
    let drill_step = course
        .drills()
        .find(|(step, _)| step.skills.contains(&standing.skill))
        .map(|(step, _)| step.id.clone());
    Some(Suggestion {
        skill: standing.skill,
        drill_step,
        reason: reason(&standing, schedule, now),
    })
}

/// The sentence a learner reads.
fn reason(s: &SkillStanding, schedule: &PracticeSchedule, now: u64) -> String {
    let name = s.skill.label();
    let Some(level) = s.mastery else {
        return format!("{name}: not practised yet; a first drill shows where you stand.");
    };
    let percent = |x: f32| (x * 100.0).round() as u32;
    let shown = s.results.min(schedule.recent as usize);
    let interval = schedule.box_for(level).review_after_hours;
    let when = if s.is_due(now) {
        "it is due now".to_string()
    } else {
        format!("it is next due in {}", hours_words(s.due_at - now))
    };
    if s.mastered {
        format!(
            "{name}: mastered ({}% over your last {}); {when}, a review every {} to keep it.",
            percent(level),
            crate::words::count(shown, "drill"),
            hours_words(u64::from(interval) * 3600)
        )
    } else {
        format!(
            "{name}: {}% over your last {}, below mastery ({}%); {when}, and it comes back every {} until it is stronger.",
            percent(level),
            crate::words::count(shown, "drill"),
            percent(schedule.mastery),
            hours_words(u64::from(interval) * 3600)
        )
    }
}

/// "3 hours", "1 day", "2 days".
fn hours_words(seconds: u64) -> String {
    let hours = seconds.div_ceil(3600);
    if hours < 24 {
        crate::words::count(hours, "hour")
    } else {
        crate::words::count(hours / 24, "day")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: u64 = 3600;
    const DAY: u64 = 24 * HOUR;

    fn r(skill: Skill, value: f32, at: u64) -> DrillResult {
        DrillResult { skill, value, at }
    }

    #[test]
    fn one_perfect_answer_is_not_mastery_three_are() {
        let schedule = PracticeSchedule::builtin();
        let skill = Skill::RuptureRepair;
        let mastered =
            |results: &[DrillResult]| standings(results, &[skill], &schedule, 10 * DAY)[0].mastered;
        let one = [r(skill, 1.0, DAY)];
        assert!(!mastered(&one), "one good answer may be a guess");
        let three = [
            r(skill, 1.0, DAY),
            r(skill, 0.9, 2 * DAY),
            r(skill, 0.8, 3 * DAY),
        ];
        assert!(mastered(&three));
    }

    #[test]
    fn the_builtin_schedule_reads_and_brings_weak_skills_back_sooner() {
        let s = PracticeSchedule::builtin();
        assert!(s.box_for(0.2).review_after_hours < s.box_for(0.8).review_after_hours);
        assert!(s.box_for(0.8).review_after_hours < s.box_for(0.99).review_after_hours);
    }

    #[test]
    fn a_schedule_whose_intervals_shrink_is_refused() {
        let text = "PracticeSchedule(recent: 3, mastery: 0.7, boxes: [(from: 0.0, review_after_hours: 48), (from: 0.5, review_after_hours: 24)])";
        let errors = PracticeSchedule::parse("s.ron", text).unwrap_err();
        assert!(errors[0].message.contains("sooner"), "{errors:?}");
    }

    #[test]
    fn mastery_is_the_mean_of_the_latest_results_only() {
        let s = PracticeSchedule::builtin();
        let skill = Skill::RuptureRepair;
        let mut results = vec![r(skill, 0.0, 1), r(skill, 0.0, 2)];
        // Five good results later push the two bad ones out of the window of five.
        results.extend((3..8).map(|t| r(skill, 0.9, t)));
        assert!((mastery(&results, skill, &s).unwrap() - 0.9).abs() < 1e-6);
        assert_eq!(mastery(&results, Skill::RiskAssessment, &s), None);
    }

    #[test]
    fn a_weak_skill_is_due_before_a_strong_one_practised_at_the_same_time() {
        let s = PracticeSchedule::builtin();
        let at = 1_000 * DAY;
        let results = vec![
            r(Skill::RuptureRepair, 0.2, at),
            r(Skill::StageMatching, 0.95, at),
        ];
        let skills = [Skill::RuptureRepair, Skill::StageMatching];
        // A day and a bit later only the weak one is due.
        let due = due_skills(&results, &skills, &s, at + DAY + HOUR);
        assert_eq!(
            due.iter().map(|d| d.skill).collect::<Vec<_>>(),
            vec![Skill::RuptureRepair]
        );
        // Fifteen days later both are, the weaker first.
        let due = due_skills(&results, &skills, &s, at + 15 * DAY);
        assert_eq!(
            due.iter().map(|d| d.skill).collect::<Vec<_>>(),
            vec![Skill::RuptureRepair, Skill::StageMatching]
        );
        // Right after practice, nothing is due.
        assert!(due_skills(&results, &skills, &s, at + HOUR).is_empty());
    }

    #[test]
    fn the_next_practice_names_the_unpractised_skill_then_the_weak_one_with_a_reason() {
        let course: Course = ron::from_str(
            r#"Course(id: "c", title: "C", steps: [
                (id: "a", title: "A", difficulty: Introductory, skills: [RuptureRepair],
                 drill: Some((scenario: "s", moment: Some("m")))),
                (id: "b", title: "B", difficulty: Introductory, skills: [RiskAssessment],
                 drill: Some((scenario: "s", moment: Some("n")))),
            ])"#,
        )
        .unwrap();
        let s = PracticeSchedule::builtin();
        let now = 100 * DAY;
        let first = next_practice(&course, &[r(Skill::RuptureRepair, 0.9, now)], &s, now).unwrap();
        assert_eq!(first.skill, Skill::RiskAssessment);
        assert_eq!(first.drill_step.as_deref(), Some("b"));
        assert!(
            first.reason.contains("not practised yet"),
            "{}",
            first.reason
        );
        let results = [
            r(Skill::RuptureRepair, 0.9, now - 2 * DAY),
            r(Skill::RiskAssessment, 0.3, now - 2 * DAY),
        ];
        let next = next_practice(&course, &results, &s, now).unwrap();
        assert_eq!(next.skill, Skill::RiskAssessment);
        assert!(next.reason.contains("30%"), "{}", next.reason);
        assert!(next.reason.contains("below mastery"), "{}", next.reason);
        assert!(next.reason.contains("due now"), "{}", next.reason);
    }
}
