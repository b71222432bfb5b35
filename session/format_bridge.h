// session/format_bridge.h — the two pieces of format work the session still
// does itself, each in one function so they can be swapped for format/'s own
// when those land (issue 15 items 1 and 2):
//   - run_file_of: the run file of what is shown (native/cli has a twin);
//   - validate_action: whether a user action may enter the input log, today
//     by the same check a share link's inputs get (sim::check_inputs, which
//     writes the action out as JSON and parses it back).
// Both are the code render/app.cpp had, moved unchanged.
#pragma once

#include <cstdint>
#include <string>

#include "format/scenario_json.h"
#include "sim/world.h"

namespace session {

// MERGE: replace with format/'s run_file_of.
sim::RunFile run_file_of(const sim::Scenario& scenario, uint64_t seed, const sim::World& world);

// MERGE: replace with format/'s validate(scenario, action).
bool validate_action(const sim::Scenario& scenario, const sim::Action& action, std::string* error);

}  // namespace session
