// tests/fuzz/run_archive_open_fuzz.cpp — libFuzzer harness: accepted archives opened and run; a
// binary run archive (format/run_archive.h), whole or as a payload behind a correct checksum. The
// work is fuzz::run_archive_open_target in targets.cpp, which the regression replay in the unit
// tests shares.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::run_archive_open_target(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
