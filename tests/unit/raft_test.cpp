// tests/unit/raft_test.cpp — the paper's rules on raft::Node alone, without
// the world: a tiny harness persists every Ready at once and delivers
// messages in FIFO order (optionally dropping some). Each test names the
// section it covers.
#include <gtest/gtest.h>

#include <deque>
#include <functional>

#include "raft/node.h"

namespace raft {
namespace {

Config config(int n) {
    Config c;
    c.node_count = n;
    return c;
}

std::vector<Entry> log_of(const std::vector<Term>& terms) {
    std::vector<Entry> out;
    for (size_t i = 0; i < terms.size(); i++) {
        Entry e;
        e.term = terms[i];
        e.index = static_cast<Index>(i) + 1;
        e.type = EntryType::kCommand;
        e.cmd.key = "x";
        e.cmd.value = "t" + std::to_string(terms[i]) + "i" + std::to_string(i + 1);
        e.seal();
        out.push_back(e);
    }
    return out;
}

std::vector<Term> terms_of(const RaftLog& log) {
    std::vector<Term> t;
    for (Index i = log.first_index(); i <= log.last_index(); i++)
        t.push_back(log.term_at(i));
    return t;
}

// Synchronous cluster: disks are instant, the network is a FIFO queue.
struct Harness {
    std::vector<Node> nodes;
    std::deque<Message> wire;
    // Returns true to drop a message; may also edit it on the way.
    std::function<bool(Message&)> drop = [](Message&) { return false; };

