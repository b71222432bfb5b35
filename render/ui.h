// render/ui.h — what the views share: the UI state the views own, and the
// per-frame View they draw from.
//
// Views read the session (world, timeline, insight, info) through const
// references and never mutate it. What a user does becomes a
// session::Command appended to View::commands; the app hands them to the
// session after the frame's widgets are built (so no view ever sees the
// world change under it), and every world-changing command goes through
// sim::Timeline::act, which records it in the input log. UiState is the only
// thing views write directly: selection, open panels, text fields.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "imgui.h"
#include "session/session.h"

namespace render {

// The session's vocabulary, by its short names in the views.
using session::BuiltinScenario;
using session::Command;
using session::CommandKind;
using session::CommitPoint;
using session::FrameStats;
using session::Insight;
using session::kMsgTypes;
using session::kRateBucketUs;
using session::LaneState;
using session::LatencyPoint;
using session::LinCheck;
using session::Marker;
using session::marker_name;
using session::MarkerKind;

// ---------------------------------------------------------------------------
// UI state: owned by the app (the view layer), written by views. Nothing here
// reaches the world; a new run (Session::run_generation) resets selection and
// drafts.
enum class PanelTab : uint8_t { kNone, kControl, kNode, kMessage, kScenario, kChecks };

// A named widget's rectangle this frame, so browser tests can click real
// widgets (state().ui["node.kill"] = [x, y, w, h] in CSS pixels).
struct Spot {
    std::string name;
    float x = 0, y = 0, w = 0, h = 0;
};

struct UiState {
    // Selection (node id or -1; message id or 0).
    int selected_node = -1;
    int64_t selected_msg = 0;
    // Right-hand panel: the tab to bring forward on the next frame.
    PanelTab focus_tab = PanelTab::kNone;
    bool show_help = false;
    bool show_lower = true;
    // The narrow layout (a phone: the window is narrower than kNarrowWidth):
    // the side panels live in a drawer over the lower part of the cluster
    // view, opened from the top bar (or by anything that brings a tab
    // forward), and the style is scaled for fingers.
    bool narrow = false;
    bool drawer_open = false;
    // Lower pane: the tab to bring forward on the next frame.
    enum class Lower : uint8_t {
        kNone,
        kSpacetime,
        kCharts,
        kNarration,
        kLogs
    } focus_lower = Lower::kNone;
    // Narrated event list: commits shown, the list follows the cursor (and
    // the moment it last scrolled to).
    bool narration_commits = false;
    bool narration_follow = true;
    int64_t narration_followed_t_us = -2;
    // All-logs view: keep the end of the logs in view.
    bool logs_follow = true;
    // etcd-play control panel: target node (-1: the leader), key, value, count.
    int ctl_node = -1;
    char key[64] = "color";
    char value[128] = "blue";
    int stress_count = 100;
    int loss_pct = 10;
    bool loss_editing = false;  // moved by the user, not yet Set: not synced from the world
    // Node panel's own key/value fields.
    char node_key[64] = "x";
    char node_value[128] = "1";
    // Message panel: extra delay in ms.
    int delay_ms = 100;
    // Scenario panel.
    char seed_text[32] = "";
    bool seed_text_synced = false;
    sim::Scenario draft;  // the settings editor's copy; applied as a custom scenario
    bool draft_valid = false;
    // Space-time diagram: visible span in simulated ms.
    float spacetime_span_ms = 300.f;
    int64_t spacetime_anchor_us = -1;  // the right edge, frozen while dragging
    // The violation explained in the banner (its index in world.violations()).
    int violation_shown = -1;
    bool violation_dismissed = false;
    // Named widgets drawn this frame, and their JSON for state().
    std::vector<Spot> spots;
    std::string spots_json = "{}";
    // The layout's state for tests: {layout, drawer_open, popup_open}.
    std::string view_json = "{}";
};

// Below this window width (CSS pixels) the page uses the narrow layout.
constexpr float kNarrowWidth = 800.f;

// ---------------------------------------------------------------------------
// One frame's view of the session.
struct View {
    const sim::World& world;
    const sim::Timeline& timeline;
    const Insight& insight;
    const session::Info& app;  // playback, error, notice, checks, the built-ins
    UiState& ui;
    std::vector<Command>& commands;
    const session::TourState& tour;

    void push(CommandKind kind) {
        Command c;
        c.kind = kind;
        commands.push_back(std::move(c));
    }
    void act(sim::Action a) {
        Command c;
        c.kind = CommandKind::kAct;
        c.action = std::move(a);
        commands.push_back(std::move(c));
    }
    void seek(int64_t t_us) {
        Command c;
        c.kind = CommandKind::kSeekTime;
        c.t_us = t_us;
        commands.push_back(std::move(c));
    }
    void set_playing(bool playing) {
        Command c;
        c.kind = CommandKind::kSetPlaying;
        c.flag = playing;
        commands.push_back(std::move(c));
    }
    // The speed as this frame's commands leave it (a slider and a key may
    // both move it before the session applies them).
    float speed_log10() const {
        for (size_t i = commands.size(); i-- > 0;) {
            if (commands[i].kind == CommandKind::kSetSpeed) return commands[i].speed_log10;
        }
        return app.speed_log10;
    }
    void set_speed(float speed_log10) {
        Command c;
        c.kind = CommandKind::kSetSpeed;
        c.speed_log10 = speed_log10;
        commands.push_back(std::move(c));
    }
    // Names the last widget for tests (see Spot).
    void spot(const std::string& name) {
        const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
        ui.spots.push_back(Spot{name, a.x, a.y, b.x - a.x, b.y - a.y});
    }
    void spot_rect(const std::string& name, ImVec2 a, ImVec2 b) {
        ui.spots.push_back(Spot{name, a.x, a.y, b.x - a.x, b.y - a.y});
    }
    int node_count() const { return static_cast<int>(world.nodes().size()); }
    // The end of the time axis: the run's duration.
    int64_t duration_us() const { return world.scenario().duration_us; }
};

// ---------------------------------------------------------------------------
// The views (one file each). Sizes are the space the caller gives them.
void draw_top_bar(View& v);
void draw_cluster_view(View& v, ImVec2 size);
void draw_node_panel(View& v);
void draw_message_panel(View& v);
void draw_control_panel(View& v);
void draw_scenario_panel(View& v);
void draw_checks_panel(View& v);
void draw_timeline_bar(View& v, ImVec2 size);
void draw_spacetime(View& v, ImVec2 size);
void draw_charts(View& v, ImVec2 size);
// The narration (narration_view.cpp): the caption line and the event list.
float caption_height();
void draw_caption(View& v, float width);
void draw_narration_list(View& v, ImVec2 size);
void draw_logs_view(View& v, ImVec2 size);  // all logs side by side
void draw_client_requests(View& v);         // requests_view.cpp, in the control panel
void draw_help_overlay(View& v);
void draw_tour_panel(View& v, ImVec2 at, float width);  // over the cluster view
void handle_shortcuts(View& v);

// Small action builders shared by panels.
sim::Action node_action(sim::ActionKind kind, int node);
sim::Action leader_action(sim::ActionKind kind);
sim::Action isolate_action(int node, int node_count);
sim::Action heal_action();
sim::Action client_action(sim::ActionKind kind, int node_or_leader, const std::string& key,
                          const std::string& value);

}  // namespace render
