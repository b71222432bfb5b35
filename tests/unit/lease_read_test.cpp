// tests/unit/lease_read_test.cpp — lease reads (read_mode "lease", thesis
// §6.4.1) and the clock-drift fault that breaks them.
//
// tests/data/lease/stale-read-under-drift.json cuts off a leader whose clock
// runs slow while its followers' run fast, then writes through the majority
// and reads through the old leader. The linearizability checker must reject
// that history under lease reads, and accept the same run under ReadIndex
// and under lease reads without the drift: the checker is shown to catch a
// real stale read, and the lease rule to be safe while the clocks agree.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "check/linearizability.h"
#include "format/scenario_json.h"
#include "format/scenario_limits.h"
#include "sim/world.h"

namespace sim {
namespace {

constexpr int kSeeds = 5;

std::shared_ptr<const Scenario> load(const std::vector<std::string>& overrides) {
    Scenario sc;
    std::string err;
    const std::string path =
        std::string(RAFTPLAY_SOURCE_DIR) + "/tests/data/lease/stale-read-under-drift.json";
    EXPECT_TRUE(load_scenario_file(path, overrides, &sc, &err)) << err;
    return std::make_shared<const Scenario>(sc);
}

struct Outcome {
    LinResult::Verdict verdict = LinResult::kOk;
    bool get_ok = false;  // the scripted get completed ok
    std::string got;      // what it read
    int32_t node = -1;    // the node of its last attempt (n0 first)
};

Outcome run(const std::shared_ptr<const Scenario>& s, uint64_t seed) {
    World w(s, seed);
    w.run_to_end();
    EXPECT_TRUE(w.violations().empty()) << "seed " << seed << ": " << w.violations()[0].check;
    Outcome o;
    o.verdict = check_linearizable(w.history(), 5'000'000).verdict;
    for (const HistoryOp& op : w.history()) {
        if (op.op != raft::OpType::kGet || op.status != OpStatus::kOk) continue;
        o.get_ok = true;
        o.got = op.output;
        o.node = op.node;
    }
    return o;
}

TEST(LeaseRead, ClockDriftMakesALeaseReadStaleAndTheCheckerCatchesIt) {
    auto lease = load({});
    auto read_index = load({"cluster.read_mode=read_index"});
    ASSERT_EQ(lease->cluster.read_mode, raft::ReadMode::kLease);
    for (int seed = 1; seed <= kSeeds; seed++) {
        const Outcome stale = run(lease, static_cast<uint64_t>(seed));
        EXPECT_EQ(stale.verdict, LinResult::kViolation) << "seed " << seed;
        EXPECT_TRUE(stale.get_ok) << "seed " << seed;
        EXPECT_EQ(stale.node, 0) << "seed " << seed << ": answered by the old leader";
        EXPECT_EQ(stale.got, "1") << "seed " << seed << ": the old leader's value";
        const Outcome safe = run(read_index, static_cast<uint64_t>(seed));
        EXPECT_EQ(safe.verdict, LinResult::kOk) << "seed " << seed;
        EXPECT_NE(safe.node, 0) << "seed " << seed << ": n0 cannot confirm its leadership";
        EXPECT_EQ(safe.got, "2") << "seed " << seed << ": read through the new leader";
    }
}

// The same script with every clock true: n0's lease (counted in its own
// heartbeat rounds) ends before the followers' leases do, so no new leader
// exists while n0 still answers from its state; the get falls back to
// ReadIndex and never reads the stale value.
TEST(LeaseRead, WithoutDriftLeaseReadsStayLinearizable) {
    auto s = load({"clock.drift_ppm=[0,0,0]", "timeline[2].ppm=0"});
    for (int seed = 1; seed <= kSeeds; seed++) {
        const Outcome o = run(s, static_cast<uint64_t>(seed));
        EXPECT_EQ(o.verdict, LinResult::kOk) << "seed " << seed;
        EXPECT_TRUE(o.get_ok) << "seed " << seed;
        EXPECT_NE(o.node, 0) << "seed " << seed << ": n0's lease had lapsed";
    }
}

// Drift stretches a node's timers by (1e6 + ppm) / 1e6: n0's heartbeats come
// every 20 ms before its clock_drift step (+500000 ppm at 1.5 s) and every
// 30 ms after it.
TEST(ClockDrift, StretchesTheTimersANodeArmsAfterTheStep) {
    auto s = load({});
    World w(s, 1);
    w.run_until(1'900'000);
    std::vector<int64_t> beats;
    for (const TraceRecord& r : w.trace()) {
        if (r.kind == TraceKind::kTimeout && r.node == 0 && r.aux == 1) beats.push_back(r.t_us);
    }
    ASSERT_GT(beats.size(), 10u);
    int before = 0, after = 0;
    for (size_t i = 1; i < beats.size(); i++) {
        const int64_t gap = beats[i] - beats[i - 1];
        if (beats[i - 1] >= 1'500'000) {
            EXPECT_EQ(gap, 30'000) << "at " << beats[i];
            after++;
        } else if (beats[i] < 1'500'000) {
            EXPECT_EQ(gap, 20'000) << "at " << beats[i];
            before++;
        }
    }
    EXPECT_GT(before, 10);
    EXPECT_GT(after, 5);
}

// The followers' fast clocks (clock.drift_ppm -500000) halve their lease
// timers: a lease timeout (timer "lease", aux 2) follows the last heartbeat
// by 300 ms, not 600 ms, once n0 is cut off.
TEST(ClockDrift, FastFollowerLeasesRunOutInHalfTheTime) {
    auto s = load({});
    World w(s, 1);
    w.run_until(2'500'000);
    int64_t last_heard = -1, lease_out = -1;
    for (const TraceRecord& r : w.trace()) {
        if (r.t_us > 2'000'000 && r.kind == TraceKind::kTimeout && r.node == 1 && r.aux == 2 &&
            lease_out < 0)
            lease_out = r.t_us;
        if (r.t_us <= 2'000'000 && r.kind == TraceKind::kDeliver && r.node == 1 && r.peer == 0 &&
            r.msg_type == static_cast<uint8_t>(raft::MsgType::kAppend))
            last_heard = r.t_us;
    }
    ASSERT_GT(last_heard, 0);
    ASSERT_GT(lease_out, 0);
    EXPECT_EQ(lease_out - last_heard, 300'000);
}

// The run estimate (events_estimate_max) stays a lower bound under drift: a
// leader whose clock runs slow sends fewer heartbeats, so the heartbeat
// rounds are counted at the slowest rate a node gets (here n0's +500000 by
// its clock_drift step: 5000 ms / 30 ms, not / 20 ms).
TEST(ClockDrift, TheRunEstimateCountsHeartbeatsAtTheSlowestClock) {
    auto s = load({});
    EXPECT_EQ(estimate_run(*s, {}).heartbeat_events, 5'000'000 / 30'000 * 2 * 4);
    auto true_clocks = load({"clock.drift_ppm=[0,0,0]", "timeline[2].ppm=0"});
    EXPECT_EQ(estimate_run(*true_clocks, {}).heartbeat_events, 5'000'000 / 20'000 * 2 * 4);
}

}  // namespace
}  // namespace sim
