// raft/kv.cpp — the key-value state machine (see kv.h).
#include "raft/kv.h"

#include <algorithm>
#include <cstring>

#include "base/assert.h"

namespace raft {

uint64_t KvStore::pair_hash(uint64_t key_hash, const std::string& v) {
    // Lengths are part of each string's hash: ("ab", "c") != ("a", "bc").
    uint64_t h = base::hash_bytes(v, key_hash);
    // Finalize so that the sum over pairs does not cancel structure.
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

size_t KvStore::probe(const std::string& k, uint64_t key_hash) const {
    // A power of two with a free position: the mask works and the loop ends.
    ASSERT(!index_.empty() && size_ < index_.size());
    const size_t mask = index_.size() - 1;
    for (size_t i = static_cast<size_t>(key_hash >> 32) & mask;; i = (i + 1) & mask) {
        const uint32_t e = index_[i];
        if (e == 0) return i;
        const uint32_t s = e - 1;
        if (pool_key_hash_[s] == key_hash && pool_[s].first == k) return i;
    }
}

void KvStore::index_grow() {
    index_build(index_.empty() ? 16 : index_.size() * 2);
}

// An index of n positions (a power of two) with every live slot, inserted in
// key order, so the layout depends only on the content.
void KvStore::index_build(size_t n) {
    ASSERT((n & (n - 1)) == 0);    // a power of two: positions are masked
    ASSERT_CMP(n, >=, 2 * size_);  // at most half full: probe runs stay short
    index_.assign(n, 0);
    for (const std::vector<uint32_t>& c : chunks_) {
        for (uint32_t s : c) {
            size_t i = static_cast<size_t>(pool_key_hash_[s] >> 32) & (n - 1);
            while (index_[i] != 0)
                i = (i + 1) & (n - 1);
            index_[i] = s + 1;
        }
    }
}

// Removes position pos, shifting later members of its probe run back so
// that no search stops early (no tombstones).
void KvStore::index_erase(size_t pos) {
    ASSERT(pos < index_.size() && index_[pos] != 0);  // a position that holds a slot
    const size_t mask = index_.size() - 1;
    size_t hole = pos;
    for (size_t i = (pos + 1) & mask; index_[i] != 0; i = (i + 1) & mask) {
        const size_t home = static_cast<size_t>(pool_key_hash_[index_[i] - 1] >> 32) & mask;
        // Movable into the hole unless its home lies cyclically in (hole, i].
        if (((i - home) & mask) >= ((i - hole) & mask)) {
            index_[hole] = index_[i];
            hole = i;
        }
    }
    index_[hole] = 0;
}

size_t KvStore::chunk_for(const std::string& k) const {
    ASSERT(!chunks_.empty() && last_prefix_.size() == chunks_.size());
    const uint64_t p = key_prefix(k);
    size_t lo = 0, hi = chunks_.size();
    while (lo < hi) {
        const size_t mid = (lo + hi) / 2;
        const uint64_t q = last_prefix_[mid];
        if (q < p || (q == p && pool_[chunks_[mid].back()].first < k)) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo == chunks_.size() ? lo - 1 : lo;
}

size_t KvStore::position(const std::vector<uint32_t>& c, const std::string& k) const {
    // Integers first: keys of up to eight bytes never reach the string compare
    // unless equal (or differing only by trailing NULs).
    const uint64_t p = key_prefix(k);
    auto key_less = [&](uint32_t slot, const std::string& key) {
        const uint64_t q = pool_prefix_[slot];
        return q < p || (q == p && pool_[slot].first < key);
    };
    return static_cast<size_t>(std::lower_bound(c.begin(), c.end(), k, key_less) - c.begin());
}

int64_t KvStore::slot_of(const std::string& k) const {
    if (size_ == 0) return -1;
    const uint32_t e = index_[probe(k, base::hash_bytes(k))];
    return static_cast<int64_t>(e) - 1;
}

const Blob* KvStore::find(const std::string& k) const {
    const int64_t s = slot_of(k);
    return s < 0 ? nullptr : &pool_[static_cast<size_t>(s)].second;
}

KeyMeta KvStore::meta(const std::string& k) const {
    const int64_t s = slot_of(k);
    return s < 0 ? KeyMeta{} : pool_meta_[static_cast<size_t>(s)];
}

void KvStore::set(const std::string& k, const Blob& v, Index index) {
    const uint64_t kh = base::hash_bytes(k);
    const uint64_t h = pair_hash(kh, v);
    hash_ += h;
    if (index_.empty()) index_grow();
    const size_t at = probe(k, kh);
    if (index_[at] != 0) {
        const uint32_t s = index_[at] - 1;
        hash_ -= pool_hash_[s];
        pool_[s].second = v;
        pool_hash_[s] = h;
        pool_meta_[s].version++;
        pool_meta_[s].mod_revision = index;
        return;
    }
    const KeyMeta created{1, index};  // etcd: a new key's first version is 1
    size_t ci = 0, i = 0;
    if (!chunks_.empty()) {
        ci = chunk_for(k);
        i = position(chunks_[ci], k);
    } else {
        chunks_.emplace_back();
        last_prefix_.assign(1, 0);
    }
    uint32_t s;
    if (!free_.empty()) {
        s = free_.back();
        free_.pop_back();
        pool_[s] = Pair(k, v);
        pool_hash_[s] = h;
        pool_prefix_[s] = key_prefix(k);
        pool_key_hash_[s] = kh;
        pool_meta_[s] = created;
    } else {
        s = static_cast<uint32_t>(pool_.size());
        pool_.emplace_back(k, v);
        pool_hash_.push_back(h);
        pool_prefix_.push_back(key_prefix(k));
        pool_key_hash_.push_back(kh);
        pool_meta_.push_back(created);
    }
    index_[at] = s + 1;
    std::vector<uint32_t>& c = chunks_[ci];
    const bool last = i == c.size();
    c.insert(c.begin() + static_cast<std::ptrdiff_t>(i), s);
    size_++;
    ASSERT_CMP(c.size(), <=, kChunkMax + 1);  // one insert past the limit at most: split below
    if (last) note_last_key(ci);
    if (c.size() > kChunkMax) {
        std::vector<uint32_t> upper(c.begin() + kChunkMax / 2, c.end());
        c.resize(kChunkMax / 2);
        chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(ci) + 1, std::move(upper));
        last_prefix_.insert(last_prefix_.begin() + static_cast<std::ptrdiff_t>(ci) + 1, 0);
        note_last_key(ci);
        note_last_key(ci + 1);
    }
    if (size_ * 2 > index_.size()) index_grow();
}

void KvStore::note_last_key(size_t chunk) {
    last_prefix_[chunk] = pool_prefix_[chunks_[chunk].back()];
}

void KvStore::erase(const std::string& k) {
    if (size_ == 0) return;
    const size_t at = probe(k, base::hash_bytes(k));
    if (index_[at] == 0) return;
    const uint32_t indexed = index_[at] - 1;
    index_erase(at);
    const size_t ci = chunk_for(k);
    std::vector<uint32_t>& c = chunks_[ci];
    const size_t i = position(c, k);
    // The key order and the hash index agree on the key's slot.
    ASSERT(i < c.size() && c[i] == indexed);
    const uint32_t s = c[i];
    hash_ -= pool_hash_[s];
    pool_[s] = Pair();
    pool_meta_[s] = KeyMeta{};  // etcd: a deleted key's history ends with it
    free_.push_back(s);
    c.erase(c.begin() + static_cast<std::ptrdiff_t>(i));
    size_--;
    if (c.empty()) {
        chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(ci));
        last_prefix_.erase(last_prefix_.begin() + static_cast<std::ptrdiff_t>(ci));
    } else {
        note_last_key(ci);
    }
}

CommandResult KvStore::read(const std::string& key) const {
    CommandResult r;
    const int64_t s = slot_of(key);
    r.found = s >= 0;
    if (r.found) {
        r.value = pool_[static_cast<size_t>(s)].second;
        r.version = pool_meta_[static_cast<size_t>(s)].version;
        r.mod_revision = pool_meta_[static_cast<size_t>(s)].mod_revision;
    }
    return r;
}

bool KvStore::operator==(const KvStore& o) const {
    if (size_ != o.size_ || hash_ != o.hash_ || sessions_ != o.sessions_) return false;
    auto a = data(), b = o.data();
    for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j) {
        if (i->first != j->first || !(i->second == j->second) || meta(i->first) != o.meta(j->first))
            return false;
    }
    return true;
}

