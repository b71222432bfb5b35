// sim/scenario.h — a scenario: the cluster, network, disk and workload
// models, optional preset durable state, the duration and a timeline of
// steps. Together with a seed and the input log it defines a run.
//
// Plain data. Parsing and validation live in scenario_json.{h,cpp}; this
// header must stay free of I/O so the world can be built from memory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "raft/types.h"

namespace sim {

// Probabilities are ratios in parts per million (integer, deterministic).
constexpr int64_t kPpm = 1'000'000;

struct NetworkModel {
    int64_t latency_us_min = 1'000;
    int64_t latency_us_max = 10'000;
    int64_t tail_ppm = 10'000;     // share of messages taking the long tail
    int64_t tail_us_max = 50'000;  // long-tail extra delay bound
    int64_t loss_ppm = 0;
    int64_t duplicate_ppm = 0;
};

struct DiskModel {
    int64_t fsync_us_min = 1'000;
    int64_t fsync_us_max = 5'000;
    int64_t torn_write_ppm = 0;  // on crash, the last unsynced append lands torn
    int64_t corrupt_ppm = 0;     // on crash, an unsynced sector lands corrupted
};

// The servers' clocks: a timer fires late by a uniform draw of
// [0, timer_late_us_max] (scheduling and clock jitter). Real timers are never
// exact; without this, nodes with equal timeouts stay in lock-step forever.
//
// Clock drift (a fault, Jepsen's clock nemesis): each node's clock runs at
// its own rate. A timer node n arms for d µs of its own time fires after
// d * (kPpm + drift_ppm[n]) / kPpm µs of simulated time (integer, rounded
// down): drift_ppm > 0 runs slow (its timers last longer), < 0 fast. Empty,
// or 0, keeps every timer exact. A clock_drift step changes it during a run.
struct ClockModel {
    int64_t timer_late_us_max = 0;
    std::vector<int64_t> drift_ppm;  // one per node, or empty (all 0)
};

// How a client picks the node of each attempt of an operation. Every
// attempt carries the same (client, seq), so the session table keeps the
// operation exactly-once wherever it lands.
enum class ClientRoute : uint8_t {
    kRoundRobin = 0,  // its home node first, the next node id at each retry (the default)
    kPinned,          // its home node at every attempt: it never retries elsewhere
    // At a retry, the leader that the node of the last attempt believes in
    // (the redirect hint a real server would return), when that node is up
    // and names another; otherwise the next node id.
    kLeader,
};
const char* client_route_name(ClientRoute r);  // "round_robin", "pinned", "leader"
bool client_route_from_name(const std::string& name, ClientRoute* out);

// When a client gives up on an attempt and how long it waits before the next.
// The defaults are the clients' fixed behaviour before these fields existed.
struct RetryPolicy {
    ClientRoute route = ClientRoute::kRoundRobin;
    // An attempt without an answer for this long is retried; -1: the
    // workload's max(4 * retry_us, timeout_us / 5).
    int64_t attempt_timeout_us = -1;
    // Attempts per operation; after the last one fails the operation
    // completes as unknown (it may still have taken effect). 0: unlimited
    // (until the workload's timeout_us).
    int32_t max_attempts = 0;
    // After a retryable error the client waits retry_us, doubled at each
    // further error of the same operation up to this; -1: retry_us always.
    int64_t backoff_us_max = -1;
    bool operator==(const RetryPolicy&) const = default;
};

struct Workload {
    int32_t clients = 0;
    int64_t rate_per_s = 0;  // total operations per second over all clients
    int32_t keys = 100;      // key space: k0000 .. k{keys-1}
    int32_t value_bytes = 16;
    // Operation mix in parts per million of put/get/delete/cas; sums to kPpm.
    int64_t put_ppm = 700'000;
    int64_t get_ppm = 200'000;
    int64_t delete_ppm = 50'000;
    int64_t cas_ppm = 50'000;
    int64_t timeout_us = 1'000'000;  // give up: the op completes as unknown
    int64_t retry_us = 50'000;       // back-off after a retryable error
    int64_t start_us = 0;
    int64_t stop_us = -1;  // -1: until the end of the run
    // Every client's routing and retries (workload and scripted clients; a
    // scripted request may override it, see Action::retry).
    RetryPolicy retry;
    // The mix's share of appends (with put_ppm .. cas_ppm it sums to kPpm).
    // Last, and 0 by default: the draw over the first four is then unchanged.
    int64_t append_ppm = 0;
};

// The durable state of one node at t = 0 (paper figures). Entries are
// {term, type}; commands are synthesised so each entry is distinct.
struct PresetEntry {
    raft::Term term = 0;
    raft::EntryType type = raft::EntryType::kCommand;
};
struct PresetNode {
    raft::NodeId id = 0;
    raft::Term current_term = 0;
    raft::NodeId voted_for = raft::kNone;
    std::vector<PresetEntry> log;
    bool alive = true;
};

// A node reference in a step: an id, or a selector resolved when the step
// runs (a seeded choice for "follower" and "random"). kLeaderNext ("leader+1")
// is the next node id after the leader, wrapping; kFollowersOfLeader every
// live node but the leader; kSubject ("trigger") the node a triggered step's
// event was about (the node that just became candidate, fsynced, ...).
// The newer selectors come after kNone so that saved runs keep their values.
enum class NodeSelector : uint8_t {
    kId = 0,
    kLeader,
    kFollower,
    kAll,
    kRandom,
    kNone,
    kLeaderNext,
    kFollowersOfLeader,
    kSubject,
    kCount
};
struct NodeRef {
    NodeSelector sel = NodeSelector::kNone;
    raft::NodeId id = raft::kNone;
    bool operator==(const NodeRef&) const = default;
};

enum class ActionKind : uint8_t {
    kKill = 0,
    kRestart,
    kPause,
    kResume,
    kPartition,   // groups
    kCutLink,     // one direction from -> to
    kHeal,        // every cut, partition and clog removed
    kSetNetwork,  // loss / latency change
    kClog,        // hold messages on from -> to
    kUnclog,
    kPut,
    kGet,
    kDelete,
    kCas,
    kStress,    // count writes through node
    kCampaign,  // a node starts an election now (force: past leases)
    kSnapshot,  // force a node to take a snapshot now
    kDropMsg,   // per-message actions from the UI: msg_id
    kDelayMsg,  // delay_us
    kDupMsg,
    // The background workload's clients stop sending new operations (those
    // running finish) until kResumeWorkload: the etcd-play demos compare the
    // nodes' hashes by eye on a quiet cluster. Scripted requests go on.
    kPauseWorkload,
    kResumeWorkload,
    kAppend,      // value appended to the key's current value (kvraft's Append)
    kClockDrift,  // a node's clock runs at another rate from now on (drift_ppm)
    // MIT 6.5840's disconnect / connect: the node is cut off from every
    // other node both ways; reconnect restores its links to every node that
    // is not itself disconnected (sim::Network::disconnect).
    kDisconnect,
    kReconnect,
    // Membership (thesis ch. 4) and leadership transfer (§3.10), asked of
    // the leader of the moment (refused when there is none): add_node and
    // add_learner boot a spare server (the lowest, or `node`) with an empty
    // disk and add it as a voter / a learner; promote makes a learner a
    // voter; remove_node takes `node` (any member, the leader too) out;
    // transfer_leader hands leadership to `node`.
    kAddNode,
    kAddLearner,
    kPromote,
    kRemoveNode,
    kTransferLeader,
    kCount
};
const char* action_name(ActionKind k);
bool action_from_name(const std::string& name, ActionKind* out);

// What a triggered step waits for: the count-th trace event of a kind that
// matches the filters, at or after the step's at_us (when it is armed).
// Evaluated as the trace records are produced, so a firing is a pure
// function of the scenario and the seed.
enum class TriggerKind : uint8_t {
    kRole = 0,    // node became `role`
    kCommit,      // node's commit index reached `index` (each node counts once)
    kApply,       // node applied entry `index`
    kSend,        // a message of `msg_type` left `node` (for `to`)
    kDeliver,     // a message of `msg_type` from `node` reached `to`
    kFsync,       // node's disk completed an fsync
    kClientDone,  // a client operation completed (through `node`), with `status`
    kCount
};
const char* trigger_kind_name(TriggerKind k);
bool trigger_kind_from_name(const std::string& name, TriggerKind* out);

struct Trigger {
    TriggerKind kind = TriggerKind::kRole;
    raft::NodeId node = raft::kNone;        // the event's node (a message's sender); kNone: any
    raft::NodeId to = raft::kNone;          // send / deliver: the receiver; kNone: any
    raft::Role role = raft::Role::kLeader;  // role
    int64_t index = 0;                      // commit / apply
    uint8_t msg_type = 0;                   // send / deliver: raft::MsgType
    int32_t status = -1;                    // client_done: OpStatus, -1 any
    int32_t count = 1;                      // fires on the count-th match
    int64_t delay_us = 0;                   // the step runs this long after the match
    // Disarmed from this time on: a match after it fires nothing (-1: never
    // disarmed). The fuzzer disarms a base scenario's triggers at the end of
    // its fault phase, so that the liveness phase stays free of faults.
    int64_t until_us = -1;
    bool operator==(const Trigger&) const = default;
};

// When a triggered step fired. A replay derives these again from the
// scenario and seed; the run file records them so that a replay can show
// it did (sim::World::fired_triggers, format/run_file.h).
struct FiredTrigger {
    int32_t step = 0;      // index into the scenario's timeline
    int64_t at_us = 0;     // the moment of the matching event
    int32_t subject = -1;  // the node the event was about (-1: none)
    bool operator==(const FiredTrigger&) const = default;
};

// One step of a scenario timeline or one user action of the input log.
struct Action {
    int64_t at_us = 0;
    ActionKind kind = ActionKind::kKill;
    NodeRef node;                                   // kill/restart/.../put through
    NodeRef to;                                     // cut/clog: the other end
    std::vector<std::vector<raft::NodeId>> groups;  // partition
    // partition, when >= 0 instead of groups: {the leader at that moment +
    // this many other nodes (a seeded choice)} vs the rest. Lets a scenario
    // isolate the leader although its id is only known at run time.
    int32_t isolate_leader_with = -1;
    std::string key, value, expected;  // put/get/delete/cas/append
    int32_t count = 0;                 // stress
    int64_t msg_id = 0;                // per-message actions
    int64_t delay_us = 0;
    // set_network: -1 leaves a field unchanged.
    int64_t loss_ppm = -1;
    int64_t latency_us_min = -1;
    int64_t latency_us_max = -1;
    int64_t duplicate_ppm = -1;
    // The action happens at a uniform random point of [at_us, at_us + jitter)
    // drawn from the seed; jitter_heartbeat takes the cluster's heartbeat
    // interval as the jitter (a crash at a random point of the leader's
    // heartbeat interval, as Figure 16 of the Raft paper measured it).
    // Steps of one non-empty jitter_group share a single draw, so they keep
    // their distances (stale writes just before a jittered crash).
    int64_t jitter_us = 0;
    bool jitter_heartbeat = false;
    // cut: drop only what carries log entries (appends with entries,
    // snapshots); heartbeats and every reply pass. Leaves a follower with a
    // stale log that still hears its leader (Figure 16's stale survivors).
    bool entries_only = false;
    // campaign: the vote requests ignore leader leases (thesis §4.2.3), as a
    // leadership transfer's do. Off, the campaign is an ordinary election the
    // voters' leases may refuse.
    bool force = false;
    std::string jitter_group;
    // put/get/delete/cas/append: this request's routing and retries, when
    // has_retry; otherwise the workload's. (stress uses the workload's.)
    bool has_retry = false;
    RetryPolicy retry;
    // clock_drift: the node's new rate (see ClockModel), for timers it arms
    // from now on.
    int64_t drift_ppm = 0;
    // A triggered step (timeline only): armed at at_us, it runs `when.delay_us`
    // after the trigger's event instead of at at_us (see TriggerKind).
    bool has_when = false;
    Trigger when;
    bool operator==(const Action&) const = default;
};

// A check at a moment of the run (expect.at). Scope: `nodes`, or when empty
// every live node that is not disconnected (cut off from all others both
// ways: MIT's "connected servers"). "A leader" is a node of the scope that is
// leader in the highest term any node of the scope has (MIT's
// checkOneLeader). -1: not checked.
struct ExpectAt {
    int64_t at_us = 0;
    std::vector<raft::NodeId> nodes;
    int32_t leader = -1;            // 1: the scope has a leader, 0: it has none
    int64_t commit_index_min = -1;  // every node of the scope committed at least this
    int64_t commit_index_max = -1;  // no node of the scope committed beyond this
    int64_t term_max = -1;          // no node of the scope is past this term
    bool operator==(const ExpectAt&) const = default;
};

// What a scenario promises of every seed it runs with (tests/scenarios/,
// check/expect.h). All optional; the defaults check nothing.
struct Expectations {
    bool linearizable = false;      // the client history is linearizable
    int64_t leader_within_us = -1;  // the first leader is elected by then
    int32_t elections_min = -1;     // at least this many leader elections in the run
    int32_t elections_max = -1;     // at most this many (no needless elections)
    std::vector<ExpectAt> at;       // checks at moments, in time order
    bool operator==(const Expectations&) const = default;
    bool any() const {
        return linearizable || leader_within_us >= 0 || elections_min >= 0 || elections_max >= 0 ||
               !at.empty();
    }
};

struct Scenario {
    std::string name = "custom";
    std::string description;
    raft::Config cluster;
    NetworkModel network;
    DiskModel disk;
    ClockModel clock;
    Workload workload;
    std::vector<PresetNode> preset;  // empty: every node starts blank
    int64_t duration_us = 10'000'000;
    std::vector<Action> timeline;  // sorted by at_us (stable)
    // Story expectations the scenario tests assert (optional).
    bool expect_converged = false;  // at the end all live nodes agree on kv hash
    Expectations expect;            // the rest of `expect` (check/expect.h)
};

}  // namespace sim
