// check/linearizability_append.h — the linearizability search for a key whose
// history holds an append: the model's state is the key's whole value (or
// absence), not an interned value id.
//
// Why a second search: the main one (linearizability.cpp) interns every
// written value to a small integer and prunes with rules that hold because a
// write's effect does not depend on the state before it (twins, reads-from
// order, useless optional writes, unsourced and overwritten reads). An append
// breaks all of them: its effect is the old value plus a suffix. So a key
// with an append is checked here by a plain Wing–Gong search over (set of
// linearized operations, value) with a cache of visited configurations, and
// keys without one keep the main search and its verdicts unchanged.
//
// Bounded like the main search: each linearization step counts one explored
// state against the shared budget, and the cache has a byte bound; either
// exhausted answers kBudget / kMemory, never a wrong verdict. Must not read
// clocks, threads or randomness; containers are ordered.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/history.h"

namespace sim {

enum class AppendSearchOutcome { kOk, kViolation, kBudget, kMemory };

// Checks the operations `indexes` (all on one key) of `h`: failed operations
// and gets of unknown outcome are dropped, ok ones must take effect inside
// their interval, the others at any time after their invocation or never.
// Adds the explored states to *states. On a violation *witness gets the
// operations checked (indexes into h, sorted).
AppendSearchOutcome check_append_key(HistoryView h, const std::vector<size_t>& indexes,
                                     uint64_t budget, uint64_t* states,
                                     std::vector<size_t>* witness);

// True if some operation among `indexes` is an append that may have taken
// effect (not failed): the key then needs check_append_key.
bool key_has_append(HistoryView h, const std::vector<size_t>& indexes);

}  // namespace sim
