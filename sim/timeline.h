// sim/timeline.h — time travel over a world: checkpoints, seek, step back,
// and forks.
//
// A Timeline owns one World and periodic checkpoints of its state. Because
// world = f(scenario, seed, input log), a checkpoint is only a shortcut:
// seek(e) restores the nearest checkpoint at or before event e and re-runs
// forward, which yields exactly the state a straight run had at e. Acting in
// the past forks: the inputs after that moment are discarded, the new action
// is appended, and the future is re-simulated. Checkpoint memory is bounded:
// when it exceeds the budget every other checkpoint is dropped (the spacing
// doubles), so seeks stay bounded by the re-run distance.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/world.h"

namespace sim {

struct TimelineOptions {
    // A seek re-runs at most this many events from the checkpoint before it.
    int64_t checkpoint_every_events = 5120;
    size_t checkpoint_bytes_max = 64u << 20;
    bool record_trace = true;
    // How far past the scenario's duration the timeline may run (an
    // open-ended run: the script ends at the duration, the world goes on).
    // 0: the duration is the end. The world at time t does not depend on it.
    int64_t open_end_us = 0;
};

class Timeline {
  public:
    Timeline(std::shared_ptr<const Scenario> scenario, uint64_t seed, std::vector<Action> inputs,
             TimelineOptions options = {});

    const World& world() const { return *world_; }
    int64_t events() const { return world_->events(); }
    // The furthest event simulated so far on this timeline.
    int64_t horizon_events() const { return horizon_events_; }
    int64_t horizon_us() const { return horizon_us_; }
    // The latest time this timeline runs to: duration + open_end_us.
    int64_t end_us() const { return scenario_->duration_us + options_.open_end_us; }

    // One event forward; false at the end of the run or on a halt.
    bool step();
    // Forward until simulated time t (inclusive), at most max_events.
    void run_until(int64_t t_us, int64_t max_events = INT64_MAX);
    // Exactly the state after `event` events.
    void seek_event(int64_t event);
    // The state after every event at or before t.
    void seek_time(int64_t t_us);
    void step_back() {
        if (events() > 0) seek_event(events() - 1);
    }

    // Applies a user action now, stamped with the cursor's time (which may
    // stand past its last event). If the cursor is behind the horizon, the
    // timeline forks (the old future is discarded; undo_fork brings it back)
    // and the new timeline stands at the same events and the same time.
    void act(Action a);
    bool can_undo_fork() const { return !undo_inputs_.empty() || had_fork_; }
    void undo_fork();
    bool forked() const { return had_fork_; }

    size_t checkpoint_count() const { return checkpoints_.size(); }
    size_t checkpoint_bytes() const;

    // A world state whose logs (node logs and durable logs) are moved into a
    // compact encoding and whose key-value stores are dropped (rebuilt).
    // Public for saved runs (format/run_archive), which store and load them.
    struct Checkpoint {
        WorldState state;
        std::string logs;
        // The distinct snapshots, encoded. When no node has taken a snapshot
        // since the previous checkpoint (light or no load), this checkpoint's
        // snapshots are the very objects the previous one encoded, and it
        // shares that encoding (weak pointers tell, without keeping them
        // alive). Under the standard workload (a snapshot per node every
        // second) each checkpoint has its own.
        std::shared_ptr<const std::string> snapshots;
        std::vector<std::weak_ptr<const raft::Snapshot>> snapshot_ids;
        // Encoded blocks of log entries that `logs` copies from (see
        // timeline.cpp). A block the previous checkpoint encoded with the same
        // bytes is its very string. Empty in a self-contained checkpoint.
        std::vector<std::shared_ptr<const std::string>> chunks;
        // State, logs and the chunk pointers; the snapshot block is counted
        // once, a chunk once in `fresh_chunk_bytes` of the first checkpoint in
        // a run of neighbours that hold it.
        size_t bytes = 0;
        size_t fresh_chunk_bytes = 0;
    };
    // The checkpoints, ascending by events (the first at event 0).
    const std::vector<Checkpoint>& checkpoints() const { return checkpoints_; }
    // What a checkpoint of `live` holds (the bulky parts move out and back:
    // live is unchanged after). `previous`, the checkpoint before it, lets it
    // share a snapshot block and log chunks; without one the checkpoint is
    // self-contained (what a run archive stores).
    static Checkpoint pack(WorldState& live, const Checkpoint* previous);
    // The same checkpoint, self-contained: logs encoded without chunks, as
    // pack(live, nullptr) would encode them.
    static Checkpoint self_contained(const Checkpoint& c);
    // Decodes a checkpoint whose packed parts (logs, snapshots) came from
    // outside, e.g. a file: false with *error when they are malformed, in
    // which case *out is unspecified. Never reads outside the bytes.
    static bool unpack_checked(const Checkpoint& c, WorldState* out, std::string* error);
    // Byte size of the packed parts as approx_bytes and checkpoint_bytes count them.
    static void account(Checkpoint* c);

    // A timeline over a saved run (format/run_archive): `world` was built
    // from the run's scenario, seed and inputs and holds the whole run's
    // append-only logs; `checkpoints` are the run's (ascending, the first at
    // event 0, each checked by unpack_checked) and `horizon_*` its end. The
    // world is restored to the last checkpoint; seeks use the checkpoints
    // instead of re-simulating from the start.
    static std::unique_ptr<Timeline> adopt(std::unique_ptr<World> world,
                                           std::vector<Checkpoint> checkpoints,
                                           int64_t horizon_events, int64_t horizon_us,
                                           TimelineOptions options = {});

  private:
    Timeline() = default;
    static WorldState unpack(const Checkpoint& c);
    void restore_checkpoint(const Checkpoint& c);
    void maybe_checkpoint();
    void take_checkpoint();
    void thin_checkpoints();
    void restore_nearest(int64_t event);
    void rebuild(std::vector<Action> inputs, int64_t event, int64_t t_us);
    void note_progress();

    std::shared_ptr<const Scenario> scenario_;
    uint64_t seed_ = 0;
    TimelineOptions options_;
    std::unique_ptr<World> world_;
    std::vector<Checkpoint> checkpoints_;  // ascending by events
    int64_t horizon_events_ = 0;
    int64_t horizon_us_ = 0;
    int64_t spacing_ = 0;
    std::vector<Action> undo_inputs_;
    int64_t undo_event_ = 0;
    int64_t undo_t_us_ = 0;
    bool had_fork_ = false;
};

// An estimate of the heap and inline bytes one checkpoint holds.
size_t approx_bytes(const WorldState& s);

}  // namespace sim
