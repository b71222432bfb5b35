// format/logs_json.h — every node's full log and durable state as JSON
// (`raftplay run --logs`): for each node its id, liveness, the durable state
// on its disk (term, vote, snapshot and log bounds, unsynced batches), the
// snapshot it holds and every entry (index, term, type, the command).
//
// Owns that shape only; a pure function of the world's state, in a fixed
// order (the same world gives the same bytes natively and in WebAssembly).
#pragma once

#include <string>

#include "sim/world.h"

namespace sim {

std::string logs_json(const World& world);

}  // namespace sim
