// format/scenario_json.h — the scenario file format (JSON), run files and
// share-link fragments: parsing with strict validation, and canonical
// serialization that parses back to an equal value.
//
// Owns the text <-> Scenario / RunFile mapping and every validation rule
// (see docs/scenarios.md). Must not run anything: it only produces plain
// data for the world. Never throws and never crashes on hostile input; every
// failure is a `false` return with a message naming the source, the JSON
// path and the reason, e.g.
//   scenarios/x.json: timeline[3].node: node id 7 out of range (cluster has 5 nodes)
// Conversions are integer-only and parse the number's text, so the same file
// gives the same Scenario on every platform (times in ms -> us, fractions ->
// parts per million, both rounded half up).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/limits.h"  // kMaxInputs, kMaxScenarioBytes, ... (named limits)
#include "sim/scenario.h"

namespace sim {

// Parses a scenario. `source_name` prefixes every error (a file path, or
// e.g. "share link"). `overrides` are "PATH=VALUE" strings (CLI --set),
// applied to the JSON before validation: VALUE is parsed as JSON if it
// parses, else taken as a string. `out` is written only on success.
bool parse_scenario(const std::string& json_text, const std::string& source_name,
                    const std::vector<std::string>& overrides, Scenario* out, std::string* error);

// Reads and parses a scenario file. When the file has no "name", the file's
// base name without ".json" is used.
bool load_scenario_file(const std::string& path, const std::vector<std::string>& overrides,
                        Scenario* out, std::string* error);

// Canonical compact JSON: every field written, fixed key order. parse_scenario
// reads it back to an equal Scenario.
std::string scenario_to_json(const Scenario& scenario);

// A recorded run: what the browser exports and `raftplay replay` verifies.
struct RunFile {
    Scenario scenario;
    uint64_t seed = 0;
    std::vector<Action> inputs;  // user actions, in time order
    std::string digest;          // lowercase hex; may be empty
    int64_t cursor_us = -1;      // the moment the user was looking at; -1 none
};

bool parse_run_file(const std::string& text, const std::string& source_name, RunFile* out,
                    std::string* error);
std::string run_file_to_json(const RunFile& run);

// A share-link fragment (the part after '#'): `builtin_name` non-empty
// refers to scenarios/<name>.json, else the full scenario is embedded.
std::string encode_fragment(const RunFile& run, const std::string& builtin_name_or_empty);

// Decodes a fragment (a leading '#' is allowed). For a built-in scenario,
// *builtin_name is set, out->scenario is left default, and the inputs were
// checked against kMaxNodes only: the caller loads the scenario, then calls
// check_inputs() with it. For an embedded scenario *builtin_name is empty.
bool decode_fragment(const std::string& fragment, RunFile* out, std::string* builtin_name,
                     std::string* error);

// Validates actions against a scenario (node ids in range, time order).
bool check_inputs(const Scenario& scenario, const std::vector<Action>& inputs, std::string* error);

// Serializes one action in the timeline step format (compact JSON object).
std::string action_to_json(const Action& action);

}  // namespace sim
