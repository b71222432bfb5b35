// shell/shell.cpp — SDL event pumping and font rasterization (see shell.h).
#include "shell/shell.h"

#include <algorithm>

#include "imgui.h"
#include "imgui_impl_opengl3.h"

namespace shell {

namespace {

bool is_mouse(const SDL_Event& e) {
    return e.type == SDL_MOUSEMOTION || e.type == SDL_MOUSEBUTTONDOWN ||
           e.type == SDL_MOUSEBUTTONUP || e.type == SDL_MOUSEWHEEL;
}

// Whether the mouse moved (or the window was entered or focused) this frame.
bool moves_the_mouse(const SDL_Event& e) {
    if (e.type == SDL_MOUSEMOTION) return true;
    return e.type == SDL_WINDOWEVENT && (e.window.event == SDL_WINDOWEVENT_ENTER ||
                                         e.window.event == SDL_WINDOWEVENT_FOCUS_GAINED);
}

}  // namespace

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
    // The mouse: a press waits for the next frame when the mouse moved to it
    // in this one (ImGui must see where the mouse is before the press: the
    // first click into the desktop window, a click with no pause after the
    // move), and a release waits when its press came in this frame (a 0 ms
    // click). Every later mouse event waits with them, in order.
    bool moved = false, pressed = false, hold_mouse = false;
    for (SDL_Event& e : batch) {
        if (is_mouse(e)) {
            hold_mouse = hold_mouse || (e.type == SDL_MOUSEBUTTONDOWN && moved) ||
                         (e.type == SDL_MOUSEBUTTONUP && pressed);
            if (hold_mouse) {
                deferred.push_back(e);
                continue;
            }
            pressed = pressed || e.type == SDL_MOUSEBUTTONDOWN;
        }
        moved = moved || moves_the_mouse(e);
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
