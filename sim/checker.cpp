// sim/checker.cpp — the safety invariants (see checker.h). The texts of the
// violations are part of the goldens: change them only on purpose.
#include "sim/checker.h"

#include <algorithm>
#include <bit>
#include <string>

#include "base/assert.h"

namespace sim {

namespace {

Violation make(const char* check, std::string text) {
    Violation v;
    v.check = check;
    v.description = std::move(text);
    return v;
}

std::string node_name(raft::NodeId id) {
    return "n" + std::to_string(id);
}

}  // namespace

CheckerState Checker::initial_state(int nodes) {
    ASSERT_CMP(nodes, >, 0);
    CheckerState cs;
    cs.nodes.resize(static_cast<size_t>(nodes));
    return cs;
}

// ===========================================================================
// events
// ===========================================================================

void Checker::record_commit_terms(CheckerState& cs, const raft::Node& n) {
    ASSERT_CMP(static_cast<int>(n.role()), ==, static_cast<int>(raft::Role::kLeader));
    while (static_cast<raft::Index>(cs.commit_terms_size) < n.commit_index())
        log_put(commit_terms_, cs.commit_terms_size, n.current_term());
}

void Checker::report_went_back(const NodeWatch& w, const raft::Node& n) {
    ASSERT(pending_.empty());  // reported once per input, before anything else
    if (n.current_term() < w.last_term) {
        pending_.push_back(make("monotonic_term", node_name(n.id()) + " term went back from " +
                                                      std::to_string(w.last_term) + " to " +
                                                      std::to_string(n.current_term())));
    }
    if (n.commit_index() < w.last_commit) {
        pending_.push_back(make("monotonic_commit", node_name(n.id()) +
                                                        " commit index went back from " +
                                                        std::to_string(w.last_commit) + " to " +
                                                        std::to_string(n.commit_index())));
    }
}

void Checker::on_leader(CheckerState& cs, const raft::Node& n,
                        std::span<const raft::RaftLog* const> logs) {
    ASSERT_CMP(static_cast<int>(n.role()), ==, static_cast<int>(raft::Role::kLeader));
    check_election_safety(cs, n);
    if (!(disabled & kCheckConfigQuorum)) check_election_quorum(n);
    if (!(disabled & kCheckLeaderCompleteness)) check_leader_completeness(cs, n);
    sweep(logs);
}

void Checker::check_election_safety(CheckerState& cs, const raft::Node& n) {
    ASSERT_CMP(n.current_term(), >, 0);  // a leader won an election of some term
    auto [it, inserted] = cs.leader_of_term.emplace(n.current_term(), n.id());
    if (!inserted && it->second != n.id() && !(disabled & kCheckElectionSafety)) {
        pending_.push_back(make("election_safety",
                                "two leaders in term " + std::to_string(n.current_term()) + ": " +
                                    node_name(it->second) + " and " + node_name(n.id())));
    }
}

static std::string set_text(uint32_t set) {
    std::string s = "{";
    for (uint32_t b = set; b != 0; b &= b - 1)
        s += (s.size() > 1 ? "," : "") + node_name(std::countr_zero(b));
    return s + "}";
}

// The votes that made a leader are a majority of its configuration's voters
// (thesis ch. 4: of both halves during joint consensus; a learner's vote is
// never one of them).
void Checker::check_election_quorum(const raft::Node& n) {
    const raft::Membership& m = n.membership();
    const uint32_t votes = n.votes_granted();
    if (raft::majority_of(m.voters, votes) && (!m.joint() || raft::majority_of(m.outgoing, votes)))
        return;
    pending_.push_back(make("config_quorum", node_name(n.id()) + " became leader of term " +
                                                 std::to_string(n.current_term()) +
                                                 " with the votes of " + set_text(votes) +
                                                 ", not a majority of its configuration " +
                                                 raft::membership_text(m)));
}

void Checker::on_leader_commit(CheckerState& cs, const raft::Node& n, raft::Index from,
                               std::span<const raft::RaftLog* const> logs,
                               std::span<const DurableState* const> disks) {
    ASSERT_CMP(logs.size(), ==, disks.size());
    ASSERT_CMP(from, <, n.commit_index());
    if (!(disabled & kCheckConfigQuorum)) check_commit_quorum(n, logs, disks);
    if (disabled & kCheckConfigOverlap) return;
    const raft::RaftLog& log = n.log();
    // (A snapshot taken in the same input may cover some: the log keeps them.)
    for (raft::Index i = std::max(from, log.snapshot_index()) + 1; i <= n.commit_index(); i++) {
        if (log.at(i).type == raft::EntryType::kConfig) check_conf_commit(cs, n, i);
    }
}

void Checker::check_conf_commit(CheckerState& cs, const raft::Node& n, raft::Index i) {
    const raft::Entry& e = n.log().at(i);
    std::vector<CommittedConf>& confs = cs.committed_confs;
    auto it = std::lower_bound(confs.begin(), confs.end(), i,
                               [](const CommittedConf& c, raft::Index x) { return c.index < x; });
    if (it != confs.end() && it->index == i) return;  // known (a different one: state machine)
    const raft::Membership before =
        it == confs.begin() ? raft::bootstrap_membership(n.config()) : std::prev(it)->conf;
    // The configuration this entry changed: the one before it in the log.
    // When the log no longer reaches it (a snapshot past i - 1 taken in this
    // input), the committed record stands in.
    raft::Membership base = before;
    if (i - 1 >= n.snapshot_index()) {
        base = n.membership_at(i - 1);
    } else {
        for (raft::Index j = i - 1; j > n.log().snapshot_index(); j--) {
            if (n.log().at(j).type != raft::EntryType::kConfig) continue;
            base = n.log().at(j).conf;
            break;
        }
    }
    const CommittedConf mine{i, e.term, e.conf, base};
    const bool before_ok = mine.base == before;
    const bool after_ok = it == confs.end() || it->base == mine.conf;
    const bool first = it == confs.begin();
    it = confs.insert(it, mine);
    if (before_ok && after_ok) return;
    const std::string what = node_name(n.id()) + " committed the configuration " +
                             raft::membership_text(e.conf) + " (index " + std::to_string(i) +
                             ", term " + std::to_string(e.term) + "), a change of " +
                             raft::membership_text(mine.base) + ", but ";
    if (!before_ok && first) {
        pending_.push_back(make("config_overlap", what +
                                                      "the configuration committed before it "
                                                      "is the initial one, " +
                                                      raft::membership_text(before)));
        return;
    }
    const CommittedConf& other = before_ok ? *std::next(it) : *std::prev(it);
    pending_.push_back(
        make("config_overlap",
             what + raft::membership_text(other.conf) + " (index " + std::to_string(other.index) +
                 ", term " + std::to_string(other.term) + ") committed as a change of " +
                 raft::membership_text(other.base) +
                 ": two changes of one configuration, with majorities that need not overlap"));
}

void Checker::check_commit_quorum(const raft::Node& n, std::span<const raft::RaftLog* const> logs,
                                  std::span<const DurableState* const> disks) {
    const raft::Index c = n.commit_index();
    const raft::Term t = n.log().term_at(c);
    uint32_t stored = 0;
    for (size_t i = 0; i < disks.size(); i++) {
        const DurableState& d = *disks[i];
        const StoredEntry* e = d.find(c);
        const raft::RaftLog* log = logs[i];
        const bool in_log = log != nullptr && (log->snapshot_index() >= c || log->term_at(c) == t);
        if (in_log || d.snapshot_index() >= c || (e != nullptr && e->entry.term == t))
            stored |= 1u << i;
    }
    const raft::Membership& m = n.membership();
    if (raft::majority_of(m.voters, stored) &&
        (!m.joint() || raft::majority_of(m.outgoing, stored)))
        return;
    pending_.push_back(make(
        "config_quorum", node_name(n.id()) + " committed index " + std::to_string(c) + " (term " +
                             std::to_string(t) + ") stored only on " + set_text(stored) +
                             ", not a majority of its configuration " + raft::membership_text(m)));
}

void Checker::on_leader_append(const raft::Node& n, const std::vector<raft::Entry>& entries) {
    if ((disabled & kCheckTransfer) || n.lead_transferee() == raft::kNone) return;
    for (const raft::Entry& e : entries) {
        if (e.type != raft::EntryType::kCommand) continue;
        pending_.push_back(make("transfer_proposals",
                                node_name(n.id()) + " appended a client command at index " +
                                    std::to_string(e.index) + " while transferring leadership to " +
                                    node_name(n.lead_transferee()) +
                                    " (§3.10: it stops accepting proposals)"));
        return;
    }
}

// Leader completeness (§5.4, Figure 3): an entry committed in a term below
// the new leader's is in its log (or covered by its snapshot). A stale leader
// of an old term (legal: it is deposed at its first contact with the newer
// term) need not hold entries committed after its term.
void Checker::check_leader_completeness(const CheckerState& cs, const raft::Node& n) {
    ASSERT_CMP(cs.applied_size, <=, applied_.size());
    const raft::RaftLog& log = n.log();
    for (size_t k = 0; k < cs.applied_size; k++) {
        const raft::Index i = static_cast<raft::Index>(k) + 1;
        if (i <= log.snapshot_index()) continue;
        if (k >= cs.commit_terms_size || commit_terms_[k] >= n.current_term()) continue;
        if (!log.has(i) || log.at(i).term != applied_[k].first ||
            log.at(i).hash != applied_[k].second) {
            pending_.push_back(make(
                "leader_completeness",
                node_name(n.id()) + " became leader of term " + std::to_string(n.current_term()) +
                    " without the committed entry at index " + std::to_string(i)));
            return;
        }
    }
}

void Checker::on_apply(CheckerState& cs, const raft::Node& n,
                       const std::vector<raft::Applied>& applied) {
    if (disabled & kCheckStateMachine) return;
    for (const raft::Applied& a : applied) {
        ASSERT_CMP(a.index, >, 0);
        const size_t k = static_cast<size_t>(a.index - 1);
        if (k == cs.applied_size) {
            log_put(applied_, cs.applied_size, std::pair<raft::Term, uint64_t>{a.term, a.hash});
        } else if (k < cs.applied_size) {
            if (applied_[k].first != a.term || applied_[k].second != a.hash) {
                pending_.push_back(make("state_machine_safety",
                                        node_name(n.id()) + " applied a different entry at index " +
                                            std::to_string(a.index) + " (term " +
                                            std::to_string(a.term) + ", first applied with term " +
                                            std::to_string(applied_[k].first) + ")"));
            }
        } else {
            pending_.push_back(
                make("state_machine_safety", node_name(n.id()) + " applied index " +
                                                 std::to_string(a.index) +
                                                 " before any node applied the indexes below it"));
        }
    }
}

void Checker::on_crash(const CheckerState& cs, raft::NodeId id, const DurableState& disk) {
    ASSERT(id >= 0 && static_cast<size_t>(id) < cs.nodes.size());
    if (disabled & kCheckDurability) return;
    check_durability(cs.nodes[static_cast<size_t>(id)], id, disk);
}

void Checker::check_durability(const NodeWatch& w, raft::NodeId id, const DurableState& d) {
    ASSERT(w.acked_index == 0 || w.acked_index_term > 0);
    const std::string who = node_name(id);
    if (w.acked_vote_term > 0) {
        const raft::HardState& hs = d.hard_state;
        if (hs.current_term < w.acked_vote_term ||
            (hs.current_term == w.acked_vote_term && hs.voted_for != w.acked_vote_for)) {
            pending_.push_back(
                make("durability", who + " granted its vote in term " +
                                       std::to_string(w.acked_vote_term) +
                                       " but the vote was not on disk when it crashed"));
        }
    }
    if (w.acked_index > d.snapshot_index()) {
        const StoredEntry* e = d.find(w.acked_index);
        if (!e || e->entry.term != w.acked_index_term) {
            pending_.push_back(
                make("durability", who + " acknowledged entries up to index " +
                                       std::to_string(w.acked_index) +
                                       " but they were not on disk when it crashed"));
        }
    }
}

void Checker::on_restart(CheckerState& cs, const raft::Node& n) {
    // Term and vote are durable; the commit index is volatile (§5.1).
    NodeWatch& w = watch(cs, n.id());
    w.last_term = n.current_term();
    w.last_commit = n.commit_index();
}

// ===========================================================================
// log matching
// ===========================================================================

void Checker::sweep(std::span<const raft::RaftLog* const> logs) {
    if (disabled & kCheckLogMatching) return;
    for (size_t a = 0; a < logs.size(); a++) {
        for (size_t b = a + 1; b < logs.size(); b++) {
            ASSERT(logs[a] != nullptr && logs[b] != nullptr);
            if (!check_log_pair(*logs[a], *logs[b], a, b)) return;  // one report is enough
        }
    }
}

// §5.3 Log Matching Property; false when the pair differs.
bool Checker::check_log_pair(const raft::RaftLog& la, const raft::RaftLog& lb, size_t a, size_t b) {
    ASSERT_CMP(a, <, b);
    const raft::Index lo = std::max(la.first_index(), lb.first_index());
    const raft::Index hi = std::min(la.last_index(), lb.last_index());
    // Find the highest index where both hold the same term: every entry from
    // lo up to it must then be identical.
    raft::Index top = 0;
    for (raft::Index i = hi; i >= lo; i--) {
        if (la.term_at(i) == lb.term_at(i)) {
            top = i;
            break;
        }
    }
    for (raft::Index i = lo; i <= top; i++) {
        if (!(la.at(i) == lb.at(i))) {
            pending_.push_back(
                make("log_matching", "n" + std::to_string(a) + " and n" + std::to_string(b) +
                                         " agree on index " + std::to_string(top) +
                                         " but differ at index " + std::to_string(i)));
            return false;
        }
    }
    return true;
}

// ===========================================================================
// violations and records
// ===========================================================================

void Checker::log_violation(CheckerState& cs, Violation v) {
    log_put(violations_, cs.violations_size, std::move(v));
}

void Checker::swap_records(Checker& other) {
    applied_.swap(other.applied_);
    commit_terms_.swap(other.commit_terms_);
    violations_.swap(other.violations_);
}

void Checker::truncate(const CheckerState& cs) {
    ASSERT(pending_.empty());
    applied_.resize(cs.applied_size);
    commit_terms_.resize(cs.commit_terms_size);
    violations_.resize(cs.violations_size);
}

}  // namespace sim
