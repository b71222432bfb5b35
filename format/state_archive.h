// format/state_archive.h — the binary encoding of a world's state and logs
// inside a run archive (format/run_archive.h), on cereal's portable binary
// archives.
//
// Owns ArchiveOut / ArchiveIn, the two sides every serialize function in
// state_archive.cpp is written against (cereal's shape: one
// `serialize(A& a, T& x)` per struct, `a(x.f1, x.f2, ...)` for its fields),
// and the entry points run_archive.cpp calls. cereal encodes the primitives
// (fixed width, little-endian on every platform); containers, strings and
// enumerations are written here, because reading them back must never trust
// the file:
// - ArchiveIn reads through a streambuf that, past the end, hands out zeros
//   and notes the overrun instead of failing the read (cereal throws on a
//   short read, and the WebAssembly build has no exceptions);
// - every size is checked against a named limit and against the bytes left
//   before anything is allocated (cereal's own container loads resize first);
// - every enumeration is checked against its range, every bool is 0 or 1.
// After the first failure an ArchiveIn reads zeros and sizes of 0, so a
// decoder simply runs to its end and then asks ok().
#pragma once

#include <cstdint>
#include <memory>
#include <sstream>
#include <streambuf>
#include <string>
#include <type_traits>
#include <vector>

#include "sim/scenario.h"
#include "sim/world.h"

namespace cereal {
class PortableBinaryOutputArchive;
class PortableBinaryInputArchive;
}  // namespace cereal

namespace sim {

// ---- limits on what a file may ask for -------------------------------------------------
// "archive_items_max": elements of any one list in an archive (trace records,
// history operations, messages on the wire, events, ...). Checked before
// allocating, with the bytes left: a hostile size never reaches resize().
constexpr uint64_t kMaxArchiveItems = uint64_t(1) << 26;
// "archive_string_bytes_max": one string or byte block inside an archive
// (a key, a value, a checkpoint's packed logs); the scenario text has
// scenario_bytes_max.
constexpr uint64_t kMaxArchiveStringBytes = uint64_t(256) << 20;

class ArchiveOut {
  public:
    static constexpr bool kLoading = false;
    ArchiveOut();
    ~ArchiveOut();
    ArchiveOut(const ArchiveOut&) = delete;
    ArchiveOut& operator=(const ArchiveOut&) = delete;
    // The bytes written so far.
    std::string bytes() const { return stream_.str(); }

    template <class... T>
    void operator()(T&... xs) {
        (item(xs), ...);
    }
    template <class T>
    void item(T& x);
    template <class E>
    void enumeration(E& e, uint64_t count) {
        (void)count;
        uint64_t v = static_cast<uint64_t>(e);
        prim(v);
    }
    // A string of at most `limit` bytes (checked on reading only).
    void string(std::string& s, const char* limit_name = "archive_string_bytes_max",
                uint64_t limit = kMaxArchiveStringBytes);
    uint64_t size(uint64_t n, const char*, uint64_t, uint64_t) {
        prim(n);
        return n;
    }
    void fail(const std::string&) {}
    bool ok() const { return true; }

  private:
    template <class T>
    void prim(T& x);
    std::ostringstream stream_;
    std::unique_ptr<cereal::PortableBinaryOutputArchive> ar_;
};

// Reads `bytes` (which must outlive it); past their end, zeros (and ok()
// turns false).
class ArchiveIn {
  public:
    static constexpr bool kLoading = true;
    ArchiveIn(const std::string& bytes, std::string context);
    ~ArchiveIn();
    ArchiveIn(const ArchiveIn&) = delete;
    ArchiveIn& operator=(const ArchiveIn&) = delete;

    template <class... T>
    void operator()(T&... xs) {
        (item(xs), ...);
    }
    template <class T>
    void item(T& x);
    template <class E>
    void enumeration(E& e, uint64_t count) {
        uint64_t v = 0;
        prim(v);
        if (v >= count) fail("enumeration value " + std::to_string(v) + " out of range");
        e = failed_ ? E{} : static_cast<E>(v);
    }
    void string(std::string& s, const char* limit_name = "archive_string_bytes_max",
                uint64_t limit = kMaxArchiveStringBytes);
    // A size tag for `limit_name`, each element taking at least `min_bytes`
    // of what is left: 0 after a failure.
    uint64_t size(uint64_t, const char* limit_name, uint64_t limit, uint64_t min_bytes);
    // Records the first failure; later reads return zeros.
    void fail(const std::string& why);
    bool ok() const { return !failed_ && !buf_.overrun(); }
    // "" when ok; else what went wrong, with the byte offset.
    std::string error() const;
    size_t position() const { return buf_.position(); }
    size_t left() const { return buf_.left(); }

  private:
    // Hands out the bytes, then zeros: a short read never reaches cereal.
    class ZeroTail : public std::streambuf {
      public:
        ZeroTail(const char* p, size_t n) : p_(p), n_(n) {}
        bool overrun() const { return overrun_; }
        size_t position() const { return pos_; }
        size_t left() const { return n_ - pos_; }

      protected:
        std::streamsize xsgetn(char* s, std::streamsize n) override;
        int_type underflow() override { return traits_type::eof(); }

      private:
        const char* p_;
        size_t n_, pos_ = 0;
        bool overrun_ = false;
    };
    template <class T>
    void prim(T& x);
    std::string context_;
    ZeroTail buf_;
    std::istream stream_;
    std::unique_ptr<cereal::PortableBinaryInputArchive> ar_;
    bool failed_ = false;
    bool why_truncated_ = false;  // the first failure was a size beyond the end
    std::string why_;
    size_t why_at_ = 0;
};

// ---- what run_archive.cpp stores ------------------------------------------------------
// The run's append-only logs as the world holds them at the end of the run.
struct RunLogs {
    std::vector<TraceRecord> trace;
    History history;
    std::vector<LeaderRecord> leaders;
    std::vector<Violation> violations;
    std::vector<std::pair<raft::Term, uint64_t>> applied;  // the checker's records
    std::vector<raft::Term> commit_terms;
};
// Copies a world's logs out; installs logs into a freshly built world (its
// state is restored from a checkpoint after).
RunLogs logs_of(const World& w);
void install_logs(World* w, RunLogs logs);

void save_logs(ArchiveOut& a, const RunLogs& logs);
void load_logs(ArchiveIn& a, RunLogs* logs);
void save_inputs(ArchiveOut& a, const std::vector<Action>& inputs);
void load_inputs(ArchiveIn& a, std::vector<Action>* inputs);

// One checkpoint's state (Timeline::Checkpoint::state: a WorldState whose
// logs, key-value stores and snapshots are out) as bytes, and back. The load
// checks what can be checked structurally against the scenario: the node
// count, ids in range, enumerations, message ids, sizes of the logs.
std::string save_checkpoint_state(const WorldState& s);
// The structural checks alone (state_check.cpp): "" when `s` may run.
std::string check_loaded_state(const Scenario& scenario, const RunLogs& logs, const WorldState& s);
// The second stage, on the state Timeline::unpack_checked made of a loaded
// checkpoint (logs, snapshots and stores in place): each node's own rules
// (raft::Node::broken_rule_between_inputs), the disks' logs, and what the
// handlers of the messages it holds assert. "" when it may run.
std::string check_unpacked_state(const WorldState& s);
bool load_checkpoint_state(const std::string& bytes, const Scenario& scenario, const RunLogs& logs,
                           WorldState* out, std::string* error);

}  // namespace sim
