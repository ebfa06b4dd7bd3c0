#!/usr/bin/env bash
# Starts Kith in a private X display (and a private D-Bus session) with a throwaway data dir,
# lets it settle, and reports the memory (RSS and PSS, from /proc/PID/smaps_rollup) of each
# of its processes and their CPU time while idle.
# Usage: scripts/idle-footprint.sh [BINARY] [window|tray] [SETTLE_SECONDS] [IDLE_SECONDS]
#   window: the main window open (the usual start); tray: started with --tray, no window.
set -euo pipefail
bin=${1:-target/release/kith}; mode=${2:-window}; settle=${3:-8}; idle=${4:-60}
args=(); [ "$mode" = tray ] && args=(--tray)
for n in $(seq 140 180); do [ -e /tmp/.X$n-lock ] || { disp=:$n; break; }; done
data=$(mktemp -d)
Xvfb "$disp" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 & xpid=$!
trap 'kill $app $xpid 2>/dev/null; rm -rf "$data"' EXIT
sleep 1
DISPLAY=$disp KITH_DATA_DIR=$data setsid dbus-run-session -- "$bin" "${args[@]}" >/dev/null 2>&1 & app=$!
sleep "$settle"

# Everything in the app's session, except the bus daemon that dbus-run-session started.
pids() { pgrep -s "$(ps -o sid= -p "$app" | tr -d ' ')" | while read -r p; do
  case "$(tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null | awk '{print $1}' | xargs -r basename)" in
    dbus-run-session|dbus-daemon) ;; *) echo "$p" ;; esac; done; }
ticks() { local t=0; for p in $(pids); do
  [ -r /proc/$p/stat ] && t=$((t + $(awk '{print $14 + $15}' /proc/$p/stat))); done; echo $t; }

t0=$(ticks); sleep "$idle"; t1=$(ticks)
hz=$(getconf CLK_TCK)
total_rss=0; total_pss=0
echo "Kith idle, $mode:"
printf '%-28s %10s %10s\n' process "RSS MiB" "PSS MiB"
for p in $(pids); do
  [ -r /proc/$p/smaps_rollup ] || continue
  name=$(tr '\0' ' ' < /proc/$p/cmdline | awk '{print $1}' | xargs basename)
  rss=$(awk '/^Rss:/ {print $2}' /proc/$p/smaps_rollup)
  pss=$(awk '/^Pss:/ {print $2}' /proc/$p/smaps_rollup)
  total_rss=$((total_rss + rss)); total_pss=$((total_pss + pss))
  awk -v n="$name" -v r="$rss" -v p="$pss" 'BEGIN { printf "%-28s %10.1f %10.1f\n", n, r/1024, p/1024 }'
done
awk -v r="$total_rss" -v p="$total_pss" 'BEGIN { printf "%-28s %10.1f %10.1f\n", "all processes", r/1024, p/1024 }'
awk -v d=$((t1 - t0)) -v hz="$hz" -v s="$idle" 'BEGIN { printf "CPU time over %ss idle: %.2f s (%.2f%% of one core)\n", s, d / hz, d * 100 / hz / s }'
