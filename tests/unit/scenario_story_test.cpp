// tests/unit/scenario_story_test.cpp — the built-in scenarios tell the story
// their descriptions promise, at several seeds: etcd-play's follower-, leader-
// and all-nodes-failure demonstrations, a partitioned leader losing its
// uncommitted entries, check-quorum, pre-vote, and the paper's Figures 7
// and 8 converging safely.
//
// Each test runs the world to the moments that matter (run_until) and looks
// at node state there; every run must also finish without a safety
// violation and with a linearizable history.
#include <gtest/gtest.h>

#include <set>

#include "check/fuzz.h"
#include "check/linearizability.h"
#include "format/scenario_json.h"
#include "raft/kv.h"
#include "sim/world.h"

namespace sim {
namespace {

constexpr uint64_t kSeeds[] = {1, 2, 3, 4, 5};

std::shared_ptr<const Scenario> builtin(const std::string& name,
                                        const std::vector<std::string>& sets = {}) {
    auto s = std::make_shared<Scenario>();
    std::string err;
    const std::string path = std::string(RAFTPLAY_SOURCE_DIR) + "/scenarios/" + name + ".json";
    EXPECT_TRUE(load_scenario_file(path, sets, s.get(), &err)) << err;
    return s;
}

const NodeSlot& slot(const World& w, raft::NodeId id) {
    return w.nodes()[static_cast<size_t>(id)];
}

int alive_count(const World& w) {
    int n = 0;
    for (const NodeSlot& s : w.nodes())
        n += s.alive ? 1 : 0;
    return n;
}

// Safety, linearizability and (when the scenario expects it) convergence.
void expect_clean_end(World& w, uint64_t seed) {
    w.run_to_end();
    ASSERT_TRUE(w.violations().empty())
        << w.scenario().name << " seed " << seed << ": " << w.violations()[0].check << ": "
        << w.violations()[0].description << " (raftplay run " << w.scenario().name << " --seed "
        << seed << ")";
    const LinResult lin = check_linearizable(w.history(), 5'000'000);
    EXPECT_NE(lin.verdict, LinResult::kViolation) << "seed " << seed << ": " << lin.explanation;
    std::string why;
    EXPECT_TRUE(!w.scenario().expect_converged || converged(w, &why))
        << w.scenario().name << " seed " << seed << ": " << why;
}

void expect_all_equal_hashes(const World& w, uint64_t seed) {
    const NodeSlot& first = w.nodes()[0];
    for (const NodeSlot& s : w.nodes()) {
        EXPECT_TRUE(s.alive) << "seed " << seed << " node " << s.node.id();
        EXPECT_EQ(s.node.kv().hash(), first.node.kv().hash())
            << "seed " << seed << " node " << s.node.id();
        EXPECT_EQ(s.node.kv().key_count(), first.node.kv().key_count()) << "seed " << seed;
    }
}

// follower-failure: two followers die at 3 s; the leader keeps committing
// with the remaining majority; they restart at 8 s and catch up.
TEST(Story, FollowerFailureLeaderKeepsCommittingThenAllConverge) {
    for (uint64_t seed : kSeeds) {
        World w(builtin("follower-failure"), seed);
        w.run_until(3'200'000);
        ASSERT_EQ(alive_count(w), 3) << "seed " << seed;
        const raft::NodeId lead = w.leader();
        ASSERT_NE(lead, raft::kNone) << "seed " << seed;
        const raft::Term term = slot(w, lead).node.current_term();
        const raft::Index commit_before = slot(w, lead).node.commit_index();
        w.run_until(7'900'000);
        EXPECT_EQ(w.leader(), lead) << "seed " << seed << ": the leader changed during the outage";
        EXPECT_EQ(slot(w, lead).node.current_term(), term) << "seed " << seed;
        // Clients homed on the dead nodes slow down (timeouts, retries), but
        // the three-node majority commits throughout the outage.
        EXPECT_GT(slot(w, lead).node.commit_index(), commit_before + 40)
            << "seed " << seed << ": the majority should keep committing";
        expect_clean_end(w, seed);
        expect_all_equal_hashes(w, seed);
    }
}

// leader-failure: a new leader in a greater term; the old leader restarts
// with its stale term and rejoins as a follower.
TEST(Story, LeaderFailureNewLeaderHigherTermOldLeaderRejoinsAsFollower) {
    for (uint64_t seed : kSeeds) {
        World w(builtin("leader-failure"), seed);
        w.run_until(2'990'000);
        const raft::NodeId old_leader = w.leader();
        ASSERT_NE(old_leader, raft::kNone) << "seed " << seed;
        const raft::Term old_term = slot(w, old_leader).node.current_term();
        w.run_until(6'990'000);
        EXPECT_FALSE(slot(w, old_leader).alive) << "seed " << seed;
        const raft::NodeId new_leader = w.leader();
        ASSERT_NE(new_leader, raft::kNone) << "seed " << seed;
        EXPECT_NE(new_leader, old_leader);
        EXPECT_GT(slot(w, new_leader).node.current_term(), old_term) << "seed " << seed;
        expect_clean_end(w, seed);
        const raft::Node& old = slot(w, old_leader).node;
        EXPECT_TRUE(slot(w, old_leader).alive);
        EXPECT_EQ(old.role(), raft::Role::kFollower) << "seed " << seed;
        EXPECT_EQ(old.current_term(), slot(w, w.leader()).node.current_term()) << "seed " << seed;
        expect_all_equal_hashes(w, seed);
    }
}

// all-nodes-failure: every node dies at 4 s and restarts at 6 s from disk.
// With the workload stopped first (so nothing is in flight), key counts and
// hashes after recovery equal those before the crash; in the scenario as
// written, a new leader is elected and serves requests right after.
TEST(Story, AllNodesFailureNothingAcknowledgedIsLost) {
    for (uint64_t seed : kSeeds) {
        World w(builtin("all-nodes-failure", {"workload.stop_ms=2500"}), seed);
        w.run_until(3'990'000);
        std::vector<std::pair<size_t, uint64_t>> before;
        for (const NodeSlot& s : w.nodes())
            before.emplace_back(s.node.kv().key_count(), s.node.kv().hash());
        const raft::Term term_before = slot(w, w.leader()).node.current_term();
        w.run_until(8'000'000);
        ASSERT_NE(w.leader(), raft::kNone) << "seed " << seed;
        EXPECT_GT(slot(w, w.leader()).node.current_term(), term_before);
        for (const NodeSlot& s : w.nodes()) {
            const auto& b = before[static_cast<size_t>(s.node.id())];
            EXPECT_EQ(s.node.kv().key_count(), b.first)
                << "seed " << seed << " node " << s.node.id();
            EXPECT_EQ(s.node.kv().hash(), b.second) << "seed " << seed << " node " << s.node.id();
        }
        expect_clean_end(w, seed);
    }
}

TEST(Story, AllNodesFailureNewLeaderServesRequestsAfterRestart) {
    for (uint64_t seed : kSeeds) {
        World w(builtin("all-nodes-failure"), seed);
        w.run_until(3'990'000);
        const raft::Term term_before = slot(w, w.leader()).node.current_term();
        expect_clean_end(w, seed);
        bool new_leader = false;
        for (const LeaderRecord& l : w.leaders())
            new_leader |= l.at_us > 6'000'000 && l.term > term_before;
        EXPECT_TRUE(new_leader) << "seed " << seed;
        int ok_after = 0;
        for (const HistoryOp& op : w.history())
            ok_after += op.status == OpStatus::kOk && op.invoke_us > 6'000'000;
        EXPECT_GT(ok_after, 50) << "seed " << seed;
        expect_all_equal_hashes(w, seed);
    }
}

// partition-leader: the old leader (cut off with one follower) takes writes
// it cannot commit; after the heal they are overwritten.
TEST(Story, PartitionLeaderUncommittedEntriesDiscardedAfterHeal) {
    int discarded = 0;
    for (uint64_t seed : kSeeds) {
        World w(builtin("partition-leader"), seed);
        w.run_until(2'990'000);
        const raft::NodeId old_leader = w.leader();
        ASSERT_NE(old_leader, raft::kNone);
        const raft::Term old_term = slot(w, old_leader).node.current_term();
        // Entries appended after the cut (3 s) can never reach the majority;
        // those appended before it may commit later.
        w.run_until(3'000'000);
        const raft::Index last_at_cut = slot(w, old_leader).node.log().last_index();
        w.run_until(7'990'000);
        const raft::Node& old = slot(w, old_leader).node;
        ASSERT_NE(w.leader(), raft::kNone) << "seed " << seed;
        ASSERT_NE(w.leader(), old_leader) << "seed " << seed;
        std::vector<std::pair<raft::Index, uint64_t>> uncommitted;  // (index, entry hash)
        for (raft::Index i = last_at_cut + 1; i <= old.log().last_index(); i++) {
            if (!old.log().has(i) || old.log().at(i).term != old_term) continue;
            uncommitted.emplace_back(i, raft::entry_hash(old.log().at(i)));
        }
        EXPECT_FALSE(uncommitted.empty()) << "seed " << seed << ": the old leader took no writes";
        expect_clean_end(w, seed);
        // No node ever applied one of them (an apply names index and term);
        // the old leader applied past them: they were replaced.
        for (const TraceRecord& r : w.trace()) {
            if (r.kind != TraceKind::kApply || r.term != old_term) continue;
            for (const auto& [index, hash] : uncommitted) {
                EXPECT_NE(r.index, index) << "seed " << seed << ": node " << r.node
                                          << " applied the uncommitted entry " << index;
            }
        }
        for (const auto& [index, hash] : uncommitted) {
            EXPECT_GE(old.last_applied(), index) << "seed " << seed;
            discarded++;
        }
        expect_all_equal_hashes(w, seed);
    }
    EXPECT_GT(discarded, 0);
}

// check-quorum: a leader cut off alone steps down within an election timeout
// or two, without hearing any other node.
TEST(Story, CheckQuorumIsolatedLeaderStepsDown) {
    for (uint64_t seed : kSeeds) {
        World w(builtin("check-quorum"), seed);
        w.run_until(2'990'000);
        const raft::NodeId old_leader = w.leader();
        ASSERT_NE(old_leader, raft::kNone);
        w.run_until(3'000'000 + 2 * 300'000 + 50'000);
        EXPECT_NE(slot(w, old_leader).node.role(), raft::Role::kLeader) << "seed " << seed;
        expect_clean_end(w, seed);
    }
}

// pre-vote-rejoin: the cut-off follower rejoins without disrupting the
// leader: no new term and no new leader after the heal.
TEST(Story, PreVoteRejoinDoesNotDisruptLeader) {
    for (uint64_t seed : kSeeds) {
        World w(builtin("pre-vote-rejoin"), seed);
        w.run_until(6'990'000);
        const raft::NodeId lead = w.leader();
        ASSERT_NE(lead, raft::kNone);
        const raft::Term term = slot(w, lead).node.current_term();
        const size_t leaders_before = w.leaders().size();
        for (const NodeSlot& s : w.nodes())
            EXPECT_LE(s.node.current_term(), term) << "seed " << seed << " node " << s.node.id();
        expect_clean_end(w, seed);
        EXPECT_EQ(w.leader(), lead) << "seed " << seed;
        EXPECT_EQ(slot(w, lead).node.current_term(), term) << "seed " << seed;
        EXPECT_EQ(w.leaders().size(), leaders_before) << "seed " << seed;
    }
}

// Figure 7: node 0 wins term 8 and repairs every follower's log.
TEST(Story, Figure7ConvergesSafely) {
    for (uint64_t seed : kSeeds) {
        World w(builtin("figure-7"), seed);
        expect_clean_end(w, seed);
        ASSERT_FALSE(w.leaders().empty());
        EXPECT_EQ(w.leaders().front().node, 0) << "seed " << seed;
        EXPECT_EQ(w.leaders().front().term, 8) << "seed " << seed;
        expect_all_equal_hashes(w, seed);
    }
}

// Figure 8: node 4 wins term 5 and overwrites index 2 (term 2, uncommitted)
// everywhere, node 0 included after its restart.
TEST(Story, Figure8ConvergesSafely) {
    for (uint64_t seed : kSeeds) {
        World w(builtin("figure-8"), seed);
        expect_clean_end(w, seed);
        ASSERT_FALSE(w.leaders().empty());
        EXPECT_EQ(w.leaders().front().node, 4) << "seed " << seed;
        EXPECT_EQ(w.leaders().front().term, 5) << "seed " << seed;
        for (const NodeSlot& s : w.nodes()) {
            const raft::RaftLog& log = s.node.log();
            if (log.has(2))
                EXPECT_EQ(log.at(2).term, 3) << "seed " << seed << " node " << s.node.id();
        }
        expect_all_equal_hashes(w, seed);
    }
}

}  // namespace
}  // namespace sim
