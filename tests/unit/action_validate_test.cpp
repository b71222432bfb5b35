// tests/unit/action_validate_test.cpp — validate(scenario, action)
// (format/action.h): every rule an action must meet, checked on plain Action
// values as the page builds them (no JSON), and the promise that the parser
// applies the same rules with the same words: a step that breaks a rule in
// a run file fails with validate()'s message under the step's path.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "format/action.h"
#include "format/run_file.h"
#include "format/scenario_json.h"

#ifndef RAFTPLAY_SOURCE_DIR
#error "RAFTPLAY_SOURCE_DIR must name the source tree (set by CMake)"
#endif

namespace sim {
namespace {

Scenario five_nodes() {
    Scenario s;
    s.cluster.node_count = 5;
    return s;
}

Action on(ActionKind kind, NodeRef node = {NodeSelector::kId, 1}) {
    Action a;
    a.at_us = 1'000;
    a.kind = kind;
    a.node = node;
    return a;
}

Action put(std::string key, std::string value) {
    Action a = on(ActionKind::kPut, {NodeSelector::kLeader, raft::kNone});
    a.key = std::move(key);
    a.value = std::move(value);
    return a;
}

Action link(ActionKind kind, raft::NodeId from, raft::NodeId to) {
    Action a = on(kind, {NodeSelector::kId, from});
    a.to = {NodeSelector::kId, to};
    return a;
}

Action partition(std::vector<std::vector<raft::NodeId>> groups) {
    Action a = on(ActionKind::kPartition, {});
    a.groups = std::move(groups);
    return a;
}

std::string problem(const Action& a, const Scenario& s = five_nodes()) {
    return validate(s, a).message();
}

TEST(ActionValidate, ValidActionsOfEveryShapePass) {
    std::vector<Action> ok = {
        on(ActionKind::kKill, {NodeSelector::kAll, raft::kNone}),
        on(ActionKind::kCampaign, {NodeSelector::kRandom, raft::kNone}),
        put("k", ""),
        link(ActionKind::kCutLink, 0, 4),
        partition({{0, 1}, {2, 3, 4}}),
        on(ActionKind::kHeal, {}),
    };
    Action stress = on(ActionKind::kStress);
    stress.count = 100'000;
    Action net = on(ActionKind::kSetNetwork, {});
    net.loss_ppm = kPpm;
    Action delay = on(ActionKind::kDelayMsg, {});
    delay.delay_us = 5'000;
    Action isolate = on(ActionKind::kPartition, {});
    isolate.isolate_leader_with = 3;
    Action jitter = on(ActionKind::kKill);
    jitter.jitter_heartbeat = true;
    jitter.jitter_group = "g";
    ok.insert(ok.end(), {stress, net, delay, isolate, jitter});
    for (const Action& a : ok)
        EXPECT_TRUE(validate(five_nodes(), a).ok()) << action_to_json(a) << ": " << problem(a);
}

TEST(ActionValidate, NodesMustExistAndFitTheAction) {
    EXPECT_EQ(problem(on(ActionKind::kKill, {NodeSelector::kId, 5})),
              "node: node id 5 out of range (cluster has 5 nodes)");
    EXPECT_EQ(problem(on(ActionKind::kRestart, {})), "node: required for restart");
    EXPECT_EQ(problem(on(ActionKind::kPut, {NodeSelector::kAll, raft::kNone})),
              "node: \"all\" is not allowed for put: pick one node (an id, leader, follower or "
              "random)");
    Action cut = link(ActionKind::kCutLink, 0, 1);
    cut.node = {NodeSelector::kLeader, raft::kNone};
    EXPECT_EQ(problem(cut),
              "node: expected a node id: cut takes ids, not selectors, got \"leader\"");
    EXPECT_EQ(problem(link(ActionKind::kClog, 2, 2)),
              "to: same node as \"node\" (a link joins two different nodes)");
    EXPECT_EQ(problem(link(ActionKind::kUnclog, 2, -1)),
              "to: node id -1 out of range (cluster has 5 nodes)");
}

TEST(ActionValidate, PartitionsNeedTwoDisjointGroups) {
    EXPECT_EQ(problem(partition({{0, 1, 2, 3, 4}})),
              "groups: a partition needs at least two groups, got 1");
    EXPECT_EQ(problem(partition({{0}, {}})), "groups[1]: empty group");
    EXPECT_EQ(problem(partition({{0, 1}, {1}})), "groups[1][0]: node 1 is already in groups[0]");
    // The prefix names both places, as a file's error does.
    EXPECT_EQ(validate(five_nodes(), partition({{0, 1}, {1}})).message("inputs[3]"),
              "inputs[3].groups[1][0]: node 1 is already in inputs[3].groups[0]");
    EXPECT_EQ(problem(partition({{0}, {9}})),
              "groups[1][0]: node id 9 out of range (cluster has 5 nodes)");
    EXPECT_EQ(problem(partition({})), "groups: required for partition (or isolate_leader_with)");
    Action both = partition({{0}, {1}});
    both.isolate_leader_with = 1;
    EXPECT_EQ(problem(both), "isolate_leader_with: give either groups or isolate_leader_with");
    Action isolate = partition({});
    isolate.isolate_leader_with = 4;
    EXPECT_EQ(problem(isolate), "isolate_leader_with: must be between 0 and 3, got 4");
    Scenario one = five_nodes();
    one.cluster.node_count = 1;
    EXPECT_EQ(problem(partition({{0}, {1}}), one),
              "a partition needs a cluster of at least 2 nodes");
}

TEST(ActionValidate, PayloadsHaveTheirLimits) {
    EXPECT_EQ(problem(put("", "v")), "key: must not be empty");
    EXPECT_EQ(problem(put(std::string(257, 'k'), "v")), "key: too long (257 bytes, at most 256)");
    EXPECT_EQ(problem(put("k", std::string(4'097, 'v'))),
              "value: too long (4097 bytes, at most 4096)");
    Action stress = on(ActionKind::kStress);
    EXPECT_EQ(problem(stress), "count: must be between 1 and 100000, got 0");
    Action delay = on(ActionKind::kDelayMsg, {});
    EXPECT_EQ(problem(delay), "delay_ms: must be between 0.001 and 60000 ms, got 0");
    delay.delay_us = 1;
    delay.msg_id = -3;
    EXPECT_EQ(problem(delay), "msg: must not be negative, got -3");
    Action net = on(ActionKind::kSetNetwork, {});
    EXPECT_EQ(problem(net), "set_network needs at least one of loss, latency_ms, duplicate");
    net.duplicate_ppm = kPpm + 1;
    EXPECT_EQ(problem(net), "duplicate: expected a fraction between 0 and 1, got 1.000001");
    net.duplicate_ppm = -1;
    net.latency_us_min = 3'000;
    net.latency_us_max = 2'000;
    EXPECT_EQ(problem(net), "latency_ms: min 3 ms is greater than max 2 ms");
}

TEST(ActionValidate, TimeAndJitter) {
    Action a = on(ActionKind::kKill);
    a.at_us = -1;
    EXPECT_EQ(problem(a), "at_ms: negative time -0.001 ms");
    a.at_us = 1'000;
    a.jitter_group = "g";
    EXPECT_EQ(problem(a), "jitter_group: a jitter group needs jitter_ms");
    a.jitter_heartbeat = true;
    a.jitter_us = 5;
    EXPECT_EQ(problem(a), "jitter_ms: give a time in ms or \"heartbeat\", not both");
    // A timeline step must not be later than the run; an input has no such bound.
    Action late = on(ActionKind::kKill);
    late.at_us = 20'000'000;
    EXPECT_TRUE(validate(five_nodes(), late).ok());
    EXPECT_EQ(validate(ActionRules{5, 10'000'000}, late).message("timeline[0]"),
              "timeline[0].at_ms: 20000 ms is after the end of the run (duration_ms 10000)");
    Action bogus = on(static_cast<ActionKind>(200));
    EXPECT_EQ(problem(bogus), "do: unknown action");
}

// The parser's refusal of a step is validate()'s, word for word.
TEST(ActionValidate, ParserAndValidateAgree) {
    const Scenario s = five_nodes();
    Action same = link(ActionKind::kCutLink, 3, 3);
    Action overlap = partition({{0, 4}, {4}});
    Action all_put = put("k", "v");
    all_put.node = {NodeSelector::kAll, raft::kNone};
    Action isolate = partition({});
    isolate.isolate_leader_with = 7;
    Action no_net = on(ActionKind::kSetNetwork, {});
    for (const Action& bad : {same, overlap, all_put, isolate, no_net}) {
        const ActionProblem p = validate(s, bad);
        ASSERT_FALSE(p.ok());
        RunFile run;
        run.scenario = s;
        run.inputs = {bad};
        RunFile back;
        std::string error;
        EXPECT_FALSE(parse_run_file(run_file_to_json(run), "run.json", &back, &error));
        EXPECT_EQ(error, "run.json: " + p.message("inputs[0]"));
        EXPECT_FALSE(check_inputs(s, {bad}, &error));
        EXPECT_EQ(error, p.message("inputs[0]"));
    }
}

TEST(ActionValidate, CheckInputsWantsTimeOrder) {
    Action a = on(ActionKind::kKill), b = on(ActionKind::kRestart);
    a.at_us = 2'000;
    std::string error;
    EXPECT_FALSE(check_inputs(five_nodes(), {a, b}, &error));
    EXPECT_EQ(error,
              "inputs[1].at_ms: 1 ms is before the previous action (2 ms); inputs must be in time "
              "order");
    EXPECT_TRUE(check_inputs(five_nodes(), {b, a}, &error)) << error;
}

TEST(ActionValidate, EveryBuiltinStepIsValid) {
    const std::string dir = std::string(RAFTPLAY_SOURCE_DIR) + "/scenarios";
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        Scenario s;
        std::string error;
        ASSERT_TRUE(load_scenario_file(entry.path().string(), {}, &s, &error)) << error;
        const ActionRules rules{s.cluster.node_count, s.duration_us};
        for (const Action& a : s.timeline) {
            EXPECT_TRUE(validate(rules, a).ok()) << entry.path() << ": " << action_to_json(a)
                                                 << ": " << validate(rules, a).message();
        }
    }
}

}  // namespace
}  // namespace sim
