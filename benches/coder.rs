//! Speed of the utterance coder: utterances coded per second over the built-in corpus
//! (target, issue 17: under a millisecond an utterance).

use std::hint::black_box;

use attune::coding::{BUILTIN_CORPUS_TEXT, Coder, parse_corpus};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn bench_coder(c: &mut Criterion) {
    let coder = Coder::builtin();
    let lines: Vec<String> = parse_corpus(BUILTIN_CORPUS_TEXT)
        .expect("built-in corpus parses")
        .into_iter()
        .map(|l| l.text)
        .collect();
    let mut group = c.benchmark_group("coder");
    group.throughput(Throughput::Elements(lines.len() as u64));
    group.bench_function("code every corpus utterance", |b| {
        b.iter(|| {
            for line in &lines {
                black_box(coder.code(black_box(line)));
            }
        })
    });
    group.finish();
    c.bench_function("train the coder (Coder::builtin)", |b| {
        b.iter(|| black_box(Coder::builtin()))
    });
}

criterion_group!(benches, bench_coder);
criterion_main!(benches);
