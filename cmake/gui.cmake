# cmake/gui.cmake — everything that draws: Dear ImGui, the render layer, the
# shell glue of the mains, the native desktop viewer and the WebAssembly page,
# plus the node-runnable CLI. (The session layer and the embedded built-in
# scenarios are in the root CMakeLists.txt: the headless tests use them.)
#
# Included by the root CMakeLists.txt when RAFTPLAY_GUI is ON. ImGui 1.86 and
# SDL2 2.26.5 come from Debian source packages unpacked by scripts/deps into
# .deps/; under Emscripten SDL2 is the static library scripts/deps built into
# .deps/sdl2-wasm (Debian's emscripten has a frozen cache, so -sUSE_SDL=2 is
# not an option). Emscripten links to .js, never .html (the html minifier of
# 3.1.6 crashes); wasm/index.html is our own page.

set(RAFTPLAY_IMGUI_DIR "${RAFTPLAY_DEPS_DIR}/imgui-1.86" CACHE PATH "Dear ImGui 1.86 sources")
if(NOT EXISTS "${RAFTPLAY_IMGUI_DIR}/imgui.cpp")
  message(FATAL_ERROR "missing ${RAFTPLAY_IMGUI_DIR}/imgui.cpp: run scripts/deps")
endif()

# --- platform: SDL2 (+ GL) ---------------------------------------------------------
if(EMSCRIPTEN)
  set(RAFTPLAY_SDL2_WASM_DIR "${RAFTPLAY_DEPS_DIR}/sdl2-wasm" CACHE PATH "SDL2 built for wasm")
  if(NOT EXISTS "${RAFTPLAY_SDL2_WASM_DIR}/lib/libSDL2.a")
    message(FATAL_ERROR "missing ${RAFTPLAY_SDL2_WASM_DIR}/lib/libSDL2.a: run scripts/deps")
  endif()
  add_library(raftplay_sdl2 STATIC IMPORTED)
  set_target_properties(raftplay_sdl2 PROPERTIES
    IMPORTED_LOCATION "${RAFTPLAY_SDL2_WASM_DIR}/lib/libSDL2.a"
    INTERFACE_INCLUDE_DIRECTORIES
      "${RAFTPLAY_SDL2_WASM_DIR}/include;${RAFTPLAY_SDL2_WASM_DIR}/include/SDL2")
else()
  find_package(SDL2 REQUIRED)
  add_library(raftplay_sdl2 INTERFACE)
  if(TARGET SDL2::SDL2)
    target_link_libraries(raftplay_sdl2 INTERFACE SDL2::SDL2)
  else()
    target_include_directories(raftplay_sdl2 INTERFACE ${SDL2_INCLUDE_DIRS})
    target_link_libraries(raftplay_sdl2 INTERFACE ${SDL2_LIBRARIES})
  endif()
endif()

# --- imgui: core + SDL2 and OpenGL3 backends -------------------------------------------
# (imgui_demo.cpp is left out: raftplay never shows the demo window.)
# Third-party code: compiled without our warnings and marked SYSTEM for users.
add_library(imgui STATIC
  ${RAFTPLAY_IMGUI_DIR}/imgui.cpp
  ${RAFTPLAY_IMGUI_DIR}/imgui_draw.cpp
  ${RAFTPLAY_IMGUI_DIR}/imgui_tables.cpp
  ${RAFTPLAY_IMGUI_DIR}/imgui_widgets.cpp
  ${RAFTPLAY_IMGUI_DIR}/backends/imgui_impl_sdl.cpp
  ${RAFTPLAY_IMGUI_DIR}/backends/imgui_impl_opengl3.cpp)
target_include_directories(imgui SYSTEM PUBLIC ${RAFTPLAY_IMGUI_DIR} ${RAFTPLAY_IMGUI_DIR}/backends)
target_compile_options(imgui PRIVATE -w)
target_link_libraries(imgui PUBLIC raftplay_sdl2)
if(EMSCRIPTEN)
  # WebGL2 is OpenGL ES 3.0: GLSL "#version 300 es". (ImGui 1.86 defaults to ES2.)
  target_compile_definitions(imgui PUBLIC IMGUI_IMPL_OPENGL_ES3)
  # The page must stay within 600 KB gzipped: the UI library is compiled for size.
  target_compile_options(imgui PRIVATE -Os)
else()
  # imgui_impl_opengl3_loader.h dlopen()s libGL.so.1 itself.
  target_link_libraries(imgui PUBLIC ${CMAKE_DL_LIBS})
endif()

