// raft/node.h — one Raft server as a pure state machine (after etcd-io/raft).
//
// A Node has no clock, no I/O, no threads and no randomness of its own. Its
// inputs are step(Message), the two timer expiries, propose via a client
// request message, and the persistence acknowledgements from its disk. After
// every input the caller takes a Ready: what to persist, which messages may
// leave now, which only after the persisted state is durable, which timers to
// (re)arm, and what was applied to the key-value store.
//
// Invariants kept here: term rules are handled once in step(); the vote and
// every append acknowledgement leave only after the write is durable (§5.1,
// Figure 2 "respond to RPCs only after updating stable storage"); a leader
// counts its own log for commitment only up to what it has persisted.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "base/assert.h"
#include "base/rng.h"
#include "raft/kv.h"
#include "raft/log.h"
#include "raft/types.h"

namespace raft {

// What an applied entry was, for checkers and the trace.
struct Applied {
    Index index = 0;
    Term term = 0;
    EntryType type = EntryType::kNoop;
    uint64_t hash = 0;  // entry_hash
};

struct Ready {
    // Persist, in this order: snapshot, hard state, entries. Each entry
    // replaces whatever the disk holds at its index and after it.
    SnapshotPtr snapshot;
    bool has_hard_state = false;
    HardState hard_state;
    std::vector<Entry> entries;
    // Messages that may leave now, and those that must wait until everything
    // above is durable.
    MessageList msgs;
    MessageList msgs_after_persist;
    // Timers to (re)arm, as durations from now; -1 leaves a timer alone.
    int64_t election_timer_us = -1;
    int64_t heartbeat_timer_us = -1;
    // The leader lease (thesis §4.2.3): the minimum election timeout after
    // hearing from the leader; on_lease_timeout() when it runs out.
    int64_t lease_timer_us = -1;
    std::vector<Applied> applied;
    // The input was a request the rules refused: why. A refusal that answers
    // says it in the response too (Message::refusal), but the response may
    // leave later (after a persist); some refusals send none (a vote request
    // under a lease, a stale vote request).
    RefusalNote refused;

    bool needs_persist() const { return snapshot != nullptr || has_hard_state || !entries.empty(); }
    void clear() { *this = Ready(); }
    // Empties it but keeps the vectors' capacity.
    void reset() {
        snapshot.reset();
        has_hard_state = false;
        hard_state = HardState();
        entries.clear();
        msgs.clear();
        msgs_after_persist.clear();
        election_timer_us = heartbeat_timer_us = lease_timer_us = -1;
        applied.clear();
        refused = RefusalNote();
    }
};

// Leader's view of one follower's replication progress (etcd's Progress).
enum class ProgressState : uint8_t { kProbe = 0, kReplicate, kSnapshot };
struct Progress {
    Index match_index = 0;
    Index next_index = 1;
    ProgressState state = ProgressState::kProbe;
    bool probe_sent = false;  // probe: one append in flight at a time
    // Replicate: the appends in flight, oldest first (at most
    // max_inflight_appends, a handful). A vector, not a deque: an empty deque
    // still allocates about 600 bytes, on every copy of the node too.
    struct Inflight {
        Index last_index = 0;  // last index the append carried
        int64_t round = 0;     // heartbeat round it was sent in
        bool operator==(const Inflight&) const = default;
    };
    std::vector<Inflight> inflight;
    bool recent_active = false;  // check-quorum: heard from since last check
    Index commit_sent = 0;       // the highest commit index sent to it
    int64_t snapshot_round = 0;  // snapshot: heartbeat round it was sent in
    // The latest heartbeat round of this term from which it answered an
    // append (lease reads, §6.4.1); -1: none yet.
    int64_t round_acked = -1;
    bool operator==(const Progress&) const = default;
};

// A linearizable read waiting for its heartbeat quorum (ReadIndex, §6.4).
struct PendingRead {
    int64_t ctx = 0;
    Index read_index = 0;
    uint32_t acks = 0;  // bitmask of nodes that confirmed leadership
    Command cmd;
    bool operator==(const PendingRead&) const = default;
};

class Node {
  public:
    Node() = default;
    // A blank node, or one recovered from what its disk holds.
    Node(NodeId id, const Config& config, uint64_t rng_seed);
    void restore(const HardState& hs, const SnapshotPtr& snap, const std::vector<Entry>& entries);
    // Arms the first election timer. Call once after construction/restore.
    void start();

