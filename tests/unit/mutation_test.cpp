// tests/unit/mutation_test.cpp — every checker is shown to catch a real bug.
//
// Each case loads a scenario from tests/data/mutations/ that switches on one
// deliberately broken protocol rule, runs seeds 1..max_seeds until the named
// checker reports a violation, then runs the same seeds with the mutation
// removed and requires them all to pass. A checker that never fires here
// would be checking nothing.
#include <gtest/gtest.h>

#include <string>

#include "check/linearizability.h"
#include "format/scenario_json.h"
#include "sim/world.h"

namespace sim {
namespace {

struct MutationCase {
    const char* file;
    const char* check;  // the checker that must fire
    int max_seeds;      // it must fire within this many seeds
    uint32_t disabled;  // checks switched off: the consequences must be caught elsewhere
};

// Returns the check name of the first violation, "linearizability", or "".
std::string run_seed(const std::shared_ptr<const Scenario>& s, uint64_t seed, uint32_t disabled) {
    World w(s, seed);
    w.record_trace = false;
    w.disable_checks(disabled);
    w.run_to_end();
    if (!w.violations().empty()) return w.violations()[0].check;
    const LinResult r = check_linearizable(w.history(), 5'000'000);
    return r.verdict == LinResult::kViolation ? "linearizability" : "";
}

std::shared_ptr<const Scenario> load(const std::string& file, bool mutated) {
    Scenario sc;
    std::string err;
    std::vector<std::string> overrides;
    if (!mutated) overrides.push_back("cluster.mutations=[]");
    const std::string path = std::string(RAFTPLAY_SOURCE_DIR) + "/tests/data/mutations/" + file;
    EXPECT_TRUE(load_scenario_file(path, overrides, &sc, &err)) << err;
    return std::make_shared<const Scenario>(sc);
}

class Mutation : public ::testing::TestWithParam<MutationCase> {};

TEST_P(Mutation, CheckerCatchesTheBugAndTheCorrectProtocolPasses) {
    const MutationCase& c = GetParam();
    auto mutated = load(c.file, true);
    auto correct = load(c.file, false);
    ASSERT_NE(mutated->cluster.mutations, 0u);
    ASSERT_EQ(correct->cluster.mutations, 0u);
    int caught_at = -1;
    std::string first;
    for (int seed = 1; seed <= c.max_seeds && caught_at < 0; seed++) {
        first = run_seed(mutated, static_cast<uint64_t>(seed), c.disabled);
        if (!first.empty()) caught_at = seed;
    }
    ASSERT_GT(caught_at, 0) << c.file << ": no violation in " << c.max_seeds << " seeds";
    EXPECT_EQ(first, c.check) << c.file << " seed " << caught_at;
    std::printf("[ mutation ] %s: %s caught at seed %d\n", c.file, first.c_str(), caught_at);
    for (int seed = 1; seed <= caught_at; seed++) {
        EXPECT_EQ(run_seed(correct, static_cast<uint64_t>(seed), c.disabled), "")
            << c.file << " without its mutation fails at seed " << seed;
    }
}

INSTANTIATE_TEST_SUITE_P(
    Checkers, Mutation,
    ::testing::Values(
        MutationCase{"crash-during-election.json", "durability", 20, 0},
        MutationCase{"crash-during-election.json", "election_safety", 60, kCheckDurability},
        MutationCase{"crash-during-writes.json", "durability", 10, 0},
        MutationCase{"crash-during-writes.json", "leader_completeness", 20,
                     kCheckDurability | kCheckConfigQuorum},
        MutationCase{
            "crash-during-writes.json", "state_machine_safety", 40,
            kCheckDurability | kCheckLeaderCompleteness | kCheckLogMatching | kCheckConfigQuorum},
        MutationCase{"figure-8-commit-old-term.json", "leader_completeness", 300, 0},
        MutationCase{"figure-8-commit-old-term.json", "state_machine_safety", 300,
                     kCheckLeaderCompleteness | kCheckLogMatching | kCheckConfigQuorum},
        MutationCase{"stale-node-rejoins.json", "leader_completeness", 40, 0},
        MutationCase{"stale-follower-reads.json", "linearizability", 10, 0},
        // Membership (thesis ch. 4) and leadership transfer (§3.10).
        MutationCase{"conf-on-commit.json", "config_quorum", 10, 0},
        MutationCase{"learner-votes.json", "config_quorum", 10, 0},
        MutationCase{"transfer-keeps-proposing.json", "transfer_proposals", 10, 0},
        // The single-server change bug, on the built-in bug hunt's stage.
        MutationCase{"../../../scenarios/bug-hunt-single-server.json", "leader_completeness", 20,
                     0}));

}  // namespace
}  // namespace sim
