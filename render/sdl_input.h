// render/sdl_input.h — SDL event pumping shared by the two shells (the
// desktop viewer and the page), so both feed ImGui the same way.
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

}  // namespace render
