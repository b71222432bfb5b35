// raft/kv.cpp — the key-value state machine (see kv.h).
#include "raft/kv.h"

#include <algorithm>
#include <cstring>

namespace raft {

uint64_t hash_bytes(const std::string& s, uint64_t h) {
    const size_t n = s.size();
    h = hash_word(h, n);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        h = hash_word(h, w);
    }
    if (i < n) {
        uint64_t w = 0;
        std::memcpy(&w, s.data() + i, n - i);
        h = hash_word(h, w);
    }
    return h;
}

uint64_t KvStore::pair_hash(const std::string& k, const std::string& v) {
    // Lengths are part of each string's hash: ("ab", "c") != ("a", "bc").
    uint64_t h = hash_bytes(v, hash_bytes(k));
    // Finalize so that the sum over pairs does not cancel structure.
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

namespace {

bool pair_less(const KvStore::Pair& p, const std::string& k) {
    return p.first < k;
}

}  // namespace

// The first chunk whose last key is >= k; the last chunk if k is beyond all.
size_t KvStore::chunk_for(const std::string& k) const {
    const uint64_t p = key_prefix(k);
    size_t lo = 0, hi = chunks_.size();
    while (lo < hi) {
        const size_t mid = (lo + hi) / 2;
        const uint64_t q = last_prefix_[mid];
        if (q < p || (q == p && chunks_[mid].back().first < k)) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo == chunks_.size() ? lo - 1 : lo;
}

const Blob* KvStore::find(const std::string& k) const {
    if (chunks_.empty()) return nullptr;
    const std::vector<Pair>& c = chunks_[chunk_for(k)];
    auto it = std::lower_bound(c.begin(), c.end(), k, pair_less);
    return it != c.end() && it->first == k ? &it->second : nullptr;
}

void KvStore::set(const std::string& k, const Blob& v) {
    hash_ += pair_hash(k, v);
    if (chunks_.empty()) {
        chunks_.emplace_back().emplace_back(k, v);
        last_prefix_.assign(1, key_prefix(k));
        size_ = 1;
        return;
    }
    const size_t ci = chunk_for(k);
    std::vector<Pair>& c = chunks_[ci];
    auto it = std::lower_bound(c.begin(), c.end(), k, pair_less);
    if (it != c.end() && it->first == k) {
        hash_ -= pair_hash(k, it->second);
        it->second = v;
        return;
    }
    const bool last = it == c.end();
    c.emplace(it, k, v);
    size_++;
    if (last) note_last_key(ci);
    if (c.size() > kChunkMax) {
        std::vector<Pair> upper(std::make_move_iterator(c.begin() + kChunkMax / 2),
                                std::make_move_iterator(c.end()));
        c.resize(kChunkMax / 2);
        chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(ci) + 1, std::move(upper));
        last_prefix_.insert(last_prefix_.begin() + static_cast<std::ptrdiff_t>(ci) + 1, 0);
        note_last_key(ci);
        note_last_key(ci + 1);
    }
}

void KvStore::note_last_key(size_t chunk) {
    last_prefix_[chunk] = key_prefix(chunks_[chunk].back().first);
}

void KvStore::erase(const std::string& k) {
    if (chunks_.empty()) return;
    const size_t ci = chunk_for(k);
    std::vector<Pair>& c = chunks_[ci];
    auto it = std::lower_bound(c.begin(), c.end(), k, pair_less);
    if (it == c.end() || it->first != k) return;
    hash_ -= pair_hash(k, it->second);
    c.erase(it);
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
    const Blob* v = find(key);
    r.found = v != nullptr;
    if (r.found) r.value = *v;
    return r;
}

bool KvStore::operator==(const KvStore& o) const {
    if (size_ != o.size_ || hash_ != o.hash_ || sessions_ != o.sessions_) return false;
    auto a = data(), b = o.data();
    for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j) {
        if (i->first != j->first || !(i->second == j->second)) return false;
    }
    return true;
}

CommandResult KvStore::apply(const Command& cmd) {
    Session& session = sessions_[cmd.client_id];
    if (cmd.seq != 0 && cmd.seq <= session.last_seq) {
        // §8: a duplicate of an executed command answers from the session
        // without executing it again.
        return session.last_result;
    }
    CommandResult r;
    switch (cmd.op) {
        case OpType::kPut:
            set(cmd.key, cmd.value);
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
            if (r.ok) set(cmd.key, cmd.value);
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
    for (const std::vector<Pair>& c : chunks_)
        s.kv.insert(s.kv.end(), c.begin(), c.end());
    s.sessions.assign(sessions_.begin(), sessions_.end());
    return s;
}

void KvStore::restore(const Snapshot& snap) {
    chunks_.clear();
    last_prefix_.clear();
    sessions_.clear();
    hash_ = 0;
    size_ = snap.kv.size();
    // Sorted already: fill chunks half full, so inserts do not split at once.
    for (size_t i = 0; i < snap.kv.size(); i += kChunkMax / 2) {
        const size_t end = std::min(snap.kv.size(), i + kChunkMax / 2);
        chunks_.emplace_back(snap.kv.begin() + static_cast<std::ptrdiff_t>(i),
                             snap.kv.begin() + static_cast<std::ptrdiff_t>(end));
        last_prefix_.push_back(key_prefix(chunks_.back().back().first));
    }
    for (const auto& [k, v] : snap.kv)
        hash_ += pair_hash(k, v);
    for (const auto& [id, s] : snap.sessions)
        sessions_.emplace(id, s);
}

}  // namespace raft
