// check/linearizability.cpp — Wing–Gong / Lowe linearizability search over the
// key-value model, per key, with a (linearized set, state) cache; witness
// reduction; and the linearizable-history generator.
//
// One file over 800 lines on purpose: one tool whose parts (model, cache,
// search, witness reduction) share file-local types and are read together;
// keys with appends have their own search in linearizability_append.cpp.
//
// Index: helpers · per-key model · state cache · search (entry list, twins,
// reads-from order, KeySearch) · sub-history building · witness reduction ·
// explanations · check_linearizable · generator.
//
// Must not read clocks, threads or randomness, and nothing that reaches a
// verdict may depend on unordered iteration: keys are visited in sorted order,
// candidates in (time, kind, index) order, and the cache is a hand-written
// open-addressing table whose answers (present / absent) do not depend on its
// layout. Invariant of the search: an operation is linearized only when every
// operation that returned before its invocation is already linearized, and the
// model accepts it in the current state.
#include "check/linearizability.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "base/assert.h"
#include "base/hash.h"
#include "base/rng.h"
#include "check/linearizability_append.h"

namespace sim {
namespace {

// ---------------------------------------------------------------------------
// Small deterministic helpers.

// The finalizer of base/hash.h, as this file's short name for it.
uint64_t mix64(uint64_t z) {
    return base::hash_finalize(z);
}

// ---------------------------------------------------------------------------
// The per-key model. Values are interned to small integers so that a state is
// one int32 and comparing states is free.

constexpr int32_t kAbsent = -1;
constexpr int32_t kOther = -2;  // any value no operation compares against

struct KeyOp {
    size_t index = 0;  // into the input history
    raft::OpType op = raft::OpType::kPut;
    // Status ok: must be linearized inside [invoke_us, complete_us]. Otherwise
    // optional: it may be linearized at any point after invoke_us, or never.
    bool required = true;
    int64_t invoke_us = 0;
    int64_t complete_us = 0;
    int32_t value = kAbsent;     // put/cas: value written; get: value observed
    int32_t expected = kAbsent;  // cas
    bool cas_ok = false;
};

// Applies `o` to `state`. Returns false when `o` cannot take effect there,
// i.e. its recorded outcome contradicts the state.
bool model_step(const KeyOp& o, int32_t state, int32_t* next) {
    switch (o.op) {
        case raft::OpType::kPut:
            *next = o.value;
            return true;
        case raft::OpType::kDelete:
            *next = kAbsent;
            return true;
        case raft::OpType::kGet:
            *next = state;
            return state == o.value;
        case raft::OpType::kCas:
            // An optional cas that failed is indistinguishable from one that
            // never happened, so only its successful form is ever linearized.
            if (!o.required || o.cas_ok) {
                *next = o.value;
                return state == o.expected;
            }
            // An ok cas that did not swap still observed value != expected
            // (an absent value differs from every expected string).
            *next = state;
            return state != o.expected;
        case raft::OpType::kAppend:
            ASSERT_UNREACHABLE("keys with appends are checked by check_append_key");
    }
    return false;
}

// Values whose presence some operation needs to see (get found v, cas that
// swapped from v, optional cas expecting v).
bool observes_value(const KeyOp& o, int32_t* v) {
    if (o.op == raft::OpType::kGet && o.value != kAbsent) {
        *v = o.value;
        return true;
    }
    if (o.op == raft::OpType::kCas && (!o.required || o.cas_ok)) {
        *v = o.expected;
        return true;
    }
    return false;
}

bool writes_value(const KeyOp& o) {
    return o.op == raft::OpType::kPut || o.op == raft::OpType::kCas;
}

// ---------------------------------------------------------------------------
// The cache of visited configurations. A configuration is the set R of
// linearized required operations, the set O of linearized optional ones, the
// model state, and `pending`: the state before an optional operation that was
// just linearized and must still be consumed (see KeySearch), or kNoPending.
//
// Lookups use dominance, not only equality: a configuration with the same R
// and state, no pending obligation, and a superset of O can do nothing the
// smaller one could not (optional operations have no deadline, so having
// fewer of them used up only leaves more choices). Without this, every
// unknown write that may still happen doubles the configurations until the
// end of the history. The dominating configuration has been explored and
// failed: it cannot be an ancestor still in progress, because a path between
// two configurations with the same R consists of optional operations only,
// and those always leave an obligation pending.
//
// Open addressing with linear probing on (R, state, pending); entries are
// compared exactly, so a hash collision can never prune a live branch.

constexpr int32_t kNoPending = INT32_MIN;

// Encodes a bitset canonically with runs: a run of all-zero or all-one words
// becomes one token. R is mostly a prefix of ones and a tail of zeros, so it
// takes a few words however long the history is.
void encode_bits(const std::vector<uint64_t>& bits, std::vector<uint64_t>* out) {
    out->clear();
    size_t i = 0;
    while (i < bits.size()) {
        uint64_t w = bits[i];
        if (w != 0 && w != ~uint64_t(0)) {
            out->push_back(2);
            out->push_back(w);
            ++i;
            continue;
        }
        size_t j = i;
        while (j < bits.size() && bits[j] == w) {
            ++j;
        }
        out->push_back(uint64_t(j - i) << 2 | (w == 0 ? 0 : 1));
        i = j;
    }
}

bool is_subset(const uint64_t* a, const uint64_t* b, size_t words) {
    for (size_t i = 0; i < words; ++i) {
        if ((a[i] & ~b[i]) != 0) return false;
    }
    return true;
}

class StateCache {
  public:
    explicit StateCache(size_t o_words) : o_words_(o_words), slots_(1024) {}

    // Records the configuration; returns false if it, or one that dominates
    // it, was recorded before.
    bool insert(const std::vector<uint64_t>& r_enc, uint64_t hash, int32_t state, int32_t pending,
                const std::vector<uint64_t>& o_bits) {
        uint64_t head = uint64_t(uint32_t(state)) << 32 | uint32_t(pending);
        if ((keys_ + 1) * 2 > slots_.size()) grow();
        size_t mask = slots_.size() - 1;
        size_t i = hash & mask;
        for (; slots_[i].key_at != 0; i = (i + 1) & mask) {
            if (slots_[i].hash == hash && matches(slots_[i].key_at - 1, r_enc, head)) break;
        }
        Slot& s = slots_[i];
        if (s.key_at == 0) {
            s = Slot{hash, arena_.size() + 1, 0};
            arena_.push_back(head);
            arena_.push_back(r_enc.size());
            arena_.insert(arena_.end(), r_enc.begin(), r_enc.end());
            ++keys_;
        }
        for (size_t o = s.last_o; o != 0; o = o_sets_[o - 1].prev) {
            const uint64_t* seen = &arena_[o_sets_[o - 1].at];
            bool covered = pending == kNoPending
                               ? is_subset(seen, o_bits.data(), o_words_)
                               : std::memcmp(seen, o_bits.data(), o_words_ * sizeof(uint64_t)) == 0;
            if (covered) return false;
        }
        o_sets_.push_back({arena_.size(), s.last_o});
        s.last_o = o_sets_.size();
        arena_.insert(arena_.end(), o_bits.begin(), o_bits.end());
        return true;
    }
    size_t arena_words() const { return arena_.size() + o_sets_.size() * 2; }

