//! A learner's progress, read from their records: each finished attempt as a point in
//! time (its score, its FIS and integration rubric means), the six skills with how strong
//! the evidence says each is (every recorded turn, replayed to recover its fit terms, and
//! every drill answer), and what to practise next with the reason. The app's progress
//! screen shows this; nothing here draws.

use std::sync::Arc;

use super::replay::replay;
use super::store::Store;
use attune_core::engine::PreparedScenario;
use attune_core::model::Mode;
use attune_core::scenario::{Difficulty, Scenario};
use attune_core::scoring::{Skill, turn_skill_evidence};

/// Observations a skill needs before it is called strong or weak: fewer say too little.
pub const ENOUGH_EVIDENCE: usize = 4;
/// A skill's mean evidence (0..1, where 0.5 is a neutral term) at or above which it is
/// strong.
pub const STRONG_FROM: f32 = 0.7;
/// A skill's mean evidence below which it is weak.
pub const WEAK_BELOW: f32 = 0.5;

/// A learner's finished attempt, as the database keeps it: enough to plot and to replay.
#[derive(Clone, Debug, PartialEq)]
pub struct FinishedAttempt {
    pub id: String,
    pub scenario_id: String,
    pub scenario_title: String,
    pub content_hash: String,
    pub seed: u64,
    pub mode: Mode,
    /// When it finished, in seconds since 1970.
    pub finished_unix: u64,
    /// Mean turn fit, 0..100.
    pub overall: f32,
    pub passed: bool,
    /// Played to an end (not stopped early by the learner): only these count for a best.
    pub played_out: bool,
    /// The mean of the eight FIS items (1..5).
    pub fis_mean: Option<f32>,
    /// The mean of the integration rubric's rated items (1..5).
    pub integration_mean: Option<f32>,
    pub choices: Vec<attune_core::scenario::Choice>,
}

/// How strong a skill is on the evidence so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// No move yet where the skill's term applied.
    NotSeen,
    /// Fewer than `ENOUGH_EVIDENCE` observations.
    TooLittle,
    Weak,
    Developing,
    Strong,
}

impl Standing {
    /// As the progress screen says it.
    pub fn words(self) -> &'static str {
        match self {
            Standing::NotSeen => "not practised yet",
            Standing::TooLittle => "too little evidence yet",
            Standing::Weak => "weak",
            Standing::Developing => "developing",
            Standing::Strong => "strong",
        }
    }
}

/// One skill's evidence.
#[derive(Clone, Debug, PartialEq)]
pub struct SkillStanding {
    pub skill: Skill,
    /// Mean evidence 0..1 over every observation; none when there is none.
    pub mean: Option<f32>,
    /// Observations from turns of whole sessions.
    pub from_turns: usize,
    /// Observations from drill answers.
    pub from_drills: usize,
    pub standing: Standing,
}

impl SkillStanding {
    fn of(skill: Skill, values: &[f32], from_turns: usize) -> SkillStanding {
        let n = values.len();
        let mean = (n > 0).then(|| values.iter().sum::<f32>() / n as f32);
        let standing = match mean {
            None => Standing::NotSeen,
            Some(_) if n < ENOUGH_EVIDENCE => Standing::TooLittle,
            Some(m) if m >= STRONG_FROM => Standing::Strong,
            Some(m) if m < WEAK_BELOW => Standing::Weak,
            Some(_) => Standing::Developing,
        };
        SkillStanding {
            skill,
            mean,
            from_turns,
            from_drills: n - from_turns,
            standing,
        }
    }

    fn observations(&self) -> usize {
        self.from_turns + self.from_drills
    }
}

/// Everything the progress screen shows about one learner.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub learner: Option<String>,
    /// Finished attempts, oldest first.
    pub attempts: Vec<FinishedAttempt>,
    /// The six skills, in `Skill::ALL` order.
    pub skills: Vec<SkillStanding>,
    /// Drill answers given.
    pub drills: usize,
    /// Attempts whose scenario file is no longer in the library (or changed), so their
    /// turns could not be replayed for skill evidence.
    pub not_replayed: usize,
}

