// raft/entry_codec.cpp — see entry_codec.h.
#include "raft/entry_codec.h"

namespace raft {

namespace {

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
    uint64_t n = 0;
    if (!get_varint(in, pos, &n) || n > in.size() - *pos) return false;
    s->assign(in, *pos, static_cast<size_t>(n));
    *pos += static_cast<size_t>(n);
    return true;
}

}  // namespace

void encode_entries(const std::vector<Entry>& entries, std::string* out) {
    put_varint(entries.size(), out);
    Index prev = 0;
    for (const Entry& e : entries) {
        put_signed(e.index - prev, out);
        prev = e.index;
        put_signed(e.term, out);
        out->push_back(static_cast<char>(e.type));
        put_signed(e.origin, out);
        put_signed(e.cmd.client_id, out);
        put_signed(e.cmd.seq, out);
        out->push_back(static_cast<char>(e.cmd.op));
        put_string(e.cmd.key, out);
        put_string(e.cmd.value, out);
        put_string(e.cmd.expected, out);
    }
}

bool decode_entries(const std::string& in, size_t* pos, std::vector<Entry>* out) {
    uint64_t n = 0;
    if (!get_varint(in, pos, &n) || n > in.size()) return false;
    out->clear();
    out->reserve(static_cast<size_t>(n));
    Index prev = 0;
    for (uint64_t k = 0; k < n; k++) {
        Entry e;
        int64_t delta = 0, v = 0;
        if (!get_signed(in, pos, &delta) || !get_signed(in, pos, &e.term)) return false;
        e.index = prev + delta;
        prev = e.index;
        if (*pos >= in.size()) return false;
        e.type = static_cast<EntryType>(in[(*pos)++]);
        if (!get_signed(in, pos, &v)) return false;
        e.origin = static_cast<NodeId>(v);
        if (!get_signed(in, pos, &v)) return false;
        e.cmd.client_id = static_cast<int32_t>(v);
        if (!get_signed(in, pos, &e.cmd.seq) || *pos >= in.size()) return false;
        e.cmd.op = static_cast<OpType>(in[(*pos)++]);
        std::string value, expected;
        if (!get_string(in, pos, &e.cmd.key) || !get_string(in, pos, &value) ||
            !get_string(in, pos, &expected)) {
            return false;
        }
        e.cmd.value = std::move(value);
        e.cmd.expected = std::move(expected);
        out->push_back(std::move(e));
    }
    return true;
}

}  // namespace raft
