#!/usr/bin/env bash
# Installs the Debian packages Attune needs beyond Rust: X11 libraries the window loads,
# Mesa's Vulkan driver (software rendering where there is no GPU), and Xvfb, the virtual
# display the end-to-end window test and scripts/measure-app.sh run in. Safe to run again:
# packages already installed are left alone.
set -euo pipefail
packages=(
    pkg-config libx11-dev            # building the window layer
    libx11-xcb1 libxcursor1 libxi6 libxrandr2 libxkbcommon-x11-0   # the window at run time
    libvulkan1 mesa-vulkan-drivers   # rendering, on a GPU or in software
    xvfb xauth                       # a virtual display for the window tests
    xdotool x11-apps                 # resizing that window and dumping the screen (xwd)
    procps                           # ps and pgrep, for scripts/measure-app.sh
)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: every package is installed"
    exit 0
fi
echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
