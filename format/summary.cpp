// format/summary.cpp — the run summary as JSON (see summary.h).
//
// Index
//   client statistics
//   summary sections: header, nodes, leaders, checks, clients, messages, bytes
//
// Every value is written from integer state in a fixed order: the same world
// gives byte-identical text natively and in WebAssembly.
#include "format/summary.h"

#include <algorithm>
#include <bit>
#include <vector>

#include "format/json.h"
#include "format/preset_check.h"
#include "sim/convergence.h"

namespace sim {

namespace {

// Nearest-rank percentile of sorted values: the smallest value with at least
// pct percent of the values at or below it.
int64_t percentile(const std::vector<int64_t>& sorted, int pct) {
    if (sorted.empty()) return 0;
    const size_t n = sorted.size();
    size_t rank = (n * static_cast<size_t>(pct) + 99) / 100;
    if (rank < 1) rank = 1;
    return sorted[std::min(rank, n) - 1];
}

}  // namespace

// ===========================================================================
// client statistics
// ===========================================================================

ClientStats client_stats(HistoryView history) {
    ClientStats s;
    std::vector<int64_t> latencies;
    for (const HistoryOp& op : history) {
        switch (op.status) {
            case OpStatus::kOk:
                s.ok++;
                latencies.push_back(op.complete_us - op.invoke_us);
                break;
            case OpStatus::kFail:
                s.fail++;
                break;
            case OpStatus::kUnknown:
                s.unknown++;
                break;
            case OpStatus::kPending:
                s.pending++;
                break;
        }
    }
    std::sort(latencies.begin(), latencies.end());
    s.latency_us_p50 = percentile(latencies, 50);
    s.latency_us_p99 = percentile(latencies, 99);
    s.latency_us_max = latencies.empty() ? 0 : latencies.back();
    return s;
}

// ===========================================================================
// summary sections
// ===========================================================================

namespace {

void write_header(JsonWriter& w, const World& world) {
    const Scenario& sc = world.scenario();
    w.key("scenario").string(sc.name);
    w.key("seed").uinteger(world.seed());
    w.key("digest").string(world.digest_hex());
    w.key("events").integer(world.events());
    w.key("sim_time_us").integer(world.now_us());
    w.key("duration_us").integer(sc.duration_us);
    w.key("halted").boolean(world.halted());
    w.key("mutations").begin_array();
    for (uint32_t bit = 1; bit != 0 && bit <= sc.cluster.mutations; bit <<= 1) {
        if (sc.cluster.mutations & bit) w.string(raft::mutation_name(bit));
    }
    w.end_array();
    w.key("leader").integer(world.leader());
}

void write_ids(JsonWriter& w, const char* key, uint32_t set) {
    w.key(key).begin_array();
    for (uint32_t b = set; b != 0; b &= b - 1)
        w.integer(std::countr_zero(b));
    w.end_array();
}

// A node's view of the configuration: the latest in its log.
void write_config(JsonWriter& w, const raft::Membership& m) {
    w.key("config").begin_object();
    write_ids(w, "voters", m.voters);
    write_ids(w, "learners", m.learners);
    w.key("joint").boolean(m.joint());
    if (m.joint()) write_ids(w, "outgoing", m.outgoing);
    w.end_object();
}

void write_node(JsonWriter& w, const NodeSlot& slot) {
    const raft::Node& n = slot.node;
    w.begin_object();
    w.key("id").integer(n.id());
    w.key("alive").boolean(slot.alive);
    w.key("paused").boolean(slot.paused);
    w.key("role").string(raft::role_name(n.role()));
    w.key("term").integer(n.current_term());
    w.key("voted_for").integer(n.voted_for());
    w.key("leader").integer(n.leader());
    w.key("commit_index").integer(n.commit_index());
    w.key("applied_index").integer(n.last_applied());
    w.key("log_first_index").integer(n.log().first_index());
    w.key("log_last_index").integer(n.log().last_index());
    w.key("snapshot_index").integer(n.snapshot_index());
    w.key("kv_keys").uinteger(n.kv().key_count());
    w.key("kv_hash").string(hex64(n.kv().hash()));
    w.key("incarnation").integer(slot.incarnation);
    w.key("persisted_bytes").integer(slot.disk.durable.persisted_bytes());
    w.key("snapshot_bytes").integer(slot.disk.durable.snapshot_bytes());
    write_config(w, n.membership());
    w.key("spare").boolean(slot.spare);
    w.end_object();
}

// Configuration changes and leadership transfers (thesis ch. 4, §3.10).
void write_membership(JsonWriter& w, const World& world) {
    const MembershipStats& m = world.state().membership;
    w.key("membership").begin_object();
    w.key("entries").begin_object();
    for (size_t t = 0; t < m.entries.size(); t++)
        w.key(raft::conf_change_name(static_cast<raft::ConfChangeType>(t))).integer(m.entries[t]);
    w.end_object();
    w.key("refused").integer(m.refused);
    w.key("transfers").begin_object();
    w.key("started").integer(m.transfers_started);
    w.key("completed").integer(m.transfers_completed);
    w.key("aborted").integer(m.transfers_aborted);
    w.end_object();
    w.end_object();
}

void write_leaders(JsonWriter& w, const World& world) {
    w.key("leaders").begin_array();
    for (const LeaderRecord& l : world.leaders()) {
        w.begin_object();
        w.key("term").integer(l.term);
        w.key("node").integer(l.node);
        w.key("at_us").integer(l.at_us);
        w.end_object();
    }
    w.end_array();
    // Only when a triggered step fired: summaries of other runs are unchanged.
    if (world.fired_triggers().empty()) return;
    w.key("triggers_fired").begin_array();
    for (const FiredTrigger& f : world.fired_triggers()) {
        w.begin_object();
        w.key("step").integer(f.step);
        w.key("at_us").integer(f.at_us);
        w.key("node").integer(f.subject);
        w.end_object();
    }
    w.end_array();
}

void write_safety(JsonWriter& w, const World& world) {
    w.key("safety").begin_object();
    w.key("ok").boolean(world.violations().empty());
    w.key("violations").begin_array();
    for (const Violation& v : world.violations()) {
        w.begin_object();
        w.key("t_us").integer(v.t_us);
        w.key("event").integer(v.event);
        w.key("check").string(v.check);
        w.key("description").string(v.description);
        w.end_object();
    }
    w.end_array();
    w.end_object();
}

void write_witness(JsonWriter& w, const World& world, const LinResult& r) {
    w.key("key").string(r.key);
    w.key("explanation").string(r.explanation);
    w.key("witness").begin_array();
    for (size_t i : r.witness) {
        if (i < world.history().size()) w.uinteger(i);
    }
    w.end_array();
}

void write_linearizability(JsonWriter& w, const World& world, const SummaryOptions& o) {
    const LinResult* r = o.linearizability;
    w.key("linearizability").begin_object();
    w.key("verdict").string(r ? lin_verdict_name(r->verdict) : "unknown");
    w.key("checked").boolean(r != nullptr);
    if (o.wall_time) {
        w.key("ms").number(r ? r->ms : 0.0);
    }
    if (r) {
        w.key("states_explored").uinteger(r->states_explored);
        if (r->verdict != LinResult::kOk) write_witness(w, world, *r);
    }
    w.end_object();
}

// Whether the run converged (sim/convergence.h: a live leader, every live node at the
// same applied index and kv hash); `expected` when the scenario asks for it.

void write_liveness(JsonWriter& w, const World& world) {
    std::string why;
    const bool ok = converged(world, &why);
    w.key("liveness").begin_object();
    w.key("expected").boolean(world.scenario().expect_converged);
    w.key("converged").boolean(ok);
    if (!ok) {
        w.key("reason").string(why);
    }
    w.end_object();
}

// Only with a preset: its reachability is checked by necessary conditions
// only (format/preset_check.h), so say which verdicts it can distort.

void write_preset(JsonWriter& w, const World& world) {
    if (world.scenario().preset.empty()) return;
    w.key("preset").begin_object();
    w.key("verified").boolean(false);
    w.key("note").string(kPresetUnverifiedNote);
    w.key("can_distort").begin_array();
    for (const char* check : kPresetDistortedChecks)
        w.string(check);
    w.end_array();
    w.end_object();
}

// The scripted operations (timeline and user requests, not the workload's),
// each with where a leader appended it (MIT 6.5840's Start(): log_index,
// log_term; 0 if none did), the first kScriptedListedMax of them.
constexpr size_t kScriptedListedMax = 64;

bool scripted(const World& world, const HistoryOp& op) {
    const auto c = static_cast<size_t>(op.client);
    return c < world.clients().size() && !world.clients()[c].workload;
}

void write_scripted(JsonWriter& w, const World& world) {
    size_t count = 0;
    const HistoryView h = world.history();
    for (const HistoryOp& op : h)
        count += scripted(world, op) ? 1 : 0;
    if (count == 0) return;
    w.key("scripted_count").uinteger(count);
    w.key("scripted").begin_array();
    size_t listed = 0;
    for (size_t i = 0; i < h.size() && listed < kScriptedListedMax; i++) {
        if (!scripted(world, h[i])) continue;
        listed++;
        w.begin_object();
        w.key("op_index").uinteger(i);
        w.key("client").integer(h[i].client);
        w.key("op").string(raft::op_name(h[i].op));
        w.key("key").string(h[i].key);
        w.key("status").string(op_status_name(h[i].status));
        w.key("log_index").integer(h[i].log_index);
        w.key("log_term").integer(h[i].log_term);
        w.end_object();
    }
    w.end_array();
}

void write_clients(JsonWriter& w, const World& world) {
    const ClientStats s = client_stats(world.history());
    w.key("clients").begin_object();
    w.key("ok").integer(s.ok);
    w.key("fail").integer(s.fail);
    w.key("unknown").integer(s.unknown);
    w.key("pending").integer(s.pending);
    w.key("latency_us_p50").integer(s.latency_us_p50);
    w.key("latency_us_p99").integer(s.latency_us_p99);
    w.key("latency_us_max").integer(s.latency_us_max);
    write_scripted(w, world);
    w.end_object();
}

void write_messages(JsonWriter& w, const World& world) {
    const MessageCounts& c = world.counts();
    w.key("messages").begin_object();
    w.key("sent").integer(c.sent);
    w.key("delivered").integer(c.delivered);
    w.key("dropped").integer(c.dropped);
    w.key("by_type").begin_object();
    for (int t = 0; t < static_cast<int>(raft::MsgType::kCount); t++) {
        w.key(raft::msg_type_name(static_cast<raft::MsgType>(t))).integer(c.by_type[t]);
    }
    w.end_object();
    w.end_object();
}

// Bytes sent in the defined encoding (raft/wire_bytes.h), counted like
// messages.sent: by type, by sending node, and the clients' requests.
void write_bytes(JsonWriter& w, const World& world) {
    const MessageCounts& c = world.counts();
    w.key("bytes").begin_object();
    w.key("sent").integer(c.bytes);
    w.key("sent_by_type").begin_object();
    for (int t = 0; t < static_cast<int>(raft::MsgType::kCount); t++) {
        w.key(raft::msg_type_name(static_cast<raft::MsgType>(t))).integer(c.bytes_by_type[t]);
    }
    w.end_object();
    w.key("sent_by_node").begin_array();
    for (size_t i = 0; i < world.nodes().size(); i++)
        w.integer(c.bytes_by_node[i]);
    w.end_array();
    w.key("sent_by_clients").integer(c.bytes_from_clients);
    w.end_object();
}

}  // namespace

void write_summary(JsonWriter& w, const World& world, const SummaryOptions& o) {
    w.begin_object();
    write_header(w, world);
    w.key("nodes").begin_array();
    for (const NodeSlot& slot : world.nodes())
        write_node(w, slot);
    w.end_array();
    write_leaders(w, world);
    write_membership(w, world);
    w.key("checks").begin_object();
    write_safety(w, world);
    write_linearizability(w, world, o);
    write_liveness(w, world);
    write_preset(w, world);
    w.end_object();
    write_clients(w, world);
    write_messages(w, world);
    write_bytes(w, world);
    if (!o.link.empty()) {
        w.key("link").string(o.link);
    }
    w.end_object();
}

std::string summary_json(const World& world, const SummaryOptions& options) {
    JsonWriter w(JsonDialect::kReport, options.pretty ? JsonWriter::kPretty : JsonWriter::kCompact);
    write_summary(w, world, options);
    return w.take();
}

}  // namespace sim
