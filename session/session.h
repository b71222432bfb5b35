// session/session.h — the headless playground: one run shown at one moment,
// moved by commands, paced by the caller's wall time.
//
// What the layer owns
//   - The run: scenario, seed, input log (inside sim::Timeline, with its
//     checkpoints) and the cursor, i.e. the moment shown. The cursor is
//     always a moment: every event at or before the shown time has run, which
//     is exactly what `raftplay replay` (World::run_until(cursor)) and a share
//     link's `t` reproduce, so the digest here is the digest elsewhere.
//   - Loading runs: share-link fragments, built-in scenarios (embedded at
//     build time, builtin_scenarios.h), run files, scenario files and binary
//     run archives (format/run_archive.h: they open through their stored
//     checkpoints, without re-simulating from the start).
//   - Moving in time: playback pacing, seeks (through checkpoints inside what
//     was simulated, over several frames beyond it), steps to the next or
//     previous moment, jumps between markers (insight.h derives them).
//   - Commands: what a user (or a test) asks. Every world-changing command
//     goes through sim::Timeline::act and lands in the input log.
//   - What it says back: the error and the fading notice, the
//     linearizability verdict, frame statistics, and what the page
//     exposes: state JSON (browser tests), share fragment, run file, run
//     archive (bytes).
//   - Platform requests it cannot fulfil: a download, a file picker.
//
// What it must not know
//   No ImGui, no SDL, no GL, no files, no browser, and no wall clock: the
//   caller passes the wall time since the last frame (it only paces playback
//   and never reaches the world), and work budgets are measured through the
//   Clock the mains inject (none: budgets never run out, which is what the
//   headless tests want). Selection, camera, panels and text fields belong
//   to the views (render/); the state JSON takes the few the tests read as a
//   ViewReport.
//
// How a frame flows (render::app_frame is the view's part)
//   main:   dt = wall time since the last frame
//   view:   session.play(dt)         playback, multi-frame seeks, marker hunts,
//                                    violation pause, automatic checks
//           draw widgets from const Session& (world(), info(), insight()),
//           collecting the user's Commands
//           session.submit(cmd) each, then session.apply_commands()
//           session.note_app_ms(ms)  the frame's time so far
//   main:   render ImGui; session.note_frame_ms(total);
//           take_download(), take_open_request() (files, pickers)
// Views therefore never see the world change while they draw. The direct
// calls (act, seek, step_forward, ...) run one command at once, as a headless
// test or script wants.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "check/linearizability.h"
#include "session/builtin_scenarios.h"
#include "session/insight.h"
#include "session/tour.h"
#include "sim/timeline.h"

