// sim/network.h — the simulated network: the wire, cuts and partitions,
// clogs, and the verdicts on each message at send and at arrival.
//
// Fault model: per-link one-way latency (uniform with a long tail, from the
// network's own RNG stream), loss and duplication as ratios, reordering
// through jitter, partitions (symmetric and one-way, checked when a message
// arrives, so messages in flight across a new cut fail visibly at the cut),
// clogged links that hold messages until unclogged, and per-message
// drop/delay/duplicate from the user. Loss is decided at send time but shown
// at arrival. Only node-to-node traffic is lost, duplicated, cut or clogged;
// client traffic only takes a latency.
//
// The network owns its state (copied with WorldState for checkpoints). It
// must not know the event queue, the trace, processes or Raft's rules: it
// hands back message ids and times, and the world schedules and records them.
// Whether the receiving process is alive or paused is the world's verdict.
#pragma once

#include <cstdint>
#include <vector>

#include "base/assert.h"
#include "base/rng.h"
#include "sim/distributions.h"
#include "sim/scenario.h"
#include "sim/wire.h"

namespace sim {

// Why a message was dropped (TraceRecord::aux of a kDrop). A cut's drop is
// kDropPartition in aux, which the digest folds, whatever cut it was; the
// precise rule (a partition, a one-way cut, an entries-only cut) goes in
// TraceRecord::reason, which it does not: naming them apart changed no run.
// "loss", "partition", "dead", "user", "cut", "entries_only": trace lines
// carry the names.
enum DropReason : int64_t {
    kDropLoss = 0,
    kDropPartition,
    kDropDead,
    kDropUser,
    kDropCut,          // a one-way cut (cut_link)
    kDropEntriesOnly,  // a one-way cut of what carries entries (cut_link, entries_only)
    kDropReasonCount
};
const char* drop_reason_name(int64_t r);

// Counted per copy put on the wire (a duplicate counts twice, as in `sent`).
// Bytes are raft::wire_bytes, the defined encoding (docs/cli.md#bytes).
struct MessageCounts {
    int64_t sent = 0, delivered = 0, dropped = 0;
    int64_t by_type[static_cast<int>(raft::MsgType::kCount)] = {};
    int64_t bytes = 0;
    int64_t bytes_by_type[static_cast<int>(raft::MsgType::kCount)] = {};
    int64_t bytes_by_node[raft::kMaxNodes] = {};  // by sending node (client replies included)
    int64_t bytes_from_clients = 0;               // client requests
};

// The network's verdict on a message whose delivery event came due.
enum class Arrival : uint8_t {
    kStale,      // removed by the user or re-timed since: ignore the event
    kToClient,   // a reply reaching its client
    kLost,       // lost at send time (loss, user drop): drop it now
    kPartition,  // a cut blocks it: drop it now
    kArrives,    // reaches the node (if its process can take it)
};

class Network {
  public:
    // InFlight::deliver_us of a message that waits, not scheduled.
    static constexpr int64_t kClogged = -1, kHeld = -2;
    // Cut values: what blocks a direction, and which rule it was: a one-way
    // cut of everything, of what carries entries, or a partition's side.
    static constexpr uint8_t kCutAll = 1, kCutEntries = 2, kCutPartition = 3;

    Network() = default;
    Network(int nodes, const NetworkModel& model, base::Rng rng);

    // ---- sending ------------------------------------------------------------------
    // A send is copies() then add_copy() once per copy (the last moves m in).
    // Inline, with the world's tracing between the two: they run for every
    // message, and the copy is built in place (a Message is large).
    //
    // How many copies of a message leave: 2 on a duplication draw, else 1.
    [[gnu::always_inline]] int copies(bool from_client, bool to_client) {
        ASSERT_MSG(!(from_client && to_client), "clients talk to nodes only");
        const bool internal = !from_client && !to_client;
        return internal && rng_.chance(model_.duplicate_ppm, kPpm) ? 2 : 1;
    }
    // Puts one copy of m, of `bytes` on the wire (raft::wire_bytes), on the
    // wire with its latency and loss drawn (a clogged link holds it:
    // deliver_us < 0, no delivery event is due). The reference is valid
    // until the next add.
    [[gnu::always_inline]] InFlight& add_copy(raft::Message& m, bool last, bool from_client,
                                              bool to_client, int64_t now_us, int64_t bytes,
                                              int64_t* id) {
        // (A node's ends are checked where they are used: link() on the
        // clog below and on arrival, the world's slot() on delivery.)
        const bool internal = !from_client && !to_client;
        *id = next_msg_id_++;
        InFlight& f = wire_.add(*id);
        f.sent_us = now_us;
        f.from_client = from_client;
        f.to_client = to_client;
        f.deliver_us = draw_latency_us(now_us);
        f.lost = internal && rng_.chance(model_.loss_ppm, kPpm);
        counts_.sent++;
        counts_.by_type[static_cast<int>(m.type)]++;
        count_bytes(m, from_client, bytes);
        if (internal && link_clogged(m.from, m.to)) {
            f.deliver_us = kClogged;
            clogged_.push_back(*id);
        }
        if (last) {
            f.msg.take_from(m);  // m gets the slot's old storage back (MessageList reuses it)
        } else {
            f.msg = m;
        }
        return f;
    }

