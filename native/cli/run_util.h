// native/cli/run_util.h — helpers several commands share: the timed
// linearizability check, share links and small JSON reports.
//
// The linearizability checker is bounded by explored states, not time (so it
// stays deterministic); the CLI turns a wall-time limit into growing state
// budgets and measures the real time with std::chrono.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "check/fuzz.h"
#include "check/linearizability.h"
#include "format/scenario_json.h"
#include "sim/history.h"
#include "sim/world.h"

namespace cli {

constexpr int64_t kDefaultLinTimeLimitMs = 10'000;
// An upper bound on explored states per millisecond: the largest budget a
// time limit allows (the search usually stops far earlier, see below).
constexpr uint64_t kLinStatesPerMs = 20'000;

uint64_t lin_budget_for_ms(int64_t time_limit_ms);

// Checks the history within about `time_limit_ms` of wall time (growing
// state budgets while they run out and the next one fits); fills in `ms`.
sim::LinResult timed_linearizability(sim::HistoryView history, int64_t time_limit_ms);

// The page's address plus "#<fragment>" for a run (a built-in scenario by
// name, else embedded). The address is $RAFTPLAY_PAGE_URL when set (e.g.
// http://127.0.0.1:8080/, where scripts/play serves the page), else the
// relative "index.html".
std::string share_link(const sim::RunFile& run, const std::string& builtin_name);

// Runs `work` on `jobs` threads and waits for them (on the calling thread
// alone in WebAssembly, which has no threads here). Each worker pulls its
// items from a shared atomic counter, so results must go to fixed slots.
void run_on_threads(int jobs, const std::function<void()>& work);

// A failing scenario as a run file: a straight run's digest and, for a
// safety failure, the moment the world halted on it; -1 for the other
// outcomes.
sim::RunFile failing_run(const sim::Scenario& s, uint64_t seed, sim::Outcome outcome);

// replay's report: match, both digests, the run's position and optionally
// the full summary.
// checkpoints_checked >= 0 (a run archive) adds that key.
std::string replay_report_json(const sim::World& w, const sim::RunFile& run, bool match,
                               bool with_summary, int64_t checkpoints_checked = -1);

}  // namespace cli
