// raft/types.h — the vocabulary of the protocol: ids, entries, commands,
// messages, hard state, snapshots and the protocol configuration.
//
// Owns plain data only. Must not include anything from the layers above it, and
// nothing that knows about clocks, threads or randomness. Every field that is
// serialized (disk, checkpoints, traces) has a fixed width.
#pragma once

#include <bit>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/assert.h"

namespace raft {

using NodeId = int32_t;  // 0..n-1; kNone means "nobody"
using Term = int64_t;
using Index = int64_t;  // log indexes start at 1; 0 means "before the log"
constexpr NodeId kNone = -1;
constexpr int kMaxNodes = 9;

// ---------------------------------------------------------------------------
// An immutable byte string shared by reference. Values travel from a client
// through messages, every node's log, the state machine and snapshots; a copy
// of a Blob is a reference-count bump instead of an allocation and a memcpy.
// Compares and converts like the std::string it holds.
class Blob {
  public:
    Blob() = default;
    Blob(std::string s)  // NOLINT(google-explicit-constructor): a drop-in for std::string
        : p_(s.empty() ? nullptr : std::make_shared<const std::string>(std::move(s))) {}
    Blob(const char* s) : Blob(std::string(s)) {}  // NOLINT(google-explicit-constructor)

    const std::string& str() const { return p_ ? *p_ : empty_string(); }
    operator const std::string&() const { return str(); }  // NOLINT(google-explicit-constructor)
    const char* c_str() const { return str().c_str(); }
    const char* data() const { return str().data(); }
    size_t size() const { return p_ ? p_->size() : 0; }
    bool empty() const { return !p_; }
    void clear() { p_.reset(); }
    void swap(Blob& o) noexcept { p_.swap(o.p_); }

    bool operator==(const Blob& o) const { return p_ == o.p_ || str() == o.str(); }
    bool operator==(const std::string& s) const { return str() == s; }
    bool operator==(const char* s) const { return str() == s; }

