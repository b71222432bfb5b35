// tests/fuzz/overrides_fuzz.cpp — libFuzzer harness: --set PATH=VALUE overrides, one per line.
// The work (parse, round trip, bounded simulation) is fuzz::overrides_target in
// targets.cpp, which the regression replay in the unit tests shares.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::overrides_target(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
