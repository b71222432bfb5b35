// render/checks_panel.cpp — the checker lamp's explanation: which safety
// invariants are checked after every event, any violation (when, at which
// event, what broke) with a way to go there, the linearizability check of
// the client history, client statistics and the frame's cost.
//
// Index
//   invariants and violations
//   linearizability
//   client statistics
//   the panel
#include <algorithm>
#include <string>

#include "format/preset_check.h"
#include "render/draw.h"
#include "render/ui.h"

namespace render {

namespace {

void heading(const char* text) {
    ImGui::Spacing();
    ImGui::TextColored(ImVec4(0.6f, 0.75f, 1, 1), "%s", text);
    ImGui::Separator();
}

// ===========================================================================
// invariants and violations
// ===========================================================================

struct CheckInfo {
    const char* name;
    const char* what;
};
constexpr CheckInfo kChecks[] = {
    {"election_safety", "at most one leader per term (§5.2)"},
    {"log_matching", "same index and term means the same prefix (§5.3)"},
    {"leader_completeness", "a new leader holds every committed entry (§5.4)"},
    {"state_machine_safety", "no two nodes apply different entries at one index (§5.4.3)"},
    {"monotonic", "term and commit index never go back on a live node"},
    {"durability", "what a node acknowledged survives its crash (Figure 2)"},
};

// A preset passes only necessary conditions of reachability (the validator
// refuses the rest), so say which lamps it can turn red on its own.
void preset_note(const View& v) {
    if (v.world.scenario().preset.empty()) return;
    std::string checks;
    for (const char* c : sim::kPresetDistortedChecks)
        checks += (checks.empty() ? "" : ", ") + std::string(c);
    ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1), "Preset state: unverified");
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s. Can distort: %s.", sim::kPresetUnverifiedNote, checks.c_str());
    ImGui::PopTextWrapPos();
}

void invariants(View& v) {
    const std::span<const sim::Violation> vs = v.world.violations();
    heading("Safety invariants (checked after every event)");
    preset_note(v);
    for (const CheckInfo& c : kChecks) {
        const bool bad = std::any_of(vs.begin(), vs.end(), [&](const sim::Violation& x) {
            return x.check.rfind(c.name, 0) == 0;
        });
        lamp(ImGui::GetWindowDrawList(),
             ImVec2(ImGui::GetCursorScreenPos().x + 6, ImGui::GetCursorScreenPos().y + 8), 4.f,
             bad ? kColBad : kColGood);
        ImGui::Dummy(ImVec2(14, 14));
        ImGui::SameLine();
        ImGui::Text("%s", c.name);
        tooltip(c.what);
    }
    for (size_t i = 0; i < vs.size(); i++) {
        const sim::Violation& x = vs[i];
        ImGui::PushID(static_cast<int>(i));
        ImGui::TextColored(ImVec4(1, 0.45f, 0.4f, 1), "%s at t = %s, event #%lld", x.check.c_str(),
                           format_time(x.t_us).c_str(), static_cast<long long>(x.event));
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(x.description.c_str());
        ImGui::PopTextWrapPos();
        if (ImGui::SmallButton("go there")) v.seek(x.t_us);
        ImGui::SameLine();
        if (ImGui::SmallButton("show banner")) v.ui.violation_dismissed = false;
        ImGui::SameLine();
        if (ImGui::SmallButton("hide banner")) v.ui.violation_dismissed = true;
        ImGui::PopID();
    }
    if (vs.empty()) ImGui::TextDisabled("No violation so far.");
}

// ===========================================================================
// linearizability
// ===========================================================================

void linearizability(View& v) {
    heading("Linearizability of the client history");
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled(
        "Every client operation is recorded with its invoke and completion time; the "
        "checker searches for an order consistent with a single key-value store.");
    ImGui::PopTextWrapPos();
    if (ImGui::Button("Check history now")) v.push(CommandKind::kCheckLinearizability);
    v.spot("chk.lin");
    const LinCheck& lc = v.app.lin;
    if (!lc.checked) return;
    ImGui::SameLine();
    const sim::LinResult::Verdict verdict = lc.result.verdict;
    const ImVec4 col = verdict == sim::LinResult::kOk          ? ImVec4(0.45f, 0.9f, 0.55f, 1)
                       : verdict == sim::LinResult::kViolation ? ImVec4(1, 0.45f, 0.4f, 1)
                                                               : ImVec4(1, 0.8f, 0.4f, 1);
    ImGui::TextColored(col, "%s", sim::lin_verdict_name(verdict));
    ImGui::TextDisabled("%zu operations up to t = %s, %llu states explored", lc.ops,
                        format_time(lc.at_t_us).c_str(),
                        static_cast<unsigned long long>(lc.result.states_explored));
    if (!lc.result.explanation.empty()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(lc.result.explanation.c_str());
        ImGui::PopTextWrapPos();
    }
}

// ===========================================================================
// client statistics
// ===========================================================================

void client_stats(View& v) {
    heading("Clients");
    int64_t ok = 0, fail = 0, unknown = 0, pending = 0;
    for (const sim::HistoryOp& op : v.world.history()) {
        switch (op.status) {
            case sim::OpStatus::kOk:
                ok++;
                break;
            case sim::OpStatus::kFail:
                fail++;
                break;
            case sim::OpStatus::kUnknown:
                unknown++;
                break;
            case sim::OpStatus::kPending:
                pending++;
                break;
        }
    }
    ImGui::Text("ok %lld  failed %lld  unknown %lld  pending %lld", static_cast<long long>(ok),
                static_cast<long long>(fail), static_cast<long long>(unknown),
                static_cast<long long>(pending));
    std::vector<int64_t> lat;
    for (const LatencyPoint& p : v.insight.latencies()) {
        if (p.t_us <= v.world.now_us() && p.status == static_cast<uint8_t>(sim::OpStatus::kOk))
            lat.push_back(p.latency_us);
    }
    if (!lat.empty()) {
        std::sort(lat.begin(), lat.end());
        auto pct = [&](double q) {
            return lat[std::min(lat.size() - 1,
                                static_cast<size_t>(q * static_cast<double>(lat.size())))];
        };
        ImGui::Text("latency p50 %s  p99 %s  max %s", format_duration(pct(0.5)).c_str(),
                    format_duration(pct(0.99)).c_str(), format_duration(lat.back()).c_str());
    }
    heading("This page");
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("frame (simulation + UI): p50 %.2f ms, p99 %.2f ms over %zu frames",
                        v.app.frame.p50_ms, v.app.frame.p99_ms, v.app.frame.samples);
    // The time travel's memory (a shared log chunk or snapshot block once).
    const double kib = static_cast<double>(v.timeline.checkpoint_bytes()) / 1024.0;
    if (kib < 1024.0) {
        ImGui::TextDisabled("checkpoints: %zu, %.0f KiB", v.timeline.checkpoint_count(), kib);
    } else {
        ImGui::TextDisabled("checkpoints: %zu, %.1f MiB", v.timeline.checkpoint_count(),
                            kib / 1024.0);
    }
    ImGui::PopTextWrapPos();
}

}  // namespace

// ===========================================================================
// the panel
// ===========================================================================

void draw_checks_panel(View& v) {
    invariants(v);
    linearizability(v);
    client_stats(v);
}

}  // namespace render
