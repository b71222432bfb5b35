// raft/node_invariants.cpp — the invariants a Node checks about itself after
// every input, when base::invariant_checks() is on (Debug builds, the test
// suites, RAFTPLAY_INVARIANTS=1): a whole-object sweep too slow for every
// Release step, beside the cheap ASSERTs that open each handler.
//
// Each rule is a property of one node's own state (Figure 2 and §5); rules
// about several nodes (election safety, log matching across nodes) belong to
// whoever runs several nodes, not to one node.
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
    const BrokenRule r = broken_rule();
    if (r.what != nullptr) base::assert_cmp_fail(r.what, __FILE__, __LINE__, r.a, r.b);
}

// One list of rules for both uses: the sweep after every input asserts that
// none is broken; a state loaded from outside is refused when one is.
Node::BrokenRule Node::broken_rule() const {
    const Index last = log_.last_index();
    // Applied ⊆ committed ∩ durable; committed and durable lie inside the log.
    if (last_applied_ > std::min(commit_index_, persisted_index_))
        return {"last_applied <= min(commit_index, persisted_index)", last_applied_,
                std::min(commit_index_, persisted_index_)};
    if (std::max(commit_index_, persisted_index_) > last)
        return {"commit_index and persisted_index inside the log",
                std::max(commit_index_, persisted_index_), last};
    if (snapshot_index() > last_applied_)
        return {"snapshot index <= last_applied", snapshot_index(), last_applied_};
    // Every entry has a term (§5.3: the term in which a leader received it);
    // terms ascend along the log, so the first entry's is the least.
    if (last >= log_.first_index() && log_.term_at(log_.first_index()) < 1)
        return {"log entries have terms >= 1", log_.term_at(log_.first_index()), 1};
    if (log_.last_term() > current_term_)
        return {"the log's last term <= current_term", log_.last_term(), current_term_};
    // The disk confirms only what this node asked it to write.
    if (durable_hard_state_.current_term > current_term_)
        return {"the durable term <= current_term", durable_hard_state_.current_term,
                current_term_};
    const auto node = [&](NodeId p) {
        return static_cast<uint32_t>(p) < static_cast<uint32_t>(config_.node_count);
    };
    if ((voted_for_ != kNone && !node(voted_for_)) || (leader_ != kNone && !node(leader_)))
        return {"voted_for and leader name nodes", voted_for_, leader_};
    if (progress_.size() != static_cast<size_t>(config_.node_count))
        return {"progress for every node", static_cast<int64_t>(progress_.size()),
                config_.node_count};
    const uint32_t all = (uint32_t(1) << config_.node_count) - 1;
    if ((votes_granted_ | votes_rejected_) & ~all)
        return {"votes from nodes only", votes_granted_, votes_rejected_};
    // The configuration (thesis ch. 4): a voter, nodes of the cluster, from
    // an entry of this log; a transfer only at a leader, to a node.
    if (membership_.voters == 0 || (membership_.members() & ~all) != 0)
        return {"a configuration of nodes with a voter", membership_.voters, membership_.members()};
    if (conf_index_ < 0 || conf_index_ > last)
        return {"the configuration's entry inside the log", conf_index_, last};
    if (lead_transferee_ != kNone && (role_ != Role::kLeader || !node(lead_transferee_)))
        return {"a transfer only at a leader, to a node", lead_transferee_,
                static_cast<int64_t>(role_)};
    if (const BrokenRule r = broken_role_rule(); r.what != nullptr) return r;
    return role_ == Role::kLeader ? broken_leader_rule() : BrokenRule{};
}

Node::BrokenRule Node::broken_role_rule() const {
    switch (role_) {
        case Role::kFollower:
        case Role::kPreCandidate:  // a pre-candidate has not changed its term or vote
            if (leader_ == id_) return {"a follower does not lead", leader_, id_};
            break;
        case Role::kCandidate:  // §5.2: it votes for itself, in the term it started
            if (current_term_ < 1) return {"a candidate's term >= 1", current_term_, 1};
            if (voted_for_ != id_ || leader_ != kNone)
                return {"a candidate voted for itself and knows no leader", voted_for_, leader_};
            break;
        case Role::kLeader:
            if (current_term_ < 1) return {"a leader's term >= 1", current_term_, 1};
            if (voted_for_ != id_ || leader_ != id_)
                return {"a leader voted for and leads itself", voted_for_, leader_};
            break;
    }
    // Reads wait only at a leader (a deposed one answered them all).
    if (role_ != Role::kLeader && (!reads_.empty() || !deferred_reads_.empty()))
        return {"only a leader holds reads", static_cast<int64_t>(reads_.size()),
                static_cast<int64_t>(deferred_reads_.size())};
    return {};
}

Node::BrokenRule Node::broken_leader_rule() const {
    const Index last = log_.last_index();
    for (NodeId p = 0; p < config_.node_count; p++) {
        const Progress& pr = progress_[static_cast<size_t>(p)];
        if (p == id_) {
            if (pr.match_index > persisted_index_)
                return {"the leader matches only what is durable", pr.match_index,
                        persisted_index_};
            continue;
        }
        if (pr.match_index >= pr.next_index || pr.next_index > last + 1)
            return {"match_index < next_index <= last index + 1", pr.match_index, pr.next_index};
        if (pr.inflight.size() > static_cast<size_t>(config_.max_inflight_appends))
            return {"appends in flight <= max_inflight_appends",
                    static_cast<int64_t>(pr.inflight.size()), config_.max_inflight_appends};
    }
    const uint32_t all = (uint32_t(1) << config_.node_count) - 1;
    for (const PendingRead& r : reads_) {
        if (r.ctx < 1 || r.ctx >= next_read_ctx_ || r.read_index > commit_index_ || (r.acks & ~all))
            return {"a pending read this leader registered, up to its commit index", r.ctx,
                    r.read_index};
    }
    return {};
}

const char* Node::broken_rule_between_inputs() const {
    if (imaged_) return "the state is out in a checkpoint image";
    const Ready& r = ready_;
    if (r.needs_persist() || !r.msgs.empty() || !r.msgs_after_persist.empty() ||
        !r.applied.empty() || r.election_timer_us != -1 || r.heartbeat_timer_us != -1 ||
        r.lease_timer_us != -1 || r.refused.why != Refusal::kNone)
        return "a Ready left untaken between inputs";
    if (const BrokenRule r = broken_rule(); r.what != nullptr) return r.what;
    // The whole log: consecutive from its offset, terms never decreasing
    // (RaftLog::append asserts both for every entry it is given).
    Index next = log_.snapshot_index() + 1;
    Term term = log_.snapshot_term();
    for (const Entry& e : log_.entries()) {
        if (e.index != next++ || e.term < term || e.term < 1)
            return "a log of consecutive entries, terms ascending";
        term = e.term;
    }
    return nullptr;
}

}  // namespace raft
