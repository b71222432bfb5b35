// tests/unit/scenario_json_test.cpp — the scenario format, run files and
// share links: built-ins parse, serialization round-trips, overrides, the
// bad-scenario corpus (tests/data/bad_scenarios/expected.txt) and hostile
// share-link fragments, which must fail with a message and never crash.
#include "format/scenario_json.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "raft/types.h"

#ifndef RAFTPLAY_SOURCE_DIR
#error "RAFTPLAY_SOURCE_DIR must name the source tree (set by CMake)"
#endif

namespace sim {
namespace {

const std::string kSourceDir = RAFTPLAY_SOURCE_DIR;

std::vector<std::string> builtin_paths() {
    std::vector<std::string> paths;
    for (const auto& entry : std::filesystem::directory_iterator(kSourceDir + "/scenarios")) {
        if (entry.path().extension() == ".json") paths.push_back(entry.path().string());
    }
    std::sort(paths.begin(), paths.end());
    return paths;
}

Scenario load_ok(const std::string& path, const std::vector<std::string>& overrides = {}) {
    Scenario s;
    std::string error;
    EXPECT_TRUE(load_scenario_file(path, overrides, &s, &error)) << error;
    return s;
}

Scenario parse_ok(const std::string& json, const std::vector<std::string>& overrides = {}) {
    Scenario s;
    std::string error;
    EXPECT_TRUE(parse_scenario(json, "test.json", overrides, &s, &error)) << error;
    return s;
}

std::string parse_error(const std::string& json, const std::vector<std::string>& overrides = {}) {
    Scenario s;
    std::string error;
    EXPECT_FALSE(parse_scenario(json, "test.json", overrides, &s, &error)) << json;
    EXPECT_FALSE(error.empty());
    return error;
}

// A deterministic generator for the hostile-input tests (splitmix64).
struct TestRng {
    uint64_t state;
    uint64_t next() {
        uint64_t z = (state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    uint64_t below(uint64_t n) { return next() % n; }
};

// One action of every kind, with every selector and field form.
std::vector<Action> every_action() {
    std::vector<Action> out;
    auto add = [&](int64_t at_us, ActionKind kind) -> Action& {
        Action a;
        a.at_us = at_us;
        a.kind = kind;
        out.push_back(a);
        return out.back();
    };
    add(0, ActionKind::kKill).node = {NodeSelector::kLeader, raft::kNone};
    add(1'500, ActionKind::kRestart).node = {NodeSelector::kAll, raft::kNone};
    add(2'000, ActionKind::kPause).node = {NodeSelector::kId, 2};
    add(2'001, ActionKind::kResume).node = {NodeSelector::kRandom, raft::kNone};
    add(3'000, ActionKind::kPartition).groups = {{0, 1}, {2, 3, 4}};
    add(3'000, ActionKind::kPartition).isolate_leader_with = 1;
    Action& cut = add(4'000, ActionKind::kCutLink);
    cut.node = {NodeSelector::kId, 0};
    cut.to = {NodeSelector::kId, 4};
    add(5'000, ActionKind::kHeal);
    Action& net = add(6'000, ActionKind::kSetNetwork);
    net.loss_ppm = 123'457;
    net.latency_us_min = 500;
    net.latency_us_max = 20'000;
    Action& dup_only = add(6'500, ActionKind::kSetNetwork);
    dup_only.duplicate_ppm = 0;
    Action& clog = add(7'000, ActionKind::kClog);
    clog.node = {NodeSelector::kId, 1};
    clog.to = {NodeSelector::kId, 3};
    Action& unclog = add(7'500, ActionKind::kUnclog);
    unclog.node = {NodeSelector::kId, 3};
    unclog.to = {NodeSelector::kId, 1};
    Action& put = add(8'000, ActionKind::kPut);
    put.node = {NodeSelector::kFollower, raft::kNone};
    put.key = "k\"1\\\n\x01";
    put.value = "v\xc3\xa9";
    Action& get = add(8'000, ActionKind::kGet);
    get.node = {NodeSelector::kLeader, raft::kNone};
    get.key = "k1";
    Action& del = add(8'000, ActionKind::kDelete);
    del.node = {NodeSelector::kId, 4};
    del.key = "k1";
    Action& cas = add(8'000, ActionKind::kCas);
    cas.node = {NodeSelector::kLeader, raft::kNone};
    cas.key = "k2";
    cas.expected = "";
    cas.value = "new";
    Action& stress = add(9'000, ActionKind::kStress);
    stress.node = {NodeSelector::kLeader, raft::kNone};
    stress.count = 250;
    add(9'100, ActionKind::kCampaign).node = {NodeSelector::kId, 3};
    add(9'200, ActionKind::kSnapshot).node = {NodeSelector::kAll, raft::kNone};
    add(9'300, ActionKind::kDropMsg).msg_id = 77;
    Action& delay = add(9'300, ActionKind::kDelayMsg);
    delay.msg_id = 78;
    delay.delay_us = 12'345;
    add(9'999'999, ActionKind::kDupMsg).msg_id = 79;
    return out;
}

Scenario rich_scenario() {
    Scenario s;
    s.name = "rich";
    s.description = "Every field set away from its default.\n\"quoted\"";
    s.cluster.node_count = 5;
    s.cluster.election_timeout_us_min = 100'500;
    s.cluster.election_timeout_us_max = 200'001;
    s.cluster.heartbeat_us = 20'000;
    s.cluster.pre_vote = false;
    s.cluster.check_quorum = false;
    s.cluster.snapshot_threshold = 0;
    s.cluster.max_entries_per_append = 1;
    s.cluster.max_inflight_appends = 2;
    s.cluster.read_mode = raft::ReadMode::kReadIndex;
    s.cluster.mutations = raft::kMutCommitOldTerm | raft::kMutAckBeforeFsync;
    s.network = {0, 3, 1, 7, 333'333, 1'000'000};
    s.disk = {2'500, 9'000, 500'000, 1};
    s.workload = {4, 99, 7, 0, 1'000'000, 0, 0, 0, 2'000'001, 3, 10'000, 9'000'000, {}};
    PresetNode p;
    p.id = 3;
    p.current_term = 9;
    p.voted_for = 1;
    p.log = {{1, raft::EntryType::kCommand},
             {2, raft::EntryType::kNoop},
             {9, raft::EntryType::kCommand}};
    p.alive = false;
    // Nodes 1 and 2 are past term 9, so node 1 can have led terms 1, 2 and 9
    // with their votes and node 3's (preset_check.h: reachable).
    PresetNode later;
    later.id = 1;
    later.current_term = 10;
    PresetNode third = later;
    third.id = 2;
    s.preset = {p, later, third};
    s.duration_us = 10'000'000;
    s.timeline = every_action();
    s.expect_converged = true;
    return s;
}

// ---------------------------------------------------------------------------
// Built-in scenarios

TEST(ScenarioJson, EveryBuiltinParses) {
    std::vector<std::string> paths = builtin_paths();
    ASSERT_GE(paths.size(), 14u);
    for (const std::string& path : paths) {
        SCOPED_TRACE(path);
        Scenario s = load_ok(path);
        std::string stem = std::filesystem::path(path).stem().string();
        EXPECT_EQ(s.name, stem) << "a built-in's name must match its file name";
        EXPECT_GE(s.description.size(), 80u) << "a newcomer needs a description";
        EXPECT_GE(s.duration_us, 5'000'000);
    }
    for (const char* required :
         {"default", "follower-failure", "leader-failure", "all-nodes-failure",
          "partition-minority", "partition-leader", "one-way-link", "lossy-network", "figure-7",
          "figure-8", "snapshot-catch-up", "pre-vote-rejoin", "check-quorum",
          "disk-crash-unsynced"}) {
        EXPECT_TRUE(std::filesystem::exists(kSourceDir + "/scenarios/" + required + ".json"))
            << required;
    }
}

TEST(ScenarioJson, Figure7PresetMatchesThePaper) {
    Scenario s = load_ok(kSourceDir + "/scenarios/figure-7.json");
    EXPECT_EQ(s.cluster.node_count, 7);
    ASSERT_EQ(s.preset.size(), 7u);
    std::vector<raft::Term> leader;
    for (const PresetEntry& e : s.preset[0].log)
        leader.push_back(e.term);
    EXPECT_EQ(leader, (std::vector<raft::Term>{1, 1, 1, 4, 4, 5, 5, 6, 6, 6}));
    EXPECT_EQ(s.preset[4].log.size(), 12u);  // follower (d)
    ASSERT_FALSE(s.timeline.empty());
    EXPECT_EQ(s.timeline[0].kind, ActionKind::kCampaign);
    EXPECT_EQ(s.timeline[0].at_us, 0);
}

TEST(ScenarioJson, BuiltinsRoundTrip) {
    for (const std::string& path : builtin_paths()) {
        SCOPED_TRACE(path);
        Scenario s = load_ok(path);
        std::string json = scenario_to_json(s);
        Scenario again = parse_ok(json);
        EXPECT_EQ(scenario_to_json(again), json);
        EXPECT_EQ(again.timeline, s.timeline);
    }
}

// ---------------------------------------------------------------------------
// Round trips and conversions

TEST(ScenarioJson, RichScenarioRoundTrips) {
    Scenario s = rich_scenario();
    std::string json = scenario_to_json(s);
    Scenario again = parse_ok(json);
    EXPECT_EQ(scenario_to_json(again), json);
    EXPECT_EQ(again.timeline, s.timeline);  // already in time order, so unchanged
    EXPECT_EQ(again.cluster.mutations, s.cluster.mutations);
    EXPECT_EQ(again.network.tail_us_max, 7);
    EXPECT_EQ(again.network.loss_ppm, 333'333);
    EXPECT_EQ(again.workload.stop_us, 9'000'000);
    ASSERT_EQ(again.preset.size(), 3u);
    EXPECT_EQ(again.preset[0].log[1].type, raft::EntryType::kNoop);
    EXPECT_FALSE(again.preset[0].alive);
    EXPECT_EQ(again.preset[1].voted_for, raft::kNone);
}

TEST(ScenarioJson, DefaultsApplyWhenOmitted) {
    Scenario s = parse_ok("{}");
    Scenario d;
    EXPECT_EQ(scenario_to_json(s), scenario_to_json(d));
    EXPECT_EQ(s.name, "custom");
}

TEST(ScenarioJson, UnitsConvertExactly) {
    Scenario s = parse_ok(R"({
        "network": {"latency_ms": [0.5, 12.25], "loss": 0.05, "duplicate": 1e-1, "tail": 0.0000005},
        "disk": {"fsync_ms": 3, "torn_write": 1, "corrupt": 0.1234564},
        "workload": {"clients": 1, "rate_per_s": 10, "mix": {"put": 0.25, "get": 0.75},
                     "stop_ms": null, "timeout_ms": 0.0015},
        "cluster": {"nodes": 3.0, "election_timeout_ms": [1e2, 2E2], "heartbeat_ms": 10}
    })");
    EXPECT_EQ(s.network.latency_us_min, 500);
    EXPECT_EQ(s.network.latency_us_max, 12'250);
    EXPECT_EQ(s.network.loss_ppm, 50'000);
    EXPECT_EQ(s.network.duplicate_ppm, 100'000);
    EXPECT_EQ(s.network.tail_ppm, 1);  // half a ppm rounds up
    EXPECT_EQ(s.disk.fsync_us_min, 3'000);
    EXPECT_EQ(s.disk.fsync_us_max, 3'000);  // a single number is [x, x]
    EXPECT_EQ(s.disk.torn_write_ppm, 1'000'000);
    EXPECT_EQ(s.disk.corrupt_ppm, 123'456);
    EXPECT_EQ(s.workload.put_ppm, 250'000);
    EXPECT_EQ(s.workload.get_ppm, 750'000);
    EXPECT_EQ(s.workload.delete_ppm, 0);  // mix given: omitted operations are 0
    EXPECT_EQ(s.workload.stop_us, -1);
    EXPECT_EQ(s.workload.timeout_us, 2);  // 1.5 us rounds half up
    EXPECT_EQ(s.cluster.node_count, 3);
    EXPECT_EQ(s.cluster.election_timeout_us_min, 100'000);
    EXPECT_EQ(s.cluster.election_timeout_us_max, 200'000);
}

TEST(ScenarioJson, TimelineIsSortedStably) {
    Scenario s = parse_ok(R"({"timeline": [
        {"at_ms": 300, "do": "heal"},
        {"at_ms": 100, "do": "kill", "node": 1},
        {"at_ms": 300, "do": "restart", "node": "all"},
        {"at_ms": 100, "do": "kill", "node": 2}]})");
    ASSERT_EQ(s.timeline.size(), 4u);
    EXPECT_EQ(s.timeline[0].node.id, 1);
    EXPECT_EQ(s.timeline[1].node.id, 2);
    EXPECT_EQ(s.timeline[2].kind, ActionKind::kHeal);
    EXPECT_EQ(s.timeline[3].kind, ActionKind::kRestart);
}

TEST(ScenarioJson, ErrorNamesSourcePathAndReason) {
    std::string error = parse_error(R"({"cluster": {"nodes": 5}, "timeline": [
        {"at_ms": 1, "do": "heal"}, {"at_ms": 2, "do": "heal"}, {"at_ms": 3, "do": "heal"},
        {"at_ms": 4, "do": "kill", "node": 7}]})");
    EXPECT_EQ(error, "test.json: timeline[3].node: node id 7 out of range (cluster has 5 nodes)");
}

TEST(ScenarioJson, NamesRoundTrip) {
    for (int k = 0; k < static_cast<int>(ActionKind::kCount); ++k) {
        ActionKind kind = static_cast<ActionKind>(k), back = ActionKind::kCount;
        ASSERT_TRUE(action_from_name(action_name(kind), &back)) << k;
        EXPECT_EQ(back, kind);
    }
    ActionKind unused;
    EXPECT_FALSE(action_from_name("explode", &unused));
    EXPECT_STREQ(action_name(ActionKind::kCount), "?");
    for (uint32_t bit = 1; bit <= raft::kMutAckBeforeFsync; bit <<= 1) {
        EXPECT_EQ(raft::mutation_from_name(raft::mutation_name(bit)), bit);
    }
    EXPECT_EQ(raft::mutation_from_name("nonsense"), raft::kMutNone);
}

// ---------------------------------------------------------------------------
// Overrides (--set)

TEST(ScenarioJson, OverridesApplyBeforeValidation) {
    const std::string path = kSourceDir + "/scenarios/follower-failure.json";
    Scenario s = load_ok(path, {"cluster.nodes=7", "network.loss=0.1", "timeline[0].at_ms=500",
                                "cluster.read_mode=read_index", "name=renamed",
                                "cluster.mutations=[\"commit_old_term\"]", "disk.corrupt=0.25",
                                "workload.mix={\"put\":1}", "description=a=b"});
    EXPECT_EQ(s.cluster.node_count, 7);
    EXPECT_EQ(s.network.loss_ppm, 100'000);
    EXPECT_EQ(s.timeline[0].at_us, 500'000);
    EXPECT_EQ(s.cluster.read_mode, raft::ReadMode::kReadIndex);
    EXPECT_EQ(s.name, "renamed");
    EXPECT_EQ(s.cluster.mutations, raft::kMutCommitOldTerm);
    EXPECT_EQ(s.disk.corrupt_ppm, 250'000);
    EXPECT_EQ(s.workload.put_ppm, 1'000'000);
    EXPECT_EQ(s.description, "a=b");
    // A section the file omits is created on demand.
    Scenario blank = parse_ok("{}", {"expect.converged=true", "preset=[{\"node\":1,\"term\":2}]"});
    EXPECT_TRUE(blank.expect_converged);
    ASSERT_EQ(blank.preset.size(), 1u);
    EXPECT_EQ(blank.preset[0].current_term, 2);
}

TEST(ScenarioJson, BadOverridesNameThePath) {
    const std::string json = R"({"name": "n", "timeline": [{"at_ms": 1, "do": "heal"}]})";
    struct Case {
        const char* spec;
        const char* want;
    } cases[] = {
        {"cluster.nodes", "--set cluster.nodes: expected PATH=VALUE"},
        {"cluster..nodes=3", "--set cluster..nodes=3: empty name in the path"},
        {"=3", "--set =3: empty name"},
        {"timeline[x].at_ms=1", "bad index in the path"},
        {"timeline[3].at_ms=1", "timeline[3]: index out of range (timeline has 1 item)"},
        {"timeline.at_ms=1", "timeline is an array, not an object"},
        {"name[0]=1", "name is a string, not an array"},
        {"preset[0].term=1", "preset: not present, so it has no item to set"},
        {"cluster.nodez=7", "test.json: cluster.nodez: unknown key"},
        {"cluster.nodes=twelve", "test.json: cluster.nodes: expected an integer, got a string"},
        {"timeline[0].at_ms=-1", "timeline[0].at_ms: negative time -1 ms"},
    };
    for (const Case& c : cases) {
        std::string error = parse_error(json, {c.spec});
        EXPECT_NE(error.find(c.want), std::string::npos) << c.spec << " -> " << error;
    }
}

// ---------------------------------------------------------------------------
// The bad-scenario corpus

TEST(ScenarioJson, BadScenarioCorpus) {
    const std::string dir = kSourceDir + "/tests/data/bad_scenarios/";
    std::ifstream expected(dir + "expected.txt");
    ASSERT_TRUE(expected.good());
    std::vector<std::string> listed;
    std::string line;
    while (std::getline(expected, line)) {
        if (line.empty() || line[0] == '#') continue;
        size_t tab = line.find('\t');
        ASSERT_NE(tab, std::string::npos) << line;
        std::string file = line.substr(0, tab), want = line.substr(tab + 1);
        listed.push_back(file);
        SCOPED_TRACE(file);
        Scenario s;
        std::string error;
        EXPECT_FALSE(load_scenario_file(dir + file, {}, &s, &error));
        EXPECT_EQ(error.rfind(dir + file + ": ", 0), 0u) << error;
        EXPECT_NE(error.find(want), std::string::npos) << "error: " << error << "\nwant: " << want;
    }
    EXPECT_GE(listed.size(), 20u);
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".json") continue;
        std::string name = entry.path().filename().string();
        EXPECT_NE(std::find(listed.begin(), listed.end(), name), listed.end())
            << name << " has no line in expected.txt";
    }
}

TEST(ScenarioJson, MissingFileIsNamed) {
    Scenario s;
    std::string error;
    EXPECT_FALSE(load_scenario_file("/nonexistent/x.json", {}, &s, &error));
    EXPECT_EQ(error.rfind("/nonexistent/x.json: cannot open", 0), 0u) << error;
}

// ---------------------------------------------------------------------------
// Run files

RunFile sample_run() {
    RunFile run;
    run.scenario = rich_scenario();
    run.seed = UINT64_MAX;
    run.inputs = every_action();
    run.digest = "00ff1234abcdef";
    run.cursor_us = 8'765'432;
    return run;
}

TEST(ScenarioJson, RunFileRoundTrips) {
    RunFile run = sample_run();
    std::string json = run_file_to_json(run);
    EXPECT_NE(json.find("\"seed\":\"18446744073709551615\""), std::string::npos);
    RunFile back;
    std::string error;
    ASSERT_TRUE(parse_run_file(json, "run.json", &back, &error)) << error;
    EXPECT_EQ(back.seed, run.seed);
    EXPECT_EQ(back.inputs, run.inputs);
    EXPECT_EQ(back.digest, run.digest);
    EXPECT_EQ(back.cursor_us, run.cursor_us);
    EXPECT_EQ(run_file_to_json(back), json);
}

TEST(ScenarioJson, BadRunFiles) {
    std::string good = run_file_to_json(sample_run());
    // Replaces the last occurrence: the inputs follow the scenario.
    auto replaced = [&](const std::string& from, const std::string& to) {
        std::string s = good;
        size_t at = s.rfind(from);
        EXPECT_NE(at, std::string::npos) << from;
        return s.replace(at, from.size(), to);
    };
    struct Case {
        std::string text;
        const char* want;
    } cases[] = {
        {replaced("\"raftplay-run\"", "\"other\""), "run.json: format: expected \"raftplay-run\""},
        {replaced("\"version\":1", "\"version\":2"),
         "run.json: version: version 2 is not supported"},
        {replaced("\"18446744073709551615\"", "\"18446744073709551616\""),
         "run.json: seed: expected"},
        {replaced("\"digest\":\"00ff", "\"digest\":\"XYZ"),
         "run.json: digest: expected lowercase hex"},
        {replaced("\"nodes\":5", "\"nodes\":3"),
         "run.json: scenario.preset[0].node: node id 3 out of range (cluster has 3 nodes)"},
        {replaced("{\"at_ms\":9999.999,", "{\"at_ms\":1,"),
         "run.json: inputs[21].at_ms: 1 ms is before the previous action (9.3 ms)"},
        {"{\"format\":\"raftplay-run\"}", "run.json: version: required"},
        {good.substr(0, good.size() / 2), ": invalid JSON at line 1, column"},
    };
    for (const Case& c : cases) {
        RunFile out;
        std::string error;
        EXPECT_FALSE(parse_run_file(c.text, "run.json", &out, &error));
        EXPECT_NE(error.find(c.want), std::string::npos) << error << "\nwant: " << c.want;
    }
}

// ---------------------------------------------------------------------------
// Share-link fragments

TEST(ScenarioJson, FragmentRoundTripsWithBuiltin) {
    RunFile run = sample_run();
    std::string fragment = encode_fragment(run, "leader-failure");
    EXPECT_EQ(fragment.rfind("v=1&s=leader-failure&seed=18446744073709551615&t=8765432&d=", 0), 0u)
        << fragment;
    RunFile back;
    std::string builtin, error;
    ASSERT_TRUE(decode_fragment("#" + fragment, &back, &builtin, &error)) << error;
    EXPECT_EQ(builtin, "leader-failure");
    EXPECT_EQ(back.seed, run.seed);
    EXPECT_EQ(back.inputs, run.inputs);
    EXPECT_EQ(back.digest, run.digest);
    EXPECT_EQ(back.cursor_us, run.cursor_us);
    EXPECT_EQ(encode_fragment(back, builtin), fragment);
    // The caller resolves the built-in, then checks the inputs against it.
    Scenario three = parse_ok(R"({"cluster": {"nodes": 3}})");
    EXPECT_TRUE(check_inputs(run.scenario, back.inputs, &error)) << error;
    EXPECT_FALSE(check_inputs(three, back.inputs, &error));
    EXPECT_NE(error.find("inputs[4].groups[1][1]: node id 3 out of range (cluster has 3 nodes)"),
              std::string::npos)
        << error;
}

TEST(ScenarioJson, FragmentRoundTripsWithCustomScenario) {
    RunFile run = sample_run();
    run.inputs.clear();
    run.digest.clear();
    run.cursor_us = -1;
    std::string fragment = encode_fragment(run, "");
    EXPECT_EQ(fragment.find_first_not_of(
                  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=&"),
              std::string::npos);
    RunFile back;
    std::string builtin, error;
    ASSERT_TRUE(decode_fragment(fragment, &back, &builtin, &error)) << error;
    EXPECT_TRUE(builtin.empty());
    EXPECT_EQ(scenario_to_json(back.scenario), scenario_to_json(run.scenario));
    EXPECT_EQ(back.seed, run.seed);
    EXPECT_EQ(back.cursor_us, -1);
    EXPECT_TRUE(back.inputs.empty());
}

std::string b64(const std::string& bytes) {
    static const char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        acc = (acc << 8) | c;
        for (bits += 8; bits >= 6; bits -= 6)
            out += kAlphabet[(acc >> (bits - 6)) & 63];
    }
    if (bits > 0) out += kAlphabet[(acc << (6 - bits)) & 63];
    return out;
}

void expect_rejected(const std::string& fragment, const char* want) {
    RunFile out;
    std::string builtin, error;
    EXPECT_FALSE(decode_fragment(fragment, &out, &builtin, &error)) << fragment.substr(0, 200);
    EXPECT_EQ(error.rfind("share link: ", 0), 0u) << error;
    EXPECT_NE(error.find(want), std::string::npos) << error << "\nwant: " << want;
}

TEST(ScenarioJson, HostileFragmentsHugeNumbersAndWrongTypes) {
    const std::string base = "v=1&s=default&seed=1";
    expect_rejected("", "empty");
    expect_rejected("v=1&s=default", "seed: missing");
    expect_rejected("v=2&s=default&seed=1", "v: version \"2\" is not supported");
    expect_rejected("v=1&seed=1", "needs exactly one of s");
    expect_rejected("s=a&sc=b&seed=1", "needs exactly one of s");
    expect_rejected("s=../etc/passwd&seed=1", "s: not a scenario name");
    expect_rejected(base + "&seed=2", "parameter \"seed\" given twice");
    expect_rejected(base + "&x=1", "unknown parameter \"x\"");
    expect_rejected(base + "&t", "parameter \"t\" has no value");
    expect_rejected("s=default&seed=99999999999999999999999", "seed: expected a 64-bit");
    expect_rejected("s=default&seed=-1", "seed: expected a 64-bit");
    expect_rejected(base + "&t=1e99", "t: expected a time in microseconds");
    expect_rejected(base + "&t=99999999999999999999", "t: expected a time");
    expect_rejected(base + "&d=ZZ", "d: expected a lowercase hex digest");
    expect_rejected(base + "&in=***", "in: invalid base64url character at position 0");
    expect_rejected(base + "&in=A", "in: invalid base64url (truncated");
    expect_rejected(base + "&in=" + b64("[{\"at_ms\":1e999999999,\"do\":\"kill\",\"node\":0}]"),
                    "in[0].at_ms: invalid JSON at line 1, column 11 (offset 10): Number too big");
    expect_rejected(base + "&in=" + b64("[{\"at_ms\":1e300,\"do\":\"kill\",\"node\":0}]"),
                    "in[0].at_ms: time 1e300 ms is too large");
    expect_rejected(base + "&in=" + b64("[{\"at_ms\":1,\"do\":\"kill\",\"node\":1e30}]"),
                    "in[0].node: number 1e30 is too large");
    expect_rejected(
        base + "&in=" + b64("[{\"at_ms\":1,\"do\":\"stress\",\"node\":0,\"count\":-1e400}]"),
        "in[0].count: invalid JSON");
    expect_rejected(
        base + "&in=" + b64("[{\"at_ms\":1,\"do\":\"stress\",\"node\":0,\"count\":-1e300}]"),
        "in[0].count: number -1e300 is too large");
    expect_rejected(base + "&in=" + b64("[{\"at_ms\":1,\"do\":\"heal\"} {}]"),
                    "in[1]: invalid JSON at line 1, column 26 (offset 25): Missing a comma");
    expect_rejected(base + "&in=" + b64("{\"a\":1}"), "in: expected an array, got an object");
    expect_rejected(base + "&in=" + b64("\"str\""), "in: expected an array, got a string");
    expect_rejected(base + "&in=" + b64("[1,2,3]"),
                    "in[0]: expected an object (a step), got a number");
    expect_rejected(base + "&in=" + b64("[{\"at_ms\":\"1\",\"do\":\"heal\"}]"),
                    "in[0].at_ms: expected a time in ms, got a string");
    expect_rejected(base + "&in=" + b64("[{\"at_ms\":1,\"do\":\"kill\",\"node\":9}]"),
                    "in[0].node: node id 9 out of range (cluster has 9 nodes)");
    expect_rejected(base + "&in=" + b64(std::string(10'000, '[')), "nested deeper than 64 levels");
    expect_rejected(base + "&in=" + b64("[\"\xff\xfe\"]"),
                    "in[0]: invalid JSON at line 1, column 3 (offset 2): Invalid encoding");
    expect_rejected("v=1&sc=" + b64("[]") + "&seed=1", "sc: expected an object, got an array");
    expect_rejected("v=1&sc=" + b64("{\"cluster\":{\"nodes\":99}}") + "&seed=1",
                    "sc.cluster.nodes: must be between 1 and 9, got 99");
    expect_rejected("v=1&sc=" + b64("{\"cluster\":{\"nodes\":3}}") +
                        "&seed=1&in=" + b64("[{\"at_ms\":1,\"do\":\"kill\",\"node\":5}]"),
                    "in[0].node: node id 5 out of range (cluster has 3 nodes)");
}

TEST(ScenarioJson, HostileFragmentsEnormousSizes) {
    expect_rejected("s=default&seed=1&in=" + std::string(kMaxFragmentBytes, 'A'), "too long");
    // kMaxInputs cannot be reached within kMaxFragmentBytes; a run file can.
    RunFile run;
    run.inputs.resize(kMaxInputs + 1);
    for (Action& a : run.inputs)
        a.kind = ActionKind::kHeal;
    RunFile out;
    std::string error;
    EXPECT_FALSE(parse_run_file(run_file_to_json(run), "run.json", &out, &error));
    EXPECT_NE(error.find("run.json: inputs: too many items (10001, at most 10000)"),
              std::string::npos)
        << error;
    std::string params;
    for (int i = 0; i < 20; ++i)
        params += "&seed=1";
    expect_rejected("s=default" + params, "given twice");
    std::string huge_key = "{\"" + std::string(100'000, 'k') + "\":1}";
    expect_rejected("v=1&sc=" + b64(huge_key) + "&seed=1", "unknown key");
}

TEST(ScenarioJson, HostileFragmentsRandomBytesNeverCrash) {
    TestRng rng{20240611};
    RunFile run = sample_run();
    const std::string valid = encode_fragment(run, "");
    const std::string alphabet = "v=1&s=sc=seed=t=d=in=0123456789-_abcXYZ[]{}\"";
    int accepted = 0;
    for (int i = 0; i < 1000; ++i) {
        std::string fragment;
        switch (i % 4) {
            case 0:  // raw random bytes
                for (uint64_t n = rng.below(600); n > 0; --n) {
                    fragment += static_cast<char>(rng.below(256));
                }
                break;
            case 1:  // random tokens that look like parameters
                for (uint64_t n = rng.below(80); n > 0; --n)
                    fragment += alphabet[rng.below(alphabet.size())];
                break;
            case 2:  // a valid link with a few bytes corrupted
                fragment = valid;
                for (uint64_t n = 1 + rng.below(4); n > 0; --n) {
                    fragment[rng.below(fragment.size())] = static_cast<char>(rng.below(256));
                }
                break;
            default:  // random bytes behind a valid prefix, base64-wrapped
                std::string bytes;
                for (uint64_t n = rng.below(300); n > 0; --n)
                    bytes += static_cast<char>(rng.below(256));
                fragment = (rng.below(2) ? "s=default&seed=1&in=" : "seed=1&sc=") + b64(bytes);
                break;
        }
        RunFile out;
        std::string builtin, error;
        bool ok = decode_fragment(fragment, &out, &builtin, &error);
        if (ok) {
            ++accepted;
            EXPECT_TRUE(error.empty());
        } else {
            EXPECT_EQ(error.rfind("share link: ", 0), 0u) << error;
        }
    }
    EXPECT_LT(accepted, 250);  // corruption is detected, not silently absorbed
}

}  // namespace
}  // namespace sim
