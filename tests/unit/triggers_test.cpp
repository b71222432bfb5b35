// tests/unit/triggers_test.cpp — triggered steps (`when`, sim/world_triggers.cpp)
// and the selectors relative to the moment: each trigger kind fires on the
// event the trace shows (found independently in the trace, not from the
// world's own log), counts, node filters, arming time and delay hold, the
// bound "trigger" node is the event's, and runs with triggers are
// deterministic, survive seeks and checkpoints, and replay from a run file.
#include <gtest/gtest.h>

#include "check/fuzz.h"
#include "check/shrink.h"
#include "format/run_archive.h"
#include "format/run_file.h"
#include "format/scenario_json.h"
#include "sim/timeline.h"
#include "sim/world.h"

namespace sim {
namespace {

std::shared_ptr<const Scenario> scenario(const std::string& body) {
    const std::string text = R"({"name": "triggers", "cluster": {"nodes": 3},
        "duration_ms": 4000, )" +
                             body + "}";
    auto s = std::make_shared<Scenario>();
    std::string err;
    EXPECT_TRUE(parse_scenario(text, "test", {}, s.get(), &err)) << err;
    return s;
}

const std::string kWorkload = R"("workload": {"clients": 2, "rate_per_s": 50, "keys": 10}, )";

std::unique_ptr<World> run(std::shared_ptr<const Scenario> s, uint64_t seed = 1) {
    auto w = std::make_unique<World>(std::move(s), seed);
    w->run_to_end();
    return w;
}

// The first trace record matching `pred` (its index), or -1.
template <class Pred>
int64_t first(const World& w, Pred pred, int nth = 1) {
    const auto trace = w.trace();
    for (size_t i = 0; i < trace.size(); i++) {
        if (pred(trace[i]) && --nth == 0) return static_cast<int64_t>(i);
    }
    return -1;
}

TEST(Triggers, RoleLeaderFiresAtTheFirstElectionAndBindsTheNewLeader) {
    auto w = run(scenario(R"("timeline": [
        {"when": {"event": "role", "role": "leader"}, "do": "kill", "node": "trigger"}])"));
    ASSERT_GE(w->leaders().size(), 2u);  // the first leader died; another took over
    const LeaderRecord first_leader = w->leaders()[0];
    ASSERT_EQ(w->fired_triggers().size(), 1u);
    EXPECT_EQ(w->fired_triggers()[0].at_us, first_leader.at_us);
    EXPECT_EQ(w->fired_triggers()[0].subject, first_leader.node);
    EXPECT_EQ(w->fired_triggers()[0].step, 0);
    EXPECT_FALSE(w->nodes()[static_cast<size_t>(first_leader.node)].alive);
    const int64_t crash =
        first(*w, [](const TraceRecord& r) { return r.kind == TraceKind::kCrash; });
    ASSERT_GE(crash, 0);
    EXPECT_EQ(w->trace()[static_cast<size_t>(crash)].t_us, first_leader.at_us);  // delay 0
    EXPECT_EQ(w->trace()[static_cast<size_t>(crash)].node, first_leader.node);
}

TEST(Triggers, RoleCandidateOfOneNode) {
    auto w = run(scenario(R"("timeline": [
        {"when": {"event": "role", "role": "candidate", "node": 2}, "do": "pause", "node": "trigger"}])"));
    const int64_t cand = first(*w, [](const TraceRecord& r) {
        return r.kind == TraceKind::kRole && r.node == 2 &&
               r.aux == static_cast<int64_t>(raft::Role::kCandidate);
    });
    if (cand < 0) {
        EXPECT_TRUE(w->fired_triggers().empty());
        GTEST_SKIP() << "n2 never stood for election with this seed";
    }
    ASSERT_EQ(w->fired_triggers().size(), 1u);
    EXPECT_EQ(w->fired_triggers()[0].at_us, w->trace()[static_cast<size_t>(cand)].t_us);
    EXPECT_EQ(w->fired_triggers()[0].subject, 2);
    EXPECT_TRUE(w->nodes()[2].paused);
}

TEST(Triggers, ThirdFsyncOfANodeWithDelay) {
    auto w = run(scenario(kWorkload + R"("timeline": [
        {"when": {"event": "fsync", "node": 1, "count": 3, "delay_ms": 7}, "do": "kill", "node": "trigger"}])"));
    const int64_t third = first(
        *w, [](const TraceRecord& r) { return r.kind == TraceKind::kFsync && r.node == 1; }, 3);
    ASSERT_GE(third, 0);
    const int64_t t = w->trace()[static_cast<size_t>(third)].t_us;
    ASSERT_EQ(w->fired_triggers().size(), 1u);
    EXPECT_EQ(w->fired_triggers()[0].at_us, t);
    EXPECT_EQ(w->fired_triggers()[0].subject, 1);
    const int64_t crash =
        first(*w, [](const TraceRecord& r) { return r.kind == TraceKind::kCrash; });
    ASSERT_GE(crash, 0);
    EXPECT_EQ(w->trace()[static_cast<size_t>(crash)].t_us, t + 7'000);
    EXPECT_EQ(w->trace()[static_cast<size_t>(crash)].node, 1);
}

TEST(Triggers, CommitOfAnIndexCrashesTheLeader) {
    auto w = run(scenario(kWorkload + R"("timeline": [
        {"when": {"event": "commit", "index": 10}, "do": "kill", "node": "leader"}])"));
    const int64_t commit = first(
        *w, [](const TraceRecord& r) { return r.kind == TraceKind::kCommit && r.index >= 10; });
    ASSERT_GE(commit, 0);
    ASSERT_EQ(w->fired_triggers().size(), 1u);
    const TraceRecord& c = w->trace()[static_cast<size_t>(commit)];
    EXPECT_EQ(w->fired_triggers()[0].at_us, c.t_us);
    EXPECT_EQ(w->fired_triggers()[0].subject, c.node);
    // The leader that committed it is the one killed.
    const int64_t crash =
        first(*w, [](const TraceRecord& r) { return r.kind == TraceKind::kCrash; });
    ASSERT_GE(crash, 0);
    EXPECT_EQ(w->trace()[static_cast<size_t>(crash)].node, c.node);
}

TEST(Triggers, ApplyCountsDistinctNodes) {
    auto w = run(scenario(kWorkload + R"("timeline": [
        {"when": {"event": "apply", "index": 5, "count": 2}, "do": "pause", "node": "trigger"}])"));
    std::vector<int> nodes;
    int64_t t = -1;
    int subject = -1;
    for (const TraceRecord& r : w->trace()) {
        if (r.kind != TraceKind::kApply || r.index != 5) continue;
        if (std::find(nodes.begin(), nodes.end(), r.node) != nodes.end()) continue;
        nodes.push_back(r.node);
        if (nodes.size() == 2) {
            t = r.t_us;
            subject = r.node;
            break;
        }
    }
    ASSERT_GE(t, 0);
    ASSERT_EQ(w->fired_triggers().size(), 1u);
    EXPECT_EQ(w->fired_triggers()[0].at_us, t);
    EXPECT_EQ(w->fired_triggers()[0].subject, subject);
}

TEST(Triggers, SendAndDeliverWithEnds) {
    // Appends go from the leader to its followers: name one of them.
    const raft::NodeId lead = run(scenario(kWorkload + R"("timeline": [])"))->leaders()[0].node;
    const raft::NodeId to = (lead + 1) % 3, from = (lead + 2) % 3;
    auto w = run(scenario(kWorkload + R"("timeline": [
        {"when": {"event": "send", "msg": "append", "to": )" +
                          std::to_string(to) +
                          R"(, "count": 4}, "do": "pause", "node": "trigger"},
        {"when": {"event": "deliver", "msg": "append_resp", "from": )" +
                          std::to_string(from) + R"(}, "do": "resume", "node": "all"}])"));
    const int64_t send = first(
        *w,
        [&](const TraceRecord& r) {
            return r.kind == TraceKind::kSend &&
                   r.msg_type == static_cast<uint8_t>(raft::MsgType::kAppend) && r.peer == to;
        },
        4);
    const int64_t deliver = first(*w, [&](const TraceRecord& r) {
        return r.kind == TraceKind::kDeliver &&
               r.msg_type == static_cast<uint8_t>(raft::MsgType::kAppendResp) && r.peer == from;
    });
    ASSERT_GE(send, 0);
    ASSERT_GE(deliver, 0);
    const TraceRecord& s = w->trace()[static_cast<size_t>(send)];
    const TraceRecord& d = w->trace()[static_cast<size_t>(deliver)];
    ASSERT_EQ(w->fired_triggers().size(), 2u);
    // Firing order is time order: find each by its step.
    for (const FiredTrigger& f : w->fired_triggers()) {
        if (f.step == 0) {
            EXPECT_EQ(f.at_us, s.t_us);
            EXPECT_EQ(f.subject, s.node);  // the sender
        } else {
            EXPECT_EQ(f.at_us, d.t_us);
            EXPECT_EQ(f.subject, d.node);  // the receiver
        }
    }
}

TEST(Triggers, ClientDoneWithStatus) {
    auto w = run(scenario(kWorkload + R"("timeline": [
        {"when": {"event": "client_done", "status": "ok", "count": 5}, "do": "kill", "node": "trigger"}])"));
    const int64_t done = first(
        *w,
        [](const TraceRecord& r) {
            return r.kind == TraceKind::kClientComplete &&
                   r.aux == static_cast<int64_t>(OpStatus::kOk);
        },
        5);
    ASSERT_GE(done, 0);
    ASSERT_EQ(w->fired_triggers().size(), 1u);
    EXPECT_EQ(w->fired_triggers()[0].at_us, w->trace()[static_cast<size_t>(done)].t_us);
    EXPECT_EQ(w->fired_triggers()[0].subject, w->trace()[static_cast<size_t>(done)].peer);
}

TEST(Triggers, ArmedFromAtMs) {
    // The leader dies at 1 s; a trigger armed at 0.9 s sees only the election after.
    auto w = run(scenario(R"("timeline": [
        {"at_ms": 1000, "do": "kill", "node": "leader"},
        {"at_ms": 900, "when": {"event": "role", "role": "leader"}, "do": "pause", "node": "trigger"}])"));
    ASSERT_GE(w->leaders().size(), 2u);
    ASSERT_EQ(w->fired_triggers().size(), 1u);
    EXPECT_LT(w->leaders()[0].at_us, 900'000);
    EXPECT_EQ(w->fired_triggers()[0].at_us, w->leaders()[1].at_us);
    EXPECT_EQ(w->fired_triggers()[0].subject, w->leaders()[1].node);
    EXPECT_EQ(w->fired_triggers()[0].step, 0);  // the timeline is sorted by at_ms
}

TEST(Triggers, NeverFiringTriggerDoesNothing) {
    auto w = run(scenario(R"("timeline": [
        {"when": {"event": "commit", "index": 1000000}, "do": "kill", "node": "all"}])"));
    EXPECT_TRUE(w->fired_triggers().empty());
    for (const NodeSlot& n : w->nodes())
        EXPECT_TRUE(n.alive);
    EXPECT_EQ(first(*w, [](const TraceRecord& r) { return r.kind == TraceKind::kAction; }), -1);
}

TEST(Selectors, LeaderRelativeSelectorsResolveAtTheMoment) {
    auto s = scenario(R"("timeline": [
        {"at_ms": 1500, "do": "pause", "node": "followers_of_leader"}])");
    World a(s, 1);
    a.run_until(1'499'000);
    const raft::NodeId lead = a.leader();
    ASSERT_NE(lead, raft::kNone);
    a.run_until(1'500'000);
    for (int i = 0; i < 3; i++)
        EXPECT_EQ(a.nodes()[static_cast<size_t>(i)].paused, i != lead) << i;

    auto s2 = scenario(R"("timeline": [{"at_ms": 1500, "do": "kill", "node": "leader+1"}])");
    World b(s2, 1);
    b.run_until(1'499'000);
    ASSERT_EQ(b.leader(), lead);  // the same seed, the same history so far
    b.run_until(1'500'000);
    for (int i = 0; i < 3; i++)
        EXPECT_EQ(b.nodes()[static_cast<size_t>(i)].alive, i != (lead + 1) % 3) << i;
}

TEST(Triggers, SameSeedSameDigestAndFirings) {
    auto s = scenario(kWorkload + R"("timeline": [
        {"when": {"event": "role", "role": "leader"}, "do": "partition", "isolate_leader_with": 0},
        {"when": {"event": "commit", "index": 10, "delay_ms": 300}, "do": "heal"}])");
    auto a = run(s, 5), b = run(s, 5);
    EXPECT_EQ(a->digest_hex(), b->digest_hex());
    EXPECT_EQ(a->fired_triggers(), b->fired_triggers());
    EXPECT_EQ(a->fired_triggers().size(), 2u);
}

// A trigger that never fires changes nothing but the step being absent:
// the same digest as the scenario without the step.
TEST(Triggers, UnfiredTriggerLeavesTheDigestAlone) {
    auto with = run(scenario(kWorkload + R"("timeline": [
        {"when": {"event": "commit", "index": 1000000}, "do": "kill", "node": "leader"}])"));
    auto without = run(scenario(kWorkload + R"("timeline": [])"));
    EXPECT_EQ(with->digest_hex(), without->digest_hex());
}

TEST(Triggers, SeekBackAcrossAFiringReproducesIt) {
    auto s = scenario(kWorkload + R"("timeline": [
        {"when": {"event": "fsync", "node": 0, "count": 20}, "do": "kill", "node": "trigger"},
        {"when": {"event": "role", "role": "leader", "count": 2}, "do": "restart", "node": "all"}])");
    auto straight = run(s, 3);
    Timeline t(s, 3, {});
    t.run_until(s->duration_us);
    ASSERT_EQ(t.world().digest_hex(), straight->digest_hex());
    ASSERT_FALSE(straight->fired_triggers().empty());
    t.seek_time(straight->fired_triggers()[0].at_us / 2);
    EXPECT_TRUE(t.world().fired_triggers().empty() ||
                t.world().fired_triggers()[0].at_us <= t.world().now_us());
    t.run_until(s->duration_us);
    EXPECT_EQ(t.world().digest_hex(), straight->digest_hex());
    EXPECT_EQ(t.world().fired_triggers(), straight->fired_triggers());
}

TEST(Triggers, RunFileRoundTripsAndReplayComparesFirings) {
    auto s = scenario(kWorkload + R"("timeline": [
        {"when": {"event": "role", "role": "leader"}, "do": "kill", "node": "trigger"},
        {"at_ms": 2000, "do": "restart", "node": "all"}])");
    auto w = run(s, 9);
    const RunFile rf = run_file_of(*w, -1);
    ASSERT_EQ(rf.triggers_fired.size(), 1u);
    RunFile back;
    std::string err;
    ASSERT_TRUE(parse_run_file(run_file_to_json(rf), "run.json", &back, &err)) << err;
    EXPECT_EQ(back.triggers_fired, rf.triggers_fired);
    EXPECT_EQ(back.scenario.timeline, s->timeline);
    World replay(std::make_shared<const Scenario>(back.scenario), back.seed, back.inputs);
    replay.run_to_end();
    EXPECT_EQ(replay.digest_hex(), back.digest);
    EXPECT_EQ(compare_fired(back.triggers_fired, replay.fired_triggers(), replay.now_us()), "");
    // Fired once, not twice: the recorded firing is not an input.
    EXPECT_EQ(replay.fired_triggers().size(), 1u);
    EXPECT_TRUE(back.inputs.empty());
    // A forged firing time is caught.
    std::vector<FiredTrigger> forged = back.triggers_fired;
    forged[0].at_us += 1;
    EXPECT_NE(compare_fired(forged, replay.fired_triggers(), replay.now_us()), "");
    EXPECT_NE(compare_fired({}, replay.fired_triggers(), replay.now_us()), "");
    // A firing that names a step without a trigger is refused on reading.
    std::string text = run_file_to_json(rf);
    const size_t at = text.find("\"step\":0");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 8, "\"step\":1");
    EXPECT_FALSE(parse_run_file(text, "run.json", &back, &err));
    EXPECT_NE(err.find("triggers_fired[0].step"), std::string::npos) << err;
}

