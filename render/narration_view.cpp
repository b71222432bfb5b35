// render/narration_view.cpp — the narration's two views: the caption line
// over the cluster view (what the events at the cursor mean) and the
// narrated event list in the lower pane (one row per event: time and
// sentence; a click seeks there).
//
// Both read session::Narration (through the Insight) and never derive a
// sentence themselves: the words are the session's, so the page, the state
// JSON and the unit tests say the same thing. The list holds everything
// simulated so far, up to the horizon; rows past the cursor are dimmed.
//
// Index
//   caption
//   event list
#include <algorithm>
#include <cstdio>

#include "render/draw.h"
#include "render/ui.h"

namespace render {

using session::NarratedEvent;
using session::Narration;
using session::NarrationKind;

namespace {

ImU32 kind_color(NarrationKind k) {
    switch (k) {
        case NarrationKind::kElection:
            return IM_COL32(240, 200, 90, 255);
        case NarrationKind::kVote:
            return IM_COL32(200, 180, 120, 255);
        case NarrationKind::kLeader:
            return IM_COL32(120, 200, 255, 255);
        case NarrationKind::kCommit:
            return kColGood;
        case NarrationKind::kFault:
            return kColWarn;
        case NarrationKind::kAction:
            return kColFork;
        case NarrationKind::kSnapshot:
            return IM_COL32(170, 150, 220, 255);
        case NarrationKind::kViolation:
            return kColBad;
        case NarrationKind::kMembership:
            return msg_color(raft::MsgType::kTimeoutNow, false);
    }
    return kColText;
}

}  // namespace

// ===========================================================================
// caption
// ===========================================================================

float caption_height() {
    return ImGui::GetTextLineHeightWithSpacing() * 2.f + 4.f;
}

void draw_caption(View& v, float width) {
    const Narration& n = v.insight.narration();
    const std::string text = session::caption(n, v.world);
    const int64_t at = session::caption_t_us(n, v.world);
    ImGui::BeginChild("##caption", ImVec2(width, caption_height()), false,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    if (text.empty()) {
        ImGui::TextDisabled("Nothing has happened yet: the nodes wait for their election timers.");
    } else {
        const auto [first, last] = n.moment_at(v.world.now_us());
        const ImU32 col = first < last ? kind_color(n.events()[first].kind) : kColText;
        const int64_t ago = v.world.now_us() - at;
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kColDim), "%s%s", format_time(at).c_str(),
                           ago > 0 ? (" (" + format_duration(ago) + " ago)").c_str() : "");
        ImGui::SameLine();
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(col), "%s", text.c_str());
        ImGui::PopTextWrapPos();
    }
    ImGui::EndChild();
    v.spot("caption");
    if (ImGui::IsItemHovered() && !text.empty()) tooltip(text.c_str());
}

// ===========================================================================
// event list
// ===========================================================================

namespace {

// The rows shown: every event, or every one but the commits.
std::vector<uint32_t> visible_rows(const Narration& n, bool commits) {
    std::vector<uint32_t> rows;
    const auto& ev = n.events();
    rows.reserve(commits ? ev.size() : ev.size() / 4);
    for (size_t i = 0; i < ev.size(); i++) {
        if (commits || ev[i].kind != NarrationKind::kCommit)
            rows.push_back(static_cast<uint32_t>(i));
    }
    return rows;
}

// The first row after the cursor's moment (rows before it have happened).
size_t cursor_row(const std::vector<uint32_t>& rows, const Narration& n, int64_t now_us) {
    const auto& ev = n.events();
    return static_cast<size_t>(
        std::upper_bound(rows.begin(), rows.end(), now_us,
                         [&](int64_t t, uint32_t i) { return t < ev[i].t_us; }) -
        rows.begin());
}

void list_toolbar(View& v, size_t shown, size_t total) {
    ImGui::Checkbox("commits", &v.ui.narration_commits);
    v.spot("narr.commits");
    tooltip("Show every commit (a busy workload commits an entry every few milliseconds).");
    ImGui::SameLine();
    ImGui::Checkbox("follow the cursor", &v.ui.narration_follow);
    v.spot("narr.follow");
    ImGui::SameLine();
    ImGui::TextDisabled("%zu of %zu events; click a row to go there", shown, total);
}

void list_row(View& v, const NarratedEvent& e, size_t row, bool current, bool future) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    char id[48];
    std::snprintf(id, sizeof id, "%s##narr%zu", format_time(e.t_us).c_str(), row);
    if (ImGui::Selectable(id, current, ImGuiSelectableFlags_SpanAllColumns)) v.seek(e.t_us);
    v.spot("narr.row." + std::to_string(row));
    const bool hovered = ImGui::IsItemHovered();
    ImGui::TableSetColumnIndex(1);
    const ImU32 col = future ? kColFaint : kind_color(e.kind);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(col), "%s", e.text.c_str());
    if (hovered) tooltip(e.text.c_str());
}

}  // namespace

void draw_narration_list(View& v, ImVec2 size) {
    const Narration& n = v.insight.narration();
    const std::vector<uint32_t> rows = visible_rows(n, v.ui.narration_commits);
    list_toolbar(v, rows.size(), n.events().size());
    const size_t next = cursor_row(rows, n, v.world.now_us());
    const int64_t moment = next > 0 ? n.events()[rows[next - 1]].t_us : -1;
    const ImVec2 avail(size.x, std::max(30.f, ImGui::GetContentRegionAvail().y));
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_BordersInnerV;
    if (!ImGui::BeginTable("##narration", 2, flags, avail)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("time", ImGuiTableColumnFlags_WidthFixed, 90.f);
    ImGui::TableSetupColumn("what happens", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    const float row_h = ImGui::GetTextLineHeightWithSpacing();
    if (v.ui.narration_follow && moment != v.ui.narration_followed_t_us) {
        v.ui.narration_followed_t_us = moment;
        const float target = static_cast<float>(next) * row_h - avail.y * 0.5f;
        ImGui::SetScrollY(std::max(0.f, target));
    }
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows.size()), row_h);
    while (clipper.Step()) {
        for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; r++) {
            const NarratedEvent& e = n.events()[rows[static_cast<size_t>(r)]];
            list_row(v, e, static_cast<size_t>(r), e.t_us == moment, e.t_us > v.world.now_us());
        }
    }
    ImGui::EndTable();
}

}  // namespace render
