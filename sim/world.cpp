// sim/world.cpp — the event loop, the nodes' inputs and outputs, and the
// process lifecycle (see world.h). The network's scheduling and tracing is
// in world_network.cpp, clients and actions in world_clients.cpp; the
// network's and the disks' own rules are in network.cpp and disk.cpp.
//
// Index
//   construction
//   the event loop
//   what a failed ASSERT prints
//   nodes: ready handling, timers, fsync
//   processes: crash, restart, pause, resume
#include "sim/world.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "sim/distributions.h"
#include "sim/limits.h"

namespace sim {

namespace {

constexpr uint64_t kStreamNet = 1, kStreamWorkload = 2, kStreamFaults = 3, kStreamSelect = 4;
constexpr uint64_t kStreamJitter = 5, kStreamClock = 6;
constexpr uint64_t kStreamDiskBase = 100, kStreamNodeBase = 1000;
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
    split_trigger_steps();
    apply_jitter();
    std::stable_sort(actions_.begin(), actions_.end(),
                     [](const Action& a, const Action& b) { return a.at_us < b.at_us; });
    setup();
    for (Action& a : inputs)
        add_input(std::move(a));
    // One slot per node, and the script in time order (step_inner applies
    // the next action when its time comes).
    ASSERT_CMP(s_.nodes.size(), ==, static_cast<size_t>(n_));
    ASSERT(std::is_sorted(actions_.begin(), actions_.end(),
                          [](const Action& a, const Action& b) { return a.at_us < b.at_us; }));
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
        ASSERT(offset >= 0 && offset < j);
        a.at_us = std::min(a.at_us + offset, scenario_->duration_us);
    }
}

void World::setup() {
    ASSERT_CMP(n_, >, 0);
    const RunScope scope(*this);
    s_.net = Network(n_, scenario_->network, base::Rng::stream(seed_, kStreamNet));
    s_.checker = Checker::initial_state(n_);
    s_.workload_rng = base::Rng::stream(seed_, kStreamWorkload);
    s_.fault_rng = base::Rng::stream(seed_, kStreamFaults);
    s_.select_rng = base::Rng::stream(seed_, kStreamSelect);
    s_.clock_rng = base::Rng::stream(seed_, kStreamClock);
    s_.nodes.resize(static_cast<size_t>(n_));
    for (int i = 0; i < n_; i++) {
        slot(i).disk.rng = base::Rng::stream(seed_, kStreamDiskBase + static_cast<uint64_t>(i));
        const std::vector<int64_t>& drift = scenario_->clock.drift_ppm;
        if (static_cast<size_t>(i) < drift.size())
            slot(i).drift_ppm = drift[static_cast<size_t>(i)];
    }
    apply_preset();
    const int voters = scenario_->cluster.initial_voters;
    for (int i = voters > 0 ? voters : n_; i < n_; i++) {
        slot(i).spare = true;  // down until an add_node boots it
        slot(i).alive = false;
    }
    for (int i = 0; i < n_; i++) {
        build_node(i);
        if (slot(i).alive) {
            slot(i).node.start();
            after_node_input(i);
        }
    }
    start_workload();
}

void World::apply_preset() {
    for (const PresetNode& p : scenario_->preset) {
        if (p.id < 0 || p.id >= n_) continue;  // the scenario check reports it
        NodeSlot& ns = slot(p.id);
        ns.disk.durable.hard_state = raft::HardState{p.current_term, p.voted_for};
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
            ns.disk.durable.write_entry(e);
        }
        ns.alive = p.alive;
    }
}

// ===========================================================================
// the event loop
// ===========================================================================

void World::push_event(int64_t t_us, EventKind kind, int32_t node, uint64_t gen, int64_t msg_id) {
    ASSERT_CMP(t_us, >=, s_.now_us);  // nothing is scheduled in the past
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
    return std::min(t, next_action_time());
}

