//! Cost of a whole `attune analyze`: the best-path search plus 10,000 seeded random
//! playthroughs, coverage and technique statistics.
//! Target (issue 5): at most one second per scenario on the 2-core machine, release build.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use attune::analysis::{Progress, Settings, analyze};
use attune::engine::PreparedScenario;
use attune::model::Catalogue;
use attune::scoring::ScoringConfig;
use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};

fn prepared(stem: &str) -> Arc<PreparedScenario> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{stem}.ron"));
    PreparedScenario::from_file(&path, &Catalogue::builtin(), &ScoringConfig::builtin())
        .expect("library scenario loads")
}

fn bench_analyze(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyze");
    // Each run takes a good part of a second: ten samples of a few runs each are enough
    // for a stable median.
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(10));
    for stem in ["dan-mandated-anger", "priya-gad-session-3"] {
        let p = prepared(stem);
        let settings = Settings::default();
        group.bench_function(format!("full analysis, 10000 random ({stem})"), |b| {
            b.iter(|| black_box(analyze(&p, &settings, &Progress::new())))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_analyze);
criterion_main!(benches);
