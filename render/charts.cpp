// render/charts.cpp — four small charts over the whole simulated span, drawn
// with ImGui's draw list (no plotting library): commit index per node, client
// latency, message rate by type, and who led which term. Each has a time axis
// in simulated seconds; the latency and rate charts a colour legend. A white
// line marks the cursor; clicking a chart scrubs there.
//
// Data comes from Insight (derived once from the trace, kept up to the
// horizon), so the charts show the future of a scrubbed-back cursor too.
//
// Index
//   chart frame
//   time axis and legends
//   commit index
//   client latency
//   message rate
//   leaders
//   the view
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "render/draw.h"
#include "render/ui.h"

namespace render {

namespace {

// ===========================================================================
// chart frame
// ===========================================================================

struct Chart {
    ImVec2 a, b;  // plot area
    int64_t t_max = 1;
    double y_max = 1;
    float x(int64_t t) const {
        return a.x + (b.x - a.x) *
                         static_cast<float>(static_cast<double>(t) / static_cast<double>(t_max));
    }
    float y(double v) const {
        return b.y - (b.y - a.y) * static_cast<float>(std::min(1.0, v / y_max));
    }
};

// Draws the box, title and y label; returns the plot area. Clicking scrubs.
Chart begin_chart(View& v, const char* id, const char* title, ImVec2 o, ImVec2 size,
                  int64_t t_max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImGui::SetCursorScreenPos(o);
    ImGui::InvisibleButton(id, size);
    Chart c;
    c.a = ImVec2(o.x + 44.f, o.y + 18.f);
    c.b = ImVec2(o.x + size.x - 8.f, o.y + size.y - 18.f);  // the time axis's labels below
    c.t_max = std::max<int64_t>(1, t_max);
    dl->AddRectFilled(o, ImVec2(o.x + size.x, o.y + size.y), IM_COL32(16, 18, 23, 255), 3.f);
    dl->AddRect(c.a, c.b, kColFaint);
    dl->AddText(ImVec2(o.x + 6.f, o.y + 2.f), kColText, title);
    if (ImGui::IsItemActive()) {
        const float f =
            std::fmin(1.f, std::fmax(0.f, (ImGui::GetIO().MousePos.x - c.a.x) / (c.b.x - c.a.x)));
        const int64_t t =
            static_cast<int64_t>(static_cast<double>(f) * static_cast<double>(c.t_max));
        if (t != v.world.now_us()) v.seek(t);
    }
    if (ImGui::IsItemActivated()) v.set_playing(false);
    return c;
}

void time_axis(const Chart& c);

void end_chart(const Chart& c, const View& v, const char* y_label) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    time_axis(c);
    const float xc = c.x(v.world.now_us());
    dl->AddLine(ImVec2(xc, c.a.y), ImVec2(xc, c.b.y), kColCursor, 1.5f);
    dl->AddText(ImVec2(c.a.x - 40.f, c.a.y - 2.f), kColDim, y_label);
    dl->AddText(ImVec2(c.a.x - 40.f, c.b.y - 14.f), kColDim, "0");
}

// ===========================================================================
// time axis and legends
// ===========================================================================

// The tick step: 1, 2 or 5 times a power of ten microseconds, so that ticks
// are at least `min_px` apart.
int64_t tick_step_us(int64_t t_max, float width, float min_px) {
    const double per_px = static_cast<double>(t_max) / std::fmax(1.0, width);
    int64_t step = 1000;  // 1 ms
    for (int i = 0; i < 40; i++) {
        for (const int64_t m : {1, 2, 5}) {
            if (static_cast<double>(step * m) / per_px >= min_px) return step * m;
        }
        step *= 10;
    }
    return step;
}

// "0", "1.5", "20": simulated seconds, with the decimals the step needs.
std::string tick_label(int64_t t_us, int64_t step_us) {
    const int decimals = step_us >= 1'000'000 ? 0
                         : step_us >= 100'000 ? 1
                         : step_us >= 10'000  ? 2
                                              : 3;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, static_cast<double>(t_us) / 1e6);
    return buf;
}

