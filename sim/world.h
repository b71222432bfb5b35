// sim/world.h — the deterministic world: the event loop and the process
// lifecycle (crash, restart, pause, resume) of the nodes, wired to the
// network (sim/network.h), each node's disk (sim/disk.h), the clients, the
// checker (sim/checker.h) and the trace. world = f(scenario, seed, inputs).
//
// The world owns everything that happens in a run. It must not read a clock,
// use threads, iterate unordered containers into anything observable, or draw
// a random number except from its per-component streams. All state that can
// change lives in WorldState (copied for checkpoints); the append-only logs
// (trace, history, leaders, the checker's records) keep their entries on
// restore, which moves only their lengths. The network and the disks decide
// (latencies, losses, what became durable); the world schedules the events,
// records the trace, and tells the checker what happened. Messages to a
// crashed node are lost; messages already on the wire from a node that
// crashes still arrive; a paused node's messages wait until it resumes.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/assert.h"
#include "base/rng.h"
#include "raft/node.h"
#include "sim/checker.h"
#include "sim/disk.h"
#include "sim/event_queue.h"
#include "sim/history.h"
#include "sim/network.h"
#include "sim/scenario.h"
#include "sim/trace.h"

namespace sim {

// Trace/peer ids at or above this are clients: kClientBase + client id.
constexpr int32_t kClientBase = 1000;

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
    // A server not in the initial configuration (Config::initial_voters)
    // that no add_node / add_learner has booted yet: down, with an empty
    // disk, and out of every other action's reach.
    bool spare = false;
    bool paused = false;
    int32_t incarnation = 0;
    LazyTimer election, lease;
    // The rate of its clock (ClockModel::drift_ppm): the machine's, so it
    // outlives crashes; a clock_drift step changes it.
    int64_t drift_ppm = 0;
    uint64_t heartbeat_gen = 0;
    int64_t heartbeat_due_us = -1;
    int64_t paused_heartbeat_left_us = -1;
    bool fsync_done_while_paused = false;
    std::vector<int64_t> held;  // message ids that arrived while paused
    // What the trace last recorded of the node: a change is traced once.
    raft::Term seen_term = 0;
    raft::Index seen_commit = 0;
    raft::Role seen_role = raft::Role::kFollower;
    raft::NodeId seen_vote = raft::kNone;
};

// Configuration changes and leadership transfers so far (the summary's),
// and the transfer under way.
struct MembershipStats {
    // Configuration entries leaders appended, by raft::ConfChangeType.
    std::array<int32_t, static_cast<size_t>(raft::ConfChangeType::kCount)> entries{};
    int32_t refused = 0;  // membership actions a leader (or the lack of one) refused
    int32_t transfers_started = 0, transfers_completed = 0, transfers_aborted = 0;
    raft::NodeId transfer_from = raft::kNone, transfer_to = raft::kNone;  // kNone: none under way
    raft::Term transfer_term = 0;
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
    // The current operation's routing and retries, and its attempts so far
    // (sends, and retryable errors, which count toward the backoff).
    RetryPolicy policy;
    int32_t op_attempts = 0;
    int32_t op_errors = 0;
    int32_t remaining = 0;  // scripted: writes left (stress)
    std::string stress_prefix;
};

struct LeaderRecord {
    raft::Term term = 0;
    raft::NodeId node = raft::kNone;
    int64_t at_us = 0;
};

// A triggered step's progress (sim/world_triggers.cpp): matches so far and,
// for commit / apply, the nodes already counted (each node counts once).
struct TriggerState {
    int32_t seen = 0;
    uint32_t nodes_counted = 0;  // bit per node id (kMaxNodes <= 32)
    bool fired = false;
};

