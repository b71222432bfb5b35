// raft/entry_codec.cpp — see entry_codec.h.
#include "raft/entry_codec.h"

#include <cstdint>

#include "base/assert.h"

namespace raft {

// The encoders write only what the decoders accept (enumerators in range,
// keys and session ids strictly increasing): an encoder that breaks that is
// a programmer error and asserts. The decoders read outside bytes, so what
// they find wrong is a false return; they assert only on their caller's
// arguments (a position inside the input).

void put_varint(uint64_t v, std::string* out) {
    while (v >= 0x80) {
        out->push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out->push_back(static_cast<char>(v));
}

// Signed values (origin may be -1) zig-zag into unsigned ones.
void put_signed(int64_t v, std::string* out) {
    put_varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63), out);
}

void put_string(const std::string& s, std::string* out) {
    put_varint(s.size(), out);
    out->append(s);
}

bool get_varint(const std::string& in, size_t* pos, uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64 && *pos < in.size(); shift += 7) {
        const uint8_t b = static_cast<uint8_t>(in[(*pos)++]);
        *v |= static_cast<uint64_t>(b & 0x7f) << shift;
        if ((b & 0x80) == 0) return true;
    }
    return false;
}

bool get_signed(const std::string& in, size_t* pos, int64_t* v) {
    uint64_t u = 0;
    if (!get_varint(in, pos, &u)) return false;
    *v = static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
    return true;
}

bool get_string(const std::string& in, size_t* pos, std::string* s) {
    ASSERT_CMP(*pos, <=, in.size());  // for in.size() - *pos below
    uint64_t n = 0;
    if (!get_varint(in, pos, &n) || n > in.size() - *pos) return false;
    s->assign(in, *pos, static_cast<size_t>(n));
    *pos += static_cast<size_t>(n);
    return true;
}

void encode_entry(const Entry& e, Index* prev_index, std::string* out) {
    ASSERT(e.type <= EntryType::kConfig && e.cmd.op <= OpType::kAppend);  // get_enum's ranges
    put_signed(e.index - *prev_index, out);
    *prev_index = e.index;
    put_signed(e.term, out);
    out->push_back(static_cast<char>(e.type));
    put_signed(e.origin, out);
    put_signed(e.cmd.client_id, out);
    put_signed(e.cmd.seq, out);
    out->push_back(static_cast<char>(e.cmd.op));
    put_string(e.cmd.key, out);
    put_string(e.cmd.value, out);
    put_string(e.cmd.expected, out);
    if (e.type == EntryType::kConfig) {  // (the other kinds keep their encoding)
        out->push_back(static_cast<char>(e.conf_type));
        put_signed(e.conf_node, out);
        put_membership(e.conf, out);
    }
}

void put_membership(const Membership& m, std::string* out) {
    put_varint(m.voters, out);
    put_varint(m.outgoing, out);
    put_varint(m.learners, out);
    out->push_back(static_cast<char>(m.auto_leave));
}

namespace {

// A signed varint that must fit an int32_t (node ids, client ids).
bool get_int32(const std::string& in, size_t* pos, int32_t* out) {
    int64_t v = 0;
    if (!get_signed(in, pos, &v) || v < INT32_MIN || v > INT32_MAX) return false;
    *out = static_cast<int32_t>(v);
    return true;
}

// One byte naming an enumerator no greater than `max`.
template <typename Enum>
bool get_enum(const std::string& in, size_t* pos, Enum max, Enum* out) {
    if (*pos >= in.size()) return false;
    const uint8_t b = static_cast<uint8_t>(in[(*pos)++]);
    if (b > static_cast<uint8_t>(max)) return false;
    *out = static_cast<Enum>(b);
    return true;
}

}  // namespace

// A configuration: masks of at most kMaxNodes bits, at least one voter.
bool get_membership(const std::string& in, size_t* pos, Membership* m) {
    uint64_t voters = 0, outgoing = 0, learners = 0;
    bool auto_leave = false;
    if (!get_varint(in, pos, &voters) || !get_varint(in, pos, &outgoing) ||
        !get_varint(in, pos, &learners) || !get_enum(in, pos, true, &auto_leave)) {
        return false;
    }
    constexpr uint64_t kAll = (uint64_t(1) << kMaxNodes) - 1;
    if (voters == 0 || ((voters | outgoing | learners) & ~kAll) != 0) return false;
    *m = Membership{static_cast<uint32_t>(voters), static_cast<uint32_t>(outgoing),
                    static_cast<uint32_t>(learners), auto_leave};
    return true;
}

namespace {

// A configuration entry's change (a node id or kNone) and configuration.
bool decode_conf(const std::string& in, size_t* pos, Entry* e) {
    if (!get_enum(in, pos, ConfChangeType::kLeaveJoint, &e->conf_type) ||
        !get_int32(in, pos, &e->conf_node) || !get_membership(in, pos, &e->conf)) {
        return false;
    }
    return e->conf_node >= kNone && e->conf_node < kMaxNodes;
}

}  // namespace

