// tests/unit/fuzz_report_test.cpp — fuzz shards and their merged report
// (check/fuzz_report.h): shards are disjoint and cover the range; a failure's
// signature names the check, the event before the violation and the role of
// its node (on a real mutation failure); the JSON lines read back as written;
// bad lines are named errors; merges refuse shards of different runs and the
// same shard twice, and group failures by signature in seed order.
// tests/scripts/fuzz_shards.sh checks the CLI end to end through GNU parallel.
#include "check/fuzz_report.h"

#include <gtest/gtest.h>

#include <set>

namespace sim {
namespace {

TEST(FuzzShards, AreDisjointAndCoverTheRange) {
    for (uint32_t n : {1u, 2u, 3u, 4u, 7u, 64u}) {
        std::set<uint64_t> seen;
        uint64_t total = 0;
        for (uint32_t i = 0; i < n; i++) {
            const uint64_t count = shard_seed_count(5, 50, i, n);
            total += count;
            for (uint64_t k = 0; k < count; k++) {
                const uint64_t seed = shard_seed(5, i, n, k);
                EXPECT_TRUE(seed >= 5 && seed <= 50) << seed;
                EXPECT_TRUE(seen.insert(seed).second) << "seed " << seed << " in two shards";
            }
        }
        EXPECT_EQ(total, 46u) << n << " shards";
        EXPECT_EQ(seen.size(), 46u);
    }
    EXPECT_EQ(shard_seed_count(1, 3, 5, 8), 0u);           // more shards than seeds
    EXPECT_EQ(shard_seed_count(0, UINT64_MAX, 0, 1), 0u);  // the full range: 2^64 wraps to 0
}

TEST(FuzzShards, ParseNamesTheProblem) {
    uint32_t i = 0, n = 0;
    std::string why;
    EXPECT_TRUE(parse_shard("3/4", &i, &n, &why));
    EXPECT_EQ(i, 3u);
    EXPECT_EQ(n, 4u);
    for (const char* bad : {"4/4", "1", "/4", "1/0", "a/b", "1/2/3", "-1/4", "0/2000000"}) {
        EXPECT_FALSE(parse_shard(bad, &i, &n, &why)) << bad;
        EXPECT_NE(why.find("expected I/N"), std::string::npos) << why;
    }
}

// skip_up_to_date_check on the fuzz base: seed 6 elects a leader without a
// committed entry (see tests/scripts/fuzz_shards.sh's range).
TEST(FuzzSignature, NamesCheckEventAndRole) {
    FuzzOptions fo;
    fo.mutations = raft::kMutSkipUpToDateCheck;
    fo.safety_us = 3'000'000;
    fo.liveness_us = 2'000'000;
    auto s = std::make_shared<const Scenario>(make_fuzz_scenario(fuzz_base_scenario(), 6, fo));
    World w(s, 6);
    w.run_to_end();
    const Verdict v = judge(w, JudgeOptions{});
    ASSERT_EQ(v.outcome, Outcome::kSafety) << v.what;
    const FailureSignature sig = failure_signature(w, v);
    EXPECT_EQ(sig.check, "leader_completeness");
    EXPECT_EQ(sig.event, "persist");
    EXPECT_EQ(sig.role, "leader");
    // Without a trace the event is unknown, never a guess.
    World quiet(s, 6);
    quiet.record_trace = false;
    quiet.run_to_end();
    EXPECT_EQ(failure_signature(quiet, v).event, "unknown");
}

FuzzShardReport sample(uint32_t index, uint32_t count, std::vector<uint64_t> seeds) {
    FuzzShardReport r;
    r.shard = {"fuzz", 1, 20, index, count, {"skip_up_to_date_check"}, 5, 5, 0.25, ""};
    for (uint64_t seed : seeds) {
        FuzzFailure f;
        f.seed = seed;
        f.outcome = seed % 2 ? Outcome::kSafety : Outcome::kLiveness;
        f.what = "what \"quoted\"\n";
        f.signature = seed % 2
                          ? FailureSignature{"election_safety", "deliver vote_resp", "candidate"}
                          : FailureSignature{"liveness", "no_leader", "none"};
        f.link = "index.html#v=1&s=" + std::to_string(seed);
        r.failures.push_back(f);
    }
    return r;
}

std::string lines_of(const FuzzShardReport& r) {
    std::string text;
    for (const FuzzFailure& f : r.failures)
        text += fuzz_failure_line(f) + "\n";
    return text + fuzz_shard_line(r.shard) + "\n";
}

TEST(FuzzReportLines, ReadBackAsWritten) {
    const FuzzShardReport r = sample(1, 4, {2, 6, 9});
    FuzzShardReport back;
    std::string err;
    ASSERT_TRUE(read_fuzz_lines(lines_of(r), "r.jsonl", &back, &err)) << err;
    EXPECT_EQ(back.failures, r.failures);
    EXPECT_EQ(back.shard, r.shard);
}

TEST(FuzzReportLines, BadInputIsNamed) {
    const std::string good = lines_of(sample(0, 2, {3}));
    const std::pair<std::string, std::string> cases[] = {
        {good.substr(0, 40), "r.jsonl: line 1: "},
        {good.substr(0, good.find('\n') + 1), "no shard line"},
        {"{\"type\":\"bogus\"}\n", "line 1.type: expected \"failure\" or \"shard\""},
        {"[1]\n", "expected an object"},
        {good + good.substr(good.find('\n') + 1), "line 3: a second shard line"},
        {"{\"type\":\"shard\",\"scenario\":\"x\",\"first\":9,\"last\":1,\"index\":0,\"count\":1,"
         "\"seeds_run\":1,\"seeds_total\":1}\n",
         "first <= last"},
    };
    for (const auto& [text, want] : cases) {
        FuzzShardReport r;
        std::string err;
        EXPECT_FALSE(read_fuzz_lines(text, "r.jsonl", &r, &err)) << text;
        EXPECT_NE(err.find(want), std::string::npos) << "error: " << err << "\nwanted: " << want;
    }
}

TEST(FuzzReportMerge, GroupsBySignatureInSeedOrder) {
    MergedFuzzReport m;
    std::string err;
    ASSERT_TRUE(merge_fuzz_reports({sample(1, 4, {5, 9}), sample(0, 4, {4, 8, 12})}, &m, &err))
        << err;
    ASSERT_EQ(m.failures.size(), 5u);
    for (size_t i = 1; i < m.failures.size(); i++)
        EXPECT_LT(m.failures[i - 1].seed, m.failures[i].seed);
    ASSERT_EQ(m.groups.size(), 2u);
    EXPECT_EQ(m.groups[0].signature.check, "liveness");  // first seed 4
    EXPECT_EQ(m.groups[0].seeds, (std::vector<uint64_t>{4, 8, 12}));
    EXPECT_EQ(m.groups[1].seeds, (std::vector<uint64_t>{5, 9}));
    EXPECT_EQ(m.shards_missing, (std::vector<uint32_t>{2, 3}));
    EXPECT_EQ(m.seeds_run, 10u);
    EXPECT_EQ(merged_exit_code(m), 1);
}

TEST(FuzzReportMerge, RefusesMixedRunsAndRepeats) {
    MergedFuzzReport m;
    std::string err;
    EXPECT_FALSE(merge_fuzz_reports({sample(0, 2, {}), sample(0, 2, {})}, &m, &err));
    EXPECT_NE(err.find("the same shard twice"), std::string::npos) << err;
    FuzzShardReport other = sample(1, 2, {});
    other.shard.mutations.clear();
    EXPECT_FALSE(merge_fuzz_reports({sample(0, 2, {}), other}, &m, &err));
    EXPECT_NE(err.find("different mutations"), std::string::npos) << err;
    EXPECT_FALSE(merge_fuzz_reports({}, &m, &err));
}

}  // namespace
}  // namespace sim