  private:
    struct Slot {
        uint64_t hash = 0;
        size_t key_at = 0;  // 0: empty; else position of the key in arena_ + 1
        size_t last_o = 0;  // newest O set of this key: index in o_sets_ + 1
    };
    struct OSet {
        size_t at;    // position of its words in arena_
        size_t prev;  // older O set of the same key: index + 1, or 0
    };
    bool matches(size_t at, const std::vector<uint64_t>& r_enc, uint64_t head) const {
        return arena_[at] == head && arena_[at + 1] == r_enc.size() &&
               std::memcmp(&arena_[at + 2], r_enc.data(), r_enc.size() * sizeof(uint64_t)) == 0;
    }
    void grow() {
        std::vector<Slot> old;
        old.swap(slots_);
        slots_.assign(old.size() * 2, Slot{});
        size_t mask = slots_.size() - 1;
        for (const Slot& s : old) {
            if (s.key_at == 0) continue;
            size_t i = s.hash & mask;
            while (slots_[i].key_at != 0) {
                i = (i + 1) & mask;
            }
            slots_[i] = s;
        }
    }

    size_t o_words_;
    std::vector<Slot> slots_;
    std::vector<OSet> o_sets_;
    std::vector<uint64_t> arena_;
    size_t keys_ = 0;
};

// Bounds memory independently of the state budget. 32 Mi words = 256 MiB.
constexpr size_t kCacheWordsMax = size_t(32) << 20;

// ---------------------------------------------------------------------------
// The search over one key (Lowe's just-in-time linearization, as in
// porcupine): a doubly linked list of the required operations' call and
// return entries sorted by time. Scanning from the head, a call entry met
// before any return entry belongs to a minimal operation and may be
// linearized next; the first return entry closes an operation that must be
// linearized before anything invoked later, so the scan stops there.
//
// Optional operations have no return entry and stay outside the list: one is
// a candidate once invoked no later than that first return (see Cursor for
// the order in which candidates are tried).

enum class SearchOutcome { kOk, kViolation, kBudget, kMemory };

struct EntryList {
    // Positions 0 (head) and size-1 (tail) are sentinels.
    std::vector<int32_t> next, prev, op_of;
    std::vector<int64_t> t_us;
    std::vector<bool> is_return;
    std::vector<int32_t> call_of, return_of;  // per op; -1 for optional ops

    void unlink(int32_t x) {
        next[prev[x]] = next[x];
        prev[next[x]] = prev[x];
    }
    void relink(int32_t x) {
        next[prev[x]] = x;
        prev[next[x]] = x;
    }
    // Dancing links: undo in the reverse order of removal.
    void lift(int32_t op) {
        unlink(call_of[op]);
        unlink(return_of[op]);
    }
    void unlift(int32_t op) {
        relink(return_of[op]);
        relink(call_of[op]);
    }
};

struct Event {
    int64_t t_us;
    bool is_return;
    int32_t op;
};

// At equal times calls sort before returns: operations that touch at one
// microsecond count as concurrent, which can only accept more histories,
// never reject a linearizable one.
EntryList build_entries(const std::vector<KeyOp>& ops) {
    std::vector<Event> events;
    for (size_t i = 0; i < ops.size(); ++i) {
        if (!ops[i].required) continue;
        events.push_back({ops[i].invoke_us, false, int32_t(i)});
        events.push_back({ops[i].complete_us, true, int32_t(i)});
    }
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
        if (a.t_us != b.t_us) return a.t_us < b.t_us;
        if (a.is_return != b.is_return) return !a.is_return;
        return a.op < b.op;
    });
    EntryList l;
    size_t n = events.size() + 2;
    l.next.resize(n);
    l.prev.resize(n);
    l.op_of.assign(n, -1);
    l.t_us.assign(n, INT64_MAX);
    l.is_return.assign(n, false);
    l.call_of.assign(ops.size(), -1);
    l.return_of.assign(ops.size(), -1);
    for (size_t p = 0; p < n; ++p) {
        l.next[p] = int32_t(p + 1 < n ? p + 1 : p);
        l.prev[p] = int32_t(p > 0 ? p - 1 : 0);
    }
    for (size_t e = 0; e < events.size(); ++e) {
        int32_t p = int32_t(e + 1);
        l.op_of[p] = events[e].op;
        l.t_us[p] = events[e].t_us;
        l.is_return[p] = events[e].is_return;
        (events[e].is_return ? l.return_of : l.call_of)[events[e].op] = p;
    }
    return l;
}

// Optional operations in invocation order.
std::vector<int32_t> optional_by_invoke(const std::vector<KeyOp>& ops) {
    std::vector<int32_t> order;
    for (size_t i = 0; i < ops.size(); ++i) {
        if (!ops[i].required) order.push_back(int32_t(i));
    }
    std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
        return ops[a].invoke_us != ops[b].invoke_us ? ops[a].invoke_us < ops[b].invoke_us : a < b;
    });
    return order;
}

// Optional operations with the same type and arguments (say, two unknown
// deletes) are interchangeable, except that one invoked later is available
// later. Whenever a linearization uses one while an earlier-invoked twin is
// still unused, exchanging the two gives another linearization (neither has a
// deadline). So the search uses twins in invocation order only: per op, the
// previous twin that must already be linearized, or -1.
std::vector<int32_t> chain_twins(const std::vector<KeyOp>& ops,
                                 const std::vector<int32_t>& optional) {
    std::vector<int32_t> prev(ops.size(), -1);
    std::map<std::tuple<int, int32_t, int32_t>, int32_t> last;
    for (int32_t i : optional) {
        auto key = std::make_tuple(int(ops[i].op), ops[i].value, ops[i].expected);
        auto it = last.find(key);
        if (it != last.end()) prev[size_t(i)] = it->second;
        last[key] = i;
    }
    return prev;
}

// Reads-from order. When a value is written by exactly one operation W and
// read by required operations, W must be the last write before each of those
// readers. So every required write that precedes a reader in real time must
// be linearized before W. Per write, the required writes sorted by completion
// time, and how many of them (a prefix) must be linearized before W.
struct WriteOrder {
    std::vector<int32_t> rank;           // per op: position among required writes, or -1
    std::vector<int32_t> needed_before;  // per op: prefix length that must be done first
};

