// session/session.cpp — the Session (see session.h): loading runs, moving in
// time, commands and frames. The state JSON, fragment and run file are in
// session_json.cpp.
//
// The Session is the only place that moves the timeline. Wall time only
// paces playback (simulated time advances by wall_dt x speed, within a budget
// that is a share of that same wall time); it never reaches the world.
//
// Index
//   constants and small helpers
//   (loading runs: session_load.cpp)
//   moving in time (playback, seeks, steps, markers)
//   commands
//   frames
#include "session/session.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/assert.h"
#include "format/action.h"
#include "format/run_archive.h"
#include "format/scenario_json.h"
#include "session/bug_hunts.h"
#include "session/link_policy.h"
#include "session/session_internal.h"
#include "sim/limits.h"

namespace session {
using internal::builtin_name_of;
using internal::seconds_text;

// ===========================================================================
// constants and small helpers
// ===========================================================================

namespace {

// Playback's budget is wall time: the simulation may spend this share of the
// wall time that passed since the last frame on catching up with it, so at 1x
// the simulated clock follows the wall clock however slow the frames are
// (slow frames pass more wall time, so they get more budget). Only when the
// simulation itself needs more than that share does the page fall behind
// real time, and say so. Frames then stay near 1 / (1 - share) times the
// rest of the frame, never stall.
constexpr double kSimShareOfWall = 0.6;
constexpr double kPlayBudgetMinMs = 2.0, kPlayBudgetMaxMs = 100.0;
constexpr double kCatchUpBudgetMs = 12.0;  // seeking far ahead / hunting a marker
constexpr int64_t kStepChunk = 64;         // events between budget checks
constexpr int64_t kMomentMaxEvents = 1'000'000;
constexpr uint64_t kLinStatesMax = 2'000'000;  // on request
constexpr uint64_t kLinStatesAuto = 200'000;   // automatically, at the end of a run
constexpr size_t kFrameSamples = 600;
constexpr int kCommandRoundsMax = 4;
constexpr size_t kHistoryMax = 200;  // undo steps the session keeps (the desktop's)

}  // namespace

namespace internal {

// ---- shared with session_load.cpp (session_internal.h) ----

std::string seconds_text(int64_t t_us) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(t_us) / 1e6);
    return buf;
}

// A custom scenario equal to a built-in keeps the built-in's short link.
std::string builtin_name_of(const sim::Scenario& s) {
    const std::string json = sim::scenario_to_json(s);
    for (const BuiltinScenario& b : builtin_scenarios()) {
        if (sim::scenario_to_json(b.scenario) == json) return b.name;
    }
    return "";
}

}  // namespace internal

void FrameRing::add(double ms) {
    if (samples_.size() < kFrameSamples) {
        samples_.push_back(ms);
    } else {
        samples_[next_] = ms;
        next_ = (next_ + 1) % kFrameSamples;
    }
}

double FrameRing::percentile(double p) const {
    if (samples_.empty()) return 0;
    std::vector<double> s = samples_;
    std::sort(s.begin(), s.end());
    size_t k = static_cast<size_t>(p * static_cast<double>(s.size() - 1) + 0.5);
    return s[std::min(k, s.size() - 1)];
}

// ===========================================================================
// moving in time (playback, seeks, steps, markers)
// ===========================================================================

// Runs every event at or before t (the moment t), bounded.
void Session::run_moment(int64_t t_us) {
    timeline_->run_until(t_us, kMomentMaxEvents);
}

// Advances towards t within a wall-time budget; always stops on a moment.
// Returns true when t was reached (or nothing is left to run).
bool Session::advance_to(int64_t t_us, double budget_ms) {
    const double start_ms = now_ms();
    sim::Timeline& tl = *timeline_;
    t_us = std::min(t_us, end_us());
    for (int guard = 0; guard < 1'000'000; guard++) {
        if (world().halted() || world().now_us() >= t_us) return true;
        const int64_t before = tl.events();
        tl.run_until(t_us, kStepChunk);
        if (world().now_us() >= t_us) return true;
        if (tl.events() == before) return true;  // nothing left before t
        if (now_ms() - start_ms > budget_ms) {
            run_moment(world().now_us());  // finish the moment we are in
            return false;
        }
    }
    return false;
}

