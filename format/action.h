// format/action.h — actions (a scenario's timeline steps and the input log's
// user actions): their rules, and their JSON form.
//
// Owns three things about sim::Action (plain data, defined in sim/scenario.h):
//   - validate(): every rule an action must meet against its scenario (node
//     ids in range, which selectors an action takes, a link's two ends, the
//     partition's groups, payload sizes and ranges, jitter, time). The parser
//     calls it on every action it reads, and the page calls it on an action
//     the user builds, so a file, a share link and a click obey one rule set
//     and word a refusal the same way (no JSON round trip).
//   - the action names ("kill", "put", ...) and which fields each kind takes;
//   - reading and writing the step format {"at_ms": .., "do": .., ...}.
// Why here and not in sim/: the rules are the file format's (payload caps,
// the fields a kind takes, the words of the messages), they share the kinds'
// field table with the reader and writer, and they depend on the scenario.
// The world only runs actions; it never needs to know how they are refused.
//
// Must not run anything or know the resource estimate (scenario_limits.h):
// check_inputs() adds that for a whole input log.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "format/json.h"
#include "sim/limits.h"
#include "sim/scenario.h"

namespace sim {

// ===========================================================================
// Rules
// ===========================================================================

// Payload limits (docs/scenarios.md): a key, a value or expected value.
constexpr size_t kActionKeyBytesMax = 256;
constexpr size_t kActionValueBytesMax = 4'096;
constexpr int64_t kActionCountMax = 100'000;  // stress writes
constexpr size_t kJitterGroupBytesMax = 64;

// What an action is checked against.
struct ActionRules {
    int node_count = raft::kMaxNodes;
    int64_t duration_us = -1;  // >= 0: a timeline step, which must not be later
};

// What is wrong with an action: `field` is the step-format path inside the
// action ("node", "groups[1][0]", "latency_ms"; empty: the action as a
// whole) and `reason` says why. `other` is a field the reason ends with
// ("node 1 is already in" + "groups[0]"). An empty reason means valid.
struct ActionProblem {
    std::string field;
    std::string reason;
    std::string other;
    bool ok() const { return reason.empty(); }
    // "PREFIX.field: reason" (e.g. prefix "timeline[3]"); without a prefix
    // "field: reason", or just the reason for the action as a whole.
    std::string message(const std::string& prefix = "") const;
};

// The first rule `action` breaks, in the order the step format lists its
// fields (time, jitter, nodes, groups, payload).
ActionProblem validate(const ActionRules& rules, const Action& action);

// A user action (input log): checked against the scenario's cluster; any
// time up to sim_time_us_max.
inline ActionProblem validate(const Scenario& scenario, const Action& action) {
    return validate(ActionRules{scenario.cluster.node_count, -1}, action);
}

// A whole input log: every action valid, in time order, and the run within
// the resource estimate's limits. Errors read "inputs[2].node: ...".
bool check_inputs(const Scenario& scenario, const std::vector<Action>& inputs, std::string* error);

// ===========================================================================
// JSON (the step format)
// ===========================================================================

// One action as a compact JSON object.
std::string action_to_json(const Action& action);

// For the format layer's readers and writers (scenario, run file, share link).
struct ActionListRules {
    ActionRules rules;
    size_t max_items = kMaxInputs;
    bool time_ordered = false;  // input logs must be in time order; timelines get sorted
};
// Reads an array of actions at `path`; sorted by time (stable) on success.
bool parse_actions(ReadCtx& ctx, const JsonValue& v, const std::string& path,
                   const ActionListRules& rules, std::vector<Action>* out);
void write_actions(JsonWriter& w, const std::vector<Action>& actions);
// One action without "at_ms" (a tour's task): the step format's other fields
// and rules.
bool parse_untimed_action(ReadCtx& ctx, const JsonValue& v, const std::string& path,
                          const ActionRules& rules, Action* out);

// A node id in [0, node_count), with the message the formats share.
bool read_node_id(ReadCtx& ctx, const JsonValue& v, const std::string& path, int node_count,
                  raft::NodeId* out);

}  // namespace sim