  private:
    static const std::string& empty_string();
    std::shared_ptr<const std::string> p_;
};

// ---------------------------------------------------------------------------
// Client commands (the replicated key-value state machine's input).
// kAppend (kvraft's Append) concatenates the value to the key's current one
// (an absent key counts as empty). Appended last: the values are hashed and
// serialized, so existing kinds keep theirs.
enum class OpType : uint8_t { kPut = 0, kGet = 1, kDelete = 2, kCas = 3, kAppend = 4 };
// "put", "get", "delete", "cas", "append": the one table of operation names. Saved
// client histories and run logs carry them, so they must not change.
const char* op_name(OpType op);

struct Command {
    int32_t client_id = 0;  // exactly-once session: (client_id, seq)
    int64_t seq = 0;
    OpType op = OpType::kPut;
    std::string key;
    Blob value;     // put value, cas new value, append suffix
    Blob expected;  // cas expected value
    bool operator==(const Command&) const = default;
};

// A key's modification record, etcd's model: version counts the
// modifications (put, append, successful cas) since the key was created (1
// after the first; a delete removes the key, so the next put starts again at
// 1); mod_revision is the log index of the entry that last modified it.
struct KeyMeta {
    int64_t version = 0;
    Index mod_revision = 0;
    bool operator==(const KeyMeta&) const = default;
};

// Result of applying a command. For get: found + value, and the key's
// version and mod_revision (0 when not found). For cas: ok says whether the
// swap happened (value then holds the value seen).
struct CommandResult {
    bool ok = true;
    bool found = false;
    Blob value;
    int64_t version = 0;
    Index mod_revision = 0;
    bool operator==(const CommandResult&) const = default;
};

// ---------------------------------------------------------------------------
// Cluster membership (thesis ch. 4), one bit per node id (kMaxNodes <= 32).
// A configuration takes effect on a server as soon as its entry is in the
// server's log, committed or not (§4.1); during joint consensus (§4.3) the
// old voters stay in `outgoing` and every decision needs a majority of both.
struct Membership {
    uint32_t voters = 0;      // the configuration (C_new while joint)
    uint32_t outgoing = 0;    // C_old while joint, else 0
    uint32_t learners = 0;    // non-voting members (§4.2.1): replicated to, never counted
    bool auto_leave = false;  // joint: the leader leaves it once the joint entry commits
    bool joint() const { return outgoing != 0; }
    uint32_t members() const { return voters | outgoing | learners; }
    bool is_voter(NodeId id) const { return ((voters | outgoing) >> id) & 1u; }
    bool is_learner(NodeId id) const { return (learners >> id) & 1u; }
    bool operator==(const Membership&) const = default;
};
// A majority of `set` among `acks` (an empty set imposes nothing: the
// outgoing half of a configuration that is not joint).
inline bool majority_of(uint32_t set, uint32_t acks) {
    return 2 * std::popcount(acks & set) > std::popcount(set);
}
// "0,1,2" or "0,1,2 | 0,1,3 (joint) +learners 4": the one text form.
std::string membership_text(const Membership& m);

// What a configuration-change entry changed (the whole new configuration
// is in the entry: a server that catches up from an empty log, or after a
// truncation, adopts it without knowing the one before).
enum class ConfChangeType : uint8_t {
    kAddVoter = 0,
    kRemove,  // a voter or a learner leaves
    kAddLearner,
    kPromote,     // a learner becomes a voter
    kEnterJoint,  // C_old,new (joint consensus, §4.3)
    kLeaveJoint,  // C_new
    kCount
};
// "add_voter", "remove", "add_learner", "promote", "enter_joint",
// "leave_joint": traces and summaries carry them.
const char* conf_change_name(ConfChangeType t);

// Why a leader refused a configuration change or a transfer (the caller's
// action gets it back; the trace names it).
enum class ConfRefusal : uint8_t {
    kNone = 0,
    kNotLeader,
    kInFlight,            // a change is appended but not yet committed (§4.1: one at a time)
    kNotCommittedInTerm,  // a new leader commits an entry of its term first (Ongaro, raft-dev 2015)
    kTransferring,        // a leadership transfer is under way (§3.10)
    kInvalid,             // not a member / already one / no voter would remain / not a voter
    kCount
};
// "", "not_leader", "in_flight", "not_committed_in_term", "transferring", "invalid"
const char* conf_refusal_name(ConfRefusal r);

// ---------------------------------------------------------------------------
// Log entries. §5.3: each entry stores a command and the term in which the
// leader received it. A new leader appends a no-op of its own term (§8).
enum class EntryType : uint8_t { kNoop = 0, kCommand = 1, kConfig = 2 };

struct Entry {
    Term term = 0;
    Index index = 0;
    EntryType type = EntryType::kNoop;
    NodeId origin = kNone;  // the node the client talked to; it answers
    Command cmd;
    // entry_hash(*this), computed once by seal() when the content is set and
    // carried by every copy: nodes, disks and checkers compare entries by it
    // without rehashing them at every step. Whoever creates or changes an
    // entry's content seals it again; recovery from disk recomputes instead
    // of trusting it.
    uint64_t hash = 0;
    // kConfig entries: the change and the whole configuration after it.
    ConfChangeType conf_type = ConfChangeType::kAddVoter;
    NodeId conf_node = kNone;
    Membership conf;
    void seal();
    bool operator==(const Entry&) const = default;
};

// A stable 64-bit fingerprint of an entry (term, index, type, command),
// computed from its content (never from the cached Entry::hash).
uint64_t entry_hash(const Entry& e);

// §5.1 / Figure 2: state that must be on stable storage before responding.
struct HardState {
    Term current_term = 0;
    NodeId voted_for = kNone;
    bool operator==(const HardState&) const = default;
};

// The key-value store's full content plus its exactly-once session table.
struct Session {
    int64_t last_seq = 0;
    CommandResult last_result;
    bool operator==(const Session&) const = default;
};

// §7: a snapshot replaces the log prefix up to last_included_index.
struct Snapshot {
    Index last_included_index = 0;
    Term last_included_term = 0;
    std::vector<std::pair<std::string, Blob>> kv;       // sorted by key
    std::vector<KeyMeta> kv_meta;                       // kv_meta[i] is kv[i]'s; empty: all 0
    std::vector<std::pair<int32_t, Session>> sessions;  // sorted by id
    // The configuration in force at last_included_index (§4.1, §7): a server
    // restored from the snapshot alone knows its cluster.
    Membership membership;
    bool operator==(const Snapshot&) const = default;
};
using SnapshotPtr = std::shared_ptr<const Snapshot>;

// ---------------------------------------------------------------------------
// Messages between nodes, and between clients and nodes.
enum class MsgType : uint8_t {
    kPreVote = 0,
    kPreVoteResp,
    kVote,
    kVoteResp,
    kAppend,  // AppendEntries; a heartbeat is an append with no entries
    kAppendResp,
    kSnapshot,  // InstallSnapshot
    kSnapshotResp,
    kProp,        // a follower forwarding a client command to the leader
    kClientReq,   // client -> node
    kClientResp,  // node -> client
    // Leadership transfer (§3.10): the leader tells its caught-up target to
    // campaign at once, past leases and pre-vote.
    kTimeoutNow,
    kCount
};
const char* msg_type_name(MsgType t);
struct Message;

// Why a node refused a request: raft decides it where the rule is (node.cpp's
// step_term, node_elections.cpp, handle_append) and says it in the response
// (Message::refusal) and in the Ready of that step (Ready::refused: the
// response may wait for a persist, and some rules send none), so traces and
// narration report the rule instead of guessing it. Appended only: traces
// and run archives store the values.
enum class Refusal : uint8_t {
    kNone = 0,
    kStaleTerm,     // the request's term is not newer than the receiver's (§5.1)
    kAlreadyVoted,  // the receiver voted for another candidate in this term (§5.2)
    kLogBehind,     // the candidate's log is less up-to-date than the receiver's (§5.4.1)
    kLease,         // the receiver heard from a leader within the minimum election timeout
                    // (thesis §4.2.3), so it ignores the request
    kLogMismatch,   // append: no entry at prev_log_index with prev_log_term (§5.3)
    kCount
};
// "stale_term", "already_voted", "log_behind", "lease", "log_mismatch"
// ("" for kNone): trace lines carry them, so they must not change.
const char* refusal_name(Refusal r);

// A refusal with what it names: the voter a node already voted for
// (already_voted), the receiver's last entry (log_behind), the backtracking
// hint (log_mismatch), the leader whose lease holds (lease), the receiver's
// term (stale_term); answered: a response says it (else the request was
// dropped without one).
struct RefusalNote {
    Refusal why = Refusal::kNone;
    NodeId node = kNone;
    Index index = 0;
    Term term = 0;
    bool answered = false;
    bool operator==(const RefusalNote&) const = default;
};
// Client traffic carries no Raft term and may come from outside the cluster.
inline bool is_client_traffic(MsgType t) {
    return t == MsgType::kClientReq || t == MsgType::kProp || t == MsgType::kClientResp;
}
inline bool is_response(MsgType t) {
    return t == MsgType::kPreVoteResp || t == MsgType::kVoteResp || t == MsgType::kAppendResp ||
           t == MsgType::kSnapshotResp || t == MsgType::kClientResp;
}

// A message's plain fields, together in a base: handing a message over (to
// the wire, Message::take_from) copies them as one block and swaps only the
// owning fields, and reset() stores them from one default block.
struct MessageHead {
    MsgType type = MsgType::kAppend;
    // Responses: reject, and for appends the fast-backtracking hint
    // (§5.3 "the follower can include the term of the conflicting entry").
    bool reject = false;
    // Vote requests: a forced campaign (user action) ignores leader leases.
    bool force = false;
    bool retryable_error = false;  // client traffic: e.g. "no leader", safe to retry
    // Rejected responses: the rule that refused (see Refusal).
    Refusal refusal = Refusal::kNone;
    NodeId from = kNone;  // for client messages, the client id is in cmd
    NodeId to = kNone;    // a node; kNone for a reply to a client (see cmd)
    // Forwarded proposals: the node the client talked to, and hops so far.
    NodeId origin = kNone;
    int32_t hops = 0;
    // Vote responses refused as kAlreadyVoted: whom the voter voted for in
    // this term.
    NodeId voted_for = kNone;
    // Appends: the leader's heartbeat round when it sent them (modulo 2^32;
    // it fills the padding before `term`); append responses echo it, so the
    // leader knows which round a quorum has answered (lease reads, §6.4.1).
    int32_t round = 0;
    Term term = 0;
    // Each field below has one meaning; the types that carry it are named.
    // Vote / pre-vote requests: the candidate's last log entry (§5.4.1).
    // Vote responses refused as kLogBehind: the voter's last entry.
    Index last_log_index = 0;
    Term last_log_term = 0;
    // Appends: the entry just before the carried ones (§5.3). An append
    // response echoes the request's prev_log_index, so a stale rejection can
    // be told from a current one.
    Index prev_log_index = 0;
    Term prev_log_term = 0;
    Index commit = 0;  // appends: the leader's commit_index
    // Rejected append responses: the fast-backtracking hint (§5.3), the
    // first index of the conflicting term and that term (0 = past the end).
    Index hint_index = 0;
    Term hint_term = 0;
    // Append / snapshot responses: the last index now known to match the
    // leader's log, and its term.
    Index match_index = 0;
    Term match_term = 0;
    // ReadIndex heartbeats carry a context the leader matches on return.
    int64_t read_ctx = 0;
    const char* error = nullptr;  // a string literal: cheap to move with the message
    bool operator==(const MessageHead&) const = default;
};

struct Message : MessageHead {
    std::vector<Entry> entries;
    SnapshotPtr snapshot;
    // Client traffic.
    Command cmd;
    CommandResult result;
    bool operator==(const Message&) const = default;

