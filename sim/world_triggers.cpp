// sim/world_triggers.cpp — triggered steps: a timeline step with `when`
// waits for the count-th trace event that matches its trigger (a role
// change, a commit or apply of an index, a message sent or delivered, an
// fsync, a client completion) and then runs `delay_us` later, with the
// event's node as its `trigger` selector.
//
// A pure function of the scenario and the seed: every record the world
// produces passes through World::record, which hands it here while some
// trigger is armed; a firing only schedules the step (in WorldState, so
// checkpoints and seeks carry it) and never records anything itself, so a
// record cannot re-enter. Steps that fired wait in WorldState::fired, by
// time then firing order; at equal times the timeline and the input log go
// first. The firings are logged (WorldState::fired_log) for the run file.
#include <algorithm>

#include "sim/world.h"

namespace sim {

namespace {

// Whether the event is one the trigger counts; *subject is the node it was
// about (the sender of a sent message, the receiver of a delivered one, the
// serving node of a client operation).
bool trigger_matches(const Trigger& t, const TraceRecord& r, raft::NodeId* subject) {
    auto node_ok = [&](int32_t id) { return t.node == raft::kNone || t.node == id; };
    switch (t.kind) {
        case TriggerKind::kRole:
            *subject = r.node;
            return r.kind == TraceKind::kRole && r.aux == static_cast<int64_t>(t.role) &&
                   node_ok(r.node);
        case TriggerKind::kCommit:
            *subject = r.node;
            return r.kind == TraceKind::kCommit && r.index >= t.index && node_ok(r.node);
        case TriggerKind::kApply:
            *subject = r.node;
            return r.kind == TraceKind::kApply && r.index == t.index && node_ok(r.node);
        case TriggerKind::kSend:
            *subject = r.node;
            return r.kind == TraceKind::kSend && r.msg_type == t.msg_type && node_ok(r.node) &&
                   (t.to == raft::kNone || t.to == r.peer);
        case TriggerKind::kDeliver:
            *subject = r.node;
            return r.kind == TraceKind::kDeliver && r.msg_type == t.msg_type && node_ok(r.peer) &&
                   (t.to == raft::kNone || t.to == r.node);
        case TriggerKind::kFsync:
            *subject = r.node;
            return r.kind == TraceKind::kFsync && node_ok(r.node);
        case TriggerKind::kClientDone:
            *subject = r.peer;
            return r.kind == TraceKind::kClientComplete && (t.status < 0 || t.status == r.aux) &&
                   node_ok(r.peer);
        case TriggerKind::kCount:
            break;
    }
    ASSERT_UNREACHABLE("a trigger of no known kind (scenarios are checked when read)");
}

bool counts_nodes_once(TriggerKind k) {
    return k == TriggerKind::kCommit || k == TriggerKind::kApply;
}

NodeRef bound(const NodeRef& ref, raft::NodeId subject) {
    if (ref.sel != NodeSelector::kSubject) return ref;
    return NodeRef{NodeSelector::kId, subject};
}

}  // namespace

// The timeline's triggered steps leave actions_ (which holds timed steps
// only) and get a state each.
void World::split_trigger_steps() {
    std::vector<Action> timed;
    for (size_t i = 0; i < actions_.size(); i++) {
        if (!actions_[i].has_when) {
            timed.push_back(std::move(actions_[i]));
            continue;
        }
        trigger_steps_.push_back(actions_[i]);
        trigger_step_index_.push_back(static_cast<int32_t>(i));
    }
    actions_ = std::move(timed);
    s_.triggers.assign(trigger_steps_.size(), TriggerState{});
    s_.triggers_armed = static_cast<int32_t>(trigger_steps_.size());
}

void World::match_triggers(const TraceRecord& r) {
    for (size_t i = 0; i < trigger_steps_.size(); i++) {
        TriggerState& ts = s_.triggers[i];
        const Action& step = trigger_steps_[i];
        if (ts.fired || r.t_us < step.at_us) continue;  // done, or not armed yet
        if (step.when.until_us >= 0 && r.t_us >= step.when.until_us) continue;  // disarmed
        raft::NodeId subject = raft::kNone;
        if (!trigger_matches(step.when, r, &subject)) continue;
        if (counts_nodes_once(step.when.kind)) {
            ASSERT(subject >= 0 && subject < 32);
            const uint32_t bit = 1u << static_cast<uint32_t>(subject);
            if (ts.nodes_counted & bit) continue;
            ts.nodes_counted |= bit;
        }
        if (++ts.seen >= step.when.count) fire_trigger(i, subject);
    }
}

// The step, with its `trigger` selectors bound to the subject, waits for
// now + delay among the other fired steps.
void World::fire_trigger(size_t i, raft::NodeId subject) {
    TriggerState& ts = s_.triggers[i];
    ASSERT(!ts.fired && s_.triggers_armed > 0);
    ts.fired = true;
    s_.triggers_armed--;
    Action a = trigger_steps_[i];
    a.has_when = false;
    a.when = Trigger{};
    a.at_us = s_.now_us + trigger_steps_[i].when.delay_us;
    a.node = bound(a.node, subject);
    a.to = bound(a.to, subject);
    auto pos = std::upper_bound(s_.fired.begin(), s_.fired.end(), a.at_us,
                                [](int64_t t, const Action& x) { return t < x.at_us; });
    s_.fired.insert(pos, std::move(a));
    s_.fired_log.push_back(FiredTrigger{trigger_step_index_[i], s_.now_us, subject});
}

int64_t World::next_action_time() const {
    int64_t t = INT64_MAX;
    if (s_.next_action < actions_.size()) t = actions_[s_.next_action].at_us;
    if (!s_.fired.empty()) t = std::min(t, s_.fired.front().at_us);
    return t;
}

// The next action due: a timed one first at equal times.
bool World::take_next_action(Action* out) {
    const bool timed = s_.next_action < actions_.size();
    if (timed && (s_.fired.empty() || actions_[s_.next_action].at_us <= s_.fired.front().at_us)) {
        *out = actions_[s_.next_action++];
        return true;
    }
    if (s_.fired.empty()) return false;
    *out = std::move(s_.fired.front());
    s_.fired.erase(s_.fired.begin());
    return true;
}

}  // namespace sim
