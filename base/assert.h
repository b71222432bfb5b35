// base/assert.h — always-on assertions (after TigerBeetle's style), the
// bottom layer's third job beside rng.h and hash.h.
//
// base/ owns what every layer needs and nothing that knows about Raft: the
// PRNG (rng.h), the stable hashes (hash.h) and these assertions. It includes
// only the standard library; every other layer may include it.
//
// ASSERT(cond) stays on in every build (Release, WebAssembly, fuzzing): a
// programmer error caught late is a wrong digest or a corrupted log, which is
// worse than an abort. Expected conditions (a stale term, bad input) are
// return values, never assertions. ASSERT_CMP prints both operands:
//   ASSERT_CMP(match_index, <=, last_index);
// A failure prints the expression, the file and line, the operands, and then
// whatever the innermost AssertContext on this thread adds (the simulation
// registers the seed and the exact command that reproduces the run), then
// aborts.
//
// Invariant sweeps (whole-object checks after every step, too slow for
// Release) run when invariant_checks() is on: in Debug builds, in the test
// suites (they switch it on) and with RAFTPLAY_INVARIANTS=1 in the
// environment.
#pragma once

#include <cstdint>

namespace base {

[[noreturn]] void assert_fail(const char* expr, const char* file, int line, const char* detail);
[[noreturn]] void assert_cmp_fail(const char* expr, const char* file, int line, int64_t a,
                                  int64_t b);

// While alive, a failed assertion on this thread calls describe(arg) to print
// what reproduces the failure. Nested contexts stack; the innermost prints.
class AssertContext {
  public:
    using Describe = void (*)(const void* arg);
    AssertContext(Describe describe, const void* arg);
    ~AssertContext();
    AssertContext(const AssertContext&) = delete;
    AssertContext& operator=(const AssertContext&) = delete;

  private:
    friend void print_assert_context();
    Describe describe_;
    const void* arg_;
    AssertContext* outer_;
};
void print_assert_context();

// Whether the expensive invariant sweeps run (see the header comment).
// Constant-initialized (-1: not yet read from the environment): whichever
// of assert.cpp's static initializer (which reads the environment) and a
// set_invariant_checks() in another file's static initializer runs first,
// the explicit setting wins. Decided during static initialization, before
// any thread starts, and only read after: no atomic needed.
namespace detail {
inline int g_invariant_checks = -1;
bool invariant_checks_from_environment();
}  // namespace detail
inline bool invariant_checks() {
    const int on = detail::g_invariant_checks;
    return on >= 0 ? on != 0 : detail::invariant_checks_from_environment();
}
inline void set_invariant_checks(bool on) {
    detail::g_invariant_checks = on ? 1 : 0;
}

}  // namespace base

#define ASSERT(cond) \
    ((cond) ? static_cast<void>(0) : ::base::assert_fail(#cond, __FILE__, __LINE__, nullptr))
// ASSERT with a sentence saying what the broken rule is.
#define ASSERT_MSG(cond, detail) \
    ((cond) ? static_cast<void>(0) : ::base::assert_fail(#cond, __FILE__, __LINE__, (detail)))
// An unreachable branch.
#define ASSERT_UNREACHABLE(detail) ::base::assert_fail("unreachable", __FILE__, __LINE__, (detail))

// A comparison that prints both operands (as int64) when it fails:
//   ASSERT_CMP(match_index, <, next_index);
// (Not ASSERT_LT and friends: GoogleTest owns those names.)
#define ASSERT_CMP(a, op, b)                                                                       \
    do {                                                                                           \
        const auto base_a_ = (a);                                                                  \
        const auto base_b_ = (b);                                                                  \
        if (!(base_a_ op base_b_))                                                                 \
            ::base::assert_cmp_fail(#a " " #op " " #b, __FILE__, __LINE__,                         \
                                    static_cast<int64_t>(base_a_), static_cast<int64_t>(base_b_)); \
    } while (0)
