// sim/history.cpp — the names of history statuses and verdicts (see history.h).
#include "sim/history.h"

namespace sim {

const char* op_status_name(OpStatus s) {
    switch (s) {
        case OpStatus::kPending:
            return "pending";
        case OpStatus::kOk:
            return "ok";
        case OpStatus::kFail:
            return "fail";
        case OpStatus::kUnknown:
            return "unknown";
    }
    return "?";
}

const char* lin_verdict_name(LinResult::Verdict v) {
    switch (v) {
        case LinResult::kOk:
            return "ok";
        case LinResult::kViolation:
            return "violation";
        case LinResult::kUnknown:
            return "unknown";
    }
    return "?";
}

}  // namespace sim
