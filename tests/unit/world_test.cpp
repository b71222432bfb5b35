// tests/unit/world_test.cpp — the deterministic world end to end: a cluster
// elects one leader, commits client writes, survives crashes, and the same
// seed gives the same digest while another seed does not.
#include "sim/world.h"

#include <gtest/gtest.h>

#include "check/linearizability.h"

namespace sim {
namespace {

std::shared_ptr<Scenario> basic(int nodes, int64_t duration_us) {
    auto s = std::make_shared<Scenario>();
    s->cluster.node_count = nodes;
    s->duration_us = duration_us;
    s->workload.clients = 3;
    s->workload.rate_per_s = 60;
    s->workload.keys = 20;
    return s;
}

TEST(World, ElectsOneLeaderAndCommitsWrites) {
    World w(basic(5, 5'000'000), 1);
    w.run_to_end();
    ASSERT_TRUE(w.violations().empty()) << w.violations()[0].description;
    ASSERT_NE(w.leader(), raft::kNone);
    int ok = 0;
    for (const HistoryOp& op : w.history())
        ok += op.status == OpStatus::kOk;
    EXPECT_GT(ok, 100);
    const raft::Node& lead = w.nodes()[static_cast<size_t>(w.leader())].node;
    EXPECT_GT(lead.commit_index(), 100);
}

TEST(World, SameSeedSameDigestOtherSeedOtherDigest) {
    World a(basic(5, 3'000'000), 7), b(basic(5, 3'000'000), 7), c(basic(5, 3'000'000), 8);
    a.run_to_end();
    b.run_to_end();
    c.run_to_end();
    EXPECT_EQ(a.digest_hex(), b.digest_hex());
    EXPECT_EQ(a.events(), b.events());
    EXPECT_NE(a.digest_hex(), c.digest_hex());
}

TEST(World, KillLeaderElectsNewLeaderAndConverges) {
    auto s = basic(5, 8'000'000);
    Action kill;
    kill.at_us = 2'000'000;
    kill.kind = ActionKind::kKill;
    kill.node.sel = NodeSelector::kLeader;
    Action restart;
    restart.at_us = 4'000'000;
    restart.kind = ActionKind::kRestart;
    restart.node.sel = NodeSelector::kAll;
    s->timeline = {kill, restart};
    s->workload.stop_us = 6'000'000;
    World w(s, 3);
    w.run_to_end();
    ASSERT_TRUE(w.violations().empty()) << w.violations()[0].description;
    ASSERT_GE(w.leaders().size(), 2u);
    EXPECT_GT(w.leaders().back().term, w.leaders().front().term);
    uint64_t hash = w.nodes()[0].node.kv().hash();
    for (const NodeSlot& n : w.nodes()) {
        EXPECT_TRUE(n.alive);
        EXPECT_EQ(n.node.kv().hash(), hash) << "node " << n.node.id();
    }
}

}  // namespace
}  // namespace sim

namespace sim {
namespace {

// Regression (fuzz seed 156): a snapshot forced on a crashed node queued a
// disk write whose fsync was discarded, wedging that disk after restart; the
// node then never acknowledged anything again.
// §7 with etcd's catch-up window: a healthy cluster under steady writes
// compacts often, and its followers are always a few appends behind. With
// entries kept before the snapshot point they never need an InstallSnapshot;
// without (window 0) the leader compacts past appends still in flight and
// sends whole snapshots to healthy followers. A follower down for longer than
// the window still gets one (the snapshot-catch-up scenario's story).
TEST(World, HealthyFollowersCatchUpByAppendsNotSnapshots) {
    auto run = [](int64_t window) {
        auto s = basic(5, 20'000'000);
        s->workload.clients = 10;
        s->workload.rate_per_s = 200;
        s->workload.keys = 1000;
        s->cluster.snapshot_catch_up_entries = window;
        World w(s, 1);
        w.run_to_end();
        EXPECT_TRUE(w.violations().empty());
        const int64_t snapshots = w.counts().by_type[static_cast<int>(raft::MsgType::kSnapshot)];
        int64_t taken = 0;
        for (const NodeSlot& n : w.nodes()) {
            taken += n.node.snapshot_index() > 0;
            // The log reaches back `window` entries before the snapshot point
            // (or to the start of the log kept on restart).
            EXPECT_LE(n.node.log().snapshot_index(), n.node.snapshot_index());
        }
        EXPECT_EQ(taken, 5) << "every node compacted";
        return snapshots;
    };
    EXPECT_EQ(run(raft::Config{}.snapshot_catch_up_entries), 0) << "the default window";
    EXPECT_GT(run(0), 0);
}

TEST(World, ActionsOnACrashedNodeDoNotWedgeItsDisk) {
    auto s = basic(3, 4'000'000);
    auto step = [](int64_t at, ActionKind k, NodeSelector sel, raft::NodeId id) {
        Action a;
        a.at_us = at;
        a.kind = k;
        a.node.sel = sel;
        a.node.id = id;
        return a;
    };
    s->timeline = {step(1'000'000, ActionKind::kKill, NodeSelector::kId, 0),
                   step(1'100'000, ActionKind::kSnapshot, NodeSelector::kId, 0),
                   step(1'100'000, ActionKind::kCampaign, NodeSelector::kId, 0),
                   step(1'500'000, ActionKind::kRestart, NodeSelector::kId, 0)};
    s->workload.stop_us = 3'000'000;
    World w(s, 4);
    w.run_to_end();
    ASSERT_TRUE(w.violations().empty()) << w.violations()[0].description;
    const NodeSlot& n0 = w.nodes()[0];
    EXPECT_FALSE(n0.disk.fsync_in_flight());
    EXPECT_EQ(n0.node.kv().hash(), w.nodes()[1].node.kv().hash());
    EXPECT_EQ(n0.node.last_applied(), w.nodes()[1].node.last_applied());
}

}  // namespace
}  // namespace sim