TEST(Triggers, RunArchiveRoundTripsArmedState) {
    auto s = scenario(kWorkload + R"("timeline": [
        {"when": {"event": "fsync", "node": 2, "count": 30}, "do": "kill", "node": "trigger"},
        {"when": {"event": "commit", "index": 100000}, "do": "heal"}])");
    Timeline t(s, 4, {});
    t.run_until(s->duration_us);
    ASSERT_EQ(t.world().fired_triggers().size(), 1u);
    const RunArchive ar = archive_of(t);
    RunArchive back;
    std::string err;
    ASSERT_TRUE(decode_run_archive(encode_run_archive(ar), "a.rpa", &back, &err)) << err;
    const ArchiveCheck check = verify_run_archive(back);
    EXPECT_TRUE(check.ok) << check.error;
    ASSERT_FALSE(back.checkpoints.empty());
    const WorldState& last = back.checkpoints.back().state;
    EXPECT_EQ(last.triggers.size(), 2u);
    bool found = false;
    for (const auto& c : back.checkpoints) {
        if (c.state.triggers_armed == 1) {
            EXPECT_TRUE(c.state.triggers[0].fired);
            EXPECT_EQ(c.state.fired_log, t.world().fired_triggers());
            found = true;
        }
        if (c.state.triggers_armed == 2) {
            EXPECT_LT(c.state.triggers[0].seen, 30);  // armed: fewer matches than its count
        }
    }
    EXPECT_TRUE(found || back.checkpoints.size() == 1);
}

