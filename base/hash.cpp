// base/hash.cpp — hash_bytes (see hash.h).
#include "base/hash.h"

#include <cstring>

namespace base {

uint64_t hash_bytes(const std::string& s, uint64_t h) {
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

}  // namespace base
