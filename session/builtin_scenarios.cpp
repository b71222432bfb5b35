// session/builtin_scenarios.cpp — lookup and one-time parsing of the embedded
// built-in scenarios (the table itself is generated; see the header).
#include "session/builtin_scenarios.h"

#include <algorithm>

#include "format/scenario_json.h"
#include "format/tour.h"

namespace session {

const char* find_builtin_scenario(const std::string& name) {
    size_t count = 0;
    const BuiltinScenarioText* texts = builtin_scenario_texts(&count);
    for (size_t i = 0; i < count; i++) {
        if (name == texts[i].name) return texts[i].json;
    }
    return nullptr;
}

const std::vector<BuiltinScenario>& builtin_scenarios(std::vector<std::string>* errors) {
    static std::vector<std::string> parse_errors;
    static const std::vector<BuiltinScenario> all = [] {
        std::vector<BuiltinScenario> out;
        size_t count = 0;
        const BuiltinScenarioText* texts = builtin_scenario_texts(&count);
        for (size_t i = 0; i < count; i++) {
            BuiltinScenario b;
            b.name = texts[i].name;
            std::string error;
            if (!sim::parse_scenario(texts[i].json, "scenarios/" + b.name + ".json", {},
                                     &b.scenario, &error)) {
                parse_errors.push_back(error);
                continue;
            }
            if (!sim::parse_scenario_tour(texts[i].json, "scenarios/" + b.name + ".json", &b.tour,
                                          &error)) {
                parse_errors.push_back(error);
                continue;
            }
            // A file without "name" takes its file name, as load_scenario_file does.
            if (b.scenario.name == "custom") b.scenario.name = b.name;
            out.push_back(std::move(b));
        }
        std::stable_sort(out.begin(), out.end(),
                         [](const BuiltinScenario& a, const BuiltinScenario& b) {
                             if ((a.name == "default") != (b.name == "default"))
                                 return a.name == "default";
                             return a.name < b.name;
                         });
        return out;
    }();
    if (errors) *errors = parse_errors;
    return all;
}

const BuiltinScenario* find_builtin(const std::string& name) {
    for (const BuiltinScenario& b : builtin_scenarios()) {
        if (b.name == name) return &b;
    }
    return nullptr;
}

}  // namespace session
