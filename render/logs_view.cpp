// render/logs_view.cpp — all logs side by side (the lower pane's "Logs"
// tab): one row per node, one column per log index, the term written in each
// entry. Marks follow the node panel's log strip: solid = committed (on that
// node), dashed = not committed, green underline = durable, veiled = in the
// snapshot but kept for catch-up, hatched = compacted. The live leader's view
// of each follower is drawn under its row (next index: a triangle, match
// index: a bar), and a follower's entries that the leader will overwrite
// (same index, another term: Figure 7's conflicting suffixes) are outlined
// in red.
//
// Reads the world at the cursor only. Long logs scroll horizontally and the
// view follows the end unless the user scrolls; indexes compacted on every
// node collapse into one block; only the visible columns are drawn.
//
// Index
//   geometry
//   cells
//   rows and the view
#include <algorithm>
#include <cstdio>

#include "render/draw.h"
#include "render/ui.h"

namespace render {

namespace {

// ===========================================================================
// geometry
// ===========================================================================

struct Grid {
    ImVec2 origin;      // screen position of index `lo`'s column, row 0
    float label_x = 0;  // screen x of the (pinned) labels
    float cell = 22.f, row_h = 30.f, cell_h = 18.f, header_h = 16.f, label_w = 96.f, block_w = 0;
    raft::Index lo = 1, hi = 0;  // the columns: every index some node still holds
    raft::Index first_vis = 1, last_vis = 0;
    raft::NodeId leader = raft::kNone;
    float x(raft::Index i) const { return origin.x + static_cast<float>(i - lo) * cell; }
    float y(int node) const { return origin.y + header_h + static_cast<float>(node) * row_h; }
};

Grid make_grid(const sim::World& w) {
    Grid g;
    g.lo = INT64_MAX;
    for (const sim::NodeSlot& s : w.nodes()) {
        g.lo = std::min(g.lo, s.node.log().first_index());
        g.hi = std::max(g.hi, s.node.log().last_index());
    }
    if (g.lo == INT64_MAX) g.lo = 1;
    g.block_w = g.lo > 1 ? 52.f : 0.f;
    g.leader = w.leader();
    g.label_w = ImGui::CalcTextSize("n8 pre-candidate t888").x + 12.f;
    return g;
}

// ===========================================================================
// cells
// ===========================================================================

void hatch(ImDrawList* dl, ImVec2 a, ImVec2 b) {
    dl->AddRectFilled(a, b, IM_COL32(60, 50, 80, 255), 2.f);
    for (float x = a.x; x < b.x; x += 6.f)
        dl->AddLine(ImVec2(x, b.y), ImVec2(std::min(b.x, x + (b.y - a.y)), a.y),
                    IM_COL32(120, 100, 160, 120));
}

void dashed_box(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col) {
    dashed_line(dl, a, ImVec2(b.x, a.y), col, 1.5f, 3.f, 2.f);
    dashed_line(dl, ImVec2(a.x, b.y), b, col, 1.5f, 3.f, 2.f);
    dashed_line(dl, a, ImVec2(a.x, b.y), col, 1.5f, 3.f, 2.f);
    dashed_line(dl, ImVec2(b.x, a.y), b, col, 1.5f, 3.f, 2.f);
}

// Whether the live leader holds another term at index i (it will overwrite
// this node's entry, §5.3), or nothing there yet (-1: no leader to compare).
int conflict_with_leader(const sim::World& w, const Grid& g, int node, raft::Index i,
                         raft::Term term) {
    if (g.leader == raft::kNone || g.leader == node) return -1;
    const raft::RaftLog& l = w.nodes()[static_cast<size_t>(g.leader)].node.log();
    if (i > l.last_index()) return 2;
    if (i < l.first_index()) return 0;
    return l.at(i).term != term ? 1 : 0;
}

struct CellInfo {
    const raft::Entry* entry = nullptr;
    bool committed = false, durable = false, veiled = false, compacted = false;
    int conflict = -1;
};

CellInfo cell_info(const sim::World& w, const Grid& g, int node, raft::Index i) {
    const raft::Node& n = w.nodes()[static_cast<size_t>(node)].node;
    CellInfo c;
    if (i < n.log().first_index()) {
        c.compacted = true;
        return c;
    }
    if (i > n.log().last_index()) return c;
    c.entry = &n.log().at(i);
    c.committed = i <= n.commit_index();
    c.durable = i <= n.persisted_index();
    c.veiled = i <= n.snapshot_index();
    c.conflict = conflict_with_leader(w, g, node, i, c.entry->term);
    return c;
}

void draw_cell(ImDrawList* dl, const CellInfo& c, ImVec2 a, ImVec2 b) {
    if (c.compacted) return hatch(dl, a, b);
    if (c.entry == nullptr) return;
    const ImU32 col = term_color(c.entry->term);
    if (c.committed) {
        dl->AddRectFilled(a, b, col, 2.f);
    } else {
        dashed_box(dl, a, b, col);
    }
    char buf[24];
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(c.entry->term));
    const ImVec2 ts = ImGui::CalcTextSize(buf);
    const ImVec2 at(a.x + (b.x - a.x - ts.x) * 0.5f, a.y + (b.y - a.y - ts.y) * 0.5f);
    dl->AddText(at, c.committed ? IM_COL32(10, 12, 16, 255) : col, buf);
    if (c.durable) dl->AddLine(ImVec2(a.x, b.y + 2.f), ImVec2(b.x, b.y + 2.f), kColGood, 2.f);
    if (c.veiled) dl->AddRectFilled(a, b, IM_COL32(20, 20, 28, 140), 2.f);
    if (c.conflict == 1) dl->AddRect(a, b, kColBad, 2.f, 0, 2.5f);
    if (c.conflict == 2) dl->AddRect(a, b, with_alpha(kColWarn, 0.7f), 2.f, 0, 1.f);
}

std::string cell_tooltip(const CellInfo& c, int node, raft::Index i) {
    char buf[400];
    if (c.compacted) {
        std::snprintf(buf, sizeof buf, "n%d #%lld: compacted into its snapshot (§7)", node,
                      static_cast<long long>(i));
        return buf;
    }
    std::snprintf(buf, sizeof buf, "n%d #%lld term %lld\n%s, %s%s%s", node,
                  static_cast<long long>(i), static_cast<long long>(c.entry->term),
                  c.committed ? "committed on this node" : "not committed on this node",
                  c.durable ? "durable" : "not yet durable",
                  c.veiled ? "\nin the snapshot; kept for catch-up" : "",
                  c.conflict == 1   ? "\nCONFLICT: the leader has another term here; it will "
                                      "overwrite this entry (§5.3)"
                  : c.conflict == 2 ? "\nbeyond the leader's log: removed if the leader's "
                                      "entries here differ"
                                    : "");
    return buf;
}

// ===========================================================================
// rows and the view
// ===========================================================================

void draw_index_header(ImDrawList* dl, const Grid& g) {
    for (raft::Index i = g.first_vis; i <= g.last_vis; i++) {
        if (i % 5 != 0 && i != g.lo) continue;
        char buf[24];
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(i));
        dl->AddText(ImVec2(g.x(i) + 2.f, g.origin.y), kColDim, buf);
    }
}