bool World::step_inner(int64_t limit_us) {
    if (s_.halted) return false;
    // Stale timers are skipped silently; bound the skipping anyway.
    for (int guard = 0; guard < 1'000'000; guard++) {
        const int64_t te = s_.queue.empty() ? INT64_MAX : s_.queue.top_time();
        const int64_t ta = next_action_time();
        // An action stamped t applies after every event at times <= t.
        if (ta < te && ta <= limit_us) {
            s_.now_us = std::max(s_.now_us, ta);
            Action a;
            const bool taken = take_next_action(&a);
            ASSERT(taken);
            apply_action(a);
            s_.events++;
            return true;
        }
        if (te > limit_us || te == INT64_MAX) return false;
        const Event e = s_.queue.pop();  // never before now: push_event asserts it
        s_.now_us = e.t_us;
        const size_t before = s_.trace_size;
        dispatch(e);
        if (s_.trace_size != before) {
            s_.events++;
            if (s_.events % kLogMatchingEvery == 0) sweep_logs();
            return true;
        }
    }
    ASSERT_UNREACHABLE("a million stale events in a row: a timer re-arms itself forever");
}

void World::run_until(int64_t t_us, int64_t max_events) {
    ASSERT_CMP(max_events, >=, 0);
    const RunScope scope(*this);
    for (int64_t i = 0; i < max_events; i++) {
        if (!step_inner(t_us)) break;
    }
    advance_clock(t_us);
}

void World::add_input(Action a) {
    ASSERT_CMP(s_.next_action, <=, actions_.size());
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
            return;
        case EventKind::kElectionTimer:
        case EventKind::kHeartbeatTimer:
            timer_fired(e);
            return;
        case EventKind::kLeaseTimer:
            lease_fired(e);
            return;
        case EventKind::kFsyncDone:
            fsync_event(e);
            return;
        case EventKind::kClientNext:
            client_next(e.node);
            return;
        case EventKind::kClientRetry:
            client_retry(e.node);
            return;
        case EventKind::kClientDeadline:
            client_deadline(e.node);
            return;
    }
    ASSERT_UNREACHABLE("an event of no known kind");
}

void World::record_violations() {
    std::vector<Violation>& found = checker_.pending();
    for (Violation& v : found) {
        ASSERT(!v.check.empty() && !v.description.empty());
        v.t_us = s_.now_us;
        v.event = s_.events;
        TraceRecord r;
        r.kind = TraceKind::kViolation;
        record(r);
        checker_.log_violation(s_.checker, std::move(v));
        s_.halted = true;
    }
    found.clear();
}

// Log matching over every node's log (at elections and every few thousand
// events: it compares whole logs).
void World::sweep_logs() {
    std::vector<const raft::RaftLog*> logs;
    logs.reserve(s_.nodes.size());
    for (const NodeSlot& ns : s_.nodes)
        logs.push_back(&ns.node.log());
    ASSERT_CMP(logs.size(), ==, static_cast<size_t>(n_));
    checker_.sweep(logs);
    take_violations();
}

void World::restore(WorldState st) {
    ASSERT_CMP(st.nodes.size(), ==, static_cast<size_t>(n_));
    ASSERT_CMP(st.history_size, <=, history_.size());
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
    ASSERT_CMP(s_.history_size, <=, history_.size());
    ASSERT_CMP(s_.leaders_size, <=, leaders_.size());
    trace_.resize(std::min(trace_.size(), s_.trace_size));
    history_.resize(s_.history_size);
    leaders_.resize(s_.leaders_size);
    checker_.truncate(s_.checker);
    cleared_ops_.clear();
}

raft::NodeId World::leader() const {
    raft::NodeId best = raft::kNone;
    raft::Term best_term = -1;
    for (int i = 0; i < n_; i++) {
        const NodeSlot& ns = s_.nodes[static_cast<size_t>(i)];
        if (ns.alive && ns.node.role() == raft::Role::kLeader &&
            ns.node.current_term() > best_term) {
            best = i;
            best_term = ns.node.current_term();
        }
    }
    return best;
}

// ===========================================================================
// what a failed ASSERT prints
// ===========================================================================

namespace {

void describe_run(const void* arg) {
    const World& w = *static_cast<const World*>(arg);
    std::fprintf(stderr,
                 "  simulation: scenario '%s', seed %" PRIu64 ", at t=%" PRId64
                 " us, event %" PRId64 "\n  reproduce: %s\n",
                 w.scenario().name.c_str(), w.seed(), w.now_us(), w.events(),
                 w.reproduce_command().c_str());
}

}  // namespace

