#!/usr/bin/env bash
# tests/fuzz/build.sh — build the libFuzzer harnesses into build/fuzz/.
#
# Compiles the core layers (base/ raft/ sim/ format/ check/) and tests/fuzz/targets.cpp directly with clang++
# (no CMake) under AddressSanitizer and UndefinedBehaviorSanitizer, then
# links one binary per tests/fuzz/*_fuzz.cpp: build/fuzz/<name>_fuzz.
# Objects are rebuilt only when their source or a project header is newer
# (and go through ccache when it is there). Needs clang-14 and
# libclang-rt-14-dev (scripts/deps installs both). Env: FUZZ_JOBS (parallel
# compiles, default: the number of cores), CXX (default clang++-14).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/build/fuzz"
CXX="${CXX:-clang++-14}"
JOBS="${FUZZ_JOBS:-$(nproc)}"
command -v "$CXX" >/dev/null || { echo "fuzz/build.sh: $CXX missing: run scripts/deps" >&2; exit 2; }
LAUNCHER=""
command -v ccache >/dev/null && LAUNCHER="ccache"

# UBSan stays recoverable at compile time so that run.sh can suppress the one
# known-harmless report inside rapidjson by file; run.sh sets
# halt_on_error=1, so every other report stops the run as a crash.
FLAGS=(-std=c++20 -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined
       -I"$ROOT" -isystem "$ROOT/.deps/headers" -Wall -Wextra -Wno-unused-parameter)
export FLAGS_TEXT="${FLAGS[*]}" CXX LAUNCHER

mkdir -p "$OUT/obj"
# A header change rebuilds everything (cheap enough, and never stale).
LAYERS=(base raft sim format check)
newest_header="$(find "${LAYERS[@]/#/$ROOT/}" "$ROOT/tests/fuzz" -name '*.h' -printf '%T@\n' | sort -n | tail -1)"
export newest_header OUT ROOT

compile_one() {
    local src="$1" obj
    obj="$OUT/obj/$(echo "${src#"$ROOT"/}" | tr '/' '_').o"
    if [ -f "$obj" ] && [ "$obj" -nt "$src" ] &&
       [ "$(stat -c %Y "$obj")" -gt "${newest_header%.*}" ]; then
        return 0
    fi
    # shellcheck disable=SC2086
    $LAUNCHER "$CXX" $FLAGS_TEXT -fsanitize=fuzzer-no-link -c "$src" -o "$obj"
}
export -f compile_one

core=()
for layer in "${LAYERS[@]}"; do core+=("$ROOT/$layer"/*.cpp); done
sources=("${core[@]}" "$ROOT/tests/fuzz/targets.cpp" "$ROOT"/tests/fuzz/*_fuzz.cpp)
printf '%s\n' "${sources[@]}" | xargs -P "$JOBS" -I{} bash -c 'compile_one "$1"' _ {}

common=()
for src in "${core[@]}" "$ROOT/tests/fuzz/targets.cpp"; do
    common+=("$OUT/obj/$(echo "${src#"$ROOT"/}" | tr '/' '_').o")
done
for harness in "$ROOT"/tests/fuzz/*_fuzz.cpp; do
    name="$(basename "$harness" .cpp)"
    obj="$OUT/obj/tests_fuzz_$name.cpp.o"
    "$CXX" "${FLAGS[@]}" -fsanitize=fuzzer "$obj" "${common[@]}" -o "$OUT/$name"
    echo "built build/fuzz/$name"
done
