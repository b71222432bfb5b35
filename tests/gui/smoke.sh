#!/usr/bin/env bash
# tests/gui/smoke.sh — the desktop viewer draws a frame under Xvfb.
#
# Starts a private Xvfb display (Mesa software GL), runs raftplay-gui for a few
# seconds, screenshots the root window with ImageMagick's `import`, and fails
# if the viewer exits non-zero or the screenshot is blank or uniform. The
# screenshot stays in build/artifacts/gui.png for a person to look at.
# Usage: tests/gui/smoke.sh [path/to/raftplay-gui]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
GUI="${1:-$ROOT/build/native/raftplay-gui}"
ARTIFACTS="${RAFTPLAY_ARTIFACTS:-$ROOT/build/artifacts}"
SHOT="$ARTIFACTS/gui.png"
RUN_S=14         # the viewer quits by itself after this long
SHOT_AFTER_S=4   # the first screenshot is taken this long after start
SHOT_TRIES=4     # then one more each 2 s while the frame is still blank (a loaded
                 # machine's software GL can take longer for the first frame)

[ -x "$GUI" ] || { echo "gui smoke: $GUI not built" >&2; exit 1; }
mkdir -p "$ARTIFACTS"

# A free display number: no lock file and no socket.
display=""
for n in $(seq 90 140); do
    if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then display=":$n"; break; fi
done
[ -n "$display" ] || { echo "gui smoke: no free X display" >&2; exit 1; }

xvfb_pid=""
gui_pid=""
cleanup() {
    [ -n "$gui_pid" ] && kill "$gui_pid" 2>/dev/null || true
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap cleanup EXIT

Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$ARTIFACTS/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do
    [ -e "/tmp/.X11-unix/X${display#:}" ] && break
    sleep 0.1
done
[ -e "/tmp/.X11-unix/X${display#:}" ] || { echo "gui smoke: Xvfb did not start" >&2; cat "$ARTIFACTS/xvfb.log" >&2; exit 1; }

export DISPLAY="$display" LIBGL_ALWAYS_SOFTWARE=1 SDL_AUDIODRIVER=dummy
timeout 60 "$GUI" --quit-after-s "$RUN_S" --size 1280x800 >"$ARTIFACTS/gui.log" 2>&1 &
gui_pid=$!
sleep "$SHOT_AFTER_S"
blank() {
    read -r deviation colours < <(identify -format '%[fx:standard_deviation] %k\n' "$SHOT")
    echo "gui smoke: $SHOT: $colours colours, deviation $deviation"
    ! awk -v d="$deviation" -v c="$colours" 'BEGIN { exit !(d > 0.01 && c > 16) }'
}
shot_blank=1
for try in $(seq "$SHOT_TRIES"); do
    if ! kill -0 "$gui_pid" 2>/dev/null; then
        echo "gui smoke: raftplay-gui exited early" >&2; cat "$ARTIFACTS/gui.log" >&2; exit 1
    fi
    import -display "$display" -window root "$SHOT"
    if ! blank; then shot_blank=0; break; fi
    [ "$try" -lt "$SHOT_TRIES" ] && sleep 2
done

status=0
wait "$gui_pid" || status=$?
gui_pid=""
if [ "$status" -ne 0 ]; then
    echo "gui smoke: raftplay-gui exited with $status" >&2; cat "$ARTIFACTS/gui.log" >&2; exit 1
fi
if [ "$shot_blank" -ne 0 ]; then
    echo "gui smoke: the screenshot is blank or uniform" >&2
    exit 1
fi
echo "gui smoke: ok"
