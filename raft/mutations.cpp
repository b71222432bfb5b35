// raft/mutations.cpp — names of the protocol mutations (deliberately broken
// rules that prove the checkers catch real bugs).
//
// Owns only the name table: scenario files and the CLI spell mutations by
// these names, so renaming one breaks saved scenarios. Must not enable or
// interpret a mutation; the protocol code does that.
#include <cstdint>
#include <string>

#include "raft/types.h"

namespace raft {
namespace {

struct MutationName {
    uint32_t bit;
    const char* name;
};

// Order is the bit order; serializers list enabled mutations in this order.
constexpr MutationName kMutationNames[] = {
    {kMutVoteWithoutPersist, "vote_without_persist"},
    {kMutCommitOldTerm, "commit_old_term"},
    {kMutSkipUpToDateCheck, "skip_up_to_date_check"},
    {kMutFollowerLocalReads, "follower_local_reads"},
    {kMutAckBeforeFsync, "ack_before_fsync"},
    {kMutSingleServerBug, "single_server_bug"},
    {kMutConfOnCommit, "conf_on_commit"},
    {kMutCountLearnerVotes, "count_learner_votes"},
    {kMutTransferKeepsProposing, "transfer_keeps_proposing"},
};

}  // namespace

const char* mutation_name(uint32_t bit) {
    if (bit == kMutNone) return "none";
    for (const MutationName& m : kMutationNames) {
        if (m.bit == bit) return m.name;
    }
    return "?";
}

uint32_t mutation_from_name(const std::string& name) {
    for (const MutationName& m : kMutationNames) {
        if (name == m.name) return m.bit;
    }
    return kMutNone;
}

}  // namespace raft