namespace session {

// Monotonic wall time in milliseconds, supplied by the mains (shell/clock.h).
class Clock {
  public:
    virtual ~Clock() = default;
    virtual double now_ms() const = 0;
};

// ---------------------------------------------------------------------------
// Commands: what views (or tests) ask the session to do.
enum class CommandKind : uint8_t {
    kAct,          // action: a user action, through Timeline::act
    kSeekTime,     // t_us
    kStepForward,  // to the next moment (every event at the next time)
    kStepBack,     // to the previous moment
    kJumpNext,     // to the next marker (election, fault, violation)
    kJumpPrev,
    kToStart,
    kToHorizon,   // the furthest moment simulated so far
    kSetPlaying,  // flag
    kTogglePlay,
    kSetSpeed,  // speed_log10
    kUndoFork,
    kUndo,           // the previous run or action (history; the page's Back)
    kRedo,           // the next one (the page's Forward)
    kCopyLink,       // hand the share fragment to the platform (clipboard)
    kLoadBuiltin,    // text: built-in name; seed
    kLoadScenario,   // scenario (custom); seed
    kRestart,        // same scenario, seed, empty input log
    kExportRun,      // hand a run file to the platform (download)
    kExportArchive,  // hand a binary run archive to the platform (download)
    kOpenFile,       // ask the platform for a file (picker)
    kCheckLinearizability,
    kDismissError,
    // The guided tour (session/tour.h).
    kTourStart,   // flag: start (at chapter 1) or close the tour
    kTourGo,      // index: show that chapter (seeks to its start)
    kTourNext,    // the next chapter
    kTourPrev,    // the previous chapter
    kTourDoTask,  // "do it for me": submit the waiting task's action
};

struct Command {
    CommandKind kind = CommandKind::kSetPlaying;
    sim::Action action;
    int64_t t_us = 0;
    bool flag = false;
    float speed_log10 = 0;
    uint64_t seed = 0;
    int index = 0;  // kTourGo
    std::string text;
    std::shared_ptr<const sim::Scenario> scenario;
};

// A run to show: what a fragment, a run file or the picker names.
struct RunSpec {
    std::shared_ptr<const sim::Scenario> scenario;
    std::string builtin;  // empty: custom
    uint64_t seed = 1;
    std::vector<sim::Action> inputs;
    int64_t cursor_us = -1;  // -1: start at 0 and play
    std::string digest;      // expected at the cursor (links, run files)
};

// ---------------------------------------------------------------------------
// What the session tells views besides the world.
struct FrameStats {
    double last_ms = 0, p50_ms = 0, p99_ms = 0;
    size_t samples = 0;
};

struct LinCheck {
    bool checked = false;
    sim::LinResult result;
    int64_t at_t_us = 0;
    size_t ops = 0;
};

struct Info {
    std::string builtin_name;  // empty: a custom scenario
    uint64_t seed = 0;
    int64_t fork_t_us = -1;  // where the current fork began; -1 none
    bool busy = false;       // reaching a far moment or hunting a marker over frames
    // Playback. Speed is 10^speed_log10 simulated seconds per wall second.
    bool playing = true;
    float speed_log10 = -1.30103f;  // 1/20x: messages (1-10 ms) are visible in flight
    // The simulation could not keep up with the speed in its share of the
    // last frame's wall time (not: the frame was slow).
    bool budget_hit = false;
    // An open-ended run: the scenario's script ends at its duration, the
    // world goes on to end_us (sim::kMaxOpenEndUs later); playback stops
    // there and says why.
    int64_t end_us = 0;
    bool at_end = false;  // playback reached end_us
    // Shown from a link that could not be read whole: what was kept is shown,
    // the error says what was left out, and the page keeps the address as
    // typed until the next change.
    bool link_partial = false;
    bool can_undo = false, can_redo = false;
    // The last error (a banner; state JSON "error") and a short notice that fades.
    std::string error;
    std::string notice;
    double notice_left_s = 0;
    LinCheck lin;
    FrameStats frame;
    const std::vector<BuiltinScenario>* builtins = nullptr;
};

// The view's part of the state JSON (what browser tests read besides the run).
struct ViewReport {
    int selected_node = -1;
    int64_t selected_msg = 0;
    std::string spots_json = "{}";   // named widgets' rectangles, an object
    std::string layout_json = "{}";  // the view's layout state (narrow, drawer, popup), an object
};

// Percentiles over a ring of recent samples.
class FrameRing {
  public:
    void add(double ms);
    double percentile(double p) const;
    size_t size() const { return samples_.size(); }

  private:
    std::vector<double> samples_;
    size_t next_ = 0;
};

// ---------------------------------------------------------------------------
class Session {
  public:
    // `clock` may be null (budgets never run out); it must outlive the session.
    // A new session shows the default built-in scenario, playing.
    explicit Session(const Clock* clock = nullptr);

