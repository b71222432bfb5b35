// raft/node_invariants.cpp — the invariants a Node checks about itself after
// every input, when base::invariant_checks() is on (Debug builds, the test
// suites, RAFTPLAY_INVARIANTS=1): a whole-object sweep too slow for every
// Release step, beside the cheap ASSERTs that open each handler.
//
// Each rule is a property of one node's own state (Figure 2 and §5); rules
// about several nodes (election safety, log matching across nodes) are the
// world's checkers' job (sim/checker.h).
#include "raft/node.h"

namespace raft {

void Node::InputCheck::finish() const {
    // Terms only grow; within one term a vote, once cast, never changes
    // (§5.2: "each server will vote for at most one candidate in a given term").
    ASSERT_CMP(node_->current_term_, >=, term_);
    if (node_->current_term_ == term_ && voted_for_ != kNone)
        ASSERT_CMP(node_->voted_for_, ==, voted_for_);
    node_->check_invariants();
}

void Node::check_invariants() const {
    ASSERT_MSG(!imaged_, "a node was stepped while its state was out in a checkpoint image");
    const Index last = log_.last_index();
    // Applied ⊆ committed ∩ durable; committed and durable lie inside the log.
    ASSERT_CMP(last_applied_, <=, std::min(commit_index_, persisted_index_));
    ASSERT_CMP(commit_index_, <=, last);
    ASSERT_CMP(persisted_index_, <=, last);
    ASSERT_CMP(snapshot_index(), <=, last_applied_);
    ASSERT_CMP(log_.last_term(), <=, current_term_);
    check_role_invariants();
    if (role_ == Role::kLeader) check_leader_invariants();
}

void Node::check_role_invariants() const {
    switch (role_) {
        case Role::kFollower:
        case Role::kPreCandidate:  // a pre-candidate has not changed its term or vote
            ASSERT(leader_ != id_);
            break;
        case Role::kCandidate:
            ASSERT_CMP(voted_for_, ==, id_);  // §5.2: it votes for itself
            ASSERT_CMP(leader_, ==, kNone);
            break;
        case Role::kLeader:
            ASSERT_CMP(voted_for_, ==, id_);
            ASSERT_CMP(leader_, ==, id_);
            break;
    }
}

void Node::check_leader_invariants() const {
    const Index last = log_.last_index();
    for (NodeId p = 0; p < config_.node_count; p++) {
        const Progress& pr = progress_[static_cast<size_t>(p)];
        if (p == id_) {
            ASSERT_CMP(pr.match_index, <=, persisted_index_);
            continue;
        }
        ASSERT_CMP(pr.match_index, <, pr.next_index);
        ASSERT_CMP(pr.next_index, <=, last + 1);
        ASSERT_CMP(pr.match_index, <=, last);
        ASSERT_CMP(pr.inflight.size(), <=, static_cast<size_t>(config_.max_inflight_appends));
    }
}

}  // namespace raft