// Ticks and labels under the plot; the last label says the unit.
void time_axis(const Chart& c) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const int64_t step = tick_step_us(c.t_max, c.b.x - c.a.x, 56.f);
    for (int64_t t = 0; t <= c.t_max; t += step) {
        const float x = c.x(t);
        dl->AddLine(ImVec2(x, c.b.y), ImVec2(x, c.b.y + 3.f), kColDim);
        std::string label = tick_label(t, step);
        if (t + step > c.t_max) label += " s";
        const float w = ImGui::CalcTextSize(label.c_str()).x;
        const float lx = std::fmin(x - w * 0.5f, c.b.x + 6.f - w);
        dl->AddText(ImVec2(std::fmax(c.a.x - 4.f, lx), c.b.y + 3.f), kColDim, label.c_str());
    }
}

struct LegendItem {
    const char* label;
    ImU32 color;
};

// A row of colour swatches and names, right-aligned on the title line; when
// it does not fit after the title, it flows in rows over a dark box inside
// the plot's top.
void legend(const Chart& c, float title_end_x, const std::vector<LegendItem>& items) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    std::vector<ImVec2> at;
    float width = 0;
    for (const LegendItem& it : items)
        width += 10.f + ImGui::CalcTextSize(it.label).x + 8.f;
    const bool inside = width > c.b.x - title_end_x - 8.f;
    float x = inside ? c.a.x + 4.f : c.b.x - width;
    float y = inside ? c.a.y + 2.f : c.a.y - 16.f;
    for (const LegendItem& it : items) {
        const float w = 10.f + ImGui::CalcTextSize(it.label).x + 8.f;
        if (inside && x + w > c.b.x && x > c.a.x + 4.f) {
            x = c.a.x + 4.f;
            y += 14.f;
        }
        at.push_back(ImVec2(x, y));
        x += w;
    }
    if (inside && !items.empty()) {
        dl->AddRectFilled(ImVec2(c.a.x + 1, c.a.y + 1), ImVec2(c.b.x - 1, y + 15.f),
                          IM_COL32(16, 18, 23, 225));
    }
    for (size_t k = 0; k < items.size(); k++) {
        dl->AddRectFilled(ImVec2(at[k].x, at[k].y + 4.f), ImVec2(at[k].x + 7.f, at[k].y + 11.f),
                          items[k].color);
        dl->AddText(ImVec2(at[k].x + 10.f, at[k].y), kColText, items[k].label);
    }
}

float title_end(ImVec2 o, const char* title) {
    return o.x + 6.f + ImGui::CalcTextSize(title).x;
}

// ===========================================================================
// commit index
// ===========================================================================

void commit_chart(View& v, ImVec2 o, ImVec2 size, int64_t t_max) {
    const char* title = "commit index per node";
    Chart c = begin_chart(v, "##ch_commit", title, o, size, t_max);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    int64_t top = 1;
    for (int i = 0; i < v.node_count(); i++) {
        for (const CommitPoint& p : v.insight.commits(i))
            top = std::max(top, p.index);
    }
    c.y_max = static_cast<double>(top);
    std::vector<ImVec2> line;
    for (int i = 0; i < v.node_count(); i++) {
        const ImU32 col = node_color(i);
        line.clear();
        auto flush = [&]() {
            if (line.size() >= 2)
                dl->AddPolyline(line.data(), static_cast<int>(line.size()), col, 0, 1.5f);
            line.clear();
        };
        for (const CommitPoint& p : v.insight.commits(i)) {
            if (p.index < 0) {  // crashed: the line breaks
                flush();
                continue;
            }
            const ImVec2 q(c.x(p.t_us), c.y(static_cast<double>(p.index)));
            if (!line.empty() && std::fabs(line.back().x - q.x) < 1.f) {
                line.back().y = q.y;  // one point per pixel column
            } else {
                if (!line.empty()) line.push_back(ImVec2(q.x, line.back().y));  // steps
                line.push_back(q);
            }
        }
        flush();
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(top));
    end_chart(c, v, buf);
    // The node names are the legend (beside the title, or inside the plot).
    std::vector<std::string> names;
    for (int i = 0; i < v.node_count(); i++)
        names.push_back("n" + std::to_string(i));
    std::vector<LegendItem> items;
    for (int i = 0; i < v.node_count(); i++)
        items.push_back({names[static_cast<size_t>(i)].c_str(), node_color(i)});
    legend(c, title_end(o, title), items);
}

