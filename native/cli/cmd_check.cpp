// native/cli/cmd_check.cpp — `raftplay check HISTORY`: linearizability of a
// client history in the `run --history` JSON-lines format.
//
// Prints {verdict, ms, operations, keys, states_explored, ...}; for a
// violation, the key and the smallest set of its operations found that cannot
// be ordered (the checker's witness), each as a history record.

#include <iostream>
#include <set>

#include "format/history_json.h"
#include "format/json.h"
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

void write_witness(sim::JsonWriter& out, sim::HistoryView h, const sim::LinResult& r) {
    out.key("key").string(r.key);
    out.key("explanation").string(r.explanation);
    out.key("witness").begin_array();
    for (size_t i : r.witness) {
        if (i >= h.size()) continue;
        const std::string line = sim::history_op_to_json(h[i]);
        sim::JsonValue record;
        std::string ignored;  // our own writer's output; a record that fails is left out
        if (sim::parse_json(line, "", &record, &ignored)) out.value(record);
    }
    out.end_array();
}

std::string check_report(sim::HistoryView h, const sim::LinResult& r, int64_t limit_ms) {
    std::set<std::string> keys;
    for (const sim::HistoryOp& op : h)
        keys.insert(op.key);
    sim::JsonWriter out(sim::JsonDialect::kReport, sim::JsonWriter::kPretty);
    out.begin_object();
    out.key("verdict").string(sim::lin_verdict_name(r.verdict));
    out.key("ms").number(r.ms);
    out.key("time_limit_ms").integer(limit_ms);
    out.key("operations").uinteger(h.size());
    out.key("keys").uinteger(keys.size());
    out.key("states_explored").uinteger(r.states_explored);
    if (r.verdict != sim::LinResult::kOk) write_witness(out, h, r);
    out.end_object();
    return out.take();
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
