// sim/disk.cpp — durable storage and fsync batches (see disk.h).
#include "sim/disk.h"

#include <algorithm>
#include <string>

#include "base/assert.h"
#include "raft/wire_bytes.h"

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
    ASSERT_CMP(e.index, >, 0);
    ASSERT_MSG(e.hash != 0, "entries reach the disk sealed");
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
    ASSERT(s != nullptr);
    if (s->last_included_index <= snapshot_index()) return;  // an older one: nothing new
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

int64_t DurableState::persisted_bytes() const {
    int64_t n = raft::kHardStateBytes;
    for (const StoredEntry& s : log)
        n += raft::entry_wire_bytes(s.entry) + raft::kStoredEntryChecksumBytes;
    return n;
}

int64_t DurableState::snapshot_bytes() const {
    return snapshot ? raft::snapshot_wire_bytes(*snapshot) : 0;
}

int64_t Disk::unsynced_entries() const {
    ASSERT_CMP(static_cast<size_t>(fsync_covering), <=, pending.size());
    int64_t n = 0;
    for (const WriteBatch& b : pending) {
        n += static_cast<int64_t>(b.entries.size()) + (b.has_hard_state ? 1 : 0) +
             (b.snapshot ? 1 : 0);
    }
    return n;
}

int64_t Disk::start_fsync(int64_t now_us, const DiskModel& model) {
    ASSERT_MSG(!fsync_in_flight(), "fsyncs run one at a time");
    ASSERT_MSG(!pending.empty(), "an fsync covers at least one batch");
    fsync_covering = static_cast<int32_t>(pending.size());
    fsync_started_us = now_us;
    fsync_done_us = now_us + rng.range(model.fsync_us_min, model.fsync_us_max);
    return fsync_done_us;
}

FsyncResult Disk::complete_fsync(std::vector<WriteBatch>* done) {
    ASSERT(fsync_in_flight());
    ASSERT_CMP(static_cast<size_t>(fsync_covering), <=, pending.size());
    done->clear();
    FsyncResult r;
    const size_t n = static_cast<size_t>(fsync_covering);
    for (size_t i = 0; i < n; i++) {
        WriteBatch& b = done->emplace_back(std::move(pending[i]));
        if (b.snapshot) {
            durable.write_snapshot(b.snapshot);
            r.snapshot_index = b.snapshot->last_included_index;
        }
        if (b.has_hard_state) {
            durable.hard_state = b.hard_state;
            r.has_hard_state = true;
            r.hard_state = b.hard_state;
        }
        for (raft::Entry& e : b.entries)
            durable.write_entry(std::move(e));
        if (!b.entries.empty()) {
            r.last_index = b.entries.back().index;
            r.last_term = b.entries.back().term;
        }
    }
    pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(n));
    fsync_covering = 0;
    fsyncs++;
    return r;
}

void Disk::crash(base::Rng& faults, const DiskModel& model) {
    const bool torn = faults.chance(model.torn_write_ppm, kPpm);
    const bool corrupt = !torn && faults.chance(model.corrupt_ppm, kPpm);
    if (torn || corrupt) land_damaged_write(torn);
    reset_queue();
}

void Disk::reset_queue() {
    pending.clear();
    fsync_covering = 0;
    epoch++;
}

// Crash faults: the first unsynced append lands torn or corrupted, if it
// directly follows the durable log. The checksum written with it is that of
// the intended entry, so recovery sees the damage.
void Disk::land_damaged_write(bool torn) {
    for (const WriteBatch& b : pending) {
        if (b.entries.empty()) continue;
        const raft::Entry& e = b.entries.front();
        if (e.index != durable.snapshot_index() + 1 + static_cast<raft::Index>(durable.log.size()))
            return;
        StoredEntry s{e, e.hash};
        if (torn) {
            const std::string& v = s.entry.cmd.value;
            s.entry.cmd.value = v.substr(0, v.size() / 2);
            s.entry.term = 0;
        } else {
            s.entry.cmd.key += '\x7f';
        }
        s.entry.seal();  // the damaged content's own hash; the checksum keeps the intended one
        ASSERT_MSG(s.entry.hash != s.checksum, "damage a checksum cannot see is not modelled");
        durable.log.push_back(std::move(s));
        return;
    }
}

Recovery recover(DurableState* d) {
    ASSERT(d != nullptr);
    Recovery r;
    r.hard_state = d->hard_state;
    r.snapshot = d->snapshot;
    for (size_t i = 0; i < d->log.size(); i++) {
        const StoredEntry& s = d->log[i];
        // Damage changes an entry's content, never where it was written.
        ASSERT_CMP(s.entry.index, ==, d->snapshot_index() + 1 + static_cast<raft::Index>(i));
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
