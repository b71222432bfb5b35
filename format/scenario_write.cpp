// format/scenario_write.cpp — a scenario as canonical compact JSON (see
// scenario_json.h): every field written, in a fixed key order, numbers in
// their shortest exact text (ms and fractions from integers), so that
// parse_scenario reads it back to an equal Scenario and the same scenario
// always gives the same bytes (share links and run files depend on it).
//
// Fields added after the format's first version (step_down_on_rejection,
// clock) are written only when set, so files and links of scenarios that do
// not use them stay as they were.
#include <cstring>

#include "format/action.h"
#include "format/retry_policy.h"
#include "format/scenario_json.h"

namespace sim {
namespace {

void write_cluster(JsonWriter& w, const raft::Config& c) {
    w.key("cluster").begin_object();
    w.key("nodes").integer(c.node_count);
    w.key("election_timeout_ms").millis_range(c.election_timeout_us_min, c.election_timeout_us_max);
    w.key("heartbeat_ms").millis(c.heartbeat_us);
    w.key("pre_vote").boolean(c.pre_vote);
    w.key("check_quorum").boolean(c.check_quorum);
    // Written only when set: files and links of default scenarios stay as
    // they were before the option existed.
    if (c.step_down_on_rejection) w.key("step_down_on_rejection").boolean(true);
    if (c.initial_voters > 0) w.key("voters").integer(c.initial_voters);
    if (c.joint_consensus) w.key("joint_consensus").boolean(true);
    w.key("snapshot_threshold").integer(c.snapshot_threshold);
    w.key("snapshot_catch_up_entries").integer(c.snapshot_catch_up_entries);
    w.key("max_entries_per_append").integer(c.max_entries_per_append);
    w.key("max_inflight_appends").integer(c.max_inflight_appends);
    w.key("read_mode").string(read_mode_name(c.read_mode));
    w.key("mutations").begin_array();
    for (int bit = 0; bit < 32; ++bit) {
        const char* name = raft::mutation_name(1u << bit);
        if ((c.mutations & (1u << bit)) && std::strcmp(name, "?") != 0) w.string(name);
    }
    w.end_array();
    w.end_object();
}

void write_models(JsonWriter& w, const Scenario& s) {
    const NetworkModel& n = s.network;
    w.key("network").begin_object();
    w.key("latency_ms").millis_range(n.latency_us_min, n.latency_us_max);
    w.key("tail").fraction(n.tail_ppm);
    w.key("tail_ms_max").millis(n.tail_us_max);
    w.key("loss").fraction(n.loss_ppm);
    w.key("duplicate").fraction(n.duplicate_ppm);
    w.end_object();
    const DiskModel& d = s.disk;
    w.key("disk").begin_object();
    w.key("fsync_ms").millis_range(d.fsync_us_min, d.fsync_us_max);
    w.key("torn_write").fraction(d.torn_write_ppm);
    w.key("corrupt").fraction(d.corrupt_ppm);
    w.end_object();
    // Written only when set: files and links of other scenarios stay as
    // they were before the clock model existed.
    if (s.clock.timer_late_us_max > 0 || !s.clock.drift_ppm.empty()) {
        w.key("clock").begin_object();
        if (s.clock.timer_late_us_max > 0) w.key("timer_late_ms").millis(s.clock.timer_late_us_max);
        if (!s.clock.drift_ppm.empty()) {
            w.key("drift_ppm").begin_array();
            for (int64_t ppm : s.clock.drift_ppm)
                w.integer(ppm);
            w.end_array();
        }
        w.end_object();
    }
}

void write_workload(JsonWriter& w, const Workload& wl) {
    w.key("workload").begin_object();
    w.key("clients").integer(wl.clients);
    w.key("rate_per_s").integer(wl.rate_per_s);
    w.key("keys").integer(wl.keys);
    w.key("value_bytes").integer(wl.value_bytes);
    w.key("mix").begin_object();
    w.key("put").fraction(wl.put_ppm);
    w.key("get").fraction(wl.get_ppm);
    w.key("delete").fraction(wl.delete_ppm);
    w.key("cas").fraction(wl.cas_ppm);
    if (wl.append_ppm != 0) w.key("append").fraction(wl.append_ppm);
    w.end_object();
    w.key("timeout_ms").millis(wl.timeout_us);
    w.key("retry_ms").millis(wl.retry_us);
    write_retry_policy(w, wl.retry, false);
    w.key("start_ms").millis(wl.start_us);
    w.key("stop_ms");
    if (wl.stop_us < 0) {
        w.null();
    } else {
        w.millis(wl.stop_us);
    }
    w.end_object();
}

void write_preset(JsonWriter& w, const std::vector<PresetNode>& preset) {
    w.key("preset").begin_array();
    for (const PresetNode& p : preset) {
        w.begin_object();
        w.key("node").integer(p.id);
        w.key("term").integer(p.current_term);
        w.key("voted_for");
        if (p.voted_for == raft::kNone) {
            w.null();
        } else {
            w.integer(p.voted_for);
        }
        // Command entries are written as bare terms, the common case in the
        // paper's figures; other types need the object form.
        w.key("log").begin_array();
        for (const PresetEntry& e : p.log) {
            if (e.type == raft::EntryType::kCommand) {
                w.integer(e.term);
            } else {
                w.begin_object()
                    .key("term")
                    .integer(e.term)
                    .key("type")
                    .string("noop")
                    .end_object();
            }
        }
        w.end_array();
        w.key("alive").boolean(p.alive);
        w.end_object();
    }
    w.end_array();
}

// The fields past "converged" only when set: scenarios without them are
// written byte for byte as before (share links, run files).
void write_expect(JsonWriter& w, const Scenario& s) {
    const Expectations& e = s.expect;
    w.key("expect").begin_object().key("converged").boolean(s.expect_converged);
    if (e.linearizable) w.key("linearizable").boolean(true);
    if (e.leader_within_us >= 0) w.key("leader_within_ms").millis(e.leader_within_us);
    if (e.elections_min >= 0) w.key("elections_min").integer(e.elections_min);
    if (e.elections_max >= 0) w.key("elections_max").integer(e.elections_max);
    if (!e.at.empty()) {
        w.key("at").begin_array();
        for (const ExpectAt& a : e.at) {
            w.begin_object().key("at_ms").millis(a.at_us);
            if (!a.nodes.empty()) {
                w.key("nodes").begin_array();
                for (raft::NodeId id : a.nodes)
                    w.integer(id);
                w.end_array();
            }
            if (a.leader >= 0) w.key("leader").boolean(a.leader == 1);
            if (a.commit_index_min >= 0) w.key("commit_index_min").integer(a.commit_index_min);
            if (a.commit_index_max >= 0) w.key("commit_index_max").integer(a.commit_index_max);
            if (a.term_max >= 0) w.key("term_max").integer(a.term_max);
            w.end_object();
        }
        w.end_array();
    }
    w.end_object();
}

}  // namespace

void write_scenario(JsonWriter& w, const Scenario& s) {
    w.begin_object();
    w.key("name").string(s.name);
    w.key("description").string(s.description);
    write_cluster(w, s.cluster);
    write_models(w, s);
    write_workload(w, s.workload);
    write_preset(w, s.preset);
    w.key("duration_ms").millis(s.duration_us);
    write_expect(w, s);
    w.key("timeline");
    write_actions(w, s.timeline);
    w.end_object();
}

std::string scenario_to_json(const Scenario& scenario) {
    JsonWriter w;
    write_scenario(w, scenario);
    return w.take();
}

}  // namespace sim
