// native/cli/cmd_run.cpp — `raftplay run` (a scenario at a seed, the JSON
// summary, optional trace/history/logs files) and `raftplay replay` (a run
// file re-run and its digest verified).
//
// The summary's shape lives in format/summary.{h,cpp}; this file only runs the
// world, times the linearizability check with the wall clock, writes files
// and maps the verdicts to exit codes.

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>

#include "check/fuzz.h"
#include "format/history_json.h"
#include "format/json.h"
#include "format/logs_json.h"
#include "format/run_archive.h"
#include "format/summary.h"
#include "format/trace_json.h"
#include "native/cli/cli.h"
#include "native/cli/run_util.h"
#include "sim/limits.h"
#include "sim/world.h"

namespace cli {

namespace {

const char* kRunHelp = R"(usage: raftplay run SCENARIO [options]

Runs SCENARIO (a file, or a built-in name such as leader-failure) at a seed
and prints one JSON summary on stdout: scenario, seed, digest, events,
sim_time_us, nodes[], leaders[], checks{safety, linearizability, liveness},
clients{}, messages{} (see docs/cli.md).

options:
  --seed N                 64-bit seed (default 1)
  --until-ms T             stop at simulated time T ms (default: the duration)
  --set PATH=VALUE         override a scenario field, e.g. --set cluster.nodes=7
                           (repeatable; VALUE is JSON, or a plain string)
  --trace FILE             write every event as JSON lines
  --history FILE           write the client history as JSON lines
  --logs FILE              write every node's log and durable state as JSON
  --lin-time-limit-ms N    linearizability search limit (default 10000);
                           beyond it the verdict is "unknown"
  --compact                print the summary on one line
  --seeds A..B             run every seed of the range instead; print one line
                           per seed: {scenario, seed, digest, events,
                           sim_time_us, safety_ok} (determinism checks)

exit codes: 0 ok, 1 safety or linearizability violation, 2 liveness failure
(the scenario expects convergence and the run did not converge), 3 bad input
)";

const char* kReplayHelp = R"(usage: raftplay replay FILE|LINK [options]

Re-runs a recorded run file (scenario + seed + input log, as the browser
exports it: {"format": "raftplay-run", ...}) up to its cursor (cursor_us, or
the end of the run when it is -1), and compares the digest with the recorded
one. Prints {"match", "expected_digest", "digest", ...} as JSON.

FILE may also be a binary run archive (`raftplay export RUN --format archive`,
told apart by its first bytes): the run is re-simulated to its end and both
the digest and every stored checkpoint must equal the re-simulated ones
("checkpoints_checked" says how many were compared).

Instead of a file, a share link works the same: the page's address (it
always links to the moment shown), or the link run, fuzz and shrink print;
the whole address, or just the part after '#'. Quote it for the shell:
raftplay replay 'http://127.0.0.1:8080/#v=1&...'.

options:
  --summary                also print the full run summary (key "summary")

exit codes: 0 the digests match (or none was recorded), 1 mismatch (digest
or an archive's checkpoint), 3 bad input (a truncated, corrupted or foreign
archive names the file and the problem)
)";

// A share link: an address with a '#v=' fragment, or the fragment alone.
bool is_share_link(const std::string& arg) {
    return arg.find("#v=") != std::string::npos || arg.rfind("v=", 0) == 0;
}

// The run a share link describes; a built-in scenario is loaded by name.
bool run_from_link(const std::string& link, sim::RunFile* run, std::string* err) {
    const size_t hash = link.find('#');
    const std::string fragment = hash == std::string::npos ? link : link.substr(hash + 1);
    std::string builtin;
    if (!sim::decode_fragment(fragment, run, &builtin, err)) return false;  // names the link
    if (builtin.empty()) return true;
    LoadedScenario sc;
    if (!load_scenario(builtin, {}, &sc, err)) {
        *err = "share link: " + *err;
        return false;
    }
    run->scenario = *sc.scenario;
    if (!sim::check_inputs(run->scenario, run->inputs, err)) {
        *err = "share link: " + *err;
        return false;
    }
    return true;
}

int write_trace(const sim::World& w, const std::string& path) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) return bad_input("run", path + ": cannot write");
    for (const sim::TraceRecord& r : w.trace())
        f << sim::trace_record_json(r, w.history()) << '\n';
    f.close();
    if (!f) return bad_input("run", path + ": write failed");
    return kExitOk;
}

int write_outputs(const sim::World& w, const Args& args) {
    std::string err;
    if (args.has("--trace")) {
        if (int code = write_trace(w, args.get("--trace")); code != kExitOk) return code;
    }
    if (args.has("--history") &&
        !sim::write_history_file(args.get("--history"), w.history(), &err)) {
        return bad_input("run", err);
    }
    if (args.has("--logs") && !write_file(args.get("--logs"), sim::logs_json(w) + "\n", &err)) {
        return bad_input("run", err);
    }
    return kExitOk;
}

