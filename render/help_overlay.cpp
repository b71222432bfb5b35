// render/help_overlay.cpp — keyboard shortcuts and the help overlay that
// lists them with a short guide to what the views show.
//
// Shortcuts are ignored while a text field has the keyboard. They only push
// Commands or flip UiState, like every other control.
//
// Index
//   shortcuts
//   overlay
#include <algorithm>

#include "imgui.h"
#include "imgui_internal.h"  // ClosePopupToLevel: Esc closes combos and menus
#include "render/draw.h"
#include "render/ui.h"

namespace render {

// ===========================================================================
// shortcuts
// ===========================================================================

namespace {

// The speed ladder the - and + keys walk: 1, 2, 5 steps from 1/1000x to 100x.
float speed_step(float log10_speed, int direction) {
    constexpr float kLadder[] = {-3.f, -2.69897f, -2.30103f, -2.f, -1.69897f, -1.30103f,
                                 -1.f, -0.69897f, -0.30103f, 0.f,  0.30103f,  0.69897f,
                                 1.f,  1.30103f,  1.69897f,  2.f};
    constexpr int n = static_cast<int>(sizeof kLadder / sizeof kLadder[0]);
    if (direction > 0) {
        for (int i = 0; i < n; i++) {
            if (kLadder[i] > log10_speed + 0.01f) return kLadder[i];
        }
        return kLadder[n - 1];
    }
    for (int i = n - 1; i >= 0; i--) {
        if (kLadder[i] < log10_speed - 0.01f) return kLadder[i];
    }
    return kLadder[0];
}

bool pressed(ImGuiKey key, bool repeat = true) {
    return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key), repeat);
}

// Esc closes the topmost thing: an open popup (combo, menu), the help, the
// drawer (narrow layout), the error; then it clears the selection.
void escape(View& v) {
    if (ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) {
        ImGui::ClosePopupToLevel(0, true);
    } else if (v.ui.show_help) {
        v.ui.show_help = false;
    } else if (v.ui.drawer_open) {
        v.ui.drawer_open = false;
    } else if (!v.app.error.empty()) {
        v.push(CommandKind::kDismissError);
    } else {
        v.ui.selected_msg = 0;
        v.ui.selected_node = -1;
    }
}

}  // namespace

void handle_shortcuts(View& v) {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput) return;
    if (pressed(ImGuiKey_Space, false)) v.push(CommandKind::kTogglePlay);
    if (pressed(ImGuiKey_LeftArrow))
        v.push(io.KeyShift ? CommandKind::kJumpPrev : CommandKind::kStepBack);
    if (pressed(ImGuiKey_RightArrow))
        v.push(io.KeyShift ? CommandKind::kJumpNext : CommandKind::kStepForward);
    if (pressed(ImGuiKey_Home, false)) v.push(CommandKind::kToStart);
    if (pressed(ImGuiKey_End, false)) v.push(CommandKind::kToHorizon);
    if (pressed(ImGuiKey_Escape, false)) escape(v);
    if (io.KeyCtrl && pressed(ImGuiKey_Z, false))
        v.push(io.KeyShift ? CommandKind::kRedo : CommandKind::kUndo);
    if (io.KeyCtrl && pressed(ImGuiKey_Y, false)) v.push(CommandKind::kRedo);
    for (int i = 0; i < io.InputQueueCharacters.Size; i++) {
        const ImWchar c = io.InputQueueCharacters[i];
        switch (c) {
            case '?':
            case 'h':
                v.ui.show_help = !v.ui.show_help;
                break;
            case '+':
            case '=':
                v.set_speed(speed_step(v.speed_log10(), +1));
                break;
            case '-':
                v.set_speed(speed_step(v.speed_log10(), -1));
                break;
            case 'l':
                v.ui.show_lower = !v.ui.show_lower;
                break;
            case 's':
                v.ui.show_lower = true;
                v.ui.focus_lower = UiState::Lower::kSpacetime;
                break;
            case 'c':
                v.ui.show_lower = true;
                v.ui.focus_lower = UiState::Lower::kCharts;
                break;
            case 'g':
                v.ui.show_lower = true;
                v.ui.focus_lower = UiState::Lower::kLogs;
                break;
            case 'n':
                v.ui.show_lower = true;
                v.ui.focus_lower = UiState::Lower::kNarration;
                break;
            case 'u':
                v.push(CommandKind::kUndoFork);
                break;
            case 'k':
                if (v.ui.selected_node >= 0)
                    v.act(node_action(sim::ActionKind::kKill, v.ui.selected_node));
                break;
            case 'r':
                if (v.ui.selected_node >= 0)
                    v.act(node_action(sim::ActionKind::kRestart, v.ui.selected_node));
                break;
            default:
                if (c >= '0' && c <= '9' && c - '0' < v.node_count()) {
                    v.ui.selected_node = c - '0';
                    v.ui.focus_tab = PanelTab::kNode;
                }
                break;
        }
    }
}

// ===========================================================================
// overlay
// ===========================================================================

namespace {

// BulletText does not wrap; this does.
void bullet(const char* text) {
    ImGui::Bullet();
    ImGui::TextWrapped("%s", text);
}

void key_row(const char* keys, const char* what) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextColored(ImVec4(1, 0.85f, 0.5f, 1), "%s", keys);
    ImGui::TableSetColumnIndex(1);
    ImGui::PushTextWrapPos(0);  // a phone-wide help wraps the long ones
    ImGui::TextUnformatted(what);
    ImGui::PopTextWrapPos();
}

}  // namespace