bool is_required_write(const KeyOp& o) {
    return o.required && (o.op == raft::OpType::kPut || o.op == raft::OpType::kDelete ||
                          (o.op == raft::OpType::kCas && o.cas_ok));
}

WriteOrder order_writes(const std::vector<KeyOp>& ops) {
    WriteOrder w{std::vector<int32_t>(ops.size(), -1), std::vector<int32_t>(ops.size(), 0)};
    std::vector<int32_t> writes;
    for (size_t i = 0; i < ops.size(); ++i) {
        if (is_required_write(ops[i])) writes.push_back(int32_t(i));
    }
    std::sort(writes.begin(), writes.end(), [&](int32_t a, int32_t b) {
        return ops[a].complete_us != ops[b].complete_us ? ops[a].complete_us < ops[b].complete_us
                                                        : a < b;
    });
    std::vector<int64_t> completes;
    for (size_t r = 0; r < writes.size(); ++r) {
        w.rank[size_t(writes[r])] = int32_t(r);
        completes.push_back(ops[size_t(writes[r])].complete_us);
    }
    std::map<int32_t, int32_t> writers;       // value -> number of writes of it
    std::map<int32_t, int64_t> last_read_us;  // value -> latest invoke of a required reader
    for (const KeyOp& o : ops) {
        int32_t v = kAbsent;
        if (writes_value(o)) ++writers[o.value];
        if (o.required && observes_value(o, &v)) {
            auto it = last_read_us.emplace(v, o.invoke_us).first;
            it->second = std::max(it->second, o.invoke_us);
        }
    }
    for (size_t i = 0; i < ops.size(); ++i) {
        const KeyOp& o = ops[i];
        if (!writes_value(o) || o.value == kOther || writers[o.value] != 1) continue;
        auto it = last_read_us.find(o.value);
        if (it == last_read_us.end()) continue;
        // Writes that complete strictly before the reader's invocation.
        w.needed_before[i] = int32_t(
            std::lower_bound(completes.begin(), completes.end(), it->second) - completes.begin());
    }
    return w;
}

// Counts linearized required writes by rank (a Fenwick tree).
class RankCounter {
  public:
    explicit RankCounter(size_t n) : tree_(n + 1, 0) {}
    void add(int32_t rank, int32_t delta) {
        for (size_t i = size_t(rank) + 1; i < tree_.size(); i += i & (~i + 1)) {
            tree_[i] += delta;
        }
    }
    int32_t prefix(int32_t n) const {  // linearized among ranks [0, n)
        int32_t sum = 0;
        for (size_t i = size_t(n); i > 0; i -= i & (~i + 1)) {
            sum += tree_[i];
        }
        return sum;
    }

  private:
    std::vector<int32_t> tree_;
};

// Where the scan of a configuration stands: at a position of the list of
// required entries, or at an index of the optional operations. Optional
// candidates are tried after the required ones: a configuration is then
// usually cached without an optional operation before it is reached with
// it, and the cache's dominance rule prunes the latter. (Trying them first
// finds linearizations of correct histories a little faster, but makes
// exhausting a violating one several times slower.)
struct Cursor {
    bool optional;
    int32_t at;
};

// Besides the cache (with dominance), four reductions keep the search small;
// each only drops orders that another explored order can replace. Twins are
// used in invocation order (chain_twins); a write whose value is read waits
// for the writes that precede its readers (order_writes); and the two below.
// tests/unit/linearizability_test.cpp checks all of them against brute force.
//
// An optional operation W is linearized only when the very next operation X
// needs it: X is accepted after W but not in the state before W. In any
// linearization, if the operation after W does not need W, then it is a write
// that hides W (drop W), or W left the state unchanged (drop W), or it is a
// read that also accepts the earlier state (swap them: W has no deadline, and
// nothing forces a read after an operation that never returned). Repeating
// this ends with every optional operation immediately consumed. `pending_`
// holds the state before W until X comes.
//
// An observer (a get, or an ok cas that did not swap) that is minimal and
// accepted in the current state is linearized at once, as the only branch:
// any linearization from here can move it to the front (it changes no state,
// and being minimal nothing must precede it), so if that branch fails the
// configuration fails.
class KeySearch {
  public:
    KeySearch(const std::vector<KeyOp>& ops, uint64_t budget, uint64_t* states)
        : ops_(ops), budget_(budget), states_(states), list_(build_entries(ops)) {
        // Required and optional operations are numbered apart: R is hashed and
        // compared exactly, O is compared by inclusion.
        size_t r = 0, o = 0;
        for (const KeyOp& k : ops) {
            bit_of_.push_back(k.required ? r++ : o++);
        }
        required_left_ = r;
        r_bits_.assign((r + 63) / 64, 0);
        o_bits_.assign((o + 63) / 64, 0);
        cache_ = StateCache(o_bits_.size());
        zobrist_.resize(ops.size());
        for (size_t i = 0; i < ops.size(); ++i) {
            zobrist_[i] = mix64(i + 0x51ed27ULL);
        }
        optional_ = optional_by_invoke(ops);
        prev_twin_ = chain_twins(ops, optional_);
        write_order_ = order_writes(ops);
        writes_done_ = RankCounter(ops.size());
        tail_ = int32_t(list_.next.size() - 1);
    }

    // Every iteration advances the cursor (at most the number of candidates
    // between pushes and pops), pushes (at most `budget` times) or pops (at
    // most as often as it pushed): the loop is bounded by the budget.
    SearchOutcome run() {
        if (required_left_ == 0) return SearchOutcome::kOk;
        Cursor cur{false, list_.next[0]};
        bool entered = true;  // at a configuration just entered
        while (true) {
            int32_t op = -1, next_state = kAbsent;
            bool forced = entered && forced_observer(&op, &next_state);
            entered = false;
            if (!forced && !next_candidate(&cur, &op, &next_state)) {
                if (!backtrack(&cur)) return SearchOutcome::kViolation;
                continue;
            }
            if (*states_ >= budget_) return SearchOutcome::kBudget;
            ++*states_;
            if (!linearize(op, next_state, forced, cur)) {
                // Seen before. For a forced move that settles this
                // configuration too; otherwise try the next candidate.
                if (forced && !backtrack(&cur)) return SearchOutcome::kViolation;
                continue;
            }
            if (cache_.arena_words() > kCacheWordsMax) return SearchOutcome::kMemory;
            if (required_left_ == 0) return SearchOutcome::kOk;
            cur = Cursor{false, list_.next[0]};
            entered = true;
        }
    }

  private:
    struct Frame {
        int32_t op;
        int32_t state_before;
        int32_t pending_before;
        bool forced;
        Cursor cursor;  // where the scan of the configuration before resumes
    };

