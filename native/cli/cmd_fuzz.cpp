// native/cli/cmd_fuzz.cpp — `raftplay fuzz`: many seeds of randomized fault
// schedules (check/fuzz.h), spread over worker threads.
//
// Each seed is an independent pure run, so workers share nothing but an
// atomic seed counter and a mutex-guarded failure list; the report is sorted
// by seed, so the output does not depend on thread timing (only the wall-time
// figures and, under --time-limit, how far the range got do). A failure is
// printed with its seed, a one-line reproduce command and a share link, and
// written as a run file.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include "check/fuzz.h"
#include "check/fuzz_report.h"
#include "format/json.h"
#include "native/cli/cli.h"
#include "native/cli/run_util.h"

namespace cli {

namespace {

const char* kFuzzHelp = R"(usage: raftplay fuzz [options]

Runs every seed of a range: the scenario plus a random fault schedule drawn
from the seed (kills, restarts, pauses, partitions, cut and clogged links,
loss, forced campaigns) — the safety phase — then everything healed and
restarted for a liveness phase that must converge (a live leader, every node
at the same applied index and kv hash). Safety invariants are checked after
every event, linearizability of the client history at the end.

options:
  --scenario S        base scenario (file or built-in name); default: 5 nodes,
                      10 clients at 200 ops/s over 100 keys, 6 s of faults
  --seeds A..B        seed range, inclusive (default 1..200)
  --shard I/N         run only shard I (0 <= I < N) of the range: the seeds
                      A+I, A+I+N, A+I+2N, ... (disjoint shards; merge their
                      --format jsonl outputs with `raftplay fuzz-report`)
  --format F          report as one JSON document (json, the default) or as
                      JSON lines (jsonl): one line per failure, then one for
                      the shard
  --jobs N            worker threads (default: all cores)
  --time-limit S      stop starting new seeds after S wall seconds
  --mutation NAME     enable a protocol mutation (repeatable): vote_without_persist,
                      commit_old_term, skip_up_to_date_check, follower_local_reads,
                      ack_before_fsync. commit_old_term needs the stage of the
                      paper's Figure 8 (a new leader's no-op normally commits
                      the old entries first): --scenario
                      tests/data/fuzz/figure-8-race.json (in the source tree)
  --set PATH=VALUE    override a field of the base scenario (repeatable)
  --safety-ms T       fault phase length (default: the scenario's duration)
  --liveness-ms T     liveness phase length (default 4000)
  --fault-gap-ms A..B time between faults (default 100..900)
  --first-fault-ms T  no fault before T ms (default 200)
  --out DIR           where failing runs are written (default fuzz-failures)
  --max-failures N    stop after N failures (default 10)
  --membership        membership changes and leadership transfers among the
                      faults: add_node, add_learner, promote, remove_node,
                      transfer_leader (a base without spare servers gets two)
  --no-lin            skip the linearizability check
  --dry-run           print each seed's generated scenario (one JSON line per
                      seed, ready for `raftplay run FILE --seed N`) and run nothing

Prints a JSON report on stdout; each failure also goes to stderr at once.
A failure carries its signature (the check that failed, the kind of the event
after which it failed, the role of that node), by which fuzz-report groups.
exit codes: 0 all seeds passed, 1 a safety or linearizability violation,
2 a liveness failure (and no violation), 3 bad input
)";

struct FuzzConfig {
    sim::Scenario base;
    std::string builtin;  // unused for links: a fuzz scenario is always embedded
    sim::FuzzOptions fuzz;
    sim::JudgeOptions judge;
    uint64_t first = 1, last = 200;
    uint32_t shard_index = 0, shard_count = 1;
    bool jsonl = false;
    int jobs = 1;
    int64_t time_limit_s = 0;
    int32_t max_failures = 10;
    std::string out_dir = "fuzz-failures";
    std::string reproduce_prefix;  // the command minus --seeds
};

