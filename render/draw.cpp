// render/draw.cpp — palette and drawing helpers (see draw.h).
//
// Index
//   palette
//   icons
//   shapes
//   text
//   flow
#include "render/draw.h"

#include <cmath>
#include <cstdio>

#include "sim/world.h"

namespace render {

// ===========================================================================
// palette
// ===========================================================================

namespace {

ImU32 hsv(float h, float s, float v, float a = 1.f) {
    float r = 0, g = 0, b = 0;
    ImGui::ColorConvertHSVtoRGB(h - std::floor(h), s, v, r, g, b);
    return ImGui::ColorConvertFloat4ToU32(ImVec4(r, g, b, a));
}

}  // namespace

ImU32 role_color(raft::Role role) {
    switch (role) {
        case raft::Role::kFollower:
            return IM_COL32(76, 128, 196, 255);
        case raft::Role::kPreCandidate:
            return IM_COL32(205, 180, 70, 255);
        case raft::Role::kCandidate:
            return IM_COL32(232, 128, 48, 255);
        case raft::Role::kLeader:
            return IM_COL32(60, 176, 100, 255);
    }
    return kColDim;
}

ImU32 crashed_color() {
    return IM_COL32(62, 64, 70, 255);
}

ImU32 msg_color(raft::MsgType type, bool heartbeat) {
    using raft::MsgType;
    switch (type) {
        case MsgType::kPreVote:
        case MsgType::kPreVoteResp:
            return IM_COL32(236, 212, 90, 255);
        case MsgType::kVote:
        case MsgType::kVoteResp:
            return IM_COL32(246, 140, 60, 255);
        case MsgType::kAppend:
            return heartbeat ? IM_COL32(150, 168, 190, 255) : IM_COL32(80, 164, 250, 255);
        case MsgType::kAppendResp:
            return heartbeat ? IM_COL32(120, 150, 160, 255) : IM_COL32(90, 210, 220, 255);
        case MsgType::kSnapshot:
        case MsgType::kSnapshotResp:
            return IM_COL32(186, 116, 240, 255);
        case MsgType::kProp:
            return IM_COL32(60, 210, 160, 255);
        case MsgType::kClientReq:
            return IM_COL32(246, 120, 186, 255);
        case MsgType::kClientResp:
            return IM_COL32(246, 176, 214, 255);
        case MsgType::kTimeoutNow:  // stands out: a transfer's one shot (§3.10)
            return IM_COL32(255, 92, 232, 255);
        case MsgType::kCount:
            break;
    }
    return kColDim;
}

ImU32 term_color(raft::Term term) {
    // Consecutive terms get well-separated hues (golden-ratio steps).
    if (term <= 0) return kColFaint;
    return hsv(0.58f + 0.618034f * static_cast<float>(term % 1000), 0.55f, 0.88f);
}

ImU32 node_color(int node) {
    return hsv(0.02f + 0.618034f * static_cast<float>(node), 0.6f, 0.95f);
}

ImU32 hash_color(uint64_t hash) {
    const float h = static_cast<float>(hash % 3607) / 3607.f;
    const float s = 0.45f + 0.3f * static_cast<float>((hash >> 20) % 100) / 100.f;
    return hsv(h, s, 0.95f);
}

ImU32 with_alpha(ImU32 color, float alpha) {
    ImVec4 c = ImGui::ColorConvertU32ToFloat4(color);
    c.w *= alpha;
    return ImGui::ColorConvertFloat4ToU32(c);
}

ImU32 mix(ImU32 a, ImU32 b, float t) {
    const ImVec4 x = ImGui::ColorConvertU32ToFloat4(a);
    const ImVec4 y = ImGui::ColorConvertU32ToFloat4(b);
    return ImGui::ColorConvertFloat4ToU32(ImVec4(x.x + (y.x - x.x) * t, x.y + (y.y - x.y) * t,
                                                 x.z + (y.z - x.z) * t, x.w + (y.w - x.w) * t));
}

const char* msg_short_name(raft::MsgType type, bool heartbeat) {
    using raft::MsgType;
    switch (type) {
        case MsgType::kPreVote:
            return "PV";
        case MsgType::kPreVoteResp:
            return "PV'";
        case MsgType::kVote:
            return "V";
        case MsgType::kVoteResp:
            return "V'";
        case MsgType::kAppend:
            return heartbeat ? "HB" : "AE";
        case MsgType::kAppendResp:
            return heartbeat ? "HB'" : "AE'";
        case MsgType::kSnapshot:
            return "IS";
        case MsgType::kSnapshotResp:
            return "IS'";
        case MsgType::kProp:
            return "FWD";
        case MsgType::kClientReq:
            return "REQ";
        case MsgType::kClientResp:
            return "RSP";
        case MsgType::kTimeoutNow:
            return "TN";
        case MsgType::kCount:
            break;
    }
    return "?";
}

// ===========================================================================
// icons
// ===========================================================================

void draw_icon(ImDrawList* dl, ImVec2 c, float s, Icon icon, ImU32 col) {
    const float h = s * 0.5f;
    auto tri_right = [&](float x0, float w) {
        dl->AddTriangleFilled(ImVec2(x0, c.y - h), ImVec2(x0 + w, c.y), ImVec2(x0, c.y + h), col);
    };
    auto tri_left = [&](float x0, float w) {
        dl->AddTriangleFilled(ImVec2(x0, c.y), ImVec2(x0 + w, c.y - h), ImVec2(x0 + w, c.y + h),
                              col);
    };
    auto bar = [&](float x0, float w) {
        dl->AddRectFilled(ImVec2(x0, c.y - h), ImVec2(x0 + w, c.y + h), col);
    };
    switch (icon) {
        case Icon::kPlay:
            tri_right(c.x - h * 0.7f, s * 0.85f);
            break;
        case Icon::kPause:
            bar(c.x - h * 0.75f, s * 0.28f);
            bar(c.x + h * 0.2f, s * 0.28f);
            break;
        case Icon::kStepBack:
            bar(c.x - h, s * 0.18f);
            tri_left(c.x - h * 0.55f, s * 0.75f);
            break;
        case Icon::kStepForward:
            tri_right(c.x - h * 0.95f, s * 0.75f);
            bar(c.x + h * 0.65f, s * 0.18f);
            break;
        case Icon::kPrevMarker:
            tri_left(c.x - h, s * 0.5f);
            tri_left(c.x, s * 0.5f);
            break;
        case Icon::kNextMarker:
            tri_right(c.x - h, s * 0.5f);
            tri_right(c.x, s * 0.5f);
            break;
        case Icon::kToStart:
            bar(c.x - h, s * 0.16f);
            tri_left(c.x - h * 0.6f, s * 0.5f);
            tri_left(c.x + h * 0.3f, s * 0.5f);
            break;
        case Icon::kToEnd:
            tri_right(c.x - h * 1.1f, s * 0.5f);
            tri_right(c.x - h * 0.2f, s * 0.5f);
            bar(c.x + h * 0.8f, s * 0.16f);
            break;
    }
}

bool icon_button(const char* id, Icon icon, const char* tip) {
    const float h = ImGui::GetFrameHeight();
    const ImVec2 size(h * 1.25f, h);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const bool pressed = ImGui::InvisibleButton(id, size);
    const bool hovered = ImGui::IsItemHovered();
    const bool held = ImGui::IsItemActive();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 bg = ImGui::GetColorU32(held      ? ImGuiCol_ButtonActive
                                        : hovered ? ImGuiCol_ButtonHovered
                                                  : ImGuiCol_Button);
    dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), bg, ImGui::GetStyle().FrameRounding);
    draw_icon(dl, ImVec2(p.x + size.x * 0.5f, p.y + size.y * 0.5f), h * 0.5f, icon, kColText);
    if (tip) tooltip(tip);
    return pressed;
}

