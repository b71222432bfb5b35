// format/action.cpp — actions: names, the fields each kind takes, validate(),
// and the step format's reader and writer (see action.h).
//
// Index
//   1. Names and fields
//   2. validate(): time and jitter, nodes, partitions, payload
//   3. Reading steps
//   4. Writing steps
//   5. Public API
//
// Over 800 lines (952): one table and one reader/writer pair per action kind,
// which grew with triggers (when, until_ms), clock_drift, disconnect/reconnect
// and the five membership steps, and they must stay together: a kind's
// fields, checks and writer are read side by side. The
// next split is the trigger object (its fields, checks and writer) into
// format/trigger.cpp.
#include "format/action.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "format/retry_policy.h"
#include "format/scenario_limits.h"
#include "sim/history.h"

namespace sim {
namespace {

// ===========================================================================
// 1. Names and fields
// ===========================================================================

constexpr const char* kActionNames[] = {
    "kill",
    "restart",
    "pause",
    "resume",
    "partition",
    "cut",
    "heal",
    "set_network",
    "clog",
    "unclog",
    "put",
    "get",
    "delete",
    "cas",
    "stress",
    "campaign",
    "snapshot",
    "drop_msg",
    "delay_msg",
    "dup_msg",
    "pause_workload",
    "resume_workload",
    "append",
    "clock_drift",
    "disconnect",
    "reconnect",
    "add_node",
    "add_learner",
    "promote",
    "remove_node",
    "transfer_leader",
};
static_assert(sizeof(kActionNames) / sizeof(kActionNames[0]) ==
              static_cast<size_t>(ActionKind::kCount));

// Which fields each action takes.
enum ActionField : uint32_t {
    kFieldNodeAny = 1u << 0,  // node: an id or any selector, "all" included
    kFieldNodeOne = 1u << 1,  // node: an id or a single-node selector
    kFieldLink = 1u << 2,     // node and to: ids (one direction of a link)
    kFieldGroups = 1u << 3,   // groups, or isolate_leader_with
    kFieldKey = 1u << 4,
    kFieldValue = 1u << 5,
    kFieldExpected = 1u << 6,
    kFieldCount = 1u << 7,
    kFieldMsg = 1u << 8,
    kFieldDelay = 1u << 9,
    kFieldNetwork = 1u << 10,  // loss, latency_ms, duplicate
    kFieldEntriesOnly = 1u << 11,
    kFieldRetry = 1u << 12,  // retry: this request's routing and retries
    kFieldForce = 1u << 13,
    kFieldDrift = 1u << 14,         // ppm: a clock's rate
    kFieldNodeOptional = 1u << 15,  // node may be left out (add_node: the lowest spare)
};
constexpr uint32_t kFieldAnyNode = kFieldNodeAny | kFieldNodeOne | kFieldLink;

uint32_t action_fields(ActionKind k) {
    switch (k) {
        case ActionKind::kKill:
        case ActionKind::kRestart:
        case ActionKind::kPause:
        case ActionKind::kResume:
        case ActionKind::kSnapshot:
        case ActionKind::kDisconnect:
        case ActionKind::kReconnect:
            return kFieldNodeAny;
        case ActionKind::kPartition:
            return kFieldGroups;
        case ActionKind::kCutLink:
            return kFieldLink | kFieldEntriesOnly;
        case ActionKind::kClog:
        case ActionKind::kUnclog:
            return kFieldLink;
        case ActionKind::kHeal:
            return 0;
        case ActionKind::kSetNetwork:
            return kFieldNetwork;
        case ActionKind::kPut:
        case ActionKind::kAppend:
            return kFieldNodeOne | kFieldKey | kFieldValue | kFieldRetry;
        case ActionKind::kGet:
        case ActionKind::kDelete:
            return kFieldNodeOne | kFieldKey | kFieldRetry;
        case ActionKind::kCas:
            return kFieldNodeOne | kFieldKey | kFieldExpected | kFieldValue | kFieldRetry;
        case ActionKind::kStress:
            return kFieldNodeOne | kFieldCount;
        case ActionKind::kCampaign:
            return kFieldNodeOne | kFieldForce;
        case ActionKind::kDropMsg:
        case ActionKind::kDupMsg:
            return kFieldMsg;
        case ActionKind::kDelayMsg:
            return kFieldMsg | kFieldDelay;
        case ActionKind::kPauseWorkload:
        case ActionKind::kResumeWorkload:
            return 0;
        case ActionKind::kClockDrift:
            return kFieldNodeAny | kFieldDrift;
        case ActionKind::kAddNode:
        case ActionKind::kAddLearner:
            return kFieldNodeOne | kFieldNodeOptional;
        case ActionKind::kPromote:
        case ActionKind::kRemoveNode:
        case ActionKind::kTransferLeader:
            return kFieldNodeOne;
        case ActionKind::kCount:
            break;
    }
    return 0;
}

std::vector<std::string_view> action_keys(uint32_t bits) {
    std::vector<std::string_view> keys = {"at_ms", "do", "jitter_ms", "jitter_group"};
    if (bits & kFieldAnyNode) keys.push_back("node");
    if (bits & kFieldLink) keys.push_back("to");
    if (bits & kFieldEntriesOnly) keys.push_back("entries_only");
    if (bits & kFieldForce) keys.push_back("force");
    if (bits & kFieldGroups) keys.insert(keys.end(), {"groups", "isolate_leader_with"});
    if (bits & kFieldKey) keys.push_back("key");
    if (bits & kFieldExpected) keys.push_back("expected");
    if (bits & kFieldValue) keys.push_back("value");
    if (bits & kFieldCount) keys.push_back("count");
    if (bits & kFieldMsg) keys.push_back("msg");
    if (bits & kFieldDelay) keys.push_back("delay_ms");
    if (bits & kFieldNetwork) keys.insert(keys.end(), {"loss", "latency_ms", "duplicate"});
    if (bits & kFieldRetry) keys.push_back("retry");
    if (bits & kFieldDrift) keys.push_back("ppm");
    keys.push_back("when");
    return keys;
}

constexpr struct {
    NodeSelector sel;
    const char* name;
} kSelectors[] = {
    {NodeSelector::kLeader, "leader"},
    {NodeSelector::kFollower, "follower"},
    {NodeSelector::kAll, "all"},
    {NodeSelector::kRandom, "random"},
    {NodeSelector::kLeaderNext, "leader+1"},
    {NodeSelector::kFollowersOfLeader, "followers_of_leader"},
    {NodeSelector::kSubject, "trigger"},
    {NodeSelector::kSubject, "subject"},  // a second name; written as "trigger"
};
constexpr const char* kSelectorList =
    "leader, leader+1, follower, followers_of_leader, all, random, trigger";

bool multi_node(NodeSelector sel) {
    return sel == NodeSelector::kAll || sel == NodeSelector::kFollowersOfLeader;
}

const char* selector_name(NodeSelector sel) {
    for (const auto& s : kSelectors) {
        if (s.sel == sel) return s.name;
    }
    return "?";
}

constexpr const char* kTriggerNames[] = {"role",    "commit", "apply",      "send",
                                         "deliver", "fsync",  "client_done"};
static_assert(sizeof(kTriggerNames) / sizeof(kTriggerNames[0]) ==
              static_cast<size_t>(TriggerKind::kCount));
constexpr int64_t kTriggerCountMax = 1'000'000;

// The keys of a `when` object for each event.
std::vector<std::string_view> trigger_keys(TriggerKind k) {
    std::vector<std::string_view> keys = {"event", "count", "delay_ms", "until_ms"};
    switch (k) {
        case TriggerKind::kRole:
            keys.insert(keys.end(), {"role", "node"});
            break;
        case TriggerKind::kCommit:
        case TriggerKind::kApply:
            keys.insert(keys.end(), {"index", "node"});
            break;
        case TriggerKind::kSend:
        case TriggerKind::kDeliver:
            keys.insert(keys.end(), {"msg", "from", "to"});
            break;
        case TriggerKind::kFsync:
            keys.push_back("node");
            break;
        case TriggerKind::kClientDone:
            keys.insert(keys.end(), {"status", "node"});
            break;
        case TriggerKind::kCount:
            break;
    }
    return keys;
}

bool role_from_name(const std::string& name, raft::Role* out) {
    for (auto r : {raft::Role::kFollower, raft::Role::kPreCandidate, raft::Role::kCandidate,
                   raft::Role::kLeader}) {
        if (name == raft::role_name(r)) {
            *out = r;
            return true;
        }
    }
    return false;
}

bool msg_type_from_name(const std::string& name, uint8_t* out) {
    for (int t = 0; t < static_cast<int>(raft::MsgType::kCount); t++) {
        if (name == raft::msg_type_name(static_cast<raft::MsgType>(t))) {
            *out = static_cast<uint8_t>(t);
            return true;
        }
    }
    return false;
}

std::string msg_type_list() {
    std::string list;
    for (int t = 0; t < static_cast<int>(raft::MsgType::kCount); t++)
        list += (t ? ", " : "") + std::string(raft::msg_type_name(static_cast<raft::MsgType>(t)));
    return list;
}

constexpr OpStatus kDoneStatuses[] = {OpStatus::kOk, OpStatus::kFail, OpStatus::kUnknown};

enum class NodeRule : uint8_t { kAny, kOne, kIdOnly };

NodeRule node_rule(uint32_t bits) {
    return (bits & kFieldNodeAny)   ? NodeRule::kAny
           : (bits & kFieldNodeOne) ? NodeRule::kOne
                                    : NodeRule::kIdOnly;
}

std::string node_count_text(int n) {
    return std::to_string(n) + (n == 1 ? " node" : " nodes");
}

std::string node_range_reason(int64_t id, const std::string& text, int node_count) {
    if (id >= 0 && id < node_count) return "";
    return "node id " + text + " out of range (cluster has " + node_count_text(node_count) + ")";
}

// ===========================================================================
// 2. validate()
// ===========================================================================

ActionProblem problem(std::string field, std::string reason, std::string other = "") {
    return ActionProblem{std::move(field), std::move(reason), std::move(other)};
}

std::string fraction_reason(int64_t ppm) {
    if (ppm >= 0 && ppm <= kPpm) return "";
    return "expected a fraction between 0 and 1, got " + format_scaled(ppm, 6);
}

ActionProblem check_timing(const ActionRules& rules, const Action& a) {
    if (auto why = millis_range_reason(a.at_us, 0, kMaxSimTimeUs, format_ms(a.at_us)); !why.empty())
        return problem("at_ms", why);
    if (a.jitter_heartbeat && a.jitter_us != 0)
        return problem("jitter_ms", "give a time in ms or \"heartbeat\", not both");
    if (auto why = millis_range_reason(a.jitter_us, 0, kMaxDelayUs, format_ms(a.jitter_us));
        !why.empty())
        return problem("jitter_ms", why);
    if (auto why = string_reason(a.jitter_group, kJitterGroupBytesMax, false); !why.empty())
        return problem("jitter_group", why);
    if (!a.jitter_group.empty() && !a.jitter_heartbeat && a.jitter_us == 0)
        return problem("jitter_group", "a jitter group needs jitter_ms");
    if (rules.duration_us >= 0 && a.at_us > rules.duration_us) {
        return problem("at_ms", format_ms(a.at_us) +
                                    " ms is after the end of the run (duration_ms " +
                                    format_ms(rules.duration_us) + ")");
    }
    return {};
}

ActionProblem check_node_ref(const NodeRef& ref, const char* field, NodeRule rule, ActionKind kind,
                             int node_count) {
    const std::string action = action_name(kind);
    if (ref.sel == NodeSelector::kNone) return problem(field, "required for " + action);
    if (ref.sel == NodeSelector::kId)
        return problem(field, node_range_reason(ref.id, std::to_string(ref.id), node_count));
    const std::string name = selector_name(ref.sel);
    if (name == "?") return problem(field, "unknown node selector");
    if (rule == NodeRule::kIdOnly && ref.sel != NodeSelector::kSubject) {
        return problem(field, "expected a node id: " + action +
                                  " takes ids, not selectors, got \"" + name + "\"");
    }
    if (multi_node(ref.sel) && rule == NodeRule::kOne) {
        return problem(field, "\"" + name + "\" is not allowed for " + action +
                                  ": pick one node (an id, leader, follower or random)");
    }
    return {};
}

// "trigger" names the node of a triggered step's event: nothing elsewhere.
ActionProblem check_subject(const Action& a, uint32_t bits) {
    if (a.has_when) return {};
    if ((bits & kFieldAnyNode) && a.node.sel == NodeSelector::kSubject)
        return problem("node",
                       "\"trigger\" names the node of a step's trigger: this step has no when");
    if ((bits & kFieldLink) && a.to.sel == NodeSelector::kSubject)
        return problem("to",
                       "\"trigger\" names the node of a step's trigger: this step has no when");
    return {};
}

// A trigger's fields: which ones its event takes is the reader's to check
// (unknown keys); here the ranges, which the page's actions meet too.
ActionProblem check_trigger(const ActionRules& rules, const Action& a) {
    if (!a.has_when) return {};
    const Trigger& t = a.when;
    if (rules.duration_us < 0)
        return problem("when", "only a scenario's timeline steps take a trigger");
    if (a.jitter_us != 0 || a.jitter_heartbeat)
        return problem("jitter_ms", "a triggered step takes delay_ms in its when, not jitter");
    if (static_cast<size_t>(t.kind) >= static_cast<size_t>(TriggerKind::kCount))
        return problem("when.event", "unknown event");
    const bool msg = t.kind == TriggerKind::kSend || t.kind == TriggerKind::kDeliver;
    for (auto [id, field] :
         {std::pair{t.node, msg ? "when.from" : "when.node"}, std::pair{t.to, "when.to"}}) {
        if (id == raft::kNone) continue;
        if (auto why = node_range_reason(id, std::to_string(id), rules.node_count); !why.empty())
            return problem(field, why);
    }
    if (t.node != raft::kNone && t.node == t.to)
        return problem("when.to", "same node as \"from\" (a message goes between two nodes)");
    if ((t.kind == TriggerKind::kCommit || t.kind == TriggerKind::kApply) &&
        !int_range_reason(t.index, 1, INT64_MAX / 2, std::to_string(t.index)).empty())
        return problem("when.index",
                       int_range_reason(t.index, 1, INT64_MAX / 2, std::to_string(t.index)));
    if (t.msg_type >= static_cast<uint8_t>(raft::MsgType::kCount))
        return problem("when.msg", "unknown message type");
    if (auto why = int_range_reason(t.count, 1, kTriggerCountMax, std::to_string(t.count));
        !why.empty())
        return problem("when.count", why);
    if (auto why = millis_range_reason(t.delay_us, 0, kMaxDelayUs, format_ms(t.delay_us));
        !why.empty())
        return problem("when.delay_ms", why);
    if (t.until_us != -1 && t.until_us <= a.at_us)
        return problem("when.until_ms", format_ms(t.until_us) +
                                            " ms is not after the step's at_ms (" +
                                            format_ms(a.at_us) + " ms): it would never be armed");
    return {};
}

ActionProblem check_nodes(const ActionRules& rules, uint32_t bits, const Action& a) {
    if (!(bits & kFieldAnyNode)) return {};
    const NodeRule rule = node_rule(bits);
    if ((bits & kFieldNodeOptional) && a.node.sel == NodeSelector::kNone) return {};
    ActionProblem p = check_node_ref(a.node, "node", rule, a.kind, rules.node_count);
    if (!p.ok() || !(bits & kFieldLink)) return p;
    p = check_node_ref(a.to, "to", rule, a.kind, rules.node_count);
    if (!p.ok()) return p;
    if (a.node == a.to)
        return problem("to", "same node as \"node\" (a link joins two different nodes)");
    return {};
}

ActionProblem check_groups(int node_count, const std::vector<std::vector<raft::NodeId>>& groups) {
    const size_t max_items = static_cast<size_t>(node_count);
    auto too_many = [](size_t n, size_t max) {
        return "too many items (" + std::to_string(n) + ", at most " + std::to_string(max) + ")";
    };
    if (groups.size() > max_items) return problem("groups", too_many(groups.size(), max_items));
    if (groups.size() < 2) {
        return problem("groups", "a partition needs at least two groups, got " +
                                     std::to_string(groups.size()));
    }
    std::vector<int> group_of(max_items, -1);
    for (size_t g = 0; g < groups.size(); ++g) {
        const std::string gp = item_path("groups", g);
        if (groups[g].size() > max_items) return problem(gp, too_many(groups[g].size(), max_items));
        if (groups[g].empty()) return problem(gp, "empty group");
        for (size_t i = 0; i < groups[g].size(); ++i) {
            const raft::NodeId id = groups[g][i];
            const std::string ip = item_path(gp, i);
            if (auto why = node_range_reason(id, std::to_string(id), node_count); !why.empty())
                return problem(ip, why);
            int& owner = group_of[static_cast<size_t>(id)];
            if (owner >= 0) {
                return problem(ip, "node " + std::to_string(id) + " is already in",
                               item_path("groups", static_cast<size_t>(owner)));
            }
            owner = static_cast<int>(g);
        }
    }
    return {};
}

ActionProblem check_partition(const ActionRules& rules, const Action& a) {
    const bool has_groups = !a.groups.empty();
    const bool has_isolate = a.isolate_leader_with != -1;
    if (rules.node_count < 2) return problem("", "a partition needs a cluster of at least 2 nodes");
    if (!has_groups && !has_isolate)
        return problem("groups", "required for partition (or isolate_leader_with)");
    if (has_groups && has_isolate)
        return problem("isolate_leader_with", "give either groups or isolate_leader_with");
    if (has_groups) return check_groups(rules.node_count, a.groups);
    const int64_t n = a.isolate_leader_with;
    return problem("isolate_leader_with",
                   int_range_reason(n, 0, rules.node_count - 2, std::to_string(n)));
}

ActionProblem check_network(const Action& a) {
    const bool latency = a.latency_us_min != -1 || a.latency_us_max != -1;
    if (a.loss_ppm == -1 && a.duplicate_ppm == -1 && !latency)
        return problem("", "set_network needs at least one of loss, latency_ms, duplicate");
    if (a.loss_ppm != -1 && !fraction_reason(a.loss_ppm).empty())
        return problem("loss", fraction_reason(a.loss_ppm));
    if (a.duplicate_ppm != -1 && !fraction_reason(a.duplicate_ppm).empty())
        return problem("duplicate", fraction_reason(a.duplicate_ppm));
    if (!latency) return {};
    for (int64_t us : {a.latency_us_min, a.latency_us_max}) {
        if (auto why = millis_range_reason(us, 0, kMaxDelayUs, format_ms(us)); !why.empty())
            return problem("latency_ms", why);
    }
    if (a.latency_us_min > a.latency_us_max) {
        return problem("latency_ms", "min " + format_ms(a.latency_us_min) +
                                         " ms is greater than max " + format_ms(a.latency_us_max) +
                                         " ms");
    }
    return {};
}

ActionProblem check_payload(uint32_t bits, const Action& a) {
    if (bits & kFieldKey) {
        if (auto why = string_reason(a.key, kActionKeyBytesMax, true); !why.empty())
            return problem("key", why);
    }
    if (bits & kFieldExpected) {
        if (auto why = string_reason(a.expected, kActionValueBytesMax, false); !why.empty())
            return problem("expected", why);
    }
    if (bits & kFieldValue) {
        if (auto why = string_reason(a.value, kActionValueBytesMax, false); !why.empty())
            return problem("value", why);
    }
    if (bits & kFieldCount) {
        const int64_t n = a.count;
        if (auto why = int_range_reason(n, 1, kActionCountMax, std::to_string(n)); !why.empty())
            return problem("count", why);
    }
    if (bits & kFieldMsg) {
        if (auto why = int_range_reason(a.msg_id, 0, INT64_MAX / 2, std::to_string(a.msg_id));
            !why.empty())
            return problem("msg", why);
    }
    if (bits & kFieldDelay) {
        if (auto why = millis_range_reason(a.delay_us, 1, kMaxDelayUs, format_ms(a.delay_us));
            !why.empty())
            return problem("delay_ms", why);
    }
    if (bits & kFieldDrift) {
        const int64_t ppm = a.drift_ppm;
        if (auto why = int_range_reason(ppm, -kMaxDriftPpm, kMaxDriftPpm, std::to_string(ppm));
            !why.empty())
            return problem("ppm", why);
    }
    if (bits & kFieldNetwork) return check_network(a);
    return {};
}

}  // namespace

std::string ActionProblem::message(const std::string& prefix) const {
    if (ok()) return "";
    const std::string where = field.empty() ? prefix : join_path(prefix, field);
    const std::string tail = other.empty() ? "" : " " + join_path(prefix, other);
    return (where.empty() ? "" : where + ": ") + reason + tail;
}

ActionProblem validate(const ActionRules& rules, const Action& a) {
    if (static_cast<size_t>(a.kind) >= static_cast<size_t>(ActionKind::kCount))
        return problem("do", "unknown action");
    const uint32_t bits = action_fields(a.kind);
    ActionProblem p = check_timing(rules, a);
    if (p.ok()) p = check_trigger(rules, a);
    if (p.ok()) p = check_nodes(rules, bits, a);
    if (p.ok()) p = check_subject(a, bits);
    if (p.ok() && (bits & kFieldGroups)) p = check_partition(rules, a);
    if (p.ok()) p = check_payload(bits, a);
    return p;
}

namespace {

// ===========================================================================
// 3. Reading steps
// ===========================================================================
// The reader checks what only the text can show (types, exact numbers,
// names, required keys) and the fixed ranges, quoting the file's own text;
// validate() then checks the rest, as it does for an action from the page.

bool fail_with(ReadCtx& ctx, const std::string& path, const ActionProblem& p) {
    const std::string tail = p.other.empty() ? "" : " " + join_path(path, p.other);
    return ctx.fail(p.field.empty() ? path : join_path(path, p.field), p.reason + tail);
}

// An id, or a selector by name; which selectors the action takes is
// validate()'s to say.
bool read_node_ref(ReadCtx& ctx, const JsonValue& v, const std::string& path, int node_count,
                   NodeRef* out) {
    if (!ctx.ok()) return false;
    if (v.kind == JsonKind::kNumber) {
        out->sel = NodeSelector::kId;
        return read_node_id(ctx, v, path, node_count, &out->id);
    }
    if (v.kind != JsonKind::kString) {
        return ctx.fail(path, std::string("expected a node id or one of ") + kSelectorList +
                                  "; got " + json_kind_name(v.kind));
    }
    for (const auto& s : kSelectors) {
        if (v.text != s.name) continue;
        out->sel = s.sel;
        out->id = raft::kNone;
        return true;
    }
    return ctx.fail(path, "unknown node selector " + shown(v) + " (expected a node id or one of " +
                              kSelectorList + ")");
}

void parse_groups(ReadCtx& ctx, const JsonValue& v, const std::string& path, int node_count,
                  std::vector<std::vector<raft::NodeId>>* out) {
    if (!expect_array(ctx, v, path, static_cast<size_t>(node_count))) return;
    // An empty list would read as "no groups given"; say what it is.
    if (v.items.empty()) {
        ctx.fail(path, "a partition needs at least two groups, got 0");
        return;
    }
    std::vector<std::vector<raft::NodeId>> groups;
    for (size_t g = 0; g < v.items.size() && ctx.ok(); ++g) {
        std::string gp = item_path(path, g);
        if (!expect_array(ctx, v.items[g], gp, static_cast<size_t>(node_count))) return;
        std::vector<raft::NodeId> group;
        for (size_t i = 0; i < v.items[g].items.size(); ++i) {
            raft::NodeId id = raft::kNone;
            if (!read_node_id(ctx, v.items[g].items[i], item_path(gp, i), node_count, &id)) return;
            group.push_back(id);
        }
        groups.push_back(std::move(group));
    }
    *out = std::move(groups);
}

void parse_partition(const Fields& f, int node_count, Action* a) {
    if (const JsonValue* groups = f.get("groups"))
        parse_groups(f.ctx(), *groups, f.path("groups"), node_count, &a->groups);
    f.integer("isolate_leader_with", 0, INT32_MAX, &a->isolate_leader_with);
}

void parse_action_nodes(const Fields& f, uint32_t bits, ActionKind kind, int node_count,
                        Action* a) {
    if (!(bits & kFieldAnyNode)) return;
    std::string needed = std::string("required for ") + action_name(kind);
    const bool optional = (bits & kFieldNodeOptional) && f.get("node") == nullptr;
    if (!optional && f.require("node", needed))
        read_node_ref(f.ctx(), *f.get("node"), f.path("node"), node_count, &a->node);
    if ((bits & kFieldLink) && f.require("to", needed))
        read_node_ref(f.ctx(), *f.get("to"), f.path("to"), node_count, &a->to);
}

void parse_action_payload(const Fields& f, uint32_t bits, ActionKind kind, Action* a) {
    std::string needed = std::string("required for ") + action_name(kind);
    if ((bits & kFieldKey) && f.require("key", needed))
        f.string("key", kActionKeyBytesMax, true, &a->key);
    if (bits & kFieldEntriesOnly) f.boolean("entries_only", &a->entries_only);
    if (bits & kFieldForce) f.boolean("force", &a->force);
    if ((bits & kFieldExpected) && f.require("expected", needed))
        f.string("expected", kActionValueBytesMax, false, &a->expected);
    if ((bits & kFieldValue) && f.require("value", needed))
        f.string("value", kActionValueBytesMax, false, &a->value);
    if ((bits & kFieldCount) && f.require("count", needed))
        f.integer("count", 1, kActionCountMax, &a->count);
    if ((bits & kFieldMsg) && f.require("msg", needed))
        f.integer("msg", 0, INT64_MAX / 2, &a->msg_id);
    if ((bits & kFieldDelay) && f.require("delay_ms", needed))
        f.millis("delay_ms", 1, kMaxDelayUs, &a->delay_us);
    if ((bits & kFieldDrift) && f.require("ppm", needed))
        f.integer("ppm", -kMaxDriftPpm, kMaxDriftPpm, &a->drift_ppm);
    if (const JsonValue* r = (bits & kFieldRetry) ? f.get("retry") : nullptr) {
        a->has_retry = true;
        parse_retry_policy(f.ctx(), *r, f.path("retry"), &a->retry);
    }
    if (bits & kFieldNetwork) {
        f.fraction("loss", &a->loss_ppm);
        f.fraction("duplicate", &a->duplicate_ppm);
        f.millis_range("latency_ms", 0, kMaxDelayUs, &a->latency_us_min, &a->latency_us_max);
    }
}

bool parse_action_kind(ReadCtx& ctx, const JsonValue& v, const std::string& path, ActionKind* out) {
    if (v.kind != JsonKind::kObject) {
        return ctx.fail(path,
                        std::string("expected an object (a step), got ") + json_kind_name(v.kind));
    }
    const JsonValue* name = v.find("do");
    std::string text;
    if (name == nullptr) return ctx.fail(join_path(path, "do"), "required (the action to take)");
    if (!read_string(ctx, *name, join_path(path, "do"), 32, true, &text)) return false;
    if (action_from_name(text, out)) return true;
    std::string list;
    for (int k = 0; k < static_cast<int>(ActionKind::kCount); ++k) {
        list += (k ? ", " : "") + std::string(action_name(static_cast<ActionKind>(k)));
    }
    return ctx.fail(join_path(path, "do"),
                    "unknown action " + shown(*name) + " (known: " + list + ")");
}

void parse_jitter(const Fields& f, Action* a) {
    if (const JsonValue* j = f.get("jitter_ms")) {
        if (j->kind == JsonKind::kString && j->text == "heartbeat") {
            a->jitter_heartbeat = true;
        } else if (j->kind == JsonKind::kString) {
            f.ctx().fail(f.path("jitter_ms"),
                         "expected a time in ms or \"heartbeat\", got " + shown(*j));
        } else {
            f.millis("jitter_ms", 0, kMaxDelayUs, &a->jitter_us);
        }
    }
    f.string("jitter_group", kJitterGroupBytesMax, true, &a->jitter_group);
}

bool read_trigger_kind(ReadCtx& ctx, const Fields& f, TriggerKind* out) {
    std::string text;
    if (!f.require("event", "required (what the step waits for)")) return false;
    if (!read_string(ctx, *f.get("event"), f.path("event"), 32, true, &text)) return false;
    if (trigger_kind_from_name(text, out)) return true;
    std::string list;
    for (const char* n : kTriggerNames)
        list += (list.empty() ? "" : ", ") + std::string(n);
    return ctx.fail(f.path("event"),
                    "unknown event " + shown(*f.get("event")) + " (known: " + list + ")");
}

void read_trigger_node(const Fields& f, std::string_view key, int node_count, raft::NodeId* out) {
    if (const JsonValue* v = f.get(key)) read_node_id(f.ctx(), *v, f.path(key), node_count, out);
}

void read_trigger_names(const Fields& f, Trigger* t) {
    std::string text;
    if (t->kind == TriggerKind::kRole && f.require("role", "required for a role event")) {
        f.string("role", 32, true, &text);
        if (f.ok() && !role_from_name(text, &t->role)) {
            f.ctx().fail(f.path("role"), "unknown role " + shown(*f.get("role")) +
                                             " (known: follower, pre_candidate, candidate, "
                                             "leader)");
        }
    }
    const bool msg = t->kind == TriggerKind::kSend || t->kind == TriggerKind::kDeliver;
    if (msg && f.require("msg", "required for a message event")) {
        f.string("msg", 32, true, &text);
        if (f.ok() && !msg_type_from_name(text, &t->msg_type)) {
            f.ctx().fail(f.path("msg"), "unknown message type " + shown(*f.get("msg")) +
                                            " (known: " + msg_type_list() + ")");
        }
    }
    if (t->kind == TriggerKind::kClientDone && f.get("status")) {
        f.string("status", 32, true, &text);
        for (OpStatus st : kDoneStatuses) {
            if (text == op_status_name(st)) t->status = static_cast<int32_t>(st);
        }
        if (f.ok() && t->status < 0)
            f.ctx().fail(f.path("status"), "unknown status " + shown(*f.get("status")) +
                                               " (known: ok, fail, unknown)");
    }
}

// "when": {"event": .., filters.., "count": n, "delay_ms": d}
void parse_when(const Fields& step, int node_count, Action* a) {
    const JsonValue* v = step.get("when");
    if (v == nullptr) return;
    ReadCtx& ctx = step.ctx();
    const std::string path = step.path("when");
    if (v->kind != JsonKind::kObject) {
        ctx.fail(path,
                 std::string("expected an object (a trigger), got ") + json_kind_name(v->kind));
        return;
    }
    Trigger t;
    Fields ev(&ctx, *v, path,
              {"event", "role", "index", "msg", "from", "to", "node", "status", "count", "delay_ms",
               "until_ms"});
    if (!read_trigger_kind(ctx, ev, &t.kind)) return;
    Fields f(&ctx, *v, path, trigger_keys(t.kind), kTriggerNames[static_cast<size_t>(t.kind)]);
    read_trigger_names(f, &t);
    const bool msg = t.kind == TriggerKind::kSend || t.kind == TriggerKind::kDeliver;
    read_trigger_node(f, msg ? "from" : "node", node_count, &t.node);
    read_trigger_node(f, "to", node_count, &t.to);
    if ((t.kind == TriggerKind::kCommit || t.kind == TriggerKind::kApply) &&
        f.require("index", "required for a commit or apply event"))
        f.integer("index", 1, INT64_MAX / 2, &t.index);
    f.integer("count", 1, kTriggerCountMax, &t.count);
    f.millis("delay_ms", 0, kMaxDelayUs, &t.delay_us);
    f.millis("until_ms", 0, kMaxSimTimeUs, &t.until_us);
    a->has_when = true;
    a->when = t;
}

// `timed`: a step (at_ms required); else an action with no time (a tour's task).
bool parse_action(ReadCtx& ctx, const JsonValue& v, const std::string& path,
                  const ActionRules& rules, Action* out, bool timed = true) {
    Action a;
    if (!parse_action_kind(ctx, v, path, &a.kind)) return false;
    uint32_t bits = action_fields(a.kind);
    std::vector<std::string_view> keys = action_keys(bits);
    if (!timed) keys.erase(keys.begin());  // "at_ms"
    Fields f(&ctx, v, path, keys, action_name(a.kind));
    parse_when(f, rules.node_count, &a);
    // A triggered step's at_ms is optional: from when its trigger is armed.
    if (timed && (a.has_when ? f.get("at_ms") != nullptr : f.require("at_ms")))
        f.millis("at_ms", 0, kMaxSimTimeUs, &a.at_us);
    parse_jitter(f, &a);
    parse_action_nodes(f, bits, a.kind, rules.node_count, &a);
    if (bits & kFieldGroups) parse_partition(f, rules.node_count, &a);
    parse_action_payload(f, bits, a.kind, &a);
    if (!ctx.ok()) return false;
    if (ActionProblem p = validate(rules, a); !p.ok()) return fail_with(ctx, path, p);
    *out = std::move(a);
    return true;
}

// ===========================================================================
// 4. Writing steps
// ===========================================================================

void write_node_ref(JsonWriter& w, std::string_view key, const NodeRef& ref) {
    if (ref.sel == NodeSelector::kNone) return;
    w.key(key);
    if (ref.sel == NodeSelector::kId) {
        w.integer(ref.id);
    } else {
        w.string(selector_name(ref.sel));
    }
}

void write_action_payload(JsonWriter& w, const Action& a, uint32_t bits) {
    if (bits & kFieldKey) w.key("key").string(a.key);
    if ((bits & kFieldEntriesOnly) && a.entries_only) w.key("entries_only").boolean(true);
    if ((bits & kFieldForce) && a.force) w.key("force").boolean(true);
    if (bits & kFieldExpected) w.key("expected").string(a.expected);
    if (bits & kFieldValue) w.key("value").string(a.value);
    if (bits & kFieldCount) w.key("count").integer(a.count);
    if (bits & kFieldMsg) w.key("msg").integer(a.msg_id);
    if (bits & kFieldDelay) w.key("delay_ms").millis(a.delay_us);
    if ((bits & kFieldRetry) && a.has_retry) write_retry_policy(w, a.retry, true);
    if (bits & kFieldDrift) w.key("ppm").integer(a.drift_ppm);
    if (bits & kFieldNetwork) {
        if (a.loss_ppm >= 0) w.key("loss").fraction(a.loss_ppm);
        if (a.latency_us_min >= 0 && a.latency_us_max >= 0) {
            w.key("latency_ms").millis_range(a.latency_us_min, a.latency_us_max);
        }
        if (a.duplicate_ppm >= 0) w.key("duplicate").fraction(a.duplicate_ppm);
    }
}

void write_when(JsonWriter& w, const Trigger& t) {
    w.key("when").begin_object();
    w.key("event").string(kTriggerNames[static_cast<size_t>(t.kind)]);
    const bool msg = t.kind == TriggerKind::kSend || t.kind == TriggerKind::kDeliver;
    if (t.kind == TriggerKind::kRole) w.key("role").string(raft::role_name(t.role));
    if (t.kind == TriggerKind::kCommit || t.kind == TriggerKind::kApply)
        w.key("index").integer(t.index);
    if (msg) w.key("msg").string(raft::msg_type_name(static_cast<raft::MsgType>(t.msg_type)));
    if (t.node != raft::kNone) w.key(msg ? "from" : "node").integer(t.node);
    if (msg && t.to != raft::kNone) w.key("to").integer(t.to);
    if (t.kind == TriggerKind::kClientDone && t.status >= 0)
        w.key("status").string(op_status_name(static_cast<OpStatus>(t.status)));
    if (t.count != 1) w.key("count").integer(t.count);
    if (t.delay_us != 0) w.key("delay_ms").millis(t.delay_us);
    if (t.until_us >= 0) w.key("until_ms").millis(t.until_us);
    w.end_object();
}

void write_action(JsonWriter& w, const Action& a) {
    uint32_t bits = action_fields(a.kind);
    w.begin_object();
    w.key("at_ms").millis(a.at_us);
    if (a.has_when) write_when(w, a.when);
    w.key("do").string(action_name(a.kind));
    if (a.jitter_heartbeat) {
        w.key("jitter_ms").string("heartbeat");
    } else if (a.jitter_us > 0) {
        w.key("jitter_ms").millis(a.jitter_us);
    }
    if (!a.jitter_group.empty()) w.key("jitter_group").string(a.jitter_group);
    if (bits & kFieldAnyNode) write_node_ref(w, "node", a.node);
    if (bits & kFieldLink) write_node_ref(w, "to", a.to);
    if ((bits & kFieldGroups) && a.isolate_leader_with >= 0) {
        w.key("isolate_leader_with").integer(a.isolate_leader_with);
    } else if (bits & kFieldGroups) {
        w.key("groups").begin_array();
        for (const auto& group : a.groups) {
            w.begin_array();
            for (raft::NodeId id : group)
                w.integer(id);
            w.end_array();
        }
        w.end_array();
    }
    write_action_payload(w, a, bits);
    w.end_object();
}

}  // namespace

// ===========================================================================
// 5. Public API
// ===========================================================================

const char* action_name(ActionKind k) {
    size_t i = static_cast<size_t>(k);
    return i < static_cast<size_t>(ActionKind::kCount) ? kActionNames[i] : "?";
}

bool action_from_name(const std::string& name, ActionKind* out) {
    for (size_t i = 0; i < static_cast<size_t>(ActionKind::kCount); ++i) {
        if (name == kActionNames[i]) {
            *out = static_cast<ActionKind>(i);
            return true;
        }
    }
    return false;
}

const char* trigger_kind_name(TriggerKind k) {
    size_t i = static_cast<size_t>(k);
    return i < static_cast<size_t>(TriggerKind::kCount) ? kTriggerNames[i] : "?";
}

bool trigger_kind_from_name(const std::string& name, TriggerKind* out) {
    for (size_t i = 0; i < static_cast<size_t>(TriggerKind::kCount); ++i) {
        if (name == kTriggerNames[i]) {
            *out = static_cast<TriggerKind>(i);
            return true;
        }
    }
    return false;
}

bool read_node_id(ReadCtx& ctx, const JsonValue& v, const std::string& path, int node_count,
                  raft::NodeId* out) {
    int64_t id = 0;
    if (!read_int(ctx, v, path, INT64_MIN / 2, INT64_MAX / 2, &id)) return false;
    if (auto why = node_range_reason(id, shown(v), node_count); !why.empty())
        return ctx.fail(path, why);
    *out = static_cast<raft::NodeId>(id);
    return true;
}

bool parse_untimed_action(ReadCtx& ctx, const JsonValue& v, const std::string& path,
                          const ActionRules& rules, Action* out) {
    return parse_action(ctx, v, path, rules, out, false);
}

bool parse_actions(ReadCtx& ctx, const JsonValue& v, const std::string& path,
                   const ActionListRules& rules, std::vector<Action>* out) {
    if (!expect_array(ctx, v, path, rules.max_items)) return false;
    std::vector<Action> actions;
    actions.reserve(v.items.size());
    for (size_t i = 0; i < v.items.size(); ++i) {
        Action a;
        std::string p = item_path(path, i);
        if (!parse_action(ctx, v.items[i], p, rules.rules, &a)) return false;
        if (rules.time_ordered && !actions.empty() && a.at_us < actions.back().at_us) {
            return ctx.fail(join_path(p, "at_ms"), format_ms(a.at_us) +
                                                       " ms is before the previous action (" +
                                                       format_ms(actions.back().at_us) +
                                                       " ms); inputs must be in time order");
        }
        actions.push_back(std::move(a));
    }
    // Humans may group steps by topic; the run needs them by time. Stable,
    // so steps at the same time keep their written order.
    std::stable_sort(actions.begin(), actions.end(),
                     [](const Action& x, const Action& y) { return x.at_us < y.at_us; });
    *out = std::move(actions);
    return true;
}

void write_actions(JsonWriter& w, const std::vector<Action>& actions) {
    w.begin_array();
    for (const Action& a : actions)
        write_action(w, a);
    w.end_array();
}

std::string action_to_json(const Action& action) {
    JsonWriter w;
    write_action(w, action);
    return w.take();
}

bool check_inputs(const Scenario& scenario, const std::vector<Action>& inputs, std::string* error) {
    const ActionRules rules{scenario.cluster.node_count, -1};
    if (inputs.size() > kMaxInputs) {
        *error = "inputs: too many items (" + std::to_string(inputs.size()) + ", at most " +
                 std::to_string(kMaxInputs) + ")";
        return false;
    }
    for (size_t i = 0; i < inputs.size(); ++i) {
        const std::string path = item_path("inputs", i);
        if (ActionProblem p = validate(rules, inputs[i]); !p.ok()) {
            *error = p.message(path);
            return false;
        }
        if (i > 0 && inputs[i].at_us < inputs[i - 1].at_us) {
            *error = path + ".at_ms: " + format_ms(inputs[i].at_us) +
                     " ms is before the previous action (" + format_ms(inputs[i - 1].at_us) +
                     " ms); inputs must be in time order";
            return false;
        }
    }
    std::string field, reason;
    if (!check_run_estimate(scenario, inputs, &field, &reason)) {
        *error = field + ": " + reason;
        return false;
    }
    return true;
}

}  // namespace sim