struct Failure {
    uint64_t seed = 0;
    sim::Verdict verdict;
    sim::FailureSignature signature;
    std::string reproduce, replay, link, run_file;
};

struct Shared {
    std::atomic<uint64_t> next{0};
    std::atomic<uint64_t> ran{0};
    std::atomic<int32_t> failures{0};
    std::atomic<bool> stop{false};
    std::mutex mu;
    std::vector<Failure> found;
    std::string stop_reason;
};

using Clock = std::chrono::steady_clock;

// ---- option parsing ---------------------------------------------------------

bool parse_mutations(const Args& args, uint32_t* bits, std::string* err) {
    for (const std::string& name : args.all("--mutation")) {
        const uint32_t bit = raft::mutation_from_name(name);
        if (bit == 0) {
            *err = "--mutation: unknown mutation '" + name +
                   "' (known: vote_without_persist, commit_old_term, skip_up_to_date_check, "
                   "follower_local_reads, ack_before_fsync, single_server_bug, conf_on_commit, "
                   "count_learner_votes, transfer_keeps_proposing)";
            return false;
        }
        *bits |= bit;
    }
    return true;
}

bool load_base(const Args& args, FuzzConfig* c, std::string* err) {
    const std::vector<std::string> sets = args.all("--set");
    if (args.has("--scenario")) {
        LoadedScenario sc;
        if (!load_scenario(args.get("--scenario"), sets, &sc, err)) return false;
        c->base = *sc.scenario;
        return true;
    }
    const std::string text = sim::scenario_to_json(sim::fuzz_base_scenario());
    return sim::parse_scenario(text, "fuzz base scenario", sets, &c->base, err);
}

bool parse_gap(const Args& args, sim::FuzzOptions* fo, std::string* err) {
    if (!args.has("--fault-gap-ms")) return true;
    uint64_t lo = 0, hi = 0;
    if (!parse_seed_range(args.get("--fault-gap-ms"), &lo, &hi) || lo < 1 || hi > 3'600'000) {
        *err = "--fault-gap-ms: expected A..B in ms (1 <= A <= B), got '" +
               args.get("--fault-gap-ms") + "'";
        return false;
    }
    fo->fault_gap_us_min = static_cast<int64_t>(lo) * 1000;
    fo->fault_gap_us_max = static_cast<int64_t>(hi) * 1000;
    return true;
}

