// raft/types.cpp — names of the protocol vocabulary and the entry hash.
#include "raft/types.h"

#include "raft/kv.h"

namespace raft {

const std::string& Blob::empty_string() {
    static const std::string kEmpty;
    return kEmpty;
}

const char* op_name(OpType op) {
    switch (op) {
        case OpType::kPut:
            return "put";
        case OpType::kGet:
            return "get";
        case OpType::kDelete:
            return "delete";
        case OpType::kCas:
            return "cas";
    }
    return "?";
}

const char* msg_type_name(MsgType t) {
    switch (t) {
        case MsgType::kPreVote:
            return "pre_vote";
        case MsgType::kPreVoteResp:
            return "pre_vote_resp";
        case MsgType::kVote:
            return "vote";
        case MsgType::kVoteResp:
            return "vote_resp";
        case MsgType::kAppend:
            return "append";
        case MsgType::kAppendResp:
            return "append_resp";
        case MsgType::kSnapshot:
            return "snapshot";
        case MsgType::kSnapshotResp:
            return "snapshot_resp";
        case MsgType::kProp:
            return "prop";
        case MsgType::kClientReq:
            return "client_req";
        case MsgType::kClientResp:
            return "client_resp";
        case MsgType::kCount:
            break;
    }
    return "?";
}

const char* role_name(Role r) {
    switch (r) {
        case Role::kFollower:
            return "follower";
        case Role::kPreCandidate:
            return "pre_candidate";
        case Role::kCandidate:
            return "candidate";
        case Role::kLeader:
            return "leader";
    }
    return "?";
}

uint64_t entry_hash(const Entry& e) {
    uint64_t h = 0xcbf29ce484222325ull;
    auto mix_int = [&h](uint64_t v) {
        for (int i = 0; i < 8; i++) {
            h ^= (v >> (8 * i)) & 0xff;
            h *= 0x100000001b3ull;
        }
    };
    mix_int(static_cast<uint64_t>(e.term));
    mix_int(static_cast<uint64_t>(e.index));
    mix_int(static_cast<uint64_t>(e.type));
    mix_int(static_cast<uint64_t>(e.cmd.client_id));
    mix_int(static_cast<uint64_t>(e.cmd.seq));
    mix_int(static_cast<uint64_t>(e.cmd.op));
    h = fnv1a64(e.cmd.key, h);
    mix_int(0x1f);
    h = fnv1a64(e.cmd.value, h);
    mix_int(0x1e);
    h = fnv1a64(e.cmd.expected, h);
    return h;
}

}  // namespace raft
