// render/app.cpp — the App: which run is shown (scenario, seed, input log,
// cursor), playback pacing, the commands views emit, the frame's layout, and
// the JSON state and share fragment the page exposes.
//
// The App is the only place that moves the timeline. Views get a const World
// and push Commands; the commands run after the widgets of the frame are
// built. Wall time only paces playback (simulated time advances by
// wall_dt x speed, with an event budget per frame so frames stay fast); it
// never reaches the world. The cursor is always a moment: every event at or
// before the shown time has run. That is exactly what `raftplay replay`
// (World::run_until(cursor)) and a share link's `t` reproduce, so the digest
// shown is the digest a link or an exported run file gives elsewhere.
//
// Index
//   state
//   loading runs (fragments, built-ins, run files)
//   moving in time (playback, seeks, steps, markers)
//   commands
//   frame and layout
//   state JSON, fragment, run files
#include "render/app.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>

#include "format/scenario_json.h"
#include "imgui.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "render/draw.h"
#include "render/ui.h"

namespace render {

// ===========================================================================
// state
// ===========================================================================

namespace {

using Clock = std::chrono::steady_clock;

constexpr uint64_t kDefaultSeed = 1;
// Playback keeps the whole frame near kFrameTargetMs: the simulation gets what
// the rest of the last frame (widgets, rendering) left over, within bounds.
// When that is not enough the page falls behind real time and says so.
constexpr double kFrameTargetMs = 7.0;
constexpr double kPlayBudgetMinMs = 1.0, kPlayBudgetMaxMs = 5.0;
constexpr double kCatchUpBudgetMs = 12.0;  // seeking far ahead / hunting a marker
constexpr int64_t kStepChunk = 64;         // events between budget checks
constexpr int64_t kMomentMaxEvents = 1'000'000;
constexpr uint64_t kLinStatesMax = 2'000'000;  // on request
constexpr uint64_t kLinStatesAuto = 200'000;   // automatically, at the end of a run
constexpr size_t kFrameSamples = 600;

// A run to show: what a fragment, a run file or the picker names.
struct RunSpec {
    std::shared_ptr<const sim::Scenario> scenario;
    std::string builtin;  // empty: custom
    uint64_t seed = kDefaultSeed;
    std::vector<sim::Action> inputs;
    int64_t cursor_us = -1;
    std::string digest;  // expected at the cursor (links, run files)
};

// Percentiles over a ring of recent samples.
struct FrameRing {
    std::vector<double> samples;
    size_t next = 0;
    void add(double ms) {
        if (samples.size() < kFrameSamples) {
            samples.push_back(ms);
        } else {
            samples[next] = ms;
            next = (next + 1) % kFrameSamples;
        }
    }
    double percentile(double p) const {
        if (samples.empty()) return 0;
        std::vector<double> s = samples;
        std::sort(s.begin(), s.end());
        size_t k = static_cast<size_t>(p * static_cast<double>(s.size() - 1) + 0.5);
        return s[std::min(k, s.size() - 1)];
    }
};

}  // namespace

struct App {
    RunSpec run;  // the scenario, seed and builtin name shown now
    std::unique_ptr<sim::Timeline> timeline;
    Insight insight;
    UiState ui;
    AppInfo info;
    std::vector<Command> commands;
    bool visible = true;
    double carry_us = 0;  // fractional simulated time between frames
    // Multi-frame work: reach a far moment, or find the next marker.
    int64_t seek_target_us = -1;
    bool hunting = false;
    size_t hunt_markers = 0;
    std::string pending_digest;  // verify once the link's cursor is reached
    int64_t pending_digest_t_us = -1;
    // Platform requests.
    bool open_requested = false;
    bool download_ready = false;
    std::string download_name, download_text;
    // Measurements.
    FrameRing app_ms, frame_ms;
    double sim_ms = 0;         // this frame's simulation time
    double last_other_ms = 3;  // the last frame's time outside the simulation
    double first_frame_ms = -1;
    uint64_t frames = 0;
    int64_t first_frame_events = 0;

