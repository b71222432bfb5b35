// sim/world.cpp — the event loop, the network, nodes and disks (see
// world.h). Clients and actions are in world_clients.cpp.
//
// Index
//   construction
//   the event loop
//   network
//   nodes: ready handling, timers, fsync
//   processes: crash, restart, pause, resume
#include "sim/world.h"

#include <algorithm>

#include "sim/distributions.h"

namespace sim {

namespace {

constexpr uint64_t kStreamNet = 1, kStreamWorkload = 2, kStreamFaults = 3, kStreamSelect = 4;
constexpr uint64_t kStreamJitter = 5, kStreamClock = 6;
constexpr uint64_t kStreamDiskBase = 100, kStreamNodeBase = 1000;
constexpr int64_t kWireClogged = -1, kWireHeld = -2;
constexpr int64_t kLogMatchingEvery = 8192;

uint64_t node_seed(uint64_t seed, int id, int incarnation) {
    return base::mix64(seed, kStreamNodeBase + static_cast<uint64_t>(id) * 1000 +
                                 static_cast<uint64_t>(incarnation));
}

}  // namespace

// ===========================================================================
// construction
// ===========================================================================

World::World(std::shared_ptr<const Scenario> scenario, uint64_t seed, std::vector<Action> inputs)
    : scenario_(std::move(scenario)), seed_(seed), n_(scenario_->cluster.node_count) {
    actions_ = scenario_->timeline;
    apply_jitter();
    std::stable_sort(actions_.begin(), actions_.end(),
                     [](const Action& a, const Action& b) { return a.at_us < b.at_us; });
    setup();
    for (Action& a : inputs)
        add_input(std::move(a));
}

// Jittered steps get their time from a stream of their own, so adding
// jitter to one step shifts no other random choice. One draw per step, or
// per jitter group (in order of first appearance).
void World::apply_jitter() {
    base::Rng rng = base::Rng::stream(seed_, kStreamJitter);
    std::vector<std::pair<std::string, int64_t>> groups;
    for (Action& a : actions_) {
        const int64_t j = a.jitter_heartbeat ? scenario_->cluster.heartbeat_us : a.jitter_us;
        if (j <= 0) continue;
        auto g = std::find_if(groups.begin(), groups.end(),
                              [&](const auto& x) { return x.first == a.jitter_group; });
        int64_t offset = 0;
        if (a.jitter_group.empty() || g == groups.end()) {
            offset = rng.range(0, j - 1);
            if (!a.jitter_group.empty()) groups.emplace_back(a.jitter_group, offset);
        } else {
            offset = std::min(g->second, j - 1);
        }
        a.at_us = std::min(a.at_us + offset, scenario_->duration_us);
    }
}

void World::setup() {
    s_.net = scenario_->network;
    s_.cut.assign(static_cast<size_t>(n_ * n_), 0);
    s_.clog.assign(static_cast<size_t>(n_ * n_), 0);
    s_.net_rng = base::Rng::stream(seed_, kStreamNet);
    s_.workload_rng = base::Rng::stream(seed_, kStreamWorkload);
    s_.fault_rng = base::Rng::stream(seed_, kStreamFaults);
    s_.select_rng = base::Rng::stream(seed_, kStreamSelect);
    s_.clock_rng = base::Rng::stream(seed_, kStreamClock);
    s_.nodes.resize(static_cast<size_t>(n_));
    for (int i = 0; i < n_; i++) {
        s_.disk_rng.push_back(base::Rng::stream(seed_, kStreamDiskBase + static_cast<uint64_t>(i)));
    }
    apply_preset();
    for (int i = 0; i < n_; i++) {
        NodeSlot& slot = s_.nodes[static_cast<size_t>(i)];
        build_node(i, true);
        if (slot.alive) {
            slot.node.start();
            after_node_input(i);
        }
    }
    start_workload();
}

void World::apply_preset() {
    for (const PresetNode& p : scenario_->preset) {
        if (p.id < 0 || p.id >= n_) continue;
        NodeSlot& slot = s_.nodes[static_cast<size_t>(p.id)];
        slot.disk.durable.hard_state = raft::HardState{p.current_term, p.voted_for};
        raft::Index index = 0;
        for (const PresetEntry& pe : p.log) {
            raft::Entry e;
            e.term = pe.term;
            e.index = ++index;
            e.type = pe.type;
            if (pe.type == raft::EntryType::kCommand) {
                // Synthesised so the same (index, term) is the same command on
                // every node, as the paper's figures assume.
                e.cmd.op = raft::OpType::kPut;
                e.cmd.key = "x";
                e.cmd.value = "t" + std::to_string(pe.term) + "i" + std::to_string(index);
            }
            e.seal();
            slot.disk.durable.write_entry(e);
        }
        slot.alive = p.alive;
    }
}

// ===========================================================================
// the event loop
// ===========================================================================

void World::push_event(int64_t t_us, EventKind kind, int32_t node, uint64_t gen, int64_t msg_id) {
    Event e;
    e.t_us = t_us;
    e.seq = s_.next_seq++;
    e.kind = kind;
    e.node = node;
    e.arg = kind == EventKind::kDeliver ? msg_id : static_cast<int64_t>(gen);
    s_.queue.push(e);
}

int64_t World::next_time() const {
    int64_t t = INT64_MAX;
    if (!s_.queue.empty()) t = s_.queue.top_time();
    if (s_.next_action < actions_.size()) t = std::min(t, actions_[s_.next_action].at_us);
    return t;
}

bool World::step(int64_t limit_us) {
    if (s_.halted) return false;
    // Stale timers are skipped silently; bound the skipping anyway.
    for (int guard = 0; guard < 1'000'000; guard++) {
        const int64_t te = s_.queue.empty() ? INT64_MAX : s_.queue.top_time();
        const int64_t ta =
            s_.next_action < actions_.size() ? actions_[s_.next_action].at_us : INT64_MAX;
        // An action stamped t applies after every event at times <= t.
        if (ta < te && ta <= limit_us) {
            s_.now_us = std::max(s_.now_us, ta);
            const Action a = actions_[s_.next_action++];
            apply_action(a);
            s_.events++;
            return true;
        }
        if (te > limit_us || te == INT64_MAX) return false;
        const Event e = s_.queue.pop();
        s_.now_us = e.t_us;
        const size_t before = s_.trace_size;
        dispatch(e);
        if (s_.trace_size != before) {
            s_.events++;
            if (s_.events % kLogMatchingEvery == 0 && !(disabled_checks & kCheckLogMatching)) {
                std::vector<Violation> v;
                check_log_matching(s_.nodes, &v);
                for (Violation& x : v)
                    add_violation(std::move(x));
            }
            return true;
        }
    }
    return false;
}

void World::run_until(int64_t t_us, int64_t max_events) {
    for (int64_t i = 0; i < max_events; i++) {
        if (!step(t_us)) break;
    }
    advance_clock(t_us);
}

void World::add_input(Action a) {
    if (a.at_us < s_.now_us) a.at_us = s_.now_us;
    inputs_.push_back(a);
    // After every action already applied and every action stamped <= at_us.
    size_t pos = s_.next_action;
    while (pos < actions_.size() && actions_[pos].at_us <= a.at_us)
        pos++;
    actions_.insert(actions_.begin() + static_cast<std::ptrdiff_t>(pos), std::move(a));
}

void World::dispatch(const Event& e) {
    switch (e.kind) {
        case EventKind::kDeliver:
            deliver(e.arg, e.t_us);
            break;
        case EventKind::kElectionTimer:
        case EventKind::kHeartbeatTimer:
            timer_fired(e);
            break;
        case EventKind::kLeaseTimer:
            lease_fired(e);
            break;
        case EventKind::kFsyncDone: {
            NodeSlot& slot = s_.nodes[static_cast<size_t>(e.node)];
            if (static_cast<uint64_t>(e.arg) != slot.disk.epoch || !slot.alive) break;
            if (slot.paused) {
                slot.fsync_done_while_paused = true;
                break;
            }
            fsync_done(e.node);
            break;
        }
        case EventKind::kClientNext:
            client_next(e.node);
            break;
        case EventKind::kClientRetry:
            client_retry(e.node);
            break;
        case EventKind::kClientDeadline:
            client_deadline(e.node);
            break;
    }
}

void World::add_violation(Violation v) {
    v.t_us = s_.now_us;
    v.event = s_.events;
    TraceRecord r;
    r.kind = TraceKind::kViolation;
    record(r);
    log_put(violations_, s_.violations_size, std::move(v));
    s_.halted = true;
}

void World::restore(WorldState st) {
    // Outcomes cleared at the last restore come back first: this state may be
    // past them.
    for (auto& [i, op] : cleared_ops_)
        history_[i] = std::move(op);
    cleared_ops_.clear();
    s_ = std::move(st);
    // Operations still running at this state complete again on re-run.
    for (const Client& c : s_.clients) {
        if (!c.busy || c.op < 0) continue;
        HistoryOp& op = history_[static_cast<size_t>(c.op)];
        cleared_ops_.emplace_back(static_cast<size_t>(c.op), op);
        op.complete_us = -1;
        op.status = OpStatus::kPending;
        op.found = op.cas_ok = false;
        op.output.clear();
        op.node = c.target;
    }
}

void World::truncate_logs() {
    trace_.resize(std::min(trace_.size(), s_.trace_size));
    history_.resize(s_.history_size);
    leaders_.resize(s_.leaders_size);
    violations_.resize(s_.violations_size);
    applied_.resize(s_.applied_size);
    commit_terms_.resize(s_.commit_terms_size);
    cleared_ops_.clear();
}

raft::NodeId World::leader() const {
    raft::NodeId best = raft::kNone;
    raft::Term best_term = -1;
    for (int i = 0; i < n_; i++) {
        const NodeSlot& slot = s_.nodes[static_cast<size_t>(i)];
        if (slot.alive && slot.node.role() == raft::Role::kLeader &&
            slot.node.current_term() > best_term) {
            best = i;
            best_term = slot.node.current_term();
        }
    }
    return best;
}

// ===========================================================================
// network
// ===========================================================================

bool World::link_cut(int from, int to) const {
    return s_.cut[static_cast<size_t>(from * n_ + to)] != 0;
}
bool World::cut_drops(const raft::Message& m) const {
    const uint8_t c = s_.cut[static_cast<size_t>(m.from * n_ + m.to)];
    if (c == kCutEntries) return !m.entries.empty() || m.type == raft::MsgType::kSnapshot;
    return c != 0;
}
bool World::link_clogged(int from, int to) const {
    return s_.clog[static_cast<size_t>(from * n_ + to)] != 0;
}

void World::send(raft::Message&& m, bool from_client, bool to_client) {
    const bool internal = !from_client && !to_client;
    const NetworkModel& net = s_.net;
    const int copies = internal && s_.net_rng.chance(net.duplicate_ppm, kPpm) ? 2 : 1;
    for (int c = 0; c < copies; c++) {
        const int64_t id = s_.next_msg_id++;
        // Built in place: a Message is large, every move costs.
        InFlight& f = s_.wire.add(id);
        f.sent_us = s_.now_us;
        f.from_client = from_client;
        f.to_client = to_client;
        f.deliver_us = s_.now_us + draw_latency(s_.net_rng, net.latency_us_min, net.latency_us_max,
                                                net.tail_ppm, net.tail_us_max);
        f.lost = internal && s_.net_rng.chance(net.loss_ppm, kPpm);
        TraceRecord r;
        r.kind = TraceKind::kSend;
        r.msg_type = static_cast<uint8_t>(m.type);
        r.node = from_client ? kClientBase + m.cmd.client_id : m.from;
        r.peer = to_client ? kClientBase + m.to : m.to;
        r.term = m.term;
        r.index = raft::message_log_index(m);
        r.aux = id;
        record(r);
        s_.counts.sent++;
        s_.counts.by_type[static_cast<int>(m.type)]++;
        if (internal && link_clogged(m.from, m.to)) {
            f.deliver_us = kWireClogged;
            s_.clogged.push_back(id);
        } else {
            push_event(f.deliver_us, EventKind::kDeliver, f.to_client ? -1 : m.to, 0, id);
        }
        if (c + 1 == copies) {
            f.msg = std::move(m);
        } else {
            f.msg = m;
        }
    }
}

void World::drop_message(int64_t msg_id, int64_t reason) {
    const InFlight* f = s_.wire.find(msg_id);
    if (f == nullptr) return;
    TraceRecord r;
    r.kind = TraceKind::kDrop;
    r.msg_type = static_cast<uint8_t>(f->msg.type);
    r.node = f->from_client ? kClientBase + f->msg.cmd.client_id : f->msg.from;
    r.peer = f->to_client ? kClientBase + f->msg.to : f->msg.to;
    r.term = f->msg.term;
    r.aux = reason;
    record(r);
    s_.counts.dropped++;
    s_.wire.erase(msg_id);
}

void World::deliver(int64_t msg_id, int64_t event_t_us) {
    InFlight* found = s_.wire.find(msg_id);
    // Removed by the user, or re-timed (delay): this event is stale.
    if (found == nullptr || found->deliver_us != event_t_us) return;
    InFlight& f = *found;
    if (f.to_client) {
        raft::Message m = std::move(f.msg);
        s_.wire.erase(msg_id);
        TraceRecord r;
        r.kind = TraceKind::kDeliver;
        r.msg_type = static_cast<uint8_t>(m.type);
        r.node = m.from;
        r.peer = kClientBase + m.to;
        r.aux = msg_id;
        record(r);
        s_.counts.delivered++;
        client_response(m);
        return;
    }
    const int to = f.msg.to;
    NodeSlot& slot = s_.nodes[static_cast<size_t>(to)];
    if (f.lost) return drop_message(msg_id, kDropLoss);
    if (!f.from_client && cut_drops(f.msg)) return drop_message(msg_id, kDropPartition);
    if (!slot.alive) return drop_message(msg_id, kDropDead);
    if (slot.paused) {
        // A paused process does not read its socket: the message waits.
        f.deliver_us = kWireHeld;
        slot.held.push_back(msg_id);
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
    record(r);
    s_.counts.delivered++;
    // Stepped in place and consumed (an append's entries move into the log):
    // a node's step does not touch the wire (its messages leave through
    // Ready, below), so the message is erased after.
    slot.node.step(std::move(f.msg));
    s_.wire.erase(msg_id);
    after_node_input(to);
}

void World::release_clogged() {
    std::vector<int64_t> still;
    for (int64_t id : s_.clogged) {
        InFlight* found = s_.wire.find(id);
        if (found == nullptr) continue;
        InFlight& f = *found;
        if (link_clogged(f.msg.from, f.msg.to)) {
            still.push_back(id);
            continue;
        }
        f.deliver_us =
            s_.now_us + draw_latency(s_.net_rng, s_.net.latency_us_min, s_.net.latency_us_max,
                                     s_.net.tail_ppm, s_.net.tail_us_max);
        push_event(f.deliver_us, EventKind::kDeliver, f.msg.to, 0, id);
    }
    s_.clogged.swap(still);
}

// ===========================================================================
// nodes: ready handling, timers, fsync
// ===========================================================================

void World::after_node_input(int id) {
    NodeSlot& slot = s_.nodes[static_cast<size_t>(id)];
    raft::Ready& rd = ready_;
    slot.node.take_ready(&rd);
    const raft::Node& n = slot.node;
    std::vector<Violation> v;
    if (n.current_term() != slot.last_term) {
        record(TraceRecord{0, TraceKind::kTerm, 0, id, -1, n.current_term(), 0, 0});
    }
    if (n.voted_for() != slot.last_vote) {
        slot.last_vote = n.voted_for();
        record(TraceRecord{0, TraceKind::kVote, 0, id, n.voted_for(), n.current_term(), 0, 0});
    }
    if (n.role() != slot.last_role) {
        slot.last_role = n.role();
        record(TraceRecord{0, TraceKind::kRole, 0, id, -1, n.current_term(), 0,
                           static_cast<int64_t>(n.role())});
        if (n.role() == raft::Role::kLeader) {
            log_put(leaders_, s_.leaders_size, LeaderRecord{n.current_term(), id, s_.now_us});
            check_new_leader(s_.checker, {applied_.data(), s_.applied_size},
                             {commit_terms_.data(), s_.commit_terms_size}, n, disabled_checks, &v);
            if (!(disabled_checks & kCheckLogMatching)) check_log_matching(s_.nodes, &v);
        }
    }
    if (n.role() == raft::Role::kLeader) {
        while (static_cast<raft::Index>(s_.commit_terms_size) < n.commit_index())
            log_put(commit_terms_, s_.commit_terms_size, n.current_term());
    }
    if (n.commit_index() > slot.last_commit) {
        record(
            TraceRecord{0, TraceKind::kCommit, 0, id, -1, n.current_term(), n.commit_index(), 0});
    }
    check_monotonic(slot, &v);
    handle_ready(id, rd);
    if (!(disabled_checks & kCheckStateMachine)) {
        check_applied(applied_, &s_.applied_size, slot.node, rd.applied, &v);
    }
    for (Violation& x : v)
        add_violation(std::move(x));
}

// A done batch's vectors keep their capacity for later Readies.
void World::recycle(WriteBatch* b) {
    constexpr size_t kSpares = 8;
    if (b->entries.capacity() > 0 && spare_entries_.size() < kSpares) {
        b->entries.clear();
        spare_entries_.push_back(std::move(b->entries));
    }
    if (b->after_persist.capacity() > 0 && spare_msgs_.size() < kSpares) {
        b->after_persist.clear();
        spare_msgs_.push_back(std::move(b->after_persist));
    }
}

// rd's entry and message vectors went to the disk: empty ones with capacity
// take their place, so the node does not allocate for its next writes.
void World::reuse_spares(raft::Ready* rd) {
    if (rd->entries.capacity() == 0 && !spare_entries_.empty()) {
        rd->entries.swap(spare_entries_.back());
        spare_entries_.pop_back();
    }
    if (rd->msgs_after_persist.capacity() == 0 && !spare_msgs_.empty()) {
        rd->msgs_after_persist.swap(spare_msgs_.back());
        spare_msgs_.pop_back();
    }
}

void World::handle_ready(int id, raft::Ready& rd) {
    NodeSlot& slot = s_.nodes[static_cast<size_t>(id)];
    for (const raft::Applied& a : rd.applied) {
        record(TraceRecord{0, TraceKind::kApply, 0, id, -1, a.term, a.index,
                           static_cast<int64_t>(a.type)});
    }
    if (rd.snapshot) {
        record(TraceRecord{0, TraceKind::kSnapshot, 0, id, -1, rd.snapshot->last_included_term,
                           rd.snapshot->last_included_index, 0});
    }
    for (raft::Message& m : rd.msgs)
        send_from_node(id, std::move(m));
    if (rd.needs_persist()) {
        WriteBatch b;
        b.has_hard_state = rd.has_hard_state;
        b.hard_state = rd.hard_state;
        b.snapshot = rd.snapshot;
        b.entries.swap(rd.entries);
        b.after_persist.swap(rd.msgs_after_persist);
        reuse_spares(&rd);
        record(TraceRecord{0, TraceKind::kPersist, 0, id, -1, rd.hard_state.current_term,
                           b.entries.empty() ? 0 : b.entries.back().index,
                           static_cast<int64_t>(b.entries.size())});
        slot.disk.pending.push_back(std::move(b));
        if (!slot.disk.fsync_in_flight()) start_fsync(id);
    } else if (!slot.disk.pending.empty()) {
        // Nothing new to write, but earlier writes are not durable yet: these
        // messages may depend on them.
        auto& wait = slot.disk.pending.back().after_persist;
        for (raft::Message& m : rd.msgs_after_persist)
            wait.push_back(std::move(m));
    } else {
        for (raft::Message& m : rd.msgs_after_persist)
            send_from_node(id, std::move(m));
    }
    arm_timers(id, rd);
}

void World::send_from_node(int id, raft::Message&& m) {
    NodeSlot& slot = s_.nodes[static_cast<size_t>(id)];
    // Durability bookkeeping: what this node has now promised to others.
    if (m.type == raft::MsgType::kVoteResp && !m.reject) {
        slot.acked_vote_term = m.term;
        slot.acked_vote_for = m.to;
    } else if ((m.type == raft::MsgType::kAppendResp || m.type == raft::MsgType::kSnapshotResp) &&
               !m.reject && m.match_index > 0 && m.match_term > 0) {
        slot.acked_index = m.match_index;
        slot.acked_index_term = m.match_term;
    }
    const bool to_client = m.type == raft::MsgType::kClientResp;
    send(std::move(m), false, to_client);
}

void World::arm_timers(int id, const raft::Ready& rd) {
    NodeSlot& slot = s_.nodes[static_cast<size_t>(id)];
    if (rd.election_timer_us >= 0)
        arm_lazy(id, EventKind::kElectionTimer, &slot.election, rd.election_timer_us);
    if (rd.lease_timer_us >= 0)
        arm_lazy(id, EventKind::kLeaseTimer, &slot.lease, rd.lease_timer_us);
    if (rd.heartbeat_timer_us >= 0) {
        slot.heartbeat_gen++;
        slot.heartbeat_due_us = s_.now_us + rd.heartbeat_timer_us;
        push_event(slot.heartbeat_due_us, EventKind::kHeartbeatTimer, id, slot.heartbeat_gen, 0);
    }
}

void World::arm_lazy(int id, EventKind kind, LazyTimer* t, int64_t after_us) {
    t->set_us = s_.now_us;
    // The clock model: a timer fires late by up to timer_late_us_max (no
    // draw at all when it is 0, so other scenarios' runs are unchanged).
    const int64_t late = scenario_->clock.timer_late_us_max;
    if (late > 0) after_us += s_.clock_rng.range(0, late);
    t->due_us = s_.now_us + after_us;
    if (t->event_us < 0 || t->event_us > t->due_us) {
        t->gen++;
        t->event_us = t->due_us;
        push_event(t->due_us, kind, id, t->gen, 0);
    }
}

// Whether the lazy timer's event e fires now: false when it was cancelled,
// disarmed, or re-armed since (then its event moves to the new deadline).
bool World::lazy_due(const Event& e, LazyTimer* t) {
    if (static_cast<uint64_t>(e.arg) != t->gen) return false;  // cancelled
    t->event_us = -1;
    if (t->due_us > s_.now_us) {  // re-armed since: wait on
        t->event_us = t->due_us;
        push_event(t->due_us, e.kind, e.node, t->gen, 0);
        return false;
    }
    if (t->due_us < 0) return false;
    t->due_us = -1;
    return true;
}

// The lease ran out: from now on the node grants (pre-)votes again.
void World::lease_fired(const Event& e) {
    NodeSlot& slot = s_.nodes[static_cast<size_t>(e.node)];
    if (!slot.alive || slot.paused || !lazy_due(e, &slot.lease)) return;
    record(TraceRecord{0, TraceKind::kTimeout, 0, e.node, -1, slot.node.current_term(), 0, 2});
    slot.node.on_lease_timeout();
}

void World::timer_fired(const Event& e) {
    NodeSlot& slot = s_.nodes[static_cast<size_t>(e.node)];
    const bool election = e.kind == EventKind::kElectionTimer;
    if (!slot.alive || slot.paused) return;
    if (election ? !lazy_due(e, &slot.election)
                 : static_cast<uint64_t>(e.arg) != slot.heartbeat_gen)
        return;
    if (!election && slot.node.role() != raft::Role::kLeader) return;
    record(TraceRecord{0, TraceKind::kTimeout, 0, e.node, -1, slot.node.current_term(), 0,
                       election ? 0 : 1});
    if (election) {
        slot.node.on_election_timeout();
    } else {
        slot.heartbeat_due_us = -1;
        slot.node.on_heartbeat_timeout();
    }
    after_node_input(e.node);
}

void World::start_fsync(int id) {
    NodeSlot& slot = s_.nodes[static_cast<size_t>(id)];
    Disk& d = slot.disk;
    d.fsync_covering = static_cast<int32_t>(d.pending.size());
    d.fsync_started_us = s_.now_us;
    d.fsync_done_us = s_.now_us + s_.disk_rng[static_cast<size_t>(id)].range(
                                      scenario_->disk.fsync_us_min, scenario_->disk.fsync_us_max);
    push_event(d.fsync_done_us, EventKind::kFsyncDone, id, d.epoch, 0);
}

void World::fsync_done(int id) {
    NodeSlot& slot = s_.nodes[static_cast<size_t>(id)];
    std::vector<WriteBatch> done;
    done.swap(fsynced_);
    slot.disk.complete_fsync(&done);
    raft::Index last_index = 0, snap_index = 0;
    raft::Term last_term = 0;
    bool has_hard_state = false;
    raft::HardState hard_state;
    for (const WriteBatch& b : done) {
        if (b.has_hard_state) {
            has_hard_state = true;
            hard_state = b.hard_state;
        }
        if (!b.entries.empty()) {
            last_index = b.entries.back().index;
            last_term = b.entries.back().term;
        }
        if (b.snapshot) snap_index = b.snapshot->last_included_index;
    }
    record(TraceRecord{0, TraceKind::kFsync, 0, id, -1, last_term, last_index,
                       static_cast<int64_t>(done.size())});
    if (!slot.disk.pending.empty()) start_fsync(id);
    for (WriteBatch& b : done) {
        for (raft::Message& m : b.after_persist)
            send_from_node(id, std::move(m));
        recycle(&b);
    }
    done.clear();
    fsynced_.swap(done);
    if (has_hard_state) slot.node.on_hard_state_persisted(hard_state);
    if (snap_index > 0) slot.node.on_snapshot_persisted(snap_index);
    if (last_index > 0) slot.node.on_persisted(last_index, last_term);
    after_node_input(id);
}

// ===========================================================================
// processes: crash, restart, pause, resume
// ===========================================================================

void World::build_node(int id, bool from_disk) {
    NodeSlot& slot = s_.nodes[static_cast<size_t>(id)];
    Recovery rec = recover(&slot.disk.durable);
    if (rec.truncated_at > 0) {
        record(TraceRecord{0, TraceKind::kCorruption, 0, id, -1, 0, rec.truncated_at, 0});
    }
    slot.node = raft::Node(id, scenario_->cluster, node_seed(seed_, id, slot.incarnation));
    slot.node.restore(rec.hard_state, rec.snapshot, rec.entries);
    // Term and vote are durable; commit index and role are volatile (§5.1).
    slot.last_term = slot.node.current_term();
    slot.last_commit = slot.node.commit_index();
    slot.last_role = slot.node.role();
    slot.last_vote = slot.node.voted_for();
    (void)from_disk;
}

void World::crash(int id) {
    NodeSlot& slot = s_.nodes[static_cast<size_t>(id)];
    if (!slot.alive) return;
    std::vector<Violation> v;
    if (!(disabled_checks & kCheckDurability)) check_durability(slot, &v);
    record(TraceRecord{0, TraceKind::kCrash, 0, id, -1, slot.node.current_term(), 0, 0});
    land_torn_write(id);
    slot.disk.pending.clear();
    slot.disk.fsync_covering = 0;
    slot.disk.epoch++;
    slot.alive = false;
    slot.paused = false;
    slot.fsync_done_while_paused = false;
    for (int64_t mid : slot.held)
        drop_message(mid, kDropDead);
    slot.held.clear();
    slot.election = LazyTimer{slot.election.gen + 1};
    slot.lease = LazyTimer{slot.lease.gen + 1};
    slot.heartbeat_gen++;
    slot.heartbeat_due_us = -1;
    for (Violation& x : v)
        add_violation(std::move(x));
}

// Crash faults: the first unsynced append may land torn or corrupted. The
// checksum written with it is that of the intended entry, so recovery sees
// the damage.
void World::land_torn_write(int id) {
    NodeSlot& slot = s_.nodes[static_cast<size_t>(id)];
    const DiskModel& dm = scenario_->disk;
    const bool torn = s_.fault_rng.chance(dm.torn_write_ppm, kPpm);
    const bool corrupt = !torn && s_.fault_rng.chance(dm.corrupt_ppm, kPpm);
    if (!torn && !corrupt) return;
    DurableState& d = slot.disk.durable;
    for (const WriteBatch& b : slot.disk.pending) {
        if (b.entries.empty()) continue;
        const raft::Entry& e = b.entries.front();
        if (e.index != d.snapshot_index() + 1 + static_cast<raft::Index>(d.log.size())) return;
        StoredEntry s{e, e.hash};
        if (torn) {
            const std::string& v = s.entry.cmd.value;
            s.entry.cmd.value = v.substr(0, v.size() / 2);
            s.entry.term = 0;
        } else {
            s.entry.cmd.key += '\x7f';
        }
        s.entry.seal();  // the damaged content's own hash; the checksum keeps the intended one
        d.log.push_back(std::move(s));
        return;
    }
}

void World::restart(int id) {
    NodeSlot& slot = s_.nodes[static_cast<size_t>(id)];
    if (slot.alive) return;
    slot.incarnation++;
    // A new process starts with an empty write queue (crash() emptied it).
    slot.disk.pending.clear();
    slot.disk.fsync_covering = 0;
    slot.disk.epoch++;
    build_node(id, true);
    slot.alive = true;
    record(TraceRecord{0, TraceKind::kRestart, 0, id, -1, slot.node.current_term(),
                       slot.node.log().last_index(), 0});
    slot.node.start();
    after_node_input(id);
}

void World::pause(int id) {
    NodeSlot& slot = s_.nodes[static_cast<size_t>(id)];
    if (!slot.alive || slot.paused) return;
    slot.paused = true;
    for (LazyTimer* t : {&slot.election, &slot.lease}) {
        t->paused_left_us = t->due_us >= 0 ? t->due_us - s_.now_us : -1;
        t->gen++;
        t->event_us = -1;
    }
    slot.paused_heartbeat_left_us =
        slot.heartbeat_due_us >= 0 ? slot.heartbeat_due_us - s_.now_us : -1;
    slot.heartbeat_gen++;
    record(TraceRecord{0, TraceKind::kPause, 0, id, -1, slot.node.current_term(), 0, 0});
}

void World::resume(int id) {
    NodeSlot& slot = s_.nodes[static_cast<size_t>(id)];
    if (!slot.alive || !slot.paused) return;
    slot.paused = false;
    record(TraceRecord{0, TraceKind::kResume, 0, id, -1, slot.node.current_term(), 0, 0});
    raft::Ready timers;
    timers.election_timer_us = slot.election.paused_left_us;
    timers.lease_timer_us = slot.lease.paused_left_us;
    timers.heartbeat_timer_us = slot.paused_heartbeat_left_us;
    if (timers.election_timer_us < 0) slot.election.due_us = -1;
    if (timers.lease_timer_us < 0) slot.lease.due_us = -1;
    if (timers.heartbeat_timer_us < 0) slot.heartbeat_due_us = -1;
    arm_timers(id, timers);
    if (slot.fsync_done_while_paused) {
        slot.fsync_done_while_paused = false;
        push_event(s_.now_us, EventKind::kFsyncDone, id, slot.disk.epoch, 0);
    }
    // What queued up while paused is read now, in arrival order.
    for (int64_t mid : slot.held) {
        InFlight* f = s_.wire.find(mid);
        if (f == nullptr) continue;
        f->deliver_us = s_.now_us;
        push_event(s_.now_us, EventKind::kDeliver, id, 0, mid);
    }
    slot.held.clear();
}

}  // namespace sim
