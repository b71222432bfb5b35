// tests/unit/fault_model_test.cpp — the simulated network and disk do what
// their fault models say: partitions block exactly the cut directions,
// healing delivers again, one-way cuts let the other direction through,
// unsynced writes vanish on a crash while synced ones survive, and torn or
// corrupted writes are detected on recovery.
#include <gtest/gtest.h>

#include "sim/disk.h"
#include "sim/world.h"

namespace sim {
namespace {

std::shared_ptr<Scenario> cluster(int64_t duration_us) {
    auto s = std::make_shared<Scenario>();
    s->cluster.node_count = 3;
    s->duration_us = duration_us;
    s->workload.clients = 2;
    s->workload.rate_per_s = 50;
    return s;
}

Action at(int64_t t, ActionKind k) {
    Action a;
    a.at_us = t;
    a.kind = k;
    return a;
}

// Deliveries from -> to within [t0, t1).
int deliveries(const World& w, int from, int to, int64_t t0, int64_t t1) {
    int n = 0;
    for (const TraceRecord& r : w.trace()) {
        if (r.kind == TraceKind::kDeliver && r.peer == from && r.node == to && r.t_us >= t0 &&
            r.t_us < t1) {
            n++;
        }
    }
    return n;
}

TEST(Network, PartitionBlocksExactlyTheCutDirectionsAndHealDeliversAgain) {
    auto s = cluster(3'000'000);
    Action p = at(1'000'000, ActionKind::kPartition);
    p.groups = {{0}, {1, 2}};
    s->timeline = {p, at(2'000'000, ActionKind::kHeal)};
    World w(s, 1);
    w.run_to_end();
    // Messages already on the wire may still arrive up to the latency bound.
    const int64_t settle = s->network.latency_us_max + s->network.tail_us_max;
    EXPECT_EQ(deliveries(w, 0, 1, 1'000'000 + settle, 2'000'000), 0);
    EXPECT_EQ(deliveries(w, 1, 0, 1'000'000, 2'000'000), 0);
    EXPECT_EQ(deliveries(w, 2, 0, 1'000'000, 2'000'000), 0);
    EXPECT_GT(deliveries(w, 1, 2, 1'000'000, 2'000'000) + deliveries(w, 2, 1, 1'000'000, 2'000'000),
              0);
    // Healed: node 0 hears from the others again (whichever of them leads).
    EXPECT_GT(deliveries(w, 1, 0, 2'000'000, 3'000'000) + deliveries(w, 2, 0, 2'000'000, 3'000'000),
              0);
}

TEST(Network, OneWayCutLetsTheOtherDirectionThrough) {
    // Cut the direction follower -> leader, whoever they are at the time: the
    // leader's appends still arrive, the follower's answers do not.
    auto s = cluster(2'000'000);
    World w(s, 2);
    w.run_until(500'000);
    int leader = -1;
    for (int i = 0; i < 3; i++) {
        if (w.nodes()[static_cast<size_t>(i)].node.role() == raft::Role::kLeader) leader = i;
    }
    ASSERT_NE(leader, -1) << "no leader after 500 ms";
    const int follower = (leader + 1) % 3;
    Action cut = at(500'000, ActionKind::kCutLink);
    cut.node = NodeRef{NodeSelector::kId, follower};
    cut.to = NodeRef{NodeSelector::kId, leader};
    w.add_input(cut);
    w.run_until(2'000'000);
    ASSERT_TRUE(w.link_cut(follower, leader));
    ASSERT_FALSE(w.link_cut(leader, follower));
    EXPECT_EQ(deliveries(w, follower, leader, 500'000, 2'000'000), 0);  // checked on arrival
    EXPECT_GT(deliveries(w, leader, follower, 500'000, 2'000'000), 0);
}

TEST(Network, ClogHoldsMessagesUntilUnclogged) {
    auto s = cluster(2'000'000);
    Action clog = at(500'000, ActionKind::kClog);
    clog.node = NodeRef{NodeSelector::kId, 0};
    clog.to = NodeRef{NodeSelector::kId, 1};
    Action unclog = clog;
    unclog.at_us = 1'000'000;
    unclog.kind = ActionKind::kUnclog;
    s->timeline = {clog, unclog};
    World w(s, 3);
    w.run_until(900'000);
    int held = 0;
    for (const auto& [id, f] : w.wire())
        held += f.deliver_us < 0 && f.msg.from == 0;
    EXPECT_GT(held, 0);
    w.run_to_end();
    EXPECT_GT(deliveries(w, 0, 1, 1'000'000, 1'100'000), 0);
}

raft::Entry entry(raft::Index i, raft::Term t) {
    raft::Entry e;
    e.index = i;
    e.term = t;
    e.type = raft::EntryType::kCommand;
    e.cmd.key = "k";
    e.cmd.value = "v" + std::to_string(i);
    e.seal();
    return e;
}

// Every entry in memory and on disk carries the hash of its own content
// (Entry::hash); a creation or change that forgot to seal shows here.
int count_unsealed(const World& w) {
    int bad = 0;
    for (const NodeSlot& n : w.nodes()) {
        const raft::RaftLog& log = n.node.log();
        for (raft::Index i = log.first_index(); i <= log.last_index(); i++)
            bad += log.at(i).hash != raft::entry_hash(log.at(i));
        for (const StoredEntry& s : n.disk.durable.log)
            bad += s.entry.hash != raft::entry_hash(s.entry);
        for (const WriteBatch& b : n.disk.pending) {
            for (const raft::Entry& e : b.entries)
                bad += e.hash != raft::entry_hash(e);
        }
    }
    return bad;
}

TEST(Disk, SyncedWritesSurviveAndUnsyncedOnesVanish) {
    Disk d;
    WriteBatch b1;
    b1.entries = {entry(1, 1), entry(2, 1)};
    d.pending.push_back(b1);
    d.fsync_covering = 1;
    std::vector<WriteBatch> done;
    d.complete_fsync(&done);
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0].entries.back().index, 2);  // index and term stay for the caller
    EXPECT_EQ(d.durable.log.back().entry, entry(2, 1));
    WriteBatch b2;
    b2.entries = {entry(3, 1)};
    d.pending.push_back(b2);
    // Crash: the pending write is simply never applied.
    d.pending.clear();
    Recovery r = recover(&d.durable);
    ASSERT_EQ(r.entries.size(), 2u);
    EXPECT_EQ(r.entries.back().index, 2);
    EXPECT_EQ(r.truncated_at, 0);
}

TEST(Disk, ATornWriteIsDetectedAndTruncated) {
    Disk d;
    WriteBatch b;
    b.entries = {entry(1, 1), entry(2, 1)};
    d.pending.push_back(b);
    d.fsync_covering = 1;
    std::vector<WriteBatch> done;
    d.complete_fsync(&done);
    // What a torn write leaves: half the bytes under the intended checksum.
    // The copy keeps its stale cached hash: recovery must not trust it.
    raft::Entry torn = entry(3, 1);
    const uint64_t intended = raft::entry_hash(torn);
    torn.cmd.value = torn.cmd.value.str().substr(0, 1);
    d.durable.log.push_back(StoredEntry{torn, intended});
    Recovery r = recover(&d.durable);
    EXPECT_EQ(r.truncated_at, 3);
    EXPECT_EQ(r.entries.size(), 2u);
    EXPECT_EQ(d.durable.log.size(), 2u);
}

TEST(Disk, CrashFaultsNeverLoseAcknowledgedState) {
    auto s = cluster(6'000'000);
    s->disk.fsync_us_min = 20'000;
    s->disk.fsync_us_max = 60'000;
    s->disk.torn_write_ppm = 500'000;
    s->disk.corrupt_ppm = 500'000;
    s->workload.rate_per_s = 200;
    for (int k = 0; k < 5; k++) {
        Action kill = at(1'000'000 + k * 900'000, ActionKind::kKill);
        kill.node = NodeRef{NodeSelector::kAll, raft::kNone};
        Action restart = at(1'300'000 + k * 900'000, ActionKind::kRestart);
        restart.node = NodeRef{NodeSelector::kAll, raft::kNone};
        s->timeline.push_back(kill);
        s->timeline.push_back(restart);
    }
    int corruptions = 0;
    for (uint64_t seed = 1; seed <= 5; seed++) {
        World w(s, seed);
        for (int64_t t = 250'000; t <= s->duration_us; t += 250'000) {
            w.run_until(t);
            ASSERT_EQ(count_unsealed(w), 0) << "seed " << seed << " at " << t << " us";
        }
        ASSERT_TRUE(w.violations().empty())
            << "seed " << seed << ": " << w.violations()[0].description;
        for (const TraceRecord& r : w.trace())
            corruptions += r.kind == TraceKind::kCorruption;
    }
    EXPECT_GT(corruptions, 0) << "the fault never fired: the test would prove nothing";
}

}  // namespace
}  // namespace sim
