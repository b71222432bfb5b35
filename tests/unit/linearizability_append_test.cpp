// tests/unit/linearizability_append_test.cpp — the checker on keys with
// appends (check/linearizability_append.*): exactly-once and order, unknown
// appends, mixes with put / delete / cas, agreement with a brute-force search
// on tiny random histories, and the history format's "append" records.
// Owns no production code.
#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "check/linearizability.h"
#include "format/history_json.h"

namespace sim {
namespace {

using raft::OpType;

constexpr uint64_t kBudget = 10'000'000;

HistoryOp make(int32_t client, OpType t, int64_t invoke_us, int64_t complete_us,
               OpStatus st = OpStatus::kOk) {
    HistoryOp o;
    o.client = client;
    o.op = t;
    o.key = "k";
    o.invoke_us = invoke_us;
    o.complete_us = st == OpStatus::kOk || st == OpStatus::kFail ? complete_us : -1;
    o.status = st;
    return o;
}
HistoryOp append(int32_t c, const std::string& v, int64_t a, int64_t b,
                 OpStatus st = OpStatus::kOk) {
    HistoryOp o = make(c, OpType::kAppend, a, b, st);
    o.value = v;
    return o;
}
HistoryOp put(int32_t c, const std::string& v, int64_t a, int64_t b) {
    HistoryOp o = make(c, OpType::kPut, a, b);
    o.value = v;
    return o;
}
HistoryOp get(int32_t c, const std::string& out, int64_t a, int64_t b) {
    HistoryOp o = make(c, OpType::kGet, a, b);
    o.found = true;
    o.output = out;
    return o;
}
HistoryOp get_absent(int32_t c, int64_t a, int64_t b) {
    return make(c, OpType::kGet, a, b);
}

LinResult::Verdict verdict(const History& h) {
    return check_linearizable(h, kBudget).verdict;
}

TEST(LinearizabilityAppend, SequentialAppendsConcatenateInOrder) {
    EXPECT_EQ(verdict({append(1, "a", 0, 10), append(1, "b", 20, 30), get(2, "ab", 40, 50)}),
              LinResult::kOk);
    // The appends returned in order a, b: "ba" puts b first.
    EXPECT_EQ(verdict({append(1, "a", 0, 10), append(1, "b", 20, 30), get(2, "ba", 40, 50)}),
              LinResult::kViolation);
    // An append to an absent key starts from the empty string.
    EXPECT_EQ(verdict({get_absent(2, 0, 5), append(1, "a", 10, 20), get(2, "a", 30, 40)}),
              LinResult::kOk);
}

TEST(LinearizabilityAppend, ADuplicatedAppendIsCaught) {
    // The exactly-once check: one append shows twice in the value.
    EXPECT_EQ(verdict({append(1, "x;", 0, 10), get(2, "x;x;", 20, 30)}), LinResult::kViolation);
    EXPECT_EQ(verdict({append(1, "x;", 0, 10), get(2, "x;", 20, 30)}), LinResult::kOk);
}

TEST(LinearizabilityAppend, ConcurrentAppendsTakeEitherOrderButOnlyOne) {
    History h = {append(1, "a", 0, 100), append(2, "b", 0, 100)};
    for (const char* seen : {"ab", "ba"}) {
        History x = h;
        x.push_back(get(3, seen, 200, 210));
        EXPECT_EQ(verdict(x), LinResult::kOk) << seen;
    }
    // Two readers after both appends must agree on the order.
    History split = h;
    split.push_back(get(3, "ab", 200, 210));
    split.push_back(get(4, "ba", 220, 230));
    EXPECT_EQ(verdict(split), LinResult::kViolation);
    // A read after both returned misses one: a lost append.
    History lost = h;
    lost.push_back(get(3, "a", 200, 210));
    EXPECT_EQ(verdict(lost), LinResult::kViolation);
}

TEST(LinearizabilityAppend, UnknownAppendsMayApplyOnceOrNever) {
    History h = {append(1, "a", 0, -1, OpStatus::kUnknown)};
    for (const char* seen : {"", "a"}) {
        History x = h;
        if (*seen != 0) {
            x.push_back(get(2, seen, 100, 110));
        } else {
            x.push_back(get_absent(2, 100, 110));
        }
        EXPECT_EQ(verdict(x), LinResult::kOk) << seen;
    }
    History twice = h;
    twice.push_back(get(2, "aa", 100, 110));
    EXPECT_EQ(verdict(twice), LinResult::kViolation);
    // Once seen, it stays: a later read without it is stale.
    History stale = h;
    stale.push_back(get(2, "a", 100, 110));
    stale.push_back(get_absent(3, 120, 130));
    EXPECT_EQ(verdict(stale), LinResult::kViolation);
    // A failed append never took effect.
    EXPECT_EQ(verdict({append(1, "a", 0, 10, OpStatus::kFail), get(2, "a", 20, 30)}),
              LinResult::kViolation);
}

TEST(LinearizabilityAppend, MixesWithPutDeleteAndCas) {
    HistoryOp del = make(1, OpType::kDelete, 20, 30);
    HistoryOp cas = make(1, OpType::kCas, 60, 70);
    cas.expected = "pb";
    cas.value = "z";
    cas.cas_ok = true;
    History h = {put(1, "p", 0, 10), append(2, "b", 11, 19), del, append(2, "c", 40, 50),
                 get(3, "c", 52, 55)};
    EXPECT_EQ(verdict(h), LinResult::kOk);
    h = {put(1, "p", 0, 10), append(2, "b", 11, 19), cas, get(3, "z", 80, 90)};
    EXPECT_EQ(verdict(h), LinResult::kOk);
    h[2].expected = "p";  // the value was "pb" then: the swap cannot have happened
    EXPECT_EQ(verdict(h), LinResult::kViolation);
}

TEST(LinearizabilityAppend, ViolationNamesTheKeyAndTheAppends) {
    const History h = {append(1, "x", 0, 10), get(2, "xx", 20, 30)};
    LinResult r = check_linearizable(h, kBudget);
    ASSERT_EQ(r.verdict, LinResult::kViolation);
    EXPECT_EQ(r.key, "k");
    EXPECT_EQ(r.witness, (std::vector<size_t>{0, 1}));
    EXPECT_NE(r.explanation.find("append(\"x\")"), std::string::npos) << r.explanation;
}

TEST(LinearizabilityAppend, ExhaustedBudgetIsUnknownNotAVerdict) {
    History h;
    for (int i = 0; i < 12; ++i)
        h.push_back(append(i, std::string(1, char('a' + i)), 0, 1000));
    h.push_back(get(99, "nope", 2000, 2010));
    EXPECT_EQ(check_linearizable(h, 50).verdict, LinResult::kUnknown);
    // Six concurrent appends: every order is tried (6! values) before the
    // verdict.
    History six(h.begin(), h.begin() + 6);
    six.push_back(h.back());
    EXPECT_EQ(check_linearizable(six, kBudget).verdict, LinResult::kViolation);
}

// ---------------------------------------------------------------------------
// Brute force: every order of every subset holding all ok operations.

using Value = std::optional<std::string>;

bool brute_step(const HistoryOp& o, Value* v) {
    const bool match = v->has_value() && **v == o.expected;
    switch (o.op) {
        case OpType::kPut:
            *v = o.value;
            return true;
        case OpType::kAppend:
            *v = v->value_or("") + o.value;
            return true;
        case OpType::kDelete:
            v->reset();
            return true;
        case OpType::kGet:
            return o.found ? v->has_value() && **v == o.output : !v->has_value();
        case OpType::kCas:
            if (o.status == OpStatus::kOk && !o.cas_ok) return !match;
            if (match) *v = o.value;
            return match;
    }
    return false;
}

bool brute_orders(const History& ops, std::vector<bool>* done, const Value& v) {
    bool complete = true;
    for (size_t i = 0; i < ops.size(); ++i)
        complete = complete && ((*done)[i] || ops[i].status != OpStatus::kOk);
    if (complete) return true;
    for (size_t i = 0; i < ops.size(); ++i) {
        bool minimal = !(*done)[i];
        for (size_t j = 0; j < ops.size() && minimal; ++j) {
            minimal = (*done)[j] || ops[j].status != OpStatus::kOk ||
                      ops[j].complete_us >= ops[i].invoke_us;
        }
        Value next = v;
        if (!minimal || !brute_step(ops[i], &next)) continue;
        (*done)[i] = true;
        const bool ok = brute_orders(ops, done, next);
        (*done)[i] = false;
        if (ok) return true;
    }
    return false;
}

bool brute_linearizable(const History& h) {
    History ops;
    for (const HistoryOp& o : h) {
        const bool dropped =
            o.status == OpStatus::kFail || (o.status != OpStatus::kOk && o.op == OpType::kGet);
        if (!dropped) ops.push_back(o);
    }
    std::vector<bool> done(ops.size(), false);
    return brute_orders(ops, &done, std::nullopt);
}

struct Lcg {
    uint64_t s;
    uint64_t below(uint64_t n) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return (s >> 33) % n;
    }
};

// One key, up to 7 operations, at least one append; reads observe short
// concatenations of "a" and "b" so that both verdicts are common.
History tiny_history(Lcg* rng) {
    const char* values[] = {"a", "b", "ab", "ba", "aa", ""};
    const OpStatus statuses[] = {OpStatus::kOk, OpStatus::kOk, OpStatus::kOk, OpStatus::kFail,
                                 OpStatus::kUnknown};
    const OpType kinds[] = {OpType::kAppend, OpType::kAppend, OpType::kGet, OpType::kGet,
                            OpType::kPut,    OpType::kDelete, OpType::kCas};
    History h = {append(0, "a", int64_t(rng->below(10)), 0)};
    h[0].complete_us = h[0].invoke_us + int64_t(rng->below(8));
    const size_t n = 1 + rng->below(6);
    for (size_t i = 0; i < n; ++i) {
        const int64_t a = int64_t(rng->below(20));
        HistoryOp o = make(int32_t(1 + rng->below(3)), kinds[rng->below(7)], a,
                           a + int64_t(rng->below(8)), statuses[rng->below(5)]);
        o.value = values[rng->below(2)];
        o.expected = values[rng->below(5)];
        o.found = rng->below(5) != 0;
        o.output = o.found ? values[rng->below(6)] : "";
        o.cas_ok = rng->below(2) == 0;
        h.push_back(o);
    }
    return h;
}

TEST(LinearizabilityAppend, AgreesWithBruteForceOnTinyHistories) {
    Lcg rng{18};
    int violations = 0;
    for (int i = 0; i < 6000; ++i) {
        History h = tiny_history(&rng);
        const bool expected = brute_linearizable(h);
        const LinResult r = check_linearizable(h, kBudget);
        ASSERT_NE(r.verdict, LinResult::kUnknown) << i;
        ASSERT_EQ(r.verdict == LinResult::kOk, expected)
            << "history " << i << ": " << history_to_jsonl(h);
        violations += expected ? 0 : 1;
    }
    EXPECT_GT(violations, 600);
    EXPECT_LT(violations, 5400);
}

TEST(LinearizabilityAppend, HistoryJsonCarriesAppends) {
    History h = {append(1, "a;", 0, 10), append(2, "b;", 5, -1, OpStatus::kUnknown),
                 get(3, "a;b;", 20, 30)};
    const std::string text = history_to_jsonl(h);
    EXPECT_NE(text.find("\"op\":\"append\""), std::string::npos) << text;
    History back;
    std::string error;
    ASSERT_TRUE(parse_history_jsonl(text, &back, &error)) << error;
    ASSERT_EQ(back.size(), 3u);
    EXPECT_EQ(back[0].op, OpType::kAppend);
    EXPECT_EQ(back[1].value, "b;");
    EXPECT_EQ(history_to_jsonl(back), text);
    // An append needs its value.
    const std::string bad =
        R"({"client":1,"op":"append","key":"k","invoke_us":1,"complete_us":2,"status":"ok"})";
    EXPECT_FALSE(parse_history_jsonl(bad, &back, &error));
    EXPECT_NE(error.find("value"), std::string::npos) << error;
}

}  // namespace
}  // namespace sim
