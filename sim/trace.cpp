// sim/trace.cpp — trace names and the digest (see trace.h).
#include "sim/trace.h"

#include "raft/rng.h"

namespace sim {

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
        case TraceKind::kCount:
            break;
    }
    return "?";
}

// Fixed-width, endian-free arithmetic: the same on every target.
namespace {

// Folds two words into one: the two halves of their 128-bit product, each
// word first offset by its own constant (so that equal fields in different
// positions differ, and a zero field does not zero the product).
uint64_t fold(uint64_t a, uint64_t b) {
    a ^= 0xa0761d6478bd642full;
    b ^= 0xe7037ed1a0b428dbull;
    return a * b ^ raft::mul_hi(a, b);  // see mul_hi for WebAssembly
}

uint64_t rotl(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

}  // namespace

void Digest::mix(uint64_t a, uint64_t b, uint64_t c) {
    h_ ^= a ^ rotl(b, 21) ^ rotl(c, 42);
    h_ *= 0xff51afd7ed558ccdull;
    h_ ^= h_ >> 29;
}

// The record's six fields go in as three independent products (which the CPU
// computes side by side) and one dependent step per record: the chain from
// record to record, which makes the order of the records count.
void Digest::add(const TraceRecord& r) {
    const uint64_t who = static_cast<uint64_t>(r.kind) | (static_cast<uint64_t>(r.msg_type) << 8) |
                         (static_cast<uint64_t>(static_cast<uint32_t>(r.node)) << 16);
    mix(fold(static_cast<uint64_t>(r.t_us), who),
        fold(static_cast<uint64_t>(static_cast<uint32_t>(r.peer)), static_cast<uint64_t>(r.term)),
        fold(static_cast<uint64_t>(r.index), static_cast<uint64_t>(r.aux)));
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
