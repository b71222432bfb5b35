// render/app.h — the view layer's frame function both mains call (wasm/ and
// native/).
//
// The App is a thin view over a session::Session the main owns: it keeps
// only the UiState (selection, camera, open panels, text fields), lays the
// panels out, and hands the frame's commands to the session. Everything
// about the run (timeline, playback, loading, share link, run files, the
// state JSON) is the session's; the mains talk to it directly for those.
#pragma once

#include <string>

#include "session/session.h"

namespace render {

struct App;

// The session must outlive the app.
App* app_create(session::Session& session);
void app_destroy(App* app);

// Builds one frame of ImGui widgets. Call between ImGui::NewFrame() and
// ImGui::Render(). `wall_dt_s` is the wall time since the previous frame; it
// only paces playback (Session::play) and never reaches the simulation.
void app_frame(App& app, double wall_dt_s);

// The session's state JSON with the view's part (selection, named widgets):
// {t_us, digest, playing, scenario, seed, nodes:[...], checks:{ok}, ui:{...}, ...}.
std::string app_state_json(const App& app);

// Imports a file's bytes through the session (Session::import_file: a run
// archive by its magic, else a run file or a scenario file), then resets the
// view's selection and drafts for the new run. Returns success.
bool app_import(App& app, const std::string& bytes, const std::string& source_name);

// Loads a share fragment (the page's Back / Forward to a history entry) and
// resets the view for it like an import.
void app_load_fragment(App& app, const std::string& fragment);

}  // namespace render
