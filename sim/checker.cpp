// sim/checker.cpp — the safety invariants (see checker.h).
#include "sim/checker.h"

#include <string>

#include "sim/world.h"

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

void check_new_leader(CheckerState& cs, std::span<const std::pair<raft::Term, uint64_t>> applied,
                      std::span<const raft::Term> commit_terms, const raft::Node& n,
                      uint32_t disabled, std::vector<Violation>* out) {
    auto [it, inserted] = cs.leader_of_term.emplace(n.current_term(), n.id());
    if (!inserted && it->second != n.id() && !(disabled & kCheckElectionSafety)) {
        out->push_back(make("election_safety",
                            "two leaders in term " + std::to_string(n.current_term()) + ": " +
                                node_name(it->second) + " and " + node_name(n.id())));
    }
    // Leader completeness (§5.4, Figure 3): an entry committed in a term
    // below the new leader's is in its log (or covered by its snapshot). A
    // stale leader of an old term (legal: it is deposed at its first contact
    // with the newer term) need not hold entries committed after its term.
    if (disabled & kCheckLeaderCompleteness) return;
    const raft::RaftLog& log = n.log();
    for (size_t k = 0; k < applied.size(); k++) {
        const raft::Index i = static_cast<raft::Index>(k) + 1;
        if (i <= log.snapshot_index()) continue;
        if (k >= commit_terms.size() || commit_terms[k] >= n.current_term()) continue;
        if (!log.has(i) || log.at(i).term != applied[k].first ||
            log.at(i).hash != applied[k].second) {
            out->push_back(make("leader_completeness",
                                node_name(n.id()) + " became leader of term " +
                                    std::to_string(n.current_term()) +
                                    " without the committed entry at index " + std::to_string(i)));
            return;
        }
    }
}

void check_applied(AppliedRecord& record, size_t* size, const raft::Node& n,
                   const std::vector<raft::Applied>& applied, std::vector<Violation>* out) {
    for (const raft::Applied& a : applied) {
        const size_t k = static_cast<size_t>(a.index - 1);
        if (k == *size) {
            log_put(record, *size, std::pair<raft::Term, uint64_t>{a.term, a.hash});
        } else if (k < *size) {
            if (record[k].first != a.term || record[k].second != a.hash) {
                out->push_back(make("state_machine_safety",
                                    node_name(n.id()) + " applied a different entry at index " +
                                        std::to_string(a.index) + " (term " +
                                        std::to_string(a.term) + ", first applied with term " +
                                        std::to_string(record[k].first) + ")"));
            }
        } else {
            out->push_back(make("state_machine_safety",
                                node_name(n.id()) + " applied index " + std::to_string(a.index) +
                                    " before any node applied the indexes below it"));
        }
    }
}

void check_monotonic(NodeSlot& slot, std::vector<Violation>* out) {
    const raft::Node& n = slot.node;
    if (n.current_term() < slot.last_term) {
        out->push_back(make("monotonic_term", node_name(n.id()) + " term went back from " +
                                                  std::to_string(slot.last_term) + " to " +
                                                  std::to_string(n.current_term())));
    }
    if (n.commit_index() < slot.last_commit) {
        out->push_back(make("monotonic_commit", node_name(n.id()) +
                                                    " commit index went back from " +
                                                    std::to_string(slot.last_commit) + " to " +
                                                    std::to_string(n.commit_index())));
    }
    slot.last_term = n.current_term();
    slot.last_commit = n.commit_index();
}

void check_durability(const NodeSlot& slot, std::vector<Violation>* out) {
    const DurableState& d = slot.disk.durable;
    const std::string who = node_name(slot.node.id());
    if (slot.acked_vote_term > 0) {
        const raft::HardState& hs = d.hard_state;
        if (hs.current_term < slot.acked_vote_term ||
            (hs.current_term == slot.acked_vote_term && hs.voted_for != slot.acked_vote_for)) {
            out->push_back(make("durability", who + " granted its vote in term " +
                                                  std::to_string(slot.acked_vote_term) +
                                                  " but the vote was not on disk when it crashed"));
        }
    }
    if (slot.acked_index > d.snapshot_index()) {
        const StoredEntry* e = d.find(slot.acked_index);
        if (!e || e->entry.term != slot.acked_index_term) {
            out->push_back(make("durability", who + " acknowledged entries up to index " +
                                                  std::to_string(slot.acked_index) +
                                                  " but they were not on disk when it crashed"));
        }
    }
}

void check_log_matching(const std::vector<NodeSlot>& nodes, std::vector<Violation>* out) {
    for (size_t a = 0; a < nodes.size(); a++) {
        for (size_t b = a + 1; b < nodes.size(); b++) {
            const raft::RaftLog& la = nodes[a].node.log();
            const raft::RaftLog& lb = nodes[b].node.log();
            const raft::Index lo = std::max(la.first_index(), lb.first_index());
            const raft::Index hi = std::min(la.last_index(), lb.last_index());
            // Find the highest index where both hold the same term: every
            // entry from lo up to it must then be identical.
            raft::Index top = 0;
            for (raft::Index i = hi; i >= lo; i--) {
                if (la.term_at(i) == lb.term_at(i)) {
                    top = i;
                    break;
                }
            }
            for (raft::Index i = lo; i <= top; i++) {
                if (!(la.at(i) == lb.at(i))) {
                    out->push_back(make("log_matching",
                                        "n" + std::to_string(a) + " and n" + std::to_string(b) +
                                            " agree on index " + std::to_string(top) +
                                            " but differ at index " + std::to_string(i)));
                    return;
                }
            }
        }
    }
}

}  // namespace sim