bool parse_numbers(const Args& args, FuzzConfig* c, std::string* err) {
    int64_t v = 0;
    if (args.has("--seeds") && !parse_seed_range(args.get("--seeds"), &c->first, &c->last)) {
        *err = "--seeds: expected A..B (A <= B) or N, got '" + args.get("--seeds") + "'";
        return false;
    }
    std::string why;
    if (args.has("--shard") &&
        !sim::parse_shard(args.get("--shard"), &c->shard_index, &c->shard_count, &why)) {
        *err = "--shard: " + why;
        return false;
    }
    const std::string format = args.get("--format", "json");
    if (format != "json" && format != "jsonl") {
        *err = "--format: expected json or jsonl, got '" + format + "'";
        return false;
    }
    c->jsonl = format == "jsonl";
    const unsigned hw = std::thread::hardware_concurrency();
    c->jobs = hw == 0 ? 1 : static_cast<int>(hw);
    if (args.has("--jobs")) {
        if (!parse_i64(args.get("--jobs"), &v) || v < 1 || v > 1024) {
            *err = "--jobs: expected 1..1024";
            return false;
        }
        c->jobs = static_cast<int>(v);
    }
    struct Num {
        const char* name;
        int64_t lo, hi, scale;
        int64_t* out;
    };
    int64_t max_failures = c->max_failures;
    const Num nums[] = {
        {"--time-limit", 0, 86'400, 1, &c->time_limit_s},
        {"--safety-ms", 1, 3'600'000, 1000, &c->fuzz.safety_us},
        {"--liveness-ms", 0, 3'600'000, 1000, &c->fuzz.liveness_us},
        {"--first-fault-ms", 0, 3'600'000, 1000, &c->fuzz.first_fault_us},
        {"--max-failures", 1, 1'000'000, 1, &max_failures},
    };
    for (const Num& n : nums) {
        if (!args.has(n.name)) continue;
        if (!parse_i64(args.get(n.name), &v) || v < n.lo || v > n.hi) {
            *err = std::string(n.name) + ": expected an integer in " + std::to_string(n.lo) + ".." +
                   std::to_string(n.hi) + ", got '" + args.get(n.name) + "'";
            return false;
        }
        *n.out = v * n.scale;
    }
    c->max_failures = static_cast<int32_t>(max_failures);
    return parse_gap(args, &c->fuzz, err);
}

std::string reproduce_prefix(const Args& args) {
    std::string cmd = shell_quote(program_name()) + " fuzz";
    for (const char* opt :
         {"--scenario", "--safety-ms", "--liveness-ms", "--fault-gap-ms", "--first-fault-ms"}) {
        if (args.has(opt)) cmd += std::string(" ") + opt + " " + shell_quote(args.get(opt));
    }
    for (const char* opt : {"--set", "--mutation"}) {
        for (const std::string& v : args.all(opt))
            cmd += std::string(" ") + opt + " " + shell_quote(v);
    }
    if (args.has("--no-lin")) cmd += " --no-lin";
    if (args.has("--membership")) cmd += " --membership";
    return cmd;
}

// ---- running ----------------------------------------------------------------

// Re-runs a failing seed to record its digest, and writes it as a run file.
Failure describe_failure(const FuzzConfig& c, uint64_t seed, const sim::Scenario& s,
                         const sim::Verdict& v) {
    Failure f;
    f.seed = seed;
    f.verdict = v;
    // The run again, with its trace for a safety failure's signature (the
    // event before the violation).
    sim::World w(std::make_shared<const sim::Scenario>(s), seed);
    w.record_trace = v.outcome == sim::Outcome::kSafety;
    w.run_to_end();
    const sim::RunFile run =
        sim::run_file_of(w, v.outcome == sim::Outcome::kSafety ? w.now_us() : -1);
    f.signature = sim::failure_signature(w, v);
    f.reproduce = c.reproduce_prefix + " --seeds " + std::to_string(seed);
    f.link = share_link(run, "");
    f.run_file = c.out_dir + "/seed-" + std::to_string(seed) + ".run.json";
    std::error_code ec;
    std::filesystem::create_directories(c.out_dir, ec);
    std::string err;
    if (!write_file(f.run_file, sim::run_file_to_json(run) + "\n", &err)) {
        std::cerr << "raftplay fuzz: " << err << "\n";
        f.run_file.clear();
    }
    f.replay = f.run_file.empty() ? "" : shell_quote(program_name()) + " replay " + f.run_file;
    return f;
}

void report_failure(const Failure& f) {
    std::cerr << "FAIL seed " << f.seed << ": " << sim::outcome_name(f.verdict.outcome) << " at "
              << f.verdict.t_us << " us: " << f.verdict.what << "\n"
              << "  signature: " << f.signature.check << " / " << f.signature.event << " / "
              << f.signature.role << "\n"
              << "  reproduce: " << f.reproduce << "\n";
    if (!f.replay.empty()) std::cerr << "  replay:    " << f.replay << "\n";
    std::cerr << "  shrink:    " << shell_quote(program_name()) << " shrink " << f.run_file << "\n"
              << "  link:      " << f.link << "\n";
}

void worker(const FuzzConfig& c, Shared& sh, Clock::time_point t0) {
    // 0: the full 2^64 range in one shard.
    const uint64_t count = sim::shard_seed_count(c.first, c.last, c.shard_index, c.shard_count);
    while (!sh.stop.load()) {
        const uint64_t k = sh.next.fetch_add(1);
        if (count != 0 && k >= count) return;
        if (c.time_limit_s > 0 && Clock::now() - t0 > std::chrono::seconds(c.time_limit_s)) {
            std::lock_guard<std::mutex> lock(sh.mu);
            sh.stop_reason = "time_limit";
            sh.stop = true;
            return;
        }
        const uint64_t seed = sim::shard_seed(c.first, c.shard_index, c.shard_count, k);
        const sim::Scenario s = sim::make_fuzz_scenario(c.base, seed, c.fuzz);
        const sim::Verdict v =
            sim::run_and_judge(std::make_shared<const sim::Scenario>(s), seed, c.judge,
                               c.reproduce_prefix + " --seeds " + std::to_string(seed));
        sh.ran++;
        if (v.outcome == sim::Outcome::kOk) continue;
        Failure f = describe_failure(c, seed, s, v);
        std::lock_guard<std::mutex> lock(sh.mu);
        report_failure(f);
        sh.found.push_back(std::move(f));
        if (static_cast<int32_t>(sh.found.size()) >= c.max_failures) {
            sh.stop_reason = "max_failures";
            sh.stop = true;
        }
    }
}

void run_workers(const FuzzConfig& c, Shared& sh) {
    const Clock::time_point t0 = Clock::now();
#ifdef __EMSCRIPTEN__
    worker(c, sh, t0);  // no threads in the node build
#else
    std::vector<std::thread> threads;
    for (int i = 0; i < c.jobs; i++)
        threads.emplace_back([&c, &sh, t0] { worker(c, sh, t0); });
    for (std::thread& t : threads)
        t.join();
#endif
}

// ---- report -----------------------------------------------------------------

void write_failure(sim::JsonWriter& out, const Failure& f) {
    out.begin_object();
    out.key("seed").uinteger(f.seed);
    out.key("outcome").string(sim::outcome_name(f.verdict.outcome));
    out.key("what").string(f.verdict.what);
    out.key("t_us").integer(f.verdict.t_us);
    out.key("signature").begin_object();
    out.key("check").string(f.signature.check);
    out.key("event").string(f.signature.event);
    out.key("role").string(f.signature.role);
    out.end_object();
    out.key("reproduce").string(f.reproduce);
    out.key("replay").string(f.replay);
    out.key("run_file").string(f.run_file);
    out.key("link").string(f.link);
    out.end_object();
}

std::vector<std::string> mutation_names(uint32_t mutations) {
    std::vector<std::string> names;
    for (uint32_t bit = 1; bit != 0 && bit <= mutations; bit <<= 1) {
        if (mutations & bit) names.emplace_back(raft::mutation_name(bit));
    }
    return names;
}

std::string fuzz_report(const FuzzConfig& c, const Shared& sh, double wall_s) {
    sim::JsonWriter out(sim::JsonDialect::kReport, sim::JsonWriter::kPretty);
    out.begin_object();
    out.key("scenario").string(c.base.name);
    out.key("seeds").string((std::to_string(c.first) + ".." + std::to_string(c.last)).c_str());
    if (c.shard_count > 1)
        out.key("shard").string(std::to_string(c.shard_index) + "/" +
                                std::to_string(c.shard_count));
    out.key("seeds_run").uinteger(sh.ran.load());
    out.key("jobs").integer(c.jobs);
    out.key("mutations").begin_array();
    for (const std::string& name : mutation_names(c.fuzz.mutations))
        out.string(name);
    out.end_array();
    out.key("wall_s").number(wall_s);
    out.key("seeds_per_s").number(wall_s > 0 ? static_cast<double>(sh.ran.load()) / wall_s : 0.0);
    out.key("stopped");
    if (sh.stop_reason.empty()) {
        out.null();
    } else {
        out.string(sh.stop_reason);
    }
    out.key("failures").begin_array();
    for (const Failure& f : sh.found)
        write_failure(out, f);
    out.end_array();
    out.end_object();
    return out.take();
}

// --format jsonl: a line per failure, then the shard's line.
std::string fuzz_lines(const FuzzConfig& c, const Shared& sh, double wall_s) {
    std::string text;
    for (const Failure& f : sh.found) {
        const sim::FuzzFailure line{f.seed,         f.verdict.outcome, f.verdict.what,
                                    f.verdict.t_us, f.signature,       f.reproduce,
                                    f.replay,       f.run_file,        f.link};
        text += sim::fuzz_failure_line(line) + "\n";
    }
    sim::FuzzShard shard;
    shard.scenario = c.base.name;
    shard.first = c.first;
    shard.last = c.last;
    shard.index = c.shard_index;
    shard.count = c.shard_count;
    shard.mutations = mutation_names(c.fuzz.mutations);
    shard.seeds_run = sh.ran.load();
    shard.seeds_total = sim::shard_seed_count(c.first, c.last, c.shard_index, c.shard_count);
    shard.wall_s = wall_s;
    shard.stopped = sh.stop_reason;
    return text + sim::fuzz_shard_line(shard) + "\n";
}

int fuzz_exit_code(const std::vector<Failure>& found) {
    int code = kExitOk;
    for (const Failure& f : found)
        code = std::max(code, sim::outcome_exit_code(f.verdict.outcome) == 1 ? 10 : 2);
    return code == 10 ? kExitViolation : code;
}

}  // namespace