void Session::playback(double wall_dt_s) {
    info_.budget_hit = false;
    sim_ms_ = 0;
    if (!info_.playing || !visible_) {
        carry_us_ = 0;
        return;
    }
    const sim::World& w = world();
    if (w.halted() || w.now_us() >= end_us()) {
        info_.playing = false;
        return;
    }
    // A long stall (tab switch, debugger) must not turn into a jump.
    const double dt = std::min(wall_dt_s, 0.25);
    carry_us_ += dt * std::pow(10.0, static_cast<double>(info_.speed_log10)) * 1e6;
    const int64_t step_us = static_cast<int64_t>(carry_us_);
    if (step_us <= 0) return;
    carry_us_ -= static_cast<double>(step_us);
    const double budget_ms =
        std::clamp(dt * 1000.0 * kSimShareOfWall, kPlayBudgetMinMs, kPlayBudgetMaxMs);
    const double sim_start_ms = now_ms();
    const bool kept_up = advance_to(w.now_us() + step_us, budget_ms);
    sim_ms_ = now_ms() - sim_start_ms;
    if (!kept_up) {
        // The simulation itself cannot keep up: behind real time, drop the debt.
        info_.budget_hit = true;
        carry_us_ = 0;
    }
}

// Moves the cursor to moment t: through checkpoints inside what was
// simulated, over several frames beyond it.
void Session::do_seek(int64_t t_us) {
    sim::Timeline& tl = *timeline_;
    hunting_ = false;
    t_us = std::clamp<int64_t>(t_us, 0, end_us());
    if (t_us <= tl.horizon_us()) {
        tl.seek_time(t_us);
        seek_target_us_ = -1;
        return;
    }
    if (world().now_us() < tl.horizon_us()) tl.seek_time(tl.horizon_us());
    seek_target_us_ = t_us;
}

void Session::do_step_forward() {
    const sim::World& w = world();
    const int64_t before = w.events();
    for (int guard = 0; guard < 10'000 && !w.halted(); guard++) {
        const int64_t t = w.next_time();
        if (t == INT64_MAX || t > end_us()) break;
        run_moment(t);
        if (w.events() != before) break;  // stale timers change nothing: keep going
    }
}

// The moment before the cursor: the latest moment with events before the
// one the cursor is in (the clock may stand past its last event).
void Session::do_step_back() {
    const std::span<const sim::TraceRecord> trace = world().trace();
    if (trace.empty()) return timeline_->seek_time(0);
    const int64_t current = trace.back().t_us;
    int64_t prev = 0;
    for (size_t i = trace.size(); i-- > 0;) {
        if (trace[i].t_us < current) {
            prev = trace[i].t_us;
            break;
        }
    }
    timeline_->seek_time(prev);
}

void Session::do_jump_prev() {
    const std::vector<Marker>& m = insight_.markers();
    const int64_t now = world().now_us();
    for (size_t i = m.size(); i-- > 0;) {
        if (m[i].t_us < now) return do_seek(m[i].t_us);
    }
    do_seek(0);
}

void Session::do_jump_next() {
    const std::vector<Marker>& m = insight_.markers();
    const int64_t now = world().now_us();
    for (const Marker& x : m) {
        if (x.t_us > now) return do_seek(x.t_us);
    }
    // Nothing known yet: simulate ahead (over frames) until a marker shows up.
    sim::Timeline& tl = *timeline_;
    if (world().now_us() < tl.horizon_us()) tl.seek_time(tl.horizon_us());
    hunting_ = true;
    hunt_markers_ = m.size();
    seek_target_us_ = -1;
}

// Multi-frame work: reach a seek target, or hunt for the next marker.
void Session::catch_up() {
    if (seek_target_us_ >= 0) {
        if (advance_to(seek_target_us_, kCatchUpBudgetMs)) seek_target_us_ = -1;
    } else if (hunting_) {
        const sim::World& w = world();
        // Up to the script's end, and past it only once the cursor is.
        const int64_t duration = w.scenario().duration_us;
        const int64_t hunt_end = w.now_us() < duration ? duration : end_us();
        const bool done = advance_to(hunt_end, kCatchUpBudgetMs);
        insight_.ingest(w);
        const std::vector<Marker>& m = insight_.markers();
        if (m.size() > hunt_markers_) {
            hunting_ = false;
            timeline_->seek_time(m[hunt_markers_].t_us);
        } else if (done) {
            hunting_ = false;
        }
    }
    verify_pending_digest();
}

