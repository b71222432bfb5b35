// session/bug_hunts.h — whether a protocol mutation (raft/types.h: a
// deliberately broken rule) can show in a scenario at all, so that switching
// one on where it cannot show says so instead of leaving a learner waiting
// for a violation that never comes.
//
// The rules are necessary conditions read from the scenario (its timeline,
// preset, workload), not a proof that a violation will appear: a broken
// durability rule needs a crash, a broken election rule needs logs that
// differ at an election, follower reads need reads and a stale follower,
// the membership mutations need the changes (or transfers) they break.
// The Bug hunts in the picker are scenarios where each one does show.
#pragma once

#include <cstdint>
#include <string>

#include "sim/scenario.h"

namespace session {

// Why mutation `bit` cannot show in `s` (a sentence), or empty when it can.
std::string mutation_cannot_show(const sim::Scenario& s, uint32_t bit);
// The first of s.cluster.mutations that cannot show, as a notice; empty if none.
std::string mutations_notice(const sim::Scenario& s);

}  // namespace session
