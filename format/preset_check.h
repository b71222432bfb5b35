// format/preset_check.h — necessary conditions for a preset of durable state to
// be reachable by a real Raft run.
//
// Owns the cross-node rules of docs/scenarios.md#reachability (the per-node
// ones, terms along a log and the current term, are checked while parsing).
// A preset that breaks one of them could never have been produced by the
// protocol, so the checkers would blame the correct protocol for it. The
// rules are necessary, not sufficient: deciding reachability exactly needs a
// search over histories, so a preset that passes is still "unverified" (the
// summary says so). Pure: no I/O, linear in the preset's size per node pair.
#pragma once

#include <string>
#include <vector>

#include "sim/scenario.h"

namespace sim {

// Where a rule is broken: `path` is relative to the preset array, e.g.
// "[2].log[5]" or "[0].voted_for".
struct PresetProblem {
    std::string path;
    std::string reason;
};

// Checks the preset of a cluster of `node_count` nodes (already valid node
// by node: ids in range and unique, terms non-decreasing, current term at
// least the last entry's term). Nodes not listed start blank. Returns false
// and fills *problem for the first broken rule, in a fixed order.
bool check_preset_reachable(const std::vector<PresetNode>& preset, int node_count,
                            PresetProblem* problem);

// The checker results an unverified preset can distort (summary and page):
// they compare logs, votes and applied entries with the preset's past.
inline constexpr const char* kPresetDistortedChecks[] = {"log_matching", "leader_completeness",
                                                         "state_machine_safety", "election_safety"};
inline constexpr const char* kPresetUnverifiedNote =
    "the preset passes the necessary conditions of reachability (docs/scenarios.md#reachability) "
    "but was not proven reachable; a safety violation may come from the preset, not the protocol";

}  // namespace sim
