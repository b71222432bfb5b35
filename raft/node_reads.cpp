// raft/node_reads.cpp — clients and reads: the part of raft::Node (see
// node.h) that takes client requests (propose, forward to the leader,
// refuse), answers them once applied, and serves reads without the log:
// ReadIndex (§6.4) and lease reads (thesis §6.4.1).
#include <algorithm>
#include <bit>

#include "raft/node.h"

namespace raft {

// ===========================================================================
// clients and reads
// ===========================================================================

void Node::reply_client(const Command& cmd, const CommandResult& r, bool retryable,
                        const char* error) {
    // A retryable answer says why; a result carries no error.
    ASSERT((error != nullptr) == retryable);
    Message m;
    m.type = MsgType::kClientResp;
    m.from = id_;
    m.to = kNone;  // a client, named by cmd.client_id: `to` is always a node or nobody
    m.term = current_term_;
    m.cmd = cmd;
    m.result = r;
    m.retryable_error = retryable;
    if (error) m.error = error;
    ready_.msgs.push_back(std::move(m));
}

void Node::propose(const Command& cmd, NodeId origin) {
    ASSERT_CMP(role_, ==, Role::kLeader);
    Entry e;
    e.term = current_term_;
    e.index = log_.last_index() + 1;
    e.type = EntryType::kCommand;
    e.origin = origin;
    e.cmd = cmd;
    e.seal();
    append_own(std::move(e));
    broadcast_append();
}

void Node::handle_client_request(const Message& m) {
    ASSERT_CMP(m.type, ==, MsgType::kClientReq);
    ASSERT_CMP(m.hops, ==, 0);  // straight from the client; forwarding makes a kProp
    const bool is_get = m.cmd.op == OpType::kGet;
    if (is_get && role_ != Role::kLeader && has_mutation(kMutFollowerLocalReads)) {
        // Deliberately broken: a follower's state may be stale.
        reply_client(m.cmd, kv_.read(m.cmd.key), false, nullptr);
        return;
    }
    if (role_ == Role::kLeader) {
        if (is_get && config_.read_mode != ReadMode::kLog) {
            start_read(m.cmd);
        } else if (!refuse_while_transferring(m.cmd)) {
            propose(m.cmd, id_);
        }
        return;
    }
    maybe_forward_or_reject(m);
}

void Node::maybe_forward_or_reject(const Message& m) {
    ASSERT(m.type == MsgType::kClientReq || m.type == MsgType::kProp);
    ASSERT_CMP(role_, !=, Role::kLeader);  // a leader proposes or reads itself
    if (leader_ == kNone || leader_ == id_ || m.hops >= 3) {
        reply_client(m.cmd, CommandResult{}, true, "no leader");
        return;
    }
    // As etcd does: a follower forwards proposals to the leader; it answers
    // the client itself once it applies the entry.
    Message f;
    f.type = MsgType::kProp;
    f.to = leader_;
    f.cmd = m.cmd;
    f.origin = m.type == MsgType::kProp ? m.origin : id_;
    f.hops = m.hops + 1;
    respond(std::move(f), false);
}

void Node::handle_prop(const Message& m) {
    ASSERT_CMP(m.type, ==, MsgType::kProp);
    // A forwarded request: a follower answers its client once applied, so
    // origin names a node; it was forwarded at least once, and at most 3 times.
    ASSERT(static_cast<uint32_t>(m.origin) < static_cast<uint32_t>(config_.node_count));
    ASSERT(m.hops >= 1 && m.hops <= 3);
    if (role_ != Role::kLeader) {
        maybe_forward_or_reject(m);
        return;
    }
    if (m.cmd.op == OpType::kGet && config_.read_mode != ReadMode::kLog) {
        start_read(m.cmd);  // the leader answers the client directly
        return;
    }
    if (!refuse_while_transferring(m.cmd)) propose(m.cmd, m.origin);
}

// §6.4 ReadIndex: remember the commit index, confirm leadership with a
// heartbeat round, and answer once the state machine reached that index.
// Within a lease (§6.4.1) the lease stands in for the heartbeat round.
void Node::start_read(const Command& cmd) {
    ASSERT_CMP(role_, ==, Role::kLeader);
    ASSERT_CMP(cmd.op, ==, OpType::kGet);
    if (!committed_in_term_) {
        // The leader does not know the latest commit until its no-op commits.
        deferred_reads_.push_back(cmd);
        return;
    }
    PendingRead r;
    r.ctx = next_read_ctx_++;
    r.read_index = commit_index_;
    r.acks = 1u << id_;
    r.cmd = cmd;
    const bool lease = config_.read_mode == ReadMode::kLease && leader_lease();
    if (lease) r.acks = membership_.members() | r.acks;
    reads_.push_back(r);
    if (!lease) broadcast_heartbeat(r.ctx);
    serve_reads();
}

// Thesis §6.4.1: the leader keeps a lease with its normal heartbeats; once
// a majority acknowledged heartbeats sent at `start`, the lease lasts until
// "start + election timeout / clock drift bound", as no follower times out
// before then. A follower that answers an append of this leader refuses
// votes for election_timeout_us_min after it got it (its lease, §4.2.3,
// which needs pre-vote or check-quorum), so once a quorum answered appends
// sent at or after a moment `start`, no other leader can be elected before
// start + election_timeout_us_min.
//
// raft/ has no clock: the leader measures time in its own heartbeat rounds.
// Round k begins when on_heartbeat_timeout() fires for the k-th time (0:
// when it became leader), and the caller fires it heartbeat_us after arming
// it, by this node's clock. Every append carries the round it was sent in;
// if q is the latest round a quorum (this node counts as the current round)
// has answered, then now <= start(k + 1) = start(q) + (k + 1 - q) *
// heartbeat_us, so the lease holds while (k + 1 - q) * heartbeat_us <
// election_timeout_us_min. That is up to a heartbeat shorter than the
// thesis's lease, never longer. There is no drift bound: the rule assumes
// every clock runs at the same rate. When the leader's runs slow, or the
// followers' fast, a new leader can be elected while the old one still
// believes its lease (a stale read) — the clock-drift fault shows it. A
// paused process's timers stop too, so a long pause is a slow clock; and a
// follower that restarts forgets its lease (it is volatile, as in etcd).
bool Node::leader_lease() const {
    if (role_ != Role::kLeader || !committed_in_term_) return false;
    // Without pre-vote or check-quorum no follower refuses a vote (in_lease).
    if (!config_.pre_vote && !config_.check_quorum) return false;
    int64_t rounds[kMaxNodes];
    const int n = config_.node_count;
    for (int p = 0; p < n; p++) {
        rounds[p] = p == id_ ? heartbeat_round_ : progress_[static_cast<size_t>(p)].round_acked;
    }
    const int64_t q = quorum_value(rounds);  // the latest round a quorum answered
    if (q < 0) return false;
    ASSERT_CMP(q, <=, heartbeat_round_);
    return (heartbeat_round_ + 1 - q) * config_.heartbeat_us < config_.election_timeout_us_min;
}

// An echoed round is at most a few rounds old: the low 32 bits a message
// carries name it unambiguously.
int64_t Node::round_from_wire(int32_t round) const {
    const uint32_t behind = static_cast<uint32_t>(heartbeat_round_) - static_cast<uint32_t>(round);
    return heartbeat_round_ - static_cast<int64_t>(behind);
}

void Node::handle_read_ack(NodeId from, int64_t ctx) {
    ASSERT_CMP(ctx, <, next_read_ctx_);  // a context this leader issued
    ASSERT(static_cast<uint32_t>(from) < static_cast<uint32_t>(config_.node_count));  // 1u << from
    // A heartbeat round confirms every read registered before it.
    for (PendingRead& r : reads_) {
        if (r.ctx <= ctx) r.acks |= 1u << from;
    }
    serve_reads();
}

void Node::serve_reads() {
    if (role_ != Role::kLeader) return;
    while (!reads_.empty()) {
        const PendingRead& r = reads_.front();
        ASSERT_CMP(r.read_index, <=, commit_index_);  // §6.4: it waits for this commit
        if (!quorum_of(r.acks) || last_applied_ < r.read_index) break;
        reply_client(r.cmd, kv_.read(r.cmd.key), false, nullptr);
        reads_.erase(reads_.begin());
    }
}

void Node::drop_reads() {
    ASSERT_CMP(role_, ==, Role::kLeader);  // only a leader holds reads; it is stepping down
    for (const PendingRead& r : reads_)
        reply_client(r.cmd, CommandResult{}, true, "not leader");
    for (const Command& c : deferred_reads_)
        reply_client(c, CommandResult{}, true, "not leader");
    reads_.clear();
    deferred_reads_.clear();
}

}  // namespace raft
