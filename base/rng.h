// base/rng.h — the one PRNG of raftplay and its uniform integer draws.
//
// xoshiro256** seeded through splitmix64. Standard-library distributions
// differ between libstdc++ and libc++ and libm transcendental functions may
// differ in the last bit, so every random choice in the simulation goes
// through these few integer functions: the same seed gives the same numbers
// natively and in WebAssembly. The shaped distributions the simulation
// draws from (latencies, weighted choices) live above, in sim/distributions.h.
#pragma once

#include <cstdint>

namespace base {

inline uint64_t splitmix64(uint64_t* state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

// A 64-bit mix of two values, used to derive independent streams.
inline uint64_t mix64(uint64_t a, uint64_t b) {
    uint64_t s = a ^ (b * 0x9e3779b97f4a7c15ull);
    return splitmix64(&s);
}

// The high 64 bits of the 128-bit product a * b, from 32-bit halves: the
// same result on every target.
inline uint64_t mul_hi_portable(uint64_t a, uint64_t b) {
    const uint64_t a_lo = a & 0xffffffffu, a_hi = a >> 32;
    const uint64_t b_lo = b & 0xffffffffu, b_hi = b >> 32;
    const uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo;
    const uint64_t lo_hi = a_lo * b_hi, hi_hi = a_hi * b_hi;
    const uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xffffffffu) + lo_hi;  // < 2^64
    return (hi_lo >> 32) + (cross >> 32) + hi_hi;
}

// One instruction where the CPU has a 64x64->128 multiply. WebAssembly has
// none: clang lowers `unsigned __int128` products there to a __multi3 call
// (a full 128x128 multiply), which took a fifth of a simulation's time.
inline uint64_t mul_hi(uint64_t a, uint64_t b) {
#if defined(__SIZEOF_INT128__) && !defined(__wasm__)
    return static_cast<uint64_t>((static_cast<unsigned __int128>(a) * b) >> 64);
#else
    return mul_hi_portable(a, b);
#endif
}

class Rng {
  public:
    Rng() : Rng(0) {}
    explicit Rng(uint64_t seed) {
        uint64_t sm = seed;
        for (auto& w : s_)
            w = splitmix64(&sm);
    }
    // A stream for one component, independent of every other stream: adding
    // draws in one component never shifts another's numbers.
    static Rng stream(uint64_t seed, uint64_t component) { return Rng(mix64(seed, component)); }

    // The draws below are forced inline: they run several times per event,
    // and GCC left below() out of line, paying a call and spills each time.
    [[gnu::always_inline]] uint64_t next() {
        const uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, bound) without bias: the high word of next() * bound,
    // rejecting the few low words that would favour some results (Lemire,
    // "Fast random integer generation in an interval", 2019). A division only
    // in the rare case that needs the rejection threshold.
    [[gnu::always_inline]] uint64_t below(uint64_t bound) {
        if (bound <= 1) return 0;
        const uint64_t x = next();
        if (x * bound < bound) return below_slow(x, bound);  // the low word of the product
        return mul_hi(x, bound);
    }
    // Uniform in [lo, hi], inclusive. Requires lo <= hi.
    [[gnu::always_inline]] int64_t range(int64_t lo, int64_t hi) {
        if (hi <= lo) return lo;
        return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo) + 1));
    }
    // True with probability num/den.
    [[gnu::always_inline]] bool chance(int64_t num, int64_t den) {
        if (num <= 0) return false;
        if (num >= den) return true;
        return static_cast<int64_t>(below(static_cast<uint64_t>(den))) < num;
    }
    template <class Archive>
    void serialize(Archive& ar) {
        ar(s_[0], s_[1], s_[2], s_[3]);
    }
    bool operator==(const Rng&) const = default;

  private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    // below's rare path, out of line so the common one inlines.
    [[gnu::noinline]] uint64_t below_slow(uint64_t x, uint64_t bound) {
        const uint64_t threshold = (0 - bound) % bound;  // 2^64 mod bound
        // Each try is rejected with probability < bound / 2^64.
        for (int i = 0; i < 64 && x * bound < threshold; i++)
            x = next();
        return mul_hi(x, bound);
    }
    uint64_t s_[4];
};

}  // namespace base
