// native/cli/run_util.cpp — timed linearizability, share links, replay
// report (see run_util.h).
#include "native/cli/run_util.h"

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

#include "format/json_input.h"
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

sim::RunFile run_file_of(const sim::World& w, int64_t cursor_us) {
    sim::RunFile run;
    run.scenario = w.scenario();
    run.seed = w.seed();
    run.inputs = w.inputs();
    run.digest = w.digest_hex();
    run.cursor_us = cursor_us;
    return run;
}

sim::RunFile failing_run(const sim::Scenario& s, uint64_t seed, sim::Outcome outcome) {
    sim::World w(std::make_shared<const sim::Scenario>(s), seed);
    w.record_trace = false;
    w.run_to_end();
    return run_file_of(w, outcome == sim::Outcome::kSafety ? w.now_us() : -1);
}

std::string replay_report_json(const sim::World& w, const sim::RunFile& run, bool match,
                               bool with_summary, int64_t checkpoints_checked) {
    rapidjson::StringBuffer buf;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> out(buf);
    out.SetIndent(' ', 2);
    out.StartObject();
    out.Key("match");
    out.Bool(match);
    out.Key("verified");
    out.Bool(!run.digest.empty());
    out.Key("expected_digest");
    out.String(run.digest.c_str());
    out.Key("digest");
    out.String(w.digest_hex().c_str());
    out.Key("scenario");
    out.String(run.scenario.name.c_str());
    out.Key("seed");
    out.Uint64(run.seed);
    out.Key("inputs");
    out.Uint64(run.inputs.size());
    out.Key("cursor_us");
    out.Int64(run.cursor_us);
    out.Key("events");
    out.Int64(w.events());
    out.Key("sim_time_us");
    out.Int64(w.now_us());
    if (checkpoints_checked >= 0) {
        out.Key("checkpoints_checked");
        out.Int64(checkpoints_checked);
    }
    if (with_summary) {
        sim::SummaryOptions so;
        so.pretty = false;
        const std::string summary = sim::summary_json(w, so);
        rapidjson::Document d;
        sim::JsonInputError error;
        out.Key("summary");
        if (sim::parse_json_document(summary, &d, &error)) {
            d.Accept(out);
        } else {
            out.Null();  // our own writer's output; cannot happen unless summary_json breaks
        }
    }
    out.EndObject();
    return std::string(buf.GetString(), buf.GetSize());
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
