//! What the commands that play and record attempts share (`play`, `play --pack`, `resume`,
//! `sync`): the records database's path, the `--learner` check, a script read for a
//! scenario, choices played through the attempt service, and the one delivery to the
//! learning record store after an attempt is finished. It imports none of those commands,
//! so they need not import each other.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::engine::{PreparedScenario, Session};
use crate::records::xapi::{self, DeliveryReport, LrsConfig, RetryPolicy};
use crate::records::{OpenAttempt, Store};
use crate::scenario::{Choice, parse_script_coded, read_text};
use crate::source::Diagnostic;
use crate::words::{count, count_with};

/// The records database the commands use (`records::store::default_path`).
pub fn db_path() -> Result<PathBuf, String> {
    crate::records::store::default_path()
        .ok_or_else(|| "no data folder: set ATTUNE_DATA_DIR or HOME".to_string())
}

/// `--learner` checked as every other way of naming a learner is (the app's name field, a
/// pack's sitting, the settings): one line, no escape sequences, at most 80 characters.
pub fn learner_arg(typed: &str) -> Result<String, String> {
    crate::assessment::valid_learner(typed).map_err(|why| format!("--learner: {why}"))
}

/// A play script as the commands read it: every technique checked against `known`, and a
/// step given by its words alone checked as the session will play it (the technique the
/// shared coder reads in the words), so a script that cannot be played is refused at its
/// line before anything is recorded.
pub fn parse_play_script(
    name: &str,
    text: &str,
    known: &[&str],
) -> Result<Vec<Choice>, Vec<Diagnostic>> {
    let coder = crate::coding::shared_coder();
    parse_script_coded(name, text, known, &|words| coder.code(words).technique)
}

/// A play script's choices for this scenario; its problems, one per line, as the error.
pub fn read_script(script: &Path, prepared: &PreparedScenario) -> Result<Vec<Choice>, String> {
    let name = script.display().to_string();
    let text = read_text(script).map_err(|e| format!("{name}: {e}"))?;
    let known: Vec<&str> = prepared.techniques.iter().map(|t| t.id.as_str()).collect();
    parse_play_script(&name, &text, &known).map_err(|d| {
        d.iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// Plays choices in order, `pace_ms` apart, saving each turn as it is played when the
/// attempt is being recorded. Stops at the session's end, saying how many choices were
/// left.
pub fn play_choices(
    session: &mut Session,
    choices: &[Choice],
    mut recording: Option<(&mut Store, &mut OpenAttempt)>,
    pace_ms: u64,
) -> Result<(), String> {
    for (i, choice) in choices.iter().enumerate() {
        if pace_ms > 0 {
            std::thread::sleep(Duration::from_millis(pace_ms));
        }
        if let Err(e) = session.apply(choice) {
            let left = choices.len() - i;
            eprintln!(
                "note: {e}; {} from turn {} on {} not played",
                count(left, "choice"),
                i + 1,
                if left == 1 { "was" } else { "were" }
            );
            break;
        }
        if let Some((store, rec)) = recording.as_mut() {
            rec.save_turns(store, session)?;
        }
    }
    Ok(())
}

/// Warns, once per command, when key and secret would go over plain http to another host.
pub fn warn_plain_http(cfg: &LrsConfig) {
    static WARNED: AtomicBool = AtomicBool::new(false);
    if let Some(w) = cfg.plain_http_warning()
        && !WARNED.swap(true, Ordering::Relaxed)
    {
        eprintln!("{w}");
    }
}

/// After a command has finished an attempt (its statements were queued as it was saved):
/// one quick delivery of what is due, when a store is configured. Never fails the command:
/// the attempt is saved whatever happens here, and what is not sent waits for `attune sync`.
pub fn deliver_after_finish(store: &mut Store, db: &Path) {
    let cfg = match LrsConfig::for_database(db) {
        Ok(Some(cfg)) => cfg,
        Ok(None) => return,
        Err(e) => {
            eprintln!(
                "note: not sent to the learning record store, whose configuration is wrong: {e}; the statements wait until it is corrected"
            );
            return;
        }
    };
    warn_plain_http(&cfg);
    // A short timeout: a person is waiting, and whatever is not sent stays queued.
    let policy = RetryPolicy {
        request_timeout: Duration::from_secs(10),
        ..RetryPolicy::default()
    };
    match xapi::deliver_pending(store, &cfg, &policy) {
        Ok(report) => print_delivery(&report),
        Err(e) => eprintln!("note: not sent to the learning record store: {e}"),
    }
}

fn print_delivery(report: &DeliveryReport) {
    for (id, message) in &report.failed {
        eprintln!("note: the learning record store did not take statement {id}: {message}");
    }
    let pending = report.outbox.pending;
    if pending > 0 {
        eprintln!(
            "note: {} for the learning record store ({}); `attune sync` sends them",
            count_with(pending, "statement waits", "statements wait"),
            report.error.as_deref().unwrap_or("not due yet")
        );
    } else {
        eprintln!(
            "sent {} to the learning record store",
            count(report.delivered, "statement")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every scenario offers the whole catalogue, so only a narrower list of techniques
    /// shows the check: words alone coded as a technique not offered are refused at the
    /// words, naming what they were coded as.
    #[test]
    fn words_alone_coded_as_a_technique_not_offered_are_refused_at_their_line() {
        let words = "You're fed up with people telling you what to do.";
        let coded = crate::coding::shared_coder().code(words).technique;
        let text = format!("[\n  (technique: \"open_question\"),\n  (say: \"{words}\"),\n]");
        let offered = ["open_question"];
        assert!(!offered.contains(&coded.as_str()));
        let errors = parse_play_script("s.ron", &text, &offered).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!((errors[0].line, errors[0].col), (3, 9));
        assert!(
            errors[0].message.contains(&format!(
                "coded as `{coded}`, which the scenario does not offer"
            )),
            "{errors:?}"
        );
        let with_it = [offered[0], coded.as_str()];
        assert_eq!(
            parse_play_script("s.ron", &text, &with_it).unwrap().len(),
            2
        );
    }
}