// Everything that changes as the run goes, copied wholesale for checkpoints.
struct WorldState {
    int64_t now_us = 0;
    uint64_t next_seq = 0;
    int64_t events = 0;  // trace records so far (the event counter)
    size_t next_action = 0;
    EventQueue queue;
    Network net;                  // the wire, links and their verdicts
    std::vector<NodeSlot> nodes;  // each with its disk
    std::vector<Client> clients;
    base::Rng workload_rng, fault_rng, select_rng, clock_rng;
    Digest digest;
    CheckerState checker;
    bool halted = false;           // a safety violation (or a named limit) stopped the run
    bool workload_paused = false;  // kPauseWorkload: workload clients start nothing new
    // The sim/limits.h limit that stopped the run ("history_ops_max", ...),
    // nullptr while none did.
    const char* limit_reached = nullptr;
    MembershipStats membership;
    int64_t history_bytes = 0;  // the history's estimated memory (limits.h)
    // Triggered steps: one state per World::trigger_steps_ entry; how many
    // are still armed (a zero makes record() skip the matching); the steps
    // that fired and wait for their time, by time then firing order; and
    // every firing so far.
    std::vector<TriggerState> triggers;
    int32_t triggers_armed = 0;
    std::vector<Action> fired;
    std::vector<FiredTrigger> fired_log;
    // Sizes of the append-only logs when this state was current.
    // (The checker's own lengths are in `checker`.)
    size_t trace_size = 0, history_size = 0, leaders_size = 0;
};

class World {
  public:
    World(std::shared_ptr<const Scenario> scenario, uint64_t seed, std::vector<Action> inputs = {});
    World(const World&) = delete;
    World& operator=(const World&) = delete;

    // ---- running ----------------------------------------------------------------
    // Processes the next event or action; false when nothing is left before
    // `limit_us` (or the run halted on a violation).
    bool step(int64_t limit_us) {
        if (scopes_ > 0) return step_inner(limit_us);
        const RunScope scope(*this);
        return step_inner(limit_us);
    }
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

    // ---- what a failed ASSERT prints -------------------------------------------------
    // While a RunScope is alive, a failed ASSERT on this thread prints the
    // run's scenario, seed and moment, and the command that reproduces it
    // (a base::AssertContext). step() opens one unless one is open already:
    // open one around a loop of steps to pay for it once.
    class RunScope {
      public:
        explicit RunScope(const World& w);
        ~RunScope();
        RunScope(const RunScope&) = delete;
        RunScope& operator=(const RunScope&) = delete;

      private:
        const World& w_;
        base::AssertContext context_;
    };
    // The command that reproduces this run. By default `raftplay run NAME
    // --seed N` (the scenario by name); the CLI sets the exact one it ran.
    std::string reproduce_command() const;
    void set_reproduce_command(std::string cmd) { reproduce_command_ = std::move(cmd); }

    // ---- checkpoints ---------------------------------------------------------------
    const WorldState& state() const { return s_; }
    // For checkpoints only: lets the timeline move the bulky parts (key-value
    // stores, logs) out before copying and put them back after.
    WorldState& state_for_checkpoint() { return s_; }
    void restore(WorldState st);
    // Takes over another world's append-only logs (trace, history, leaders,
    // the checker's records) for a fork: both worlds share the prefix being
    // restored to; call truncate_logs() at the fork point.
    void adopt_logs(World& other) {
        trace_.swap(other.trace_);
        history_.swap(other.history_);
        leaders_.swap(other.leaders_);
        checker_.swap_records(other.checker_);
        cleared_ops_.swap(other.cleared_ops_);
    }
    // Drops the logs' entries beyond the current state (a fork discards the
    // old future) and forgets the operations' outcomes from that future.
    void truncate_logs();
    bool record_trace = true;  // keep TraceRecords (the digest is always kept)
    // CheckBits of checks switched off (see Checker::disabled).
    void disable_checks(uint32_t bits) { checker_.disabled = bits; }

