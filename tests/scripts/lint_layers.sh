#!/usr/bin/env bash
# tests/scripts/lint_layers.sh — the playground layers keep to their jobs:
# session/ (headless) includes no ImGui, SDL, GL, render/ or wall clock, and
# render/ (views) includes no SDL, GL or wall clock (that glue is shell/'s,
# linked only by the mains); and no arrow points up: each layer includes only
# its own folder and the layers below it (docs/architecture.md's table).
# shell/ sits under the two mains only: it includes neither of them, and
# nothing but native/ and wasm/ includes it (not tests/ either).
# Checks #include lines only; proves itself on a fixture first so a broken
# pattern cannot pass silently.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

session_rule='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](imgui|SDL|GL|GLES|emscripten|render/|shell/|chrono|ctime|thread)'
render_rule='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](SDL|GL|GLES|emscripten|shell/|chrono|ctime|thread)'

# Self-test: each rule must catch what it forbids.
printf '#include "imgui.h"\n#include <chrono>\n' | grep -Eq "$session_rule" ||
    { echo "layer lint: session rule misses a forbidden include" >&2; exit 1; }
printf '#include <SDL.h>\n' | grep -Eq "$render_rule" ||
    { echo "layer lint: render rule misses a forbidden include" >&2; exit 1; }

# layer -> the project folders it must not include (everything above it).
declare -A above=(
    [base]='raft|sim|format|check|session|render|shell|native|wasm'
    [raft]='sim|format|check|session|render|shell|native|wasm'
    [sim]='format|check|session|render|shell|native|wasm'
    [format]='check|session|render|shell|native|wasm'
    [check]='session|render|shell|native|wasm'
    [session]='render|shell|native|wasm'
    [render]='shell|native|wasm'
    [shell]='native|wasm'
)
up_rule() { printf '^[[:space:]]*#[[:space:]]*include[[:space:]]*"(%s)/' "$1"; }
printf '#include "sim/world.h"\n' | grep -Eq "$(up_rule "${above[raft]}")" ||
    { echo "layer lint: the arrow rule misses an upward include" >&2; exit 1; }
printf '#include "raft/node.h"\n' | grep -Eq "$(up_rule "${above[sim]}")" &&
    { echo "layer lint: the arrow rule flags a downward include" >&2; exit 1; }

status=0
for layer in base raft sim format check session render shell; do
    if grep -EnH "$(up_rule "${above[$layer]}")" "$layer"/*.h "$layer"/*.cpp; then
        echo "layer lint: $layer/ includes a layer above it (lines above)" >&2
        status=1
    fi
done
# Only the mains use shell/ (the lower layers are covered by the loop).
if grep -rEnH --include='*.h' --include='*.cpp' "$(up_rule shell)" tests; then
    echo "layer lint: only native/ and wasm/ may include shell/ (lines above)" >&2
    status=1
fi
if grep -EnH "$session_rule" session/*.h session/*.cpp; then
    echo "layer lint: session/ must not include the lines above" >&2
    status=1
fi
if grep -EnH "$render_rule" render/*.h render/*.cpp; then
    echo "layer lint: render/ must not include the lines above" >&2
    status=1
fi
[ "$status" -eq 0 ] && echo "layer lint: arrows point down; shell/ only under the mains; session/ and render/ clean (self-test ok)"
exit "$status"
