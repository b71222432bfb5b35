#!/usr/bin/env bash
# tests/scripts/cli_exit_codes.sh — the raftplay CLI's contract, end to end:
# exit codes (0 ok, 1 violation, 2 liveness failure, 3 bad input), error
# messages that name the file and field for every bad scenario in
# tests/data/bad_scenarios/, --help for every command, the run summary's
# contract keys, and the files run/fuzz/shrink/replay/check/export write.
#
# Runs from the repo root (scripts/test calls it after the native build).
# Needs build/native/raftplay and python3.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
RP="$ROOT/build/native/raftplay"
if [ ! -x "$RP" ]; then
    echo "cli_exit_codes: $RP is not built (cmake --preset native && cmake --build --preset native)" >&2
    exit 1
fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
failures=0
checks=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# expect CODE DESCRIPTION -- COMMAND...: runs COMMAND, checks its exit code;
# stdout and stderr land in $TMP/out and $TMP/err.
expect() {
    local want="$1" what="$2"
    shift 3
    checks=$((checks + 1))
    "$@" >"$TMP/out" 2>"$TMP/err"
    local got=$?
    if [ "$got" -ne "$want" ]; then
        fail "$what: exit $got, expected $want: $*"
        sed 's/^/    stderr: /' "$TMP/err" | head -5 >&2
        return 1
    fi
    return 0
}

# stderr_has TEXT DESCRIPTION
stderr_has() {
    grep -qF -- "$1" "$TMP/err" || fail "$2: stderr lacks '$1': $(head -c 300 "$TMP/err")"
}

# json_check FILE PYTHON_EXPR DESCRIPTION: the expression over `d` must be true.
json_check() {
    python3 - "$1" "$2" <<'EOF' || fail "$3"
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)
EOF
}

# --- bad scenarios: exit 3 and a message naming the file and the field -----------------
bad=0
while IFS=$'\t' read -r file message; do
    case "$file" in ''|'#'*) continue ;; esac
    path="tests/data/bad_scenarios/$file"
    bad=$((bad + 1))
    if expect 3 "bad scenario $file" -- "$RP" run "$path"; then
        stderr_has "$path" "bad scenario $file names the file"
        stderr_has "$message" "bad scenario $file names the field"
    fi
done <tests/data/bad_scenarios/expected.txt
[ "$bad" -ge 20 ] || fail "only $bad bad scenarios (want >= 20)"

# --- bad command lines: exit 3 ----------------------------------------------------------
expect 3 "no command" -- "$RP"
expect 3 "unknown command" -- "$RP" frobnicate
expect 3 "run without scenario" -- "$RP" run
expect 3 "unknown scenario" -- "$RP" run no-such-scenario && stderr_has "no-such-scenario" "unknown scenario"
expect 3 "missing file" -- "$RP" run "$TMP/missing.json"
expect 3 "bad seed" -- "$RP" run leader-failure --seed 12x && stderr_has "--seed" "bad seed"
expect 3 "unknown option" -- "$RP" run leader-failure --bogus && stderr_has "--bogus" "unknown option"
expect 3 "option without value" -- "$RP" run leader-failure --seed
expect 3 "bad --set" -- "$RP" run leader-failure --set cluster.nodes=0 && stderr_has "cluster.nodes" "bad --set"
expect 3 "bad --set path" -- "$RP" run leader-failure --set cluster.nodez=3 && stderr_has "nodez" "bad --set path"
expect 3 "directory as scenario" -- "$RP" run scenarios/
expect 3 "fuzz bad range" -- "$RP" fuzz --seeds 9..1
expect 3 "fuzz bad mutation" -- "$RP" fuzz --mutation nope && stderr_has "nope" "fuzz bad mutation"
expect 3 "check missing file" -- "$RP" check "$TMP/none.jsonl"
expect 3 "replay missing file" -- "$RP" replay "$TMP/none.json"
expect 3 "export bad format" -- "$RP" export leader-failure --format svg -o "$TMP/x"
expect 3 "shrink without input" -- "$RP" shrink
expect 3 "bench bad option" -- "$RP" bench --minutes 0
expect 3 "bench zero fuzz rounds" -- "$RP" bench --fuzz-rounds 0

