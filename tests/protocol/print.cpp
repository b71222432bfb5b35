// tests/protocol/print.cpp — text forms of messages, entries and commands
// for the protocol tests (see print.h). Each message type prints the fields
// that carry its meaning (raft/types.h), nothing else.
#include "tests/protocol/print.h"

namespace protocol {
namespace {

std::string vote_fields(const raft::Message& m) {
    std::string s = " last_log=" + pair_text(m.last_log_index, m.last_log_term);
    if (m.force) s += " force";
    return s;
}

std::string append_fields(const raft::Message& m) {
    std::string s = " prev=" + pair_text(m.prev_log_index, m.prev_log_term) +
                    " commit=" + std::to_string(m.commit);
    if (!m.entries.empty()) s += " entries=" + entries_text(m.entries);
    return s;
}

// A refused response: the rule raft/ named, and what it names.
std::string reject_text(const raft::Message& m) {
    return " reject " + refusal_text(raft::refusal_note(m));
}

std::string append_resp_fields(const raft::Message& m) {
    std::string s = " prev=" + std::to_string(m.prev_log_index);
    if (m.reject) return s + reject_text(m);
    return s + " match=" + pair_text(m.match_index, m.match_term);
}

std::string snapshot_fields(const raft::Message& m, bool with_conf) {
    if (!m.snapshot) return " snap=none";
    const raft::Snapshot& s = *m.snapshot;
    std::string t = " snap=" + pair_text(s.last_included_index, s.last_included_term) +
                    " keys=" + std::to_string(s.kv.size());
    if (with_conf) t += " conf=[" + raft::membership_text(s.membership) + "]";
    return t;
}

std::string client_resp_fields(const raft::Message& m) {
    std::string s = " " + command_text(m.cmd);
    if (m.error != nullptr) return s + " error=\"" + m.error + "\"";
    if (m.cmd.op == raft::OpType::kGet) {
        return s + (m.result.found ? " found value=" + m.result.value.str() : " not-found");
    }
    return s + (m.result.ok ? " ok" : " failed");
}

std::string fields(const raft::Message& m, bool with_conf) {
    using raft::MsgType;
    switch (m.type) {
        case MsgType::kPreVote:
        case MsgType::kVote:
            return vote_fields(m);
        case MsgType::kPreVoteResp:
        case MsgType::kVoteResp:
            return m.reject ? reject_text(m) : " granted";
        case MsgType::kAppend:
            return append_fields(m);
        case MsgType::kAppendResp:
            return append_resp_fields(m);
        case MsgType::kSnapshot:
            return snapshot_fields(m, with_conf);
        case MsgType::kSnapshotResp:
            return std::string(m.reject ? " reject" : "") +
                   " match=" + std::to_string(m.match_index);
        case MsgType::kProp:
            return " " + command_text(m.cmd) + " origin=" + node_name(m.origin) +
                   " hops=" + std::to_string(m.hops);
        case MsgType::kClientReq:
            return " " + command_text(m.cmd);
        case MsgType::kClientResp:
            return client_resp_fields(m);
        case MsgType::kTimeoutNow:
            return "";
        case MsgType::kCount:
            break;
    }
    return " ?";
}

}  // namespace

std::string node_name(raft::NodeId id) {
    return id == raft::kNone ? "none" : std::to_string(id);
}

std::string refusal_text(const raft::RefusalNote& n) {
    std::string s = std::string("why=") + raft::refusal_name(n.why);
    switch (n.why) {
        case raft::Refusal::kAlreadyVoted:
            return s + " voted_for=" + node_name(n.node) + " term=" + std::to_string(n.term);
        case raft::Refusal::kLogBehind:
            return s + " voter_last=" + pair_text(n.index, n.term);
        case raft::Refusal::kLogMismatch:
            return s + " hint=" + pair_text(n.index, n.term);
        case raft::Refusal::kLease:
            return s + " leader=" + node_name(n.node);
        case raft::Refusal::kStaleTerm:
            return s + " term=" + std::to_string(n.term);
        default:
            return s;
    }
}

std::string pair_text(raft::Index index, raft::Term term) {
    return "(" + std::to_string(index) + "," + std::to_string(term) + ")";
}

std::string command_text(const raft::Command& c) {
    std::string s = raft::op_name(c.op);
    s += " " + c.key;
    if (c.op == raft::OpType::kPut) s += "=" + c.value.str();
    if (c.op == raft::OpType::kAppend) s += "+=" + c.value.str();
    if (c.op == raft::OpType::kCas) s += " " + c.expected.str() + "->" + c.value.str();
    return s;
}

std::string entry_text(const raft::Entry& e) {
    std::string s = "(" + std::to_string(e.index) + "," + std::to_string(e.term);
    if (e.type == raft::EntryType::kCommand) s += " " + command_text(e.cmd);
    if (e.type == raft::EntryType::kConfig) {
        s += std::string(" config ") + raft::conf_change_name(e.conf_type);
        if (e.conf_node != raft::kNone) s += " " + std::to_string(e.conf_node);
        s += " [" + raft::membership_text(e.conf) + "]";
    }
    return s + ")";
}

std::string entries_text(const std::vector<raft::Entry>& es) {
    std::string s = "[";
    for (size_t i = 0; i < es.size(); i++)
        s += (i ? " " : "") + entry_text(es[i]);
    return s + "]";
}

std::string message_text(const raft::Message& m, bool with_conf) {
    const std::string to = m.type == raft::MsgType::kClientResp
                               ? "client" + std::to_string(m.cmd.client_id)
                               : node_name(m.to);
    std::string s = node_name(m.from) + "->" + to + " " + raft::msg_type_name(m.type);
    if (!raft::is_client_traffic(m.type)) s += " term=" + std::to_string(m.term);
    s += fields(m, with_conf);
    if (m.read_ctx != 0) s += " read_ctx=" + std::to_string(m.read_ctx);
    return s;
}

bool parse_msg_type(const std::string& name, raft::MsgType* out) {
    for (int t = 0; t < static_cast<int>(raft::MsgType::kCount); t++) {
        if (name == raft::msg_type_name(static_cast<raft::MsgType>(t))) {
            *out = static_cast<raft::MsgType>(t);
            return true;
        }
    }
    return false;
}

}  // namespace protocol