// ===========================================================================
// shapes
// ===========================================================================

void dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 color, float thickness, float dash,
                 float gap) {
    const float dx = b.x - a.x, dy = b.y - a.y;
    const float len = std::sqrt(dx * dx + dy * dy);
    if (len < 1e-3f) return;
    const float ux = dx / len, uy = dy / len;
    int guard = 0;
    for (float s = 0; s < len && guard < 2000; s += dash + gap, guard++) {
        const float e = std::fmin(s + dash, len);
        dl->AddLine(ImVec2(a.x + ux * s, a.y + uy * s), ImVec2(a.x + ux * e, a.y + uy * e), color,
                    thickness);
    }
}

void cross(ImDrawList* dl, ImVec2 c, float r, ImU32 color, float thickness) {
    dl->AddLine(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), color, thickness);
    dl->AddLine(ImVec2(c.x - r, c.y + r), ImVec2(c.x + r, c.y - r), color, thickness);
}

void arrow_head(ImDrawList* dl, ImVec2 tip, ImVec2 dir, float size, ImU32 color) {
    const float len = std::sqrt(dir.x * dir.x + dir.y * dir.y);
    if (len < 1e-4f) return;
    const float ux = dir.x / len, uy = dir.y / len;
    const ImVec2 base(tip.x - ux * size, tip.y - uy * size);
    const ImVec2 l(base.x - uy * size * 0.5f, base.y + ux * size * 0.5f);
    const ImVec2 r(base.x + uy * size * 0.5f, base.y - ux * size * 0.5f);
    dl->AddTriangleFilled(tip, l, r, color);
}

