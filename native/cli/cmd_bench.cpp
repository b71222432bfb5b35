// native/cli/cmd_bench.cpp — `raftplay bench`: the benchmark figures as one
// JSON object (scripts/bench runs it natively and under node).
//
// Figures: the world's event queue alone (sim::EventQueue in a standalone
// loop), the standard workload through a plain World and through a
// Timeline (checkpoint memory, random seeks), fuzz throughput on all cores,
// and the linearizability check of a 10,000-operation history. Wall time is
// measured here with std::chrono; the simulation never sees it. The digest of
// the standard workload must be equal in every build.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>
#include <vector>

#include "base/rng.h"
#include "check/fuzz.h"
#include "check/linearizability.h"
#include "format/json.h"
#include "native/cli/cli.h"
#include "native/cli/run_util.h"
#include "sim/timeline.h"
#include "sim/world.h"

namespace cli {

namespace {

const char* kBenchHelp = R"(usage: raftplay bench [options]

Prints the benchmark figures as one JSON object: build, profile_guided
(whether raft/ and sim/ were optimized from a training profile), queue_events_per_s
(the world's event queue alone), and for the standard workload (5 nodes, election
150-300 ms, heartbeat 50 ms, links 1-10 ms, fsync 1-5 ms, 10 clients, 200
puts/s of 16-byte values over 1,000 keys, no faults, 10 simulated minutes):
sim_events_per_s, delivered_msgs_per_s, sim_seconds_per_wall_second,
checkpoint_bytes_per_sim_minute, seek_ms_p50, seek_ms_p99 (1,000 random
seeks), digest, put_latency_ms_via_{leader,follower}_{p50,p99} (puts the
leader took directly, and puts a follower forwarded); plus fuzz_seeds_per_s (10 s standard-workload fuzz runs on
all cores: the median of --fuzz-rounds rounds of the same seeds, each round's
rate in fuzz_rounds_seeds_per_s) and linearizability_10k_ms.

The queue and the standard workload run in --rounds rounds (each round times
the queue, then the workload): the figures are the medians, the ratio
sim_vs_queue_pct the median of each round's own ratio, and every round's
figures are listed (sim_rounds_events_per_s, queue_rounds_events_per_s). The
digest must be the same in every round (sim_rounds_digests_equal).

options:
  --minutes N     simulated minutes of the standard workload (default 10)
  --rounds N      rounds of the queue and the standard workload (default 3)
  --seeks N       random seeks (default 1000)
  --fuzz-seeds N  fuzz seeds per round (default 400)
  --fuzz-rounds N rounds of those seeds; the median rate is reported (default 3)
  --jobs N        fuzz worker threads (default: all cores)
  --quick         --minutes 1 --rounds 1 --seeks 100 --fuzz-seeds 40 --fuzz-rounds 1
                  (a smoke test)
  --figure16      the Raft paper's Figure 16 instead (see raftplay bench --figure16 --help)
  --count-run     one run of the standard workload and nothing else (for an
                  instruction counter: scripts/bench-instructions), with
                  --sim-ms T (default 10000), --nodes N (5), --rate R puts/s
                  (200); prints its events, delivered messages, digest,
                  wall_s and events_per_s (with --warmup: of a second run
                  after an untimed first one)

exit codes: 0 ok, 1 the standard workload's digest differed between rounds or
from the timeline's (a determinism bug), 3 bad input
)";

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct BenchConfig {
    int64_t minutes = 10;
    int64_t rounds = 3;
    int64_t seeks = 1000;
    int64_t fuzz_seeds = 400;
    int64_t fuzz_rounds = 3;
    int jobs = 1;
};

// ---- the bare event queue -----------------------------------------------------

// The world's own queue (sim::EventQueue) with nothing behind it: pops the
// earliest event and pushes a successor a sampled delay later, with about as
// many events pending as the standard workload keeps (59 on average).
double queue_events_per_s() {
    constexpr int kPending = 64;
    constexpr int64_t kEvents = 20'000'000;
    base::Rng rng(42);
    sim::EventQueue queue;
    uint64_t seq = 0;
    auto event = [&](int64_t t_us, int32_t node) {
        sim::Event e;
        e.t_us = t_us;
        e.seq = seq++;
        e.node = node;
        return e;
    };
    for (int i = 0; i < kPending; i++)
        queue.push(event(rng.range(0, 10'000), i));
    int64_t checksum = 0;
    const Clock::time_point t0 = Clock::now();
    for (int64_t i = 0; i < kEvents; i++) {
        const sim::Event e = queue.pop();
        checksum += e.node;
        queue.push(event(e.t_us + rng.range(1'000, 10'000), e.node));
    }
    const double s = seconds_since(t0);
    if (checksum == -1) std::cerr << "";  // keeps the loop observable
    return static_cast<double>(kEvents) / s;
}

// ---- the standard workload ----------------------------------------------------

std::shared_ptr<const sim::Scenario> standard_workload(int64_t duration_us, int32_t nodes = 5,
                                                       int64_t puts_per_s = 200) {
    auto s = std::make_shared<sim::Scenario>();
    s->name = "bench-standard";
    s->cluster.node_count = nodes;
    s->cluster.election_timeout_us_min = 150'000;
    s->cluster.election_timeout_us_max = 300'000;
    s->cluster.heartbeat_us = 50'000;
    s->network.latency_us_min = 1'000;
    s->network.latency_us_max = 10'000;
    s->disk.fsync_us_min = 1'000;
    s->disk.fsync_us_max = 5'000;
    s->workload.clients = 10;
    s->workload.rate_per_s = puts_per_s;
    s->workload.put_ppm = sim::kPpm;
    s->workload.get_ppm = s->workload.delete_ppm = s->workload.cas_ppm = 0;
    s->workload.value_bytes = 16;
    s->workload.keys = 1000;
    s->duration_us = duration_us;
    return s;
}

struct StandardRun {
    double wall_s = 0;
    int64_t events = 0, delivered = 0;
    std::string digest;
    // Put latency (ms) of the operations the leader took directly and of
    // those a follower forwarded (the client talked to a follower).
    std::vector<double> via_leader_ms, via_follower_ms;
};

double pct(std::vector<double> v, int p);

// Which node led at time t (the latest leader record before it).
raft::NodeId leader_at(const sim::World& w, int64_t t_us) {
    raft::NodeId who = raft::kNone;
    for (const sim::LeaderRecord& l : w.leaders()) {
        if (l.at_us > t_us) break;
        who = l.node;
    }
    return who;
}

void put_latencies(const sim::World& w, StandardRun* r) {
    for (const sim::HistoryOp& op : w.history()) {
        if (op.op != raft::OpType::kPut || op.status != sim::OpStatus::kOk) continue;
        const double ms = static_cast<double>(op.complete_us - op.invoke_us) / 1000.0;
        const raft::NodeId leader = leader_at(w, op.invoke_us);
        if (leader == raft::kNone) continue;
        (op.node == leader ? r->via_leader_ms : r->via_follower_ms).push_back(ms);
    }
}

StandardRun run_standard(int64_t duration_us, int32_t nodes = 5, int64_t puts_per_s = 200) {
    sim::World w(standard_workload(duration_us, nodes, puts_per_s), 1);
    w.record_trace = false;
    const Clock::time_point t0 = Clock::now();
    w.run_to_end();
    StandardRun r;
    r.wall_s = seconds_since(t0);
    r.events = w.events();
    r.delivered = w.counts().delivered;
    r.digest = w.digest_hex();
    put_latencies(w, &r);
    return r;
}

struct TimelineRun {
    double wall_s = 0;
    size_t checkpoint_bytes = 0;
    double seek_ms_p50 = 0, seek_ms_p99 = 0;
    std::string digest;
};

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const size_t mid = v.size() / 2;
    return v.size() % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2.0;
}

void write_array(sim::JsonWriter& w, const std::vector<double>& v) {
    w.begin_array();
    for (double x : v)
        w.number(x);
    w.end_array();
}

double pct(std::vector<double> v, int p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const size_t rank = std::max<size_t>(1, (v.size() * static_cast<size_t>(p) + 99) / 100);
    return v[std::min(rank, v.size()) - 1];
}

TimelineRun run_timeline(int64_t duration_us, int64_t seeks) {
    sim::TimelineOptions o;
    o.record_trace = false;
    sim::Timeline tl(standard_workload(duration_us), 1, {}, o);
    TimelineRun r;
    const Clock::time_point t0 = Clock::now();
    tl.run_until(duration_us);
    r.wall_s = seconds_since(t0);
    r.digest = tl.world().digest_hex();
    r.checkpoint_bytes = tl.checkpoint_bytes();
    base::Rng rng(7);
    std::vector<double> ms;
    for (int64_t i = 0; i < seeks; i++) {
        const int64_t t = rng.range(0, duration_us);
        const Clock::time_point s0 = Clock::now();
        tl.seek_time(t);
        ms.push_back(seconds_since(s0) * 1000.0);
    }
    r.seek_ms_p50 = pct(ms, 50);
    r.seek_ms_p99 = pct(ms, 99);
    return r;
}

// ---- fuzz throughput and the linearizability checker ----------------------------

double fuzz_seeds_per_s(int64_t seeds, int jobs) {
    sim::Scenario base = *standard_workload(6'000'000);
    sim::FuzzOptions fo;
    fo.liveness_us = 4'000'000;  // 10 s in all
    std::atomic<int64_t> next{0};
    auto work = [&] {
        for (int64_t k = next.fetch_add(1); k < seeds; k = next.fetch_add(1)) {
            const uint64_t seed = static_cast<uint64_t>(k) + 1;
            auto s = std::make_shared<const sim::Scenario>(sim::make_fuzz_scenario(base, seed, fo));
            sim::run_and_judge(s, seed, sim::JudgeOptions{});
        }
    };
    const Clock::time_point t0 = Clock::now();
    run_on_threads(jobs, work);
    return static_cast<double>(seeds) / seconds_since(t0);
}

double linearizability_10k_ms(std::string* verdict) {
    const sim::History h = sim::generate_linearizable_history(10'000, 10, 100, 1);
    const Clock::time_point t0 = Clock::now();
    const sim::LinResult r = sim::check_linearizable(h, 100'000'000);
    const double ms = seconds_since(t0) * 1000.0;
    *verdict = sim::lin_verdict_name(r.verdict);
    return ms;
}

// --count-run: one standard-workload run and nothing else, for an
// instruction counter (scripts/bench-instructions runs it under callgrind,
// counting inside run_standard only). Prints what the counts are divided by.
int count_run(const Args& args) {
    int64_t ms = 10'000, nodes = 5, rate = 200;
    const struct {
        const char* name;
        int64_t lo, hi;
        int64_t* out;
    } nums[] = {{"--sim-ms", 1, 3'600'000, &ms},
                {"--nodes", 1, raft::kMaxNodes, &nodes},
                {"--rate", 0, 100'000, &rate}};
    for (const auto& n : nums) {
        if (args.has(n.name) &&
            (!parse_i64(args.get(n.name), n.out) || *n.out < n.lo || *n.out > n.hi)) {
            return bad_input("bench", std::string(n.name) + ": expected an integer in " +
                                          std::to_string(n.lo) + ".." + std::to_string(n.hi));
        }
    }
    // --warmup: the same run once before, untimed (a JIT's tier-up and the
    // allocator's first growth are then behind the timed run, as they are
    // behind a page that has been open for a few seconds).
    if (args.has("--warmup")) run_standard(ms * 1000, static_cast<int32_t>(nodes), rate);
    const StandardRun r = run_standard(ms * 1000, static_cast<int32_t>(nodes), rate);
    sim::JsonWriter w(sim::JsonDialect::kReport);
    w.begin_object();
    w.key("nodes").integer(nodes);
    w.key("puts_per_s").integer(rate);
    w.key("sim_ms").integer(ms);
    w.key("events").integer(r.events);
    w.key("delivered").integer(r.delivered);
    w.key("digest").string(r.digest);
    // Wall-clock, the run alone: scripts/bench pairs native and WebAssembly
    // runs with it (the counts above never move; this does).
    w.key("wall_s").number(r.wall_s);
    w.key("events_per_s").number(r.wall_s > 0 ? static_cast<double>(r.events) / r.wall_s : 0);
    w.end_object();
    std::cout << w.take() << "\n";
    return kExitOk;
}

bool parse_bench_args(const Args& args, BenchConfig* c, std::string* err) {
    if (args.has("--quick")) {
        c->minutes = 1;
        c->rounds = 1;
        c->seeks = 100;
        c->fuzz_seeds = 40;
        c->fuzz_rounds = 1;
    }
    const unsigned hw = std::thread::hardware_concurrency();
    c->jobs = hw == 0 ? 1 : static_cast<int>(hw);
    int64_t jobs = c->jobs;
    struct Num {
        const char* name;
        int64_t lo, hi;
        int64_t* out;
    } nums[] = {
        {"--minutes", 1, 600, &c->minutes},         {"--rounds", 1, 100, &c->rounds},
        {"--seeks", 0, 1'000'000, &c->seeks},       {"--fuzz-seeds", 1, 1'000'000, &c->fuzz_seeds},
        {"--fuzz-rounds", 1, 100, &c->fuzz_rounds}, {"--jobs", 1, 1024, &jobs}};
    for (const Num& n : nums) {
        if (args.has(n.name) &&
            (!parse_i64(args.get(n.name), n.out) || *n.out < n.lo || *n.out > n.hi)) {
            *err = std::string(n.name) + ": expected an integer in " + std::to_string(n.lo) + ".." +
                   std::to_string(n.hi);
            return false;
        }
    }
    c->jobs = static_cast<int>(jobs);
    return true;
}

}  // namespace

int cmd_bench(int argc, char** argv) {
    Args args;
    std::string err;
    const ArgSpec spec{{"--minutes", "--rounds", "--seeks", "--fuzz-seeds", "--fuzz-rounds",
                        "--jobs", "--trials", "--sim-ms", "--nodes", "--rate"},
                       {"--quick", "--figure16", "--json", "--count-run", "--warmup"},
                       0};
    if (!args.parse(argc, argv, 2, spec, &err)) return bad_input("bench", err);
    if (args.has("--figure16")) return cmd_figure16(args);
    if (args.has("--count-run") && !args.help()) return count_run(args);
    if (args.help()) {
        std::cout << kBenchHelp;
        return kExitOk;
    }
    BenchConfig c;
    if (!parse_bench_args(args, &c, &err)) return bad_input("bench", err);
    const int64_t duration_us = c.minutes * 60'000'000;
    // The machine's speed drifts by tens of percent from second to second
    // (a shared VM): every figure is timed in rounds and the median kept; a
    // ratio is taken within a round, where both sides saw the same machine.
    std::vector<double> queue_rounds, sim_rounds, ratio_rounds, wall_rounds;
    StandardRun sr;
    bool digests_equal = true;
    for (int64_t r = 0; r < c.rounds; r++) {
        const double queue = queue_events_per_s();
        const StandardRun run = run_standard(duration_us);
        if (r > 0 && run.digest != sr.digest) digests_equal = false;
        sr = run;
        const double sim = static_cast<double>(run.events) / run.wall_s;
        queue_rounds.push_back(queue);
        sim_rounds.push_back(sim);
        ratio_rounds.push_back(100.0 * sim / queue);
        wall_rounds.push_back(run.wall_s);
    }
    const double wall_s = median(wall_rounds);
    const TimelineRun tr = run_timeline(duration_us, c.seeks);
    std::vector<double> fuzz_rounds;
    for (int64_t r = 0; r < c.fuzz_rounds; r++)
        fuzz_rounds.push_back(fuzz_seeds_per_s(c.fuzz_seeds, c.jobs));
    const double fuzz = median(fuzz_rounds);
    std::string lin_verdict;
    const double lin_ms = linearizability_10k_ms(&lin_verdict);

    sim::JsonWriter w(sim::JsonDialect::kReport, sim::JsonWriter::kPretty);
    w.begin_object();
    w.key("build");
#ifdef __EMSCRIPTEN__
    w.string("wasm");
#else
    w.string("native");
#endif
    // Whether raft/ and sim/ were optimized from a training profile
    // (scripts/build-native); the wasm build never is.
    w.key("profile_guided");
#ifdef RAFTPLAY_PGO_STATE
    w.string(RAFTPLAY_PGO_STATE);
#else
    w.string("off");
#endif
    w.key("queue_events_per_s").number(median(queue_rounds));
    w.key("sim_minutes").integer(c.minutes);
    w.key("events").integer(sr.events);
    w.key("sim_events_per_s").number(median(sim_rounds));
    w.key("sim_vs_queue_pct").number(median(ratio_rounds));
    w.key("delivered_msgs_per_s").number(static_cast<double>(sr.delivered) / wall_s);
    w.key("sim_seconds_per_wall_second").number(static_cast<double>(duration_us) / 1e6 / wall_s);
    w.key("sim_rounds").integer(c.rounds);
    w.key("sim_rounds_events_per_s");
    write_array(w, sim_rounds);
    w.key("queue_rounds_events_per_s");
    write_array(w, queue_rounds);
    w.key("sim_rounds_digests_equal").boolean(digests_equal);
    // Commit propagation: a put through a follower waits for the follower
    // to learn the commit; it should cost about one more round trip, not a
    // heartbeat (issue 14, item 2).
    w.key("put_latency_ms_via_leader_p50").number(pct(sr.via_leader_ms, 50));
    w.key("put_latency_ms_via_leader_p99").number(pct(sr.via_leader_ms, 99));
    w.key("put_latency_ms_via_follower_p50").number(pct(sr.via_follower_ms, 50));
    w.key("put_latency_ms_via_follower_p99").number(pct(sr.via_follower_ms, 99));
    w.key("timeline_sim_seconds_per_wall_second")
        .number(static_cast<double>(duration_us) / 1e6 / tr.wall_s);
    w.key("checkpoint_bytes_per_sim_minute")
        .number(static_cast<double>(tr.checkpoint_bytes) / static_cast<double>(c.minutes));
    w.key("seeks").integer(c.seeks);
    w.key("seek_ms_p50").number(tr.seek_ms_p50);
    w.key("seek_ms_p99").number(tr.seek_ms_p99);
    w.key("digest").string(sr.digest);
    w.key("timeline_digest_matches").boolean(tr.digest == sr.digest);
    w.key("fuzz_jobs");
#ifdef __EMSCRIPTEN__
    w.integer(1);
#else
    w.integer(c.jobs);
#endif
    w.key("fuzz_seeds_per_s").number(fuzz);
    w.key("fuzz_rounds_seeds_per_s");
    write_array(w, fuzz_rounds);
    w.key("linearizability_10k_ms").number(lin_ms);
    w.key("linearizability_10k_verdict").string(lin_verdict);
    w.end_object();
    std::cout << w.take() << "\n";
    if (!digests_equal || tr.digest != sr.digest) {
        // The same run twice reached different states: a determinism bug.
        std::cerr << "raftplay bench: the standard workload's digest differs between "
                  << (digests_equal ? "the plain world and the timeline" : "rounds") << "\n";
        return kExitViolation;
    }
    return kExitOk;
}

}  // namespace cli