World::RunScope::RunScope(const World& w) : w_(w), context_(describe_run, &w) {
    w_.scopes_++;
}
World::RunScope::~RunScope() {
    ASSERT_CMP(w_.scopes_, >, 0);
    w_.scopes_--;
}

std::string World::reproduce_command() const {
    if (!reproduce_command_.empty()) return reproduce_command_;
    std::string cmd = "raftplay run " + scenario_->name + " --seed " + std::to_string(seed_);
    if (!inputs_.empty()) {
        cmd += " (plus " + std::to_string(inputs_.size()) +
               " user inputs: replay the run file the page exports, raftplay replay FILE)";
    }
    return cmd;
}

// ===========================================================================
// nodes: ready handling, timers, fsync
// ===========================================================================

// A node took an input (a message, a timer, a persisted write, a user
// action): trace what changed, tell the checker, and carry out its Ready.
void World::after_node_input(int id) {
    ASSERT_MSG(checker_.pending().empty(), "violations are taken at the end of every input");
    NodeSlot& ns = slot(id);
    ASSERT(ns.alive && !ns.paused);
    raft::Ready& rd = ns.node.ready_in_place();
    trace_node_changes(id);
    checker_.on_node_state(s_.checker, ns.node);
    handle_ready(id, rd);
    checker_.on_apply(s_.checker, ns.node, rd.applied);
    ns.node.done_with_ready();
    take_violations();
}

// Term, vote, role and commit changes since the last input, in that order;
// an election also goes to the leader history and the checker.
inline void World::trace_node_changes(int id) {
    NodeSlot& ns = slot(id);
    const raft::Node& n = ns.node;
    // A leader that commits its own removal steps down in the same input
    // (§4.2.2): its last commit is still a leader's.
    const bool led = ns.seen_role == raft::Role::kLeader || n.role() == raft::Role::kLeader;
    if (n.current_term() != ns.seen_term) {
        ns.seen_term = n.current_term();
        record(TraceRecord{0, TraceKind::kTerm, 0, id, -1, n.current_term(), 0, 0});
    }
    if (n.voted_for() != ns.seen_vote) {
        ns.seen_vote = n.voted_for();
        record(TraceRecord{0, TraceKind::kVote, 0, id, n.voted_for(), n.current_term(), 0, 0});
    }
    if (n.role() != ns.seen_role) {
        ns.seen_role = n.role();
        record(TraceRecord{0, TraceKind::kRole, 0, id, -1, n.current_term(), 0,
                           static_cast<int64_t>(n.role())});
        if (n.role() == raft::Role::kLeader) {
            log_put(leaders_, s_.leaders_size, LeaderRecord{n.current_term(), id, s_.now_us});
            std::vector<const raft::RaftLog*> logs;
            logs.reserve(s_.nodes.size());
            for (const NodeSlot& other : s_.nodes)
                logs.push_back(&other.node.log());
            checker_.on_leader(s_.checker, n, logs);
        }
    }
    if (n.commit_index() > ns.seen_commit) {
        record(
            TraceRecord{0, TraceKind::kCommit, 0, id, -1, n.current_term(), n.commit_index(), 0});
        if (led) check_leader_commit(id, ns.seen_commit);
    }
    ns.seen_commit = n.commit_index();
    if (s_.membership.transfer_to != raft::kNone) note_transfer(id);
}

// A done batch's vectors keep their capacity for later Readies.
void World::recycle(WriteBatch* b) {
    ASSERT(b != nullptr);
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
    ASSERT(rd->entries.empty() && rd->msgs_after_persist.empty());
    if (rd->entries.capacity() == 0 && !spare_entries_.empty()) {
        rd->entries.swap(spare_entries_.back());
        spare_entries_.pop_back();
    }
    if (rd->msgs_after_persist.capacity() == 0 && !spare_msgs_.empty()) {
        rd->msgs_after_persist.swap(spare_msgs_.back());
        spare_msgs_.pop_back();
    }
}

