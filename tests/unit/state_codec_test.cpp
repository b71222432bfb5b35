// tests/unit/state_codec_test.cpp — the key-value store's chunked layout and
// the checkpoint encodings of entries and snapshots, against plain reference
// models.
#include <gtest/gtest.h>

#include <map>

#include "base/rng.h"
#include "raft/entry_codec.h"
#include "raft/kv.h"

namespace raft {
namespace {

Command put(const std::string& k, const std::string& v) {
    Command c;
    c.op = OpType::kPut;
    c.key = k;
    c.value = v;
    return c;
}

Command del(const std::string& k) {
    Command c;
    c.op = OpType::kDelete;
    c.key = k;
    return c;
}

std::map<std::string, std::string> contents(const KvStore& kv) {
    std::map<std::string, std::string> m;
    std::string last;
    for (const auto& [k, v] : kv.data()) {
        EXPECT_TRUE(m.empty() || last < k) << "iteration out of key order at " << k;
        last = k;
        m.emplace(k, v.str());
    }
    return m;
}

// Thousands of random puts and deletes over enough keys to split chunks and
// grow the hash index many times; the store must agree with std::map at every
// step, by iteration and by lookup. The keys mix short
// ones, long ones that share their first eight bytes (the store compares
// those in full), an embedded NUL and bytes above 0x7f (ordered unsigned).
TEST(KvStore, ChunkedStoreAgreesWithAMap) {
    base::Rng rng(11);
    KvStore kv;
    std::map<std::string, std::string> ref;
    const std::string shapes[] = {"k", "shared-prefix/", std::string("k\0", 2), "\xff\x80"};
    for (int i = 0; i < 20000; i++) {
        const std::string k = shapes[rng.below(4)] + std::to_string(rng.range(0, 999));
        if (rng.range(0, 3) == 0) {
            const CommandResult r = kv.apply(del(k), i + 1);
            EXPECT_EQ(r.found, ref.erase(k) == 1);
        } else {
            const std::string v = "v" + std::to_string(i);
            kv.apply(put(k, v), i + 1);
            ref[k] = v;
        }
        if (i % 997 == 0) {
            ASSERT_EQ(contents(kv), ref) << "after " << i << " operations";
            // The running hash (kept per pair through overwrites and deletes)
            // equals one computed afresh from the content.
            KvStore fresh;
            fresh.restore(kv.to_snapshot(1, 1));
            ASSERT_EQ(fresh.hash(), kv.hash()) << "after " << i << " operations";
            // Lookups go through the hash index, not the ordered chunks:
            // every key is found after the deletes that shifted its probe run.
            for (const auto& [rk, rv] : ref) {
                const CommandResult r = kv.read(rk);
                ASSERT_TRUE(r.found) << rk << " after " << i << " operations";
                ASSERT_EQ(r.value.str(), rv) << rk;
            }
        }
    }
    EXPECT_EQ(kv.key_count(), ref.size());
    EXPECT_EQ(contents(kv), ref);
    for (const auto& [k, v] : ref) {
        ASSERT_TRUE(kv.read(k).found) << k;
        EXPECT_EQ(kv.read(k).value.str(), v);
    }
    EXPECT_FALSE(kv.read("absent").found);
}

// Equality and the hash are about content: a store restored from a snapshot
// (different chunk boundaries) equals the store that made it.
TEST(KvStore, RestoredStoreEqualsTheOriginal) {
    KvStore kv;
    for (int i = 0; i < 500; i++)
        kv.apply(put("k" + std::to_string(i * 7919 % 1000), std::to_string(i)), i + 1);
    KvStore copy;
    copy.restore(kv.to_snapshot(5, 1));
    EXPECT_EQ(copy.hash(), kv.hash());
    EXPECT_EQ(copy.key_count(), kv.key_count());
    EXPECT_TRUE(copy == kv);
    copy.apply(put("k1", "changed"), 501);
    EXPECT_FALSE(copy == kv);
    EXPECT_NE(copy.hash(), kv.hash());
}

Snapshot snapshot_of(const std::map<std::string, std::string>& m, Index index) {
    Snapshot s;
    s.last_included_index = index;
    s.last_included_term = 3;
    s.membership = Membership{0b01111, 0b00111, 0b10000, true};  // a joint one, with a learner
    for (const auto& [k, v] : m) {
        s.kv.emplace_back(k, Blob(v));
        s.kv_meta.push_back(
            KeyMeta{static_cast<int64_t>(v.size() % 5 + 1), static_cast<Index>(v.size())});
    }
    Session session;
    session.last_seq = index;
    session.last_result.value = "r";
    s.sessions.emplace_back(7, session);
    return s;
}

// A snapshot stored as a difference from another decodes to itself, for
// changed, added and removed keys at both ends of the key range; and the
// difference is much smaller than the whole.
TEST(EntryCodec, SnapshotDifferenceRoundTrips) {
    std::map<std::string, std::string> a, b;
    for (int i = 100; i < 900; i++)
        a["k" + std::to_string(i)] = "value-" + std::to_string(i);
    b = a;
    b.erase("k100");         // first key gone
    b.erase("k899");         // last key gone
    b["k0"] = "new first";   // before every key of a
    b["k999"] = "new last";  // after every key of a
    b["k500"] = "changed";   // changed in the middle
    b.erase("k501");         // removed in the middle
    const Snapshot base = snapshot_of(a, 10), target = snapshot_of(b, 20);
    std::string whole, diff;
    encode_snapshot(base, nullptr, &whole);
    encode_snapshot(target, &base, &diff);
    EXPECT_LT(diff.size() * 20, whole.size());
    size_t pos = 0;
    Snapshot decoded_base, decoded;
    ASSERT_TRUE(decode_snapshot(whole, &pos, nullptr, &decoded_base));
    EXPECT_EQ(pos, whole.size());
    EXPECT_EQ(decoded_base, base);
    pos = 0;
    ASSERT_TRUE(decode_snapshot(diff, &pos, &decoded_base, &decoded));
    EXPECT_EQ(pos, diff.size());
    EXPECT_EQ(decoded, target);
    // Truncated input is refused, never read past the end.
    for (size_t cut = 0; cut < diff.size(); cut += 3) {
        pos = 0;
        Snapshot partial;
        EXPECT_FALSE(decode_snapshot(diff.substr(0, cut), &pos, &decoded_base, &partial))
            << "cut at " << cut;
    }
}

TEST(EntryCodec, EntriesRoundTrip) {
    std::vector<Entry> entries;
    for (Index i = 5; i < 40; i++) {
        Entry e;
        e.index = i;
        e.term = i / 10;
        e.type = i % 7 == 0 ? EntryType::kNoop : EntryType::kCommand;
        e.origin = static_cast<NodeId>(i % 3) - 1;
        if (e.type == EntryType::kCommand)
            e.cmd = put("key" + std::to_string(i), std::string(i, 'x'));
        e.cmd.client_id = static_cast<int32_t>(i % 4);
        e.cmd.seq = i * 1000;
        e.seal();
        entries.push_back(e);
    }
    std::string out;
    encode_entries(entries, &out);
    size_t pos = 0;
    std::vector<Entry> back;
    ASSERT_TRUE(decode_entries(out, &pos, &back));
    EXPECT_EQ(back, entries);
    EXPECT_EQ(pos, out.size());
}

}  // namespace
}  // namespace raft