    // ---- loading runs ----
    // A share-link fragment (the part after '#'; a leading '#' is dropped;
    // empty: the default scenario). A fragment that cannot be read whole
    // keeps what can be read (the scenario, the seed, the speed), shows the
    // rest of it as an error naming what was left out (Info::link_partial),
    // and returns false; with nothing readable it shows the default scenario.
    bool load_fragment(const std::string& fragment);
    // Shows a run: a fresh timeline at t = 0, then (over the next frames if
    // far) the spec's cursor. A spec with a cursor opens paused there.
    void load(RunSpec spec);
    // A built-in by name; false (and the error shown) when unknown.
    bool load_builtin(const std::string& name, uint64_t seed);
    // A run file ({"format": "raftplay-run", ...}) or a scenario file. On
    // failure the error is shown and the current run stays.
    bool import_text(const std::string& text, const std::string& source_name);
    // A binary run archive (.rpa). It opens paused at the archive's end, on a
    // timeline that seeks through the archive's checkpoints (any moment opens
    // without re-simulating from the start). A truncated, corrupted or
    // foreign archive shows the decoder's error naming the file and the
    // problem, and the current run stays.
    bool import_archive(const std::string& bytes, const std::string& source_name);
    // Any file the user opens or drops: an archive (told by its magic,
    // sim::is_run_archive), else a run file or scenario file (import_text).
    bool import_file(const std::string& bytes, const std::string& source_name);
    // Bumped by every load: views reset their selection and drafts.
    uint64_t run_generation() const { return run_generation_; }

    // ---- commands ----
    void submit(Command c) { queue_.push_back(std::move(c)); }
    void apply_commands();    // runs the queue (bounded), then updates insight
    void execute(Command c);  // one command now
    void act(sim::Action a);
    void seek(int64_t t_us);  // reaching past the horizon takes play() calls
    void step_forward();      // these four pause playback, as their buttons do
    void step_back();
    void jump_next();
    void jump_prev();
    void set_playing(bool playing);
    void set_speed_log10(float speed_log10);
    void export_run();      // then take_download()
    void export_archive();  // then take_download() (binary)

    // ---- frames ----
    // Everything time does before the views draw: playback by
    // wall_dt_s x speed (the simulation's budget is a share of wall_dt_s
    // itself, so slow frames get more of it and 1x keeps to the wall clock
    // unless the simulation cannot), multi-frame seeks and
    // marker hunts, the pause at a new violation, the automatic
    // linearizability check at the end of a run, the notice's fade.
    void play(double wall_dt_s);
    // The page pauses itself while the tab is hidden.
    void set_visible(bool visible) { visible_ = visible; }
    // The frame's time without the main's rendering (p50/p99 in the state).
    void note_app_ms(double ms);
    // The whole frame's CPU time as the main measured it (statistics).
    void note_frame_ms(double ms);
    void reset_frame_stats();

    // ---- reading ----
    const sim::World& world() const { return timeline_->world(); }
    const sim::Timeline& timeline() const { return *timeline_; }
    const Insight& insight() const { return insight_; }
    // The run's guided tour, when its built-in has one (inactive until the
    // picker opens the scenario, a link names a chapter, or kTourStart).
    const TourState& tour() const { return tour_; }
    const Info& info() const { return info_; }
    const Clock* clock() const { return clock_; }
    bool visible() const { return visible_; }
    // Reaching a far moment or hunting a marker over frames (play() goes on).
    bool busy() const { return seek_target_us_ >= 0 || hunting_; }
    // {t_us, digest, playing, scenario, seed, nodes:[...], checks:{ok}, ...}
    std::string state_json(const ViewReport& view = {}) const;
    std::string fragment() const;  // the share fragment, without '#' (with the speed)

