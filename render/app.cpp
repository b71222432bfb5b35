// render/app.cpp — the App: the view layer over a session::Session. It owns
// the UiState, lays the panels out, and passes what the views ask for to the
// session as commands once the frame's widgets are built.
//
// It moves nothing in time itself: Session::play(dt) runs before the widgets
// (playback, multi-frame seeks), Session::apply_commands() after them. When
// the session shows a new run (its run_generation changes) the view forgets
// its selection and drafts; when the world meets a new violation the view
// brings the Checks tab forward and shows the banner again.
//
// Index
//   the app and its view state
//   frame and layout
//   frame, state JSON, import
#include "render/app.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "format/json.h"
#include "imgui.h"
#include "render/draw.h"
#include "render/ui.h"

namespace render {

// ===========================================================================
// the app and its view state
// ===========================================================================

struct App {
    explicit App(session::Session& s) : session(s) {}
    session::Session& session;
    UiState ui;
    std::vector<Command> commands;  // this frame's, handed over after the widgets
    uint64_t generation = 0;        // the session's run_generation the UiState is for
};

namespace {

// A new run: selection, drafts and the violation banner start over.
void sync_view(App& app) {
    const session::Session& s = app.session;
    if (app.generation == s.run_generation()) return;
    app.generation = s.run_generation();
    UiState& ui = app.ui;
    ui.selected_msg = 0;
    if (ui.selected_node >= s.world().scenario().cluster.node_count) ui.selected_node = -1;
    ui.seed_text_synced = false;
    ui.draft = s.world().scenario();
    ui.draft_valid = true;
    ui.loss_editing = false;
    ui.violation_shown = -1;
    ui.violation_dismissed = false;
}

// A violation halts the world (the session pauses): explain it, once each.
void watch_violations(App& app) {
    const int count = static_cast<int>(app.session.world().violations().size());
    if (count == 0 || app.ui.violation_shown == count - 1) return;
    app.ui.violation_shown = count - 1;
    app.ui.violation_dismissed = false;
    app.ui.focus_tab = PanelTab::kChecks;
}

double now_ms(const App& app) {
    const session::Clock* clock = app.session.clock();
    return clock ? clock->now_ms() : 0.0;
}

}  // namespace

// ===========================================================================
// frame and layout
// ===========================================================================

namespace {

// The error floats over the cluster view (the right panel stays reachable)
// and the notice has a line of its own that is always there: neither moves
// a button.
void draw_error(View& v, ImVec2 at, float width) {
    const session::Info& info = v.app;
    if (info.error.empty()) return;
    ImGui::SetNextWindowPos(at, ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(std::min(720.f, width), 0), ImGuiCond_Always);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(80, 30, 30, 245));
    ImGui::Begin("##error", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoFocusOnAppearing);
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(ImVec4(1, 0.8f, 0.7f, 1), "%s", info.error.c_str());
    ImGui::PopTextWrapPos();
    if (ImGui::SmallButton("Dismiss (Esc)")) v.push(CommandKind::kDismissError);
    v.spot("banner.dismiss");
    if (info.link_partial) {
        ImGui::SameLine();
        if (ImGui::SmallButton("Copy the working link")) v.push(CommandKind::kCopyLink);
        v.spot("banner.copy_link");
    }
    v.spot_rect("banner.error", ImGui::GetWindowPos(),
                ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowSize().x,
                       ImGui::GetWindowPos().y + ImGui::GetWindowSize().y));
    ImGui::End();
    ImGui::PopStyleColor();
}

// The fork indicator sits at the status line's right end, in a slot of its
// own: the undo button first, so the fork time's width moves nothing.
void draw_fork_indicator(View& v, float x) {
    if (!v.timeline.forked()) return;
    ImGui::SameLine(x);
    if (ImGui::SmallButton("undo fork")) v.push(CommandKind::kUndoFork);
    tooltip(
        "You acted in the past, so the future was simulated again from there. "
        "Undo brings the original future back (u).");
    v.spot("top.undo_fork");
    ImGui::SameLine();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kColFork), "forked at %s",
                       format_time(v.app.fork_t_us).c_str());
}

