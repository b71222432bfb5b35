#!/usr/bin/env bash
# tests/lint/format.sh — fails if any C++ file differs from the checked-in
# .clang-format. Fix with: tests/lint/format.sh --fix
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
mapfile -t files < <(find base raft sim format check session shell render native wasm tests -type f \( -name '*.cpp' -o -name '*.h' \) 2>/dev/null | sort)
if [ "${#files[@]}" -eq 0 ]; then
    echo "format: no C++ files"
    exit 0
fi
if [ "${1:-}" = "--fix" ]; then
    clang-format -i --style=file "${files[@]}"
    echo "format: rewrote ${#files[@]} files"
    exit 0
fi
if clang-format --dry-run -Werror --style=file "${files[@]}"; then
    echo "format: ${#files[@]} files ok ($(clang-format --version | head -1))"
else
    echo "format: files above are not formatted; run tests/lint/format.sh --fix" >&2
    exit 1
fi
