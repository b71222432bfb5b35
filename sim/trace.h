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

#include "base/rng.h"

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
    // A membership action's outcome (thesis ch. 4): node the leader asked
    // (-1: none), peer the server it names, index the entry appended (0:
    // refused), aux = raft::ConfChangeType | raft::ConfRefusal << 8.
    kConfChange,
    // A leadership transfer (§3.10): node the leader, peer the target, aux
    // = TransferEvent (started, completed, aborted, refused), index the
    // raft::ConfRefusal of a refusal.
    kTransfer,
    kCount
};
const char* trace_kind_name(TraceKind k);

// A kTransfer record's aux.
enum class TransferEvent : uint8_t { kStarted = 0, kCompleted, kAborted, kRefused, kCount };
const char* transfer_event_name(TransferEvent e);  // "started", "completed", ...

struct TraceRecord {
    int64_t t_us = 0;
    TraceKind kind = TraceKind::kSend;
    uint8_t msg_type = 0;  // raft::MsgType for send/deliver/drop
    int32_t node = -1;
    int32_t peer = -1;  // to / from / voted_for / client
    int64_t term = 0;
    int64_t index = 0;
    int64_t aux = 0;  // kind-specific (message id, role, status, ...)
    // Not folded into the digest (Digest::add reads only the fields above),
    // so adding them changed no digest; last, so positional initializers of
    // the fields above keep working. send / deliver only:
    // - a refused response (send and deliver): reason = raft::Refusal and
    //   what it names (raft::refusal_note);
    // - a delivered request the receiver refused: its verdict, set after the
    //   receiver's step (answered: a response says it too, now or after a
    //   persist; else the request was dropped without one: a lease, a stale
    //   vote request);
    // - a vote request: note_term = the candidate's last log term (index
    //   holds its last log index), so a log_behind refusal shows both
    //   (index, term)s.
    // A drop: reason = the precise DropReason of a cut (partition, cut,
    // entries_only) where aux, in the digest, says partition; else 0.
    uint8_t reason = 0;     // raft::Refusal (a drop: sim::DropReason)
    bool answered = false;  // a delivered request's refusal: a response says it
    int32_t note_node = -1;
    int64_t note_index = 0;
    int64_t note_term = 0;
    // A send: the message's size in the defined encoding (raft::wire_bytes).
    // Not in the digest either: it is a function of the message, which the
    // run already is.
    int64_t bytes = 0;
};

// Each record's fields, as 64-bit words, folded pairwise by 128-bit products
// into a multiply-xorshift chain over the records; a final avalanche when read.
// Fixed-width, endian-free arithmetic: the same on every target. Inline: it
// runs for every record of every run.
class Digest {
  public:
    // The record's six fields go in as three independent products (which the
    // CPU computes side by side) and one dependent step per record: the chain
    // from record to record, which makes the order of the records count.
    [[gnu::always_inline]] void add(const TraceRecord& r) {
        const uint64_t who = static_cast<uint64_t>(r.kind) |
                             (static_cast<uint64_t>(r.msg_type) << 8) |
                             (static_cast<uint64_t>(static_cast<uint32_t>(r.node)) << 16);
        mix(fold(static_cast<uint64_t>(r.t_us), who),
            fold(static_cast<uint64_t>(static_cast<uint32_t>(r.peer)),
                 static_cast<uint64_t>(r.term)),
            fold(static_cast<uint64_t>(r.index), static_cast<uint64_t>(r.aux)));
    }
    uint64_t value() const;
    std::string hex() const;
    bool operator==(const Digest&) const = default;
    // The running state, for saved runs (format/run_archive): value() is a
    // one-way avalanche of it, so a restored digest needs the word itself.
    uint64_t state() const { return h_; }
    void set_state(uint64_t h) { h_ = h; }

  private:
    // Folds two words into one: the two halves of their 128-bit product, each
    // word first offset by its own constant (so that equal fields in different
    // positions differ, and a zero field does not zero the product).
    static uint64_t fold(uint64_t a, uint64_t b) {
        a ^= 0xa0761d6478bd642full;
        b ^= 0xe7037ed1a0b428dbull;
        return a * b ^ base::mul_hi(a, b);  // see mul_hi for WebAssembly
    }
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    void mix(uint64_t a, uint64_t b, uint64_t c) {
        h_ ^= a ^ rotl(b, 21) ^ rotl(c, 42);
        h_ *= 0xff51afd7ed558ccdull;
        h_ ^= h_ >> 29;
    }
    uint64_t h_ = 0xcbf29ce484222325ull;
};

std::string hex64(uint64_t v);

}  // namespace sim
