// check/fuzz_report.h — the fuzz tool's report as JSON lines, and merging the
// reports of shards into one.
//
// `raftplay fuzz --shard I/N --format jsonl` prints one line per failure and
// a last line for the shard (its seeds, totals and wall time); `raftplay
// fuzz-report` reads any number of such outputs and merges them: totals,
// every failure (seed, outcome, run file, share link) in seed order, and the
// failures grouped by signature — the check that failed, the kind of the event
// after which it failed and the role of the node it happened on — so a
// thousand failing seeds of one bug read as one line.
//
// Shards are disjoint by construction: shard I of N over seeds A..B runs the
// seeds A+I, A+I+N, A+I+2N, ... (strided, so slow and fast stretches of the
// range spread over every shard). A merge of the N shards equals one process
// over A..B, except for the wall-time figures and when a shard stopped early
// (--time-limit, --max-failures), which the merged report names.
//
// Must not do I/O or read clocks: the CLI passes texts in and prints what
// comes out. The reader takes outside bytes: it bounds line counts and
// lengths (sim/limits.h style constants below) and never crashes on them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "check/fuzz.h"
#include "sim/world.h"

namespace sim {

// The limits of a report the merge accepts.
constexpr size_t kFuzzReportLinesMax = 1'000'000;    // per input
constexpr size_t kFuzzReportLineBytesMax = 1 << 20;  // a failure line with its share link
constexpr uint32_t kFuzzShardsMax = 1'000'000;
// "fuzz_report_bytes_max": one input file of the merge.
constexpr size_t kFuzzReportBytesMax = size_t(256) << 20;
// At most this many inputs to one merge.
constexpr size_t kFuzzReportInputsMax = 100'000;

// What a failure is, for grouping: "election_safety" / "deliver append" /
// "leader", "linearizability" / "get" / "client", "liveness" / "no_leader" /
// "none".
struct FailureSignature {
    std::string check;
    std::string event;
    std::string role;
    bool operator==(const FailureSignature&) const = default;
    // Spelled out: Debian emscripten's libc++ has no <=> for std::string.
    bool operator<(const FailureSignature& o) const {
        if (check != o.check) return check < o.check;
        if (event != o.event) return event < o.event;
        return role < o.role;
    }
};

// The signature of a failed run. For a safety failure `world` is the run that
// halted on it, with its trace recorded (the event before the violation
// record, and its node's role at the halt); linearizability and liveness
// failures need only the verdict and the world's history.
FailureSignature failure_signature(const World& world, const Verdict& verdict);

struct FuzzFailure {
    uint64_t seed = 0;
    Outcome outcome = Outcome::kOk;
    std::string what;
    int64_t t_us = 0;
    FailureSignature signature;
    std::string reproduce, replay, run_file, link;
    bool operator==(const FuzzFailure&) const = default;
};

// One shard's run: the seed range it was a part of, which part, and totals.
struct FuzzShard {
    std::string scenario;
    uint64_t first = 1, last = 1;
    uint32_t index = 0, count = 1;  // shard `index` of `count`
    std::vector<std::string> mutations;
    uint64_t seeds_run = 0;
    uint64_t seeds_total = 0;  // of this shard: how many seeds it would run unstopped
    double wall_s = 0;
    std::string stopped;  // "", "time_limit", "max_failures"
    bool operator==(const FuzzShard&) const = default;
};

// How many seeds of first..last shard (index, count) runs, and its k-th seed.
uint64_t shard_seed_count(uint64_t first, uint64_t last, uint32_t index, uint32_t count);
uint64_t shard_seed(uint64_t first, uint32_t index, uint32_t count, uint64_t k);
// "I/N" with 0 <= I < N <= kFuzzShardsMax; false (with a reason) otherwise.
bool parse_shard(std::string_view text, uint32_t* index, uint32_t* count, std::string* why);

// The JSON lines: {"type":"failure",...} and {"type":"shard",...}.
std::string fuzz_failure_line(const FuzzFailure& f);
std::string fuzz_shard_line(const FuzzShard& s);

// One input to the merge: its shard line and failure lines.
struct FuzzShardReport {
    FuzzShard shard;
    std::vector<FuzzFailure> failures;
};
// Reads one output of `fuzz --format jsonl`; errors name `source`, the line
// and the field ("shard-2.jsonl: line 3: seed: expected ...").
bool read_fuzz_lines(std::string_view text, const std::string& source, FuzzShardReport* out,
                     std::string* err);

struct SignatureGroup {
    FailureSignature signature;
    std::vector<uint64_t> seeds;  // ascending
};
struct MergedFuzzReport {
    std::string scenario;
    uint64_t first = 1, last = 1;
    uint32_t shard_count = 1;
    std::vector<std::string> mutations;
    std::vector<uint32_t> shards_present, shards_missing;
    std::vector<std::string> stopped;  // "shard 3: time_limit", ...
    uint64_t seeds_run = 0, seeds_total = 0;
    double wall_s_max = 0, wall_s_sum = 0;
    std::vector<FuzzFailure> failures;   // by seed
    std::vector<SignatureGroup> groups;  // by first seed
};

// Merges shard reports of one fuzz run (same scenario, range, shard count and
// mutations; each shard at most once). False with a reason otherwise.
bool merge_fuzz_reports(const std::vector<FuzzShardReport>& in, MergedFuzzReport* out,
                        std::string* err);
// The merged report as pretty JSON; with_wall = false leaves out the wall-time
// figures (so two merges of the same seeds compare equal as text).
std::string merged_fuzz_report_json(const MergedFuzzReport& m, bool with_wall);
// 0 no failure, 1 a safety or linearizability failure, 2 liveness only.
int merged_exit_code(const MergedFuzzReport& m);

}  // namespace sim
