// tests/unit/fuzz_regression_test.cpp — replays every input the parser fuzz
// harnesses ever crashed on (tests/data/fuzz_regressions/<harness>/*)
// through the same target function (tests/fuzz/targets.h), and pins the two
// bugs that started the harnesses with exact expectations.
//
// A replayed input must give a success or a clean error that says what was
// wrong; the native-asan preset runs this under AddressSanitizer and
// UndefinedBehaviorSanitizer, which is where a memory or UB bug shows.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "raft/entry_codec.h"
#include "tests/fuzz/targets.h"

#ifndef RAFTPLAY_SOURCE_DIR
#error "RAFTPLAY_SOURCE_DIR must name the source tree (set by CMake)"
#endif

namespace fuzz {
namespace {

const std::filesystem::path kRegressions =
    std::filesystem::path(RAFTPLAY_SOURCE_DIR) / "tests/data/fuzz_regressions";

std::string read_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::filesystem::path> sorted_entries(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> out;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

// How each harness's errors begin: the source they name.
std::string error_prefix(const std::string& harness) {
    if (harness == "fragment") return "share link: ";
    if (harness == "history") return "line ";
    if (harness == "entry_codec") return "entry codec: ";
    return std::string(kSourceName) + ": ";
}

TEST(FuzzRegressions, EveryInputGivesASuccessOrACleanError) {
    size_t replayed = 0;
    for (const auto& dir : sorted_entries(kRegressions)) {
        const std::string harness = dir.filename().string();
        const Target target = target_by_name(harness);
        ASSERT_NE(target, nullptr) << dir << " is not named after a harness";
        for (const auto& file : sorted_entries(dir)) {
            const Outcome o = target(read_bytes(file));
            if (!o.accepted) {
                EXPECT_EQ(o.error.rfind(error_prefix(harness), 0), 0u)
                    << file << ": the error does not name its source: " << o.error;
            }
            replayed++;
        }
    }
    EXPECT_GE(replayed, 11u) << "the hand-made regressions went missing";
}

// JSON that ends inside a multi-byte UTF-8 sequence inside a string made
// rapidjson's validator read past the text (Tencent/rapidjson#1636); under
// AddressSanitizer these crashed before format/json_input.h's BoundedStream.
Outcome replay(const std::string& harness, const std::string& file) {
    return target_by_name(harness)(read_bytes(kRegressions / harness / file));
}

TEST(FuzzRegressions, JsonTruncatedInsideAUtf8SequenceIsAnEncodingError) {
    const std::pair<const char*, const char*> cases[] = {
        {"scenario", "truncated-utf8-lead.json"},   {"scenario", "truncated-utf8-middle.json"},
        {"scenario", "truncated-utf8-key.json"},    {"run_file", "truncated-utf8-lead.json"},
        {"run_file", "truncated-utf8-middle.json"}, {"fragment", "truncated-utf8-sc.txt"},
        {"fragment", "truncated-utf8-in.txt"},      {"history", "truncated-utf8.jsonl"},
    };
    for (const auto& [harness, file] : cases) {
        const Outcome o = replay(harness, file);
        EXPECT_FALSE(o.accepted) << harness << "/" << file;
        EXPECT_NE(o.error.find("Invalid encoding in string"), std::string::npos)
            << harness << "/" << file << ": " << o.error;
    }
}

TEST(FuzzRegressions, SetValueMustBeJsonOrValidUtf8) {
    for (const char* file : {"truncated-utf8-value.txt", "invalid-utf8-plain-value.txt"}) {
        const Outcome o = replay("overrides", file);
        EXPECT_FALSE(o.accepted) << file;
        EXPECT_NE(o.error.find(": the value is neither JSON nor valid UTF-8"), std::string::npos)
            << file << ": " << o.error;
    }
}

// Two entries whose index deltas sum past INT64_MAX: signed overflow in the
// decoder (UBSan) before it checked the sum; now a malformed input.
TEST(FuzzRegressions, EntryIndexOverflowIsMalformed) {
    const std::string bytes = read_bytes(kRegressions / "entry_codec/index-overflow.bin");
    ASSERT_GT(bytes.size(), 1u);
    size_t pos = 1;  // after the harness's mode byte
    std::vector<raft::Entry> entries;
    EXPECT_FALSE(raft::decode_entries(bytes, &pos, &entries));
    const Outcome o = replay("entry_codec", "index-overflow.bin");
    EXPECT_FALSE(o.accepted);
    EXPECT_EQ(o.error, "entry codec: malformed entries");
}

// The first entry alone (index INT64_MAX) is fine: the check rejects only
// the overflow, not large indexes.
TEST(FuzzRegressions, EntryIndexAtTheLimitDecodes) {
    raft::Entry e;
    e.index = INT64_MAX;
    e.term = 1;
    e.seal();
    std::string bytes;
    raft::encode_entries({e}, &bytes);
    size_t pos = 0;
    std::vector<raft::Entry> entries;
    ASSERT_TRUE(raft::decode_entries(bytes, &pos, &entries));
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0], e);
}

// Run archives with a correct checksum and a crafted state (made from a
// 350 ms run of 3 nodes and 2 clients at 400 ops/s, seed 5, a checkpoint
// every 25 events), each of which the checks before them let through to an
// ASSERT once the archive ran: commit and durable index past the log (the
// log's has(i) in apply_committed), a candidate that never voted for itself
// (the invariant sweep; become_leader), an append whose entry is newer than
// its own term (handle_append), a refusal on a response that accepts
// (refusal_note), a client request forwarded 7 times (handle_client_request).
// Each is refused now, naming the rule.
TEST(FuzzRegressions, ForgedArchiveStatesAreRefusedByName) {
    const std::pair<const char*, const char*> cases[] = {
        {"forged-commit-past-log.rpa", "node 0: commit_index and persisted_index inside the log"},
        {"forged-candidate-without-vote.rpa",
         "node 1: a candidate voted for itself and knows no leader"},
        {"forged-append-entry-past-its-term.rpa",
         "a message on the wire out of range or malformed"},
        {"forged-refusal-without-reject.rpa", "a message on the wire out of range or malformed"},
        {"forged-client-request-hops.rpa", "a message on the wire out of range or malformed"},
    };
    for (const auto& [file, why] : cases) {
        const Outcome o = replay("run_archive", file);
        EXPECT_FALSE(o.accepted) << file;
        EXPECT_NE(o.error.find(why), std::string::npos) << file << ": " << o.error;
    }
}

}  // namespace
}  // namespace fuzz
