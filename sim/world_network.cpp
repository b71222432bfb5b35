// sim/world_network.cpp — the world's side of the network (see world.h and
// network.h): it schedules the delivery events the network's verdicts call
// for, records sends, deliveries and drops in the trace, hands arriving
// messages to their node or client, and applies the scenario's and the
// user's network actions (partitions, cuts, clogs, per-message actions).
//
// The network decides (latency, loss, duplication, cuts, clogs); this file
// must not draw from the network's stream or decide a message's fate itself,
// except for what only the world knows: whether the receiving process is
// alive or paused.
#include <algorithm>

#include "raft/wire_bytes.h"
#include "sim/world.h"

namespace sim {

namespace {

// The trace ids of a message's ends: a node id, or kClientBase + client id.
// Client traffic names its client by the command it carries, never by the
// message's `from` or `to`.
int32_t sender_of(const InFlight& f) {
    return f.from_client ? kClientBase + f.msg.cmd.client_id : f.msg.from;
}
int32_t receiver_of(const InFlight& f) {
    return f.to_client ? kClientBase + f.msg.cmd.client_id : f.msg.to;
}

void note_refusal(const raft::RefusalNote& n, TraceRecord* r) {
    r->reason = static_cast<uint8_t>(n.why);
    r->answered = n.answered;
    r->note_node = n.node;
    r->note_index = n.index;
    r->note_term = n.term;
}

// A message's notes (TraceRecord::reason and note_*; not in the digest):
// a refusal and what it names, or a vote request's last log term.
void note_message(const raft::Message& m, TraceRecord* r) {
    if (m.type == raft::MsgType::kVote || m.type == raft::MsgType::kPreVote) {
        r->note_term = m.last_log_term;
        return;
    }
    if (m.refusal != raft::Refusal::kNone) note_refusal(raft::refusal_note(m), r);
}

}  // namespace

// ===========================================================================
// sending, delivering, dropping
// ===========================================================================

void World::send(raft::Message&& m, bool from_client, bool to_client) {
    // The flag decides where it goes (a client, or slot(m.to)): only a
    // response goes to a client. (Network::copies checks that a client never
    // sends to a client, and link() the ends of node traffic.)
    ASSERT(to_client == (m.type == raft::MsgType::kClientResp));
    const int copies = s_.net.copies(from_client, to_client);
    // Sized once, before the last copy moves m onto the wire.
    const int64_t bytes = raft::wire_bytes(m);
    for (int c = 0; c < copies; c++) {
        int64_t id = 0;
        const InFlight& f =
            s_.net.add_copy(m, c + 1 == copies, from_client, to_client, s_.now_us, bytes, &id);
        const raft::Message& msg = f.msg;
        TraceRecord r;
        r.kind = TraceKind::kSend;
        r.msg_type = static_cast<uint8_t>(msg.type);
        r.node = sender_of(f);
        r.peer = receiver_of(f);
        r.term = msg.term;
        r.index = raft::message_log_index(msg);
        r.aux = id;
        r.bytes = bytes;
        if (record_trace) note_message(msg, &r);  // notes: trace only, not the digest
        record(r);
        if (f.deliver_us >= 0) {
            push_event(f.deliver_us, EventKind::kDeliver, f.to_client ? -1 : msg.to, 0, id);
        }
    }
}

void World::drop_message(int64_t msg_id, int64_t reason, int64_t rule) {
    ASSERT(reason >= kDropLoss && reason <= kDropUser);
    ASSERT(rule >= 0 && rule < kDropReasonCount);
    const InFlight* f = s_.net.wire().find(msg_id);
    if (f == nullptr) return;  // gone already (dropped by the user while held)
    TraceRecord r;
    r.kind = TraceKind::kDrop;
    r.msg_type = static_cast<uint8_t>(f->msg.type);
    r.node = sender_of(*f);
    r.peer = receiver_of(*f);
    r.term = f->msg.term;
    r.aux = reason;
    r.reason = static_cast<uint8_t>(rule);
    record(r);
    s_.net.dropped(msg_id);
}

void World::deliver(int64_t msg_id, int64_t event_t_us) {
    // The event is the message's own (World::send scheduled it), never early.
    ASSERT(msg_id >= 1 && event_t_us == s_.now_us);
    InFlight* found = nullptr;
    switch (s_.net.arrive(msg_id, event_t_us, &found)) {
        case Arrival::kStale:  // removed by the user, or re-timed (delay)
            return;
        case Arrival::kToClient:
            return deliver_to_client(msg_id, found);
        case Arrival::kLost:
            return drop_message(msg_id, kDropLoss);
        case Arrival::kPartition:
            return drop_message(msg_id, kDropPartition, s_.net.cut_reason(found->msg));
        case Arrival::kArrives:
            break;
    }
    InFlight& f = *found;
    const int to = f.msg.to;
    NodeSlot& ns = slot(to);
    if (!ns.alive) return drop_message(msg_id, kDropDead);
    if (ns.paused) {
        // A paused process does not read its socket: the message waits.
        s_.net.hold(msg_id);
        ns.held.push_back(msg_id);
        return;
    }
    const raft::Message& m = f.msg;
    TraceRecord r;
    r.kind = TraceKind::kDeliver;
    r.msg_type = static_cast<uint8_t>(m.type);
    r.node = to;
    r.peer = m.type == raft::MsgType::kClientReq ? kClientBase + m.cmd.client_id : m.from;
    r.term = m.term;
    r.index = raft::message_log_index(m);
    r.aux = msg_id;
    if (record_trace) note_message(m, &r);
    const size_t at = s_.trace_size;  // this record's place in the trace
    record(r);
    // Stepped in place and consumed (an append's entries move into the log):
    // a node's step does not touch the wire (its messages leave through
    // Ready, below), so the message is erased after.
    ns.node.step(std::move(f.msg));
    // A refused request: the deliver record gets the receiver's verdict
    // (after the digest folded the record; the notes are not folded).
    if (ns.node.refused().why != raft::Refusal::kNone && record_trace && at < trace_.size())
        note_refusal(ns.node.refused(), &trace_[at]);
    s_.net.delivered(msg_id);
    after_node_input(to);
}

void World::deliver_to_client(int64_t msg_id, InFlight* found) {
    InFlight& f = *found;
    ASSERT_CMP(static_cast<int>(f.msg.type), ==, static_cast<int>(raft::MsgType::kClientResp));
    raft::Message m = std::move(f.msg);
    s_.net.delivered(msg_id);
    TraceRecord r;
    r.kind = TraceKind::kDeliver;
    r.msg_type = static_cast<uint8_t>(m.type);
    r.node = m.from;
    r.peer = kClientBase + m.cmd.client_id;
    r.aux = msg_id;
    record(r);
    client_response(m);
}

// Messages a clog held leave now (the network drew their latencies).
void World::schedule_released(const std::vector<int64_t>& ids) {
    for (int64_t id : ids) {
        const InFlight* f = s_.net.wire().find(id);
        ASSERT(f != nullptr && f->deliver_us >= s_.now_us);
        push_event(f->deliver_us, EventKind::kDeliver, f->msg.to, 0, id);
    }
}

// ===========================================================================
// network actions
// ===========================================================================

void World::apply_link_action(const Action& a, const std::vector<raft::NodeId>& targets) {
    const raft::NodeId to = a.to.sel == NodeSelector::kId ? a.to.id : raft::kNone;
    if (targets.empty() || to < 0 || to >= n_) return;  // nothing to act on (a selector found none)
    const raft::NodeId from = targets.front();
    if (from == to) return;  // a trigger's node bound to the link's other end: no link
    switch (a.kind) {
        case ActionKind::kCutLink:
            s_.net.cut_link(from, to, a.entries_only);
            return;
        case ActionKind::kClog:
            s_.net.clog(from, to);
            return;
        case ActionKind::kUnclog:
            released_.clear();
            s_.net.unclog(from, to, s_.now_us, &released_);
            schedule_released(released_);
            return;
        default:
            ASSERT_UNREACHABLE("not a link action");
    }
}

void World::apply_partition(const Action& a) {
    ASSERT_CMP(static_cast<int>(a.kind), ==, static_cast<int>(ActionKind::kPartition));
    // A partition replaces the current one: group g of node i, or -1.
    std::vector<int> group(static_cast<size_t>(n_), -1);
    if (a.isolate_leader_with >= 0) {
        const raft::NodeId lead = leader();
        std::vector<raft::NodeId> others;
        for (int i = 0; i < n_; i++) {
            if (i != lead) others.push_back(i);
        }
        if (lead != raft::kNone) group[static_cast<size_t>(lead)] = 0;
        for (int k = 0; k < a.isolate_leader_with && !others.empty(); k++) {
            const size_t pick = s_.select_rng.below(others.size());
            group[static_cast<size_t>(others[pick])] = 0;
            others.erase(others.begin() + static_cast<std::ptrdiff_t>(pick));
        }
        for (raft::NodeId i : others)
            group[static_cast<size_t>(i)] = 1;
    } else {
        for (size_t g = 0; g < a.groups.size(); g++) {
            for (raft::NodeId i : a.groups[g]) {
                if (i >= 0 && i < n_) group[static_cast<size_t>(i)] = static_cast<int>(g);
            }
        }
    }
    // Nodes named in no group form one more group together.
    const int rest = static_cast<int>(a.groups.size()) + 2;
    for (int i = 0; i < n_; i++) {
        if (group[static_cast<size_t>(i)] < 0) group[static_cast<size_t>(i)] = rest;
    }
    s_.net.partition(group);
}

void World::apply_message_action(const Action& a) {
    const InFlight* f = s_.net.wire().find(a.msg_id);
    if (f == nullptr) return;  // delivered or dropped already: nothing to act on
    switch (a.kind) {
        case ActionKind::kDropMsg:
            // A scheduled message fails visibly when it arrives.
            if (s_.net.user_drop(a.msg_id) == Network::UserDrop::kDropNow)
                drop_message(a.msg_id, kDropUser);
            return;
        case ActionKind::kDelayMsg:
            if (s_.net.user_delay(a.msg_id, a.delay_us)) {
                push_event(f->deliver_us, EventKind::kDeliver, f->to_client ? -1 : f->msg.to, 0,
                           a.msg_id);
            }
            return;
        case ActionKind::kDupMsg: {
            raft::Message copy = f->msg;
            send(std::move(copy), f->from_client, f->to_client);
            return;
        }
        default:
            ASSERT_UNREACHABLE("not a message action");
    }
}

}  // namespace sim