    // ---- inputs -------------------------------------------------------------
    // Consumes m: an append's entries are moved into the log, not copied
    // (the caller discards the message after; pass a copy to keep it).
    void step(Message&& m);
    void on_election_timeout();
    void on_heartbeat_timeout();
    void on_lease_timeout() {
        const InputCheck check(this);
        lease_ = false;
    }
    // The disk made entries up to (index, term) durable.
    void on_persisted(Index index, Term term);
    // The disk made this hard state durable (a candidate's own vote counts
    // from then on).
    void on_hard_state_persisted(const HardState& hs);
    void on_snapshot_persisted(Index index);
    // User actions.
    void campaign(bool force);
    void take_snapshot();
    // Administrative requests to a leader (thesis ch. 4 and §3.10); kNone
    // when accepted, else why not (an expected answer, not an error).
    // A configuration change: appended at once and in effect here from then
    // (§4.1); with Config::joint_consensus a voter change enters C_old,new,
    // which the leader leaves by itself once it commits (§4.3).
    ConfRefusal propose_conf_change(ConfChangeType type, NodeId node);
    // Leadership transfer: stop taking proposals, bring `target` up to date,
    // then send it TimeoutNow; given up after an election timeout.
    ConfRefusal transfer_leadership(NodeId target);

    // ---- checkpoint image ----------------------------------------------------
    // The one door for whoever checkpoints a node: its bulky state moves out
    // into an Image, the small rest (terms, indexes, progress, timers) is
    // copied as-is, and the image moves back. Between take_image and
    // put_image the node must not be stepped.
    struct Image {
        std::vector<Entry> log;  // the entries after the log's offset
        SnapshotPtr snapshot;    // the latest snapshot this node holds
        // The key-value store. A checkpoint does not keep it (it is a pure
        // function of the snapshot and the applied log suffix): put_image
        // rebuilds it when has_kv is false.
        KvStore kv;
        bool has_kv = false;
    };
    Image take_image();
    void put_image(Image&& image);
    // The first rule of this node's own state that its state breaks, or
    // nullptr: the invariant sweep's rules (node_invariants.cpp), plus what
    // holds between inputs (an empty Ready) and the whole log's shape
    // (consecutive indexes, terms that never decrease). For a node whose
    // state came from outside, checked before it is stepped: every handler's
    // ASSERTs assume these rules.
    const char* broken_rule_between_inputs() const;

    // What the last input asks of the host, taken whole (tests, tools).
    Ready take_ready() {
        Ready r = std::move(ready_);
        ready_.clear();
        return r;
    }
    // The host's way, once per input (the simulator's): the Ready consumed
    // in place (the host may swap a vector out for an empty one, as the disk
    // takes the entries to write), then done_with_ready() empties it and
    // keeps every buffer's capacity: no allocation per input in a steady
    // state, and no vector changes hands.
    Ready& ready_in_place() { return ready_; }
    void done_with_ready() { ready_.reset(); }

    // ---- read-only state (views, checkers) ------------------------------------
    NodeId id() const { return id_; }
    Role role() const { return role_; }
    Term current_term() const { return current_term_; }
    NodeId voted_for() const { return voted_for_; }
    NodeId leader() const { return leader_; }
    Index commit_index() const { return commit_index_; }
    Index last_applied() const { return last_applied_; }
    Index persisted_index() const { return persisted_index_; }
    const RaftLog& log() const { return log_; }
    const KvStore& kv() const { return kv_; }
    const SnapshotPtr& snapshot() const { return snapshot_; }
    // The last index the latest snapshot covers (0: none). The log may keep
    // entries before it; log().snapshot_index() is where the log starts.
    Index snapshot_index() const { return snapshot_ ? snapshot_->last_included_index : 0; }
    const std::vector<Progress>& progress() const { return progress_; }
    uint32_t votes_granted() const { return votes_granted_; }
    uint32_t votes_rejected() const { return votes_rejected_; }
    const Config& config() const { return config_; }
    // The configuration this node is in: its log's latest (committed or not).
    const Membership& membership() const { return membership_; }
    // The index of that configuration's entry; 0: it came from the snapshot
    // or is the bootstrap one.
    Index conf_index() const { return conf_index_; }
    // The configuration at index i of this node's log (i >= its snapshot's).
    Membership membership_at(Index i) const;
    NodeId lead_transferee() const { return lead_transferee_; }
    const std::vector<PendingRead>& pending_reads() const { return reads_; }
    bool in_lease() const;
    // A leader's own lease (read_mode kLease, thesis §6.4.1): no other leader
    // can have been elected yet, so it may answer reads from its state.
    bool leader_lease() const;
    // The pending Ready's verdict on the request the last step refused
    // (see Ready::refused).
    const RefusalNote& refused() const { return ready_.refused; }

