// check/linearizability_append.cpp — the value-state search for keys with an
// append (see linearizability_append.h).
//
// Invariant of the search, as in the main one: an operation is linearized
// only when every required operation that returned before its invocation is
// already linearized (its invocation is no later than the earliest return
// among the required operations left), and the model accepts it in the
// current state.
#include "check/linearizability_append.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

namespace sim {
namespace {

// The cache's bound, in approximate bytes (bitsets, values, tree nodes).
constexpr uint64_t kCacheBytesMax = uint64_t(256) << 20;

struct ValueOp {
    size_t index = 0;  // into the input history
    raft::OpType op = raft::OpType::kPut;
    bool required = true;
    int64_t invoke_us = 0;
    int64_t complete_us = 0;
    std::string value, expected, output;
    bool found = false;
    bool cas_ok = false;
};

// The key's value: absent, or a string (possibly empty).
struct Value {
    bool present = false;
    std::string v;
    // Spelled out: libc++ of Debian's emscripten has no <=> for std::string,
    // so a defaulted <=> is deleted there (the wasm build caught it).
    bool operator==(const Value& o) const { return present == o.present && v == o.v; }
    bool operator<(const Value& o) const {
        return present != o.present ? present < o.present : v < o.v;
    }
};

// Applies `o` to `s`; false when its recorded outcome contradicts `s`.
bool model_step(const ValueOp& o, const Value& s, Value* next) {
    *next = s;
    switch (o.op) {
        case raft::OpType::kPut:
            *next = Value{true, o.value};
            return true;
        case raft::OpType::kAppend:
            next->present = true;
            next->v += o.value;
            return true;
        case raft::OpType::kDelete:
            *next = Value{};
            return true;
        case raft::OpType::kGet:
            return o.found == s.present && (!o.found || o.output == s.v);
        case raft::OpType::kCas: {
            const bool matches = s.present && s.v == o.expected;
            // An optional cas that failed is indistinguishable from one that
            // never happened: only its successful form is linearized.
            if (!o.required || o.cas_ok) {
                if (matches) *next = Value{true, o.value};
                return matches;
            }
            return !matches;
        }
    }
    return false;
}

// Failed operations had no effect and reads of unknown outcome observed
// nothing: both are dropped. Sorted by invocation.
std::vector<ValueOp> build_ops(HistoryView h, const std::vector<size_t>& indexes) {
    std::vector<ValueOp> ops;
    for (size_t i : indexes) {
        const HistoryOp& o = h[i];
        if (o.status == OpStatus::kFail) continue;
        if (o.status != OpStatus::kOk && o.op == raft::OpType::kGet) continue;
        ValueOp k;
        k.index = i;
        k.op = o.op;
        k.required = o.status == OpStatus::kOk;
        k.invoke_us = o.invoke_us;
        k.complete_us = k.required ? o.complete_us : INT64_MAX;
        k.value = o.value;
        k.expected = o.expected;
        k.output = o.output;
        k.found = o.found;
        k.cas_ok = o.cas_ok;
        ops.push_back(std::move(k));
    }
    std::stable_sort(ops.begin(), ops.end(),
                     [](const ValueOp& a, const ValueOp& b) { return a.invoke_us < b.invoke_us; });
    return ops;
}

class ValueSearch {
  public:
    ValueSearch(std::vector<ValueOp> ops, uint64_t budget, uint64_t* states)
        : ops_(std::move(ops)), budget_(budget), states_(states), bits_((ops_.size() + 63) / 64) {
        for (const ValueOp& o : ops_)
            required_left_ += o.required ? 1 : 0;
    }

    // Each iteration advances the cursor, pushes (at most `budget` times) or
    // pops (at most as often as it pushed): bounded by the budget.
    AppendSearchOutcome run() {
        size_t cursor = 0;
        while (required_left_ > 0) {
            const int64_t limit_us = first_return_us();
            bool pushed = false;
            for (; cursor < ops_.size() && ops_[cursor].invoke_us <= limit_us; ++cursor) {
                if (is_linearized(cursor)) continue;
                Value next;
                if (!model_step(ops_[cursor], state_, &next)) continue;
                if (*states_ >= budget_) return AppendSearchOutcome::kBudget;
                ++*states_;
                if (!enter(cursor, std::move(next))) continue;
                if (cache_bytes_ > kCacheBytesMax) return AppendSearchOutcome::kMemory;
                cursor = 0;
                pushed = true;
                break;
            }
            if (pushed) continue;
            if (stack_.empty()) return AppendSearchOutcome::kViolation;
            cursor = leave() + 1;
        }
        return AppendSearchOutcome::kOk;
    }

  private:
    struct Frame {
        size_t op;
        Value before;
    };

    bool is_linearized(size_t i) const { return (bits_[i / 64] >> (i % 64)) & 1; }
    void flip(size_t i) { bits_[i / 64] ^= uint64_t(1) << (i % 64); }

    // The earliest return among the required operations not yet linearized.
    int64_t first_return_us() const {
        int64_t t = INT64_MAX;
        for (size_t i = 0; i < ops_.size(); ++i) {
            if (ops_[i].required && !is_linearized(i)) t = std::min(t, ops_[i].complete_us);
        }
        return t;
    }

    // Linearizes op i into state `next`; false (and nothing changed) when the
    // configuration was visited before.
    bool enter(size_t i, Value next) {
        flip(i);
        if (!seen_.emplace(bits_, next).second) {
            flip(i);
            return false;
        }
        cache_bytes_ += bits_.size() * 8 + next.v.size() + 96;
        stack_.push_back(Frame{i, std::move(state_)});
        state_ = std::move(next);
        if (ops_[i].required) --required_left_;
        return true;
    }

    // Undoes the last linearization; returns its operation.
    size_t leave() {
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        flip(f.op);
        if (ops_[f.op].required) ++required_left_;
        state_ = std::move(f.before);
        return f.op;
    }

    std::vector<ValueOp> ops_;
    uint64_t budget_;
    uint64_t* states_;
    std::vector<uint64_t> bits_;  // linearized operations
    size_t required_left_ = 0;
    Value state_;
    std::vector<Frame> stack_;
    std::set<std::pair<std::vector<uint64_t>, Value>> seen_;
    uint64_t cache_bytes_ = 0;
};

}  // namespace

bool key_has_append(HistoryView h, const std::vector<size_t>& indexes) {
    return std::any_of(indexes.begin(), indexes.end(), [&](size_t i) {
        return h[i].op == raft::OpType::kAppend && h[i].status != OpStatus::kFail;
    });
}

AppendSearchOutcome check_append_key(HistoryView h, const std::vector<size_t>& indexes,
                                     uint64_t budget, uint64_t* states,
                                     std::vector<size_t>* witness) {
    std::vector<ValueOp> ops = build_ops(h, indexes);
    std::vector<size_t> checked;
    for (const ValueOp& o : ops)
        checked.push_back(o.index);
    AppendSearchOutcome out = ValueSearch(std::move(ops), budget, states).run();
    if (out == AppendSearchOutcome::kViolation) {
        // No reduction: the witness is every operation the search weighed.
        std::sort(checked.begin(), checked.end());
        *witness = std::move(checked);
    }
    return out;
}

}  // namespace sim