int cmd_fuzz(int argc, char** argv) {
    Args args;
    std::string err;
    const ArgSpec spec{{"--scenario", "--seeds", "--jobs", "--time-limit", "--mutation", "--set",
                        "--safety-ms", "--liveness-ms", "--out", "--max-failures", "--fault-gap-ms",
                        "--first-fault-ms", "--shard", "--format"},
                       {"--no-lin", "--dry-run", "--membership"},
                       0};
    if (!args.parse(argc, argv, 2, spec, &err)) return bad_input("fuzz", err);
    if (args.help()) {
        std::cout << kFuzzHelp;
        return kExitOk;
    }
    FuzzConfig c;
    if (!parse_mutations(args, &c.fuzz.mutations, &err) || !parse_numbers(args, &c, &err) ||
        !load_base(args, &c, &err)) {
        return bad_input("fuzz", err);
    }
    c.fuzz.membership = args.has("--membership");
    if (args.has("--dry-run")) {
        const uint64_t n = sim::shard_seed_count(c.first, c.last, c.shard_index, c.shard_count);
        for (uint64_t k = 0;; k++) {
            const uint64_t seed = sim::shard_seed(c.first, c.shard_index, c.shard_count, k);
            std::cout << sim::scenario_to_json(sim::make_fuzz_scenario(c.base, seed, c.fuzz))
                      << "\n";
            if (k + 1 == n) break;  // n == 0: the full 2^64 range
        }
        return kExitOk;
    }
    c.judge.check_linearizability = !args.has("--no-lin");
    c.out_dir = args.get("--out", c.out_dir);
    c.reproduce_prefix = reproduce_prefix(args);
    Shared sh;
    const Clock::time_point t0 = Clock::now();
    run_workers(c, sh);
    const double wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
    std::sort(sh.found.begin(), sh.found.end(),
              [](const Failure& a, const Failure& b) { return a.seed < b.seed; });
    std::cout << (c.jsonl ? fuzz_lines(c, sh, wall_s) : fuzz_report(c, sh, wall_s) + "\n");
    if (sh.found.empty() && (c.fuzz.mutations & raft::kMutCommitOldTerm) &&
        c.base.name != "figure-8-race") {
        std::cerr << "raftplay fuzz: no failure. commit_old_term only shows when a leader can "
                     "count replicas of an old-term entry before its own no-op commits: try "
                     "--scenario tests/data/fuzz/figure-8-race.json\n";
    }
    return fuzz_exit_code(sh.found);
}

}  // namespace cli
