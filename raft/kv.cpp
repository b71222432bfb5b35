// raft/kv.cpp — the key-value state machine (see kv.h).
#include "raft/kv.h"

namespace raft {

uint64_t fnv1a64(const std::string& s, uint64_t h) {
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    return h;
}

uint64_t KvStore::pair_hash(const std::string& k, const std::string& v) {
    uint64_t h = fnv1a64(k);
    h = fnv1a64("\x1f", h);
    h = fnv1a64(v, h);
    // Finalize so that the sum over pairs does not cancel structure.
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

void KvStore::set(const std::string& k, const Blob& v) {
    auto it = data_.find(k);
    if (it != data_.end()) {
        hash_ -= pair_hash(k, it->second);
        it->second = v;
    } else {
        data_.emplace(k, v);
    }
    hash_ += pair_hash(k, v);
}

void KvStore::erase(const std::string& k) {
    auto it = data_.find(k);
    if (it == data_.end()) return;
    hash_ -= pair_hash(k, it->second);
    data_.erase(it);
}

CommandResult KvStore::read(const std::string& key) const {
    CommandResult r;
    auto it = data_.find(key);
    r.found = it != data_.end();
    if (r.found) r.value = it->second;
    return r;
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
            r.found = data_.count(cmd.key) != 0;
            erase(cmd.key);
            break;
        case OpType::kCas: {
            auto it = data_.find(cmd.key);
            r.found = it != data_.end();
            if (r.found) r.value = it->second;
            r.ok = r.found && it->second == cmd.expected;
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
    s.kv.assign(data_.begin(), data_.end());
    s.sessions.assign(sessions_.begin(), sessions_.end());
    return s;
}

void KvStore::restore(const Snapshot& snap) {
    data_.clear();
    sessions_.clear();
    hash_ = 0;
    for (const auto& [k, v] : snap.kv)
        set(k, v);
    for (const auto& [id, s] : snap.sessions)
        sessions_.emplace(id, s);
}

}  // namespace raft
