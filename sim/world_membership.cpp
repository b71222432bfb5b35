// sim/world_membership.cpp — the world's side of membership changes (thesis
// ch. 4) and leadership transfer (§3.10): booting spare servers, asking the
// leader of the moment for a change or a transfer, tracing the outcome, and
// following a transfer to its end (the new leader, or its abort).
//
// The protocol decides (raft/node_membership.cpp); the world only routes the
// request, as an operator's tool would, and records what happened. A
// request with no leader to take it is refused ("not_leader") and traced.
#include <bit>

#include "sim/world.h"

namespace sim {

namespace {

raft::ConfChangeType conf_change_of(ActionKind k) {
    switch (k) {
        case ActionKind::kAddNode:
            return raft::ConfChangeType::kAddVoter;
        case ActionKind::kAddLearner:
            return raft::ConfChangeType::kAddLearner;
        case ActionKind::kPromote:
            return raft::ConfChangeType::kPromote;
        case ActionKind::kRemoveNode:
            return raft::ConfChangeType::kRemove;
        default:
            break;
    }
    ASSERT_UNREACHABLE("not a configuration change");
}

}  // namespace

raft::NodeId World::lowest_spare() const {
    for (int i = 0; i < n_; i++) {
        if (s_.nodes[static_cast<size_t>(i)].spare) return i;
    }
    return raft::kNone;
}

void World::apply_membership_action(const Action& a, const std::vector<raft::NodeId>& targets) {
    const bool add = a.kind == ActionKind::kAddNode || a.kind == ActionKind::kAddLearner;
    raft::NodeId target = targets.empty() ? raft::kNone : targets.front();
    if (add && a.node.sel == NodeSelector::kNone) target = lowest_spare();
    const raft::NodeId lead = leader();
    const bool lead_ready = lead != raft::kNone && !slot(lead).paused;
    if (a.kind == ActionKind::kTransferLeader) {
        if (target != raft::kNone && lead_ready) return apply_transfer(lead, target);
        s_.membership.refused++;
        record(TraceRecord{0, TraceKind::kTransfer, 0, lead, target, 0,
                           static_cast<int64_t>(lead_ready ? raft::ConfRefusal::kInvalid
                                                           : raft::ConfRefusal::kNotLeader),
                           static_cast<int64_t>(TransferEvent::kRefused)});
        return;
    }
    const raft::ConfChangeType type = conf_change_of(a.kind);
    raft::ConfRefusal why = raft::ConfRefusal::kNotLeader;
    raft::Index index = 0;
    if (target == raft::kNone) {
        why = raft::ConfRefusal::kInvalid;
    } else if (lead_ready) {
        why = slot(lead).node.propose_conf_change(type, target);
        if (why == raft::ConfRefusal::kNone) index = slot(lead).node.conf_index();
        // The new server boots (with its empty disk) once the leader took
        // it; a refused add leaves the spare as it was.
        if (why == raft::ConfRefusal::kNone && add && slot(target).spare) {
            slot(target).spare = false;
            restart(target);
        }
    }
    if (why != raft::ConfRefusal::kNone) s_.membership.refused++;
    record(TraceRecord{0, TraceKind::kConfChange, 0, lead, target,
                       lead != raft::kNone ? slot(lead).node.current_term() : 0, index,
                       static_cast<int64_t>(type) | static_cast<int64_t>(why) << 8});
    if (lead_ready) after_node_input(lead);
}

void World::apply_transfer(raft::NodeId lead, raft::NodeId target) {
    NodeSlot& ls = slot(lead);
    const raft::ConfRefusal why = ls.node.transfer_leadership(target);
    MembershipStats& ms = s_.membership;
    TransferEvent ev = TransferEvent::kStarted;
    if (why == raft::ConfRefusal::kNone) {
        // A newer transfer replaces one still pending (its leader is gone).
        if (ms.transfer_to != raft::kNone) ms.transfers_aborted++;
        ms.transfers_started++;
        ms.transfer_from = lead;
        ms.transfer_to = target;
        ms.transfer_term = ls.node.current_term();
    } else {
        ms.refused++;
        ev = TransferEvent::kRefused;
    }
    record(TraceRecord{0, TraceKind::kTransfer, 0, lead, target, ls.node.current_term(),
                       static_cast<int64_t>(why), static_cast<int64_t>(ev)});
    after_node_input(lead);
}

// A transfer ends when its target leads a later term (completed), when
// another node does (aborted), or when its leader gives it up after an
// election timeout while still leading (aborted).
void World::note_transfer(int id) {
    MembershipStats& ms = s_.membership;
    ASSERT(ms.transfer_to != raft::kNone);
    const raft::Node& n = slot(id).node;
    if (n.role() != raft::Role::kLeader) return;
    TransferEvent ev = TransferEvent::kCount;
    if (n.current_term() > ms.transfer_term) {
        ev = id == ms.transfer_to ? TransferEvent::kCompleted : TransferEvent::kAborted;
    } else if (id == ms.transfer_from && n.lead_transferee() == raft::kNone) {
        ev = TransferEvent::kAborted;
    }
    if (ev == TransferEvent::kCount) return;
    (ev == TransferEvent::kCompleted ? ms.transfers_completed : ms.transfers_aborted)++;
    record(TraceRecord{0, TraceKind::kTransfer, 0, ms.transfer_from, ms.transfer_to,
                       n.current_term(), id, static_cast<int64_t>(ev)});
    ms.transfer_from = ms.transfer_to = raft::kNone;
    ms.transfer_term = 0;
}

// What a leader appended this input: configuration entries are counted by
// type, and the checker sees whether a transferring leader took proposals.
void World::note_leader_entries(int id, const raft::Ready& rd) {
    const raft::Node& n = slot(id).node;
    for (const raft::Entry& e : rd.entries) {
        if (e.term != n.current_term()) continue;  // (only its own term's are new)
        if (e.type == raft::EntryType::kConfig)
            s_.membership.entries[static_cast<size_t>(e.conf_type)]++;
    }
    checker_.on_leader_append(n, rd.entries);
}

void World::check_leader_commit(int id, raft::Index from) {
    const DurableState* disks[raft::kMaxNodes] = {};
    const raft::RaftLog* logs[raft::kMaxNodes] = {};
    for (int i = 0; i < n_; i++) {
        const NodeSlot& ns = s_.nodes[static_cast<size_t>(i)];
        disks[i] = &ns.disk.durable;
        logs[i] = ns.alive ? &ns.node.log() : nullptr;
    }
    const auto n = static_cast<size_t>(n_);
    checker_.on_leader_commit(s_.checker, slot(id).node, from,
                              std::span<const raft::RaftLog* const>(logs, n),
                              std::span<const DurableState* const>(disks, n));
}

}  // namespace sim
