// session/narration.cpp — the trace in plain words (see narration.h).
//
// Index
//   words and helpers
//   the model: applying a group's records
//   sentences, by the group's input
//   the narration: groups, moments, the caption
//   (membership and transfer: narration_membership.cpp, sharing
//   narration_internal.h)
#include "session/narration.h"

#include <algorithm>
#include <bit>
#include <cstdarg>
#include <cstdio>

#include "session/narration_internal.h"
#include "sim/world.h"

namespace session {

using namespace detail;  // NOLINT(google-build-using-namespace): this file's own helpers

// ===========================================================================
// words and helpers
// ===========================================================================

const char* message_words(raft::MsgType t) {
    switch (t) {
        case raft::MsgType::kPreVote:
            return "pre-vote request";
        case raft::MsgType::kPreVoteResp:
            return "pre-vote reply";
        case raft::MsgType::kVote:
            return "vote request";
        case raft::MsgType::kVoteResp:
            return "vote reply";
        case raft::MsgType::kAppend:
            return "append";
        case raft::MsgType::kAppendResp:
            return "append reply";
        case raft::MsgType::kSnapshot:
            return "snapshot";
        case raft::MsgType::kSnapshotResp:
            return "snapshot reply";
        case raft::MsgType::kProp:
            return "forwarded request";
        case raft::MsgType::kClientReq:
            return "client request";
        case raft::MsgType::kClientResp:
            return "client reply";
        case raft::MsgType::kTimeoutNow:
            return "TimeoutNow (campaign now)";
        case raft::MsgType::kCount:
            break;
    }
    return "message";
}

// The helpers narration_membership.cpp shares (narration_internal.h).
namespace detail {

std::string fmt(const char* format, ...) {
    char buf[512];
    va_list args;
    va_start(args, format);
    std::vsnprintf(buf, sizeof buf, format, args);
    va_end(args);
    return buf;
}

long long ll(int64_t x) {
    return static_cast<long long>(x);
}

// "n0, n2 and n3" for a bit set of node ids; bit 31 reads "its own".
std::string node_list(uint32_t set) {
    std::string out;
    const int count = std::popcount(set);
    int written = 0;
    for (int i = 0; i < 32; i++) {
        if (!(set & (1u << i))) continue;
        if (written > 0) out += written + 1 == count ? " and " : ", ";
        out += i == 31 ? std::string("its own") : "n" + std::to_string(i);
        written++;
    }
    return out;
}

// A group's input: a record that starts the handling of something (a
// message, a timer, a disk, a process, an action). Everything else is an
// effect of the input before it.
bool is_input(TraceKind k) {
    switch (k) {
        case TraceKind::kDeliver:
        case TraceKind::kDrop:
        case TraceKind::kTimeout:
        case TraceKind::kFsync:
        case TraceKind::kCrash:
        case TraceKind::kRestart:
        case TraceKind::kPause:
        case TraceKind::kResume:
        case TraceKind::kCorruption:
        case TraceKind::kClientInvoke:
        case TraceKind::kAction:
            return true;
        default:
            return false;
    }
}

bool is_node(int32_t id, int n) {
    return id >= 0 && id < n;
}

// The last role record of `node` in the group, or null.
const TraceRecord* last_role(const std::vector<TraceRecord>& fx, int32_t node) {
    const TraceRecord* found = nullptr;
    for (const TraceRecord& r : fx) {
        if (r.kind == TraceKind::kRole && r.node == node) found = &r;
    }
    return found;
}

}  // namespace detail

// ===========================================================================
// the model: applying a group's records
// ===========================================================================

namespace {

void apply_record(std::vector<NodeModel>& nodes, const TraceRecord& r) {
    if (!is_node(r.node, static_cast<int>(nodes.size()))) return;
    NodeModel& m = nodes[static_cast<size_t>(r.node)];
    switch (r.kind) {
        case TraceKind::kTerm:
            if (r.term != m.term) m.votes_received = 0;
            m.term = r.term;
            break;
        case TraceKind::kVote:
            m.voted_for = r.peer;
            m.vote_known = true;
            break;
        case TraceKind::kRole:
            m.role = static_cast<raft::Role>(r.aux);
            if (m.role == raft::Role::kCandidate) m.votes_received = 0;
            break;
        case TraceKind::kCommit:
            m.commit = r.index;
            break;
        case TraceKind::kSend:
            if (r.msg_type == static_cast<uint8_t>(raft::MsgType::kVote) ||
                r.msg_type == static_cast<uint8_t>(raft::MsgType::kPreVote)) {
                m.request_term = r.term;
                m.request_last_log_term = r.note_term;
            }
            break;
        case TraceKind::kCrash:
            m.alive = false;
            break;
        case TraceKind::kRestart:
            // Term and vote come back from the disk; the trace has the term
            // only. Role and commit index are volatile (§5.1).
            m.alive = true;
            m.term = r.term;
            m.role = raft::Role::kFollower;
            m.commit = 0;
            m.vote_known = false;
            break;
        default:
            break;
    }
}

}  // namespace

// ===========================================================================
// sentences, by the group's input
// ===========================================================================

namespace {

void election_timeout(Group& g) {
    const int32_t id = g.in.node;
    const NodeModel& was = g.before[static_cast<size_t>(id)];
    const NodeModel& now = g.after[static_cast<size_t>(id)];
    const TraceRecord* role = last_role(g.fx, id);
    if (was.role == raft::Role::kLeader) {
        if (role != nullptr && now.role == raft::Role::kFollower)
            g.say(NarrationKind::kLeader,
                  fmt("n%d has not heard from a majority for an election timeout: it steps down "
                      "as leader of term %lld (check-quorum)",
                      id, ll(now.term)));
        return;
    }
    if (now.role == raft::Role::kCandidate) {
        const bool again = was.role == raft::Role::kCandidate;
        g.say(NarrationKind::kElection,
              fmt(again ? "n%d's election timer fired before anybody won: it starts a new "
                          "election for term %lld and asks for votes (§5.2)"
                        : "n%d's election timer fired: it becomes a candidate for term %lld and "
                          "asks for votes (§5.2)",
                  id, ll(now.term)));
    } else if (now.role == raft::Role::kPreCandidate && was.role == raft::Role::kPreCandidate) {
        g.say(NarrationKind::kElection,
              fmt("n%d's election timer fired again without pre-votes from a majority: it asks "
                  "again whether it could win term %lld (its term stays %lld)",
                  id, ll(now.term + 1), ll(now.term)));
    } else if (now.role == raft::Role::kPreCandidate) {
        g.say(NarrationKind::kElection,
              fmt("n%d's election timer fired: it asks whether it could win term %lld (a "
                  "pre-vote, §9.6 of the thesis), without raising its term %lld",
                  id, ll(now.term + 1), ll(now.term)));
    }
}

// The candidate's last log entry as "index I (term T)": the term from its
// latest request when that request is the one delivered.
std::string candidate_log(const Group& g) {
    const std::string index = fmt("index %lld", ll(g.in.index));
    if (!is_node(g.in.peer, g.n)) return index;
    const NodeModel& cand = g.before[static_cast<size_t>(g.in.peer)];
    if (cand.request_term != g.in.term) return index;
    return index + fmt(" (term %lld)", ll(cand.request_last_log_term));
}

// A refused vote or pre-vote request, in the words of the rule raft/ named.
std::string vote_refusal(const Group& g, bool pre, const std::string& moved) {
    const int32_t v = g.in.node, c = g.in.peer;
    const raft::Term t = g.in.term;
    const char* what = pre ? "pre-vote" : "vote request";
    switch (static_cast<raft::Refusal>(g.in.reason)) {
        case raft::Refusal::kStaleTerm:
            return fmt(pre ? "n%d refuses n%d's %s for term %lld: it is already in term %lld"
                           : "n%d ignores n%d's %s for term %lld: it is already in term %lld "
                             "(§5.1)",
                       v, c, what, ll(t), ll(g.in.note_term));
        case raft::Refusal::kLease:
            return fmt(
                "n%d ignores n%d's %s for term %lld: it heard from leader n%d recently "
                "(leader lease, thesis §4.2.3)",
                v, c, what, ll(t), g.in.note_node);
        case raft::Refusal::kAlreadyVoted:
            if (g.in.note_node == v)
                return fmt(
                    "n%d refuses n%d: it is a candidate itself and voted for itself in "
                    "term %lld (one vote per term, §5.2)",
                    v, c, ll(g.in.note_term));
            return fmt(
                "n%d refuses n%d: it already voted for n%d in term %lld (one vote per "
                "term, §5.2)",
                v, c, g.in.note_node, ll(g.in.note_term));
        case raft::Refusal::kLogBehind:
            return fmt(
                "n%d%s refuses n%d's %s: its log, ending at index %lld (term %lld), is "
                "more up to date than n%d's, which ends at %s (§5.4.1)",
                v, moved.c_str(), c, what, ll(g.in.note_index), ll(g.in.note_term), c,
                candidate_log(g).c_str());
        default:
            return fmt("n%d refuses n%d's %s for term %lld", v, c, what, ll(t));
    }
}

// A vote request delivered: granted, or refused for the reason raft/ gave
// (the deliver record's verdict, see TraceRecord::reason).
void vote_request(Group& g) {
    const int32_t v = g.in.node, c = g.in.peer;
    const raft::Term t = g.in.term;
    const NodeModel& was = g.before[static_cast<size_t>(v)];
    const NodeModel& now = g.after[static_cast<size_t>(v)];
    const bool moved_up = now.term > was.term;
    const std::string moved = moved_up ? fmt(" moves to term %lld and", ll(t)) : "";
    if (g.in.reason != 0) {
        g.say(NarrationKind::kVote, vote_refusal(g, false, moved));
        return;
    }
    if (now.vote_known && now.voted_for == c) {
        const std::string when = moved_up ? "" : fmt(" in term %lld", ll(t));
        g.say(NarrationKind::kVote,
              fmt("n%d%s votes for n%d%s: n%d's log is at least as up to date as its own "
                  "(§5.4.1)",
                  v, moved.c_str(), c, when.c_str(), c));
    }
}

// A pre-vote request delivered: granted (nobody's term changes), or refused
// for the reason raft/ gave.
void pre_vote_request(Group& g) {
    const int32_t v = g.in.node, c = g.in.peer;
    if (g.in.reason != 0) {
        g.say(NarrationKind::kVote, vote_refusal(g, true, ""));
        return;
    }
    g.say(NarrationKind::kVote,
          fmt("n%d would vote for n%d in term %lld (pre-vote granted; nobody's term changes)", v, c,
              ll(g.in.term)));
}

const char* role_words(raft::Role r) {
    switch (r) {
        case raft::Role::kLeader:
            return "leader";
        case raft::Role::kCandidate:
            return "candidate";
        case raft::Role::kPreCandidate:
            return "pre-candidate";
        case raft::Role::kFollower:
            break;
    }
    return "follower";
}

// Any node that changed term or role while handling a message from another.
void term_news(Group& g) {
    const int32_t id = g.in.node, from = g.in.peer;
    if (!is_node(id, g.n) || !is_node(from, g.n)) return;
    const NodeModel& was = g.before[static_cast<size_t>(id)];
    const NodeModel& now = g.after[static_cast<size_t>(id)];
    const auto type = static_cast<raft::MsgType>(g.in.msg_type);
    const char* words = message_words(type);
    const bool vote_req = type == raft::MsgType::kVote || type == raft::MsgType::kPreVote;
    if (was.role == raft::Role::kPreCandidate && now.role == raft::Role::kCandidate) {
        g.say(NarrationKind::kElection,
              fmt("n%d has pre-votes from a majority: it becomes a candidate for term %lld and "
                  "asks for votes (§5.2)",
                  id, ll(now.term)));
    } else if (now.term > was.term && was.role != raft::Role::kFollower &&
               now.role == raft::Role::kFollower) {
        g.say(NarrationKind::kLeader,
              fmt("n%d (%s in term %lld) sees term %lld in n%d's %s: its term is stale, it steps "
                  "down to follower (§5.1)",
                  id, role_words(was.role), ll(was.term), ll(now.term), from, words));
    } else if (now.term > was.term && !vote_req && now.role == raft::Role::kFollower) {
        g.say(NarrationKind::kLeader,
              fmt("n%d learns of term %lld from n%d's %s and adopts it: its term %lld was stale "
                  "(§5.1)",
                  id, ll(now.term), from, words, ll(was.term)));
    } else if (now.term == was.term && was.role != raft::Role::kFollower &&
               was.role != raft::Role::kLeader && now.role == raft::Role::kFollower &&
               type == raft::MsgType::kAppend) {
        g.say(NarrationKind::kLeader,
              fmt("n%d hears from n%d, the leader of term %lld, and returns to follower (§5.2)", id,
                  from, ll(now.term)));
    }
}

void leader_news(Group& g) {
    for (int id = 0; id < g.n; id++) {
        const TraceRecord* role = last_role(g.fx, id);
        if (role == nullptr || static_cast<raft::Role>(role->aux) != raft::Role::kLeader) continue;
        const NodeModel& now = g.after[static_cast<size_t>(id)];
        const uint32_t others = now.votes_received & ~(1u << id);
        const int votes = std::popcount(others) + 1;
        std::string from = others ? node_list(others | (1u << 31)) : "its own";
        g.say(NarrationKind::kLeader,
              fmt("n%d wins the election for term %lld with %d of %d votes (%s): it becomes "
                  "leader and appends a no-op entry of its term (§5.2, §8)",
                  id, ll(now.term), votes, g.voters(), from.c_str()));
    }
}

// Entries committed by a leader (a follower only learns the leader's commit
// index: not narrated).
void commit_news(Group& g) {
    for (const TraceRecord& r : g.fx) {
        if (r.kind != TraceKind::kCommit || !is_node(r.node, g.n)) continue;
        const NodeModel& now = g.after[static_cast<size_t>(r.node)];
        if (now.role != raft::Role::kLeader) continue;
        const int64_t from = g.before[static_cast<size_t>(r.node)].commit + 1;
        const std::string what = from >= r.index
                                     ? fmt("entry %lld is", ll(r.index))
                                     : fmt("entries %lld-%lld are", ll(from), ll(r.index));
        g.commit_index = r.index;
        g.commit_node = r.node;
        const bool all = g.voters() == g.n;  // (no membership change: "nodes")
        g.say(NarrationKind::kCommit,
              fmt("%s committed by n%d: a majority of the %d %s stores %s (§5.3)", what.c_str(),
                  r.node, g.voters(), all ? "nodes" : "voters", from >= r.index ? "it" : "them"));
    }
}

void snapshot_news(Group& g) {
    for (const TraceRecord& r : g.fx) {
        if (r.kind != TraceKind::kSnapshot) continue;
        const bool installed = g.in.kind == TraceKind::kDeliver &&
                               g.in.msg_type == static_cast<uint8_t>(raft::MsgType::kSnapshot);
        g.say(NarrationKind::kSnapshot,
              installed ? fmt("n%d installs n%d's snapshot up to entry %lld: it was too far "
                              "behind to catch up by appends (§7)",
                              r.node, g.in.peer, ll(r.index))
                        : fmt("n%d compacts its log: entries up to %lld now live in a snapshot "
                              "(§7)",
                              r.node, ll(r.index)));
    }
}

std::string action_words(const TraceRecord& r) {
    const auto kind = static_cast<sim::ActionKind>(r.aux);
    const std::string who = r.node >= 0 ? fmt("n%d", r.node) : "the leader";
    switch (kind) {
        case sim::ActionKind::kPartition:
            return "the network is partitioned: messages between the groups are lost";
        case sim::ActionKind::kCutLink:
            return fmt("a link from %s is cut one way", who.c_str());
        case sim::ActionKind::kHeal:
            return "the network heals: every partition, cut and clog is gone";
        case sim::ActionKind::kSetNetwork:
            return "the network changes (loss or latency)";
        case sim::ActionKind::kClog:
            return fmt("a link from %s is clogged: its messages wait", who.c_str());
        case sim::ActionKind::kUnclog:
            return fmt("a link from %s is unclogged", who.c_str());
        case sim::ActionKind::kDisconnect:
            return fmt("%s is disconnected from every other node", who.c_str());
        case sim::ActionKind::kReconnect:
            return fmt("%s is reconnected", who.c_str());
        case sim::ActionKind::kPut:
        case sim::ActionKind::kGet:
        case sim::ActionKind::kDelete:
        case sim::ActionKind::kCas:
            return fmt("a client sends a %s through %s", sim::action_name(kind), who.c_str());
        case sim::ActionKind::kAppend:
            return fmt("a client sends an append through %s", who.c_str());
        case sim::ActionKind::kStress:
            return fmt("a client starts a STRESS of writes through %s", who.c_str());
        case sim::ActionKind::kCampaign:
            return fmt("%s is told to campaign now", who.c_str());
        case sim::ActionKind::kSnapshot:
            return fmt("%s is told to take a snapshot now", who.c_str());
        case sim::ActionKind::kDropMsg:
            return "a message is dropped by hand";
        case sim::ActionKind::kDelayMsg:
            return "a message is delayed by hand";
        case sim::ActionKind::kDupMsg:
            return "a message is duplicated by hand";
        case sim::ActionKind::kPauseWorkload:
            return "the background workload pauses: its clients start nothing new until it "
                   "resumes";
        case sim::ActionKind::kResumeWorkload:
            return "the background workload resumes";
        case sim::ActionKind::kClockDrift:
            return fmt(
                "%s's clock changes its rate (clock drift): its timers from now on run "
                "fast or slow",
                who.c_str());
        default:
            return "";  // kill, restart, pause, resume: their own records tell
    }
}

// A node made to campaign by an action: it becomes a candidate at once.
void campaign_news(Group& g) {
    for (int id = 0; id < g.n; id++) {
        const TraceRecord* role = last_role(g.fx, id);
        if (role == nullptr || static_cast<raft::Role>(role->aux) != raft::Role::kCandidate)
            continue;
        g.say(NarrationKind::kElection,
              fmt("n%d becomes a candidate for term %lld and asks for votes (§5.2)", id,
                  ll(g.after[static_cast<size_t>(id)].term)));
    }
}

void process_news(Group& g) {
    const TraceRecord& r = g.in;
    switch (r.kind) {
        case TraceKind::kCrash:
            g.say(NarrationKind::kFault,
                  fmt("n%d crashes: it keeps only what reached its disk (term, vote, synced "
                      "entries)",
                      r.node));
            break;
        case TraceKind::kRestart:
            if (is_node(r.node, g.n) && ((g.conf->spares >> r.node) & 1u)) {
                g.conf->spares &= ~(1u << r.node);
                g.say(NarrationKind::kMembership,
                      fmt("n%d, a new server, boots with an empty disk: it is in no "
                          "configuration yet and waits for the leader to reach it (thesis §4.1)",
                          r.node));
                break;
            }
            g.say(NarrationKind::kFault,
                  fmt("n%d restarts from its disk as a follower in term %lld, its log up to "
                      "entry %lld; its commit index is forgotten (§5.1)",
                      r.node, ll(r.term), ll(r.index)));
            break;
        case TraceKind::kPause:
            g.say(NarrationKind::kFault,
                  fmt("n%d pauses: its timers stop and its messages wait", r.node));
            break;
        case TraceKind::kResume:
            g.say(NarrationKind::kFault,
                  fmt("n%d resumes, in term %lld as it was", r.node, ll(r.term)));
            break;
        case TraceKind::kCorruption:
            g.say(NarrationKind::kFault,
                  fmt("n%d's recovery finds a torn or corrupt write and truncates its log at "
                      "entry %lld",
                      r.node, ll(r.index)));
            break;
        case TraceKind::kAction: {
            std::string s = action_words(r);
            if (!s.empty()) g.say(NarrationKind::kAction, std::move(s));
            campaign_news(g);
            break;
        }
        default:
            break;
    }
}

void narrate(Group& g) {
    const TraceRecord& in = g.in;
    if (in.kind == TraceKind::kTimeout && in.aux == 0 && is_node(in.node, g.n)) {
        election_timeout(g);
    } else if (in.kind == TraceKind::kDeliver && is_node(in.node, g.n) && is_node(in.peer, g.n)) {
        const auto type = static_cast<raft::MsgType>(in.msg_type);
        if (type == raft::MsgType::kVote) vote_request(g);
        if (type == raft::MsgType::kPreVote) pre_vote_request(g);
        if (type == raft::MsgType::kTimeoutNow) timeout_now_news(g);
        term_news(g);
    } else {
        process_news(g);
    }
    leader_news(g);
    commit_news(g);
    membership_news(g);
    snapshot_news(g);
}

}  // namespace

// ===========================================================================
// the narration: groups, moments, the caption
// ===========================================================================

void Narration::reset(const sim::Scenario& scenario) {
    n_ = scenario.cluster.node_count;
    have_input_ = false;
    effects_.clear();
    nodes_.assign(static_cast<size_t>(n_), NodeModel{});
    for (const sim::PresetNode& p : scenario.preset) {
        if (!is_node(p.id, n_)) continue;
        NodeModel& m = nodes_[static_cast<size_t>(p.id)];
        m.term = p.current_term;
        m.voted_for = p.voted_for;
        m.alive = p.alive;
    }
    const int initial = scenario.cluster.initial_voters;
    for (int i = initial > 0 ? initial : n_; i < n_; i++)  // spares: down until added
        nodes_[static_cast<size_t>(i)].alive = false;
    grants_.assign(static_cast<size_t>(n_), {});
    conf_ = ConfModel{};
    const int32_t voters =
        scenario.cluster.initial_voters > 0 ? scenario.cluster.initial_voters : n_;
    conf_.voters = voters >= 32 ? ~0u : (1u << voters) - 1u;
    conf_.spares = (n_ >= 32 ? ~0u : (1u << n_) - 1u) & ~conf_.voters;
    conf_.joint_consensus = scenario.cluster.joint_consensus;
    violations_seen_ = 0;
    events_.clear();
}

void Narration::add(const sim::TraceRecord& r, uint32_t index, const sim::World& world) {
    if (is_input(r.kind)) {
        flush(world);
        have_input_ = true;
        input_ = r;
        input_index_ = index;
        return;
    }
    if (!have_input_) {
        // Effects without an input (the nodes starting up): a group of its own.
        have_input_ = true;
        input_ = TraceRecord{r.t_us, TraceKind::kCount, 0, -1, -1, 0, 0, 0};
        input_index_ = index;
    }
    effects_.push_back(r);
}

void Narration::flush(const sim::World& world) {
    if (!have_input_) return;
    narrate_group(world);
    have_input_ = false;
    effects_.clear();
}

void Narration::count_vote_reply() {
    const int32_t c = input_.node, x = input_.peer;
    if (!is_node(c, n_) || !is_node(x, n_)) return;
    const GrantRecord& g = grants_[static_cast<size_t>(x)];
    NodeModel& cand = nodes_[static_cast<size_t>(c)];
    if (g.to == c && g.term == input_.term && cand.term == input_.term)
        cand.votes_received |= 1u << x;
}

void Narration::note_grants(const std::vector<NodeModel>& before) {
    for (int i = 0; i < n_; i++) {
        const NodeModel& now = nodes_[static_cast<size_t>(i)];
        const NodeModel& was = before[static_cast<size_t>(i)];
        if (now.voted_for != raft::kNone && now.voted_for != i &&
            (now.voted_for != was.voted_for || now.term != was.term))
            grants_[static_cast<size_t>(i)] = GrantRecord{now.voted_for, now.term};
    }
}

void Narration::narrate_group(const sim::World& world) {
    before_.assign(nodes_.begin(), nodes_.end());  // reuses its capacity: no allocation
    const std::vector<NodeModel>& before = before_;
    apply_record(nodes_, input_);
    for (const TraceRecord& r : effects_)
        apply_record(nodes_, r);
    note_grants(before);
    if (input_.kind == TraceKind::kDeliver &&
        input_.msg_type == static_cast<uint8_t>(raft::MsgType::kVoteResp)) {
        count_vote_reply();
    }
    // The candidate's own vote counts once durable: a leader has it.
    for (int i = 0; i < n_; i++) {
        NodeModel& m = nodes_[static_cast<size_t>(i)];
        if (m.role == raft::Role::kCandidate || m.role == raft::Role::kLeader)
            m.votes_received |= 1u << i;
    }
    Group g{input_, effects_, before, nodes_, n_, {}, 0, -1, &conf_};
    narrate(g);
    for (const TraceRecord& r : effects_) {
        if (r.kind != TraceKind::kViolation) continue;
        const auto v = world.violations();
        std::string text = "safety violation";
        if (violations_seen_ < v.size()) {
            text += ": " + v[violations_seen_].check + ": " + v[violations_seen_].description;
        }
        violations_seen_++;
        g.say(NarrationKind::kViolation, std::move(text));
    }
    for (auto& [kind, text] : g.out) {
        const int32_t node = kind == NarrationKind::kCommit ? g.commit_node : input_.node;
        emit(kind, node, std::move(text), kind == NarrationKind::kCommit ? g.commit_index : 0);
    }
}

void Narration::emit(NarrationKind kind, int32_t node, std::string text, int64_t index) {
    if (events_.size() > kNarratedMax) return;
    if (events_.size() == kNarratedMax) {
        kind = NarrationKind::kAction;
        node = -1;
        text = "(the narration stops here: it keeps at most " + std::to_string(kNarratedMax) +
               " events)";
    }
    NarratedEvent e;
    e.t_us = input_.t_us;
    e.record = input_index_;
    e.node = node;
    e.kind = kind;
    e.index = index;
    e.text = std::move(text);
    events_.push_back(std::move(e));
}

std::pair<size_t, size_t> Narration::moment_at(int64_t t_us) const {
    auto after = std::upper_bound(events_.begin(), events_.end(), t_us,
                                  [](int64_t t, const NarratedEvent& e) { return t < e.t_us; });
    if (after == events_.begin()) return {0, 0};
    const int64_t moment = std::prev(after)->t_us;
    auto first = std::lower_bound(events_.begin(), after, moment,
                                  [](const NarratedEvent& e, int64_t t) { return e.t_us < t; });
    return {static_cast<size_t>(first - events_.begin()),
            static_cast<size_t>(after - events_.begin())};
}

namespace {

// How many nodes store entry `index` as the leader has it, at the cursor:
// the leader itself once durable, the others by the leader's match index.
int stored_on(const sim::World& world, int32_t leader, int64_t index) {
    if (leader < 0 || leader >= static_cast<int32_t>(world.nodes().size())) return -1;
    const raft::Node& l = world.nodes()[static_cast<size_t>(leader)].node;
    if (l.role() != raft::Role::kLeader || !world.nodes()[static_cast<size_t>(leader)].alive)
        return -1;
    // Voters only (a learner's copy counts for nothing); a leader removing
    // itself does not count its own.
    const raft::Membership& m = l.membership();
    int count = m.is_voter(leader) && l.persisted_index() >= index ? 1 : 0;
    for (size_t p = 0; p < l.progress().size(); p++) {
        const auto id = static_cast<int32_t>(p);
        if (id != leader && m.is_voter(id) && l.progress()[p].match_index >= index) count++;
    }
    return count;
}

int voter_count(const sim::World& world, int32_t leader) {
    return std::popcount(world.nodes()[static_cast<size_t>(leader)].node.membership().voters |
                         world.nodes()[static_cast<size_t>(leader)].node.membership().outgoing);
}

std::string event_caption(const NarratedEvent& e, const sim::World& world) {
    if (e.kind != NarrationKind::kCommit) return e.text;
    const int stored = stored_on(world, e.node, e.index);
    if (stored < 0) return e.text;
    const size_t colon = e.text.find(": a majority");
    if (colon == std::string::npos) return e.text;
    return e.text.substr(0, colon) +
           fmt(": stored on %d of %d (§5.3)", stored, voter_count(world, e.node));
}

}  // namespace

std::string caption(const Narration& narration, const sim::World& world) {
    const auto [first, last] = narration.moment_at(world.now_us());
    std::string out;
    for (size_t i = first; i < last; i++) {
        if (!out.empty()) out += "; ";
        out += event_caption(narration.events()[i], world);
    }
    return out;
}

int64_t caption_t_us(const Narration& narration, const sim::World& world) {
    const auto [first, last] = narration.moment_at(world.now_us());
    return first < last ? narration.events()[first].t_us : -1;
}

}  // namespace session
