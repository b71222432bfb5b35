// format/state_check.cpp — the structural checks a checkpoint state read
// from a run archive passes before any of it runs (state_archive.h,
// check_loaded_state). Kept apart from the serialize functions: those say
// how a state is written, these what a loaded one may hold.
#include <algorithm>
#include <cstring>
#include <string>
#include <type_traits>

#include "format/state_archive.h"
#include "sim/limits.h"

namespace sim {

// Two stages. check_loaded_state, on the decoded state (logs and snapshots
// still packed): what the world indexes by or compares against (node and
// client ids, message ids, the logs' sizes) and what the handlers a message
// reaches assert about it. check_unpacked_state, on the state as a restore
// would install it: each node's own rules (raft::Node's invariant sweep, an
// empty Ready, a well-formed log), the disks' logs, and what needs the
// unpacked snapshots. A check that fails names what is wrong. What these
// cannot see is whether the state is one the run could reach: `raftplay
// replay` verifies a file by re-simulating it.

namespace {

struct Bounds {
    int32_t nodes = 0;
    int32_t clients = 0;
    int64_t next_msg_id = 0;
    int64_t duration_us = 0;
};

// An append's entries follow its previous entry, in terms up to its own.
bool append_ok(const raft::Message& m) {
    raft::Index next = m.prev_log_index + 1;
    raft::Term term = std::max<raft::Term>(1, m.prev_log_term);  // a follower appends after it
    for (const raft::Entry& e : m.entries) {
        if (e.index != next++ || e.term < term || e.term > m.term) return false;
        term = e.term;
    }
    return m.prev_log_index >= 0;
}

// What the node handlers and the world assert about a message: protocol
// messages index the nodes' progress by their ends and carry their sender's
// term; a request from a client names the node it goes to (the client is
// named by cmd.client_id, which the world checks on arrival); a forwarded
// proposal names the node that answers its client; a refusal rides only on a
// response that refuses.
bool message_ok(const Bounds& b, const raft::Message& m) {
    auto node = [&](raft::NodeId id) { return id >= 0 && id < b.nodes; };
    if (m.refusal != raft::Refusal::kNone && !m.reject) return false;
    switch (m.type) {
        case raft::MsgType::kClientReq:
            return node(m.to) && m.hops == 0;
        case raft::MsgType::kClientResp:
            return node(m.from) && m.to == raft::kNone;
        case raft::MsgType::kProp:
            return node(m.from) && node(m.to) && m.from != m.to && node(m.origin) && m.hops >= 1 &&
                   m.hops <= 3;
        default:
            break;
    }
    if (!node(m.from) || !node(m.to) || m.from == m.to || m.term < 1) return false;
    return m.type != raft::MsgType::kAppend || append_ok(m);
}

template <class List>
bool messages_ok(const Bounds& b, const List& ms) {
    for (const raft::Message& m : ms)
        if (!message_ok(b, m)) return false;
    return true;
}

bool ids_ok(const Bounds& b, const std::vector<int64_t>& ids) {
    for (int64_t id : ids)
        if (id < 1 || id >= b.next_msg_id) return false;
    return true;
}

std::string config_bytes(const raft::Config& c) {
    ArchiveOut a;
    a(const_cast<raft::Config&>(c));
    return a.bytes();
}

// A checkpoint's nodes have their bulky state out (put_image asserts it).
bool imaged(const raft::Node& n) {
    bool out = false;
    raft::Node::visit_fields(n, [&](const char* name, const auto& field) {
        if constexpr (std::is_same_v<std::decay_t<decltype(field)>, bool>) {
            if (std::strcmp(name, "imaged") == 0) out = field;
        }
    });
    return out;
}

// A node: its id, config, peers, progress and the messages it holds.
std::string check_node(const Bounds& b, const Scenario& sc, size_t i, const NodeSlot& s) {
    const raft::Node& n = s.node;
    if (n.id() != static_cast<raft::NodeId>(i)) return "id " + std::to_string(n.id());
    if (config_bytes(n.config()) != config_bytes(sc.cluster))
        return "config differs from the scenario's";
    if (n.voted_for() < -1 || n.voted_for() >= b.nodes || n.leader() < -1 || n.leader() >= b.nodes)
        return "vote or leader out of range";
    if (!n.progress().empty() && n.progress().size() != static_cast<size_t>(b.nodes))
        return "progress for " + std::to_string(n.progress().size()) + " nodes";
    if (n.log().snapshot_index() < 0 || !n.log().entries().empty() || n.snapshot() != nullptr ||
        !imaged(n))
        return "log or snapshot outside the packed block";
    if (!ids_ok(b, s.held) || s.disk.fsync_covering < 0 ||
        static_cast<size_t>(s.disk.fsync_covering) > s.disk.pending.size())
        return "held messages or fsync out of range";
    for (const WriteBatch& w : s.disk.pending)
        if (!messages_ok(b, w.after_persist))
            return "a message waiting on the disk out of range or malformed";
    if (s.seen_vote < -1 || s.seen_vote >= b.nodes) return "traced vote out of range";
    // World::on_node_clock scales timers by it (drift_ppm_max bounds the product).
    if (s.drift_ppm < -kMaxDriftPpm || s.drift_ppm > kMaxDriftPpm)
        return "clock drift beyond drift_ppm_max";
    return "";
}

std::string check_client(const Bounds& b, size_t i, const Client& c, size_t history_size) {
    if (c.id != static_cast<int32_t>(i)) return "id " + std::to_string(c.id);
    if (c.home < 0 || c.home >= b.nodes || c.target < 0 || c.target >= b.nodes)
        return "node out of range";
    if (c.op < -1 || c.op >= static_cast<int64_t>(history_size)) return "operation out of range";
    if (c.busy && c.op < 0) return "busy without an operation";
    return "";
}

// Node events name a node, client events a client.
bool event_ok(const Bounds& b, const Event& e) {
    const bool client = e.kind == EventKind::kClientNext || e.kind == EventKind::kClientRetry ||
                        e.kind == EventKind::kClientDeadline;
    if (e.kind == EventKind::kDeliver) return e.arg >= 1 && e.arg < b.next_msg_id;
    return e.node >= 0 && e.node < (client ? b.clients : b.nodes);
}

// A lazy timer's current event (its generation) is the one its event_us
// names (World::lazy_due asserts it).
bool lazy_timer_event_ok(const WorldState& s, const Event& e) {
    if (e.kind != EventKind::kElectionTimer && e.kind != EventKind::kLeaseTimer) return true;
    const NodeSlot& n = s.nodes[static_cast<size_t>(e.node)];
    const LazyTimer& t = e.kind == EventKind::kElectionTimer ? n.election : n.lease;
    return static_cast<uint64_t>(e.arg) != t.gen || t.event_us == e.t_us;
}

std::string check_network(const Bounds& b, const WorldState& s) {
    const auto links = static_cast<size_t>(b.nodes) * static_cast<size_t>(b.nodes);
    if (s.net.nodes() != b.nodes) return "a network of " + std::to_string(s.net.nodes()) + " nodes";
    std::string why;
    Network::visit_fields(s.net, [&](const char*, const auto& f) {
        using T = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<T, std::vector<uint8_t>>) {  // cut, clog
            if (f.size() != links) why = "link tables of the wrong size";
        } else if constexpr (std::is_same_v<T, std::vector<int8_t>>) {  // disconnected
            if (f.size() != static_cast<size_t>(b.nodes))
                why = "a disconnected table of the wrong size";
            for (int8_t x : f)
                if (x != 0 && x != 1) why = "a disconnected flag other than 0 or 1";
        } else if constexpr (std::is_same_v<T, std::vector<int64_t>>) {  // clogged
            if (!ids_ok(b, f)) why = "clogged message ids out of range";
        }
    });
    if (!why.empty()) return why;
    for (const auto& [id, f] : s.net.wire())
        if (id >= b.next_msg_id || !message_ok(b, f.msg))
            return "a message on the wire out of range or malformed";
    EventQueue q = s.queue;
    while (!q.empty()) {
        const Event e = q.pop();
        if (e.seq >= s.next_seq || !event_ok(b, e)) return "an event out of range";
        if (e.t_us < s.now_us) return "an event before the state's time";
        if (e.kind == EventKind::kClientNext && !s.clients[static_cast<size_t>(e.node)].workload)
            return "a workload event for a scripted client";
        if (!lazy_timer_event_ok(s, e)) return "a timer event where its timer has none";
    }
    return "";
}

std::string check_watches(const Bounds& b, const CheckerState& c) {
    if (c.nodes.size() != static_cast<size_t>(b.nodes)) return "checker watches of the wrong size";
    for (const NodeWatch& w : c.nodes)
        if (w.acked_vote_for < -1 || w.acked_vote_for >= b.nodes)
            return "acknowledged vote out of range";
    return "";
}

std::string check_sizes(const WorldState& s, const RunLogs& logs) {
    if (s.history_size > logs.history.size() || s.leaders_size > logs.leaders.size() ||
        s.checker.violations_size > logs.violations.size() ||
        s.checker.applied_size > logs.applied.size() ||
        s.checker.commit_terms_size > logs.commit_terms.size())
        return "log sizes beyond the run's logs";
    if (s.events < 0 || (!logs.trace.empty() && s.trace_size > logs.trace.size()))
        return "event count beyond the trace";
    return "";
}

}  // namespace

