// tests/fuzz/entry_codec_fuzz.cpp — libFuzzer harness: the checkpoint codec of raft/entry_codec.
// The work (parse, round trip, bounded simulation) is fuzz::entry_codec_target in
// targets.cpp, which the regression replay in the unit tests shares.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::entry_codec_target(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