    // A default message again, keeping the entries' capacity (a reused
    // message builds its next append's entries without allocating). Every
    // field is named: a field added to Message, Command or CommandResult
    // must be added here too (tests/unit/message_list_test.cpp checks that
    // reset() equals a default message with every field set first).
    void reset() {
        static_cast<MessageHead&>(*this) = MessageHead();
        entries.clear();
        snapshot.reset();
        cmd.client_id = 0;
        cmd.seq = 0;
        cmd.op = OpType::kPut;
        cmd.key.clear();
        cmd.value.clear();
        cmd.expected.clear();
        result.ok = true;
        result.found = false;
        result.value.clear();
        result.version = 0;
        result.mod_revision = 0;
    }
    // This message becomes m, without constructing, moving or destroying
    // anything: the plain fields are copied, the owning ones swapped. m is
    // left holding this message's old storage (its strings, blobs, the
    // entries' capacity) and must be reset() before it is used again.
    void take_from(Message& m) noexcept {
        static_cast<MessageHead&>(*this) = static_cast<const MessageHead&>(m);
        entries.swap(m.entries);
        snapshot.swap(m.snapshot);
        cmd.client_id = m.cmd.client_id;
        cmd.seq = m.cmd.seq;
        cmd.op = m.cmd.op;
        cmd.key.swap(m.cmd.key);
        cmd.value.swap(m.cmd.value);
        cmd.expected.swap(m.cmd.expected);
        result.ok = m.result.ok;
        result.found = m.result.found;
        result.value.swap(m.result.value);
        result.version = m.result.version;
        result.mod_revision = m.result.mod_revision;
    }
};

// A Ready's messages that may leave at once. Unlike a std::vector, clear()
// keeps the messages it held: the next emplace_back() resets one instead of
// constructing it, and the simulator hands each message to its wire slot
// with Message::take_from, getting the slot's old storage back for reuse.
// No message is constructed, moved or destroyed per send in a steady state.
// Copies hold only the messages in the list.
class MessageList {
  public:
    MessageList() = default;
    MessageList(const MessageList& o) : v_(o.begin(), o.end()), n_(o.n_) {}
    MessageList& operator=(const MessageList& o) {
        if (this != &o) {
            v_.assign(o.begin(), o.end());
            n_ = o.n_;
        }
        return *this;
    }
    MessageList(MessageList&& o) noexcept : v_(std::move(o.v_)), n_(o.n_) { o.clear_all(); }
    MessageList& operator=(MessageList&& o) noexcept {
        if (this != &o) {
            v_ = std::move(o.v_);
            n_ = o.n_;
            o.clear_all();
        }
        return *this;
    }
    void swap(MessageList& o) noexcept {
        v_.swap(o.v_);
        std::swap(n_, o.n_);
    }

