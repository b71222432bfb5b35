// tests/unit/narration_test.cpp — the narration (session/narration.h): a
// scripted election told in plain words, compared with a checked-in
// expectation (tests/data/narration/*.txt; RAFTPLAY_REWRITE=1 writes them
// again, then review the diff), and the caption at chosen moments, which the
// browser test reads from the page too.
#include "session/narration.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "session/session.h"
#include "sim/world.h"

namespace session {
namespace {

std::string data_path(const std::string& name) {
    return std::string(RAFTPLAY_SOURCE_DIR) + "/tests/data/narration/" + name;
}

// Compares `text` with the expectation file, or writes it (RAFTPLAY_REWRITE=1).
void expect_file(const std::string& name, const std::string& text) {
    const std::string path = data_path(name);
    const char* rewrite = std::getenv("RAFTPLAY_REWRITE");
    if (rewrite != nullptr && std::string(rewrite) == "1") {
        std::ofstream(path) << text;
        return;
    }
    std::ifstream in(path);
    ASSERT_TRUE(in) << "missing " << path << " (run with RAFTPLAY_REWRITE=1)";
    std::stringstream want;
    want << in.rdbuf();
    EXPECT_EQ(want.str(), text) << "the narration changed; RAFTPLAY_REWRITE=1 rewrites " << path
                                << ", then review the diff";
}

std::string time_text(int64_t t_us) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%9.3f ms", static_cast<double>(t_us) / 1000.0);
    return buf;
}

void seek_now(Session& s, int64_t t_us) {
    s.seek(t_us);
    s.play(0);
    ASSERT_FALSE(s.busy());
}

// The narrated events up to t_us, one a line; commits only the first few
// (the workload commits an entry every few milliseconds).
std::string narrated_until(const Narration& n, int64_t t_us, int commits_max) {
    std::string out;
    int commits = 0;
    for (const NarratedEvent& e : n.events()) {
        if (e.t_us > t_us) break;
        if (e.kind == NarrationKind::kCommit && commits++ >= commits_max) continue;
        out += time_text(e.t_us) + "  " + e.text + "\n";
    }
    return out;
}

// The moments whose captions the expectation records (and the browser test
// reads from the page): leader-failure, seed 1.
constexpr int64_t kCaptionMoments[] = {214'686,   226'274,   233'211,   237'423,   250'017,
                                       1'000'000, 3'000'000, 3'216'114, 7'000'000, 7'022'059};

// A world stepped one event at a time, its narration fed after each step:
// every claim the narration makes can be held against the world right then.
struct SteppedRun {
    sim::World world;
    Narration narration;
    size_t records = 0;
    SteppedRun(const std::string& builtin, uint64_t seed) : world(builtin_scenario(builtin), seed) {
        narration.reset(world.scenario());
    }
    static std::shared_ptr<const sim::Scenario> builtin_scenario(const std::string& name) {
        Session s;
        EXPECT_TRUE(s.load_builtin(name, 1));
        return s.world().scenario_ptr();
    }
    bool step(int64_t limit_us) {
        if (!world.step(limit_us)) return false;
        const auto trace = world.trace();
        for (; records < trace.size(); records++)
            narration.add(trace[records], static_cast<uint32_t>(records), world);
        narration.flush(world);
        return true;
    }
};

// What a narrated event claims about the world at its moment, checked.
void check_claim(const NarratedEvent& e, const sim::World& w) {
    const auto& nodes = w.nodes();
    const std::string& t = e.text;
    if (e.kind == NarrationKind::kCommit) {
        EXPECT_EQ(nodes[static_cast<size_t>(e.node)].node.commit_index(), e.index) << t;
        EXPECT_EQ(nodes[static_cast<size_t>(e.node)].node.role(), raft::Role::kLeader) << t;
    }
    if (e.kind == NarrationKind::kLeader && t.find(" wins the election") != std::string::npos)
        EXPECT_EQ(nodes[static_cast<size_t>(e.node)].node.role(), raft::Role::kLeader) << t;
    if (e.kind != NarrationKind::kVote || t.find("pre-vote") != std::string::npos) return;
    const raft::Node& voter = nodes[static_cast<size_t>(e.node)].node;
    int candidate = -1;
    if (std::sscanf(t.c_str() + t.find(" n", 1) + 2, "%d", &candidate) != 1) return;
    if (t.find(" votes for n") != std::string::npos) {
        EXPECT_EQ(voter.voted_for(), candidate) << t;
    } else if (t.find("its log is more up to date") != std::string::npos) {
        EXPECT_EQ(voter.voted_for(), raft::kNone) << t;
    } else if (t.find("already voted for n") != std::string::npos) {
        EXPECT_NE(voter.voted_for(), candidate) << t;
        EXPECT_NE(voter.voted_for(), raft::kNone) << t;
    }
}

}  // namespace

