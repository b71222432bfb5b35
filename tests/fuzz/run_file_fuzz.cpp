// tests/fuzz/run_file_fuzz.cpp — libFuzzer harness: a run file.
// The work (parse, round trip, bounded simulation) is fuzz::run_file_target in
// targets.cpp, which the regression replay in the unit tests shares.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::run_file_target(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