// The leader's view of a follower: next index (triangle) and match index (bar).
void draw_progress(ImDrawList* dl, const sim::World& w, const Grid& g, int node) {
    if (g.leader == raft::kNone || g.leader == node) return;
    const raft::Node& l = w.nodes()[static_cast<size_t>(g.leader)].node;
    const raft::Progress& p = l.progress()[static_cast<size_t>(node)];
    // Under the row's cells, inside the row (the next row starts lower).
    const float y = g.y(node) + g.cell_h + 3.f;
    if (p.match_index >= g.lo) {
        const float x = g.x(p.match_index) + g.cell - 2.f;
        dl->AddRectFilled(ImVec2(x - 1.f, g.y(node) - 1.f), ImVec2(x + 1.f, y + 6.f), kColText);
    }
    const float nx = g.x(p.next_index) + g.cell * 0.5f - 1.f;
    dl->AddTriangleFilled(ImVec2(nx, y), ImVec2(nx - 4.f, y + 6.f), ImVec2(nx + 4.f, y + 6.f),
                          kColWarn);
}

void draw_label(View& v, ImDrawList* dl, const Grid& g, int node) {
    const sim::NodeSlot& s = v.world.nodes()[static_cast<size_t>(node)];
    const float y = g.y(node);
    const ImVec2 a(g.label_x, y - 2.f), b(g.label_x + g.label_w + g.block_w, y + g.row_h - 4.f);
    dl->AddRectFilled(a, b, kColPanelBg);
    char buf[64];
    std::snprintf(buf, sizeof buf, "n%d %s t%lld", node,
                  s.alive ? raft::role_name(s.node.role()) : "crashed",
                  static_cast<long long>(s.node.current_term()));
    dl->AddText(ImVec2(a.x + 4.f, y + 4.f), s.alive ? role_color(s.node.role()) : crashed_color(),
                buf);
    if (g.block_w > 0) {
        const ImVec2 ba(a.x + g.label_w, y), bb(b.x - 4.f, y + g.cell_h);
        hatch(dl, ba, bb);
        std::snprintf(buf, sizeof buf, "<=%lld", static_cast<long long>(g.lo - 1));
        dl->AddText(ImVec2(ba.x + 3.f, ba.y + 3.f), kColText, buf);
    }
}

