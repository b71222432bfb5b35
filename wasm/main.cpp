// wasm/main.cpp — the web page's platform loop: SDL2 on a WebGL2 canvas, the
// ImGui SDL2/OpenGL3 backends and render::app_frame(), driven by the
// browser's requestAnimationFrame.
//
// It owns the session (session/) and its clock but nothing of the
// simulation's logic. It keeps the canvas the size of the
// window in device pixels (high-DPI) and exposes a few functions to the page's
// JavaScript through embind: the app's JSON state (for tests and scripts), the
// share fragment (mirrored into location.hash), the history steps (each a
// browser history entry), loading an entry on Back / Forward, and tab
// visibility. The share
// fragment arrives as argv[1] (index.html passes location.hash without '#').
//
// Bytes across the boundary (run archives are binary): into C++, embind's
// std::string takes a Uint8Array as raw bytes (a JS string as UTF-8), so one
// import function serves text and archives. Out of C++, embind would decode a
// std::string as UTF-8 (lossy for binary), so downloads hand the page a
// pointer and a length into the heap (HEAPU8.slice copies them before the
// memory can grow), and raftplay_run_archive returns a typed_memory_view the
// page copies at once. Pointer + length rather than base64: no third more
// bytes, no encoding pass over a file that can be tens of megabytes.
#include <GLES3/gl3.h>
#include <SDL.h>
#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/html5.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cfloat>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "imgui.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"
#include "render/app.h"
#include "session/session.h"
#include "shell/shell.h"

