// sim/world.h — the deterministic world: event queue, network, disks,
// processes, clients, checkers, trace. world = f(scenario, seed, input log).
//
// The world owns everything that happens in a run. It must not read a clock,
// use threads, iterate unordered containers into anything observable, or draw
// a random number except from its per-component streams. All state that can
// change lives in WorldState (copied for checkpoints); the append-only logs
// (trace, history, leaders, violations) are truncated back on restore.
//
// Network fault model: per-link one-way latency (uniform with a long tail),
// loss and duplication as ratios, reordering through jitter, partitions
// (symmetric and one-way, checked when a message arrives), clogged links that
// hold messages until unclogged, and per-message drop/delay/duplicate from
// the user. Messages to a crashed node are lost; messages already on the wire
// from a node that crashes still arrive.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/rng.h"
#include "raft/node.h"
#include "sim/checker.h"
#include "sim/disk.h"
#include "sim/event_queue.h"
#include "sim/history.h"
#include "sim/scenario.h"
#include "sim/trace.h"
#include "sim/wire.h"

namespace sim {

// WorldState::cut values: what a one-way cut drops.
constexpr uint8_t kCutAll = 1, kCutEntries = 2;

// Trace/peer ids at or above this are clients: kClientBase + client id.
constexpr int32_t kClientBase = 1000;
// Why a message was dropped (TraceRecord::aux of a kDrop).
enum DropReason : int64_t { kDropLoss = 0, kDropPartition, kDropDead, kDropUser };
const char* drop_reason_name(int64_t r);

// A timer that is re-armed far more often than it fires (a follower's
// election timer moves on every append): instead of a new event per re-arm,
// the pending event re-schedules itself when it finds the deadline moved.
struct LazyTimer {
    uint64_t gen = 0;                  // an event must carry the current gen
    int64_t set_us = -1, due_us = -1;  // -1: not armed
    int64_t event_us = -1;             // time of the pending event, -1: none
    int64_t paused_left_us = -1;       // time left when the node was paused
};

struct NodeSlot {
    raft::Node node;
    Disk disk;
    bool alive = true;
    bool paused = false;
    int32_t incarnation = 0;
    LazyTimer election, lease;
    uint64_t heartbeat_gen = 0;
    int64_t heartbeat_due_us = -1;
    int64_t paused_heartbeat_left_us = -1;
    bool fsync_done_while_paused = false;
    std::vector<int64_t> held;  // message ids that arrived while paused
    // Checker bookkeeping: what this node promised others (durability).
    raft::Term acked_vote_term = 0;
    raft::NodeId acked_vote_for = raft::kNone;
    raft::Index acked_index = 0;
    raft::Term acked_index_term = 0;
    raft::Term last_term = 0;
    raft::Index last_commit = 0;
    raft::Role last_role = raft::Role::kFollower;
    raft::NodeId last_vote = raft::kNone;
};

struct Client {
    int32_t id = 0;
    bool workload = true;  // false: a scripted client (user / timeline)
    int64_t seq = 0;
    bool busy = false;
    // Workload: the next operation came due while this one ran; it starts
    // the moment this one completes (a closed loop, without polling).
    bool next_due = false;
    int64_t op = -1;  // index into the history
    raft::Command cmd;
    raft::NodeId home = 0;    // node it talks to first
    raft::NodeId target = 0;  // node of the current attempt
    uint64_t attempt = 0;
    // Lazy timers, like the nodes' election timers: one pending event per
    // kind and client at most (not one per operation and attempt, which
    // would fill the queue with stale events). When it fires before the
    // current due time it re-arms itself for that time.
    int64_t retry_due_us = -1;     // current attempt gives up (then the next node)
    int64_t deadline_due_us = -1;  // current operation ends as unknown
    int64_t retry_timer_us = -1;   // time of the pending retry event, -1: none
    int64_t deadline_timer_us = -1;
    int32_t remaining = 0;  // scripted: writes left (stress)
    std::string stress_prefix;
};

struct LeaderRecord {
    raft::Term term = 0;
    raft::NodeId node = raft::kNone;
    int64_t at_us = 0;
};

struct MessageCounts {
    int64_t sent = 0, delivered = 0, dropped = 0;
    int64_t by_type[static_cast<int>(raft::MsgType::kCount)] = {};
};

// Everything that changes as the run goes, copied wholesale for checkpoints.
struct WorldState {
    int64_t now_us = 0;
    uint64_t next_seq = 0;
    int64_t next_msg_id = 1;
    int64_t events = 0;  // trace records so far (the event counter)
    size_t next_action = 0;
    EventQueue queue;
    Wire wire;
    std::vector<NodeSlot> nodes;
    std::vector<Client> clients;
    NetworkModel net;
    std::vector<uint8_t> cut;      // cut[from * n + to]: one direction blocked
    std::vector<uint8_t> clog;     // clog[from * n + to]
    std::vector<int64_t> clogged;  // message ids held by clogs
    base::Rng net_rng, workload_rng, fault_rng, select_rng, clock_rng;
    std::vector<base::Rng> disk_rng;
    Digest digest;
    CheckerState checker;
    MessageCounts counts;
    bool halted = false;           // a safety violation (or a named limit) stopped the run
    bool workload_paused = false;  // kPauseWorkload: workload clients start nothing new
    // The sim/limits.h limit that stopped the run ("history_ops_max", ...),
    // nullptr while none did.
    const char* limit_reached = nullptr;
    int64_t history_bytes = 0;  // the history's estimated memory (limits.h)
    // Sizes of the append-only logs when this state was current.
    size_t trace_size = 0, history_size = 0, leaders_size = 0, violations_size = 0;
    size_t applied_size = 0, commit_terms_size = 0;
};

// Writes entry `size` of an append-only log and counts it. Below the vector's
// end the slot holds the same value already (a re-run after a restore).
template <class T>
void log_put(std::vector<T>& log, size_t& size, T x) {
    if (size < log.size()) {
        log[size] = std::move(x);
    } else if (size == log.size()) {
        log.push_back(std::move(x));
    }
    size++;
}

class World {
  public:
    World(std::shared_ptr<const Scenario> scenario, uint64_t seed, std::vector<Action> inputs = {});