// A link or run file names the digest at its cursor: say so when this build
// reaches another one.
void Session::verify_pending_digest() {
    if (seek_target_us_ >= 0 || pending_digest_t_us_ < 0) return;
    const std::string digest = world().digest_hex();
    if (!pending_digest_.empty() && digest != pending_digest_) {
        show_error("This link or run file recorded digest " + pending_digest_ +
                   " at its cursor, but this build reaches " + digest +
                   ": it was made by a different version of raftplay.");
    }
    pending_digest_.clear();
    pending_digest_t_us_ = -1;
}

// The scenario's script ends at its duration; the run goes on to end_us and
// stops there. Both are said once.
void Session::watch_script_end() {
    const int64_t now = world().now_us(), duration = world().scenario().duration_us;
    if (!script_end_noticed_ && now >= duration && now < end_us() && info_.playing) {
        script_end_noticed_ = true;
        notice("The scenario's script ends at " + seconds_text(duration) +
               ": the run goes on (the workload keeps running, your actions still happen).");
    }
    const bool at_end = now >= end_us() && !world().halted();
    if (at_end && !info_.at_end) {
        notice("The run has gone on " + seconds_text(sim::kMaxOpenEndUs) +
               " past its script, as far as a run extends: scrub back to act in the past, or "
               "restart with a new seed.");
    }
    info_.at_end = at_end;
}

// A violation halts the world: stop there (once per violation).
void Session::watch_violations() {
    const int count = static_cast<int>(world().violations().size());
    if (count == 0 || violation_paused_ == count - 1) return;
    violation_paused_ = count - 1;
    info_.playing = false;
}

// ===========================================================================
// commands
// ===========================================================================

void Session::do_act(sim::Action a) {
    sim::Timeline& tl = *timeline_;
    const bool fork = tl.events() < tl.horizon_events();
    const int64_t now = world().now_us();
    if (world().halted()) {
        return notice("The run stopped at a safety violation: step back to act in the past.");
    }
    a.at_us = now;
    if (const sim::ActionProblem p = sim::validate(world().scenario(), a); !p.ok()) {
        return show_error("That action is not possible here: " + p.message());
    }
    seek_target_us_ = -1;
    hunting_ = false;
    tour_on_act(a);
    note_change();
    tl.act(std::move(a));
    if (fork) {
        info_.fork_t_us = now;
        insight_.rebuild(world());
        notice(
            "Acting in the past forked the timeline: the old future is gone (Undo fork brings "
            "it back).");
    }
    run_moment(world().now_us());  // apply it now, as a replay would
}

void Session::do_export_run() {
    download_text_ = run_file_json();
    const std::string base = run_.builtin.empty() ? "custom" : run_.builtin;
    download_name_ = "raftplay-" + base + "-seed" + std::to_string(run_.seed) + ".run.json";
    download_mime_ = "application/json";
    download_ready_ = true;
    notice("Exported " + download_name_);
}

void Session::do_export_archive() {
    download_text_ = run_archive_bytes();
    const std::string base = run_.builtin.empty() ? "custom" : run_.builtin;
    download_name_ = "raftplay-" + base + "-seed" + std::to_string(run_.seed) + ".rpa";
    download_mime_ = "application/octet-stream";
    download_ready_ = true;
    notice("Exported " + download_name_ + " (" + std::to_string(download_text_.size() / 1024) +
           " KiB, " + std::to_string(timeline_->checkpoint_count()) + " checkpoints)");
}

void Session::check_linearizability(uint64_t states_max) {
    const sim::World& w = world();
    info_.lin.result = sim::check_linearizable(w.history(), states_max);
    info_.lin.checked = true;
    info_.lin.at_t_us = w.now_us();
    info_.lin.ops = w.history().size();
}

void Session::undo_fork() {
    if (!timeline_->forked()) return;
    note_change();
    timeline_->undo_fork();
    insight_.rebuild(world());
    info_.fork_t_us = -1;
    notice("Fork undone: the original future is back.");
}

