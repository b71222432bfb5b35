// native/cli/cmd_shrink.cpp — `raftplay shrink`: reduce a failing run to a
// minimal scenario that still fails the same way, and write it as a
// scenario file (`raftplay run OUT --seed N` reproduces it).
//
// The reduction itself is sim::shrink_scenario (delta debugging over the
// timeline steps, then workload and duration); this file loads the failing
// run, checks that it fails, and writes and re-validates the result.

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "check/fuzz.h"
#include "check/shrink.h"
#include "format/json.h"
#include "native/cli/cli.h"
#include "native/cli/run_util.h"

namespace cli {

namespace {

const char* kShrinkHelp = R"(usage: raftplay shrink RUNFILE [-o OUT]
       raftplay shrink --scenario S --seed N [--set PATH=VALUE]... [--mutation M]... [-o OUT]

Reduces a failing run (a run file, e.g. one `raftplay fuzz` wrote, or a
scenario at a seed) to a smaller scenario that fails the same way (safety,
linearizability or liveness): delta debugging over the timeline steps (the
fuzzer's faults are timeline steps), then the workload (clients, rate,
keys), then the duration. A run file's input log becomes timeline steps.
Writes the result as a scenario file; reproduce it with
`raftplay run OUT --seed N`.

options:
  -o OUT             output scenario file (default: shrunk-seed-N.json)
  --scenario S       the failing scenario (file or built-in name), with --seed
  --seed N           its seed
  --set PATH=VALUE   override a scenario field (repeatable)
  --mutation NAME    enable a protocol mutation (repeatable)
  --max-runs N       bound on the candidate runs (default 400)
  --no-lin           ignore linearizability (judge safety and liveness only)

Prints a JSON report: the failure before (what) and after (what_after), the
steps before and after, the command that reproduces it, and a share link
that opens the shrunk run in the page at the failure (prefixed with
$RAFTPLAY_PAGE_URL when set, e.g. http://127.0.0.1:8080/).

exit codes: 0 a scenario was written, 3 bad input (including a run that does
not fail)
)";

struct Input {
    sim::Scenario scenario;
    uint64_t seed = 0;
    std::string source;
};

// A run file's user inputs become ordinary timeline steps.
void merge_inputs(const sim::RunFile& run, sim::Scenario* s) {
    for (sim::Action a : run.inputs) {
        a.at_us = std::min(a.at_us, s->duration_us);
        s->timeline.push_back(std::move(a));
    }
    std::stable_sort(s->timeline.begin(), s->timeline.end(),
                     [](const sim::Action& a, const sim::Action& b) { return a.at_us < b.at_us; });
}

bool load_input(const Args& args, Input* in, std::string* err) {
    if (!args.positionals().empty()) {
        const std::string path = args.positionals()[0];
        std::string text;
        sim::RunFile run;
        if (!read_file(path, &text, err) || !sim::parse_run_file(text, path, &run, err)) {
            if (text.find("raftplay-run") == std::string::npos && !text.empty()) {
                *err += " (not a run file; for a scenario use --scenario S --seed N)";
            }
            return false;
        }
        in->scenario = run.scenario;
        merge_inputs(run, &in->scenario);
        in->seed = run.seed;
        in->source = path;
        return true;
    }
    if (!args.has("--scenario") || !args.has("--seed")) {
        *err = "give a RUNFILE, or --scenario S and --seed N (see --help)";
        return false;
    }
    LoadedScenario sc;
    if (!load_scenario(args.get("--scenario"), args.all("--set"), &sc, err)) return false;
    if (!parse_u64(args.get("--seed"), &in->seed)) {
        *err = "--seed: expected an unsigned 64-bit integer, got '" + args.get("--seed") + "'";
        return false;
    }
    in->scenario = *sc.scenario;
    in->source = sc.path;
    return true;
}

bool apply_options(const Args& args, Input* in, sim::ShrinkOptions* so, std::string* err) {
    for (const std::string& name : args.all("--mutation")) {
        const uint32_t bit = raft::mutation_from_name(name);
        if (bit == 0) {
            *err = "--mutation: unknown mutation '" + name + "'";
            return false;
        }
        in->scenario.cluster.mutations |= bit;
    }
    int64_t v = 0;
    if (args.has("--max-runs")) {
        if (!parse_i64(args.get("--max-runs"), &v) || v < 1 || v > 100'000) {
            *err = "--max-runs: expected 1..100000";
            return false;
        }
        so->max_runs = static_cast<int32_t>(v);
    }
    return true;
}

std::string shrink_report(const Input& in, const sim::Verdict& v, const sim::ShrinkStats& st,
                          const sim::Scenario& out_s, const std::string& out,
                          const sim::Verdict& after, const std::string& link) {
    sim::JsonWriter w(sim::JsonDialect::kReport, sim::JsonWriter::kPretty);
    w.begin_object();
    w.key("source").string(in.source);
    w.key("seed").uinteger(in.seed);
    w.key("outcome").string(sim::outcome_name(v.outcome));
    w.key("what").string(v.what);
    w.key("what_after").string(after.what);
    w.key("steps_before").uinteger(st.steps_before);
    w.key("steps_after").uinteger(st.steps_after);
    w.key("duration_us").integer(out_s.duration_us);
    w.key("clients").integer(out_s.workload.clients);
    w.key("runs").integer(st.runs);
    w.key("out").string(out);
    const std::string repro = shell_quote(program_name()) + " run " + shell_quote(out) +
                              " --seed " + std::to_string(in.seed);
    w.key("reproduce").string(repro);
    w.key("link").string(link);
    w.end_object();
    return w.take();
}

// Writes the scenario and checks that it loads back to the same value.
bool write_scenario(const sim::Scenario& s, const std::string& path, std::string* err) {
    const std::string text = sim::scenario_to_json(s);
    sim::Scenario back;
    if (!sim::parse_scenario(text, path, {}, &back, err)) {
        *err = "internal: the shrunk scenario does not load back: " + *err;
        return false;
    }
    return write_file(path, text + "\n", err);
}

}  // namespace

int cmd_shrink(int argc, char** argv) {
    Args args;
    std::string err;
    const ArgSpec spec{{"-o", "--out", "--scenario", "--seed", "--set", "--mutation", "--max-runs"},
                       {"--no-lin"},
                       1};
    if (!args.parse(argc, argv, 2, spec, &err)) return bad_input("shrink", err);
    if (args.help()) {
        std::cout << kShrinkHelp;
        return kExitOk;
    }
    Input in;
    sim::ShrinkOptions so;
    if (!load_input(args, &in, &err) || !apply_options(args, &in, &so, &err)) {
        return bad_input("shrink", err);
    }
    sim::JudgeOptions jo;
    jo.check_linearizability = !args.has("--no-lin");
    const sim::Verdict v =
        sim::run_and_judge(std::make_shared<const sim::Scenario>(in.scenario), in.seed, jo);
    if (v.outcome == sim::Outcome::kOk) {
        return bad_input("shrink", in.source + " at seed " + std::to_string(in.seed) +
                                       " does not fail: nothing to shrink");
    }
    so.keep_liveness_phase = v.outcome == sim::Outcome::kLiveness;
    sim::ShrinkStats st;
    sim::Scenario small =
        sim::shrink_scenario(in.scenario, sim::same_outcome(in.seed, v.outcome, jo), so, &st);
    small.description = "Shrunk from " + in.source + " at seed " + std::to_string(in.seed) + ": " +
                        sim::outcome_name(v.outcome) + " failure (" + v.what + ").";
    if (small.description.size() > 4000) small.description.resize(4000);
    const std::string out =
        args.get("-o", args.get("--out", "shrunk-seed-" + std::to_string(in.seed) + ".json"));
    if (!write_scenario(small, out, &err)) return bad_input("shrink", err);
    // The shrunk run's own failure (same outcome, possibly other details) and
    // a share link that opens the page at it.
    const sim::Verdict after =
        sim::run_and_judge(std::make_shared<const sim::Scenario>(small), in.seed, jo);
    const std::string link = share_link(failing_run(small, in.seed, after.outcome), "");
    std::cout << shrink_report(in, v, st, small, out, after, link) << "\n";
    return kExitOk;
}

}  // namespace cli