impl Store {
    /// One learner's finished attempts (or those saved with no learner, for `None`),
    /// oldest first.
    pub fn finished_attempts_of(
        &self,
        learner: Option<&str>,
    ) -> Result<Vec<FinishedAttempt>, String> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, scenario_id, COALESCE(scenario_title, scenario_id), content_hash, seed, mode, finished_at, overall, passed, result_json FROM attempts WHERE learner IS ?1 AND finished_at IS NOT NULL AND overall IS NOT NULL AND result_json IS NOT NULL ORDER BY finished_at, rowid",
            )
            .map_err(|e| e.to_string())?;
        let rows = stmt
            .query_map([learner], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, f64>(7)?,
                    r.get::<_, Option<bool>>(8)?,
                    r.get::<_, String>(9)?,
                ))
            })
            .map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        for row in rows {
            let (id, scenario_id, title, hash, seed, mode, finished, overall, passed, json) =
                row.map_err(|e| e.to_string())?;
            let result: serde_json::Value = serde_json::from_str(&json)
                .map_err(|e| format!("attempt {id}: its result: {e}"))?;
            let summary = &result["summary"];
            let choices = serde_json::from_value(result["choices"].clone())
                .map_err(|e| format!("attempt {id}: its choices: {e}"))?;
            out.push(FinishedAttempt {
                finished_unix: super::clock::parse_rfc3339(&finished).unwrap_or(0),
                scenario_id,
                scenario_title: title,
                content_hash: hash,
                seed: seed as u64,
                mode: if mode == "assessment" {
                    Mode::Assessment
                } else {
                    Mode::Practice
                },
                overall: overall as f32,
                passed: passed.unwrap_or(false),
                played_out: !summary["end"].is_null(),
                fis_mean: mean_of_numbers(&summary["fis"]),
                integration_mean: mean_of_numbers(&summary["integration"]),
                choices,
                id,
            });
        }
        Ok(out)
    }
}

/// The mean of an object's numeric fields (nulls, an unrated item, left out).
fn mean_of_numbers(object: &serde_json::Value) -> Option<f32> {
    let values: Vec<f64> = object
        .as_object()?
        .values()
        .filter_map(serde_json::Value::as_f64)
        .collect();
    (!values.is_empty()).then(|| (values.iter().sum::<f64>() / values.len() as f64) as f32)
}

/// One learner's progress. `scenario_of` finds the scenario an attempt was played on by
/// its content hash; an attempt whose scenario it does not find still shows its scores,
/// and is counted in `not_replayed`.
pub fn progress_of(
    store: &Store,
    learner: Option<&str>,
    scenario_of: impl Fn(&str) -> Option<Arc<PreparedScenario>>,
) -> Result<Progress, String> {
    let attempts = store.finished_attempts_of(learner)?;
    let drills = store.drill_results(learner)?;
    let mut turn_values: Vec<Vec<f32>> = vec![Vec::new(); Skill::ALL.len()];
    let mut not_replayed = 0;
    for attempt in &attempts {
        let Some(prepared) = scenario_of(&attempt.content_hash) else {
            not_replayed += 1;
            continue;
        };
        let replayed = replay(&prepared, None, attempt.seed, &attempt.choices);
        if replayed.stopped.is_some() {
            not_replayed += 1;
            continue;
        }
        for turn in replayed.session.turns() {
            for (skill, value) in turn_skill_evidence(turn) {
                turn_values[skill as usize].push(value);
            }
        }
    }
    let skills = Skill::ALL
        .into_iter()
        .map(|skill| {
            let mut values = turn_values[skill as usize].clone();
            let from_turns = values.len();
            values.extend(
                drills
                    .iter()
                    .flat_map(|d| d.skills.iter())
                    .filter(|(s, _)| *s == skill)
                    .map(|(_, v)| *v),
            );
            SkillStanding::of(skill, &values, from_turns)
        })
        .collect();
    Ok(Progress {
        learner: learner.map(str::to_string),
        attempts,
        skills,
        drills: drills.len(),
        not_replayed,
    })
}

/// What to practise next, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct NextStep {
    /// The skill it trains; none for a first step.
    pub skill: Option<Skill>,
    pub scenario_id: String,
    pub scenario_title: String,
    pub reason: String,
}

/// Words in a scenario's id, tags and key moments that say it trains a skill: a small
/// table, to be replaced by the course's recommender.
fn trains(skill: Skill) -> &'static [&'static str] {
    match skill {
        Skill::ReactanceMatching => &["reactance", "mandated", "directiveness", "adolescent"],
        Skill::CopingStyleMatching => &["internalizing", "externalizing"],
        Skill::StageMatching => &[
            "precontemplation",
            "contemplation",
            "preparation",
            "action",
            "maintenance",
        ],
        Skill::RuptureRepair => &["rupture"],
        Skill::RiskAssessment => &["risk", "suicid", "ideation", "self-harm"],
        Skill::RespondingToMoment => &[
            "change talk",
            "sustain talk",
            "discord",
            "marker",
            "split",
            "ambivalence",
        ],
    }
}