// MIT 6.5840's Start(): the (index, term) a leader appended a client's
// command at goes to the operation in the history (a leader's Ready holds
// only entries it appended itself). A retry appended again overwrites it.
void World::note_proposals(int id, const raft::Ready& rd) {
    if (rd.entries.empty() || slot(id).node.role() != raft::Role::kLeader) return;
    note_leader_entries(id, rd);
    for (const raft::Entry& e : rd.entries) {
        if (e.type != raft::EntryType::kCommand) continue;
        const auto c = static_cast<size_t>(e.cmd.client_id);
        if (c >= s_.clients.size()) continue;
        const Client& cl = s_.clients[c];
        if (!cl.busy || cl.seq != e.cmd.seq || cl.op < 0) continue;
        ASSERT_CMP(static_cast<size_t>(cl.op), <, s_.history_size);
        HistoryOp& op = history_[static_cast<size_t>(cl.op)];
        op.log_index = e.index;
        op.log_term = e.term;
    }
}

void World::handle_ready(int id, raft::Ready& rd) {
    NodeSlot& ns = slot(id);
    note_proposals(id, rd);
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
        persist(id, rd);
    } else if (!ns.disk.hold_until_durable(&rd.msgs_after_persist)) {
        // Nothing is pending: the messages depend on nothing unwritten.
        for (raft::Message& m : rd.msgs_after_persist)
            send_from_node(id, std::move(m));
    }
    arm_timers(id, rd);
}

// The Ready's writes go to the disk's queue as one batch, with the messages
// that must wait for them (persist before acknowledging).
void World::persist(int id, raft::Ready& rd) {
    ASSERT(rd.needs_persist());  // an empty batch would fsync for nothing
    // One batch replaces the disk's log from its first entry on: the entries
    // of one Ready are consecutive.
    ASSERT(rd.entries.empty() || rd.entries.back().index - rd.entries.front().index + 1 ==
                                     static_cast<raft::Index>(rd.entries.size()));
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
    if (slot(id).disk.enqueue(std::move(b))) start_fsync(id);
}

void World::send_from_node(int id, raft::Message&& m) {
    ASSERT_CMP(m.from, ==, id);
    // Durability bookkeeping: what this node has now promised to others.
    checker_.on_send(s_.checker, id, m);
    const bool to_client = m.type == raft::MsgType::kClientResp;
    send(std::move(m), false, to_client);
}

// A node's Ready asks for timers in its own clock's time.
void World::arm_timers(int id, const raft::Ready& rd) {
    // Most inputs arm nothing (a leader taking an append response): no
    // clock arithmetic for them.
    if ((rd.election_timer_us & rd.lease_timer_us & rd.heartbeat_timer_us) == -1) return;
    arm_timers_sim(id, on_node_clock(id, rd.election_timer_us),
                   on_node_clock(id, rd.lease_timer_us), on_node_clock(id, rd.heartbeat_timer_us));
}

// The clock-drift fault (ClockModel): d µs on node id's clock last this long
// in simulated time. -1 (leave the timer alone) stays -1.
int64_t World::on_node_clock(int id, int64_t d_us) {
    const int64_t ppm = slot(id).drift_ppm;
    if (ppm == 0 || d_us <= 0) return d_us;
    ASSERT_CMP(d_us, <=, kMaxSimTimeUs);  // no overflow below: both factors are bounded
    return d_us * (kPpm + ppm) / kPpm;
}

// Durations in simulated time; -1 leaves a timer alone.
void World::arm_timers_sim(int id, int64_t election_us, int64_t lease_us, int64_t heartbeat_us) {
    NodeSlot& ns = slot(id);
    if (election_us >= 0) arm_lazy(id, EventKind::kElectionTimer, &ns.election, election_us);
    if (lease_us >= 0) arm_lazy(id, EventKind::kLeaseTimer, &ns.lease, lease_us);
    if (heartbeat_us >= 0) {
        ns.heartbeat_gen++;
        ns.heartbeat_due_us = s_.now_us + heartbeat_us;
        push_event(ns.heartbeat_due_us, EventKind::kHeartbeatTimer, id, ns.heartbeat_gen, 0);
    }
}

