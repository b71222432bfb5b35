#!/usr/bin/env bash
# tests/fuzz/make_corpus.sh — (re)make the checked-in seed corpus
# tests/fuzz/corpus/<harness>/ from the project's own files and CLI output.
#
# Usage: tests/fuzz/make_corpus.sh RAFTPLAY_BINARY
# Sources: scenarios/*.json and tests/data/**/*.json (scenarios, good and
# bad), generated fuzz scenarios (`raftplay fuzz --dry-run`), run files and
# share links of failing runs (`raftplay fuzz --mutation ...` writes them),
# client histories (`raftplay run --history`), --set lines, checkpoint
# codec inputs encoded the way raft/entry_codec.cpp writes them, and short
# run archives (`raftplay export --format archive`). Run it when
# a format changes and review the diff; the fuzzer's own finds stay in
# build/fuzz/work/, outside git.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="$(realpath "${1:?usage: make_corpus.sh RAFTPLAY_BINARY}")"
C="$ROOT/tests/fuzz/corpus"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$ROOT"
rm -rf "$C"
mkdir -p "$C"/{scenario,overrides,run_file,fragment,history,entry_codec,run_archive,fuzz_report}

# Scenarios: the built-ins, test data (bad ones too: they reach the error
# paths) and a few generated fault schedules.
for f in scenarios/*.json tests/data/*/*.json; do
    cp "$f" "$C/scenario/$(echo "$f" | tr '/' '_')"
done
"$BIN" fuzz --dry-run --seeds 1..4 --safety-ms 2000 | split -l 1 - "$C/scenario/generated-"
"$BIN" fuzz --dry-run --membership --seeds 1..2 --safety-ms 2000 |
    split -l 1 - "$C/scenario/generated-membership-"
# Text with two-, three- and four-byte UTF-8 sequences: cutting it anywhere
# gives the fuzzer the truncated-sequence inputs rapidjson#1636 needs.
UTF8_SCENARIO='{"name": "utf8", "description": "Ünïcödé — a leader’s term ✓ 🚀 end", "cluster": {"nodes": 3}, "duration_ms": 1000, "timeline": [{"at_ms": 100, "do": "put", "node": "leader", "key": "clé", "value": "✓🚀"}]}'
printf '%s' "$UTF8_SCENARIO" >"$C/scenario/utf8.json"
printf 'description="naïve — ✓ 🚀"\nname=plain-ünïcode\n' >"$C/overrides/utf8.txt"

# Run files and links: failing runs of two mutations, as fuzz writes them.
"$BIN" fuzz --mutation vote_without_persist --seeds 1..40 --jobs 1 --max-failures 3 \
    --safety-ms 2000 --out "$TMP/runs" >"$TMP/report.json" 2>/dev/null || true
"$BIN" fuzz --scenario tests/data/fuzz/figure-8-race.json --mutation commit_old_term \
    --seeds 1..40 --jobs 1 --max-failures 2 --out "$TMP/runs" >"$TMP/report2.json" 2>/dev/null || true
