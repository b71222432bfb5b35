// format/state_archive.cpp — cereal serialize functions for the world's
// state and logs (see state_archive.h), and the structural checks a loaded
// checkpoint state passes before any of it runs.
//
// One non-intrusive `serialize(A&, T&)` per struct, grouped by the header
// that defines the struct, so that a struct moving to another type (the
// world's network, disk and checker state are being split out of WorldState)
// moves its function with it. A is ArchiveOut or ArchiveIn; the same function
// writes and reads. raft::Node and raft::RaftLog keep their state private and
// list it through visit_fields (raft/ stays free of cereal).
//
// Over 800 lines (860, with the membership fields and the message lists): the serializers follow
// the world's types one to one, and they are templates the archive
// instantiates in this one translation unit, so a split needs them in a
// shared header first. The trace's compact encoding is the piece to move out
// (format/trace_archive.cpp) with that header.
//
// Index:
//   1. ArchiveOut / ArchiveIn
//   2. raft/types.h, raft/log.h, raft/node.h
//   3. sim/disk.h, sim/wire.h, sim/event_queue.h, sim/checker.h, sim/trace.h
//   4. sim/world.h (NodeSlot, Client, WorldState)
//   5. logs and inputs (sim/history.h, sim/scenario.h)
//   (the structural checks of a loaded state: state_check.cpp)
#include "format/state_archive.h"

#include <cereal/archives/portable_binary.hpp>
#include <cstring>
#include <set>
#include <type_traits>

#include "base/assert.h"
#include "raft/entry_codec.h"
#include "sim/limits.h"

