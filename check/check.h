// check/check.h — the check layer: tools that judge and reduce runs. Include
// this for all of it, or the one header a caller needs.
//
// What it owns (namespace sim; CMake target `check`, above `format` and
// `sim`), one tool per file:
//
//   file                        tool                            entry points
//   -------------------------   -----------------------------   -------------------------------
//   linearizability.h, .cpp     Wing–Gong / Lowe search of a    check_linearizable,
//                               client history against the      generate_linearizable_history
//                               key-value model
//   linearizability_append.h,   the same search for a key       check_append_key
//     .cpp                      whose history holds an append
//   fuzz.h, fuzz.cpp            randomized fault schedules,     make_fuzz_scenario, judge,
//                               the verdict of a run            run_and_judge
//   fuzz_report.h, .cpp         fuzz reports as JSON lines,     failure_signature,
//                               shards and their merge          read_fuzz_lines,
//                                                               merge_fuzz_reports
//   shrink.h, shrink.cpp        delta debugging of a failing    shrink_scenario, same_outcome
//                               scenario (steps, workload,
//                               duration)
//   expect.h, expect.cpp        a scenario's expectations       (see expect.h)
//                               against a finished run (the
//                               peer-test ports)
//
// Its rules:
//   - Deterministic: the same inputs give the same verdict and the same
//     scenarios on every machine. No clock, no threads, no I/O, no
//     randomness but base::Rng streams drawn from the seed.
//   - Bounded: every search has a budget (linearizability: explored states;
//     shrink: candidate runs). An exhausted budget answers "unknown" (or the
//     smallest failure found so far), never a wrong verdict.
//   - A tool runs worlds (sim::World) and reads scenarios (format/), and
//     reports verdicts as values; printing them is the caller's.
//
// What it must not know: the UI, the playground session, the CLI's options
// and output, threads (`raftplay fuzz` spreads seeds over workers itself),
// the wall clock (callers time the search if they want to). Layers above
// (session/, render/, native/, wasm/) use it; format/, sim/ and below never
// include it.
#pragma once

#include "check/expect.h"
#include "check/fuzz.h"
#include "check/fuzz_report.h"
#include "check/linearizability.h"
#include "check/linearizability_append.h"
#include "check/shrink.h"
