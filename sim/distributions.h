// sim/distributions.h — the shaped distributions the simulation draws from:
// message and disk latencies with a long tail, and weighted choices (the
// workload's operation mix, the fuzzer's fault kinds).
//
// Built only from base::Rng's uniform integer draws, so a seed gives the same
// numbers natively and in WebAssembly. The protocol (raft/) never sees these:
// its only randomness is the uniform election timeout.
#pragma once

#include <cstdint>

#include "base/rng.h"

namespace sim {

// A skewed latency: uniform in [lo, hi] most of the time; with probability
// tail_ppm/1e6 an extra delay whose size halves in likelihood as it doubles
// (a geometric long tail up to tail_max). Inline: it runs for every message.
[[gnu::always_inline]] inline int64_t draw_latency(base::Rng& rng, int64_t lo, int64_t hi,
                                                   int64_t tail_ppm, int64_t tail_max) {
    int64_t v = rng.range(lo, hi);
    if (tail_max > 0 && rng.chance(tail_ppm, 1'000'000)) {
        int64_t span = hi > lo ? hi - lo : 1;
        while (span < tail_max && rng.chance(1, 2))
            span *= 2;
        v += rng.range(0, span < tail_max ? span : tail_max);
    }
    return v;
}

// An index in [0, n) chosen with integer weights (negative weights count as
// zero; all zero gives 0).
inline int draw_weighted(base::Rng& rng, const int64_t* weights, int n) {
    int64_t total = 0;
    for (int i = 0; i < n; i++)
        total += weights[i] > 0 ? weights[i] : 0;
    if (total <= 0) return 0;
    int64_t x = static_cast<int64_t>(rng.below(static_cast<uint64_t>(total)));
    for (int i = 0; i < n; i++) {
        const int64_t w = weights[i] > 0 ? weights[i] : 0;
        if (x < w) return i;
        x -= w;
    }
    return n - 1;
}

}  // namespace sim