TEST(Triggers, EveryKindRoundTripsThroughTheScenarioFormat) {
    auto s = scenario(kWorkload + R"("timeline": [
        {"when": {"event": "role", "role": "pre_candidate", "node": 1}, "do": "pause", "node": "subject"},
        {"when": {"event": "commit", "index": 7, "node": 2, "count": 2}, "do": "kill", "node": "leader+1"},
        {"when": {"event": "apply", "index": 3}, "do": "disconnect", "node": "followers_of_leader"},
        {"when": {"event": "send", "msg": "vote", "from": 0, "to": 1}, "do": "cut", "node": "trigger", "to": 2},
        {"when": {"event": "deliver", "msg": "append_resp", "to": 0, "delay_ms": 1.5}, "do": "reconnect", "node": "all"},
        {"at_ms": 10, "when": {"event": "fsync", "count": 9}, "do": "restart", "node": "all"},
        {"when": {"event": "client_done", "status": "unknown", "node": 2}, "do": "heal"}])");
    EXPECT_EQ(s->timeline[0].node.sel, NodeSelector::kSubject);  // "subject" is "trigger"
    EXPECT_EQ(s->timeline[3].when.node, 0);
    EXPECT_EQ(s->timeline[4].when.delay_us, 1'500);
    EXPECT_EQ(s->timeline[5].when.status, static_cast<int32_t>(OpStatus::kUnknown));
    EXPECT_EQ(s->timeline[6].when.kind, TriggerKind::kFsync);  // sorted by at_ms: last
    Scenario back;
    std::string err;
    const std::string json = scenario_to_json(*s);
    ASSERT_TRUE(parse_scenario(json, "written", {}, &back, &err)) << err;
    EXPECT_EQ(back.timeline, s->timeline);
    EXPECT_EQ(scenario_to_json(back), json);
    EXPECT_NE(json.find(R"("node":"trigger")"), std::string::npos);
    // The run archive's scenario is this JSON; the runs agree.
    EXPECT_EQ(run(s, 2)->digest_hex(),
              run(std::make_shared<const Scenario>(back), 2)->digest_hex());
}