    size_t size() const { return n_; }
    bool empty() const { return n_ == 0; }
    Message* begin() { return v_.data(); }
    Message* end() { return v_.data() + n_; }
    const Message* begin() const { return v_.data(); }
    const Message* end() const { return v_.data() + n_; }
    Message& operator[](size_t i) {
        ASSERT(i < n_);
        return v_[i];
    }
    const Message& operator[](size_t i) const {
        ASSERT(i < n_);
        return v_[i];
    }
    Message& back() {
        ASSERT(n_ > 0);
        return v_[n_ - 1];
    }

    // Empties the list; the messages stay for reuse.
    void clear() { n_ = 0; }
    // A default message at the end. The reference is valid until the next
    // message is added.
    Message& emplace_back() {
        if (n_ < v_.size()) {
            Message& m = v_[n_++];
            m.reset();
            return m;
        }
        n_++;
        return v_.emplace_back();
    }
    void push_back(Message&& m) {
        if (n_ < v_.size()) {
            v_[n_++] = std::move(m);
        } else {
            v_.push_back(std::move(m));
            n_++;
        }
    }
    // m's content at the end, by Message::take_from: m gets a kept message's
    // old storage (reset() it before reusing m).
    void take_back(Message& m) {
        if (n_ == v_.size()) v_.emplace_back();
        v_[n_++].take_from(m);
    }
    // Messages kept, in the list or waiting for reuse.
    size_t capacity() const { return v_.size(); }

