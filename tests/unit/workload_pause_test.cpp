// tests/unit/workload_pause_test.cpp — the pause_workload / resume_workload
// actions (sim::ActionKind): the background workload's clients start nothing
// while paused and start again after; scripted requests go on; the JSON
// names round-trip and extra fields are rejected; a run with them is the
// same twice (goldens do not use them and stay as they are).
#include <gtest/gtest.h>

#include "format/scenario_json.h"
#include "sim/world.h"

namespace sim {
namespace {

std::shared_ptr<const Scenario> paused_scenario(const std::string& extra_step = "") {
    const std::string text = R"({"cluster": {"nodes": 3}, "duration_ms": 3000,
        "workload": {"clients": 2, "rate_per_s": 50},
        "timeline": [{"at_ms": 1000, "do": "pause_workload"},
                     {"at_ms": 1500, "do": "put", "node": "leader", "key": "k", "value": "v"},
                     {"at_ms": 2000, "do": "resume_workload"})" +
                             extra_step + "]}";
    Scenario s;
    std::string error;
    EXPECT_TRUE(parse_scenario(text, "test.json", {}, &s, &error)) << error;
    return std::make_shared<const Scenario>(s);
}

TEST(WorkloadPause, NothingNewStartsWhilePaused) {
    World w(paused_scenario(), 1);
    w.run_to_end();
    int before = 0, during = 0, after = 0, scripted_during = 0;
    for (const HistoryOp& op : w.history()) {
        const bool workload = w.clients()[static_cast<size_t>(op.client)].workload;
        if (!workload) {
            scripted_during += op.invoke_us > 1'000'000 && op.invoke_us < 2'000'000;
            continue;
        }
        if (op.invoke_us < 1'000'000) before++;
        if (op.invoke_us > 1'000'000 && op.invoke_us < 2'000'000) during++;
        if (op.invoke_us > 2'000'000) after++;
    }
    EXPECT_GT(before, 20);
    EXPECT_EQ(during, 0);
    EXPECT_GT(after, 20);
    EXPECT_EQ(scripted_during, 1) << "a scripted put goes on while the workload is paused";
    EXPECT_TRUE(w.violations().empty());
}

TEST(WorkloadPause, SameRunTwice) {
    World a(paused_scenario(), 7), b(paused_scenario(), 7);
    a.run_to_end();
    b.run_to_end();
    EXPECT_EQ(a.digest_hex(), b.digest_hex());
}

TEST(WorkloadPause, JsonNamesAndFields) {
    Action a;
    a.at_us = 5000;
    a.kind = ActionKind::kPauseWorkload;
    EXPECT_NE(action_to_json(a).find("\"pause_workload\""), std::string::npos);
    const auto scenario = paused_scenario();
    const Scenario& s = *scenario;
    ASSERT_EQ(s.timeline.size(), 3u);
    EXPECT_EQ(s.timeline[0].kind, ActionKind::kPauseWorkload);
    EXPECT_EQ(s.timeline[2].kind, ActionKind::kResumeWorkload);
    Scenario back;
    std::string error;
    ASSERT_TRUE(parse_scenario(scenario_to_json(s), "back.json", {}, &back, &error)) << error;
    EXPECT_EQ(back.timeline, s.timeline);
    Scenario bad;
    EXPECT_FALSE(parse_scenario(R"({"cluster": {"nodes": 3}, "timeline": [
        {"at_ms": 1, "do": "pause_workload", "node": 1}]})",
                                "bad.json", {}, &bad, &error));
    EXPECT_NE(error.find("node"), std::string::npos) << error;
}

}  // namespace
}  // namespace sim
