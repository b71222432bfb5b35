#!/usr/bin/env bash
# tests/scripts/native_vs_wasm.sh — world = f(scenario, seed, inputs) holds
# across compilers and standard libraries: every built-in scenario and every
# port of a peer test (tests/scenarios/, triggered steps included) at 20 seeds
# gives the same digest (and event count) natively (g++/libstdc++,
# build/native/raftplay) and in WebAssembly (clang/libc++ under node,
# build/wasm/raftplay-node.js).
#
# Each scenario runs as one `run SCENARIO --seeds 1..20` per build (one line
# per seed), so node starts 15 times, not 300. RAFTPLAY_DETERMINISM_SEEDS=A..B
# changes the range. Skips (exit 0, with a message) when the wasm CLI is not
# built; scripts/test builds it.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
NATIVE="build/native/raftplay"
WASM="build/wasm/raftplay-node.js"
SEEDS="${RAFTPLAY_DETERMINISM_SEEDS:-1..20}"

if [ ! -f "$WASM" ]; then
    echo "native_vs_wasm: SKIP: $WASM is not built (cmake --preset wasm && cmake --build --preset wasm)"
    exit 0
fi
if [ ! -x "$NATIVE" ]; then
    echo "native_vs_wasm: $NATIVE is not built" >&2
    exit 1
fi
# The repo's package.json says "type": "module", which would make node load
# the emscripten output (CommonJS) as an ES module; a package.json next to it
# scopes build/wasm/ back to CommonJS.
if [ ! -f build/wasm/package.json ]; then
    echo '{"type": "commonjs"}' >build/wasm/package.json
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mismatches=0
runs=0
for file in scenarios/*.json tests/scenarios/*.json; do
    name="$(basename "$file" .json)"
    if ! "$NATIVE" run "$file" --seeds "$SEEDS" >"$TMP/native" 2>"$TMP/native.err" &&
        ! grep -q digest "$TMP/native"; then
        echo "native_vs_wasm: native run of $name failed: $(head -3 "$TMP/native.err")" >&2
        mismatches=$((mismatches + 1))
        continue
    fi
    node --no-experimental-fetch "$WASM" run "$file" --seeds "$SEEDS" >"$TMP/wasm" 2>"$TMP/wasm.err"
    if ! grep -q digest "$TMP/wasm"; then
        echo "native_vs_wasm: wasm run of $name failed: $(head -3 "$TMP/wasm.err")" >&2
        mismatches=$((mismatches + 1))
        continue
    fi
    n="$(wc -l <"$TMP/native")"
    runs=$((runs + n))
    if ! diff -q "$TMP/native" "$TMP/wasm" >/dev/null; then
        echo "native_vs_wasm: MISMATCH in $name (< native, > wasm):" >&2
        diff "$TMP/native" "$TMP/wasm" | head -10 >&2
        echo "  reproduce: $NATIVE run $file --seed N   vs   node $WASM run $file --seed N" >&2
        mismatches=$((mismatches + 1))
    else
        echo "  $name: $n seeds, digests equal"
    fi
done
echo "native_vs_wasm: $runs runs compared, $mismatches scenario(s) differ"
[ "$mismatches" -eq 0 ]
