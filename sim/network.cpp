// sim/network.cpp — the wire, links and verdicts of the simulated network
// (see network.h for its fault model). Draws only from its own RNG stream, in
// a fixed order per message: duplication once per send, then latency and loss
// per copy; a release from a clog draws a fresh latency.
#include "sim/network.h"

#include <algorithm>

namespace sim {

const char* drop_reason_name(int64_t r) {
    switch (r) {
        case kDropLoss:
            return "loss";
        case kDropPartition:
            return "partition";
        case kDropDead:
            return "dead";
        case kDropUser:
            return "user";
        case kDropCut:
            return "cut";
        case kDropEntriesOnly:
            return "entries_only";
        default:
            return "?";
    }
}

Network::Network(int nodes, const NetworkModel& model, base::Rng rng)
    : n_(nodes), model_(model), rng_(rng) {
    ASSERT_CMP(nodes, >, 0);
    cut_.assign(static_cast<size_t>(n_ * n_), 0);
    disconnected_.assign(static_cast<size_t>(n_), 0);
    clog_.assign(static_cast<size_t>(n_ * n_), 0);
}

void Network::hold(int64_t msg_id) {
    InFlight* f = wire_.find(msg_id);
    ASSERT_MSG(f != nullptr && f->deliver_us >= 0, "only a scheduled message can be held");
    f->deliver_us = kHeld;
}

bool Network::release_held(int64_t msg_id, int64_t now_us) {
    InFlight* f = wire_.find(msg_id);
    if (f == nullptr) return false;  // dropped by the user while held
    ASSERT_CMP(f->deliver_us, ==, kHeld);
    f->deliver_us = now_us;
    return true;
}

// ===========================================================================
// links
// ===========================================================================

void Network::cut_link(int from, int to, bool entries_only) {
    cut_[link(from, to)] = entries_only ? kCutEntries : kCutAll;
}

void Network::clog(int from, int to) {
    clog_[link(from, to)] = 1;
}

void Network::partition(const std::vector<int>& group) {
    ASSERT_CMP(group.size(), ==, static_cast<size_t>(n_));
    std::fill(disconnected_.begin(), disconnected_.end(), 0);  // a partition replaces them
    for (int i = 0; i < n_; i++) {
        for (int j = 0; j < n_; j++) {
            cut_[link(i, j)] =
                group[static_cast<size_t>(i)] != group[static_cast<size_t>(j)] ? kCutPartition : 0;
        }
    }
}

void Network::disconnect(int id) {
    ASSERT(id >= 0 && id < n_);
    disconnected_[static_cast<size_t>(id)] = 1;
    for (int j = 0; j < n_; j++) {
        if (j == id) continue;
        cut_[link(id, j)] = kCutAll;
        cut_[link(j, id)] = kCutAll;
    }
}

void Network::reconnect(const std::vector<int>& ids) {
    std::vector<bool> back(static_cast<size_t>(n_)), away(static_cast<size_t>(n_));
    for (int id : ids) {
        ASSERT(id >= 0 && id < n_);
        back[static_cast<size_t>(id)] = true;
    }
    for (int j = 0; j < n_; j++)
        away[static_cast<size_t>(j)] = !back[static_cast<size_t>(j)] && isolated(j);
    for (int id : ids) {
        disconnected_[static_cast<size_t>(id)] = 0;
        for (int j = 0; j < n_; j++) {
            if (j == id || away[static_cast<size_t>(j)]) continue;
            cut_[link(id, j)] = 0;
            cut_[link(j, id)] = 0;
        }
    }
}

void Network::unclog(int from, int to, int64_t now_us, std::vector<int64_t>* released) {
    clog_[link(from, to)] = 0;
    release_clogged(now_us, released);
}

void Network::heal(int64_t now_us, std::vector<int64_t>* released) {
    std::fill(cut_.begin(), cut_.end(), 0);
    std::fill(clog_.begin(), clog_.end(), 0);
    std::fill(disconnected_.begin(), disconnected_.end(), 0);
    release_clogged(now_us, released);
}

// Messages of links no longer clogged leave now, with a fresh latency;
// messages the user dropped meanwhile are forgotten.
void Network::release_clogged(int64_t now_us, std::vector<int64_t>* released) {
    ASSERT(released != nullptr && released->empty());
    std::vector<int64_t> still;
    for (int64_t id : clogged_) {
        InFlight* f = wire_.find(id);
        if (f == nullptr) continue;
        ASSERT_CMP(f->deliver_us, ==, kClogged);
        if (link_clogged(f->msg.from, f->msg.to)) {
            still.push_back(id);
            continue;
        }
        f->deliver_us = draw_latency_us(now_us);
        released->push_back(id);
    }
    clogged_.swap(still);
}

void Network::set_model(const Action& a) {
    ASSERT_CMP(static_cast<int>(a.kind), ==, static_cast<int>(ActionKind::kSetNetwork));
    if (a.loss_ppm >= 0) model_.loss_ppm = a.loss_ppm;
    if (a.duplicate_ppm >= 0) model_.duplicate_ppm = a.duplicate_ppm;
    if (a.latency_us_min >= 0) model_.latency_us_min = a.latency_us_min;
    if (a.latency_us_max >= 0) model_.latency_us_max = a.latency_us_max;
}

// ===========================================================================
// user actions on one message
// ===========================================================================

Network::UserDrop Network::user_drop(int64_t msg_id) {
    InFlight* f = wire_.find(msg_id);
    if (f == nullptr) return UserDrop::kGone;
    ASSERT(f->deliver_us >= 0 || f->deliver_us == kClogged || f->deliver_us == kHeld);
    if (f->deliver_us < 0) return UserDrop::kDropNow;
    f->lost = true;
    return UserDrop::kMarked;
}

bool Network::user_delay(int64_t msg_id, int64_t delay_us) {
    InFlight* f = wire_.find(msg_id);
    if (f == nullptr || f->deliver_us < 0) return false;
    f->deliver_us += std::max<int64_t>(0, delay_us);
    return true;
}

}  // namespace sim
