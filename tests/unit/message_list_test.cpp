// tests/unit/message_list_test.cpp — issue 19: the pieces that hand messages
// to the wire without constructing, moving or destroying them per send:
// Message::reset (a reused message is a default one), Message::take_from (a
// message becomes another, the owning fields swapped), and raft::MessageList
// (a Ready's list that keeps its messages across clear()).
#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "raft/types.h"

namespace raft {
namespace {

// A message with every field away from its default. A field added to
// Message, MessageHead, Command or CommandResult belongs here too (and in
// Message::reset and take_from): reset() is checked against it.
Message full_message(int salt) {
    Message m;
    m.type = MsgType::kClientResp;
    m.reject = true;
    m.force = true;
    m.retryable_error = true;
    m.refusal = Refusal::kLogMismatch;
    m.from = 1 + salt;
    m.to = 2 + salt;
    m.origin = 3 + salt;
    m.hops = 4 + salt;
    m.voted_for = 5 + salt;
    m.round = 6 + salt;
    m.term = 7 + salt;
    m.last_log_index = 8 + salt;
    m.last_log_term = 9 + salt;
    m.prev_log_index = 10 + salt;
    m.prev_log_term = 11 + salt;
    m.commit = 12 + salt;
    m.hint_index = 13 + salt;
    m.hint_term = 14 + salt;
    m.match_index = 15 + salt;
    m.match_term = 16 + salt;
    m.read_ctx = 17 + salt;
    m.error = "an error";
    Entry e;
    e.term = 1;
    e.index = 1;
    e.type = EntryType::kCommand;
    e.cmd.key = "k";
    e.seal();
    m.entries.assign(3 + static_cast<size_t>(salt), e);
    // One snapshot object per salt: messages compare their snapshots by pointer.
    static std::map<int, SnapshotPtr> snaps;
    SnapshotPtr& snap = snaps[salt];
    if (!snap) {
        auto s = std::make_shared<Snapshot>();
        s->last_included_index = 5 + salt;
        snap = std::move(s);
    }
    m.snapshot = snap;
    m.cmd.client_id = 18 + salt;
    m.cmd.seq = 19 + salt;
    m.cmd.op = OpType::kCas;
    m.cmd.key = "a key longer than the short-string buffer " + std::to_string(salt);
    m.cmd.value = "value" + std::to_string(salt);
    m.cmd.expected = "expected" + std::to_string(salt);
    m.result.ok = false;
    m.result.found = true;
    m.result.value = "result" + std::to_string(salt);
    m.result.version = 20 + salt;
    m.result.mod_revision = 21 + salt;
    return m;
}

TEST(Message, FullMessageSetsEveryField) {
    // The fixture itself: no field left at its default (else reset() could
    // forget it unnoticed). Fields compared one by one through the heads and
    // the owning parts.
    const Message d;
    const Message f = full_message(0);
    EXPECT_NE(static_cast<const MessageHead&>(f), static_cast<const MessageHead&>(d));
    EXPECT_NE(f.entries, d.entries);
    EXPECT_NE(f.snapshot, d.snapshot);
    EXPECT_NE(f.cmd.client_id, d.cmd.client_id);
    EXPECT_NE(f.cmd.seq, d.cmd.seq);
    EXPECT_NE(f.cmd.op, d.cmd.op);
    EXPECT_NE(f.cmd.key, d.cmd.key);
    EXPECT_NE(f.cmd.value, d.cmd.value);
    EXPECT_NE(f.cmd.expected, d.cmd.expected);
    EXPECT_NE(f.result.ok, d.result.ok);
    EXPECT_NE(f.result.found, d.result.found);
    EXPECT_NE(f.result.value, d.result.value);
    EXPECT_NE(f.result.version, d.result.version);
    EXPECT_NE(f.result.mod_revision, d.result.mod_revision);
}

TEST(Message, ResetGivesADefaultMessageAndKeepsTheEntriesCapacity) {
    Message m = full_message(0);
    const size_t capacity = m.entries.capacity();
    m.reset();
    EXPECT_EQ(m, Message());
    EXPECT_EQ(m.entries.capacity(), capacity);
}

TEST(Message, TakeFromSwapsTheStorage) {
    Message slot = full_message(1);  // a wire slot's old message
    Message m = full_message(2);
    const Message expected = m;
    const Entry* entries = m.entries.data();
    slot.take_from(m);
    EXPECT_EQ(slot, expected);
    EXPECT_EQ(slot.entries.data(), entries);  // moved, not copied
    // m holds the slot's old owning fields; reset makes it a default message.
    EXPECT_EQ(m.cmd.key, full_message(1).cmd.key);
    EXPECT_EQ(m.entries.size(), full_message(1).entries.size());
    m.reset();
    EXPECT_EQ(m, Message());
}

TEST(MessageList, ClearKeepsMessagesForReuseAndReusedOnesAreDefault) {
    MessageList l;
    EXPECT_TRUE(l.empty());
    l.push_back(full_message(0));
    Message& b = l.emplace_back();
    b.term = 9;
    ASSERT_EQ(l.size(), 2u);
    EXPECT_EQ(l[0], full_message(0));
    EXPECT_EQ(l.back().term, 9);
    l.clear();
    EXPECT_TRUE(l.empty());
    EXPECT_EQ(l.begin(), l.end());
    // The first message is reused: a default one, whatever it held.
    EXPECT_EQ(l.emplace_back(), Message());
    l.push_back(full_message(3));  // reuses the second
    ASSERT_EQ(l.size(), 2u);
    EXPECT_EQ(l[1], full_message(3));
    size_t n = 0;
    for (const Message& m : l) {
        (void)m;
        n++;
    }
    EXPECT_EQ(n, 2u);
}

TEST(MessageList, CopiesHoldTheListAndMovesEmptyTheSource) {
    MessageList l;
    l.push_back(full_message(0));
    l.push_back(full_message(1));
    l.clear();
    l.push_back(full_message(2));
    const MessageList c = l;  // the list: one message, not the two kept
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0], full_message(2));
    MessageList m = std::move(l);
    EXPECT_EQ(m.size(), 1u);
    EXPECT_TRUE(l.empty());  // NOLINT(bugprone-use-after-move): the moved-from list is empty
    l.push_back(full_message(4));
    EXPECT_EQ(l.size(), 1u);
    MessageList s;
    s.swap(m);
    EXPECT_EQ(s.size(), 1u);
    EXPECT_TRUE(m.empty());  // NOLINT(bugprone-use-after-move)
}

}  // namespace
}  // namespace raft
