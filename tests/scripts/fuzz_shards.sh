#!/usr/bin/env bash
# tests/scripts/fuzz_shards.sh — fuzzing scales out by seed shards: the same
# seed range run as 4 shards through GNU parallel (`raftplay fuzz --shard I/4
# --format jsonl`, merged by `raftplay fuzz-report`) gives the same merged
# report, byte for byte without the wall-time figures, as one process over the
# whole range. The range runs with a mutation (skip_up_to_date_check) so that
# failures, their signatures and their grouping are part of what is compared;
# the test fails if there are none. Also: fuzz-report refuses shards of
# different runs and the same shard twice (exit 3), and names what is missing.
#
# Needs build/native/raftplay and GNU parallel (scripts/deps installs it).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
RP="$ROOT/build/native/raftplay"
[ -x "$RP" ] || { echo "fuzz_shards: $RP is not built" >&2; exit 1; }
command -v parallel >/dev/null || { echo "fuzz_shards: GNU parallel missing: run scripts/deps" >&2; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
SEEDS="${RAFTPLAY_SHARD_SEEDS:-1..60}"
ARGS=(--seeds "$SEEDS" --mutation skip_up_to_date_check --safety-ms 3000 --liveness-ms 2000
      --max-failures 1000000 --jobs 1)
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# One process over the whole range (a single shard, 0/1).
"$RP" fuzz "${ARGS[@]}" --format jsonl --out "$TMP/one-failures" >"$TMP/one.jsonl" 2>/dev/null
"$RP" fuzz-report --no-wall "$TMP/one.jsonl" >"$TMP/one.json"
one_code=$?

# Four shards through GNU parallel, two at a time.
parallel --halt never -j 2 "'$RP' fuzz ${ARGS[*]} --shard {}/4 --format jsonl --out '$TMP/shard-{}' \
    >'$TMP/shard-{}.jsonl' 2>/dev/null" ::: 0 1 2 3
"$RP" fuzz-report --no-wall "$TMP"/shard-{0,1,2,3}.jsonl >"$TMP/four.json"
four_code=$?

# The run files' folders and the shard count differ; compare everything else.
strip() { sed -E -e 's#"(run_file|replay)": "[^"]*"#"\1": ""#' -e '/^  "shards": /d' "$1"; }
if ! diff <(strip "$TMP/one.json") <(strip "$TMP/four.json") >"$TMP/diff"; then
    fail "4 merged shards differ from one process:"; head -20 "$TMP/diff" >&2
fi
[ "$one_code" -eq "$four_code" ] || fail "exit codes differ: one process $one_code, 4 shards $four_code"
n="$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['failure_count'])" "$TMP/one.json")"
groups="$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(len(d['signatures']))" "$TMP/one.json")"
[ "$n" -gt 0 ] || fail "no failure in $SEEDS with skip_up_to_date_check: nothing was compared"
[ "$one_code" -eq 1 ] || fail "expected exit 1 (a violation), got $one_code"

# The shards together ran every seed once.
python3 - "$TMP/four.json" "$SEEDS" <<'PY' || fail "seed totals"
import json, sys
d = json.load(open(sys.argv[1]))
a, b = (int(x) for x in sys.argv[2].split(".."))
assert d["seeds_run"] == d["seeds_total"] == b - a + 1, d
assert d["shards_missing"] == [], d
PY

# Bad merges: a missing shard is named; a shard twice and mixed runs are refused.
"$RP" fuzz-report "$TMP"/shard-{0,1,3}.jsonl >"$TMP/missing.json" 2>/dev/null
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['shards_missing'] == [2], d" \
    "$TMP/missing.json" || fail "a missing shard is not named"
"$RP" fuzz-report "$TMP"/shard-{0,0}.jsonl >/dev/null 2>"$TMP/err"
[ $? -eq 3 ] && grep -q "the same shard twice" "$TMP/err" || fail "the same shard twice is not refused"
"$RP" fuzz-report "$TMP/one.jsonl" "$TMP/shard-1.jsonl" >/dev/null 2>"$TMP/err"
[ $? -eq 3 ] && grep -q "a different shard count" "$TMP/err" || fail "mixed runs are not refused"
head -c 100 "$TMP/shard-1.jsonl" >"$TMP/cut.jsonl"
"$RP" fuzz-report "$TMP/cut.jsonl" >/dev/null 2>"$TMP/err"
[ $? -eq 3 ] && grep -q "cut.jsonl: line 1" "$TMP/err" || fail "a truncated report is not a named error"
cat "$TMP"/shard-{0,1,2,3}.jsonl | "$RP" fuzz-report --no-wall >"$TMP/stdin.json"
diff -q "$TMP/four.json" "$TMP/stdin.json" >/dev/null || fail "reports concatenated on stdin merge differently"

echo "fuzz_shards: $SEEDS as 1 process and as 4 shards via GNU parallel: $n failures in $groups signature group(s), merged reports equal; $failures failure(s)"
[ "$failures" -eq 0 ]