// The exit code of a finished (or stopped) run.
int run_exit_code(const sim::World& w, const sim::LinResult& lin, bool ran_to_end) {
    if (!w.violations().empty()) return kExitViolation;
    if (lin.verdict == sim::LinResult::kViolation) return kExitViolation;
    std::string why;
    if (ran_to_end && w.scenario().expect_converged && !sim::converged(w, &why)) {
        return kExitLiveness;
    }
    return kExitOk;
}

// The command that runs this scenario at this seed again: what a failed
// ASSERT inside the run prints (sim::World::RunScope).
std::string reproduce_run(const Args& args, uint64_t seed) {
    std::string cmd = shell_quote(program_name()) + " run " + shell_quote(args.positionals()[0]) +
                      " --seed " + std::to_string(seed);
    for (const std::string& v : args.all("--set"))
        cmd += " --set " + shell_quote(v);
    if (args.has("--until-ms")) cmd += " --until-ms " + shell_quote(args.get("--until-ms"));
    return cmd;
}

// --seeds A..B: one compact line per seed; the exit code is the worst one.
int run_seed_range(const Args& args, const LoadedScenario& sc, uint64_t first, uint64_t last) {
    int worst = kExitOk;
    for (uint64_t seed = first;; seed++) {
        sim::World w(sc.scenario, seed);
        w.set_reproduce_command(reproduce_run(args, seed));
        w.record_trace = false;
        w.run_to_end();
        sim::JsonWriter out(sim::JsonDialect::kReport);
        out.begin_object();
        out.key("scenario").string(sc.scenario->name);
        out.key("seed").uinteger(seed);
        out.key("digest").string(w.digest_hex());
        out.key("events").integer(w.events());
        out.key("sim_time_us").integer(w.now_us());
        out.key("safety_ok").boolean(w.violations().empty());
        out.end_object();
        std::cout << out.take() << "\n";
        if (!w.violations().empty()) worst = kExitViolation;
        if (seed == last) break;
    }
    return worst;
}

}  // namespace

int cmd_run(int argc, char** argv) {
    Args args;
    std::string err;
    const ArgSpec spec{{"--seed", "--until-ms", "--set", "--trace", "--history", "--logs",
                        "--lin-time-limit-ms", "--seeds"},
                       {"--compact"},
                       1};
    if (!args.parse(argc, argv, 2, spec, &err)) return bad_input("run", err);
    if (args.help()) {
        std::cout << kRunHelp;
        return kExitOk;
    }
    if (args.positionals().empty()) return bad_input("run", "missing SCENARIO (see --help)");
    uint64_t seed = 1;
    int64_t until_ms = -1, lin_ms = kDefaultLinTimeLimitMs;
    if (args.has("--seed") && !parse_u64(args.get("--seed"), &seed)) {
        return bad_input(
            "run", "--seed: expected an unsigned 64-bit integer, got '" + args.get("--seed") + "'");
    }
    if (args.has("--until-ms") && (!parse_i64(args.get("--until-ms"), &until_ms) || until_ms < 0)) {
        return bad_input(
            "run", "--until-ms: expected a time in ms >= 0, got '" + args.get("--until-ms") + "'");
    }
    if (args.has("--lin-time-limit-ms") &&
        (!parse_i64(args.get("--lin-time-limit-ms"), &lin_ms) || lin_ms < 0)) {
        return bad_input("run", "--lin-time-limit-ms: expected ms >= 0");
    }
    LoadedScenario sc;
    if (!load_scenario(args.positionals()[0], args.all("--set"), &sc, &err)) {
        return bad_input("run", err);
    }
    if (args.has("--seeds")) {
        uint64_t first = 0, last = 0;
        if (!parse_seed_range(args.get("--seeds"), &first, &last)) {
            return bad_input("run",
                             "--seeds: expected A..B (A <= B), got '" + args.get("--seeds") + "'");
        }
        return run_seed_range(args, sc, first, last);
    }
    // Fail on an unwritable output before spending the run on it.
    for (const char* opt : {"--trace", "--history", "--logs"}) {
        if (args.has(opt) && !write_file(args.get(opt), "", &err)) return bad_input("run", err);
    }
    sim::World w(sc.scenario, seed);
    w.set_reproduce_command(reproduce_run(args, seed));
    w.record_trace = args.has("--trace");
    const int64_t duration = sc.scenario->duration_us;
    const int64_t until_us =
        until_ms < 0 ? duration
                     : std::min(duration, std::min(until_ms, duration / 1000 + 1) * 1000);
    w.run_until(until_us);
    if (w.limit_reached()) return bad_input("run", limit_message(args.positionals()[0], w));
    const sim::LinResult lin = timed_linearizability(w.history(), lin_ms);
    sim::SummaryOptions so;
    so.linearizability = &lin;
    so.pretty = !args.has("--compact");
    // The page opens the link at the moment the run stopped (a violation,
    // --until-ms), or plays it from the start when it ran to the end.
    so.link = share_link(sim::run_file_of(w, w.halted() || until_us < duration ? w.now_us() : -1),
                         sc.builtin_name);
    std::cout << sim::summary_json(w, so) << "\n";
    if (int code = write_outputs(w, args); code != kExitOk) return code;
    return run_exit_code(w, lin, until_us == duration);
}

