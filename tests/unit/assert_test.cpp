// tests/unit/assert_test.cpp — base/assert.h aborts with what it promises to
// print, and Node's invariant sweep (raft/node_invariants.cpp) is on in this
// suite and catches a node whose state breaks a rule.
#include "base/assert.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <vector>

#include "raft/node.h"

namespace {

void describe_run(const void* arg) {
    std::fprintf(stderr, "seed %d: reproduce with raftplay run x --seed %d\n",
                 *static_cast<const int*>(arg), *static_cast<const int*>(arg));
}

void fail_inside_a_run(int seed) {
    const base::AssertContext run(describe_run, &seed);
    const int match_index = 7;
    const int next_index = 3;
    ASSERT_CMP(match_index, <, next_index);
}

TEST(AssertDeathTest, CmpPrintsBothOperandsAndTheInnermostContext) {
    EXPECT_DEATH(
        fail_inside_a_run(42),
        "assertion failed: match_index < next_index(.|\n)*with 7 and 3(.|\n)*seed 42: reproduce "
        "with raftplay run x --seed 42");
}

TEST(AssertDeathTest, MessageNamesTheRule) {
    EXPECT_DEATH(ASSERT_MSG(1 + 1 == 3, "arithmetic holds"), "1 \\+ 1 == 3(.|\n)*arithmetic holds");
}

TEST(Assert, InvariantChecksAreOnInTheTestSuite) {
    EXPECT_TRUE(base::invariant_checks());
}

raft::Node follower_with_log(int entries) {
    raft::Config c;
    c.node_count = 3;
    raft::Node n(1, c, 7);
    std::vector<raft::Entry> log;
    for (int i = 1; i <= entries; i++) {
        raft::Entry e;
        e.index = i;
        e.term = 1;
        e.seal();
        log.push_back(e);
    }
    n.restore(raft::HardState{1, raft::kNone}, nullptr, log);
    n.start();
    return n;
}

// A node whose log holds an entry from a term it has not reached breaks
// "last_term <= current_term"; the sweep after its next input says so.
TEST(AssertDeathTest, InvariantSweepCatchesALogAheadOfTheTerm) {
    raft::Node n = follower_with_log(3);
    raft::Node::Image im = n.take_image();
    im.log.back().term = 5;
    n.put_image(std::move(im));
    EXPECT_DEATH(n.on_heartbeat_timeout(),
                 "the log's last term <= current_term(.|\n)*with 5 and 1");
}

TEST(AssertDeathTest, SteppingANodeWhoseStateIsInAnImageAborts) {
    raft::Node n = follower_with_log(2);
    raft::Node::Image im = n.take_image();
    EXPECT_DEATH(n.on_election_timeout(), "stepped while its state was out");
    n.put_image(std::move(im));
}

}  // namespace
