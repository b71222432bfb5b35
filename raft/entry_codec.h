// raft/entry_codec.h — a compact, deterministic byte encoding of log entries
// and snapshots (varints and length-prefixed strings), used where much state
// is stored at once (checkpoints of many nodes). Not a wire format; no
// versioning.
// Decoding is fuzzed (tests/fuzz/entry_codec_fuzz.cpp).
#pragma once

#include <string>
#include <vector>

#include "raft/types.h"

namespace raft {

void put_varint(uint64_t v, std::string* out);
void put_signed(int64_t v, std::string* out);  // zig-zag
void put_string(const std::string& s, std::string* out);
// Readers return false on malformed or truncated input, whatever its bytes:
// they never read outside `in`, never overflow, and accept only what the
// encoders can write (enumerators in range, ids that fit 32 bits, snapshot
// keys and session ids strictly increasing, an index sum that fits 64 bits).
bool get_varint(const std::string& in, size_t* pos, uint64_t* v);
bool get_signed(const std::string& in, size_t* pos, int64_t* v);
bool get_string(const std::string& in, size_t* pos, std::string* s);

// A configuration (raft::Membership), as entries and snapshots carry it.
void put_membership(const Membership& m, std::string* out);
bool get_membership(const std::string& in, size_t* pos, Membership* m);

// One entry; its index is stored as a delta from *prev_index (updated).
void encode_entry(const Entry& e, Index* prev_index, std::string* out);
bool decode_entry(const std::string& in, size_t* pos, Index* prev_index, Entry* e);

// A count, then the entries.
void encode_entries(const std::vector<Entry>& entries, std::string* out);
bool decode_entries(const std::string& in, size_t* pos, std::vector<Entry>* out);

// A snapshot, whole (base == nullptr) or as the difference from `base`: the
// pairs whose value changed or that appeared, and the keys that vanished.
// Snapshots of one cluster differ by a few hundred entries at most, so a
// checkpoint stores one whole and the rest as small differences. Decoding
// needs the same base.
void encode_snapshot(const Snapshot& s, const Snapshot* base, std::string* out);
bool decode_snapshot(const std::string& in, size_t* pos, const Snapshot* base, Snapshot* out);

}  // namespace raft
