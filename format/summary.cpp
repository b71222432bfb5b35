// format/summary.cpp — the run summary, the per-node logs and trace lines as
// JSON (see summary.h).
//
// Index
//   client statistics
//   summary sections: header, nodes, leaders, checks, clients, messages
//   logs
//   trace lines
//
// Every value is written from integer state in a fixed order: the same world
// gives byte-identical text natively and in WebAssembly.
#include "format/summary.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <vector>

#include "format/preset_check.h"
#include "sim/convergence.h"

namespace sim {

namespace {

using Buffer = rapidjson::StringBuffer;

const char* entry_type_name(raft::EntryType t) {
    switch (t) {
        case raft::EntryType::kNoop:
            return "noop";
        case raft::EntryType::kCommand:
            return "command";
        case raft::EntryType::kConfig:
            return "config";
    }
    return "?";
}

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

template <class W>
void write_header(W& w, const World& world) {
    const Scenario& sc = world.scenario();
    w.Key("scenario");
    w.String(sc.name.c_str());
    w.Key("seed");
    w.Uint64(world.seed());
    w.Key("digest");
    w.String(world.digest_hex().c_str());
    w.Key("events");
    w.Int64(world.events());
    w.Key("sim_time_us");
    w.Int64(world.now_us());
    w.Key("duration_us");
    w.Int64(sc.duration_us);
    w.Key("halted");
    w.Bool(world.halted());
    w.Key("mutations");
    w.StartArray();
    for (uint32_t bit = 1; bit != 0 && bit <= sc.cluster.mutations; bit <<= 1) {
        if (sc.cluster.mutations & bit) w.String(raft::mutation_name(bit));
    }
    w.EndArray();
    w.Key("leader");
    w.Int(world.leader());
}

template <class W>
void write_node(W& w, const NodeSlot& slot) {
    const raft::Node& n = slot.node;
    w.StartObject();
    w.Key("id");
    w.Int(n.id());
    w.Key("alive");
    w.Bool(slot.alive);
    w.Key("paused");
    w.Bool(slot.paused);
    w.Key("role");
    w.String(raft::role_name(n.role()));
    w.Key("term");
    w.Int64(n.current_term());
    w.Key("voted_for");
    w.Int(n.voted_for());
    w.Key("leader");
    w.Int(n.leader());
    w.Key("commit_index");
    w.Int64(n.commit_index());
    w.Key("applied_index");
    w.Int64(n.last_applied());
    w.Key("log_first_index");
    w.Int64(n.log().first_index());
    w.Key("log_last_index");
    w.Int64(n.log().last_index());
    w.Key("snapshot_index");
    w.Int64(n.snapshot_index());
    w.Key("kv_keys");
    w.Uint64(n.kv().key_count());
    w.Key("kv_hash");
    w.String(hex64(n.kv().hash()).c_str());
    w.Key("incarnation");
    w.Int(slot.incarnation);
    w.EndObject();
}

template <class W>
void write_leaders(W& w, const World& world) {
    w.Key("leaders");
    w.StartArray();
    for (const LeaderRecord& l : world.leaders()) {
        w.StartObject();
        w.Key("term");
        w.Int64(l.term);
        w.Key("node");
        w.Int(l.node);
        w.Key("at_us");
        w.Int64(l.at_us);
        w.EndObject();
    }
    w.EndArray();
}

template <class W>
void write_safety(W& w, const World& world) {
    w.Key("safety");
    w.StartObject();
    w.Key("ok");
    w.Bool(world.violations().empty());
    w.Key("violations");
    w.StartArray();
    for (const Violation& v : world.violations()) {
        w.StartObject();
        w.Key("t_us");
        w.Int64(v.t_us);
        w.Key("event");
        w.Int64(v.event);
        w.Key("check");
        w.String(v.check.c_str());
        w.Key("description");
        w.String(v.description.c_str());
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
}

template <class W>
void write_witness(W& w, const World& world, const LinResult& r) {
    w.Key("key");
    w.String(r.key.c_str());
    w.Key("explanation");
    w.String(r.explanation.c_str());
    w.Key("witness");
    w.StartArray();
    for (size_t i : r.witness) {
        if (i < world.history().size()) w.Uint64(i);
    }
    w.EndArray();
}

template <class W>
void write_linearizability(W& w, const World& world, const SummaryOptions& o) {
    const LinResult* r = o.linearizability;
    w.Key("linearizability");
    w.StartObject();
    w.Key("verdict");
    w.String(r ? lin_verdict_name(r->verdict) : "unknown");
    w.Key("checked");
    w.Bool(r != nullptr);
    if (o.wall_time) {
        w.Key("ms");
        w.Double(r ? r->ms : 0.0);
    }
    if (r) {
        w.Key("states_explored");
        w.Uint64(r->states_explored);
        if (r->verdict != LinResult::kOk) write_witness(w, world, *r);
    }
    w.EndObject();
}

// Whether the run converged (sim/convergence.h: a live leader, every live node at the
// same applied index and kv hash); `expected` when the scenario asks for it.
template <class W>
void write_liveness(W& w, const World& world) {
    std::string why;
    const bool ok = converged(world, &why);
    w.Key("liveness");
    w.StartObject();
    w.Key("expected");
    w.Bool(world.scenario().expect_converged);
    w.Key("converged");
    w.Bool(ok);
    if (!ok) {
        w.Key("reason");
        w.String(why.c_str());
    }
    w.EndObject();
}

// Only with a preset: its reachability is checked by necessary conditions
// only (format/preset_check.h), so say which verdicts it can distort.
template <class W>
void write_preset(W& w, const World& world) {
    if (world.scenario().preset.empty()) return;
    w.Key("preset");
    w.StartObject();
    w.Key("verified");
    w.Bool(false);
    w.Key("note");
    w.String(kPresetUnverifiedNote);
    w.Key("can_distort");
    w.StartArray();
    for (const char* check : kPresetDistortedChecks)
        w.String(check);
    w.EndArray();
    w.EndObject();
}

template <class W>
void write_clients(W& w, const World& world) {
    const ClientStats s = client_stats(world.history());
    w.Key("clients");
    w.StartObject();
    w.Key("ok");
    w.Int64(s.ok);
    w.Key("fail");
    w.Int64(s.fail);
    w.Key("unknown");
    w.Int64(s.unknown);
    w.Key("pending");
    w.Int64(s.pending);
    w.Key("latency_us_p50");
    w.Int64(s.latency_us_p50);
    w.Key("latency_us_p99");
    w.Int64(s.latency_us_p99);
    w.Key("latency_us_max");
    w.Int64(s.latency_us_max);
    w.EndObject();
}

template <class W>
void write_messages(W& w, const World& world) {
    const MessageCounts& c = world.counts();
    w.Key("messages");
    w.StartObject();
    w.Key("sent");
    w.Int64(c.sent);
    w.Key("delivered");
    w.Int64(c.delivered);
    w.Key("dropped");
    w.Int64(c.dropped);
    w.Key("by_type");
    w.StartObject();
    for (int t = 0; t < static_cast<int>(raft::MsgType::kCount); t++) {
        w.Key(raft::msg_type_name(static_cast<raft::MsgType>(t)));
        w.Int64(c.by_type[t]);
    }
    w.EndObject();
    w.EndObject();
}

template <class W>
void write_summary(W& w, const World& world, const SummaryOptions& o) {
    w.StartObject();
    write_header(w, world);
    w.Key("nodes");
    w.StartArray();
    for (const NodeSlot& slot : world.nodes())
        write_node(w, slot);
    w.EndArray();
    write_leaders(w, world);
    w.Key("checks");
    w.StartObject();
    write_safety(w, world);
    write_linearizability(w, world, o);
    write_liveness(w, world);
    write_preset(w, world);
    w.EndObject();
    write_clients(w, world);
    write_messages(w, world);
    if (!o.link.empty()) {
        w.Key("link");
        w.String(o.link.c_str(), static_cast<rapidjson::SizeType>(o.link.size()));
    }
    w.EndObject();
}

}  // namespace

std::string summary_json(const World& world, const SummaryOptions& options) {
    Buffer buf;
    if (options.pretty) {
        rapidjson::PrettyWriter<Buffer> w(buf);
        w.SetIndent(' ', 2);
        write_summary(w, world, options);
    } else {
        rapidjson::Writer<Buffer> w(buf);
        write_summary(w, world, options);
    }
    return std::string(buf.GetString(), buf.GetSize());
}

// ===========================================================================
// logs
// ===========================================================================

namespace {

template <class W>
void write_entry(W& w, const raft::Entry& e) {
    w.StartObject();
    w.Key("index");
    w.Int64(e.index);
    w.Key("term");
    w.Int64(e.term);
    w.Key("type");
    w.String(entry_type_name(e.type));
    if (e.type == raft::EntryType::kCommand) {
        w.Key("command");
        w.StartObject();
        w.Key("client");
        w.Int(e.cmd.client_id);
        w.Key("seq");
        w.Int64(e.cmd.seq);
        w.Key("op");
        w.String(raft::op_name(e.cmd.op));
        w.Key("key");
        w.String(e.cmd.key.c_str(), static_cast<rapidjson::SizeType>(e.cmd.key.size()));
        w.Key("value");
        w.String(e.cmd.value.c_str(), static_cast<rapidjson::SizeType>(e.cmd.value.size()));
        if (e.cmd.op == raft::OpType::kCas) {
            w.Key("expected");
            w.String(e.cmd.expected.c_str(),
                     static_cast<rapidjson::SizeType>(e.cmd.expected.size()));
        }
        w.EndObject();
    }
    w.EndObject();
}

template <class W>
void write_durable(W& w, const Disk& disk) {
    const DurableState& d = disk.durable;
    w.Key("durable");
    w.StartObject();
    w.Key("term");
    w.Int64(d.hard_state.current_term);
    w.Key("vote");
    w.Int(d.hard_state.voted_for);
    w.Key("snapshot_index");
    w.Int64(d.snapshot_index());
    w.Key("log_last_index");
    w.Int64(d.snapshot_index() + static_cast<int64_t>(d.log.size()));
    w.Key("unsynced_batches");
    w.Uint64(disk.pending.size());
    w.EndObject();
}

template <class W>
void write_node_log(W& w, const NodeSlot& slot) {
    const raft::Node& n = slot.node;
    w.StartObject();
    w.Key("id");
    w.Int(n.id());
    w.Key("alive");
    w.Bool(slot.alive);
    write_durable(w, slot.disk);
    // The snapshot the node holds; its log may start before it (the entries
    // kept for followers to catch up by appends).
    w.Key("snapshot_index");
    w.Int64(n.snapshot_index());
    w.Key("snapshot_term");
    w.Int64(n.snapshot() ? n.snapshot()->last_included_term : 0);
    w.Key("log_first_index");
    w.Int64(n.log().first_index());
    w.Key("log");
    w.StartArray();
    for (const raft::Entry& e : n.log().entries())
        write_entry(w, e);
    w.EndArray();
    w.EndObject();
}

}  // namespace

std::string logs_json(const World& world) {
    Buffer buf;
    rapidjson::Writer<Buffer> w(buf);
    w.StartObject();
    w.Key("scenario");
    w.String(world.scenario().name.c_str());
    w.Key("seed");
    w.Uint64(world.seed());
    w.Key("sim_time_us");
    w.Int64(world.now_us());
    w.Key("nodes");
    w.StartArray();
    for (const NodeSlot& slot : world.nodes())
        write_node_log(w, slot);
    w.EndArray();
    w.EndObject();
    return std::string(buf.GetString(), buf.GetSize());
}

// ===========================================================================
// trace lines
// ===========================================================================

namespace {

const char* type_name(const TraceRecord& r) {
    return raft::msg_type_name(static_cast<raft::MsgType>(r.msg_type));
}

// send / deliver / drop. A send and a drop are recorded at the sender (node
// = from); a deliver at the receiver, except a reply reaching a client.
template <class W>
void write_message_fields(W& w, const TraceRecord& r) {
    int32_t from = r.node, to = r.peer;
    if (r.kind == TraceKind::kDeliver &&
        r.msg_type != static_cast<uint8_t>(raft::MsgType::kClientResp)) {
        from = r.peer;
        to = r.node;
    }
    w.Key("node");
    w.Int(r.kind == TraceKind::kDeliver ? to : from);
    w.Key("from");
    w.Int(from);
    w.Key("to");
    w.Int(to);
    w.Key("type");
    w.String(type_name(r));
    w.Key("term");
    w.Int64(r.term);
    w.Key("index");
    w.Int64(r.index);
    if (r.kind == TraceKind::kDrop) {
        w.Key("reason");
        w.String(drop_reason_name(r.aux));
    } else {
        w.Key("msg_id");
        w.Int64(r.aux);
    }
}

template <class W>
void write_client_fields(W& w, const TraceRecord& r) {
    w.Key("node");
    w.Int(r.node);
    w.Key("client");
    w.Int(r.node - kClientBase);
    w.Key("op");
    w.String(raft::op_name(static_cast<raft::OpType>(r.msg_type)));
    w.Key("target");
    w.Int(r.peer);
    w.Key("op_index");
    w.Int64(r.index);
    if (r.kind == TraceKind::kClientComplete) {
        w.Key("status");
        w.String(op_status_name(static_cast<OpStatus>(r.aux)));
    }
}

template <class W>
void write_node_fields(W& w, const TraceRecord& r) {
    w.Key("node");
    w.Int(r.node);
    w.Key("term");
    w.Int64(r.term);
    switch (r.kind) {
        case TraceKind::kTimeout:
            w.Key("timer");
            w.String(r.aux == 0 ? "election" : r.aux == 1 ? "heartbeat" : "lease");
            break;
        case TraceKind::kRole:
            w.Key("role");
            w.String(raft::role_name(static_cast<raft::Role>(r.aux)));
            break;
        case TraceKind::kVote:
            w.Key("voted_for");
            w.Int(r.peer);
            break;
        case TraceKind::kPersist:
        case TraceKind::kFsync:
            w.Key("index");
            w.Int64(r.index);
            w.Key(r.kind == TraceKind::kPersist ? "entries" : "batches");
            w.Int64(r.aux);
            break;
        case TraceKind::kApply:
            w.Key("index");
            w.Int64(r.index);
            w.Key("entry_type");
            w.String(entry_type_name(static_cast<raft::EntryType>(r.aux)));
            break;
        case TraceKind::kAction:
            w.Key("action");
            w.String(action_name(static_cast<ActionKind>(r.aux)));
            break;
        default:
            w.Key("index");
            w.Int64(r.index);
            break;
    }
}

}  // namespace

std::string trace_record_json(const TraceRecord& r) {
    Buffer buf;
    rapidjson::Writer<Buffer> w(buf);
    w.StartObject();
    w.Key("t_us");
    w.Int64(r.t_us);
    w.Key("kind");
    w.String(trace_kind_name(r.kind));
    switch (r.kind) {
        case TraceKind::kSend:
        case TraceKind::kDeliver:
        case TraceKind::kDrop:
            write_message_fields(w, r);
            break;
        case TraceKind::kClientInvoke:
        case TraceKind::kClientComplete:
            write_client_fields(w, r);
            break;
        default:
            write_node_fields(w, r);
            break;
    }
    w.EndObject();
    return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace sim
