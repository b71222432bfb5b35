// tests/unit/rng_test.cpp — the integer arithmetic under every random draw and
// the digest: the portable high-word multiply (what WebAssembly runs) must
// equal the 128-bit product native builds use, and bounded draws must stay in
// range and be uniform.
#include "base/rng.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace {

TEST(Rng, PortableHighWordEqualsThe128BitProduct) {
    const uint64_t edges[] = {
        0, 1, 2, 0xffffffffu, 0x100000000ull, UINT64_MAX, UINT64_MAX - 1, 0x8000000000000000ull};
    for (uint64_t a : edges) {
        for (uint64_t b : edges) {
            const auto wide = static_cast<uint64_t>((static_cast<unsigned __int128>(a) * b) >> 64);
            EXPECT_EQ(base::mul_hi_portable(a, b), wide) << a << " * " << b;
        }
    }
    base::Rng rng(3);
    for (int i = 0; i < 100'000; i++) {
        const uint64_t a = rng.next(), b = rng.next() >> (i % 64);
        const auto wide = static_cast<uint64_t>((static_cast<unsigned __int128>(a) * b) >> 64);
        ASSERT_EQ(base::mul_hi_portable(a, b), wide) << a << " * " << b;
        ASSERT_EQ(base::mul_hi(a, b), wide);
    }
}

TEST(Rng, BoundedDrawsStayInRangeAndAreUniform) {
    base::Rng rng(9);
    constexpr int kBound = 7, kDraws = 70'000;
    std::vector<int> seen(kBound, 0);
    for (int i = 0; i < kDraws; i++) {
        const uint64_t x = rng.below(kBound);
        ASSERT_LT(x, static_cast<uint64_t>(kBound));
        seen[x]++;
    }
    for (int c : seen) {  // 10,000 expected each; a 4% band is > 10 sigma
        EXPECT_GT(c, 9'600);
        EXPECT_LT(c, 10'400);
    }
    for (int i = 0; i < 1000; i++) {
        const int64_t r = rng.range(-5, 5);
        ASSERT_GE(r, -5);
        ASSERT_LE(r, 5);
    }
    // A bound near 2^64 exercises the rejection path.
    const uint64_t big = UINT64_MAX - 5;
    for (int i = 0; i < 1000; i++)
        ASSERT_LT(rng.below(big), big);
}

}  // namespace
