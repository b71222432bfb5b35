// native/gui/main.cpp — the desktop viewer's platform loop: SDL2 window, an
// OpenGL 3.2 core context and the ImGui SDL2/OpenGL3 backends around
// render::app_frame(), the same frame function the web page calls.
//
// It owns the session (session/: run, timeline, playback) and the view over
// it (render/), and holds none of their logic. Wall time only paces
// playback. Options:
//   raftplay-gui [FRAGMENT | FILE | --share FRAGMENT | --open FILE]
//                [--quit-after-s S] [--size WxH]
// FRAGMENT is a share-link fragment; a whole URL is accepted and cut at '#'.
// FILE (an existing file) is a run archive (.rpa), a run file or a scenario
// file, opened like one dropped on the window (Session::import_file: an
// archive opens through its checkpoints, without re-simulating).
#include <SDL.h>
#include <SDL_opengl.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "imgui.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"
#include "render/app.h"
#include "session/session.h"
#include "shell/shell.h"

namespace {

struct Options {
    std::string fragment;
    std::string open_path;    // a file to open at startup
    double quit_after_s = 0;  // 0: run until the window closes.
    int width = 1280;
    int height = 800;
};

void print_usage(FILE* out) {
    std::fprintf(out,
                 "usage: raftplay-gui [FRAGMENT | FILE | --share FRAGMENT | --open FILE]\n"
                 "                    [--quit-after-s S] [--size WxH]\n"
                 "  FRAGMENT       share link fragment (or a whole share URL)\n"
                 "  FILE           a run archive (.rpa), run file or scenario file to open\n"
                 "  --quit-after-s exit cleanly after S seconds of wall time\n"
                 "  --size         initial window size in points (default 1280x800)\n");
}

// A share link may be pasted whole; keep only what follows the '#'.
std::string fragment_of(const std::string& arg) {
    size_t hash = arg.find('#');
    return hash == std::string::npos ? arg : arg.substr(hash + 1);
}

bool is_file(const std::string& path) {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec);
}

bool parse_options(int argc, char** argv, Options& options) {
    for (int i = 1; i < argc; i++) {
        std::string arg = argv[i];
        bool has_value = i + 1 < argc;
        if (arg == "-h" || arg == "--help") {
            print_usage(stdout);
            std::exit(0);
        } else if (arg == "--share" && has_value) {
            options.fragment = fragment_of(argv[++i]);
        } else if (arg == "--open" && has_value) {
            options.open_path = argv[++i];
        } else if (arg == "--quit-after-s" && has_value) {
            char* end = nullptr;
            options.quit_after_s = std::strtod(argv[++i], &end);
            if (*end != '\0' || options.quit_after_s < 0) return false;
        } else if (arg == "--size" && has_value) {
            if (std::sscanf(argv[++i], "%dx%d", &options.width, &options.height) != 2) return false;
            if (options.width < 64 || options.height < 64) return false;
        } else if (!arg.empty() && arg[0] != '-' && is_file(arg) && options.open_path.empty()) {
            options.open_path = arg;
        } else if (!arg.empty() && arg[0] != '-' && options.fragment.empty()) {
            options.fragment = fragment_of(arg);
        } else {
            return false;
        }
    }
    return true;
}

// Minimised or hidden windows pause the app like a hidden browser tab does.
void handle_window_event(const SDL_WindowEvent& event, session::Session& session) {
    switch (event.event) {
        case SDL_WINDOWEVENT_MINIMIZED:
        case SDL_WINDOWEVENT_HIDDEN:
            session.set_visible(false);
            break;
        case SDL_WINDOWEVENT_RESTORED:
        case SDL_WINDOWEVENT_SHOWN:
        case SDL_WINDOWEVENT_EXPOSED:
            session.set_visible(true);
            break;
        default:
            break;
    }
}

// A file dropped on the window or named on the command line: a run archive,
// a run file or a scenario file. A rejected one keeps the run shown; the
// banner (and stderr) says why.
bool import_path(const char* path, render::App& app, session::Session& session) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    if (!in) {
        std::fprintf(stderr, "raftplay-gui: cannot read %s\n", path);
        return false;
    }
    if (render::app_import(app, bytes.str(), path)) return true;
    std::fprintf(stderr, "raftplay-gui: %s\n", session.info().error.c_str());
    return false;
}

