// tests/unit/wire_test.cpp — the message pool against std::map, the structure
// it replaced: same lookups, same iteration order, under random churn.
#include "sim/wire.h"

#include <gtest/gtest.h>

#include <map>

#include "base/rng.h"

namespace {

void expect_same(const sim::Wire& w, const std::map<int64_t, int64_t>& ref) {
    ASSERT_EQ(w.size(), ref.size());
    auto r = ref.begin();
    for (const auto& [id, f] : w) {
        ASSERT_NE(r, ref.end());
        EXPECT_EQ(id, r->first);
        EXPECT_EQ(f.sent_us, r->second);
        ++r;
    }
    EXPECT_EQ(r, ref.end());
}

TEST(Wire, MatchesAMapUnderChurn) {
    sim::Wire w;
    std::map<int64_t, int64_t> ref;
    base::Rng rng(5);
    int64_t next = 1;
    for (int step = 0; step < 20'000; step++) {
        if (ref.empty() || rng.range(0, 99) < 52) {
            // Now and then a long-held message keeps the window wide.
            const int64_t id = next++;
            w.add(id).sent_us = id * 10;
            ref[id] = id * 10;
        } else {
            // Mostly the oldest messages leave first, as on a real wire.
            auto it = ref.begin();
            std::advance(it, rng.range(0, std::min<int64_t>(3, int64_t(ref.size()) - 1)));
            if (it->first % 97 == 0 && rng.range(0, 9) > 0) it = std::prev(ref.end());
            w.erase(it->first);
            ref.erase(it);
        }
        if (step % 997 == 0) expect_same(w, ref);
        const int64_t probe = rng.range(0, next);
        const sim::InFlight* f = w.find(probe);
        ASSERT_EQ(f != nullptr, ref.count(probe) == 1) << "id " << probe;
        if (f != nullptr) EXPECT_EQ(f->sent_us, ref[probe]);
    }
    expect_same(w, ref);
}

TEST(Wire, ErasingTwiceOrUnknownIdsIsHarmless) {
    sim::Wire w;
    w.add(3).sent_us = 1;
    w.add(4).sent_us = 2;
    w.erase(3);
    w.erase(3);
    w.erase(99);
    w.erase(-5);
    EXPECT_EQ(w.size(), 1u);
    EXPECT_EQ(w.find(3), nullptr);
    ASSERT_NE(w.find(4), nullptr);
    EXPECT_EQ(w.find(4)->sent_us, 2);
    w.erase(4);
    EXPECT_TRUE(w.empty());
    EXPECT_EQ(w.begin(), w.end());
    w.add(10).sent_us = 7;  // an empty wire restarts its window anywhere
    EXPECT_EQ((*w.begin()).first, 10);
}

}  // namespace
