// render/cluster_view.cpp — the cluster as a circle of nodes with the
// messages in flight between them.
//
// Everything drawn is the world at the cursor: node colour is the role
// (greyed and marked when crashed or paused), the arc around a node is its
// election timer draining towards timeout, the badge is its disk's unsynced
// writes, and under it are the key count and KV hash (hashes that agree
// share a colour). Messages move along the links from their send time to
// their delivery time; lost ones stop halfway and show a cross; links cut by
// a partition are drawn red, a one-way cut with the blocked direction.
// Clicking selects a node or a message (their panels act on them).
//
// The ring is the configuration (thesis ch. 4) as the leader has it (or,
// with no leader, the latest any live server has): spare servers, not yet
// added, wait greyed in a row above the ring; a learner is hollow with a
// dashed rim; a server the configuration no longer has is greyed and
// labelled "removed"; during joint consensus each voter says which
// configuration(s) it belongs to (C_old, C_new). A leadership transfer under
// way is an arrow from the leader to its target.
//
// Index
//   layout
//   links
//   messages
//   configuration
//   nodes
//   overlays (info, legend, violation)
//   the view
#include <cmath>
#include <cstdio>

#include "render/draw.h"
#include "render/ui.h"

namespace render {

namespace {

constexpr float kPi = 3.14159265f;
constexpr float kSpareRowY = 62.f;  // under the three info lines

// ===========================================================================
// layout
// ===========================================================================

struct Layout {
    ImVec2 center;
    ImVec2 hub;  // where clients are drawn
    float radius = 0;
    float node_r = 0;
    float scale = 1;  // message glyph scale
    std::vector<ImVec2> pos;
    std::vector<float> side;  // cos of each node's angle: labels go beside nodes at the sides
    std::vector<bool> spare;  // not on the ring (sim::NodeSlot::spare)
};

// Nodes sit on an ellipse that uses the view's width (it is wider than
// tall), leaving room above for the info lines, below for the legend, and
// under each node for its labels. Only servers that exist are on it (not
// the spares, which wait in a row at the top right); positions are indexed
// by node id.
Layout make_layout(ImVec2 origin, ImVec2 size, const std::vector<bool>& spare, float bottom) {
    Layout l;
    const int total = static_cast<int>(spare.size());
    int n = 0;
    for (bool sp : spare)
        n += sp ? 0 : 1;
    const float top = 36.f, label_h = 44.f;
    const float h = std::fmax(80.f, size.y - top - bottom);
    l.center = ImVec2(origin.x + size.x * 0.5f, origin.y + top + (h - label_h) * 0.5f + 8.f);
    const float ry = n <= 1 ? 0.f : std::fmax(30.f, (h - label_h) * 0.5f - 26.f);
    const float rx =
        n <= 1 ? 0.f : std::fmax(ry, std::fmin(size.x * 0.5f - (n >= 7 ? 165.f : 90.f), ry * 2.6f));
    l.radius = ry;
    const float perimeter = 2.f * kPi * std::sqrt((rx * rx + ry * ry) * 0.5f);
    const float spacing = n <= 1 ? 200.f : perimeter / static_cast<float>(n);
    l.node_r = std::fmax(14.f, std::fmin(34.f, std::fmin(spacing * 0.26f, h * 0.11f)));
    l.scale = std::fmax(0.8f, std::fmin(1.4f, l.node_r / 26.f));
    l.hub = n <= 1 ? ImVec2(l.center.x, l.center.y + 90.f) : l.center;
    l.pos.assign(static_cast<size_t>(total), ImVec2(0, 0));
    l.side.assign(static_cast<size_t>(total), 0.f);
    int k = 0, spares = total - n;
    for (int i = 0; i < total; i++) {
        if (spare[static_cast<size_t>(i)]) {
            // In id order, ending at the top right corner, under the info lines.
            l.pos[static_cast<size_t>(i)] =
                ImVec2(origin.x + size.x - 22.f - static_cast<float>(--spares) * 30.f,
                       origin.y + kSpareRowY);
            continue;
        }
        const float a = -kPi * 0.5f + 2.f * kPi * static_cast<float>(k++) / static_cast<float>(n);
        l.pos[static_cast<size_t>(i)] =
            ImVec2(l.center.x + rx * std::cos(a), l.center.y + ry * std::sin(a));
        l.side[static_cast<size_t>(i)] = n >= 7 ? std::cos(a) : 0.f;  // few nodes: room below each
    }
    l.spare = spare;
    return l;
}

ImVec2 lerp(ImVec2 a, ImVec2 b, float t) {
    return ImVec2(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
}

float dist(ImVec2 a, ImVec2 b) {
    const float dx = a.x - b.x, dy = a.y - b.y;
    return std::sqrt(dx * dx + dy * dy);
}

// ===========================================================================
// links
// ===========================================================================

void draw_one_way_cut(ImDrawList* dl, ImVec2 from, ImVec2 to) {
    // A bar across the link near the receiver, with an arrow into it: "from
    // -> to is blocked".
    const ImVec2 d(to.x - from.x, to.y - from.y);
    const float len = std::fmax(1.f, dist(from, to));
    const ImVec2 u(d.x / len, d.y / len), n(-u.y, u.x);
    const ImVec2 bar = lerp(from, to, 0.62f);
    dl->AddLine(ImVec2(bar.x + n.x * 9, bar.y + n.y * 9), ImVec2(bar.x - n.x * 9, bar.y - n.y * 9),
                kColBad, 3.f);
    arrow_head(dl, ImVec2(bar.x - u.x * 3, bar.y - u.y * 3), u, 10.f, kColBad);
}

void draw_links(ImDrawList* dl, const sim::World& w, const Layout& l) {
    const int n = static_cast<int>(l.pos.size());
    for (int a = 0; a < n; a++) {
        for (int b = a + 1; b < n; b++) {
            if (l.spare[static_cast<size_t>(a)] || l.spare[static_cast<size_t>(b)]) continue;
            const ImVec2 pa = l.pos[static_cast<size_t>(a)], pb = l.pos[static_cast<size_t>(b)];
            const bool ab = w.link_cut(a, b), ba = w.link_cut(b, a);
            const bool clog = w.link_clogged(a, b) || w.link_clogged(b, a);
            if (ab && ba) {
                dashed_line(dl, pa, pb, with_alpha(kColBad, 0.55f), 1.5f, 6.f, 5.f);
                cross(dl, lerp(pa, pb, 0.5f), 6.f, kColBad, 2.5f);
            } else if (ab || ba) {
                dashed_line(dl, pa, pb, with_alpha(kColBad, 0.45f), 1.5f, 6.f, 5.f);
                if (ab) draw_one_way_cut(dl, pa, pb);
                if (ba) draw_one_way_cut(dl, pb, pa);
            } else {
                dl->AddLine(pa, pb, IM_COL32(58, 64, 78, 255), 1.f);
            }
            if (clog) {
                dl->AddLine(pa, pb, with_alpha(kColWarn, 0.7f), 3.f);
                dl->AddText(lerp(pa, pb, 0.5f), kColWarn, "clogged");
            }
        }
    }
}

// ===========================================================================
// messages
// ===========================================================================

struct MsgPlace {
    ImVec2 at;
    ImVec2 dir;
    bool failing = false;  // lost, or about to be dropped by a cut
};

ImVec2 endpoint(const Layout& l, int32_t node, bool is_client) {
    if (is_client || node < 0 || node >= static_cast<int>(l.pos.size())) return l.hub;
    return l.pos[static_cast<size_t>(node)];
}

MsgPlace place_message(const sim::World& w, const Layout& l, const sim::InFlight& f) {
    const raft::Message& m = f.msg;
    ImVec2 a = endpoint(l, m.from, f.from_client), b = endpoint(l, m.to, f.to_client);
    const float len = std::fmax(1.f, dist(a, b));
    const ImVec2 u((b.x - a.x) / len, (b.y - a.y) / len);
    // Start and end at the node rims; keep the two directions apart.
    const float rim_a = f.from_client ? 10.f : l.node_r + 4.f;
    const float rim_b = f.to_client ? 10.f : l.node_r + 4.f;
    const ImVec2 side(-u.y * 3.5f, u.x * 3.5f);
    a = ImVec2(a.x + u.x * rim_a + side.x, a.y + u.y * rim_a + side.y);
    b = ImVec2(b.x - u.x * rim_b + side.x, b.y - u.y * rim_b + side.y);
    float p = 0;
    if (f.deliver_us == -1) {
        p = 0.12f;  // clogged: waits at the sender
    } else if (f.deliver_us == -2) {
        p = 0.9f;  // held by a paused receiver
    } else {
        const double span = static_cast<double>(std::max<int64_t>(1, f.deliver_us - f.sent_us));
        p = static_cast<float>(static_cast<double>(w.now_us() - f.sent_us) / span);
        p = std::fmin(1.f, std::fmax(0.f, p));
    }
    MsgPlace out;
    const bool internal = !f.from_client && !f.to_client;
    const bool cut = internal && w.link_cut(m.from, m.to);
    out.failing = f.lost || cut;
    const float stop = cut ? 0.55f : 0.6f;
    if (out.failing && p > stop) p = stop;
    out.at = lerp(a, b, p);
    out.dir = u;
    return out;
}

void draw_glyph(ImDrawList* dl, const sim::InFlight& f, ImVec2 c, ImVec2 u, float s) {
    using raft::MsgType;
    const raft::Message& m = f.msg;
    const bool hb = m.type == MsgType::kAppend
                        ? m.entries.empty()
                        : m.type == MsgType::kAppendResp && m.match_index == 0 && !m.reject;
    ImU32 col = msg_color(m.type, hb);
    const ImU32 edge = m.reject ? kColBad : IM_COL32(10, 12, 16, 200);
    switch (m.type) {
        case MsgType::kAppend:
            if (hb) {
                dl->AddCircleFilled(c, s * 0.7f, col);
            } else {
                const float k =
                    s * (1.f + 0.18f * std::log2(1.f + static_cast<float>(m.entries.size())));
                dl->AddRectFilled(ImVec2(c.x - k, c.y - k), ImVec2(c.x + k, c.y + k), col, 1.5f);
                dl->AddRect(ImVec2(c.x - k, c.y - k), ImVec2(c.x + k, c.y + k), edge);
            }
            break;
        case MsgType::kPreVote:
        case MsgType::kVote: {
            const ImVec2 p[4] = {ImVec2(c.x, c.y - s * 1.3f), ImVec2(c.x + s * 1.3f, c.y),
                                 ImVec2(c.x, c.y + s * 1.3f), ImVec2(c.x - s * 1.3f, c.y)};
            if (m.type == MsgType::kVote) {
                dl->AddConvexPolyFilled(p, 4, col);
            } else {
                dl->AddPolyline(p, 4, col, ImDrawFlags_Closed, 2.f);
            }
            break;
        }
        case MsgType::kSnapshot:
            dl->AddNgonFilled(c, s * 1.7f, col, 6);
            break;
        case MsgType::kProp:
        case MsgType::kClientReq: {
            const ImVec2 n(-u.y, u.x);
            const ImVec2 tip(c.x + u.x * s * 1.4f, c.y + u.y * s * 1.4f);
            const ImVec2 l(c.x - u.x * s + n.x * s, c.y - u.y * s + n.y * s);
            const ImVec2 r(c.x - u.x * s - n.x * s, c.y - u.y * s - n.y * s);
            dl->AddTriangleFilled(tip, l, r, col);
            break;
        }
        case MsgType::kTimeoutNow: {  // a star: "campaign now" (§3.10)
            ImVec2 p[10];
            for (int k = 0; k < 10; k++) {
                const float a = -kPi * 0.5f + kPi * static_cast<float>(k) / 5.f;
                const float r = (k % 2 == 0 ? 2.f : 0.85f) * s;
                p[k] = ImVec2(c.x + r * std::cos(a), c.y + r * std::sin(a));
            }
            for (int k = 0; k < 10; k += 2)  // five filled points around a filled core
                dl->AddTriangleFilled(p[k], p[(k + 9) % 10], p[(k + 1) % 10], col);
            dl->AddCircleFilled(c, s * 0.95f, col);
            break;
        }
        default:  // responses: a ring; rejections have a red rim
            dl->AddCircleFilled(c, s * 0.9f, with_alpha(col, 0.35f));
            dl->AddCircle(c, s * 0.9f, m.reject ? kColBad : col, 0, 2.f);
            break;
    }
}

std::string message_summary(const sim::InFlight& f, int64_t id) {
    const raft::Message& m = f.msg;
    const bool hb = m.type == raft::MsgType::kAppend && m.entries.empty();
    char buf[256];
    const std::string from =
        f.from_client ? endpoint_name(sim::kClientBase + m.cmd.client_id) : endpoint_name(m.from);
    const std::string to =
        f.to_client ? endpoint_name(sim::kClientBase + m.cmd.client_id) : endpoint_name(m.to);
    std::snprintf(buf, sizeof buf, "#%lld %s %s -> %s  term %lld%s%s", static_cast<long long>(id),
                  msg_short_name(m.type, hb), from.c_str(), to.c_str(),
                  static_cast<long long>(m.term), f.lost ? "  (lost)" : "",
                  m.reject ? "  (reject)" : "");
    return buf;
}

// Draws every message; returns the id of the one under the mouse (0: none).
int64_t draw_messages(ImDrawList* dl, View& v, const Layout& l, ImVec2 mouse) {
    int64_t hovered = 0;
    float best = 9.f * l.scale;
    const float s = 4.2f * l.scale;
    int named = 0;
    for (const auto& [id, f] : v.world.wire()) {
        const MsgPlace p = place_message(v.world, l, f);
        if (named++ < 24) {  // the first few, for tests that click a message
            v.spot_rect("msgdot." + std::to_string(id), ImVec2(p.at.x - 2, p.at.y - 2),
                        ImVec2(p.at.x + 2, p.at.y + 2));
        }
        draw_glyph(dl, f, p.at, p.dir, s);
        if (p.failing) cross(dl, p.at, s * 1.1f, kColBad, 2.f);
        if (id == v.ui.selected_msg) dl->AddCircle(p.at, s * 2.4f, kColCursor, 0, 2.f);
        const float d = dist(p.at, mouse);
        if (d < best) {
            best = d;
            hovered = id;
        }
    }
    return hovered;
}

// ===========================================================================
// configuration
// ===========================================================================

// The configuration the ring shows: the live leader's; with no leader, the
// one with the highest conf_index among live servers (what the next leader
// will most likely have); before any, the first live server's.
const raft::Membership* shown_membership(const sim::World& w) {
    const raft::NodeId lead = w.leader();
    if (lead >= 0) return &w.nodes()[static_cast<size_t>(lead)].node.membership();
    const raft::Membership* best = nullptr;
    raft::Index best_index = -1;
    for (const sim::NodeSlot& s : w.nodes()) {
        if (!s.alive || s.spare || s.node.conf_index() <= best_index) continue;
        best = &s.node.membership();
        best_index = s.node.conf_index();
    }
    return best;
}

// What a server is in the shown configuration.
enum class Place : uint8_t { kVoter, kOld, kNew, kBoth, kLearner, kRemoved };

Place place_of(const raft::Membership* m, int id) {
    if (m == nullptr) return Place::kVoter;
    const bool in_new = (m->voters >> id) & 1u, in_old = (m->outgoing >> id) & 1u;
    if (m->joint()) {
        if (in_new && in_old) return Place::kBoth;
        if (in_new) return Place::kNew;
        if (in_old) return Place::kOld;
    } else if (in_new) {
        return Place::kVoter;
    }
    return m->is_learner(id) ? Place::kLearner : Place::kRemoved;
}

const char* place_tag(Place p) {
    switch (p) {
        case Place::kOld:
            return "C_old";
        case Place::kNew:
            return "C_new";
        case Place::kBoth:
            return "C_old+new";
        case Place::kLearner:
            return "learner";
        case Place::kRemoved:
            return "removed";
        case Place::kVoter:
            break;
    }
    return "";
}

// A spare server: a small dashed circle in the row above the ring.
void draw_spare(ImDrawList* dl, ImVec2 c, int id, bool selected) {
    const float r = 11.f;
    dl->AddCircleFilled(c, r, IM_COL32(34, 37, 44, 255), 24);
    for (int k = 0; k < 12; k += 2) {
        dl->PathArcTo(c, r, 2.f * kPi * static_cast<float>(k) / 12.f,
                      2.f * kPi * static_cast<float>(k + 1) / 12.f, 4);
        dl->PathStroke(selected ? kColCursor : kColDim, 0, 1.5f);
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "n%d", id);
    const ImVec2 sz = ImGui::CalcTextSize(buf);
    dl->AddText(ImVec2(std::floor(c.x - sz.x * 0.5f), std::floor(c.y - sz.y * 0.5f)), kColDim, buf);
}

// The transfer under way (sim::MembershipStats): a thick arrow from the
// leader to its target, labelled.
void draw_transfer(ImDrawList* dl, const sim::World& w, const Layout& l) {
    const sim::MembershipStats& ms = w.state().membership;
    const int n = static_cast<int>(l.pos.size());
    if (ms.transfer_to < 0 || ms.transfer_from < 0 || ms.transfer_to >= n || ms.transfer_from >= n)
        return;
    const ImVec2 a = l.pos[static_cast<size_t>(ms.transfer_from)];
    const ImVec2 b = l.pos[static_cast<size_t>(ms.transfer_to)];
    const float len = std::fmax(1.f, dist(a, b));
    const ImVec2 u((b.x - a.x) / len, (b.y - a.y) / len), side(-u.y * 9.f, u.x * 9.f);
    const ImVec2 from(a.x + u.x * (l.node_r + 6.f) + side.x, a.y + u.y * (l.node_r + 6.f) + side.y);
    const ImVec2 to(b.x - u.x * (l.node_r + 8.f) + side.x, b.y - u.y * (l.node_r + 8.f) + side.y);
    const ImU32 col = msg_color(raft::MsgType::kTimeoutNow, false);
    dashed_line(dl, from, to, with_alpha(col, 0.9f), 3.f, 10.f, 5.f);
    arrow_head(dl, to, u, 14.f, col);
    const ImVec2 mid = lerp(from, to, 0.5f);
    const char* text = "transferring leadership";
    const ImVec2 sz = ImGui::CalcTextSize(text);
    const ImVec2 at(std::floor(mid.x - sz.x * 0.5f), std::floor(mid.y - sz.y - 4.f));
    dl->AddRectFilled(ImVec2(at.x - 3, at.y - 1), ImVec2(at.x + sz.x + 3, at.y + sz.y + 1),
                      IM_COL32(30, 20, 34, 230), 3.f);
    dl->AddText(at, col, text);
}

// ===========================================================================
// nodes
// ===========================================================================

void draw_timer_arc(ImDrawList* dl, const sim::NodeSlot& s, int64_t now_us, ImVec2 c, float r) {
    if (!s.alive || s.election.due_us < 0 || s.election.set_us < 0) return;
    const int64_t total = s.election.due_us - s.election.set_us;
    if (total <= 0) return;
    const int64_t left = s.paused ? s.election.paused_left_us : s.election.due_us - now_us;
    const float frac =
        std::fmin(1.f, std::fmax(0.f, static_cast<float>(left) / static_cast<float>(total)));
    dl->PathArcTo(c, r, -kPi * 0.5f, 1.5f * kPi, 48);
    dl->PathStroke(IM_COL32(255, 255, 255, 28), 0, 3.f);
    if (frac <= 0.f) return;
    dl->PathArcTo(c, r, -kPi * 0.5f, -kPi * 0.5f + 2.f * kPi * frac, 48);
    dl->PathStroke(frac < 0.2f ? IM_COL32(255, 170, 90, 230) : IM_COL32(235, 238, 245, 200), 0,
                   3.f);
}

// The disk badge: unsynced writes; an fsync in flight shows a dot.
void draw_disk_badge(ImDrawList* dl, const sim::NodeSlot& s, ImVec2 c, float r) {
    const int64_t unsynced = s.disk.unsynced_entries();
    const ImVec2 a(c.x + r * 0.5f, c.y - r * 1.1f);
    char text[16];
    std::snprintf(text, sizeof text, "%lld", static_cast<long long>(unsynced));
    const float w = 16.f + ImGui::CalcTextSize(text).x;
    const ImVec2 b(a.x + w, a.y + 15.f);
    const bool busy = unsynced > 0 || s.disk.fsync_in_flight();
    dl->AddRectFilled(a, b, busy ? IM_COL32(74, 54, 18, 245) : IM_COL32(30, 34, 42, 235), 3.f);
    dl->AddRect(a, b, busy ? kColWarn : kColFaint, 3.f);
    // A tiny stack of platters: the disk.
    const ImU32 ic = busy ? kColWarn : kColDim;
    for (int k = 0; k < 3; k++) {
        const float y = a.y + 4.f + static_cast<float>(k) * 3.f;
        dl->AddLine(ImVec2(a.x + 3.f, y), ImVec2(a.x + 10.f, y), ic, 1.5f);
    }
    dl->AddText(ImVec2(a.x + 13.f, a.y + 1.f), busy ? IM_COL32(255, 220, 160, 255) : kColDim, text);
    if (s.disk.fsync_in_flight()) dl->AddCircleFilled(ImVec2(b.x, a.y), 3.f, kColWarn);
}

void draw_crown(ImDrawList* dl, ImVec2 c, float r) {
    const float w = r * 0.55f, y = c.y - r - 7.f, h = r * 0.32f;
    const ImVec2 p[7] = {ImVec2(c.x - w, y),
                         ImVec2(c.x - w, y - h),
                         ImVec2(c.x - w * 0.5f, y - h * 0.45f),
                         ImVec2(c.x, y - h * 1.15f),
                         ImVec2(c.x + w * 0.5f, y - h * 0.45f),
                         ImVec2(c.x + w, y - h),
                         ImVec2(c.x + w, y)};
    dl->AddConvexPolyFilled(p, 7, IM_COL32(250, 206, 80, 255));
}

void centered_text(ImDrawList* dl, ImVec2 c, ImU32 col, const char* text) {
    const ImVec2 sz = ImGui::CalcTextSize(text);
    dl->AddText(ImVec2(std::floor(c.x - sz.x * 0.5f), std::floor(c.y - sz.y * 0.5f)), col, text);
}

// Key count and KV hash (equal hashes, equal colours), and the commit index:
// under the node, or beside it (outwards) for nodes at the sides of a big ring.
void draw_node_labels(ImDrawList* dl, const sim::NodeSlot& s, ImVec2 c, float r, float side) {
    const raft::Node& n = s.node;
    char keys[32], commit[32];
    std::snprintf(keys, sizeof keys, "%zu key%s", n.kv().key_count(),
                  n.kv().key_count() == 1 ? "" : "s");
    std::snprintf(commit, sizeof commit, "commit %lld", static_cast<long long>(n.commit_index()));
    std::string hash = short_hash(n.kv().hash());
    hash.insert(hash.begin(), '#');
    const float wk = ImGui::CalcTextSize(keys).x, wh = ImGui::CalcTextSize(hash.c_str()).x;
    const float wc = ImGui::CalcTextSize(commit).x, w = wk + 6.f + wh;
    float x0 = std::floor(c.x - w * 0.5f), y = c.y + r + 9.f, xc = std::floor(c.x - wc * 0.5f);
    if (side > 0.55f) {  // right side: to the right of the node
        x0 = c.x + r + 12.f;
        xc = x0;
        y = c.y - 16.f;
    } else if (side < -0.55f) {  // left side: to the left
        x0 = c.x - r - 12.f - w;
        xc = c.x - r - 12.f - wc;
        y = c.y - 16.f;
    }
    dl->AddText(ImVec2(x0, y), s.alive ? kColText : kColDim, keys);
    const ImU32 hc = s.alive ? hash_color(n.kv().hash()) : kColDim;
    dl->AddText(ImVec2(x0 + wk + 6.f, y), hc, hash.c_str());
    dl->AddRectFilled(ImVec2(x0 + wk + 6.f, y + 14.f), ImVec2(x0 + wk + 6.f + wh, y + 16.f), hc);
    dl->AddText(ImVec2(xc, y + 18.f), kColDim, commit);
}

// The server's place in the configuration, beside it at mid height: on the
// left, or on the right for a node whose labels go to its left (big rings).
// (Above it would meet the crown, the disk badge and, at the top of the
// ring, the info lines.)
void draw_place_tag(ImDrawList* dl, Place place, ImVec2 c, float r, float side) {
    const char* tag = place_tag(place);
    if (*tag == '\0') return;
    const ImU32 col = place == Place::kRemoved   ? kColDim
                      : place == Place::kLearner ? IM_COL32(150, 220, 255, 255)
                      : place == Place::kOld     ? IM_COL32(255, 190, 120, 255)
                      : place == Place::kNew     ? IM_COL32(140, 235, 160, 255)
                                                 : IM_COL32(230, 230, 150, 255);
    const ImVec2 sz = ImGui::CalcTextSize(tag);
    const float x = side < -0.55f ? c.x + r + 10.f : c.x - r - 10.f - sz.x;
    const ImVec2 at(std::floor(x), std::floor(c.y - sz.y * 0.5f));
    dl->AddRectFilled(ImVec2(at.x - 3, at.y - 1), ImVec2(at.x + sz.x + 3, at.y + sz.y + 1),
                      IM_COL32(20, 22, 28, 225), 3.f);
    dl->AddText(at, col, tag);
}

void draw_node(ImDrawList* dl, const View& v, const Layout& l, int i, bool hovered, Place place) {
    const sim::NodeSlot& s = v.world.nodes()[static_cast<size_t>(i)];
    const raft::Node& n = s.node;
    const ImVec2 c = l.pos[static_cast<size_t>(i)];
    const float r = l.node_r;
    ImU32 fill = s.alive ? role_color(n.role()) : crashed_color();
    if (s.alive && s.paused) fill = mix(fill, IM_COL32(90, 92, 98, 255), 0.65f);
    // A learner is hollow (it never votes), a removed server greyed.
    if (place == Place::kLearner) fill = mix(fill, kColPanelBg, 0.7f);
    if (place == Place::kRemoved) fill = mix(fill, IM_COL32(70, 72, 78, 255), 0.75f);
    if (hovered) fill = mix(fill, IM_COL32(255, 255, 255, 255), 0.12f);
    draw_timer_arc(dl, s, v.world.now_us(), c, r + 6.f);
    dl->AddCircleFilled(c, r, fill, 40);
    if (place == Place::kLearner) {
        for (int k = 0; k < 16; k += 2) {  // a dashed rim in the role's colour
            dl->PathArcTo(c, r - 2.f, 2.f * kPi * static_cast<float>(k) / 16.f,
                          2.f * kPi * static_cast<float>(k + 1) / 16.f, 6);
            dl->PathStroke(s.alive ? role_color(n.role()) : kColDim, 0, 3.f);
        }
    }
    draw_place_tag(dl, place, c, r, l.side[static_cast<size_t>(i)]);
    const bool selected = v.ui.selected_node == i;
    const bool leader = s.alive && n.role() == raft::Role::kLeader;
    dl->AddCircle(c, r,
                  selected ? kColCursor
                  : leader ? IM_COL32(190, 255, 200, 255)
                           : IM_COL32(0, 0, 0, 120),
                  40,
                  selected ? 3.f
                  : leader ? 2.5f
                           : 1.5f);
    if (leader) draw_crown(dl, c, r);
    char buf[48];
    std::snprintf(buf, sizeof buf, "n%d", i);
    centered_text(dl, ImVec2(c.x, c.y - 6.f), s.alive ? IM_COL32(255, 255, 255, 255) : kColDim,
                  buf);
    std::snprintf(buf, sizeof buf, "T%lld", static_cast<long long>(n.current_term()));
    centered_text(dl, ImVec2(c.x, c.y + 7.f), s.alive ? IM_COL32(235, 240, 250, 220) : kColDim,
                  buf);
    if (!s.alive) {
        cross(dl, c, r * 0.62f, kColBad, 3.f);
    } else if (s.paused) {
        const ImVec2 p(c.x - r * 0.9f, c.y + r * 0.55f);
        dl->AddRectFilled(ImVec2(p.x - 9, p.y - 8), ImVec2(p.x + 9, p.y + 8),
                          IM_COL32(20, 22, 28, 240), 3.f);
        dl->AddRectFilled(ImVec2(p.x - 5, p.y - 5), ImVec2(p.x - 1.5f, p.y + 5), kColWarn);
        dl->AddRectFilled(ImVec2(p.x + 1.5f, p.y - 5), ImVec2(p.x + 5, p.y + 5), kColWarn);
    }
    draw_disk_badge(dl, s, c, r);
    draw_node_labels(dl, s, c, r, l.side[static_cast<size_t>(i)]);
}

void node_tooltip(const View& v, int i) {
    const sim::NodeSlot& s = v.world.nodes()[static_cast<size_t>(i)];
    const raft::Node& n = s.node;
    if (s.spare) {
        ImGui::SetTooltip(
            "n%d: a spare server, not in the configuration yet (down, empty disk).\n"
            "Add server / Add learner in the Control tab boots it and asks the leader to add it.",
            i);
        return;
    }
    ImGui::BeginTooltip();
    ImGui::Text("n%d  %s%s  term %lld", i, s.alive ? raft::role_name(n.role()) : "crashed",
                s.paused ? " (paused)" : "", static_cast<long long>(n.current_term()));
    ImGui::Text("commit %lld  applied %lld  last log %lld",
                static_cast<long long>(n.commit_index()), static_cast<long long>(n.last_applied()),
                static_cast<long long>(n.log().last_index()));
    ImGui::Text("disk: %lld unsynced writes%s", static_cast<long long>(s.disk.unsynced_entries()),
                s.disk.fsync_in_flight() ? ", fsync in flight" : "");
    ImGui::Text("its configuration: %s (entry %lld)", raft::membership_text(n.membership()).c_str(),
                static_cast<long long>(n.conf_index()));
    if (s.alive && s.election.due_us >= 0 && !s.paused) {
        ImGui::Text("election timeout in %s",
                    format_duration(s.election.due_us - v.world.now_us()).c_str());
    }
    ImGui::TextDisabled("click for details and actions");
    ImGui::EndTooltip();
}

// ===========================================================================
// overlays (info, legend, violation)
// ===========================================================================

void draw_info(ImDrawList* dl, const View& v, ImVec2 origin) {
    const sim::World& w = v.world;
    char buf[160];
    const raft::NodeId leader = w.leader();
    if (leader >= 0) {
        std::snprintf(
            buf, sizeof buf, "leader n%d, term %lld", leader,
            static_cast<long long>(w.nodes()[static_cast<size_t>(leader)].node.current_term()));
    } else {
        std::snprintf(buf, sizeof buf, "no leader");
    }
    dl->AddText(origin, leader >= 0 ? kColText : kColWarn, buf);
    const sim::NetworkModel& net = w.network().model();
    std::snprintf(buf, sizeof buf, "latency %s-%s, loss %.1f%%, dup %.1f%%, %zu in flight",
                  format_duration(net.latency_us_min).c_str(),
                  format_duration(net.latency_us_max).c_str(),
                  static_cast<double>(net.loss_ppm) / 1e4,
                  static_cast<double>(net.duplicate_ppm) / 1e4, w.wire().size());
    dl->AddText(ImVec2(origin.x, origin.y + 15.f), kColDim, buf);
    if (const raft::Membership* m = shown_membership(w)) {
        const std::string text = "configuration " + raft::membership_text(*m);
        dl->AddText(ImVec2(origin.x, origin.y + 30.f), m->joint() ? kColWarn : kColDim,
                    text.c_str());
    }
}

// The legend flows in rows as wide as the view (a phone's view takes four):
// roles first, message types from a new row. Returns the rows it takes; with
// dl null it only counts them.
int draw_legend(ImDrawList* dl, ImVec2 origin, float width) {
    float x = origin.x;
    float y = origin.y;
    int rows = 1;
    auto place = [&](const char* label) {
        const float w = 20 + ImGui::CalcTextSize(label).x;
        if (x > origin.x && x + w - 6 > origin.x + width) {
            x = origin.x;
            y += 16;
            rows++;
        }
        const ImVec2 at(x, y);
        x += w;
        return at;
    };
    auto swatch = [&](ImU32 col, const char* label) {
        const ImVec2 at = place(label);
        if (!dl) return;
        dl->AddCircleFilled(ImVec2(at.x + 5, at.y + 7), 5, col);
        dl->AddText(ImVec2(at.x + 13, at.y), kColDim, label);
    };
    swatch(role_color(raft::Role::kFollower), "follower");
    swatch(role_color(raft::Role::kPreCandidate), "pre-candidate");
    swatch(role_color(raft::Role::kCandidate), "candidate");
    swatch(role_color(raft::Role::kLeader), "leader");
    swatch(crashed_color(), "crashed");
    {
        const ImVec2 at = place("learner");
        if (dl) {
            dl->AddCircle(ImVec2(at.x + 5, at.y + 7), 4.5f, role_color(raft::Role::kFollower), 0,
                          2.f);
            dl->AddText(ImVec2(at.x + 13, at.y), kColDim, "learner");
        }
    }
    swatch(mix(crashed_color(), kColDim, 0.3f), "removed/spare");
    x = origin.x;
    y += 16;
    rows++;
    auto msg = [&](raft::MsgType t, bool hb, const char* label) {
        const ImVec2 at = place(label);
        if (!dl) return;
        dl->AddRectFilled(ImVec2(at.x + 1, at.y + 3), ImVec2(at.x + 9, at.y + 11), msg_color(t, hb),
                          1.5f);
        dl->AddText(ImVec2(at.x + 13, at.y), kColDim, label);
    };
    msg(raft::MsgType::kPreVote, false, "pre-vote");
    msg(raft::MsgType::kVote, false, "vote");
    msg(raft::MsgType::kAppend, false, "append");
    msg(raft::MsgType::kAppend, true, "heartbeat");
    msg(raft::MsgType::kAppendResp, false, "ack");
    msg(raft::MsgType::kSnapshot, false, "snapshot");
    msg(raft::MsgType::kProp, false, "forward");
    msg(raft::MsgType::kClientReq, false, "client");
    msg(raft::MsgType::kTimeoutNow, false, "timeout-now");
    return rows;
}

void draw_violation_banner(View& v, ImVec2 origin, ImVec2 size) {
    const sim::World& w = v.world;
    if (w.violations().empty() || v.ui.violation_dismissed) return;
    const sim::Violation& x = w.violations().back();
    // Above the legend, so the nodes stay visible.
    ImGui::SetCursorScreenPos(ImVec2(origin.x + 8, origin.y + size.y - 40.f - 86.f));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, IM_COL32(90, 20, 24, 235));
    ImGui::BeginChild("##violation", ImVec2(size.x - 16, 86), true, ImGuiWindowFlags_NoScrollbar);
    ImGui::TextColored(ImVec4(1, 0.55f, 0.5f, 1), "SAFETY VIOLATION: %s at t = %s (event #%lld)",
                       x.check.c_str(), format_time(x.t_us).c_str(),
                       static_cast<long long>(x.event));
    ImGui::PushTextWrapPos(size.x - 40);
    ImGui::TextUnformatted(x.description.c_str());
    ImGui::TextDisabled(
        "The run stopped at the offending event. Step back (Left) to watch how it "
        "happened; the Checks tab has the details.");
    ImGui::PopTextWrapPos();
    ImGui::EndChild();
    ImGui::PopStyleColor();
}

}  // namespace

// ===========================================================================
// the view
// ===========================================================================

void draw_cluster_view(View& v, ImVec2 size) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const int n = v.node_count();
    const float legend_w = size.x - 16.f;
    const float legend_h = 16.f * static_cast<float>(draw_legend(nullptr, ImVec2(0, 0), legend_w));
    std::vector<bool> spare(static_cast<size_t>(n));
    for (int i = 0; i < n; i++)
        spare[static_cast<size_t>(i)] = v.world.nodes()[static_cast<size_t>(i)].spare;
    const Layout l = make_layout(origin, size, spare, legend_h + 8.f);
    const raft::Membership* conf = shown_membership(v.world);
    ImGui::InvisibleButton("##cluster_canvas", size);
    const bool canvas_hovered = ImGui::IsItemHovered();
    const bool clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
    const ImVec2 mouse = ImGui::GetIO().MousePos;

