// format/run_file.cpp — reading and writing run files (see run_file.h).
#include "format/run_file.h"

#include <algorithm>
#include <utility>

#include "format/action.h"
#include "format/scenario_json.h"
#include "format/scenario_limits.h"
#include "sim/world.h"

namespace sim {
namespace {

constexpr const char* kRunFormat = "raftplay-run";
constexpr int64_t kRunVersion = 1;

bool read_seed(ReadCtx& ctx, const JsonValue& v, const std::string& path, uint64_t* out) {
    if (!ctx.ok()) return false;
    // A string keeps all 64 bits exact in JavaScript; a plain integer is
    // accepted for hand-written files.
    if ((v.kind == JsonKind::kString || v.kind == JsonKind::kNumber) && parse_u64(v.text, out))
        return true;
    return ctx.fail(path,
                    "expected a 64-bit unsigned integer as a decimal string, got " + shown(v));
}

// [{"step": 3, "at_us": 1500000, "subject": 2}, ...]: steps of the
// scenario's timeline that carry a trigger, in firing (time) order.
void parse_fired(ReadCtx& ctx, const JsonValue& v, const Scenario& sc,
                 std::vector<FiredTrigger>* out) {
    if (!ctx.ok() || !expect_array(ctx, v, "triggers_fired", kMaxTimelineSteps)) return;
    for (size_t i = 0; i < v.items.size() && ctx.ok(); i++) {
        const std::string p = item_path("triggers_fired", i);
        Fields f(&ctx, v.items[i], p, {"step", "at_us", "subject"});
        FiredTrigger ft;
        if (f.require("step")) f.integer("step", 0, kMaxTimelineSteps, &ft.step);
        if (f.require("at_us")) f.integer("at_us", 0, kMaxSimTimeUs, &ft.at_us);
        f.integer("subject", -1, raft::kMaxNodes - 1, &ft.subject);
        if (!ctx.ok()) return;
        const auto step = static_cast<size_t>(ft.step);
        if (step >= sc.timeline.size() || !sc.timeline[step].has_when) {
            ctx.fail(join_path(p, "step"), "timeline[" + std::to_string(ft.step) +
                                               "] is not a step with a trigger (when)");
            return;
        }
        if (!out->empty() && ft.at_us < out->back().at_us) {
            ctx.fail(join_path(p, "at_us"), "before the previous firing");
            return;
        }
        out->push_back(ft);
    }
}

bool run_from_tree(ReadCtx& ctx, const JsonValue& root, RunFile* out) {
    Fields f(&ctx, root, "",
             {"format", "version", "scenario", "seed", "inputs", "digest", "cursor_us",
              "triggers_fired"});
    std::string format;
    int64_t version = 0;
    if (f.require("format")) f.string("format", 64, true, &format);
    if (ctx.ok() && format != kRunFormat) {
        ctx.fail("format", "expected \"raftplay-run\", got " + shown(*f.get("format")));
    }
    if (f.require("version")) f.integer("version", 1, 1'000'000, &version);
    if (ctx.ok() && version != kRunVersion) {
        ctx.fail("version",
                 "version " + std::to_string(version) + " is not supported (this build reads 1)");
    }
    RunFile run;
    if (f.require("scenario"))
        scenario_from_tree(ctx, *f.get("scenario"), "scenario", &run.scenario, nullptr);
    if (f.require("seed")) read_seed(ctx, *f.get("seed"), "seed", &run.seed);
    if (const JsonValue* v = f.get("inputs")) {
        ActionListRules lim{{run.scenario.cluster.node_count, -1}, kMaxInputs, true};
        parse_actions(ctx, *v, "inputs", lim, &run.inputs);
    }
    f.string("digest", 128, false, &run.digest);
    if (ctx.ok() && !is_lower_hex(run.digest)) ctx.fail("digest", "expected lowercase hex");
    f.integer("cursor_us", -1, kMaxSimTimeUs, &run.cursor_us);
    if (const JsonValue* v = f.get("triggers_fired"))
        parse_fired(ctx, *v, run.scenario, &run.triggers_fired);
    std::string field, reason;
    if (ctx.ok() && !check_run_estimate(run.scenario, run.inputs, &field, &reason)) {
        ctx.fail(field.rfind("inputs", 0) == 0 ? field : join_path("scenario", field), reason);
    }
    if (!ctx.ok()) return false;
    *out = std::move(run);
    return true;
}

}  // namespace

bool is_lower_hex(const std::string& s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool parse_run_file(const std::string& text, const std::string& source_name, RunFile* out,
                    std::string* error) {
    if (text.size() > kMaxRunFileBytes) {
        *error = source_name + ": limit run_file_bytes_max: " + std::to_string(text.size()) +
                 " bytes, at most " + std::to_string(kMaxRunFileBytes);
        return false;
    }
    JsonValue root;
    std::string why;
    if (!parse_json(text, "", &root, &why)) {
        *error = source_name + ": " + why;
        return false;
    }
    ReadCtx ctx{source_name, ""};
    if (!run_from_tree(ctx, root, out)) {
        *error = ctx.error;
        return false;
    }
    return true;
}

std::string run_file_to_json(const RunFile& run) {
    JsonWriter w;
    w.begin_object();
    w.key("format").string(kRunFormat);
    w.key("version").integer(kRunVersion);
    w.key("scenario");
    write_scenario(w, run.scenario);
    w.key("seed").string(std::to_string(run.seed));
    w.key("inputs");
    write_actions(w, run.inputs);
    w.key("digest").string(run.digest);
    w.key("cursor_us").integer(run.cursor_us);
    if (!run.triggers_fired.empty()) {
        w.key("triggers_fired").begin_array();
        for (const FiredTrigger& f : run.triggers_fired) {
            w.begin_object();
            w.key("step").integer(f.step);
            w.key("at_us").integer(f.at_us);
            w.key("subject").integer(f.subject);
            w.end_object();
        }
        w.end_array();
    }
    w.end_object();
    return w.take();
}

std::string compare_fired(const std::vector<FiredTrigger>& recorded,
                          const std::vector<FiredTrigger>& replayed, int64_t until_us) {
    size_t n = 0;
    for (const FiredTrigger& f : recorded)
        n += f.at_us <= until_us ? 1 : 0;
    auto text = [](const FiredTrigger& f) {
        return "timeline[" + std::to_string(f.step) + "] at " + std::to_string(f.at_us) +
               " us (node " + std::to_string(f.subject) + ")";
    };
    for (size_t i = 0; i < n; i++) {
        if (i >= replayed.size()) return "recorded trigger " + text(recorded[i]) + " did not fire";
        if (!(replayed[i] == recorded[i]))
            return "recorded trigger " + text(recorded[i]) + ", replay fired " + text(replayed[i]);
    }
    if (replayed.size() > n && replayed[n].at_us <= until_us)
        return "replay fired " + text(replayed[n]) + ", not recorded";
    return "";
}

RunFile run_file_of(const World& world, int64_t cursor_us) {
    RunFile run;
    run.scenario = world.scenario();
    run.seed = world.seed();
    run.inputs = world.inputs();
    run.digest = world.digest_hex();
    run.cursor_us = cursor_us;
    run.triggers_fired = world.fired_triggers();
    return run;
}

}  // namespace sim
