// sim/checker.h — Raft safety invariants, checked after every event.
//
// Each check compares the state a node just reached with what the whole run
// has seen so far (after LogCabin's invariant checker): election safety (one
// leader per term over the whole history), leader completeness (a new leader
// holds every entry any node applied), state-machine safety (no two nodes
// apply different entries at one index), log matching (same index and term
// means the same prefix), monotonic term and commit index on a live node, and
// durability (what a node acknowledged survives its crash). A check returns
// descriptions of violations; the world records them and halts.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "raft/node.h"

namespace sim {

struct Violation {
    int64_t t_us = 0;
    int64_t event = 0;  // trace index of the event after which it was found
    std::string check;  // election_safety, leader_completeness, ...
    std::string description;
};

// Checks a test may switch off, to show the others catch a bug's
// consequences on their own.
enum CheckBit : uint32_t {
    kCheckDurability = 1u << 0,
    kCheckLeaderCompleteness = 1u << 1,
    kCheckElectionSafety = 1u << 2,
    kCheckLogMatching = 1u << 3,
    kCheckStateMachine = 1u << 4,
};

struct CheckerState {
    std::map<raft::Term, raft::NodeId> leader_of_term;
};
// applied[i - 1]: (term, entry hash) of the entry first applied at index i.
// Append-only (an applied entry never changes), so it lives with the world's
// logs rather than in checkpoints.
using AppliedRecord = std::vector<std::pair<raft::Term, uint64_t>>;
// commit_terms[i - 1]: the term of the leader that first committed index i.
using CommitTerms = std::vector<raft::Term>;

struct NodeSlot;

// A node became leader: election safety and leader completeness.
void check_new_leader(CheckerState& cs, std::span<const std::pair<raft::Term, uint64_t>> applied,
                      std::span<const raft::Term> commit_terms, const raft::Node& n,
                      uint32_t disabled, std::vector<Violation>* out);
// A node applied entries: state-machine safety. *size is the record's length
// as of now (the vector may hold more: see World's append-only logs).
void check_applied(AppliedRecord& record, size_t* size, const raft::Node& n,
                   const std::vector<raft::Applied>& applied, std::vector<Violation>* out);
// Term and commit never go back on a live node (commit resets on restart).
void check_monotonic(NodeSlot& slot, std::vector<Violation>* out);
// A node crashed: every vote and append it acknowledged is on its disk.
void check_durability(const NodeSlot& slot, std::vector<Violation>* out);
// Log matching over every pair of live nodes (§5.3 Log Matching Property).
void check_log_matching(const std::vector<NodeSlot>& nodes, std::vector<Violation>* out);

}  // namespace sim
