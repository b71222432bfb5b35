// check/shrink.h — shrinking a failing scenario: delta debugging (ddmin)
// over its timeline steps, then its workload and its duration, while a
// predicate (usually "the same seed still fails the same way") holds.
//
// Must not read a clock, use threads or do I/O: the same scenario and
// predicate always give the same result. Effort is bounded by a run budget.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#include "check/fuzz.h"
#include "sim/scenario.h"

namespace sim {

struct ShrinkOptions {
    int32_t max_runs = 400;  // a bound on the candidate runs tried
    // For liveness failures: keep the steps from the last heal on and the
    // duration, or "did not converge" would hold trivially.
    bool keep_liveness_phase = false;
};
struct ShrinkStats {
    int32_t runs = 0;
    size_t steps_before = 0, steps_after = 0;
};

// Reduces `failing` while `still_fails` holds: delta debugging (ddmin) over
// the timeline steps, then the workload (clients, rate, keys, mix), then the
// duration. Returns the smallest failing scenario found; `failing` itself
// when nothing smaller fails. `still_fails(failing)` should be true.
Scenario shrink_scenario(const Scenario& failing,
                         const std::function<bool(const Scenario&)>& still_fails,
                         const ShrinkOptions& options, ShrinkStats* stats);

// The predicate shrink uses for a run: same seed, same outcome kind.
std::function<bool(const Scenario&)> same_outcome(uint64_t seed, Outcome outcome,
                                                  const JudgeOptions& options);

}  // namespace sim
