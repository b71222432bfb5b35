// tests/unit/reasons_test.cpp — issue 18 items 5, 6 and 8: refusals named by
// raft/ (raft::Refusal in responses and in the Ready), carried by the trace
// (TraceRecord::reason and notes, not in the digest) into `raftplay run
// --trace` lines and the narration; a scripted operation's (index, term)
// where a leader appended it; `campaign` honouring leases unless forced.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "format/history_json.h"
#include "format/scenario_json.h"
#include "format/trace_json.h"
#include "raft/node.h"
#include "session/narration.h"
#include "sim/world.h"

namespace sim {
namespace {

using raft::Message;
using raft::MsgType;
using raft::Refusal;

// ---------------------------------------------------------------------------
// raft/: the rule that refused, in the reply and in the Ready

Message request(MsgType type, raft::NodeId from, raft::Term term, raft::Index last_index,
                raft::Term last_term, bool force) {
    Message m;
    m.type = type;
    m.from = from;
    m.to = 0;
    m.term = term;
    m.last_log_index = last_index;
    m.last_log_term = last_term;
    m.force = force;
    return m;
}

const Message* reply(const raft::Ready& r, MsgType type) {
    for (const Message& m : r.msgs)
        if (m.type == type) return &m;
    for (const Message& m : r.msgs_after_persist)
        if (m.type == type) return &m;
    return nullptr;
}

raft::Config config3() {
    raft::Config c;
    c.node_count = 3;
    return c;
}

std::vector<raft::Entry> log_with_terms(const std::vector<raft::Term>& terms) {
    std::vector<raft::Entry> out;
    for (size_t i = 0; i < terms.size(); i++) {
        raft::Entry e;
        e.term = terms[i];
        e.index = static_cast<raft::Index>(i) + 1;
        e.seal();
        out.push_back(e);
    }
    return out;
}

TEST(Reasons, AlreadyVotedNamesTheVoteAndItsTerm) {
    raft::Node n(0, config3(), 1);
    n.step(request(MsgType::kVote, 1, 2, 0, 0, true));
    (void)n.take_ready();
    n.step(request(MsgType::kVote, 2, 2, 0, 0, true));
    const raft::Ready r = n.take_ready();
    const Message* m = reply(r, MsgType::kVoteResp);
    ASSERT_NE(m, nullptr);
    EXPECT_TRUE(m->reject);
    EXPECT_EQ(m->refusal, Refusal::kAlreadyVoted);
    EXPECT_EQ(m->voted_for, 1);
    const raft::RefusalNote want{Refusal::kAlreadyVoted, 1, 0, 2, true};
    EXPECT_EQ(raft::refusal_note(*m), want);
    EXPECT_EQ(r.refused, want) << "the Ready says it too (the reply may wait for a persist)";
}

TEST(Reasons, LogBehindCarriesTheVotersLastEntry) {
    raft::Node n(0, config3(), 1);
    n.restore(raft::HardState{2, raft::kNone}, nullptr, log_with_terms({1, 1, 2}));
    n.step(request(MsgType::kVote, 1, 3, 5, 1, true));  // longer, older last term
    const raft::Ready r = n.take_ready();
    const Message* m = reply(r, MsgType::kVoteResp);
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->refusal, Refusal::kLogBehind);
    EXPECT_EQ(m->last_log_index, 3);
    EXPECT_EQ(m->last_log_term, 2);
    EXPECT_EQ(r.refused, (raft::RefusalNote{Refusal::kLogBehind, raft::kNone, 3, 2, true}));
}

TEST(Reasons, LeaseIgnoresAnUnforcedRequestWithoutAReply) {
    raft::Node n(0, config3(), 1);  // check-quorum on: leases
    Message hb;
    hb.type = MsgType::kAppend;
    hb.from = 1;
    hb.to = 0;
    hb.term = 1;
    n.step(std::move(hb));
    (void)n.take_ready();
    n.step(request(MsgType::kVote, 2, 2, 0, 0, false));
    const raft::Ready r = n.take_ready();
    EXPECT_EQ(reply(r, MsgType::kVoteResp), nullptr);
    EXPECT_EQ(r.refused, (raft::RefusalNote{Refusal::kLease, 1, 0, 1, false}));
    EXPECT_EQ(n.current_term(), 1);
    n.step(request(MsgType::kVote, 2, 2, 0, 0, true));
    EXPECT_EQ(n.take_ready().refused.why, Refusal::kNone) << "forced: past the lease, granted";
}

TEST(Reasons, StaleTermsAreNamedAnsweredOrNot) {
    raft::Node n(0, config3(), 1);
    n.restore(raft::HardState{3, raft::kNone}, nullptr, {});
    n.step(request(MsgType::kPreVote, 1, 3, 0, 0, false));  // prospective term not newer
    raft::Ready r = n.take_ready();
    ASSERT_NE(reply(r, MsgType::kPreVoteResp), nullptr);
    EXPECT_EQ(reply(r, MsgType::kPreVoteResp)->refusal, Refusal::kStaleTerm);
    EXPECT_TRUE(r.refused.answered);
    n.step(request(MsgType::kVote, 1, 2, 0, 0, true));  // an old term's election
    r = n.take_ready();
    EXPECT_EQ(reply(r, MsgType::kVoteResp), nullptr);
    EXPECT_EQ(r.refused, (raft::RefusalNote{Refusal::kStaleTerm, raft::kNone, 0, 3, false}));
}

TEST(Reasons, LogMismatchCarriesTheHint) {
    raft::Node n(0, config3(), 1);
    n.restore(raft::HardState{1, raft::kNone}, nullptr, log_with_terms({1}));
    Message a;
    a.type = MsgType::kAppend;
    a.from = 1;
    a.to = 0;
    a.term = 1;
    a.prev_log_index = 3;
    a.prev_log_term = 1;
    n.step(std::move(a));
    const raft::Ready r = n.take_ready();
    const Message* m = reply(r, MsgType::kAppendResp);
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->refusal, Refusal::kLogMismatch);
    EXPECT_EQ(raft::refusal_note(*m),
              (raft::RefusalNote{Refusal::kLogMismatch, raft::kNone, 2, 0, true}))
        << "past the end: the hint is the first missing index";
    EXPECT_EQ(r.refused, raft::refusal_note(*m));
}

