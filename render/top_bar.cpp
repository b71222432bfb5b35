// render/top_bar.cpp — the transport controls across the top: play/pause,
// steps and marker jumps, speed, simulated time, scenario picker, seed, the
// checker lamp and the fork indicator.
//
// Reads the world; every change of time or run is a Command.
//
// Index
//   transport
//   time and speed
//   scenario and seed
//   lamp and fork
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "render/draw.h"
#include "render/ui.h"

namespace render {

namespace {

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

void speed_and_time(View& v) {
    ImGui::SameLine(0, 12);
    ImGui::SetNextItemWidth(130);
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
    ImGui::SameLine(0, 12);
    const sim::World& w = v.world;
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(ImVec4(0.95f, 0.95f, 1, 1), "t = %s", format_time(w.now_us()).c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("/ %s  #%lld", format_time(w.scenario().duration_us).c_str(),
                        static_cast<long long>(w.events()));
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip(
            "Simulated time / run length, and the number of events so far.\n"
            "Simulated %s so far (horizon).",
            format_time(v.timeline.horizon_us()).c_str());
    }
    if (v.app.busy) {
        ImGui::SameLine();
        ImGui::TextColored(ImVec4(0.6f, 0.8f, 1, 1), "simulating...");
    } else if (v.app.budget_hit) {
        ImGui::SameLine();
        ImGui::TextColored(ImVec4(1, 0.7f, 0.3f, 1), "(behind)");
        tooltip("This frame ran out of its event budget: playback is slower than the speed asks.");
    }
}

// ===========================================================================
// scenario and seed
// ===========================================================================

void scenario_picker(View& v) {
    ImGui::SameLine(0, 16);
    const std::string current =
        v.app.builtin_name.empty() ? "custom: " + v.world.scenario().name : v.app.builtin_name;
    ImGui::SetNextItemWidth(170);
    if (ImGui::BeginCombo("##scenario", current.c_str(), ImGuiComboFlags_HeightLarge)) {
        for (const BuiltinScenario& b : *v.app.builtins) {
            const bool selected = b.name == v.app.builtin_name;
            if (ImGui::Selectable(b.name.c_str(), selected)) {
                Command c;
                c.kind = CommandKind::kLoadBuiltin;
                c.text = b.name;
                c.seed = v.app.seed;
                v.commands.push_back(std::move(c));
            }
            if (ImGui::IsItemHovered() && !b.scenario.description.empty()) {
                ImGui::BeginTooltip();
                ImGui::PushTextWrapPos(360);
                ImGui::TextUnformatted(b.scenario.description.c_str());
                ImGui::PopTextWrapPos();
                ImGui::EndTooltip();
            }
        }
        ImGui::EndCombo();
    }
    v.spot("top.scenario");
    if (ImGui::IsItemHovered() && !v.world.scenario().description.empty()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(360);
        ImGui::TextUnformatted(v.world.scenario().description.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("seed %llu", static_cast<unsigned long long>(v.app.seed));
    ImGui::SameLine();
    if (ImGui::SmallButton("new seed")) {
        Command c;
        c.kind = CommandKind::kRestart;
        // A new seed from the old one (no wall clock: the page stays reproducible).
        c.seed = (v.app.seed * 6364136223846793005ull + 1442695040888963407ull) >> 33;
        v.commands.push_back(std::move(c));
    }
    tooltip("Restart this scenario with another seed (the input log is cleared).");
    v.spot("top.new_seed");
}

// ===========================================================================
// lamp and fork
// ===========================================================================

void lamp_and_fork(View& v) {
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
    ImGui::SameLine(0, 2);
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(ok ? ImVec4(0.5f, 0.85f, 0.6f, 1) : ImVec4(1, 0.4f, 0.4f, 1),
                       ok ? "safe" : "VIOLATION");
    if (v.timeline.forked()) {
        ImGui::SameLine(0, 14);
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kColFork), "forked at %s",
                           format_time(v.app.fork_t_us).c_str());
        ImGui::SameLine();
        if (ImGui::SmallButton("undo fork")) v.push(CommandKind::kUndoFork);
        tooltip(
            "You acted in the past, so the future was simulated again from there. "
            "Undo brings the original future back.");
        v.spot("top.undo_fork");
    }
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - 24);
    if (ImGui::Button("?", ImVec2(22, 0))) v.ui.show_help = !v.ui.show_help;
    tooltip("Help and keyboard shortcuts (?)");
    v.spot("top.help");
}

}  // namespace

void draw_top_bar(View& v) {
    transport(v);
    speed_and_time(v);
    scenario_picker(v);
    lamp_and_fork(v);
}

}  // namespace render
