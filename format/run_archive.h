// format/run_archive.h — the binary run archive (.rpa): a whole run saved so
// that it opens at any moment without re-simulating from the start.
//
// An archive holds what defines the run (the scenario as its canonical JSON
// text, the seed, the input log), what it came to (digest, event count, end
// time), the world's append-only logs (trace, client history, leaders,
// violations, the checkers' records) and the timeline's checkpoints
// (Timeline::Checkpoint: a WorldState plus its packed logs and snapshots).
// Loading it gives a Timeline whose seeks restore those checkpoints.
//
// File layout (all integers little-endian):
//   magic "RAFTPLAY-RPA" (12 bytes), u32 format version, u64 payload size,
//   u64 checksum = base::hash_bytes(payload), then the payload (cereal's
//   PortableBinaryOutputArchive; the serialize functions are in
//   state_archive.cpp).
// A truncated, corrupted or foreign file is rejected with a message naming
// the file and the problem ("not a raftplay archive", "version 3 is newer
// than this build (1)", "truncated at byte N", "checksum mismatch"), never a
// crash or an exception: every size is bounded by a named limit before
// anything is allocated, and everything that can be checked structurally is
// (the node count against the scenario, ids in range, checkpoints in order
// and within the run, the packed logs decodable, each node's own rules,
// the disks' logs, and what the handlers of the messages it holds assert:
// state_check.cpp). The checksum detects accidents, not forgery: those
// checks are what keeps a crafted state from an ASSERT when it runs (the
// fuzz harness runs every archive it accepts; the states it found them
// missing are forged in memory and refused by name in
// tests/unit/fuzz_regression_test.cpp). Whether a state is one the run could
// reach is for verify_run_archive (`raftplay replay FILE`), which
// re-simulates and compares everything.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "format/state_archive.h"
#include "sim/scenario.h"
#include "sim/timeline.h"

namespace sim {

constexpr char kArchiveMagic[] = "RAFTPLAY-RPA";  // 12 bytes, no terminator in the file
constexpr size_t kArchiveMagicBytes = 12;
// 2: messages and the Ready carry refusals, trace records their notes,
// campaign actions their force flag. A version-1 file is refused (its
// records lack those fields; nothing reads both layouts).
// 3: command results, client history operations and snapshots carry each
// key's version and mod_revision; message counts carry bytes sent (by type,
// by node), trace sends their size in the defined encoding and drops the
// precise cut that dropped them.
// 4: lease reads and clock drift: appends carry their heartbeat round, a
// leader's progress the round each follower answered, a node slot its
// clock's drift, a clock_drift action its rate; read_mode may be "lease".
// 5: actions carry a trigger (when), the world state the triggers' progress;
// disconnect / reconnect actions, a node slot its disconnected flag.
// 6: membership (thesis ch. 4): configuration entries, a snapshot's and a
// node's configuration, leadership transfer, the config's initial voters
// and joint consensus, the membership actions.
constexpr uint32_t kArchiveVersion = 6;
constexpr size_t kArchiveHeaderBytes = kArchiveMagicBytes + 4 + 8 + 8;
// "archive_bytes_max": an archive file, checked against its size before
// reading it.
constexpr uint64_t kMaxArchiveBytes = uint64_t(1) << 30;
// "archive_checkpoints_max": checkpoints in one archive.
constexpr uint64_t kMaxArchiveCheckpoints = uint64_t(1) << 16;

struct RunArchive {
    std::shared_ptr<const Scenario> scenario;
    uint64_t seed = 0;
    std::vector<Action> inputs;
    std::string digest;  // lowercase hex, as World::digest_hex()
    uint64_t digest_state = 0;
    int64_t end_events = 0;
    int64_t end_us = 0;
    RunLogs logs;
    std::vector<Timeline::Checkpoint> checkpoints;  // ascending, the first at event 0
};

// Runs scenario/seed/inputs to the end on a timeline and archives it.
RunArchive record_run_archive(std::shared_ptr<const Scenario> scenario, uint64_t seed,
                              std::vector<Action> inputs, TimelineOptions options = {});
// The run a timeline has simulated so far: seeks to its horizon first (its
// last event, then the moment horizon_us: the end verify_run_archive reaches).
RunArchive archive_of(Timeline& timeline);

std::string encode_run_archive(const RunArchive& archive);
// `source` names the file in errors. `out` is complete only on success.
bool decode_run_archive(const std::string& bytes, const std::string& source, RunArchive* out,
                        std::string* error);
// The file starts with the archive's magic (how `replay` tells it from JSON).
bool is_run_archive(const std::string& bytes);
// Header plus payload, as encode_run_archive frames it: lets a fuzzer reach
// the payload's decoder past the checksum.
std::string frame_archive_payload(const std::string& payload, uint32_t version = kArchiveVersion);

// A timeline over the archived run, restored to its last checkpoint; seeks
// use the archive's checkpoints.
std::unique_ptr<Timeline> open_run_archive(RunArchive archive, TimelineOptions options = {});

// Re-simulates the run and compares: the digest, the end, and every stored
// checkpoint with the re-simulated one (byte for byte in the archive's
// encoding). *error says what differs first.
struct ArchiveCheck {
    bool ok = false;
    std::string digest;  // the re-simulated one
    size_t checkpoints_checked = 0;
    std::string error;
    std::unique_ptr<World> world;  // the re-simulated run, where it stopped
};
ArchiveCheck verify_run_archive(const RunArchive& archive);

}  // namespace sim
