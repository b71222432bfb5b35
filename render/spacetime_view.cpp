// render/spacetime_view.cpp — the space-time (Lamport) diagram: one lane per
// node (coloured by its role over time, dashed while crashed), one arrow per
// message from its send to its delivery, a cross on a lost message's line,
// and markers for elections, crashes and restarts. The right edge follows the
// cursor; clicking or dragging in the diagram scrubs (the timeline bar and
// the cluster view follow), the mouse wheel zooms.
//
// Reads the trace up to the cursor (what happened) and the wire (messages
// still in flight, drawn dashed to their scheduled arrival).
//
// Index
//   geometry
//   lanes
//   arrows
//   the view
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <span>

#include "render/draw.h"
#include "render/ui.h"

namespace render {

namespace {

// Dense windows (9 nodes under stress) keep the newest arrows, the ones near
// the cursor; older ones would be unreadable anyway.
constexpr int kArrowsMax = 800;

// ===========================================================================
// geometry
// ===========================================================================

struct Frame {
    float x0 = 0, x1 = 1, y0 = 0, lane_h = 1;
    int64_t t0 = 0, t1 = 1;
    int nodes = 0;
    bool clients = false;
    float x(int64_t t_us) const {
        return x0 + (x1 - x0) * static_cast<float>(static_cast<double>(t_us - t0) /
                                                   static_cast<double>(t1 - t0));
    }
    int64_t t(float px) const {
        return t0 + static_cast<int64_t>(static_cast<double>((px - x0) / (x1 - x0)) *
                                         static_cast<double>(t1 - t0));
    }
    // Lane of a node id or client id (clients share the top lane).
    float y(int32_t who) const {
        const int row = who >= sim::kClientBase || who < 0 ? 0 : who + (clients ? 1 : 0);
        return y0 + (static_cast<float>(row) + 0.5f) * lane_h;
    }
};

// ===========================================================================
// lanes
// ===========================================================================

void draw_lane(ImDrawList* dl, const Frame& f, const std::vector<LaneState>& lane, int node,
               int64_t now_us) {
    const float y = f.y(node);
    for (size_t k = 0; k < lane.size(); k++) {
        const int64_t a = lane[k].t_us;
        const int64_t b = k + 1 < lane.size() ? lane[k + 1].t_us : now_us;
        if (b < f.t0 || a > std::min(f.t1, now_us)) continue;
        const float xa = std::fmax(f.x0, f.x(a)), xb = std::fmin(f.x1, f.x(std::min(b, now_us)));
        if (xb <= xa) continue;
        const LaneState& s = lane[k];
        if (!s.alive) {
            dashed_line(dl, ImVec2(xa, y), ImVec2(xb, y), crashed_color(), 3.f, 4.f, 4.f);
        } else {
            const ImU32 col = s.paused ? mix(role_color(s.role), IM_COL32(90, 90, 95, 255), 0.7f)
                                       : role_color(s.role);
            dl->AddLine(ImVec2(xa, y), ImVec2(xb, y), with_alpha(col, 0.85f),
                        s.role == raft::Role::kLeader ? 5.f : 3.f);
        }
    }
}

void draw_lane_markers(ImDrawList* dl, const Frame& f, const View& v) {
    for (const Marker& m : v.insight.markers()) {
        if (m.t_us < f.t0 || m.t_us > f.t1 || m.t_us > v.world.now_us() || m.node < 0 ||
            m.node >= f.nodes)
            continue;
        const ImVec2 p(f.x(m.t_us), f.y(m.node));
        switch (m.kind) {
            case MarkerKind::kLeader:
                dl->AddCircleFilled(p, 5.f, IM_COL32(250, 206, 80, 255));
                break;
            case MarkerKind::kCrash:
                cross(dl, p, 5.f, kColBad, 2.5f);
                break;
            case MarkerKind::kRestart:
                dl->AddCircle(p, 5.f, IM_COL32(90, 160, 250, 255), 0, 2.f);
                break;
            default:
                dl->AddRectFilled(ImVec2(p.x - 2, p.y - 6), ImVec2(p.x + 2, p.y + 6),
                                  IM_COL32(240, 210, 90, 255));
                break;
        }
    }
}

// ===========================================================================
// arrows
// ===========================================================================

// Where a lost message's cross sits on its line from a (the sender's lane) to
// b (the receiver's): half a lane before the receiver, so it is plainly on
// the message's own line, never on the receiver's lane (where a crash's
// cross is) nor on a third node's lane in between.
ImVec2 loss_point(ImVec2 a, ImVec2 b, float lane_h) {
    const float dy = std::fabs(b.y - a.y);
    const float f = dy < lane_h * 0.75f ? 0.5f : 1.f - lane_h * 0.5f / dy;
    return ImVec2(a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f);
}

// A drop record names sender, receiver, type and term, not the message: its
// send is taken to be the latest matching send before it, searched a bounded
// way back. Two such messages in flight at once (pipelined appends) were sent
// a few ms apart, which is all the drawing needs. -1: not found.
constexpr uint32_t kDropSearchMax = 4000;

int64_t send_time_of_drop(std::span<const sim::TraceRecord> trace, uint32_t drop) {
    const sim::TraceRecord& d = trace[drop];
    for (uint32_t i = drop, n = 0; i-- > 0 && n < kDropSearchMax; n++) {
        const sim::TraceRecord& r = trace[i];
        if (r.kind == sim::TraceKind::kSend && r.node == d.node && r.peer == d.peer &&
            r.msg_type == d.msg_type && r.term == d.term) {
            return r.t_us;
        }
    }
    return -1;
}

// The lost message's line, dashed red, up to its cross.
void draw_loss(ImDrawList* dl, const Frame& f, ImVec2 a, ImVec2 b) {
    const ImVec2 p = loss_point(a, b, f.lane_h);
    dashed_line(dl, a, p, with_alpha(kColBad, 0.8f), 1.2f, 4.f, 3.f);
    cross(dl, p, 3.5f, kColBad, 1.5f);
}

void arrow(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thickness) {
    dl->AddLine(a, b, col, thickness);
    const ImVec2 d(b.x - a.x, b.y - a.y);
    if (d.x * d.x + d.y * d.y > 64.f) arrow_head(dl, b, d, 6.f, col);
}

// Delivered messages and losses in the window, from the trace, newest first.
int draw_history(ImDrawList* dl, const Frame& f, const View& v) {
    const std::span<const sim::TraceRecord> trace = v.world.trace();
    const std::vector<uint32_t>& arrivals = v.insight.arrivals();
    // Arrivals past the cursor are known to Insight but not in the trace.
    auto last = std::upper_bound(
        arrivals.begin(), arrivals.end(), f.t1,
        [&](int64_t t, uint32_t i) { return i >= trace.size() || t < trace[i].t_us; });
    int drawn = 0;
    for (auto it = last; it != arrivals.begin() && drawn < kArrowsMax;) {
        const sim::TraceRecord& r = trace[*--it];
        if (r.t_us < f.t0) break;
        if (r.kind == sim::TraceKind::kDrop) {
            const int64_t sent_us = send_time_of_drop(trace, *it);
            const ImVec2 b(f.x(r.t_us), f.y(r.peer));
            const ImVec2 a(sent_us < 0 ? b.x : std::fmax(f.x0, f.x(sent_us)), f.y(r.node));
            draw_loss(dl, f, a, b);
            continue;
        }
        if (r.kind != sim::TraceKind::kDeliver) continue;
        const int64_t s = v.insight.send_record(r.aux);
        if (s < 0 || static_cast<size_t>(s) >= trace.size()) continue;
        const sim::TraceRecord& send = trace[static_cast<size_t>(s)];
        const auto type = static_cast<raft::MsgType>(r.msg_type);
        // A reply to a client names the client as the peer; everything else
        // is delivered to r.node.
        const int32_t receiver = type == raft::MsgType::kClientResp ? r.peer : r.node;
        const ImVec2 a(std::fmax(f.x0, f.x(send.t_us)), f.y(send.node));
        const ImVec2 b(f.x(r.t_us), f.y(receiver));
        const bool light = raft::is_response(type);
        arrow(dl, a, b, with_alpha(msg_color(type, false), light ? 0.55f : 0.9f), 1.2f);
        drawn++;
    }
    return drawn;
}

// Messages still in flight: dashed to where they are due.
void draw_in_flight(ImDrawList* dl, const Frame& f, const View& v, int budget) {
    for (const auto& [id, m] : v.world.wire()) {
        if (budget-- <= 0) break;
        if (m.sent_us > f.t1) continue;
        const int32_t from = m.from_client ? sim::kClientBase + m.msg.cmd.client_id : m.msg.from;
        const int32_t to = m.to_client ? sim::kClientBase + m.msg.cmd.client_id : m.msg.to;
        const ImVec2 a(std::fmax(f.x0, f.x(m.sent_us)), f.y(from));
        const int64_t due =
            m.deliver_us >= 0 ? m.deliver_us : v.world.now_us() + (f.t1 - f.t0) / 20;
        const ImVec2 b(std::fmin(f.x1, f.x(due)), f.y(to));
        const ImU32 col =
            msg_color(m.msg.type, m.msg.type == raft::MsgType::kAppend && m.msg.entries.empty());
        if (m.lost) {
            draw_loss(dl, f, a, b);
        } else {
            dashed_line(dl, a, b, with_alpha(col, 0.8f), 1.2f, 4.f, 3.f);
            arrow_head(dl, b, ImVec2(b.x - a.x, b.y - a.y), 6.f, with_alpha(col, 0.8f));
        }
    }
}

void draw_labels(ImDrawList* dl, const Frame& f, const View& v, float left) {
    if (f.clients) dl->AddText(ImVec2(left, f.y(sim::kClientBase) - 7.f), kColDim, "clients");
    for (int i = 0; i < f.nodes; i++) {
        const sim::NodeSlot& s = v.world.nodes()[static_cast<size_t>(i)];
        char buf[16];
        std::snprintf(buf, sizeof buf, "n%d", i);
        dl->AddText(ImVec2(left, f.y(i) - 7.f), s.alive ? role_color(s.node.role()) : kColDim, buf);
    }
}

}  // namespace

// ===========================================================================
// the view
// ===========================================================================

void draw_spacetime(View& v, ImVec2 size) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 o = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##spacetime", size);
    v.spot("spacetime");
    const bool hovered = ImGui::IsItemHovered(), active = ImGui::IsItemActive();
    UiState& ui = v.ui;
    if (hovered && ImGui::GetIO().MouseWheel != 0.f) {
        ui.spacetime_span_ms *= ImGui::GetIO().MouseWheel > 0 ? 0.8f : 1.25f;
        ui.spacetime_span_ms = std::fmin(60'000.f, std::fmax(1.f, ui.spacetime_span_ms));
    }
    const int64_t span = static_cast<int64_t>(ui.spacetime_span_ms * 1000.f);
    const int64_t now = v.world.now_us();
    if (ImGui::IsItemActivated()) {
        ui.spacetime_anchor_us = now + span / 12;
        v.set_playing(false);
    }
    if (!active) ui.spacetime_anchor_us = -1;
    Frame f;
    f.nodes = v.node_count();
    f.clients = !v.world.clients().empty();
    f.t1 = ui.spacetime_anchor_us >= 0 ? ui.spacetime_anchor_us : now + span / 12;
    f.t0 = f.t1 - span;
    f.x0 = o.x + 40.f;
    f.x1 = o.x + size.x - 8.f;
    f.y0 = o.y + 4.f;
    const int rows = f.nodes + (f.clients ? 1 : 0);
    f.lane_h = (size.y - 22.f) / static_cast<float>(std::max(1, rows));
    dl->AddRectFilled(o, ImVec2(o.x + size.x, o.y + size.y), IM_COL32(16, 18, 23, 255));
    dl->PushClipRect(o, ImVec2(o.x + size.x, o.y + size.y), true);
    for (int i = 0; i < f.nodes; i++)
        draw_lane(dl, f, v.insight.lane(i), i, now);
    if (f.clients)
        dl->AddLine(ImVec2(f.x0, f.y(sim::kClientBase)), ImVec2(f.x1, f.y(sim::kClientBase)),
                    kColFaint, 1.f);
    dl->PushClipRect(ImVec2(f.x0, o.y), ImVec2(f.x1, o.y + size.y), true);
    // Arrow heads without anti-aliased fringes: a third of the vertices, and
    // at 6 px nobody sees the difference.
    const ImDrawListFlags flags = dl->Flags;
    dl->Flags &= ~ImDrawListFlags_AntiAliasedFill;
    const int drawn = draw_history(dl, f, v);
    draw_in_flight(dl, f, v, kArrowsMax - drawn);
    dl->Flags = flags;
    draw_lane_markers(dl, f, v);
    const float xc = f.x(now);
    dl->AddLine(ImVec2(xc, o.y), ImVec2(xc, o.y + size.y - 18.f), kColCursor, 1.5f);
    dl->PopClipRect();
    draw_labels(dl, f, v, o.x + 8.f);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s .. %s   %s", format_time(std::max<int64_t>(0, f.t0)).c_str(),
                  format_time(f.t1).c_str(), v.ui.narrow ? "" : "(wheel: zoom, drag: scrub)");
    dl->AddText(ImVec2(f.x0, o.y + size.y - 16.f), kColDim, buf);
    dl->PopClipRect();
    if (active) {
        const int64_t t = std::max<int64_t>(0, f.t(ImGui::GetIO().MousePos.x));
        if (t != now) v.seek(t);
    } else if (hovered) {
        ImGui::SetTooltip(
            "%s", format_time(std::max<int64_t>(0, f.t(ImGui::GetIO().MousePos.x))).c_str());
    }
}

}  // namespace render