void draw_status_line(View& v) {
    const session::Info& info = v.app;
    const float fork_x = ImGui::GetWindowContentRegionMax().x - 250.f;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    // The notice gives way to the fork indicator only while there is one (a
    // phone's line is short).
    const float clip_x = v.timeline.forked() ? fork_x - 8 : ImGui::GetWindowContentRegionMax().x;
    ImGui::PushClipRect(p, ImVec2(ImGui::GetWindowPos().x + clip_x, p.y + 100), true);
    if (info.notice_left_s > 0 && !info.notice.empty()) {
        ImGui::TextColored(ImVec4(0.7f, 0.85f, 1, 1), "%s", info.notice.c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", info.notice.c_str());
    } else if (v.world.now_us() > v.duration_us()) {
        ImGui::TextDisabled("Past the scenario's script: the run goes on.");
    } else {
        ImGui::TextUnformatted("");
    }
    v.spot("status");
    ImGui::PopClipRect();
    draw_fork_indicator(v, fork_x);
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
    const bool logs = ImGui::BeginTabItem("Logs", nullptr, flags(UiState::Lower::kLogs));
    v.spot("tab.logs");
    if (logs) {
        draw_logs_view(v, body);
        ImGui::EndTabItem();
    }
    const bool narration =
        ImGui::BeginTabItem("Narration", nullptr, flags(UiState::Lower::kNarration));
    v.spot("tab.narration");
    if (narration) {
        draw_narration_list(v, body);
        ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
}

// The narrow layout's drawer: the side panels over the lower part of the
// cluster view (the caption and the top of the cluster stay in sight, so a
// node clicked there shows its panel below), full width, with a close button.
void draw_drawer(View& v, ImVec2 at, ImVec2 size) {
    ImGui::SetNextWindowPos(at, ImGuiCond_Always);
    ImGui::SetNextWindowSize(size, ImGuiCond_Always);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, kColPanelBg);
    ImGui::Begin(
        "##drawer", nullptr,
        ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove);
    v.spot_rect("drawer", at, ImVec2(at.x + size.x, at.y + size.y));
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("Panels");
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - button_width("Close"));
    if (ImGui::Button("Close")) v.ui.drawer_open = false;
    tooltip("Close the panels (Esc).");
    v.spot("drawer.close");
    draw_right_panel(v);
    ImGui::End();
    ImGui::PopStyleColor();
}

// Where the layout puts things this frame.
struct Areas {
    float main_h = 0, left_w = 0;
    bool side_panel = true;  // false: the panels are in the drawer
};