CommandResult KvStore::apply(const Command& cmd, Index index) {
    ASSERT_CMP(cmd.op, <=, OpType::kAppend);  // every operation has a case below
    Session& session = sessions_[cmd.client_id];
    if (cmd.seq != 0 && cmd.seq <= session.last_seq) {
        // §8: a duplicate of an executed command answers from the session
        // without executing it again.
        return session.last_result;
    }
    CommandResult r;
    switch (cmd.op) {
        case OpType::kPut:
            set(cmd.key, cmd.value, index);
            break;
        case OpType::kGet:
            r = read(cmd.key);
            break;
        case OpType::kDelete:
            r.found = find(cmd.key) != nullptr;
            erase(cmd.key);
            break;
        case OpType::kCas: {
            const Blob* v = find(cmd.key);
            r.found = v != nullptr;
            if (r.found) r.value = *v;
            r.ok = r.found && *v == cmd.expected;
            if (r.ok) set(cmd.key, cmd.value, index);
            break;
        }
        case OpType::kAppend: {
            const Blob* v = find(cmd.key);
            set(cmd.key, Blob((v != nullptr ? v->str() : std::string()) + cmd.value.str()), index);
            break;
        }
    }
    if (cmd.seq != 0) {
        session.last_seq = cmd.seq;
        session.last_result = r;
    }
    return r;
}