    // Finds the next acceptable candidate at or after the cursor and moves
    // the cursor past it; false when this configuration has none left.
    bool next_candidate(Cursor* cur, int32_t* op, int32_t* next_state) {
        while (!cur->optional) {
            if (cur->at == tail_ || list_.is_return[cur->at]) {
                *cur = Cursor{true, 0};
                break;
            }
            *op = list_.op_of[cur->at];
            cur->at = list_.next[cur->at];
            if (acceptable(*op, next_state)) return true;
        }
        // Optional candidates: invoked no later than the first return.
        int64_t limit_us = first_return_us();
        while (size_t(cur->at) < optional_.size()) {
            *op = optional_[size_t(cur->at)];
            if (ops_[*op].invoke_us > limit_us) return false;
            ++cur->at;
            if (!is_linearized(*op) && acceptable(*op, next_state)) return true;
        }
        return false;
    }

    bool acceptable(int32_t op, int32_t* next_state) const {
        int32_t twin = prev_twin_[size_t(op)];
        if (twin >= 0 && !is_linearized(twin)) return false;
        int32_t before = write_order_.needed_before[size_t(op)];
        if (before > 0) {
            int32_t rank = write_order_.rank[size_t(op)];
            int32_t self = rank >= 0 && rank < before ? 1 : 0;
            if (writes_done_.prefix(before) + self < before) return false;
        }
        if (!model_step(ops_[op], state_, next_state)) return false;
        int32_t ignored = kAbsent;
        return pending_ == kNoPending || !model_step(ops_[op], pending_, &ignored);
    }

    bool forced_observer(int32_t* op, int32_t* next_state) const {
        if (pending_ != kNoPending) return false;
        for (int32_t p = list_.next[0]; p != tail_ && !list_.is_return[p]; p = list_.next[p]) {
            const KeyOp& o = ops_[list_.op_of[p]];
            bool observer = o.op == raft::OpType::kGet || (o.op == raft::OpType::kCas && !o.cas_ok);
            if (observer && model_step(o, state_, next_state)) {
                *op = list_.op_of[p];
                return true;
            }
        }
        return false;
    }

    bool is_linearized(int32_t op) const {
        size_t b = bit_of_[size_t(op)];
        return ((ops_[op].required ? r_bits_ : o_bits_)[b / 64] >> (b % 64)) & 1;
    }

    void flip(int32_t op) {
        size_t b = bit_of_[size_t(op)];
        (ops_[op].required ? r_bits_ : o_bits_)[b / 64] ^= uint64_t(1) << (b % 64);
        if (ops_[op].required) r_hash_ ^= zobrist_[size_t(op)];
        int32_t rank = write_order_.rank[size_t(op)];
        if (rank >= 0) writes_done_.add(rank, is_linearized(op) ? 1 : -1);
    }

    // Moves to the configuration after `op` unless it was explored already.
    bool linearize(int32_t op, int32_t next_state, bool forced, Cursor resume) {
        int32_t next_pending = ops_[op].required ? kNoPending : state_;
        flip(op);
        encode_bits(r_bits_, &encoded_);
        uint64_t h =
            mix64(r_hash_ ^ mix64(uint64_t(uint32_t(next_state)) << 32 | uint32_t(next_pending)));
        if (!cache_.insert(encoded_, h, next_state, next_pending, o_bits_)) {
            flip(op);
            return false;
        }
        stack_.push_back({op, state_, pending_, forced, resume});
        if (ops_[op].required) list_.lift(op);
        state_ = next_state;
        pending_ = next_pending;
        required_left_ -= ops_[op].required ? 1 : 0;
        return true;
    }

    // The current configuration failed: undoes linearizations back to the
    // last one that was a choice, and sets the cursor just past that choice.
    // False when no choice is left.
    bool backtrack(Cursor* cur) {
        while (!stack_.empty()) {
            Frame f = stack_.back();
            stack_.pop_back();
            if (ops_[f.op].required) list_.unlift(f.op);
            flip(f.op);
            required_left_ += ops_[f.op].required ? 1 : 0;
            state_ = f.state_before;
            pending_ = f.pending_before;
            if (f.forced) continue;
            *cur = f.cursor;
            return true;
        }
        return false;
    }

    int64_t first_return_us() const {
        int32_t p = list_.next[0];
        while (p != tail_ && !list_.is_return[p]) {
            p = list_.next[p];
        }
        return list_.t_us[p];
    }

    const std::vector<KeyOp>& ops_;
    uint64_t budget_;
    uint64_t* states_;
    EntryList list_;
    int32_t tail_ = 0;
    std::vector<size_t> bit_of_;  // per op: its bit in r_bits_ or o_bits_
    std::vector<uint64_t> r_bits_, o_bits_, zobrist_, encoded_;
    uint64_t r_hash_ = 0;
    std::vector<int32_t> optional_;   // optional ops by invocation
    std::vector<int32_t> prev_twin_;  // per op: see chain_twins
    WriteOrder write_order_;
    RankCounter writes_done_{0};
    StateCache cache_{0};
    std::vector<Frame> stack_;
    int32_t state_ = kAbsent;
    int32_t pending_ = kNoPending;
    size_t required_left_ = 0;
};

SearchOutcome search_key(const std::vector<KeyOp>& ops, uint64_t budget, uint64_t* states) {
    return KeySearch(ops, budget, states).run();
}

// ---------------------------------------------------------------------------
// Building a key's sub-history.

int32_t intern(std::map<std::string, int32_t>* ids, const std::string& v) {
    auto it = ids->emplace(v, int32_t(ids->size())).first;
    return it->second;
}

// Failed operations had no effect and reads of unknown outcome observed
// nothing, so both are dropped.
bool relevant(const HistoryOp& o) {
    if (o.status == OpStatus::kFail) return false;
    if (o.status != OpStatus::kOk && o.op == raft::OpType::kGet) return false;
    return true;
}

// An optional write is dropped when nothing could ever need its effect: no
// operation observes its value (or absence, for a delete) and no ok cas
// failed (a failed cas is satisfied by any other value, so then any write
// may be needed). Sound: in a linearization containing such a write, the
// operations between it and the next write can only be unconditional writes,
// so removing it leaves the linearization valid.
std::vector<KeyOp> prune_useless_optional(std::vector<KeyOp> ops) {
    bool any_failed_cas = false, absence_observed = false;
    std::set<int32_t> observed;
    for (const KeyOp& o : ops) {
        int32_t v = kAbsent;
        if (observes_value(o, &v)) observed.insert(v);
        if (o.op == raft::OpType::kCas && o.required && !o.cas_ok) any_failed_cas = true;
        if (o.op == raft::OpType::kGet && o.value == kAbsent) absence_observed = true;
    }
    if (any_failed_cas) return ops;
    std::vector<KeyOp> kept;
    for (const KeyOp& o : ops) {
        bool needed = o.required || (o.op == raft::OpType::kDelete ? absence_observed
                                                                   : observed.count(o.value) > 0);
        if (needed) kept.push_back(o);
    }
    return kept;
}