void draw_row(View& v, ImDrawList* dl, const Grid& g, int node, bool spots) {
    const float y = g.y(node);
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const bool hovered_window = ImGui::IsWindowHovered();
    for (raft::Index i = g.first_vis; i <= g.last_vis; i++) {
        const CellInfo c = cell_info(v.world, g, node, i);
        const ImVec2 a(g.x(i), y), b(g.x(i) + g.cell - 3.f, y + g.cell_h);
        draw_cell(dl, c, a, b);
        if (spots && c.entry != nullptr) {
            v.spot_rect("logs.e." + std::to_string(node) + "." + std::to_string(i) + ".t" +
                            std::to_string(c.entry->term),
                        a, b);
        }
        if (hovered_window && (c.entry || c.compacted) && mouse.x >= a.x && mouse.x < b.x &&
            mouse.y >= a.y && mouse.y < b.y)
            ImGui::SetTooltip("%s", cell_tooltip(c, node, i).c_str());
    }
    draw_progress(dl, v.world, g, node);
    if (!v.world.nodes()[static_cast<size_t>(node)].alive)
        dl->AddRectFilled(ImVec2(g.x(g.first_vis), y - 2.f),
                          ImVec2(g.x(g.last_vis + 1), y + g.row_h), IM_COL32(15, 16, 20, 120));
}

void logs_toolbar(View& v, const Grid& g) {
    ImGui::Checkbox("follow the end", &v.ui.logs_follow);
    v.spot("logs.follow");
    ImGui::SameLine();
    if (g.leader != raft::kNone) {
        ImGui::TextDisabled(
            "leader n%d's view: triangle = next index, bar = match index; red: conflicts it "
            "will overwrite",
            g.leader);
    } else {
        ImGui::TextDisabled("no live leader: nobody's next/match index to show");
    }
}

}  // namespace

void draw_logs_view(View& v, ImVec2 size) {
    Grid g = make_grid(v.world);
    logs_toolbar(v, g);
    const ImVec2 avail(size.x, std::max(40.f, ImGui::GetContentRegionAvail().y));
    ImGui::BeginChild("##logs", avail, false, ImGuiWindowFlags_HorizontalScrollbar);
    v.spot_rect("logs.view", ImGui::GetWindowPos(),
                ImVec2(ImGui::GetWindowPos().x + avail.x, ImGui::GetWindowPos().y + avail.y));
    const ImGuiIO& io = ImGui::GetIO();
    if (ImGui::IsWindowHovered() && (io.MouseWheelH != 0 || io.MouseWheel != 0 ||
                                     ImGui::IsMouseDragging(ImGuiMouseButton_Left)))
        v.ui.logs_follow = false;
    const int nodes = v.node_count();
    const ImVec2 start = ImGui::GetCursorScreenPos();
    g.label_x = ImGui::GetWindowPos().x;
    g.origin = ImVec2(start.x + g.label_w + g.block_w, start.y);
    const raft::Index cols = std::max<raft::Index>(0, g.hi - g.lo + 1);
    const float content_w = g.label_w + g.block_w + static_cast<float>(cols) * g.cell + 8.f;
    ImGui::Dummy(ImVec2(content_w, g.header_h + static_cast<float>(nodes) * g.row_h));
    if (v.ui.logs_follow) ImGui::SetScrollX(ImGui::GetScrollMaxX());
    const float scroll = ImGui::GetScrollX();
    const float view_w = ImGui::GetWindowWidth() - g.label_w - g.block_w;
    g.first_vis = std::max(g.lo, g.lo + static_cast<raft::Index>(scroll / g.cell));
    g.last_vis = std::min(g.hi, g.first_vis + static_cast<raft::Index>(view_w / g.cell) + 1);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (cols == 0) {
        dl->AddText(ImVec2(g.origin.x, g.origin.y + g.header_h), kColDim, "every log is empty");
    }
    draw_index_header(dl, g);
    const bool spots = (g.last_vis - g.first_vis + 1) * nodes <= 400;
    for (int node = 0; node < nodes; node++)
        draw_row(v, dl, g, node, spots);
    for (int node = 0; node < nodes; node++)
        draw_label(v, dl, g, node);
    ImGui::EndChild();
}

}  // namespace render
