// tests/unit/kv_version_test.cpp — per-key version and mod_revision, etcd's
// model (raft::KeyMeta): what a scripted sequence of operations leaves in
// the store, that snapshots (the checkpoint codec, InstallSnapshot) and
// restarts carry them, that the content hash ignores them, and that a get's
// history record holds them with mod_revision = the log index of the write
// that made the value.
#include <gtest/gtest.h>

#include "format/history_json.h"
#include "raft/entry_codec.h"
#include "raft/kv.h"
#include "sim/world.h"

namespace raft {
namespace {

Command op(OpType type, const std::string& key, const std::string& value = "",
           const std::string& expected = "") {
    static int64_t seq = 0;
    Command c;
    c.client_id = 1;
    c.seq = ++seq;
    c.op = type;
    c.key = key;
    c.value = value;
    c.expected = expected;
    return c;
}

KeyMeta meta(int64_t version, Index mod_revision) {
    return KeyMeta{version, mod_revision};
}

// etcd: version counts modifications since creation, mod_revision is the
// revision (here: log index) of the last one; a delete ends the key's
// history and the next put starts it again at version 1.
TEST(KvVersion, ScriptedSequence) {
    KvStore kv;
    kv.apply(op(OpType::kPut, "a", "1"), 1);
    EXPECT_EQ(kv.meta("a"), meta(1, 1));
    kv.apply(op(OpType::kPut, "b", "x"), 2);
    kv.apply(op(OpType::kPut, "a", "2"), 3);
    EXPECT_EQ(kv.meta("a"), meta(2, 3));
    kv.apply(op(OpType::kAppend, "a", "3"), 4);
    EXPECT_EQ(kv.meta("a"), meta(3, 4));
    const CommandResult get = kv.apply(op(OpType::kGet, "a"), 5);  // a read changes nothing
    EXPECT_TRUE(get.found);
    EXPECT_EQ(get.value.str(), "23");
    EXPECT_EQ(get.version, 3);
    EXPECT_EQ(get.mod_revision, 4);
    kv.apply(op(OpType::kCas, "a", "new", "wrong"), 6);  // a failed swap changes nothing
    EXPECT_EQ(kv.meta("a"), meta(3, 4));
    kv.apply(op(OpType::kCas, "a", "new", "23"), 7);
    EXPECT_EQ(kv.meta("a"), meta(4, 7));
    kv.apply(op(OpType::kDelete, "a"), 8);
    EXPECT_EQ(kv.meta("a"), meta(0, 0));
    const CommandResult gone = kv.read("a");
    EXPECT_FALSE(gone.found);
    EXPECT_EQ(gone.version, 0);
    EXPECT_EQ(gone.mod_revision, 0);
    kv.apply(op(OpType::kAppend, "a", "z"), 9);  // an append to nothing creates the key
    EXPECT_EQ(kv.meta("a"), meta(1, 9));
    EXPECT_EQ(kv.meta("b"), meta(1, 2));  // untouched by a's history

    // A duplicate (same client and seq) is answered from the session: no
    // second modification.
    Command dup = op(OpType::kPut, "b", "y");
    kv.apply(dup, 10);
    kv.apply(dup, 11);
    EXPECT_EQ(kv.meta("b"), meta(2, 10));
}

TEST(KvVersion, SnapshotsCarryTheRecordsAndTheHashIgnoresThem) {
    KvStore kv;
    for (Index i = 1; i <= 300; i++)
        kv.apply(op(OpType::kPut, "k" + std::to_string(i % 37), std::to_string(i)), i);
    kv.apply(op(OpType::kDelete, "k5"), 301);
    kv.apply(op(OpType::kPut, "k5", "again"), 302);
    Snapshot snap = kv.to_snapshot(302, 4);
    snap.membership.voters = 0b111;  // (a node adds its configuration)
    ASSERT_EQ(snap.kv_meta.size(), snap.kv.size());

    // Through the checkpoint codec, whole and as a difference.
    std::string whole;
    encode_snapshot(snap, nullptr, &whole);
    Snapshot decoded;
    size_t pos = 0;
    ASSERT_TRUE(decode_snapshot(whole, &pos, nullptr, &decoded));
    EXPECT_EQ(decoded, snap);
    KvStore restored;
    restored.restore(decoded);
    EXPECT_TRUE(restored == kv);
    EXPECT_EQ(restored.meta("k5"), meta(1, 302));
    EXPECT_EQ(restored.meta("k1"), kv.meta("k1"));
    EXPECT_EQ(restored.meta("k1").version, 9);  // k1 at i = 1, 38, ..., 297

    // A modification that leaves the value as it was still shows in the
    // difference (only the record changed).
    KvStore later = restored;
    later.apply(op(OpType::kPut, "k1", kv.read("k1").value.str()), 303);
    EXPECT_EQ(later.hash(), kv.hash());  // the content hash is the pairs' alone
    EXPECT_FALSE(later == kv);           // equality sees the record
    Snapshot next = later.to_snapshot(303, 4);
    next.membership = snap.membership;
    std::string diff;
    encode_snapshot(next, &snap, &diff);
    Snapshot decoded_next;
    pos = 0;
    ASSERT_TRUE(decode_snapshot(diff, &pos, &snap, &decoded_next));
    EXPECT_EQ(decoded_next, next);
    EXPECT_EQ(decoded_next.kv_meta, next.kv_meta);
}

}  // namespace
}  // namespace raft

