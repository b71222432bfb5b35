// render/timeline_bar.cpp — the timeline across the bottom: the whole run
// from 0 to its duration (and, once the run goes on past its script, to a
// little beyond the horizon, in steps of half the duration so the scale
// does not creep under the mouse), where the script ends, the part
// simulated so far (the horizon), markers
// for elections, faults, actions and violations, the fork point, and the
// cursor. Click or drag anywhere to scrub: the world shown is exactly the
// world at that moment (the app seeks through checkpoints).
//
// Index
//   geometry
//   markers
//   the bar
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "render/draw.h"
#include "render/ui.h"

namespace render {

namespace {

// ===========================================================================
// geometry
// ===========================================================================

struct Axis {
    float x0 = 0, x1 = 1;
    int64_t duration_us = 1;
    float x(int64_t t_us) const {
        return x0 + (x1 - x0) * static_cast<float>(static_cast<double>(t_us) /
                                                   static_cast<double>(duration_us));
    }
    int64_t t(float px) const {
        const double f = std::fmin(1.0, std::fmax(0.0, static_cast<double>((px - x0) / (x1 - x0))));
        return static_cast<int64_t>(f * static_cast<double>(duration_us) + 0.5);
    }
};

// A "nice" tick step (1, 2, 5 x 10^k microseconds) for about `count` ticks.
int64_t tick_step(int64_t span_us, int count) {
    const double raw = static_cast<double>(span_us) / std::fmax(1, count);
    double p = std::pow(10.0, std::floor(std::log10(std::fmax(1.0, raw))));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (p * m >= raw) return static_cast<int64_t>(p * m);
    }
    return static_cast<int64_t>(p * 10);
}

void draw_ticks(ImDrawList* dl, const Axis& a, float y0, float y1) {
    const int64_t step =
        tick_step(a.duration_us, std::max(2, static_cast<int>((a.x1 - a.x0) / 90.f)));
    for (int64_t t = 0; t <= a.duration_us; t += step) {
        const float x = a.x(t);
        dl->AddLine(ImVec2(x, y1), ImVec2(x, y1 + 4), kColFaint);
        const std::string label = t == 0 ? "0" : format_duration(t);
        // The last label ends at the bar's end rather than past the window.
        const float w = ImGui::CalcTextSize(label.c_str()).x;
        dl->AddText(ImVec2(std::fmin(x + 2, a.x1 + 8 - w), y1 + 2), kColDim, label.c_str());
    }
    (void)y0;
}

// ===========================================================================
// markers
// ===========================================================================

ImU32 marker_color(MarkerKind k) {
    switch (k) {
        case MarkerKind::kLeader:
            return role_color(raft::Role::kLeader);
        case MarkerKind::kCrash:
            return IM_COL32(235, 90, 80, 255);
        case MarkerKind::kRestart:
            return IM_COL32(90, 160, 250, 255);
        case MarkerKind::kPause:
        case MarkerKind::kResume:
            return IM_COL32(170, 170, 180, 255);
        case MarkerKind::kAction:
            return IM_COL32(240, 210, 90, 255);
        case MarkerKind::kCorruption:
            return IM_COL32(240, 140, 60, 255);
        case MarkerKind::kViolation:
            return IM_COL32(255, 40, 40, 255);
        case MarkerKind::kMembership:
            return msg_color(raft::MsgType::kTimeoutNow, false);
        case MarkerKind::kCount:
            break;
    }
    return kColDim;
}

std::string marker_text(const Marker& m) {
    char buf[160];
    const std::string who = m.node >= 0 ? endpoint_name(m.node) : "";
    if (m.kind == MarkerKind::kLeader) {
        std::snprintf(buf, sizeof buf, "%s: %s became leader of term %lld",
                      format_time(m.t_us).c_str(), who.c_str(), static_cast<long long>(m.term));
    } else if (m.kind == MarkerKind::kAction) {
        std::snprintf(buf, sizeof buf, "%s: %s %s", format_time(m.t_us).c_str(),
                      sim::action_name(static_cast<sim::ActionKind>(m.aux)), who.c_str());
    } else if (m.kind == MarkerKind::kMembership && m.aux >= session::kTransferMarker) {
        std::snprintf(buf, sizeof buf, "%s: leadership transfer to %s %s",
                      format_time(m.t_us).c_str(), who.c_str(),
                      sim::transfer_event_name(
                          static_cast<sim::TransferEvent>(m.aux - session::kTransferMarker)));
    } else if (m.kind == MarkerKind::kMembership) {
        const auto why = static_cast<raft::ConfRefusal>(m.aux >> 8);
        std::snprintf(
            buf, sizeof buf, "%s: configuration change %s %s%s%s", format_time(m.t_us).c_str(),
            raft::conf_change_name(static_cast<raft::ConfChangeType>(m.aux & 0xff)), who.c_str(),
            why == raft::ConfRefusal::kNone ? "" : ", refused: ", raft::conf_refusal_name(why));
    } else {
        std::snprintf(buf, sizeof buf, "%s: %s %s", format_time(m.t_us).c_str(),
                      marker_name(m.kind), who.c_str());
    }
    return buf;
}

// Draws the markers; returns the one nearest the mouse within a few pixels.
const Marker* draw_markers(ImDrawList* dl, const View& v, const Axis& a, float y0, float y1,
                           float mouse_x, bool hovered) {
    const Marker* near = nullptr;
    float best = 5.f;
    float last_x[static_cast<int>(MarkerKind::kCount)];
    for (float& x : last_x)
        x = -1e9f;
    const float mid = (y0 + y1) * 0.5f;
    for (const Marker& m : v.insight.markers()) {
        const float x = a.x(m.t_us);
        const int k = static_cast<int>(m.kind);
        if (hovered && std::fabs(x - mouse_x) < best) {
            best = std::fabs(x - mouse_x);
            near = &m;
        }
        if (std::fabs(x - last_x[k]) < 1.f) continue;  // one per pixel and kind
        last_x[k] = x;
        const ImU32 col = marker_color(m.kind);
        switch (m.kind) {
            case MarkerKind::kLeader:
                dl->AddLine(ImVec2(x, mid), ImVec2(x, y1), col, 2.f);
                break;
            case MarkerKind::kViolation:
                dl->AddLine(ImVec2(x, y0 - 4), ImVec2(x, y1), col, 3.f);
                dl->AddTriangleFilled(ImVec2(x - 6, y0 - 10), ImVec2(x + 6, y0 - 10),
                                      ImVec2(x, y0 - 2), col);
                break;
            case MarkerKind::kAction:
                dl->AddLine(ImVec2(x, y0), ImVec2(x, mid), col, 2.f);
                break;
            case MarkerKind::kMembership:  // a diamond on the middle line
                dl->AddLine(ImVec2(x, y0), ImVec2(x, y1), with_alpha(col, 0.6f), 1.5f);
                dl->AddQuadFilled(ImVec2(x, mid - 5), ImVec2(x + 5, mid), ImVec2(x, mid + 5),
                                  ImVec2(x - 5, mid), col);
                break;
            default:
                dl->AddLine(ImVec2(x, y0), ImVec2(x, y1), col, 2.f);
                break;
        }
    }
    return near;
}

// 0..duration, or past the script in steps of half the duration.
int64_t axis_span(const View& v) {
    const int64_t duration = std::max<int64_t>(1, v.duration_us());
    const int64_t reach = std::max(v.timeline.horizon_us(), v.world.now_us());
    if (reach <= duration) return duration;
    const int64_t step = std::max<int64_t>(1, duration / 2);
    return std::min(v.app.end_us, (reach / step + 1) * step);
}

void draw_script_end(ImDrawList* dl, const View& v, const Axis& a, float y0, float y1) {
    if (a.duration_us <= v.duration_us()) return;
    const float x = a.x(v.duration_us());
    dl->AddLine(ImVec2(x, y0 - 2), ImVec2(x, y1 + 2), kColDim, 1.f);
    dl->AddText(ImVec2(x + 3, y1 - 14), kColDim, "script ends");
}

}  // namespace

