// sim/checker.h — Raft safety invariants, checked after every event.
//
// The checker is an observer: the world feeds it what happened (a node's new
// state, an election, applied entries, a promise sent, a crash, a restart)
// and it compares that with what the whole run has seen so far (after
// LogCabin's invariant checker): election safety (one leader per term over
// the whole history), leader completeness (a new leader holds every entry
// any node applied), state-machine safety (no two nodes apply different
// entries at one index), log matching (same index and term means the same
// prefix), monotonic term and commit index on a live node, and durability
// (what a node acknowledged survives its crash). Violations found by one
// event wait in pending() until the world takes them (it records each in the
// trace and halts); the checker keeps the run's violation log.
//
// All its state is here: CheckerState is the part that changes with the run
// (copied with WorldState for checkpoints); the Checker itself holds the
// append-only records (kept across restores: a restore moves their lengths,
// which CheckerState holds). It must not know the world, the event queue,
// the network or the trace, and it never changes what it observes.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "base/assert.h"
#include "raft/node.h"
#include "sim/disk.h"

namespace sim {

struct Violation {
    int64_t t_us = 0;
    int64_t event = 0;  // trace index of the event after which it was found
    std::string check;  // election_safety, leader_completeness, ...
    std::string description;
};

// Checks a test may switch off, to show the others catch a bug's
// consequences on their own.
enum CheckBit : uint32_t {
    kCheckDurability = 1u << 0,
    kCheckLeaderCompleteness = 1u << 1,
    kCheckElectionSafety = 1u << 2,
    kCheckLogMatching = 1u << 3,
    kCheckStateMachine = 1u << 4,
    kCheckConfigQuorum = 1u << 5,
    kCheckTransfer = 1u << 6,
    kCheckConfigOverlap = 1u << 7,
};

// What the checker remembers of one node.
struct NodeWatch {
    // What this node promised others (durability): the vote it granted and
    // the last entry it acknowledged.
    raft::Term acked_vote_term = 0;
    raft::NodeId acked_vote_for = raft::kNone;
    raft::Index acked_index = 0;
    raft::Term acked_index_term = 0;
    // Its term and commit index after its last input (monotonicity).
    raft::Term last_term = 0;
    raft::Index last_commit = 0;
};

// A configuration entry some leader committed, with the configuration it
// changed (the one before it in that leader's log).
struct CommittedConf {
    raft::Index index = 0;
    raft::Term term = 0;
    raft::Membership conf, base;
};

// The checker's state that changes with the run; copied for checkpoints.
struct CheckerState {
    std::map<raft::Term, raft::NodeId> leader_of_term;
    // Committed configuration entries by index (a handful per run).
    std::vector<CommittedConf> committed_confs;
    std::vector<NodeWatch> nodes;  // by node id
    // Lengths of the Checker's append-only records at this state.
    size_t applied_size = 0, commit_terms_size = 0, violations_size = 0;
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

class Checker {
  public:
    // CheckBits of checks switched off. Tests switch some off to show the
    // other checkers catch a bug's consequences (two leaders in a term, lost
    // commits) on their own.
    uint32_t disabled = 0;

    static CheckerState initial_state(int nodes);

