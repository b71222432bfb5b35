// session/session_load.cpp — the Session's loading of runs (see session.h):
// share-link fragments, built-ins, run and scenario files, run archives.
// Split from session.cpp (869 lines) by job; moving in time, commands and
// frames stay there.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/assert.h"
#include "format/action.h"
#include "format/run_archive.h"
#include "format/scenario_json.h"
#include "session/bug_hunts.h"
#include "session/link_policy.h"
#include "session/session.h"
#include "session/session_internal.h"
#include "sim/limits.h"

namespace session {
using internal::builtin_name_of;
using internal::seconds_text;

namespace {

constexpr uint64_t kDefaultSeed = 1;

bool builtin_spec(const std::string& name, uint64_t seed, RunSpec* out, std::string* error) {
    for (const BuiltinScenario& b : builtin_scenarios()) {
        if (b.name != name) continue;
        out->scenario = std::make_shared<const sim::Scenario>(b.scenario);
        out->builtin = name;
        out->seed = seed;
        return true;
    }
    *error = "unknown built-in scenario '" + name + "'";
    return false;
}

RunSpec default_spec() {
    RunSpec spec;
    std::string ignored;
    if (!builtin_spec("default", kDefaultSeed, &spec, &ignored)) {
        spec.scenario = std::make_shared<const sim::Scenario>();  // 5 idle nodes
    }
    return spec;
}

bool spec_from_fragment(const std::string& fragment, RunSpec* out, std::string* error) {
    sim::RunFile run;
    std::string builtin;
    if (!sim::decode_fragment(fragment, &run, &builtin, error)) return false;
    RunSpec spec;
    if (!builtin.empty()) {
        if (!builtin_spec(builtin, run.seed, &spec, error)) {
            *error = "share link: " + *error;
            return false;
        }
        if (!sim::check_inputs(*spec.scenario, run.inputs, error)) return false;
    } else {
        spec.scenario = std::make_shared<const sim::Scenario>(run.scenario);
        spec.builtin = builtin_name_of(run.scenario);
    }
    spec.seed = run.seed;
    spec.inputs = std::move(run.inputs);
    spec.cursor_us = run.cursor_us;
    spec.digest = run.digest;
    *out = std::move(spec);
    return true;
}

std::string joined(const std::vector<std::string>& parts) {
    if (parts.empty()) return "nothing";
    std::string out = parts[0];
    for (size_t i = 1; i < parts.size(); i++)
        out += (i + 1 == parts.size() ? " and " : ", ") + parts[i];
    return out;
}

// A link that failed to decode (`why`): keep its scenario and seed when they
// can be read (the scenario alone when the seed cannot), else show the
// default scenario. Returns the explanation for the error banner.
std::string partial_spec(const std::string& f, std::string why, RunSpec* out) {
    while (!why.empty() && why.back() == '.')
        why.pop_back();
    std::vector<std::string> left_out;
    for (bool keep_seed : {true, false}) {
        const std::string core = link_core(f, keep_seed, &left_out);
        std::string ignored;
        if (core.empty() || !spec_from_fragment(core, out, &ignored)) continue;
        const std::string name =
            out->builtin.empty() ? "the link's own scenario" : "scenario " + out->builtin;
        return why + ". Kept what could be read: " + name + ", seed " + std::to_string(out->seed) +
               "; left out: " + joined(left_out) + ". The run starts at 0 without them.";
    }
    *out = default_spec();
    return why + " - no scenario in it can be read: showing the default scenario instead.";
}

// The session's timelines are open-ended: the world goes on past the script.
sim::TimelineOptions timeline_options() {
    sim::TimelineOptions options;
    options.open_end_us = sim::kMaxOpenEndUs;
    return options;
}

RunSpec spec_from_run_file(sim::RunFile run) {
    RunSpec spec;
    spec.scenario = std::make_shared<const sim::Scenario>(run.scenario);
    spec.builtin = builtin_name_of(run.scenario);
    spec.seed = run.seed;
    spec.inputs = std::move(run.inputs);
    spec.cursor_us = run.cursor_us;
    spec.digest = run.cursor_us >= 0 ? run.digest : "";
    return spec;
}

}  // namespace

// ===========================================================================
// loading runs (fragments, built-ins, run files)
// ===========================================================================

Session::Session(const Clock* clock) : clock_(clock) {
    std::vector<std::string> builtin_errors;
    info_.builtins = &builtin_scenarios(&builtin_errors);
    start(default_spec());
    if (!builtin_errors.empty()) show_error(builtin_errors.front());
}

bool Session::load_fragment(const std::string& fragment) {
    std::string f = fragment;
    if (!f.empty() && f[0] == '#') f.erase(0, 1);
    RunSpec spec;
    std::string error;
    bool ok = true;
    if (f.empty()) {
        spec = default_spec();
    } else if (!spec_from_fragment(f, &spec, &error)) {
        error = partial_spec(f, error, &spec);
        ok = false;
    }
    start(std::move(spec));
    std::string tour_error;
    tour_from_link(f, &tour_error);
    if (!tour_error.empty()) {
        error += (ok ? "share link: " : " Also ") + tour_error + "; the tour is not shown.";
        ok = false;
    }
    float speed_log10 = info_.speed_log10;
    std::string speed_error;
    if (link_speed_log10(f, &speed_log10, &speed_error)) info_.speed_log10 = speed_log10;
    if (!speed_error.empty()) {
        error += (ok ? "share link: " : " Also ") + speed_error + "; the speed stays as it was.";
        ok = false;
    }
    if (!ok) {
        show_error(error);
        info_.link_partial = true;
    }
    return ok;
}

void Session::load(RunSpec spec) {
    ASSERT_MSG(spec.scenario != nullptr, "a run spec names its scenario");
    start(std::move(spec));
}

bool Session::load_builtin(const std::string& name, uint64_t seed) {
    RunSpec spec;
    std::string error;
    if (!builtin_spec(name, seed, &spec, &error)) {
        show_error(error);
        return false;
    }
    restart_with(spec.scenario, spec.builtin, seed);
    return true;
}

void Session::start(RunSpec spec, std::unique_ptr<sim::Timeline> timeline) {
    run_ = std::move(spec);
    if (!timeline) {
        timeline = std::make_unique<sim::Timeline>(run_.scenario, run_.seed, run_.inputs,
                                                   timeline_options());
    }
    timeline_ = std::move(timeline);
    insight_.reset(*run_.scenario);
    tour_load();
    info_.builtin_name = run_.builtin;
    info_.seed = run_.seed;
    info_.fork_t_us = -1;
    info_.lin = LinCheck{};
    info_.end_us = end_us();
    info_.at_end = false;
    info_.link_partial = false;
    script_end_noticed_ = run_.cursor_us > run_.scenario->duration_us;
    violation_paused_ = -1;
    carry_us_ = 0;
    hunting_ = false;
    seek_target_us_ = -1;
    pending_digest_.clear();
    pending_digest_t_us_ = -1;
    run_generation_++;
    run_moment(0);  // events at t = 0 belong to the first moment
    if (run_.cursor_us >= 0) {
        info_.playing = false;
        seek_target_us_ = std::min(run_.cursor_us, end_us());
        pending_digest_ = run_.digest;
        pending_digest_t_us_ = seek_target_us_;
    }
    insight_.ingest(world());
}

bool Session::import_text(const std::string& text, const std::string& source_name) {
    std::string error;
    const bool looks_like_run = text.find("\"raftplay-run\"") != std::string::npos;
    if (looks_like_run) {
        sim::RunFile run;
        if (!sim::parse_run_file(text, source_name, &run, &error)) {
            show_error(error);
            return false;
        }
        note_change();
        start(spec_from_run_file(std::move(run)));
        info_.error.clear();
        notice("Imported run " + source_name);
        return true;
    }
    sim::Scenario scenario;
    if (!sim::parse_scenario(text, source_name, {}, &scenario, &error)) {
        show_error(error);
        return false;
    }
    RunSpec spec;
    spec.scenario = std::make_shared<const sim::Scenario>(scenario);
    spec.builtin = builtin_name_of(scenario);
    spec.seed = run_.seed;
    note_change();
    start(std::move(spec));
    info_.error.clear();
    notice("Imported scenario " + source_name);
    return true;
}

bool Session::import_file(const std::string& bytes, const std::string& source_name) {
    if (sim::is_run_archive(bytes)) return import_archive(bytes, source_name);
    return import_text(bytes, source_name);
}

// The archive's timeline stands at its last checkpoint; the session shows the
// archive's end, which must have the digest the archive recorded (a cheap
// check: at most one checkpoint's spacing is re-run).
bool Session::import_archive(const std::string& bytes, const std::string& source_name) {
    sim::RunArchive ar;
    std::string error;
    if (!sim::decode_run_archive(bytes, source_name, &ar, &error)) {
        show_error(error);
        return false;
    }
    RunSpec spec;
    spec.scenario = ar.scenario;
    spec.builtin = builtin_name_of(*ar.scenario);
    spec.seed = ar.seed;
    spec.inputs = ar.inputs;
    const int64_t end_events = ar.end_events, end = ar.end_us;
    const std::string digest = ar.digest;
    note_change();
    start(std::move(spec), sim::open_run_archive(std::move(ar), timeline_options()));
    info_.playing = false;
    info_.error.clear();
    timeline_->seek_event(end_events);
    if (world().digest_hex() != digest) {
        show_error(source_name + ": the archive recorded digest " + digest +
                   " at its end, but its last checkpoint reaches " + world().digest_hex() +
                   ": the file is damaged or was made by a different version of raftplay.");
    }
    run_moment(end);  // the cursor is a moment
    script_end_noticed_ = end > run_.scenario->duration_us;
    insight_.ingest(world());
    notice("Opened archive " + source_name + " at its end, " + seconds_text(end));
    return true;
}

void Session::notice(std::string text) {
    info_.notice = std::move(text);
    info_.notice_left_s = 4.0;
}

}  // namespace session