void lamp(ImDrawList* dl, ImVec2 c, float r, ImU32 color) {
    dl->AddCircleFilled(c, r * 1.7f, with_alpha(color, 0.18f));
    dl->AddCircleFilled(c, r, color);
    dl->AddCircleFilled(ImVec2(c.x - r * 0.3f, c.y - r * 0.3f), r * 0.35f,
                        IM_COL32(255, 255, 255, 110));
}

// ===========================================================================
// text
// ===========================================================================

std::string format_time(int64_t t_us) {
    char buf[48];
    const int64_t ms_total = t_us / 1000;
    const int64_t us = t_us % 1000;
    if (t_us < 60'000'000) {
        std::snprintf(buf, sizeof buf, "%lld.%03lld%03lld s",
                      static_cast<long long>(ms_total / 1000),
                      static_cast<long long>(ms_total % 1000), static_cast<long long>(us));
    } else {
        const int64_t s = ms_total / 1000;
        std::snprintf(buf, sizeof buf, "%lld:%02lld.%03lld", static_cast<long long>(s / 60),
                      static_cast<long long>(s % 60), static_cast<long long>(ms_total % 1000));
    }
    return buf;
}

std::string format_duration(int64_t us) {
    char buf[32];
    if (us < 1000) {
        std::snprintf(buf, sizeof buf, "%lld us", static_cast<long long>(us));
    } else if (us < 1'000'000) {
        std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(us) / 1e3);
    } else {
        std::snprintf(buf, sizeof buf, "%.2f s", static_cast<double>(us) / 1e6);
    }
    return buf;
}

std::string endpoint_name(int32_t id) {
    char buf[16];
    if (id >= sim::kClientBase) {
        std::snprintf(buf, sizeof buf, "c%d", id - sim::kClientBase);
    } else if (id < 0) {
        return "-";
    } else {
        std::snprintf(buf, sizeof buf, "n%d", id);
    }
    return buf;
}

std::string short_hash(uint64_t h) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%06llx", static_cast<unsigned long long>(h >> 40));
    return buf;
}

void tooltip(const char* text) {
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", text);
}

// ===========================================================================
// flow
// ===========================================================================

float button_width(const char* label) {
    return ImGui::CalcTextSize(label, nullptr, true).x + 2 * ImGui::GetStyle().FramePadding.x;
}

void same_line_fits(float width) {
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width <= right)
        ImGui::SameLine();
}

}  // namespace render