/// How many of the skill's words the scenario's id, tags and key moments hold.
fn relevance(scenario: &Scenario, skill: Skill) -> usize {
    let mut text = scenario.meta.id.to_lowercase();
    for tag in &scenario.meta.tags {
        text.push(' ');
        text.push_str(&tag.to_lowercase());
    }
    for moment in &scenario.key_moments {
        text.push(' ');
        text.push_str(&moment.id.to_lowercase());
        text.push(' ');
        text.push_str(&moment.title.to_lowercase());
    }
    trains(skill).iter().filter(|w| text.contains(*w)).count()
}

fn percent(v: f32) -> String {
    format!("{:.0}%", v * 100.0)
}

/// What to practise next: the weakest skill with enough evidence (or, when every skill
/// seen is strong, one not yet seen enough) and the client among `scenarios` that trains it
/// most, preferring one the learner has played less, then an easier one; for a learner
/// with no attempts, the easiest client. None when there is no scenario.
pub fn next_step(progress: &Progress, scenarios: &[&Scenario]) -> Option<NextStep> {
    let played = |id: &str| {
        progress
            .attempts
            .iter()
            .filter(|a| a.scenario_id == id)
            .count()
    };
    if progress.attempts.is_empty() && progress.drills == 0 {
        let first = scenarios
            .iter()
            .min_by_key(|s| (s.meta.difficulty, s.meta.title.clone()))?;
        return Some(NextStep {
            skill: None,
            scenario_id: first.meta.id.clone(),
            scenario_title: first.meta.title.clone(),
            reason: format!(
                "You have no sessions yet. Start with {}: {} difficulty, a good first client. Each session you finish shows here.",
                first.client.name,
                difficulty_words(first.meta.difficulty)
            ),
        });
    }
    let weakest = progress
        .skills
        .iter()
        .filter(|s| s.observations() >= ENOUGH_EVIDENCE && s.standing != Standing::Strong)
        .min_by(|a, b| {
            a.mean
                .partial_cmp(&b.mean)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    let (skill, why) = match weakest {
        Some(s) => (
            s.skill,
            format!(
                "{} is your weakest skill: {} over {} moves where it counted.",
                s.skill.label(),
                percent(s.mean.unwrap_or(0.0)),
                s.observations()
            ),
        ),
        None => {
            let unseen = progress
                .skills
                .iter()
                .min_by_key(|s| s.observations())
                .expect("six skills");
            (
                unseen.skill,
                format!(
                    "{} has the least evidence so far ({} {}).",
                    unseen.skill.label(),
                    unseen.observations(),
                    if unseen.observations() == 1 {
                        "move"
                    } else {
                        "moves"
                    }
                ),
            )
        }
    };
    let best = scenarios.iter().max_by(|a, b| {
        let key = |s: &Scenario| {
            (
                relevance(s, skill),
                std::cmp::Reverse(played(&s.meta.id)),
                std::cmp::Reverse(s.meta.difficulty),
            )
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| b.meta.title.cmp(&a.meta.title))
    })?;
    let trains_it = if relevance(best, skill) > 0 {
        format!(
            " {} trains it \u{2014} {}.",
            best.client.name, best.meta.title
        )
    } else {
        format!(
            " Try it with {} \u{2014} {}.",
            best.client.name, best.meta.title
        )
    };
    Some(NextStep {
        skill: Some(skill),
        scenario_id: best.meta.id.clone(),
        scenario_title: best.meta.title.clone(),
        reason: format!("{why}{trains_it}"),
    })
}

fn difficulty_words(d: Difficulty) -> &'static str {
    match d {
        Difficulty::Introductory => "introductory",
        Difficulty::Intermediate => "intermediate",
        Difficulty::Advanced => "advanced",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{AttemptPlan, Played, record_whole};
    use attune_core::engine::Session;
    use attune_core::scenario::Choice;

    fn play(prepared: &Arc<PreparedScenario>, moves: &[&str]) -> Session {
        let mut session = Session::new(Arc::clone(prepared), 3);
        // A poor move may make Dan leave: the session ends there.
        for m in moves {
            if session.apply(&Choice::new(m)).is_err() {
                break;
            }
        }
        session
    }

    fn record(store: &mut Store, learner: Option<&str>, moves: &[&str]) {
        let (prepared, hash) = crate::testing::dan();
        let plan = AttemptPlan {
            file: "dan-mandated-anger.ron".into(),
            content_hash: hash,
            mode: Mode::Practice,
            learner: learner.map(str::to_string),
            pack: None,
            played: Played::Script,
            continues: None,
        };
        let session = play(&prepared, moves);
        record_whole(store, &session, plan, super::super::clock::now_rfc3339()).unwrap();
    }

    #[test]
    fn each_learner_has_only_their_own_attempts_and_skills() {
        let dir = std::env::temp_dir().join(format!("attune-progress-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut store = Store::open(&dir.join("records.sqlite")).unwrap();
        let good = [
            "complex_reflection",
            "rolling_with_resistance",
            "complex_reflection",
        ];
        let poor = ["confrontation", "confrontation", "advice_giving"];
        record(&mut store, Some("Ann"), &good);
        record(&mut store, Some("Ann"), &good);
        record(&mut store, Some("Ben"), &poor);
        let (prepared, hash) = crate::testing::dan();
        let lookup = |h: &str| (h == hash).then(|| Arc::clone(&prepared));
        let ann = progress_of(&store, Some("Ann"), lookup).unwrap();
        let ben = progress_of(&store, Some("Ben"), lookup).unwrap();
        let nobody = progress_of(&store, None, lookup).unwrap();
        assert_eq!(ann.attempts.len(), 2);
        assert_eq!(ben.attempts.len(), 1);
        assert!(nobody.attempts.is_empty());
        assert!(
            ann.attempts
                .iter()
                .all(|a| a.fis_mean.is_some_and(|m| (1.0..=5.0).contains(&m)))
        );
        assert!(ann.attempts.iter().all(|a| a.integration_mean.is_some()));
        assert_eq!(ann.not_replayed, 0);
        let reactance = |p: &Progress| {
            p.skills
                .iter()
                .find(|s| s.skill == Skill::ReactanceMatching)
                .cloned()
                .unwrap()
        };
        let (a, b) = (reactance(&ann), reactance(&ben));
        assert_eq!(
            a.from_turns, 6,
            "every one of Ann's six turns set a directiveness term"
        );
        assert!(a.mean.unwrap() > b.mean.unwrap(), "{a:?} against {b:?}");
        assert_eq!(
            b.standing,
            Standing::TooLittle,
            "{} moves are too few to judge",
            b.from_turns
        );
        // Without the scenario the scores still show; the skills say nothing.
        let blind = progress_of(&store, Some("Ann"), |_| None).unwrap();
        assert_eq!(blind.not_replayed, 2);
        assert!(blind.skills.iter().all(|s| s.standing == Standing::NotSeen));
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn standing(skill: Skill, mean: f32, n: usize) -> SkillStanding {
        SkillStanding::of(skill, &vec![mean; n], n)
    }

    #[test]
    fn the_next_step_trains_the_weakest_skill_seen_enough_and_a_first_step_is_the_easiest() {
        let (prepared, _) = crate::testing::dan();
        let dan = &prepared.scenario;
        let mut progress = Progress {
            learner: Some("Ann".into()),
            attempts: Vec::new(),
            skills: Skill::ALL.iter().map(|s| standing(*s, 0.8, 10)).collect(),
            drills: 0,
            not_replayed: 0,
        };
        let first = next_step(&progress, &[dan]).unwrap();
        assert_eq!(first.skill, None);
        assert!(first.reason.contains("no sessions yet"), "{}", first.reason);
        progress.drills = 1;
        progress.skills[Skill::RuptureRepair as usize] = standing(Skill::RuptureRepair, 0.3, 6);
        // Weaker still, but on two moves only: too little to act on.
        progress.skills[Skill::RiskAssessment as usize] = standing(Skill::RiskAssessment, 0.1, 2);
        let next = next_step(&progress, &[dan]).unwrap();
        assert_eq!(next.skill, Some(Skill::RuptureRepair));
        assert!(
            next.reason
                .contains("Rupture repair is your weakest skill: 30% over 6 moves"),
            "{}",
            next.reason
        );
        assert!(
            next.reason
                .contains("Dan Mercer trains it \u{2014} Dan: sent by work after an outburst."),
            "{}",
            next.reason
        );
        assert!(relevance(dan, Skill::RuptureRepair) > 0);
        assert_eq!(next_step(&progress, &[]), None);
    }
}