    // ---- events (each may add to pending()) -------------------------------------------
    // A node took an input: its term and commit never go back; a leader's
    // commits are recorded with its term. Inline: it runs after every input.
    [[gnu::always_inline]] void on_node_state(CheckerState& cs, const raft::Node& n) {
        if (n.role() == raft::Role::kLeader &&
            static_cast<raft::Index>(cs.commit_terms_size) < n.commit_index()) {
            record_commit_terms(cs, n);
        }
        NodeWatch& w = watch(cs, n.id());
        if (n.current_term() < w.last_term || n.commit_index() < w.last_commit) {
            report_went_back(w, n);
        }
        w.last_term = n.current_term();
        w.last_commit = n.commit_index();
    }
    // A node became leader: election safety, leader completeness, log
    // matching over `logs` (every node's, by id).
    void on_leader(CheckerState& cs, const raft::Node& n,
                   std::span<const raft::RaftLog* const> logs);
    // A leader's commit index advanced: the entry at it is stored by a
    // majority of its configuration's voters (of both halves when joint;
    // learners never count). Stored: in a node's log (`logs`, by id; a
    // crashed node's is nullptr) or on its disk (`disks`). Whether the
    // stored copies are durable is the durability check's concern.
    // `from` is the leader's commit index before: a configuration entry in
    // (from, commit] must change the configuration committed before it, and
    // the configuration committed after it must change it (config_overlap:
    // no two changes of the same configuration both commit, thesis §4.1).
    void on_leader_commit(CheckerState& cs, const raft::Node& n, raft::Index from,
                          std::span<const raft::RaftLog* const> logs,
                          std::span<const DurableState* const> disks);
    // A leader appended entries: none is a client command while it
    // transfers leadership (§3.10).
    void on_leader_append(const raft::Node& n, const std::vector<raft::Entry>& entries);
    // A node applied entries: state-machine safety.
    void on_apply(CheckerState& cs, const raft::Node& n, const std::vector<raft::Applied>& applied);
    // A node sent m: a granted vote or an acknowledged append is a promise.
    // Inline: it runs for every message.
    [[gnu::always_inline]] void on_send(CheckerState& cs, raft::NodeId id, const raft::Message& m) {
        if (m.type == raft::MsgType::kVoteResp && !m.reject) {
            NodeWatch& w = watch(cs, id);
            w.acked_vote_term = m.term;
            w.acked_vote_for = m.to;
        } else if ((m.type == raft::MsgType::kAppendResp ||
                    m.type == raft::MsgType::kSnapshotResp) &&
                   !m.reject && m.match_index > 0 && m.match_term > 0) {
            NodeWatch& w = watch(cs, id);
            w.acked_index = m.match_index;
            w.acked_index_term = m.match_term;
        }
    }
    // A node crashed: every vote and append it acknowledged is on its disk.
    void on_crash(const CheckerState& cs, raft::NodeId id, const DurableState& disk);
    // A node (re)started from its disk: term and commit start from it.
    void on_restart(CheckerState& cs, const raft::Node& n);
    // Log matching over every pair of nodes, at any time (the first pair
    // that differs is reported).
    void sweep(std::span<const raft::RaftLog* const> logs);

    // ---- violations ----------------------------------------------------------------------
    // Found since the last take, in the order found.
    std::vector<Violation>& pending() { return pending_; }
    // Records a pending violation (stamped by the world) in the run's log.
    void log_violation(CheckerState& cs, Violation v);
    std::span<const Violation> violations(const CheckerState& cs) const {
        return {violations_.data(), cs.violations_size};
    }

    // ---- the append-only records -------------------------------------------------------
    // Takes over another checker's records (a fork); see World::adopt_logs.
    void swap_records(Checker& other);
    // Drops what lies beyond the state's lengths (a fork discards the future).
    void truncate(const CheckerState& cs);

  private:
    void record_commit_terms(CheckerState& cs, const raft::Node& n);
    void report_went_back(const NodeWatch& w, const raft::Node& n);
    void check_election_safety(CheckerState& cs, const raft::Node& n);
    void check_election_quorum(const raft::Node& n);
    void check_commit_quorum(const raft::Node& n, std::span<const raft::RaftLog* const> logs,
                             std::span<const DurableState* const> disks);
    void check_conf_commit(CheckerState& cs, const raft::Node& n, raft::Index i);
    void check_leader_completeness(const CheckerState& cs, const raft::Node& n);
    void check_durability(const NodeWatch& w, raft::NodeId id, const DurableState& d);
    bool check_log_pair(const raft::RaftLog& la, const raft::RaftLog& lb, size_t a, size_t b);
    [[gnu::always_inline]] static NodeWatch& watch(CheckerState& cs, raft::NodeId id) {
        ASSERT_CMP(static_cast<size_t>(id), <, cs.nodes.size());  // a negative id wraps
        return cs.nodes[static_cast<size_t>(id)];
    }

    friend struct WorldLogsAccess;  // format/state_archive.cpp: the records
    // applied_[i - 1]: (term, entry hash) of the entry first applied at index i.
    std::vector<std::pair<raft::Term, uint64_t>> applied_;
    // commit_terms_[i - 1]: the term of the leader that first committed index i.
    std::vector<raft::Term> commit_terms_;
    std::vector<Violation> violations_;
    std::vector<Violation> pending_;
};

}  // namespace sim