    const sim::World& world() const { return timeline->world(); }
};

// ===========================================================================
// loading runs (fragments, built-ins, run files)
// ===========================================================================

namespace {

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

// A custom scenario equal to a built-in keeps the built-in's short link.
std::string builtin_name_of(const sim::Scenario& s) {
    const std::string json = sim::scenario_to_json(s);
    for (const BuiltinScenario& b : builtin_scenarios()) {
        if (sim::scenario_to_json(b.scenario) == json) return b.name;
    }
    return "";
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

void run_moment(App& app, int64_t t_us);
void check_linearizability(App& app, uint64_t states_max);

// Shows a run: a fresh timeline at t = 0, then (over the next frames if far)
// the spec's cursor. A link with a cursor opens paused there.
void start(App& app, RunSpec spec) {
    app.run = std::move(spec);
    app.timeline = std::make_unique<sim::Timeline>(app.run.scenario, app.run.seed, app.run.inputs);
    app.insight.reset(*app.run.scenario);
    app.info.builtin_name = app.run.builtin;
    app.info.seed = app.run.seed;
    app.info.fork_t_us = -1;
    app.info.lin = LinCheck{};
    app.ui.selected_msg = 0;
    if (app.ui.selected_node >= app.run.scenario->cluster.node_count) app.ui.selected_node = -1;
    app.ui.seed_text_synced = false;
    app.ui.draft = *app.run.scenario;
    app.ui.draft_valid = true;
    app.ui.violation_shown = -1;
    app.ui.violation_dismissed = false;
    app.carry_us = 0;
    app.hunting = false;
    app.seek_target_us = -1;
    app.pending_digest.clear();
    app.pending_digest_t_us = -1;
    run_moment(app, 0);  // events at t = 0 belong to the first moment
    if (app.run.cursor_us >= 0) {
        app.ui.playing = false;
        app.seek_target_us = std::min(app.run.cursor_us, app.run.scenario->duration_us);
        app.pending_digest = app.run.digest;
        app.pending_digest_t_us = app.seek_target_us;
    }
    app.insight.ingest(app.world());
}

void show_error(App& app, std::string error) {
    app.ui.error = std::move(error);
}

void notice(App& app, std::string text) {
    app.ui.notice = std::move(text);
    app.ui.notice_left_s = 4.0;
}

}  // namespace

App* app_create(const std::string& fragment) {
    App* app = new App();
    std::vector<std::string> builtin_errors;
    app->info.builtins = &builtin_scenarios(&builtin_errors);
    RunSpec spec;
    std::string error;
    std::string f = fragment;
    if (!f.empty() && f[0] == '#') f.erase(0, 1);
    if (f.empty()) {
        spec = default_spec();
    } else if (!spec_from_fragment(f, &spec, &error)) {
        show_error(*app, error + " - showing the default scenario instead.");
        spec = default_spec();
    }
    if (!builtin_errors.empty()) show_error(*app, builtin_errors.front());
    start(*app, std::move(spec));
    return app;
}

void app_destroy(App* app) {
    delete app;
}

void app_set_visible(App& app, bool visible) {
    app.visible = visible;
}

bool app_import(App& app, const std::string& text, const std::string& source_name) {
    std::string run_error, scenario_error;
    sim::RunFile run;
    const bool looks_like_run = text.find("\"raftplay-run\"") != std::string::npos;
    if (looks_like_run) {
        if (!sim::parse_run_file(text, source_name, &run, &run_error)) {
            show_error(app, run_error);
            return false;
        }
        RunSpec spec;
        spec.scenario = std::make_shared<const sim::Scenario>(run.scenario);
        spec.builtin = builtin_name_of(run.scenario);
        spec.seed = run.seed;
        spec.inputs = std::move(run.inputs);
        spec.cursor_us = run.cursor_us;
        spec.digest = run.cursor_us >= 0 ? run.digest : "";
        start(app, std::move(spec));
        app.ui.error.clear();
        notice(app, "Imported run " + source_name);
        return true;
    }
    sim::Scenario scenario;
    if (!sim::parse_scenario(text, source_name, {}, &scenario, &scenario_error)) {
        show_error(app, scenario_error);
        return false;
    }
    RunSpec spec;
    spec.scenario = std::make_shared<const sim::Scenario>(scenario);
    spec.builtin = builtin_name_of(scenario);
    spec.seed = app.run.seed;
    start(app, std::move(spec));
    app.ui.error.clear();
    notice(app, "Imported scenario " + source_name);
    return true;
}

// ===========================================================================
// moving in time (playback, seeks, steps, markers)
// ===========================================================================

namespace {

double elapsed_ms(Clock::time_point since) {
    return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

// Runs every event at or before t (the moment t), bounded.
void run_moment(App& app, int64_t t_us) {
    app.timeline->run_until(t_us, kMomentMaxEvents);
}

// Advances towards t within a wall-time budget; always stops on a moment.
// Returns true when t was reached (or nothing is left to run).
bool advance_to(App& app, int64_t t_us, double budget_ms) {
    const auto start_time = Clock::now();
    sim::Timeline& tl = *app.timeline;
    t_us = std::min(t_us, app.world().scenario().duration_us);
    for (int guard = 0; guard < 1'000'000; guard++) {
        if (app.world().halted() || app.world().now_us() >= t_us) return true;
        const int64_t before = tl.events();
        tl.run_until(t_us, kStepChunk);
        if (app.world().now_us() >= t_us) return true;
        if (tl.events() == before) return true;  // nothing left before t
        if (elapsed_ms(start_time) > budget_ms) {
            run_moment(app, app.world().now_us());  // finish the moment we are in
            return false;
        }
    }
    return false;
}

void playback(App& app, double wall_dt_s) {
    app.ui.budget_hit = false;
    app.sim_ms = 0;
    if (!app.ui.playing || !app.visible) {
        app.carry_us = 0;
        return;
    }
    const sim::World& w = app.world();
    if (w.halted() || w.now_us() >= w.scenario().duration_us) {
        app.ui.playing = false;
        return;
    }
    // A long stall (tab switch, debugger) must not turn into a jump.
    const double dt = std::min(wall_dt_s, 0.25);
    app.carry_us += dt * std::pow(10.0, static_cast<double>(app.ui.speed_log10)) * 1e6;
    const int64_t step_us = static_cast<int64_t>(app.carry_us);
    if (step_us <= 0) return;
    app.carry_us -= static_cast<double>(step_us);
    const double budget_ms =
        std::clamp(kFrameTargetMs - app.last_other_ms, kPlayBudgetMinMs, kPlayBudgetMaxMs);
    const auto sim_start = Clock::now();
    const bool kept_up = advance_to(app, w.now_us() + step_us, budget_ms);
    app.sim_ms = elapsed_ms(sim_start);
    if (!kept_up) {
        app.ui.budget_hit = true;  // behind real time: drop the debt
        app.carry_us = 0;
    }
}

// Moves the cursor to moment t: through checkpoints inside what was
// simulated, over several frames beyond it.
void seek(App& app, int64_t t_us) {
    sim::Timeline& tl = *app.timeline;
    app.hunting = false;
    t_us = std::clamp<int64_t>(t_us, 0, app.world().scenario().duration_us);
    if (t_us <= tl.horizon_us()) {
        tl.seek_time(t_us);
        app.seek_target_us = -1;
        return;
    }
    if (app.world().now_us() < tl.horizon_us()) tl.seek_time(tl.horizon_us());
    app.seek_target_us = t_us;
}

void step_forward(App& app) {
    const sim::World& w = app.world();
    const int64_t before = w.events();
    for (int guard = 0; guard < 10'000 && !w.halted(); guard++) {
        const int64_t t = w.next_time();
        if (t == INT64_MAX || t > w.scenario().duration_us) break;
        run_moment(app, t);
        if (w.events() != before) break;  // stale timers change nothing: keep going
    }
}

// The moment before the cursor: the latest moment with events before the
// one the cursor is in (the clock may stand past its last event).
void step_back(App& app) {
    const sim::World& w = app.world();
    const std::span<const sim::TraceRecord> trace = w.trace();
    if (trace.empty()) return app.timeline->seek_time(0);
    const int64_t current = trace.back().t_us;
    int64_t prev = 0;
    for (size_t i = trace.size(); i-- > 0;) {
        if (trace[i].t_us < current) {
            prev = trace[i].t_us;
            break;
        }
    }
    app.timeline->seek_time(prev);
}

void jump_prev(App& app) {
    const std::vector<Marker>& m = app.insight.markers();
    const int64_t now = app.world().now_us();
    for (size_t i = m.size(); i-- > 0;) {
        if (m[i].t_us < now) return seek(app, m[i].t_us);
    }
    seek(app, 0);
}

void jump_next(App& app) {
    const std::vector<Marker>& m = app.insight.markers();
    const int64_t now = app.world().now_us();
    for (const Marker& x : m) {
        if (x.t_us > now) return seek(app, x.t_us);
    }
    // Nothing known yet: simulate ahead (over frames) until a marker shows up.
    sim::Timeline& tl = *app.timeline;
    if (app.world().now_us() < tl.horizon_us()) tl.seek_time(tl.horizon_us());
    app.hunting = true;
    app.hunt_markers = m.size();
    app.seek_target_us = -1;
}

// Multi-frame work: reach a seek target, or hunt for the next marker.
void catch_up(App& app) {
    if (app.seek_target_us >= 0) {
        if (advance_to(app, app.seek_target_us, kCatchUpBudgetMs)) app.seek_target_us = -1;
    } else if (app.hunting) {
        const sim::World& w = app.world();
        const bool done = advance_to(app, w.scenario().duration_us, kCatchUpBudgetMs);
        app.insight.ingest(w);
        const std::vector<Marker>& m = app.insight.markers();
        if (m.size() > app.hunt_markers) {
            app.hunting = false;
            app.timeline->seek_time(m[app.hunt_markers].t_us);
        } else if (done) {
            app.hunting = false;
        }
    }
    if (app.seek_target_us < 0 && app.pending_digest_t_us >= 0) {
        const std::string digest = app.world().digest_hex();
        if (!app.pending_digest.empty() && digest != app.pending_digest) {
            show_error(app, "This link or run file recorded digest " + app.pending_digest +
                                " at its cursor, but this build reaches " + digest +
                                ": it was made by a different version of raftplay.");
        }
        app.pending_digest.clear();
        app.pending_digest_t_us = -1;
    }
}

// A violation halts the world: stop there and explain it (once).
void watch_violations(App& app) {
    const sim::World& w = app.world();
    const int count = static_cast<int>(w.violations().size());
    if (count == 0) return;
    if (app.ui.violation_shown != count - 1) {
        app.ui.violation_shown = count - 1;
        app.ui.violation_dismissed = false;
        app.ui.playing = false;
        app.ui.focus_tab = PanelTab::kChecks;
    }
}

}  // namespace

// ===========================================================================
// commands
// ===========================================================================

namespace {

void act(App& app, sim::Action a) {
    sim::Timeline& tl = *app.timeline;
    const bool fork = tl.events() < tl.horizon_events();
    const int64_t now = app.world().now_us();
    if (app.world().halted()) {
        return notice(app, "The run stopped at a safety violation: step back to act in the past.");
    }
    // Only actions a share link can carry: the same validation as a link's inputs.
    std::string error;
    a.at_us = now;
    if (!sim::check_inputs(app.world().scenario(), {a}, &error)) {
        return show_error(app, "That action is not possible here: " + error);
    }
    app.seek_target_us = -1;
    app.hunting = false;
    tl.act(std::move(a));
    if (fork) {
        app.info.fork_t_us = now;
        app.insight.rebuild(app.world());
        notice(app,
               "Acting in the past forked the timeline: the old future is gone (Undo fork brings "
               "it back).");
    }
    run_moment(app, app.world().now_us());  // apply it now, as a replay would
}

void export_run(App& app) {
    app.download_text = app_run_file_json(app);
    const std::string base = app.run.builtin.empty() ? "custom" : app.run.builtin;
    app.download_name = "raftplay-" + base + "-seed" + std::to_string(app.run.seed) + ".run.json";
    app.download_ready = true;
    notice(app, "Exported " + app.download_name);
}

void check_linearizability(App& app, uint64_t states_max) {
    const sim::World& w = app.world();
    app.info.lin.result = sim::check_linearizable(w.history(), states_max);
    app.info.lin.checked = true;
    app.info.lin.at_t_us = w.now_us();
    app.info.lin.ops = w.history().size();
}

void restart_with(App& app, std::shared_ptr<const sim::Scenario> scenario, std::string builtin,
                  uint64_t seed) {
    RunSpec spec;
    spec.scenario = std::move(scenario);
    spec.builtin = std::move(builtin);
    spec.seed = seed;
    start(app, std::move(spec));
    app.ui.playing = true;
}

void apply(App& app, Command& c) {
    switch (c.kind) {
        case CommandKind::kAct:
            return act(app, std::move(c.action));
        case CommandKind::kSeekTime:
            return seek(app, c.t_us);
        case CommandKind::kStepForward:
            app.ui.playing = false;
            return step_forward(app);
        case CommandKind::kStepBack:
            app.ui.playing = false;
            return step_back(app);
        case CommandKind::kJumpNext:
            app.ui.playing = false;
            return jump_next(app);
        case CommandKind::kJumpPrev:
            app.ui.playing = false;
            return jump_prev(app);
        case CommandKind::kToStart:
            return seek(app, 0);
        case CommandKind::kToHorizon:
            return seek(app, app.timeline->horizon_us());
        case CommandKind::kSetPlaying:
            app.ui.playing = c.flag;
            return;
        case CommandKind::kTogglePlay:
            app.ui.playing = !app.ui.playing;
            return;
        case CommandKind::kUndoFork:
            if (!app.timeline->forked()) return;
            app.timeline->undo_fork();
            app.insight.rebuild(app.world());
            app.info.fork_t_us = -1;
            return notice(app, "Fork undone: the original future is back.");
        case CommandKind::kLoadBuiltin: {
            RunSpec spec;
            std::string error;
            if (!builtin_spec(c.text, c.seed, &spec, &error)) return show_error(app, error);
            return restart_with(app, spec.scenario, spec.builtin, c.seed);
        }
        case CommandKind::kLoadScenario:
            return restart_with(app, c.scenario, builtin_name_of(*c.scenario), c.seed);
        case CommandKind::kRestart:
            return restart_with(app, app.run.scenario, app.run.builtin, c.seed);
        case CommandKind::kExportRun:
            return export_run(app);
        case CommandKind::kOpenFile:
            app.open_requested = true;
            return;
        case CommandKind::kCheckLinearizability:
            return check_linearizability(app, kLinStatesMax);
        case CommandKind::kDismissError:
            app.ui.error.clear();
            return;
    }
}

void apply_commands(App& app) {
    // Commands may push commands (none do today); bound the loop anyway.
    for (int round = 0; round < 4 && !app.commands.empty(); round++) {
        std::vector<Command> batch;
        batch.swap(app.commands);
        for (Command& c : batch)
            apply(app, c);
        app.insight.ingest(app.world());
    }
    app.commands.clear();
}

}  // namespace

// ===========================================================================
// frame and layout
// ===========================================================================

namespace {

void draw_banners(View& v) {
    UiState& ui = v.ui;
    if (!ui.error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_ChildBg, IM_COL32(80, 30, 30, 255));
        const float h = ImGui::GetTextLineHeightWithSpacing() * 2.2f;
        ImGui::BeginChild("##error", ImVec2(0, h), true, ImGuiWindowFlags_NoScrollbar);
        ImGui::PushTextWrapPos(ImGui::GetContentRegionAvail().x - 80);
        ImGui::TextColored(ImVec4(1, 0.8f, 0.7f, 1), "Error: %s", ui.error.c_str());
        ImGui::PopTextWrapPos();
        ImGui::SameLine(ImGui::GetContentRegionAvail().x - 60);
        if (ImGui::SmallButton("Dismiss")) v.push(CommandKind::kDismissError);
        ImGui::EndChild();
        ImGui::PopStyleColor();
    }
    if (ui.notice_left_s > 0 && !ui.notice.empty()) {
        ImGui::TextColored(ImVec4(0.7f, 0.85f, 1, 1), "%s", ui.notice.c_str());
    }
}

void draw_right_panel(View& v) {
    UiState& ui = v.ui;
    if (!ImGui::BeginTabBar("##panels")) return;
    struct Tab {
        const char* label;
        const char* spot;
        PanelTab tab;
        void (*draw)(View&);
    };
    const Tab tabs[] = {
        {"Control", "control", PanelTab::kControl, draw_control_panel},
        {"Node", "node", PanelTab::kNode, draw_node_panel},
        {"Message", "message", PanelTab::kMessage, draw_message_panel},
        {"Scenario", "scenario", PanelTab::kScenario, draw_scenario_panel},
        {"Checks", "checks", PanelTab::kChecks, draw_checks_panel},
    };
    const PanelTab focus = ui.focus_tab;
    ui.focus_tab = PanelTab::kNone;
    for (const Tab& t : tabs) {
        const ImGuiTabItemFlags flags = focus == t.tab ? ImGuiTabItemFlags_SetSelected : 0;
        const bool open = ImGui::BeginTabItem(t.label, nullptr, flags);
        v.spot(std::string("tab.") + t.spot);
        if (open) {
            ImGui::BeginChild("##panel_body", ImVec2(0, 0), false);
            t.draw(v);
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
    }
    ImGui::EndTabBar();
}

void draw_lower_pane(View& v, ImVec2 size) {
    if (!ImGui::BeginTabBar("##lower")) return;
    const float tabs_h = ImGui::GetFrameHeightWithSpacing();
    const ImVec2 body(size.x, std::max(40.f, size.y - tabs_h));
    const UiState::Lower focus = v.ui.focus_lower;
    v.ui.focus_lower = UiState::Lower::kNone;
    auto flags = [&](UiState::Lower tab) {
        return focus == tab ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None;
    };
    const bool spacetime =
        ImGui::BeginTabItem("Space-time", nullptr, flags(UiState::Lower::kSpacetime));
    v.spot("tab.spacetime");
    if (spacetime) {
        draw_spacetime(v, body);
        ImGui::EndTabItem();
    }
    const bool charts = ImGui::BeginTabItem("Charts", nullptr, flags(UiState::Lower::kCharts));
    v.spot("tab.charts");
    if (charts) {
        draw_charts(v, body);
        ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
}

void draw_layout(View& v) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8, 6));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0);
    // No window background: the mains clear to the same colour, and on a
    // software rasterizer (headless Chromium's SwiftShader) every full-screen
    // layer costs frames. Child windows are transparent for the same reason.
    ImGui::Begin("raftplay", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBringToFrontOnFocus |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollWithMouse |
                     ImGuiWindowFlags_NoBackground);
    ImGui::PopStyleVar(2);
    draw_top_bar(v);
    draw_banners(v);
    const ImGuiStyle& style = ImGui::GetStyle();
    const float timeline_h = 64.f;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float main_h = std::max(120.f, avail.y - timeline_h - style.ItemSpacing.y);
    const float right_w = std::clamp(avail.x * 0.3f, 300.f, 430.f);
    const float left_w = std::max(200.f, avail.x - right_w - style.ItemSpacing.x);