namespace sim {

// ===========================================================================
// 1. ArchiveOut / ArchiveIn
// ===========================================================================

ArchiveOut::ArchiveOut()
    : stream_(std::ios::binary),
      ar_(std::make_unique<cereal::PortableBinaryOutputArchive>(stream_)) {}
ArchiveOut::~ArchiveOut() = default;

template <class T>
void ArchiveOut::prim(T& x) {
    (*ar_)(x);
}

void ArchiveOut::string(std::string& s, const char*, uint64_t) {
    uint64_t n = s.size();
    prim(n);
    if (n > 0) (*ar_)(cereal::binary_data(s.data(), s.size()));
}

ArchiveIn::ArchiveIn(const std::string& bytes, std::string context)
    : context_(std::move(context)), buf_(bytes.data(), bytes.size()), stream_(&buf_) {
    ar_ = std::make_unique<cereal::PortableBinaryInputArchive>(stream_);
}
ArchiveIn::~ArchiveIn() = default;

std::streamsize ArchiveIn::ZeroTail::xsgetn(char* s, std::streamsize n) {
    const auto want = static_cast<size_t>(n);
    const size_t have = std::min(want, n_ - pos_);
    if (have > 0) std::memcpy(s, p_ + pos_, have);
    if (have < want) {
        std::memset(s + have, 0, want - have);
        overrun_ = true;
    }
    pos_ += have;
    return n;
}

template <class T>
void ArchiveIn::prim(T& x) {
    (*ar_)(x);
    if (failed_) x = T{};
}

void ArchiveIn::fail(const std::string& why) {
    if (failed_) return;
    failed_ = true;
    why_ = why;
    why_at_ = buf_.position();
}

std::string ArchiveIn::error() const {
    if (failed_ && why_truncated_) {
        return context_ + ": truncated at byte " + std::to_string(why_at_ + left()) + " (at byte " +
               std::to_string(why_at_) + ": " + why_ + ")";
    }
    if (failed_) return context_ + ": at byte " + std::to_string(why_at_) + ": " + why_;
    if (buf_.overrun()) return context_ + ": truncated at byte " + std::to_string(buf_.position());
    return "";
}

uint64_t ArchiveIn::size(uint64_t, const char* limit_name, uint64_t limit, uint64_t min_bytes) {
    uint64_t n = 0;
    prim(n);
    if (n > limit) {
        fail("limit " + std::string(limit_name) + ": " + std::to_string(n) + " > " +
             std::to_string(limit));
    } else if (min_bytes > 0 && n > left() / min_bytes) {
        // A size the rest cannot hold: the payload ends early (or the tag is
        // corrupt, which the checksum would have caught).
        fail("a size of " + std::to_string(n) + " is more than the " + std::to_string(left()) +
             " bytes left hold");
        why_truncated_ = true;
    }
    return ok() ? n : 0;
}

void ArchiveIn::string(std::string& s, const char* limit_name, uint64_t limit) {
    const uint64_t n = size(0, limit_name, limit, 1);
    s.assign(static_cast<size_t>(n), '\0');
    if (n > 0) (*ar_)(cereal::binary_data(s.data(), s.size()));
}

// Primitives: fixed width whatever the platform (size_t is 32 bits in
// WebAssembly), bools as one byte that must be 0 or 1.
template <class T>
void ArchiveOut::item(T& x) {
    if constexpr (std::is_same_v<T, bool>) {
        uint8_t b = x ? 1 : 0;
        prim(b);
    } else if constexpr (std::is_same_v<T, size_t> && !std::is_same_v<size_t, uint64_t>) {
        uint64_t v = x;
        prim(v);
    } else if constexpr (std::is_arithmetic_v<T>) {
        prim(x);
    } else {
        serialize(*this, x);
    }
}

template <class T>
void ArchiveIn::item(T& x) {
    if constexpr (std::is_same_v<T, bool>) {
        uint8_t b = 0;
        prim(b);
        if (b > 1) fail("a bool of " + std::to_string(b));
        x = b == 1;
    } else if constexpr (std::is_same_v<T, size_t> && !std::is_same_v<size_t, uint64_t>) {
        uint64_t v = 0;
        prim(v);
        if (v > SIZE_MAX) fail("a size beyond this platform's");
        x = static_cast<size_t>(v);
    } else if constexpr (std::is_arithmetic_v<T>) {
        prim(x);
    } else {
        serialize(*this, x);
    }
}

// Lists: a size tag, then the elements. Loading appends one element at a
// time while the input lasts, so memory grows with the bytes actually read.
// A Ready's raft::MessageList takes the same bytes as a std::vector of its
// messages.
template <class A, class List>
void serialize_list(A& a, List& v) {
    const uint64_t n = a.size(v.size(), "archive_items_max", kMaxArchiveItems, 1);
    if constexpr (A::kLoading) {
        v.clear();
        for (uint64_t i = 0; i < n && a.ok(); i++)
            a.item(v.emplace_back());
    } else {
        for (auto& x : v)
            a.item(x);
    }
}
template <class A, class T>
void serialize(A& a, std::vector<T>& v) {
    serialize_list(a, v);
}
template <class A>
void serialize(A& a, raft::MessageList& v) {
    serialize_list(a, v);
}

template <class A, class T, class U>
void serialize(A& a, std::pair<T, U>& p) {
    a(p.first, p.second);
}

template <class A>
void serialize(A& a, std::string& s) {
    a.string(s);
}

// A string literal (a message's error, the limit that stopped a run): saved
// as its text, loaded as a pointer into a table that lives as long as the
// program (bounded: a file cannot grow it without end). Not thread-safe:
// archives are decoded on one thread (the page, `raftplay replay`).
const char* intern(const std::string& s) {
    static std::set<std::string> table;
    auto it = table.find(s);
    if (it != table.end()) return it->c_str();
    if (table.size() >= 256 || s.size() > 256) return nullptr;
    return table.insert(s).first->c_str();
}

template <class A>
void serialize(A& a, const char*& p) {
    bool present = p != nullptr;
    std::string text = present ? p : "";
    a(present);
    if (present) a.string(text, "literal_bytes_max", 256);
    if constexpr (A::kLoading) {
        p = present ? intern(text) : nullptr;
        if (present && p == nullptr) a.fail("too many distinct literals");
    }
}

// ===========================================================================
// 2. raft/types.h, raft/log.h, raft/node.h
// ===========================================================================

template <class A>
void serialize(A& a, raft::OpType& x) {
    a.enumeration(x, 5);  // put, get, delete, cas, append
}
template <class A>
void serialize(A& a, raft::EntryType& x) {
    a.enumeration(x, 3);
}
template <class A>
void serialize(A& a, raft::MsgType& x) {
    a.enumeration(x, static_cast<uint64_t>(raft::MsgType::kCount));
}
template <class A>
void serialize(A& a, raft::ReadMode& x) {
    a.enumeration(x, 3);
}
template <class A>
void serialize(A& a, raft::Role& x) {
    a.enumeration(x, 4);
}
template <class A>
void serialize(A& a, raft::ProgressState& x) {
    a.enumeration(x, 3);
}
template <class A>
void serialize(A& a, raft::Refusal& x) {
    a.enumeration(x, static_cast<uint64_t>(raft::Refusal::kCount));
}
template <class A>
void serialize(A& a, raft::ConfChangeType& x) {
    a.enumeration(x, static_cast<uint64_t>(raft::ConfChangeType::kCount));
}
template <class A>
void serialize(A& a, raft::Membership& m) {
    a(m.voters, m.outgoing, m.learners, m.auto_leave);
}
template <class A>
void serialize(A& a, raft::RefusalNote& x) {
    a(x.why, x.node, x.index, x.term, x.answered);
}

template <class A>
void serialize(A& a, raft::Blob& b) {
    std::string s = b.str();
    a.string(s);
    if constexpr (A::kLoading) b = raft::Blob(std::move(s));
}

template <class A>
void serialize(A& a, raft::Command& c) {
    a(c.client_id, c.seq, c.op, c.key, c.value, c.expected);
}

template <class A>
void serialize(A& a, raft::CommandResult& r) {
    a(r.ok, r.found, r.value, r.version, r.mod_revision);
}

template <class A>
void serialize(A& a, raft::Entry& e) {
    a(e.term, e.index, e.type, e.origin, e.cmd, e.hash);
    a(e.conf_type, e.conf_node, e.conf);
}

template <class A>
void serialize(A& a, raft::HardState& h) {
    a(h.current_term, h.voted_for);
}

// A checkpoint's state holds no snapshot: the timeline packs them apart
// (Timeline::Checkpoint::snapshots), so there is nothing to write.
template <class A>
void serialize(A& a, raft::SnapshotPtr& p) {
    (void)a;
    if constexpr (A::kLoading) {
        p.reset();
    } else {
        ASSERT_MSG(p == nullptr, "a checkpoint's state holds a snapshot outside the packed block");
    }
}

template <class A>
void serialize(A& a, raft::Message& m) {
    a(m.type, m.reject, m.force, m.retryable_error, m.refusal, m.from, m.to, m.origin, m.hops);
    a(m.voted_for, m.round, m.term);
    a(m.last_log_index, m.last_log_term, m.prev_log_index, m.prev_log_term, m.commit);
    a(m.hint_index, m.hint_term, m.match_index, m.match_term, m.read_ctx, m.error);
    a(m.entries, m.snapshot, m.cmd, m.result);
}

template <class A>
void serialize(A& a, raft::Config& c) {
    a(c.node_count, c.election_timeout_us_min, c.election_timeout_us_max, c.heartbeat_us);
    a(c.pre_vote, c.check_quorum, c.step_down_on_rejection, c.snapshot_threshold);
    a(c.snapshot_catch_up_entries, c.max_entries_per_append, c.max_inflight_appends);
    a(c.read_mode, c.mutations, c.initial_voters, c.joint_consensus);
}

template <class A>
void serialize(A& a, raft::Applied& x) {
    a(x.index, x.term, x.type, x.hash);
}

template <class A>
void serialize(A& a, raft::Ready& r) {
    a(r.snapshot, r.has_hard_state, r.hard_state, r.entries, r.msgs, r.msgs_after_persist);
    a(r.election_timer_us, r.heartbeat_timer_us, r.lease_timer_us, r.applied, r.refused);
}

template <class A>
void serialize(A& a, raft::Progress::Inflight& x) {
    a(x.last_index, x.round);
}

template <class A>
void serialize(A& a, raft::Progress& p) {
    a(p.match_index, p.next_index, p.state, p.probe_sent, p.inflight, p.recent_active);
    a(p.commit_sent, p.snapshot_round, p.round_acked);
}

template <class A>
void serialize(A& a, raft::PendingRead& r) {
    a(r.ctx, r.read_index, r.acks, r.cmd);
}

template <class A>
void serialize(A& a, base::Rng& rng) {
    rng.serialize(a);
}

// In a checkpoint the store is out (Node::Image) and rebuilt on restore.
template <class A>
void serialize(A& a, raft::KvStore& kv) {
    (void)a;
    if constexpr (A::kLoading) {
        kv = raft::KvStore();
    } else {
        ASSERT_MSG(kv.key_count() == 0, "a checkpoint's node holds its key-value store");
    }
}

template <class A>
void serialize(A& a, raft::RaftLog& log) {
    raft::RaftLog::visit_fields(log, [&](const char*, auto& f) { a.item(f); });
}

template <class A>
void serialize(A& a, raft::Node& n) {
    raft::Node::visit_fields(n, [&](const char*, auto& f) { a.item(f); });
}

// ===========================================================================
// 3. sim/disk.h, sim/wire.h, sim/event_queue.h, sim/checker.h, sim/trace.h
// ===========================================================================

template <class A>
void serialize(A& a, StoredEntry& e) {
    a(e.entry, e.checksum);
}

template <class A>
void serialize(A& a, DurableState& d) {
    a(d.hard_state, d.snapshot, d.log);
}

template <class A>
void serialize(A& a, WriteBatch& b) {
    a(b.has_hard_state, b.hard_state, b.snapshot, b.entries, b.after_persist);
}

template <class A>
void serialize(A& a, Disk& d) {
    a(d.durable, d.rng, d.pending, d.fsync_covering, d.epoch, d.fsync_started_us);
    a(d.fsync_done_us, d.fsyncs);
}

template <class A>
void serialize(A& a, InFlight& f) {
    a(f.msg, f.sent_us, f.deliver_us, f.lost, f.to_client, f.from_client);
}

// The live messages in id order (a copied Wire holds just these, densely).
void serialize(ArchiveOut& a, Wire& w) {
    uint64_t n = w.size();
    a.size(n, "", 0, 0);
    for (const auto& [id, f] : w) {
        int64_t i = id;
        a(i, const_cast<InFlight&>(f));
    }
}

// Ids strictly increasing within a bounded span: Wire::add pads the gaps.
void serialize(ArchiveIn& a, Wire& w) {
    w = Wire();
    const uint64_t n = a.size(0, "archive_items_max", kMaxArchiveItems, 16);
    int64_t first = 0, last = 0;
    for (uint64_t k = 0; k < n && a.ok(); k++) {
        int64_t id = 0;
        InFlight f;
        a(id, f);
        if (k == 0) first = id;
        if (id < 1 || (k > 0 && id <= last) ||
            id - first > static_cast<int64_t>(kMaxArchiveItems)) {
            a.fail("message ids on the wire out of order or too far apart");
            return;
        }
        last = id;
        w.add(id) = std::move(f);
    }
}

template <class A>
void serialize(A& a, EventKind& k) {
    a.enumeration(k, static_cast<uint64_t>(EventKind::kLeaseTimer) + 1);
}

template <class A>
void serialize(A& a, Event& e) {
    a(e.t_us, e.seq, e.arg, e.kind, e.node);
}

// The pending events in pop order, whatever the queue's layout (which never
// shows in a run): a canonical form, so equal states give equal bytes.
void serialize(ArchiveOut& a, EventQueue& q) {
    EventQueue copy = q;
    uint64_t n = copy.size();
    a.size(n, "", 0, 0);
    while (!copy.empty()) {
        Event e = copy.pop();
        a(e);
    }
}

void serialize(ArchiveIn& a, EventQueue& q) {
    q = EventQueue();
    const uint64_t n = a.size(0, "archive_items_max", kMaxArchiveItems, 16);
    Event prev;
    for (uint64_t k = 0; k < n && a.ok(); k++) {
        Event e;
        a(e);
        const bool ordered =
            k == 0 || e.t_us > prev.t_us || (e.t_us == prev.t_us && e.seq > prev.seq);
        if (!ordered || e.t_us < 0 || e.t_us > kMaxSimTimeUs) {
            a.fail("events out of order or beyond sim_time_us_max");
            return;
        }
        prev = e;
        q.push(e);
    }
}

template <class A>
void serialize(A& a, NodeWatch& w) {
    a(w.acked_vote_term, w.acked_vote_for, w.acked_index, w.acked_index_term, w.last_term);
    a(w.last_commit);
}

// Terms strictly increasing, as the map holds them.
template <class A>
void serialize_leader_terms(A& a, CheckerState& c) {
    const uint64_t n = a.size(c.leader_of_term.size(), "archive_items_max", kMaxArchiveItems, 12);
    if constexpr (A::kLoading) {
        c.leader_of_term.clear();
        for (uint64_t k = 0; k < n && a.ok(); k++) {
            std::pair<raft::Term, raft::NodeId> p;
            a(p);
            if (!c.leader_of_term.empty() && p.first <= c.leader_of_term.rbegin()->first)
                a.fail("leader terms out of order");
            c.leader_of_term.insert(c.leader_of_term.end(), p);
        }
    } else {
        for (const auto& [term, node] : c.leader_of_term) {
            std::pair<raft::Term, raft::NodeId> p{term, node};
            a(p);
        }
    }
}

template <class A>
void serialize(A& a, CommittedConf& c) {
    a(c.index, c.term, c.conf, c.base);
}

template <class A>
void serialize(A& a, CheckerState& c) {
    serialize_leader_terms(a, c);
    a(c.nodes, c.applied_size, c.commit_terms_size, c.violations_size);
    a(c.committed_confs);
}

template <class A>
void serialize(A& a, Digest& d) {
    uint64_t h = d.state();
    a(h);
    if constexpr (A::kLoading) d.set_state(h);
}

template <class A>
void serialize(A& a, NetworkModel& m) {
    a(m.latency_us_min, m.latency_us_max, m.tail_ppm, m.tail_us_max, m.loss_ppm, m.duplicate_ppm);
}

template <class A>
void serialize(A& a, MessageCounts& c) {
    a(c.sent, c.delivered, c.dropped);
    for (int64_t& x : c.by_type)
        a(x);
    a(c.bytes, c.bytes_from_clients);
    for (int64_t& x : c.bytes_by_type)
        a(x);
    for (int64_t& x : c.bytes_by_node)
        a(x);
}

template <class A>
void serialize(A& a, Network& n) {
    Network::visit_fields(n, [&](const char*, auto& f) { a.item(f); });
}

// ===========================================================================
// 4. sim/world.h (NodeSlot, Client, WorldState)
// ===========================================================================

template <class A>
void serialize(A& a, LazyTimer& t) {
    a(t.gen, t.set_us, t.due_us, t.event_us, t.paused_left_us);
}

template <class A>
void serialize(A& a, NodeSlot& s) {
    a(s.node, s.disk, s.alive, s.paused, s.incarnation, s.election, s.lease, s.drift_ppm);
    a(s.heartbeat_gen);
    a(s.heartbeat_due_us, s.paused_heartbeat_left_us, s.fsync_done_while_paused, s.held);
    a(s.seen_term, s.seen_commit, s.seen_role, s.seen_vote, s.spare);
}

template <class A>
void serialize(A& a, MembershipStats& m) {
    for (int32_t& n : m.entries)
        a(n);
    a(m.refused, m.transfers_started, m.transfers_completed, m.transfers_aborted);
    a(m.transfer_from, m.transfer_to, m.transfer_term);
}

template <class A>
void serialize(A& a, ClientRoute& x) {
    a.enumeration(x, 3);
}

template <class A>
void serialize(A& a, RetryPolicy& p) {
    a(p.route, p.attempt_timeout_us, p.max_attempts, p.backoff_us_max);
}

template <class A>
void serialize(A& a, Client& c) {
    a(c.id, c.workload, c.seq, c.busy, c.next_due, c.op, c.cmd, c.home, c.target, c.attempt);
    a(c.retry_due_us, c.deadline_due_us, c.retry_timer_us, c.deadline_timer_us, c.remaining);
    a(c.stress_prefix, c.policy, c.op_attempts, c.op_errors);
}

template <class A>
void serialize(A& a, TriggerState& t) {
    a(t.seen, t.nodes_counted, t.fired);
}

template <class A>
void serialize(A& a, FiredTrigger& f) {
    a(f.step, f.at_us, f.subject);
}

template <class A>
void serialize(A& a, Action& x);

template <class A>
void serialize(A& a, WorldState& s) {
    a(s.now_us, s.next_seq, s.events, s.next_action, s.queue, s.net, s.nodes, s.clients);
    a(s.workload_rng, s.fault_rng, s.select_rng, s.clock_rng);
    a(s.digest, s.checker, s.halted, s.workload_paused, s.limit_reached, s.history_bytes);
    a(s.trace_size, s.history_size, s.leaders_size);
    a(s.triggers, s.triggers_armed, s.fired, s.fired_log);
    a(s.membership);
}

// ===========================================================================
// 5. logs and inputs (sim/history.h, sim/scenario.h)
// ===========================================================================

template <class A>
void serialize(A& a, OpStatus& s) {
    a.enumeration(s, 4);
}

template <class A>
void serialize(A& a, HistoryOp& o) {
    a(o.client, o.seq, o.op, o.key, o.value, o.expected, o.invoke_us, o.complete_us, o.status);
    a(o.found, o.output, o.cas_ok, o.node, o.log_index, o.log_term, o.version, o.mod_revision);
}

template <class A>
void serialize(A& a, LeaderRecord& r) {
    a(r.term, r.node, r.at_us);
}

template <class A>
void serialize(A& a, Violation& v) {
    a(v.t_us, v.event, v.check, v.description);
}

template <class A>
void serialize(A& a, ActionKind& k) {
    a.enumeration(k, static_cast<uint64_t>(ActionKind::kCount));
}

template <class A>
void serialize(A& a, NodeSelector& s) {
    a.enumeration(s, static_cast<uint64_t>(NodeSelector::kCount));
}

template <class A>
void serialize(A& a, NodeRef& r) {
    a(r.sel, r.id);
}

template <class A>
void serialize(A& a, TriggerKind& k) {
    a.enumeration(k, static_cast<uint64_t>(TriggerKind::kCount));
}

template <class A>
void serialize(A& a, Trigger& t) {
    a(t.kind, t.node, t.to, t.role, t.index, t.msg_type, t.status, t.count, t.delay_us);
    a(t.until_us);
}

template <class A>
void serialize(A& a, Action& x) {
    a(x.at_us, x.kind, x.node, x.to, x.groups, x.isolate_leader_with, x.key, x.value, x.expected);
    a(x.count, x.msg_id, x.delay_us, x.loss_ppm, x.latency_us_min, x.latency_us_max);
    a(x.duplicate_ppm, x.jitter_us, x.jitter_heartbeat, x.entries_only, x.force, x.jitter_group);
    a(x.has_retry, x.retry, x.drift_ppm, x.has_when, x.when);
}

// The trace is most of a run's bytes: each record as varints, its time as the
// difference from the previous record's (records are in time order). The
// notes and a send's size follow only when present (bits 24 and 26 of the
// kind word say so).
std::string encode_trace(const std::vector<TraceRecord>& trace) {
    std::string out;
    int64_t t = 0;
    for (const TraceRecord& r : trace) {
        raft::put_signed(r.t_us - t, &out);
        t = r.t_us;
        const bool notes = r.note_node != -1 || r.note_index != 0 || r.note_term != 0;
        const bool sized = r.bytes != 0;
        raft::put_varint(static_cast<uint64_t>(r.kind) | uint64_t(r.msg_type) << 8 |
                             uint64_t(r.reason) << 16 | uint64_t(notes) << 24 |
                             uint64_t(r.answered) << 25 | uint64_t(sized) << 26,
                         &out);
        raft::put_signed(r.node, &out);
        raft::put_signed(r.peer, &out);
        raft::put_signed(r.term, &out);
        raft::put_signed(r.index, &out);
        raft::put_signed(r.aux, &out);
        if (sized) raft::put_signed(r.bytes, &out);
        if (!notes) continue;
        raft::put_signed(r.note_node, &out);
        raft::put_signed(r.note_index, &out);
        raft::put_signed(r.note_term, &out);
    }
    return out;
}

// The trace's varints (raft/entry_codec.h's encoding), read in a tight loop
// (the trace is most of what loading an archive decodes), with the cursor in
// a local so that it stays in a register. Past the end, or on a varint
// longer than ten bytes, a read gives zero and clears *ok.
[[gnu::always_inline]] inline uint64_t read_varint(const uint8_t*& p, const uint8_t* end,
                                                   bool* ok) {
    if (p < end && *p < 0x80) return *p++;
    uint64_t v = 0;
    for (int shift = 0; shift < 64 && p < end; shift += 7) {
        const uint8_t b = *p++;
        v |= static_cast<uint64_t>(b & 0x7f) << shift;
        if ((b & 0x80) == 0) return v;
    }
    *ok = false;
    return 0;
}

[[gnu::always_inline]] inline int64_t read_signed(const uint8_t*& p, const uint8_t* end, bool* ok) {
    const uint64_t x = read_varint(p, end, ok);
    return static_cast<int64_t>((x >> 1) ^ (~(x & 1) + 1));
}

// A record's fields in range: a kind the trace knows, a reason its kind
// knows, 32-bit ids, time going on.
bool record_ok(int64_t dt, uint64_t kind, int64_t node, int64_t peer, int64_t t) {
    const bool drop = (kind & 0xff) == static_cast<uint64_t>(TraceKind::kDrop);
    const uint64_t reasons = drop ? static_cast<uint64_t>(kDropReasonCount)
                                  : static_cast<uint64_t>(raft::Refusal::kCount);
    return dt >= 0 && dt <= kMaxSimTimeUs - t &&
           (kind & 0xff) < static_cast<uint64_t>(TraceKind::kCount) &&
           (kind >> 16 & 0xff) < reasons && kind >> 27 == 0 && node == static_cast<int32_t>(node) &&
           peer == static_cast<int32_t>(peer);
}

bool decode_trace(const std::string& in, uint64_t count, std::vector<TraceRecord>* out) {
    out->clear();
    out->reserve(static_cast<size_t>(count));  // count <= in.size() / 7 + 1
    const auto* p = reinterpret_cast<const uint8_t*>(in.data());
    const uint8_t* end = p + in.size();
    bool ok = true;
    int64_t t = 0;
    for (uint64_t i = 0; i < count; i++) {
        TraceRecord r;
        const int64_t dt = read_signed(p, end, &ok);
        const uint64_t kind = read_varint(p, end, &ok);
        const int64_t node = read_signed(p, end, &ok), peer = read_signed(p, end, &ok);
        r.term = read_signed(p, end, &ok);
        r.index = read_signed(p, end, &ok);
        r.aux = read_signed(p, end, &ok);
        if (kind >> 26 & 1) r.bytes = read_signed(p, end, &ok);
        if (kind >> 24 & 1) {
            const int64_t note_node = read_signed(p, end, &ok);
            r.note_node = static_cast<int32_t>(note_node);
            r.note_index = read_signed(p, end, &ok);
            r.note_term = read_signed(p, end, &ok);
            if (note_node != r.note_node) return false;
        }
        if (!ok || !record_ok(dt, kind, node, peer, t)) return false;
        t += dt;
        r.t_us = t;
        r.kind = static_cast<TraceKind>(kind & 0xff);
        r.msg_type = static_cast<uint8_t>(kind >> 8);
        r.reason = static_cast<uint8_t>(kind >> 16);
        r.answered = (kind >> 25 & 1) != 0;
        r.node = static_cast<int32_t>(node);
        r.peer = static_cast<int32_t>(peer);
        out->push_back(r);
    }
    return p == end;
}

void save_logs(ArchiveOut& a, const RunLogs& logs) {
    RunLogs& l = const_cast<RunLogs&>(logs);  // saving only reads
    uint64_t records = l.trace.size();
    std::string trace = encode_trace(l.trace);
    a(records, trace, l.history, l.leaders, l.violations, l.applied, l.commit_terms);
}

void load_logs(ArchiveIn& a, RunLogs* l) {
    std::string trace;
    const uint64_t records = a.size(0, "archive_items_max", kMaxArchiveItems, 0);
    a(trace);
    // Seven varints a record, at least a byte each.
    if (a.ok() && (records > trace.size() / 7 + 1 || !decode_trace(trace, records, &l->trace)))
        a.fail("malformed trace");
    a(l->history, l->leaders, l->violations, l->applied, l->commit_terms);
}

void save_inputs(ArchiveOut& a, const std::vector<Action>& inputs) {
    a(const_cast<std::vector<Action>&>(inputs));  // saving only reads
}

void load_inputs(ArchiveIn& a, std::vector<Action>* inputs) {
    a(*inputs);
}

// World's friend: the append-only logs are private to the world, which
// otherwise hands out only the prefix of the current state.
struct WorldLogsAccess {
    static void copy_checker_logs(const World& w, RunLogs* l) {
        const Checker& c = w.checker_;
        const CheckerState& cs = w.state().checker;
        l->applied.assign(c.applied_.begin(),
                          c.applied_.begin() + static_cast<std::ptrdiff_t>(cs.applied_size));
        l->commit_terms.assign(
            c.commit_terms_.begin(),
            c.commit_terms_.begin() + static_cast<std::ptrdiff_t>(cs.commit_terms_size));
    }
    static void install(World* w, RunLogs logs) {
        w->trace_ = std::move(logs.trace);
        w->history_ = std::move(logs.history);
        w->leaders_ = std::move(logs.leaders);
        w->checker_.violations_ = std::move(logs.violations);
        w->checker_.applied_ = std::move(logs.applied);
        w->checker_.commit_terms_ = std::move(logs.commit_terms);
        w->cleared_ops_.clear();
    }
};

RunLogs logs_of(const World& w) {
    RunLogs l;
    l.trace.assign(w.trace().begin(), w.trace().end());
    l.history.assign(w.history().begin(), w.history().end());
    l.leaders.assign(w.leaders().begin(), w.leaders().end());
    l.violations.assign(w.violations().begin(), w.violations().end());
    WorldLogsAccess::copy_checker_logs(w, &l);
    return l;
}

void install_logs(World* w, RunLogs logs) {
    WorldLogsAccess::install(w, std::move(logs));
}

std::string save_checkpoint_state(const WorldState& s) {
    ArchiveOut a;
    a(const_cast<WorldState&>(s));  // saving only reads
    return a.bytes();
}

bool load_checkpoint_state(const std::string& bytes, const Scenario& scenario, const RunLogs& logs,
                           WorldState* out, std::string* error) {
    ArchiveIn a(bytes, "checkpoint state");
    a(*out);
    if (a.ok() && a.left() != 0) a.fail(std::to_string(a.left()) + " bytes after the state");
    if (!a.ok()) {
        *error = a.error();
        return false;
    }
    const std::string why = check_loaded_state(scenario, logs, *out);
    if (!why.empty()) *error = "checkpoint state: " + why;
    return why.empty();
}

template void ArchiveOut::item<raft::Config>(raft::Config&);  // state_check.cpp
template void ArchiveOut::item<uint64_t>(uint64_t&);
template void ArchiveOut::item<int64_t>(int64_t&);
template void ArchiveOut::item<uint32_t>(uint32_t&);
template void ArchiveOut::item<bool>(bool&);
template void ArchiveOut::item<std::string>(std::string&);
template void ArchiveIn::item<uint64_t>(uint64_t&);
template void ArchiveIn::item<int64_t>(int64_t&);
template void ArchiveIn::item<uint32_t>(uint32_t&);
template void ArchiveIn::item<bool>(bool&);
template void ArchiveIn::item<std::string>(std::string&);
template void ArchiveOut::item<std::vector<std::string>>(std::vector<std::string>&);
template void ArchiveIn::item<std::vector<std::string>>(std::vector<std::string>&);

}  // namespace sim