n=0
for f in "$TMP"/runs/*.json; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    cp "$f" "$C/run_file/fuzz-failure-$n.json"
done
python3 - "$TMP/report.json" "$TMP/report2.json" "$C/fragment" <<'EOF'
import json, sys
n = 0
for path in sys.argv[1:3]:
    try:
        report = json.load(open(path))
    except (OSError, ValueError):
        continue
    for failure in report.get("failures", []):
        link = failure.get("link", "")
        if "#" in link:
            n += 1
            open(f"{sys.argv[3]}/fuzz-failure-{n}.txt", "w").write(link.split("#", 1)[1])
EOF
# A hand-made run file with user inputs, and links to a built-in scenario.
cat >"$C/run_file/inputs.json" <<'EOF'
{"format": "raftplay-run", "version": 1, "scenario": {"name": "r", "cluster": {"nodes": 3}, "duration_ms": 3000},
 "seed": "18446744073709551615", "inputs": [{"at_ms": 1234.567, "do": "kill", "node": 2},
 {"at_ms": 2000, "do": "put", "node": "leader", "key": "a", "value": "1"}], "digest": "9f1c2a7e0b44d310", "cursor_us": 2500000}
EOF
printf '{"format": "raftplay-run", "version": 1, "scenario": %s, "seed": "5", "inputs": [{"at_ms": 300, "do": "put", "node": "leader", "key": "ключ", "value": "🚀"}]}' \
    "$UTF8_SCENARIO" >"$C/run_file/utf8.json"
python3 - "$C/fragment" "$UTF8_SCENARIO" <<'EOF'
import base64, sys
open(f"{sys.argv[1]}/utf8.txt", "w").write("v=1&seed=2&sc=" + base64.urlsafe_b64encode(sys.argv[2].encode()).decode().rstrip("="))
def b64(s): return base64.urlsafe_b64encode(s.encode()).decode().rstrip("=")
inputs = '[{"at_ms":500,"do":"kill","node":"leader"},{"at_ms":900,"do":"put","node":"leader","key":"k","value":"v"}]'
open(f"{sys.argv[1]}/builtin-inputs.txt", "w").write(f"v=1&s=default&seed=7&t=1000&in={b64(inputs)}")
open(f"{sys.argv[1]}/builtin.txt", "w").write("#v=1&s=leader-failure&seed=3")
sc = '{"name":"x","cluster":{"nodes":3},"duration_ms":1000}'
open(f"{sys.argv[1]}/embedded.txt", "w").write(f"v=1&sc={b64(sc)}&seed=1&d=00ff")
EOF

# --set lines (one override per line).
printf 'cluster.nodes=7\nname=seven\n' >"$C/overrides/nodes.txt"
printf 'cluster.read_mode=read_index\nworkload.rate_per_s=50\n' >"$C/overrides/read-mode.txt"
printf 'cluster.read_mode=lease\nclock.drift_ppm=[0, -300000, 200000]\n' >"$C/overrides/lease-drift.txt"
printf 'timeline[0]={"at_ms": 100, "do": "kill", "node": "leader"}\n' >"$C/overrides/timeline.txt"
printf 'network.latency_ms=[1, 30]\ndisk.fsync_ms=[2,3]\nduration_ms=1500\n' >"$C/overrides/network.txt"

# Client histories of a few runs.
for s in default leader-failure lossy-network; do
    "$BIN" run "$s" --seed 2 --until-ms 1500 --history "$TMP/h.jsonl" >/dev/null 2>&1 || true
    head -c 60000 "$TMP/h.jsonl" >"$C/history/$s.jsonl"
done

# Checkpoint codec inputs (mode byte 0 entries, 1 snapshot, 2 base + diff).
python3 - "$C/entry_codec" <<'EOF'
import sys
def varint(v):
    out = b""
    while v >= 0x80:
        out += bytes([(v & 0x7F) | 0x80]); v >>= 7
    return out + bytes([v])
def zz(v): return varint(((v << 1) ^ (v >> 63)) & (2**64 - 1))
def s(b): return varint(len(b)) + b
def entry(delta, term, etype, op, key, value):
    return zz(delta) + zz(term) + bytes([etype]) + zz(1) + zz(3) + zz(9) + bytes([op]) + s(key) + s(value) + s(b"")
entries = [entry(1, 1, 0, 0, b"", b""), entry(1, 1, 1, 0, b"a", b"1"), entry(1, 2, 1, 3, b"a", b"2"),
           entry(1, 2, 1, 2, b"a", b"")]
# A configuration: voters, outgoing, learners (bit per node), auto_leave.
def conf(voters, outgoing=0, learners=0, auto_leave=0):
    return varint(voters) + varint(outgoing) + varint(learners) + bytes([auto_leave])
def config_entry(delta, term, change, node, c):
    return entry(delta, term, 2, 0, b"", b"") + bytes([change]) + zz(node) + c
entries += [config_entry(1, 2, 0, 3, conf(0b1111)), config_entry(1, 3, 4, 4, conf(0b1110, 0b1111, 0b10000, 1))]
def snapshot(index, term, sessions, kv):
    out = zz(index) + zz(term) + conf(0b111) + varint(len(sessions))
    for cid, seq in sessions:
        out += zz(cid) + zz(seq) + bytes([1]) + s(b"ok")
    return out + varint(len(kv)) + b"".join(s(k) + s(v) for k, v in kv)
base = snapshot(10, 2, [(1, 4), (2, 7)], [(b"a", b"1"), (b"b", b"2"), (b"c", b"3")])
diff = zz(12) + zz(2) + conf(0b111, 0, 0b1000) + varint(1) + zz(1) + zz(5) + bytes([3]) + s(b"") + varint(2) + bytes([0]) + s(b"b") + s(b"9") + bytes([1]) + s(b"c")
files = {"entries.bin": b"\0" + varint(len(entries)) + b"".join(entries),
         "snapshot.bin": b"\1" + base, "diff.bin": b"\2" + base + diff}
for name, data in files.items():
    open(f"{sys.argv[1]}/{name}", "wb").write(data)
EOF
# Run archives: short runs of the default scenario (small enough to fuzz
# quickly: a few checkpoints, snapshots, loss), each whole (magic and
# header) and as its bare payload (the harness frames that with a correct
# checksum).
# The default scenario without its tour (a tour's chapters must lie inside
# the shortened run).
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d.pop("tour", None); json.dump(d, open(sys.argv[2], "w"))' \
    scenarios/default.json "$TMP/archive-base.json"
archive() {
    local name="$1"
    shift
    "$BIN" export "$TMP/archive-base.json" --seed 3 "$@" --format archive -o "$C/run_archive/$name.rpa" 2>/dev/null
    tail -c +33 "$C/run_archive/$name.rpa" >"$C/run_archive/$name.payload"
}
archive small --set duration_ms=600 --set cluster.nodes=3 --checkpoint-every 60
archive snapshots --set duration_ms=500 --set cluster.nodes=3 --set cluster.snapshot_threshold=5 \
    --set workload.rate_per_s=200 --checkpoint-every 100
archive membership --set duration_ms=700 --set cluster.nodes=4 --set cluster.voters=3 \
    --set 'timeline=[{"at_ms": 300, "do": "add_node"}, {"at_ms": 500, "do": "transfer_leader", "node": "leader+1"}]' \
    --checkpoint-every 100
archive lossy --set duration_ms=500 --set cluster.nodes=4 --set network.loss=0.2 \
    --set workload.rate_per_s=100 --checkpoint-every 100

# Fuzz reports (`fuzz --format jsonl`): one shard with failures (a mutation),
# one clean run.
"$BIN" fuzz --seeds 1..30 --mutation skip_up_to_date_check --safety-ms 3000 --shard 0/2 \
    --format jsonl --out "$TMP/ff" 2>/dev/null | sed "s#$TMP/ff#fuzz-failures#g" \
    >"$C/fuzz_report/mutation-shard.jsonl" || true  # (exit 1: the mutation's failures)
"$BIN" fuzz --seeds 1..5 --format jsonl --out "$TMP/ff" 2>/dev/null >"$C/fuzz_report/clean.jsonl"

# Opening and running archives starts from the same inputs (a symlink).
ln -s run_archive "$C/run_archive_open"

for d in "$C"/*; do echo "$(basename "$d"): $(ls "$d" | wc -l) inputs"; done
