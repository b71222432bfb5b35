// render/tour_panel.cpp — the guided tour's panel, floating over the
// cluster view's top-right corner: the chapter's title and progress
// ("3 / 7"), its text, previous / next, and a waiting task with its
// "Do it for me" button. With a tour available but not shown, one button
// starts it.
//
// It reads session::TourState (session/tour.h) and sends the tour commands;
// what a chapter does (seek, speed, pause) is the session's. A floating
// window moves nothing else on the page.
#include "render/draw.h"
#include "render/ui.h"

namespace render {
namespace {

constexpr ImGuiWindowFlags kPanelFlags =
    ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove |
    ImGuiWindowFlags_NoFocusOnAppearing;

void push_tour(View& v, CommandKind kind, bool flag = false) {
    Command c;
    c.kind = kind;
    c.flag = flag;
    v.commands.push_back(std::move(c));
}

void chapter_header(View& v) {
    const session::TourState& t = v.tour;
    ImGui::TextColored(ImVec4(0.6f, 0.75f, 1, 1), "Tour %s", t.progress().c_str());
    ImGui::SameLine();
    ImGui::TextUnformatted(t.current().title.c_str());
    v.spot("tour.title");
}

void chapter_buttons(View& v) {
    const session::TourState& t = v.tour;
    ImGui::BeginDisabled(t.chapter() == 0);
    if (ImGui::SmallButton("< Previous")) push_tour(v, CommandKind::kTourPrev);
    ImGui::EndDisabled();
    v.spot("tour.prev");
    ImGui::SameLine();
    ImGui::BeginDisabled(t.chapter() + 1 >= t.count());
    if (ImGui::SmallButton("Next >")) push_tour(v, CommandKind::kTourNext);
    ImGui::EndDisabled();
    tooltip("The next chapter (a waiting task is skipped).");
    v.spot("tour.next");
    ImGui::SameLine();
    if (ImGui::SmallButton("Close tour")) push_tour(v, CommandKind::kTourStart, false);
    v.spot("tour.close");
}

void task_row(View& v) {
    const session::TourState& t = v.tour;
    if (!t.current().has_task) return;
    if (!t.waiting()) {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kColGood), "Done: %s",
                           t.current().task.label.c_str());
        return;
    }
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kColWarn), "Your task: %s",
                       t.current().task.label.c_str());
    v.spot("tour.task");
    if (ImGui::Button("Do it for me")) push_tour(v, CommandKind::kTourDoTask);
    tooltip("The tour does the task at the cursor, as if you had clicked it.");
    v.spot("tour.do_task");
}

void start_button(View& v, ImVec2 at, float width) {
    ImGui::SetNextWindowPos(ImVec2(at.x + width, at.y), ImGuiCond_Always, ImVec2(1, 0));
    ImGui::Begin("##tour_start", nullptr, kPanelFlags | ImGuiWindowFlags_AlwaysAutoResize);
    const std::string label = "Guided tour (" + std::to_string(v.tour.count()) + " chapters)";
    if (ImGui::SmallButton(label.c_str())) push_tour(v, CommandKind::kTourStart, true);
    tooltip("Explains this scenario chapter by chapter, slowing down where it matters.");
    v.spot("tour.start");
    ImGui::End();
}

}  // namespace

void draw_tour_panel(View& v, ImVec2 at, float width) {
    const session::TourState& t = v.tour;
    if (!t.has_tour()) return;
    if (!t.active()) return start_button(v, at, width);
    ImGui::SetNextWindowPos(at, ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(width, 0), ImGuiCond_Always);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(24, 30, 44, 235));
    ImGui::Begin("##tour", nullptr, kPanelFlags);
    chapter_header(v);
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(t.current().text.c_str());
    ImGui::PopTextWrapPos();
    task_row(v);
    chapter_buttons(v);
    v.spot_rect("tour.panel", ImGui::GetWindowPos(),
                ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowSize().x,
                       ImGui::GetWindowPos().y + ImGui::GetWindowSize().y));
    ImGui::End();
    ImGui::PopStyleColor();
}

}  // namespace render