// ===========================================================================
// client latency
// ===========================================================================

// A request's outcome: ok, failed (a definite error), unknown (a timeout:
// it may or may not have happened).
constexpr ImU32 kColLatOk = IM_COL32(110, 200, 240, 220);
constexpr ImU32 kColLatFail = IM_COL32(240, 90, 80, 230);
constexpr ImU32 kColLatUnknown = IM_COL32(170, 170, 170, 220);

void latency_chart(View& v, ImVec2 o, ImVec2 size, int64_t t_max) {
    const char* title = "client latency";
    Chart c = begin_chart(v, "##ch_latency", title, o, size, t_max);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const std::vector<LatencyPoint>& pts = v.insight.latencies();
    int64_t top = 1000;
    for (const LatencyPoint& p : pts)
        top = std::max(top, p.latency_us);
    c.y_max = static_cast<double>(top);
    const size_t first = pts.size() > 20000 ? pts.size() - 20000 : 0;
    for (size_t i = first; i < pts.size(); i++) {
        const LatencyPoint& p = pts[i];
        const ImVec2 q(c.x(p.t_us), c.y(static_cast<double>(p.latency_us)));
        const ImU32 col = p.status == static_cast<uint8_t>(sim::OpStatus::kOk)     ? kColLatOk
                          : p.status == static_cast<uint8_t>(sim::OpStatus::kFail) ? kColLatFail
                                                                                   : kColLatUnknown;
        dl->AddRectFilled(ImVec2(q.x - 1, q.y - 1), ImVec2(q.x + 1, q.y + 1), col);
    }
    end_chart(c, v, format_duration(top).c_str());
    legend(c, title_end(o, title),
           {{"ok", kColLatOk}, {"failed", kColLatFail}, {"unknown", kColLatUnknown}});
}

// ===========================================================================
// message rate
// ===========================================================================

