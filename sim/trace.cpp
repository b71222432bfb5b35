// sim/trace.cpp — trace names and the digest (see trace.h).
#include "sim/trace.h"

namespace sim {

const char* transfer_event_name(TransferEvent e) {
    switch (e) {
        case TransferEvent::kStarted:
            return "started";
        case TransferEvent::kCompleted:
            return "completed";
        case TransferEvent::kAborted:
            return "aborted";
        case TransferEvent::kRefused:
            return "refused";
        case TransferEvent::kCount:
            break;
    }
    return "?";
}

const char* trace_kind_name(TraceKind k) {
    switch (k) {
        case TraceKind::kSend:
            return "send";
        case TraceKind::kDeliver:
            return "deliver";
        case TraceKind::kDrop:
            return "drop";
        case TraceKind::kTimeout:
            return "timeout";
        case TraceKind::kRole:
            return "role";
        case TraceKind::kTerm:
            return "term";
        case TraceKind::kVote:
            return "vote";
        case TraceKind::kPersist:
            return "persist";
        case TraceKind::kFsync:
            return "fsync";
        case TraceKind::kCommit:
            return "commit";
        case TraceKind::kApply:
            return "apply";
        case TraceKind::kSnapshot:
            return "snapshot";
        case TraceKind::kCrash:
            return "crash";
        case TraceKind::kRestart:
            return "restart";
        case TraceKind::kPause:
            return "pause";
        case TraceKind::kResume:
            return "resume";
        case TraceKind::kCorruption:
            return "corruption";
        case TraceKind::kClientInvoke:
            return "client_invoke";
        case TraceKind::kClientComplete:
            return "client_complete";
        case TraceKind::kAction:
            return "action";
        case TraceKind::kViolation:
            return "violation";
        case TraceKind::kConfChange:
            return "conf_change";
        case TraceKind::kTransfer:
            return "transfer";
        case TraceKind::kCount:
            break;
    }
    return "?";
}

uint64_t Digest::value() const {
    uint64_t z = h_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

std::string hex64(uint64_t v) {
    static const char* kDigits = "0123456789abcdef";
    std::string s(16, '0');
    for (int i = 15; i >= 0; i--) {
        s[static_cast<size_t>(i)] = kDigits[v & 0xf];
        v >>= 4;
    }
    return s;
}

std::string Digest::hex() const {
    return hex64(value());
}

}  // namespace sim
