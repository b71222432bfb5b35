// sim/convergence.h — the liveness verdict at the end of a run: whether the
// cluster converged (what a scenario's expect.converged and the fuzzer's
// liveness phase require, and what the summary reports).
#pragma once

#include <string>

#include "sim/world.h"

namespace sim {

// A live leader, and every live member of its configuration has applied the same index and holds
// the same key-value hash. False with a reason otherwise.
bool converged(const World& world, std::string* why);

}  // namespace sim
