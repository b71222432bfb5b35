// format/trace_json.h — one trace record as a single-line JSON object
// (`raftplay run --trace` writes one per line): t_us, kind, and the fields of
// that kind (a message's from/to/type/term/index, a client operation, a
// node's timer, role, vote, persist, fsync, apply or action).
//
// Owns that shape only (the names of kinds, types and roles come from the
// layers that define them); a pure function of the record.
#pragma once

#include <string>

#include "sim/trace.h"

namespace sim {

std::string trace_record_json(const TraceRecord& r);

}  // namespace sim
