//! The rules a result must keep whatever its seal says (anyone with Attune's code can seal
//! a file): it names the scenario its content hash belongs to, its timestamps are real,
//! ordered, not in the future and long enough for the turns played in the window, an
//! attempt in a pack was in assessment mode, and, checked against the instructor's pack,
//! the pack's pass mark, seeds, scenarios and pinned versions are the ones it was played
//! with. Replay (`verify.rs`) then checks every figure.

use super::clock::{parse_rfc3339, rfc3339};
use super::library::HashedScenario;
use super::result::{AttemptResult, Played, RESULT_FORMAT};
use crate::assessment::AssessmentPack;
use attune_core::model::Mode;

/// How far in the future a timestamp may be: clocks on learners' machines drift.
pub const CLOCK_SKEW_SECONDS: u64 = 5 * 60;

/// The least time a person takes over one turn in the window: the client's line (one to
/// three sentences) must be read and a technique chosen and used, at least two clicks or
/// key presses. Reading alone takes several seconds at 250 words a minute; a second is
/// lenient on purpose, so that only a script passed off as a person falls under it.
pub const MIN_SECONDS_PER_TURN_IN_WINDOW: u64 = 1;

/// What the checks found: problems reject the result; notes are said beside a verified one.
#[derive(Debug, Default)]
pub struct Findings {
    pub problems: Vec<String>,
    pub notes: Vec<String>,
    /// The pass mark to replay with: the instructor's pack's when given, else the one the
    /// result's pack names, else the scenario's own.
    pub pass_mark: Option<f32>,
}

/// Checks `result`, whose content hash is that of `scenario`, against the rules and, when
/// given, the instructor's pack. `now` is seconds since 1970.
pub fn check(
    result: &AttemptResult,
    scenario: &HashedScenario,
    pack: Option<&AssessmentPack>,
    now: u64,
) -> Findings {
    let mut f = Findings::default();
    provenance(result, &mut f);
    identity(result, scenario, &mut f);
    timing(result, now, &mut f);
    pack_fields(result, &mut f);
    f.pass_mark = result.pack.as_ref().map(|p| p.pass_mark);
    if let Some(pack) = pack {
        against_pack(result, pack, &mut f);
        f.pass_mark = Some(pack.pass_mark);
    }
    f
}

/// The fields format 2 adds are there and well formed; the learner's name is one line.
fn provenance(result: &AttemptResult, f: &mut Findings) {
    if result.format == RESULT_FORMAT {
        match &result.attempt_id {
            None => f.problems.push("it has no attempt id".into()),
            Some(id) if uuid::Uuid::parse_str(id).is_err() => f
                .problems
                .push(format!("its attempt id `{id}` is not a UUID")),
            Some(_) => {}
        }
        if result.played.is_none() {
            f.problems
                .push("it does not say how it was played (`played`)".into());
        }
    } else if result.attempt_id.is_some() || result.played.is_some() || result.seal.is_some() {
        // Format 1 never had these: a format 2 file relabelled to escape its seal.
        f.problems.push(format!(
            "it says format `{}` but carries an attempt id, `played` or a seal, which only format 2 has",
            result.format
        ));
    } else {
        f.notes
            .push("format 1: no seal, fields outside the replay unchecked".into());
    }
    if let Some(learner) = &result.learner
        && crate::assessment::valid_learner(learner).as_deref() != Ok(learner.as_str())
    {
        f.problems.push(format!(
            "its learner {learner:?} is not a name Attune accepts (one line, trimmed, at most 80 characters)"
        ));
    }
}

/// The scenario the result names is the one its content hash belongs to.
fn identity(result: &AttemptResult, scenario: &HashedScenario, f: &mut Findings) {
    let meta = &scenario.prepared.scenario.meta;
    let file = scenario.file.display();
    if result.scenario.id != meta.id {
        f.problems.push(format!(
            "it names scenario `{}`, but its content hash is that of `{}` ({file})",
            result.scenario.id, meta.id
        ));
    }
    if result.scenario.title != meta.title {
        f.problems.push(format!(
            "it names the scenario's title {:?}, but the file with its content hash has {:?} ({file})",
            result.scenario.title, meta.title
        ));
    }
    let name = scenario
        .file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    if result.scenario.file != name {
        f.notes.push(format!(
            "played from a file named `{}`; the same content is now {file}",
            result.scenario.file
        ));
    }
}

/// A timestamp exactly as Attune writes it (`2026-11-24T09:00:00Z`, fractions allowed).
fn timestamp(s: &str) -> Option<u64> {
    let secs = parse_rfc3339(s)?;
    // The reader skips what lies between the seconds and the `Z`, and takes a 31st of
    // February; writing it back shows either.
    let written = rfc3339(secs);
    let same = s == written
        || (s.len() > 21
            && s[..19] == written[..19]
            && s[19..s.len() - 1].starts_with('.')
            && s[20..s.len() - 1].bytes().all(|b| b.is_ascii_digit()));
    same.then_some(secs)
}

