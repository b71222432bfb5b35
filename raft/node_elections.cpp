// raft/node_elections.cpp — leader election (§5.2, §5.4.1), pre-vote
// (thesis §9.6) and check-quorum (thesis §6.2): the part of raft::Node (see
// node.h) that turns timeouts and votes into roles. The rules that differ
// from common implementations, with the paper's words, are in
// docs/architecture.md ("Election rules, by the paper"). The term rules and
// the lease check run before these handlers, in step_term (node.cpp).
#include <algorithm>
#include <bit>

#include "raft/node.h"

namespace raft {

// ===========================================================================
// elections
// ===========================================================================

void Node::reset_election_timer() {
    // §5.2: randomized election timeouts make split votes rare.
    ready_.election_timer_us =
        rng_.range(config_.election_timeout_us_min, config_.election_timeout_us_max);
}

// Figure 2: a server restarts its election timer only when it hears from
// the current leader, grants a vote or starts an election; adopting a higher
// term is none of these ("a voter does not grant its vote or reset its
// election timer if the voter's log is more up-to-date than the candidate's",
// thesis §9.4). A (pre-)candidate keeps the timer of its own election; only a
// deposed leader, whose timer was check-quorum's, needs a fresh one.
void Node::become_follower(Term term, NodeId leader) {
    ASSERT_CMP(term, >=, current_term_);  // §5.1: terms never go back
    if (term != current_term_) {
        current_term_ = term;
        voted_for_ = kNone;
        persist_hard_state();
    }
    const bool was_leader = role_ == Role::kLeader;
    if (was_leader) drop_reads();
    role_ = Role::kFollower;
    leader_ = leader;
    votes_granted_ = votes_rejected_ = 0;
    lead_transferee_ = kNone;
    if (was_leader) reset_election_timer();
}

// An append or snapshot from the leader of the current term: it restarts the
// election timer (§5.2) and the lease.
void Node::heard_from_leader(NodeId leader) {
    ASSERT(leader != id_ && leader >= 0 && leader < config_.node_count);
    if (role_ != Role::kFollower) become_follower(current_term_, leader);  // §5.2
    leader_ = leader;
    lease_ = true;
    ready_.lease_timer_us = config_.election_timeout_us_min;
    reset_election_timer();
}

void Node::become_pre_candidate() {
    ASSERT_CMP(role_, !=, Role::kLeader);
    // Thesis §9.6: ask first whether an election could be won, without
    // touching the term, so a partitioned server cannot inflate terms.
    role_ = Role::kPreCandidate;
    leader_ = kNone;
    votes_granted_ = 1u << id_;
    votes_rejected_ = 0;
    reset_election_timer();
    send_requests(MsgType::kPreVote, current_term_ + 1, false);
    if (quorum_of(votes_granted_)) become_candidate();
}

void Node::become_candidate() {
    ASSERT_CMP(role_, !=, Role::kLeader);  // a leader never times out into an election
    current_term_++;
    voted_for_ = id_;
    persist_hard_state();
    role_ = Role::kCandidate;
    leader_ = kNone;
    votes_granted_ = votes_rejected_ = 0;
    reset_election_timer();
    // Thesis ch. 9: the candidate's own write "can be overlapped with the
    // RequestVote messages": they leave now, and its own vote counts only
    // once durable (on_hard_state_persisted), so a crash cannot make it vote
    // twice in this term.
    send_requests(MsgType::kVote, current_term_, false);
}

void Node::count_own_vote() {
    ASSERT_CMP(role_, ==, Role::kCandidate);
    if (durable_hard_state_ != HardState{current_term_, id_}) return;
    votes_granted_ |= 1u << id_;
    if (quorum_of(votes_granted_)) become_leader();
}

void Node::campaign(bool force) {
    const InputCheck check(this);
    if (role_ == Role::kLeader || !promotable()) return;
    become_candidate();
    // Its own vote counts only once durable: never a leader in this step.
    ASSERT_CMP(role_, ==, Role::kCandidate);
    if (force) {
        for (Message& m : ready_.msgs) {
            if (m.type == MsgType::kVote) m.force = true;
        }
    }
}

void Node::send_requests(MsgType type, Term term, bool force) {
    ASSERT(type == MsgType::kPreVote ? term == current_term_ + 1
                                     : type == MsgType::kVote && term == current_term_);
    // Every member is asked, learners too: only voters' answers count
    // (quorum_of), so a learner's vote is seen and shown, never counted.
    for (uint32_t set = peers(); set != 0; set &= set - 1) {
        const auto p = static_cast<NodeId>(std::countr_zero(set));
        Message m;
        m.type = type;
        m.to = p;
        m.term = term;
        m.last_log_index = log_.last_index();
        m.last_log_term = log_.last_term();
        m.force = force;
        respond(std::move(m), false);
    }
}

// §5.4.1: a vote goes only to a candidate whose log is at least as
// up-to-date: later last term, or same last term and at least as long.
bool Node::log_up_to_date(Index last_index, Term last_term) const {
    if (last_term != log_.last_term()) return last_term > log_.last_term();
    return last_index >= log_.last_index();
}

void Node::handle_vote_request(const Message& m) {
    const bool pre = m.type == MsgType::kPreVote;
    ASSERT(pre || m.term == current_term_);  // step_term adopted a higher term
    // One vote per term (§5.2); a pre-vote is granted to any future term.
    const bool can_vote =
        pre ? m.term > current_term_ : (voted_for_ == kNone || voted_for_ == m.from);
    const bool up_to_date =
        has_mutation(kMutSkipUpToDateCheck) || log_up_to_date(m.last_log_index, m.last_log_term);
    const bool grant = can_vote && up_to_date;
    Message r;
    r.type = pre ? MsgType::kPreVoteResp : MsgType::kVoteResp;
    r.to = m.from;
    r.reject = !grant;
    r.term = (pre && grant) ? m.term : current_term_;
    if (!grant) {
        explain_vote_refusal(can_vote, pre, &r);
        ready_.refused = refusal_note(r);
    }
    if (grant && !pre) {
        voted_for_ = m.from;
        persist_hard_state();
        reset_election_timer();
    }
    // Figure 2: the vote is durable before the candidate learns of it.
    respond(std::move(r), !pre && !has_mutation(kMutVoteWithoutPersist));
}

// The rule that refused a vote, first in the order handle_vote_request
// checks them: the term's one vote (or, for a pre-vote, a prospective term
// that is not newer), then the log (with the voter's last entry, so the
// refusal shows both (index, term)s).
void Node::explain_vote_refusal(bool can_vote, bool pre, Message* r) const {
    ASSERT(r->reject && r->refusal == Refusal::kNone);  // a refused vote, not yet explained
    if (!can_vote) {
        r->refusal = pre ? Refusal::kStaleTerm : Refusal::kAlreadyVoted;
        if (!pre) r->voted_for = voted_for_;
        return;
    }
    r->refusal = Refusal::kLogBehind;
    r->last_log_index = log_.last_index();
    r->last_log_term = log_.last_term();
}

void Node::handle_vote_response(const Message& m) {
    // The sender's bit (1u << m.from) must exist; a node never answers itself.
    ASSERT(static_cast<uint32_t>(m.from) < static_cast<uint32_t>(config_.node_count) &&
           m.from != id_);
    const bool pre = m.type == MsgType::kPreVoteResp;
    if (pre ? role_ != Role::kPreCandidate : role_ != Role::kCandidate) return;
    if (m.reject) {
        votes_rejected_ |= 1u << m.from;
    } else {
        votes_granted_ |= 1u << m.from;
    }
    if (quorum_of(votes_granted_)) {
        if (pre) {
            become_candidate();
        } else {
            become_leader();
        }
    } else if (quorum_of(votes_rejected_) && config_.step_down_on_rejection) {
        // etcd's rule (an option): give up at once. By default the candidate
        // waits for its own timeout (Figure 2), so refused candidates do not
        // all restart in lock-step.
        become_follower(current_term_, kNone);
        reset_election_timer();
    }
}

void Node::become_leader() {
    ASSERT_CMP(role_, ==, Role::kCandidate);
    ASSERT_CMP(voted_for_, ==, id_);
    ASSERT(quorum_of(votes_granted_));  // §5.2: a majority (of both halves when joint, §4.3)
    role_ = Role::kLeader;
    leader_ = id_;
    heartbeat_round_ = 0;
    committed_in_term_ = false;
    lead_transferee_ = kNone;
    for (NodeId p = 0; p < config_.node_count; p++) {
        Progress& pr = progress_[static_cast<size_t>(p)];
        pr = Progress();
        pr.next_index = log_.last_index() + 1;
        // A peer starts "active" so a fresh leader is not deposed by the
        // first check-quorum before anybody could answer.
        pr.recent_active = true;
    }
    progress_[static_cast<size_t>(id_)].match_index = persisted_index_;
    // §8: a new leader commits a blank no-op entry of its term at once, which
    // also commits every earlier entry (§5.4.2).
    Entry noop;
    noop.term = current_term_;
    noop.index = log_.last_index() + 1;
    noop.type = EntryType::kNoop;
    noop.seal();
    append_own(std::move(noop));
    broadcast_append();
    ready_.heartbeat_timer_us = config_.heartbeat_us;
    ready_.election_timer_us = config_.election_timeout_us_min;
}

// Thesis §6.2: a leader that has not heard from a majority within an
// election timeout steps down, so clients can find the real leader.
void Node::check_quorum() {
    ASSERT_CMP(role_, ==, Role::kLeader);
    uint32_t active = 1u << id_;
    for (NodeId p = 0; p < config_.node_count; p++) {
        if (p == id_) continue;
        Progress& pr = progress_[static_cast<size_t>(p)];
        if (pr.recent_active) active |= 1u << p;
        pr.recent_active = false;
    }
    if (!quorum_of(active)) become_follower(current_term_, kNone);
}

}  // namespace raft