    // ---- field list, for file formats ---------------------------------------------
    // Calls f(name, field) for every data member, in declaration order; Self
    // is Node or const Node. It exists so that a file format in a layer above
    // can save and load a node's private state without raft/ knowing any
    // format or library, and without an accessor per field: it is that
    // format's deliberate field list, beside Image (docs/architecture.md). A
    // new member must be listed here, or a format's round trip loses it (the
    // format's round-trip test says so); the format's version then goes up.
    template <class Self, class F>
    static void visit_fields(Self& self, F&& f) {
        f("id", self.id_);
        f("config", self.config_);
        f("rng", self.rng_);
        f("current_term", self.current_term_);
        f("voted_for", self.voted_for_);
        f("log", self.log_);
        f("snapshot", self.snapshot_);
        f("role", self.role_);
        f("leader", self.leader_);
        f("commit_index", self.commit_index_);
        f("last_applied", self.last_applied_);
        f("persisted_index", self.persisted_index_);
        f("kv", self.kv_);
        f("votes_granted", self.votes_granted_);
        f("votes_rejected", self.votes_rejected_);
        f("durable_hard_state", self.durable_hard_state_);
        f("lease", self.lease_);
        f("progress", self.progress_);
        f("heartbeat_round", self.heartbeat_round_);
        f("committed_in_term", self.committed_in_term_);
        f("reads", self.reads_);
        f("deferred_reads", self.deferred_reads_);
        f("next_read_ctx", self.next_read_ctx_);
        f("membership", self.membership_);
        f("conf_index", self.conf_index_);
        f("lead_transferee", self.lead_transferee_);
        f("transfer_round", self.transfer_round_);
        f("timeout_now_sent", self.timeout_now_sent_);
        f("ready", self.ready_);
        f("imaged", self.imaged_);
    }

  private:
    // Role transitions (§5.2).
    void become_follower(Term term, NodeId leader);
    void become_pre_candidate();
    void become_candidate();
    void become_leader();
    void reset_election_timer();
    void heard_from_leader(NodeId leader);
    void count_own_vote();
    void send_requests(MsgType type, Term term, bool force);

    // Per-message handlers; the term rules ran before them.
    bool step_term(const Message& m);
    void handle_vote_request(const Message& m);
    void handle_vote_response(const Message& m);
    void explain_vote_refusal(bool can_vote, bool pre, Message* r) const;
    void handle_append(Message& m);
    void handle_append_response(const Message& m);
    void handle_snapshot(const Message& m);
    void handle_snapshot_response(const Message& m);
    void handle_client_request(const Message& m);
    void handle_prop(const Message& m);
    void handle_timeout_now(const Message& m);
    bool refuse_while_transferring(const Command& cmd);

    // Leader replication.
    void propose(const Command& cmd, NodeId origin);
    void append_own(Entry&& e);
    void send_append(NodeId to, bool heartbeat);
    void send_snapshot(NodeId to);
    void broadcast_append();
    void broadcast_heartbeat(int64_t read_ctx);
    void send_heartbeat(NodeId to, int64_t read_ctx);
    void propagate_commit();
    void maybe_commit();
    void check_quorum();
    Index backtrack(const Progress& p, const Message& m) const;
    bool can_send(const Progress& p) const;
    void start_read(const Command& cmd);
    void handle_read_ack(NodeId from, int64_t ctx);
    int64_t round_from_wire(int32_t round) const;
    void drop_reads();
    void serve_reads();

    void rebuild_state_machine();