// ---------------------------------------------------------------------------
// the world: campaign's force, the trace's notes, a proposal's (index, term)

std::shared_ptr<Scenario> quiet_cluster() {
    auto s = std::make_shared<Scenario>();
    s->cluster.node_count = 3;
    s->duration_us = 3'000'000;
    s->workload.clients = 0;
    return s;
}

Action campaign_follower(int64_t at_us, bool force) {
    Action a;
    a.at_us = at_us;
    a.kind = ActionKind::kCampaign;
    a.node.sel = NodeSelector::kFollower;
    a.force = force;
    return a;
}

// The campaigner of the action at at_us: the node whose role record says
// candidate first after it.
raft::NodeId campaigner(const World& w, int64_t at_us) {
    for (const TraceRecord& r : w.trace()) {
        if (r.t_us >= at_us && r.kind == TraceKind::kRole &&
            r.aux == static_cast<int64_t>(raft::Role::kCandidate))
            return r.node;
    }
    return raft::kNone;
}

int lease_refusals(const World& w, int64_t from_us) {
    int n = 0;
    for (const TraceRecord& r : w.trace()) {
        n += r.t_us >= from_us && r.kind == TraceKind::kDeliver &&
             r.reason == static_cast<uint8_t>(Refusal::kLease) && !r.answered;
    }
    return n;
}