Snapshot KvStore::to_snapshot(Index index, Term term) const {
    Snapshot s;
    s.last_included_index = index;
    s.last_included_term = term;
    s.kv.reserve(size_);
    s.kv_meta.reserve(size_);
    for (const std::vector<uint32_t>& c : chunks_) {
        for (uint32_t slot : c) {
            s.kv.push_back(pool_[slot]);
            s.kv_meta.push_back(pool_meta_[slot]);
        }
    }
    s.sessions.assign(sessions_.begin(), sessions_.end());
    ASSERT_CMP(s.kv.size(), ==, size_);  // every chunk walked, no slot twice
    return s;
}

void KvStore::restore(const Snapshot& snap) {
    // The pairs become the chunks as they are: they must be in key order
    // (decoders reject anything else, to_snapshot writes it so).
    for (size_t i = 1; i < snap.kv.size(); i++)
        ASSERT_MSG(snap.kv[i - 1].first < snap.kv[i].first, "snapshot keys strictly increasing");
    chunks_.clear();
    last_prefix_.clear();
    sessions_.clear();
    free_.clear();
    hash_ = 0;
    size_ = snap.kv.size();
    // Sorted already: slots in key order, chunks half full so that inserts
    // do not split at once.
    pool_.assign(snap.kv.begin(), snap.kv.end());
    pool_hash_.resize(pool_.size());
    pool_prefix_.resize(pool_.size());
    pool_key_hash_.resize(pool_.size());
    ASSERT_MSG(snap.kv_meta.empty() || snap.kv_meta.size() == snap.kv.size(),
               "a snapshot's key records match its pairs");
    if (snap.kv_meta.empty()) {
        pool_meta_.assign(pool_.size(), KeyMeta{});
    } else {
        pool_meta_.assign(snap.kv_meta.begin(), snap.kv_meta.end());
    }
    for (size_t i = 0; i < pool_.size(); i++) {
        pool_key_hash_[i] = base::hash_bytes(pool_[i].first);
        pool_hash_[i] = pair_hash(pool_key_hash_[i], pool_[i].second);
        pool_prefix_[i] = key_prefix(pool_[i].first);
        hash_ += pool_hash_[i];
    }
    for (size_t i = 0; i < pool_.size(); i += kChunkMax / 2) {
        const size_t end = std::min(pool_.size(), i + kChunkMax / 2);
        std::vector<uint32_t>& c = chunks_.emplace_back();
        for (size_t j = i; j < end; j++)
            c.push_back(static_cast<uint32_t>(j));
        last_prefix_.push_back(pool_prefix_[end - 1]);
    }
    size_t n = 16;
    while (n < 2 * size_ + 2)
        n *= 2;
    index_build(n);
    for (const auto& [id, s] : snap.sessions)
        sessions_.emplace(id, s);
}

}  // namespace raft
