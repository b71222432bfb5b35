// session/session_tour.cpp — the session's part of a guided tour: loading a
// built-in's tour, following the cursor, entering a chapter (its speed, the
// pause at a stop or a task), the tour's commands, the task done by the user
// or for them, and the tour's chapter in a share link (tour=N).
#include <cmath>

#include "session/link_policy.h"
#include "session/session.h"

namespace session {

void Session::tour_load() {
    const BuiltinScenario* b = run_.builtin.empty() ? nullptr : find_builtin(run_.builtin);
    tour_.reset(b ? b->tour : sim::Tour{});
}

// A chapter's speed applies when it is shown; a stop or a waiting task pauses.
void Session::tour_enter(bool resume) {
    if (!tour_.active()) return;
    const sim::TourChapter& c = tour_.current();
    if (c.speed_milli > 0)
        info_.speed_log10 =
            static_cast<float>(std::log10(static_cast<double>(c.speed_milli) / 1e3));
    if (c.stop || tour_.waiting()) {
        info_.playing = false;
    } else if (resume) {
        info_.playing = true;
    }
}

// Without a tour, a scenario opened from the picker never has its first
// scripted step more than kFirstStepWallMaxS of wall time away.
void Session::pace_opening() {
    constexpr double kFirstStepWallMaxS = 10;
    const std::vector<sim::Action>& steps = run_.scenario->timeline;
    if (tour_.active() || steps.empty() || steps.front().at_us <= 0) return;
    const double speed = std::pow(10.0, static_cast<double>(info_.speed_log10));
    const double wall_s = static_cast<double>(steps.front().at_us) / 1e6 / speed;
    if (wall_s > kFirstStepWallMaxS) {
        const double need = static_cast<double>(steps.front().at_us) / 1e6 / kFirstStepWallMaxS;
        info_.speed_log10 = static_cast<float>(std::log10(need));
    }
}

void Session::tour_follow() {
    if (!tour_.active() || busy()) return;
    const auto violations = world().violations();
    const int64_t first = violations.empty() ? -1 : violations.front().t_us;
    if (tour_.follow(world().now_us(), first)) tour_enter(false);
}

void Session::tour_go(int chapter) {
    if (!tour_.active() || chapter < 0 || chapter >= tour_.count()) return;
    const int64_t start = tour_.start_us(chapter);
    if (start < 0) {  // a violation not yet seen: play on until it appears
        info_.playing = true;
        return notice("Playing on until the violation appears.");
    }
    tour_.go(chapter);
    do_seek(start);
    tour_enter(true);
}

void Session::tour_on_act(const sim::Action& a) {
    if (!tour_.active() || !tour_.matches(a, world().leader())) return;
    tour_.mark_done();
    info_.playing = true;
    notice("Task done: the tour plays on.");
}

void Session::tour_do_task() {
    if (!tour_.active() || !tour_.waiting()) return;
    do_act(tour_.current().task.action);
}

void Session::tour_apply(const Command& c) {
    switch (c.kind) {
        case CommandKind::kTourStart:
            tour_.set_active(c.flag);
            return tour_go(0);
        case CommandKind::kTourGo:
            return tour_go(c.index);
        case CommandKind::kTourNext:
            return tour_go(tour_.chapter() + 1);
        case CommandKind::kTourPrev:
            return tour_go(tour_.chapter() - 1);
        case CommandKind::kTourDoTask:
            return tour_do_task();
        default:
            ASSERT_UNREACHABLE("not a tour command");
    }
}

// tour=N: the tour is shown at chapter N; the tasks before it count as done
// (the link went past them), and so does N's when the inputs hold its kind.
void Session::tour_from_link(const std::string& fragment, std::string* error) {
    int chapter = 0;
    std::string why;
    if (!link_tour_chapter(fragment, &chapter, &why)) {
        if (!why.empty()) *error = why;
        return;
    }
    if (!tour_.has_tour()) return;
    tour_.set_active(true);
    tour_.go(chapter);
    for (int i = 0; i < tour_.chapter(); i++)
        tour_.mark_done(i);
    const int64_t start = tour_.start_us(tour_.chapter());
    for (const sim::Action& a : run_.inputs) {
        if (tour_.current().has_task && a.at_us >= start &&
            a.kind == tour_.current().task.action.kind)
            tour_.mark_done();
    }
    if (run_.cursor_us < 0 && start > 0) do_seek(start);
    tour_enter(false);
}

}  // namespace session