// Export writes the run file or run archive to the working directory; Import
// asks for a drop (there is no native file picker here).
void platform_requests(session::Session& session) {
    std::string name, bytes;
    if (session.take_download(&name, &bytes)) {
        std::ofstream out(name, std::ios::binary | std::ios::trunc);
        out << bytes;
        std::fprintf(stderr, out ? "raftplay-gui: wrote %s\n" : "raftplay-gui: cannot write %s\n",
                     name.c_str());
    }
    if (session.take_open_request()) {
        std::fprintf(stderr,
                     "raftplay-gui: drop a run archive, run file or scenario file on the window\n");
    }
    std::string fragment;
    if (session.take_copy_request(&fragment)) {
        // The fragment as a link `raftplay replay` and the page's address bar take.
        SDL_SetClipboardText(("#" + fragment).c_str());
    }
}

// The ratio of drawable pixels to window points (2 on a Retina-style screen).
float pixel_ratio_of(SDL_Window* window) {
    int points_w = 0, points_h = 0, pixels_w = 0, pixels_h = 0;
    SDL_GetWindowSize(window, &points_w, &points_h);
    SDL_GL_GetDrawableSize(window, &pixels_w, &pixels_h);
    return points_w > 0 && pixels_w > 0 ? float(pixels_w) / float(points_w) : 1.0f;
}

// Runs frames until the window closes or the quit deadline passes.
void run_loop(SDL_Window* window, session::Session& session, render::App& app,
              const Options& options) {
    const Uint64 frequency = SDL_GetPerformanceFrequency();
    const Uint64 start = SDL_GetPerformanceCounter();
    Uint64 previous = start;
    float font_pixel_ratio = 0;  // The ratio the font atlas was rasterized for.
    bool done = false;
    std::vector<SDL_Event> deferred;
    while (!done) {
        shell::pump_events(deferred, [&](SDL_Event& event) {
            ImGui_ImplSDL2_ProcessEvent(&event);
            if (event.type == SDL_QUIT) done = true;
            if (event.type == SDL_DROPFILE) {
                import_path(event.drop.file, app, session);
                SDL_free(event.drop.file);
            }
            if (event.type == SDL_WINDOWEVENT) {
                if (event.window.event == SDL_WINDOWEVENT_CLOSE &&
                    event.window.windowID == SDL_GetWindowID(window)) {
                    done = true;
                }
                handle_window_event(event.window, session);
            }
        });
        const Uint64 now = SDL_GetPerformanceCounter();
        const double wall_dt_s = double(now - previous) / double(frequency);
        previous = now;
        if (options.quit_after_s > 0 &&
            double(now - start) / double(frequency) >= options.quit_after_s) {
            done = true;
        }

        const float pixel_ratio = pixel_ratio_of(window);
        if (pixel_ratio != font_pixel_ratio) {
            shell::rasterize_fonts(pixel_ratio);
            font_pixel_ratio = pixel_ratio;
        }
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplSDL2_NewFrame();
        ImGui::NewFrame();
        render::app_frame(app, wall_dt_s);
        ImGui::Render();

        int width = 0, height = 0;
        SDL_GL_GetDrawableSize(window, &width, &height);
        glViewport(0, 0, width, height);
        glClearColor(0.08f, 0.09f, 0.11f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        session.note_frame_ms(double(SDL_GetPerformanceCounter() - now) * 1000.0 /
                              double(frequency));
        platform_requests(session);
        SDL_GL_SwapWindow(window);
    }
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    if (!parse_options(argc, argv, options)) {
        print_usage(stderr);
        return 2;
    }
    // The click that focuses the window also reaches the widget under it.
    SDL_SetHint(SDL_HINT_MOUSE_FOCUS_CLICKTHROUGH, "1");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        std::fprintf(stderr, "raftplay-gui: SDL_Init failed: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, SDL_GL_CONTEXT_FORWARD_COMPATIBLE_FLAG);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 2);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    const Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
    SDL_Window* window =
        SDL_CreateWindow("raftplay", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, options.width,
                         options.height, flags);
    SDL_GLContext gl_context = window ? SDL_GL_CreateContext(window) : nullptr;
    if (!gl_context) {
        std::fprintf(stderr, "raftplay-gui: no OpenGL 3.2 window: %s\n", SDL_GetError());
        SDL_Quit();
        return 1;
    }
    SDL_GL_MakeCurrent(window, gl_context);
    SDL_GL_SetSwapInterval(1);  // vsync paces the loop where the driver supports it.

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // The viewer's layout is not persisted.
    ImGui_ImplSDL2_InitForOpenGL(window, gl_context);
    ImGui_ImplOpenGL3_Init("#version 150");

    shell::SteadyClock clock;
    session::Session session(&clock);
    session.load_fragment(options.fragment);
    render::App* app = render::app_create(session);
    if (!options.open_path.empty()) import_path(options.open_path.c_str(), *app, session);
    run_loop(window, session, *app, options);
    render::app_destroy(app);

    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    SDL_GL_DeleteContext(gl_context);
    SDL_DestroyWindow(window);
    SDL_Quit();
    return 0;
}
