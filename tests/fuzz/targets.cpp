// tests/fuzz/targets.cpp — see targets.h. Owns the oracles (round trips) and
// the bounds of the simulation that follows a successful parse; must stay
// deterministic and quick (milliseconds per input), since libFuzzer runs it
// hundreds of thousands of times.
#include "tests/fuzz/targets.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "check/fuzz_report.h"
#include "check/linearizability.h"
#include "format/history_json.h"
#include "format/run_archive.h"
#include "format/scenario_json.h"
#include "raft/entry_codec.h"
#include "raft/kv.h"
#include "sim/world.h"

namespace fuzz {
namespace {

// Bounds of the simulation after a parse: a few simulated seconds, a few
// thousand events, a small linearizability search.
constexpr int64_t kSimUsMax = 3'000'000;
constexpr int64_t kEventsMax = 20'000;
constexpr uint64_t kLinStatesMax = 20'000;
constexpr size_t kOverridesMax = 8;
constexpr size_t kCommandsMax = 2'000;

// The scenario --set overrides apply to, and the stand-in for a link's
// built-in scenario.
constexpr const char* kBaseScenario =
    R"({"name": "fuzz-base", "cluster": {"nodes": 3}, "workload": {"clients": 1, "rate_per_s": 20},)"
    R"( "duration_ms": 2000})";

// A broken promise of the code under test: libFuzzer records the input.
[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz target check failed: %s\n", what);
    std::abort();
}
void require(bool ok, const char* what) {
    if (!ok) fail(what);
}

Outcome rejected(std::string error) {
    require(!error.empty(), "a rejected input without an error message");
    return Outcome{false, std::move(error)};
}

void run_bounded(const sim::Scenario& s, uint64_t seed, std::vector<sim::Action> inputs) {
    auto shared = std::make_shared<const sim::Scenario>(s);
    sim::World w(shared, seed, std::move(inputs));
    w.run_until(std::min(s.duration_us, kSimUsMax), kEventsMax);
    sim::check_linearizable(w.history(), kLinStatesMax);
}

// scenario_to_json must parse back to a scenario that serializes the same.
void require_scenario_round_trip(const sim::Scenario& s) {
    const std::string json = scenario_to_json(s);
    sim::Scenario again;
    std::string error;
    if (!sim::parse_scenario(json, kSourceName, {}, &again, &error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        fail("scenario_to_json output does not parse");
    }
    require(scenario_to_json(again) == json, "scenario round trip changed the scenario");
}

Outcome accept_scenario(const sim::Scenario& s) {
    require_scenario_round_trip(s);
    run_bounded(s, 1, {});
    return Outcome{true, ""};
}

std::vector<std::string> lines_of(std::string_view data, size_t max) {
    std::vector<std::string> lines;
    while (!data.empty() && lines.size() < max) {
        const size_t end = std::min(data.find('\n'), data.size());
        lines.emplace_back(data.substr(0, end));
        data.remove_prefix(std::min(end + 1, data.size()));
    }
    return lines;
}

void require_run_round_trip(const sim::RunFile& run) {
    const std::string json = run_file_to_json(run);
    sim::RunFile again;
    std::string error;
    if (!sim::parse_run_file(json, kSourceName, &again, &error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        fail("run_file_to_json output does not parse");
    }
    require(run_file_to_json(again) == json, "run file round trip changed the run");
}

void require_fragment_round_trip(const sim::RunFile& run, const std::string& builtin) {
    const std::string fragment = encode_fragment(run, builtin);
    sim::RunFile again;
    std::string again_builtin, error;
    require(sim::decode_fragment(fragment, &again, &again_builtin, &error),
            "encode_fragment output does not decode");
    require(again_builtin == builtin, "fragment round trip changed the built-in name");
    require(encode_fragment(again, again_builtin) == fragment,
            "fragment round trip changed the run");
}

}  // namespace

Outcome scenario_target(std::string_view data) {
    sim::Scenario s;
    std::string error;
    if (!sim::parse_scenario(std::string(data), kSourceName, {}, &s, &error)) {
        return rejected(error);
    }
    return accept_scenario(s);
}

Outcome overrides_target(std::string_view data) {
    sim::Scenario s;
    std::string error;
    if (!sim::parse_scenario(kBaseScenario, kSourceName, lines_of(data, kOverridesMax), &s,
                             &error)) {
        return rejected(error);
    }
    return accept_scenario(s);
}

Outcome run_file_target(std::string_view data) {
    sim::RunFile run;
    std::string error;
    if (!sim::parse_run_file(std::string(data), kSourceName, &run, &error)) return rejected(error);
    require_run_round_trip(run);
    run_bounded(run.scenario, run.seed, run.inputs);
    return Outcome{true, ""};
}

Outcome fragment_target(std::string_view data) {
    sim::RunFile run;
    std::string builtin, error;
    if (!sim::decode_fragment(std::string(data), &run, &builtin, &error)) return rejected(error);
    require_fragment_round_trip(run, builtin);
    if (!builtin.empty()) {
        std::string base_error;
        require(sim::parse_scenario(kBaseScenario, "base", {}, &run.scenario, &base_error),
                "the base scenario does not parse");
        if (!sim::check_inputs(run.scenario, run.inputs, &error)) {
            return rejected(std::string(kSourceName) + ": " + error);
        }
    }
    run_bounded(run.scenario, run.seed, run.inputs);
    return Outcome{true, ""};
}

Outcome history_target(std::string_view data) {
    sim::History h;
    std::string error;
    if (!sim::parse_history_jsonl(data, &h, &error)) return rejected(error);
    const std::string text = sim::history_to_jsonl(h);
    sim::History again;
    require(sim::parse_history_jsonl(text, &again, &error),
            "history_to_jsonl output does not parse");
    require(sim::history_to_jsonl(again) == text, "history round trip changed the history");
    sim::check_linearizable(h, kLinStatesMax);
    return Outcome{true, ""};
}

namespace {

// Decoded entries re-encode to bytes that decode to the same entries; their
// commands then run through a key-value store.
Outcome codec_entries(const std::string& in, size_t pos) {
    std::vector<raft::Entry> entries, again;
    if (!raft::decode_entries(in, &pos, &entries))
        return rejected("entry codec: malformed entries");
    std::string bytes;
    raft::encode_entries(entries, &bytes);
    size_t at = 0;
    require(raft::decode_entries(bytes, &at, &again) && again == entries && at == bytes.size(),
            "entries round trip");
    raft::KvStore kv;
    for (size_t i = 0; i < entries.size() && i < kCommandsMax; i++) {
        if (entries[i].type == raft::EntryType::kCommand)
            kv.apply(entries[i].cmd, entries[i].index);
    }
    return Outcome{true, ""};
}

// A decoded snapshot (whole, or a difference from `base`) re-encodes to bytes
// that decode to the same snapshot, and a store restored from it gives it back.
Outcome codec_snapshot(const std::string& in, size_t pos, const raft::Snapshot* base) {
    raft::Snapshot s, again;
    if (!raft::decode_snapshot(in, &pos, base, &s))
        return rejected("entry codec: malformed snapshot");
    std::string bytes;
    raft::encode_snapshot(s, base, &bytes);
    size_t at = 0;
    require(raft::decode_snapshot(bytes, &at, base, &again) && again == s && at == bytes.size(),
            "snapshot round trip");
    raft::KvStore kv;
    kv.restore(s);
    // The store holds the pairs and sessions; the configuration is the
    // node's, which adds it to the snapshots it takes.
    raft::Snapshot back = kv.to_snapshot(s.last_included_index, s.last_included_term);
    back.membership = s.membership;
    require(back == s, "store restored from a snapshot gives a different snapshot");
    return Outcome{true, ""};
}

}  // namespace

Outcome entry_codec_target(std::string_view data) {
    if (data.empty()) return rejected("entry codec: empty input");
    const std::string in(data);
    switch (static_cast<uint8_t>(in[0]) % 3) {
        case 0:
            return codec_entries(in, 1);
        case 1:
            return codec_snapshot(in, 1, nullptr);
        default: {
            size_t pos = 1;
            raft::Snapshot base;
            if (!raft::decode_snapshot(in, &pos, nullptr, &base)) {
                return rejected("entry codec: malformed base snapshot");
            }
            return codec_snapshot(in, pos, &base);
        }
    }
}

namespace {

// An accepted archive opens and runs from every checkpoint: what the page's
// import and the viewer do with it (restore, then play on).
void run_opened_archive(sim::RunArchive archive) {
    constexpr int64_t kEventsPerCheckpoint = 500;
    std::vector<int64_t> starts;
    for (const auto& c : archive.checkpoints)
        starts.push_back(c.state.events);
    const int64_t end_us = archive.end_us;
    std::unique_ptr<sim::Timeline> t = sim::open_run_archive(std::move(archive));
    t->run_until(end_us + kSimUsMax, kEventsPerCheckpoint);
    for (size_t i = starts.size(); i-- > 0 && i + 8 >= starts.size();) {
        t->seek_event(starts[i]);
        t->run_until(end_us + kSimUsMax, kEventsPerCheckpoint);
    }
}

}  // namespace

Outcome run_archive_target(std::string_view data) {
    std::string bytes(data);
    if (!sim::is_run_archive(bytes)) bytes = sim::frame_archive_payload(bytes);
    sim::RunArchive archive;
    std::string error;
    if (!sim::decode_run_archive(bytes, kSourceName, &archive, &error)) return rejected(error);
    const std::string again = sim::encode_run_archive(archive);
    sim::RunArchive reread;
    if (!sim::decode_run_archive(again, kSourceName, &reread, &error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        fail("encode_run_archive output does not decode");
    }
    require(sim::encode_run_archive(reread) == again, "run archive round trip changed the run");
    return Outcome{true, ""};
}

Outcome run_archive_open_target(std::string_view data) {
    const Outcome decoded = run_archive_target(data);
    if (!decoded.accepted) return decoded;
    std::string bytes(data);
    if (!sim::is_run_archive(bytes)) bytes = sim::frame_archive_payload(bytes);
    sim::RunArchive archive;
    std::string error;
    require(sim::decode_run_archive(bytes, kSourceName, &archive, &error),
            "an accepted archive does not decode again");
    run_opened_archive(std::move(archive));
    return decoded;
}

Outcome fuzz_report_target(std::string_view data) {
    sim::FuzzShardReport report;
    std::string error;
    if (!sim::read_fuzz_lines(data, kSourceName, &report, &error)) return rejected(error);
    // Written back line by line, it reads back the same.
    std::string text;
    for (const sim::FuzzFailure& f : report.failures)
        text += sim::fuzz_failure_line(f) + "\n";
    text += sim::fuzz_shard_line(report.shard) + "\n";
    sim::FuzzShardReport again;
    require(sim::read_fuzz_lines(text, kSourceName, &again, &error),
            "fuzz report lines written back do not parse");
    require(again.failures == report.failures, "fuzz report round trip changed a failure");
    // A merge of the report with itself is refused (the same shard twice);
    // alone it merges and writes.
    sim::MergedFuzzReport merged;
    require(!sim::merge_fuzz_reports({report, report}, &merged, &error),
            "the same shard twice merged");
    require(sim::merge_fuzz_reports({report}, &merged, &error), "one report did not merge");
    require(!sim::merged_fuzz_report_json(merged, true).empty(), "empty merged report");
    return Outcome{true, ""};
}

Target target_by_name(std::string_view name) {
    if (name == "scenario") return scenario_target;
    if (name == "overrides") return overrides_target;
    if (name == "run_file") return run_file_target;
    if (name == "fragment") return fragment_target;
    if (name == "history") return history_target;
    if (name == "entry_codec") return entry_codec_target;
    if (name == "run_archive") return run_archive_target;
    if (name == "run_archive_open") return run_archive_open_target;
    if (name == "fuzz_report") return fuzz_report_target;
    return nullptr;
}

}  // namespace fuzz
