// sim/history.h — the client history: every operation as an invocation and a
// completion with simulated times, the input of the linearizability checker.
//
// An operation whose outcome the client never learned (timeout) completes as
// kUnknown: it may or may not have taken effect, at any time after invoke.
// Also the shape of the linearizability verdict on such a history.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "raft/types.h"

namespace sim {

enum class OpStatus : uint8_t { kPending = 0, kOk, kFail, kUnknown };
const char* op_status_name(OpStatus s);

struct HistoryOp {
    int32_t client = 0;
    int64_t seq = 0;
    raft::OpType op = raft::OpType::kPut;
    std::string key;
    std::string value;     // put: written; cas: new value
    std::string expected;  // cas: expected old value
    int64_t invoke_us = 0;
    int64_t complete_us = -1;  // -1 while pending / for unknown
    OpStatus status = OpStatus::kPending;
    // Outcome when kOk: get -> found + output; cas -> cas_ok.
    bool found = false;
    std::string output;
    bool cas_ok = false;
    int32_t node = -1;  // the node the client last sent it to
    // Where a leader appended it (MIT 6.5840's Start() return value), so a
    // test can wait on that index: the latest append if a retry appended it
    // again; 0 while no leader has (and for reads a ReadIndex serves).
    int64_t log_index = 0;
    int64_t log_term = 0;
    // An ok get that found its key: the key's version and mod_revision as
    // the read saw them (etcd's model, raft::KeyMeta); 0 otherwise.
    int64_t version = 0;
    int64_t mod_revision = 0;
};

using History = std::vector<HistoryOp>;
using HistoryView = std::span<const HistoryOp>;

// The linearizability checker's verdict on a history (check/linearizability.h
// computes it; the summary reports it).
struct LinResult {
    enum Verdict { kOk, kViolation, kUnknown } verdict = kOk;
    double ms = 0;    // left 0 here; the caller measures wall time
    std::string key;  // the key whose sub-history failed (violation or unknown)
    // Indexes into the input history: a small set of operations on `key` that
    // cannot be linearized on its own (reduced greedily, bounded effort).
    std::vector<size_t> witness;
    std::string explanation;
    uint64_t states_explored = 0;  // by the verdict's search, not the witness reduction
};

const char* lin_verdict_name(LinResult::Verdict v);  // "ok", "violation", "unknown"

}  // namespace sim
