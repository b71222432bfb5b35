// raft/types.cpp — names of the protocol vocabulary and the entry hash.
#include "raft/types.h"

#include "base/assert.h"
#include "base/hash.h"
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
        case OpType::kAppend:
            return "append";
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
        case MsgType::kTimeoutNow:
            return "timeout_now";
        case MsgType::kCount:
            break;
    }
    return "?";
}

const char* refusal_name(Refusal r) {
    switch (r) {
        case Refusal::kNone:
            return "";
        case Refusal::kStaleTerm:
            return "stale_term";
        case Refusal::kAlreadyVoted:
            return "already_voted";
        case Refusal::kLogBehind:
            return "log_behind";
        case Refusal::kLease:
            return "lease";
        case Refusal::kLogMismatch:
            return "log_mismatch";
        case Refusal::kCount:
            break;
    }
    return "?";
}

RefusalNote refusal_note(const Message& m) {
    // A refusal rides only on a response that refuses (Message::refusal).
    ASSERT(m.refusal == Refusal::kNone || m.reject);
    ASSERT_CMP(m.refusal, <, Refusal::kCount);
    switch (m.refusal) {
        case Refusal::kAlreadyVoted:
            return {m.refusal, m.voted_for, 0, m.term, true};
        case Refusal::kLogBehind:
            return {m.refusal, kNone, m.last_log_index, m.last_log_term, true};
        case Refusal::kLogMismatch:
            return {m.refusal, kNone, m.hint_index, m.hint_term, true};
        case Refusal::kStaleTerm:
        case Refusal::kLease:
            return {m.refusal, kNone, 0, m.term, true};
        case Refusal::kNone:
        case Refusal::kCount:
            break;
    }
    return {};
}

const char* read_mode_name(ReadMode m) {
    switch (m) {
        case ReadMode::kLog:
            return "log";
        case ReadMode::kReadIndex:
            return "read_index";
        case ReadMode::kLease:
            return "lease";
    }
    return "?";
}

bool read_mode_from_name(const std::string& name, ReadMode* out) {
    for (ReadMode m : {ReadMode::kLog, ReadMode::kReadIndex, ReadMode::kLease}) {
        if (name == read_mode_name(m)) {
            *out = m;
            return true;
        }
    }
    return false;
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

const char* conf_change_name(ConfChangeType t) {
    switch (t) {
        case ConfChangeType::kAddVoter:
            return "add_voter";
        case ConfChangeType::kRemove:
            return "remove";
        case ConfChangeType::kAddLearner:
            return "add_learner";
        case ConfChangeType::kPromote:
            return "promote";
        case ConfChangeType::kEnterJoint:
            return "enter_joint";
        case ConfChangeType::kLeaveJoint:
            return "leave_joint";
        case ConfChangeType::kCount:
            break;
    }
    return "?";
}

const char* conf_refusal_name(ConfRefusal r) {
    switch (r) {
        case ConfRefusal::kNone:
            return "";
        case ConfRefusal::kNotLeader:
            return "not_leader";
        case ConfRefusal::kInFlight:
            return "in_flight";
        case ConfRefusal::kNotCommittedInTerm:
            return "not_committed_in_term";
        case ConfRefusal::kTransferring:
            return "transferring";
        case ConfRefusal::kInvalid:
            return "invalid";
        case ConfRefusal::kCount:
            break;
    }
    return "?";
}

namespace {
void append_ids(uint32_t set, std::string* out) {
    bool first = true;
    for (NodeId i = 0; i < kMaxNodes; i++) {
        if (((set >> i) & 1u) == 0) continue;
        if (!first) *out += ',';
        *out += std::to_string(i);
        first = false;
    }
}
}  // namespace

std::string membership_text(const Membership& m) {
    std::string s;
    append_ids(m.voters, &s);
    if (m.joint()) {
        s += " | ";
        append_ids(m.outgoing, &s);
        s += " (joint)";
    }
    if (m.learners != 0) {
        s += " +learners ";
        append_ids(m.learners, &s);
    }
    return s;
}

Membership bootstrap_membership(const Config& c) {
    const int32_t n = c.initial_voters > 0 ? c.initial_voters : c.node_count;
    ASSERT(n >= 1 && n <= c.node_count);
    Membership m;
    m.voters = (uint32_t(1) << n) - 1;
    return m;
}

void Entry::seal() {
    hash = entry_hash(*this);
}

uint64_t entry_hash(const Entry& e) {
    uint64_t h = 0x13198a2e03707344ull;
    h = base::hash_word(h, static_cast<uint64_t>(e.term));
    h = base::hash_word(h, static_cast<uint64_t>(e.index));
    h = base::hash_word(h, static_cast<uint64_t>(e.type) | static_cast<uint64_t>(e.cmd.op) << 8 |
                               static_cast<uint64_t>(static_cast<uint32_t>(e.cmd.client_id)) << 32);
    h = base::hash_word(h, static_cast<uint64_t>(e.cmd.seq));
    h = base::hash_bytes(e.cmd.key, h);
    h = base::hash_bytes(e.cmd.value, h);
    h = base::hash_bytes(e.cmd.expected, h);
    if (e.type == EntryType::kConfig) {  // (the other kinds keep the hash they had)
        h = base::hash_word(h, static_cast<uint64_t>(e.conf_type) |
                                   static_cast<uint64_t>(static_cast<uint32_t>(e.conf_node)) << 8);
        h = base::hash_word(h, e.conf.voters | static_cast<uint64_t>(e.conf.outgoing) << 32);
        h = base::hash_word(h, e.conf.learners | static_cast<uint64_t>(e.conf.auto_leave) << 32);
    }
    return base::hash_finalize(h);
}

}  // namespace raft
