// sim/wire.h — the messages on the wire, by id.
//
// Ids are handed out in increasing order and most messages live a few
// milliseconds, so the live ids form a narrow window: a slot index per id in
// that window, and the messages themselves in a pool whose slots are reused.
// Finding, adding and removing are O(1) with no allocation once the pool has
// grown (std::map allocated a tree node per message and rebalanced twice).
// Iteration is in id order, like the map it replaces. Which pool slot a
// message occupies depends only on the run's history, and nothing observable
// depends on it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "base/assert.h"
#include "raft/types.h"

namespace sim {

// A message on the wire. Kept until delivered or lost, so the views can draw
// it and the user can act on it.
struct InFlight {
    raft::Message msg;
    int64_t sent_us = 0;
    int64_t deliver_us = 0;
    bool lost = false;       // will arrive nowhere (loss, user drop)
    bool to_client = false;  // a reply to client msg.cmd.client_id (see World::client_response)
    bool from_client = false;
};

class Wire {
  public:
    Wire() = default;
    // A copy (a checkpoint, a restore) holds the live messages only, densely.
    Wire(const Wire& o) {
        pool_.reserve(o.live_);
        for (const auto& [id, f] : o)
            add(id) = f;
    }
    Wire& operator=(const Wire& o) {
        if (this != &o) *this = Wire(o);
        return *this;
    }
    Wire(Wire&&) noexcept = default;
    Wire& operator=(Wire&&) noexcept = default;

    // A new message with an id greater than every id added before.
    InFlight& add(int64_t id) {
        ASSERT_MSG(live_ == 0 || id >= base_ + static_cast<int64_t>(window_.size()),
                   "wire ids only grow");
        if (live_ == 0) {
            window_.clear();
            head_ = 0;
            base_ = id;
        }
        while (base_ + static_cast<int64_t>(window_.size()) < id)
            window_.push_back(kEmpty);  // ids never added (none today)
        int32_t s;
        if (!free_.empty()) {
            s = free_.back();
            free_.pop_back();
        } else {
            s = static_cast<int32_t>(pool_.size());
            pool_.emplace_back();
        }
        window_.push_back(s);
        live_++;
        return pool_[static_cast<size_t>(s)];
    }

    InFlight* find(int64_t id) {
        const int32_t s = slot(id);
        return s == kEmpty ? nullptr : &pool_[static_cast<size_t>(s)];
    }
    const InFlight* find(int64_t id) const {
        const int32_t s = slot(id);
        return s == kEmpty ? nullptr : &pool_[static_cast<size_t>(s)];
    }

    [[gnu::always_inline]] void erase(int64_t id) {
        const int32_t s = slot(id);
        if (s == kEmpty) return;
        // The slot is overwritten when reused; until then it holds no entries
        // or snapshot for a checkpoint's copy to duplicate.
        raft::Message& m = pool_[static_cast<size_t>(s)].msg;
        m.entries.clear();
        m.snapshot.reset();
        free_.push_back(s);
        window_[static_cast<size_t>(id - base_)] = kEmpty;
        live_--;
        // Keep the window starting at the oldest live message.
        while (head_ < window_.size() && window_[head_] == kEmpty)
            head_++;
        if (head_ >= 256 && head_ * 2 >= window_.size()) {
            window_.erase(window_.begin(), window_.begin() + static_cast<std::ptrdiff_t>(head_));
            base_ += static_cast<int64_t>(head_);
            head_ = 0;
        }
    }

    size_t size() const { return live_; }
    // The bytes held, not counting what the messages point to.
    size_t footprint_bytes() const {
        return sizeof(Wire) + window_.capacity() * sizeof(int32_t) +
               pool_.capacity() * sizeof(InFlight) + free_.capacity() * sizeof(int32_t);
    }
    bool empty() const { return live_ == 0; }

    // Iteration in id order: `for (const auto& [id, f] : wire)`.
    class const_iterator {
      public:
        std::pair<int64_t, const InFlight&> operator*() const {
            return {w_->base_ + static_cast<int64_t>(i_),
                    w_->pool_[static_cast<size_t>(w_->window_[i_])]};
        }
        const_iterator& operator++() {
            i_++;
            skip();
            return *this;
        }
        bool operator==(const const_iterator& o) const { return i_ == o.i_; }

      private:
        friend class Wire;
        const_iterator(const Wire* w, size_t i) : w_(w), i_(i) { skip(); }
        void skip() {
            while (i_ < w_->window_.size() && w_->window_[i_] == kEmpty)
                i_++;
        }
        const Wire* w_;
        size_t i_;
    };
    const_iterator begin() const { return {this, head_}; }
    const_iterator end() const { return {this, window_.size()}; }

  private:
    static constexpr int32_t kEmpty = -1;
    int32_t slot(int64_t id) const {
        if (id < base_ + static_cast<int64_t>(head_)) return kEmpty;
        const int64_t i = id - base_;
        return i < static_cast<int64_t>(window_.size()) ? window_[static_cast<size_t>(i)] : kEmpty;
    }

    int64_t base_ = 0;             // the id of window_[0]
    size_t head_ = 0;              // window_[i] is empty for every i < head_
    std::vector<int32_t> window_;  // pool slot per id, or kEmpty
    std::vector<InFlight> pool_;
    std::vector<int32_t> free_;
    size_t live_ = 0;
};

}  // namespace sim