// Values that some operation compares against: read by a get, or expected
// by a cas. Every other value is interned as kOther: no operation can tell
// two of them apart, and sharing one state lets the cache merge
// configurations that differ only in which unobserved value is current.
std::set<std::string> compared_values(HistoryView h, const std::vector<size_t>& indexes) {
    std::set<std::string> seen;
    for (size_t i : indexes) {
        const HistoryOp& o = h[i];
        if (!relevant(o)) continue;
        if (o.op == raft::OpType::kGet && o.found) seen.insert(o.output);
        if (o.op == raft::OpType::kCas) seen.insert(o.expected);
    }
    return seen;
}

std::vector<KeyOp> build_key_ops(HistoryView h, const std::vector<size_t>& indexes) {
    std::set<std::string> compared = compared_values(h, indexes);
    std::map<std::string, int32_t> ids;
    auto id_of = [&](const std::string& v) { return compared.count(v) ? intern(&ids, v) : kOther; };
    std::vector<KeyOp> ops;
    for (size_t i : indexes) {
        const HistoryOp& o = h[i];
        if (!relevant(o)) continue;
        KeyOp k;
        k.index = i;
        k.op = o.op;
        k.required = o.status == OpStatus::kOk;
        k.invoke_us = o.invoke_us;
        k.complete_us = o.complete_us;
        if (o.op == raft::OpType::kPut || o.op == raft::OpType::kCas) k.value = id_of(o.value);
        if (o.op == raft::OpType::kGet && o.found) k.value = id_of(o.output);
        if (o.op == raft::OpType::kCas) k.expected = id_of(o.expected);
        k.cas_ok = o.cas_ok;
        ops.push_back(k);
    }
    return prune_useless_optional(std::move(ops));
}

// The state a write leaves, or false for operations that do not write.
bool write_effect(const KeyOp& o, int32_t* effect) {
    switch (o.op) {
        case raft::OpType::kPut:
            *effect = o.value;
            return true;
        case raft::OpType::kDelete:
            *effect = kAbsent;
            return true;
        case raft::OpType::kCas:
            *effect = o.value;
            return !o.required || o.cas_ok;
        case raft::OpType::kGet:
            return false;
        case raft::OpType::kAppend:
            ASSERT_UNREACHABLE("keys with appends are checked by check_append_key");
    }
    return false;
}

int64_t end_us(const KeyOp& o) {
    return o.required ? o.complete_us : INT64_MAX;
}

// For a time t, the latest invocation among required writes that complete
// before t. A write that completes before that invocation is followed by
// another write before t in every linearization, so it cannot be the last
// write before an operation invoked at t.
class WriteFloor {
  public:
    explicit WriteFloor(const std::vector<KeyOp>& ops) {
        for (size_t i = 0; i < ops.size(); ++i) {
            int32_t ignored = kAbsent;
            if (ops[i].required && write_effect(ops[i], &ignored)) {
                ends_.push_back({ops[i].complete_us, {ops[i].invoke_us, i}});
            }
        }
        std::sort(ends_.begin(), ends_.end());
        for (size_t i = 1; i < ends_.size(); ++i) {
            ends_[i].second = std::max(ends_[i].second, ends_[i - 1].second);
        }
    }
    // The latest invocation, and *pos the position in `ops` of that write.
    int64_t before(int64_t t_us, size_t* pos = nullptr) const {
        auto it = std::lower_bound(ends_.begin(), ends_.end(), t_us,
                                   [](const auto& e, int64_t t) { return e.first < t; });
        if (it == ends_.begin()) return INT64_MIN;
        if (pos != nullptr) *pos = std::prev(it)->second.second;
        return std::prev(it)->second.first;
    }

  private:
    // (complete, (latest invoke so far, its position))
    std::vector<std::pair<int64_t, std::pair<int64_t, size_t>>> ends_;
};

// A get or swapping cas that observed a value no write had been invoked to
// write by the time it completed cannot be linearized on its own. Finding it
// directly spares the search and names a one-operation witness. Returns the
// position in `ops`, or -1.
int32_t unsourced_observer(const std::vector<KeyOp>& ops) {
    std::map<int32_t, int64_t> first_write_us;
    for (const KeyOp& o : ops) {
        if (!writes_value(o)) continue;
        auto it = first_write_us.emplace(o.value, o.invoke_us).first;
        it->second = std::min(it->second, o.invoke_us);
    }
    for (size_t i = 0; i < ops.size(); ++i) {
        int32_t v = kAbsent;
        if (!ops[i].required || !observes_value(ops[i], &v)) continue;
        auto it = first_write_us.find(v);
        if (it == first_write_us.end() || it->second > ops[i].complete_us) return int32_t(i);
    }
    return -1;
}

// A read of a value written by exactly one operation W, invoked after another
// write P that itself began after W completed, saw a value that P certainly
// overwrote (W, P, read are ordered by real time, and nothing else writes the
// value). This is the usual stale read; finding it directly spares a search
// that would otherwise exhaust every order before W. Returns the positions
// {W, P, read} in `ops`, or nothing.
std::vector<size_t> overwritten_read(const std::vector<KeyOp>& ops) {
    std::map<int32_t, std::vector<size_t>> writers;  // value -> positions
    for (size_t i = 0; i < ops.size(); ++i) {
        if (writes_value(ops[i])) writers[ops[i].value].push_back(i);
    }
    WriteFloor floor(ops);
    for (size_t r = 0; r < ops.size(); ++r) {
        int32_t v = kAbsent;
        if (!ops[r].required || !observes_value(ops[r], &v)) continue;
        auto it = writers.find(v);
        if (it == writers.end() || it->second.size() != 1) continue;
        size_t w = it->second[0], p = 0;
        if (ops[w].required && floor.before(ops[r].invoke_us, &p) > ops[w].complete_us) {
            return {w, p, r};
        }
    }
    return {};
}

// ---------------------------------------------------------------------------
// Witness reduction: binary searches for a failing window in invocation
// order, then delta-debugging style removal of chunks and single operations,
// keeping each removal only if the rest still cannot be linearized.
//
// Removing writes takes along every observer they could explain as its last
// write: a get of the value (or of absence, for a delete), a cas expecting
// it, a cas that failed because the value differed. So a removal never
// creates a violation: in a linearization of the larger set, no remaining
// operation observed a removed write, and dropping the removed writes keeps
// the order valid. And a remaining read keeps some write of its value, even
// one that cannot be its last: otherwise a stale read would shrink to "read a
// value nobody wrote", true of the subset but not telling about the history.

constexpr uint64_t kReduceStatesMax = 2'000'000;
constexpr int kReduceChecksMax = 4'000;

bool is_observer(const KeyOp& x) {
    return (x.op == raft::OpType::kGet && x.required) || x.op == raft::OpType::kCas;
}

