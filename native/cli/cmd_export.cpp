// native/cli/cmd_export.cpp — `raftplay export RUN --format perfetto -o FILE`:
// a run as a Chrome trace-event JSON timeline (opens in ui.perfetto.dev and
// chrome://tracing); `--format archive`: a binary run archive
// (format/run_archive.h) that opens at any moment without re-simulating.
//
// Layout: process 1 "cluster" has one track (tid) per node carrying its role
// spans (complete events named "leader t7"), down/paused spans, and a 1 µs
// slice per message sent or delivered, joined by flow arrows (s/f events with
// the message id); commits, crashes and actions are instant events. Process 2
// "clients" has one track per client with a span per operation. Timestamps
// are simulated microseconds.

#include <fstream>
#include <iostream>

#include "format/json.h"
#include "format/run_archive.h"
#include "format/summary.h"
#include "native/cli/cli.h"
#include "sim/world.h"

namespace cli {

namespace {

const char* kExportHelp = R"(usage: raftplay export RUN --format perfetto|archive -o FILE [options]

--format perfetto writes a run as a Chrome trace-event JSON timeline (open
it in https://ui.perfetto.dev or chrome://tracing): one track per node with
its role spans, messages as slices joined by flow arrows, and one track per
client with its operations. --format archive writes a binary run archive
(.rpa): scenario, seed, input log, digest, the trace and client history, and
the timeline's checkpoints, so that a viewer opens any moment of a long run
without re-simulating it; `raftplay replay FILE.rpa` verifies one. RUN is a
run file (as `replay` takes) or a scenario (file or built-in name) run at
--seed.

options:
  --format F          perfetto (also accepted: chrome) or archive
  -o FILE             output file (required)
  --seed N            seed when RUN is a scenario (default 1)
  --set PATH=VALUE    override a scenario field (repeatable)
  --no-messages       perfetto: leave out message slices and flows (smaller files)
  --checkpoint-every N  archive: events between checkpoints (default 5120)

exit codes: 0 written, 3 bad input
)";

using Writer = sim::JsonWriter;

constexpr int kPidCluster = 1, kPidClients = 2;

void meta(Writer& w, int pid, int tid, const char* what, const std::string& name) {
    w.begin_object();
    w.key("ph").string("M");
    w.key("pid").integer(pid);
    w.key("tid").integer(tid);
    w.key("name").string(what);
    w.key("args").begin_object();
    w.key("name").string(name);
    w.end_object();
    w.end_object();
}

void event_head(Writer& w, const char* ph, int pid, int tid, int64_t ts, const std::string& name,
                const char* cat) {
    w.begin_object();
    w.key("ph").string(ph);
    w.key("pid").integer(pid);
    w.key("tid").integer(tid);
    w.key("ts").integer(ts);
    w.key("name").string(name);
    w.key("cat").string(cat);
}

void span(Writer& w, int pid, int tid, int64_t from, int64_t to, const std::string& name,
          const char* cat) {
    event_head(w, "X", pid, tid, from, name, cat);
    w.key("dur").integer(std::max<int64_t>(1, to - from));
    w.end_object();
}

void instant(Writer& w, int tid, int64_t ts, const std::string& name, const char* cat) {
    event_head(w, "i", kPidCluster, tid, ts, name, cat);
    w.key("s").string("t");
    w.end_object();
}

// Per node: the open role span and down/paused span.
struct Track {
    int64_t role_from = 0;
    std::string role = "follower t0";
    int64_t down_from = -1, paused_from = -1;
};

// A message slice plus its flow end: "s" at the sender, "f" at the receiver.
void message(Writer& w, const sim::TraceRecord& r, bool send) {
    const std::string name = raft::msg_type_name(static_cast<raft::MsgType>(r.msg_type));
    const int tid = r.node;
    if (tid < 0 || tid >= sim::kClientBase) return;  // client ends have no node track
    span(w, kPidCluster, tid, r.t_us, r.t_us + 1, name, "msg");
    // Client traffic has one end off the node tracks: no arrow for it.
    const auto type = static_cast<raft::MsgType>(r.msg_type);
    if (type == raft::MsgType::kClientReq || type == raft::MsgType::kClientResp) return;
    event_head(w, send ? "s" : "f", kPidCluster, tid, r.t_us, name, "msg");
    w.key("id").integer(r.aux);
    if (!send) {
        w.key("bp").string("e");
    }
    w.end_object();
}

void node_record(Writer& w, std::vector<Track>& tracks, const sim::TraceRecord& r) {
    if (r.node < 0 || r.node >= static_cast<int>(tracks.size())) return;
    Track& t = tracks[static_cast<size_t>(r.node)];
    switch (r.kind) {
        case sim::TraceKind::kRole: {
            span(w, kPidCluster, r.node, t.role_from, r.t_us, t.role, "role");
            t.role = std::string(raft::role_name(static_cast<raft::Role>(r.aux))) + " t" +
                     std::to_string(r.term);
            t.role_from = r.t_us;
            break;
        }
        case sim::TraceKind::kCrash:
            t.down_from = r.t_us;
            instant(w, r.node, r.t_us, "crash", "process");
            break;
        case sim::TraceKind::kRestart:
            if (t.down_from >= 0)
                span(w, kPidCluster, r.node, t.down_from, r.t_us, "down", "process");
            t.down_from = -1;
            break;
        case sim::TraceKind::kPause:
            t.paused_from = r.t_us;
            break;
        case sim::TraceKind::kResume:
            if (t.paused_from >= 0)
                span(w, kPidCluster, r.node, t.paused_from, r.t_us, "paused", "process");
            t.paused_from = -1;
            break;
        case sim::TraceKind::kCommit:
            instant(w, r.node, r.t_us, "commit " + std::to_string(r.index), "log");
            break;
        case sim::TraceKind::kSnapshot:
        case sim::TraceKind::kCorruption:
            instant(w, r.node, r.t_us, std::string(sim::trace_kind_name(r.kind)), "disk");
            break;
        default:
            break;
    }
}

void close_tracks(Writer& w, const std::vector<Track>& tracks, int64_t end_us) {
    for (size_t i = 0; i < tracks.size(); i++) {
        const int tid = static_cast<int>(i);
        span(w, kPidCluster, tid, tracks[i].role_from, end_us, tracks[i].role, "role");
        if (tracks[i].down_from >= 0)
            span(w, kPidCluster, tid, tracks[i].down_from, end_us, "down", "process");
        if (tracks[i].paused_from >= 0)
            span(w, kPidCluster, tid, tracks[i].paused_from, end_us, "paused", "process");
    }
}

void client_ops(Writer& w, const sim::World& world) {
    int32_t max_client = -1;
    for (const sim::HistoryOp& op : world.history()) {
        max_client = std::max(max_client, op.client);
        const int64_t end = op.complete_us >= 0 ? op.complete_us : world.now_us();
        std::string name =
            std::string(raft::op_name(op.op)) + " " + op.key + " " + sim::op_status_name(op.status);
        span(w, kPidClients, op.client, op.invoke_us, end, name, "client");
    }
    for (int32_t c = 0; c <= max_client; c++)
        meta(w, kPidClients, c, "thread_name", "client " + std::to_string(c));
}

void write_trace_events(Writer& w, const sim::World& world, bool messages) {
    const int n = world.scenario().cluster.node_count;
    meta(w, kPidCluster, 0, "process_name",
         "cluster: " + world.scenario().name + " seed " + std::to_string(world.seed()));
    meta(w, kPidClients, 0, "process_name", "clients");
    for (int i = 0; i < n; i++)
        meta(w, kPidCluster, i, "thread_name", "node " + std::to_string(i));
    std::vector<Track> tracks(static_cast<size_t>(n));
    for (const sim::TraceRecord& r : world.trace()) {
        if (r.kind == sim::TraceKind::kSend || r.kind == sim::TraceKind::kDeliver) {
            if (messages && r.kind == sim::TraceKind::kSend) message(w, r, true);
            if (messages && r.kind == sim::TraceKind::kDeliver) {
                sim::TraceRecord d = r;
                if (r.msg_type == static_cast<uint8_t>(raft::MsgType::kClientResp)) d.node = r.peer;
                message(w, d, false);
            }
        } else if (r.kind == sim::TraceKind::kDrop) {
            if (messages && r.node >= 0 && r.node < n) {
                const std::string name =
                    std::string("drop ") +
                    raft::msg_type_name(static_cast<raft::MsgType>(r.msg_type));
                instant(w, r.node, r.t_us, name, "msg");
            }
        } else if (r.kind == sim::TraceKind::kAction || r.kind == sim::TraceKind::kViolation) {
            const int tid = r.node >= 0 && r.node < n ? r.node : 0;
            const std::string name = r.kind == sim::TraceKind::kViolation
                                         ? "VIOLATION"
                                         : sim::action_name(static_cast<sim::ActionKind>(r.aux));
            instant(w, tid, r.t_us, name,
                    r.kind == sim::TraceKind::kViolation ? "check" : "action");
        } else {
            node_record(w, tracks, r);
        }
    }
    close_tracks(w, tracks, world.now_us());
    client_ops(w, world);
}

bool load_run(const Args& args, sim::RunFile* run, std::string* err) {
    const std::string arg = args.positionals()[0];
    std::string text;
    if (read_file(arg, &text, err) && text.find("\"raftplay-run\"") != std::string::npos) {
        return sim::parse_run_file(text, arg, run, err);
    }
    LoadedScenario sc;
    if (!load_scenario(arg, args.all("--set"), &sc, err)) return false;
    run->scenario = *sc.scenario;
    run->seed = 1;
    if (args.has("--seed") && !parse_u64(args.get("--seed"), &run->seed)) {
        *err = "--seed: expected an unsigned 64-bit integer";
        return false;
    }
    return true;
}

int export_archive(const Args& args, const std::shared_ptr<const sim::Scenario>& scenario,
                   const sim::RunFile& run, const std::string& out) {
    sim::TimelineOptions options;
    if (args.has("--checkpoint-every") &&
        (!parse_i64(args.get("--checkpoint-every"), &options.checkpoint_every_events) ||
         options.checkpoint_every_events < 1)) {
        return bad_input("export", "--checkpoint-every: expected a positive integer");
    }
    const sim::RunArchive archive =
        sim::record_run_archive(scenario, run.seed, run.inputs, options);
    const std::string bytes = sim::encode_run_archive(archive);
    std::string err;
    if (!write_file(out, bytes, &err)) return bad_input("export", err);
    std::cerr << "raftplay export: wrote " << out << " (" << bytes.size() << " bytes, "
              << archive.checkpoints.size() << " checkpoints, " << archive.end_events
              << " events, digest " << archive.digest << ")\n";
    return kExitOk;
}

}  // namespace

int cmd_export(int argc, char** argv) {
    Args args;
    std::string err;
    const ArgSpec spec{
        {"--format", "-o", "--out", "--seed", "--set", "--checkpoint-every"}, {"--no-messages"}, 1};
    if (!args.parse(argc, argv, 2, spec, &err)) return bad_input("export", err);
    if (args.help()) {
        std::cout << kExportHelp;
        return kExitOk;
    }
    const std::string format = args.get("--format", "perfetto");
    if (format != "perfetto" && format != "chrome" && format != "archive") {
        return bad_input("export",
                         "--format: unknown format '" + format + "' (known: perfetto, archive)");
    }
    const std::string out = args.get("-o", args.get("--out"));
    if (args.positionals().empty() || out.empty()) {
        return bad_input("export", "usage: raftplay export RUN --format perfetto -o FILE");
    }
    sim::RunFile run;
    if (!load_run(args, &run, &err)) return bad_input("export", err);
    auto scenario = std::make_shared<const sim::Scenario>(run.scenario);
    if (format == "archive") return export_archive(args, scenario, run, out);
    sim::World world(scenario, run.seed, run.inputs);
    world.run_to_end();
    Writer w(sim::JsonDialect::kReport);
    w.begin_object();
    w.key("displayTimeUnit").string("ms");
    w.key("traceEvents").begin_array();
    write_trace_events(w, world, !args.has("--no-messages"));
    w.end_array();
    w.end_object();
    if (!write_file(out, w.take() + "\n", &err)) {
        return bad_input("export", err);
    }
    std::cerr << "raftplay export: wrote " << out << " (" << world.trace().size() << " events)\n";
    return kExitOk;
}

}  // namespace cli
