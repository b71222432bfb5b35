// raft/kv.h — the replicated state machine: a key-value store with put, get,
// delete and compare-and-swap, and exactly-once client sessions.
//
// Deterministic by construction: std::map (sorted) content and an
// order-independent content hash kept up to date incrementally, so nodes that
// applied the same prefix of the log show the same key count and hash (the
// two numbers etcd-play showed under each node).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "raft/types.h"

namespace raft {

uint64_t fnv1a64(const std::string& s, uint64_t h = 0xcbf29ce484222325ull);

class KvStore {
  public:
    // Applies a command with exactly-once semantics: a (client_id, seq) seen
    // before is answered from the session table and changes nothing.
    CommandResult apply(const Command& cmd);
    // Reads without the log (ReadIndex, or the follower-local-read mutation).
    CommandResult read(const std::string& key) const;

    size_t key_count() const { return data_.size(); }
    uint64_t hash() const { return hash_; }
    const std::map<std::string, Blob>& data() const { return data_; }

    Snapshot to_snapshot(Index index, Term term) const;
    void restore(const Snapshot& snap);
    bool operator==(const KvStore&) const = default;

  private:
    static uint64_t pair_hash(const std::string& k, const std::string& v);
    void set(const std::string& k, const Blob& v);
    void erase(const std::string& k);

    std::map<std::string, Blob> data_;
    std::map<int32_t, Session> sessions_;
    uint64_t hash_ = 0;  // sum of pair_hash over data_ (mod 2^64)
};

}  // namespace raft
