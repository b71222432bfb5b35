// shell/shell.cpp — SDL event pumping and font rasterization (see shell.h).
#include "shell/shell.h"

#include <algorithm>

#include "imgui.h"
#include "imgui_impl_opengl3.h"

namespace shell {

void pump_events(std::vector<SDL_Event>& deferred, const std::function<void(SDL_Event&)>& handle) {
    std::vector<SDL_Event> batch;
    batch.swap(deferred);
    SDL_Event event;
    while (SDL_PollEvent(&event))
        batch.push_back(event);
    std::vector<SDL_Scancode> went_down, held_back;
    auto contains = [](const std::vector<SDL_Scancode>& v, SDL_Scancode s) {
        return std::find(v.begin(), v.end(), s) != v.end();
    };
    for (SDL_Event& e : batch) {
        const bool is_key = e.type == SDL_KEYDOWN || e.type == SDL_KEYUP;
        const SDL_Scancode code = is_key ? e.key.keysym.scancode : SDL_SCANCODE_UNKNOWN;
        if (is_key &&
            (contains(held_back, code) || (e.type == SDL_KEYUP && contains(went_down, code)))) {
            if (!contains(held_back, code)) held_back.push_back(code);
            deferred.push_back(e);
            continue;
        }
        if (e.type == SDL_KEYDOWN) went_down.push_back(code);
        handle(e);
    }
}

void rasterize_fonts(float pixel_ratio) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    ImFontConfig config;
    config.SizePixels = 13.0f * pixel_ratio;  // ImGui's default font is 13 px.
    config.OversampleH = config.OversampleV = 1;
    config.PixelSnapH = true;
    io.Fonts->AddFontDefault(&config);
    io.FontGlobalScale = 1.0f / pixel_ratio;
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
}

}  // namespace shell
