// render/top_bar.cpp — the transport controls across the top: play/pause,
// steps and marker jumps, speed, simulated time, scenario picker, seed, Copy
// link and the checker lamp. (The fork indicator is on the status line below,
// render/app.cpp.)
//
// Reads the world; every change of time or run is a Command. Layout is
// stable: every text whose width changes (the time, the seed, the lamp's
// word, the fork indicator) sits in a slot of fixed width, so no button
// moves under the mouse while the run plays or forks.
//
// Index
//   transport
//   time and speed
//   scenario and seed
//   lamp
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "render/draw.h"
#include "render/ui.h"

namespace render {

namespace {

// Ends a slot that began at x0 (window coordinates) `width` wide: the next
// item starts there whatever the slot's content took.
void end_slot(float x0, float width) {
    ImGui::SameLine(x0 + width, 0);
}

// ===========================================================================
// transport
// ===========================================================================

void transport(View& v) {
    const bool playing = v.app.playing;
    if (icon_button("##play", playing ? Icon::kPause : Icon::kPlay,
                    playing ? "Pause (Space)" : "Play (Space)")) {
        v.push(CommandKind::kTogglePlay);
    }
    v.spot("top.play");
    ImGui::SameLine(0, 3);
    if (icon_button("##start", Icon::kToStart, "Back to t = 0 (Home)"))
        v.push(CommandKind::kToStart);
    ImGui::SameLine(0, 3);
    if (icon_button(
            "##prev_marker", Icon::kPrevMarker,
            "Previous interesting event: election, fault, action, violation (Shift+Left)")) {
        v.push(CommandKind::kJumpPrev);
    }
    v.spot("top.prev_marker");
    ImGui::SameLine(0, 3);
    if (icon_button("##step_back", Icon::kStepBack, "Step back one event (Left)")) {
        v.push(CommandKind::kStepBack);
    }
    v.spot("top.step_back");
    ImGui::SameLine(0, 3);
    if (icon_button("##step_fwd", Icon::kStepForward, "Step forward one event (Right)")) {
        v.push(CommandKind::kStepForward);
    }
    v.spot("top.step_forward");
    ImGui::SameLine(0, 3);
    if (icon_button("##next_marker", Icon::kNextMarker,
                    "Next interesting event: election, fault, action, violation (Shift+Right)")) {
        v.push(CommandKind::kJumpNext);
    }
    v.spot("top.next_marker");
    ImGui::SameLine(0, 3);
    if (icon_button("##end", Icon::kToEnd, "To the furthest moment simulated so far (End)")) {
        v.push(CommandKind::kToHorizon);
    }
}

// ===========================================================================
// time and speed
// ===========================================================================

std::string speed_label(float log10_speed) {
    const double x = std::pow(10.0, static_cast<double>(log10_speed));
    char buf[32];
    if (x >= 0.995) {
        std::snprintf(buf, sizeof buf, "%.3gx", x);
    } else {
        std::snprintf(buf, sizeof buf, "1/%.0fx", 1.0 / x);
    }
    return buf;
}

void speed_slider(View& v, float width) {
    ImGui::SetNextItemWidth(width);
    float speed_log10 = v.speed_log10();
    const std::string label = speed_label(speed_log10);
    if (ImGui::SliderFloat("##speed", &speed_log10, -3.f, 2.f, label.c_str()))
        v.set_speed(speed_log10);
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip(
            "Playback speed: simulated time per wall-clock time, 1/1000x to 100x "
            "(logarithmic). Keys: - and +. Right-click for presets.");
    }
    v.spot("top.speed");
    if (ImGui::BeginPopupContextItem("##speed_presets")) {
        const float presets[] = {-3.f, -2.f, -1.30103f, -1.f, -0.30103f, 0.f, 1.f, 2.f};
        for (float p : presets) {
            if (ImGui::MenuItem(speed_label(p).c_str())) v.set_speed(p);
        }
        ImGui::EndPopup();
    }
}

void duration_tooltip(const View& v) {
    if (!ImGui::IsItemHovered()) return;
    const sim::World& w = v.world;
    ImGui::SetTooltip(
        "Simulated time / where the scenario's script ends (%s), and the number of events so "
        "far (%lld).\nThe run goes on past the script (a +: it has) up to %s; simulated %s so "
        "far (horizon).",
        format_time(w.scenario().duration_us).c_str(), static_cast<long long>(w.events()),
        format_time(v.app.end_us).c_str(), format_time(v.timeline.horizon_us()).c_str());
}

void playback_status(View& v) {
    if (v.app.busy) {
        ImGui::TextColored(ImVec4(0.6f, 0.8f, 1, 1), "simulating...");
    } else if (v.app.at_end) {
        ImGui::TextColored(ImVec4(1, 0.7f, 0.3f, 1), "end");
        tooltip(
            "The run went on as far as a run extends past its script. Scrub back to act in the "
            "past, or restart with a new seed.");
    } else if (v.app.budget_hit) {
        ImGui::TextColored(ImVec4(1, 0.7f, 0.3f, 1), "(behind)");
        tooltip("The simulation cannot keep up with this speed: playback is slower than it asks.");
    } else {
        ImGui::TextUnformatted("");
    }
    v.spot("top.status");
}

// `compact` (the narrow layout) leaves out the script's end and the event
// count; the time's tooltip says them.
void speed_and_time(View& v, bool compact) {
    if (!compact) ImGui::SameLine(0, 12);
    speed_slider(v, compact ? 120.f : 130.f);
    ImGui::SameLine(0, 12);
    const sim::World& w = v.world;
    const float em = ImGui::CalcTextSize("0").x;
    float x0 = ImGui::GetCursorPosX();
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(ImVec4(0.95f, 0.95f, 1, 1), "t = %s", format_time(w.now_us()).c_str());
    v.spot("top.time");
    if (compact) duration_tooltip(v);
    end_slot(x0, (compact ? 14 : 17) * em);
    if (!compact) {
        x0 = ImGui::GetCursorPosX();
        const bool past_script = w.now_us() > w.scenario().duration_us;
        ImGui::TextDisabled("/ %s%s #%lld", format_time(w.scenario().duration_us).c_str(),
                            past_script ? " +" : "", static_cast<long long>(w.events()));
        duration_tooltip(v);
        end_slot(x0, 25 * em);
    }
    x0 = ImGui::GetCursorPosX();
    playback_status(v);
    end_slot(x0, 13 * em);
}

// ===========================================================================
// scenario and seed
// ===========================================================================

void description_tooltip(const std::string& description) {
    if (!ImGui::IsItemHovered() || description.empty()) return;
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(360);
    ImGui::TextUnformatted(description.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

// One group of the picker (the tour's group: "" the scenarios, "Bug hunts").
// A bug hunt opens at its tour's seed, where its broken rule shows, as in
// the Scenario tab; a scenario keeps the current seed.
void picker_group(View& v, const std::string& group) {
    for (const BuiltinScenario& b : *v.app.builtins) {
        if (b.tour.group != group) continue;
        const bool selected = b.name == v.app.builtin_name;
        if (ImGui::Selectable(b.name.c_str(), selected)) {
            Command c;
            c.kind = CommandKind::kLoadBuiltin;
            c.text = b.name;
            c.seed = b.tour.seed != 0 ? b.tour.seed : v.app.seed;
            v.commands.push_back(std::move(c));
        }
        v.spot("top.scenario." + b.name);
        description_tooltip(b.scenario.description);
    }
}

void scenario_combo(View& v, float width) {
    const std::string current =
        v.app.builtin_name.empty() ? "custom: " + v.world.scenario().name : v.app.builtin_name;
    ImGui::SetNextItemWidth(width);
    // Every scenario and bug hunt at once, as far as the window allows (a
    // list that scrolls hides the bug hunts at its end).
    if (ImGui::BeginCombo("##scenario", current.c_str(), ImGuiComboFlags_HeightLargest)) {
        picker_group(v, "");
        ImGui::Separator();
        ImGui::TextDisabled("Bug hunts: a broken rule to catch in the act");
        picker_group(v, "Bug hunts");
        ImGui::EndCombo();
    }
    v.spot("top.scenario");
    description_tooltip(v.world.scenario().description);
}

void new_seed_command(View& v) {
    Command c;
    c.kind = CommandKind::kRestart;
    // A new seed from the old one (no wall clock: the page stays reproducible).
    c.seed = (v.app.seed * 6364136223846793005ull + 1442695040888963407ull) >> 33;
    v.commands.push_back(std::move(c));
}

constexpr const char* kNewSeedTip =
    "Restart this scenario with another seed (the input log is cleared). Undo (Ctrl+Z, or the "
    "browser's Back) returns to this run.";
constexpr const char* kCopyLinkTip =
    "Copy the exact link of this moment: scenario, seed, your actions, the time and the speed. "
    "Opening it shows exactly this.";

// The width scenario_picker and checker_lamp take on one line (with the
// lamp's word or without), to decide whether they start a second row (a
// 1024-pixel window) or the lamp goes without its word (1280 pixels).
float picker_and_lamp_width(bool word) {
    const ImGuiStyle& st = ImGui::GetStyle();
    auto button = [&](const char* t) { return ImGui::CalcTextSize(t).x + 2 * st.FramePadding.x; };
    return 16 + 170 + st.ItemSpacing.x + ImGui::CalcTextSize("seed 00000000000").x +
           button("new seed") + st.ItemSpacing.x + button("Copy link") + 16 +
           ImGui::GetFrameHeight() + (word ? 2 + ImGui::CalcTextSize("VIOLATION").x + 14 : 0) + 30;
}

// Returns whether the lamp goes without its word on this row.
bool scenario_picker(View& v) {
    const float avail = ImGui::GetContentRegionAvail().x;
    const bool wrap = avail < picker_and_lamp_width(false);
    if (wrap) {
        ImGui::NewLine();
    } else {
        ImGui::SameLine(0, 16);
    }
    const bool compact_lamp = !wrap && avail < picker_and_lamp_width(true);
    scenario_combo(v, 170);
    ImGui::SameLine();
    const float x0 = ImGui::GetCursorPosX();
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("seed %llu", static_cast<unsigned long long>(v.app.seed));
    end_slot(x0, ImGui::CalcTextSize("seed 00000000000").x);
    if (ImGui::SmallButton("new seed")) new_seed_command(v);
    tooltip(kNewSeedTip);
    v.spot("top.new_seed");
    ImGui::SameLine();
    if (ImGui::SmallButton("Copy link")) v.push(CommandKind::kCopyLink);
    tooltip(kCopyLinkTip);
    v.spot("top.copy_link");
    return compact_lamp;
}

// The narrow layout's third row: the drawer's button, the picker, and an
// overflow menu with the seed, new seed and Copy link.
void narrow_scenario_row(View& v) {
    // The label stays the same (nothing moves); the button is lit while open.
    if (v.ui.drawer_open)
        ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    const bool toggle = ImGui::Button("Panels");
    if (v.ui.drawer_open) ImGui::PopStyleColor();
    if (toggle) v.ui.drawer_open = !v.ui.drawer_open;
    tooltip("Control, Node, Message, Scenario and Checks, in a drawer over the cluster.");
    v.spot("top.panels");
    ImGui::SameLine();
    const float more_w = ImGui::CalcTextSize("...").x + 2 * ImGui::GetStyle().FramePadding.x;
    scenario_combo(v, ImGui::GetContentRegionAvail().x - more_w - ImGui::GetStyle().ItemSpacing.x);
    ImGui::SameLine();
    if (ImGui::Button("...")) ImGui::OpenPopup("##more");
    tooltip("Seed, new seed, Copy link");
    v.spot("top.more");
    if (ImGui::BeginPopup("##more")) {
        ImGui::TextDisabled("seed %llu", static_cast<unsigned long long>(v.app.seed));
        if (ImGui::Selectable("New seed")) new_seed_command(v);
        tooltip(kNewSeedTip);
        v.spot("top.new_seed");
        if (ImGui::Selectable("Copy link")) v.push(CommandKind::kCopyLink);
        tooltip(kCopyLinkTip);
        v.spot("top.copy_link");
        if (ImGui::Selectable(v.ui.show_lower ? "Hide the lower pane" : "Show the lower pane"))
            v.ui.show_lower = !v.ui.show_lower;
        ImGui::EndPopup();
    }
}

// ===========================================================================
// lamp
// ===========================================================================

// The lamp's word, in a slot as wide as the longer one.
void lamp_word(bool ok) {
    const float x0 = ImGui::GetCursorPosX();
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(ok ? ImVec4(0.5f, 0.85f, 0.6f, 1) : ImVec4(1, 0.4f, 0.4f, 1),
                       ok ? "safe" : "VIOLATION");
    end_slot(x0, ImGui::CalcTextSize("VIOLATION").x + 14);
}

// `compact`: the lamp alone (its tooltip says the word).
void checker_lamp(View& v, bool compact) {
    const sim::World& w = v.world;
    const bool lin_bad =
        v.app.lin.checked && v.app.lin.result.verdict == sim::LinResult::kViolation;
    const bool ok = w.violations().empty() && !lin_bad;
    ImGui::SameLine(0, 16);
    const float h = ImGui::GetFrameHeight();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    if (ImGui::InvisibleButton("##lamp", ImVec2(h, h))) v.ui.focus_tab = PanelTab::kChecks;
    lamp(ImGui::GetWindowDrawList(), ImVec2(p.x + h * 0.5f, p.y + h * 0.5f), h * 0.32f,
         ok ? kColGood : kColBad);
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip(ok ? "Checks hold: election safety, log matching, leader completeness,\n"
                               "state-machine safety, monotonic term/commit, durability%s."
                             : "A check failed: click for the explanation.",
                          v.app.lin.checked ? ", linearizability" : "");
    }
    v.spot("top.lamp");
    if (!compact) {
        ImGui::SameLine(0, 2);
        lamp_word(ok);
    }
    const float help_w = std::max(22.f, ImGui::GetFrameHeight());
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - help_w - 2);
    if (ImGui::Button("?", ImVec2(help_w, 0))) v.ui.show_help = !v.ui.show_help;
    tooltip("Help and keyboard shortcuts (?)");
    v.spot("top.help");
}

}  // namespace

// Wide: one row (the lamp without its word when that is what makes it fit,
// e.g. 1280 pixels; two rows when even that does not fit, e.g. 1024). Narrow (a phone): transport
// and lamp; speed and time; the drawer's button, the picker and the overflow menu.
void draw_top_bar(View& v) {
    transport(v);
    if (v.ui.narrow) {
        checker_lamp(v, true);
        speed_and_time(v, true);
        ImGui::NewLine();
        narrow_scenario_row(v);
        return;
    }
    speed_and_time(v, false);
    checker_lamp(v, scenario_picker(v));
}

}  // namespace render
