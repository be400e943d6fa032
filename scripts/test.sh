#!/usr/bin/env bash
# The whole test suite: the formatting and lint gates (rustfmt, clippy with every warning an
# error), then unit, integration (headless engine, the app, the CLI binary, a real learning
# record store) and a run-once check of the benchmarks. Ends with one "N passed, N failed"
# line.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in rustfmt clippy; do
    if ! cargo "${tool/rustfmt/fmt}" --version >/dev/null 2>&1; then
        echo "test: cargo ${tool/rustfmt/fmt} is missing; install it with \`rustup component add $tool\`" >&2
        exit 1
    fi
done
echo "test: formatting (cargo fmt --all --check)"
cargo fmt --all --check
echo "test: lints (cargo clippy, warnings are errors)"
cargo clippy --locked --workspace --all-targets --quiet -- -D warnings
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
cargo test --locked --workspace --all-targets 2>&1 | tee "$log" || status=$?
passed=$(grep -Eo '^test result: [a-zA-Z]+\. [0-9]+ passed' "$log" | awk '{s += $4} END {print s + 0}')
failed=$(grep -Eo '; [0-9]+ failed' "$log" | awk '{s += $2} END {print s + 0}')
echo "tests: $passed passed, $failed failed"
exit "$status"
