#!/usr/bin/env bash
# Regenerates every icon size Tauri and the .deb need from the one source, kith.svg.
# Needs the npm packages of ui/ (the Tauri CLI). The output is committed; run this after
# changing kith.svg.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../ui"
npx --no-install tauri icon "$here/kith.svg" --output "$here"
# Keep only what Linux packaging and the window use.
cd "$here"
rm -rf android ios Square*Logo.png StoreLogo.png icon.icns icon.ico
# A real 256 px size for the hicolor theme (Tauri would file the @2x one under "256x256@2").
mv 128x128@2x.png 256x256.png
