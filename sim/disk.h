// sim/disk.h — one node's simulated disk.
//
// Fault model: a write (hard state, log entries, snapshot) is pending until an
// fsync that covers it completes after a sampled latency; fsyncs run one at a
// time and each covers every batch queued when it started (group commit). A
// crash loses every pending write. Optional crash faults: the first pending
// log write lands torn, or lands with a corrupted sector; both are caught by
// the per-entry checksum on recovery and truncated — never silently
// accepted. What survives in `durable` is exactly what a restart recovers.
//
// The disk owns its durable state, its write queue, its fsync schedule and
// its latency stream (copied with WorldState for checkpoints). It must not
// know the event queue, the trace or the network: it returns the time an
// fsync completes and what became durable, and the world schedules the event,
// records it and sends the messages that waited.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "base/rng.h"
#include "raft/types.h"
#include "sim/scenario.h"

namespace sim {

struct StoredEntry {
    raft::Entry entry;
    uint64_t checksum = 0;  // the entry's hash at write time

    StoredEntry() = default;
    // By rvalue, so that emplace_back moves an entry once (WebAssembly's
    // clang has no C++20 parenthesized aggregate init to do it otherwise).
    StoredEntry(raft::Entry&& e, uint64_t sum) : entry(std::move(e)), checksum(sum) {}
    StoredEntry(const raft::Entry& e, uint64_t sum) : entry(e), checksum(sum) {}
};

struct DurableState {
    raft::HardState hard_state;
    raft::SnapshotPtr snapshot;
    std::vector<StoredEntry> log;  // entries after the snapshot point, in order

    raft::Index snapshot_index() const { return snapshot ? snapshot->last_included_index : 0; }
    // The stored entry at index i, or nullptr.
    const StoredEntry* find(raft::Index i) const;
    void write_entry(const raft::Entry& e);
    void write_entry(raft::Entry&& e);
    void write_snapshot(const raft::SnapshotPtr& s);
    // Sizes on disk in the defined encoding (raft/wire_bytes.h,
    // docs/cli.md#bytes): the Raft state (hard state, plus each stored
    // entry with its checksum: MIT 6.5840's RaftStateSize), and the latest
    // snapshot (0 without one). Computed, not counted: O(log) and O(keys).
    int64_t persisted_bytes() const;
    int64_t snapshot_bytes() const;
};

// One Ready's worth of writes, plus the messages that wait for them.
struct WriteBatch {
    bool has_hard_state = false;
    raft::HardState hard_state;
    raft::SnapshotPtr snapshot;
    std::vector<raft::Entry> entries;
    raft::MessageList after_persist;
};

// What one fsync made durable, summed over its batches (the newest wins).
struct FsyncResult {
    raft::Index last_index = 0;  // last entry written, 0 if none
    raft::Term last_term = 0;
    raft::Index snapshot_index = 0;  // 0 if no snapshot
    bool has_hard_state = false;
    raft::HardState hard_state;
};

struct Disk {
    DurableState durable;
    base::Rng rng;                    // fsync latencies: this disk's own stream
    std::vector<WriteBatch> pending;  // oldest first; rarely more than a few
    int32_t fsync_covering = 0;       // batches the in-flight fsync will make durable
    uint64_t epoch = 0;               // bumped on crash: stale fsync events are ignored
    int64_t fsync_started_us = -1;
    int64_t fsync_done_us = -1;
    int64_t fsyncs = 0;

    bool fsync_in_flight() const { return fsync_covering > 0; }
    int64_t unsynced_entries() const;
    // Queues a batch; true when no fsync runs, so one must start now.
    bool enqueue(WriteBatch&& b) {
        pending.push_back(std::move(b));
        return !fsync_in_flight();
    }
    // Messages that must wait for every write queued so far; false (and
    // nothing taken) when nothing is pending: they may leave now. Inline: it
    // runs for every Ready that writes nothing.
    [[gnu::always_inline]] bool hold_until_durable(raft::MessageList* msgs) {
        if (pending.empty()) return false;
        raft::MessageList& wait = pending.back().after_persist;
        for (raft::Message& m : *msgs)
            wait.take_back(m);
        return true;
    }
    // Starts an fsync covering every queued batch; returns when it completes.
    int64_t start_fsync(int64_t now_us, const DiskModel& model);
    // Applies the first `fsync_covering` batches to durable storage and
    // moves them to *done (their messages may now leave). The entries written
    // are moved to the disk: in *done only their index and term remain.
    FsyncResult complete_fsync(std::vector<WriteBatch>* done);
    // The process crashed: every pending write is lost, except that the first
    // unsynced append may land torn or corrupted (drawn from `faults`).
    void crash(base::Rng& faults, const DiskModel& model);
    // A new process starts with an empty write queue; stale fsyncs are void.
    void reset_queue();

  private:
    void land_damaged_write(bool torn);
};

// Result of recovering a disk after a crash.
struct Recovery {
    raft::HardState hard_state;
    raft::SnapshotPtr snapshot;
    std::vector<raft::Entry> entries;
    int64_t truncated_at = 0;  // first index dropped for a bad checksum, 0 if none
};
Recovery recover(DurableState* d);

}  // namespace sim
