#!/usr/bin/env bash
# Installs what Attune needs beyond Rust: X11 libraries the window loads, Mesa's Vulkan
# driver (software rendering where there is no GPU), Xvfb, the virtual display the
# end-to-end window test and scripts/measure-app.sh run in, and Ralph, the learning record
# store the xAPI tests run against (a Python virtual environment kept outside the clone,
# like cargo's target folder: $ATTUNE_RALPH_VENV, default ~/.cache/attune/ralph-venv),
# and Chromium with its WebDriver, which the class vote's page is tested in.
# Safe to run again: what is installed already is left alone, in a second or so.
set -euo pipefail
packages=(
    pkg-config libx11-dev            # building the window layer
    libx11-xcb1 libxcursor1 libxi6 libxrandr2 libxkbcommon-x11-0   # the window at run time
    libvulkan1 mesa-vulkan-drivers   # rendering, on a GPU or in software
    xvfb xauth                       # a virtual display for the window tests
    xdotool x11-apps                 # resizing that window and dumping the screen (xwd)
    procps                           # ps and pgrep, for scripts/measure-app.sh
    python3 python3-venv             # Ralph's virtual environment
    chromium chromium-driver         # the class vote page's test in a headless phone browser
)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: every package is installed"
else
    echo "setup: installing ${missing[*]}"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -q
    $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Ralph, pinned (its filesystem backend needs no extra; 5.1.0 has no `backend-fs` one). It imports `requests` without declaring it, so that is pinned beside it.
# The stamp file holds the requirements the environment was made with: the same line means
# nothing to do; a changed pin makes a fresh environment.
venv="${ATTUNE_RALPH_VENV:-$HOME/.cache/attune/ralph-venv}"
requirements="ralph-malph[cli,lrs]==5.1.0 requests==2.32.5"
stamp="$venv/attune-requirements"
if [ -x "$venv/bin/ralph" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$requirements" ]; then
    echo "setup: Ralph is installed in $venv"
    exit 0
fi
echo "setup: installing Ralph in $venv ($requirements)"
rm -rf "$venv"
# Debian's own Python: python3-venv above is what makes `-m venv` work with it.
/usr/bin/python3 -m venv "$venv"
# shellcheck disable=SC2086 # the requirements are separate words
"$venv/bin/pip" install --quiet $requirements
"$venv/bin/ralph" --help >/dev/null
echo "$requirements" >"$stamp"
echo "setup: Ralph is installed in $venv"
