// format/run_file.h — the run file: a scenario, a seed, the input log of user
// actions, the digest the run reached and the moment the user was looking
// at. What the page exports and `raftplay replay` verifies:
//   {"format":"raftplay-run","version":1,"scenario":{...},"seed":"42",
//    "inputs":[...],"digest":"9f..","cursor_us":1500000}
//
// Owns that JSON shape (its format tag and version), reading it with every
// rule of the scenario and the inputs, and writing it canonically (compact,
// fixed key order; the seed as a decimal string so JavaScript keeps all 64
// bits). Must not run anything: run_file_of() only reads a world that ran.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario.h"

namespace sim {

class World;

// A recorded run: world = f(scenario, seed, inputs).
struct RunFile {
    Scenario scenario;
    uint64_t seed = 0;
    std::vector<Action> inputs;  // user actions, in time order
    std::string digest;          // lowercase hex; may be empty
    int64_t cursor_us = -1;      // the moment the user was looking at; -1 none
    // When each triggered step fired (scenario timeline index, time, the
    // node it was about), as the recording run saw it: a replay derives
    // them again from the scenario and seed and compares (it never applies
    // them as inputs, which would run the steps twice). Written only when
    // not empty ("triggers_fired"), so files without triggers are unchanged.
    std::vector<FiredTrigger> triggers_fired;
};

// Whether a replay's firings agree with the recorded ones up to `until_us`
// (the replay may stop before the recording did); "" or what differs.
std::string compare_fired(const std::vector<FiredTrigger>& recorded,
                          const std::vector<FiredTrigger>& replayed, int64_t until_us);

// Errors start with `source_name` and name the field path, e.g.
//   run.json: inputs[2].node: node id 7 out of range (cluster has 5 nodes)
bool parse_run_file(const std::string& text, const std::string& source_name, RunFile* out,
                    std::string* error);
std::string run_file_to_json(const RunFile& run);

// A world as a run file: its scenario, seed, input log and digest, and
// cursor_us (where a share link opens the page; -1 = play from the start).
RunFile run_file_of(const World& world, int64_t cursor_us);

// Whether every character is 0-9 or a-f (digests).
bool is_lower_hex(const std::string& s);

}  // namespace sim
