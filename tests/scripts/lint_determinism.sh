#!/usr/bin/env bash
# tests/scripts/lint_determinism.sh — fails if a nondeterminism hazard
# (TOOLCHAIN.md) appears in the core layers (base/ raft/ sim/ format/ check/): standard-library distributions and
# random devices, rand(), wall clocks, threads, unordered containers, libm
# transcendental functions, and pointer-keyed ordering. It first proves it can
# fail: the fixture tests/data/lint/hazards.cpp.txt must trip every rule.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

rules=(
  'std::[a-z_]*_distribution'
  'random_device'
  '(^|[^_a-zA-Z0-9])s?rand\('
  '#include <(random|chrono|thread|ctime|mutex|future|atomic)>'
  'std::chrono'
  '(^|[^_a-zA-Z0-9.>])time\('
  'clock\(\)|gettimeofday|clock_gettime'
  'unordered_(map|set|multimap|multiset)'
  'std::(log|exp|pow|sin|cos|tan|sqrt|cbrt|atan2?|log2|log10|exp2)\('
  '(^|[^_a-zA-Z0-9])(log|exp|pow|sin|cos|sqrt)\([^)]*\.[0-9]'
  'std::(map|set)<[^>]*\*'
  'std::hash<'
)

scan() {  # scan FILES... : prints offending lines, returns 1 if any
  local bad=0
  for rule in "${rules[@]}"; do
    # Comments may name the hazards they avoid; strip // comments first.
    for f in "$@"; do
      if hits=$(sed 's|//.*$||' "$f" | grep -nE "$rule"); then
        echo "$f: banned ($rule):"
        echo "$hits" | sed 's/^/    /'
        bad=1
      fi
    done
  done
  return $bad
}

# 1. The lint must catch every rule in the fixture.
fixture=tests/data/lint/hazards.cpp.txt
for rule in "${rules[@]}"; do
  if ! sed 's|//.*$||' "$fixture" | grep -qE "$rule"; then
    echo "lint self-test FAILED: the fixture does not trip rule: $rule"
    exit 1
  fi
done

# 2. The simulation and the protocol must be clean.
mapfile -t files < <(find base raft sim format check -name '*.cpp' -o -name '*.h' | sort)
if scan "${files[@]}"; then
  echo "determinism lint: ${#files[@]} files in base/ raft/ sim/ format/ check/ clean (${#rules[@]} rules, self-test ok)"
else
  echo "determinism lint FAILED: see above (TOOLCHAIN.md, hazards)"
  exit 1
fi
