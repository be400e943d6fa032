#!/usr/bin/env bash
# Measures the app against a bare Bevy + egui window (examples/bare_window.rs, same Bevy
# features, same reactive settings) in a virtual X display with Mesa's software Vulkan:
#   - start-up: from launching the process to its first frame on screen (both print the
#     time the first frame was captured; see src/app/probe.rs);
#   - idle CPU: average use of one core over 10 seconds with nobody touching the window,
#     after a 3-second settle;
#   - peak memory: the process's peak resident set (VmHWM).
# Each figure is the median of RUNS runs (default 5). Targets: idle CPU under 2% of one
# core; start-up and peak memory within 1.3 times the bare window's.
#
# Usage: bash scripts/measure-app.sh [--dev]    (--dev: measure the dev build instead of release)
# Needs: scripts/setup-debian.sh (Xvfb, Mesa's Vulkan driver).
set -euo pipefail
cd "$(dirname "$0")/.."
profile=release
[ "${1:-}" = "--dev" ] && profile=dev
runs="${RUNS:-5}"
target_dir="${CARGO_TARGET_DIR:-target}"
out_dir="$target_dir/$([ "$profile" = dev ] && echo debug || echo release)"

echo "building ($profile)..."
if [ "$profile" = release ]; then
    cargo build --locked --release --bin attune --example bare_window
else
    cargo build --locked --bin attune --example bare_window
fi
app="$out_dir/attune"
bare="$out_dir/examples/bare_window"

# A display of our own.
display=99
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
work=$(mktemp -d)
cleanup() { kill "$xvfb_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done

ticks_per_second=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# One run: prints "startup_seconds idle_cpu_percent peak_kib".
measure_once() {
    local bin=$1; shift
    local log="$work/log"
    local t0 t1 pid first c0 c1 peak
    t0=$(date +%s.%N)
    DISPLAY=":$display" ATTUNE_PROBE_FIRST_FRAME=1 ATTUNE_CONFIG_DIR="$work" ATTUNE_DATA_DIR="$work" RUST_LOG=error "$bin" "$@" >"$log" 2>&1 &
    pid=$!
    for _ in $(seq 600); do
        grep -q '^first-frame ' "$log" && break
        kill -0 "$pid" 2>/dev/null || { echo "error: $bin exited before its first frame:" >&2; cat "$log" >&2; exit 1; }
        sleep 0.05
    done
    first=$(grep -m1 '^first-frame ' "$log" | awk '{print $2}')
    [ -n "$first" ] || { echo "error: no first frame from $bin within 30 s" >&2; kill "$pid"; exit 1; }
    sleep 3
    c0=$(cpu_ticks "$pid")
    sleep 10
    c1=$(cpu_ticks "$pid")
    peak=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    t1=$(awk -v a="$first" -v b="$t0" 'BEGIN {printf "%.3f", a - b}')
    awk -v s="$t1" -v d="$((c1 - c0))" -v hz="$ticks_per_second" -v m="$peak" 'BEGIN {printf "%s %.2f %d\n", s, d / hz / 10 * 100, m}'
}

median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# Prints "startup idle peak" medians over the runs.
measure() {
    local results="$work/results"
    : >"$results"
    for i in $(seq "$runs"); do
        measure_once "$@" >>"$results"
        echo "  run $i: $(tail -1 "$results")" >&2
    done
    echo "$(awk '{print $1}' "$results" | median) $(awk '{print $2}' "$results" | median) $(awk '{print $3}' "$results" | median)"
}

echo "bare Bevy + egui window ($runs runs):"
read -r b_start b_cpu b_mem < <(measure "$bare")
echo "Attune, library screen with the scenario library loaded ($runs runs):"
read -r a_start a_cpu a_mem < <(measure "$app" --scenarios scenarios)

echo
printf '%-26s %12s %12s %8s\n' "" "bare window" "Attune" "ratio"
printf '%-26s %11.3fs %11.3fs %8.2f\n' "start-up to first frame" "$b_start" "$a_start" "$(awk -v a="$a_start" -v b="$b_start" 'BEGIN {print a / b}')"
printf '%-26s %11.2f%% %11.2f%% %8s\n' "idle CPU (one core)" "$b_cpu" "$a_cpu" "-"
printf '%-26s %9.1f MiB %7.1f MiB %8.2f\n' "peak memory" "$(awk -v m="$b_mem" 'BEGIN {print m / 1024}')" "$(awk -v m="$a_mem" 'BEGIN {print m / 1024}')" "$(awk -v a="$a_mem" -v b="$b_mem" 'BEGIN {print a / b}')"
echo

ok=1
check() { if awk "BEGIN {exit !($2)}"; then echo "  met:    $1"; else echo "  missed: $1"; ok=0; fi; }
echo "targets ($profile build):"
check "idle CPU under 2% of one core" "$a_cpu < 2"
check "start-up within 1.3x the bare window's" "$a_start <= 1.3 * $b_start"
check "peak memory within 1.3x the bare window's" "$a_mem <= 1.3 * $b_mem"
[ "$ok" = 1 ]