TEST(Reasons, CampaignHonoursLeasesUnlessForced) {
    constexpr int64_t kAt = 1'500'000;
    auto ordinary = quiet_cluster(), forced = quiet_cluster();
    ordinary->timeline = {campaign_follower(kAt, false)};
    forced->timeline = {campaign_follower(kAt, true)};
    World a(ordinary, 5), b(forced, 5);
    a.run_until(kAt + 100'000);
    b.run_until(kAt + 100'000);
    const raft::NodeId ca = campaigner(a, kAt), cb = campaigner(b, kAt);
    ASSERT_NE(ca, raft::kNone);
    ASSERT_EQ(ca, cb) << "the same seeded choice of follower";
    EXPECT_EQ(lease_refusals(a, kAt), 2) << "both other nodes' leases hold";
    EXPECT_EQ(lease_refusals(b, kAt), 0);
    EXPECT_NE(a.leader(), ca) << "an ordinary campaign cannot unseat a leader with a lease";
    EXPECT_EQ(b.leader(), cb) << "a forced one wins at once";
}

TEST(Reasons, TraceLinesAndNarrationNameTheRule) {
    constexpr int64_t kAt = 1'500'000;
    auto s = quiet_cluster();
    s->timeline = {campaign_follower(kAt, false)};
    World w(s, 5);
    session::Narration narration;
    narration.reset(w.scenario());
    size_t records = 0;
    while (w.now_us() < kAt + 100'000 && w.step(kAt + 100'000)) {
        for (; records < w.trace().size(); records++)
            narration.add(w.trace()[records], static_cast<uint32_t>(records), w);
        narration.flush(w);
    }
    int lines = 0;
    for (const TraceRecord& r : w.trace()) {
        if (r.reason == 0 || r.kind != TraceKind::kDeliver ||
            r.msg_type != static_cast<uint8_t>(MsgType::kVote))
            continue;
        const std::string line = trace_record_json(r);
        EXPECT_NE(line.find("\"ignored\":\"lease\""), std::string::npos) << line;
        EXPECT_NE(line.find("\"lease_leader\":"), std::string::npos) << line;
        lines++;
    }
    EXPECT_EQ(lines, 2);
    // The campaigner's higher term still reaches the leader: the
    // campaigner refuses its append as stale and says its term.
    bool stale = false;
    for (const TraceRecord& r : w.trace()) {
        if (r.kind == TraceKind::kSend && r.reason == static_cast<uint8_t>(Refusal::kStaleTerm)) {
            stale = true;
            EXPECT_EQ(r.note_term, r.term) << trace_record_json(r);
        }
    }
    EXPECT_TRUE(stale);
    int said = 0;
    for (const session::NarratedEvent& e : narration.events())
        said += e.text.find("recently (leader lease") != std::string::npos;
    EXPECT_EQ(said, 2);
}

// Figure 7: followers (c) and (d) refuse node 0 because their logs are more
// up to date; the narration names both logs' last (index, term).
TEST(Reasons, NarrationNamesBothLogsOfALogBehindRefusal) {
    auto s = std::make_shared<Scenario>();
    std::string err;
    ASSERT_TRUE(load_scenario_file(std::string(RAFTPLAY_SOURCE_DIR) + "/scenarios/figure-7.json",
                                   {}, s.get(), &err))
        << err;
    World w(s, 1);
    session::Narration narration;
    narration.reset(w.scenario());
    size_t records = 0;
    while (w.now_us() < 200'000 && w.step(200'000)) {
        for (; records < w.trace().size(); records++)
            narration.add(w.trace()[records], static_cast<uint32_t>(records), w);
        narration.flush(w);
    }
    std::vector<std::string> said;
    for (const session::NarratedEvent& e : narration.events()) {
        if (e.text.find("is more up to date than n0's") != std::string::npos)
            said.push_back(e.text);
    }
    ASSERT_FALSE(said.empty());
    EXPECT_NE(said[0].find("which ends at index 10 (term 6)"), std::string::npos) << said[0];
}

TEST(Reasons, ScriptedPutReportsWhereTheLeaderAppendedIt) {
    auto s = quiet_cluster();
    Action put;
    put.at_us = 1'500'000;
    put.kind = ActionKind::kPut;
    put.node.sel = NodeSelector::kLeader;
    put.key = "k";
    put.value = "v";
    s->timeline = {put};
    World w(s, 3);
    w.run_to_end();
    ASSERT_EQ(w.history().size(), 1u);
    const HistoryOp& op = w.history()[0];
    ASSERT_EQ(op.status, OpStatus::kOk);
    const raft::Node& lead = w.nodes()[static_cast<size_t>(w.leader())].node;
    ASSERT_GT(op.log_index, 0);
    EXPECT_EQ(op.log_term, lead.current_term());
    ASSERT_TRUE(lead.log().has(op.log_index));
    const raft::Entry& e = lead.log().at(op.log_index);
    EXPECT_EQ(e.cmd.key, "k");
    EXPECT_EQ(e.term, op.log_term);
    // The history's JSON writes and reads it back; the trace line joins it.
    History back;
    std::string err;
    ASSERT_TRUE(parse_history_jsonl(history_to_jsonl(w.history()), &back, &err)) << err;
    EXPECT_EQ(back[0].log_index, op.log_index);
    EXPECT_EQ(back[0].log_term, op.log_term);
    EXPECT_FALSE(parse_history_jsonl(
        R"({"client":0,"op":"get","key":"k","invoke_us":0,"status":"pending","log_index":-1})",
        &back, &err));
    EXPECT_NE(err.find("log_index"), std::string::npos) << err;
    bool joined = false;
    for (const TraceRecord& r : w.trace()) {
        if (r.kind != TraceKind::kClientComplete) continue;
        const std::string line = trace_record_json(r, w.history());
        joined = line.find("\"log_index\":" + std::to_string(op.log_index)) != std::string::npos;
    }
    EXPECT_TRUE(joined);
}

