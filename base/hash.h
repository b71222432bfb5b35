// base/hash.h — the stable 64-bit hashes every layer shares: a word mixer, a
// byte-string hash and a finalizer. Fixed-width, endian-free arithmetic
// (little-endian loads on every platform raftplay runs on): the same value
// natively and in WebAssembly, so hashes may reach digests and files.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

namespace base {

// One 64-bit word into a running hash.
inline uint64_t hash_word(uint64_t h, uint64_t w) {
    h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 29);
}

// A fast, stable hash of bytes, eight at a time. Chains through h; the
// length is part of the hash, so ("ab", "c") and ("a", "bc") differ.
// Inline: the key-value store hashes every key it touches.
inline uint64_t hash_bytes(const std::string& s, uint64_t h = 0x243f6a8885a308d3ull) {
    const size_t n = s.size();
    h = hash_word(h, n);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        h = hash_word(h, w);
    }
    if (i < n) {
        uint64_t w = 0;
        std::memcpy(&w, s.data() + i, n - i);
        h = hash_word(h, w);
    }
    return h;
}

// splitmix64's finalizer: spreads nearby inputs over all 64 bits.
inline uint64_t hash_finalize(uint64_t h) {
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    return h ^ (h >> 31);
}

}  // namespace base
