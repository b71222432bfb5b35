// render/shell.h — what the two shells (the desktop viewer and the page)
// share around ImGui: SDL event pumping and font rasterization, so both feed
// and draw ImGui the same way.
#pragma once

#include <SDL.h>

#include <functional>
#include <vector>

namespace render {

// ImGui 1.86's SDL backend samples key state once per frame, so a key pressed
// and released within one frame would be lost (quick taps at low frame rates,
// automated tests). A key-up that follows its key-down in the same frame, and
// every later event of that key, waits in `deferred` for the next frame.
void pump_events(std::vector<SDL_Event>& deferred, const std::function<void(SDL_Event&)>& handle);

// Fonts are rasterized at the device pixel ratio and drawn at 1/ratio: text
// keeps its size in points but stays sharp on high-DPI screens. Call between
// frames, never between ImGui::NewFrame() and ImGui::Render().
void rasterize_fonts(float pixel_ratio);

}  // namespace render
