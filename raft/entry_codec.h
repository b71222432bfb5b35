// raft/entry_codec.h — a compact, deterministic byte encoding of log entries
// (varints and length-prefixed strings), used where many entries are stored
// at once: world checkpoints. Not a wire format; no versioning.
#pragma once

#include <string>
#include <vector>

#include "raft/types.h"

namespace raft {

// Appends the entries to `out`. Indexes are stored as deltas.
void encode_entries(const std::vector<Entry>& entries, std::string* out);
// Decodes entries written by encode_entries starting at *pos; false on
// malformed input (which a checkpoint never is).
bool decode_entries(const std::string& in, size_t* pos, std::vector<Entry>* out);

}  // namespace raft
