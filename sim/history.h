// sim/history.h — the client history: every operation as an invocation and a
// completion with simulated times, the input of the linearizability checker.
//
// An operation whose outcome the client never learned (timeout) completes as
// kUnknown: it may or may not have taken effect, at any time after invoke.
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
};

using History = std::vector<HistoryOp>;
using HistoryView = std::span<const HistoryOp>;

}  // namespace sim