    // ---- arrival --------------------------------------------------------------------
    // Inline, like the wire's erase: they run for every message.
    // *out: the message, unless stale.
    [[gnu::always_inline]] Arrival arrive(int64_t msg_id, int64_t event_t_us, InFlight** out) {
        InFlight* f = wire_.find(msg_id);
        if (f == nullptr || f->deliver_us != event_t_us) return Arrival::kStale;
        *out = f;
        if (f->to_client) return Arrival::kToClient;
        if (f->lost) return Arrival::kLost;
        if (!f->from_client && cut_drops(f->msg)) return Arrival::kPartition;
        return Arrival::kArrives;
    }
    // Takes a message off the wire, counted as delivered or dropped.
    [[gnu::always_inline]] void delivered(int64_t msg_id) {
        counts_.delivered++;
        wire_.erase(msg_id);
    }
    [[gnu::always_inline]] void dropped(int64_t msg_id) {
        counts_.dropped++;
        wire_.erase(msg_id);
    }
    // A paused process does not read its socket: the message waits.
    void hold(int64_t msg_id);
    // A held message is read now; false when it is gone.
    bool release_held(int64_t msg_id, int64_t now_us);

    // ---- links --------------------------------------------------------------------
    bool link_cut(int from, int to) const { return cut_[link(from, to)] != 0; }
    bool link_clogged(int from, int to) const { return clog_[link(from, to)] != 0; }
    // Whether the cut of m's link drops m (checked on arrival).
    bool cut_drops(const raft::Message& m) const {
        const uint8_t c = cut_[link(m.from, m.to)];
        if (c == kCutEntries) return !m.entries.empty() || m.type == raft::MsgType::kSnapshot;
        return c != 0;
    }
    // The DropReason of a message cut_drops drops.
    int64_t cut_reason(const raft::Message& m) const {
        const uint8_t c = cut_[link(m.from, m.to)];
        ASSERT(c != 0);
        return c == kCutPartition ? kDropPartition : c == kCutEntries ? kDropEntriesOnly : kDropCut;
    }
    void cut_link(int from, int to, bool entries_only);
    // MIT 6.5840's disconnect / connect: a disconnected node is cut from
    // every other node both ways; reconnecting nodes restores their links to
    // each other and to every node that is not itself disconnected (cut from
    // all others both ways).
    void disconnect(int id);
    void reconnect(const std::vector<int>& ids);
    bool isolated(int id) const {
        ASSERT(static_cast<uint32_t>(id) < static_cast<uint32_t>(n_));
        return disconnected_[static_cast<size_t>(id)] != 0;
    }
    void clog(int from, int to);
    // group[i]: node i's side; every pair on different sides is cut both ways.
    void partition(const std::vector<int>& group);
    // Unclogs (heal: also uncuts) every link; ids released from clogs, in
    // order, go to *released with their new delivery time set.
    void unclog(int from, int to, int64_t now_us, std::vector<int64_t>* released);
    void heal(int64_t now_us, std::vector<int64_t>* released);
    void set_model(const Action& a);

    // ---- user actions on one message ---------------------------------------------------
    // A user drop: a scheduled message is marked lost (it fails visibly when
    // it arrives); a waiting one (clogged, held) must be dropped now.
    enum class UserDrop : uint8_t { kGone, kMarked, kDropNow };
    UserDrop user_drop(int64_t msg_id);
    // Re-times a scheduled message; false when it is gone or waits.
    bool user_delay(int64_t msg_id, int64_t delay_us);

    // ---- views ------------------------------------------------------------------------
    const Wire& wire() const { return wire_; }
    int64_t next_msg_id() const { return next_msg_id_; }  // the id the next send gets
    Wire& wire() { return wire_; }
    const NetworkModel& model() const { return model_; }
    const MessageCounts& counts() const { return counts_; }
    int nodes() const { return n_; }

    // Every member, for the run archive (format/state_archive.cpp), so that
    // sim/ needs no format library and no accessor per field. A new member
    // must be listed here (the archive's round-trip test fails otherwise).
    template <class Self, class F>
    static void visit_fields(Self& self, F&& f) {
        f("n", self.n_);
        f("model", self.model_);
        f("rng", self.rng_);
        f("next_msg_id", self.next_msg_id_);
        f("wire", self.wire_);
        f("cut", self.cut_);
        f("clog", self.clog_);
        f("clogged", self.clogged_);
        f("counts", self.counts_);
        f("disconnected", self.disconnected_);
    }

  private:
    size_t link(int from, int to) const {
        // Both in [0, n): one unsigned comparison each (a negative id wraps).
        ASSERT(static_cast<uint32_t>(from) < static_cast<uint32_t>(n_) &&
               static_cast<uint32_t>(to) < static_cast<uint32_t>(n_));
        return static_cast<size_t>(from * n_ + to);
    }
    [[gnu::always_inline]] int64_t draw_latency_us(int64_t now_us) {
        return now_us + draw_latency(rng_, model_.latency_us_min, model_.latency_us_max,
                                     model_.tail_ppm, model_.tail_us_max);
    }
    void release_clogged(int64_t now_us, std::vector<int64_t>* released);
    [[gnu::always_inline]] void count_bytes(const raft::Message& m, bool from_client,
                                            int64_t bytes) {
        counts_.bytes += bytes;
        counts_.bytes_by_type[static_cast<int>(m.type)] += bytes;
        if (from_client) {
            counts_.bytes_from_clients += bytes;
        } else {
            ASSERT(static_cast<uint32_t>(m.from) < static_cast<uint32_t>(n_));
            counts_.bytes_by_node[m.from] += bytes;
        }
    }

    int n_ = 0;
    NetworkModel model_;
    base::Rng rng_;
    int64_t next_msg_id_ = 1;
    Wire wire_;
    std::vector<uint8_t> cut_;      // cut_[from * n + to]: one direction blocked
    std::vector<uint8_t> clog_;     // clog_[from * n + to]
    std::vector<int64_t> clogged_;  // message ids held by clogs
    MessageCounts counts_;
    // disconnected_[i]: node i was disconnected (and not reconnected since,
    // nor healed or partitioned anew): MIT's per-server "connected" flag.
    std::vector<int8_t> disconnected_;
};

}  // namespace sim
