// check/fuzz.h — randomized fault schedules and the verdict of a run. Pure
// functions over Scenario, shared by `raftplay fuzz`/`shrink` and the tests;
// shrinking a failing scenario is check/shrink.h.
//
// A fuzz scenario is the base scenario plus a fault schedule drawn from the
// seed, materialized as ordinary timeline steps (so a fuzz run is a plain
// scenario run, reproducible with `raftplay run`, and shrink can remove
// steps). After the faults (the safety phase) come heal steps — heal the
// network, restore its model, resume and restart every node — and a liveness
// phase that must converge: the scenario's expect.converged is set.
//
// Must not read a clock, use threads or do I/O: the same inputs always give
// the same scenarios and verdicts. Effort is bounded (linearizability state
// budget).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "check/linearizability.h"
#include "sim/convergence.h"
#include "sim/scenario.h"
#include "sim/world.h"

namespace sim {

struct FuzzOptions {
    // Length of the fault phase; 0 uses the base scenario's duration.
    int64_t safety_us = 0;
    int64_t liveness_us = 4'000'000;
    // The workload stops this long before the end so every node can catch up.
    int64_t settle_us = 2'000'000;
    // Fault steps are spaced by a uniform gap in this range.
    int64_t fault_gap_us_min = 100'000;
    int64_t fault_gap_us_max = 900'000;
    // The first fault comes at first_fault_us plus up to one maximal gap.
    int64_t first_fault_us = 200'000;
    int32_t faults_max = 32;
    // Protocol mutations OR-ed into the cluster configuration.
    uint32_t mutations = 0;
    // Membership changes and leadership transfers among the faults (thesis
    // ch. 4, §3.10): add_node, add_learner, promote, remove_node and
    // transfer_leader. A base without spare servers gets two (its nodes
    // stay the initial voters). Off, the schedules are those of before.
    bool membership = false;
};

// The base of `raftplay fuzz` when no scenario is named: 5 nodes, election
// 150-300 ms, heartbeat 50 ms, links 1-10 ms, fsync 1-5 ms, 10 clients at
// 200 ops/s over 100 keys with the default operation mix, 6 s of faults.
Scenario fuzz_base_scenario();

// The base plus a fault schedule drawn from `seed`, then the heal steps and
// the liveness phase. Deterministic in (base, seed, options).
Scenario make_fuzz_scenario(const Scenario& base, uint64_t seed, const FuzzOptions& options);

// Just the fault steps make_fuzz_scenario would add in [from_us, to_us).
std::vector<Action> random_faults(const Scenario& base, uint64_t seed, int64_t from_us,
                                  int64_t to_us, const FuzzOptions& options);

// ---------------------------------------------------------------------------
// Verdicts.

enum class Outcome : uint8_t { kOk = 0, kSafety, kLinearizability, kLiveness };
const char* outcome_name(Outcome o);
// The CLI exit code of an outcome: 0 ok, 1 safety/linearizability, 2 liveness.
int outcome_exit_code(Outcome o);

struct Verdict {
    Outcome outcome = Outcome::kOk;
    std::string what;  // one line: the violation, or why it did not converge
    int64_t t_us = 0;  // when (the violation's time, or the end of the run)
    LinResult linearizability;
    bool lin_checked = false;
};

struct JudgeOptions {
    uint64_t lin_max_states = 2'000'000;
    bool check_linearizability = true;
};

// Judges a finished run: a safety violation first, then linearizability of
// the history (a budget overrun is "unknown", never a failure), then — when
// the scenario expects convergence — liveness.
Verdict judge(const World& world, const JudgeOptions& options);

// Runs scenario at seed to the end (no trace kept) and judges it.
// `reproduce` is the command a failed ASSERT during the run prints (empty:
// `raftplay run NAME --seed N`, which does not redraw a fuzz schedule).
Verdict run_and_judge(std::shared_ptr<const Scenario> scenario, uint64_t seed,
                      const JudgeOptions& options, const std::string& reproduce = "");

}  // namespace sim