/// Timestamps that are real, ordered, not in the future, and, for a person in the window,
/// long enough for the turns played.
fn timing(result: &AttemptResult, now: u64, f: &mut Findings) {
    let start = timestamp(&result.started_at);
    let end = timestamp(&result.finished_at);
    for (name, text, at) in [
        ("started_at", &result.started_at, start),
        ("finished_at", &result.finished_at, end),
    ] {
        match at {
            None => f.problems.push(format!(
                "its {name} {text:?} is not a timestamp as Attune writes them (e.g. 2026-11-24T09:00:00Z)"
            )),
            Some(at) if at > now + CLOCK_SKEW_SECONDS => f.problems.push(format!(
                "its {name} {text} is in the future (now is {})",
                rfc3339(now)
            )),
            Some(_) => {}
        }
    }
    let (Some(start), Some(end)) = (start, end) else {
        return;
    };
    if end < start {
        f.problems.push(format!(
            "it finished ({}) before it started ({})",
            result.finished_at, result.started_at
        ));
        return;
    }
    if result.played == Some(Played::Window) {
        let turns = result.turns.as_array().map_or(0, Vec::len) as u64;
        let least = turns * MIN_SECONDS_PER_TURN_IN_WINDOW;
        // Timestamps are whole seconds: the attempt may have taken up to one more.
        if end - start + 1 < least {
            f.problems.push(format!(
                "it says a person played {} in the window in {} second(s) from start to finish; a person takes at least {MIN_SECONDS_PER_TURN_IN_WINDOW} s a turn",
                attune_core::words::count_with(turns as usize, "turn", "turns"),
                end - start
            ));
        }
    }
}

/// A pack the result names is well formed, and an attempt in a pack is an assessment.
fn pack_fields(result: &AttemptResult, f: &mut Findings) {
    let Some(p) = &result.pack else {
        return;
    };
    if result.mode != Mode::Assessment {
        f.problems.push(format!(
            "it was taken in pack `{}` but in {:?} mode; a pack's attempts are assessments",
            p.id, result.mode
        ));
    }
    if result.learner.is_none() {
        f.problems.push(format!(
            "it was taken in pack `{}` but names no learner; a pack asks for one",
            p.id
        ));
    }
    if uuid::Uuid::parse_str(&p.sitting).is_err() {
        f.problems
            .push(format!("its sitting `{}` is not a UUID", p.sitting));
    }
    if p.position == 0 {
        f.problems
            .push("its position in the pack is 0; positions start at 1".into());
    }
    if !(0.0..=100.0).contains(&p.pass_mark) {
        f.problems.push(format!(
            "its pack's pass mark {} is not an overall score from 0 to 100",
            p.pass_mark
        ));
    }
}

/// The instructor's pack, not the result, says what was set: the result names this pack,
/// a scenario in it at its position, the pack's seed, pinned version and pass mark.
fn against_pack(result: &AttemptResult, pack: &AssessmentPack, f: &mut Findings) {
    let Some(p) = &result.pack else {
        f.problems.push(format!(
            "not taken in this pack: it names no pack, and pack `{}` was asked for",
            pack.id
        ));
        return;
    };
    for (what, recorded, set) in [
        ("id", &p.id, &pack.id),
        ("title", &p.title, &pack.title),
        ("class", &p.class_id, &pack.class_id),
    ] {
        if recorded != set {
            f.problems.push(format!(
                "not taken in this pack: it names the pack {what} {recorded:?}, the pack's is {set:?}"
            ));
        }
    }
    if p.pass_mark != pack.pass_mark {
        f.problems.push(format!(
            "it records the pack's pass mark as {}, the pack sets {}",
            p.pass_mark, pack.pass_mark
        ));
    }
    if result.mode != Mode::Assessment {
        f.problems.push(format!(
            "it was played in {:?} mode, not as an assessment",
            result.mode
        ));
    }
    let Some((index, item)) = pack
        .scenarios
        .iter()
        .enumerate()
        .find(|(_, item)| item.scenario == result.scenario.id)
    else {
        f.problems.push(format!(
            "the pack does not name scenario `{}`",
            result.scenario.id
        ));
        return;
    };
    if p.position != index + 1 {
        f.problems.push(format!(
            "it says it was client {} of the pack; `{}` is client {}",
            p.position,
            item.scenario,
            index + 1
        ));
    }
    if result.seed != item.seed {
        f.problems.push(format!(
            "it was played with seed {}; the pack sets seed {} for `{}`",
            result.seed, item.seed, item.scenario
        ));
    }
    if let Some(pinned) = &item.content_hash
        && *pinned != result.scenario.content_hash
    {
        f.problems.push(format!(
            "it was played on {}; the pack pins `{}` to {pinned}",
            result.scenario.content_hash, item.scenario
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_must_be_written_as_attune_writes_them() {
        assert_eq!(timestamp("2026-11-24T09:00:00Z"), Some(1_795_510_800));
        assert_eq!(timestamp("2026-11-24T09:00:00.250Z"), Some(1_795_510_800));
        for bad in [
            "2026-02-31T09:00:00Z",
            "2026-11-24T09:00:00junkZ",
            "2026-11-24T09:00:00.Z",
            "yesterday",
        ] {
            assert_eq!(timestamp(bad), None, "{bad}");
        }
    }
}
