// native/cli/run_util.cpp — timed linearizability, share links, replay
// report (see run_util.h).
#include "native/cli/run_util.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

#include "format/json.h"
#include "format/summary.h"

namespace cli {

uint64_t lin_budget_for_ms(int64_t time_limit_ms) {
    if (time_limit_ms <= 0) return 1;
    return static_cast<uint64_t>(time_limit_ms) * kLinStatesPerMs;
}

// Iterative deepening on the state budget: start small, multiply by 4 while
// the search runs out of budget and the next attempt is expected to fit in
// the time left (at the rate the last attempt achieved). Repeating the
// smaller searches costs at most a third more, and the verdict is still one
// the deterministic checker gave for some budget: never a wrong one.
sim::LinResult timed_linearizability(sim::HistoryView history, int64_t time_limit_ms) {
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    const uint64_t cap = lin_budget_for_ms(time_limit_ms);
    uint64_t budget = std::min<uint64_t>(cap, 10'000);
    sim::LinResult r;
    for (int attempt = 0; attempt < 32; attempt++) {
        const auto a0 = Clock::now();
        r = sim::check_linearizable(history, budget);
        const double attempt_ms =
            std::chrono::duration<double, std::milli>(Clock::now() - a0).count();
        const double total_ms =
            std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        const bool out_of_budget =
            r.verdict == sim::LinResult::kUnknown && r.states_explored >= budget;
        if (!out_of_budget || budget >= cap) break;
        const uint64_t next = std::min(cap, budget * 4);
        const double next_ms = attempt_ms * static_cast<double>(next) / static_cast<double>(budget);
        if (total_ms + next_ms > static_cast<double>(time_limit_ms)) break;
        budget = next;
    }
    r.ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    return r;
}

std::string share_link(const sim::RunFile& run, const std::string& builtin_name) {
    const char* page = std::getenv("RAFTPLAY_PAGE_URL");
    const std::string base = page != nullptr && *page != '\0' ? page : "index.html";
    return base + "#" + sim::encode_fragment(run, builtin_name);
}

sim::RunFile failing_run(const sim::Scenario& s, uint64_t seed, sim::Outcome outcome) {
    sim::World w(std::make_shared<const sim::Scenario>(s), seed);
    w.record_trace = false;
    w.run_to_end();
    return sim::run_file_of(w, outcome == sim::Outcome::kSafety ? w.now_us() : -1);
}

std::string replay_report_json(const sim::World& w, const sim::RunFile& run, bool match,
                               bool with_summary, int64_t checkpoints_checked) {
    sim::JsonWriter out(sim::JsonDialect::kReport, sim::JsonWriter::kPretty);
    out.begin_object();
    out.key("match").boolean(match);
    out.key("verified").boolean(!run.digest.empty());
    out.key("expected_digest").string(run.digest);
    out.key("digest").string(w.digest_hex());
    out.key("scenario").string(run.scenario.name);
    out.key("seed").uinteger(run.seed);
    out.key("inputs").uinteger(run.inputs.size());
    out.key("cursor_us").integer(run.cursor_us);
    out.key("events").integer(w.events());
    out.key("sim_time_us").integer(w.now_us());
    if (checkpoints_checked >= 0) out.key("checkpoints_checked").integer(checkpoints_checked);
    if (with_summary) {
        sim::SummaryOptions so;
        so.pretty = false;
        out.key("summary");
        sim::write_summary(out, w, so);  // laid out as the report is (so.pretty is ignored)
    }
    out.end_object();
    return out.take();
}

void run_on_threads(int jobs, const std::function<void()>& work) {
#ifdef __EMSCRIPTEN__
    (void)jobs;
    work();
#else
    std::vector<std::thread> threads;
    for (int i = 0; i < jobs; i++)
        threads.emplace_back(work);
    for (std::thread& t : threads)
        t.join();
#endif
}

}  // namespace cli