    explicit Harness(int n, Config c = Config()) {
        c.node_count = n;
        for (int i = 0; i < n; i++)
            nodes.emplace_back(i, c, 100 + i);
    }
    void preset(int id, Term term, const std::vector<Term>& terms) {
        nodes[id].restore(HardState{term, kNone}, nullptr, log_of(terms));
    }
    void pump(int id) {
        for (int guard = 0; guard < 100; guard++) {
            Ready rd = nodes[id].take_ready();
            const bool idle = !rd.needs_persist() && rd.msgs.empty() &&
                              rd.msgs_after_persist.empty() && rd.applied.empty();
            for (Message& m : rd.msgs)
                wire.push_back(std::move(m));
            for (Message& m : rd.msgs_after_persist)
                wire.push_back(std::move(m));
            if (rd.has_hard_state) nodes[id].on_hard_state_persisted(rd.hard_state);
            if (rd.snapshot) nodes[id].on_snapshot_persisted(rd.snapshot->last_included_index);
            if (!rd.entries.empty()) {
                nodes[id].on_persisted(rd.entries.back().index, rd.entries.back().term);
            }
            if (idle) return;
        }
    }
    void deliver_all() {
        for (int guard = 0; guard < 100000 && !wire.empty(); guard++) {
            Message m = std::move(wire.front());
            wire.pop_front();
            if (m.type == MsgType::kClientResp || drop(m)) continue;
            const NodeId to = m.to;
            nodes[to].step(std::move(m));
            pump(to);
        }
    }
    void campaign(int id) {
        nodes[id].campaign(false);
        pump(id);
        deliver_all();
    }
    void heartbeat(int id) {
        nodes[id].on_heartbeat_timeout();
        pump(id);
        deliver_all();
    }
    void timeout(int id) {
        nodes[id].on_election_timeout();
        pump(id);
        deliver_all();
    }
};

Message vote_request(NodeId from, Term term, Index last_index, Term last_term) {
    Message m;
    m.type = MsgType::kVote;
    m.from = from;
    m.to = 0;
    m.term = term;
    m.last_log_index = last_index;
    m.last_log_term = last_term;
    m.force = true;  // bypass leases: these tests are about the vote rules
    return m;
}

template <class List>
const Message* find(const List& ms, MsgType t) {
    for (const Message& m : ms) {
        if (m.type == t) return &m;
    }
    return nullptr;
}

TEST(Raft, S5_2_OneVotePerTerm) {
    Node n(0, config(3), 1);
    n.step(vote_request(1, 2, 0, 0));
    Ready r1 = n.take_ready();
    const Message* a = find(r1.msgs_after_persist, MsgType::kVoteResp);
    ASSERT_NE(a, nullptr);
    EXPECT_FALSE(a->reject);
    EXPECT_TRUE(r1.has_hard_state) << "the vote must be persisted before the reply leaves";
    n.step(vote_request(2, 2, 0, 0));
    Ready r2 = n.take_ready();
    const Message* b = find(r2.msgs_after_persist, MsgType::kVoteResp);
    ASSERT_NE(b, nullptr);
    EXPECT_TRUE(b->reject) << "a second candidate in the same term is refused";
    EXPECT_EQ(n.voted_for(), 1);
}

TEST(Raft, S5_4_1_VoteOnlyForUpToDateLogs) {
    Node n(0, config(3), 1);
    n.restore(HardState{2, kNone}, nullptr, log_of({1, 1, 2}));
    n.step(vote_request(1, 3, 5, 1));  // longer log, older last term
    EXPECT_TRUE(find(n.take_ready().msgs_after_persist, MsgType::kVoteResp)->reject);
    n.step(vote_request(2, 4, 2, 2));  // same last term, shorter
    EXPECT_TRUE(find(n.take_ready().msgs_after_persist, MsgType::kVoteResp)->reject);
    n.step(vote_request(2, 5, 3, 2));  // same last term, as long
    EXPECT_FALSE(find(n.take_ready().msgs_after_persist, MsgType::kVoteResp)->reject);
}

TEST(Raft, S5_2_CandidateWinsMajorityAndStepsDownOnHigherTerm) {
    Harness h(3);
    h.campaign(0);
    ASSERT_EQ(h.nodes[0].role(), Role::kLeader);
    EXPECT_EQ(h.nodes[1].leader(), 0);
    Message m;
    m.type = MsgType::kAppend;
    m.from = 2;
    m.to = 0;
    m.term = h.nodes[0].current_term() + 5;
    h.nodes[0].step(Message(m));
    EXPECT_EQ(h.nodes[0].role(), Role::kFollower);
    EXPECT_EQ(h.nodes[0].current_term(), m.term);
}

// Figure 7: whatever the followers' logs (a-f), the leader of term 8 brings
// them all to its own log (§5.3), removing uncommitted conflicting entries.
TEST(Raft, Figure7_FollowerLogsConvergeToTheLeaders) {
    Harness h(7);
    h.preset(0, 7, {1, 1, 1, 4, 4, 5, 5, 6, 6, 6});
    h.preset(1, 7, {1, 1, 1, 4, 4, 5, 5, 6, 6});           // a
    h.preset(2, 7, {1, 1, 1, 4});                          // b
    h.preset(3, 7, {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6});     // c
    h.preset(4, 7, {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7});  // d
    h.preset(5, 7, {1, 1, 1, 4, 4, 4, 4});                 // e
    h.preset(6, 7, {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3});     // f
    h.campaign(0);
    ASSERT_EQ(h.nodes[0].role(), Role::kLeader);
    ASSERT_EQ(h.nodes[0].current_term(), 8);
    h.heartbeat(0);
    const std::vector<Term> want = {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 8};
    EXPECT_EQ(terms_of(h.nodes[0].log()), want);
    for (int i = 1; i < 7; i++) {
        EXPECT_EQ(terms_of(h.nodes[i].log()), want) << "follower "
                                                    << "abcdef"[i - 1];
        EXPECT_EQ(h.nodes[i].commit_index(), 11);
    }
}

// Figure 8 / §5.4.2: a leader never commits an entry of an earlier term by
// counting replicas; it commits once an entry of its own term is on a
// majority.
void figure8_setup(Harness& h) {
    h.preset(0, 3, {1, 2});
    h.preset(1, 3, {1, 2});
    h.preset(2, 3, {1});
    h.preset(3, 3, {1});
    h.preset(4, 3, {1, 3});
    // Only index 2 may travel: the leader's no-op (index 3) is cut off every
    // append, so index 2 reaches a majority while index 3 does not.
    h.drop = [](Message& m) {
        while (!m.entries.empty() && m.entries.back().index >= 3)
            m.entries.pop_back();
        return false;
    };
    h.campaign(0);
    h.heartbeat(0);
    h.heartbeat(0);
}

// The same situation with the commit_old_term mutation: the leader reports
// index 2 committed, which Figure 8 (d) shows can be overwritten.
TEST(Raft, Figure8_MutationCommitsAnOldTermEntry) {
    Config c;
    c.mutations = kMutCommitOldTerm;
    Harness h(5, c);
    figure8_setup(h);
    ASSERT_EQ(h.nodes[0].role(), Role::kLeader);
    EXPECT_EQ(h.nodes[0].commit_index(), 2);
}

TEST(Raft, Figure8_OldTermEntriesCommitOnlyWithTheCurrentTerm) {
    Harness h(5);
    figure8_setup(h);
    ASSERT_EQ(h.nodes[0].role(), Role::kLeader);
    // Index 2 (term 2) now sits on nodes 0, 1 and 2 — a majority — but the
    // leader's no-op of term 4 does not. Nothing is committed.
    EXPECT_EQ(h.nodes[2].log().last_index(), 2);
    EXPECT_EQ(h.nodes[0].commit_index(), 0) << "§5.4.2 violated: an old-term entry was committed";
    // Once the no-op gets through (after the leader notices the lost appends,
    // two heartbeat rounds later), both commit together.
    h.drop = [](Message&) { return false; };
    for (int i = 0; i < 3; i++)
        h.heartbeat(0);
    EXPECT_EQ(h.nodes[0].commit_index(), 3);
}

// Thesis §9.6: a partitioned node's pre-votes fail without raising its
// term, and when it rejoins it does not disrupt the leader.
TEST(Raft, PreVote_RejoiningNodeDoesNotDisruptAStableLeader) {
    Harness h(3);
    h.campaign(0);
    h.heartbeat(0);
    const Term term = h.nodes[0].current_term();
    h.drop = [](Message& m) { return m.from == 2 || m.to == 2; };
    for (int i = 0; i < 5; i++)
        h.timeout(2);
    EXPECT_EQ(h.nodes[2].current_term(), term) << "pre-vote must not raise the term";
    h.drop = [](Message&) { return false; };
    h.timeout(2);  // pre-votes reach the others, who still hear from the leader
    h.heartbeat(0);
    EXPECT_EQ(h.nodes[0].role(), Role::kLeader);
    EXPECT_EQ(h.nodes[0].current_term(), term);
    EXPECT_EQ(h.nodes[2].leader(), 0);
}

// Without pre-vote (and leases) the same rejoin forces a new election.
TEST(Raft, WithoutPreVote_RejoiningNodeDisruptsTheLeader) {
    Config c;
    c.pre_vote = false;
    c.check_quorum = false;
    Harness h(3, c);
    h.campaign(0);
    h.heartbeat(0);
    const Term term = h.nodes[0].current_term();
    h.drop = [](Message& m) { return m.from == 2 || m.to == 2; };
    for (int i = 0; i < 5; i++)
        h.timeout(2);
    EXPECT_GT(h.nodes[2].current_term(), term);
    h.drop = [](Message&) { return false; };
    h.timeout(2);  // its vote request carries a higher term
    EXPECT_GT(h.nodes[0].current_term(), term);
    EXPECT_NE(h.nodes[0].role(), Role::kLeader);
}

// Thesis §6.2: a leader that cannot hear a majority steps down after an
// election timeout.
TEST(Raft, CheckQuorum_IsolatedLeaderStepsDown) {
    Harness h(3);
    h.campaign(0);
    h.heartbeat(0);
    h.drop = [](Message& m) { return m.from == 0 || m.to == 0; };
    h.heartbeat(0);
    h.timeout(0);  // first check: peers were active at election
    EXPECT_EQ(h.nodes[0].role(), Role::kLeader);
    h.heartbeat(0);
    h.timeout(0);  // second check: nobody answered since
    EXPECT_EQ(h.nodes[0].role(), Role::kFollower);
}

// §5.3: entries are acknowledged only after they are durable.
TEST(Raft, S5_3_AppendAcknowledgedOnlyAfterPersistence) {
    Node f(1, config(3), 1);
    Message m;
    m.type = MsgType::kAppend;
    m.from = 0;
    m.to = 1;
    m.term = 1;
    m.entries = log_of({1, 1});
    f.step(std::move(m));
    Ready r = f.take_ready();
    EXPECT_EQ(r.entries.size(), 2u);
    EXPECT_EQ(find(r.msgs, MsgType::kAppendResp), nullptr);
    ASSERT_NE(find(r.msgs_after_persist, MsgType::kAppendResp), nullptr);
    EXPECT_EQ(find(r.msgs_after_persist, MsgType::kAppendResp)->match_index, 2);
}

// ---- election rules (Figure 2, thesis ch. 9 and §4.2.3) ----------------------

Config plain(int n) {
    Config c = config(n);
    c.pre_vote = false;
    c.check_quorum = false;
    return c;
}

Message vote_response(NodeId from, NodeId to, Term term, bool reject) {
    Message m;
    m.type = MsgType::kVoteResp;
    m.from = from;
    m.to = to;
    m.term = term;
    m.reject = reject;
    return m;
}

// Thesis ch. 9: the candidate's own write "can be overlapped with the
// RequestVote messages"; its own vote counts only once durable.
TEST(Raft, Ch9_VoteRequestsLeaveBeforeTheCandidatesVoteIsDurable) {
    Node n(0, plain(3), 1);
    n.on_election_timeout();
    Ready r = n.take_ready();
    ASSERT_TRUE(r.has_hard_state);
    EXPECT_EQ(r.hard_state, (HardState{1, 0}));
    int now = 0;
    for (const Message& m : r.msgs)
        now += m.type == MsgType::kVote ? 1 : 0;
    EXPECT_EQ(now, 2) << "both requests leave with the write, not after it";
    EXPECT_EQ(find(r.msgs_after_persist, MsgType::kVote), nullptr);
    // One peer's vote alone is no majority while the candidate's own vote is
    // not on disk yet.
    n.step(vote_response(1, 0, 1, false));
    EXPECT_EQ(n.role(), Role::kCandidate);
    n.on_hard_state_persisted(HardState{1, 0});
    EXPECT_EQ(n.role(), Role::kLeader);
}

TEST(Raft, Ch9_OwnVoteCountsOnlyForTheTermItWasCastIn) {
    Node n(0, plain(3), 1);
    n.on_election_timeout();  // term 1
    n.take_ready();
    n.on_election_timeout();  // term 2: the term-1 write completes late
    n.take_ready();
    n.step(vote_response(1, 0, 2, false));
    n.on_hard_state_persisted(HardState{1, 0});
    EXPECT_EQ(n.role(), Role::kCandidate) << "a durable vote of term 1 is no vote in term 2";
    n.on_hard_state_persisted(HardState{2, 0});
    EXPECT_EQ(n.role(), Role::kLeader);
}

// Figure 2: the timer restarts on hearing from the current leader, granting a
// vote or starting an election; not on adopting the term of a refused one.
TEST(Raft, Fig2_RefusedVoteDoesNotRestartTheElectionTimer) {
    Node n(0, plain(3), 1);
    n.restore(HardState{2, kNone}, nullptr, log_of({1, 2}));
    n.start();
    n.take_ready();
    n.step(vote_request(1, 5, 1, 1));  // stale log, higher term
    Ready r = n.take_ready();
    EXPECT_EQ(n.current_term(), 5);
    EXPECT_TRUE(find(r.msgs_after_persist, MsgType::kVoteResp)->reject);
    EXPECT_EQ(r.election_timer_us, -1) << "the stale candidate pushed back this timer";
    n.step(vote_request(2, 6, 2, 2));  // up to date: granted, timer restarts
    Ready g = n.take_ready();
    EXPECT_FALSE(find(g.msgs_after_persist, MsgType::kVoteResp)->reject);
    EXPECT_GE(g.election_timer_us, 0);
}

TEST(Raft, Fig2_CandidateKeepsItsTimerWhenItAdoptsAHigherTerm) {
    Node n(0, plain(3), 1);
    n.restore(HardState{2, kNone}, nullptr, log_of({1, 2}));
    n.on_election_timeout();
    n.take_ready();
    n.step(vote_request(1, 9, 1, 1));
    Ready r = n.take_ready();
    EXPECT_EQ(n.role(), Role::kFollower);
    EXPECT_EQ(r.election_timer_us, -1);
}

// Figure 2 keeps a candidate until it wins, hears a leader or a higher term,
// or times out; etcd's step-down is an option.
TEST(Raft, Fig2_CandidateRefusedByAMajorityWaitsForItsOwnTimeout) {
    for (bool etcd : {false, true}) {
        Config c = plain(3);
        c.step_down_on_rejection = etcd;
        Node n(0, c, 1);
        n.on_election_timeout();
        n.take_ready();
        n.step(vote_response(1, 0, 1, true));
        n.step(vote_response(2, 0, 1, true));
        Ready r = n.take_ready();
        if (etcd) {
            EXPECT_EQ(n.role(), Role::kFollower);
            EXPECT_GE(r.election_timer_us, 0) << "etcd re-arms at once";
        } else {
            EXPECT_EQ(n.role(), Role::kCandidate);
            EXPECT_EQ(r.election_timer_us, -1) << "refusals must not re-arm the timer";
        }
    }
}

Message heartbeat_from(NodeId leader, NodeId to, Term term) {
    Message m;
    m.type = MsgType::kAppend;
    m.from = leader;
    m.to = to;
    m.term = term;
    return m;
}

// Thesis §4.2.3: votes are ignored only "within the minimum election timeout
// of hearing from a current leader".
TEST(Raft, S4_2_3_LeaseLastsTheMinimumElectionTimeout) {
    Config c = config(3);  // pre-vote and check-quorum on
    Node n(1, c, 1);
    n.step(heartbeat_from(0, 1, 1));
    Ready r = n.take_ready();
    EXPECT_EQ(r.lease_timer_us, c.election_timeout_us_min);
    EXPECT_TRUE(n.in_lease());
    Message v = vote_request(2, 2, 0, 0);
    v.to = 1;
    v.force = false;
    n.step(Message(v));
    EXPECT_EQ(n.current_term(), 1) << "within the lease a vote request is ignored";
    n.on_lease_timeout();
    EXPECT_FALSE(n.in_lease());
    EXPECT_EQ(n.leader(), 0) << "the node still remembers its leader";
    n.step(Message(v));
    EXPECT_EQ(n.current_term(), 2) << "after the lease the request is heard";
    EXPECT_FALSE(find(n.take_ready().msgs_after_persist, MsgType::kVoteResp)->reject);
}

// etcd broadcasts an append when the leader's commit index advances: a
// follower learns of a commit at once, not at the next heartbeat.
TEST(Raft, CommitIndexReachesFollowersWithoutWaitingForAHeartbeat) {
    Harness h(3, plain(3));
    h.campaign(0);
    ASSERT_EQ(h.nodes[0].role(), Role::kLeader);
    Message put;
    put.type = MsgType::kClientReq;
    put.to = 0;
    put.cmd.key = "k";
    put.cmd.value = "v";
    h.nodes[0].step(std::move(put));
    h.pump(0);
    h.deliver_all();
    const Index last = h.nodes[0].log().last_index();
    ASSERT_EQ(h.nodes[0].commit_index(), last);
    for (int i = 1; i < 3; i++)
        EXPECT_EQ(h.nodes[i].commit_index(), last) << "follower " << i;
}

}  // namespace
}  // namespace raft
