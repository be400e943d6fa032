//! A week of practice for one learner, recorded through the records API with timestamps
//! spread over seven days: early sessions follow each client's novice or gate playthrough,
//! later ones the expert's, so the progress screen has a week's rise to show. The test
//! suite uses it (`tests/suite/progress.rs`); run it to look at the screen yourself:
//! `cargo run --example week_of_practice -- DATA_DIR "Ann Lee"`, then start Attune with
//! `ATTUNE_DATA_DIR=DATA_DIR` and pick that learner.

use std::path::Path;
use std::sync::Arc;

use attune::engine::{PreparedScenario, Session};
use attune::model::{Catalogue, Mode};
use attune::records::clock::rfc3339;
use attune::records::{AttemptPlan, NewAttempt, Played, Store, content_hash};
use attune::scoring::ScoringConfig;

/// The clients of the week, by file name, in the order they are first met.
pub const WEEK_CLIENTS: [&str; 3] = [
    "dan-mandated-anger.ron",
    "tom-panic-exposure.ron",
    "maria-depression-risk.ron",
];

/// Sessions of the week: (day, client index, whether the learner plays like the expert).
const SESSIONS: [(u64, usize, bool); 10] = [
    (0, 0, false),
    (0, 1, false),
    (1, 0, false),
    (2, 2, false),
    (3, 1, true),
    (3, 0, false),
    (4, 2, false),
    (5, 0, true),
    (6, 1, true),
    (6, 2, true),
];

/// Records the week for `learner`, its first day starting at `start_unix`, playing the
/// clients in `scenarios`; returns how many sessions were recorded.
pub fn simulate(
    store: &mut Store,
    scenarios: &Path,
    learner: &str,
    start_unix: u64,
) -> Result<usize, String> {
    let mut clients = Vec::new();
    for file in WEEK_CLIENTS {
        let bytes = std::fs::read(scenarios.join(file)).map_err(|e| format!("{file}: {e}"))?;
        let text = String::from_utf8(bytes.clone()).map_err(|e| format!("{file}: {e}"))?;
        let prepared = PreparedScenario::from_text(
            file,
            &text,
            &Catalogue::builtin(),
            &ScoringConfig::builtin(),
        )
        .map_err(|e| format!("{file}: {e:?}"))?;
        clients.push((file, prepared, content_hash(&bytes)));
    }
    for (n, (day, client, expert)) in SESSIONS.into_iter().enumerate() {
        let (file, prepared, hash) = &clients[client];
        let started = start_unix + day * 86_400 + 9 * 3600 + n as u64 * 2400;
        record_session(store, file, prepared, hash, learner, expert, started)?;
    }
    Ok(SESSIONS.len())
}

/// One session, begun at `started` and finished twenty minutes later.
fn record_session(
    store: &mut Store,
    file: &str,
    prepared: &Arc<PreparedScenario>,
    hash: &str,
    learner: &str,
    expert: bool,
    started: u64,
) -> Result<(), String> {
    let playthrough = prepared
        .scenario
        .playthroughs
        .iter()
        .find(|p| p.name.starts_with(if expert { "expert" } else { "novice" }))
        .ok_or_else(|| format!("{file} has no such playthrough"))?;
    let mut session = Session::new(Arc::clone(prepared), playthrough.seed);
    for choice in &playthrough.choices {
        if session.apply(choice).is_err() {
            break;
        }
    }
    let meta = &prepared.scenario.meta;
    let started_at = rfc3339(started);
    let id = store.begin(&NewAttempt {
        scenario_id: &meta.id,
        scenario_title: &meta.title,
        scenario_file: file,
        content_hash: hash,
        seed: session.seed(),
        mode: Mode::Practice,
        learner: Some(learner),
        started_at: &started_at,
        continues: None,
    })?;
    for turn in session.turns() {
        store.record_turn(&id, turn)?;
    }
    let plan = AttemptPlan {
        file: file.to_string(),
        content_hash: hash.to_string(),
        mode: Mode::Practice,
        learner: Some(learner.to_string()),
        pack: None,
        played: Played::Script,
        continues: None,
    };
    let mut result = plan.result_of(&session, &started_at);
    result.finished_at = rfc3339(started + 1200);
    store.finish(&id, &result.recorded_as(&id))
}

#[cfg_attr(test, allow(dead_code))]
fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [data, learner] = args.as_slice() else {
        return Err("usage: week_of_practice DATA_DIR LEARNER".into());
    };
    let mut store =
        Store::open(&Path::new(data).join("records.sqlite")).map_err(|e| e.to_string())?;
    let now = attune::records::clock::now_millis() / 1000;
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let n = simulate(&mut store, &scenarios, learner, now - 7 * 86_400)?;
    println!("recorded {n} sessions for {learner} over seven days");
    Ok(())
}
