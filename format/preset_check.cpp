// format/preset_check.cpp — reachability rules for preset durable state (see
// preset_check.h). Each rule is a consequence of the protocol that holds in
// every real run, so a preset breaking it is refused up front:
//   1. a vote needs a term: voted_for is the vote of current_term, and no
//      election happens in term 0 (§5.2);
//   2. a vote for candidate c in term T means c reached term T (§5.2: a
//      candidate persists its new term before asking for votes);
//   3. log matching within the preset: equal (index, term) on two nodes
//      means identical entries up to that index (§5.3);
//   4. an entry of term T means a leader of T was elected by a majority,
//      and a voter still in term T remembers whom it voted for (§5.2).
#include "format/preset_check.h"

#include <map>

namespace sim {

namespace {

// One node's durable state at t = 0, blank unless listed.
struct Durable {
    raft::Term term = 0;
    raft::NodeId voted_for = raft::kNone;
    const std::vector<PresetEntry>* log = nullptr;
    int listed = -1;  // index in the preset array, -1: not listed
};

const std::vector<PresetEntry> kEmptyLog;

std::vector<Durable> durable_states(const std::vector<PresetNode>& preset, int node_count) {
    std::vector<Durable> d(static_cast<size_t>(node_count));
    for (Durable& x : d)
        x.log = &kEmptyLog;
    for (size_t i = 0; i < preset.size(); i++) {
        const PresetNode& p = preset[i];
        Durable& x = d[static_cast<size_t>(p.id)];
        x.term = p.current_term;
        x.voted_for = p.voted_for;
        x.log = &p.log;
        x.listed = static_cast<int>(i);
    }
    return d;
}

std::string at(int listed, const std::string& field) {
    return "[" + std::to_string(listed) + "]." + field;
}
std::string entry_at(int listed, size_t i) {
    return at(listed, "log[" + std::to_string(i) + "]");
}
std::string t(raft::Term term) {
    return std::to_string(term);
}

// Rules 1 and 2.
bool check_votes(const std::vector<Durable>& d, PresetProblem* out) {
    for (size_t id = 0; id < d.size(); id++) {
        const Durable& x = d[id];
        if (x.voted_for == raft::kNone) continue;
        if (x.term == 0) {
            *out = {at(x.listed, "voted_for"),
                    "a vote needs a term: current term is 0, and no "
                    "election happens in term 0 (§5.2)"};
            return false;
        }
        const Durable& c = d[static_cast<size_t>(x.voted_for)];
        if (c.term < x.term) {
            *out = {at(x.listed, "voted_for"),
                    "node " + std::to_string(id) + " voted for node " +
                        std::to_string(x.voted_for) + " in term " + t(x.term) + ", but node " +
                        std::to_string(x.voted_for) + "'s current term is " + t(c.term) +
                        " (a candidate of term " + t(x.term) + " reached it, §5.2)"};
            return false;
        }
    }
    return true;
}

// Rule 3 for one pair: once the logs differ at an index, no later index may
// hold the same term on both.
bool check_pair(const Durable& a, raft::NodeId a_id, const Durable& b, PresetProblem* out) {
    const std::vector<PresetEntry>& la = *a.log;
    const std::vector<PresetEntry>& lb = *b.log;
    const size_t n = std::min(la.size(), lb.size());
    size_t differ = n;  // first index (0-based) where they differ
    for (size_t i = 0; i < n; i++) {
        const bool same_term = la[i].term == lb[i].term;
        if (same_term && la[i].type != lb[i].type) {
            *out = {entry_at(b.listed, i) + ".type",
                    "entry (index " + std::to_string(i + 1) + ", term " + t(lb[i].term) +
                        ") has another type on node " + std::to_string(a_id) +
                        ": the same index and term is the same entry (§5.3)"};
            return false;
        }
        if (!same_term && differ == n) differ = i;
        if (same_term && differ < i) {
            *out = {entry_at(b.listed, i),
                    "entry (index " + std::to_string(i + 1) + ", term " + t(lb[i].term) +
                        ") is also on node " + std::to_string(a_id) +
                        ", but the two logs differ at index " + std::to_string(differ + 1) +
                        " (term " + t(lb[differ].term) + " vs " + t(la[differ].term) +
                        "): log matching (§5.3)"};
            return false;
        }
    }
    return true;
}

bool check_log_matching(const std::vector<Durable>& d, PresetProblem* out) {
    for (size_t b = 0; b < d.size(); b++) {
        for (size_t a = 0; a < b; a++) {
            if (!check_pair(d[a], static_cast<raft::NodeId>(a), d[b], out)) return false;
        }
    }
    return true;
}

// Nodes that can have voted for `c` in term `term`: those past it, and those
// still in it whose recorded vote is c.
int votes_for(const std::vector<Durable>& d, size_t c, raft::Term term) {
    int n = 0;
    for (const Durable& v : d) {
        if (v.term > term || (v.term == term && v.voted_for == static_cast<raft::NodeId>(c))) n++;
    }
    return n;
}

std::string nodes_at_least(const std::vector<Durable>& d, raft::Term term, int* count) {
    std::string s;
    *count = 0;
    for (size_t id = 0; id < d.size(); id++) {
        if (d[id].term < term) continue;
        s += (s.empty() ? "" : ", ") + std::to_string(id);
        (*count)++;
    }
    return s.empty() ? "none" : "nodes " + s;
}

// Rule 4 for one term: some candidate c reached the term and can have
// collected a majority of its votes.
bool check_election(const std::vector<Durable>& d, raft::Term term, const std::string& path,
                    PresetProblem* out) {
    const int majority = static_cast<int>(d.size()) / 2 + 1;
    int best = 0;
    for (size_t c = 0; c < d.size(); c++) {
        const bool candidate = d[c].term > term || (d[c].term == term &&
                                                    d[c].voted_for == static_cast<raft::NodeId>(c));
        if (!candidate) continue;
        best = std::max(best, votes_for(d, c, term));
        if (best >= majority) return true;
    }
    int reached = 0;
    const std::string who = nodes_at_least(d, term, &reached);
    const std::string need = "an entry of term " + t(term) + " needs a leader of term " + t(term) +
                             ", elected by " + std::to_string(majority) + " of " +
                             std::to_string(d.size()) + " nodes (§5.2)";
    if (reached < majority) {
        *out = {path, need + ", but only " + std::to_string(reached) + " reached term " + t(term) +
                          " (" + who + ")"};
    } else {
        *out = {path, need + ", but no candidate can have collected more than " +
                          std::to_string(best) + (best == 1 ? " vote" : " votes") +
                          ": a node whose current term is " + t(term) +
                          " holds its vote in voted_for, and a candidate votes for itself"};
    }
    return false;
}

bool check_elections(const std::vector<Durable>& d, PresetProblem* out) {
    std::map<raft::Term, std::string> first_entry;  // term -> path of its first entry
    for (const Durable& x : d) {
        for (size_t i = 0; i < x.log->size(); i++) {
            const raft::Term term = (*x.log)[i].term;
            if (i > 0 && (*x.log)[i - 1].term == term) continue;
            first_entry.emplace(term, entry_at(x.listed, i));
        }
    }
    for (const auto& [term, path] : first_entry) {
        if (!check_election(d, term, path, out)) return false;
    }
    return true;
}

}  // namespace

bool check_preset_reachable(const std::vector<PresetNode>& preset, int node_count,
                            PresetProblem* problem) {
    if (preset.empty()) return true;
    const std::vector<Durable> d = durable_states(preset, node_count);
    return check_votes(d, problem) && check_log_matching(d, problem) && check_elections(d, problem);
}

}  // namespace sim
