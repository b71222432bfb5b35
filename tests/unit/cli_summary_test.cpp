// tests/unit/cli_summary_test.cpp — the run summary's contract keys (what
// `raftplay run` prints and scripts rely on), trace lines, per-node logs and
// the client statistics.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "check/fuzz.h"
#include "format/logs_json.h"
#include "format/summary.h"
#include "format/trace_json.h"
#include "sim/world.h"

namespace sim {
namespace {

std::shared_ptr<Scenario> small_run() {
    auto s = std::make_shared<Scenario>();
    s->workload.clients = 3;
    s->workload.rate_per_s = 60;
    s->workload.keys = 10;
    s->duration_us = 3'000'000;
    Action kill;
    kill.at_us = 1'500'000;
    kill.kind = ActionKind::kKill;
    kill.node.sel = NodeSelector::kFollower;
    s->timeline.push_back(kill);
    return s;
}

void expect_keys(const rapidjson::Value& v, std::initializer_list<const char*> keys,
                 const std::string& where) {
    ASSERT_TRUE(v.IsObject()) << where;
    for (const char* k : keys)
        EXPECT_TRUE(v.HasMember(k)) << where << " lacks \"" << k << "\"";
}

TEST(Summary, HasEveryContractKey) {
    World w(small_run(), 3);
    w.run_to_end();
    const LinResult lin = check_linearizable(w.history(), 1'000'000);
    SummaryOptions so;
    so.linearizability = &lin;
    rapidjson::Document d;
    d.Parse(summary_json(w, so).c_str());
    ASSERT_FALSE(d.HasParseError());
    expect_keys(d,
                {"scenario", "seed", "digest", "events", "sim_time_us", "nodes", "leaders",
                 "checks", "clients", "messages", "bytes"},
                "summary");
    EXPECT_TRUE(d["digest"].IsString());
    EXPECT_EQ(d["digest"].GetString(), w.digest_hex());
    EXPECT_EQ(d["seed"].GetUint64(), 3u);
    ASSERT_EQ(d["nodes"].Size(), 5u);
    for (const auto& n : d["nodes"].GetArray()) {
        expect_keys(n,
                    {"id", "alive", "paused", "role", "term", "voted_for", "leader", "commit_index",
                     "applied_index", "log_first_index", "log_last_index", "snapshot_index",
                     "kv_keys", "kv_hash", "persisted_bytes", "snapshot_bytes"},
                    "node");
        EXPECT_TRUE(n["kv_hash"].IsString());
        const std::string role = n["role"].GetString();
        EXPECT_TRUE(role == "follower" || role == "pre_candidate" || role == "candidate" ||
                    role == "leader")
            << role;
    }
    ASSERT_GE(d["leaders"].Size(), 1u);
    expect_keys(d["leaders"][0], {"term", "node", "at_us"}, "leaders[0]");
    expect_keys(d["checks"], {"safety", "linearizability"}, "checks");
    expect_keys(d["checks"]["safety"], {"ok", "violations"}, "checks.safety");
    expect_keys(d["checks"]["linearizability"], {"verdict", "ms"}, "checks.linearizability");
    EXPECT_STREQ(d["checks"]["linearizability"]["verdict"].GetString(), "ok");
    expect_keys(d["clients"], {"ok", "fail", "unknown", "latency_us_p50", "latency_us_p99"},
                "clients");
    expect_keys(d["messages"], {"sent", "delivered", "dropped", "by_type"}, "messages");
    for (const char* t : {"pre_vote", "pre_vote_resp", "vote", "vote_resp", "append", "append_resp",
                          "snapshot", "snapshot_resp"})
        EXPECT_TRUE(d["messages"]["by_type"].HasMember(t)) << t;
    expect_keys(d["bytes"], {"sent", "sent_by_type", "sent_by_node", "sent_by_clients"}, "bytes");
    EXPECT_EQ(d["bytes"]["sent_by_node"].Size(), 5u);
    EXPECT_GT(d["clients"]["ok"].GetInt64(), 50);
    int alive = 0;
    for (const auto& n : d["nodes"].GetArray())
        alive += n["alive"].GetBool();
    EXPECT_EQ(alive, 4);
}

TEST(Summary, SameRunSameTextWithoutWallTime) {
    World a(small_run(), 5), b(small_run(), 5);
    a.run_to_end();
    b.run_to_end();
    SummaryOptions so;
    so.wall_time = false;
    EXPECT_EQ(summary_json(a, so), summary_json(b, so));
    EXPECT_EQ(summary_json(a, so).find("\"ms\""), std::string::npos);
}

TEST(Summary, ClientStatsPercentilesAreNearestRank) {
    History h;
    for (int i = 1; i <= 100; i++) {
        HistoryOp op;
        op.status = OpStatus::kOk;
        op.invoke_us = 1000;
        op.complete_us = 1000 + i * 10;
        h.push_back(op);
    }
    HistoryOp unknown;
    unknown.status = OpStatus::kUnknown;
    h.push_back(unknown);
    HistoryOp fail;
    fail.status = OpStatus::kFail;
    h.push_back(fail);
    const ClientStats s = client_stats(h);
    EXPECT_EQ(s.ok, 100);
    EXPECT_EQ(s.fail, 1);
    EXPECT_EQ(s.unknown, 1);
    EXPECT_EQ(s.latency_us_p50, 500);
    EXPECT_EQ(s.latency_us_p99, 990);
    EXPECT_EQ(s.latency_us_max, 1000);
    EXPECT_EQ(client_stats({}).latency_us_p99, 0);
}

TEST(TraceLines, MessageRoleCommitAndClientRecords) {
    World w(small_run(), 3);
    w.run_until(2'000'000);
    bool saw[6] = {};
    for (const TraceRecord& r : w.trace()) {
        rapidjson::Document d;
        const std::string line = trace_record_json(r);
        d.Parse(line.c_str());
        ASSERT_FALSE(d.HasParseError()) << line;
        expect_keys(d, {"t_us", "kind", "node"}, line);
        const std::string kind = d["kind"].GetString();
        if (kind == "send" || kind == "deliver" || kind == "drop") {
            expect_keys(d, {"from", "to", "type", "term"}, line);
            saw[0] = true;
            if (kind == "deliver" && d["type"] == "append") {
                EXPECT_EQ(d["node"].GetInt(), d["to"].GetInt()) << line;
            }
        } else if (kind == "role") {
            expect_keys(d, {"role", "term"}, line);
            saw[1] = true;
        } else if (kind == "commit" || kind == "apply") {
            expect_keys(d, {"index"}, line);
            saw[2] = true;
        } else if (kind == "client_invoke" || kind == "client_complete") {
            EXPECT_GE(d["node"].GetInt(), kClientBase) << line;
            saw[3] = true;
        } else if (kind == "crash") {
            saw[4] = true;
        } else if (kind == "action") {
            expect_keys(d, {"action"}, line);
            saw[5] = true;
        }
    }
    for (bool s : saw)
        EXPECT_TRUE(s);
}

TEST(Logs, EveryNodeWithEntriesAndDurableState) {
    World w(small_run(), 3);
    w.run_to_end();
    rapidjson::Document d;
    d.Parse(logs_json(w).c_str());
    ASSERT_FALSE(d.HasParseError());
    ASSERT_EQ(d["nodes"].Size(), 5u);
    for (const auto& n : d["nodes"].GetArray()) {
        expect_keys(n, {"id", "alive", "durable", "snapshot_index", "log"}, "logs node");
        expect_keys(n["durable"], {"term", "vote", "snapshot_index"}, "durable");
        for (const auto& e : n["log"].GetArray())
            expect_keys(e, {"index", "term", "type"}, "entry");
    }
}

TEST(Liveness, ConvergedNeedsALeaderAndEqualHashes) {
    auto s = small_run();
    s->timeline.clear();
    s->workload.stop_us = 1'500'000;
    World w(s, 1);
    w.run_to_end();
    std::string why;
    EXPECT_TRUE(converged(w, &why)) << why;
    Action kill_all;
    kill_all.at_us = 2'900'000;
    kill_all.kind = ActionKind::kKill;
    kill_all.node.sel = NodeSelector::kAll;
    s->timeline.push_back(kill_all);
    s->expect_converged = true;
    World dead(s, 1);
    dead.run_to_end();
    EXPECT_FALSE(converged(dead, &why));
    EXPECT_NE(why.find("no live leader"), std::string::npos) << why;
    EXPECT_EQ(judge(dead, JudgeOptions{}).outcome, Outcome::kLiveness);
    EXPECT_EQ(outcome_exit_code(Outcome::kLiveness), 2);
}

}  // namespace
}  // namespace sim