// Shrinking keeps a triggered step the failure needs and drops the rest; a
// triggered heal does not pin a liveness phase (its time is the run's).
TEST(Triggers, ShrinkKeepsTheTriggeredStepTheFailureNeeds) {
    auto s = scenario(kWorkload + R"("timeline": [
        {"at_ms": 500, "do": "put", "node": 0, "key": "a", "value": "1"},
        {"at_ms": 700, "do": "put", "node": 1, "key": "b", "value": "2"},
        {"when": {"event": "fsync", "node": 1, "count": 3}, "do": "kill", "node": "trigger"},
        {"at_ms": 900, "do": "get", "node": 2, "key": "a"},
        {"when": {"event": "commit", "index": 5, "delay_ms": 100}, "do": "heal"},
        {"at_ms": 1100, "do": "snapshot", "node": 0}])");
    // "Fails" when node 1 ends crashed: only the triggered kill does that.
    auto fails = [](const Scenario& c) {
        World w(std::make_shared<const Scenario>(c), 1);
        w.run_to_end();
        return !w.nodes()[1].alive;
    };
    ASSERT_TRUE(fails(*s));
    ShrinkOptions keep;
    keep.keep_liveness_phase = true;
    ShrinkStats st;
    const Scenario small = shrink_scenario(*s, fails, keep, &st);
    ASSERT_EQ(small.timeline.size(), 1u);
    EXPECT_TRUE(small.timeline[0].has_when);
    EXPECT_EQ(small.timeline[0].when.kind, TriggerKind::kFsync);
    EXPECT_TRUE(fails(small));
}