    // ---- read-only views -------------------------------------------------------------
    const Scenario& scenario() const { return *scenario_; }
    std::shared_ptr<const Scenario> scenario_ptr() const { return scenario_; }
    uint64_t seed() const { return seed_; }
    int64_t now_us() const { return s_.now_us; }
    int64_t events() const { return s_.events; }
    std::string digest_hex() const { return s_.digest.hex(); }
    const std::vector<NodeSlot>& nodes() const { return s_.nodes; }
    const Network& network() const { return s_.net; }
    const Wire& wire() const { return s_.net.wire(); }
    const std::vector<Client>& clients() const { return s_.clients; }
    // The append-only logs as of the current state. After a restore to an
    // earlier state the entries beyond it are kept (a restore forward finds
    // them again) but not shown; re-running writes the same values again.
    std::span<const TraceRecord> trace() const {
        return {trace_.data(), std::min(trace_.size(), s_.trace_size)};
    }
    HistoryView history() const { return {history_.data(), s_.history_size}; }
    std::span<const LeaderRecord> leaders() const { return {leaders_.data(), s_.leaders_size}; }
    std::span<const Violation> violations() const { return checker_.violations(s_.checker); }
    const std::vector<Action>& inputs() const { return inputs_; }
    // When each triggered step fired, in firing order.
    const std::vector<FiredTrigger>& fired_triggers() const { return s_.fired_log; }
    const MessageCounts& counts() const { return s_.net.counts(); }
    bool halted() const { return s_.halted; }
    // The named limit (sim/limits.h) that stopped the run, or nullptr.
    const char* limit_reached() const { return s_.limit_reached; }
    bool link_cut(int from, int to) const { return s_.net.link_cut(from, to); }
    bool cut_drops(const raft::Message& m) const { return s_.net.cut_drops(m); }  // on arrival
    bool link_clogged(int from, int to) const { return s_.net.link_clogged(from, to); }
    raft::NodeId leader() const;  // the live leader with the highest term, or kNone

  private:
    // format/state_archive.cpp saves and installs the append-only logs.
    friend struct WorldLogsAccess;
    void setup();
    void apply_jitter();
    void apply_preset();
    void start_workload();
    bool step_inner(int64_t limit_us);
    void push_event(int64_t t_us, EventKind kind, int32_t node, uint64_t gen, int64_t msg_id);
    // Inline: every event records two or three of these, and built in the
    // caller's registers a record avoids a store-to-load stall through memory.
    [[gnu::always_inline]] void record(TraceRecord r) {
        r.t_us = s_.now_us;
        s_.digest.add(r);
        if (s_.triggers_armed > 0) match_triggers(r);
        if (record_trace) {
            log_put(trace_, s_.trace_size, r);
        } else {
            s_.trace_size++;
        }
    }
    void dispatch(const Event& e);
    // Triggered steps (world_triggers.cpp).
    void split_trigger_steps();
    void match_triggers(const TraceRecord& r);
    void fire_trigger(size_t i, raft::NodeId subject);
    int64_t next_action_time() const;
    bool take_next_action(Action* out);
    [[gnu::always_inline]] NodeSlot& slot(int id) {
        // Against n_ (== nodes.size()): no division by sizeof(NodeSlot).
        ASSERT_CMP(static_cast<uint32_t>(id), <, static_cast<uint32_t>(n_));
        return s_.nodes[static_cast<size_t>(id)];
    }
    void after_node_input(int id);
    [[gnu::always_inline]] void trace_node_changes(int id);
    // The checker's findings since the last call: each is traced, logged, and
    // halts the run. Inline: it runs after every input, nearly always idle.
    [[gnu::always_inline]] void take_violations() {
        if (!checker_.pending().empty()) record_violations();
    }
    void record_violations();
    void sweep_logs();
    void timer_fired(const Event& e);
    void arm_lazy(int id, EventKind kind, LazyTimer* t, int64_t after_us);
    bool lazy_due(const Event& e, LazyTimer* t);
    void lease_fired(const Event& e);
    void send_from_node(int id, raft::Message&& m);

    // Network (world_network.cpp): scheduling and tracing the network's verdicts.
    void send(raft::Message&& m, bool from_client, bool to_client);
    void deliver(int64_t msg_id, int64_t event_t_us);
    void deliver_to_client(int64_t msg_id, InFlight* f);
    void schedule_released(const std::vector<int64_t>& ids);
    // reason: folded into the digest; rule: the precise one, when it refines
    // reason (a cut's kind), else 0 (see DropReason).
    void drop_message(int64_t msg_id, int64_t reason, int64_t rule = 0);