// ===========================================================================
// the bar
// ===========================================================================

void draw_timeline_bar(View& v, ImVec2 size) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 o = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##timeline", size);
    v.spot("timeline");
    const bool hovered = ImGui::IsItemHovered();
    const bool active = ImGui::IsItemActive();
    if (ImGui::IsItemActivated()) v.set_playing(false);  // scrubbing pauses
    Axis a;
    a.x0 = o.x + 10.f;
    a.x1 = o.x + size.x - 10.f;
    a.duration_us = std::max<int64_t>(1, axis_span(v));
    const float y0 = o.y + 14.f, y1 = o.y + size.y - 20.f;
    dl->AddRectFilled(ImVec2(o.x, o.y), ImVec2(o.x + size.x, o.y + size.y),
                      IM_COL32(16, 18, 23, 255), 4.f);
    dl->AddRectFilled(ImVec2(a.x0, y0), ImVec2(a.x1, y1), IM_COL32(30, 33, 40, 255), 2.f);
    const float xh = a.x(v.timeline.horizon_us());
    dl->AddRectFilled(ImVec2(a.x0, y0), ImVec2(xh, y1), IM_COL32(44, 52, 66, 255), 2.f);
    draw_ticks(dl, a, y0, y1);
    draw_script_end(dl, v, a, y0, y1);
    const float mouse_x = ImGui::GetIO().MousePos.x;
    const Marker* near = draw_markers(dl, v, a, y0, y1, mouse_x, hovered);
    if (v.app.fork_t_us >= 0 && v.timeline.forked()) {
        const float xf = a.x(v.app.fork_t_us);
        dl->AddLine(ImVec2(xf, o.y + 2), ImVec2(xf, y1), kColFork, 2.f);
        dl->AddText(ImVec2(xf + 3, o.y), kColFork, "fork");
    }
    const float xc = a.x(v.world.now_us());
    dl->AddLine(ImVec2(xc, o.y + 2), ImVec2(xc, y1 + 2), kColCursor, 2.f);
    dl->AddTriangleFilled(ImVec2(xc - 6, o.y + 2), ImVec2(xc + 6, o.y + 2), ImVec2(xc, o.y + 10),
                          kColCursor);
    const std::string now = format_time(v.world.now_us());
    dl->AddText(ImVec2(std::fmin(xc + 8, a.x1 - 90), o.y), kColText, now.c_str());

    if (active) {
        const int64_t t = a.t(mouse_x);
        if (t != v.world.now_us()) v.seek(t);
    } else if (hovered) {
        if (near) {
            ImGui::SetTooltip("%s\n(click to go there)", marker_text(*near).c_str());
        } else {
            ImGui::SetTooltip("%s", format_time(a.t(mouse_x)).c_str());
        }
    }
    if (hovered && near && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) v.seek(near->t_us);
}

}  // namespace render
