// native/cli/cmd_figure16.cpp — `raftplay bench --figure16`: the Raft
// paper's Figure 16 (time to detect and replace a crashed leader) re-run on
// the simulator, beside the paper's own measurements.
//
// Every trial is one run of the built-in scenario figure-16 (plain Raft, 5
// nodes, two stale survivors, the leader crashed at a random point of its
// heartbeat interval) with the line's election timeout range and a heartbeat
// of half its minimum. The downtime is the time from the crash until every
// surviving server has received the new leader's first AppendEntries (the
// paper's "until the other servers received the new leader's first
// heartbeat"). Owns only the measurement and the table; the protocol and the
// world are the simulator's.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "native/cli/cli.h"
#include "native/cli/run_util.h"
#include "sim/world.h"

namespace cli {

namespace {

// The paper's lines, with its figures in ms (Ongaro's dissertation plots,
// leaderelection/benchmarks-{randomness,scale}.svg: one vertex per trial, so
// these are the trials' own statistics; they match the text's numbers:
// 150-155 median 287, 150-200 worst 513, 12-24 mean 35 and worst 152).
struct Line {
    int64_t min_ms, max_ms;
    int64_t trials;
    double paper_min, paper_median, paper_mean, paper_p99, paper_max;
    double target_pct;  // |median|, |mean| error allowed; 0: split-vote line
};
constexpr Line kLines[] = {
    {150, 150, 100, 9866, 40884, 54338, 255424, 528055, 0},
    {150, 151, 1000, 86.2, 1198, 1536, 5982, 8232, 0},
    {150, 155, 1000, 85.3, 287.3, 345.0, 1224, 2143, 0},
    {150, 175, 1000, 84.4, 141.0, 163.7, 462.5, 610.0, 15},
    {150, 200, 1000, 87.1, 146.4, 156.0, 344.7, 512.5, 15},
    {150, 300, 1000, 92.7, 171.2, 180.7, 405.4, 603.3, 15},
    {12, 24, 1000, 15.3, 30.0, 34.7, 86.8, 151.7, 30},
    {25, 50, 1000, 24.0, 43.0, 47.9, 118.0, 276.3, 15},
    {50, 100, 1000, 37.1, 66.7, 71.3, 168.0, 253.3, 15},
    {100, 200, 1000, 65.7, 120.1, 125.4, 272.8, 335.2, 15},
};
// A trial that elects nobody within this much simulated time after the
// crash counts as "no leader" (the paper's slowest 150-150 trial: 528 s).
constexpr int64_t kTrialLimitUs = 900'000'000;

const char* kFigure16Help = R"(usage: raftplay bench --figure16 [--trials N] [--jobs N] [--json]

The Raft paper's Figure 16 on the simulator: for each election timeout range
of the paper (150-150 ... 150-300 ms, 12-24 ... 100-200 ms), N trials (default
1000; 100 for 150-150 as in the paper) of the built-in scenario figure-16 with
that range and a heartbeat of half its minimum. Prints per line the downtime's
min / median / mean / p99 / max (ms) beside the paper's, and the median's and
mean's error. The target: within 15% on the lines whose randomness is at
least 25 ms, 30% on 12-24; the narrow lines (150-150/151/155) show split
votes but must still elect a leader in every trial. A trial that elects no
leader within 900 simulated seconds counts in no_leader. --json prints JSON.
)";

struct LineResult {
    std::vector<double> ms;  // downtime of each trial that elected a leader
    int64_t no_leader = 0;
};

// The downtime of one trial in µs, or -1 when no leader took over in time.
int64_t trial(const std::shared_ptr<const sim::Scenario>& s, uint64_t seed) {
    sim::World w(s, seed);
    int64_t crash_us = -1;
    raft::NodeId crashed = raft::kNone, leader = raft::kNone;
    raft::Term term = 0;
    uint32_t heard = 0;  // survivors that received the new leader's first append
    size_t seen = 0;
    while (w.step(s->duration_us)) {
        const auto trace = w.trace();
        for (; seen < trace.size(); seen++) {
            const sim::TraceRecord& r = trace[seen];
            if (r.kind == sim::TraceKind::kCrash && crash_us < 0) {
                crash_us = r.t_us;
                crashed = r.node;
            } else if (crash_us >= 0 && r.kind == sim::TraceKind::kRole &&
                       r.aux == static_cast<int64_t>(raft::Role::kLeader)) {
                leader = r.node;
                term = r.term;
                heard = 0;
            } else if (leader != raft::kNone && r.kind == sim::TraceKind::kDeliver &&
                       r.msg_type == static_cast<uint8_t>(raft::MsgType::kAppend) &&
                       r.peer == leader && r.term == term) {
                heard |= 1u << r.node;
            }
        }
        const uint32_t others = ((1u << s->cluster.node_count) - 1) & ~(1u << crashed) &
                                ~(leader == raft::kNone ? 0u : 1u << leader);
        if (leader != raft::kNone && (heard & others) == others) return w.now_us() - crash_us;
    }
    return -1;
}

std::shared_ptr<const sim::Scenario> line_scenario(const Line& l, std::string* err) {
    const auto ms = [](double x) {
        char b[32];
        std::snprintf(b, sizeof b, "%g", x);
        return std::string(b);
    };
    const std::vector<std::string> sets = {
        "cluster.election_timeout_ms=[" + ms(l.min_ms) + "," + ms(l.max_ms) + "]",
        "cluster.heartbeat_ms=" + ms(static_cast<double>(l.min_ms) / 2),
        "duration_ms=" + ms(1'100 + kTrialLimitUs / 1000)};
    LoadedScenario ls;
    if (!load_scenario("figure-16", sets, &ls, err)) return nullptr;
    return ls.scenario;
}

LineResult run_line(const std::shared_ptr<const sim::Scenario>& s, int64_t trials, int jobs) {
    std::vector<int64_t> us(static_cast<size_t>(trials));
    std::atomic<int64_t> next{0};
    auto work = [&] {
        for (int64_t k = next.fetch_add(1); k < trials; k = next.fetch_add(1))
            us[static_cast<size_t>(k)] = trial(s, static_cast<uint64_t>(k) + 1);
    };
    run_on_threads(jobs, work);
    LineResult r;
    for (int64_t x : us) {
        if (x < 0) {
            r.no_leader++;
        } else {
            r.ms.push_back(static_cast<double>(x) / 1000.0);
        }
    }
    std::sort(r.ms.begin(), r.ms.end());
    return r;
}

struct Stats {
    double min = 0, median = 0, mean = 0, p99 = 0, max = 0;
};
Stats stats_of(const std::vector<double>& v) {
    Stats s;
    if (v.empty()) return s;
    s.min = v.front();
    s.max = v.back();
    const size_t n = v.size();
    s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    s.p99 = v[std::min(n - 1, (n * 99 + 99) / 100 - 1)];
    double sum = 0;
    for (double x : v)
        sum += x;
    s.mean = sum / static_cast<double>(n);
    return s;
}

double err_pct(double ours, double paper) {
    return 100.0 * (ours - paper) / paper;
}

// Within target: the line's median and mean within target_pct of the
// paper's; a split-vote line only needs a leader in every trial.
bool within(const Line& l, const LineResult& r, const Stats& s) {
    if (r.no_leader > 0 || r.ms.empty()) return false;
    if (l.target_pct == 0) return true;
    return std::abs(err_pct(s.median, l.paper_median)) <= l.target_pct &&
           std::abs(err_pct(s.mean, l.paper_mean)) <= l.target_pct;
}

void print_table_row(const Line& l, const LineResult& r, const Stats& s) {
    std::printf(
        "%3lld-%-3lld %5zu %4lld | %8.1f %8.1f %8.1f %8.1f %8.1f | %8.1f %8.1f %8.1f "
        "%8.1f %8.1f | %+6.1f%% %+6.1f%%  %s\n",
        static_cast<long long>(l.min_ms), static_cast<long long>(l.max_ms), r.ms.size(),
        static_cast<long long>(r.no_leader), s.min, s.median, s.mean, s.p99, s.max, l.paper_min,
        l.paper_median, l.paper_mean, l.paper_p99, l.paper_max, err_pct(s.median, l.paper_median),
        err_pct(s.mean, l.paper_mean), within(l, r, s) ? "ok" : "MISS");
}

void print_json_row(const Line& l, const LineResult& r, const Stats& s, bool last) {
    std::printf(
        "    {\"range_ms\": [%lld, %lld], \"trials\": %zu, \"no_leader\": %lld, "
        "\"min\": %.1f, \"median\": %.1f, \"mean\": %.1f, \"p99\": %.1f, \"max\": %.1f, "
        "\"paper\": {\"min\": %.1f, \"median\": %.1f, \"mean\": %.1f, \"p99\": %.1f, "
        "\"max\": %.1f}, \"median_err_pct\": %.1f, \"mean_err_pct\": %.1f, "
        "\"target_pct\": %.0f, \"within_target\": %s}%s\n",
        static_cast<long long>(l.min_ms), static_cast<long long>(l.max_ms),
        r.ms.size() + static_cast<size_t>(r.no_leader), static_cast<long long>(r.no_leader), s.min,
        s.median, s.mean, s.p99, s.max, l.paper_min, l.paper_median, l.paper_mean, l.paper_p99,
        l.paper_max, err_pct(s.median, l.paper_median), err_pct(s.mean, l.paper_mean), l.target_pct,
        within(l, r, s) ? "true" : "false", last ? "" : ",");
}

}  // namespace

int cmd_figure16(const Args& args) {
    if (args.help()) {
        std::cout << kFigure16Help;
        return kExitOk;
    }
    int64_t trials = 1000, jobs = std::max(1u, std::thread::hardware_concurrency());
    if (args.has("--trials") &&
        (!parse_i64(args.get("--trials"), &trials) || trials < 1 || trials > 1'000'000))
        return bad_input("bench", "--trials: expected an integer in 1..1000000");
    if (args.has("--jobs") && (!parse_i64(args.get("--jobs"), &jobs) || jobs < 1 || jobs > 1024))
        return bad_input("bench", "--jobs: expected an integer in 1..1024");
    const bool json = args.has("--json");
    if (json) {
        std::printf("{\n  \"figure16\": [\n");
    } else {
        std::printf(
            "range    done none |  ours:min   median     mean      p99      max |"
            " paper:min   median     mean      p99      max | median   mean\n");
    }
    bool all_within = true;
    const size_t n = sizeof kLines / sizeof kLines[0];
    for (size_t i = 0; i < n; i++) {
        const Line& l = kLines[i];
        std::string err;
        const auto s = line_scenario(l, &err);
        if (!s) return bad_input("bench", err);
        const int64_t t = args.has("--trials") ? trials : std::min(trials, l.trials);
        const LineResult r = run_line(s, t, static_cast<int>(jobs));
        const Stats st = stats_of(r.ms);
        all_within = all_within && within(l, r, st);
        if (json) {
            print_json_row(l, r, st, i + 1 == n);
        } else {
            print_table_row(l, r, st);
        }
        std::fflush(stdout);
    }
    if (json) std::printf("  ],\n  \"all_within_target\": %s\n}\n", all_within ? "true" : "false");
    return kExitOk;
}

}  // namespace cli