// MIT's disconnect / connect: a node's own flag, not a guess from its links.
TEST(Network, DisconnectAndReconnect) {
    Network net(3, NetworkModel{}, base::Rng::stream(1, 1));
    net.disconnect(0);
    net.disconnect(1);
    // Node 2 is cut from both, yet it is still connected (MIT: the lone server).
    EXPECT_TRUE(net.isolated(0) && net.isolated(1));
    EXPECT_FALSE(net.isolated(2));
    EXPECT_TRUE(net.link_cut(2, 0) && net.link_cut(1, 2) && net.link_cut(0, 1));
    net.reconnect({1});  // back with 2, not with the still disconnected 0
    EXPECT_FALSE(net.link_cut(1, 2) || net.link_cut(2, 1));
    EXPECT_TRUE(net.link_cut(0, 1) && net.link_cut(1, 0));
    net.disconnect(1);
    net.disconnect(2);
    net.reconnect({0, 1, 2});  // all disconnected, all back: together
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            EXPECT_FALSE(net.link_cut(i, j)) << i << "->" << j;
}

TEST(Selectors, RandomDisconnectsPickDistinctConnectedNodes) {
    auto w = run(scenario(R"("timeline": [
        {"at_ms": 500, "do": "disconnect", "node": "random"},
        {"at_ms": 500, "do": "disconnect", "node": "random"},
        {"at_ms": 500, "do": "disconnect", "node": "random"}])"));
    for (int i = 0; i < 3; i++)
        EXPECT_TRUE(w->network().isolated(i)) << i;
}

}  // namespace
}  // namespace sim
