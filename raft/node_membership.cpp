// raft/node_membership.cpp — cluster membership changes (thesis ch. 4) and
// leadership transfer (§3.10): the part of raft::Node (see node.h) that
// changes who the cluster is and who leads it.
//
// A configuration is a log entry carrying the whole new configuration; a
// server uses the latest one in its log, committed or not (§4.1), and falls
// back to the one before when a truncation removes it. Changes go one at a
// time: a leader appends a new one only once the last has committed and an
// entry of its own term has committed (the fix for the single-server bug,
// Ongaro on raft-dev, 2015). Quorums are counted here, once, for elections,
// commitment, reads, leases and check-quorum: a majority of the voters, and
// during joint consensus (§4.3) a majority of the outgoing voters as well;
// learners are never counted.
#include <algorithm>
#include <bit>

#include "raft/node.h"

namespace raft {

// ===========================================================================
// the configuration in force
// ===========================================================================

Membership Node::membership_at(Index i) const {
    // Entries up to the snapshot point are covered by the snapshot's
    // configuration; the log may keep a few of them (catch-up entries).
    const Index floor = std::max(log_.snapshot_index(), snapshot_index());
    ASSERT_CMP(i, >=, floor);
    for (Index j = std::min(i, log_.last_index()); j > floor; j--) {
        const Entry& e = log_.at(j);
        if (e.type == EntryType::kConfig) return e.conf;
    }
    return snapshot_ ? snapshot_->membership : bootstrap_membership(config_);
}

void Node::adopt_log_membership() {
    const Index floor = std::max(log_.snapshot_index(), snapshot_index());
    conf_index_ = 0;
    for (Index j = log_.last_index(); j > floor; j--) {
        if (log_.at(j).type == EntryType::kConfig) {
            conf_index_ = j;
            break;
        }
    }
    membership_ = membership_at(log_.last_index());
    ASSERT_MSG(membership_.voters != 0, "a configuration has at least one voter");
}

Membership Node::quorum_conf() const {
    if (has_mutation(kMutConfOnCommit) && conf_index_ > commit_index_)
        return membership_at(commit_index_);  // deliberately broken: §4.1 says on append
    return membership_;
}

bool Node::quorum_of(uint32_t acks) const {
    const Membership c = quorum_conf();
    // Deliberately broken under the mutation: a learner's ack counts as a voter's.
    const uint32_t extra = has_mutation(kMutCountLearnerVotes) ? c.learners : 0;
    const auto majority = [&](uint32_t set) {
        return set == 0 || 2 * std::popcount(acks & (set | extra)) > std::popcount(set);
    };
    return majority(c.voters) && majority(c.outgoing);
}

int64_t Node::quorum_value(const int64_t* by_node) const {
    const Membership c = quorum_conf();
    const uint32_t extra = has_mutation(kMutCountLearnerVotes) ? c.learners : 0;
    // The (|set|/2 + 1)-th greatest value among the set: a majority of it
    // has at least that value.
    const auto value = [&](uint32_t set) {
        int64_t v[kMaxNodes];
        int n = 0;
        for (uint32_t b = set | extra; b != 0; b &= b - 1)
            v[n++] = by_node[std::countr_zero(b)];
        // Insertion sort, descending: n <= 9.
        for (int i = 1; i < n; i++) {
            for (int j = i; j > 0 && v[j - 1] < v[j]; j--)
                std::swap(v[j - 1], v[j]);
        }
        return v[std::popcount(set) / 2];
    };
    ASSERT_MSG(c.voters != 0, "a configuration has at least one voter");
    const int64_t q = value(c.voters);
    return c.joint() ? std::min(q, value(c.outgoing)) : q;
}

// ===========================================================================
// configuration changes
// ===========================================================================

namespace {

// The configuration after one change, or false when the change does not
// apply to `cur` (adding a member, removing a stranger, the last voter...).
bool next_membership(const Membership& cur, ConfChangeType type, NodeId node, Membership* out) {
    const uint32_t bit = uint32_t(1) << node;
    Membership m = cur;
    switch (type) {
        case ConfChangeType::kAddVoter:
            if (cur.members() & bit) return false;
            m.voters |= bit;
            break;
        case ConfChangeType::kAddLearner:
            if (cur.members() & bit) return false;
            m.learners |= bit;
            break;
        case ConfChangeType::kPromote:
            if (!(cur.learners & bit)) return false;
            m.learners &= ~bit;
            m.voters |= bit;
            break;
        case ConfChangeType::kRemove:
            if (!(cur.members() & bit)) return false;
            m.voters &= ~bit;
            m.learners &= ~bit;
            if (m.voters == 0) return false;
            break;
        case ConfChangeType::kEnterJoint:
        case ConfChangeType::kLeaveJoint:
        case ConfChangeType::kCount:
            return false;
    }
    *out = m;
    return true;
}

}  // namespace

ConfRefusal Node::propose_conf_change(ConfChangeType type, NodeId node) {
    const InputCheck check(this);
    const ConfRefusal r = append_conf_change(type, node);
    apply_committed();  // (a single voter commits its own change at once)
    return r;
}

ConfRefusal Node::append_conf_change(ConfChangeType type, NodeId node) {
    ASSERT_CMP(type, <, ConfChangeType::kCount);
    ASSERT(type == ConfChangeType::kLeaveJoint ||
           static_cast<uint32_t>(node) < static_cast<uint32_t>(config_.node_count));
    if (role_ != Role::kLeader) return ConfRefusal::kNotLeader;
    if (lead_transferee_ != kNone) return ConfRefusal::kTransferring;
    // §4.1: one change at a time; the next waits until the last committed.
    if (conf_index_ > commit_index_) return ConfRefusal::kInFlight;
    Entry e;
    e.conf_type = type;
    e.conf_node = node;
    if (type == ConfChangeType::kLeaveJoint) {
        if (!membership_.joint()) return ConfRefusal::kInvalid;
        e.conf = membership_;
        e.conf.outgoing = 0;
        e.conf.auto_leave = false;
        e.conf_node = kNone;
    } else {
        if (membership_.joint()) return ConfRefusal::kInFlight;
        // A new leader may hold a configuration an earlier leader appended
        // but never committed, which it cannot tell from a committed one:
        // until an entry of its own term commits, a change based on it could
        // form a majority disjoint from one of a change it never saw.
        if (!committed_in_term_ && !has_mutation(kMutSingleServerBug))
            return ConfRefusal::kNotCommittedInTerm;
        if (!next_membership(membership_, type, node, &e.conf)) return ConfRefusal::kInvalid;
        if (config_.joint_consensus && e.conf.voters != membership_.voters) {
            // §4.3: C_old,new first; the leader leaves it once it commits.
            e.conf.outgoing = membership_.voters;
            e.conf.auto_leave = true;
            e.conf_type = ConfChangeType::kEnterJoint;
        }
    }
    e.term = current_term_;
    e.index = log_.last_index() + 1;
    e.type = EntryType::kConfig;
    e.seal();
    append_own(std::move(e));
    broadcast_append();
    return ConfRefusal::kNone;
}

void Node::on_conf_appended(const Entry& e) {
    ASSERT_CMP(e.type, ==, EntryType::kConfig);
    ASSERT_MSG(e.conf.voters != 0, "a configuration has at least one voter");
    if (role_ == Role::kLeader) {
        // A new member starts probing at the configuration entry itself.
        const uint32_t added = e.conf.members() & ~membership_.members();
        for (uint32_t set = added; set != 0; set &= set - 1) {
            Progress& pr = progress_[static_cast<size_t>(std::countr_zero(set))];
            pr = Progress();
            pr.next_index = e.index;
            pr.recent_active = true;
        }
    }
    membership_ = e.conf;
    conf_index_ = e.index;
}

// After the latest configuration commits, a leader leaves a joint one that
// asked for it (§4.3), or steps down when it is no longer a voter (§4.2.2:
// it led the cluster without counting itself until then).
void Node::maybe_finish_conf() {
    if (role_ != Role::kLeader || conf_index_ > commit_index_) return;
    if (membership_.joint() && membership_.auto_leave) {
        if (lead_transferee_ != kNone) return;  // the next leader leaves it
        const ConfRefusal r = append_conf_change(ConfChangeType::kLeaveJoint, kNone);
        ASSERT_CMP(r, ==, ConfRefusal::kNone);  // committed, joint, and this node leads
        return;
    }
    if (!promotable()) become_follower(current_term_, kNone);
}

// ===========================================================================
// leadership transfer (§3.10)
// ===========================================================================

ConfRefusal Node::transfer_leadership(NodeId target) {
    const InputCheck check(this);
    ASSERT(static_cast<uint32_t>(target) < static_cast<uint32_t>(config_.node_count));
    if (role_ != Role::kLeader) return ConfRefusal::kNotLeader;
    if (lead_transferee_ != kNone) return ConfRefusal::kTransferring;
    if (target == id_ || !membership_.is_voter(target)) return ConfRefusal::kInvalid;
    lead_transferee_ = target;
    transfer_round_ = heartbeat_round_;
    timeout_now_sent_ = false;
    maybe_send_timeout_now();
    if (!timeout_now_sent_) broadcast_append();  // catch the target up
    return ConfRefusal::kNone;
}

// The target has every entry of this leader's log: it can win at once.
void Node::maybe_send_timeout_now() {
    ASSERT_CMP(role_, ==, Role::kLeader);
    if (lead_transferee_ == kNone || timeout_now_sent_) return;
    const Progress& pr = progress_[static_cast<size_t>(lead_transferee_)];
    if (pr.match_index != log_.last_index()) return;
    emit(MsgType::kTimeoutNow, lead_transferee_, false);
    timeout_now_sent_ = true;
}

// Given up after an election timeout: the target is down or too far behind,
// and the cluster must not stay without proposals.
void Node::check_transfer_timeout() {
    if (lead_transferee_ == kNone) return;
    if ((heartbeat_round_ - transfer_round_) * config_.heartbeat_us >=
        config_.election_timeout_us_min)
        lead_transferee_ = kNone;
}

bool Node::refuse_while_transferring(const Command& cmd) {
    ASSERT_CMP(role_, ==, Role::kLeader);
    if (lead_transferee_ == kNone || has_mutation(kMutTransferKeepsProposing)) return false;
    reply_client(cmd, CommandResult{}, true, "transferring leadership");
    return true;
}

void Node::handle_timeout_now(const Message& m) {
    ASSERT_CMP(m.term, ==, current_term_);  // step_term filtered the others
    // From this term's leader, to a voter: campaign now, past pre-vote and
    // the voters' leases (§3.10: "as if its election timer had fired").
    if (role_ == Role::kLeader || !promotable()) return;
    become_candidate();
    for (Message& v : ready_.msgs) {
        if (v.type == MsgType::kVote) v.force = true;
    }
}

}  // namespace raft
