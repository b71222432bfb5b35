// base/assert.cpp — what a failed assertion prints (see assert.h).
#include "base/assert.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace base {
namespace {

thread_local AssertContext* g_innermost = nullptr;

[[noreturn]] void finish() {
    print_assert_context();
    std::fflush(stderr);
    std::abort();
}

}  // namespace

AssertContext::AssertContext(Describe describe, const void* arg)
    : describe_(describe), arg_(arg), outer_(g_innermost) {
    g_innermost = this;
}
AssertContext::~AssertContext() {
    g_innermost = outer_;
}

void print_assert_context() {
    AssertContext* c = g_innermost;
    if (c == nullptr) return;
    g_innermost = nullptr;  // a failure inside describe() must not recurse
    c->describe_(c->arg_);
}

void assert_fail(const char* expr, const char* file, int line, const char* detail) {
    std::fprintf(stderr, "\nraftplay: assertion failed: %s\n  at %s:%d\n", expr, file, line);
    if (detail != nullptr) std::fprintf(stderr, "  %s\n", detail);
    finish();
}

void assert_cmp_fail(const char* expr, const char* file, int line, int64_t a, int64_t b) {
    std::fprintf(stderr,
                 "\nraftplay: assertion failed: %s\n  at %s:%d\n  with %" PRId64 " and %" PRId64
                 "\n",
                 expr, file, line, a, b);
    finish();
}

// Debug builds always check; Release builds when RAFTPLAY_INVARIANTS is set
// (and not "0"). Only fills in a switch nobody has set yet.
bool detail::invariant_checks_from_environment() {
    if (g_invariant_checks < 0) {
#ifndef NDEBUG
        g_invariant_checks = 1;
#else
        const char* v = std::getenv("RAFTPLAY_INVARIANTS");
        g_invariant_checks = v != nullptr && v[0] != '\0' && std::strcmp(v, "0") != 0 ? 1 : 0;
#endif
    }
    return g_invariant_checks != 0;
}

namespace {
const bool kEnvironmentRead = detail::invariant_checks_from_environment();
}  // namespace

}  // namespace base
