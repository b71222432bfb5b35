// session/bug_hunts.cpp — where a protocol mutation can show (bug_hunts.h).
#include "session/bug_hunts.h"

#include "raft/types.h"

namespace session {
namespace {

bool has_step(const sim::Scenario& s, std::initializer_list<sim::ActionKind> kinds) {
    for (const sim::Action& a : s.timeline) {
        for (sim::ActionKind k : kinds) {
            if (a.kind == k) return true;
        }
    }
    return false;
}

bool has_crash(const sim::Scenario& s) {
    return has_step(s, {sim::ActionKind::kKill});
}

// Something that can leave logs different at an election: a crash, a
// partition or cut, a lossy network, or logs preset that way.
bool has_divergence(const sim::Scenario& s) {
    using K = sim::ActionKind;
    return !s.preset.empty() || s.network.loss_ppm > 0 ||
           has_step(s, {K::kKill, K::kPause, K::kPartition, K::kCutLink, K::kClog, K::kSetNetwork});
}

bool has_conf_change(const sim::Scenario& s) {
    using K = sim::ActionKind;
    return has_step(s, {K::kAddNode, K::kAddLearner, K::kPromote, K::kRemoveNode});
}

bool has_reads(const sim::Scenario& s) {
    return (s.workload.clients > 0 && s.workload.get_ppm > 0) ||
           has_step(s, {sim::ActionKind::kGet});
}

}  // namespace

std::string mutation_cannot_show(const sim::Scenario& s, uint32_t bit) {
    const std::string name = raft::mutation_name(bit);
    const std::string tail = " Kill a node yourself, or try the Bug hunts in the scenario list.";
    switch (bit) {
        case raft::kMutVoteWithoutPersist:
        case raft::kMutAckBeforeFsync:
            if (!has_crash(s))
                return name +
                       " cannot show here: it loses what was not on disk, and nothing in "
                       "this scenario crashes a node." +
                       tail;
            return "";
        case raft::kMutCommitOldTerm:
        case raft::kMutSkipUpToDateCheck:
            if (!has_divergence(s))
                return name +
                       " cannot show here: it needs logs that differ at an election, and "
                       "no fault or preset in this scenario makes them differ." +
                       tail;
            return "";
        case raft::kMutFollowerLocalReads:
            if (!has_reads(s)) return name + " cannot show here: the scenario makes no reads.";
            if (!has_divergence(s))
                return name + " cannot show here: no fault leaves a follower stale." + tail;
            return "";
        case raft::kMutSingleServerBug:
            // Two changes from leaders of different terms, one of them not
            // committed: a change step and a fault that splits the cluster.
            if (!has_conf_change(s))
                return name + " cannot show here: the scenario changes no configuration.";
            if (!has_divergence(s))
                return name +
                       " cannot show here: it needs a change left uncommitted by a leader that "
                       "loses its majority, and no fault in this scenario does that." +
                       tail;
            return "";
        case raft::kMutConfOnCommit:
            if (!has_conf_change(s))
                return name + " cannot show here: the scenario changes no configuration.";
            return "";
        case raft::kMutCountLearnerVotes:
            if (!has_step(s, {sim::ActionKind::kAddLearner}))
                return name + " cannot show here: the scenario adds no learner.";
            return "";
        case raft::kMutTransferKeepsProposing:
            if (!has_step(s, {sim::ActionKind::kTransferLeader}))
                return name + " cannot show here: the scenario transfers no leadership.";
            return "";
        default:
            return "";
    }
}

std::string mutations_notice(const sim::Scenario& s) {
    for (uint32_t bit = 1; bit != 0; bit <<= 1) {
        if ((s.cluster.mutations & bit) == 0) continue;
        if (std::string why = mutation_cannot_show(s, bit); !why.empty()) return why;
    }
    return "";
}

}  // namespace session
