// sim/timeline.cpp — checkpoints, seek and forks (see timeline.h).
#include "sim/timeline.h"

#include <algorithm>
#include <cstring>

#include "raft/entry_codec.h"
#include "sim/limits.h"

namespace sim {

namespace {

size_t string_bytes(const std::string& s) {
    return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

// A Blob's heap share: control block, string, characters (counted in full
// although others may share it).
size_t blob_bytes(const raft::Blob& b) {
    return b.empty() ? 0 : 48 + string_bytes(b.str());
}

size_t entry_bytes(const raft::Entry& e) {
    return sizeof(raft::Entry) + string_bytes(e.cmd.key) + blob_bytes(e.cmd.value) +
           blob_bytes(e.cmd.expected);
}

size_t snapshot_bytes(const raft::SnapshotPtr& s) {
    if (!s) return 0;
    size_t b = sizeof(raft::Snapshot) + s->sessions.size() * sizeof(s->sessions[0]) +
               s->kv_meta.size() * sizeof(raft::KeyMeta);
    for (const auto& [k, v] : s->kv)
        b += sizeof(s->kv[0]) + string_bytes(k) + blob_bytes(v);
    return b;
}

// Snapshots in flight or waiting for the disk stay referenced by the
// checkpoint: counted whole.
size_t message_bytes(const raft::Message& m) {
    size_t b = sizeof(raft::Message) + snapshot_bytes(m.snapshot);
    for (const raft::Entry& e : m.entries)
        b += entry_bytes(e);
    return b;
}

// A checkpoint holds every node's log and durable log. Across nodes (and
// between a node's log and its disk) most entries are the same, so a list is
// encoded as runs: "copy n entries with the same indexes from list j" or "n
// literal entries". After the shared chunks (below), which come first, list
// 2i is node i's log and list 2i+1 its durable log.
using EntryList = std::vector<const raft::Entry*>;

// Where dst[p]'s index sits in src, or -1 when src does not hold it.
raft::Index offset_in(const EntryList& src, const EntryList& dst, size_t p) {
    ASSERT_CMP(p, <, dst.size());
    if (src.empty()) return -1;
    const raft::Index off = dst[p]->index - src.front()->index;
    return off < 0 || off >= static_cast<raft::Index>(src.size()) ? -1 : off;
}

// The longest match a copy from src at dst[p] could have: both lists' rest.
size_t match_bound(const EntryList& src, const EntryList& dst, size_t p) {
    const raft::Index off = offset_in(src, dst, p);
    return off < 0 ? 0 : std::min(dst.size() - p, src.size() - static_cast<size_t>(off));
}

size_t match_length(const EntryList& src, const EntryList& dst, size_t p) {
    const raft::Index off = offset_in(src, dst, p);
    if (off < 0) return 0;
    size_t n = 0;
    for (size_t o = static_cast<size_t>(off); p + n < dst.size() && o + n < src.size(); n++) {
        if (!(*src[o + n] == *dst[p + n])) break;
    }
    return n;
}

// match_length(src, dst, p) > 0, comparing one entry.
bool match_starts(const EntryList& src, const EntryList& dst, size_t p) {
    const raft::Index off = offset_in(src, dst, p);
    return off >= 0 && *src[static_cast<size_t>(off)] == *dst[p];
}

// Encodes lists[first..]; each may copy from any list before it, including
// lists[0..first), which are encoded elsewhere (the shared chunks).
void encode_lists(const std::vector<EntryList>& lists, size_t first, std::string* out) {
    ASSERT(out != nullptr);
    for (size_t k = first; k < lists.size(); k++) {
        const EntryList& list = lists[k];
        raft::put_varint(list.size(), out);
        if (list.empty()) continue;
        raft::put_signed(list.front()->index, out);
        size_t p = 0;
        while (p < list.size()) {
            // The longest copy, the earliest list on a tie. A list whose
            // rest cannot beat the best so far is not compared: in a healthy
            // cluster the first full match ends the search.
            size_t best = 0, from = 0;
            for (size_t j = 0; j < k; j++) {
                if (match_bound(lists[j], list, p) <= best) continue;
                const size_t n = match_length(lists[j], list, p);
                if (n > best) best = n, from = j;
            }
            if (best > 0) {
                raft::put_varint(from << 1 | 1, out);
                raft::put_varint(best, out);
                p += best;
                continue;
            }
            size_t end = p + 1;
            for (; end < list.size(); end++) {
                bool copyable = false;
                for (size_t j = 0; j < k && !copyable; j++)
                    copyable = match_starts(lists[j], list, end);
                if (copyable) break;
            }
            raft::put_varint((end - p) << 1, out);
            raft::Index prev = list[p]->index - 1;
            for (; p < end; p++) {
                // A log is consecutive: a list is its first index and the entries.
                ASSERT_CMP(list[p]->index, ==, list.front()->index + static_cast<raft::Index>(p));
                raft::encode_entry(*list[p], &prev, out);
            }
        }
    }
}

// Checkpoints the timeline packed itself always decode; one loaded from a
// file (format/run_archive) may not, so every count, reference and index is
// checked against what the encoder can write: a failure is a false return,
// never a read outside `in` or an unbounded allocation.
bool decode_literals(const std::string& in, size_t* pos, uint64_t count, raft::Index next,
                     std::vector<raft::Entry>* list) {
    ASSERT_CMP(*pos, <=, in.size());
    raft::Index prev = next - 1;
    for (uint64_t i = 0; i < count; i++) {
        raft::Entry e;
        if (!raft::decode_entry(in, pos, &prev, &e) ||
            e.index != next + static_cast<raft::Index>(i))
            return false;
        list->push_back(std::move(e));
    }
    return true;
}

bool decode_copy(const std::vector<raft::Entry>& src, uint64_t count, raft::Index next,
                 std::vector<raft::Entry>* list) {
    if (src.empty() || count == 0 || next < src.front().index) return false;
    const auto off = static_cast<uint64_t>(next - src.front().index);
    if (off >= src.size() || count > src.size() - off) return false;
    list->insert(list->end(), src.begin() + static_cast<std::ptrdiff_t>(off),
                 src.begin() + static_cast<std::ptrdiff_t>(off + count));
    return true;
}

bool decode_list(const std::string& in, size_t* pos, std::vector<std::vector<raft::Entry>>* lists,
                 size_t k) {
    ASSERT_CMP(k, <, lists->size());  // copies name only the lists before k
    std::vector<raft::Entry>& list = (*lists)[k];
    uint64_t n = 0;
    if (!raft::get_varint(in, pos, &n)) return false;
    list.clear();
    if (n == 0) return true;
    // Copied runs make lists longer than their bytes: the total is bounded.
    uint64_t total = 0;
    for (size_t j = 0; j < k; j++)
        total += (*lists)[j].size();
    if (n > kMaxCheckpointEntries - total) return false;
    raft::Index first = 0;
    if (!raft::get_signed(in, pos, &first) || first < 1 || first > (int64_t(1) << 62)) return false;
    while (list.size() < n) {
        uint64_t tag = 0, count = 0;
        if (!raft::get_varint(in, pos, &tag)) return false;
        const raft::Index next = first + static_cast<raft::Index>(list.size());
        if (tag & 1) {
            if ((tag >> 1) >= k || !raft::get_varint(in, pos, &count) || count > n - list.size() ||
                !decode_copy((*lists)[tag >> 1], count, next, &list))
                return false;
            continue;
        }
        count = tag >> 1;
        if (count == 0 || count > n - list.size() || count > in.size() - *pos) return false;
        if (!decode_literals(in, pos, count, next, &list)) return false;
    }
    return true;
}

bool decode_lists(const std::string& in, size_t* pos, std::vector<std::vector<raft::Entry>>* lists,
                  size_t first) {
    for (size_t k = first; k < lists->size(); k++) {
        if (!decode_list(in, pos, lists, k)) return false;
    }
    return true;
}

// ---- log chunks shared between checkpoints ------------------------------------------
//
// Between two checkpoints (5,120 events apart) a log mostly grows: under the
// standard workload about two thirds of a checkpoint's distinct entries were
// in the previous one. So the entries of every aligned block of kChunkEntries
// indexes that a log holds whole are encoded on their own, as a chunk (a list
// of literals), and a checkpoint whose block has the same bytes as one of the
// previous checkpoint's chunks holds that very string. The node lists then
// copy from the chunks as from any earlier list. A chunk decodes by itself:
// a checkpoint never needs another one's state, only shared immutable bytes.
constexpr raft::Index kChunkEntries = 32;

using ChunkPtr = std::shared_ptr<const std::string>;

size_t chunk_heap_bytes(const ChunkPtr& c) {
    return 48 + string_bytes(*c);  // control block and string, then its characters
}

// Adds a chunk for every aligned block the node lists hold whole, unless an
// equal one is there already: the previous checkpoint's when its bytes match
// (shared), else new. `lists` holds the node lists; the chunks' lists are
// inserted before them, in the order of *chunks.
void make_chunks(std::vector<EntryList>* lists, const std::vector<ChunkPtr>* previous,
                 std::vector<ChunkPtr>* chunks) {
    std::vector<EntryList> chunk_lists;
    std::string bytes;
    for (const EntryList& list : *lists) {
        if (list.empty()) continue;
        const raft::Index first = list.front()->index;
        const raft::Index last = list.back()->index;
        raft::Index b = (first + kChunkEntries - 1) / kChunkEntries * kChunkEntries;
        for (; b + kChunkEntries - 1 <= last; b += kChunkEntries) {
            const auto at = static_cast<size_t>(b - first);
            EntryList block(list.begin() + static_cast<std::ptrdiff_t>(at),
                            list.begin() + static_cast<std::ptrdiff_t>(at) + kChunkEntries);
            bool have = false;
            for (size_t j = 0; j < chunk_lists.size() && !have; j++) {
                have = match_bound(chunk_lists[j], block, 0) == block.size() &&
                       match_length(chunk_lists[j], block, 0) == block.size();
            }
            if (have) continue;
            bytes.clear();
            encode_lists({block}, 0, &bytes);
            ChunkPtr chunk;
            for (size_t j = 0; previous != nullptr && j < previous->size() && !chunk; j++) {
                if (*(*previous)[j] == bytes) chunk = (*previous)[j];
            }
            if (!chunk) chunk = std::make_shared<const std::string>(bytes);
            chunks->push_back(std::move(chunk));
            chunk_lists.push_back(std::move(block));
        }
    }
    lists->insert(lists->begin(), chunk_lists.begin(), chunk_lists.end());
}

bool decode_chunks(const std::vector<ChunkPtr>& chunks,
                   std::vector<std::vector<raft::Entry>>* lists) {
    ASSERT_CMP(lists->size(), >=, chunks.size());
    for (size_t k = 0; k < chunks.size(); k++) {
        size_t pos = 0;
        if (!decode_list(*chunks[k], &pos, lists, k) || pos != chunks[k]->size()) return false;
    }
    return true;
}

// Every snapshot pointer a state holds besides the nodes' and disks' own:
// pending write batches (and the messages waiting on them) and messages on
// the wire. Nearly always they are objects a node or disk holds too (a node's
// fresh snapshot on its way to the disk, a leader's on its way to a
// follower). Encoding and decoding visit them in this one order.
template <class F>
void for_each_loose_snapshot(WorldState& st, F&& f) {
    for (NodeSlot& n : st.nodes) {
        for (WriteBatch& b : n.disk.pending) {
            f(b.snapshot);
            for (raft::Message& m : b.after_persist)
                f(m.snapshot);
        }
    }
    std::vector<int64_t> ids;
    for (const auto& [id, f_] : st.net.wire())
        ids.push_back(id);
    for (int64_t id : ids)
        f(st.net.wire().find(id)->msg.snapshot);
}

// Takes the snapshots out of `st`: the distinct ones in first-seen order into
// *unique, and each holder's reference (an index into it, 0 for none) into
// *refs: every node's and disk's, then the loose ones.
void take_snapshots(WorldState& st, const std::vector<raft::Node::Image>& images,
                    std::vector<raft::SnapshotPtr>* unique_out, std::string* refs_out) {
    ASSERT_CMP(images.size(), ==, st.nodes.size());
    std::vector<NodeSlot>& nodes = st.nodes;
    std::vector<raft::SnapshotPtr>& unique = *unique_out;
    auto slot_of = [&](const raft::SnapshotPtr& p) -> uint64_t {
        if (!p) return 0;
        for (size_t i = 0; i < unique.size(); i++)
            if (unique[i] == p) return i + 1;
        unique.push_back(p);
        return unique.size();
    };
    for (size_t i = 0; i < nodes.size(); i++) {
        raft::put_varint(slot_of(images[i].snapshot), refs_out);
        raft::put_varint(slot_of(nodes[i].disk.durable.snapshot), refs_out);
        nodes[i].disk.durable.snapshot.reset();
    }
    for_each_loose_snapshot(st, [&](raft::SnapshotPtr& p) {
        raft::put_varint(slot_of(p), refs_out);
        p.reset();
    });
}

// The first snapshot whole, the others as differences from it.
void encode_snapshots(const std::vector<raft::SnapshotPtr>& unique, std::string* out) {
    raft::put_varint(unique.size(), out);
    for (size_t i = 0; i < unique.size(); i++)
        raft::encode_snapshot(*unique[i], i == 0 ? nullptr : unique[0].get(), out);
}

bool decode_snapshots(const std::string& block, const std::string& in, size_t* pos, WorldState* st,
                      std::vector<raft::Node::Image>* images) {
    ASSERT_CMP(images->size(), ==, st->nodes.size());
    std::vector<NodeSlot>* nodes = &st->nodes;
    uint64_t n = 0;
    size_t at_block = 0;
    // Each snapshot takes at least two bytes.
    if (!raft::get_varint(block, &at_block, &n) || n > block.size()) return false;
    std::vector<raft::SnapshotPtr> unique;
    for (uint64_t i = 0; i < n; i++) {
        auto s = std::make_shared<raft::Snapshot>();
        if (!raft::decode_snapshot(block, &at_block, i == 0 ? nullptr : unique[0].get(), s.get()))
            return false;
        unique.push_back(std::move(s));
    }
    bool ok = at_block == block.size();
    auto at = [&](uint64_t ref) -> raft::SnapshotPtr {
        if (ref > unique.size()) ok = false;
        return ref == 0 || ref > unique.size() ? nullptr : unique[ref - 1];
    };
    auto get_ref = [&](uint64_t* ref) {
        if (!raft::get_varint(in, pos, ref)) ok = false;
    };
    for (size_t i = 0; i < nodes->size(); i++) {
        uint64_t node_ref = 0, disk_ref = 0;
        get_ref(&node_ref);
        get_ref(&disk_ref);
        (*images)[i].snapshot = at(node_ref);
        (*nodes)[i].disk.durable.snapshot = at(disk_ref);
    }
    for_each_loose_snapshot(*st, [&](raft::SnapshotPtr& p) {
        uint64_t ref = 0;
        get_ref(&ref);
        p = at(ref);
    });
    return ok;
}

// Durable checksums, only where they differ from the entry's hash (a torn or
// corrupted write waiting to be found on recovery).
void encode_checksums(const std::vector<StoredEntry>& log, std::string* out) {
    for (size_t k = 0; k < log.size(); k++) {
        if (log[k].checksum == log[k].entry.hash) continue;
        raft::put_varint(k + 1, out);
        raft::put_varint(log[k].checksum, out);
    }
    raft::put_varint(0, out);
}

bool decode_checksums(const std::string& in, size_t* pos, std::vector<StoredEntry>* log) {
    ASSERT_CMP(*pos, <=, in.size());
    // Each pair takes at least two bytes: the loop ends within the input.
    for (;;) {
        uint64_t k = 0, sum = 0;
        if (!raft::get_varint(in, pos, &k)) return false;
        if (k == 0) return true;
        if (k > log->size() || !raft::get_varint(in, pos, &sum)) return false;
        (*log)[static_cast<size_t>(k - 1)].checksum = sum;
    }
}

}  // namespace

size_t approx_bytes(const WorldState& s) {
    size_t b = sizeof(WorldState) + s.queue.capacity() * sizeof(Event);
    b += s.net.wire().footprint_bytes();  // the pool holds each InFlight and its Message
    for (const auto& [id, f] : s.net.wire())
        b += message_bytes(f.msg) - sizeof(raft::Message);
    for (const NodeSlot& n : s.nodes) {
        b += sizeof(NodeSlot);
        for (const raft::Entry& e : n.node.log().entries())
            b += entry_bytes(e);
        for (const StoredEntry& e : n.disk.durable.log)
            b += entry_bytes(e.entry) + 8;
        for (const WriteBatch& w : n.disk.pending) {
            b += sizeof(WriteBatch) + snapshot_bytes(w.snapshot);
            for (const raft::Entry& e : w.entries)
                b += entry_bytes(e);
            for (const raft::Message& m : w.after_persist)
                b += message_bytes(m);
        }
        for (const raft::Progress& p : n.node.progress())
            b += sizeof(raft::Progress) + p.inflight.capacity() * sizeof(raft::Progress::Inflight);
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
    // Every seek and fork relies on a checkpoint at time 0.
    ASSERT(checkpoints_.size() == 1 && checkpoints_.front().state.events == 0);
}

namespace {

// The bytes of c's chunks that `before` (its neighbour) does not hold.
size_t fresh_chunk_bytes(const Timeline::Checkpoint& c, const Timeline::Checkpoint* before) {
    size_t b = 0;
    for (const ChunkPtr& chunk : c.chunks) {
        const bool shared =
            before != nullptr &&
            std::find(before->chunks.begin(), before->chunks.end(), chunk) != before->chunks.end();
        if (!shared) b += chunk_heap_bytes(chunk);
    }
    return b;
}

}  // namespace

size_t Timeline::checkpoint_bytes() const {
    size_t b = 0;
    for (size_t i = 0; i < checkpoints_.size(); i++) {
        const Checkpoint& c = checkpoints_[i];
        b += c.bytes + c.fresh_chunk_bytes;
        ASSERT(c.snapshots != nullptr);  // pack and the archive's loader always set one
        // Only neighbours share a block (thinning keeps that true).
        if (i == 0 || c.snapshots != checkpoints_[i - 1].snapshots) b += c.snapshots->capacity();
    }
    return b;
}

// Copies the live state without its bulky parts: key-value stores, node
// logs and durable logs are moved out first (and put back after), so the copy
// is cheap; the logs and snapshots are then encoded compactly (snapshots are
// shared, immutable objects, but a checkpoint that kept them alive would keep
// a whole key-value image per node).
Timeline::Checkpoint Timeline::pack(WorldState& live, const Checkpoint* previous) {
    ASSERT(previous == nullptr || previous->state.events <= live.events);
    const size_t nodes = live.nodes.size();
    std::vector<raft::Node::Image> images(nodes);
    std::vector<std::vector<StoredEntry>> durable(nodes);
    for (size_t i = 0; i < nodes; i++) {
        NodeSlot& n = live.nodes[i];
        images[i] = n.node.take_image();
        durable[i].swap(n.disk.durable.log);
    }
    Checkpoint c;
    c.state = live;
    std::vector<EntryList> lists(2 * live.nodes.size());
    for (size_t i = 0; i < live.nodes.size(); i++) {
        for (const raft::Entry& e : images[i].log)
            lists[2 * i].push_back(&e);
        for (const StoredEntry& e : durable[i])
            lists[2 * i + 1].push_back(&e.entry);
    }
    if (previous != nullptr) make_chunks(&lists, &previous->chunks, &c.chunks);
    encode_lists(lists, c.chunks.size(), &c.logs);
    for (const std::vector<StoredEntry>& d : durable)
        encode_checksums(d, &c.logs);
    std::vector<raft::SnapshotPtr> unique;
    take_snapshots(c.state, images, &unique, &c.logs);
    bool same = previous != nullptr && previous->snapshot_ids.size() == unique.size();
    for (size_t i = 0; same && i < unique.size(); i++)
        same = previous->snapshot_ids[i].lock() == unique[i];
    if (same) {
        c.snapshots = previous->snapshots;
        c.snapshot_ids = previous->snapshot_ids;
    } else {
        auto block = std::make_shared<std::string>();
        encode_snapshots(unique, block.get());
        block->shrink_to_fit();
        c.snapshots = std::move(block);
        c.snapshot_ids.assign(unique.begin(), unique.end());
    }
    for (size_t i = 0; i < nodes; i++) {
        NodeSlot& n = live.nodes[i];
        n.node.put_image(std::move(images[i]));
        n.disk.durable.log.swap(durable[i]);
    }
    account(&c);
    c.fresh_chunk_bytes = fresh_chunk_bytes(c, previous);
    return c;
}

Timeline::Checkpoint Timeline::self_contained(const Checkpoint& c) {
    Checkpoint out = c;
    if (c.chunks.empty()) return out;
    const size_t m = c.chunks.size();
    std::vector<std::vector<raft::Entry>> decoded(m + 2 * c.state.nodes.size());
    size_t pos = 0;
    const bool ok = decode_chunks(c.chunks, &decoded) && decode_lists(c.logs, &pos, &decoded, m);
    ASSERT_MSG(ok, "a checkpoint the timeline packed decodes");
    std::vector<EntryList> lists(decoded.size() - m);
    for (size_t k = 0; k < lists.size(); k++) {
        for (const raft::Entry& e : decoded[m + k])
            lists[k].push_back(&e);
    }
    out.logs.clear();
    encode_lists(lists, 0, &out.logs);
    out.logs.append(c.logs, pos);  // the checksums and snapshot references
    out.chunks.clear();
    account(&out);
    out.fresh_chunk_bytes = 0;
    return out;
}

namespace {

// What put_image's rebuild of the key-value store needs: every applied entry
// after the snapshot point is in the log. Checked before, for outside bytes.
bool image_fits(const raft::Node& node, const raft::Node::Image& im) {
    const raft::Index last = node.log().snapshot_index() + static_cast<raft::Index>(im.log.size());
    if (!im.log.empty() && im.log.front().index != node.log().snapshot_index() + 1) return false;
    if (im.snapshot && im.snapshot->last_included_index > node.last_applied()) return false;
    return node.last_applied() >= 0 && node.last_applied() <= last;
}

bool unpack_into(const Timeline::Checkpoint& c, WorldState* out, std::string* error) {
    WorldState& st = *out;
    st = c.state;
    size_t pos = 0;
    const size_t m = c.chunks.size();
    std::vector<std::vector<raft::Entry>> lists(m + 2 * st.nodes.size());
    std::vector<raft::Node::Image> images(st.nodes.size());  // has_kv false: rebuilt
    if (!decode_chunks(c.chunks, &lists) || !decode_lists(c.logs, &pos, &lists, m))
        return *error = "malformed node logs", false;
    for (size_t i = 0; i < st.nodes.size(); i++) {
        NodeSlot& n = st.nodes[i];
        images[i].log = std::move(lists[m + 2 * i]);
        n.disk.durable.log.clear();
        n.disk.durable.log.reserve(lists[m + 2 * i + 1].size());
        for (raft::Entry& e : lists[m + 2 * i + 1]) {
            const uint64_t sum = e.hash;  // sealed by the decoder
            n.disk.durable.log.emplace_back(std::move(e), sum);
        }
    }
    for (NodeSlot& n : st.nodes) {
        if (!decode_checksums(c.logs, &pos, &n.disk.durable.log))
            return *error = "malformed disk checksums", false;
    }
    if (c.snapshots == nullptr || !decode_snapshots(*c.snapshots, c.logs, &pos, &st, &images))
        return *error = "malformed snapshots", false;
    if (pos != c.logs.size()) return *error = "bytes after the packed logs", false;
    for (size_t i = 0; i < st.nodes.size(); i++) {
        if (!image_fits(st.nodes[i].node, images[i]))
            return *error = "node " + std::to_string(i) + ": log does not cover last_applied",
                   false;
        st.nodes[i].node.put_image(std::move(images[i]));
    }
    return true;
}

}  // namespace

WorldState Timeline::unpack(const Checkpoint& c) {
    WorldState st;
    std::string error;
    ASSERT_MSG(unpack_into(c, &st, &error), error.c_str());
    return st;
}

bool Timeline::unpack_checked(const Checkpoint& c, WorldState* out, std::string* error) {
    return unpack_into(c, out, error);
}

void Timeline::account(Checkpoint* c) {
    c->logs.shrink_to_fit();
    c->chunks.shrink_to_fit();
    c->bytes =
        approx_bytes(c->state) + c->logs.capacity() + c->chunks.capacity() * sizeof(c->chunks[0]);
}

std::unique_ptr<Timeline> Timeline::adopt(std::unique_ptr<World> world,
                                          std::vector<Checkpoint> checkpoints,
                                          int64_t horizon_events, int64_t horizon_us,
                                          TimelineOptions options) {
    ASSERT(!checkpoints.empty() && checkpoints.front().state.events == 0);
    std::unique_ptr<Timeline> t(new Timeline());
    t->scenario_ = world->scenario_ptr();
    t->seed_ = world->seed();
    t->options_ = options;
    t->spacing_ = std::max<int64_t>(1, options.checkpoint_every_events);
    t->world_ = std::move(world);
    t->world_->record_trace = options.record_trace;
    t->checkpoints_ = std::move(checkpoints);
    t->horizon_events_ = horizon_events;
    t->horizon_us_ = horizon_us;
    t->restore_checkpoint(t->checkpoints_.back());
    return t;
}

void Timeline::restore_checkpoint(const Checkpoint& c) {
    world_->restore(unpack(c));
}

void Timeline::take_checkpoint() {
    const Checkpoint* previous = checkpoints_.empty() ? nullptr : &checkpoints_.back();
    Checkpoint c = pack(world_->state_for_checkpoint(), previous);
    // Checkpoints ascend: restore_nearest and seek_time pick the last one
    // before a point by scanning in order.
    ASSERT(previous == nullptr || previous->state.events < c.state.events);
    checkpoints_.push_back(std::move(c));
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
    // A chunk's holders were neighbours and still are: each is counted by
    // the first of them again.
    for (size_t i = 1; i < checkpoints_.size(); i++)
        checkpoints_[i].fresh_chunk_bytes =
            fresh_chunk_bytes(checkpoints_[i], &checkpoints_[i - 1]);
    ASSERT_CMP(checkpoints_.size(), >=, 2u);
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
    if (!world_->step(end_us())) return false;
    note_progress();
    return true;
}

void Timeline::run_until(int64_t t_us, int64_t max_events) {
    ASSERT_CMP(max_events, >=, 0);
    const World::RunScope scope(*world_);  // once, not at every step
    t_us = std::min(t_us, end_us());
    for (int64_t i = 0; i < max_events; i++) {
        if (!world_->step(t_us)) break;
        note_progress();
    }
    world_->advance_clock(t_us);
    if (world_->now_us() > horizon_us_) horizon_us_ = world_->now_us();
}

void Timeline::restore_nearest(int64_t event) {
    ASSERT_MSG(!checkpoints_.empty(), "the timeline keeps its checkpoint at time 0");
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
    const World::RunScope scope(*world_);
    while (world_->events() < event) {
        if (!world_->step(end_us())) break;
        note_progress();
    }
    ASSERT_CMP(world_->events(), <=, event);  // a seek never overshoots its event
}

void Timeline::seek_time(int64_t t_us) {
    ASSERT(!checkpoints_.empty());
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

// The new timeline at the old cursor: `event` events, and the clock at t_us
// (the cursor may stand past its last event: idle time the old world had
// passed and the new one must pass too, or an action stamped t_us would wait
// for the next event).
void Timeline::rebuild(std::vector<Action> inputs, int64_t event, int64_t t_us) {
    // Checkpoints after the fork point belong to the old future.
    while (!checkpoints_.empty() && checkpoints_.back().state.events > event) {
        checkpoints_.pop_back();
    }
    ASSERT_MSG(!checkpoints_.empty(), "the checkpoint at time 0 precedes every fork");
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
    world_->advance_clock(t_us);
    horizon_us_ = std::max(horizon_us_, world_->now_us());
    // The logs beyond the fork point belong to the old future.
    world_->truncate_logs();
}

void Timeline::act(Action a) {
    a.at_us = world_->now_us();
    if (world_->events() >= horizon_events_) {
        world_->add_input(std::move(a));
        return;
    }
    // A fork: keep the inputs up to now, drop the old future, add the action.
    const int64_t here = world_->events();
    ASSERT_CMP(here, <, horizon_events_);
    undo_inputs_ = world_->inputs();
    undo_event_ = here;
    undo_t_us_ = a.at_us;
    had_fork_ = true;
    std::vector<Action> inputs;
    for (const Action& x : world_->inputs()) {
        if (x.at_us <= a.at_us) inputs.push_back(x);
    }
    rebuild(inputs, here, a.at_us);
    world_->add_input(std::move(a));
}

void Timeline::undo_fork() {
    if (!had_fork_) return;
    std::vector<Action> inputs = std::move(undo_inputs_);
    undo_inputs_.clear();
    had_fork_ = false;
    rebuild(std::move(inputs), undo_event_, undo_t_us_);
}

}  // namespace sim
