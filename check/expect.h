// check/expect.h — a scenario's expectations (sim::Expectations, the
// "expect" object of a scenario file) checked against a run: the ports of
// peer tests in tests/scenarios/ state what their source test asserts
// (MIT's checkOneLeader / checkNoLeader / nCommitted, a linearizable
// history), and every seed they run with must meet it.
//
// Owns running a scenario to each moment of expect.at and to its end, and
// the words of a failure. Must not change the run: it only stops the world
// at the moments and reads it (the digest is that of the plain run).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/scenario.h"
#include "sim/world.h"

namespace sim {

struct ExpectReport {
    std::vector<std::string> failures;  // empty: every expectation held
    std::string digest;
    int64_t events = 0;
};

// One moment's checks against the world as it is now; "" or why not.
std::string check_expect_at(const World& world, const ExpectAt& at);

// Runs `scenario` with `seed` to the end, checking expect.at at their
// moments, then: no safety violation, convergence (expect.converged), the
// history linearizable (a budget of lin_states_max explored states; an
// exhausted budget is a failure too), the first leader within its time and
// the number of elections.
ExpectReport run_expectations(std::shared_ptr<const Scenario> scenario, uint64_t seed,
                              uint64_t lin_states_max = 5'000'000);

}  // namespace sim
