// format/summary.h — the run summary as one JSON object: what `raftplay run`
// prints and what the browser's window.raftplay.state() returns.
//
// Owns the summary's shape (the keys are a contract scripts and tests rely
// on; see docs/cli.md) and the client statistics derived from a history. Must
// not do I/O, read a clock or run a checker: the caller passes the
// linearizability result (and the wall time it measured, if any), so the
// same world and result always give the same text. Everything written is a
// pure function of the world's state.
#pragma once

#include <cstdint>
#include <string>

#include "format/json.h"
#include "sim/history.h"
#include "sim/world.h"

namespace sim {

// Client-operation counts and latency percentiles (ok operations only,
// nearest-rank, integer microseconds; 0 when there is none).
struct ClientStats {
    int64_t ok = 0, fail = 0, unknown = 0, pending = 0;
    int64_t latency_us_p50 = 0, latency_us_p99 = 0, latency_us_max = 0;
};
ClientStats client_stats(HistoryView history);

struct SummaryOptions {
    // The linearizability result, or nullptr when it was not checked (the
    // summary then says verdict "unknown", checked false).
    const LinResult* linearizability = nullptr;
    // Multi-line output (one key per line) for humans and readable diffs.
    bool pretty = true;
    // Include wall-time fields (linearizability.ms). Golden files leave them
    // out because wall time is not a function of the run.
    bool wall_time = true;
    // A share link to this run (`raftplay run` passes one), written as the
    // last key, `link`, when not empty.
    std::string link;
};

// The summary of the world as it is now (usually after run_to_end()).
std::string summary_json(const World& world, const SummaryOptions& options);
// The same object written into `w` (e.g. as a member of a larger report);
// the layout is w's, options.pretty is not used.
void write_summary(JsonWriter& w, const World& world, const SummaryOptions& options);

}  // namespace sim
