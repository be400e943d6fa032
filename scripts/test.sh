#!/usr/bin/env bash
# The whole test suite: unit, integration (headless engine and the CLI binary) and a
# run-once check of the benchmarks. Ends with one "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
cargo test --locked --all-targets 2>&1 | tee "$log" || status=$?
passed=$(grep -Eo '^test result: [a-zA-Z]+\. [0-9]+ passed' "$log" | awk '{s += $4} END {print s + 0}')
failed=$(grep -Eo '; [0-9]+ failed' "$log" | awk '{s += $2} END {print s + 0}')
echo "tests: $passed passed, $failed failed"
exit "$status"