    // ---- history ----
    // Every action, fork, undo of a fork and change of run is a history
    // step: the generation counts them, and fragment_before_change() is the
    // exact link of the moment just before the last one (the page writes it
    // into the entry it leaves and pushes fragment() as a new entry). Loading
    // a fragment (a link, the page's Back and Forward) is not a step.
    uint64_t history_generation() const { return history_generation_; }
    const std::string& fragment_before_change() const { return fragment_before_; }
    // The page keeps the history in the browser's: kUndo / kRedo then ask the
    // platform to go back or forward (take_history_request) instead of using
    // the session's own stack (the desktop viewer's).
    void set_browser_history(bool on) { browser_history_ = on; }
    std::string run_file_json() const;
    // The run simulated so far (to the horizon) as a binary run archive; the
    // cursor stays where it is. Not const: the timeline walks to its horizon
    // and back.
    std::string run_archive_bytes();

    // ---- platform requests (true once per request) ----
    // The bytes of a run file (mime "application/json") or a run archive
    // ("application/octet-stream").
    bool take_download(std::string* file_name, std::string* bytes,
                       std::string* mime_type = nullptr);
    bool take_open_request();
    bool take_copy_request(std::string* fragment);
    int take_history_request();  // -1 back, +1 forward, 0 none

  private:
    double now_ms() const { return clock_ ? clock_->now_ms() : 0.0; }
    // A run on a fresh timeline, or on `timeline` (an opened archive's).
    void start(RunSpec spec, std::unique_ptr<sim::Timeline> timeline = nullptr);
    void show_error(std::string error) { info_.error = std::move(error); }
    void notice(std::string text);
    void apply(Command& c);
    void do_act(sim::Action a);
    void do_seek(int64_t t_us);
    void do_step_forward();
    void do_step_back();
    void do_jump_next();
    void do_jump_prev();
    void do_export_run();
    void do_export_archive();
    void undo_fork();
    void restart_with(std::shared_ptr<const sim::Scenario> scenario, std::string builtin,
                      uint64_t seed);
    void check_linearizability(uint64_t states_max);
    void run_moment(int64_t t_us);
    bool advance_to(int64_t t_us, double budget_ms);
    void playback(double wall_dt_s);
    void catch_up();
    void verify_pending_digest();
    void watch_violations();
    void watch_script_end();
    int64_t end_us() const { return timeline_->end_us(); }
    void note_change();
    void undo_redo(bool undo);
    // The tour (session_tour.cpp).
    void tour_load();
    void pace_opening();
    void tour_apply(const Command& c);
    void tour_follow();
    void tour_enter(bool resume);
    void tour_go(int chapter);
    void tour_on_act(const sim::Action& a);
    void tour_do_task();
    void tour_from_link(const std::string& fragment, std::string* error);

    const Clock* clock_ = nullptr;
    RunSpec run_;  // the scenario, seed and builtin name shown now
    std::unique_ptr<sim::Timeline> timeline_;
    Insight insight_;
    TourState tour_;
    Info info_;
    std::vector<Command> queue_;
    uint64_t run_generation_ = 0;
    bool visible_ = true;
    double carry_us_ = 0;  // fractional simulated time between frames
    // Multi-frame work: reach a far moment, or find the next marker.
    int64_t seek_target_us_ = -1;
    bool hunting_ = false;
    size_t hunt_markers_ = 0;
    std::string pending_digest_;  // verify once the link's cursor is reached
    int64_t pending_digest_t_us_ = -1;
    int violation_paused_ = -1;  // the last violation (index) that paused playback
    // Platform requests.
    bool open_requested_ = false;
    bool copy_requested_ = false;
    int history_request_ = 0;
    // History: fragments of earlier and undone moments (the desktop's stack).
    bool browser_history_ = false;
    uint64_t history_generation_ = 0;
    std::string fragment_before_;
    std::vector<std::string> undo_, redo_;
    bool script_end_noticed_ = false;
    bool download_ready_ = false;
    std::string download_name_, download_text_, download_mime_;
    // Measurements.
    FrameRing app_ms_, frame_ms_;
    double sim_ms_ = 0;  // this frame's simulation time
    double first_frame_ms_ = -1;
    uint64_t frames_ = 0;
};

}  // namespace session
