//! The records over 10,000 attempts (targets, issue 6: each within one second):
//! `attune verify` (each result file parsed, replayed from its scenario and compared figure
//! by figure) and `attune report` (each file verified as `verify` does, the class report
//! built over those that verify, its HTML and CSV written out as text).

use std::sync::Arc;

use attune::engine::Session;
use attune::model::Mode;
use attune::records::{AttemptResult, HashedLibrary, Played, verify_all};
use attune::scenario::Choice;
use criterion::{Criterion, criterion_group, criterion_main};

/// 10,000 result files of seeded random sessions across the whole library.
fn corpus() -> (Vec<String>, HashedLibrary) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let library = HashedLibrary::scan(&files);
    assert_eq!(
        library.scenarios.len(),
        files.len(),
        "every library scenario loads"
    );
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let texts = (0..10_000u64)
        .map(|i| {
            let scenario = &library.scenarios[(next() % library.scenarios.len() as u64) as usize];
            let prepared = &scenario.prepared;
            let mut session = Session::new(Arc::clone(prepared), i);
            for _ in 0..prepared.scenario.session.turn_limit {
                let t = &prepared.techniques[(next() % prepared.techniques.len() as u64) as usize];
                if session.apply(&Choice::new(&t.id)).is_err() {
                    break;
                }
            }
            AttemptResult::of(
                &session,
                &scenario.file.file_name().unwrap().to_string_lossy(),
                scenario.content_hash.clone(),
                Mode::Assessment,
                Some(format!("learner-{i}")),
                "2026-11-24T09:00:00Z".into(),
                Played::Script,
            )
            .to_json()
        })
        .collect();
    (texts, library)
}

fn bench_verify(c: &mut Criterion) {
    let (texts, library) = corpus();
    let verdicts = verify_all(&texts, &library, None);
    assert!(
        verdicts
            .iter()
            .all(|v| *v == attune::records::Verdict::Verified),
        "every untouched result verifies"
    );
    let mut group = c.benchmark_group("verify");
    group.sample_size(10);
    group.bench_function("10,000 attempts", |b| {
        b.iter(|| verify_all(&texts, &library, None))
    });
    group.finish();
    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    group.bench_function("10,000 attempts", |b| {
        b.iter(|| {
            // `report` verifies what it reads, and counts only what verifies.
            let results: Vec<AttemptResult> =
                attune::records::verify_and_read_all(&texts, &library, None)
                    .into_iter()
                    .filter_map(|(verdict, result)| result.filter(|_| verdict.is_verified()))
                    .collect();
            let report = attune::records::report::build(&results);
            (
                report.html("bench"),
                report.csv_decisions(),
                report.csv_scenarios(),
                report.csv_misfits(),
                report.text(20),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench_verify);
criterion_main!(benches);