// The removed writes, indexed to answer: could one of them be the last write
// before observer x, given that x's last write cannot complete before
// `floor_us`? Per effect, and for any effect but one (a failed cas), the
// latest completion among writes invoked up to a time.
class GoneWrites {
  public:
    explicit GoneWrites(const std::vector<KeyOp>& gone) {
        std::vector<std::pair<int64_t, std::pair<int64_t, int32_t>>> any;
        for (const KeyOp& y : gone) {
            int32_t effect = kAbsent;
            if (!write_effect(y, &effect)) continue;
            by_effect_[effect].push_back({y.invoke_us, end_us(y)});
            any.push_back({y.invoke_us, {end_us(y), effect}});
        }
        for (auto& [effect, v] : by_effect_) {
            std::sort(v.begin(), v.end());
            for (size_t i = 1; i < v.size(); ++i)
                v[i].second = std::max(v[i].second, v[i - 1].second);
        }
        std::sort(any.begin(), any.end());
        Top2 top;
        for (const auto& [invoke_us, end] : any) {
            top.add(end.first, end.second);
            any_.push_back({invoke_us, top});
        }
    }

    bool explains(const KeyOp& x, int64_t floor_us) const {
        int64_t until_us = end_us(x);
        if (x.op == raft::OpType::kGet) return latest_end(x.value, until_us) >= floor_us;
        if (!x.required || x.cas_ok) return latest_end(x.expected, until_us) >= floor_us;
        // A cas that did not swap: any effect but its expected value.
        auto it = std::upper_bound(any_.begin(), any_.end(), until_us,
                                   [](int64_t t, const auto& e) { return t < e.first; });
        if (it == any_.begin()) return false;
        const Top2& top = std::prev(it)->second;
        return (top.effect != x.expected ? top.end_us : top.other_end_us) >= floor_us;
    }

  private:
    // The latest end, and the latest end among other effects than its own.
    struct Top2 {
        int64_t end_us = INT64_MIN, other_end_us = INT64_MIN;
        int32_t effect = kAbsent;
        void add(int64_t e_us, int32_t eff) {
            if (e_us > end_us) {
                if (eff != effect) other_end_us = end_us;
                end_us = e_us;
                effect = eff;
            } else if (eff != effect) {
                other_end_us = std::max(other_end_us, e_us);
            }
        }
    };
    int64_t latest_end(int32_t effect, int64_t until_us) const {
        auto found = by_effect_.find(effect);
        if (found == by_effect_.end()) return INT64_MIN;
        const auto& v = found->second;
        auto it = std::upper_bound(v.begin(), v.end(), std::make_pair(until_us, INT64_MAX));
        return it == v.begin() ? INT64_MIN : std::prev(it)->second;
    }

    std::map<int32_t, std::vector<std::pair<int64_t, int64_t>>> by_effect_;
    std::vector<std::pair<int64_t, Top2>> any_;  // by invoke, running top two
};

// Moves from `kept` to `gone` every observer that a write in `gone` could
// explain as its last write, until none is left (a dropped cas that swapped
// was also a write, which may orphan more). Dropping observers never creates
// a violation, and afterwards no kept observation depends on a gone write.
void drop_orphans(std::vector<KeyOp>* kept, std::vector<KeyOp>* gone) {
    for (bool changed = true; changed;) {
        changed = false;
        WriteFloor floor(*kept);
        GoneWrites writes(*gone);
        std::vector<KeyOp> still;
        for (const KeyOp& x : *kept) {
            if (is_observer(x) && writes.explains(x, floor.before(x.invoke_us))) {
                gone->push_back(x);
                changed = true;
            } else {
                still.push_back(x);
            }
        }
        kept->swap(still);
    }
}

// For the explanation, not for soundness: a kept get or swapping cas that observed a
// value keeps at least one write of that value if `before` had one.
bool sources_kept(const std::vector<KeyOp>& before, const std::vector<KeyOp>& after) {
    std::set<int32_t> written_before, written_after;
    for (const KeyOp& o : before) {
        if (writes_value(o)) written_before.insert(o.value);
    }
    for (const KeyOp& o : after) {
        if (writes_value(o)) written_after.insert(o.value);
    }
    for (const KeyOp& o : after) {
        int32_t v = kAbsent;
        if (o.required && observes_value(o, &v) && written_before.count(v) &&
            !written_after.count(v)) {
            return false;
        }
    }
    return true;
}

struct Reducer {
    uint64_t states_left;
    int checks_left = kReduceChecksMax;

    bool still_fails(const std::vector<KeyOp>& ops) {
        if (checks_left <= 0 || states_left == 0) return false;
        --checks_left;
        uint64_t used = 0;
        SearchOutcome r = search_key(ops, states_left, &used);
        states_left -= std::min(used, states_left);
        return r == SearchOutcome::kViolation;
    }

    // Keeps ops [begin, end) of `ops`, minus the observers that depended on
    // the rest; true (with the result in *out) if that still fails.
    bool keep_fails(const std::vector<KeyOp>& ops, size_t begin, size_t end,
                    std::vector<KeyOp>* out) {
        std::vector<KeyOp> kept(ops.begin() + begin, ops.begin() + end);
        std::vector<KeyOp> gone(ops.begin(), ops.begin() + begin);
        gone.insert(gone.end(), ops.begin() + end, ops.end());
        drop_orphans(&kept, &gone);
        if (kept.empty() || !sources_kept(ops, kept) || !still_fails(kept)) return false;
        out->swap(kept);
        return true;
    }

    // The same, removing [begin, end) instead of keeping it.
    bool remove_fails(const std::vector<KeyOp>& ops, size_t begin, size_t end,
                      std::vector<KeyOp>* out) {
        std::vector<KeyOp> rotated(ops.begin() + end, ops.end());
        rotated.insert(rotated.end(), ops.begin(), ops.begin() + begin);
        size_t kept = rotated.size();
        rotated.insert(rotated.end(), ops.begin() + begin, ops.begin() + end);
        return keep_fails(rotated, 0, kept, out);
    }

