// native/cli/cmd_check.cpp — `raftplay check HISTORY`: linearizability of a
// client history in the `run --history` JSON-lines format.
//
// Prints {verdict, ms, operations, keys, states_explored, ...}; for a
// violation, the key and the smallest set of its operations found that cannot
// be ordered (the checker's witness), each as a history record.
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <iostream>
#include <set>

#include "format/history_json.h"
#include "format/json_input.h"
#include "native/cli/cli.h"
#include "native/cli/run_util.h"

namespace cli {

namespace {

const char* kCheckHelp = R"(usage: raftplay check HISTORY [--time-limit-ms N]

Checks a client history (JSON lines, the format of `raftplay run --history`)
for linearizability against the key-value model (per-key search). Prints
{"verdict": "ok"|"violation"|"unknown", "ms", ...}; for a violation, the key
and a small set of operations that cannot be ordered. A search that exceeds
the time limit answers "unknown", never a wrong verdict.

options:
  --time-limit-ms N   search limit (default 10000), mapped to a state budget

exit codes: 0 ok or unknown, 1 violation, 3 bad input
)";

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void write_witness(Writer& out, sim::HistoryView h, const sim::LinResult& r) {
    out.Key("key");
    out.String(r.key.c_str());
    out.Key("explanation");
    out.String(r.explanation.c_str());
    out.Key("witness");
    out.StartArray();
    for (size_t i : r.witness) {
        if (i >= h.size()) continue;
        const std::string line = sim::history_op_to_json(h[i]);
        rapidjson::Document d;
        sim::JsonInputError ignored;  // our own writer's output; a record that fails is left out
        if (sim::parse_json_document(line, &d, &ignored)) d.Accept(out);
    }
    out.EndArray();
}

std::string check_report(sim::HistoryView h, const sim::LinResult& r, int64_t limit_ms) {
    std::set<std::string> keys;
    for (const sim::HistoryOp& op : h)
        keys.insert(op.key);
    rapidjson::StringBuffer buf;
    Writer out(buf);
    out.SetIndent(' ', 2);
    out.StartObject();
    out.Key("verdict");
    out.String(sim::lin_verdict_name(r.verdict));
    out.Key("ms");
    out.Double(r.ms);
    out.Key("time_limit_ms");
    out.Int64(limit_ms);
    out.Key("operations");
    out.Uint64(h.size());
    out.Key("keys");
    out.Uint64(keys.size());
    out.Key("states_explored");
    out.Uint64(r.states_explored);
    if (r.verdict != sim::LinResult::kOk) write_witness(out, h, r);
    out.EndObject();
    return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace

int cmd_check(int argc, char** argv) {
    Args args;
    std::string err;
    if (!args.parse(argc, argv, 2, ArgSpec{{"--time-limit-ms"}, {}, 1}, &err)) {
        return bad_input("check", err);
    }
    if (args.help()) {
        std::cout << kCheckHelp;
        return kExitOk;
    }
    if (args.positionals().empty()) return bad_input("check", "missing HISTORY (see --help)");
    int64_t limit_ms = kDefaultLinTimeLimitMs;
    if (args.has("--time-limit-ms") &&
        (!parse_i64(args.get("--time-limit-ms"), &limit_ms) || limit_ms < 0)) {
        return bad_input("check", "--time-limit-ms: expected ms >= 0, got '" +
                                      args.get("--time-limit-ms") + "'");
    }
    sim::History h;
    if (!sim::read_history_file(args.positionals()[0], &h, &err)) return bad_input("check", err);
    const sim::LinResult r = timed_linearizability(h, limit_ms);
    std::cout << check_report(h, r, limit_ms) << "\n";
    return r.verdict == sim::LinResult::kViolation ? kExitViolation : kExitOk;
}

}  // namespace cli
