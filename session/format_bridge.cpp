// session/format_bridge.cpp — see format_bridge.h (to be swapped at merge).
#include "session/format_bridge.h"

namespace session {

sim::RunFile run_file_of(const sim::Scenario& scenario, uint64_t seed, const sim::World& world) {
    sim::RunFile run;
    run.scenario = scenario;
    run.seed = seed;
    run.inputs = world.inputs();
    run.digest = world.digest_hex();
    run.cursor_us = world.now_us();
    return run;
}

bool validate_action(const sim::Scenario& scenario, const sim::Action& action, std::string* error) {
    // Only actions a share link can carry: the same validation as a link's inputs.
    return sim::check_inputs(scenario, {action}, error);
}

}  // namespace session
