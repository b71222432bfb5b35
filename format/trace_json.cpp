// format/trace_json.cpp — one trace record as a JSON line (`raftplay run
// --trace`; see trace_json.h).
#include "format/trace_json.h"

#include "format/json.h"
#include "sim/world.h"

namespace sim {

namespace {

const char* entry_type_name(raft::EntryType t) {
    switch (t) {
        case raft::EntryType::kNoop:
            return "noop";
        case raft::EntryType::kCommand:
            return "command";
        case raft::EntryType::kConfig:
            return "config";
    }
    return "?";
}

const char* type_name(const TraceRecord& r) {
    return raft::msg_type_name(static_cast<raft::MsgType>(r.msg_type));
}

// What a refusal names (see raft::RefusalNote), under names that say whose
// it is.
void write_refusal(JsonWriter& w, const TraceRecord& r) {
    switch (static_cast<raft::Refusal>(r.reason)) {
        case raft::Refusal::kAlreadyVoted:
            w.key("voted_for").integer(r.note_node);
            w.key("voted_term").integer(r.note_term);
            break;
        case raft::Refusal::kLogBehind:
            w.key("voter_last_index").integer(r.note_index);
            w.key("voter_last_term").integer(r.note_term);
            break;
        case raft::Refusal::kLogMismatch:
            w.key("hint_index").integer(r.note_index);
            w.key("hint_term").integer(r.note_term);
            break;
        case raft::Refusal::kLease:
            w.key("lease_leader").integer(r.note_node);
            w.key("receiver_term").integer(r.note_term);
            break;
        case raft::Refusal::kStaleTerm:
            w.key("receiver_term").integer(r.note_term);
            break;
        default:
            break;
    }
}

// A vote request's last log term; a refusal: "refused" on a response and on
// a delivered request that got one (the rule that answered no), "ignored" on
// a delivered request the rules dropped without an answer. A refused
// request's notes are the verdict's (the voter's last entry, not the
// candidate's, for log_behind).
void write_notes(JsonWriter& w, const TraceRecord& r) {
    const auto type = static_cast<raft::MsgType>(r.msg_type);
    const bool vote_request = type == raft::MsgType::kVote || type == raft::MsgType::kPreVote;
    if (vote_request && r.reason == 0) w.key("last_log_term").integer(r.note_term);
    if (r.reason == 0 || r.reason >= static_cast<uint8_t>(raft::Refusal::kCount)) return;
    w.key(raft::is_response(type) || r.answered ? "refused" : "ignored")
        .string(raft::refusal_name(static_cast<raft::Refusal>(r.reason)));
    write_refusal(w, r);
}

// send / deliver / drop. A send and a drop are recorded at the sender (node
// = from); a deliver at the receiver, except a reply reaching a client.

void write_message_fields(JsonWriter& w, const TraceRecord& r) {
    int32_t from = r.node, to = r.peer;
    if (r.kind == TraceKind::kDeliver &&
        r.msg_type != static_cast<uint8_t>(raft::MsgType::kClientResp)) {
        from = r.peer;
        to = r.node;
    }
    w.key("node").integer(r.kind == TraceKind::kDeliver ? to : from);
    w.key("from").integer(from);
    w.key("to").integer(to);
    w.key("type").string(type_name(r));
    w.key("term").integer(r.term);
    w.key("index").integer(r.index);
    if (r.kind == TraceKind::kDrop) {
        w.key("reason").string(drop_reason_name(r.reason != 0 ? r.reason : r.aux));
    } else {
        w.key("msg_id").integer(r.aux);
        if (r.kind == TraceKind::kSend) w.key("bytes").integer(r.bytes);
        write_notes(w, r);
    }
}

void write_client_fields(JsonWriter& w, const TraceRecord& r, HistoryView history) {
    w.key("node").integer(r.node);
    w.key("client").integer(r.node - kClientBase);
    w.key("op").string(raft::op_name(static_cast<raft::OpType>(r.msg_type)));
    w.key("target").integer(r.peer);
    w.key("op_index").integer(r.index);
    if (r.kind == TraceKind::kClientComplete) {
        w.key("status").string(op_status_name(static_cast<OpStatus>(r.aux)));
        if (r.index >= 0 && static_cast<size_t>(r.index) < history.size()) {
            const HistoryOp& op = history[static_cast<size_t>(r.index)];
            w.key("log_index").integer(op.log_index);
            w.key("log_term").integer(op.log_term);
        }
    }
}

void write_node_fields(JsonWriter& w, const TraceRecord& r) {
    w.key("node").integer(r.node);
    w.key("term").integer(r.term);
    switch (r.kind) {
        case TraceKind::kTimeout:
            w.key("timer").string(r.aux == 0 ? "election" : r.aux == 1 ? "heartbeat" : "lease");
            break;
        case TraceKind::kRole:
            w.key("role").string(raft::role_name(static_cast<raft::Role>(r.aux)));
            break;
        case TraceKind::kVote:
            w.key("voted_for").integer(r.peer);
            break;
        case TraceKind::kPersist:
        case TraceKind::kFsync:
            w.key("index").integer(r.index);
            w.key(r.kind == TraceKind::kPersist ? "entries" : "batches").integer(r.aux);
            break;
        case TraceKind::kApply:
            w.key("index").integer(r.index);
            w.key("entry_type").string(entry_type_name(static_cast<raft::EntryType>(r.aux)));
            break;
        case TraceKind::kAction:
            w.key("action").string(action_name(static_cast<ActionKind>(r.aux)));
            break;
        case TraceKind::kConfChange: {
            w.key("target").integer(r.peer);
            w.key("change").string(
                raft::conf_change_name(static_cast<raft::ConfChangeType>(r.aux & 0xff)));
            const auto why = static_cast<raft::ConfRefusal>(r.aux >> 8);
            w.key("index").integer(r.index);
            if (why != raft::ConfRefusal::kNone)
                w.key("refused").string(raft::conf_refusal_name(why));
            break;
        }
        case TraceKind::kTransfer: {
            const auto ev = static_cast<TransferEvent>(r.aux);
            w.key("target").integer(r.peer);
            w.key("event").string(transfer_event_name(ev));
            if (ev == TransferEvent::kRefused)
                w.key("refused").string(
                    raft::conf_refusal_name(static_cast<raft::ConfRefusal>(r.index)));
            if (ev == TransferEvent::kCompleted || ev == TransferEvent::kAborted)
                w.key("new_leader").integer(r.index);
            break;
        }
        default:
            w.key("index").integer(r.index);
            break;
    }
}

}  // namespace

std::string trace_record_json(const TraceRecord& r) {
    return trace_record_json(r, {});
}

std::string trace_record_json(const TraceRecord& r, HistoryView history) {
    JsonWriter w(JsonDialect::kReport);
    w.begin_object();
    w.key("t_us").integer(r.t_us);
    w.key("kind").string(trace_kind_name(r.kind));
    switch (r.kind) {
        case TraceKind::kSend:
        case TraceKind::kDeliver:
        case TraceKind::kDrop:
            write_message_fields(w, r);
            break;
        case TraceKind::kClientInvoke:
        case TraceKind::kClientComplete:
            write_client_fields(w, r, history);
            break;
        default:
            write_node_fields(w, r);
            break;
    }
    w.end_object();
    return w.take();
}

}  // namespace sim
