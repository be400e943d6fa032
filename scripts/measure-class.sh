#!/usr/bin/env bash
# Measures the class vote under load in the real app, in a virtual X display of its own at
# 1920x1080 with Mesa's software Vulkan:
#   - opens Dan's briefing, the Classroom mode and the projector with xdotool, and presses V
#     to open voting on the default network (the app logs the address and the join code);
#   - the projector's frame times for IDLE_SECONDS (default 15) before voting is opened, for
#     as long with voting open and nobody voting, then while STUDENTS simulated students (default 200) join, poll and vote,
#     changing their votes, for LOAD_SECONDS (default 60) (crates/classroom/examples/load.rs
#     against the app's server);
#   - presses V to close the round and compares the app's logged tally with the driver's
#     expected count (each student's last accepted vote): it fails loudly if they differ;
#   - the app's resident memory before and after the load and its peak (VmHWM), the
#     driver's requests per second, statuses and latencies, and a screenshot of the
#     projector during the load (kept outside the clone; its path is printed).
# Frame times come from the app's frame probe (ATTUNE_PROBE_FRAMES, src/app/frame_probe.rs):
# each frame's work (First to Last) and the interval between frames. The window is reactive:
# with voting not open and nobody at the keyboard it draws hardly any frames; while a round
# is open it wakes every 500 ms to show the count, so intervals near 500 ms are the cadence.
#
# Usage: bash scripts/measure-class.sh
# Needs: scripts/setup-debian.sh (Xvfb, Mesa's Vulkan driver), xdotool, xwd and ImageMagick's
# convert (for the screenshot).
set -euo pipefail
cd "$(dirname "$0")/.."
students="${STUDENTS:-200}"
idle_seconds="${IDLE_SECONDS:-15}"
load_seconds="${LOAD_SECONDS:-60}"
target_dir="${CARGO_TARGET_DIR:-target}"
for tool in Xvfb xdotool xwd convert; do
    command -v "$tool" >/dev/null || { echo "error: $tool is needed (scripts/setup-debian.sh, apt-get install xdotool x11-apps imagemagick)" >&2; exit 1; }
done

echo "building (release)..."
cargo build --locked --release --bin attune
cargo build --locked --release -p attune-classroom --example load
app="$target_dir/release/attune"
driver="$target_dir/release/examples/load"

