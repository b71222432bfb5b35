// tests/unit/event_queue_test.cpp — sim::EventQueue against a plain ordered set.
#include "sim/event_queue.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "base/rng.h"

namespace sim {
namespace {

// Random pushes and pops shaped like a run's (mostly a few ms ahead, some far
// ahead, some at "now", ties in time) plus idle gaps that empty the queue and
// jumps far beyond the ring: the queue must pop exactly the order of
// (time, seq), with each event's payload intact.
TEST(EventQueue, PopsInTimeThenSequenceOrderLikeAnOrderedSet) {
    for (uint64_t seed = 1; seed <= 20; seed++) {
        base::Rng rng(seed);
        EventQueue q;
        std::set<std::pair<int64_t, uint64_t>> model;
        uint64_t seq = 0;
        int64_t now = 0;
        int popped = 0;
        for (int op = 0; op < 20'000; op++) {
            const int64_t r = rng.range(0, 99);
            if (r < 52 || model.empty()) {
                int64_t t = now;
                const int64_t shape = rng.range(0, 9);
                if (shape < 6) {
                    t += rng.range(0, 12'000);  // inside the ring, mostly
                } else if (shape < 8) {
                    t += rng.range(12'000, 400'000);  // beyond it
                } else if (shape < 9) {
                    t += rng.range(0, 3);  // ties and "now"
                } else {
                    t += rng.range(1'000'000, 50'000'000);  // a long idle jump
                }
                Event e;
                e.t_us = t;
                e.seq = seq++;
                e.arg = static_cast<int64_t>(e.seq) * 7;
                e.kind = static_cast<EventKind>(e.seq % 7);
                e.node = static_cast<int32_t>(e.seq % 5);
                q.push(e);
                model.emplace(t, e.seq);
            } else {
                ASSERT_EQ(q.top_time(), model.begin()->first) << "seed " << seed << " op " << op;
                const Event e = q.pop();
                ASSERT_EQ(e.t_us, model.begin()->first) << "seed " << seed << " op " << op;
                ASSERT_EQ(e.seq, model.begin()->second) << "seed " << seed << " op " << op;
                EXPECT_EQ(e.arg, static_cast<int64_t>(e.seq) * 7);
                EXPECT_EQ(e.kind, static_cast<EventKind>(e.seq % 7));
                EXPECT_EQ(e.node, static_cast<int32_t>(e.seq % 5));
                model.erase(model.begin());
                now = e.t_us;
                popped++;
            }
            ASSERT_EQ(q.size(), model.size());
            ASSERT_EQ(q.empty(), model.empty());
        }
        while (!model.empty()) {
            const Event e = q.pop();
            ASSERT_EQ(std::make_pair(e.t_us, e.seq), *model.begin()) << "seed " << seed;
            model.erase(model.begin());
        }
        EXPECT_TRUE(q.empty());
        EXPECT_GT(popped, 5'000);
    }
}

// A copy (a checkpoint) continues exactly like the original.
TEST(EventQueue, ACopyPopsTheSameSequence) {
    base::Rng rng(3);
    EventQueue q;
    for (uint64_t s = 0; s < 500; s++) {
        Event e;
        e.t_us = rng.range(0, 100'000);
        e.seq = s;
        q.push(e);
    }
    for (int i = 0; i < 100; i++)
        q.pop();
    EventQueue c = q;
    while (!q.empty()) {
        ASSERT_FALSE(c.empty());
        const Event a = q.pop(), b = c.pop();
        ASSERT_EQ(a.t_us, b.t_us);
        ASSERT_EQ(a.seq, b.seq);
    }
    EXPECT_TRUE(c.empty());
}

}  // namespace
}  // namespace sim
