// sim/convergence.cpp — whether a run converged (see convergence.h).
#include "sim/convergence.h"

namespace sim {

bool converged(const World& world, std::string* why) {
    ASSERT(why != nullptr);
    const raft::NodeId lead = world.leader();
    if (lead == raft::kNone) {
        *why = "no live leader at the end of the run";
        return false;
    }
    const raft::Node& l = world.nodes()[static_cast<size_t>(lead)].node;
    for (const NodeSlot& slot : world.nodes()) {
        if (!slot.alive || slot.paused) continue;
        const raft::Node& n = slot.node;
        // A server the configuration removed (or never added) is out of the
        // cluster: nothing is replicated to it any more.
        if (((l.membership().members() >> n.id()) & 1u) == 0) continue;
        if (n.last_applied() != l.last_applied() || n.kv().hash() != l.kv().hash()) {
            *why = "node " + std::to_string(n.id()) + " applied " +
                   std::to_string(n.last_applied()) + " (kv hash " + hex64(n.kv().hash()) +
                   ") but leader " + std::to_string(lead) + " applied " +
                   std::to_string(l.last_applied()) + " (kv hash " + hex64(l.kv().hash()) + ")";
            return false;
        }
    }
    return true;
}

}  // namespace sim
