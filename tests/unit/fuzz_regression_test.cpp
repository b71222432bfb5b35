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
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "format/run_archive.h"
#include "raft/entry_codec.h"
#include "raft/node.h"
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

// Run archive states forged in memory, each of which the checks before them
// once let through to an ASSERT when the archive ran: commit and durable
// index past the log (the log's has(i) in apply_committed), a candidate that
// never voted for itself (the invariant sweep; become_leader), an append
// whose entry is newer than its own term (handle_append), a refusal on a
// response that accepts (refusal_note), a client request forwarded 7 times
// (handle_client_request), and an accepted append response that matches past
// its leader's log (the leader's invariant sweep). They were first files
// crafted at one archive format version, which the next version refused at
// the header; forged from a fresh recording they follow the format. Each
// checkpoint's state is changed through the same doors the archive's
// serializer uses (the public WorldState, the wire, raft::Node::visit_fields)
// and the whole file goes through the fuzz target: decode, check, open, run.
// (The two found-crash-* payloads in run_archive/ date from version 2 too:
// read as today's payload they stop in the decoder, an enumerator out of
// range, and no longer reach the states they were found for.)

// A node's private field, set through its field list.
template <typename T>
void set_node_field(raft::Node& n, const char* name, T value) {
    bool found = false;
    raft::Node::visit_fields(n, [&](const char* field, auto& f) {
        if constexpr (std::is_same_v<std::decay_t<decltype(f)>, T>) {
            if (std::strcmp(field, name) == 0) {
                f = value;
                found = true;
            }
        }
    });
    EXPECT_TRUE(found) << "raft::Node has no field " << name << " of that type";
}

// The first message on the wire (not lost: it will arrive) that `pick`
// accepts, or nullptr.
raft::Message* on_wire(sim::WorldState& s, const std::function<bool(const sim::InFlight&)>& pick) {
    for (const auto& [id, f] : s.net.wire())
        if (!f.lost && pick(f)) return &s.net.wire().find(id)->msg;
    return nullptr;
}

// The run the original files were made from: 350 ms of 3 nodes and 2
// clients at 400 ops/s, seed 5, a checkpoint every 25 events.
const std::string& recorded_archive() {
    static const std::string bytes = [] {
        auto s = std::make_shared<sim::Scenario>();
        s->name = "forge";
        s->cluster.node_count = 3;
        s->workload.clients = 2;
        s->workload.rate_per_s = 400;
        s->duration_us = 350'000;
        sim::TimelineOptions o;
        o.checkpoint_every_events = 25;
        return sim::encode_run_archive(sim::record_run_archive(s, 5, {}, o));
    }();
    return bytes;
}

sim::RunArchive decoded_archive() {
    sim::RunArchive a;
    std::string error;
    EXPECT_TRUE(sim::decode_run_archive(recorded_archive(), kSourceName, &a, &error)) << error;
    return a;
}

// Changes a checkpoint's state `s` (packed: its logs are out) to the forged
// condition, reading the logs from `u`, the same state unpacked; false when
// this checkpoint holds nothing to forge from.
using Forge = std::function<bool(sim::WorldState& s, const sim::WorldState& u)>;

struct Forgery {
    const char* name;
    Forge forge;
    std::string why;        // the refusal, after "<source>: checkpoint K: "
    const char* assertion;  // what fails without the checks (a regex)
};

bool forge_commit_past_log(sim::WorldState& s, const sim::WorldState& u) {
    const raft::Index past = u.nodes[0].node.log().last_index() + 1;
    set_node_field<raft::Index>(s.nodes[0].node, "commit_index", past);
    set_node_field<raft::Index>(s.nodes[0].node, "persisted_index", past);
    return true;
}

// Node 1 leads from the second checkpoint on.
bool forge_candidate_without_vote(sim::WorldState& s, const sim::WorldState&) {
    set_node_field(s.nodes[1].node, "role", raft::Role::kCandidate);
    set_node_field<raft::NodeId>(s.nodes[1].node, "voted_for", 0);
    set_node_field<raft::NodeId>(s.nodes[1].node, "leader", raft::kNone);
    return true;
}

bool forge_append_entry_past_its_term(sim::WorldState& s, const sim::WorldState&) {
    raft::Message* m = on_wire(s, [](const sim::InFlight& f) {
        return f.msg.type == raft::MsgType::kAppend && !f.msg.entries.empty();
    });
    if (m == nullptr) return false;
    m->entries.back().term = m->term + 1;
    m->entries.back().seal();
    return true;
}

bool forge_refusal_without_reject(sim::WorldState& s, const sim::WorldState&) {
    raft::Message* m = on_wire(s, [](const sim::InFlight& f) {
        return f.msg.type == raft::MsgType::kAppendResp && !f.msg.reject;
    });
    if (m == nullptr) return false;
    m->refusal = raft::Refusal::kLogMismatch;
    return true;
}