# --- --help for every command -----------------------------------------------------------
for cmd in run replay check fuzz shrink export bench; do
    expect 0 "$cmd --help" -- "$RP" "$cmd" --help && grep -q "usage: raftplay $cmd" "$TMP/out" ||
        fail "$cmd --help prints no usage"
done
expect 0 "help" -- "$RP" help

# --- run: the summary's contract keys, output files ------------------------------------
if expect 0 "run leader-failure" -- "$RP" run leader-failure --seed 1 --trace "$TMP/t.jsonl" \
    --history "$TMP/h.jsonl" --logs "$TMP/logs.json"; then
    cp "$TMP/out" "$TMP/summary.json"
    json_check "$TMP/summary.json" "all(k in d for k in ['scenario','seed','digest','events','sim_time_us','nodes','leaders','checks','clients','messages']) and isinstance(d['digest'], str)" "summary top-level keys"
    json_check "$TMP/summary.json" "all(all(k in n for k in ['id','alive','paused','role','term','voted_for','leader','commit_index','applied_index','log_first_index','log_last_index','snapshot_index','kv_keys','kv_hash']) for n in d['nodes'])" "summary node keys"
    json_check "$TMP/summary.json" "d['checks']['safety']['ok'] and d['checks']['linearizability']['verdict'] == 'ok' and 'ms' in d['checks']['linearizability']" "summary checks"
    json_check "$TMP/summary.json" "all(k in d['clients'] for k in ['ok','fail','unknown','latency_us_p50','latency_us_p99']) and all(k in d['messages'] for k in ['sent','delivered','dropped','by_type']) and 'append' in d['messages']['by_type']" "summary clients/messages"
    json_check "$TMP/summary.json" "len(d['leaders']) >= 2 and all(k in d['leaders'][0] for k in ['term','node','at_us'])" "summary leaders"
    python3 - "$TMP/t.jsonl" <<'EOF' || fail "trace lines"
import json, sys
kinds = set()
for line in open(sys.argv[1]):
    r = json.loads(line)
    assert all(k in r for k in ("t_us", "kind", "node")), r
    if r["kind"] in ("send", "deliver", "drop"):
        assert all(k in r for k in ("from", "to", "type", "term")), r
    if r["kind"] == "role":
        assert "role" in r and "term" in r, r
    if r["kind"] in ("commit", "apply"):
        assert "index" in r, r
    kinds.add(r["kind"])
need = {"send", "deliver", "role", "crash", "restart", "fsync", "commit", "apply", "client_invoke", "client_complete", "action"}
assert need <= kinds, need - kinds
EOF
    json_check "$TMP/logs.json" "len(d['nodes']) == 5 and all('log' in n and 'durable' in n for n in d['nodes'])" "logs file"
    expect 0 "check a run's history" -- "$RP" check "$TMP/h.jsonl" &&
        json_check "$TMP/out" "d['verdict'] == 'ok' and d['operations'] > 100" "check verdict ok"
fi
expect 0 "run by path" -- "$RP" run scenarios/figure-8.json --seed 2 --until-ms 500 --compact
# run's share link: short for a built-in, at the --until-ms cursor, replays to the same digest.
if expect 0 "run with a cursor" -- "$RP" run leader-failure --seed 2 --until-ms 1500; then
    json_check "$TMP/out" "d['link'].startswith('index.html#v=1&s=leader-failure&seed=2&t=1500000&d=' + d['digest'])" "run link"
    run_link="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["link"])' "$TMP/out")"
    expect 0 "replay run's link" -- "$RP" replay "$run_link" &&
        json_check "$TMP/out" "d['match'] and d['verified'] and d['cursor_us'] == 1500000" "run link replays"