bool decode_entry(const std::string& in, size_t* pos, Index* prev_index, Entry* e) {
    ASSERT_CMP(*pos, <=, in.size());  // the readers compute in.size() - *pos
    int64_t delta = 0;
    if (!get_signed(in, pos, &delta) || !get_signed(in, pos, &e->term)) return false;
    // Garbage can hold any delta: an index that would overflow is malformed,
    // not undefined behaviour.
    if (__builtin_add_overflow(*prev_index, delta, &e->index)) return false;
    *prev_index = e->index;
    if (!get_enum(in, pos, EntryType::kConfig, &e->type) || !get_int32(in, pos, &e->origin) ||
        !get_int32(in, pos, &e->cmd.client_id) || !get_signed(in, pos, &e->cmd.seq) ||
        !get_enum(in, pos, OpType::kAppend, &e->cmd.op)) {
        return false;
    }
    std::string value, expected;
    if (!get_string(in, pos, &e->cmd.key) || !get_string(in, pos, &value) ||
        !get_string(in, pos, &expected)) {
        return false;
    }
    e->cmd.value = std::move(value);
    e->cmd.expected = std::move(expected);
    if (e->type == EntryType::kConfig && !decode_conf(in, pos, e)) return false;
    e->seal();
    return true;
}

void encode_entries(const std::vector<Entry>& entries, std::string* out) {
    put_varint(entries.size(), out);
    Index prev = 0;
    for (const Entry& e : entries)
        encode_entry(e, &prev, out);
}

bool decode_entries(const std::string& in, size_t* pos, std::vector<Entry>* out) {
    ASSERT_CMP(*pos, <=, in.size());
    uint64_t n = 0;
    if (!get_varint(in, pos, &n) || n > in.size()) return false;
    out->clear();
    out->reserve(static_cast<size_t>(n));
    Index prev = 0;
    for (uint64_t k = 0; k < n; k++) {
        Entry e;
        if (!decode_entry(in, pos, &prev, &e)) return false;
        out->push_back(std::move(e));
    }
    return true;
}

namespace {

void put_meta(int64_t version, Index mod_revision, std::string* out) {
    put_signed(version, out);
    put_signed(mod_revision, out);
}

// Versions and revisions are never negative.
bool get_meta(const std::string& in, size_t* pos, int64_t* version, Index* mod_revision) {
    return get_signed(in, pos, version) && get_signed(in, pos, mod_revision) && *version >= 0 &&
           *mod_revision >= 0;
}

void put_result(const CommandResult& r, std::string* out) {
    out->push_back(static_cast<char>((r.ok ? 1 : 0) | (r.found ? 2 : 0)));
    put_string(r.value, out);
    put_meta(r.version, r.mod_revision, out);
}

bool get_result(const std::string& in, size_t* pos, CommandResult* r) {
    if (*pos >= in.size()) return false;
    const uint8_t flags = static_cast<uint8_t>(in[(*pos)++]);
    if (flags > 3) return false;
    r->ok = (flags & 1) != 0;
    r->found = (flags & 2) != 0;
    std::string v;
    if (!get_string(in, pos, &v)) return false;
    r->value = std::move(v);
    return get_meta(in, pos, &r->version, &r->mod_revision);
}

// One pair of a snapshot's image: key, value, and the key's record.
void put_pair(const Snapshot& s, size_t i, std::string* out) {
    put_string(s.kv[i].first, out);
    put_string(s.kv[i].second, out);
    put_meta(s.kv_meta[i].version, s.kv_meta[i].mod_revision, out);
}

enum DiffOp : uint8_t { kDiffSet = 0, kDiffErase = 1 };

}  // namespace

void encode_snapshot(const Snapshot& s, const Snapshot* base, std::string* out) {
    put_signed(s.last_included_index, out);
    put_signed(s.last_included_term, out);
    put_membership(s.membership, out);
    put_varint(s.sessions.size(), out);
    for (size_t i = 0; i < s.sessions.size(); i++)
        ASSERT(i == 0 || s.sessions[i - 1].first < s.sessions[i].first);  // get_sessions' order
    for (const auto& [id, session] : s.sessions) {
        put_signed(id, out);
        put_signed(session.last_seq, out);
        put_result(session.last_result, out);
    }
    ASSERT_CMP(s.kv_meta.size(), ==, s.kv.size());
    if (!base) {
        put_varint(s.kv.size(), out);
        for (size_t i = 0; i < s.kv.size(); i++) {
            // get_whole_kv's order; the diff below relies on it too.
            ASSERT(i == 0 || s.kv[i - 1].first < s.kv[i].first);
            put_pair(s, i, out);
        }
        return;
    }
    ASSERT_CMP(base->kv_meta.size(), ==, base->kv.size());
    // Both are sorted by key: one merge walk finds the differences. (The
    // base was encoded whole first, which checked its order.)
    std::string ops;
    uint64_t count = 0;
    size_t a = 0, b = 0;
    const size_t na = base->kv.size(), nb = s.kv.size();
    while (a < na || b < nb) {
        if (b == nb || (a < na && base->kv[a].first < s.kv[b].first)) {
            ops.push_back(static_cast<char>(kDiffErase));
            put_string(base->kv[a].first, &ops);
            ++a;
            count++;
            continue;
        }
        const bool same_key = a < na && base->kv[a].first == s.kv[b].first;
        if (!same_key || !(base->kv[a].second == s.kv[b].second) ||
            base->kv_meta[a] != s.kv_meta[b]) {
            ops.push_back(static_cast<char>(kDiffSet));
            put_pair(s, b, &ops);
            count++;
        }
        if (same_key) ++a;
        ++b;
    }
    put_varint(count, out);
    out->append(ops);
}

