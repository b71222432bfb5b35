// raft/node.cpp — the Raft protocol (see node.h). Section numbers refer to
// the extended Raft paper (Ongaro & Ousterhout, 2014) and, for pre-vote and
// leases, to Ongaro's thesis.
//
// Index
//   construction and recovery
//   inputs: step (term rules, then dispatch), timers, persistence
//   (elections: raft/node_elections.cpp)
//   replication (leader)
//   replication (follower)
//   commit, apply, snapshots
//   (clients and reads: raft/node_reads.cpp)
//   (membership and transfer: raft/node_membership.cpp)
#include "raft/node.h"

#include <algorithm>
#include <bit>
#include <memory>

namespace raft {

// ===========================================================================
// construction and recovery
// ===========================================================================

Node::Node(NodeId id, const Config& config, uint64_t rng_seed)
    : id_(id), config_(config), rng_(rng_seed) {
    // Vote and read bitmasks hold one bit per node; ids index the progress.
    ASSERT(config.node_count >= 1 && config.node_count <= kMaxNodes);
    ASSERT(static_cast<uint32_t>(id) < static_cast<uint32_t>(config.node_count));
    ASSERT_CMP(config.election_timeout_us_min, <=, config.election_timeout_us_max);
    progress_.resize(static_cast<size_t>(config.node_count));
    membership_ = bootstrap_membership(config);
}

void Node::restore(const HardState& hs, const SnapshotPtr& snap,
                   const std::vector<Entry>& entries) {
    ASSERT_MSG(log_.last_index() == 0 && current_term_ == 0, "restore into a fresh node only");
    current_term_ = hs.current_term;
    voted_for_ = hs.voted_for;
    durable_hard_state_ = hs;
    if (snap) {
        snapshot_ = snap;
        log_.compact(snap->last_included_index, snap->last_included_term);
        kv_.restore(*snap);
        commit_index_ = last_applied_ = snap->last_included_index;
    }
    for (const Entry& e : entries) {
        if (e.index <= log_.snapshot_index()) continue;
        log_.truncate_from(e.index);
        log_.append(e);
    }
    // Everything recovered from the disk is durable by definition.
    persisted_index_ = log_.last_index();
    adopt_log_membership();  // §4.1: the latest configuration in the log
}

void Node::start() {
    const InputCheck check(this);
    // A fresh or recovered process starts as a follower that knows no leader.
    ASSERT(role_ == Role::kFollower && leader_ == kNone);
    reset_election_timer();
}

Node::Image Node::take_image() {
    ASSERT_MSG(!imaged_, "take_image twice without put_image");
    imaged_ = true;
    Image im;
    im.log = log_.release_entries();
    im.snapshot = std::move(snapshot_);
    im.kv = std::exchange(kv_, KvStore());
    im.has_kv = true;
    return im;
}

void Node::put_image(Image&& im) {
    ASSERT_MSG(imaged_, "put_image on a node whose state is in place");
    imaged_ = false;
    log_.restore_entries(std::move(im.log));
    snapshot_ = std::move(im.snapshot);
    if (im.has_kv) {
        kv_ = std::move(im.kv);
    } else {
        rebuild_state_machine();
    }
}

void Node::rebuild_state_machine() {
    ASSERT_CMP(last_applied_, <=, log_.last_index());
    kv_ = KvStore();
    if (snapshot_) kv_.restore(*snapshot_);
    // The log may reach back before the snapshot point (catch-up entries).
    for (Index i = std::max(log_.snapshot_index(), snapshot_index()) + 1; i <= last_applied_; i++) {
        const Entry& e = log_.at(i);
        if (e.type == EntryType::kCommand) kv_.apply(e.cmd, e.index);
    }
}

// ===========================================================================
// inputs
// ===========================================================================

void Node::step(Message&& m) {
    const InputCheck check(this);
    ASSERT_CMP(m.type, <, MsgType::kCount);
    ASSERT_MSG(m.type != MsgType::kClientResp, "client responses go to clients, not nodes");
    ASSERT_CMP(m.to, ==, id_);
    // Node traffic comes from another node: the handlers index progress and
    // vote bitmasks by m.from (one unsigned compare: a negative id wraps).
    ASSERT(is_client_traffic(m.type) ||
           (static_cast<uint32_t>(m.from) < static_cast<uint32_t>(config_.node_count) &&
            m.from != id_));
    if (!step_term(m)) return;
    switch (m.type) {
        case MsgType::kPreVote:
        case MsgType::kVote:
            handle_vote_request(m);
            break;
        case MsgType::kPreVoteResp:
        case MsgType::kVoteResp:
            handle_vote_response(m);
            break;
        case MsgType::kAppend:
            handle_append(m);
            break;
        case MsgType::kAppendResp:
            handle_append_response(m);
            break;
        case MsgType::kSnapshot:
            handle_snapshot(m);
            break;
        case MsgType::kSnapshotResp:
            handle_snapshot_response(m);
            break;
        case MsgType::kProp:
            handle_prop(m);
            break;
        case MsgType::kClientReq:
            handle_client_request(m);
            break;
        case MsgType::kTimeoutNow:
            handle_timeout_now(m);
            break;
        case MsgType::kClientResp:
        case MsgType::kCount:
            break;
    }
    apply_committed();
    propagate_commit();
}

// The term rules, once for every message (§5.1): a higher term turns any
// server into a follower of that term; a lower term is stale. Returns whether
// the message should still be handled.
bool Node::step_term(const Message& m) {
    if (is_client_traffic(m.type)) return true;  // (step checked the sender of the rest)
    ASSERT_CMP(m.term, >, 0);                    // every node message carries its sender's term
    const bool vote_request = m.type == MsgType::kPreVote || m.type == MsgType::kVote;
    if (m.term > current_term_) {
        // Thesis §4.2.3: a server that heard from a leader recently ignores
        // vote requests, so a removed or rejoining server cannot disrupt it.
        if (vote_request && !m.force && in_lease()) {
            ready_.refused = {Refusal::kLease, leader_, 0, current_term_, false};
            return false;
        }
        // A pre-vote never changes anybody's term (thesis §9.6), nor does a
        // granted pre-vote response carrying the prospective term.
        if (m.type == MsgType::kPreVote) return true;
        if (m.type == MsgType::kPreVoteResp && !m.reject) return true;
        const bool from_leader = m.type == MsgType::kAppend || m.type == MsgType::kSnapshot;
        become_follower(m.term, from_leader ? m.from : kNone);
        return true;
    }
    if (m.term < current_term_) {
        if ((config_.check_quorum || config_.pre_vote) &&
            (m.type == MsgType::kAppend || m.type == MsgType::kSnapshot)) {
            // A stale leader cut off by pre-vote/check-quorum would otherwise
            // never learn the new term: tell it.
            Message r;
            r.type = MsgType::kAppendResp;
            r.to = m.from;
            r.reject = true;
            r.term = current_term_;  // (respond() would; the note needs it now)
            r.refusal = Refusal::kStaleTerm;
            ready_.refused = refusal_note(r);
            respond(std::move(r), false);
        } else if (m.type == MsgType::kPreVote) {
            Message r;
            r.type = MsgType::kPreVoteResp;
            r.to = m.from;
            r.reject = true;
            r.term = current_term_;  // (respond() would; the note needs it now)
            r.refusal = Refusal::kStaleTerm;
            ready_.refused = refusal_note(r);
            respond(std::move(r), false);
        } else if (vote_request || m.type == MsgType::kAppend || m.type == MsgType::kSnapshot) {
            ready_.refused = {Refusal::kStaleTerm, kNone, 0, current_term_, false};
        }
        return false;
    }
    return true;
}

// Thesis §4.2.3: "if a server receives a RequestVote request within the
// minimum election timeout of hearing from a current leader, it does not
// update its term or grant its vote". The bound is the lease timer; a leader
// keeps its own lease while it leads (check-quorum deposes it otherwise).
bool Node::in_lease() const {
    if (!config_.check_quorum && !config_.pre_vote) return false;
    return role_ == Role::kLeader || (leader_ != kNone && lease_);
}

void Node::on_election_timeout() {
    const InputCheck check(this);
    if (role_ == Role::kLeader) {
        if (config_.check_quorum) check_quorum();
        if (role_ == Role::kLeader) ready_.election_timer_us = config_.election_timeout_us_min;
        // Re-armed either way: a deposed leader drew a fresh timeout.
        ASSERT_CMP(ready_.election_timer_us, >=, 0);
        return;
    }
    // A learner, a removed server or a spare never campaigns (§4.2.1).
    if (!promotable()) {
        reset_election_timer();
        return;
    }
    // §5.2: no word from a leader for an election timeout: campaign.
    if (config_.pre_vote) {
        become_pre_candidate();
    } else {
        become_candidate();
    }
    // A campaign always re-arms the timer (or a lost election would never
    // be retried), and a follower is no longer one.
    ASSERT(role_ != Role::kFollower && ready_.election_timer_us >= 0);
}

void Node::on_heartbeat_timeout() {
    const InputCheck check(this);
    if (role_ != Role::kLeader) return;
    ASSERT_CMP(progress_.size(), ==, static_cast<size_t>(config_.node_count));
    heartbeat_round_++;
    for (uint32_t set = peers(); set != 0; set &= set - 1) {
        const auto p = static_cast<NodeId>(std::countr_zero(set));
        Progress& pr = progress_[static_cast<size_t>(p)];
        // A probe or snapshot that got no answer for a while was probably
        // lost: allow another one.
        if (pr.state == ProgressState::kProbe) pr.probe_sent = false;
        if (pr.state == ProgressState::kSnapshot && pr.snapshot_round + 4 <= heartbeat_round_) {
            pr.state = ProgressState::kProbe;
            pr.probe_sent = false;
        }
    }
    check_transfer_timeout();
    broadcast_heartbeat(0);
    broadcast_append();
    ready_.heartbeat_timer_us = config_.heartbeat_us;
}

void Node::on_persisted(Index index, Term term) {
    const InputCheck check(this);
    ASSERT_CMP(index, >=, 0);
    // The write may have been overtaken by a truncation: only a matching
    // (index, term) proves the prefix on disk equals the log in memory.
    if (log_.term_at(index) != term || index <= persisted_index_) return;
    persisted_index_ = index;
    if (role_ == Role::kLeader) {
        progress_[static_cast<size_t>(id_)].match_index = persisted_index_;
        maybe_commit();
    }
    apply_committed();
    propagate_commit();
}

void Node::on_snapshot_persisted(Index index) {
    const InputCheck check(this);
    ASSERT_CMP(index, >, 0);
    if (index > persisted_index_ && index <= log_.last_index()) persisted_index_ = index;
    apply_committed();
}

void Node::on_hard_state_persisted(const HardState& hs) {
    const InputCheck check(this);
    // The disk confirms what this node asked it to write: never a term ahead.
    ASSERT_CMP(hs.current_term, <=, current_term_);
    ASSERT_CMP(hs.current_term, >=, durable_hard_state_.current_term);
    durable_hard_state_ = hs;
    if (role_ == Role::kCandidate) count_own_vote();
}

void Node::persist_hard_state() {
    // A vote names a node; what is written never goes behind what is durable.
    ASSERT(voted_for_ == kNone ||
           static_cast<uint32_t>(voted_for_) < static_cast<uint32_t>(config_.node_count));
    ASSERT_CMP(current_term_, >=, durable_hard_state_.current_term);
    ready_.has_hard_state = true;
    ready_.hard_state = HardState{current_term_, voted_for_};
}

void Node::respond(Message&& m, bool after_persist) {
    ASSERT(m.to >= 0 && m.to < config_.node_count && m.to != id_);
    m.from = id_;
    if (m.term == 0) m.term = current_term_;
    if (after_persist) {
        ready_.msgs_after_persist.push_back(std::move(m));
    } else {
        ready_.msgs.push_back(std::move(m));
    }
}

// ===========================================================================
// replication (leader)
// ===========================================================================

void Node::append_own(Entry&& e) {
    ASSERT_CMP(role_, ==, Role::kLeader);
    ASSERT_CMP(e.term, ==, current_term_);  // §5.3: a leader appends in its own term
    ASSERT_CMP(e.index, ==, log_.last_index() + 1);
    ready_.entries.push_back(e);  // for the disk
    if (e.type == EntryType::kConfig) on_conf_appended(e);
    log_.append(std::move(e));
}

bool Node::can_send(const Progress& p) const {
    switch (p.state) {
        case ProgressState::kProbe:
            return !p.probe_sent;
        case ProgressState::kReplicate:
            return static_cast<int>(p.inflight.size()) < config_.max_inflight_appends;
        case ProgressState::kSnapshot:
            return false;
    }
    return false;
}

void Node::broadcast_append() {
    ASSERT_CMP(role_, ==, Role::kLeader);
    for (uint32_t set = peers(); set != 0; set &= set - 1) {
        const auto p = static_cast<NodeId>(std::countr_zero(set));
        Progress& pr = progress_[static_cast<size_t>(p)];
        // Pipelining: several appends may be in flight in replicate state.
        for (int guard = 0; guard < config_.max_inflight_appends + 1; guard++) {
            if (!can_send(pr) || pr.next_index > log_.last_index()) break;
            send_append(p, false);
        }
    }
}

void Node::broadcast_heartbeat(int64_t read_ctx) {
    ASSERT_CMP(read_ctx, <, next_read_ctx_);  // 0, or a read this leader registered
    for (uint32_t set = peers(); set != 0; set &= set - 1)
        send_heartbeat(static_cast<NodeId>(std::countr_zero(set)), read_ctx);
}

void Node::send_heartbeat(NodeId to, int64_t read_ctx) {
    ASSERT_CMP(role_, ==, Role::kLeader);
    Progress& pr = progress_[static_cast<size_t>(to)];
    Message& m = emit(MsgType::kAppend, to, false);
    // A heartbeat checks only what is known to match, so it never causes
    // a spurious rejection of pipelined appends still in flight.
    m.prev_log_index = std::max(pr.match_index, log_.snapshot_index());
    m.prev_log_index = std::min(m.prev_log_index, log_.last_index());
    m.prev_log_term = log_.term_at(m.prev_log_index);
    m.commit = std::min(commit_index_, m.prev_log_index);
    m.read_ctx = read_ctx;
    m.round = static_cast<int32_t>(static_cast<uint32_t>(heartbeat_round_));
    pr.commit_sent = std::max(pr.commit_sent, m.commit);
}

// Followers learn a new commit index at once, not at the next heartbeat
// (etcd broadcasts an append when the leader's commit index advances): a
// follower that holds entries up to its match index but was told an older
// commit gets an empty append now, unless an append this step carried it.
void Node::propagate_commit() {
    if (role_ != Role::kLeader) return;
    for (uint32_t set = peers(); set != 0; set &= set - 1) {
        const auto p = static_cast<NodeId>(std::countr_zero(set));
        const Progress& pr = progress_[static_cast<size_t>(p)];
        if (pr.state == ProgressState::kSnapshot) continue;
        if (pr.commit_sent < std::min(commit_index_, pr.match_index)) send_heartbeat(p, 0);
    }
}

void Node::send_append(NodeId to, bool heartbeat) {
    ASSERT_CMP(role_, ==, Role::kLeader);
    Progress& pr = progress_[static_cast<size_t>(to)];
    if (pr.next_index <= log_.snapshot_index()) {
        send_snapshot(to);
        return;
    }
    Message& m = emit(MsgType::kAppend, to, false);
    m.prev_log_index = pr.next_index - 1;
    m.prev_log_term = log_.term_at(m.prev_log_index);
    if (!heartbeat) {
        log_.slice_into(pr.next_index, log_.last_index(), config_.max_entries_per_append,
                        &m.entries);
    }
    m.commit = commit_index_;
    m.round = static_cast<int32_t>(static_cast<uint32_t>(heartbeat_round_));
    // The follower commits no further than the last entry this carries.
    const Index carried = m.entries.empty() ? m.prev_log_index : m.entries.back().index;
    pr.commit_sent = std::max(pr.commit_sent, std::min(m.commit, carried));
    // Thesis §10.2.1: the leader sends while its own write is in progress;
    // it counts itself only once durable (on_persisted).
    if (pr.state == ProgressState::kReplicate && !m.entries.empty()) {
        pr.next_index = m.entries.back().index + 1;
        pr.inflight.push_back(Progress::Inflight{m.entries.back().index, heartbeat_round_});
    } else if (pr.state == ProgressState::kProbe) {
        pr.probe_sent = true;
    }
}

void Node::send_snapshot(NodeId to) {
    Progress& pr = progress_[static_cast<size_t>(to)];
    ASSERT_MSG(snapshot_ != nullptr, "a compacted log always has a snapshot to send");
    Message m;
    m.type = MsgType::kSnapshot;
    m.to = to;
    m.snapshot = snapshot_;
    pr.state = ProgressState::kSnapshot;
    pr.snapshot_round = heartbeat_round_;
    pr.inflight.clear();
    respond(std::move(m), false);
}

// §5.3 optimization: skip a whole conflicting term per round trip. The
// follower names the term of its conflicting entry and that term's first
// index; the leader resumes after its own last entry of that term, if any.
Index Node::backtrack(const Progress& p, const Message& m) const {
    ASSERT(m.reject);
    Index next = m.hint_index;
    if (m.hint_term > 0) {
        for (Index i = std::min(m.prev_log_index, log_.last_index()); i > log_.snapshot_index();
             i--) {
            Term t = log_.term_at(i);
            if (t == m.hint_term) {
                next = i + 1;
                break;
            }
            if (t < m.hint_term) break;
        }
    }
    next = std::min(next, m.prev_log_index);
    return std::max(next, p.match_index + 1);
}

void Node::handle_append_response(const Message& m) {
    if (role_ != Role::kLeader) return;
    ASSERT_CMP(m.term, ==, current_term_);  // step_term filtered the others
    Progress& pr = progress_[static_cast<size_t>(m.from)];
    pr.recent_active = true;
    // Any answer of this term, a refusal too, comes from a follower that
    // took this node for its leader when it got the append (and started its
    // lease then, §4.2.3).
    pr.round_acked = std::max(pr.round_acked, round_from_wire(m.round));
    if (m.read_ctx != 0) handle_read_ack(m.from, m.read_ctx);
    if (m.reject) {
        if (pr.state == ProgressState::kSnapshot || m.prev_log_index <= pr.match_index) return;
        pr.next_index = backtrack(pr, m);
        pr.state = ProgressState::kProbe;
        pr.probe_sent = false;
        pr.inflight.clear();
        send_append(m.from, false);
        return;
    }
    if (m.match_index > pr.match_index) {
        pr.match_index = m.match_index;
        // A match at or below the commit index moves no quorum past it.
        if (m.match_index > commit_index_) maybe_commit();
    }
    pr.next_index = std::max(pr.next_index, pr.match_index + 1);
    if (m.from == lead_transferee_) maybe_send_timeout_now();
    size_t acked = 0;
    while (acked < pr.inflight.size() && pr.inflight[acked].last_index <= pr.match_index)
        acked++;
    pr.inflight.erase(pr.inflight.begin(),
                      pr.inflight.begin() + static_cast<std::ptrdiff_t>(acked));
    if (pr.state == ProgressState::kProbe && m.match_index + 1 >= pr.next_index) {
        // The follower matched at the probe's point (or beyond): stream from
        // there. An ack that says less (a heartbeat's, which carries no log
        // position) must not rewind next_index below what backtracking found.
        pr.state = ProgressState::kReplicate;
        pr.next_index = pr.match_index + 1;
        pr.probe_sent = false;
    } else if (pr.state == ProgressState::kReplicate && !pr.inflight.empty() &&
               pr.inflight.front().round + 2 <= heartbeat_round_) {
        // Two heartbeat rounds without an answer: the append was lost.
        pr.state = ProgressState::kProbe;
        pr.probe_sent = false;
        pr.next_index = pr.match_index + 1;
        pr.inflight.clear();
    }
    broadcast_append();
}

void Node::handle_snapshot_response(const Message& m) {
    if (role_ != Role::kLeader) return;
    ASSERT_CMP(m.term, ==, current_term_);
    Progress& pr = progress_[static_cast<size_t>(m.from)];
    pr.recent_active = true;
    if (m.reject) return;
    if (m.match_index > pr.match_index) {
        pr.match_index = m.match_index;
        maybe_commit();
    }
    pr.next_index = pr.match_index + 1;
    pr.state = ProgressState::kProbe;
    pr.probe_sent = false;
    broadcast_append();
}

// ===========================================================================
// replication (follower)
// ===========================================================================

void Node::handle_append(Message& m) {
    heard_from_leader(m.from);
    ASSERT_CMP(role_, ==, Role::kFollower);  // §5.2: a current leader's append
    ASSERT_CMP(m.prev_log_index, >=, 0);
    ASSERT(m.entries.empty() || m.entries.front().index == m.prev_log_index + 1);
    ASSERT(m.entries.empty() || m.entries.back().term <= m.term);
    // The response is built in place once its queue is known.
    auto response = [&](bool after_persist) -> Message& {
        Message& r = emit(MsgType::kAppendResp, m.from, after_persist);
        r.read_ctx = m.read_ctx;
        r.round = m.round;
        r.prev_log_index = m.prev_log_index;
        return r;
    };
    const bool ack_now = has_mutation(kMutAckBeforeFsync);
    if (m.prev_log_index < commit_index_) {
        // Already committed here; tell the leader how far we match. Waits for
        // pending writes like any acknowledgement.
        Message& r = response(!ack_now);
        r.match_index = commit_index_;
        r.match_term = log_.term_at(commit_index_);
        return;
    }
    const Term t = log_.term_at(m.prev_log_index);
    if (t != m.prev_log_term) {
        // §5.3 consistency check failed: reject with a backtracking hint.
        Message& r = response(false);
        r.reject = true;
        r.refusal = Refusal::kLogMismatch;
        if (t < 0) {
            r.hint_index = log_.last_index() + 1;
        } else {
            Index i = m.prev_log_index;
            while (i - 1 > log_.snapshot_index() && log_.term_at(i - 1) == t)
                i--;
            r.hint_index = i;
            r.hint_term = t;
        }
        ready_.refused = refusal_note(r);
        return;
    }
    bool conf_changed = false;
    for (Entry& e : m.entries) {
        if (e.index <= log_.snapshot_index()) continue;
        if (log_.has(e.index)) {
            if (log_.term_at(e.index) == e.term) continue;
            // §5.3 step 3: a conflicting entry and all that follow it go.
            // A configuration among them goes too (§4.1: the server falls
            // back to the latest one left in its log).
            conf_changed |= e.index <= conf_index_;
            log_.truncate_from(e.index);
            persisted_index_ = std::min(persisted_index_, e.index - 1);
        }
        conf_changed |= e.type == EntryType::kConfig;
        ready_.entries.push_back(e);  // for the disk
        log_.append(std::move(e));    // the message is consumed
    }
    if (conf_changed) adopt_log_membership();
    const Index last_new = m.prev_log_index + static_cast<Index>(m.entries.size());
    set_commit(std::min(m.commit, last_new));  // §5.3 step 5
    // Figure 2: acknowledge only what is durable.
    Message& r = response(!ack_now);
    r.match_index = last_new;
    r.match_term = log_.term_at(last_new);
}

void Node::handle_snapshot(const Message& m) {
    heard_from_leader(m.from);
    ASSERT_CMP(role_, ==, Role::kFollower);
    ASSERT_MSG(m.snapshot != nullptr, "an InstallSnapshot carries its snapshot");
    Message r;
    r.type = MsgType::kSnapshotResp;
    r.to = m.from;
    const Snapshot& s = *m.snapshot;
    if (s.last_included_index <= commit_index_) {
        r.match_index = commit_index_;
        respond(std::move(r), true);
        return;
    }
    // §7: keep the log after the snapshot point if it matches; else drop it.
    const bool keep = log_.term_at(s.last_included_index) == s.last_included_term;
    log_.compact(s.last_included_index, s.last_included_term);
    snapshot_ = m.snapshot;
    kv_.restore(s);
    commit_index_ = last_applied_ = s.last_included_index;
    persisted_index_ =
        keep ? std::max(persisted_index_, s.last_included_index) : s.last_included_index;
    adopt_log_membership();  // the snapshot's, or a later one the kept log holds
    ready_.snapshot = m.snapshot;
    r.match_index = s.last_included_index;
    respond(std::move(r), true);
}

// ===========================================================================
// commit, apply, snapshots
// ===========================================================================

void Node::maybe_commit() {
    ASSERT_CMP(role_, ==, Role::kLeader);
    Index matches[kMaxNodes];
    const int n = config_.node_count;
    for (int p = 0; p < n; p++)
        matches[p] = progress_[static_cast<size_t>(p)].match_index;
    const Index candidate = quorum_value(matches);
    if (candidate <= commit_index_) return;
    // §5.4.2 / Figure 8: only entries of the current term commit by counting
    // replicas; earlier ones commit indirectly with them.
    if (log_.term_at(candidate) != current_term_ && !has_mutation(kMutCommitOldTerm)) return;
    set_commit(candidate);
}

void Node::set_commit(Index c) {
    if (c <= commit_index_) return;
    ASSERT_CMP(c, <=, log_.last_index());  // only what this log holds commits
    commit_index_ = c;
    if (role_ == Role::kLeader && log_.term_at(c) == current_term_ && !committed_in_term_) {
        committed_in_term_ = true;
        std::vector<Command> deferred;
        deferred.swap(deferred_reads_);
        for (const Command& cmd : deferred)
            start_read(cmd);
    }
}

void Node::apply_committed() {
    // Apply only what is both committed and durable here.
    const Index limit = std::min(commit_index_, persisted_index_);
    while (last_applied_ < limit) {
        const Entry& e = log_.at(last_applied_ + 1);
        ASSERT_CMP(e.index, ==, last_applied_ + 1);
        last_applied_++;
        if (e.type == EntryType::kCommand) {
            CommandResult r = kv_.apply(e.cmd, e.index);
            if (e.origin == id_) reply_client(e.cmd, r, false, nullptr);
        }
        ready_.applied.push_back(Applied{e.index, e.term, e.type, e.hash});
    }
    maybe_snapshot();
    serve_reads();
    // Nearly always nothing to do: a leader whose latest configuration is
    // committed and neither joint nor without it (the check inline).
    if (role_ == Role::kLeader && conf_index_ <= commit_index_ &&
        (membership_.joint() || !promotable()))
        maybe_finish_conf();
}

// A snapshot copies the whole store, so the interval grows with it: at least
// as many applied entries as the last snapshot copied pairs keeps heavy
// writes (stress steps) linear instead of quadratic, and the intervals grow
// at most geometrically, so the log is still compacted. With at most
// snapshot_threshold keys it is the threshold alone (docs/scenarios.md#limits).
void Node::maybe_snapshot() {
    if (config_.snapshot_threshold <= 0) return;
    const int64_t last_pairs = snapshot_ ? static_cast<int64_t>(snapshot_->kv.size()) : 0;
    const int64_t interval = std::max<int64_t>(config_.snapshot_threshold, last_pairs);
    if (last_applied_ - snapshot_index() < interval) return;
    take_snapshot();
}

// §7: snapshot the applied state and discard the log prefix it covers, but
// for the last snapshot_catch_up_entries before the snapshot point: a
// follower a few entries behind still gets those by AppendEntries.
void Node::take_snapshot() {
    const InputCheck check(this);
    if (last_applied_ <= snapshot_index()) return;
    const Term t = log_.term_at(last_applied_);
    ASSERT_CMP(t, >, 0);  // the applied entry is still in the log
    Snapshot s = kv_.to_snapshot(last_applied_, t);
    s.membership = membership_at(last_applied_);  // before snapshot_ moves past it
    auto snap = std::make_shared<const Snapshot>(std::move(s));
    snapshot_ = snap;
    const Index keep_after =
        last_applied_ - std::max<int64_t>(0, config_.snapshot_catch_up_entries);
    if (keep_after > log_.snapshot_index()) log_.compact(keep_after, log_.term_at(keep_after));
    ready_.snapshot = snap;
}

}  // namespace raft