fi

# --- check: a history that cannot be linearized, and garbage ----------------------------
cat >"$TMP/bad-history.jsonl" <<'EOF'
{"client":0,"op":"put","key":"x","value":"1","invoke_us":0,"complete_us":10,"status":"ok"}
{"client":1,"op":"get","key":"x","invoke_us":20,"complete_us":30,"status":"ok","found":false}
EOF
expect 1 "check non-linearizable" -- "$RP" check "$TMP/bad-history.jsonl" &&
    json_check "$TMP/out" "d['verdict'] == 'violation' and len(d['witness']) == 2" "check witness"
printf '{"client":0,"op":"puut"}\n' >"$TMP/garbage.jsonl"
expect 3 "check garbage" -- "$RP" check "$TMP/garbage.jsonl" && stderr_has "line 1" "check garbage names the line"

# --- liveness failure: the scenario expects convergence, every node is dead -------------
cat >"$TMP/dead.json" <<'EOF'
{"name": "dead", "duration_ms": 3000, "expect": {"converged": true},
 "timeline": [{"at_ms": 2000, "do": "kill", "node": "all"}]}
EOF
expect 2 "liveness failure" -- "$RP" run "$TMP/dead.json"

# --- membership: a fuzzed transfer mutation, its reproduce command, run file and shrink ---
if expect 1 "fuzz --membership transfer_keeps_proposing" -- "$RP" fuzz --membership --seeds 1..20 \
    --mutation transfer_keeps_proposing --max-failures 1 --jobs 1 --out "$TMP/mfailures"; then
    cp "$TMP/out" "$TMP/mfuzz.json"
    json_check "$TMP/mfuzz.json" "d['failures'][0]['signature']['check'] == 'transfer_proposals' and '--membership' in d['failures'][0]['reproduce']" "membership fuzz report"
    mrun="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["failures"][0]["run_file"])' "$TMP/mfuzz.json")"
    expect 0 "replay the membership run file" -- "$RP" replay "$mrun" && json_check "$TMP/out" "d['match']" "membership replay match"
    expect 0 "shrink the membership failure" -- "$RP" shrink "$mrun" -o "$TMP/mshrunk.json" &&
        json_check "$TMP/out" "d['outcome'] == 'safety' and d['steps_after'] <= d['steps_before']" "membership shrink report"
fi
expect 0 "fuzz --membership, correct protocol" -- "$RP" fuzz --membership --seeds 1..20 --jobs 1 --out "$TMP/mok"
expect 1 "bug hunt single_server_bug" -- "$RP" run bug-hunt-single-server --seed 1
expect 0 "bug hunt without its mutation" -- "$RP" run bug-hunt-single-server --seed 1 --set 'cluster.mutations=[]'