# --- render: ImGui views of a world ------------------------------------------------------
file(GLOB RENDER_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/render/*.cpp)
add_library(render STATIC ${RENDER_SOURCES})
target_link_libraries(render PUBLIC session imgui)
if(EMSCRIPTEN)
  target_compile_options(render PRIVATE -Os)  # the page's size budget, as for imgui
endif()
target_include_directories(render PUBLIC ${CMAKE_SOURCE_DIR})

# --- shell: the SDL2/GL glue both mains share (event pumping, fonts, clock) ---------------
# Its own target, linked only by raftplay-gui and raftplay-web: render/ (views)
# and session/ (the playground) never see SDL, GL or a wall clock.
file(GLOB SHELL_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/shell/*.cpp)
add_library(shell STATIC ${SHELL_SOURCES})
target_link_libraries(shell PUBLIC session imgui)
if(EMSCRIPTEN)
  target_compile_options(shell PRIVATE -Os)
endif()

if(NOT EMSCRIPTEN)
  # --- raftplay-gui: the native desktop viewer ------------------------------------------
  file(GLOB GUI_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/native/gui/*.cpp)
  if(GUI_SOURCES)
    add_executable(raftplay-gui ${GUI_SOURCES})
    find_package(OpenGL REQUIRED)
    target_link_libraries(raftplay-gui PRIVATE render shell OpenGL::GL)
  endif()
else()
  # --- the page: build/web/{index.html,raftplay.js,raftplay.wasm} --------------------------
  set(RAFTPLAY_WEB_DIR "${CMAKE_BINARY_DIR}/web" CACHE PATH "where the static page is assembled")
  file(GLOB PAGE_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/wasm/*.cpp)
  if(PAGE_SOURCES)
    add_executable(raftplay-web ${PAGE_SOURCES})
    target_link_libraries(raftplay-web PRIVATE render shell)
    set_target_properties(raftplay-web PROPERTIES
      OUTPUT_NAME raftplay
      SUFFIX ".js"
      RUNTIME_OUTPUT_DIRECTORY "${RAFTPLAY_WEB_DIR}")
    target_link_options(raftplay-web PRIVATE
      --bind
      -sENVIRONMENT=web
      -sMODULARIZE=1
      -sEXPORT_NAME=createRaftplay
      -sALLOW_MEMORY_GROWTH=1
      -sMIN_WEBGL_VERSION=2
      -sMAX_WEBGL_VERSION=2
      # No file system in the page (files come and go as bytes through embind):
      # emscripten's FS code is left out, for the page's size budget.
      -sFILESYSTEM=0
      # The link's binaryen pass (wasm-opt) optimizes the whole module for
      # size: -7% gzipped for the page's 600 KiB budget (-Oz rather than -Os:
      # another 10 KB gzipped once membership changes reached the page). The
      # hot simulation code keeps its -O3 compile (the per-frame budget is
      # measured by the browser's performance test).
      -Oz)
    # Static files of the page (html, js, css, icons) are copied beside the module.
    file(GLOB PAGE_STATIC CONFIGURE_DEPENDS
      ${CMAKE_SOURCE_DIR}/wasm/*.html ${CMAKE_SOURCE_DIR}/wasm/*.js ${CMAKE_SOURCE_DIR}/wasm/*.css)
    set(PAGE_STATIC_OUT)
    foreach(f ${PAGE_STATIC})
      get_filename_component(name ${f} NAME)
      add_custom_command(OUTPUT ${RAFTPLAY_WEB_DIR}/${name}
        COMMAND ${CMAKE_COMMAND} -E copy_if_different ${f} ${RAFTPLAY_WEB_DIR}/${name}
        DEPENDS ${f} COMMENT "page: ${name}")
      list(APPEND PAGE_STATIC_OUT ${RAFTPLAY_WEB_DIR}/${name})
    endforeach()
    add_custom_target(raftplay-web-static ALL DEPENDS ${PAGE_STATIC_OUT})
    add_dependencies(raftplay-web raftplay-web-static)
  endif()
endif()

# --- raftplay-node: the CLI compiled to wasm, run by node (determinism tests) ---------------
# node --no-experimental-fetch build/wasm/raftplay-node.js run scenarios/x.json --seed N
if(EMSCRIPTEN)
  file(GLOB NODE_CLI_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/native/cli/*.cpp)
  if(NODE_CLI_SOURCES)
    add_executable(raftplay-node ${NODE_CLI_SOURCES})
    target_link_libraries(raftplay-node PRIVATE check)
    set_target_properties(raftplay-node PROPERTIES SUFFIX ".js"
      RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}")
    target_link_options(raftplay-node PRIVATE
      -sENVIRONMENT=node -sALLOW_MEMORY_GROWTH=1 -sEXIT_RUNTIME=1 -sNODERAWFS=1)
  endif()
endif()
