// tests/unit/run_archive_test.cpp — the binary run archive
// (format/run_archive.h): a round trip reproduces the run and its
// checkpoints byte for byte, a timeline opened from an archive seeks to the
// states a straight run has, and every broken file (truncated at any length,
// a flipped byte, a foreign file, a newer version, hostile sizes past the
// checksum) is a named error, never a crash.
#include "format/run_archive.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/hash.h"
#include "format/scenario_json.h"

namespace sim {
namespace {

// Snapshots, loss, a crash and a restart, clients, lease reads, drifting
// clocks, and user inputs: every kind of state a checkpoint holds.
std::shared_ptr<const Scenario> busy_scenario() {
    auto s = std::make_shared<Scenario>();
    s->name = "archive-test";
    s->cluster.node_count = 5;
    s->cluster.snapshot_threshold = 50;
    s->duration_us = 4'000'000;
    s->workload.clients = 4;
    s->workload.rate_per_s = 150;
    s->workload.keys = 30;
    s->network.loss_ppm = 20'000;
    s->cluster.read_mode = raft::ReadMode::kLease;
    s->clock.drift_ppm = {0, 20'000, -30'000};
    Action kill;
    kill.at_us = 1'200'000;
    kill.kind = ActionKind::kKill;
    kill.node.sel = NodeSelector::kLeader;
    Action restart;
    restart.at_us = 2'500'000;
    restart.kind = ActionKind::kRestart;
    restart.node.sel = NodeSelector::kAll;
    s->timeline = {kill, restart};
    return s;
}

std::vector<Action> user_inputs() {
    Action put;
    put.at_us = 900'000;
    put.kind = ActionKind::kPut;
    put.node.sel = NodeSelector::kLeader;
    put.key = "user";
    put.value = "typed";
    Action clog;
    clog.at_us = 1'700'000;
    clog.kind = ActionKind::kClog;
    clog.node.sel = NodeSelector::kId;
    clog.node.id = 1;
    clog.to.sel = NodeSelector::kId;
    clog.to.id = 2;
    Action pause;  // checkpoints between 2.0 and 3.5 s hold a paused workload
    pause.at_us = 2'000'000;
    pause.kind = ActionKind::kPauseWorkload;
    Action drift;
    drift.at_us = 2'200'000;
    drift.kind = ActionKind::kClockDrift;
    drift.node.sel = NodeSelector::kId;
    drift.node.id = 3;
    drift.drift_ppm = 40'000;
    Action heal;
    heal.at_us = 3'100'000;
    heal.kind = ActionKind::kHeal;
    Action resume;
    resume.at_us = 3'500'000;
    resume.kind = ActionKind::kResumeWorkload;
    return {put, clog, pause, drift, heal, resume};
}

TimelineOptions dense() {
    TimelineOptions o;
    o.checkpoint_every_events = 200;
    return o;
}

// One archive for the whole suite (recording it is the slow part).
const std::string& archive_bytes() {
    static const std::string bytes =
        encode_run_archive(record_run_archive(busy_scenario(), 7, user_inputs(), dense()));
    return bytes;
}

RunArchive decoded() {
    RunArchive a;
    std::string error;
    EXPECT_TRUE(decode_run_archive(archive_bytes(), "test.rpa", &a, &error)) << error;
    return a;
}

std::string decode_error(const std::string& bytes) {
    RunArchive a;
    std::string error;
    EXPECT_FALSE(decode_run_archive(bytes, "test.rpa", &a, &error));
    return error;
}

std::string payload() {
    return archive_bytes().substr(kArchiveHeaderBytes);
}

// What a world shows, beyond the digest: state bytes as a checkpoint packs
// them, and the logs' visible prefixes.
std::string fingerprint(World& w) {
    const Timeline::Checkpoint c = Timeline::pack(w.state_for_checkpoint(), nullptr);
    std::string f = save_checkpoint_state(c.state) + c.logs + *c.snapshots;
    f += std::to_string(w.trace().size()) + "/" + std::to_string(w.history().size());
    for (const TraceRecord& r : w.trace())
        f += std::to_string(r.t_us) + "," + std::to_string(r.aux) + ";";
    for (const HistoryOp& op : w.history())
        f += op.key + std::to_string(static_cast<int>(op.status)) + op.output + ";";
    return f;
}

TEST(RunArchive, RoundTripIsByteExactAndVerifies) {
    const RunArchive a = decoded();
    EXPECT_GE(a.checkpoints.size(), 5u);
    EXPECT_EQ(a.inputs, user_inputs());
    EXPECT_EQ(a.seed, 7u);
    EXPECT_EQ(scenario_to_json(*a.scenario), scenario_to_json(*busy_scenario()));
    EXPECT_EQ(encode_run_archive(a), archive_bytes());
    const ArchiveCheck check = verify_run_archive(a);
    EXPECT_TRUE(check.ok) << check.error;
    EXPECT_EQ(check.checkpoints_checked, a.checkpoints.size());
    EXPECT_EQ(check.digest, a.digest);
}

TEST(RunArchive, SeeksThroughAdoptedCheckpointsMatchAStraightRun) {
    auto timeline = open_run_archive(decoded());
    for (int64_t t : {3'900'000, 0, 1'234'567, 2'600'000, 3'400'000, 700'000, 4'000'000}) {
        World straight(busy_scenario(), 7, user_inputs());
        straight.run_until(t);
        timeline->seek_time(t);
        World& w = const_cast<World&>(timeline->world());
        EXPECT_EQ(w.digest_hex(), straight.digest_hex()) << "t " << t;
        EXPECT_EQ(fingerprint(w), fingerprint(straight)) << "t " << t;
    }
    // Stepping back and acting in the past (a fork) work on an opened run.
    timeline->seek_time(2'000'000);
    timeline->step_back();
    Action campaign;
    campaign.kind = ActionKind::kCampaign;
    campaign.node.sel = NodeSelector::kId;
    campaign.node.id = 3;
    timeline->act(campaign);
    timeline->run_until(2'500'000);
    EXPECT_TRUE(timeline->forked());
}

TEST(RunArchive, ASeekRestoresACheckpointInsteadOfReSimulating) {
    const RunArchive a = decoded();
    const int64_t last = a.checkpoints.back().state.events;
    auto timeline = open_run_archive(decoded());
    // Opened at the last checkpoint; a seek just past it runs a few events.
    EXPECT_EQ(timeline->events(), last);
    EXPECT_EQ(timeline->horizon_events(), a.end_events);
    timeline->seek_event(last + 10);
    EXPECT_EQ(timeline->events(), last + 10);
}

TEST(RunArchive, VerificationCatchesAChangedCheckpoint) {
    RunArchive a = decoded();
    a.checkpoints[2].state.nodes[1].heartbeat_gen += 1;
    const ArchiveCheck check = verify_run_archive(a);
    EXPECT_FALSE(check.ok);
    EXPECT_NE(check.error.find("checkpoint 2"), std::string::npos) << check.error;
}

TEST(RunArchive, TruncatedAtEveryLengthIsNamed) {
    const std::string& bytes = archive_bytes();
    std::vector<size_t> lengths;
    for (size_t n = 0; n < kArchiveHeaderBytes + 200; n++)
        lengths.push_back(n);
    for (size_t n = kArchiveHeaderBytes + 200; n < bytes.size(); n += bytes.size() / 97)
        lengths.push_back(n);
    lengths.push_back(bytes.size() - 1);
    for (size_t n : lengths) {
        const std::string e = decode_error(bytes.substr(0, n));
        const bool named = e.find("truncated at byte " + std::to_string(n)) != std::string::npos ||
                           (n == 0 && e.find("not a raftplay archive") != std::string::npos);
        EXPECT_TRUE(named) << n << ": " << e;
        EXPECT_EQ(e.rfind("test.rpa: ", 0), 0u) << e;
    }
}

TEST(RunArchive, FlippedBytesForeignFilesAndNewerVersionsAreNamed) {
    const std::string& bytes = archive_bytes();
    for (size_t at : {kArchiveHeaderBytes, kArchiveHeaderBytes + 5000, bytes.size() - 1}) {
        std::string b = bytes;
        b[at] = static_cast<char>(b[at] ^ 0x10);
        EXPECT_NE(decode_error(b).find("checksum mismatch"), std::string::npos);
    }
    std::string foreign = bytes;
    foreign[3] = 'X';
    EXPECT_NE(decode_error(foreign).find("not a raftplay archive"), std::string::npos);
    EXPECT_NE(decode_error("{\"format\": \"raftplay-run\"}").find("not a raftplay archive"),
              std::string::npos);
    const std::string newer = std::to_string(kArchiveVersion + 1);
    EXPECT_NE(decode_error(frame_archive_payload(payload(), kArchiveVersion + 1))
                  .find("version " + newer + " is newer than this build (" +
                        std::to_string(kArchiveVersion) + ")"),
              std::string::npos);
    const std::string older = std::to_string(kArchiveVersion - 1);
    EXPECT_NE(decode_error(frame_archive_payload(payload(), kArchiveVersion - 1))
                  .find("version " + older + " is older"),
              std::string::npos);
    EXPECT_NE(decode_error(bytes + "x").find("1 bytes after the payload"), std::string::npos);
}

// Past the checksum: the payload's own decoder names truncation and hostile
// sizes, whatever the bytes.
TEST(RunArchive, PayloadTruncatedOrHostileIsNamed) {
    const std::string p = payload();
    for (size_t n = 0; n < p.size(); n += 1 + n / 3) {
        const std::string e = decode_error(frame_archive_payload(p.substr(0, n)));
        EXPECT_FALSE(e.empty()) << n;
    }
    EXPECT_NE(decode_error(frame_archive_payload(p.substr(0, 700))).find("truncated at byte"),
              std::string::npos);
    // A size tag of 2^60 for the scenario text, then for the input log.
    ArchiveOut huge;
    uint64_t big = uint64_t(1) << 60;
    huge(big);
    std::string e = decode_error(frame_archive_payload(huge.bytes()));
    EXPECT_NE(e.find("limit scenario_bytes_max"), std::string::npos) << e;
    ArchiveOut inputs;
    std::string scenario = scenario_to_json(*busy_scenario());
    uint64_t seed = 1;
    inputs(scenario, seed, big);
    e = decode_error(frame_archive_payload(inputs.bytes()));
    EXPECT_NE(e.find("limit archive_items_max"), std::string::npos) << e;
    uint64_t many = 1000;  // more actions than the bytes left can hold
    ArchiveOut short_inputs;
    short_inputs(scenario, seed, many);
    e = decode_error(frame_archive_payload(short_inputs.bytes()));
    EXPECT_NE(e.find("bytes left"), std::string::npos) << e;
}

TEST(RunArchive, FlippedPayloadBytesNeverCrashTheDecoder) {
    const std::string p = payload();
    int accepted = 0;
    for (size_t at = 0; at < p.size(); at += 1 + at / 7) {
        std::string b = p;
        b[at] = static_cast<char>(b[at] ^ 0x41);
        RunArchive a;
        std::string error;
        if (decode_run_archive(frame_archive_payload(b), "x", &a, &error)) accepted++;
    }
    // Most flips land in values the checks cannot tell (times, hashes, keys).
    EXPECT_GE(accepted, 0);
}

TEST(RunArchive, StructuralChecksNameTheProblem) {
    RunArchive a = decoded();
    a.checkpoints[1].state.nodes.pop_back();
    std::string e = decode_error(encode_run_archive(a));
    EXPECT_NE(e.find("checkpoint 1: checkpoint state: 4 nodes, the scenario has 5"),
              std::string::npos)
        << e;
    a = decoded();
    std::swap(a.checkpoints[1], a.checkpoints[2]);
    e = decode_error(encode_run_archive(a));
    EXPECT_NE(e.find("checkpoint 2: out of order"), std::string::npos) << e;
    a = decoded();
    a.checkpoints[3].state.clients[0].home = 9;
    e = decode_error(encode_run_archive(a));
    EXPECT_NE(e.find("client 0: node out of range"), std::string::npos) << e;
    a = decoded();
    a.checkpoints[1].logs.resize(a.checkpoints[1].logs.size() / 2);
    e = decode_error(encode_run_archive(a));
    EXPECT_NE(e.find("checkpoint 1: malformed"), std::string::npos) << e;
}

// A saved run's bytes are a contract: `raftplay replay` re-packs every
// checkpoint and compares it with the file's byte for byte, so an encoder
// that picks other copies, or a timeline whose checkpoints reach the file
// other than self-contained, breaks every run saved before it. Fixed runs of
// built-in scenarios are recorded (tests/data/run_archives.txt: scenario,
// seed, hash and size of the archive). Regenerate after an intended change
// (a new archive version, or a change to the runs themselves, which the
// digest goldens show) with
//   RAFTPLAY_REGOLD=1 build/native/raftplay_tests --gtest_filter='*RecordedBytes*'
TEST(RunArchive, FixedRunsKeepTheirRecordedBytes) {
    const std::string dir = RAFTPLAY_SOURCE_DIR;
    const std::string path = dir + "/tests/data/run_archives.txt";
    std::string got;
    for (const char* name : {"leader-failure", "snapshot-catch-up", "membership-replace",
                             "disk-crash-unsynced", "lossy-network"}) {
        auto s = std::make_shared<Scenario>();
        std::string err;
        ASSERT_TRUE(load_scenario_file(dir + "/scenarios/" + name + ".json", {}, s.get(), &err))
            << err;
        TimelineOptions o;
        o.checkpoint_every_events = 500;
        const RunArchive ar = record_run_archive(s, 3, {}, o);
        ASSERT_GE(ar.checkpoints.size(), 3u) << name;
        const std::string bytes = encode_run_archive(ar);
        char line[160];
        std::snprintf(line, sizeof line, "%s 3 %016llx %zu\n", name,
                      static_cast<unsigned long long>(base::hash_bytes(bytes)), bytes.size());
        got += line;
    }
    const char* regold = std::getenv("RAFTPLAY_REGOLD");
    if (regold != nullptr && std::string(regold) == "1") {
        std::ofstream(path, std::ios::binary) << got;
        GTEST_SKIP() << "wrote " << path;
    }
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in.good()) << path << " is missing (RAFTPLAY_REGOLD=1 writes it)";
    std::stringstream want;
    want << in.rdbuf();
    EXPECT_EQ(got, want.str());
}

}  // namespace
}  // namespace sim
