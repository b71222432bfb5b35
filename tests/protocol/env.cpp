// tests/protocol/env.cpp — the interaction environment (see env.h): routes
// each Ready a Node hands out, holds acknowledgements until their write is
// durable, and prints every step in the form of print.h.
#include "tests/protocol/env.h"

#include <algorithm>

#include "tests/protocol/print.h"

namespace protocol {

using raft::Message;
using raft::Ready;

// ---------------------------------------------------------------------------
// the disk

// §7: a snapshot replaces the prefix it covers; entries after it survive
// only if the disk holds the snapshot's last entry with the same term.
void Disk::write_snapshot(const raft::SnapshotPtr& s) {
    bool keep = false;
    for (const raft::Entry& e : entries)
        keep = keep || (e.index == s->last_included_index && e.term == s->last_included_term);
    if (!keep) entries.clear();
    std::erase_if(entries, [&](const raft::Entry& e) { return e.index <= s->last_included_index; });
    snapshot = s;
}

// Ready's contract: each entry replaces whatever the disk holds at its index
// and after it.
void Disk::write_entries(const std::vector<raft::Entry>& es) {
    for (const raft::Entry& e : es) {
        std::erase_if(entries, [&](const raft::Entry& d) { return d.index >= e.index; });
        entries.push_back(e);
    }
}

// ---------------------------------------------------------------------------
// construction

void Env::create(const raft::Config& config, uint64_t seed, const std::vector<Disk>& disks) {
    config_ = config;
    seed_ = seed;
    show_conf_ = config.initial_voters != 0 || config.joint_consensus;
    peers_.clear();
    network_.clear();
    group_.assign(disks.size(), 0);
    for (size_t i = 0; i < disks.size(); i++) {
        const int id = static_cast<int>(i);
        peers_.push_back(
            Peer{raft::Node(id, config, seed + i), disks[i], {}, -1, -1, -1, -1, 0, {}, {}});
        Peer& p = peers_.back();
        p.node.restore(p.disk.hard_state, p.disk.snapshot, p.disk.entries);
        p.node.start();
        p.shown = Shown{p.node.role(), p.node.current_term(), p.node.voted_for(), p.node.leader(),
                        p.node.commit_index()};
        p.shown_conf = p.node.membership();
        emit(status_line(p, show_conf_));
        drain(id);
    }
}

void Env::restart(int id) {
    Peer& p = peer(id);
    emit(std::to_string(id) + " restart: " + std::to_string(p.unpersisted.size()) +
         " unpersisted write(s) lost");
    p.unpersisted.clear();
    p.restarts++;
    p.node = raft::Node(id, config_, seed_ + static_cast<uint64_t>(id + 1000 * p.restarts));
    p.node.restore(p.disk.hard_state, p.disk.snapshot, p.disk.entries);
    p.node.start();
    p.election_deadline_us = -1;
    p.election_armed_us = p.heartbeat_armed_us = p.lease_armed_us = -1;
    drain(id);
}

// ---------------------------------------------------------------------------
// inputs

void Env::campaign(int id, bool force) {
    emit(std::to_string(id) + " campaign" + (force ? " force" : ""));
    peer(id).node.campaign(force);
    drain(id);
}

void Env::tick_election(int id) {
    emit(std::to_string(id) + " election timeout");
    peer(id).election_deadline_us = -1;
    peer(id).node.on_election_timeout();
    drain(id);
}

// §5.2's randomized timeouts: the node whose armed timer runs out first
// fires (lowest id on a tie), and the clock moves to that moment.
bool Env::tick_next_election() {
    int next = -1;
    for (int i = 0; i < size(); i++) {
        const int64_t d = peer(i).election_deadline_us;
        if (d >= 0 && (next < 0 || d < peer(next).election_deadline_us)) next = i;
    }
    if (next < 0) return false;
    now_us_ = peer(next).election_deadline_us;
    emit("time=" + std::to_string(now_us_) + "us");
    tick_election(next);
    return true;
}

void Env::tick_heartbeat(int id) {
    emit(std::to_string(id) + " heartbeat timeout");
    peer(id).node.on_heartbeat_timeout();
    drain(id);
}

void Env::tick_lease(int id) {
    emit(std::to_string(id) + " lease timeout");
    peer(id).node.on_lease_timeout();
    drain(id);
}

void Env::take_snapshot(int id) {
    emit(std::to_string(id) + " take snapshot");
    peer(id).node.take_snapshot();
    drain(id);
}

void Env::conf_change(int id, raft::ConfChangeType type, raft::NodeId node) {
    show_conf_ = true;
    std::string what = raft::conf_change_name(type);
    if (node != raft::kNone) what += " " + std::to_string(node);
    emit(std::to_string(id) + " conf_change " + what);
    const raft::ConfRefusal r = peer(id).node.propose_conf_change(type, node);
    if (r != raft::ConfRefusal::kNone)
        emit(std::string("  refused why=") + raft::conf_refusal_name(r));
    drain(id);
}

void Env::transfer(int id, int target) {
    show_conf_ = true;
    emit(std::to_string(id) + " transfer leadership to " + std::to_string(target));
    const raft::ConfRefusal r = peer(id).node.transfer_leadership(target);
    if (r != raft::ConfRefusal::kNone)
        emit(std::string("  refused why=") + raft::conf_refusal_name(r));
    drain(id);
}

void Env::client_request(int id, raft::OpType op, const std::string& key,
                         const std::string& value) {
    Message m;
    m.type = raft::MsgType::kClientReq;
    m.to = id;
    m.cmd.client_id = 100;
    m.cmd.seq = ++client_seq_;
    m.cmd.op = op;
    m.cmd.key = key;
    m.cmd.value = value;
    emit("client100->" + std::to_string(id) + " " + raft::msg_type_name(m.type) + " " +
         command_text(m.cmd));
    peer(id).node.step(std::move(m));
    drain(id);
}

void Env::deliver(Message&& m) {
    if (cut(m.from, m.to)) {
        emit(text(m) + " DROPPED (partition)");
        return;
    }
    emit(text(m));
    const int to = m.to;
    peer(to).node.step(std::move(m));
    drain(to);
}

// ---------------------------------------------------------------------------
// persistence

void Env::persist(int id, int max_writes) {
    Peer& p = peer(id);
    for (int k = 0; k < max_writes && !p.unpersisted.empty(); k++) {
        Write w = std::move(p.unpersisted.front());
        p.unpersisted.pop_front();
        complete(id, w);
    }
}

// In Ready's order: snapshot, hard state, entries; then the messages that
// waited for them leave.
void Env::complete(int id, Write& w) {
    Peer& p = peer(id);
    const std::string what = write_text(w);
    emit(std::to_string(id) + " persisted" + (what.empty() ? " nothing new" : what));
    indent_ = "  ";
    if (w.snapshot) p.disk.write_snapshot(w.snapshot);
    if (w.has_hard_state) p.disk.hard_state = w.hard_state;
    p.disk.write_entries(w.entries);
    for (Message& m : w.held) {
        emit("release " + text(m));
        network_.push_back(std::move(m));
    }
    indent_.clear();
    if (w.snapshot) p.node.on_snapshot_persisted(w.snapshot->last_included_index);
    if (w.has_hard_state) p.node.on_hard_state_persisted(w.hard_state);
    if (!w.entries.empty()) p.node.on_persisted(w.entries.back().index, w.entries.back().term);
    drain(id);
}

int Env::stabilize(int max_rounds) {
    for (int round = 0; round < max_rounds; round++) {
        bool busy = !network_.empty();
        for (int i = 0; i < size(); i++) {
            busy = busy || !peer(i).unpersisted.empty();
            persist(i, 1 << 30);
        }
        if (!busy) return round;
        std::vector<Message> batch = std::move(network_);
        network_.clear();
        for (Message& m : batch)
            deliver(std::move(m));
    }
    return -1;
}

// ---------------------------------------------------------------------------
// partitions

void Env::partition(const std::vector<std::vector<int>>& groups) {
    // Nodes not named form one more group of their own.
    group_.assign(peers_.size(), static_cast<int>(groups.size()) + 1);
    for (size_t g = 0; g < groups.size(); g++) {
        for (int id : groups[g])
            group_[static_cast<size_t>(id)] = static_cast<int>(g) + 1;
    }
}

bool Env::cut(int from, int to) const {
    return group_[static_cast<size_t>(from)] != group_[static_cast<size_t>(to)];
}

// ---------------------------------------------------------------------------
// Ready

// Takes the node's Ready, prints it, and routes it: messages that may leave
// now join the network, the writes and the messages that wait for them join
// the node's disk queue.
void Env::drain(int id) {
    Ready rd = peer(id).node.take_ready();
    indent_ = "  ";
    // A refusal that sends no answer shows only here (one that answers
    // shows in its response too).
    if (rd.refused.why != raft::Refusal::kNone && !rd.refused.answered)
        emit("ignore " + refusal_text(rd.refused));
    print_state(id);
    arm_timers(peer(id), rd);
    route(id, rd);
    indent_.clear();
}

void Env::print_state(int id) {
    Peer& p = peer(id);
    const raft::Node& n = p.node;
    const Shown now{n.role(), n.current_term(), n.voted_for(), n.leader(), n.commit_index()};
    if (now != p.shown) {
        p.shown = now;
        emit(std::string("state ") + raft::role_name(now.role) +
             " term=" + std::to_string(now.term) + " vote=" + node_name(now.vote) +
             " leader=" + node_name(now.leader) + " commit=" + std::to_string(now.commit));
    }
    // §4.1: a configuration is in force from the moment its entry is in the
    // log (index 0: the snapshot's or the bootstrap one).
    if (n.membership() != p.shown_conf) {
        p.shown_conf = n.membership();
        emit("conf [" + raft::membership_text(p.shown_conf) +
             "] index=" + std::to_string(n.conf_index()));
    }
}

void Env::arm_timers(Peer& p, const Ready& rd) {
    if (rd.election_timer_us >= 0) {
        p.election_armed_us = rd.election_timer_us;
        p.election_deadline_us = now_us_ + rd.election_timer_us;
    }
    if (rd.heartbeat_timer_us >= 0) p.heartbeat_armed_us = rd.heartbeat_timer_us;
    if (rd.lease_timer_us >= 0) p.lease_armed_us = rd.lease_timer_us;
}

void Env::route(int id, Ready& rd) {
    Write w;
    w.snapshot = rd.snapshot;
    w.has_hard_state = rd.has_hard_state;
    w.hard_state = rd.hard_state;
    w.entries = rd.entries;
    if (w.snapshot)
        emit("write snapshot=" +
             pair_text(w.snapshot->last_included_index, w.snapshot->last_included_term) +
             (show_conf_ ? " conf=[" + raft::membership_text(w.snapshot->membership) + "]" : ""));
    if (w.has_hard_state)
        emit("write hard_state term=" + std::to_string(w.hard_state.current_term) +
             " vote=" + node_name(w.hard_state.voted_for));
    if (!w.entries.empty()) emit("write entries=" + entries_text(w.entries));
    for (Message& m : rd.msgs) {
        if (m.type == raft::MsgType::kClientResp) {
            emit("reply " + text(m));
            continue;
        }
        emit("send " + text(m));
        network_.push_back(std::move(m));
    }
    for (Message& m : rd.msgs_after_persist) {
        emit("hold " + text(m));
        w.held.push_back(std::move(m));
    }
    if (!rd.applied.empty()) {
        std::string s = "apply";
        for (const raft::Applied& a : rd.applied)
            s += " " + pair_text(a.index, a.term);
        emit(s);
    }
    if (rd.needs_persist() || !w.held.empty()) peer(id).unpersisted.push_back(std::move(w));
}

// ---------------------------------------------------------------------------
// views

std::string write_text(const Write& w) {
    std::string s;
    if (w.snapshot) {
        s += " snapshot=" +
             pair_text(w.snapshot->last_included_index, w.snapshot->last_included_term);
    }
    if (w.has_hard_state) {
        s += " hard_state=(term=" + std::to_string(w.hard_state.current_term) +
             " vote=" + node_name(w.hard_state.voted_for) + ")";
    }
    if (!w.entries.empty()) {
        s += " entries=" + entry_text(w.entries.front()) + ".." + entry_text(w.entries.back());
    }
    return s;
}

std::string status_line(const Peer& p, bool with_conf) {
    const raft::Node& n = p.node;
    return std::to_string(n.id()) + " " + raft::role_name(n.role()) +
           " term=" + std::to_string(n.current_term()) + " vote=" + node_name(n.voted_for()) +
           " leader=" + node_name(n.leader()) + " commit=" + std::to_string(n.commit_index()) +
           " applied=" + std::to_string(n.last_applied()) +
           " persisted=" + std::to_string(n.persisted_index()) +
           " last=" + pair_text(n.log().last_index(), n.log().last_term()) +
           " snapshot=" + std::to_string(n.snapshot_index()) +
           " unpersisted=" + std::to_string(p.unpersisted.size()) +
           (with_conf ? " conf=[" + raft::membership_text(n.membership()) + "]" : "");
}

std::string log_line(const raft::Node& n) {
    const raft::RaftLog& log = n.log();
    std::string s = std::to_string(n.id()) + " log:";
    if (log.snapshot_index() > 0)
        s += " compacted=" + pair_text(log.snapshot_index(), log.snapshot_term());
    for (const raft::Entry& e : log.entries())
        s += " " + entry_text(e);
    if (log.entries().empty()) s += " empty";
    return s;
}

std::string kv_line(const raft::Node& n) {
    std::string s = std::to_string(n.id()) + " kv:";
    for (const auto& [k, v] : n.kv().data())
        s += " " + k + "=" + v.str();
    if (n.kv().key_count() == 0) s += " empty";
    return s;
}

}  // namespace protocol