namespace sim {
namespace {

Action client_step(int64_t at_us, ActionKind kind, const std::string& key,
                   const std::string& value = "") {
    Action a;
    a.at_us = at_us;
    a.kind = kind;
    a.node.sel = NodeSelector::kLeader;
    a.key = key;
    a.value = value;
    return a;
}

Action node_step(int64_t at_us, ActionKind kind, NodeSelector sel) {
    Action a;
    a.at_us = at_us;
    a.kind = kind;
    a.node.sel = sel;
    return a;
}

// Writes and reads through the leader of 3 nodes that snapshot every 5
// entries; a follower is down while 40 more writes compact the log past it,
// so it comes back by InstallSnapshot; then every node restarts from its
// disk. Gets before and after must report the same record, whose
// mod_revision is the log index where the leader appended the last write.
TEST(KvVersion, GetsReportTheRecordThroughSnapshotInstallAndRestart) {
    auto s = std::make_shared<Scenario>();
    s->cluster.node_count = 3;
    s->cluster.snapshot_threshold = 5;
    s->cluster.snapshot_catch_up_entries = 0;
    s->duration_us = 6'000'000;
    Action stress = client_step(1'700'000, ActionKind::kStress, "");
    stress.count = 40;
    s->timeline = {
        client_step(1'000'000, ActionKind::kPut, "a", "1"),
        client_step(1'100'000, ActionKind::kPut, "a", "2"),
        client_step(1'200'000, ActionKind::kAppend, "a", "3"),
        client_step(1'300'000, ActionKind::kGet, "a"),
        node_step(1'400'000, ActionKind::kKill, NodeSelector::kFollower),
        stress,
        node_step(3'000'000, ActionKind::kRestart, NodeSelector::kAll),
        client_step(3'800'000, ActionKind::kGet, "a"),
        node_step(4'000'000, ActionKind::kKill, NodeSelector::kAll),
        node_step(4'100'000, ActionKind::kRestart, NodeSelector::kAll),
        client_step(5'000'000, ActionKind::kGet, "a"),
        client_step(5'100'000, ActionKind::kGet, "missing"),
    };
    World w(s, 3);
    w.run_to_end();
    ASSERT_TRUE(w.violations().empty()) << w.violations()[0].description;
    EXPECT_GT(w.counts().by_type[static_cast<int>(raft::MsgType::kSnapshot)], 0)
        << "the follower must come back by InstallSnapshot";

    const HistoryOp* append = nullptr;
    std::vector<const HistoryOp*> gets;
    for (const HistoryOp& op : w.history()) {
        if (op.key == "a" && op.op == raft::OpType::kAppend) append = &op;
        if (op.op == raft::OpType::kGet) gets.push_back(&op);
    }
    ASSERT_NE(append, nullptr);
    ASSERT_EQ(append->status, OpStatus::kOk);
    ASSERT_GT(append->log_index, 0);
    ASSERT_EQ(gets.size(), 4u);
    for (size_t i = 0; i < 3; i++) {
        ASSERT_EQ(gets[i]->status, OpStatus::kOk) << "get " << i;
        EXPECT_EQ(gets[i]->output, "23") << "get " << i;
        EXPECT_EQ(gets[i]->version, 3) << "get " << i;
        EXPECT_EQ(gets[i]->mod_revision, append->log_index) << "get " << i;
    }
    // The history file carries them and reads them back.
    History back;
    std::string error;
    ASSERT_TRUE(parse_history_jsonl(history_to_jsonl(w.history()), &back, &error)) << error;
    ASSERT_EQ(back.size(), w.history().size());
    for (size_t i = 0; i < back.size(); i++) {
        EXPECT_EQ(back[i].version, w.history()[i].version) << i;
        EXPECT_EQ(back[i].mod_revision, w.history()[i].mod_revision) << i;
    }
    const std::string line = history_op_to_json(*gets[0]);
    EXPECT_NE(line.find("\"version\":3"), std::string::npos) << line;
    std::string negative = line;
    negative.replace(negative.find("\"version\":3"), 11, "\"version\":-3");
    EXPECT_FALSE(parse_history_jsonl(negative, &back, &error));
    EXPECT_NE(error.find("\"version\": negative"), std::string::npos) << error;

    EXPECT_EQ(gets[3]->status, OpStatus::kOk);
    EXPECT_FALSE(gets[3]->found);
    EXPECT_EQ(gets[3]->version, 0);
    EXPECT_EQ(gets[3]->mod_revision, 0);

    // Every node, the one that installed the snapshot included, holds the
    // same record after recovering from its disk.
    for (const NodeSlot& n : w.nodes()) {
        EXPECT_GT(n.node.snapshot_index(), append->log_index) << "node " << n.node.id();
        EXPECT_EQ(n.node.kv().meta("a"), (raft::KeyMeta{3, append->log_index}))
            << "node " << n.node.id();
    }
}

}  // namespace
}  // namespace sim