namespace sim {
namespace {

// §6.4 ReadIndex: reads served by the leader after a heartbeat round, not
// through the log, stay linearizable across partitions and leader changes.
TEST(World, ReadIndexReadsAreLinearizableAndSkipTheLog) {
    auto s = basic(5, 6'000'000);
    s->cluster.read_mode = raft::ReadMode::kReadIndex;
    s->workload.clients = 6;
    s->workload.rate_per_s = 150;
    s->workload.keys = 5;
    s->workload.put_ppm = 500'000;
    s->workload.get_ppm = 500'000;
    s->workload.delete_ppm = s->workload.cas_ppm = 0;
    Action part;
    part.at_us = 2'000'000;
    part.kind = ActionKind::kPartition;
    part.isolate_leader_with = 1;
    Action heal;
    heal.at_us = 3'500'000;
    heal.kind = ActionKind::kHeal;
    s->timeline = {part, heal};
    for (uint64_t seed = 1; seed <= 3; seed++) {
        World w(s, seed);
        w.run_to_end();
        ASSERT_TRUE(w.violations().empty()) << w.violations()[0].description;
        int gets = 0, puts = 0;
        for (const HistoryOp& op : w.history()) {
            if (op.status != OpStatus::kOk) continue;
            gets += op.op == raft::OpType::kGet;
            puts += op.op == raft::OpType::kPut;
        }
        EXPECT_GT(gets, 100);
        EXPECT_GT(puts, 100);
        // Gets never enter the log.
        for (const NodeSlot& n : w.nodes()) {
            for (const raft::Entry& e : n.node.log().entries()) {
                EXPECT_FALSE(e.type == raft::EntryType::kCommand && e.cmd.op == raft::OpType::kGet);
            }
        }
        EXPECT_EQ(check_linearizable(w.history(), 5'000'000).verdict, LinResult::kOk)
            << "seed " << seed;
    }
}

}  // namespace
}  // namespace sim

namespace sim {
namespace {

// jitter_ms: a step lands at a seeded point of [at, at + jitter); steps of
// one jitter group share the draw and keep their distance.
TEST(World, JitteredStepsSpreadOverTheIntervalAndGroupsKeepTheirDistance) {
    auto s = basic(3, 2'000'000);
    s->workload.clients = 0;
    Action pause;
    pause.at_us = 1'000'000;
    pause.kind = ActionKind::kPause;
    pause.node.sel = NodeSelector::kId;
    pause.node.id = 1;
    pause.jitter_us = 50'000;
    pause.jitter_group = "g";
    Action kill = pause;
    kill.at_us = 1'010'000;
    kill.kind = ActionKind::kKill;
    s->timeline = {pause, kill};
    std::vector<int64_t> seen;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        World w(s, seed);
        w.run_to_end();
        int64_t paused = -1, crashed = -1;
        for (const TraceRecord& r : w.trace()) {
            if (r.kind == TraceKind::kPause) paused = r.t_us;
            if (r.kind == TraceKind::kCrash) crashed = r.t_us;
        }
        ASSERT_GE(paused, 1'000'000);
        ASSERT_LT(paused, 1'050'000);
        EXPECT_EQ(crashed - paused, 10'000) << "one draw for the group";
        seen.push_back(paused);
    }
    std::sort(seen.begin(), seen.end());
    EXPECT_GT(seen.back() - seen.front(), 25'000) << "the draw varies with the seed";
}

// cut with entries_only: the follower keeps hearing heartbeats (no election)
// but receives no new entries, so its log goes stale.
TEST(World, EntriesOnlyCutLeavesAStaleFollowerThatHearsTheLeader) {
    auto s = basic(3, 3'000'000);
    s->cluster.pre_vote = s->cluster.check_quorum = false;
    Action campaign;
    campaign.kind = ActionKind::kCampaign;
    campaign.node.sel = NodeSelector::kId;
    campaign.node.id = 0;
    Action cut;
    cut.at_us = 500'000;
    cut.kind = ActionKind::kCutLink;
    cut.node = campaign.node;
    cut.to.sel = NodeSelector::kId;
    cut.to.id = 2;
    cut.entries_only = true;
    s->timeline = {campaign, cut};
    World w(s, 1);
    w.run_to_end();
    ASSERT_TRUE(w.violations().empty());
    const raft::Node& lead = w.nodes()[0].node;
    const raft::Node& stale = w.nodes()[2].node;
    EXPECT_EQ(lead.role(), raft::Role::kLeader);
    EXPECT_EQ(stale.current_term(), lead.current_term()) << "no election: heartbeats pass";
    EXPECT_LT(stale.log().last_index() + 20, lead.log().last_index());
}

}  // namespace
}  // namespace sim