void World::arm_lazy(int id, EventKind kind, LazyTimer* t, int64_t after_us) {
    ASSERT(kind == EventKind::kElectionTimer || kind == EventKind::kLeaseTimer);
    ASSERT_CMP(after_us, >=, 0);
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
    ASSERT_CMP(t->event_us, ==, e.t_us);                       // the one pending event is this one
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
    NodeSlot& ns = slot(e.node);
    if (!ns.alive || ns.paused || !lazy_due(e, &ns.lease)) return;
    record(TraceRecord{0, TraceKind::kTimeout, 0, e.node, -1, ns.node.current_term(), 0, 2});
    ns.node.on_lease_timeout();
}

void World::timer_fired(const Event& e) {
    NodeSlot& ns = slot(e.node);
    const bool election = e.kind == EventKind::kElectionTimer;
    ASSERT(election || e.kind == EventKind::kHeartbeatTimer);
    if (!ns.alive || ns.paused) return;  // its timers were cancelled: a stale event
    if (election ? !lazy_due(e, &ns.election) : static_cast<uint64_t>(e.arg) != ns.heartbeat_gen)
        return;
    if (!election && ns.node.role() != raft::Role::kLeader) return;
    record(TraceRecord{0, TraceKind::kTimeout, 0, e.node, -1, ns.node.current_term(), 0,
                       election ? 0 : 1});
    if (election) {
        ns.node.on_election_timeout();
    } else {
        ns.heartbeat_due_us = -1;
        ns.node.on_heartbeat_timeout();
    }
    after_node_input(e.node);
}

void World::start_fsync(int id) {
    Disk& d = slot(id).disk;
    const int64_t done_us = d.start_fsync(s_.now_us, scenario_->disk);
    push_event(done_us, EventKind::kFsyncDone, id, d.epoch, 0);
}

// An fsync completes, unless the disk's process crashed since (a new epoch);
// a paused process learns of it when it resumes.
void World::fsync_event(const Event& e) {
    ASSERT_CMP(e.kind, ==, EventKind::kFsyncDone);
    NodeSlot& ns = slot(e.node);
    if (static_cast<uint64_t>(e.arg) != ns.disk.epoch || !ns.alive) return;
    if (ns.paused) {
        ns.fsync_done_while_paused = true;
        return;
    }
    fsync_done(e.node);
}

void World::fsync_done(int id) {
    NodeSlot& ns = slot(id);
    // fsync_event and resume filter: a crashed or paused process learns of no fsync.
    ASSERT(ns.alive && !ns.paused);
    std::vector<WriteBatch> done;
    done.swap(fsynced_);
    const FsyncResult r = ns.disk.complete_fsync(&done);
    record(TraceRecord{0, TraceKind::kFsync, 0, id, -1, r.last_term, r.last_index,
                       static_cast<int64_t>(done.size())});
    if (!ns.disk.pending.empty()) start_fsync(id);
    for (WriteBatch& b : done) {
        for (raft::Message& m : b.after_persist)
            send_from_node(id, std::move(m));
        recycle(&b);
    }
    done.clear();
    fsynced_.swap(done);
    if (r.has_hard_state) ns.node.on_hard_state_persisted(r.hard_state);
    if (r.snapshot_index > 0) ns.node.on_snapshot_persisted(r.snapshot_index);
    if (r.last_index > 0) ns.node.on_persisted(r.last_index, r.last_term);
    after_node_input(id);
}

// ===========================================================================
// processes: crash, restart, pause, resume
// ===========================================================================

// A new process for node id, recovered from its disk.
void World::build_node(int id) {
    NodeSlot& ns = slot(id);
    Recovery rec = recover(&ns.disk.durable);
    if (rec.truncated_at > 0) {
        record(TraceRecord{0, TraceKind::kCorruption, 0, id, -1, 0, rec.truncated_at, 0});
    }
    ns.node = raft::Node(id, scenario_->cluster, node_seed(seed_, id, ns.incarnation));
    ns.node.restore(rec.hard_state, rec.snapshot, rec.entries);
    // Term and vote are durable; commit index and role are volatile (§5.1).
    ns.seen_term = ns.node.current_term();
    ns.seen_commit = ns.node.commit_index();
    ns.seen_role = ns.node.role();
    ns.seen_vote = ns.node.voted_for();
    // Everything recovered from the disk is durable.
    ASSERT_CMP(ns.node.persisted_index(), ==, ns.node.log().last_index());
    checker_.on_restart(s_.checker, ns.node);
}