void Session::restart_with(std::shared_ptr<const sim::Scenario> scenario, std::string builtin,
                           uint64_t seed) {
    RunSpec spec;
    spec.scenario = std::move(scenario);
    spec.builtin = std::move(builtin);
    spec.seed = seed;
    note_change();
    start(std::move(spec));
    info_.playing = true;
    notice("New run: " + (run_.builtin.empty() ? std::string("custom scenario") : run_.builtin) +
           ", seed " + std::to_string(seed) + ". Undo (Ctrl+Z, or the browser's Back) returns " +
           "to the run before.");
}

// Every history step: the exact link of the moment before it.
void Session::note_change() {
    fragment_before_ = fragment();
    history_generation_++;
    info_.link_partial = false;
    if (browser_history_) return;  // the browser keeps the entries
    undo_.push_back(fragment_before_);
    if (undo_.size() > kHistoryMax) undo_.erase(undo_.begin());
    redo_.clear();
}

// The session's own history (the desktop viewer): an undo loads the moment
// before the last step exactly as a link would (paused there).
void Session::undo_redo(bool undo) {
    if (browser_history_) {
        history_request_ = undo ? -1 : 1;
        return;
    }
    std::vector<std::string>& from = undo ? undo_ : redo_;
    std::vector<std::string>& to = undo ? redo_ : undo_;
    if (from.empty()) return notice(undo ? "Nothing to undo." : "Nothing to redo.");
    to.push_back(fragment());
    const std::string f = std::move(from.back());
    from.pop_back();
    load_fragment(f);
    notice(undo ? "Undone (Ctrl+Shift+Z redoes)." : "Redone.");
}

void Session::apply(Command& c) {
    switch (c.kind) {
        case CommandKind::kAct:
            return do_act(std::move(c.action));
        case CommandKind::kSeekTime:
            return do_seek(c.t_us);
        case CommandKind::kStepForward:
            info_.playing = false;
            return do_step_forward();
        case CommandKind::kStepBack:
            info_.playing = false;
            return do_step_back();
        case CommandKind::kJumpNext:
            info_.playing = false;
            return do_jump_next();
        case CommandKind::kJumpPrev:
            info_.playing = false;
            return do_jump_prev();
        case CommandKind::kToStart:
            return do_seek(0);
        case CommandKind::kToHorizon:
            return do_seek(timeline_->horizon_us());
        case CommandKind::kSetPlaying:
            info_.playing = c.flag;
            return;
        case CommandKind::kTogglePlay:
            info_.playing = !info_.playing;
            return;
        case CommandKind::kSetSpeed:
            info_.speed_log10 = c.speed_log10;
            return;
        case CommandKind::kUndoFork:
            return undo_fork();
        case CommandKind::kUndo:
            return undo_redo(true);
        case CommandKind::kRedo:
            return undo_redo(false);
        case CommandKind::kCopyLink:
            copy_requested_ = true;
            return notice("Link copied: it opens exactly this moment.");
        case CommandKind::kLoadBuiltin:
            if (load_builtin(c.text, c.seed)) {
                tour_.set_active(true);
                tour_enter(true);
                pace_opening();
            }
            return;
        case CommandKind::kLoadScenario:
            ASSERT_MSG(c.scenario != nullptr, "kLoadScenario carries its scenario");
            restart_with(c.scenario, builtin_name_of(*c.scenario), c.seed);
            if (std::string why = mutations_notice(*c.scenario); !why.empty()) notice(why);
            return;
        case CommandKind::kRestart: {
            const bool touring = tour_.active();
            restart_with(run_.scenario, run_.builtin, c.seed);
            tour_.set_active(touring);
            return tour_enter(true);
        }
        case CommandKind::kExportRun:
            return do_export_run();
        case CommandKind::kExportArchive:
            return do_export_archive();
        case CommandKind::kOpenFile:
            open_requested_ = true;
            return;
        case CommandKind::kCheckLinearizability:
            return check_linearizability(kLinStatesMax);
        case CommandKind::kDismissError:
            info_.error.clear();
            return;
        case CommandKind::kTourStart:
        case CommandKind::kTourGo:
        case CommandKind::kTourNext:
        case CommandKind::kTourPrev:
        case CommandKind::kTourDoTask:
            return tour_apply(c);
    }
    ASSERT_UNREACHABLE("a command kind without a case");
}

