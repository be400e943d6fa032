#!/usr/bin/env bash
# Measures what `attune check` writes, and how long it takes, on the inputs that once made
# its output grow with the square of the input (issue 13): one-line scenario files with
# 2,000 and 40,000 problems on their one line (105 KB and 2.1 MB), and a pack naming one
# scenario 2,000 times; and how quickly a device is refused. Give one or more attune
# binaries to compare (default: the release build in cargo's target folder). Each run's
# output is counted through `head -c`, capped at 1 GiB, and stopped after 60 s or 4 GiB of
# memory, so that an old binary cannot fill the disk or the memory.
#
#   bash scripts/measure-bounded.sh [ATTUNE-BINARY...]
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$HOME/.cache/attune/target}"
binaries=("$@")
[ ${#binaries[@]} -gt 0 ] || binaries=("$target/release/attune")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The inputs, written from the test fixture as tests/suite/bounded.rs writes them.
python3 - "$work" <<'PY'
import sys, pathlib
work = pathlib.Path(sys.argv[1])
lines = [l.strip() for l in open("tests/fixtures/minimal.ron", encoding="utf-8")
         if not l.lstrip().startswith("//")]
flat = " ".join(lines)
for n, name in [(2000, "one-line-2000.ron"), (40000, "one-line-40000.ron")]:
    bad = "".join(f'(id:"r{i}",lines:["x"],when:(techniques:["nope"])),' for i in range(n))
    (work / name).write_text(flat.replace("responses: [", "responses: [" + bad, 1))
items = '(scenario: "dan-mandated-anger", seed: 1), ' * 2000
(work / "pack-2000.ron").write_text(
    f'AssessmentPack(id: "p", title: "t", class_id: "c", pass_mark: 60, scenarios: [{items}])\n')
PY

cap=$((1024 * 1024 * 1024))
printf '%-44s %-22s %14s %9s %s\n' binary input bytes seconds exit
for bin in "${binaries[@]}"; do
    for input in one-line-2000.ron one-line-40000.ron pack-2000.ron /dev/zero; do
        path="$input"
        [ "${input#/}" != "$input" ] || path="$work/$input"
        start=$(date +%s.%N)
        set +e
        # At most 4 GiB of memory: an old binary reads /dev/zero until memory runs out.
        bytes=$( (ulimit -v 4194304; exec timeout 60 "$bin" check "$path") 2>&1 | head -c "$cap" | wc -c)
        status=${PIPESTATUS[0]}
        set -e
        end=$(date +%s.%N)
        secs=$(python3 -c "print(f'{$end - $start:.2f}')")
        note=""
        [ "$status" = 124 ] && note=" (stopped at 60 s)"
        [ "$bytes" -ge "$cap" ] && note="$note (output cut at 1 GiB)"
        printf '%-44s %-22s %14s %9s %s%s\n' "$(basename "$(dirname "$(dirname "$bin")")")/$(basename "$bin")" "$(basename "$input")" "$bytes" "$secs" "$status" "$note"
    done
done