// A scripted election (the leader-failure built-in: an election, the
// leader's crash at 3 s, a new election, its restart at 7 s with a stale
// term) told event by event, and the caption at chosen moments.
TEST(Narration, ScriptedElectionMatchesExpectation) {
    Session s;
    ASSERT_TRUE(s.load_builtin("leader-failure", 1));
    seek_now(s, 7'600'000);
    expect_file("election.txt", narrated_until(s.insight().narration(), 7'600'000, 3));
    std::string captions;
    for (int64_t t : kCaptionMoments) {
        seek_now(s, t);
        captions += std::to_string(t) + "\t" + caption(s.insight().narration(), s.world()) + "\n";
    }
    expect_file("election-captions.txt", captions);
}

// The narration is the trace's: scrubbing back and forth and stepping give
// the same events as one straight run, and the caption follows the cursor.
TEST(Narration, SameWhenScrubbedAndStepped) {
    Session s;
    ASSERT_TRUE(s.load_builtin("leader-failure", 1));
    seek_now(s, 5'000'000);
    seek_now(s, 1'000'000);
    for (int i = 0; i < 20; i++)
        s.step_back();
    seek_now(s, 7'600'000);
    SteppedRun straight("leader-failure", 1);
    while (straight.step(7'600'000)) {
    }
    const auto& a = s.insight().narration().events();
    const auto& b = straight.narration.events();
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); i++) {
        EXPECT_EQ(a[i].t_us, b[i].t_us);
        EXPECT_EQ(a[i].text, b[i].text);
    }
    seek_now(s, 3'000'000);
    EXPECT_NE(caption(s.insight().narration(), s.world()).find("n4 crashes"), std::string::npos);
    EXPECT_EQ(caption_t_us(s.insight().narration(), s.world()), 3'000'000);
}

// Every grant, refusal, election win and commit the narration tells holds in
// the world at that moment, over scenarios with refusals, stale terms and
// overwritten logs.
TEST(Narration, ClaimsHoldInTheWorld) {
    const char* scenarios[] = {"leader-failure",   "figure-8",        "figure-7",
                               "partition-leader", "pre-vote-rejoin", "check-quorum",
                               "all-nodes-failure"};
    size_t checked = 0, refusals = 0;
    for (const char* name : scenarios) {
        for (uint64_t seed = 1; seed <= 2; seed++) {
            SteppedRun run(name, seed);
            size_t seen = 0;
            while (run.step(run.world.scenario().duration_us)) {
                const auto& ev = run.narration.events();
                for (; seen < ev.size(); seen++, checked++) {
                    check_claim(ev[seen], run.world);
                    if (ev[seen].text.find("refuses") != std::string::npos) refusals++;
                }
            }
        }
    }
    EXPECT_GT(checked, 100u);
    EXPECT_GT(refusals, 5u);
}

// The caption is in the state JSON.
TEST(Narration, CaptionInTheStateJson) {
    Session s;
    ASSERT_TRUE(s.load_builtin("leader-failure", 1));
    seek_now(s, 237'423);
    const std::string json = s.state_json();
    EXPECT_NE(json.find("\"caption\":\"n4 wins the election for term 1"), std::string::npos)
        << json.substr(0, 600);
    EXPECT_NE(json.find("\"caption_t_us\":237423"), std::string::npos);
}

// Membership changes and a leadership transfer (thesis ch. 4, §3.10) told
// event by event (tests/data/narration/membership-scenario.json: a server
// added, a change refused while the last is uncommitted, a learner added and
// promoted, leadership handed over and a transfer to itself refused, the
// leader removed), each claim about a configuration entry held against the
// leader's log.
TEST(Narration, MembershipMatchesExpectation) {
    std::ifstream in(data_path("membership-scenario.json"));
    std::stringstream text;
    text << in.rdbuf();
    Session s;
    ASSERT_TRUE(s.import_text(text.str(), "membership-scenario.json"));
    seek_now(s, 4'000'000);
    const std::string told = narrated_until(s.insight().narration(), 4'000'000, 0);
    expect_file("membership.txt", told);
    for (const char* want :
         {"appends configuration entry", "as a learner", "promote learner n4",
          "is refused: the previous configuration change is not committed yet",
          "starts handing leadership to", "gets TimeoutNow from", "transfer is complete",
          "it removes itself", "steps down: the configuration without it",
          "a new server, boots with an empty disk"})
        EXPECT_NE(told.find(want), std::string::npos) << want;
    // Each entry the narration says a leader appended is a configuration
    // entry in the run's logs.
    int checked = 0;
    for (const NarratedEvent& e : s.insight().narration().events()) {
        long long index = 0;
        int leader = -1;
        if (std::sscanf(e.text.c_str(), "n%d appends configuration entry %lld", &leader, &index) !=
            2)
            continue;
        // (n0 is a voter throughout and never compacts in 4 s.)
        const raft::RaftLog& log = s.world().nodes()[0].node.log();
        ASSERT_GE(log.last_index(), index);
        ASSERT_LE(log.first_index(), index);
        EXPECT_EQ(log.at(index).type, raft::EntryType::kConfig) << e.text;
        checked++;
    }
    EXPECT_EQ(checked, 4);
}

}  // namespace session
