// tests/unit/timeline_test.cpp — time travel: seek, step back and forks
// reproduce exactly what a straight run does.
#include "sim/timeline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace sim {
namespace {

std::shared_ptr<Scenario> busy_scenario() {
    auto s = std::make_shared<Scenario>();
    s->cluster.node_count = 5;
    s->cluster.snapshot_threshold = 50;
    s->duration_us = 6'000'000;
    s->workload.clients = 4;
    s->workload.rate_per_s = 100;
    s->workload.keys = 30;
    s->network.loss_ppm = 20'000;
    Action kill;
    kill.at_us = 1'500'000;
    kill.kind = ActionKind::kKill;
    kill.node.sel = NodeSelector::kLeader;
    Action restart;
    restart.at_us = 3'000'000;
    restart.kind = ActionKind::kRestart;
    restart.node.sel = NodeSelector::kAll;
    s->timeline = {kill, restart};
    return s;
}

// A fingerprint of the whole visible world, beyond the digest.
std::string fingerprint(const World& w) {
    std::string f = w.digest_hex() + "/" + std::to_string(w.events()) + "/" +
                    std::to_string(w.now_us()) + "/" + std::to_string(w.trace().size()) + "/" +
                    std::to_string(w.history().size());
    for (const NodeSlot& n : w.nodes()) {
        f += "|" + std::to_string(n.node.current_term()) + "," +
             std::to_string(n.node.commit_index()) + "," + std::to_string(n.node.kv().hash()) +
             "," + std::to_string(n.node.log().last_index()) + "," +
             std::to_string(n.disk.durable.log.size());
    }
    return f;
}

// Everything the append-only logs hold: history, leaders, violations.
std::string logs_fingerprint(const World& w) {
    std::string f;
    for (const HistoryOp& op : w.history()) {
        f += std::to_string(op.client) + ":" + std::to_string(op.seq) + ":" + op.key + "=" +
             op.value + "@" + std::to_string(op.invoke_us) + "-" + std::to_string(op.complete_us) +
             "/" + std::to_string(static_cast<int>(op.status)) + op.output + ";";
    }
    for (const LeaderRecord& l : w.leaders())
        f += "L" + std::to_string(l.term) + "," + std::to_string(l.node) + ";";
    f += "V" + std::to_string(w.violations().size());
    return f;
}

// The busy scenario run straight through, and through a timeline to its end.
struct BothRuns {
    std::shared_ptr<Scenario> s = busy_scenario();
    World straight;
    Timeline t;
    BothRuns(uint64_t seed, int64_t checkpoint_every)
        : straight(s, seed), t(s, seed, {}, options(checkpoint_every)) {
        straight.run_to_end();
        t.run_until(s->duration_us);
    }
    static TimelineOptions options(int64_t every) {
        TimelineOptions o;
        o.checkpoint_every_events = every;
        return o;
    }
};

// Seeking backwards and then forwards past a checkpoint restores that later
// checkpoint; the history and the other logs must then be those of a straight
// run, not blanks where the earlier seek had cut them.
TEST(Timeline, SeekBackThenForwardKeepsTheLogsWhole) {
    BothRuns r(11, 500);
    const auto& s = r.s;
    const World& straight = r.straight;
    Timeline& t = r.t;
    const int64_t total = t.events();
    t.seek_event(20);
    t.seek_event(total * 3 / 4);
    t.run_until(s->duration_us);
    EXPECT_EQ(fingerprint(t.world()), fingerprint(straight));
    EXPECT_EQ(logs_fingerprint(t.world()), logs_fingerprint(straight));
    t.seek_time(100'000);
    t.seek_time(s->duration_us * 2 / 3);
    t.run_until(s->duration_us);
    EXPECT_EQ(logs_fingerprint(t.world()), logs_fingerprint(straight));
}

TEST(Timeline, SeekThenRunToEndMatchesStraightRun) {
    BothRuns r(11, 500);
    const auto& s = r.s;
    const World& straight = r.straight;
    Timeline& t = r.t;
    ASSERT_EQ(t.world().digest_hex(), straight.digest_hex());
    const int64_t total = t.events();
    const int64_t targets[] = {total / 3, 17, total - 1, total / 2, 0, total * 2 / 3};
    for (int64_t e : targets) {
        t.seek_event(e);
        ASSERT_EQ(t.events(), e);
        t.run_until(s->duration_us);
        EXPECT_EQ(fingerprint(t.world()), fingerprint(straight)) << "after seek to " << e;
    }
    EXPECT_GT(t.checkpoint_count(), 3u);
}

TEST(Timeline, StepForwardThenBackRestoresTheSameWorld) {
    auto s = busy_scenario();
    TimelineOptions opt;
    opt.checkpoint_every_events = 300;
    Timeline t(s, 5, {}, opt);
    t.run_until(2'000'000);
    ASSERT_TRUE(t.step());  // the clock now stands at an event, not in idle time
    const std::string here = fingerprint(t.world());
    const int64_t at = t.events();
    for (int i = 0; i < 40; i++)
        ASSERT_TRUE(t.step());
    for (int i = 0; i < 40; i++)
        t.step_back();
    EXPECT_EQ(t.events(), at);
    EXPECT_EQ(fingerprint(t.world()), here);
}

// The snapshots a state holds outside nodes and disks (pending write batches,
// messages on the wire), as "where:index/keys" in a fixed order.
std::string loose_snapshots(const WorldState& st) {
    std::string f;
    auto add = [&](const char* where, const raft::SnapshotPtr& p) {
        if (p) {
            f += std::string(where) + ":" + std::to_string(p->last_included_index) + "/" +
                 std::to_string(p->kv.size()) + ";";
        }
    };
    for (const NodeSlot& n : st.nodes) {
        for (const WriteBatch& b : n.disk.pending)
            add("disk", b.snapshot);
    }
    for (const auto& [id, f_] : st.net.wire())
        add("wire", f_.msg.snapshot);
    return f;
}

// A checkpoint taken while a snapshot waits for the disk or crosses the wire
// encodes it once (with the node's own) and restores it in place.
TEST(Timeline, SnapshotsPendingOnDiskOrOnTheWireSurviveACheckpoint) {
    auto s = busy_scenario();
    World straight(s, 7);
    int64_t at = -1;
    std::string expected;
    while (straight.step(s->duration_us)) {
        expected = loose_snapshots(straight.state());
        if (!expected.empty() && straight.events() > 50) {
            at = straight.events();
            break;
        }
    }
    ASSERT_GT(at, 0) << "no snapshot was ever pending: the test would prove nothing";
    // A checkpoint lands exactly on that event; seeking there restores it.
    TimelineOptions o;
    o.checkpoint_every_events = at;
    Timeline t(s, 7, {}, o);
    t.run_until(s->duration_us);
    t.seek_event(at);
    ASSERT_EQ(t.events(), at);
    EXPECT_EQ(loose_snapshots(t.world().state()), expected);
    straight.run_to_end();
    t.run_until(s->duration_us);
    EXPECT_EQ(fingerprint(t.world()), fingerprint(straight));
}

TEST(Timeline, ForkEqualsFreshRunWithTheNewInput) {
    auto s = busy_scenario();
    TimelineOptions opt;
    opt.checkpoint_every_events = 400;
    Timeline t(s, 9, {}, opt);
    t.run_until(s->duration_us);
    const std::string old_future = fingerprint(t.world());
    t.seek_time(2'200'000);
    Action part;
    part.kind = ActionKind::kPartition;
    part.groups = {{0, 1}, {2, 3, 4}};
    t.act(part);
    ASSERT_TRUE(t.forked());
    t.run_until(s->duration_us);
    ASSERT_EQ(t.world().inputs().size(), 1u);
    World fresh(s, 9, t.world().inputs());
    fresh.run_to_end();
    EXPECT_EQ(fingerprint(t.world()), fingerprint(fresh));
    EXPECT_EQ(logs_fingerprint(t.world()), logs_fingerprint(fresh));
    EXPECT_NE(fingerprint(t.world()), old_future);
    // Undo brings the old future back.
    t.undo_fork();
    t.run_until(s->duration_us);
    EXPECT_EQ(fingerprint(t.world()), old_future);
}

// Fork, scrub back before the fork point (operations running there are shown
// pending), then undo: the old timeline's logs must come back whole, also
// for operations that were pending where the cursor stood.
TEST(Timeline, UndoAfterScrubbingBehindTheForkKeepsTheLogsWhole) {
    BothRuns r(9, 400);
    const auto& s = r.s;
    const World& straight = r.straight;
    Timeline& t = r.t;
    t.seek_time(3'100'000);
    Action part;
    part.kind = ActionKind::kPartition;
    part.groups = {{0, 1}, {2, 3, 4}};
    t.act(part);
    t.run_until(4'000'000);
    t.seek_time(2'150'000);
    t.undo_fork();
    t.run_until(s->duration_us);
    EXPECT_EQ(fingerprint(t.world()), fingerprint(straight));
    EXPECT_EQ(logs_fingerprint(t.world()), logs_fingerprint(straight));
}

// Neighbouring checkpoints share the log chunks they encode alike. Each
// checkpoint must still restore exactly its own moment, its self-contained
// form (what a saved run stores) must equal a fresh pack of a straight run
// at that event, and checkpoint_bytes must count a shared chunk once, also
// after thinning has dropped every other checkpoint.
TEST(Timeline, NeighbouringCheckpointsShareLogChunksAndRestoreExactly) {
    auto s = busy_scenario();
    s->cluster.snapshot_threshold = 400;  // logs long enough for whole chunks
    s->workload.rate_per_s = 200;
    TimelineOptions o;
    o.checkpoint_every_events = 300;
    o.checkpoint_bytes_max = 256u << 10;  // thins a few times over the run
    Timeline t(s, 3, {}, o);
    t.run_until(s->duration_us);
    const std::vector<Timeline::Checkpoint>& cps = t.checkpoints();
    ASSERT_GT(cps.size(), 10u);
    // Thinned: fewer checkpoints than one every 300 events.
    ASSERT_LT(cps.size(), static_cast<size_t>(t.events() / 300 / 2));

    size_t shared = 0;
    std::set<const std::string*> distinct;
    std::set<const std::string*> blocks;
    size_t expected_bytes = 0;
    for (size_t i = 0; i < cps.size(); i++) {
        expected_bytes += cps[i].bytes;
        if (blocks.insert(cps[i].snapshots.get()).second)
            expected_bytes += cps[i].snapshots->capacity();
        for (const auto& chunk : cps[i].chunks) {
            if (distinct.insert(chunk.get()).second) {
                expected_bytes += 48 + (chunk->capacity() > 15 ? chunk->capacity() + 1 : 0);
            }
            if (i > 0) {
                const auto& before = cps[i - 1].chunks;
                shared += std::count(before.begin(), before.end(), chunk) > 0;
            }
        }
    }
    EXPECT_GT(shared, cps.size()) << "neighbours shared no chunks: the test proves nothing";
    EXPECT_EQ(t.checkpoint_bytes(), expected_bytes);

    World straight(s, 3);
    for (const Timeline::Checkpoint& c : cps) {
        while (straight.events() < c.state.events)
            ASSERT_TRUE(straight.step(s->duration_us));
        const Timeline::Checkpoint flat = Timeline::self_contained(c);
        EXPECT_TRUE(flat.chunks.empty());
        const Timeline::Checkpoint fresh = Timeline::pack(straight.state_for_checkpoint(), nullptr);
        EXPECT_EQ(flat.logs, fresh.logs) << "at event " << c.state.events;
        WorldState restored;
        std::string error;
        ASSERT_TRUE(Timeline::unpack_checked(c, &restored, &error)) << error;
        ASSERT_EQ(restored.nodes.size(), straight.nodes().size());
        for (size_t n = 0; n < restored.nodes.size(); n++) {
            EXPECT_EQ(restored.nodes[n].node.log().entries(),
                      straight.nodes()[n].node.log().entries());
            EXPECT_EQ(restored.nodes[n].disk.durable.log.size(),
                      straight.nodes()[n].disk.durable.log.size());
            EXPECT_EQ(restored.nodes[n].node.kv().hash(), straight.nodes()[n].node.kv().hash());
        }
    }
}

}  // namespace
}  // namespace sim