    // Binary searches for a short failing window in invocation order: first
    // its end, then its start. Failure is not monotone in the window, but
    // every window kept has been seen to fail, and checks shrink with it.
    std::vector<KeyOp> failing_window(std::vector<KeyOp> ops) {
        std::sort(ops.begin(), ops.end(), [](const KeyOp& a, const KeyOp& b) {
            return a.invoke_us != b.invoke_us ? a.invoke_us < b.invoke_us : a.index < b.index;
        });
        std::vector<KeyOp> best = ops, found;
        size_t lo = 1, hi = ops.size();
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (keep_fails(ops, 0, mid, &found)) {
                best.swap(found);
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        ops = best;
        size_t first = 0, last = ops.size() - 1;
        while (first < last) {
            size_t mid = first + (last - first + 1) / 2;
            if (keep_fails(ops, mid, ops.size(), &found)) {
                best.swap(found);
                first = mid;
            } else {
                last = mid - 1;
            }
        }
        return best;
    }

    // Removes chunks of `chunk` operations wherever the rest still fails;
    // returns whether anything was removed.
    bool remove_chunks(std::vector<KeyOp>* cur, size_t chunk) {
        bool removed = false;
        size_t start = 0;
        std::vector<KeyOp> found;
        while (start < cur->size() && checks_left > 0) {
            if (remove_fails(*cur, start, std::min(cur->size(), start + chunk), &found)) {
                cur->swap(found);
                removed = true;
            } else {
                start += chunk;
            }
        }
        return removed;
    }

    std::vector<KeyOp> reduce(std::vector<KeyOp> cur) {
        cur = failing_window(std::move(cur));
        for (size_t chunk = cur.size() / 2; chunk > 1; chunk /= 2) {
            remove_chunks(&cur, chunk);
        }
        // Single removals until none succeeds: removing a read can free the
        // write it observed. Bounded by checks_left.
        while (checks_left > 0 && remove_chunks(&cur, 1)) {
        }
        return cur;
    }
};

// ---------------------------------------------------------------------------
// Explanations.

std::string quoted(const std::string& s) {
    constexpr size_t kShown = 40;
    std::string out = "\"";
    out += s.size() > kShown ? s.substr(0, kShown) + "..." : s;
    return out + "\"";
}

std::string describe_op(const HistoryOp& o, size_t index) {
    std::string d = "#" + std::to_string(index) + " client " + std::to_string(o.client) + " " +
                    raft::op_name(o.op);
    if (o.op == raft::OpType::kPut || o.op == raft::OpType::kAppend) {
        d += "(" + quoted(o.value) + ")";
    }
    if (o.op == raft::OpType::kCas) d += "(" + quoted(o.expected) + " -> " + quoted(o.value) + ")";
    d += " [" + std::to_string(o.invoke_us) + ", ";
    d += o.status == OpStatus::kOk ? std::to_string(o.complete_us) + "]" : "...)";
    d += std::string(" ") + op_status_name(o.status);
    if (o.status == OpStatus::kOk && o.op == raft::OpType::kGet) {
        d += o.found ? " -> " + quoted(o.output) : " -> absent";
    }
    if (o.status == OpStatus::kOk && o.op == raft::OpType::kCas) {
        d += o.cas_ok ? " swapped" : " not swapped";
    }
    return d;
}

std::string explain_violation(HistoryView h, const std::string& key, size_t key_ops,
                              const std::vector<size_t>& witness, const std::string& note) {
    // A witness that could not be reduced far is cut short: the indexes are
    // all in LinResult::witness.
    constexpr size_t kListedMax = 32;
    std::string e = "key " + quoted(key) + ": these " + std::to_string(witness.size()) + " of " +
                    std::to_string(key_ops) +
                    " operations cannot be linearized (no order respects both real time and "
                    "the key-value model)" +
                    note + ":";
    for (size_t n = 0; n < witness.size() && n < kListedMax; ++n) {
        e += "\n  " + describe_op(h[witness[n]], witness[n]);
    }
    if (witness.size() > kListedMax) {
        e += "\n  ... and " + std::to_string(witness.size() - kListedMax) + " more";
    }
    return e;
}

// Well-formedness the search relies on; a bad history is "unknown", not a
// verdict about the system.
bool check_well_formed(HistoryView h, LinResult* r) {
    for (size_t i = 0; i < h.size(); ++i) {
        if (h[i].status == OpStatus::kOk && h[i].complete_us < h[i].invoke_us) {
            r->verdict = LinResult::kUnknown;
            r->key = h[i].key;
            r->explanation =
                "malformed history: " + describe_op(h[i], i) + " completes before it is invoked";
            return false;
        }
    }
    return true;
}

}  // namespace

namespace {

// Checks one key's operations; on a violation fills the witness (indexes
// into the history).
SearchOutcome check_key(const std::vector<KeyOp>& ops, uint64_t budget, uint64_t* states,
                        std::vector<size_t>* witness, std::string* note) {
    // Nothing observes the register (only puts, deletes and gets of unknown
    // outcome): any set of intervals has a linear extension, so any order of
    // the writes that respects real time is a linearization. Write-heavy
    // workloads (the fuzzer's) spend most of their checking time here.
    if (std::none_of(ops.begin(), ops.end(), is_observer)) return SearchOutcome::kOk;
    int32_t lone = unsourced_observer(ops);
    if (lone >= 0) {
        witness->push_back(ops[size_t(lone)].index);
        *note = ": it saw a value that no write invoked before it completed could have written";
        return SearchOutcome::kViolation;
    }
    std::vector<size_t> stale = overwritten_read(ops);
    if (!stale.empty()) {
        for (size_t i : stale)
            witness->push_back(ops[i].index);
        std::sort(witness->begin(), witness->end());
        *note = ": the read saw a value that a later write had certainly overwritten";
        return SearchOutcome::kViolation;
    }
    SearchOutcome out = search_key(ops, budget, states);
    if (out != SearchOutcome::kViolation) return out;
    Reducer reducer{std::min(budget, kReduceStatesMax)};
    for (const KeyOp& o : reducer.reduce(ops)) {
        witness->push_back(o.index);
    }
    std::sort(witness->begin(), witness->end());
    return out;
}

std::string explain_unknown(SearchOutcome out, uint64_t budget, const std::string& key,
                            size_t key_ops, size_t keys_done, size_t keys) {
    std::string why = out == SearchOutcome::kBudget
                          ? "budget of " + std::to_string(budget) + " explored states exhausted"
                          : std::string("state cache memory bound reached");
    return why + " on key " + quoted(key) + " (" + std::to_string(key_ops) + " operations) after " +
           std::to_string(keys_done) + " of " + std::to_string(keys) + " keys were linearized";
}

// A key without appends: interned values, the reductions, the witness reduction.
SearchOutcome check_interned_key(HistoryView h, const std::vector<size_t>& indexes, uint64_t budget,
                                 LinResult* r, size_t* key_ops, std::string* note) {
    std::vector<KeyOp> ops = build_key_ops(h, indexes);
    *key_ops = ops.size();
    return check_key(ops, budget, &r->states_explored, &r->witness, note);
}

// A key with an append: the search over whole values
// (linearizability_append.h).
SearchOutcome check_value_key(HistoryView h, const std::vector<size_t>& indexes, uint64_t budget,
                              LinResult* r, size_t* key_ops, std::string* note) {
    AppendSearchOutcome out =
        check_append_key(h, indexes, budget, &r->states_explored, &r->witness);
    *key_ops = indexes.size();
    switch (out) {
        case AppendSearchOutcome::kOk:
            return SearchOutcome::kOk;
        case AppendSearchOutcome::kViolation:
            *note = " (a key with appends: every operation the search weighed is listed)";
            return SearchOutcome::kViolation;
        case AppendSearchOutcome::kBudget:
            return SearchOutcome::kBudget;
        case AppendSearchOutcome::kMemory:
            return SearchOutcome::kMemory;
    }
    return SearchOutcome::kBudget;
}

}  // namespace