  private:
    void clear_all() {
        v_.clear();
        n_ = 0;
    }
    std::vector<Message> v_;  // [0, n_) are the list; the rest wait for reuse
    size_t n_ = 0;
};

// A refused response's RefusalNote, from the fields its rule filled in
// (see Message::refusal); why == kNone for the rest.
RefusalNote refusal_note(const Message& m);

// ---------------------------------------------------------------------------
// Protocol mutations: deliberately broken rules, to prove the checkers catch
// real bugs. Never enabled in a normal run.
enum Mutation : uint32_t {
    kMutNone = 0,
    kMutVoteWithoutPersist = 1u << 0,  // vote_resp leaves before the vote is durable
    kMutCommitOldTerm = 1u << 1,       // count replicas for entries of earlier terms (Fig. 8)
    kMutSkipUpToDateCheck = 1u << 2,   // grant votes to candidates with stale logs
    kMutFollowerLocalReads = 1u << 3,  // followers answer gets from local state
    kMutAckBeforeFsync = 1u << 4,      // append_resp leaves before entries are durable
    // A new leader accepts a configuration change before an entry of its own
    // term commits: the single-server change bug (Ongaro, raft-dev 2015).
    kMutSingleServerBug = 1u << 5,
    kMutConfOnCommit = 1u << 6,       // a configuration counts once committed, not once appended
    kMutCountLearnerVotes = 1u << 7,  // learners' votes and acks count toward quorums
    kMutTransferKeepsProposing = 1u << 8,  // a transferring leader still accepts proposals
};
const char* mutation_name(uint32_t bit);
uint32_t mutation_from_name(const std::string& name);  // 0 if unknown

// How a leader answers a get (§6.4): through the log like a write (kLog);
// ReadIndex, confirming leadership with a heartbeat round (kReadIndex); or
// from its state while its lease holds (kLease, thesis §6.4.1, etcd's
// ReadOnlyLeaseBased), falling back to ReadIndex when it does not. A lease
// trusts the clocks: it is safe only while they run at the same rate.
enum class ReadMode : uint8_t { kLog = 0, kReadIndex = 1, kLease = 2 };
// "log", "read_index", "lease": scenario files carry them.
const char* read_mode_name(ReadMode m);
bool read_mode_from_name(const std::string& name, ReadMode* out);  // false if unknown

// The one log index that stands for a message in traces and views: the last
// carried entry of an append (prev_log_index when it carries none, and the
// prev_log_index an append response echoes), the candidate's last index for
// a vote request, the snapshot's last included index; 0 for the rest.
inline Index message_log_index(const Message& m) {
    switch (m.type) {
        case MsgType::kPreVote:
        case MsgType::kVote:
            return m.last_log_index;
        case MsgType::kSnapshot:
            return m.snapshot ? m.snapshot->last_included_index : 0;
        default:
            return m.entries.empty() ? m.prev_log_index : m.entries.back().index;
    }
}

struct Config {
    int32_t node_count = 5;
    int64_t election_timeout_us_min = 150'000;
    int64_t election_timeout_us_max = 300'000;
    int64_t heartbeat_us = 50'000;
    bool pre_vote = true;
    bool check_quorum = true;
    // etcd's rule: a (pre-)candidate refused by a majority steps down and
    // re-arms its timer at once. Off by default: Figure 2 keeps a candidate
    // until it wins, hears from a leader or a higher term, or times out, so
    // refused candidates do not all retry in lock-step.
    bool step_down_on_rejection = false;
    int64_t snapshot_threshold = 200;  // entries applied since last snapshot; 0 = never
    // After a snapshot the log keeps this many entries before the snapshot
    // point (etcd's SnapshotCatchUpEntries): a follower that lags by fewer
    // (appends in flight, a short outage) catches up by appends instead of
    // an InstallSnapshot of the whole state.
    int64_t snapshot_catch_up_entries = 32;
    int32_t max_entries_per_append = 64;
    int32_t max_inflight_appends = 4;  // pipelining window per follower
    ReadMode read_mode = ReadMode::kLog;
    uint32_t mutations = kMutNone;
    // The initial configuration: nodes 0 .. initial_voters-1 are its voters
    // (0: all node_count). The others are spare servers a configuration
    // change can add (thesis ch. 4); they start with an empty log.
    int32_t initial_voters = 0;
    // Voter changes by joint consensus (§4.3, etcd's ConfChangeV2 with auto
    // leave) instead of one server at a time (§4.1).
    bool joint_consensus = false;
};
// The configuration a server starts with (before any entry or snapshot).
Membership bootstrap_membership(const Config& c);

enum class Role : uint8_t { kFollower = 0, kPreCandidate, kCandidate, kLeader };
const char* role_name(Role r);

}  // namespace raft