namespace {

// A run archive (format/run_archive.h): re-simulates it and compares the
// digest and every stored checkpoint.
int replay_archive(const std::string& path, const std::string& bytes, bool with_summary) {
    sim::RunArchive archive;
    std::string err;
    if (!sim::decode_run_archive(bytes, path, &archive, &err)) return bad_input("replay", err);
    sim::ArchiveCheck check = sim::verify_run_archive(archive);
    if (check.world->limit_reached()) return bad_input("replay", limit_message(path, *check.world));
    sim::RunFile run;
    run.scenario = *archive.scenario;
    run.seed = archive.seed;
    run.inputs = archive.inputs;
    run.digest = archive.digest;
    std::cout << replay_report_json(*check.world, run, check.ok, with_summary,
                                    static_cast<int64_t>(check.checkpoints_checked))
              << "\n";
    if (!check.ok) {
        std::cerr << "raftplay replay: " << path << ": " << check.error << "\n";
        return kExitViolation;
    }
    return kExitOk;
}

}  // namespace

int cmd_replay(int argc, char** argv) {
    Args args;
    std::string err, text;
    if (!args.parse(argc, argv, 2, ArgSpec{{}, {"--summary"}, 1}, &err)) {
        return bad_input("replay", err);
    }
    if (args.help()) {
        std::cout << kReplayHelp;
        return kExitOk;
    }
    if (args.positionals().empty()) return bad_input("replay", "missing FILE (see --help)");
    const std::string path = args.positionals()[0];
    sim::RunFile run;
    if (!file_exists(path) && is_share_link(path)) {
        if (!run_from_link(path, &run, &err)) return bad_input("replay", err);
    } else if (!read_file(path, &text, &err, sim::kMaxArchiveBytes, "archive_bytes_max")) {
        return bad_input("replay", err);
    } else if (sim::is_run_archive(text)) {
        return replay_archive(path, text, args.has("--summary"));
    } else if (text.size() > sim::kMaxRunFileBytes) {
        return bad_input("replay",
                         path + ": limit run_file_bytes_max: " + std::to_string(text.size()) +
                             " bytes > " + std::to_string(sim::kMaxRunFileBytes));
    } else if (!sim::parse_run_file(text, path, &run, &err)) {
        return bad_input("replay", err);
    }
    auto scenario = std::make_shared<const sim::Scenario>(run.scenario);
    sim::World w(scenario, run.seed, run.inputs);
    w.set_reproduce_command(shell_quote(program_name()) + " replay " + shell_quote(path));
    w.record_trace = false;
    // As the page does: a run goes on past its script (the duration) up to
    // sim::kMaxOpenEndUs more; a cursor past that means there.
    const int64_t open_end_us = scenario->duration_us + sim::kMaxOpenEndUs;
    if (run.cursor_us > open_end_us) {
        std::cerr << "raftplay replay: " << path << ": cursor_us " << run.cursor_us
                  << " is past the end of the run's longest extension (duration "
                  << scenario->duration_us << " us + " << sim::kMaxOpenEndUs
                  << " us); replaying to there\n";
        run.cursor_us = open_end_us;
    }
    w.run_until(run.cursor_us >= 0 ? run.cursor_us : scenario->duration_us);
    if (w.limit_reached()) return bad_input("replay", limit_message(path, w));
    const std::string digest = w.digest_hex();
    // The triggers fire again from the scenario and seed: compare them with
    // the recorded firings (never applied as inputs, which would run twice).
    // A share link carries none (its digest covers them).
    const std::string fired =
        run.triggers_fired.empty()
            ? ""
            : sim::compare_fired(run.triggers_fired, w.fired_triggers(), w.now_us());
    const bool match = (run.digest.empty() || run.digest == digest) && fired.empty();
    std::cout << replay_report_json(w, run, match, args.has("--summary")) << "\n";
    if (!match) {
        if (!fired.empty()) std::cerr << "raftplay replay: trigger mismatch: " << fired << "\n";
        if (!run.digest.empty() && run.digest != digest)
            std::cerr << "raftplay replay: digest mismatch: recorded " << run.digest << ", got "
                      << digest << "\n";
        return kExitViolation;
    }
    return kExitOk;
}

}  // namespace cli
