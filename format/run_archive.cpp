// format/run_archive.cpp — framing, payload and checks of the binary run
// archive (see run_archive.h); the state's serialize functions are in
// state_archive.cpp.
#include "format/run_archive.h"

#include <cstring>

#include "base/assert.h"
#include "base/hash.h"
#include "format/scenario_json.h"
#include "sim/limits.h"

namespace sim {

namespace {

void put_le(uint64_t v, int bytes, std::string* out) {
    for (int i = 0; i < bytes; i++)
        out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t get_le(const std::string& in, size_t at, int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= uint64_t(static_cast<uint8_t>(in[at + static_cast<size_t>(i)])) << (8 * i);
    return v;
}

// The distinct snapshot blocks (neighbouring checkpoints share one when no
// node snapshotted in between) and each checkpoint's index into them.
std::vector<std::string> snapshot_blocks(const std::vector<Timeline::Checkpoint>& cps,
                                         std::vector<uint64_t>* index) {
    std::vector<std::string> blocks;
    const std::string* last = nullptr;
    for (const Timeline::Checkpoint& c : cps) {
        ASSERT(c.snapshots != nullptr);
        if (c.snapshots.get() != last) blocks.push_back(*c.snapshots);
        last = c.snapshots.get();
        index->push_back(blocks.size() - 1);
    }
    return blocks;
}

std::string encode_payload(const RunArchive& ar) {
    ArchiveOut a;
    std::string scenario = scenario_to_json(*ar.scenario);
    uint64_t seed = ar.seed, digest = ar.digest_state;
    int64_t events = ar.end_events, end_us = ar.end_us;
    a(scenario, seed);
    save_inputs(a, ar.inputs);
    a(digest, events, end_us);
    save_logs(a, ar.logs);
    std::vector<uint64_t> index;
    std::vector<std::string> blocks = snapshot_blocks(ar.checkpoints, &index);
    uint64_t n = ar.checkpoints.size();
    a(blocks, n);
    for (size_t i = 0; i < ar.checkpoints.size(); i++) {
        std::string state = save_checkpoint_state(ar.checkpoints[i].state);
        std::string logs = ar.checkpoints[i].logs;
        a(state, logs, index[i]);
    }
    return a.bytes();
}

// ---- decoding -----------------------------------------------------------------------

std::string check_header(const std::string& bytes) {
    const size_t n = bytes.size();
    if (n < kArchiveMagicBytes) {
        if (std::memcmp(bytes.data(), kArchiveMagic, n) != 0 || n == 0)
            return "not a raftplay archive";
        return "truncated at byte " + std::to_string(n) + " (in the header)";
    }
    if (std::memcmp(bytes.data(), kArchiveMagic, kArchiveMagicBytes) != 0)
        return "not a raftplay archive";
    if (n < kArchiveHeaderBytes)
        return "truncated at byte " + std::to_string(n) + " (in the header)";
    const uint64_t version = get_le(bytes, kArchiveMagicBytes, 4);
    if (version > kArchiveVersion) {
        return "version " + std::to_string(version) + " is newer than this build (" +
               std::to_string(kArchiveVersion) + ")";
    }
    if (version == 0) return "version 0 is not a format version";
    if (version < kArchiveVersion) {
        return "version " + std::to_string(version) + " is older than this build's (" +
               std::to_string(kArchiveVersion) + "): record the run again";
    }
    const uint64_t size = get_le(bytes, kArchiveMagicBytes + 4, 8);
    if (size > n - kArchiveHeaderBytes) {
        return "truncated at byte " + std::to_string(n) + " (the payload is " +
               std::to_string(size) + " bytes, the file ends after " +
               std::to_string(n - kArchiveHeaderBytes) + ")";
    }
    if (size < n - kArchiveHeaderBytes)
        return std::to_string(n - kArchiveHeaderBytes - size) + " bytes after the payload";
    const std::string payload = bytes.substr(kArchiveHeaderBytes);
    if (base::hash_bytes(payload) != get_le(bytes, kArchiveMagicBytes + 12, 8))
        return "checksum mismatch (the file is corrupted)";
    return "";
}

bool load_run(ArchiveIn& a, const std::string& source, RunArchive* out, std::string* error) {
    std::string scenario_text;
    a.string(scenario_text, "scenario_bytes_max", kMaxScenarioBytes);
    a(out->seed);
    load_inputs(a, &out->inputs);
    a(out->digest_state, out->end_events, out->end_us);
    if (!a.ok()) return *error = a.error(), false;
    auto scenario = std::make_shared<Scenario>();
    if (!parse_scenario(scenario_text, source + ": scenario", {}, scenario.get(), error))
        return false;
    if (!check_inputs(*scenario, out->inputs, error)) return *error = source + ": " + *error, false;
    // An open-ended run (the page plays on past the script) may end up to
    // kMaxOpenEndUs after the duration.
    if (out->end_events < 0 || out->end_us < 0 ||
        out->end_us > scenario->duration_us + kMaxOpenEndUs) {
        *error = source + ": the run's end (" + std::to_string(out->end_us) +
                 " us) is outside the scenario's duration and its open end";
        return false;
    }
    out->scenario = std::move(scenario);
    Digest d;
    d.set_state(out->digest_state);
    out->digest = d.hex();
    return true;
}

// Order, range and decodability of one checkpoint (its state was checked by
// load_checkpoint_state).
std::string check_checkpoint(const RunArchive& ar, size_t i, const Timeline::Checkpoint& c) {
    const WorldState& s = c.state;
    if (i == 0 && s.events != 0) return "the first checkpoint is not at event 0";
    if (i > 0) {
        const WorldState& p = ar.checkpoints[i - 1].state;
        if (s.events <= p.events || s.now_us < p.now_us) return "out of order";
    }
    if (s.events > ar.end_events || s.now_us > ar.end_us) return "beyond the end of the run";
    if (s.next_action > ar.scenario->timeline.size() + ar.inputs.size())
        return "action index beyond the timeline";
    WorldState unpacked;
    std::string why;
    if (!Timeline::unpack_checked(c, &unpacked, &why)) return why;
    return check_unpacked_state(unpacked);
}

bool load_checkpoints(ArchiveIn& a, const std::string& source, RunArchive* out,
                      std::string* error) {
    std::vector<std::string> blocks;
    a(blocks);
    const uint64_t n = a.size(0, "archive_checkpoints_max", kMaxArchiveCheckpoints, 3);
    std::vector<std::shared_ptr<const std::string>> shared;
    for (std::string& b : blocks)
        shared.push_back(std::make_shared<const std::string>(std::move(b)));
    for (uint64_t i = 0; i < n && a.ok(); i++) {
        std::string state;
        Timeline::Checkpoint c;
        uint64_t block = 0;
        a(state, c.logs, block);
        if (!a.ok()) break;
        if (block >= shared.size())
            return *error = source + ": a snapshot block out of range", false;
        c.snapshots = shared[static_cast<size_t>(block)];
        if (!load_checkpoint_state(state, *out->scenario, out->logs, &c.state, error)) {
            *error = source + ": checkpoint " + std::to_string(i) + ": " + *error;
            return false;
        }
        Timeline::account(&c);
        out->checkpoints.push_back(std::move(c));
        const std::string why =
            check_checkpoint(*out, out->checkpoints.size() - 1, out->checkpoints.back());
        if (!why.empty()) {
            *error = source + ": checkpoint " + std::to_string(i) + ": " + why;
            return false;
        }
    }
    if (a.ok() && out->checkpoints.empty()) a.fail("no checkpoints");
    if (a.ok() && a.left() != 0) a.fail(std::to_string(a.left()) + " bytes after the checkpoints");
    if (!a.ok()) return *error = a.error(), false;
    return true;
}

}  // namespace

std::string frame_archive_payload(const std::string& payload, uint32_t version) {
    std::string out(kArchiveMagic, kArchiveMagicBytes);
    put_le(version, 4, &out);
    put_le(payload.size(), 8, &out);
    put_le(base::hash_bytes(payload), 8, &out);
    out += payload;
    return out;
}

bool is_run_archive(const std::string& bytes) {
    return bytes.size() >= kArchiveMagicBytes &&
           std::memcmp(bytes.data(), kArchiveMagic, kArchiveMagicBytes) == 0;
}

std::string encode_run_archive(const RunArchive& archive) {
    return frame_archive_payload(encode_payload(archive));
}

bool decode_run_archive(const std::string& bytes, const std::string& source, RunArchive* out,
                        std::string* error) {
    if (bytes.size() > kMaxArchiveBytes) {
        *error = source + ": limit archive_bytes_max: " + std::to_string(bytes.size()) + " > " +
                 std::to_string(kMaxArchiveBytes);
        return false;
    }
    if (std::string why = check_header(bytes); !why.empty()) {
        *error = source + ": " + why;
        return false;
    }
    RunArchive ar;
    const std::string payload = bytes.substr(kArchiveHeaderBytes);  // outlives `a`
    ArchiveIn a(payload, source + ": payload");
    if (!load_run(a, source, &ar, error)) return false;
    load_logs(a, &ar.logs);
    if (!a.ok()) return *error = a.error(), false;
    if (!load_checkpoints(a, source, &ar, error)) return false;
    *out = std::move(ar);
    return true;
}

RunArchive archive_of(Timeline& timeline) {
    timeline.seek_event(timeline.horizon_events());
    // Then the moment horizon_us, as verify_run_archive re-runs it: every
    // event at or before it (none left when the horizon is a moment, but
    // stale timers are popped) and the idle time the timeline had passed (a
    // paused page's clock stands past its last event).
    timeline.run_until(timeline.horizon_us());
    const World& w = timeline.world();
    RunArchive ar;
    ar.scenario = w.scenario_ptr();
    ar.seed = w.seed();
    ar.inputs = w.inputs();
    ar.digest = w.digest_hex();
    ar.digest_state = w.state().digest.state();
    ar.end_events = w.events();
    ar.end_us = w.now_us();
    ar.logs = logs_of(w);
    // A file holds each checkpoint whole (the timeline's share log chunks).
    for (const Timeline::Checkpoint& c : timeline.checkpoints())
        ar.checkpoints.push_back(Timeline::self_contained(c));
    return ar;
}

RunArchive record_run_archive(std::shared_ptr<const Scenario> scenario, uint64_t seed,
                              std::vector<Action> inputs, TimelineOptions options) {
    options.record_trace = true;
    Timeline t(scenario, seed, std::move(inputs), options);
    t.run_until(scenario->duration_us);
    return archive_of(t);
}

std::unique_ptr<Timeline> open_run_archive(RunArchive archive, TimelineOptions options) {
    auto world = std::make_unique<World>(archive.scenario, archive.seed, archive.inputs);
    install_logs(world.get(), std::move(archive.logs));
    return Timeline::adopt(std::move(world), std::move(archive.checkpoints), archive.end_events,
                           archive.end_us, options);
}

namespace {

// The checkpoint a timeline would take of `w` now, against the stored one.
std::string compare_checkpoint(World& w, const Timeline::Checkpoint& stored) {
    const Timeline::Checkpoint c = Timeline::pack(w.state_for_checkpoint(), nullptr);
    if (save_checkpoint_state(c.state) != save_checkpoint_state(stored.state))
        return "state differs";
    if (c.logs != stored.logs) return "packed logs differ";
    if (*c.snapshots != *stored.snapshots) return "snapshots differ";
    return "";
}

}  // namespace

ArchiveCheck verify_run_archive(const RunArchive& ar) {
    ArchiveCheck out;
    out.world = std::make_unique<World>(ar.scenario, ar.seed, ar.inputs);
    World& w = *out.world;
    w.record_trace = false;
    const std::vector<Timeline::Checkpoint>& cps = ar.checkpoints;
    size_t k = 0;
    auto check_here = [&]() {
        for (; k < cps.size() && cps[k].state.events == w.events(); k++) {
            const std::string why = compare_checkpoint(w, cps[k]);
            if (!why.empty() && out.error.empty()) {
                out.error = "checkpoint " + std::to_string(k) + " (event " +
                            std::to_string(w.events()) + "): " + why;
            }
            out.checkpoints_checked++;
        }
    };
    check_here();
    while (out.error.empty() && w.step(ar.end_us))
        check_here();
    w.advance_clock(ar.end_us);
    out.digest = w.digest_hex();
    if (out.error.empty() && k < cps.size())
        out.error = "checkpoint " + std::to_string(k) + " at event " +
                    std::to_string(cps[k].state.events) + " was never reached";
    if (out.error.empty() && out.digest != ar.digest)
        out.error = "digest mismatch: recorded " + ar.digest + ", got " + out.digest;
    if (out.error.empty() && (w.events() != ar.end_events || w.now_us() != ar.end_us))
        out.error = "the run ends elsewhere: recorded event " + std::to_string(ar.end_events) +
                    " at " + std::to_string(ar.end_us) + " us, got event " +
                    std::to_string(w.events()) + " at " + std::to_string(w.now_us()) + " us";
    out.ok = out.error.empty();
    return out;
}

}  // namespace sim
