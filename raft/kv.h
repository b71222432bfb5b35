// raft/kv.h — the replicated state machine: a key-value store with put, get,
// delete, compare-and-swap and append, and exactly-once client sessions.
// Each key carries etcd's version and mod_revision (raft::KeyMeta), which a
// get returns; they are not in the content hash (which stays a function of
// the pairs alone), but snapshots and equality carry them.
//
// Deterministic by construction: std::map (sorted) content and an
// order-independent content hash kept up to date incrementally, so nodes that
// applied the same prefix of the log show the same key count and hash (the
// two numbers etcd-play showed under each node).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/hash.h"
#include "raft/types.h"

namespace raft {

// The first eight bytes of a key, big-endian, zero-padded: keys order like
// their prefixes, except that equal prefixes need the full comparison.
inline uint64_t key_prefix(const std::string& k) {
    uint64_t p = 0;
    const size_t n = k.size() < 8 ? k.size() : 8;
    for (size_t i = 0; i < 8; i++)
        p = (p << 8) | (i < n ? static_cast<unsigned char>(k[i]) : 0u);
    return p;
}

// The pairs live in a pool of slots, each with its pair hash; their order is
// kept by slot numbers in sorted chunks of at most kChunkMax (a one-level
// B-tree), and an open-addressing index on the key hash finds a key's slot
// directly. A lookup or an overwrite is one probe (no binary search), an
// insert also shifts a few 4-byte slot numbers in one chunk (not strings), an
// overwrite reuses the stored hash of the old pair, restoring a snapshot is a
// bulk copy, and iteration is in key order. The index is never iterated, so
// nothing observable depends on its layout. Equality is by content.
class KvStore {
  public:
    using Pair = std::pair<std::string, Blob>;
    static constexpr size_t kChunkMax = 16;

    class const_iterator {
      public:
        const_iterator(const KvStore* kv, size_t c, size_t i) : kv_(kv), c_(c), i_(i) {}
        const Pair& operator*() const { return kv_->pool_[kv_->chunks_[c_][i_]]; }
        const Pair* operator->() const { return &**this; }
        const_iterator& operator++() {
            if (++i_ == kv_->chunks_[c_].size()) c_++, i_ = 0;
            return *this;
        }
        bool operator==(const const_iterator& o) const { return c_ == o.c_ && i_ == o.i_; }

      private:
        const KvStore* kv_;
        size_t c_, i_;
    };
    struct Range {
        const_iterator b, e;
        const_iterator begin() const { return b; }
        const_iterator end() const { return e; }
    };

    // Applies the command of the log entry at `index` with exactly-once
    // semantics: a (client_id, seq) seen before is answered from the session
    // table and changes nothing. A modification stamps the key's
    // mod_revision with `index`.
    CommandResult apply(const Command& cmd, Index index);
    // Reads without the log (ReadIndex, or the follower-local-read mutation).
    CommandResult read(const std::string& key) const;
    // A key's version and mod_revision (zero when absent).
    KeyMeta meta(const std::string& key) const;

    size_t key_count() const { return size_; }
    uint64_t hash() const { return hash_; }
    // Every pair in key order.
    Range data() const {
        return Range{const_iterator(this, 0, 0), const_iterator(this, chunks_.size(), 0)};
    }

    Snapshot to_snapshot(Index index, Term term) const;
    void restore(const Snapshot& snap);
    bool operator==(const KvStore& o) const;

  private:
    static uint64_t pair_hash(uint64_t key_hash, const std::string& v);
    // The index_ position holding k's slot, or the empty position where it
    // would go. key_hash = hash_bytes(k).
    size_t probe(const std::string& k, uint64_t key_hash) const;
    void index_grow();
    void index_build(size_t n);
    void index_erase(size_t pos);
    const Blob* find(const std::string& k) const;
    // The slot holding k, or -1.
    int64_t slot_of(const std::string& k) const;
    // Sets k to v as the modification at `index` (version + 1).
    void set(const std::string& k, const Blob& v, Index index);
    void erase(const std::string& k);
    size_t chunk_for(const std::string& k) const;
    // In chunk c, the position of the first key >= k.
    size_t position(const std::vector<uint32_t>& c, const std::string& k) const;
    void note_last_key(size_t chunk);

    std::vector<Pair> pool_;               // slots; a free one holds an empty pair
    std::vector<uint64_t> pool_hash_;      // pair_hash of each slot's pair
    std::vector<uint64_t> pool_prefix_;    // key_prefix of each slot's key
    std::vector<uint64_t> pool_key_hash_;  // hash_bytes of each slot's key
    std::vector<KeyMeta> pool_meta_;       // version and mod_revision of each slot's key
    // Linear probing on key hashes: slot + 1 per position, 0 = empty; a power
    // of two, at most half full.
    std::vector<uint32_t> index_;
    std::vector<uint32_t> free_;                 // free slots
    std::vector<std::vector<uint32_t>> chunks_;  // slots, each chunk sorted and non-empty
    // key_prefix of each chunk's last key: chunk_for compares integers, and
    // strings only on a tie.
    std::vector<uint64_t> last_prefix_;
    size_t size_ = 0;
    std::map<int32_t, Session> sessions_;
    uint64_t hash_ = 0;  // sum of pair_hash over the pairs (mod 2^64)
};

}  // namespace raft
