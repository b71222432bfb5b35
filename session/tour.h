// session/tour.h — the state of a guided tour (format/tour.h) over a run:
// which chapter is shown, whether its task is still waiting, and where the
// chapters start.
//
// Headless and pure: it knows the tour and what the session tells it (the
// cursor, the first violation, the leader, the user's actions), never the
// session itself. The session (session_tour.cpp) turns its answers into
// seeks, pauses and speeds; render/tour_panel.cpp draws it.
//
// Rules
//   - The chapter follows the cursor: forward one chapter at a time once the
//     next one's moment is reached (never past a task still waiting), back to
//     the chapter the cursor is in when the cursor moves before the shown one.
//   - A task waits until the user's action matches it (same kind; the node
//     selector resolved at that moment) or the user asks for it to be done.
//   - A "when": "violation" chapter starts at the run's first violation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "format/tour.h"

namespace session {

class TourState {
  public:
    // A new run's tour (possibly empty): inactive, at chapter 0, no task done.
    void reset(sim::Tour tour);
    void set_active(bool on) { active_ = on && has_tour(); }
    bool has_tour() const { return !tour_.empty(); }
    bool active() const { return active_; }
    const sim::Tour& tour() const { return tour_; }
    int chapter() const { return chapter_; }
    int count() const { return static_cast<int>(tour_.chapters.size()); }
    const sim::TourChapter& current() const;
    std::string progress() const;  // "3 / 7"
    // The current chapter has a task the user has not done.
    bool waiting() const;
    bool task_done(int chapter) const;

    // Where chapter i starts: its at_us, or the first violation's time
    // (-1 while there is none).
    int64_t start_us(int i) const;
    // Follows the cursor (see the rules above); `first_violation_us` is -1
    // when the run has none. Returns true when the chapter changed.
    bool follow(int64_t now_us, int64_t first_violation_us);
    // Shows chapter i (clamped) whatever the cursor.
    void go(int i);

    // Whether the user's action `a` does the current chapter's task, with
    // `leader` the node that leads at that moment (raft::kNone: none).
    bool matches(const sim::Action& a, raft::NodeId leader) const;
    void mark_done() { mark_done(chapter_); }
    void mark_done(int chapter);

  private:
    sim::Tour tour_;
    bool active_ = false;
    int chapter_ = 0;
    std::vector<bool> done_;
    int64_t violation_us_ = -1;
};

}  // namespace session
