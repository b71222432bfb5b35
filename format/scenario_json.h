// format/scenario_json.h — the scenario file format (JSON): parsing with
// strict validation, and canonical serialization that parses back to an
// equal value (docs/scenarios.md).
//
// Owns the text <-> Scenario mapping and the scenario's validation rules
// (scenario_read.cpp; the timeline's steps are actions: action.h). Must not
// run anything: it only produces plain data for the world. Never throws and
// never crashes on hostile input; every failure is a `false` return with a
// message naming the source, the JSON path and the reason, e.g.
//   scenarios/x.json: timeline[3].node: node id 7 out of range (cluster has 5 nodes)
// Conversions are integer-only and parse the number's text, so the same file
// gives the same Scenario on every platform (times in ms -> us, fractions ->
// parts per million, both rounded half up).
//
// This header also includes the formats built on the scenario (actions, run
// files, share links), for callers that used to find them all here.
#pragma once

#include <string>
#include <vector>

#include "format/action.h"
#include "format/fragment.h"
#include "format/json.h"
#include "format/run_file.h"
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

// For the formats that embed a scenario (run file, share link): read one
// from a tree at `path` (the whole scenario, estimate included) and write one.
// *had_name (may be null) says whether the tree named the scenario.
bool scenario_from_tree(ReadCtx& ctx, const JsonValue& root, const std::string& path, Scenario* out,
                        bool* had_name);
void write_scenario(JsonWriter& w, const Scenario& s);

}  // namespace sim