    ImGui::BeginChild("##left", ImVec2(left_w, main_h), false,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    const float cluster_h = v.ui.show_lower ? std::floor(main_h * 0.58f) : main_h;
    ImGui::BeginChild("##cluster", ImVec2(0, cluster_h), false,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    draw_cluster_view(v, ImGui::GetContentRegionAvail());
    ImGui::EndChild();
    if (v.ui.show_lower) draw_lower_pane(v, ImGui::GetContentRegionAvail());
    ImGui::EndChild();

    ImGui::SameLine();
    ImGui::BeginChild("##right", ImVec2(0, main_h), true);
    draw_right_panel(v);
    ImGui::EndChild();

    draw_timeline_bar(v, ImVec2(avail.x, timeline_h));
    ImGui::End();
    draw_help_overlay(v);
}

std::string spots_json(const std::vector<Spot>& spots) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    for (const Spot& s : spots) {
        w.Key(s.name.c_str());
        w.StartArray();
        w.Double(std::round(s.x * 10) / 10);
        w.Double(std::round(s.y * 10) / 10);
        w.Double(std::round(s.w * 10) / 10);
        w.Double(std::round(s.h * 10) / 10);
        w.EndArray();
    }
    w.EndObject();
    return buf.GetString();
}

void style_once() {
    static bool done = false;
    if (done) return;
    done = true;
    ImGuiStyle& s = ImGui::GetStyle();
    ImGui::StyleColorsDark(&s);
    s.FrameRounding = 3;
    s.GrabRounding = 3;
    s.TabRounding = 3;
    s.ChildRounding = 3;
    s.WindowBorderSize = 0;
    s.FramePadding = ImVec2(6, 3);
    s.ItemSpacing = ImVec2(6, 4);
    s.Colors[ImGuiCol_WindowBg] = ImVec4(0.08f, 0.09f, 0.11f, 1);
    s.Colors[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    s.Colors[ImGuiCol_Border] = ImVec4(0.2f, 0.22f, 0.27f, 1);
}

}  // namespace

void app_frame(App& app, double wall_dt_s) {
    const auto frame_start = Clock::now();
    style_once();
    playback(app, wall_dt_s);
    catch_up(app);
    app.insight.ingest(app.world());
    watch_violations(app);
    // At the end of a run the lamp covers linearizability too (a bounded search, once).
    const sim::World& w = app.world();
    if (w.now_us() >= w.scenario().duration_us && !w.halted() && !app.info.lin.checked) {
        check_linearizability(app, kLinStatesAuto);
    }
    if (app.ui.notice_left_s > 0) app.ui.notice_left_s -= wall_dt_s;

    if (app.frames % 30 == 0) {  // sorting the samples every frame would cost more than it shows
        app.info.frame.p50_ms = app.app_ms.percentile(0.5);
        app.info.frame.p99_ms = app.app_ms.percentile(0.99);
    }
    app.info.frame.samples = app.app_ms.samples.size();
    app.info.busy = app.seek_target_us >= 0 || app.hunting;
    app.ui.spots.clear();
    View v{app.world(), *app.timeline, app.insight, app.info, app.ui, app.commands};
    draw_layout(v);
    handle_shortcuts(v);
    app.ui.spots_json = spots_json(app.ui.spots);
    apply_commands(app);

    const double ms = elapsed_ms(frame_start);
    app.info.frame.last_ms = ms;
    app.app_ms.add(ms);
    if (app.frames++ == 0) app.first_frame_ms = ms;
}

void app_note_frame_ms(App& app, double frame_ms) {
    app.frame_ms.add(frame_ms);
    app.last_other_ms = std::max(0.0, frame_ms - app.sim_ms);
}

void app_reset_frame_stats(App& app) {
    app.app_ms = FrameRing{};
    app.frame_ms = FrameRing{};
}

bool app_take_download(App& app, std::string* file_name, std::string* text) {
    if (!app.download_ready) return false;
    app.download_ready = false;
    *file_name = std::move(app.download_name);
    *text = std::move(app.download_text);
    return true;
}

bool app_take_open_request(App& app) {
    const bool r = app.open_requested;
    app.open_requested = false;
    return r;
}

// ===========================================================================
// state JSON, fragment, run files
// ===========================================================================

namespace {

sim::RunFile current_run_file(const App& app) {
    sim::RunFile run;
    run.scenario = *app.run.scenario;
    run.seed = app.run.seed;
    run.inputs = app.world().inputs();
    run.digest = app.world().digest_hex();
    run.cursor_us = app.world().now_us();
    return run;
}

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void write_nodes(JsonWriter& w, const sim::World& world) {
    w.Key("nodes");
    w.StartArray();
    for (size_t i = 0; i < world.nodes().size(); i++) {
        const sim::NodeSlot& s = world.nodes()[i];
        const raft::Node& n = s.node;
        w.StartObject();
        w.Key("id");
        w.Int(static_cast<int>(i));
        w.Key("role");
        w.String(s.alive ? raft::role_name(n.role()) : "crashed");
        w.Key("term");
        w.Int64(n.current_term());
        w.Key("voted_for");
        w.Int(n.voted_for());
        w.Key("leader");
        w.Int(n.leader());
        w.Key("alive");
        w.Bool(s.alive);
        w.Key("paused");
        w.Bool(s.paused);
        w.Key("commit_index");
        w.Int64(n.commit_index());
        w.Key("last_applied");
        w.Int64(n.last_applied());
        w.Key("last_index");
        w.Int64(n.log().last_index());
        w.Key("snapshot_index");
        w.Int64(n.snapshot_index());
        w.Key("unsynced_entries");
        w.Int64(s.disk.unsynced_entries());
        w.Key("kv_keys");
        w.Uint64(n.kv().key_count());
        w.Key("kv_hash");
        w.String(sim::hex64(n.kv().hash()).c_str());
        w.EndObject();
    }
    w.EndArray();
}

void write_checks(JsonWriter& w, const App& app) {
    const sim::World& world = app.world();
    w.Key("checks");
    w.StartObject();
    const bool lin_bad =
        app.info.lin.checked && app.info.lin.result.verdict == sim::LinResult::kViolation;
    w.Key("ok");
    w.Bool(world.violations().empty() && !lin_bad);
    w.Key("violations");
    w.StartArray();
    for (const sim::Violation& v : world.violations()) {
        w.StartObject();
        w.Key("check");
        w.String(v.check.c_str());
        w.Key("description");
        w.String(v.description.c_str());
        w.Key("t_us");
        w.Int64(v.t_us);
        w.Key("event");
        w.Int64(v.event);
        w.EndObject();
    }
    w.EndArray();
    w.Key("linearizability");
    w.String(app.info.lin.checked ? sim::lin_verdict_name(app.info.lin.result.verdict)
                                  : "not checked");
    w.EndObject();
}

void write_frame(JsonWriter& w, const char* key, const FrameRing& ring) {
    w.Key(key);
    w.StartObject();
    w.Key("p50");
    w.Double(ring.percentile(0.5));
    w.Key("p99");
    w.Double(ring.percentile(0.99));
    w.Key("samples");
    w.Uint64(ring.samples.size());
    w.EndObject();
}

// What runs and where the cursor is.
void write_run(JsonWriter& w, const App& app) {
    const sim::World& world = app.world();
    const sim::Timeline& tl = *app.timeline;
    w.Key("t_us");
    w.Int64(world.now_us());
    w.Key("digest");
    w.String(world.digest_hex().c_str());
    w.Key("playing");
    w.Bool(app.ui.playing && app.visible);
    w.Key("visible");
    w.Bool(app.visible);
    w.Key("speed");
    w.Double(std::pow(10.0, static_cast<double>(app.ui.speed_log10)));
    w.Key("scenario");
    w.String(app.run.builtin.empty() ? app.run.scenario->name.c_str() : app.run.builtin.c_str());
    w.Key("builtin");
    w.Bool(!app.run.builtin.empty());
    w.Key("seed");
    w.Uint64(app.run.seed);
    w.Key("seed_text");
    w.String(std::to_string(app.run.seed).c_str());
    w.Key("duration_us");
    w.Int64(world.scenario().duration_us);
    w.Key("events");
    w.Int64(world.events());
    w.Key("horizon_events");
    w.Int64(tl.horizon_events());
    w.Key("horizon_us");
    w.Int64(tl.horizon_us());
    w.Key("busy");
    w.Bool(app.seek_target_us >= 0 || app.hunting);
    w.Key("halted");
    w.Bool(world.halted());
    w.Key("leader");
    w.Int(world.leader());
    w.Key("inputs");
    w.Uint64(world.inputs().size());
    w.Key("in_flight");
    w.Uint64(world.wire().size());
    w.Key("forked");
    w.Bool(tl.forked());
    w.Key("markers");
    w.Uint64(app.insight.markers().size());
}

}  // namespace

std::string app_state_json(const App& app) {
    const sim::World& world = app.world();
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    write_run(w, app);
    write_nodes(w, world);
    write_checks(w, app);
    w.Key("selected_node");
    w.Int(app.ui.selected_node);
    w.Key("selected_msg");
    w.Int64(app.ui.selected_msg);
    w.Key("selected_msg_state");  // "none", "in_flight", "lost" or "gone"
    {
        const sim::InFlight* f = world.wire().find(app.ui.selected_msg);
        w.String(app.ui.selected_msg == 0 ? "none"
                 : f == nullptr           ? "gone"
                 : f->lost                ? "lost"
                                          : "in_flight");
    }
    w.Key("error");
    if (app.ui.error.empty()) {
        w.Null();
    } else {
        w.String(app.ui.error.c_str());
    }
    w.Key("fragment");
    w.String(app_fragment(app).c_str());
    write_frame(w, "frame_ms", app.app_ms);
    write_frame(w, "frame_total_ms", app.frame_ms);
    w.Key("first_frame_ms");
    w.Double(app.first_frame_ms);
    w.Key("frames");
    w.Uint64(app.frames);
    w.Key("ui");
    w.RawValue(app.ui.spots_json.c_str(), app.ui.spots_json.size(), rapidjson::kObjectType);
    w.EndObject();
    return buf.GetString();
}

std::string app_fragment(const App& app) {
    return sim::encode_fragment(current_run_file(app), app.run.builtin);
}

std::string app_run_file_json(const App& app) {
    return sim::run_file_to_json(current_run_file(app));
}

}  // namespace render
