// session/insight.cpp — derived data from the trace (see insight.h).
#include "session/insight.h"

#include "sim/history.h"
#include "sim/world.h"

namespace session {

const char* marker_name(MarkerKind k) {
    switch (k) {
        case MarkerKind::kLeader:
            return "leader elected";
        case MarkerKind::kCrash:
            return "crash";
        case MarkerKind::kRestart:
            return "restart";
        case MarkerKind::kPause:
            return "pause";
        case MarkerKind::kResume:
            return "resume";
        case MarkerKind::kAction:
            return "action";
        case MarkerKind::kCorruption:
            return "torn/corrupt write found";
        case MarkerKind::kViolation:
            return "safety violation";
        case MarkerKind::kMembership:
            return "membership";
        case MarkerKind::kCount:
            break;
    }
    return "?";
}

void Insight::reset(const sim::Scenario& scenario) {
    const int n = scenario.cluster.node_count;
    records_ = 0;
    last_t_us_ = 0;
    initially_alive_.assign(static_cast<size_t>(n), true);
    for (const sim::PresetNode& p : scenario.preset) {
        if (p.id >= 0 && p.id < n) initially_alive_[static_cast<size_t>(p.id)] = p.alive;
    }
    // Spare servers (not in the initial configuration) are down until added
    // (sim::World's constructor: after the preset).
    const int voters = scenario.cluster.initial_voters;
    for (int i = voters > 0 ? voters : n; i < n; i++)
        initially_alive_[static_cast<size_t>(i)] = false;
    markers_.clear();
    lanes_.assign(static_cast<size_t>(n), {});
    for (int i = 0; i < n; i++) {
        LaneState s;
        s.alive = initially_alive_[static_cast<size_t>(i)];
        lanes_[static_cast<size_t>(i)].push_back(s);
    }
    commits_.assign(static_cast<size_t>(n), {});
    latencies_.clear();
    invoke_t_of_op_.clear();
    buckets_.clear();
    send_of_msg_.clear();
    arrivals_.clear();
    narration_.reset(scenario);
}

void Insight::rebuild(const sim::World& world) {
    reset(world.scenario());
    ingest(world);
}

void Insight::ingest(const sim::World& world) {
    const std::span<const sim::TraceRecord> trace = world.trace();
    for (size_t i = records_; i < trace.size(); i++) {
        add(trace[i], static_cast<uint32_t>(i));
        narration_.add(trace[i], static_cast<uint32_t>(i), world);
    }
    narration_.flush(world);
    if (trace.size() > records_) records_ = trace.size();
}

void Insight::lane_change(int node, int64_t t_us, const LaneState& s) {
    std::vector<LaneState>& lane = lanes_[static_cast<size_t>(node)];
    LaneState next = s;
    next.t_us = t_us;
    if (!lane.empty() && lane.back().t_us == t_us) {
        lane.back() = next;  // several changes in one moment: keep the last
    } else {
        lane.push_back(next);
    }
}

void Insight::add(const sim::TraceRecord& r, uint32_t index) {
    using sim::TraceKind;
    last_t_us_ = r.t_us;
    switch (r.kind) {
        case TraceKind::kSend:
            return add_send(r, index);
        case TraceKind::kDeliver:
        case TraceKind::kDrop:
            arrivals_.push_back(index);
            return;
        case TraceKind::kRole:
        case TraceKind::kTerm:
        case TraceKind::kCrash:
        case TraceKind::kRestart:
        case TraceKind::kPause:
        case TraceKind::kResume:
            return add_node_change(r, index);
        case TraceKind::kCommit:
            if (r.node >= 0 && r.node < node_count()) {
                commits_[static_cast<size_t>(r.node)].push_back(CommitPoint{r.t_us, r.index});
            }
            return;
        case TraceKind::kAction: {
            const auto kind = static_cast<sim::ActionKind>(r.aux);
            // Kill/restart/pause/resume show up as their own records.
            // So do membership actions (kConfChange, kTransfer: their outcome).
            const bool own_record =
                kind == sim::ActionKind::kKill || kind == sim::ActionKind::kRestart ||
                kind == sim::ActionKind::kPause || kind == sim::ActionKind::kResume ||
                kind == sim::ActionKind::kAddNode || kind == sim::ActionKind::kAddLearner ||
                kind == sim::ActionKind::kPromote || kind == sim::ActionKind::kRemoveNode ||
                kind == sim::ActionKind::kTransferLeader;
            if (!own_record) {
                add_marker(r, index, MarkerKind::kAction);
            }
            return;
        }
        case TraceKind::kCorruption:
            return add_marker(r, index, MarkerKind::kCorruption);
        case TraceKind::kConfChange:
            markers_.push_back(
                Marker{r.t_us, index, MarkerKind::kMembership, r.peer, r.term, r.aux});
            return;
        case TraceKind::kTransfer:
            markers_.push_back(Marker{r.t_us, index, MarkerKind::kMembership, r.peer, r.term,
                                      kTransferMarker + r.aux});
            return;
        case TraceKind::kViolation:
            return add_marker(r, index, MarkerKind::kViolation);
        case TraceKind::kClientInvoke:
        case TraceKind::kClientComplete:
            return add_client(r);
        default:
            return;
    }
}

void Insight::add_marker(const sim::TraceRecord& r, uint32_t index, MarkerKind kind) {
    markers_.push_back(Marker{r.t_us, index, kind, r.node, r.term, r.aux});
}

void Insight::add_send(const sim::TraceRecord& r, uint32_t index) {
    const size_t bucket = static_cast<size_t>(r.t_us / kRateBucketUs);
    if (bucket >= buckets_.size()) buckets_.resize(bucket + 1, std::array<int32_t, kMsgTypes>{});
    if (r.msg_type < kMsgTypes) buckets_[bucket][r.msg_type]++;
    if (r.aux > 0 && r.aux < (int64_t{1} << 32)) {
        const size_t id = static_cast<size_t>(r.aux);
        if (id >= send_of_msg_.size()) send_of_msg_.resize(id + 1, 0);
        send_of_msg_[id] = index + 1;
    }
}

// Role, term, crash/restart and pause/resume: the node's lane, and markers.
void Insight::add_node_change(const sim::TraceRecord& r, uint32_t index) {
    using sim::TraceKind;
    const bool is_node = r.node >= 0 && r.node < node_count();
    LaneState s = is_node ? lanes_[static_cast<size_t>(r.node)].back() : LaneState{};
    switch (r.kind) {
        case TraceKind::kRole:
            s.role = static_cast<raft::Role>(r.aux);
            s.term = r.term;
            if (s.role == raft::Role::kLeader) add_marker(r, index, MarkerKind::kLeader);
            break;
        case TraceKind::kTerm:
            s.term = r.term;
            break;
        case TraceKind::kCrash:
        case TraceKind::kRestart:
            s.alive = r.kind == TraceKind::kRestart;
            s.paused = false;
            s.role = raft::Role::kFollower;
            // A crash breaks the commit line: a restarted node counts again
            // from its snapshot.
            if (is_node && r.kind == TraceKind::kCrash) {
                commits_[static_cast<size_t>(r.node)].push_back(CommitPoint{r.t_us, -1});
            }
            add_marker(r, index, s.alive ? MarkerKind::kRestart : MarkerKind::kCrash);
            break;
        default:  // pause, resume
            s.paused = r.kind == TraceKind::kPause;
            add_marker(r, index, s.paused ? MarkerKind::kPause : MarkerKind::kResume);
            break;
    }
    if (is_node) lane_change(r.node, r.t_us, s);
}

void Insight::add_client(const sim::TraceRecord& r) {
    if (r.index < 0 || r.index >= (int64_t{1} << 32)) return;
    const size_t op = static_cast<size_t>(r.index);
    if (r.kind == sim::TraceKind::kClientInvoke) {
        if (op >= invoke_t_of_op_.size()) invoke_t_of_op_.resize(op + 1, -1);
        invoke_t_of_op_[op] = r.t_us;
    } else if (op < invoke_t_of_op_.size() && invoke_t_of_op_[op] >= 0) {
        latencies_.push_back(LatencyPoint{r.t_us, r.t_us - invoke_t_of_op_[op],
                                          static_cast<uint8_t>(r.aux), r.msg_type});
    }
}

}  // namespace session
