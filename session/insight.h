// session/insight.h — what the views derive from the trace: timeline markers,
// per-node role/liveness lanes, commit index series, client latencies and
// message rates. It lives in the session because the session needs the
// markers itself (jump to the previous/next marker) and keeps it in step with
// every seek and fork; views read it through const Session&.
//
// The world's trace only reaches the cursor (seeking back truncates it), but
// the timeline bar and the charts show everything simulated so far, up to the
// horizon. Insight therefore keeps its own copy of the derived data and
// ingests each trace record once: records re-simulated after a seek are the
// same records (world = f(scenario, seed, inputs)), so they are skipped. Only
// a fork changes the future; then the session calls rebuild() and the data is
// derived again from the trace that holds up to the fork point.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "raft/types.h"
#include "session/narration.h"
#include "sim/trace.h"

namespace sim {
class World;
struct Scenario;
}  // namespace sim

namespace session {

enum class MarkerKind : uint8_t {
    kLeader,  // a node became leader (an election ended)
    kCrash,
    kRestart,
    kPause,
    kResume,
    kAction,  // a scripted or user action (partition, heal, put, ...)
    kCorruption,
    kViolation,
    // A configuration change (thesis ch. 4) asked of a leader, or a step of
    // a leadership transfer (§3.10): node = the server it is about; aux =
    // the kConfChange record's aux, or kTransferMarker + sim::TransferEvent.
    kMembership,
    kCount
};
const char* marker_name(MarkerKind k);
constexpr int64_t kTransferMarker = 1 << 16;

struct Marker {
    int64_t t_us = 0;
    uint32_t record = 0;  // trace index
    MarkerKind kind = MarkerKind::kAction;
    int32_t node = -1;
    int64_t term = 0;
    int64_t aux = 0;  // kAction: sim::ActionKind
};

// A node's state from t_us on (lanes of the space-time diagram).
struct LaneState {
    int64_t t_us = 0;
    raft::Role role = raft::Role::kFollower;
    bool alive = true;
    bool paused = false;
    int64_t term = 0;
};

struct CommitPoint {
    int64_t t_us = 0;
    int64_t index = 0;
};

struct LatencyPoint {
    int64_t t_us = 0;  // completion time
    int64_t latency_us = 0;
    uint8_t status = 0;  // sim::OpStatus
    uint8_t op = 0;      // raft::OpType
};

constexpr int kMsgTypes = static_cast<int>(raft::MsgType::kCount);
constexpr int64_t kRateBucketUs = 100'000;

class Insight {
  public:
    // Forgets everything; the node count and initial liveness come from the scenario.
    void reset(const sim::Scenario& scenario);
    // Derives everything again from the world's trace (after a fork).
    void rebuild(const sim::World& world);
    // Ingests trace records not seen yet.
    void ingest(const sim::World& world);

    size_t records() const { return records_; }
    int64_t last_t_us() const { return last_t_us_; }
    const std::vector<Marker>& markers() const { return markers_; }
    const std::vector<LaneState>& lane(int node) const { return lanes_[static_cast<size_t>(node)]; }
    const std::vector<CommitPoint>& commits(int node) const {
        return commits_[static_cast<size_t>(node)];
    }
    const std::vector<LatencyPoint>& latencies() const { return latencies_; }
    // Sends per kRateBucketUs bucket, by message type.
    const std::vector<std::array<int32_t, kMsgTypes>>& send_buckets() const { return buckets_; }
    // Trace indexes of every delivery and drop, in order (the space-time
    // diagram's arrows, without scanning every record).
    const std::vector<uint32_t>& arrivals() const { return arrivals_; }
    // The trace index of a message's send record, or -1 when unknown.
    int64_t send_record(int64_t msg_id) const {
        if (msg_id <= 0 || msg_id >= static_cast<int64_t>(send_of_msg_.size())) return -1;
        return static_cast<int64_t>(send_of_msg_[static_cast<size_t>(msg_id)]) - 1;
    }
    int node_count() const { return static_cast<int>(lanes_.size()); }
    // The trace in plain words, up to the horizon (narration.h).
    const Narration& narration() const { return narration_; }

  private:
    void add(const sim::TraceRecord& r, uint32_t index);
    void add_marker(const sim::TraceRecord& r, uint32_t index, MarkerKind kind);
    void add_send(const sim::TraceRecord& r, uint32_t index);
    void add_node_change(const sim::TraceRecord& r, uint32_t index);
    void add_client(const sim::TraceRecord& r);
    void lane_change(int node, int64_t t_us, const LaneState& s);

    size_t records_ = 0;
    int64_t last_t_us_ = 0;
    std::vector<bool> initially_alive_;
    std::vector<Marker> markers_;
    std::vector<std::vector<LaneState>> lanes_;
    std::vector<std::vector<CommitPoint>> commits_;
    std::vector<LatencyPoint> latencies_;
    std::vector<int64_t> invoke_t_of_op_;
    std::vector<std::array<int32_t, kMsgTypes>> buckets_;
    std::vector<uint32_t> send_of_msg_;  // msg id -> send record + 1
    std::vector<uint32_t> arrivals_;
    Narration narration_;
};

}  // namespace session