// A dropped message says which rule dropped it: an entries-only cut, a
// one-way cut and a partition each by name in the trace line, while the
// record's aux (folded into the digest) stays "partition" for all three, so
// naming them changed no digest.
TEST(Reasons, DropsNameTheCutThatDroppedThem) {
    auto s = std::make_shared<Scenario>();
    s->cluster.node_count = 3;
    s->duration_us = 4'000'000;
    s->workload.clients = 2;
    s->workload.rate_per_s = 100;
    auto link = [](int64_t at_us, int from, int to, bool entries_only) {
        Action a;
        a.at_us = at_us;
        a.kind = ActionKind::kCutLink;
        a.node.sel = a.to.sel = NodeSelector::kId;
        a.node.id = from;
        a.to.id = to;
        a.entries_only = entries_only;
        return a;
    };
    auto heal = [](int64_t at_us) {
        Action a;
        a.at_us = at_us;
        a.kind = ActionKind::kHeal;
        return a;
    };
    for (int from = 0; from < 3; from++) {
        for (int to = 0; to < 3; to++)
            if (from != to) s->timeline.push_back(link(1'000'000, from, to, true));
    }
    s->timeline.push_back(heal(1'500'000));
    s->timeline.push_back(link(2'000'000, 0, 1, false));
    s->timeline.push_back(heal(2'500'000));
    Action partition;
    partition.at_us = 3'000'000;
    partition.kind = ActionKind::kPartition;
    partition.groups = {{0}, {1, 2}};
    s->timeline.push_back(partition);
    s->timeline.push_back(heal(3'500'000));
    World w(s, 2);
    w.run_to_end();
    std::map<std::string, int> named;
    for (const TraceRecord& r : w.trace()) {
        if (r.kind != TraceKind::kDrop) continue;
        EXPECT_EQ(r.aux, kDropPartition) << "the digest's word for every cut";
        const std::string line = trace_record_json(r);
        const std::string want = r.t_us < 1'600'000   ? "entries_only"
                                 : r.t_us < 2'600'000 ? "cut"
                                                      : "partition";
        EXPECT_NE(line.find("\"reason\":\"" + want + "\""), std::string::npos) << line;
        named[want]++;
    }
    EXPECT_GT(named["entries_only"], 0);
    EXPECT_GT(named["cut"], 0);
    EXPECT_GT(named["partition"], 0);
}

TEST(Reasons, CampaignForceRoundTripsThroughTheScenarioFormat) {
    Scenario s;
    std::string err;
    ASSERT_TRUE(parse_scenario(
        R"({"timeline": [{"at_ms": 0, "do": "campaign", "node": 0, "force": true},
                         {"at_ms": 1, "do": "campaign", "node": 1}]})",
        "t", {}, &s, &err))
        << err;
    ASSERT_EQ(s.timeline.size(), 2u);
    EXPECT_TRUE(s.timeline[0].force);
    EXPECT_FALSE(s.timeline[1].force) << "the default: an ordinary election";
    Scenario back;
    ASSERT_TRUE(parse_scenario(scenario_to_json(s), "t", {}, &back, &err)) << err;
    EXPECT_TRUE(back.timeline[0].force);
    EXPECT_FALSE(back.timeline[1].force);
}

}  // namespace
}  // namespace sim