    // Nodes and disks.
    void handle_ready(int id, raft::Ready& rd);
    void note_proposals(int id, const raft::Ready& rd);
    void persist(int id, raft::Ready& rd);
    void recycle(WriteBatch* b);
    void reuse_spares(raft::Ready* rd);
    void arm_timers(int id, const raft::Ready& rd);
    void arm_timers_sim(int id, int64_t election_us, int64_t lease_us, int64_t heartbeat_us);
    int64_t on_node_clock(int id, int64_t d_us);
    void start_fsync(int id);
    void fsync_event(const Event& e);
    void fsync_done(int id);
    void crash(int id);
    void restart(int id);
    void pause(int id);
    void resume(int id);
    void build_node(int id);

    // Clients.
    void client_next(int c);
    void client_retry(int c);
    void client_deadline(int c);
    void arm_client_timer(int c, EventKind kind, int64_t due_us);
    void client_send(int c);
    void client_response(const raft::Message& m);
    void client_complete(int c, OpStatus status, const raft::CommandResult& r);
    int scripted_client(raft::NodeId node);
    // policy: the operation's routing and retries; nullptr: the workload's.
    void invoke(int c, raft::Command cmd, raft::NodeId node, const RetryPolicy* policy = nullptr);
    bool out_of_attempts(const Client& cl) const;
    raft::NodeId retry_target(const Client& cl) const;
    raft::Command random_command(Client& c);
    bool history_full(const raft::Command& cmd);
    [[gnu::always_inline]] Client& client(int c) {
        ASSERT_CMP(static_cast<size_t>(c), <, s_.clients.size());
        return s_.clients[static_cast<size_t>(c)];
    }

    // Actions.
    void apply_action(const Action& a);
    std::vector<raft::NodeId> resolve(const NodeRef& ref, ActionKind kind);
    bool eligible(raft::NodeId id, ActionKind kind) const;
    void apply_partition(const Action& a);
    void apply_link_action(const Action& a, const std::vector<raft::NodeId>& targets);
    void apply_node_action(const Action& a, const std::vector<raft::NodeId>& targets);
    void apply_message_action(const Action& a);
    void apply_client_action(const Action& a, raft::NodeId node);
    // Membership and transfer (world_membership.cpp).
    void apply_membership_action(const Action& a, const std::vector<raft::NodeId>& targets);
    void apply_transfer(raft::NodeId lead, raft::NodeId target);
    raft::NodeId lowest_spare() const;
    void note_transfer(int id);
    void note_leader_entries(int id, const raft::Ready& rd);
    void check_leader_commit(int id, raft::Index from);
    void start_stress(const Action& a, raft::NodeId node);

    std::shared_ptr<const Scenario> scenario_;
    uint64_t seed_;
    int n_;
    std::vector<Action> actions_;  // scenario timeline merged with inputs, by time
    // The timeline's triggered steps and their indexes in it (never in actions_).
    std::vector<Action> trigger_steps_;
    std::vector<int32_t> trigger_step_index_;
    std::vector<Action> inputs_;
    WorldState s_;
    std::vector<TraceRecord> trace_;
    History history_;
    std::vector<LeaderRecord> leaders_;
    Checker checker_;  // its run-dependent state is s_.checker
    // Operations running now whose log entries hold outcomes from the future
    // (after a restore, or invoked again by a re-run): shown as running until
    // the re-run completes them; kept here so a restore elsewhere can put the
    // outcomes back. At most one per client.
    std::vector<std::pair<size_t, HistoryOp>> cleared_ops_;
    // Buffers recycled between Ready and the disk: a batch's entry and
    // message vectors go back to the node once its fsync is done.
    std::vector<WriteBatch> fsynced_;
    std::vector<std::vector<raft::Entry>> spare_entries_;
    std::vector<raft::MessageList> spare_msgs_;
    std::vector<int64_t> released_;  // scratch: ids a clog released
    std::string reproduce_command_;  // empty: the default (see reproduce_command())
    mutable int scopes_ = 0;         // RunScopes open on this world
};

}  // namespace sim