    // ---- running ----------------------------------------------------------------
    // Processes the next event or action; false when nothing is left before
    // `limit_us` (or the run halted on a violation).
    bool step(int64_t limit_us);
    // Runs until simulated time `t_us` (inclusive), at most max_events.
    void run_until(int64_t t_us, int64_t max_events = INT64_MAX);
    void run_to_end() { run_until(scenario_->duration_us); }
    // Moves the clock to t when nothing is due before it (idle time passes).
    void advance_clock(int64_t t_us) {
        if (!s_.halted && s_.now_us < t_us && next_time() > t_us) s_.now_us = t_us;
    }
    // Appends a user action at the current time (or later). It becomes part
    // of the input log; it is applied once time reaches at_us.
    void add_input(Action a);
    // Next event's time, or INT64_MAX.
    int64_t next_time() const;

    // ---- checkpoints ---------------------------------------------------------------
    const WorldState& state() const { return s_; }
    // For checkpoints only: lets the timeline move the bulky parts (key-value
    // stores, logs) out before copying and put them back after.
    WorldState& state_for_checkpoint() { return s_; }
    void restore(WorldState st);
    // Takes over another world's append-only logs (trace, history, leaders,
    // violations) for a fork: both worlds share the prefix being restored to;
    // call truncate_logs() at the fork point.
    void adopt_logs(World& other) {
        trace_.swap(other.trace_);
        history_.swap(other.history_);
        leaders_.swap(other.leaders_);
        violations_.swap(other.violations_);
        applied_.swap(other.applied_);
        commit_terms_.swap(other.commit_terms_);
        cleared_ops_.swap(other.cleared_ops_);
    }
    // Drops the logs' entries beyond the current state (a fork discards the
    // old future) and forgets the operations' outcomes from that future.
    void truncate_logs();
    bool record_trace = true;  // keep TraceRecords (the digest is always kept)
    // CheckBits of checks switched off. Tests switch some off to show the
    // other checkers catch a bug's consequences (two leaders in a term, lost
    // commits) on their own.
    uint32_t disabled_checks = 0;

    // ---- read-only views -------------------------------------------------------------
    const Scenario& scenario() const { return *scenario_; }
    std::shared_ptr<const Scenario> scenario_ptr() const { return scenario_; }
    uint64_t seed() const { return seed_; }
    int64_t now_us() const { return s_.now_us; }
    int64_t events() const { return s_.events; }
    std::string digest_hex() const { return s_.digest.hex(); }
    const std::vector<NodeSlot>& nodes() const { return s_.nodes; }
    const Wire& wire() const { return s_.wire; }
    const std::vector<Client>& clients() const { return s_.clients; }
    // The append-only logs as of the current state. After a restore to an
    // earlier state the entries beyond it are kept (a restore forward finds
    // them again) but not shown; re-running writes the same values again.
    std::span<const TraceRecord> trace() const {
        return {trace_.data(), std::min(trace_.size(), s_.trace_size)};
    }
    HistoryView history() const { return {history_.data(), s_.history_size}; }
    std::span<const LeaderRecord> leaders() const { return {leaders_.data(), s_.leaders_size}; }
    std::span<const Violation> violations() const {
        return {violations_.data(), s_.violations_size};
    }
    const std::vector<Action>& inputs() const { return inputs_; }
    const MessageCounts& counts() const { return s_.counts; }
    bool halted() const { return s_.halted; }
    // The named limit (sim/limits.h) that stopped the run, or nullptr.
    const char* limit_reached() const { return s_.limit_reached; }
    bool link_cut(int from, int to) const;
    bool cut_drops(const raft::Message& m) const;  // on arrival
    bool link_clogged(int from, int to) const;
    raft::NodeId leader() const;  // the live leader with the highest term, or kNone

