// tests/fuzz/targets.h — one function per parser or decoder of outside bytes,
// shared by the libFuzzer harnesses (tests/fuzz/*_fuzz.cpp) and the
// regression replay in the normal test suite (tests/unit/fuzz_regression_test.cpp).
//
// Each target feeds its bytes to the real entry point. On success it checks
// that serializing what was parsed and parsing that again gives the same text
// (the formats promise a round trip), then runs a short bounded simulation of
// it so the fuzzer also reaches the world. A broken round trip or a failed
// check aborts: libFuzzer reports it as a crash. A rejected input returns its
// error, which must say what was wrong. Nothing here may depend on the wall
// clock or on files: the same bytes always do the same thing.
#pragma once

#include <string>
#include <string_view>

namespace fuzz {

// What a target made of one input.
struct Outcome {
    bool accepted = false;
    std::string error;  // empty when accepted
};

// The source name the scenario, overrides and run-file targets pass (so their
// errors start with it).
inline constexpr const char* kSourceName = "fuzz input";

// A scenario file (parse_scenario without overrides).
Outcome scenario_target(std::string_view data);
// --set overrides: each line of `data` (at most 8) is one PATH=VALUE, applied
// to a small fixed scenario.
Outcome overrides_target(std::string_view data);
// A run file (parse_run_file).
Outcome run_file_target(std::string_view data);
// A share-link fragment (decode_fragment); a built-in scenario name is
// replaced by the fixed scenario, against which the inputs are checked.
Outcome fragment_target(std::string_view data);
// A client history in JSON lines (parse_history_jsonl, `raftplay check`).
Outcome history_target(std::string_view data);
// The checkpoint codec (raft/entry_codec): the first byte chooses entries, a
// whole snapshot, or a base snapshot followed by a difference from it.
Outcome entry_codec_target(std::string_view data);

// A binary run archive (format/run_archive.h). Input that starts with the
// archive's magic is a whole file (header checks included); any other input
// is a payload, framed with its correct checksum first so that the decoder
// proper is reached. Accepted archives must re-encode to bytes that decode
// and re-encode to themselves, and must run: opened at their last
// checkpoint and from up to nine checkpoints, a bounded number of events
// each, with no ASSERT (a forged state the checks let through aborts here).
Outcome run_archive_target(std::string_view data);
// An accepted archive opened and run from its checkpoints, as the page's
// import and the viewer do. Forged states (past the checksum) that pass the
// loader's checks can still reach an ASSERT here: tests/fuzz/run.sh leaves
// this harness out of its default list until they are all refused (see
// KNOWN_OPEN there); name it to run it.
Outcome run_archive_open_target(std::string_view data);
// The JSON lines of `raftplay fuzz --format jsonl` (read_fuzz_lines, as
// `raftplay fuzz-report` reads them): round trip, and merges.
Outcome fuzz_report_target(std::string_view data);
using Target = Outcome (*)(std::string_view);
// The target of a harness name ("scenario", "overrides", "run_file",
// "fragment", "history", "entry_codec", "run_archive", "run_archive_open", "fuzz_report"), or
// nullptr.
Target target_by_name(std::string_view name);

}  // namespace fuzz
