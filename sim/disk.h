// sim/disk.h — one node's simulated disk.
//
// Fault model: a write (hard state, log entries, snapshot) is pending until an
// fsync that covers it completes after a sampled latency; fsyncs run one at a
// time and each covers every batch queued when it started (group commit). A
// crash loses every pending write. Optional crash faults: the first pending
// log write lands torn, or lands with a corrupted sector; both are caught by
// the per-entry checksum on recovery and truncated — never silently
// accepted. What survives in `durable` is exactly what a restart recovers.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "raft/types.h"

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
};

// One Ready's worth of writes, plus the messages that wait for them.
struct WriteBatch {
    bool has_hard_state = false;
    raft::HardState hard_state;
    raft::SnapshotPtr snapshot;
    std::vector<raft::Entry> entries;
    std::vector<raft::Message> after_persist;
};

struct Disk {
    DurableState durable;
    std::vector<WriteBatch> pending;  // oldest first; rarely more than a few
    int32_t fsync_covering = 0;       // batches the in-flight fsync will make durable
    uint64_t epoch = 0;               // bumped on crash: stale fsync events are ignored
    int64_t fsync_started_us = -1;
    int64_t fsync_done_us = -1;
    int64_t fsyncs = 0;

    bool fsync_in_flight() const { return fsync_covering > 0; }
    int64_t unsynced_entries() const;
    // Applies the first `fsync_covering` batches to durable storage and
    // moves them to *done (their messages may now leave). The entries written
    // are moved to the disk: in *done only their index and term remain.
    void complete_fsync(std::vector<WriteBatch>* done);
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