    draw_links(dl, v.world, l);
    if (!v.world.clients().empty()) {
        dl->AddCircleFilled(l.hub, 9.f, IM_COL32(60, 40, 56, 255));
        dl->AddCircle(l.hub, 9.f, msg_color(raft::MsgType::kClientReq, false), 0, 1.5f);
        centered_text(dl, ImVec2(l.hub.x, l.hub.y + 18.f), kColDim, "clients");
    }
    int hovered_node = -1;
    for (int i = 0; i < n; i++) {
        const float r = spare[static_cast<size_t>(i)] ? 11.f : l.node_r;
        if (canvas_hovered && dist(mouse, l.pos[static_cast<size_t>(i)]) <= r + 3.f)
            hovered_node = i;
    }
    int spares = 0;
    for (int i = 0; i < n; i++) {
        const ImVec2 c = l.pos[static_cast<size_t>(i)];
        if (spare[static_cast<size_t>(i)]) {
            draw_spare(dl, c, i, v.ui.selected_node == i);
            v.spot_rect("spare." + std::to_string(i), ImVec2(c.x - 11, c.y - 11),
                        ImVec2(c.x + 11, c.y + 11));
            spares++;
            continue;
        }
        draw_node(dl, v, l, i, hovered_node == i, place_of(conf, i));
        v.spot_rect("node." + std::to_string(i), ImVec2(c.x - l.node_r, c.y - l.node_r),
                    ImVec2(c.x + l.node_r, c.y + l.node_r));
    }
    if (spares > 0) {
        // Left of the row (make_layout ends it at the corner).
        const char* text = spares == 1 ? "spare" : "spares";
        const float left = origin.x + size.x - 22.f - 30.f * static_cast<float>(spares - 1) - 15.f;
        dl->AddText(ImVec2(left - ImGui::CalcTextSize(text).x, origin.y + kSpareRowY - 7.f),
                    kColDim, text);
    }
    draw_transfer(dl, v.world, l);
    const int64_t hovered_msg =
        draw_messages(dl, v, l, canvas_hovered ? mouse : ImVec2(-1e6f, -1e6f));
    draw_info(dl, v, ImVec2(origin.x + 8, origin.y + 6));
    draw_legend(dl, ImVec2(origin.x + 8, origin.y + size.y - legend_h - 2.f), legend_w);

    if (hovered_msg != 0 && hovered_node < 0) {
        if (const sim::InFlight* f = v.world.wire().find(hovered_msg))
            ImGui::SetTooltip("%s", message_summary(*f, hovered_msg).c_str());
    } else if (hovered_node >= 0) {
        node_tooltip(v, hovered_node);
    }
    if (clicked) {
        if (hovered_node >= 0) {
            v.ui.selected_node = hovered_node;
            v.ui.focus_tab = PanelTab::kNode;
        } else if (hovered_msg != 0) {
            v.ui.selected_msg = hovered_msg;
            v.ui.focus_tab = PanelTab::kMessage;
        }
    }
    draw_violation_banner(v, origin, size);
}

}  // namespace render