Areas plan_areas(const View& v, ImVec2 avail, float timeline_h) {
    const ImGuiStyle& style = ImGui::GetStyle();
    Areas a;
    a.main_h = std::max(120.f, avail.y - timeline_h - style.ItemSpacing.y);
    a.side_panel = !v.ui.narrow;
    if (!a.side_panel) {
        a.left_w = avail.x;
        return a;
    }
    // 360 at least: the tabs' names and the control panel's rows fit.
    const float right_w = std::clamp(avail.x * 0.3f, 360.f, 430.f);
    a.left_w = std::max(200.f, avail.x - right_w - style.ItemSpacing.x);
    return a;
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
    // Anything that brings a panel's tab forward opens the drawer.
    if (v.ui.narrow && v.ui.focus_tab != PanelTab::kNone) v.ui.drawer_open = true;
    if (!v.ui.narrow) v.ui.drawer_open = false;
    draw_top_bar(v);
    draw_status_line(v);
    const ImGuiStyle& style = ImGui::GetStyle();
    const float timeline_h = 64.f;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const Areas areas = plan_areas(v, avail, timeline_h);
    const float main_h = areas.main_h, left_w = areas.left_w;

    const ImVec2 left_at = ImGui::GetCursorScreenPos();
    ImGui::BeginChild("##left", ImVec2(left_w, main_h), false,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    draw_caption(v, left_w);
    const float rest_h = main_h - caption_height() - style.ItemSpacing.y;
    const float cluster_h = v.ui.show_lower ? std::floor(rest_h * 0.58f) : rest_h;
    const ImVec2 cluster_at = ImGui::GetCursorScreenPos();
    ImGui::BeginChild("##cluster", ImVec2(0, cluster_h), false,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    draw_cluster_view(v, ImGui::GetContentRegionAvail());
    ImGui::EndChild();
    v.spot_rect("cluster", cluster_at, ImVec2(cluster_at.x + left_w, cluster_at.y + cluster_h));
    const float tour_w = areas.side_panel ? std::min(360.f, left_w * 0.5f) : left_w - 8;
    if (v.ui.show_lower) draw_lower_pane(v, ImGui::GetContentRegionAvail());
    ImGui::EndChild();

    if (areas.side_panel) {
        ImGui::SameLine();
        ImGui::BeginChild("##right", ImVec2(0, main_h), true);
        v.spot_rect("panel", ImGui::GetWindowPos(),
                    ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowSize().x,
                           ImGui::GetWindowPos().y + ImGui::GetWindowSize().y));
        draw_right_panel(v);
        ImGui::EndChild();
    }

    draw_timeline_bar(v, ImVec2(avail.x, timeline_h));
    ImGui::End();
    draw_tour_panel(v, ImVec2(cluster_at.x + left_w - tour_w - 4, cluster_at.y + 4), tour_w);
    if (v.ui.drawer_open) {
        const float top = std::floor(main_h * 0.3f);
        draw_drawer(v, ImVec2(left_at.x, left_at.y + top), ImVec2(avail.x, main_h - top));
    }
    draw_error(v, ImVec2(left_at.x + 8, left_at.y + 4), left_w - 16);
    draw_help_overlay(v);
}

std::string spots_json(const std::vector<Spot>& spots) {
    sim::JsonWriter w(sim::JsonDialect::kReport);
    w.begin_object();
    for (const Spot& s : spots) {
        w.key(s.name.c_str());
        w.begin_array();
        w.number(std::round(s.x * 10) / 10);
        w.number(std::round(s.y * 10) / 10);
        w.number(std::round(s.w * 10) / 10);
        w.number(std::round(s.h * 10) / 10);
        w.end_array();
    }
    w.end_object();
    return w.take();
}

ImGuiStyle base_style() {
    ImGuiStyle s;
    ImGui::StyleColorsDark(&s);
    s.FrameRounding = 3;
    s.GrabRounding = 3;
    s.TabRounding = 3;
    s.ChildRounding = 3;
    s.WindowBorderSize = 0;
    s.FramePadding = ImVec2(6, 3);
    s.ItemSpacing = ImVec2(6, 4);
    s.DisabledAlpha = 0.35f;  // a disabled kill or restart must look it
    s.Colors[ImGuiCol_WindowBg] = ImVec4(0.08f, 0.09f, 0.11f, 1);
    s.Colors[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    s.Colors[ImGuiCol_Border] = ImVec4(0.2f, 0.22f, 0.27f, 1);
    return s;
}

// For fingers: frames about 30 pixels high, wider grabs and scrollbars.
ImGuiStyle narrow_style() {
    ImGuiStyle s = base_style();
    s.ScaleAllSizes(1.3f);
    s.FramePadding = ImVec2(10, 8);
    s.ItemSpacing = ImVec2(8, 6);
    s.ScrollbarSize = 20;
    s.GrabMinSize = 18;
    return s;
}

// Picks the layout for this frame's window width, with its style.
void choose_layout(UiState& ui) {
    static const ImGuiStyle wide = base_style();
    static const ImGuiStyle narrow = narrow_style();
    ui.narrow = ImGui::GetIO().DisplaySize.x < kNarrowWidth;
    ImGui::GetStyle() = ui.narrow ? narrow : wide;
}

std::string layout_json(const UiState& ui) {
    sim::JsonWriter w(sim::JsonDialect::kReport);
    w.begin_object();
    w.key("layout");
    w.string(ui.narrow ? "narrow" : "wide");
    w.key("drawer_open");
    w.boolean(ui.drawer_open);
    w.key("popup_open");
    w.boolean(ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel));
    w.key("help_open");
    w.boolean(ui.show_help);
    w.end_object();
    return w.take();
}

}  // namespace

// ===========================================================================
// frame, state JSON, import
// ===========================================================================

App* app_create(session::Session& session) {
    App* app = new App(session);
    sync_view(*app);
    return app;
}

void app_destroy(App* app) {
    delete app;
}

void app_frame(App& app, double wall_dt_s) {
    const double frame_start_ms = now_ms(app);
    session::Session& s = app.session;
    choose_layout(app.ui);
    s.play(wall_dt_s);
    sync_view(app);
    watch_violations(app);
    app.ui.spots.clear();
    View v{s.world(), s.timeline(), s.insight(), s.info(), app.ui, app.commands, s.tour()};
    draw_layout(v);
    handle_shortcuts(v);
    app.ui.spots_json = spots_json(app.ui.spots);
    app.ui.view_json = layout_json(app.ui);
    for (Command& c : app.commands)
        s.submit(std::move(c));
    app.commands.clear();
    s.apply_commands();
    sync_view(app);
    s.note_app_ms(now_ms(app) - frame_start_ms);
}

std::string app_state_json(const App& app) {
    session::ViewReport view;
    view.selected_node = app.ui.selected_node;
    view.selected_msg = app.ui.selected_msg;
    view.spots_json = app.ui.spots_json;
    view.layout_json = app.ui.view_json;
    return app.session.state_json(view);
}

void app_load_fragment(App& app, const std::string& fragment) {
    app.session.load_fragment(fragment);
    sync_view(app);
}

bool app_import(App& app, const std::string& bytes, const std::string& source_name) {
    const bool ok = app.session.import_file(bytes, source_name);
    sync_view(app);
    return ok;
}

}  // namespace render
