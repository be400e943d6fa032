#!/usr/bin/env bash
# How the app's start-up grows with the library (issue 16): the window under a virtual X
# display with Mesa's software Vulkan, opened on generated libraries of 13, 100 and 500
# scenario files (written by `benches/library.rs --write-libraries`), timed from launching
# the process to
#   - its first frame on screen (`first-frame`, as scripts/measure-app.sh times it), and
#   - the first frame that shows every file of the folder in the library (`library-filled`);
# both printed by the app's probe (src/app/probe.rs). Each figure is the median of RUNS runs
# (default 5). The machine's load average is printed beside the figures: on shared cores
# they vary with it.
#
# Usage: bash scripts/measure-library.sh [--dev] [ATTUNE]
#   --dev: build and measure the dev build instead of release;
#   ATTUNE: measure this binary (built with the probe) instead of building one.
# Needs: scripts/setup-debian.sh (Xvfb, Mesa's Vulkan driver).
set -euo pipefail
cd "$(dirname "$0")/.."
profile=release
if [ "${1:-}" = "--dev" ]; then profile=dev; shift; fi
runs="${RUNS:-5}"
target_dir="${CARGO_TARGET_DIR:-target}"
out_dir="$target_dir/$([ "$profile" = dev ] && echo debug || echo release)"

work=$(mktemp -d)
xvfb_pid=
cleanup() { [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

echo "building ($profile) and writing the libraries..." >&2
if [ -z "${1:-}" ]; then
    cargo build --locked --profile "$profile" --bin attune
fi
app="${1:-$out_dir/attune}"
cargo bench --locked --profile "$profile" --bench library -- --write-libraries "$work/libraries" >"$work/libraries.txt"

# A display of our own.
display=99
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done

# One run on the library in $1: prints "first_frame_seconds filled_seconds", the second
# "none" when the library was not on screen within 90 s.
measure_once() {
    local dir=$1
    local log="$work/log" t0 pid first filled
    mkdir -p "$work/home"
    # Emptied here, not by the app's redirect, so the last run's lines are never read.
    : >"$log"
    t0=$(date +%s.%N)
    DISPLAY=":$display" ATTUNE_PROBE_FIRST_FRAME=1 ATTUNE_CONFIG_DIR="$work/home" ATTUNE_DATA_DIR="$work/home" RUST_LOG=error "$app" --scenarios "$dir" </dev/null >"$log" 2>&1 &
    pid=$!
    for _ in $(seq 1800); do
        # Both: the two captures can come back in either order when they show one frame.
        grep -q '^library-filled ' "$log" && grep -q '^first-frame ' "$log" && break
        kill -0 "$pid" 2>/dev/null || { echo "error: $app exited before the library filled:" >&2; cat "$log" >&2; exit 1; }
        sleep 0.05
    done
    first=$(grep -m1 '^first-frame ' "$log" | awk '{print $2}' || true)
    filled=$(grep -m1 '^library-filled ' "$log" | awk '{print $2}' || true)
    kill "$pid"; wait "$pid" 2>/dev/null || true
    [ -n "$first" ] || { echo "error: no first frame from $app" >&2; cat "$log" >&2; exit 1; }
    awk -v f="$first" -v l="$filled" -v t="$t0" 'BEGIN {if (l == "") printf "%.3f none\n", f - t; else printf "%.3f %.3f\n", f - t, l - t}'
}

# The middle value; "none" counts as the largest.
median() { sed 's/none/inf/' | sort -g | awk '{a[NR] = $1} END {m = a[int((NR + 1) / 2)]; print (m == "inf" ? "none" : m)}'; }

printf '%-10s %18s %18s %16s\n' "files" "first frame" "library filled" "filled per file"
while read -r size dir; do
    results="$work/results"
    : >"$results"
    for i in $(seq "$runs"); do
        measure_once "$dir" >>"$results"
        echo "  $size files, run $i: $(tail -1 "$results") (load $(cut -d' ' -f1 /proc/loadavg))" >&2
    done
    first=$(awk '{print $1}' "$results" | median)
    filled=$(awk '{print $2}' "$results" | median)
    if [ "$filled" = none ]; then
        printf '%-10s %17.3fs %18s %16s\n' "$size" "$first" "over 90 s" "-"
    else
        printf '%-10s %17.3fs %17.3fs %13.1f ms\n' "$size" "$first" "$filled" "$(awk -v f="$filled" -v n="$size" 'BEGIN {print f / n * 1000}')"
    fi
done <"$work/libraries.txt"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores ($profile build)"