    // Membership (raft/node_membership.cpp).
    ConfRefusal append_conf_change(ConfChangeType type, NodeId node);
    void adopt_log_membership();
    void on_conf_appended(const Entry& e);
    void maybe_finish_conf();
    void maybe_send_timeout_now();
    void check_transfer_timeout();
    // The configuration quorums are counted in: the latest one (the
    // committed one under kMutConfOnCommit).
    Membership quorum_conf() const;
    bool quorum_of(uint32_t acks) const;
    // The greatest value that a quorum of the configuration has reached,
    // from one value per node id (the median rule of §5.3, for each half
    // of a joint configuration).
    int64_t quorum_value(const int64_t* by_node) const;
    // The peers a leader replicates to and a candidate asks: every member
    // but itself.
    uint32_t peers() const { return membership_.members() & ~(uint32_t(1) << id_); }
    bool promotable() const { return membership_.is_voter(id_); }

    // Followers.
    bool log_up_to_date(Index last_index, Term last_term) const;
    void set_commit(Index c);
    void persist_hard_state();
    void apply_committed();
    void maybe_snapshot();
    void respond(Message&& m, bool after_persist);
    // A new message from this node in its current term, built in place at
    // the end of the Ready's queue (no move of a large Message). The
    // reference is valid until the next message is queued. Inline: every
    // message a node sends is built here.
    Message& emit(MsgType type, NodeId to, bool after_persist) {
        ASSERT(static_cast<uint32_t>(to) < static_cast<uint32_t>(config_.node_count) && to != id_);
        Message& m =
            after_persist ? ready_.msgs_after_persist.emplace_back() : ready_.msgs.emplace_back();
        m.type = type;
        m.from = id_;
        m.to = to;
        m.term = current_term_;
        return m;
    }
    void reply_client(const Command& cmd, const CommandResult& r, bool retryable,
                      const char* error);
    void maybe_forward_or_reject(const Message& m);

    bool has_mutation(Mutation mu) const { return (config_.mutations & mu) != 0; }

    NodeId id_ = kNone;
    Config config_;
    base::Rng rng_;

    // Persistent state on all servers (Figure 2); must be durable before
    // any response that depends on it leaves this node.
    Term current_term_ = 0;
    NodeId voted_for_ = kNone;
    RaftLog log_;
    SnapshotPtr snapshot_;  // the latest snapshot this node holds

    // Volatile state on all servers.
    Role role_ = Role::kFollower;
    NodeId leader_ = kNone;
    Index commit_index_ = 0;
    Index last_applied_ = 0;
    Index persisted_index_ = 0;  // entries up to here are durable locally
    KvStore kv_;
    uint32_t votes_granted_ = 0;
    uint32_t votes_rejected_ = 0;
    HardState durable_hard_state_;  // the latest hard state the disk confirmed
    bool lease_ = false;            // heard from leader_ within the minimum election timeout

    // Volatile state on leaders (reinitialized after election).
    std::vector<Progress> progress_;
    int64_t heartbeat_round_ = 0;
    bool committed_in_term_ = false;  // an entry of current_term_ committed
    std::vector<PendingRead> reads_;
    std::vector<Command> deferred_reads_;  // waiting for the first commit in term
    int64_t next_read_ctx_ = 1;

    // Membership (thesis ch. 4).
    Membership membership_;
    Index conf_index_ = 0;
    // Leadership transfer (§3.10): the target, the heartbeat round it began
    // in, and whether TimeoutNow went out.
    NodeId lead_transferee_ = kNone;
    int64_t transfer_round_ = 0;
    bool timeout_now_sent_ = false;

    Ready ready_;
    bool imaged_ = false;  // the bulky state is out in an Image

    // Opens every public input: on exit, when base::invariant_checks() is on,
    // checks the rules of node_invariants.cpp and that the input neither
    // lowered the term nor changed a vote cast in the same term.
    class InputCheck {
      public:
        explicit InputCheck(const Node* node)
            : node_(base::invariant_checks() ? node : nullptr),
              term_(node->current_term_),
              voted_for_(node->voted_for_) {}
        ~InputCheck() {
            if (node_ != nullptr) finish();
        }
        InputCheck(const InputCheck&) = delete;
        InputCheck& operator=(const InputCheck&) = delete;

      private:
        void finish() const;
        const Node* node_;
        Term term_;
        NodeId voted_for_;
    };
    // A broken rule: its name and, for a comparison, both sides (the sweep
    // prints them as ASSERT_CMP does).
    struct BrokenRule {
        const char* what = nullptr;
        int64_t a = 0, b = 0;
    };
    void check_invariants() const;
    BrokenRule broken_rule() const;
    BrokenRule broken_role_rule() const;
    BrokenRule broken_leader_rule() const;
};

}  // namespace raft
