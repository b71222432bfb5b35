// sim/timeline.cpp — checkpoints, seek and forks (see timeline.h).
#include "sim/timeline.h"

#include <algorithm>
#include <cstring>

#include "raft/entry_codec.h"

namespace sim {

namespace {

size_t string_bytes(const std::string& s) {
    return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

size_t entry_bytes(const raft::Entry& e) {
    return sizeof(raft::Entry) + string_bytes(e.cmd.key) + string_bytes(e.cmd.value) +
           string_bytes(e.cmd.expected);
}

size_t message_bytes(const raft::Message& m) {
    size_t b = sizeof(raft::Message);
    for (const raft::Entry& e : m.entries)
        b += entry_bytes(e);
    return b;  // snapshots are shared, immutable objects: not copied
}

// Durable entries, then their checksums only where they differ from the
// entry's hash (a torn or corrupted write waiting to be found on recovery).
void encode_durable(const std::vector<StoredEntry>& log, std::string* out) {
    std::vector<raft::Entry> entries;
    entries.reserve(log.size());
    for (const StoredEntry& e : log)
        entries.push_back(e.entry);
    raft::encode_entries(entries, out);
    for (size_t k = 0; k < log.size(); k++) {
        if (log[k].checksum == raft::entry_hash(log[k].entry)) continue;
        out->append(reinterpret_cast<const char*>(&k), sizeof k);
        out->append(reinterpret_cast<const char*>(&log[k].checksum), sizeof(uint64_t));
    }
    const size_t end = SIZE_MAX;
    out->append(reinterpret_cast<const char*>(&end), sizeof end);
}

}  // namespace

size_t approx_bytes(const WorldState& s) {
    size_t b = sizeof(WorldState) + s.queue.capacity() * sizeof(Event);
    for (const auto& [id, f] : s.wire)
        b += 48 + sizeof(InFlight) + message_bytes(f.msg);
    for (const NodeSlot& n : s.nodes) {
        b += sizeof(NodeSlot);
        for (const raft::Entry& e : n.node.log().entries())
            b += entry_bytes(e);
        for (const StoredEntry& e : n.disk.durable.log)
            b += entry_bytes(e.entry) + 8;
        for (const WriteBatch& w : n.disk.pending) {
            b += sizeof(WriteBatch);
            for (const raft::Entry& e : w.entries)
                b += entry_bytes(e);
            for (const raft::Message& m : w.after_persist)
                b += message_bytes(m);
        }
        b += n.node.progress().size() * sizeof(raft::Progress);
        // The key-value store is dropped from checkpoints (rebuilt on restore).
        b += n.node.kv().key_count() * 96;
    }
    b += s.clients.size() * sizeof(Client);
    b += s.checker.leader_of_term.size() * 48;
    return b;
}

Timeline::Timeline(std::shared_ptr<const Scenario> scenario, uint64_t seed,
                   std::vector<Action> inputs, TimelineOptions options)
    : scenario_(std::move(scenario)), seed_(seed), options_(options) {
    spacing_ = std::max<int64_t>(1, options_.checkpoint_every_events);
    world_ = std::make_unique<World>(scenario_, seed_, std::move(inputs));
    world_->record_trace = options_.record_trace;
    take_checkpoint();
}

size_t Timeline::checkpoint_bytes() const {
    size_t b = 0;
    for (const Checkpoint& c : checkpoints_)
        b += c.bytes;
    return b;
}

// Copies the live state without its bulky parts: key-value stores, node
// logs and durable logs are moved out first (and put back after), so the copy
// is cheap; the logs are then encoded compactly.
Timeline::Checkpoint Timeline::pack(WorldState& live) {
    struct Bulk {
        raft::KvStore kv;
        std::vector<raft::Entry> log;
        std::vector<StoredEntry> durable;
    };
    std::vector<Bulk> bulk(live.nodes.size());
    for (size_t i = 0; i < live.nodes.size(); i++) {
        NodeSlot& n = live.nodes[i];
        bulk[i].kv = n.node.release_state_machine();
        bulk[i].log = n.node.log_for_checkpoint().release_entries();
        bulk[i].durable.swap(n.disk.durable.log);
    }
    Checkpoint c;
    c.state = live;
    for (size_t i = 0; i < live.nodes.size(); i++) {
        NodeSlot& n = live.nodes[i];
        raft::encode_entries(bulk[i].log, &c.logs);
        encode_durable(bulk[i].durable, &c.logs);
        n.node.put_back_state_machine(std::move(bulk[i].kv));
        n.node.log_for_checkpoint().restore_entries(std::move(bulk[i].log));
        n.disk.durable.log.swap(bulk[i].durable);
    }
    c.bytes = approx_bytes(c.state) + c.logs.size();
    return c;
}

WorldState Timeline::unpack(const Checkpoint& c) {
    WorldState st = c.state;
    size_t pos = 0;
    for (NodeSlot& n : st.nodes) {
        std::vector<raft::Entry> entries;
        raft::decode_entries(c.logs, &pos, &entries);
        n.node.log_for_checkpoint().restore_entries(std::move(entries));
        raft::decode_entries(c.logs, &pos, &entries);
        n.disk.durable.log.clear();
        for (raft::Entry& e : entries) {
            const uint64_t sum = raft::entry_hash(e);
            n.disk.durable.log.push_back(StoredEntry{std::move(e), sum});
        }
        for (;;) {
            size_t k = 0;
            std::memcpy(&k, c.logs.data() + pos, sizeof k);
            pos += sizeof k;
            if (k == SIZE_MAX) break;
            std::memcpy(&n.disk.durable.log[k].checksum, c.logs.data() + pos, sizeof(uint64_t));
            pos += sizeof(uint64_t);
        }
        n.node.rebuild_state_machine();
    }
    return st;
}

void Timeline::restore_checkpoint(const Checkpoint& c) {
    world_->restore(unpack(c));
}

void Timeline::take_checkpoint() {
    checkpoints_.push_back(pack(world_->state_for_checkpoint()));
    thin_checkpoints();
}

// Keeps memory bounded: drop every other checkpoint (never the first) and
// double the spacing of future ones.
void Timeline::thin_checkpoints() {
    if (checkpoint_bytes() <= options_.checkpoint_bytes_max || checkpoints_.size() < 3) return;
    std::vector<Checkpoint> kept;
    for (size_t i = 0; i < checkpoints_.size(); i++) {
        if (i % 2 == 0 || i + 1 == checkpoints_.size()) kept.push_back(std::move(checkpoints_[i]));
    }
    checkpoints_.swap(kept);
    spacing_ *= 2;
}

void Timeline::maybe_checkpoint() {
    const int64_t last = checkpoints_.empty() ? 0 : checkpoints_.back().state.events;
    if (world_->events() >= last + spacing_ && world_->events() > horizon_events_) {
        take_checkpoint();
    }
}

void Timeline::note_progress() {
    maybe_checkpoint();
    if (world_->events() > horizon_events_) {
        horizon_events_ = world_->events();
        horizon_us_ = world_->now_us();
    }
}

bool Timeline::step() {
    if (!world_->step(scenario_->duration_us)) return false;
    note_progress();
    return true;
}

void Timeline::run_until(int64_t t_us, int64_t max_events) {
    t_us = std::min(t_us, scenario_->duration_us);
    for (int64_t i = 0; i < max_events; i++) {
        if (!world_->step(t_us)) break;
        note_progress();
    }
    world_->advance_clock(t_us);
    if (world_->now_us() > horizon_us_) horizon_us_ = world_->now_us();
}

void Timeline::restore_nearest(int64_t event) {
    // The last checkpoint at or before `event`; the first one is at 0.
    size_t k = 0;
    for (size_t i = 0; i < checkpoints_.size(); i++) {
        if (checkpoints_[i].state.events <= event) k = i;
    }
    // Moving forward from where we are is cheaper than restoring.
    if (world_->events() <= event && world_->events() >= checkpoints_[k].state.events) return;
    restore_checkpoint(checkpoints_[k]);
}

void Timeline::seek_event(int64_t event) {
    event = std::max<int64_t>(0, event);
    restore_nearest(event);
    while (world_->events() < event) {
        if (!world_->step(scenario_->duration_us)) break;
        note_progress();
    }
}

void Timeline::seek_time(int64_t t_us) {
    // Find the checkpoint before t, then run while the next step is <= t.
    size_t k = 0;
    for (size_t i = 0; i < checkpoints_.size(); i++) {
        if (checkpoints_[i].state.now_us <= t_us) k = i;
    }
    const bool forward_ok =
        world_->now_us() <= t_us && world_->events() >= checkpoints_[k].state.events;
    if (!forward_ok) restore_checkpoint(checkpoints_[k]);
    run_until(t_us);
}

void Timeline::rebuild(std::vector<Action> inputs, int64_t event) {
    // Checkpoints after the fork point belong to the old future.
    while (!checkpoints_.empty() && checkpoints_.back().state.events > event) {
        checkpoints_.pop_back();
    }
    auto fresh = std::make_unique<World>(scenario_, seed_, std::move(inputs));
    fresh->record_trace = options_.record_trace;
    // A checkpoint taken before the fork is a state of the new timeline too:
    // the two input logs agree on everything applied up to it. The logs up to
    // there are shared as well.
    fresh->adopt_logs(*world_);
    world_.swap(fresh);
    restore_checkpoint(checkpoints_.back());
    horizon_events_ = world_->events();
    horizon_us_ = world_->now_us();
    seek_event(event);
}

void Timeline::act(Action a) {
    a.at_us = world_->now_us();
    if (world_->events() >= horizon_events_) {
        world_->add_input(std::move(a));
        return;
    }
    // A fork: keep the inputs up to now, drop the old future, add the action.
    const int64_t here = world_->events();
    undo_inputs_ = world_->inputs();
    undo_event_ = here;
    had_fork_ = true;
    std::vector<Action> inputs;
    for (const Action& x : world_->inputs()) {
        if (x.at_us <= a.at_us) inputs.push_back(x);
    }
    rebuild(inputs, here);
    world_->add_input(std::move(a));
}

void Timeline::undo_fork() {
    if (!had_fork_) return;
    std::vector<Action> inputs = std::move(undo_inputs_);
    undo_inputs_.clear();
    had_fork_ = false;
    rebuild(std::move(inputs), undo_event_);
}

}  // namespace sim