namespace {

struct Page {
    SDL_Window* window = nullptr;
    shell::SteadyClock clock;
    session::Session* session = nullptr;
    render::App* app = nullptr;  // a view over *session
    double last_frame_ms = 0;
    int css_width = 0;
    int css_height = 0;
    double pixel_ratio = 0;
    uint64_t frames = 0;
    std::vector<SDL_Event> deferred;  // key events held for the next frame
    // A finger lifted: from the next frame ImGui sees no mouse (SDL leaves
    // its touch-made mouse where the finger was, and a tooltip would stay
    // up as if hovered) until the next finger or real mouse moves.
    bool touch_lifted = false;
    bool hide_mouse = false;
};

Page page;

// Shown by index.html over the canvas; the page stays readable.
void report_fatal(const char* what) {
    EM_ASM(
        {
            if (Module.raftplayFatal) Module.raftplayFatal(UTF8ToString($0));
        },
        what);
}

// The canvas follows the window: CSS size in points, backing store in device
// pixels. SDL scales the backing store by devicePixelRatio (ALLOW_HIGHDPI);
// ImGui then sees the point size as DisplaySize and the ratio as
// DisplayFramebufferScale.
void follow_window_size() {
    const int css_width = EM_ASM_INT({ return window.innerWidth; });
    const int css_height = EM_ASM_INT({ return window.innerHeight; });
    const double pixel_ratio = emscripten_get_device_pixel_ratio();
    if (css_width == page.css_width && css_height == page.css_height &&
        pixel_ratio == page.pixel_ratio) {
        return;
    }
    if (pixel_ratio != page.pixel_ratio) shell::rasterize_fonts(float(pixel_ratio));
    page.css_width = css_width;
    page.css_height = css_height;
    page.pixel_ratio = pixel_ratio;
    SDL_SetWindowSize(page.window, css_width > 0 ? css_width : 1, css_height > 0 ? css_height : 1);
}

// Requests the render layer cannot fulfil itself: downloads and file pickers
// are the page's (see page.js).
void platform_requests() {
    std::string name, bytes, mime;
    if (page.session->take_download(&name, &bytes, &mime)) {
        EM_ASM(
            {
                if (Module.raftplayDownload)
                    Module.raftplayDownload(UTF8ToString($0), HEAPU8.slice($1, $1 + $2),
                                            UTF8ToString($3));
            },
            name.c_str(), bytes.data(), bytes.size(), mime.c_str());
    }
    if (page.session->take_open_request()) {
        EM_ASM({
            if (Module.raftplayOpenFile) Module.raftplayOpenFile();
        });
    }
    std::string fragment;
    if (page.session->take_copy_request(&fragment)) {
        EM_ASM(
            {
                if (Module.raftplayCopyLink) Module.raftplayCopyLink(UTF8ToString($0));
            },
            fragment.c_str());
    }
    // Undo and redo are the browser's Back and Forward (the session's history
    // is the browser's: set_browser_history).
    if (const int step = page.session->take_history_request()) {
        EM_ASM(
            {
                if (Module.raftplayHistoryGo) Module.raftplayHistoryGo($0);
            },
            step);
    }
}

// Touch bookkeeping for hide_mouse: a touch-made release hides the mouse
// from the next frame on (the release itself must still land on its button);
// a touch-made press or move, or a real mouse's move, shows it again.
void note_touch(const SDL_Event& e) {
    const bool touch = (e.type == SDL_MOUSEBUTTONUP || e.type == SDL_MOUSEBUTTONDOWN)
                           ? e.button.which == SDL_TOUCH_MOUSEID
                           : e.type == SDL_MOUSEMOTION && e.motion.which == SDL_TOUCH_MOUSEID;
    if (e.type == SDL_MOUSEBUTTONUP && touch) {
        page.touch_lifted = true;
    } else if (e.type == SDL_MOUSEBUTTONDOWN || e.type == SDL_MOUSEMOTION) {
        page.touch_lifted = false;
        page.hide_mouse = false;
    }
}

void frame() {
    const double frame_start_ms = emscripten_get_now();
    page.hide_mouse = page.touch_lifted;
    shell::pump_events(page.deferred, [](SDL_Event& e) {
        note_touch(e);
        ImGui_ImplSDL2_ProcessEvent(&e);
    });
    follow_window_size();

    const double now_ms = emscripten_get_now();
    const double wall_dt_s = page.frames == 0 ? 0.0 : (now_ms - page.last_frame_ms) / 1000.0;
    page.last_frame_ms = now_ms;

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    if (page.hide_mouse && page.touch_lifted) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    ImGui::NewFrame();
    render::app_frame(*page.app, wall_dt_s);
    ImGui::Render();

    int width = 0, height = 0;
    SDL_GL_GetDrawableSize(page.window, &width, &height);
    glViewport(0, 0, width, height);
    glClearColor(0.08f, 0.09f, 0.11f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    platform_requests();
    page.session->note_frame_ms(emscripten_get_now() - frame_start_ms);
    page.frames++;
}

// --- embind: what the page's JavaScript may ask ----------------------------------------
std::string state_json() {
    return page.app ? render::app_state_json(*page.app) : "null";
}
std::string fragment() {
    return page.session ? page.session->fragment() : "";
}
void set_visible(bool visible) {
    if (page.session) page.session->set_visible(visible);
}
double frames() {
    return double(page.frames);
}
// A run archive, run file or scenario file the user picked or dropped (a
// Uint8Array of its bytes, or a string); false if rejected (the session
// shows why).
bool import_file(std::string bytes, std::string name) {
    return page.app && render::app_import(*page.app, bytes, name);
}
std::string run_file() {
    return page.session ? page.session->run_file_json() : "";
}
// The run archive of what was simulated: a view into `bytes`, valid until the
// next call or until the heap grows (the page copies it at once).
emscripten::val run_archive() {
    static std::string bytes;
    bytes = page.session ? page.session->run_archive_bytes() : "";
    return emscripten::val(emscripten::typed_memory_view(
        bytes.size(), reinterpret_cast<const unsigned char*>(bytes.data())));
}
void reset_frame_stats() {
    if (page.session) page.session->reset_frame_stats();
}
// History (page.js): a counter of history steps, the exact link of the moment
// before the last one, and loading an entry the user went back or forward to.
double history_generation() {
    return page.session ? double(page.session->history_generation()) : 0;
}
std::string fragment_before_change() {
    return page.session ? page.session->fragment_before_change() : "";
}
void load_fragment(std::string fragment) {
    if (page.app) render::app_load_fragment(*page.app, fragment);
}
bool link_partial() {
    return page.session && page.session->info().link_partial;
}

}  // namespace

EMSCRIPTEN_BINDINGS(raftplay) {
    emscripten::function("raftplay_state", &state_json);
    emscripten::function("raftplay_fragment", &fragment);
    emscripten::function("raftplay_set_visible", &set_visible);
    emscripten::function("raftplay_frames", &frames);
    emscripten::function("raftplay_import", &import_file);
    emscripten::function("raftplay_run_file", &run_file);
    emscripten::function("raftplay_run_archive", &run_archive);
    emscripten::function("raftplay_reset_frame_stats", &reset_frame_stats);
    emscripten::function("raftplay_history_generation", &history_generation);
    emscripten::function("raftplay_fragment_before", &fragment_before_change);
    emscripten::function("raftplay_load_fragment", &load_fragment);
    emscripten::function("raftplay_link_partial", &link_partial);
}

int main(int argc, char** argv) {
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        report_fatal(SDL_GetError());
        return 1;
    }
    // WebGL2 is OpenGL ES 3.0.
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    const int width = EM_ASM_INT({ return window.innerWidth; });
    const int height = EM_ASM_INT({ return window.innerHeight; });
    page.window = SDL_CreateWindow("raftplay", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
                                   width > 0 ? width : 1280, height > 0 ? height : 800,
                                   SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI);
    SDL_GLContext gl_context = page.window ? SDL_GL_CreateContext(page.window) : nullptr;
    if (!gl_context) {
        report_fatal("This browser could not create a WebGL2 context.");
        return 1;
    }
    SDL_GL_MakeCurrent(page.window, gl_context);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // Layout is not persisted in the browser.
    ImGui_ImplSDL2_InitForOpenGL(page.window, gl_context);
    ImGui_ImplOpenGL3_Init("#version 300 es");

    page.session = new session::Session(&page.clock);
    page.session->set_browser_history(true);
    page.session->load_fragment(argc > 1 ? argv[1] : "");
    page.app = render::app_create(*page.session);
    follow_window_size();
    // 0 fps: requestAnimationFrame. Never returns; the browser drives frame().
    emscripten_set_main_loop(frame, 0, true);
    return 0;
}