bool forge_client_request_hops(sim::WorldState& s, const sim::WorldState&) {
    raft::Message* m =
        on_wire(s, [](const sim::InFlight& f) { return f.msg.type == raft::MsgType::kClientReq; });
    if (m == nullptr) return false;
    m->hops = 7;
    return true;
}

// An accepted append response to the node that leads in its term, matching
// one entry past that leader's last.
bool forge_match_past_leader_log(sim::WorldState& s, const sim::WorldState& u) {
    raft::Message* m = on_wire(s, [&](const sim::InFlight& f) {
        if (f.msg.type != raft::MsgType::kAppendResp || f.msg.reject) return false;
        const raft::Node& to = u.nodes[static_cast<size_t>(f.msg.to)].node;
        return to.role() == raft::Role::kLeader && to.current_term() == f.msg.term;
    });
    if (m == nullptr) return false;
    m->match_index = u.nodes[static_cast<size_t>(m->to)].node.log().last_index() + 1;
    return true;
}

const std::vector<Forgery>& forgeries() {
    static const std::vector<Forgery> all = {
        {"commit past the log", forge_commit_past_log,
         "node 0: commit_index and persisted_index inside the log", "assertion failed: has\\(i\\)"},
        {"candidate without its vote", forge_candidate_without_vote,
         "node 1: a candidate voted for itself and knows no leader",
         "assertion failed: a candidate voted for itself and knows no leader"},
        {"append entry past its term", forge_append_entry_past_its_term,
         "checkpoint state: a message on the wire out of range or malformed",
         "assertion failed: m\\.entries\\.empty\\(\\) \\|\\| m\\.entries\\.back\\(\\)\\.term <= "
         "m\\.term"},
        {"refusal without reject", forge_refusal_without_reject,
         "checkpoint state: a message on the wire out of range or malformed",
         "assertion failed: m\\.refusal == Refusal::kNone \\|\\| m\\.reject"},
        {"client request with hops 7", forge_client_request_hops,
         "checkpoint state: a message on the wire out of range or malformed",
         "assertion failed: m\\.hops == 0"},
        {"append response matching past its leader's log", forge_match_past_leader_log,
         "a message on the wire", "assertion failed: match_index < next_index <= last index \\+ 1"},
    };
    return all;
}

// The recorded archive with its latest checkpoint that has what `forge`
// needs forged; *at is that checkpoint (-1 when none has). With `keep_later`
// false the checkpoints after it are dropped, so that opening the archive
// starts from the forged state.
sim::RunArchive forged_archive(const Forge& forge, bool keep_later, int* at) {
    sim::RunArchive a = decoded_archive();
    *at = -1;
    for (size_t k = a.checkpoints.size(); k-- > 1;) {
        sim::WorldState u;
        std::string error;
        EXPECT_TRUE(sim::Timeline::unpack_checked(a.checkpoints[k], &u, &error)) << error;
        if (!forge(a.checkpoints[k].state, u)) continue;
        *at = static_cast<int>(k);
        if (!keep_later) a.checkpoints.resize(k + 1);
        break;
    }
    return a;
}

TEST(FuzzRegressions, ForgedArchiveStatesAreRefusedByName) {
    // Unforged, the same recording passes every check, opens and runs.
    const Outcome plain = run_archive_target(recorded_archive());
    ASSERT_TRUE(plain.accepted) << plain.error;
    for (const Forgery& f : forgeries()) {
        int at = -1;
        const std::string bytes = sim::encode_run_archive(forged_archive(f.forge, true, &at));
        ASSERT_GE(at, 1) << f.name << ": no checkpoint to forge it in";
        EXPECT_NE(bytes, recorded_archive()) << f.name;
        const Outcome o = run_archive_target(bytes);
        EXPECT_FALSE(o.accepted) << f.name;
        EXPECT_EQ(o.error,
                  std::string(kSourceName) + ": checkpoint " + std::to_string(at) + ": " + f.why)
            << f.name;
    }
}

// The forgeries are real: opened without the decoder's checks (what a
// timeline does with checkpoints it trusts), each state runs into an ASSERT,
// where the same archive unforged (cut at the same checkpoint) runs on.
TEST(FuzzRegressionsDeathTest, ForgedArchiveStatesAbortWithoutTheChecks) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    for (const Forgery& f : forgeries()) {
        int at = -1;
        sim::RunArchive a = forged_archive(f.forge, false, &at);
        ASSERT_GE(at, 1) << f.name;
        sim::RunArchive plain = decoded_archive();
        plain.checkpoints.resize(static_cast<size_t>(at) + 1);
        const Outcome o = run_archive_target(sim::encode_run_archive(plain));
        EXPECT_TRUE(o.accepted) << f.name << ": " << o.error;
        const int64_t end_us = a.end_us;
        EXPECT_DEATH(
            {
                std::unique_ptr<sim::Timeline> t = sim::open_run_archive(std::move(a));
                t->run_until(end_us + 3'000'000, 20'000);
            },
            f.assertion)
            << f.name;
    }
}

}  // namespace
}  // namespace fuzz