# A display of our own.
display=99
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
work=$(mktemp -d)
app_pid=""
driver_pid=""
cleanup() {
    [ -n "$driver_pid" ] && kill "$driver_pid" 2>/dev/null || true
    [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
    kill "$xvfb_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done
export DISPLAY=":$display"
shot=$(mktemp -t attune-projector-under-load-XXXXXX.png)

log="$work/app.log"
# The app's log without its colours.
plain_log() { sed 's/\x1b\[[0-9;]*m//g' "$log"; }
fail() {
    echo "error: $*" >&2
    xwd -root -silent | convert xwd:- "$shot" 2>/dev/null && echo "the screen then: $shot" >&2
    echo "the app's last lines:" >&2
    plain_log | grep -v '^frame ' | tail -20 >&2
    exit 1
}
# Waits up to $2 seconds for a line of the app's log matching $1.
wait_for() {
    for _ in $(seq $(($2 * 10))); do
        plain_log | grep -q "$1" && return 0
        kill -0 "$app_pid" 2>/dev/null || fail "the app exited"
        sleep 0.1
    done
    fail "no line matching '$1' within $2 s"
}
rss_kib() { awk "/^$2:/ {print \$2}" "/proc/$1/status"; }

ATTUNE_PROBE_FIRST_FRAME=1 ATTUNE_PROBE_FRAMES=5 ATTUNE_CONFIG_DIR="$work" ATTUNE_DATA_DIR="$work" \
    RUST_LOG=info "$app" --scenarios scenarios >"$log" 2>&1 &
app_pid=$!
wait_for '^library-filled ' 60
window=$(xdotool search --sync --name 'Attune: psychotherapy' | head -1)
xdotool windowmove "$window" 0 0
xdotool windowsize "$window" 1920 1080
xdotool windowfocus "$window"
sleep 1

# Library: search for Dan, meet him; briefing: Classroom, Begin session (the positions at
# 1920x1080 with the default text size).
xdotool mousemove 190 55 click 1
sleep 0.3
xdotool type --delay 50 'Dan Mercer'
sleep 1
xdotool mousemove 158 318 click 1
sleep 1
xdotool mousemove 426 1028 click 1
sleep 0.5
xdotool mousemove 574 1028 click 1
sleep 1.5
xdotool mousemove 700 900
now() { date +%s.%N; }
echo "the projector with voting not open for $idle_seconds s..."
closed_from=$(now)
sleep "$idle_seconds"
closed_to=$(now)
# The projector: V opens voting on the default network.
xdotool key v
wait_for 'class vote open at ' 10
read -r address code < <(plain_log | grep -m1 'class vote open at ' | sed -E 's/.*class vote open at ([^ ]+) code ([A-Z0-9]+).*/\1 \2/')
echo "voting open at $address with code $code"
hostport=${address#http://}
hostport=${hostport%/}
(exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}") 2>/dev/null ||
    fail "the vote's address $address is not reachable from here (choose another network on the projector)"

rss_before=$(rss_kib "$app_pid" VmRSS)
echo "idle with voting open for $idle_seconds s..."
idle_from=$(now)
sleep "$idle_seconds"
idle_to=$(now)

echo "$students students voting for $load_seconds s..."
load_from=$(now)
"$driver" --address "$address" --code "$code" --students "$students" --seconds "$load_seconds" >"$work/driver.log" 2>&1 &
driver_pid=$!
sleep $((load_seconds / 2))
xwd -root -silent | convert xwd:- "$shot"
wait "$driver_pid" || { cat "$work/driver.log" >&2; driver_pid=""; fail "the load driver failed"; }
driver_pid=""
load_to=$(now)
rss_after=$(rss_kib "$app_pid" VmRSS)
rss_peak=$(rss_kib "$app_pid" VmHWM)

xdotool mousemove 700 900 key v
wait_for 'class vote closed: ' 10
tally=$(plain_log | grep -m1 'class vote closed: ' | sed -E 's/.*class vote closed: //')
expected=$(grep -m1 '^expected: ' "$work/driver.log" | sed -E 's/^expected: //')

# Frame figures between two times: "frames p50 p95 p99 max" of work and of the interval.
frames_between() {
    plain_log | awk -v from="$1" -v to="$2" -v field="$3" '
        $1 == "frame" && $2 >= from && $2 <= to {
            split($field, kv, "="); print kv[2]
        }' | sort -g | awk '
        { a[NR] = $1 }
        function rank(q,  i) { i = int(q * NR); if (i < q * NR) i++; if (i < 1) i = 1; return a[i] }
        END {
            if (NR == 0) { print "0 - - - -"; exit }
            printf "%d %.2f %.2f %.2f %.2f\n", NR, rank(0.5), rank(0.95), rank(0.99), a[NR]
        }'
}

echo
echo "== the class vote under load: $students students for $load_seconds s, window 1920x1080 =="
echo "driver:"
sed 's/^/  /' "$work/driver.log" | grep -v '^  expected: '
echo
printf '%-34s %7s %9s %9s %9s %9s\n' "frame times (ms)" frames p50 p95 p99 max
printf '%-34s %7s %9s %9s %9s %9s\n' "work, voting not open" $(frames_between "$closed_from" "$closed_to" 3)
printf '%-34s %7s %9s %9s %9s %9s\n' "work, idle with voting open" $(frames_between "$idle_from" "$idle_to" 3)
printf '%-34s %7s %9s %9s %9s %9s\n' "work, under load" $(frames_between "$load_from" "$load_to" 3)
printf '%-34s %7s %9s %9s %9s %9s\n' "interval, voting not open" $(frames_between "$closed_from" "$closed_to" 4)
printf '%-34s %7s %9s %9s %9s %9s\n' "interval, idle with voting open" $(frames_between "$idle_from" "$idle_to" 4)
printf '%-34s %7s %9s %9s %9s %9s\n' "interval, under load" $(frames_between "$load_from" "$load_to" 4)
echo
printf 'app memory: %.1f MiB before the load, %.1f MiB after, peak (VmHWM) %.1f MiB\n' \
    "$(awk -v m="$rss_before" 'BEGIN {print m / 1024}')" \
    "$(awk -v m="$rss_after" 'BEGIN {print m / 1024}')" \
    "$(awk -v m="$rss_peak" 'BEGIN {print m / 1024}')"
echo "projector during the load: $shot"
echo
echo "app's tally:      $tally"
echo "driver expected:  $expected"
if [ -z "$expected" ] || [ "$tally" != "$expected" ]; then
    echo "FAILED: the app's tally differs from each student's last accepted vote" >&2
    exit 1
fi
echo "every vote counted once: the tally equals each student's last accepted vote"
