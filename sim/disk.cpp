// sim/disk.cpp — durable storage and fsync batches (see disk.h).
#include "sim/disk.h"

#include <algorithm>

namespace sim {

const StoredEntry* DurableState::find(raft::Index i) const {
    const raft::Index first = snapshot_index() + 1;
    if (i < first || i >= first + static_cast<raft::Index>(log.size())) return nullptr;
    return &log[static_cast<size_t>(i - first)];
}

void DurableState::write_entry(const raft::Entry& e) {
    write_entry(raft::Entry(e));
}

void DurableState::write_entry(raft::Entry&& e) {
    const raft::Index first = snapshot_index() + 1;
    if (e.index < first) return;  // covered by the snapshot already
    const size_t pos = static_cast<size_t>(e.index - first);
    // Writing index i replaces i and everything after it (log truncation).
    if (pos < log.size()) log.resize(pos);
    if (pos > log.size()) return;  // a gap can only follow a truncation; dropped
    // Built in place: one move of the entry, not two.
    const uint64_t checksum = e.hash;
    log.emplace_back(std::move(e), checksum);
}

void DurableState::write_snapshot(const raft::SnapshotPtr& s) {
    if (!s || s->last_included_index <= snapshot_index()) return;
    const StoredEntry* at = find(s->last_included_index);
    // §7: the suffix after the snapshot point survives only if it matches.
    // Erased in place: the log keeps its capacity for the next entries.
    if (at && at->entry.term == s->last_included_term) {
        const size_t from = static_cast<size_t>(s->last_included_index - snapshot_index());
        log.erase(log.begin(), log.begin() + static_cast<std::ptrdiff_t>(from));
    } else {
        log.clear();
    }
    snapshot = s;
}

int64_t Disk::unsynced_entries() const {
    int64_t n = 0;
    for (const WriteBatch& b : pending) {
        n += static_cast<int64_t>(b.entries.size()) + (b.has_hard_state ? 1 : 0) +
             (b.snapshot ? 1 : 0);
    }
    return n;
}

void Disk::complete_fsync(std::vector<WriteBatch>* done) {
    done->clear();
    const size_t n = std::min(static_cast<size_t>(std::max(fsync_covering, 0)), pending.size());
    for (size_t i = 0; i < n; i++) {
        WriteBatch& b = done->emplace_back(std::move(pending[i]));
        if (b.snapshot) durable.write_snapshot(b.snapshot);
        if (b.has_hard_state) durable.hard_state = b.hard_state;
        for (raft::Entry& e : b.entries)
            durable.write_entry(std::move(e));
    }
    pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(n));
    fsync_covering = 0;
    fsyncs++;
}

Recovery recover(DurableState* d) {
    Recovery r;
    r.hard_state = d->hard_state;
    r.snapshot = d->snapshot;
    for (size_t i = 0; i < d->log.size(); i++) {
        const StoredEntry& s = d->log[i];
        if (raft::entry_hash(s.entry) != s.checksum) {
            // A torn or corrupted write: it was never synced, so dropping it
            // and everything after it loses nothing that was acknowledged.
            r.truncated_at = s.entry.index;
            d->log.resize(i);
            break;
        }
        r.entries.push_back(s.entry);
    }
    return r;
}

}  // namespace sim
