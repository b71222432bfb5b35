// tests/unit/invariants_on.cpp — the test suites run with the expensive
// invariant sweeps on (base/assert.h): every Node checks its own invariants
// after every input in every test, whatever the build type.
#include "base/assert.h"

namespace {
const bool kInvariantsOn = (base::set_invariant_checks(true), true);
}  // namespace