# --- fuzz finds a mutation: exit 1, run file, reproduce, link; replay; shrink ------------
if expect 1 "fuzz ack_before_fsync" -- "$RP" fuzz --seeds 1..10 --mutation ack_before_fsync \
    --max-failures 1 --jobs 1 --out "$TMP/failures"; then
    cp "$TMP/out" "$TMP/fuzz.json"
    json_check "$TMP/fuzz.json" "len(d['failures']) == 1 and d['failures'][0]['outcome'] == 'safety' and '--seeds' in d['failures'][0]['reproduce'] and d['failures'][0]['link'].startswith('index.html#')" "fuzz report"
    stderr_has "reproduce:" "fuzz prints the reproduce command"
    run_file="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["failures"][0]["run_file"])' "$TMP/fuzz.json")"
    seed="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["failures"][0]["seed"])' "$TMP/fuzz.json")"
    expect 0 "replay the fuzz run file" -- "$RP" replay "$run_file" && json_check "$TMP/out" "d['match']" "replay match"
    sed 's/"digest":"[0-9a-f]*"/"digest":"0123456789abcdef"/' "$run_file" >"$TMP/tampered.run.json"
    expect 1 "replay a tampered digest" -- "$RP" replay "$TMP/tampered.run.json" && stderr_has "0123456789abcdef" "replay prints both digests"
    expect 1 "fuzz reproduce command" -- "$RP" fuzz --seeds "$seed" --mutation ack_before_fsync --out "$TMP/again"
    # The fuzz failure's share link replays natively, digest verified.
    fuzz_link="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["failures"][0]["link"])' "$TMP/fuzz.json")"
    expect 0 "replay the fuzz share link" -- "$RP" replay "$fuzz_link" &&
        json_check "$TMP/out" "d['match'] and d['verified']" "replay of a link verifies its digest"
    if RAFTPLAY_PAGE_URL=http://127.0.0.1:8080/ expect 0 "shrink the fuzz failure" -- "$RP" shrink "$run_file" -o "$TMP/shrunk.json"; then
        json_check "$TMP/out" "d['steps_after'] <= d['steps_before'] and d['outcome'] == 'safety' and d['what_after'] and d['link'].startswith('http://127.0.0.1:8080/#v=1&')" "shrink report"
        shrunk_link="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["link"])' "$TMP/out")"
        expect 1 "the shrunk scenario still fails" -- "$RP" run "$TMP/shrunk.json" --seed "$seed"
        expect 0 "replay the shrunk share link" -- "$RP" replay "$shrunk_link" &&
            json_check "$TMP/out" "d['match'] and d['verified'] and d['cursor_us'] > 0" "the shrunk link opens at the failure"
    fi
fi
expect 0 "replay a built-in share link fragment" -- "$RP" replay "v=1&s=leader-failure&seed=2" &&
    json_check "$TMP/out" "d['match'] and d['scenario'] == 'leader-failure'" "built-in link"
expect 1 "replay a share link with a wrong digest" -- "$RP" replay "#v=1&s=leader-failure&seed=2&d=0123456789abcdef"
expect 3 "replay a hostile share link" -- "$RP" replay "http://x/#v=1&sc=garbage&seed=1" &&
    stderr_has "share link" "a bad link is named"
expect 3 "replay a link to an unknown built-in" -- "$RP" replay "#v=1&s=no-such&seed=1"
# --- named limits (sim/limits.h): refused or clamped up front, never a hang ------------
# A cursor past the end of the run's longest extension (open_end_us_max, 10 min
# past the script) replays to there (as the page seeks).
python3 -c 'import json, sys; json.dump({"format": "raftplay-run", "version": 1, "scenario": {"duration_ms": 2000}, "seed": "1", "inputs": [], "digest": "", "cursor_us": 86400000000}, open(sys.argv[1], "w"))' "$TMP/late.run.json"
if expect 0 "replay a cursor past the end" -- timeout 20 "$RP" replay "$TMP/late.run.json"; then
    stderr_has "past the end of the run" "replay clamps a late cursor"
    json_check "$TMP/out" "d['cursor_us'] == 602000000" "replay reports the clamped cursor"
fi
expect 0 "a share link with a cursor past the end" -- timeout 20 "$RP" replay "#v=1&s=leader-failure&seed=2&t=86400000000" &&
    stderr_has "past the end of the run" "a late link cursor is clamped"
# Huge files are refused by their size, before they are read.
truncate -s 2G "$TMP/huge.jsonl"
expect 3 "check a huge history file" -- timeout 20 "$RP" check "$TMP/huge.jsonl" &&
    stderr_has "limit history_file_bytes_max" "check names the limit"
truncate -s 20M "$TMP/huge.run.json"
expect 3 "replay a huge run file" -- timeout 20 "$RP" replay "$TMP/huge.run.json" &&
    stderr_has "limit run_file_bytes_max" "replay names the limit"