void Session::apply_commands() {
    // Commands may push commands (none do today); bound the loop anyway.
    for (int round = 0; round < kCommandRoundsMax && !queue_.empty(); round++) {
        std::vector<Command> batch;
        batch.swap(queue_);
        for (Command& c : batch)
            apply(c);
        insight_.ingest(world());
    }
    queue_.clear();
}

void Session::execute(Command c) {
    apply(c);
    insight_.ingest(world());
}

namespace {

Command command_of(CommandKind kind) {
    Command c;
    c.kind = kind;
    return c;
}

}  // namespace

void Session::act(sim::Action a) {
    Command c = command_of(CommandKind::kAct);
    c.action = std::move(a);
    execute(std::move(c));
}

void Session::seek(int64_t t_us) {
    Command c = command_of(CommandKind::kSeekTime);
    c.t_us = t_us;
    execute(std::move(c));
}

void Session::step_forward() {
    execute(command_of(CommandKind::kStepForward));
}

void Session::step_back() {
    execute(command_of(CommandKind::kStepBack));
}

void Session::jump_next() {
    execute(command_of(CommandKind::kJumpNext));
}

void Session::jump_prev() {
    execute(command_of(CommandKind::kJumpPrev));
}

void Session::set_playing(bool playing) {
    Command c = command_of(CommandKind::kSetPlaying);
    c.flag = playing;
    execute(std::move(c));
}

void Session::set_speed_log10(float speed_log10) {
    Command c = command_of(CommandKind::kSetSpeed);
    c.speed_log10 = speed_log10;
    execute(std::move(c));
}

void Session::export_run() {
    execute(command_of(CommandKind::kExportRun));
}

void Session::export_archive() {
    execute(command_of(CommandKind::kExportArchive));
}

// ===========================================================================
// frames
// ===========================================================================

void Session::play(double wall_dt_s) {
    playback(wall_dt_s);
    catch_up();
    insight_.ingest(world());
    watch_violations();
    tour_follow();
    watch_script_end();
    info_.can_undo = browser_history_ || !undo_.empty();
    info_.can_redo = browser_history_ || !redo_.empty();
    // At the end of a run the lamp covers linearizability too (a bounded search, once).
    const sim::World& w = world();
    if (w.now_us() >= w.scenario().duration_us && !w.halted() && !info_.lin.checked) {
        check_linearizability(kLinStatesAuto);
    }
    if (info_.notice_left_s > 0) info_.notice_left_s -= wall_dt_s;
    if (frames_ % 30 == 0) {  // sorting the samples every frame would cost more than it shows
        info_.frame.p50_ms = app_ms_.percentile(0.5);
        info_.frame.p99_ms = app_ms_.percentile(0.99);
    }
    info_.frame.samples = app_ms_.size();
    info_.busy = busy();
}

void Session::note_app_ms(double ms) {
    info_.frame.last_ms = ms;
    app_ms_.add(ms);
    if (frames_++ == 0) first_frame_ms_ = ms;
}

void Session::note_frame_ms(double ms) {
    frame_ms_.add(ms);
}

void Session::reset_frame_stats() {
    app_ms_ = FrameRing{};
    frame_ms_ = FrameRing{};
}

bool Session::take_download(std::string* file_name, std::string* bytes, std::string* mime_type) {
    if (!download_ready_) return false;
    download_ready_ = false;
    *file_name = std::move(download_name_);
    *bytes = std::move(download_text_);
    if (mime_type) *mime_type = std::move(download_mime_);
    download_mime_.clear();
    return true;
}

bool Session::take_open_request() {
    const bool r = open_requested_;
    open_requested_ = false;
    return r;
}

bool Session::take_copy_request(std::string* fragment_out) {
    if (!copy_requested_) return false;
    copy_requested_ = false;
    *fragment_out = fragment();
    return true;
}

int Session::take_history_request() {
    const int r = history_request_;
    history_request_ = 0;
    return r;
}

}  // namespace session
