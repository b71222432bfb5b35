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

// ---- platform requests (additive) ---------------------------------------------------
// The render layer cannot touch files or the browser; the mains fulfil these.

// A run file the user asked to export: the page downloads it, the desktop
// viewer writes it to the working directory. True once per request.
bool app_take_download(App& app, std::string* file_name, std::string* text);
// The user asked to pick a file to import (the page opens a file picker).
bool app_take_open_request(App& app);
// Imports a run file ({"format": "raftplay-run", ...}) or a scenario file. On
// failure the error is shown and the current run stays. Returns success.
bool app_import(App& app, const std::string& text, const std::string& source_name);
// The run file (scenario, seed, input log, digest, cursor) of what is shown.
std::string app_run_file_json(const App& app);
// The whole frame's CPU time as the main measured it (app_frame plus ImGui
// rendering and GL calls), for the p50/p99 in app_state_json.
void app_note_frame_ms(App& app, double frame_ms);
// Forgets the frame-time samples (to measure one phase, e.g. 1x under stress).
void app_reset_frame_stats(App& app);

}  // namespace render
