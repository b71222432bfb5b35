// tests/protocol/env.h — the interaction environment of the data-driven
// protocol tests: a few pure raft::Nodes, a FIFO of messages in flight, and
// per node a queue of writes its disk has not completed. Nothing happens
// unless a command says so (deliver, persist, tick), so every test spells
// out the interleaving it checks.
//
// Links only raft/ and base/: no world, no simulated time beyond a counter
// that orders armed election timers (tick-next-election). A Node's Ready is
// taken after every input and printed (print.h); messages that must wait for
// persistence are held with the write they wait for and leave when `persist`
// completes it.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "raft/node.h"
#include "tests/protocol/print.h"

namespace protocol {

// What a node's disk holds: exactly what a restart recovers.
struct Disk {
    raft::HardState hard_state;
    raft::SnapshotPtr snapshot;
    std::vector<raft::Entry> entries;
    void write_snapshot(const raft::SnapshotPtr& s);
    void write_entries(const std::vector<raft::Entry>& es);
};

// One Ready's writes, and the messages that wait for them.
struct Write {
    raft::SnapshotPtr snapshot;
    bool has_hard_state = false;
    raft::HardState hard_state;
    std::vector<raft::Entry> entries;
    std::vector<raft::Message> held;
};

// The last view of a node that was printed: a state line appears when it
// changes.
struct Shown {
    raft::Role role = raft::Role::kFollower;
    raft::Term term = 0;
    raft::NodeId vote = raft::kNone;
    raft::NodeId leader = raft::kNone;
    raft::Index commit = 0;
    bool operator==(const Shown&) const = default;
};

struct Peer {
    raft::Node node;
    Disk disk;
    std::deque<Write> unpersisted;
    int64_t election_deadline_us = -1;  // -1: not armed
    int64_t election_armed_us = -1, heartbeat_armed_us = -1, lease_armed_us = -1;
    int restarts = 0;
    Shown shown;
    // The configuration last printed (a `conf` line appears when it changes).
    raft::Membership shown_conf;
};

class Env {
  public:
    // Output goes to *out, one line per push; indent is the current prefix.
    void set_output(std::vector<std::string>* out) { out_ = out; }

    void create(const raft::Config& config, uint64_t seed, const std::vector<Disk>& disks);
    bool created() const { return !peers_.empty(); }
    int size() const { return static_cast<int>(peers_.size()); }
    Peer& peer(int id) { return peers_[static_cast<size_t>(id)]; }
    const raft::Config& config() const { return config_; }
    std::vector<raft::Message>& network() { return network_; }

    // Inputs. Each prints a header line and the Ready it produced.
    void campaign(int id, bool force);
    void tick_election(int id);
    bool tick_next_election();  // false: no election timer armed
    void tick_heartbeat(int id);
    void tick_lease(int id);
    void client_request(int id, raft::OpType op, const std::string& key, const std::string& value);
    void take_snapshot(int id);
    // Administrative requests to a node (thesis ch. 4, §3.10): a refusal
    // prints its reason, an accepted request the Ready it produced.
    void conf_change(int id, raft::ConfChangeType type, raft::NodeId node);
    void transfer(int id, int target);
    void deliver(raft::Message&& m);
    // Completes up to max_writes of the node's pending writes, oldest first.
    void persist(int id, int max_writes);
    void restart(int id);
    // Persists and delivers until nothing is pending; returns the rounds it
    // took, or -1 if it did not settle within max_rounds.
    int stabilize(int max_rounds);

    void partition(const std::vector<std::vector<int>>& groups);
    void heal() { group_.assign(peers_.size(), 0); }
    bool cut(int from, int to) const;

    void emit(const std::string& line) { out_->push_back(indent_ + line); }
    // Whether the file uses membership (create voters= or joint=, or a
    // conf_change or transfer so far): status lines then end with each
    // node's configuration and snapshot messages name theirs. Off, the
    // output of the files written before membership stays as it was.
    bool show_conf() const { return show_conf_; }
    std::string text(const raft::Message& m) const { return message_text(m, show_conf_); }

  private:
    void drain(int id);
    void arm_timers(Peer& p, const raft::Ready& rd);
    void route(int id, raft::Ready& rd);
    void print_state(int id);
    void complete(int id, Write& w);

    raft::Config config_;
    uint64_t seed_ = 0;
    std::vector<Peer> peers_;
    std::vector<raft::Message> network_;
    std::vector<int> group_;
    int64_t now_us_ = 0;
    int64_t client_seq_ = 0;
    bool show_conf_ = false;
    std::vector<std::string>* out_ = nullptr;
    std::string indent_;
};

// What one write holds, e.g. " hard_state=(term=2 vote=0) entries=(3,2)..(4,2)".
std::string write_text(const Write& w);
// A Node's view in one line (with its configuration when with_conf), and its log.
std::string status_line(const Peer& p, bool with_conf);
std::string log_line(const raft::Node& n);
std::string kv_line(const raft::Node& n);

}  // namespace protocol
