// session/narration.h — the world in plain words: what the trace's events
// mean ("n1's election timer fired: it becomes a candidate for term 2 and
// asks for votes", "n3 refuses: its log is more up to date (§5.4.1)").
//
// What it owns
//   A narrated event list derived from the trace alone, record by record, in
//   trace order, so it is the same whether the run was played, scrubbed or
//   stepped. Records come in groups: an input (a delivery, a timer, a fsync,
//   a crash, an action) and the records its handling wrote (term, vote, role,
//   commit, sends). A group is narrated once it is complete, i.e. when the
//   next input arrives or the caller flushes after an ingest (the world
//   records a whole event in one step, so an ingest never ends mid-group).
//   A small model of every node (term, vote, role, commit, liveness), kept
//   from the same records, gives each sentence its context.
//
// What it must not do
//   Invent. When the trace does not say why something happened (a vote
//   request carries the candidate's last log index but not its term), the
//   reason is deduced only by elimination of the rules that are in the trace
//   (terms, votes), or the sentence says only what is known. No ImGui, no
//   world mutation; the world is read only for the violations' text, and the
//   caption reads it for what holds at the cursor (how many store an entry).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "raft/types.h"
#include "sim/trace.h"

namespace sim {
class World;
struct Scenario;
}  // namespace sim

namespace session {

enum class NarrationKind : uint8_t {
    kElection,  // timers firing, candidates, pre-votes
    kVote,      // a vote granted or refused
    kLeader,    // a leader elected, a leader or candidate stepping down, terms
    kCommit,    // entries committed by a leader
    kFault,     // crash, restart, pause, resume, corruption
    kAction,    // a scripted or user action
    kSnapshot,
    kViolation,
    kMembership,  // configuration changes (thesis ch. 4) and leadership transfers (§3.10)
};

struct NarratedEvent {
    int64_t t_us = 0;
    uint32_t record = 0;  // the trace index of the group's input
    int32_t node = -1;    // who the sentence is about, -1: nobody in particular
    NarrationKind kind = NarrationKind::kAction;
    int64_t index = 0;  // kCommit: the last entry committed
    std::string text;
};

// What the narration knows about one node, from the trace.
struct NodeModel {
    raft::Term term = 0;
    raft::NodeId voted_for = raft::kNone;
    bool vote_known = true;  // false after a restart until the trace shows a vote
    raft::Role role = raft::Role::kFollower;
    raft::Index commit = 0;
    bool alive = true;
    uint32_t votes_received = 0;  // candidate: granted replies delivered this term
    // Its latest vote or pre-vote request: the term asked for and its last
    // log term (the trace's note), so a log_behind refusal names both logs.
    raft::Term request_term = 0;
    raft::Term request_last_log_term = 0;
};

// The configuration as the trace tells it (thesis ch. 4): the voters and
// learners after every accepted change, the servers not added yet, and each
// configuration entry's change by index. The trace has the changes leaders
// accepted, not the entries a later leader overwrote, so the voter count
// ("3 of 4 votes") follows the accepted changes.
struct ConfModel {
    uint32_t voters = 0;
    uint32_t learners = 0;
    uint32_t spares = 0;  // not booted yet (sim::NodeSlot::spare)
    bool joint_consensus = false;
    struct Note {
        raft::ConfChangeType type = raft::ConfChangeType::kAddVoter;
        raft::NodeId target = raft::kNone;
        bool told_committed = false;  // once, by the first leader that applies it
    };
    std::map<int64_t, Note> entries;  // configuration entries by index
};

// A bound on the narrated events kept (a long busy run commits an entry
// every few milliseconds); the last one says the narration stopped.
constexpr size_t kNarratedMax = 200'000;

class Narration {
  public:
    void reset(const sim::Scenario& scenario);
    // One trace record, in order; `world` is the world that wrote it.
    void add(const sim::TraceRecord& r, uint32_t index, const sim::World& world);
    // Narrates the pending group: call after each ingest.
    void flush(const sim::World& world);

    const std::vector<NarratedEvent>& events() const { return events_; }
    // The events of the latest narrated moment at or before t_us: [first, last).
    std::pair<size_t, size_t> moment_at(int64_t t_us) const;
    const std::vector<NodeModel>& nodes() const { return nodes_; }

  private:
    // A voter's last grant (a vote reply counts for its candidate only if
    // the voter granted it in that term).
    struct GrantRecord {
        raft::NodeId to = raft::kNone;
        raft::Term term = 0;
    };
    void narrate_group(const sim::World& world);
    void count_vote_reply();
    void note_grants(const std::vector<NodeModel>& before);
    void emit(NarrationKind kind, int32_t node, std::string text, int64_t index = 0);

    int n_ = 0;
    bool have_input_ = false;
    sim::TraceRecord input_;
    uint32_t input_index_ = 0;
    std::vector<sim::TraceRecord> effects_;
    std::vector<NodeModel> nodes_;
    std::vector<NodeModel> before_;  // the model before the group (scratch)
    ConfModel conf_;
    std::vector<GrantRecord> grants_;
    size_t violations_seen_ = 0;
    std::vector<NarratedEvent> events_;
};

// The caption at the world's current moment: the sentences of the latest
// narrated moment at or before it (joined by "; "), with what the world at
// the cursor adds (e.g. "stored on 3 of 5"); empty before anything happened.
std::string caption(const Narration& narration, const sim::World& world);
// The time of the moment the caption tells, or -1.
int64_t caption_t_us(const Narration& narration, const sim::World& world);

// Plain words for a message type ("vote request", "append reply").
const char* message_words(raft::MsgType t);

}  // namespace session
