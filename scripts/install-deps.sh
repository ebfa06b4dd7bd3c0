#!/usr/bin/env bash
# Installs what building and testing Kith needs on Debian 12: system packages, tauri-driver,
# and the npm packages of ui/. Idempotent: does nothing that is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libwebkit2gtk-4.1-dev build-essential file pkg-config libssl-dev
  libayatana-appindicator3-dev librsvg2-dev libxdo-dev
  xvfb xauth x11-utils webkit2gtk-driver dbus dbus-x11 imagemagick python3-venv
  gnome-keyring desktop-file-utils appstream
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    > /tmp/kith-apt.log 2>&1 || { tail -n 40 /tmp/kith-apt.log; exit 1; }
fi

if ! command -v tauri-driver >/dev/null 2>&1 || ! tauri-driver --help >/dev/null 2>&1; then
  echo "installing tauri-driver"
  cargo install tauri-driver --version 2.1.0 --locked
fi

# Real CardDAV servers for the sync tests, in a Python environment under the build folder.
DAV_VENV="${CARGO_TARGET_DIR:-target}/dav-venv"
if ! "$DAV_VENV/bin/python3" -c 'import radicale, xandikos' >/dev/null 2>&1 \
   || [ "$("$DAV_VENV/bin/python3" -c 'import radicale; print(radicale.VERSION)' 2>/dev/null)" != "3.9.0" ]; then
  echo "installing Radicale 3.9.0 and Xandikos 0.4.10 into $DAV_VENV"
  python3 -m venv "$DAV_VENV"
  "$DAV_VENV/bin/pip" install --quiet --disable-pip-version-check radicale==3.9.0 xandikos==0.4.10
fi

if [ -f ui/package.json ]; then
  if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    echo "installing npm packages of ui/"
    # Exactly what the committed lock file names, which `npm ci` never rewrites (and refuses
    # when it disagrees with package.json).
    (cd ui && npm ci --no-audit --no-fund)
  fi
fi