void draw_help_overlay(View& v) {
    if (!v.ui.show_help) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(
        ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
        ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    // Height: fit the content, within the window (a phone scrolls it).
    const float width = std::min(640.f, vp->WorkSize.x - 16.f);
    ImGui::SetNextWindowSize(ImVec2(width, 0), ImGuiCond_Always);
    ImGui::SetNextWindowSizeConstraints(ImVec2(width, 0),
                                        ImVec2(width, std::max(100.f, vp->WorkSize.y - 16.f)));
    ImGui::SetNextWindowBgAlpha(0.97f);
    bool open = true;
    if (!ImGui::Begin("raftplay help", &open,
                      ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                          ImGuiWindowFlags_NoMove)) {
        ImGui::End();
        return;
    }
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(
        "raftplay runs a Raft cluster in a deterministic simulator: everything you see is a pure "
        "function "
        "of the scenario, the seed and your actions, so the address bar is an exact replay link.");
    ImGui::PopTextWrapPos();
    ImGui::Separator();
    if (ImGui::BeginTable("##keys", 2, ImGuiTableFlags_SizingStretchProp)) {
        key_row("Space", "play / pause");
        key_row("Left / Right", "step one event back / forward");
        key_row("Shift+Left / Right",
                "previous / next interesting event (election, fault, violation)");
        key_row("Home / End", "to t = 0 / to the furthest simulated moment");
        key_row("- / +", "slower / faster");
        key_row("0-9", "select node n0..n9");
        key_row("k / r", "kill / restart the selected node");
        key_row("u", "undo a fork");
        key_row("Ctrl+Z / Ctrl+Shift+Z",
                "undo / redo an action or a change of run (Back / Forward)");
        key_row("s / c", "space-time diagram / charts in the lower pane");
        key_row("g / n", "all logs side by side / the narrated event list in the lower pane");
        key_row("l", "show / hide the lower pane");
        key_row("Esc",
                "close a menu, the help, the panels' drawer or the error; clear the selection");
        key_row("? or h", "this help");
        ImGui::EndTable();
    }
    ImGui::Separator();
    ImGui::PushTextWrapPos(0);
    bullet(
        "Node colour: follower, pre-candidate, candidate, leader (crown); grey with a cross: "
        "crashed; pause bars: paused. The arc drains towards the election timeout.");
    bullet(
        "Disk badge: writes not yet fsynced (a crash loses them). Under each node: key count "
        "and KV hash; equal hashes have equal colours.");
    bullet(
        "Messages: squares are appends (bigger with more entries), dots heartbeats, diamonds "
        "(pre-)votes, rings replies (red rim: rejected), triangles client requests and "
        "forwards, hexagons snapshots, a pink star TimeoutNow. A red cross: lost.");
    bullet("Red links are cut by a partition; a bar with an arrow is a one-way cut.");
    bullet(
        "Membership: the ring is the leader's configuration. Spares (servers not added yet) "
        "wait in the top right corner; a learner is hollow with a dashed rim; a server no "
        "longer in the configuration is greyed, labelled removed; during joint consensus each "
        "voter is tagged C_old, C_new or C_old+new. A pink dashed arrow is a leadership "
        "transfer under way. Control tab: Add server, Add learner, Promote, Remove and "
        "Transfer leadership (to the selected node); a greyed button says why in its tooltip.");
    bullet(
        "Timeline: click or drag to scrub. An action takes effect at the cursor, at once; "
        "acting in the past forks the timeline (undo with u).");
    bullet(
        "The run goes on past the scenario's script (a line marks where it ends), up to 10 "
        "minutes more; the link carries the time, so it replays exactly.");
    bullet(
        "History: every action, fork and change of run (new seed, another scenario) is a step: "
        "the browser's Back undoes it, Forward redoes it (Ctrl+Z / Ctrl+Shift+Z here and in the "
        "desktop viewer). Copy link copies the exact link of this moment, speed included; a "
        "link that cannot be read whole keeps its scenario and seed and says what it left out.");
    bullet(
        "The caption over the cluster says in plain words what the last events up to the cursor "
        "mean (elections, votes and why they were refused, commits, faults). The Narration tab "
        "lists every narrated event; click a row to go there.");
    bullet(
        "Logs tab: one row per node, one column per index, the term written in each entry "
        "(solid: committed, dashed: not yet, green underline: durable, hatched: compacted). "
        "Under a follower: the leader's next index (triangle) and match index (bar); a red "
        "outline is an entry the leader will overwrite (a conflicting term).");
    bullet(
        "Control tab: each scripted request says which node it went through, whether that node "
        "forwarded it to the leader, the log entry it became and its outcome; a STRESS shows "
        "its progress. Pause workload quiets the background clients (an action: links replay "
        "it) so that the hashes agree.");
    bullet(
        "Top bar: (behind) = the simulation cannot keep up with the speed asked (at 1x the clock "
        "otherwise follows the wall clock); simulating... = a jump computed over frames.");
    bullet(
        "Charts: time axis in simulated seconds; legends: message types (rate), ok / failed / "
        "unknown (latency). Space-time: a red cross on a message's own line is a loss.");
    bullet(
        "Narrow window (a phone): Panels opens the panels' drawer (Close or Esc closes it); "
        "seed, new seed and Copy link are in the ... menu. Tap to click, drag to scrub.");
    bullet(
        "Guided tour (the panel over the cluster): chapter by chapter with its progress, "
        "Previous / Next, and tasks (\"Kill the leader\") it waits for; Do it for me does the "
        "task. It slows down where things happen; the link keeps the chapter. Bug hunts (their own "
        "group in the scenario picker and the Scenario tab) open at their own seed and run a "
        "deliberately broken rule until the checkers catch it.");
    ImGui::PopTextWrapPos();
    ImGui::End();
    if (!open) v.ui.show_help = false;
}

}  // namespace render
