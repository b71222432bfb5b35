// raft/log.h — a node's in-memory Raft log: a compacted prefix (the snapshot
// point) followed by entries.
//
// Indexes are 1-based and contiguous: entries_[k].index == offset_ + 1 + k.
// Entries at or below offset_ are only known through the snapshot, whose
// last index/term are offset_/offset_term_ (§7).
#pragma once

#include <algorithm>
#include <utility>
#include <vector>

#include "base/assert.h"
#include "raft/types.h"

namespace raft {

class RaftLog {
  public:
    Index first_index() const { return offset_ + 1; }
    Index last_index() const { return offset_ + static_cast<Index>(entries_.size()); }
    Term last_term() const { return entries_.empty() ? offset_term_ : entries_.back().term; }
    Index snapshot_index() const { return offset_; }
    Term snapshot_term() const { return offset_term_; }

    // Term of the entry at i; 0 for index 0; -1 when i is compacted away or
    // beyond the end (unknown).
    Term term_at(Index i) const {
        if (i == offset_) return offset_term_;
        if (i < offset_ || i > last_index()) return -1;
        return entries_[static_cast<size_t>(i - offset_ - 1)].term;
    }
    const Entry& at(Index i) const {
        ASSERT(has(i));
        return entries_[static_cast<size_t>(i - offset_ - 1)];
    }
    bool has(Index i) const { return i > offset_ && i <= last_index(); }
    const std::vector<Entry>& entries() const { return entries_; }

    // Entries [lo, hi] (inclusive), capped to max_count.
    std::vector<Entry> slice(Index lo, Index hi, int max_count) const {
        std::vector<Entry> out;
        slice_into(lo, hi, max_count, &out);
        return out;
    }
    // The same into *out (replacing what it held), reusing its capacity.
    void slice_into(Index lo, Index hi, int max_count, std::vector<Entry>* out) const {
        out->clear();
        if (lo <= offset_) return;
        if (hi > last_index()) hi = last_index();
        if (hi < lo || max_count <= 0) return;
        const Index n = std::min<Index>(hi - lo + 1, max_count);
        const auto first = entries_.begin() + (lo - offset_ - 1);
        out->assign(first, first + n);  // lo > offset_ and lo + n - 1 <= last_index()
    }

    // Entries stay contiguous, and their terms never decrease (§5.3).
    void append(const Entry& e) {
        check_next(e);
        entries_.push_back(e);
    }
    void append(Entry&& e) {
        check_next(e);
        entries_.push_back(std::move(e));
    }
    // Drops every entry at index >= i (a conflicting suffix, §5.3).
    void truncate_from(Index i) {
        if (i <= offset_) {
            entries_.clear();
            return;
        }
        if (i <= last_index()) entries_.resize(static_cast<size_t>(i - offset_ - 1));
    }
    // Discards entries up to and including i, whose term is t (§7). If the log
    // does not contain a matching entry at i, the whole log is replaced.
    void compact(Index i, Term t) {
        ASSERT_CMP(t, >, 0);
        if (i <= offset_) return;
        if (has(i) && term_at(i) == t) {
            entries_.erase(entries_.begin(), entries_.begin() + (i - offset_));
        } else {
            entries_.clear();
        }
        offset_ = i;
        offset_term_ = t;
    }
    // Checkpoints store entries in a compact encoding and put them back.
    std::vector<Entry> release_entries() { return std::move(entries_); }
    void restore_entries(std::vector<Entry> entries) { entries_ = std::move(entries); }
    bool operator==(const RaftLog&) const = default;
    // f(name, field) for every member; Self is RaftLog or const RaftLog. For
    // file formats above raft/ (see Node::visit_fields for why).
    template <class Self, class F>
    static void visit_fields(Self& self, F&& f) {
        f("offset", self.offset_);
        f("offset_term", self.offset_term_);
        f("entries", self.entries_);
    }

  private:
    void check_next(const Entry& e) const {
        ASSERT_CMP(e.index, ==, last_index() + 1);
        ASSERT_CMP(e.term, >=, last_term());
    }
    Index offset_ = 0;
    Term offset_term_ = 0;
    std::vector<Entry> entries_;
};

}  // namespace raft