  private:
    friend class Checker;
    void setup();
    void apply_jitter();
    void apply_preset();
    void start_workload();
    void push_event(int64_t t_us, EventKind kind, int32_t node, uint64_t gen, int64_t msg_id);
    // Inline: every event records two or three of these, and built in the
    // caller's registers a record avoids a store-to-load stall through memory.
    [[gnu::always_inline]] void record(TraceRecord r) {
        r.t_us = s_.now_us;
        s_.digest.add(r);
        if (record_trace) {
            log_put(trace_, s_.trace_size, r);
        } else {
            s_.trace_size++;
        }
    }
    bool pop_due(int64_t limit_us, Event* out);
    void dispatch(const Event& e);
    void after_node_input(int id);
    void add_violation(Violation v);
    void timer_fired(const Event& e);
    void arm_lazy(int id, EventKind kind, LazyTimer* t, int64_t after_us);
    bool lazy_due(const Event& e, LazyTimer* t);
    void lease_fired(const Event& e);
    void send_from_node(int id, raft::Message&& m);
    void land_torn_write(int id);

    // Network.
    void send(raft::Message&& m, bool from_client, bool to_client);
    void deliver(int64_t msg_id, int64_t event_t_us);
    void release_clogged();
    void drop_message(int64_t msg_id, int64_t reason);
    bool blocked(int from, int to) const;

    // Nodes and disks.
    void handle_ready(int id, raft::Ready& rd);
    void recycle(WriteBatch* b);
    void reuse_spares(raft::Ready* rd);
    void arm_timers(int id, const raft::Ready& rd);
    void start_fsync(int id);
    void fsync_done(int id);
    void crash(int id);
    void restart(int id);
    void pause(int id);
    void resume(int id);
    void build_node(int id, bool from_disk);

    // Clients.
    void client_next(int c);
    void client_retry(int c);
    void client_deadline(int c);
    void arm_client_timer(int c, EventKind kind, int64_t due_us);
    void client_send(int c);
    void client_response(const raft::Message& m);
    void client_complete(int c, OpStatus status, const raft::CommandResult& r);
    int scripted_client(raft::NodeId node);
    void invoke(int c, raft::Command cmd, raft::NodeId node);
    raft::Command random_command(Client& c);
    bool history_full(const raft::Command& cmd);

    // Actions.
    void apply_action(const Action& a);
    std::vector<raft::NodeId> resolve(const NodeRef& ref, ActionKind kind);
    bool eligible(raft::NodeId id, ActionKind kind) const;
    void apply_partition(const Action& a);
    void apply_link_action(const Action& a, const std::vector<raft::NodeId>& targets);
    void apply_message_action(const Action& a);
    void apply_client_action(const Action& a, raft::NodeId node);

    std::shared_ptr<const Scenario> scenario_;
    uint64_t seed_;
    int n_;
    std::vector<Action> actions_;  // scenario timeline merged with inputs, by time
    std::vector<Action> inputs_;
    WorldState s_;
    std::vector<TraceRecord> trace_;
    History history_;
    std::vector<LeaderRecord> leaders_;
    std::vector<Violation> violations_;
    AppliedRecord applied_;
    CommitTerms commit_terms_;
    // Operations running now whose log entries hold outcomes from the future
    // (after a restore, or invoked again by a re-run): shown as running until
    // the re-run completes them; kept here so a restore elsewhere can put the
    // outcomes back. At most one per client.
    std::vector<std::pair<size_t, HistoryOp>> cleared_ops_;
    raft::Ready ready_;  // scratch for after_node_input, reused for its buffers
    // Buffers recycled between Ready and the disk: a batch's entry and
    // message vectors go back to the node once its fsync is done.
    std::vector<WriteBatch> fsynced_;
    std::vector<std::vector<raft::Entry>> spare_entries_;
    std::vector<std::vector<raft::Message>> spare_msgs_;
};

}  // namespace sim
