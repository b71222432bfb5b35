// shell/shell.h — what the two mains (the desktop viewer in native/gui and
// the page in wasm/) share around ImGui: SDL event pumping, font
// rasterization, and the wall clock they hand the session.
//
// Why a folder (and CMake target `shell`) of its own: this is platform glue
// (SDL, the GL backend of ImGui, a real clock). render/ holds only views and
// must not know which window it draws in; session/ must not read a clock.
// Only the two mains link `shell`, so both feed and draw ImGui the same way
// without the views or the session depending on SDL.
#pragma once

#include <SDL.h>

#include <chrono>
#include <functional>
#include <vector>

#include "session/session.h"

namespace shell {

// ImGui 1.86's SDL backend samples key state once per frame, so a key pressed
// and released within one frame would be lost (quick taps at low frame rates,
// automated tests). A key-up that follows its key-down in the same frame, and
// every later event of that key, waits in `deferred` for the next frame.
// Mouse buttons likewise: a press that follows a move (or the window's focus)
// in the same frame, and a release that follows its press, wait a frame, so a
// click with no pause (0 ms) and the first click into an unfocused window
// land on the widget under the mouse.
void pump_events(std::vector<SDL_Event>& deferred, const std::function<void(SDL_Event&)>& handle);

// Fonts are rasterized at the device pixel ratio and drawn at 1/ratio: text
// keeps its size in points but stays sharp on high-DPI screens. Call between
// frames, never between ImGui::NewFrame() and ImGui::Render().
void rasterize_fonts(float pixel_ratio);

// The session's work budgets (playback, catch-up) and frame statistics in
// monotonic wall time, as render/app.cpp measured them before the session
// existed (std::chrono::steady_clock, also under emscripten).
class SteadyClock final : public session::Clock {
  public:
    double now_ms() const override {
        const auto t = std::chrono::steady_clock::now() - start_;
        return std::chrono::duration<double, std::milli>(t).count();
    }

  private:
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace shell
