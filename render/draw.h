// render/draw.h — the palette and small drawing helpers every view uses:
// colours for roles, message types, terms, node ids and KV hashes; vector
// icons (ProggyClean has ASCII only); dashed lines; time formatting.
//
// Pure functions of their arguments: no state, no world access.
#pragma once

#include <cstdint>
#include <string>

#include "imgui.h"
#include "raft/types.h"

namespace render {

// ---- palette ------------------------------------------------------------------
ImU32 role_color(raft::Role role);
ImU32 crashed_color();
ImU32 msg_color(raft::MsgType type, bool heartbeat);
ImU32 term_color(raft::Term term);
ImU32 node_color(int node);       // distinct hue per node id (charts, lanes)
ImU32 hash_color(uint64_t hash);  // equal hashes, equal colours
ImU32 with_alpha(ImU32 color, float alpha);
ImU32 mix(ImU32 a, ImU32 b, float t);

constexpr ImU32 kColText = IM_COL32(220, 224, 232, 255);
constexpr ImU32 kColDim = IM_COL32(140, 148, 160, 255);
constexpr ImU32 kColFaint = IM_COL32(70, 76, 88, 255);
constexpr ImU32 kColBad = IM_COL32(235, 70, 70, 255);
constexpr ImU32 kColGood = IM_COL32(70, 200, 110, 255);
constexpr ImU32 kColWarn = IM_COL32(240, 170, 60, 255);
constexpr ImU32 kColFork = IM_COL32(190, 120, 240, 255);
constexpr ImU32 kColCursor = IM_COL32(255, 255, 255, 230);
constexpr ImU32 kColPanelBg = IM_COL32(22, 25, 31, 255);

// Short label of a message type ("AE", "HB", "V", ...).
const char* msg_short_name(raft::MsgType type, bool heartbeat);

// ---- icons -------------------------------------------------------------------------
enum class Icon : uint8_t {
    kPlay,
    kPause,
    kStepBack,
    kStepForward,
    kPrevMarker,
    kNextMarker,
    kToStart,
    kToEnd
};
// A framed button of height GetFrameHeight() with a vector icon.
bool icon_button(const char* id, Icon icon, const char* tooltip);
void draw_icon(ImDrawList* dl, ImVec2 center, float size, Icon icon, ImU32 color);

// ---- shapes ---------------------------------------------------------------------------
void dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 color, float thickness, float dash,
                 float gap);
void cross(ImDrawList* dl, ImVec2 c, float r, ImU32 color, float thickness);
void arrow_head(ImDrawList* dl, ImVec2 tip, ImVec2 dir, float size, ImU32 color);
void lamp(ImDrawList* dl, ImVec2 center, float r, ImU32 color);

// ---- text ------------------------------------------------------------------------------
// "12.345 s", "850.0 ms", "1:02.500" — compact simulated time.
std::string format_time(int64_t t_us);
std::string format_duration(int64_t us);
// A node id, or a client id for ids >= sim::kClientBase ("c3").
std::string endpoint_name(int32_t id);
// A short hex of a 64-bit hash (6 hex digits).
std::string short_hash(uint64_t h);
void tooltip(const char* text);  // on the last item, when hovered

// ---- flow ------------------------------------------------------------------------------
// A button's width for its label in the current style.
float button_width(const char* label);
// The next item goes beside the last one when `width` more pixels fit in the
// window, else on a new line (a narrow panel wraps a row of buttons).
void same_line_fits(float width);

}  // namespace render
