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

bool run_from_tree(ReadCtx& ctx, const JsonValue& root, RunFile* out) {
    Fields f(&ctx, root, "",
             {"format", "version", "scenario", "seed", "inputs", "digest", "cursor_us"});
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
    w.end_object();
    return w.take();
}

RunFile run_file_of(const World& world, int64_t cursor_us) {
    RunFile run;
    run.scenario = world.scenario();
    run.seed = world.seed();
    run.inputs = world.inputs();
    run.digest = world.digest_hex();
    run.cursor_us = cursor_us;
    return run;
}

}  // namespace sim
