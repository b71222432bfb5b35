// format/scenario_limits.h — the up-front resource estimate of a run: client
// operations, history memory and events, checked against sim/limits.h
// before anything runs.
//
// Owns the estimate's formulas (docs/scenarios.md#limits). Pure and
// integer-only. The estimate is a lower bound of what the run will do (faults
// only add elections and retries), so refusing on it never refuses a run that
// would have fitted; the world's own counters catch the rest while running.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "sim/scenario.h"

namespace sim {

struct RunEstimate {
    int64_t workload_ops = 0;  // the background workload's operations
    int64_t scripted_ops = 0;  // put/get/delete/cas steps and stress writes
    int64_t history_bytes = 0;
    int64_t heartbeat_events = 0;  // leader heartbeats: send + deliver, both ways
    int64_t op_events = 0;         // a client operation's messages, appends and fsyncs
    int64_t ops() const { return workload_ops + scripted_ops; }
    int64_t events() const { return heartbeat_events + op_events; }
};

// The estimate for the scenario with `inputs` (a run file's user actions)
// on top of its timeline.
RunEstimate estimate_run(const Scenario& scenario, std::span<const Action> inputs);

// Checks the estimate against the named limits. On failure returns false
// with *path (the field to change, e.g. "workload.rate_per_s") and *reason
// ("limit history_ops_max: ...").
bool check_run_estimate(const Scenario& scenario, std::span<const Action> inputs, std::string* path,
                        std::string* reason);

// 1234567 -> "1,234,567" (for messages).
std::string with_commas(int64_t n);

}  // namespace sim
