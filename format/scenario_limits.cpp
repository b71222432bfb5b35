// format/scenario_limits.cpp — the up-front run estimate (see scenario_limits.h).
//
// Calibrated on the built-in scenarios' golden runs: a heartbeat round costs
// about 4 events per follower (append and response, each sent and
// delivered), a client operation about 6 per node (request, appends,
// responses, fsyncs, apply), a history entry about 0.3 KB plus its strings.
#include "format/scenario_limits.h"

#include <algorithm>

#include "sim/history.h"
#include "sim/limits.h"

namespace sim {

namespace {

constexpr int64_t kEventsPerFollowerRound = 4;
constexpr int64_t kEventsPerOpPerNode = 6;
constexpr int64_t kOpBytes = static_cast<int64_t>(sizeof(HistoryOp)) + 32;

// Operations a step adds, and their bytes. A triggered step (`when`) fires
// at most once, so it counts as one step whether or not it ever fires.
void add_step(const Action& a, RunEstimate* e) {
    switch (a.kind) {
        case ActionKind::kStress:
            e->scripted_ops += a.count;
            e->history_bytes += static_cast<int64_t>(a.count) * (kOpBytes + 48);
            break;
        case ActionKind::kPut:
        case ActionKind::kGet:
        case ActionKind::kDelete:
        case ActionKind::kCas:
        case ActionKind::kAppend:
            e->scripted_ops += 1;
            e->history_bytes +=
                kOpBytes + static_cast<int64_t>(a.key.size() + a.value.size() + a.expected.size());
            break;
        default:
            break;
    }
}

int64_t workload_ops(const Scenario& s) {
    const Workload& w = s.workload;
    if (w.rate_per_s <= 0 || w.clients <= 0) return 0;
    const int64_t stop = w.stop_us < 0 ? s.duration_us : std::min(w.stop_us, s.duration_us);
    const int64_t active_us = std::max<int64_t>(0, stop - w.start_us);
    // rate <= 100,000 and active_us <= 8.64e10: the product fits in int64.
    return w.rate_per_s * active_us / 1'000'000;
}

// The field to change when operations are too many: the workload, or the
// biggest stress step.
std::string ops_field(const Scenario& s, const RunEstimate& e) {
    if (e.workload_ops >= e.scripted_ops) return "workload.rate_per_s";
    size_t best = 0;
    int32_t count = -1;
    for (size_t i = 0; i < s.timeline.size(); i++) {
        if (s.timeline[i].kind == ActionKind::kStress && s.timeline[i].count > count) {
            best = i;
            count = s.timeline[i].count;
        }
    }
    if (count < 0) return "inputs";
    return "timeline[" + std::to_string(best) + "].count";
}

}  // namespace

std::string with_commas(int64_t n) {
    std::string digits = std::to_string(n < 0 ? -n : n);
    std::string out;
    for (size_t i = 0; i < digits.size(); i++) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return n < 0 ? "-" + out : out;
}

namespace {

// The slowest rate any node's clock has at some point (0 when none drifts
// slow): clock.drift_ppm (nodes past its end run true) and clock_drift steps.
int64_t slowest_drift(const Scenario& s) {
    int64_t ppm = 0;
    for (int64_t x : s.clock.drift_ppm)
        ppm = std::max(ppm, x);
    for (const Action& a : s.timeline) {
        if (a.kind == ActionKind::kClockDrift) ppm = std::max(ppm, a.drift_ppm);
    }
    return std::clamp<int64_t>(ppm, 0, kMaxDriftPpm);
}

}  // namespace

RunEstimate estimate_run(const Scenario& s, std::span<const Action> inputs) {
    RunEstimate e;
    e.workload_ops = workload_ops(s);
    e.history_bytes = e.workload_ops * (kOpBytes + 2 * s.workload.value_bytes);
    for (const Action& a : s.timeline)
        add_step(a, &e);
    for (const Action& a : inputs)
        add_step(a, &e);
    const int64_t n = s.cluster.node_count;
    // A lower bound: the leader's clock may be the slowest (ClockModel).
    const int64_t rounds =
        s.duration_us * kPpm /
        (std::max<int64_t>(1, s.cluster.heartbeat_us) * (kPpm + slowest_drift(s)));
    e.heartbeat_events = rounds * (n - 1) * kEventsPerFollowerRound;
    e.op_events = e.ops() * n * kEventsPerOpPerNode;
    return e;
}

bool check_run_estimate(const Scenario& s, std::span<const Action> inputs, std::string* path,
                        std::string* reason) {
    const RunEstimate e = estimate_run(s, inputs);
    const std::string hint = "; lower the rate, shorten the run, or stop the workload earlier";
    if (e.ops() > kMaxHistoryOps) {
        *path = ops_field(s, e);
        *reason = "limit history_ops_max: the run would record about " + with_commas(e.ops()) +
                  " client operations, at most " + with_commas(kMaxHistoryOps) + hint;
        return false;
    }
    if (e.history_bytes > kMaxHistoryBytes) {
        *path = e.workload_ops >= e.scripted_ops ? "workload.value_bytes" : ops_field(s, e);
        *reason = "limit history_bytes_max: the client history would take about " +
                  with_commas(e.history_bytes >> 20) + " MiB, at most " +
                  with_commas(kMaxHistoryBytes >> 20) + " MiB" + hint;
        return false;
    }
    if (e.events() > kMaxEstimatedEvents) {
        *path = e.heartbeat_events >= e.op_events ? "cluster.heartbeat_ms" : ops_field(s, e);
        *reason = "limit events_estimate_max: the run needs about " + with_commas(e.events()) +
                  " events (" + with_commas(e.heartbeat_events) + " for heartbeats, " +
                  with_commas(e.op_events) + " for client operations), at most " +
                  with_commas(kMaxEstimatedEvents) +
                  ": hours of wall time; use a longer heartbeat or a shorter run";
        return false;
    }
    return true;
}

}  // namespace sim
