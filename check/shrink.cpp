// check/shrink.cpp — ddmin over steps, then workload, then duration (see
// shrink.h).
#include "check/shrink.h"

#include <algorithm>
#include <memory>
#include <vector>

namespace sim {

namespace {

// A failure predicate with a run budget: once spent, nothing more "fails".
struct Budget {
    const std::function<bool(const Scenario&)>& still_fails;
    int32_t max_runs;
    int32_t runs = 0;
    bool operator()(const Scenario& s) {
        if (runs >= max_runs) return false;
        runs++;
        return still_fails(s);
    }
};

using Indexes = std::vector<size_t>;

Scenario with_steps(const Scenario& s, const std::vector<Action>& all, const Indexes& keep) {
    Scenario c = s;
    c.timeline.clear();
    for (size_t i : keep)
        c.timeline.push_back(all[i]);
    return c;
}

std::vector<Indexes> split(const Indexes& items, size_t n) {
    std::vector<Indexes> chunks(n);
    for (size_t i = 0; i < items.size(); i++)
        chunks[i * n / items.size()].push_back(items[i]);
    return chunks;
}

Indexes complement(const std::vector<Indexes>& chunks, size_t skip) {
    Indexes out;
    for (size_t c = 0; c < chunks.size(); c++) {
        if (c != skip) out.insert(out.end(), chunks[c].begin(), chunks[c].end());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Zeller's ddmin: the smallest subset of items (1-minimal within budget)
// for which test holds. test(items) is assumed true.
Indexes ddmin(Indexes items, const std::function<bool(const Indexes&)>& test) {
    if (items.empty() || test(Indexes{})) return {};
    size_t n = 2;
    while (items.size() >= 2) {
        const std::vector<Indexes> chunks = split(items, std::min(n, items.size()));
        bool reduced = false;
        for (size_t c = 0; c < chunks.size() && !reduced; c++) {
            if (test(chunks[c])) {
                items = chunks[c];
                n = 2;
                reduced = true;
            }
        }
        for (size_t c = 0; c < chunks.size() && !reduced && chunks.size() > 2; c++) {
            Indexes comp = complement(chunks, c);
            if (test(comp)) {
                items = std::move(comp);
                n = std::max<size_t>(n - 1, 2);
                reduced = true;
            }
        }
        if (reduced) continue;
        if (n >= items.size()) break;
        n = std::min(items.size(), n * 2);
    }
    return items;
}

// Steps at or after the last heal block are the liveness phase: a liveness
// failure must keep them, or "did not converge" would be trivially true. A
// triggered heal runs at a moment only the run knows (its at_ms is when it
// is armed): it starts no fixed phase, and ddmin may drop it like any step.
int64_t liveness_start_us(const Scenario& s) {
    int64_t t = INT64_MAX;
    for (const Action& a : s.timeline) {
        if (a.kind == ActionKind::kHeal && !a.has_when) t = a.at_us;
    }
    return t;
}

Scenario shrink_steps(const Scenario& cur, int64_t fixed_from_us, Budget& test) {
    const std::vector<Action>& all = cur.timeline;
    Indexes removable, fixed;
    for (size_t i = 0; i < all.size(); i++)
        (all[i].at_us >= fixed_from_us ? fixed : removable).push_back(i);
    auto merged = [&](const Indexes& keep) {
        Indexes m = keep;
        m.insert(m.end(), fixed.begin(), fixed.end());
        std::sort(m.begin(), m.end());
        return m;
    };
    const Indexes kept =
        ddmin(removable, [&](const Indexes& k) { return test(with_steps(cur, all, merged(k))); });
    return with_steps(cur, all, merged(kept));
}

// Tries one change; keeps it when the run still fails.
bool try_keep(Scenario* cur, const Scenario& candidate, Budget& test) {
    if (!test(candidate)) return false;
    *cur = candidate;
    return true;
}

void shrink_workload(Scenario* cur, Budget& test) {
    Workload& w = cur->workload;
    if (w.clients == 0) return;
    Scenario none = *cur;
    none.workload.clients = 0;
    none.workload.rate_per_s = 0;
    if (try_keep(cur, none, test)) return;
    for (int i = 0; i < 8 && cur->workload.clients > 1; i++) {
        Scenario c = *cur;
        c.workload.clients = cur->workload.clients / 2;
        c.workload.rate_per_s = std::max<int64_t>(
            1, cur->workload.rate_per_s * c.workload.clients / cur->workload.clients);
        if (!try_keep(cur, c, test)) break;
    }
    for (int i = 0; i < 8 && cur->workload.rate_per_s > 1; i++) {
        Scenario c = *cur;
        c.workload.rate_per_s = cur->workload.rate_per_s / 2;
        if (!try_keep(cur, c, test)) break;
    }
    for (int i = 0; i < 12 && cur->workload.keys > 1; i++) {
        Scenario c = *cur;
        c.workload.keys = cur->workload.keys / 2;
        if (!try_keep(cur, c, test)) break;
    }
}

Scenario with_duration(const Scenario& s, int64_t duration_us) {
    Scenario c = s;
    c.duration_us = duration_us;
    std::vector<Action> steps;
    for (const Action& a : c.timeline) {
        if (a.at_us <= duration_us) steps.push_back(a);
    }
    c.timeline = std::move(steps);
    Workload& w = c.workload;
    if (w.stop_us >= duration_us) w.stop_us = -1;
    if (w.start_us > duration_us) w.start_us = duration_us;
    return c;
}

// Binary search (1 ms resolution) for the shortest run that still fails.
void shrink_duration(Scenario* cur, Budget& test) {
    int64_t lo = 1'000, hi = cur->duration_us;
    for (const Action& a : cur->timeline)
        lo = std::max(lo, a.at_us);
    if (lo < hi && try_keep(cur, with_duration(*cur, lo), test)) return;
    for (int i = 0; i < 40 && hi - lo > 1'000; i++) {
        const int64_t mid = lo + (hi - lo) / 2 / 1'000 * 1'000;
        if (mid <= lo) break;
        const Scenario c = with_duration(*cur, mid);
        if (try_keep(cur, c, test)) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
}

}  // namespace

Scenario shrink_scenario(const Scenario& failing,
                         const std::function<bool(const Scenario&)>& still_fails,
                         const ShrinkOptions& options, ShrinkStats* stats) {
    Budget test{still_fails, options.max_runs};
    Scenario cur = failing;
    const int64_t fixed_from = options.keep_liveness_phase ? liveness_start_us(failing) : INT64_MAX;
    cur = shrink_steps(cur, fixed_from, test);
    shrink_workload(&cur, test);
    if (!options.keep_liveness_phase) shrink_duration(&cur, test);
    // A shorter run or a lighter workload may make more steps unnecessary.
    cur = shrink_steps(cur, fixed_from, test);
    if (stats) {
        stats->runs = test.runs;
        stats->steps_before = failing.timeline.size();
        stats->steps_after = cur.timeline.size();
    }
    return cur;
}

std::function<bool(const Scenario&)> same_outcome(uint64_t seed, Outcome outcome,
                                                  const JudgeOptions& options) {
    return [seed, outcome, options](const Scenario& s) {
        return run_and_judge(std::make_shared<const Scenario>(s), seed, options).outcome == outcome;
    };
}

}  // namespace sim
