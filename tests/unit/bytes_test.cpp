// tests/unit/bytes_test.cpp — message and disk sizes in the defined encoding
// (raft/wire_bytes.h, docs/cli.md#bytes): exact sizes of a few
// messages worked out by hand from the docs' table, the world's counters
// agreeing with its trace, and ports of MIT 6.5840's byte bounds:
// TestRPCBytes3B (bytes sent to replicate commands stay near servers x the
// commands' bytes) and the MAXLOGSIZE checks of the 2D snapshot tests (the
// Raft state on disk stays bounded when snapshots compact the log). Each
// bound is shown to fail on a run that breaks it.
#include <gtest/gtest.h>

#include <algorithm>

#include "raft/wire_bytes.h"
#include "sim/world.h"

namespace sim {
namespace {

raft::Command command(const std::string& key, const std::string& value) {
    raft::Command c;
    c.client_id = 3;
    c.seq = 9;
    c.op = raft::OpType::kPut;
    c.key = key;
    c.value = value;
    return c;
}

// ===========================================================================
// the encoding
// ===========================================================================

TEST(WireBytes, SizesFollowTheDocumentedTable) {
    raft::Message vote;
    vote.type = raft::MsgType::kVote;
    EXPECT_EQ(raft::wire_bytes(vote), 24 + 16);  // header + last log index and term
    vote.type = raft::MsgType::kVoteResp;
    EXPECT_EQ(raft::wire_bytes(vote), 24 + 20);

    raft::Message heartbeat;
    heartbeat.type = raft::MsgType::kAppend;
    EXPECT_EQ(raft::wire_bytes(heartbeat), 24 + 36);

    // One no-op (21) and one put of key "k", value of 5000 bytes: 21 + 25 + 1 + 5000.
    raft::Message append = heartbeat;
    raft::Entry noop;
    noop.type = raft::EntryType::kNoop;
    raft::Entry put;
    put.type = raft::EntryType::kCommand;
    put.cmd = command("k", std::string(5000, 'x'));
    append.entries = {noop, put};
    EXPECT_EQ(raft::wire_bytes(append), 24 + 36 + 21 + (21 + 25 + 1 + 5000));

    raft::Message resp;
    resp.type = raft::MsgType::kAppendResp;
    EXPECT_EQ(raft::wire_bytes(resp), 24 + 48);

    raft::Message req;
    req.type = raft::MsgType::kClientReq;
    req.cmd = command("key", "value");
    req.cmd.expected = "old";
    EXPECT_EQ(raft::wire_bytes(req), 24 + 8 + 25 + 3 + 5 + 3);
    req.type = raft::MsgType::kProp;
    EXPECT_EQ(raft::wire_bytes(req), 24 + 8 + 25 + 3 + 5 + 3);

    raft::Message reply;
    reply.type = raft::MsgType::kClientResp;
    reply.cmd = req.cmd;  // not sent back: the reply names the operation by (client, seq)
    reply.result.found = true;
    reply.result.value = "abc";
    EXPECT_EQ(raft::wire_bytes(reply), 24 + 12 + 22 + 3);

    // Two pairs and one session whose last result holds "v".
    auto snap = std::make_shared<raft::Snapshot>();
    snap->kv = {{"a", raft::Blob("12")}, {"bb", raft::Blob("")}};
    raft::Session s;
    s.last_result.value = "v";
    snap->sessions = {{3, s}};
    raft::Message install;
    install.type = raft::MsgType::kSnapshot;
    install.snapshot = snap;
    // Header with the configuration, two pairs, one session.
    const int64_t snapshot_bytes = 24 + 13 + (24 + 1 + 2) + (24 + 2 + 0) + (12 + 22 + 1);
    EXPECT_EQ(raft::snapshot_wire_bytes(*snap), snapshot_bytes);
    EXPECT_EQ(raft::wire_bytes(install), 24 + snapshot_bytes);
}

TEST(WireBytes, DiskHoldsHardStateEntriesWithChecksumsAndTheSnapshot) {
    DurableState d;
    EXPECT_EQ(d.persisted_bytes(), 12);
    EXPECT_EQ(d.snapshot_bytes(), 0);
    raft::Entry e;
    e.term = 1;
    e.index = 1;
    e.type = raft::EntryType::kCommand;
    e.cmd = command("k1", "abcd");
    e.seal();
    d.write_entry(e);
    EXPECT_EQ(d.persisted_bytes(), 12 + (21 + 25 + 2 + 4) + 8);
    auto snap = std::make_shared<raft::Snapshot>();
    snap->last_included_index = 1;
    snap->last_included_term = 1;
    snap->kv = {{"k1", raft::Blob("abcd")}};
    d.write_snapshot(snap);
    EXPECT_EQ(d.persisted_bytes(), 12);  // the snapshot covers the entry
    EXPECT_EQ(d.snapshot_bytes(), 24 + 13 + 24 + 2 + 4);
}

// ===========================================================================
// the world's counters
// ===========================================================================

std::shared_ptr<Scenario> busy(int nodes) {
    auto s = std::make_shared<Scenario>();
    s->cluster.node_count = nodes;
    s->cluster.snapshot_threshold = 30;
    s->duration_us = 3'000'000;
    s->workload.clients = 3;
    s->workload.rate_per_s = 150;
    s->workload.keys = 20;
    s->network.duplicate_ppm = 50'000;
    Action kill;
    kill.at_us = 1'000'000;
    kill.kind = ActionKind::kKill;
    kill.node.sel = NodeSelector::kFollower;
    Action restart = kill;
    restart.at_us = 2'000'000;
    restart.kind = ActionKind::kRestart;
    restart.node.sel = NodeSelector::kAll;
    s->timeline = {kill, restart};
    return s;
}

TEST(WireBytes, CountersAddUpAndAgreeWithTheTrace) {
    World w(busy(5), 4);
    w.run_to_end();
    const MessageCounts& c = w.counts();
    int64_t traced = 0, sends = 0;
    for (const TraceRecord& r : w.trace()) {
        if (r.kind != TraceKind::kSend) continue;
        EXPECT_GE(r.bytes, raft::kWireHeaderBytes);
        traced += r.bytes;
        sends++;
    }
    EXPECT_EQ(sends, c.sent);
    EXPECT_EQ(traced, c.bytes);
    int64_t by_type = 0, by_sender = c.bytes_from_clients;
    for (int64_t b : c.bytes_by_type)
        by_type += b;
    for (int64_t b : c.bytes_by_node)
        by_sender += b;
    EXPECT_EQ(by_type, c.bytes);
    EXPECT_EQ(by_sender, c.bytes);
    EXPECT_GT(c.bytes_by_type[static_cast<int>(raft::MsgType::kAppend)],
              c.bytes_by_type[static_cast<int>(raft::MsgType::kAppendResp)]);
    EXPECT_GT(c.bytes_from_clients, 0);
}

TEST(WireBytes, CountingChangesNoDigest) {
    // The sizes are computed from messages and never reach the digest; a
    // world that records no trace has the same digest and the same counts.
    World a(busy(3), 9), b(busy(3), 9);
    b.record_trace = false;
    a.run_to_end();
    b.run_to_end();
    EXPECT_EQ(a.digest_hex(), b.digest_hex());
    EXPECT_EQ(a.counts().bytes, b.counts().bytes);
}

// ===========================================================================
// MIT 6.5840 TestRPCBytes3B
// ===========================================================================

// "check that each command is sent to each peer just once": 10 commands of
// 5000 bytes, one after the other, through the leader of 3 servers; the bytes
// every node and client sent while they commit may exceed servers x the
// commands' bytes by at most 50000 (the test's own allowance).
struct RpcBytes {
    int64_t got = 0, expected = 0;
    int ok = 0;
};

RpcBytes rpc_bytes(int64_t duplicate_ppm) {
    constexpr int kServers = 3, kCommands = 10;
    constexpr int64_t kStartUs = 1'000'000, kEveryUs = 200'000;
    auto s = std::make_shared<Scenario>();
    s->cluster.node_count = kServers;
    s->duration_us = kStartUs + (kCommands + 1) * kEveryUs;
    s->network.duplicate_ppm = duplicate_ppm;
    RpcBytes r;
    for (int i = 0; i < kCommands; i++) {
        Action put;
        put.at_us = kStartUs + i * kEveryUs;
        put.kind = ActionKind::kPut;
        put.node.sel = NodeSelector::kLeader;
        put.key = "k" + std::to_string(i);
        put.value = std::string(5000, static_cast<char>('a' + i));
        r.expected += kServers * static_cast<int64_t>(put.value.size());
        s->timeline.push_back(put);
    }
    World w(s, 1);
    w.run_until(kStartUs - 1);
    EXPECT_NE(w.leader(), raft::kNone) << "no leader before the commands";
    const int64_t bytes0 = w.counts().bytes;
    w.run_to_end();
    r.got = w.counts().bytes - bytes0;
    for (const HistoryOp& op : w.history())
        r.ok += op.status == OpStatus::kOk;
    return r;
}

TEST(WireBytes, MitRpcBytesEachCommandReachesEachPeerOnce) {
    const RpcBytes r = rpc_bytes(0);
    EXPECT_EQ(r.ok, 10);
    EXPECT_LE(r.got, r.expected + 50'000) << "bytes sent " << r.got;
    EXPECT_GE(r.got, r.expected) << "the commands' own bytes must be counted";
}

TEST(WireBytes, MitRpcBytesBoundFailsWhenEveryMessageTravelsTwice) {
    // A network that duplicates every message carries each append twice:
    // the bound must see it.
    const RpcBytes r = rpc_bytes(1'000'000);
    EXPECT_EQ(r.ok, 10);
    EXPECT_GT(r.got, r.expected + 50'000) << "bytes sent " << r.got;
}

// ===========================================================================
// MIT 6.5840 MAXLOGSIZE (2D snapshot tests)
// ===========================================================================

// Steady writes of 100-byte values with a snapshot every 20 applied entries
// (etcd's catch-up window keeps 5 more): at every event, no node's Raft state
// on disk (hard state + log) exceeds what 2 x (20 + 5) of the largest entry
// take, as MIT's tests allow 2 x MAXLOGSIZE. A follower is down for a while
// and comes back by snapshot. Returns the largest state seen.
struct LogSize {
    int64_t max_persisted = 0, bound = 0, max_snapshot = 0, snapshot_bound = 0;
};

LogSize log_size(int64_t snapshot_threshold) {
    auto s = std::make_shared<Scenario>();
    s->cluster.node_count = 3;
    s->cluster.snapshot_threshold = snapshot_threshold;
    s->cluster.snapshot_catch_up_entries = 5;
    s->duration_us = 4'000'000;
    s->workload.clients = 3;
    s->workload.rate_per_s = 200;
    s->workload.keys = 10;  // k0000..k0009
    s->workload.value_bytes = 100;
    s->workload.put_ppm = 1'000'000;
    s->workload.get_ppm = s->workload.delete_ppm = s->workload.cas_ppm = 0;
    Action kill;
    kill.at_us = 1'000'000;
    kill.kind = ActionKind::kKill;
    kill.node.sel = NodeSelector::kId;
    kill.node.id = 2;
    Action restart = kill;
    restart.at_us = 2'500'000;
    restart.kind = ActionKind::kRestart;
    s->timeline = {kill, restart};
    // A put entry: header, command, key of 5, value of 100, and its checksum.
    const int64_t entry_max = 21 + 25 + 5 + 100 + 8;
    LogSize r;
    r.bound = raft::kHardStateBytes + 2 * (20 + 5) * entry_max;
    // The store's pairs plus each client's session, whose last result holds
    // no value for a put.
    r.snapshot_bound = 24 + 13 + 10 * (24 + 5 + 100) + 3 * (12 + 22);
    World w(s, 2);
    while (w.step(s->duration_us)) {
        for (const NodeSlot& n : w.nodes()) {
            r.max_persisted = std::max(r.max_persisted, n.disk.durable.persisted_bytes());
            r.max_snapshot = std::max(r.max_snapshot, n.disk.durable.snapshot_bytes());
        }
    }
    EXPECT_TRUE(w.violations().empty());
    EXPECT_GT(w.nodes()[0].node.commit_index(), 250);
    return r;
}

TEST(WireBytes, MitMaxLogSizeSnapshotsBoundTheRaftState) {
    const LogSize r = log_size(20);
    EXPECT_LE(r.max_persisted, r.bound);
    EXPECT_GT(r.max_snapshot, 0);
    EXPECT_LE(r.max_snapshot, r.snapshot_bound);
}

TEST(WireBytes, MitMaxLogSizeBoundFailsWithoutSnapshots) {
    const LogSize r = log_size(0);  // never compact
    EXPECT_GT(r.max_persisted, r.bound);
    EXPECT_EQ(r.max_snapshot, 0);
}

}  // namespace
}  // namespace sim
