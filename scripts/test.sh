#!/usr/bin/env bash
# The whole test suite: unit, integration (headless engine and the CLI binary) and a
# compile-and-run-once check of the benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --locked --all-targets