# A link whose inputs would record too many operations (30 stress actions of 100,000).
stress_in="$(python3 -c 'import base64, json; print(base64.urlsafe_b64encode(json.dumps([{"at_ms": 100 + i, "do": "stress", "node": 0, "count": 100000} for i in range(30)]).encode()).decode().rstrip("="))')"
expect 3 "a link with too many stress writes" -- timeout 20 "$RP" replay "#v=1&s=leader-failure&seed=1&in=$stress_in" &&
    stderr_has "limit history_ops_max" "the link names the limit"

printf '{"format":"raftplay-run","version":1}' >"$TMP/bad.run.json"
expect 3 "replay a broken run file" -- "$RP" replay "$TMP/bad.run.json"
expect 3 "shrink a passing run" -- "$RP" shrink --scenario leader-failure --seed 1
expect 0 "fuzz, clean" -- "$RP" fuzz --seeds 1..4 --jobs 2 --out "$TMP/none"
if expect 0 "fuzz --dry-run" -- "$RP" fuzz --seeds 5..6 --dry-run; then
    [ "$(wc -l <"$TMP/out")" -eq 2 ] || fail "fuzz --dry-run prints one scenario per seed"
    head -1 "$TMP/out" >"$TMP/seed5.json"
    expect 0 "a dry-run scenario runs" -- "$RP" run "$TMP/seed5.json" --seed 5
fi

# --- export -----------------------------------------------------------------------------
expect 0 "export perfetto" -- "$RP" export leader-failure --seed 1 --format perfetto -o "$TMP/trace.json" &&
    json_check "$TMP/trace.json" "len(d['traceEvents']) > 1000 and any(e.get('ph') == 'X' for e in d['traceEvents']) and any(e.get('ph') == 's' for e in d['traceEvents'])" "perfetto trace events"

# --- run archives: export, verify, and named errors for broken files (exit 3) ----------
if expect 0 "export archive" -- "$RP" export leader-failure --seed 1 --format archive -o "$TMP/run.rpa"; then
    expect 0 "replay an archive" -- "$RP" replay "$TMP/run.rpa" &&
        json_check "$TMP/out" "d['match'] and d['checkpoints_checked'] >= 1" "archive replay report"
    head -c 3000 "$TMP/run.rpa" >"$TMP/short.rpa"
    expect 3 "replay a truncated archive" -- "$RP" replay "$TMP/short.rpa" &&
        stderr_has "short.rpa: truncated at byte 3000" "truncated archive"
    python3 -c "import sys; b = bytearray(open(sys.argv[1], 'rb').read()); b[-5] ^= 1; open(sys.argv[2], 'wb').write(b)" "$TMP/run.rpa" "$TMP/flip.rpa"
    expect 3 "replay a corrupted archive" -- "$RP" replay "$TMP/flip.rpa" &&
        stderr_has "flip.rpa: checksum mismatch" "corrupted archive"
    # The build's own version is the one the export wrote (byte 12, after the
    # magic), so this check follows the format's version bumps.
    built_version="$(python3 -c "import sys; print(open(sys.argv[1], 'rb').read()[12])" "$TMP/run.rpa")"
    python3 -c "import sys; b = bytearray(open(sys.argv[1], 'rb').read()); b[12] = 99; open(sys.argv[2], 'wb').write(b)" "$TMP/run.rpa" "$TMP/newer.rpa"
    expect 3 "replay an archive of a newer version" -- "$RP" replay "$TMP/newer.rpa" &&
        stderr_has "version 99 is newer than this build ($built_version)" "newer archive"
    if [ "$built_version" -gt 1 ]; then
        python3 -c "import sys; b = bytearray(open(sys.argv[1], 'rb').read()); b[12] -= 1; open(sys.argv[2], 'wb').write(b)" "$TMP/run.rpa" "$TMP/older.rpa"
        expect 3 "replay an archive of an older version" -- "$RP" replay "$TMP/older.rpa" &&
            stderr_has "version $((built_version - 1)) is older than this build's ($built_version)" "older archive"
    fi
fi

echo "cli_exit_codes: $checks checks ($bad bad scenarios), $failures failure(s)"
[ "$failures" -eq 0 ]
