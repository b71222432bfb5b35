// check/linearizability.h — the linearizability checker for the client history
// of the key-value store, and a generator of linearizable histories for tests
// and benchmarks.
//
// Owns the key-value model used for checking (per key: absent or a string)
// and the search. Must not read clocks, threads or randomness: the effort is
// bounded by a count of explored states, so the same history and budget give
// the same verdict on every machine. An exhausted budget answers kUnknown,
// never a wrong verdict. The caller measures wall time if it wants it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/history.h"

namespace sim {

// LinResult (the verdict's shape) lives in sim/history.h, beside the history
// it judges, so that the summary (format/) can report it without this layer.

// Checks `h` against the key-value model. Keys are independent
// (P-compositionality) and are checked in sorted order with one shared budget.
// Status kOk: the operation took effect atomically in [invoke_us,
// complete_us]. kFail: it did not take effect. kUnknown / kPending: it may
// have taken effect at any time after invoke_us, or never; such reads are
// dropped. Every key starts absent.
LinResult check_linearizable(HistoryView h, uint64_t max_states_explored);

// A history of `ops` operations by `clients` sequential clients over `keys`
// keys, produced by running a real linearizable register per key with
// overlapping intervals: every operation takes effect at a point inside its
// interval. About 1% of the operations fail (no effect) and about 1% end
// unknown (applied or not, at a point that may lie after the client gave up).
// Deterministic in `seed`, integer-only.
History generate_linearizable_history(int ops, int clients, int keys, uint64_t seed);

}  // namespace sim
