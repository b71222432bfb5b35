// session/narration_internal.h — what narration.cpp and
// narration_membership.cpp share: the formatting helpers and the Group a
// sentence handler reads and writes. Not part of the session's interface.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "session/narration.h"
#include "sim/trace.h"

namespace session::detail {

using sim::TraceKind;
using sim::TraceRecord;

std::string fmt(const char* format, ...) __attribute__((format(printf, 1, 2)));
long long ll(int64_t x);
// "n0, n2 and n3" for a bit set of node ids; bit 31 reads "its own".
std::string node_list(uint32_t set);
bool is_node(int32_t id, int n);
// The last role record of `node` in the group, or null.
const TraceRecord* last_role(const std::vector<TraceRecord>& fx, int32_t node);

// What a group handler reads and writes.
struct Group {
    const TraceRecord& in;
    const std::vector<TraceRecord>& fx;
    const std::vector<NodeModel>& before;
    const std::vector<NodeModel>& after;
    int n = 0;
    std::vector<std::pair<NarrationKind, std::string>> out;
    int64_t commit_index = 0;
    int32_t commit_node = -1;
    ConfModel* conf = nullptr;
    void say(NarrationKind k, std::string text) { out.emplace_back(k, std::move(text)); }
    // Voters in the configuration as the trace tells it (ConfModel).
    int voters() const { return std::popcount(conf->voters); }
};

// Membership (thesis ch. 4) and leadership transfer (§3.10):
// narration_membership.cpp. The group's configuration changes, transfers,
// configuration entries applied and a removed leader stepping down.
void membership_news(Group& g);
// A TimeoutNow delivered: its target campaigns at once.
void timeout_now_news(Group& g);

}  // namespace session::detail
