// tests/unit/linearizability_test.cpp — the linearizability checker and the
// history JSON-lines format.
//
// Hand-built histories pin the key-value semantics (put, get, delete, cas;
// ok / fail / unknown outcomes) and show the checker failing on stale reads,
// lost writes and bad cas outcomes; generated histories from a real
// linearizable register check scale, and one corrupted read must turn the
// verdict. Owns no production code.
#include "check/linearizability.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "format/history_json.h"

namespace sim {
namespace {

using raft::OpType;

constexpr uint64_t kBudget = 10'000'000;

// ---------------------------------------------------------------------------
// Builders. Times are microseconds; complete_us -1 marks unknown / pending.

HistoryOp make(int32_t client, OpType t, const std::string& key, int64_t invoke_us,
               int64_t complete_us, OpStatus st = OpStatus::kOk) {
    HistoryOp o;
    o.client = client;
    o.op = t;
    o.key = key;
    o.invoke_us = invoke_us;
    o.complete_us = st == OpStatus::kOk || st == OpStatus::kFail ? complete_us : -1;
    o.status = st;
    return o;
}
HistoryOp put(int32_t c, const std::string& k, const std::string& v, int64_t a, int64_t b,
              OpStatus st = OpStatus::kOk) {
    HistoryOp o = make(c, OpType::kPut, k, a, b, st);
    o.value = v;
    return o;
}
HistoryOp get(int32_t c, const std::string& k, const std::string& out, int64_t a, int64_t b,
              OpStatus st = OpStatus::kOk) {
    HistoryOp o = make(c, OpType::kGet, k, a, b, st);
    o.found = true;
    o.output = out;
    return o;
}
HistoryOp get_absent(int32_t c, const std::string& k, int64_t a, int64_t b) {
    return make(c, OpType::kGet, k, a, b);
}
HistoryOp del(int32_t c, const std::string& k, int64_t a, int64_t b, OpStatus st = OpStatus::kOk) {
    return make(c, OpType::kDelete, k, a, b, st);
}
HistoryOp cas(int32_t c, const std::string& k, const std::string& expected,
              const std::string& value, bool swapped, int64_t a, int64_t b,
              OpStatus st = OpStatus::kOk) {
    HistoryOp o = make(c, OpType::kCas, k, a, b, st);
    o.expected = expected;
    o.value = value;
    o.cas_ok = swapped;
    return o;
}

LinResult::Verdict verdict(const History& h) {
    return check_linearizable(h, kBudget).verdict;
}

// ---------------------------------------------------------------------------
// Basic semantics.

TEST(Linearizability, EmptyHistoryIsOk) {
    EXPECT_EQ(verdict({}), LinResult::kOk);
}

TEST(Linearizability, SequentialHistoryIsOk) {
    History h = {put(1, "x", "a", 0, 10),      get(1, "x", "a", 20, 30),  put(2, "y", "b", 25, 35),
                 put(1, "x", "c", 40, 50),     get(2, "x", "c", 60, 70),  del(1, "x", 80, 90),
                 get_absent(2, "x", 100, 110), get(1, "y", "b", 120, 130)};
    LinResult r = check_linearizable(h, kBudget);
    EXPECT_EQ(r.verdict, LinResult::kOk) << r.explanation;
    EXPECT_GT(r.states_explored, 0u);
    EXPECT_TRUE(r.witness.empty());
}

TEST(Linearizability, InitialStateIsAbsent) {
    EXPECT_EQ(verdict({get_absent(1, "x", 0, 10)}), LinResult::kOk);
    EXPECT_EQ(verdict({get(1, "x", "", 0, 10)}), LinResult::kViolation);
}

TEST(Linearizability, ConcurrentWritesAllowEitherFinalValue) {
    History writes = {put(1, "x", "1", 0, 100), put(2, "x", "2", 10, 90)};
    for (const char* seen : {"1", "2"}) {
        History h = writes;
        h.push_back(get(3, "x", seen, 200, 210));
        h.push_back(get(3, "x", seen, 220, 230));
        EXPECT_EQ(verdict(h), LinResult::kOk) << "final value " << seen;
    }
    // Both writes completed: the order is fixed for every later reader.
    History flip = writes;
    flip.push_back(get(3, "x", "1", 200, 210));
    flip.push_back(get(4, "x", "2", 220, 230));
    EXPECT_EQ(verdict(flip), LinResult::kViolation);
}

TEST(Linearizability, ReadsDuringConcurrentWritesMaySeeBothOrders) {
    History h = {put(1, "x", "1", 0, 100), put(2, "x", "2", 0, 100), get(3, "x", "2", 10, 20),
                 get(3, "x", "1", 30, 40)};
    EXPECT_EQ(verdict(h), LinResult::kOk);
    std::swap(h[2].output, h[3].output);
    EXPECT_EQ(verdict(h), LinResult::kOk);
}

TEST(Linearizability, OperationsTouchingAtOneInstantCountAsConcurrent) {
    // A completion and an invocation at the same microsecond are not ordered.
    EXPECT_EQ(verdict({put(1, "x", "a", 0, 10), get_absent(2, "x", 10, 20)}), LinResult::kOk);
    EXPECT_EQ(verdict({put(1, "x", "a", 0, 10), get_absent(2, "x", 11, 20)}),
              LinResult::kViolation);
}

// ---------------------------------------------------------------------------
// Violations and witnesses.

TEST(Linearizability, StaleReadAfterCompletedWriteIsViolationWithWitness) {
    History h = {put(1, "x", "0", 0, 5),     get(2, "x", "0", 6, 8),    put(3, "y", "q", 0, 100),
                 put(1, "x", "1", 10, 20),   put(2, "x", "2", 30, 40),  get(3, "x", "1", 50, 60),
                 get(1, "y", "q", 110, 120), get(2, "x", "2", 130, 140)};
    LinResult r = check_linearizable(h, kBudget);
    ASSERT_EQ(r.verdict, LinResult::kViolation) << r.explanation;
    EXPECT_EQ(r.key, "x");
    // The read of "1", the write of "1" it saw, and the completed write of
    // "2" in between; not the unrelated operations.
    EXPECT_EQ(r.witness, (std::vector<size_t>{3, 4, 5}));
    EXPECT_NE(r.explanation.find("#5 client 3 get"), std::string::npos) << r.explanation;
    EXPECT_NE(r.explanation.find("\"x\""), std::string::npos);
}

TEST(Linearizability, LostWriteIsViolation) {
    History h = {get_absent(2, "x", 0, 5), put(1, "x", "a", 10, 20), get_absent(2, "x", 30, 40)};
    LinResult r = check_linearizable(h, kBudget);
    ASSERT_EQ(r.verdict, LinResult::kViolation);
    EXPECT_EQ(r.witness, (std::vector<size_t>{1, 2}));

    // Overwritten and then lost: the reader sees the older value again.
    History h2 = {put(1, "x", "a", 0, 10), put(1, "x", "b", 20, 30), get(2, "x", "b", 40, 50),
                  get(2, "x", "a", 60, 70)};
    EXPECT_EQ(verdict(h2), LinResult::kViolation);
}

TEST(Linearizability, ViolationIsReportedForTheFailingKeyOnly) {
    History h = {put(1, "a", "1", 0, 10), get(2, "a", "1", 20, 30), put(1, "b", "1", 0, 10),
                 get(2, "b", "2", 20, 30)};
    LinResult r = check_linearizable(h, kBudget);
    ASSERT_EQ(r.verdict, LinResult::kViolation);
    EXPECT_EQ(r.key, "b");
    EXPECT_EQ(r.witness, (std::vector<size_t>{3}));  // nobody wrote "2"
}

TEST(Linearizability, DeleteSemantics) {
    EXPECT_EQ(verdict({put(1, "x", "a", 0, 10), del(1, "x", 20, 30), get_absent(2, "x", 40, 50)}),
              LinResult::kOk);
    EXPECT_EQ(verdict({put(1, "x", "a", 0, 10), del(1, "x", 20, 30), get(2, "x", "a", 40, 50)}),
              LinResult::kViolation);
    // Deleting an absent key is fine and keeps it absent.
    EXPECT_EQ(verdict({del(1, "x", 0, 10), get_absent(2, "x", 20, 30)}), LinResult::kOk);
}

// ---------------------------------------------------------------------------
// Compare-and-swap.

TEST(Linearizability, CasSwapsOnlyWhenExpectedMatches) {
    EXPECT_EQ(verdict({put(1, "x", "a", 0, 10), cas(1, "x", "a", "b", true, 20, 30),
                       get(2, "x", "b", 40, 50)}),
              LinResult::kOk);
    // A swap claimed on an absent key.
    EXPECT_EQ(verdict({cas(1, "x", "a", "b", true, 0, 10)}), LinResult::kViolation);
    // A swap claimed while the value was something else.
    EXPECT_EQ(verdict({put(1, "x", "c", 0, 10), cas(1, "x", "a", "b", true, 20, 30)}),
              LinResult::kViolation);
    // After a swap the old value is gone.
    EXPECT_EQ(verdict({put(1, "x", "a", 0, 10), cas(1, "x", "a", "b", true, 20, 30),
                       get(2, "x", "a", 40, 50)}),
              LinResult::kViolation);
}

TEST(Linearizability, FailedCasIsAnObservationAndChangesNothing) {
    // Not swapped although the value was the expected one: a violation.
    EXPECT_EQ(verdict({put(1, "x", "a", 0, 10), cas(1, "x", "a", "b", false, 20, 30)}),
              LinResult::kViolation);
    // Not swapped because the value differed (or was absent): fine, unchanged.
    EXPECT_EQ(verdict({put(1, "x", "c", 0, 10), cas(1, "x", "a", "b", false, 20, 30),
                       get(2, "x", "c", 40, 50)}),
              LinResult::kOk);
    EXPECT_EQ(verdict({cas(1, "x", "a", "b", false, 0, 10), get_absent(2, "x", 20, 30)}),
              LinResult::kOk);
    EXPECT_EQ(verdict({put(1, "x", "c", 0, 10), cas(1, "x", "a", "b", false, 20, 30),
                       get(2, "x", "b", 40, 50)}),
              LinResult::kViolation);
}

TEST(Linearizability, ConcurrentCasesOnlyOneWins) {
    History h = {put(1, "x", "a", 0, 10), cas(2, "x", "a", "b", true, 20, 50),
                 cas(3, "x", "a", "c", true, 20, 50)};
    EXPECT_EQ(verdict(h), LinResult::kViolation);
    h[2].cas_ok = false;
    h.push_back(get(1, "x", "b", 60, 70));
    EXPECT_EQ(verdict(h), LinResult::kOk);
}

// ---------------------------------------------------------------------------
// Unknown, pending and failed outcomes.

TEST(Linearizability, UnknownWriteMayOrMayNotHaveHappened) {
    for (OpStatus st : {OpStatus::kUnknown, OpStatus::kPending}) {
        History base = {put(1, "x", "a", 0, 10), put(2, "x", "b", 20, -1, st)};
        for (const char* seen : {"a", "b"}) {
            History h = base;
            h.push_back(get(3, "x", seen, 100, 110));
            EXPECT_EQ(verdict(h), LinResult::kOk) << op_status_name(st) << " read " << seen;
        }
    }
}

TEST(Linearizability, UnknownWriteTakesEffectAfterInvokeAndAtMostOnce) {
    // It cannot be seen before it was invoked.
    EXPECT_EQ(verdict({get(1, "x", "b", 0, 10), put(2, "x", "b", 20, -1, OpStatus::kUnknown)}),
              LinResult::kViolation);
    // It may take effect long after the client gave up...
    History h = {put(1, "x", "a", 0, 10), put(2, "x", "b", 20, -1, OpStatus::kUnknown),
                 get(3, "x", "a", 1000, 1010), get(3, "x", "b", 2000, 2010)};
    EXPECT_EQ(verdict(h), LinResult::kOk);
    // ...but only once: "a" cannot come back afterwards.
    h.push_back(get(3, "x", "a", 3000, 3010));
    EXPECT_EQ(verdict(h), LinResult::kViolation);
}

TEST(Linearizability, UnknownDeleteAndCasMayOrMayNotApply) {
    History d = {put(1, "x", "a", 0, 10), del(2, "x", 20, -1, OpStatus::kUnknown)};
    History d_seen = d, d_not = d;
    d_seen.push_back(get_absent(3, "x", 100, 110));
    d_not.push_back(get(3, "x", "a", 100, 110));
    EXPECT_EQ(verdict(d_seen), LinResult::kOk);
    EXPECT_EQ(verdict(d_not), LinResult::kOk);

    History c = {put(1, "x", "a", 0, 10), cas(2, "x", "a", "b", false, 20, -1, OpStatus::kUnknown)};
    History c_seen = c, c_not = c;
    c_seen.push_back(get(3, "x", "b", 100, 110));
    c_not.push_back(get(3, "x", "a", 100, 110));
    EXPECT_EQ(verdict(c_seen), LinResult::kOk);
    EXPECT_EQ(verdict(c_not), LinResult::kOk);
    // An unknown cas can only have swapped from its expected value.
    History c_bad = {put(1, "x", "z", 0, 10),
                     cas(2, "x", "a", "b", false, 20, -1, OpStatus::kUnknown),
                     get(3, "x", "b", 100, 110)};
    EXPECT_EQ(verdict(c_bad), LinResult::kViolation);
}

TEST(Linearizability, UnknownWriteCanExplainAFailedCas) {
    // The failed cas needs a value other than "a"; only the unknown put of
    // "z" (whose value nobody reads) can provide it.
    History h = {put(1, "x", "a", 0, 10), put(2, "x", "z", 20, -1, OpStatus::kUnknown),
                 cas(3, "x", "a", "b", false, 100, 110)};
    EXPECT_EQ(verdict(h), LinResult::kOk);
    h[1].status = OpStatus::kFail;
    h[1].complete_us = 30;
    EXPECT_EQ(verdict(h), LinResult::kViolation);
}

TEST(Linearizability, UnknownAndFailedReadsAreIgnored) {
    History h = {put(1, "x", "a", 0, 10), get(2, "x", "garbage", 20, -1, OpStatus::kUnknown),
                 get(2, "x", "garbage", 30, 40, OpStatus::kFail), get(3, "x", "a", 50, 60)};
    EXPECT_EQ(verdict(h), LinResult::kOk);
}

TEST(Linearizability, FailedWritesDidNotHappen) {
    History h = {put(1, "x", "a", 0, 10), put(2, "x", "b", 20, 30, OpStatus::kFail),
                 del(2, "x", 32, 35, OpStatus::kFail), get(3, "x", "a", 40, 50)};
    EXPECT_EQ(verdict(h), LinResult::kOk);
    h[3].output = "b";
    EXPECT_EQ(verdict(h), LinResult::kViolation);
}

// ---------------------------------------------------------------------------
// Budget, malformed input, determinism.

TEST(Linearizability, MalformedIntervalIsUnknown) {
    LinResult r = check_linearizable(History{put(1, "x", "a", 50, 10)}, kBudget);
    EXPECT_EQ(r.verdict, LinResult::kUnknown);
    EXPECT_NE(r.explanation.find("malformed"), std::string::npos);
}

TEST(Linearizability, VerdictNames) {
    EXPECT_STREQ(lin_verdict_name(LinResult::kOk), "ok");
    EXPECT_STREQ(lin_verdict_name(LinResult::kViolation), "violation");
    EXPECT_STREQ(lin_verdict_name(LinResult::kUnknown), "unknown");
}

bool same_op(const HistoryOp& a, const HistoryOp& b) {
    return a.client == b.client && a.seq == b.seq && a.op == b.op && a.key == b.key &&
           a.value == b.value && a.expected == b.expected && a.invoke_us == b.invoke_us &&
           a.complete_us == b.complete_us && a.status == b.status && a.found == b.found &&
           a.output == b.output && a.cas_ok == b.cas_ok && a.node == b.node;
}

TEST(Linearizability, GeneratorAndCheckerAreDeterministic) {
    History a = generate_linearizable_history(3000, 10, 5, 42);
    History b = generate_linearizable_history(3000, 10, 5, 42);
    ASSERT_EQ(a.size(), 3000u);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        ASSERT_TRUE(same_op(a[i], b[i])) << i;
    }
    History c = generate_linearizable_history(3000, 10, 5, 43);
    EXPECT_FALSE(same_op(a[10], c[10]) && same_op(a[11], c[11]) && same_op(a[12], c[12]));
    EXPECT_EQ(check_linearizable(a, kBudget).states_explored,
              check_linearizable(b, kBudget).states_explored);
}

// ---------------------------------------------------------------------------
// Generated histories at scale.

double check_ms(const History& h, LinResult* r) {
    auto t0 = std::chrono::steady_clock::now();
    *r = check_linearizable(h, kBudget);
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

TEST(Linearizability, GeneratedTenThousandOpsAreLinearizable) {
    struct Shape {
        int clients, keys;
    };
    for (Shape s : {Shape{10, 100}, Shape{10, 10}, Shape{10, 1}}) {
        History h = generate_linearizable_history(10'000, s.clients, s.keys, 1234);
        int unknown = 0, failed = 0;
        for (const HistoryOp& o : h) {
            unknown += o.status == OpStatus::kUnknown;
            failed += o.status == OpStatus::kFail;
        }
        EXPECT_GT(unknown, 0);  // the generator exercises uncertain outcomes
        EXPECT_GT(failed, 0);
        LinResult r;
        double ms = check_ms(h, &r);
        EXPECT_EQ(r.verdict, LinResult::kOk) << r.explanation;
        // Deterministic guard against a search that stops pruning: about
        // one state per operation, a few more on one hot key.
        EXPECT_LT(r.states_explored, s.keys == 1 ? 60'000u : 20'000u);
        std::printf("[ info ] 10k ops, %d clients, %d keys: %.1f ms, %llu states\n", s.clients,
                    s.keys, ms, (unsigned long long)r.states_explored);
    }
}

TEST(Linearizability, GeneratedHistoryWithCorruptedReadIsViolation) {
    History h = generate_linearizable_history(10'000, 10, 100, 99);
    size_t victim = h.size();
    for (size_t i = h.size() / 2; i < h.size(); ++i) {
        if (h[i].op == OpType::kGet && h[i].status == OpStatus::kOk) {
            victim = i;
            break;
        }
    }
    ASSERT_LT(victim, h.size());
    h[victim].found = true;
    h[victim].output = "corrupt";
    LinResult r;
    double ms = check_ms(h, &r);
    ASSERT_EQ(r.verdict, LinResult::kViolation) << r.explanation;
    EXPECT_EQ(r.key, h[victim].key);
    EXPECT_EQ(r.witness, (std::vector<size_t>{victim}));
    EXPECT_NE(r.explanation.find("no write"), std::string::npos) << r.explanation;
    std::printf("[ info ] corrupted 10k ops: %.1f ms, %llu states\n", ms,
                (unsigned long long)r.states_explored);
}

// Finds a read that certainly saw a stale value: an ok put p of value v, an
// ok put q entirely after p and entirely before an ok read g of the same key.
// Values are unique, so g returning v cannot be linearized.
bool make_stale(History* h, size_t* p_out, size_t* g_out) {
    for (size_t g = h->size() / 2; g < h->size(); ++g) {
        const HistoryOp& r = (*h)[g];
        if (r.op != OpType::kGet || r.status != OpStatus::kOk) continue;
        for (size_t q = 0; q < g; ++q) {
            const HistoryOp& w = (*h)[q];
            if (w.key != r.key || w.op != OpType::kPut || w.status != OpStatus::kOk ||
                w.complete_us >= r.invoke_us) {
                continue;
            }
            for (size_t p = 0; p < q; ++p) {
                const HistoryOp& s = (*h)[p];
                if (s.key == r.key && s.op == OpType::kPut && s.status == OpStatus::kOk &&
                    s.complete_us < w.invoke_us && s.value != r.output) {
                    (*h)[g].found = true;
                    (*h)[g].output = s.value;
                    *p_out = p;
                    *g_out = g;
                    return true;
                }
            }
        }
    }
    return false;
}

TEST(Linearizability, GeneratedHistoryWithStaleReadIsViolation) {
    History h = generate_linearizable_history(10'000, 10, 100, 5);
    ASSERT_EQ(verdict(h), LinResult::kOk);
    size_t p = 0, g = 0;
    ASSERT_TRUE(make_stale(&h, &p, &g));
    LinResult r = check_linearizable(h, kBudget);
    ASSERT_EQ(r.verdict, LinResult::kViolation) << r.explanation;
    EXPECT_EQ(r.key, h[g].key);
    EXPECT_TRUE(std::count(r.witness.begin(), r.witness.end(), g));
    EXPECT_TRUE(std::count(r.witness.begin(), r.witness.end(), p));
    EXPECT_EQ(r.witness.size(), 3u) << r.explanation;
    EXPECT_NE(r.explanation.find("overwritten"), std::string::npos) << r.explanation;
}

// Appends, long after everything on the key of the last operation, two
// concurrent puts and then two reads that see them in both orders: no quick
// check catches it, and the search must exhaust every order of the
// operations before. Returns the index of the first appended operation.
size_t append_late_flip(History* h) {
    size_t first = h->size();
    std::string key = h->back().key;
    h->push_back(put(97, key, "flip-a", 100'000'000, 100'000'010));
    h->push_back(put(98, key, "flip-b", 100'000'000, 100'000'010));
    h->push_back(get(97, key, "flip-a", 100'000'020, 100'000'030));
    h->push_back(get(98, key, "flip-b", 100'000'040, 100'000'050));
    return first;
}

TEST(Linearizability, WitnessIsSmallForViolationAtTheEndOfAHotKey) {
    // 1500 operations of 8 clients on one key.
    History h = generate_linearizable_history(1500, 8, 1, 21);
    size_t first = append_late_flip(&h);
    LinResult r = check_linearizable(h, kBudget);
    ASSERT_EQ(r.verdict, LinResult::kViolation) << r.explanation;
    EXPECT_GT(r.states_explored, 1500u);  // it took a search, not a quick check
    EXPECT_EQ(r.witness, (std::vector<size_t>{first, first + 1, first + 2, first + 3}))
        << r.explanation;
}

TEST(Linearizability, ExhaustedBudgetAnswersUnknownNeverAVerdict) {
    History ok = generate_linearizable_history(2000, 8, 4, 7);
    LinResult r = check_linearizable(ok, 50);
    EXPECT_EQ(r.verdict, LinResult::kUnknown);
    EXPECT_LE(r.states_explored, 50u);
    EXPECT_NE(r.explanation.find("budget"), std::string::npos) << r.explanation;
    EXPECT_EQ(check_linearizable(ok, 0).verdict, LinResult::kUnknown);
    EXPECT_EQ(check_linearizable(ok, kBudget).verdict, LinResult::kOk);

    // A violation only an exhausted search finds: a small budget must not
    // claim a verdict.
    History bad = generate_linearizable_history(400, 8, 1, 8);
    append_late_flip(&bad);
    LinResult small = check_linearizable(bad, 100);
    EXPECT_EQ(small.verdict, LinResult::kUnknown) << small.explanation;
    EXPECT_TRUE(small.witness.empty());
    EXPECT_EQ(check_linearizable(bad, kBudget).verdict, LinResult::kViolation);
}

// ---------------------------------------------------------------------------
// Agreement with brute force. The search prunes (forced reads, optional
// operations only right before the operation that needs them, twins, cache
// dominance, reads-from order); an exhaustive enumeration of orders on tiny
// histories, written independently on strings, must agree with every verdict,
// and every witness must itself be non-linearizable.

struct SplitMix64 {
    uint64_t s;
    uint64_t next() {
        uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    uint64_t below(uint64_t n) { return next() % n; }
};

using Value = std::optional<std::string>;

bool brute_step(const HistoryOp& o, Value* v) {
    bool match = v->has_value() && **v == o.expected;
    switch (o.op) {
        case OpType::kPut:
            *v = o.value;
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
        case OpType::kAppend:
            *v = v->value_or("") + o.value;
            return true;
    }
    return false;
}

// Tries every order of every subset that contains all ok operations.
bool brute_orders(const History& ops, std::vector<bool>* done, const Value& v) {
    bool complete = true;
    for (size_t i = 0; i < ops.size(); ++i) {
        complete = complete && ((*done)[i] || ops[i].status != OpStatus::kOk);
    }
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
        bool ok = brute_orders(ops, done, next);
        (*done)[i] = false;
        if (ok) return true;
    }
    return false;
}

bool brute_linearizable(const History& h) {
    std::set<std::string> keys;
    for (const HistoryOp& o : h)
        keys.insert(o.key);
    for (const std::string& k : keys) {
        History ops;
        for (const HistoryOp& o : h) {
            bool dropped =
                o.status == OpStatus::kFail || (o.status != OpStatus::kOk && o.op == OpType::kGet);
            if (o.key == k && !dropped) ops.push_back(o);
        }
        std::vector<bool> done(ops.size(), false);
        if (!brute_orders(ops, &done, std::nullopt)) return false;
    }
    return true;
}

// A tiny history: random intervals with much overlap, few values, every
// status. Family 0: random outcomes. Family 1: outcomes from a register
// applied at points inside the intervals, then maybe one field corrupted.
// Family 2: as 1, with half the operations of unknown outcome.
History tiny_history(SplitMix64* rng, int family) {
    const char* values[] = {"a", "b", "c"};
    const std::array<OpStatus, 8> statuses = {
        OpStatus::kOk, OpStatus::kOk,   OpStatus::kOk,      OpStatus::kOk,
        OpStatus::kOk, OpStatus::kFail, OpStatus::kUnknown, OpStatus::kPending};
    size_t n = 1 + rng->below(7);
    History h;
    std::vector<std::pair<int64_t, size_t>> points;  // (time it takes effect, index)
    for (size_t i = 0; i < n; ++i) {
        OpStatus st = statuses[rng->below(8)];
        if (family == 2) st = rng->below(2) == 0 ? OpStatus::kOk : OpStatus::kUnknown;
        int64_t a = int64_t(rng->below(20));
        HistoryOp o = make(int32_t(rng->below(3)), OpType(rng->below(4)),
                           rng->below(5) == 0 ? "y" : "x", a, a + int64_t(rng->below(8)), st);
        o.value = values[rng->below(3)];
        o.expected = values[rng->below(3)];
        o.found = rng->below(4) != 0;
        o.output = o.found ? values[rng->below(3)] : "";
        o.cas_ok = rng->below(2) == 0;
        int64_t end = st == OpStatus::kOk ? o.complete_us : a + 30;
        bool applied = st == OpStatus::kOk || (st != OpStatus::kFail && rng->below(2) == 0);
        if (applied) points.push_back({a + int64_t(rng->below(uint64_t(end - a) + 1)), i});
        h.push_back(o);
    }
    if (family == 0) return h;
    std::sort(points.begin(), points.end());
    std::map<std::string, Value> kv;
    for (const auto& [t, i] : points) {
        HistoryOp& o = h[i];
        Value& v = kv[o.key];
        o.found = v.has_value();
        o.output = o.found && o.op == OpType::kGet ? *v : "";
        o.cas_ok = v.has_value() && *v == o.expected;
        if (o.op != OpType::kGet) brute_step(o, &v);
    }
    if (rng->below(2) == 0) {
        HistoryOp& o = h[rng->below(n)];
        o.found = !o.found;
        o.output = o.found ? values[rng->below(3)] : "";
        o.cas_ok = !o.cas_ok;
    }
    return h;
}

TEST(Linearizability, AgreesWithBruteForceOnTinyHistories) {
    SplitMix64 rng{2024};
    int violations = 0;
    for (int i = 0; i < 9000; ++i) {
        History h = tiny_history(&rng, i % 3);
        bool expected = brute_linearizable(h);
        LinResult r = check_linearizable(h, kBudget);
        ASSERT_NE(r.verdict, LinResult::kUnknown) << i;
        ASSERT_EQ(r.verdict == LinResult::kOk, expected)
            << "history " << i << ": " << history_to_jsonl(h);
        if (expected) continue;
        ++violations;
        History w;
        for (size_t k : r.witness)
            w.push_back(h[k]);
        ASSERT_FALSE(w.empty());
        EXPECT_FALSE(brute_linearizable(w)) << "witness of history " << i << " linearizes";
    }
    // Both verdicts must be well represented for the comparison to mean much.
    EXPECT_GT(violations, 1000);
    EXPECT_LT(violations, 8000);
}

// ---------------------------------------------------------------------------
// JSON lines.

TEST(HistoryJson, StatusNames) {
    EXPECT_STREQ(op_status_name(OpStatus::kPending), "pending");
    EXPECT_STREQ(op_status_name(OpStatus::kOk), "ok");
    EXPECT_STREQ(op_status_name(OpStatus::kFail), "fail");
    EXPECT_STREQ(op_status_name(OpStatus::kUnknown), "unknown");
}

History tricky_history() {
    History h = {put(1, "x", "quote\" back\\slash\nnewline\ttab", 0, 10),
                 get(2, "x", "", 20, 30),  // found an empty string: not the same as absent
                 get_absent(2, "ключ ✓", 40, 50),
                 del(3, "x", 60, -1, OpStatus::kPending),
                 cas(4, "x", "a", "b", true, 70, 80),
                 cas(4, "x", "a", "b", false, 90, 100),
                 put(5, "x", "v", 110, 120, OpStatus::kFail)};
    h[0].seq = 9'000'000'000'000;
    h[0].node = 4;
    h[1].node = -1;
    h.back().value.push_back('\0');  // embedded NUL survives
    return h;
}

TEST(HistoryJson, RoundTrip) {
    History h = tricky_history();
    History gen = generate_linearizable_history(500, 4, 3, 11);
    h.insert(h.end(), gen.begin(), gen.end());
    std::string text = history_to_jsonl(h);
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), long(h.size()));
    History back;
    std::string error;
    ASSERT_TRUE(parse_history_jsonl(text, &back, &error)) << error;
    ASSERT_EQ(back.size(), h.size());
    for (size_t i = 0; i < h.size(); ++i) {
        EXPECT_TRUE(same_op(h[i], back[i])) << i;
    }
    EXPECT_EQ(history_to_jsonl(back), text);
}

TEST(HistoryJson, FileRoundTrip) {
    History h = generate_linearizable_history(200, 3, 2, 3);
    std::string path = testing::TempDir() + "raftplay_history_test.jsonl";
    std::string error;
    ASSERT_TRUE(write_history_file(path, h, &error)) << error;
    History back;
    ASSERT_TRUE(read_history_file(path, &back, &error)) << error;
    ASSERT_EQ(back.size(), h.size());
    for (size_t i = 0; i < h.size(); ++i) {
        EXPECT_TRUE(same_op(h[i], back[i])) << i;
    }
    std::remove(path.c_str());
    EXPECT_FALSE(read_history_file(path, &back, &error));
    EXPECT_NE(error.find(path), std::string::npos) << error;
}

TEST(HistoryJson, MinimalRecordsAndNullsAreAccepted) {
    std::string text =
        "\n"
        R"({"client":1,"op":"get","key":"k","invoke_us":5,"complete_us":9,"status":"ok","output":null})"
        "\n  \r\n"
        R"({"client":2,"op":"get","key":"k","invoke_us":5,"complete_us":9,"status":"ok","output":"v"})"
        "\n"
        R"({"client":3,"op":"put","key":"k","value":"v","invoke_us":5,"complete_us":null,"status":"unknown"})";
    History h;
    std::string error;
    ASSERT_TRUE(parse_history_jsonl(text, &h, &error)) << error;
    ASSERT_EQ(h.size(), 3u);
    EXPECT_FALSE(h[0].found);
    EXPECT_TRUE(h[1].found);
    EXPECT_EQ(h[1].output, "v");
    EXPECT_EQ(h[2].complete_us, -1);
    EXPECT_EQ(h[2].node, -1);
    EXPECT_TRUE(parse_history_jsonl("", &h, &error));
    EXPECT_TRUE(h.empty());
}

struct BadLine {
    const char* name;
    std::string line;
    std::vector<std::string> expect_in_error;
};

TEST(HistoryJson, BadLinesNameLineFieldAndReason) {
    const std::string good =
        R"({"client":1,"op":"put","key":"k","value":"v","invoke_us":1,"complete_us":2,"status":"ok"})";
    std::vector<BadLine> cases = {
        {"truncated", R"({"client":1,"op":"put","key":"k")", {"line 2", "invalid JSON"}},
        {"not an object", "[1,2]", {"line 2", "expected a JSON object"}},
        {"trailing garbage", good + " x", {"line 2", "invalid JSON"}},
        {"wrong type",
         R"({"client":"one","op":"put","key":"k","value":"v","invoke_us":1,"complete_us":2,"status":"ok"})",
         {"line 2", "\"client\"", "expected an integer"}},
        {"float time",
         R"({"client":1,"op":"put","key":"k","value":"v","invoke_us":1.5,"complete_us":2,"status":"ok"})",
         {"\"invoke_us\"", "expected an integer"}},
        {"unknown op",
         R"({"client":1,"op":"puut","key":"k","value":"v","invoke_us":1,"complete_us":2,"status":"ok"})",
         {"line 2", "\"op\"", "unknown op \"puut\""}},
        {"unknown status",
         R"({"client":1,"op":"put","key":"k","value":"v","invoke_us":1,"complete_us":2,"status":"done"})",
         {"\"status\"", "unknown status"}},
        {"missing key",
         R"({"client":1,"op":"put","value":"v","invoke_us":1,"complete_us":2,"status":"ok"})",
         {"line 2", "\"key\"", "missing"}},
        {"missing value for put",
         R"({"client":1,"op":"put","key":"k","invoke_us":1,"complete_us":2,"status":"ok"})",
         {"\"value\"", "missing"}},
        {"missing expected for cas",
         R"({"client":1,"op":"cas","key":"k","value":"v","invoke_us":1,"complete_us":2,"status":"ok","cas_ok":true})",
         {"\"expected\"", "missing"}},
        {"missing cas_ok",
         R"({"client":1,"op":"cas","key":"k","value":"v","expected":"e","invoke_us":1,"complete_us":2,"status":"ok"})",
         {"\"cas_ok\"", "missing"}},
        {"ok without completion",
         R"({"client":1,"op":"put","key":"k","value":"v","invoke_us":1,"complete_us":null,"status":"ok"})",
         {"\"complete_us\"", "missing"}},
        {"completes before invoke",
         R"({"client":1,"op":"put","key":"k","value":"v","invoke_us":5,"complete_us":2,"status":"ok"})",
         {"\"complete_us\"", "earlier than invoke_us"}},
        {"negative time",
         R"({"client":1,"op":"put","key":"k","value":"v","invoke_us":-5,"complete_us":2,"status":"ok"})",
         {"\"invoke_us\"", "negative"}},
        {"found without output",
         R"({"client":1,"op":"get","key":"k","invoke_us":1,"complete_us":2,"status":"ok","found":true})",
         {"\"output\"", "missing"}},
        {"ok get without outcome",
         R"({"client":1,"op":"get","key":"k","invoke_us":1,"complete_us":2,"status":"ok"})",
         {"\"found\"", "missing"}},
        {"unknown field",
         R"({"client":1,"op":"put","key":"k","value":"v","invoke_us":1,"complete_us":2,"status":"ok","nodee":1})",
         {"\"nodee\"", "unknown field"}},
        {"client out of range",
         R"({"client":4294967296,"op":"put","key":"k","value":"v","invoke_us":1,"complete_us":2,"status":"ok"})",
         {"\"client\"", "32-bit"}},
        {"deep nesting", std::string(100'000, '['), {"line 2", "invalid JSON"}},
        {"nul byte", std::string("{\"client\":1\0}", 13), {"line 2", "invalid JSON"}},
    };
    for (const BadLine& c : cases) {
        History h;
        std::string error;
        EXPECT_FALSE(parse_history_jsonl(good + "\n" + c.line + "\n" + good + "\n", &h, &error))
            << c.name;
        EXPECT_TRUE(h.empty()) << c.name;
        for (const std::string& s : c.expect_in_error) {
            EXPECT_NE(error.find(s), std::string::npos) << c.name << ": " << error;
        }
    }
}

TEST(HistoryJson, LineNumbersCountBlankLines) {
    History h;
    std::string error;
    EXPECT_FALSE(parse_history_jsonl("\n\n{\"client\":1}\n", &h, &error));
    EXPECT_EQ(error.rfind("line 3: ", 0), 0u) << error;
}

}  // namespace
}  // namespace sim
