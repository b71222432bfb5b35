// format/history_json.h — the client history as JSON lines: one operation per
// line, the format of `raftplay run --history` and `raftplay check`.
//
// Owns the text format only; it never decides anything about linearizability.
// Reading never throws and never crashes on hostile input: it returns false
// with an error naming the line (1-based), the field and the reason.
//
// A record has the keys client, seq, op ("put"|"get"|"delete"|"cas"|"append"),
// key, value, expected, invoke_us, complete_us (null while pending / unknown),
// status ("ok"|"fail"|"unknown"|"pending"), found, output (null when nothing
// was read), cas_ok, node, and log_index / log_term (where a leader appended
// it, 0 if none did; optional, default 0). Required: client, op, key, invoke_us, status;
// also value for put, cas and append, expected for cas, a numeric complete_us when
// the status is ok, found or output for an ok get, cas_ok for an ok cas.
// Unknown keys are errors, so a misspelt field cannot silently change a
// verdict. Blank lines are skipped.
#pragma once

#include <string>
#include <string_view>

#include "sim/history.h"

namespace sim {

// One record as a single-line JSON object, without the newline.
std::string history_op_to_json(const HistoryOp& op);
// Every record followed by '\n'.
std::string history_to_jsonl(HistoryView h);

// Parses JSON lines into *out (replacing its content). On failure *out is
// cleared and *error reads like `line 3: field "op": unknown op "puut"`.
bool parse_history_jsonl(std::string_view text, History* out, std::string* error);

// File variants; errors are prefixed with the path.
bool read_history_file(const std::string& path, History* out, std::string* error);
bool write_history_file(const std::string& path, HistoryView h, std::string* error);

}  // namespace sim
