// sim/event_queue.h — the world's pending events, earliest first.
//
// Events are ordered by (time, insertion sequence); sequences are unique, so
// the order is total and does not depend on how the queue is built. Popping
// the earliest event is the hottest loop of a run: a ring of 1 ms buckets
// holds the next 16 ms (where most events fall: message latency, fsyncs), a
// 4-ary heap the rest (timers, client pacing).
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/assert.h"

namespace sim {

enum class EventKind : uint8_t {
    kDeliver = 0,    // a message reaches its destination (or is lost there); arg = message id
    kElectionTimer,  // arg must match NodeSlot::election.gen
    kHeartbeatTimer,
    kFsyncDone,    // arg must match Disk::epoch
    kClientNext,   // a workload client issues its next operation
    kClientRetry,  // a client re-sends its current operation; arg = attempt
    kClientDeadline,
    kLeaseTimer,  // arg must match NodeSlot::lease.gen
};

struct Event {
    int64_t t_us = 0;
    uint64_t seq = 0;
    int64_t arg = 0;  // see EventKind
    EventKind kind = EventKind::kDeliver;
    int32_t node = -1;  // node or client
};

// The far part of the queue: a 4-ary heap on the same keys.
class EventHeap {
  public:
    // (time, seq) as one unsigned 128-bit number: one comparison, no branch
    // on a time tie. The sign bit is flipped so that signed times order right.
    using Key = unsigned __int128;
    struct Slot {
        Key key;
        int64_t arg;
        EventKind kind;
        int32_t node;
    };
    static Key key_of(int64_t t_us, uint64_t seq) {
        return Key(static_cast<uint64_t>(t_us) ^ kSign) << 64 | seq;
    }
    static int64_t time_of(Key k) {
        return static_cast<int64_t>(static_cast<uint64_t>(k >> 64) ^ kSign);
    }

    bool empty() const { return heap_.empty(); }
    size_t size() const { return heap_.size(); }
    size_t capacity() const { return heap_.capacity(); }
    const Slot& top() const { return heap_.front(); }

    void push(const Slot& x) {
        size_t i = heap_.size();
        heap_.push_back(x);
        while (i > 0) {
            const size_t parent = (i - 1) / kArity;
            if (!(x.key < heap_[parent].key)) break;
            heap_[i] = heap_[parent];
            i = parent;
        }
        heap_[i] = x;
    }

    // Removes and returns the smallest slot. The heap must not be empty.
    Slot pop() {
        ASSERT(!heap_.empty());
        const Slot top = heap_.front();
        const Slot last = heap_.back();
        heap_.pop_back();
        const size_t n = heap_.size();
        if (n == 0) return top;
        size_t i = 0;
        while (true) {
            const size_t first = i * kArity + 1;
            if (first >= n) break;
            size_t best = first;
            if (first + kArity <= n) {  // all four children: a tournament
                const size_t a = heap_[first + 1].key < heap_[first].key ? first + 1 : first;
                const size_t b =
                    heap_[first + 3].key < heap_[first + 2].key ? first + 3 : first + 2;
                best = heap_[b].key < heap_[a].key ? b : a;
            } else {
                for (size_t c = first + 1; c < n; c++) {
                    if (heap_[c].key < heap_[best].key) best = c;
                }
            }
            if (!(heap_[best].key < last.key)) break;
            heap_[i] = heap_[best];
            i = best;
        }
        heap_[i] = last;
        return top;
    }

  private:
    static constexpr uint64_t kSign = uint64_t(1) << 63;
    static constexpr size_t kArity = 4;
    std::vector<Slot> heap_;
};

// Pending events, earliest (time, seq) first. Most events fall due within a
// few milliseconds (message latency, fsync), so the near future is a ring of
// kBuckets buckets of 2^kShift microseconds each, every bucket a short vector
// kept sorted (latest first, so the earliest pops off the back); events
// beyond the ring wait in the heap and move into the ring as it advances.
// The order is exactly that of the keys: the layout never shows in a run.
class EventQueue {
  public:
    using Slot = EventHeap::Slot;
    static constexpr int kShift = 10;  // 1,024 us per bucket
    static constexpr size_t kBuckets = 16;
    static constexpr uint32_t kAllBuckets = (1u << kBuckets) - 1;

