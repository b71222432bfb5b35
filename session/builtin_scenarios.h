// session/builtin_scenarios.h — the built-in scenarios (scenarios/*.json),
// embedded in the binary at build time by cmake/embed_scenarios.cmake.
//
// The page has no file system: this table is how its scenario picker lists
// the built-ins and how a share link naming one (`s=leader-failure`) finds
// its text. Parsing goes through sim::parse_scenario like any file, so the
// page and `raftplay run scenarios/x.json` see the same Scenario.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "format/tour.h"
#include "sim/scenario.h"

namespace session {

struct BuiltinScenarioText {
    const char* name;  // file name without ".json"
    const char* json;
};

// Generated: every scenarios/*.json, sorted by name.
const BuiltinScenarioText* builtin_scenario_texts(size_t* count);

// The JSON text of a built-in scenario, or nullptr.
const char* find_builtin_scenario(const std::string& name);

// A parsed built-in, for the picker.
struct BuiltinScenario {
    std::string name;
    sim::Scenario scenario;
    sim::Tour tour;  // its guided tour (format/tour.h); empty when it has none
};
// The built-in named `name`, or nullptr.
const BuiltinScenario* find_builtin(const std::string& name);

// Every built-in that parses, "default" first, then by name. Parsed once.
// A built-in that fails to parse is a build defect: it is left out and its
// error is returned through `errors` (shown by the page).
const std::vector<BuiltinScenario>& builtin_scenarios(std::vector<std::string>* errors = nullptr);

}  // namespace session