void World::crash(int id) {
    NodeSlot& ns = slot(id);
    if (!ns.alive) return;  // a selector may name a dead node; killing it again does nothing
    ASSERT(ns.held.empty() || ns.paused);  // only a paused process holds arrivals
    checker_.on_crash(s_.checker, id, ns.disk.durable);
    record(TraceRecord{0, TraceKind::kCrash, 0, id, -1, ns.node.current_term(), 0, 0});
    ns.disk.crash(s_.fault_rng, scenario_->disk);
    ns.alive = false;
    ns.paused = false;
    ns.fsync_done_while_paused = false;
    for (int64_t mid : ns.held)
        drop_message(mid, kDropDead);
    ns.held.clear();
    ns.election = LazyTimer{ns.election.gen + 1};
    ns.lease = LazyTimer{ns.lease.gen + 1};
    ns.heartbeat_gen++;
    ns.heartbeat_due_us = -1;
    // The write queue died with the process: restart starts a new one.
    ASSERT(ns.disk.pending.empty() && ns.disk.fsync_covering == 0);
    take_violations();
}

void World::restart(int id) {
    NodeSlot& ns = slot(id);
    if (ns.alive || ns.spare) return;  // live, or waiting for an add_node
    ASSERT(ns.held.empty());           // crash dropped them; arrivals at a dead node drop
    ns.incarnation++;
    // A new process starts with an empty write queue (crash() emptied it).
    ns.disk.reset_queue();
    build_node(id);
    // §5.1: the commit index is volatile; a new process knows as committed
    // only what its snapshot covers.
    ASSERT_CMP(ns.node.commit_index(), ==, ns.node.snapshot_index());
    ns.alive = true;
    record(TraceRecord{0, TraceKind::kRestart, 0, id, -1, ns.node.current_term(),
                       ns.node.log().last_index(), 0});
    ns.node.start();
    after_node_input(id);
}

void World::pause(int id) {
    NodeSlot& ns = slot(id);
    if (!ns.alive || ns.paused) return;  // nothing runs that could stop
    ASSERT(ns.held.empty());             // a running process reads what arrives
    ns.paused = true;
    for (LazyTimer* t : {&ns.election, &ns.lease}) {
        t->paused_left_us = t->due_us >= 0 ? t->due_us - s_.now_us : -1;
        t->gen++;
        t->event_us = -1;
    }
    ns.paused_heartbeat_left_us = ns.heartbeat_due_us >= 0 ? ns.heartbeat_due_us - s_.now_us : -1;
    ns.heartbeat_gen++;
    record(TraceRecord{0, TraceKind::kPause, 0, id, -1, ns.node.current_term(), 0, 0});
}

void World::resume(int id) {
    NodeSlot& ns = slot(id);
    if (!ns.alive || !ns.paused) return;  // nothing is stopped
    // pause() cancelled the lazy timers' events: arm_timers below pushes new ones.
    ASSERT(ns.election.event_us < 0 && ns.lease.event_us < 0);
    ns.paused = false;
    record(TraceRecord{0, TraceKind::kResume, 0, id, -1, ns.node.current_term(), 0, 0});
    // What was left of each timer, in simulated time (its drift was applied
    // when it was armed).
    if (ns.election.paused_left_us < 0) ns.election.due_us = -1;
    if (ns.lease.paused_left_us < 0) ns.lease.due_us = -1;
    if (ns.paused_heartbeat_left_us < 0) ns.heartbeat_due_us = -1;
    arm_timers_sim(id, ns.election.paused_left_us, ns.lease.paused_left_us,
                   ns.paused_heartbeat_left_us);
    if (ns.fsync_done_while_paused) {
        ns.fsync_done_while_paused = false;
        push_event(s_.now_us, EventKind::kFsyncDone, id, ns.disk.epoch, 0);
    }
    // What queued up while paused is read now, in arrival order.
    for (int64_t mid : ns.held) {
        if (s_.net.release_held(mid, s_.now_us))
            push_event(s_.now_us, EventKind::kDeliver, id, 0, mid);
    }
    ns.held.clear();
}

}  // namespace sim