    bool empty() const { return near_ == 0 && far_.empty(); }
    size_t size() const { return near_ + far_.size(); }
    size_t capacity() const {
        size_t c = far_.capacity();
        for (const std::vector<Slot>& b : ring_)
            c += b.capacity();
        return c;
    }
    // Invariant: whenever the queue holds anything, the head bucket does, and
    // its last slot is the earliest event.
    int64_t top_time() const {
        ASSERT(near_ > 0);
        return EventHeap::time_of(ring_[head_].back().key);
    }

    [[gnu::always_inline]] void push(const Event& e) {
        const Slot x{EventHeap::key_of(e.t_us, e.seq), e.arg, e.kind, e.node};
        if (near_ == 0 && far_.empty()) {
            // Nothing pending: the ring starts at this event.
            base_ = align(e.t_us);
            head_ = 0;
        }
        // The head bucket stays non-empty: a push into an empty queue lands
        // in it (the ring starts at its own bucket), any other finds it full.
        if (!place(x)) far_.push(x);
    }

    // Removes and returns the earliest event. The queue must not be empty.
    Event pop() {
        ASSERT_MSG(near_ > 0 && !ring_[head_].empty(), "pop from an empty queue");
        std::vector<Slot>& b = ring_[head_];
        const Slot top = b.back();
        b.pop_back();
        near_--;
        if (b.empty()) {
            occupied_ &= ~(1u << head_);
            normalize();
        }
        Event e;
        e.t_us = EventHeap::time_of(top.key);
        e.seq = static_cast<uint64_t>(top.key);
        e.arg = top.arg;
        e.kind = top.kind;
        e.node = top.node;
        return e;
    }

  private:
    static int64_t align(int64_t t) { return t & ~((int64_t(1) << kShift) - 1); }
    int64_t ring_end() const { return base_ + (int64_t(kBuckets) << kShift); }

    // Into the ring if it falls before the ring's end; false otherwise. An
    // event before base_ (pushed at "now" after the ring moved past now's
    // bucket) goes into the head bucket: it is earlier than all the ring holds.
    [[gnu::always_inline]] bool place(const Slot& x) {
        const int64_t t = EventHeap::time_of(x.key);
        if (t >= ring_end()) return false;
        const size_t d = t < base_ ? 0 : static_cast<size_t>((t - base_) >> kShift);
        const size_t i = (head_ + d) % kBuckets;
        occupied_ |= 1u << i;
        std::vector<Slot>& b = ring_[i];
        b.push_back(x);
        size_t j = b.size() - 1;
        while (j > 0 && b[j - 1].key < x.key) {
            b[j] = b[j - 1];
            j--;
        }
        b[j] = x;
        near_++;
        return true;
    }

    // Restores the invariant once the head bucket is empty: the ring moves
    // on to its first non-empty bucket (found in the occupancy mask), or, if
    // it is empty, jumps to the heap's earliest event; then what the move
    // brings inside the ring comes over from the heap. Those events lie
    // beyond the old ring's end, so after the new head bucket's.
    void normalize() {
        if (near_ == 0) {
            if (far_.empty()) return;
            base_ = align(EventHeap::time_of(far_.top().key));
            head_ = 0;
        } else {
            const uint32_t rotated =
                (occupied_ >> head_ | occupied_ << (kBuckets - head_)) & kAllBuckets;
            const size_t k = static_cast<size_t>(std::countr_zero(rotated));
            head_ = (head_ + k) % kBuckets;
            base_ += static_cast<int64_t>(k) << kShift;
        }
        while (!far_.empty() && EventHeap::time_of(far_.top().key) < ring_end())
            place(far_.pop());
    }

    std::array<std::vector<Slot>, kBuckets> ring_;
    size_t head_ = 0;        // the ring index of the bucket that starts at base_
    int64_t base_ = 0;       // start of the head bucket's time span, aligned
    size_t near_ = 0;        // events in the ring
    uint32_t occupied_ = 0;  // bit i: ring_[i] is not empty
    EventHeap far_;          // events at or after ring_end()
};

}  // namespace sim
