// render/app.cpp — placeholder frame until the world lands: draws a circle of
// nodes and the simulated time so the delivery pipeline has a real frame.
#include "render/app.h"

#include <cmath>
#include <cstdio>

#include "imgui.h"

namespace render {

struct App {
    double t_s = 0;
    bool visible = true;
};

App* app_create(const std::string&) { return new App(); }
void app_destroy(App* app) { delete app; }
void app_set_visible(App& app, bool visible) { app.visible = visible; }

void app_frame(App& app, double wall_dt_s) {
    if (app.visible) app.t_s += wall_dt_s;
    ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::Begin("raftplay", nullptr, ImGuiWindowFlags_NoDecoration);
    ImGui::Text("raftplay  t = %.3f s", app.t_s);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 c(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f);
    float r = 0.3f * (vp->WorkSize.x < vp->WorkSize.y ? vp->WorkSize.x : vp->WorkSize.y);
    for (int i = 0; i < 5; i++) {
        float a = 6.2831853f * i / 5.0f - 1.5707963f;
        ImVec2 p(c.x + r * std::cos(a), c.y + r * std::sin(a));
        dl->AddCircleFilled(p, 28, i == 0 ? IM_COL32(230, 160, 40, 255) : IM_COL32(70, 130, 200, 255));
        char label[16];
        std::snprintf(label, sizeof label, "n%d", i);
        dl->AddText(ImVec2(p.x - 8, p.y - 7), IM_COL32_WHITE, label);
    }
    ImGui::End();
}

std::string app_state_json(const App& app) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "{\"t_us\":%lld,\"playing\":%s}", (long long)(app.t_s * 1e6),
                  app.visible ? "true" : "false");
    return buf;
}

std::string app_fragment(const App&) { return ""; }

}  // namespace render