LinResult check_linearizable(HistoryView h, uint64_t max_states_explored) {
    LinResult r;
    if (!check_well_formed(h, &r)) return r;
    std::map<std::string, std::vector<size_t>> by_key;
    for (size_t i = 0; i < h.size(); ++i) {
        by_key[h[i].key].push_back(i);
    }
    size_t keys_done = 0;
    for (const auto& [key, indexes] : by_key) {
        // check_key's first rule, before building anything: a key that
        // nothing observes is linearizable (its KeyOps are a subset of these
        // operations, with the same kinds and outcomes).
        if (std::none_of(indexes.begin(), indexes.end(), [&](size_t i) {
                return (h[i].op == raft::OpType::kGet && h[i].status == OpStatus::kOk) ||
                       h[i].op == raft::OpType::kCas;
            })) {
            ++keys_done;
            continue;
        }
        size_t key_ops = 0;
        std::string note;
        SearchOutcome out =
            key_has_append(h, indexes)
                ? check_value_key(h, indexes, max_states_explored, &r, &key_ops, &note)
                : check_interned_key(h, indexes, max_states_explored, &r, &key_ops, &note);
        if (out == SearchOutcome::kOk) {
            ++keys_done;
            continue;
        }
        r.key = key;
        if (out == SearchOutcome::kViolation) {
            r.verdict = LinResult::kViolation;
            r.explanation = explain_violation(h, key, key_ops, r.witness, note);
        } else {
            r.verdict = LinResult::kUnknown;
            r.explanation =
                explain_unknown(out, max_states_explored, key, key_ops, keys_done, by_key.size());
        }
        return r;
    }
    r.verdict = LinResult::kOk;
    r.explanation = std::to_string(h.size()) + " operations on " + std::to_string(by_key.size()) +
                    " keys are linearizable";
    return r;
}

// ---------------------------------------------------------------------------
// The generator: intervals first, then the register applied in the order of
// the linearization points, which fills in what each read saw.

namespace {

struct Planned {
    int64_t lin_us;
    bool applied;
};

HistoryOp plan_op(base::Rng* rng, int keys, int32_t client, int64_t seq, int i,
                  const std::map<std::string, std::string>& last_written) {
    HistoryOp o;
    o.client = client;
    o.seq = seq;
    o.node = client % 5;
    o.key = "k" + std::to_string(rng->below(uint64_t(keys)));
    uint64_t kind = rng->below(100);
    o.op = kind < 35   ? raft::OpType::kPut
           : kind < 75 ? raft::OpType::kGet
           : kind < 80 ? raft::OpType::kDelete
                       : raft::OpType::kCas;
    if (o.op == raft::OpType::kPut || o.op == raft::OpType::kCas) o.value = "v" + std::to_string(i);
    if (o.op == raft::OpType::kCas) {
        auto it = last_written.find(o.key);
        o.expected = it == last_written.end() ? "v0" : it->second;
    }
    return o;
}

void apply_in_order(History* h, const std::vector<Planned>& plan) {
    std::vector<size_t> order;
    for (size_t i = 0; i < h->size(); ++i) {
        if (plan[i].applied) order.push_back(i);
    }
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return plan[a].lin_us != plan[b].lin_us ? plan[a].lin_us < plan[b].lin_us : a < b;
    });
    std::map<std::string, std::string> kv;
    for (size_t i : order) {
        HistoryOp& o = (*h)[i];
        auto it = kv.find(o.key);
        switch (o.op) {
            case raft::OpType::kPut:
                kv[o.key] = o.value;
                break;
            case raft::OpType::kDelete:
                kv.erase(o.key);
                break;
            case raft::OpType::kGet:
                o.found = it != kv.end();
                o.output = o.found ? it->second : "";
                break;
            case raft::OpType::kCas:
                o.cas_ok = it != kv.end() && it->second == o.expected;
                if (o.cas_ok) it->second = o.value;
                break;
            case raft::OpType::kAppend:  // never planned; applied for completeness
                kv[o.key] += o.value;
                break;
        }
    }
    // Only an ok completion tells the client what it saw.
    for (HistoryOp& o : *h) {
        if (o.status == OpStatus::kOk) continue;
        o.found = false;
        o.output.clear();
        o.cas_ok = false;
    }
}

}  // namespace

History generate_linearizable_history(int ops, int clients, int keys, uint64_t seed) {
    base::Rng rng(seed);  // unbiased draws (was splitmix64 % n)
    clients = std::max(clients, 1);
    keys = std::max(keys, 1);
    std::vector<int64_t> clock_us(size_t(clients), 0);
    std::vector<int64_t> seq(size_t(clients), 0);
    for (int64_t& c : clock_us) {
        c = int64_t(rng.below(1000));
    }
    std::map<std::string, std::string> last_written;
    History h;
    std::vector<Planned> plan;
    for (int i = 0; i < ops; ++i) {
        // The client whose previous operation ended first goes next, so
        // invocations come in time order and about `clients` overlap.
        int32_t c = int32_t(std::min_element(clock_us.begin(), clock_us.end()) - clock_us.begin());
        HistoryOp o = plan_op(&rng, keys, c, ++seq[size_t(c)], i, last_written);
        int64_t duration_us = 50 + int64_t(rng.below(2000));
        o.invoke_us = clock_us[size_t(c)];
        o.complete_us = o.invoke_us + duration_us;
        o.status = OpStatus::kOk;
        Planned p{o.invoke_us + int64_t(rng.below(uint64_t(duration_us) + 1)), true};
        uint64_t fate = rng.below(100);
        if (fate == 0) {
            o.status = OpStatus::kFail;
            p.applied = false;
        } else if (fate == 1) {
            // A timeout: the client moves on; the operation may still apply
            // later, or never.
            o.status = OpStatus::kUnknown;
            o.complete_us = -1;
            p.applied = rng.below(2) == 0;
            p.lin_us = o.invoke_us + int64_t(rng.below(uint64_t(duration_us) * 4 + 1));
        }
        clock_us[size_t(c)] = o.invoke_us + duration_us + int64_t(rng.below(300));
        if (o.op == raft::OpType::kPut || o.op == raft::OpType::kCas) last_written[o.key] = o.value;
        h.push_back(std::move(o));
        plan.push_back(p);
    }
    apply_in_order(&h, plan);
    return h;
}

}  // namespace sim
