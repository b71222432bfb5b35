// render/app.h — the one frame function both mains call (wasm/ and native/).
//
// The App owns the timeline (the deterministic world plus its checkpoints and
// input log) and the small UiState (selection, camera, open panels). Views
// read the world through const references; every user action becomes a
// command appended to the input log. The mains only own the platform loop:
// SDL2 window, GL context, ImGui backends.
#pragma once

#include <string>

namespace render {

struct App;

// `fragment` is a share-link fragment (the part after '#', may be empty).
// A malformed fragment never fails creation: the app falls back to the
// default scenario and shows the error.
App* app_create(const std::string& fragment);
void app_destroy(App* app);

// Builds one frame of ImGui widgets. Call between ImGui::NewFrame() and
// ImGui::Render(). `wall_dt_s` is the wall time since the previous frame; it
// only paces playback and never reaches the simulation.
void app_frame(App& app, double wall_dt_s);

// The page pauses itself while the tab is hidden.
void app_set_visible(App& app, bool visible);

// Read-only JSON snapshot of the app for scripts and browser tests:
// {t_us, digest, playing, scenario, seed, nodes:[...], checks:{ok}, ...}.
std::string app_state_json(const App& app);

// The current share-link fragment (without '#'), updated as the user acts.
std::string app_fragment(const App& app);

}  // namespace render
