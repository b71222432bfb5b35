// tests/unit/peer_scenarios_test.cpp — the ports of well-known peer tests
// (tests/scenarios/*.json: MIT 6.5840's Raft tests, etcd-io/raft's paper
// tests, Jepsen's etcd workloads), each run with several seeds against the
// expectations its file states (check/expect.h). Each file names its source
// test in its description. A port whose expectations could not fail would
// check nothing: BrokenRaftFailsThePorts runs a few of them with a
// deliberately broken rule and wants them to fail.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "check/expect.h"
#include "format/scenario_json.h"

namespace sim {
namespace {

const std::string kDir = std::string(RAFTPLAY_SOURCE_DIR) + "/tests/scenarios";
constexpr uint64_t kSeeds = 5;

std::vector<std::string> port_files() {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(kDir)) {
        if (e.path().extension() == ".json") out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::shared_ptr<const Scenario> load(const std::string& file,
                                     const std::vector<std::string>& sets = {}) {
    auto s = std::make_shared<Scenario>();
    std::string err;
    EXPECT_TRUE(load_scenario_file(kDir + "/" + file, sets, s.get(), &err)) << err;
    return s;
}

class PeerScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(PeerScenario, MeetsItsExpectationsOnEverySeed) {
    auto s = load(GetParam());
    EXPECT_EQ(s->description.rfind("Port of ", 0), 0u)
        << GetParam() << ": the description starts by naming the source test";
    EXPECT_TRUE(s->expect.any() || s->expect_converged) << GetParam() << ": expects nothing";
    for (uint64_t seed = 1; seed <= kSeeds; seed++) {
        const ExpectReport r = run_expectations(s, seed);
        for (const std::string& f : r.failures)
            ADD_FAILURE() << GetParam() << " seed " << seed << ": " << f
                          << " (raftplay run tests/scenarios/" << GetParam() << " --seed " << seed
                          << ")";
    }
}

TEST_P(PeerScenario, SameSeedSameDigest) {
    auto s = load(GetParam());
    EXPECT_EQ(run_expectations(s, 11).digest, run_expectations(s, 11).digest);
}

INSTANTIATE_TEST_SUITE_P(Ports, PeerScenario, ::testing::ValuesIn(port_files()),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                             std::string n = p.param.substr(0, p.param.size() - 5);
                             std::replace(n.begin(), n.end(), '-', '_');
                             return n;
                         });

TEST(PeerScenarios, AtLeastTenPorts) {
    EXPECT_GE(port_files().size(), 10u);
}

// The expectations catch real bugs: with a rule broken, some seed fails.
TEST(PeerScenarios, BrokenRaftFailsThePorts) {
    struct Case {
        const char* file;
        const char* mutation;
    };
    for (const Case& c : {Case{"mit-figure8-3c.json", "skip_up_to_date_check"},
                          Case{"mit-figure8-unreliable-3c.json", "skip_up_to_date_check"},
                          Case{"mit-persist1-3c.json", "ack_before_fsync"},
                          Case{"jepsen-etcd-register-partition.json", "follower_local_reads"}}) {
        auto s = load(c.file, {std::string("cluster.mutations=[\"") + c.mutation + "\"]"});
        bool failed = false;
        for (uint64_t seed = 1; seed <= 20 && !failed; seed++)
            failed = !run_expectations(s, seed).failures.empty();
        EXPECT_TRUE(failed) << c.file << " passes with " << c.mutation;
    }
}

}  // namespace
}  // namespace sim