namespace {

// Sessions sorted by strictly increasing id, as Snapshot requires.
bool get_sessions(const std::string& in, size_t* pos, Snapshot* out) {
    uint64_t n = 0;
    if (!get_varint(in, pos, &n) || n > in.size()) return false;
    out->sessions.clear();
    for (uint64_t k = 0; k < n; k++) {
        int32_t id = 0;
        Session session;
        if (!get_int32(in, pos, &id) || !get_signed(in, pos, &session.last_seq) ||
            !get_result(in, pos, &session.last_result)) {
            return false;
        }
        if (!out->sessions.empty() && id <= out->sessions.back().first) return false;
        out->sessions.emplace_back(id, std::move(session));
    }
    return true;
}

// One pair and its record, appended to out.
bool get_pair(const std::string& in, size_t* pos, std::string key, Snapshot* out) {
    std::string value;
    KeyMeta m;
    if (!get_string(in, pos, &value) || !get_meta(in, pos, &m.version, &m.mod_revision))
        return false;
    out->kv.emplace_back(std::move(key), Blob(std::move(value)));
    out->kv_meta.push_back(m);
    return true;
}

// A whole key-value image: n pairs, keys strictly increasing.
bool get_whole_kv(const std::string& in, size_t* pos, uint64_t n, Snapshot* out) {
    out->kv.reserve(static_cast<size_t>(n));
    out->kv_meta.reserve(static_cast<size_t>(n));
    for (uint64_t k = 0; k < n; k++) {
        std::string key;
        if (!get_string(in, pos, &key)) return false;
        if (!out->kv.empty() && key <= out->kv.back().first) return false;
        if (!get_pair(in, pos, std::move(key), out)) return false;
    }
    return true;
}

// n differences from base, keys strictly increasing (the encoder's merge
// order), merged with base into a sorted image.
bool get_diff_kv(const std::string& in, size_t* pos, uint64_t n, const Snapshot& base,
                 Snapshot* out) {
    if (base.kv_meta.size() != base.kv.size()) return false;
    out->kv.reserve(base.kv.size() + static_cast<size_t>(n));
    out->kv_meta.reserve(base.kv.size() + static_cast<size_t>(n));
    size_t a = 0;
    const size_t na = base.kv.size();
    auto copy_base = [&](size_t i) {
        out->kv.push_back(base.kv[i]);
        out->kv_meta.push_back(base.kv_meta[i]);
    };
    std::string previous;
    for (uint64_t k = 0; k < n; k++) {
        if (*pos >= in.size()) return false;
        const auto op = static_cast<uint8_t>(in[(*pos)++]);
        std::string key;
        if (op > kDiffErase || !get_string(in, pos, &key)) return false;
        if (k > 0 && key <= previous) return false;
        previous = key;
        while (a < na && base.kv[a].first < key)
            copy_base(a++);
        if (a < na && base.kv[a].first == key) ++a;
        if (op == kDiffSet && !get_pair(in, pos, std::move(key), out)) return false;
    }
    for (; a < na; a++)
        copy_base(a);
    return true;
}

}  // namespace

bool decode_snapshot(const std::string& in, size_t* pos, const Snapshot* base, Snapshot* out) {
    ASSERT_CMP(*pos, <=, in.size());
    ASSERT(base != out);  // the result is merged from base
    uint64_t n = 0;
    if (!get_signed(in, pos, &out->last_included_index) ||
        !get_signed(in, pos, &out->last_included_term) ||
        !get_membership(in, pos, &out->membership) || !get_sessions(in, pos, out) ||
        !get_varint(in, pos, &n) || n > in.size()) {
        return false;
    }
    out->kv.clear();
    out->kv_meta.clear();
    return base ? get_diff_kv(in, pos, n, *base, out) : get_whole_kv(in, pos, n, out);
}

}  // namespace raft
