// session/tour.cpp — the tour's state machine (see tour.h).
#include "session/tour.h"

#include <algorithm>
#include <utility>

#include "base/assert.h"

namespace session {

void TourState::reset(sim::Tour tour) {
    tour_ = std::move(tour);
    active_ = false;
    chapter_ = 0;
    done_.assign(tour_.chapters.size(), false);
    violation_us_ = -1;
}

const sim::TourChapter& TourState::current() const {
    ASSERT_MSG(has_tour(), "a tour's chapter is read only when there is a tour");
    return tour_.chapters[static_cast<size_t>(chapter_)];
}

std::string TourState::progress() const {
    return std::to_string(chapter_ + 1) + " / " + std::to_string(count());
}

bool TourState::task_done(int chapter) const {
    return chapter >= 0 && chapter < count() && done_[static_cast<size_t>(chapter)];
}

bool TourState::waiting() const {
    return has_tour() && current().has_task && !task_done(chapter_);
}

int64_t TourState::start_us(int i) const {
    if (i < 0 || i >= count()) return -1;
    const sim::TourChapter& c = tour_.chapters[static_cast<size_t>(i)];
    return c.when == sim::TourWhen::kViolation ? violation_us_ : c.at_us;
}

bool TourState::follow(int64_t now_us, int64_t first_violation_us) {
    if (!has_tour()) return false;
    violation_us_ = first_violation_us;
    const int before = chapter_;
    // Back: the cursor is before the shown chapter's start.
    while (chapter_ > 0 && (start_us(chapter_) < 0 || now_us < start_us(chapter_)))
        chapter_--;
    // Forward: one chapter, never past a waiting task.
    if (chapter_ == before && chapter_ + 1 < count() && !waiting()) {
        const int64_t next = start_us(chapter_ + 1);
        if (next >= 0 && now_us >= next) chapter_++;
    }
    return chapter_ != before;
}

void TourState::go(int i) {
    if (has_tour()) chapter_ = std::clamp(i, 0, count() - 1);
}

namespace {

// "all" in a restart or resume task is done by bringing back any one node
// (a click acts on one); elsewhere a selector matches the node it names.
bool node_matches(const sim::NodeRef& want, const sim::NodeRef& got, raft::NodeId leader,
                  bool bring_back) {
    using sim::NodeSelector;
    const bool got_id = got.sel == NodeSelector::kId;
    switch (want.sel) {
        case NodeSelector::kId:
            return got_id && got.id == want.id;
        case NodeSelector::kLeader:
            return got.sel == NodeSelector::kLeader || (got_id && got.id == leader);
        case NodeSelector::kFollower:
            return got.sel == NodeSelector::kFollower || (got_id && got.id != leader);
        case NodeSelector::kAll:
            return got.sel == NodeSelector::kAll || (bring_back && got_id);
        case NodeSelector::kRandom:
        case NodeSelector::kNone:
            return true;
        case NodeSelector::kLeaderNext:
        case NodeSelector::kFollowersOfLeader:
        case NodeSelector::kSubject:
        case NodeSelector::kCount:
            return got.sel == want.sel;  // a tour's task names these only as written
    }
    ASSERT_UNREACHABLE("a node selector without a case");
}

}  // namespace

bool TourState::matches(const sim::Action& a, raft::NodeId leader) const {
    if (!waiting()) return false;
    const sim::Action& want = current().task.action;
    const bool bring_back =
        want.kind == sim::ActionKind::kRestart || want.kind == sim::ActionKind::kResume;
    return a.kind == want.kind && node_matches(want.node, a.node, leader, bring_back);
}

void TourState::mark_done(int chapter) {
    if (chapter >= 0 && chapter < count()) done_[static_cast<size_t>(chapter)] = true;
}

}  // namespace session
