// tests/fuzz/fuzz_report_fuzz.cpp — libFuzzer harness: the JSON lines of `raftplay fuzz --format
// jsonl`, as `raftplay fuzz-report` reads and merges them. The work is fuzz::fuzz_report_target in
// targets.cpp, which the regression replay in the unit tests shares.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::fuzz_report_target(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
