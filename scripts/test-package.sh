#!/usr/bin/env bash
# Installs the built .deb as a user would (`apt-get install ./kith_….deb`), starts
# /usr/bin/kith --tray in a private X display with a private D-Bus session, checks that it
# runs and that the installed command line answers on the same data (`kith today --json`),
# then removes the package and checks that the user's data folder is untouched.
set -euo pipefail
cd "$(dirname "$0")/.."

# PROFILE=debug takes the package `tauri build --debug` made (what make test installs: the
# same files and Depends as the release one, built in a minute from the test build's crates).
profile="${PROFILE:-release}"
deb=$(ls -t "${TARGET_DIR:-target}/$profile"/bundle/deb/*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "no $profile .deb: run make deb first"; exit 1; }
deb=$(realpath "$deb")
depends=$(dpkg-deb -f "$deb" Depends)
echo "$depends" | grep -q 'libayatana-appindicator3-1 | libappindicator3-1' \
  || { echo "the package does not depend on the tray's indicator library: $depends"; exit 1; }
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

echo "installing $deb"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" > /tmp/kith-package.log 2>&1 \
  || { tail -n 30 /tmp/kith-package.log; exit 1; }
test -x /usr/bin/kith
dpkg -L kith | grep -q '^/usr/share/metainfo/app.kith.Kith.metainfo.xml$'
dpkg -L kith | grep -q '^/usr/share/applications/Kith.desktop$'
desktop-file-validate /usr/share/applications/Kith.desktop

home=$(mktemp -d)
trap 'kill "${app:-0}" "${xvfb:-0}" 2>/dev/null || true; rm -rf "$home"' EXIT
export HOME="$home" KITH_DATA_DIR="$home/data"
display=":$((RANDOM % 400 + 600))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp > /dev/null 2>&1 &
xvfb=$!
export DISPLAY="$display"
eval "$(dbus-launch --sh-syntax)"
/usr/bin/kith --tray > "$home/app.log" 2>&1 &
app=$!
answered=""
for _ in $(seq 1 60); do
  kill -0 "$app" 2>/dev/null || { cat "$home/app.log"; echo "the installed app stopped"; exit 1; }
  if [ -f "$KITH_DATA_DIR/kith.db" ] && answer=$(/usr/bin/kith today --json 2>/dev/null); then
    answered="$answer"
    break
  fi
  sleep 0.5
done
[ -n "$answered" ] || { cat "$home/app.log"; echo "the installed kith did not answer"; exit 1; }
echo "the installed app runs and kith today --json answers: $answered"
kill "$app"; wait "$app" 2>/dev/null || true
kill "$DBUS_SESSION_BUS_PID" 2>/dev/null || true
before=$(sha256sum "$KITH_DATA_DIR/kith.db")

$SUDO env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq kith >> /tmp/kith-package.log 2>&1 \
  || { tail -n 30 /tmp/kith-package.log; exit 1; }
test ! -e /usr/bin/kith
[ "$(sha256sum "$KITH_DATA_DIR/kith.db")" = "$before" ] || { echo "removing Kith changed the data"; exit 1; }
echo "removed cleanly; the data folder is as it was"