namespace {

// One state per triggered step of the scenario, the armed count agreeing
// with them, fired steps in time order, logged firings naming real steps.
std::string check_triggers(const Scenario& sc, const WorldState& s) {
    size_t steps = 0;
    for (const Action& a : sc.timeline)
        steps += a.has_when ? 1 : 0;
    if (s.triggers.size() != steps) return "trigger states do not match the triggered steps";
    int32_t armed = 0;
    for (const TriggerState& t : s.triggers)
        armed += t.fired ? 0 : 1;
    if (armed != s.triggers_armed) return "armed trigger count is wrong";
    for (size_t i = 0; i < s.fired.size(); i++) {
        if (s.fired[i].has_when || (i > 0 && s.fired[i].at_us < s.fired[i - 1].at_us))
            return "fired steps out of order";
    }
    for (const FiredTrigger& f : s.fired_log) {
        if (f.step < 0 || static_cast<size_t>(f.step) >= sc.timeline.size() ||
            !sc.timeline[static_cast<size_t>(f.step)].has_when)
            return "a fired trigger names no triggered step";
    }
    return "";
}

}  // namespace

std::string check_loaded_state(const Scenario& sc, const RunLogs& logs, const WorldState& s) {
    Bounds b;
    b.nodes = sc.cluster.node_count;
    b.clients = static_cast<int32_t>(s.clients.size());
    b.next_msg_id = s.net.next_msg_id();
    b.duration_us = sc.duration_us + kMaxOpenEndUs;  // open-ended runs go on past the script
    if (s.nodes.size() != static_cast<size_t>(b.nodes))
        return std::to_string(s.nodes.size()) + " nodes, the scenario has " +
               std::to_string(b.nodes);
    if (s.now_us < 0 || s.now_us > b.duration_us) return "time beyond the run";
    for (size_t i = 0; i < s.nodes.size(); i++) {
        const std::string why = check_node(b, sc, i, s.nodes[i]);
        if (!why.empty()) return "node " + std::to_string(i) + ": " + why;
    }
    for (size_t i = 0; i < s.clients.size(); i++) {
        const std::string why = check_client(b, i, s.clients[i], s.history_size);
        if (!why.empty()) return "client " + std::to_string(i) + ": " + why;
    }
    if (std::string why = check_network(b, s); !why.empty()) return why;
    if (std::string why = check_watches(b, s.checker); !why.empty()) return why;
    if (std::string why = check_triggers(sc, s); !why.empty()) return why;
    return check_sizes(s, logs);
}

