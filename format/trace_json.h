// format/trace_json.h — one trace record as a single-line JSON object
// (`raftplay run --trace` writes one per line): t_us, kind, and the fields of
// that kind (a message's from/to/type/term/index, a client operation, a
// node's timer, role, vote, persist, fsync, apply or action).
//
// Owns that shape only (the names of kinds, types and roles come from the
// layers that define them); a pure function of the record (and, for a
// client completion, of its history operation).
#pragma once

#include <string>

#include "sim/history.h"
#include "sim/trace.h"

namespace sim {

std::string trace_record_json(const TraceRecord& r);
// The same, a client_complete line joined with its operation in the run's
// history: log_index / log_term, where a leader appended it (0: none did).
std::string trace_record_json(const TraceRecord& r, HistoryView history);

}  // namespace sim
