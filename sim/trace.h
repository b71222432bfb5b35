// sim/trace.h — the event trace and the run's digest.
//
// Every event of a run becomes one compact TraceRecord. The digest is a
// running 64-bit hash over a canonical little-endian encoding of each
// record's fields, so it is the same under every compiler and standard
// library: the run's fingerprint. Storing the records is optional (long
// benchmarks only keep the digest); the digest is always computed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sim {

enum class TraceKind : uint8_t {
    kSend = 0,
    kDeliver,
    kDrop,
    kTimeout,  // aux: 0 election, 1 heartbeat
    kRole,     // aux: raft::Role
    kTerm,
    kVote,     // peer: voted_for
    kPersist,  // a write batch reached the disk queue; aux: ops
    kFsync,    // a batch became durable; index: last entry durable
    kCommit,
    kApply,
    kSnapshot,
    kCrash,
    kRestart,
    kPause,
    kResume,
    kCorruption,  // recovery found a torn/corrupt write and truncated
    kClientInvoke,
    kClientComplete,  // aux: OpStatus
    kAction,          // aux: ActionKind
    kViolation,
    kCount
};
const char* trace_kind_name(TraceKind k);

struct TraceRecord {
    int64_t t_us = 0;
    TraceKind kind = TraceKind::kSend;
    uint8_t msg_type = 0;  // raft::MsgType for send/deliver/drop
    int32_t node = -1;
    int32_t peer = -1;  // to / from / voted_for / client
    int64_t term = 0;
    int64_t index = 0;
    int64_t aux = 0;  // kind-specific (message id, role, status, ...)
};

// Each record's fields, as 64-bit words, folded pairwise by 128-bit products
// into a multiply-xorshift chain over the records; a final avalanche when read.
class Digest {
  public:
    void add(const TraceRecord& r);
    uint64_t value() const;
    std::string hex() const;
    bool operator==(const Digest&) const = default;

  private:
    void mix(uint64_t a, uint64_t b, uint64_t c);
    uint64_t h_ = 0xcbf29ce484222325ull;
};

std::string hex64(uint64_t v);

}  // namespace sim