namespace {

// A node's private counter, read through its field list (as imaged() does).
int64_t next_read_ctx(const raft::Node& n) {
    int64_t out = 0;
    raft::Node::visit_fields(n, [&](const char* name, const auto& field) {
        if constexpr (std::is_same_v<std::decay_t<decltype(field)>, int64_t>) {
            if (std::strcmp(name, "next_read_ctx") == 0) out = field;
        }
    });
    return out;
}

// Taken only after applying an entry (index and term >= 1): a follower
// installing it compacts its log there (RaftLog::compact asserts the term).
// A configuration names nodes of the run and has a voter.
bool membership_ok(const raft::Membership& m) {
    constexpr uint32_t kAll = (uint32_t(1) << raft::kMaxNodes) - 1;
    return m.voters != 0 && (m.members() & ~kAll) == 0;
}

bool snapshot_ok(const raft::SnapshotPtr& s) {
    return s == nullptr || (s->last_included_index >= 1 && s->last_included_term >= 1 &&
                            membership_ok(s->membership));
}

// A message as its receiver will step it: an InstallSnapshot carries its
// snapshot; a ReadIndex context (a heartbeat's, or its acknowledgement's)
// names a read its leader registered;
// an accepted append or snapshot response to the leader of its term matches
// no further than that leader's log (a follower holds only what the leader
// sent it, and a leader never truncates its log), or the leader's match_index
// would pass its own last index and its invariant sweep abort.
// A command names a client of the run: the node that applies it answers
// that client, and the world asserts that the client exists.
bool command_ok(const WorldState& s, const raft::Command& c) {
    return c.client_id >= 0 && static_cast<size_t>(c.client_id) < s.clients.size();
}

bool entries_ok(const WorldState& s, const std::vector<raft::Entry>& es) {
    for (const raft::Entry& e : es) {
        if (e.type == raft::EntryType::kCommand && !command_ok(s, e.cmd)) return false;
        if (e.type == raft::EntryType::kConfig && !membership_ok(e.conf)) return false;
    }
    return true;
}

bool unpacked_message_ok(const WorldState& s, const raft::Message& m) {
    if (!snapshot_ok(m.snapshot) || !entries_ok(s, m.entries)) return false;
    // Every node message carries its sender's term, at least 1 (step_term
    // asserts it; a node of term 0 has sent nothing yet).
    if (!raft::is_client_traffic(m.type) && m.term < 1) return false;
    if (raft::is_client_traffic(m.type) && !command_ok(s, m.cmd)) return false;
    if (m.type == raft::MsgType::kSnapshot && m.snapshot == nullptr) return false;
    if ((m.type == raft::MsgType::kAppendResp || m.type == raft::MsgType::kSnapshotResp) &&
        !m.reject) {
        const raft::Node& to = s.nodes[static_cast<size_t>(m.to)].node;
        if (to.role() == raft::Role::kLeader && to.current_term() == m.term &&
            m.match_index > to.log().last_index())
            return false;
    }
    if (m.read_ctx < 0) return false;
    if (m.read_ctx == 0) return true;
    // A ReadIndex context reaches handle_read_ack (which asserts that its
    // leader issued it) only at the leader of the message's term: the
    // response's receiver, or the request's sender, to whom the follower
    // echoes it. A leader that crashed or stepped down since ignores it, so
    // only a live leadership constrains it (a restarted node counts afresh).
    const bool ack = m.type == raft::MsgType::kAppendResp;
    if (!ack && m.type != raft::MsgType::kAppend) return true;
    const raft::Node& leader = s.nodes[static_cast<size_t>(ack ? m.to : m.from)].node;
    if (leader.role() != raft::Role::kLeader || leader.current_term() != m.term) return true;
    return m.read_ctx < next_read_ctx(leader);
}

// What recovery reads back into a new node (Node::restore appends it entry
// by entry, up to the first damaged one): every entry where it was written
// (recover asserts it), and up to the damage terms ascending and none past
// the durable term; sealed entries in the write queue.
std::string check_disk(size_t nodes, const DurableState& d, const Disk& disk) {
    // A restarted node adopts the durable hard state: a term, a vote for a node.
    auto hard_state_ok = [&](const raft::HardState& h) {
        return h.current_term >= 0 && h.voted_for >= -1 &&
               h.voted_for < static_cast<raft::NodeId>(nodes);
    };
    if (!snapshot_ok(d.snapshot)) return "durable snapshot at index or term 0";
    if (!hard_state_ok(d.hard_state)) return "durable hard state out of range";
    raft::Index next = d.snapshot_index() + 1;
    raft::Term term = d.snapshot ? d.snapshot->last_included_term : 1;
    bool damaged = false;
    for (const StoredEntry& e : d.log) {
        if (e.entry.index != next++) return "durable log out of order";
        damaged = damaged || e.checksum != e.entry.hash;  // a torn or corrupted write
        if (damaged) continue;
        if (e.entry.term < term || e.entry.term > d.hard_state.current_term)
            return "durable log terms out of order or past the durable term";
        term = e.entry.term;
    }
    for (const WriteBatch& w : disk.pending) {
        if (!snapshot_ok(w.snapshot) || !hard_state_ok(w.hard_state))
            return "queued snapshot or hard state out of range";
        for (const raft::Entry& e : w.entries)
            if (e.index < 1 || e.hash == 0) return "queued entry unsealed or at index 0";
    }
    return "";
}

std::string check_unpacked_node(const WorldState& s, const NodeSlot& n) {
    if (const char* why = n.node.broken_rule_between_inputs()) return why;
    if (!entries_ok(s, n.node.log().entries())) return "a log entry names no client of the run";
    for (const StoredEntry& e : n.disk.durable.log)
        if (e.entry.type == raft::EntryType::kCommand && !command_ok(s, e.entry.cmd))
            return "a durable entry names no client of the run";
    for (const WriteBatch& w : n.disk.pending)
        if (!entries_ok(s, w.entries)) return "a queued entry names no client of the run";
    if (!snapshot_ok(n.node.snapshot())) return "snapshot at index or term 0";
    if (std::string why = check_disk(s.nodes.size(), n.disk.durable, n.disk); !why.empty())
        return why;
    for (const WriteBatch& w : n.disk.pending) {
        for (const raft::Message& m : w.after_persist)
            if (!unpacked_message_ok(s, m)) return "a message waiting on the disk";
    }
    return "";
}

}  // namespace

std::string check_unpacked_state(const WorldState& s) {
    for (size_t i = 0; i < s.nodes.size(); i++) {
        const std::string why = check_unpacked_node(s, s.nodes[i]);
        if (!why.empty()) return "node " + std::to_string(i) + ": " + why;
    }
    for (const auto& [id, f] : s.net.wire())
        if (!unpacked_message_ok(s, f.msg)) return "a message on the wire";
    return "";
}

}  // namespace sim
