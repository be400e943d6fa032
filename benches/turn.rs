//! Cost of one turn: choice applied, client line chosen, state updated, fit scored.
//! Target (issue 2): median at or below 2 microseconds.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use attune::analysis::expert_playthrough;
use attune::engine::{PreparedScenario, Session};
use attune::model::Catalogue;
use attune::scenario::Choice;
use attune::scoring::ScoringConfig;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

fn prepared(stem: &str) -> Arc<PreparedScenario> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{stem}.ron"));
    PreparedScenario::from_file(&path, &Catalogue::builtin(), &ScoringConfig::builtin())
        .expect("library scenario loads")
}

fn bench_turn(c: &mut Criterion) {
    for stem in [
        "dan-mandated-anger",
        "maria-depression-risk",
        "tom-panic-exposure",
    ] {
        let p = prepared(stem);
        let expert = expert_playthrough(&p.scenario)
            .expect("expert path")
            .choices
            .clone();
        // A session three turns in, so the turn measured meets a realistic state.
        let mut base = Session::new(Arc::clone(&p), 7);
        for choice in &expert[..3] {
            base.apply(choice).expect("applies");
        }
        let next: Choice = expert[3].clone();
        c.bench_function(&format!("one turn ({stem})"), |b| {
            b.iter_batched(
                || base.clone(),
                |mut s| {
                    black_box(s.apply(black_box(&next)).is_ok());
                    s
                },
                BatchSize::SmallInput,
            )
        });
    }
    let p = prepared("dan-mandated-anger");
    let expert = expert_playthrough(&p.scenario)
        .expect("expert path")
        .choices
        .clone();
    c.bench_function(
        "whole expert session with summary (dan-mandated-anger)",
        |b| {
            b.iter(|| {
                let mut s = Session::new(Arc::clone(&p), 7);
                for choice in &expert {
                    let _ = s.apply(choice);
                }
                black_box(s.summary())
            })
        },
    );
}

criterion_group!(benches, bench_turn);
criterion_main!(benches);