void rate_chart(View& v, ImVec2 o, ImVec2 size, int64_t t_max) {
    const char* title = "messages sent per second";
    Chart c = begin_chart(v, "##ch_rate", title, o, size, t_max);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const auto& buckets = v.insight.send_buckets();
    const int columns = std::max(1, static_cast<int>(c.b.x - c.a.x) / 2);
    const double buckets_per_col = static_cast<double>(c.t_max) /
                                   static_cast<double>(kRateBucketUs) /
                                   static_cast<double>(columns);
    // Per column: the average count per bucket, by type, then stacked.
    std::vector<std::array<double, kMsgTypes>> cols(static_cast<size_t>(columns));
    double top = 1;
    for (int x = 0; x < columns; x++) {
        const size_t b0 = static_cast<size_t>(static_cast<double>(x) * buckets_per_col);
        const size_t b1 =
            std::max(b0 + 1, static_cast<size_t>(static_cast<double>(x + 1) * buckets_per_col));
        double total = 0;
        for (int k = 0; k < kMsgTypes; k++) {
            double sum = 0;
            for (size_t b = b0; b < b1 && b < buckets.size(); b++)
                sum += buckets[b][static_cast<size_t>(k)];
            cols[static_cast<size_t>(x)][static_cast<size_t>(k)] =
                sum / static_cast<double>(b1 - b0) * 1e6 / kRateBucketUs;
            total += cols[static_cast<size_t>(x)][static_cast<size_t>(k)];
        }
        top = std::max(top, total);
    }
    c.y_max = top;
    const float col_w = (c.b.x - c.a.x) / static_cast<float>(columns);
    for (int x = 0; x < columns; x++) {
        double acc = 0;
        const float x0 = c.a.x + static_cast<float>(x) * col_w;
        for (int k = 0; k < kMsgTypes; k++) {
            const double val = cols[static_cast<size_t>(x)][static_cast<size_t>(k)];
            if (val <= 0) continue;
            const float y0 = c.y(acc), y1 = c.y(acc + val);
            dl->AddRectFilled(ImVec2(x0, y1), ImVec2(x0 + col_w, y0),
                              msg_color(static_cast<raft::MsgType>(k), false));
            acc += val;
        }
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f/s", top);
    end_chart(c, v, buf);
    // The legend names the types that were sent (appends include heartbeats).
    std::vector<LegendItem> items;
    for (int k = 0; k < kMsgTypes; k++) {
        bool sent = false;
        for (const auto& col : cols)
            sent = sent || col[static_cast<size_t>(k)] > 0;
        const auto type = static_cast<raft::MsgType>(k);
        if (sent) items.push_back({msg_short_name(type, false), msg_color(type, false)});
    }
    legend(c, title_end(o, title), items);
}

// ===========================================================================
// leaders
// ===========================================================================

void leader_chart(View& v, ImVec2 o, ImVec2 size, int64_t t_max) {
    Chart c = begin_chart(v, "##ch_leaders", "leader by term", o, size, t_max);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const std::vector<Marker>& m = v.insight.markers();
    const int64_t end = std::max(v.timeline.horizon_us(), v.world.now_us());
    const float band_y0 = c.a.y + 8.f, band_y1 = c.b.y - 8.f;
    int changes = 0;
    for (size_t i = 0; i < m.size(); i++) {
        if (m[i].kind != MarkerKind::kLeader) continue;
        changes++;
        // The reign ends at the next election, or when this leader crashes.
        int64_t stop = end;
        for (size_t j = i + 1; j < m.size(); j++) {
            if (m[j].kind == MarkerKind::kLeader ||
                (m[j].kind == MarkerKind::kCrash && m[j].node == m[i].node)) {
                stop = m[j].t_us;
                break;
            }
        }
        const float x0 = c.x(m[i].t_us), x1 = std::fmax(x0 + 2.f, c.x(stop));
        dl->AddRectFilled(ImVec2(x0, band_y0), ImVec2(x1, band_y1),
                          with_alpha(node_color(m[i].node), 0.75f));
        char label[32];
        std::snprintf(label, sizeof label, "n%d T%lld", m[i].node,
                      static_cast<long long>(m[i].term));
        if (x1 - x0 > ImGui::CalcTextSize(label).x + 6.f) {
            dl->AddText(ImVec2(x0 + 3.f, (band_y0 + band_y1) * 0.5f - 7.f),
                        IM_COL32(10, 10, 14, 255), label);
        }
    }
    for (const Marker& x : m) {
        if (x.kind == MarkerKind::kCrash)
            dl->AddLine(ImVec2(c.x(x.t_us), c.a.y), ImVec2(c.x(x.t_us), c.b.y), kColBad, 1.f);
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%d", changes);
    end_chart(c, v, buf);
    dl->AddText(ImVec2(c.a.x - 40.f, c.a.y + 12.f), kColDim, "elec.");
}

}  // namespace

// ===========================================================================
// the view
// ===========================================================================

void draw_charts(View& v, ImVec2 size) {
    const ImVec2 o = ImGui::GetCursorScreenPos();
    const float gap = 6.f;
    const ImVec2 cell((size.x - gap) * 0.5f, (size.y - gap) * 0.5f);
    const int64_t t_max = std::max<int64_t>(1, std::max(v.timeline.horizon_us(), v.world.now_us()));
    commit_chart(v, o, cell, t_max);
    latency_chart(v, ImVec2(o.x + cell.x + gap, o.y), cell, t_max);
    rate_chart(v, ImVec2(o.x, o.y + cell.y + gap), cell, t_max);
    leader_chart(v, ImVec2(o.x + cell.x + gap, o.y + cell.y + gap), cell, t_max);
    ImGui::SetCursorScreenPos(o);
    ImGui::Dummy(size);
    v.spot_rect("charts", o, ImVec2(o.x + size.x, o.y + size.y));
}

}  // namespace render
