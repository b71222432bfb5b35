// raft/wire_bytes.cpp — sizes in the defined encoding (see wire_bytes.h and
// docs/cli.md#bytes). Each constant below is the sum of its fields'
// fixed widths, written out so that the table in the docs can be checked
// against it.
#include "raft/wire_bytes.h"

namespace raft {

namespace {

// Bodies of the types without strings.
constexpr int64_t kVoteRequestBody = 8 + 8;         // last_log_index, last_log_term
constexpr int64_t kVoteResponseBody = 4 + 8 + 8;    // voted_for, last_log_index, last_log_term
constexpr int64_t kAppendBody = 8 + 8 + 8 + 8 + 4;  // prev index, prev term, commit, read_ctx,
                                                    // entry count
constexpr int64_t kAppendResponseBody = 6 * 8;      // prev_log_index, hint index and term,
                                                    // match index and term, read_ctx
constexpr int64_t kSnapshotResponseBody = 8 + 8;    // match_index, match_term
constexpr int64_t kForwardBody = 4 + 4;             // origin, hops
constexpr int64_t kResponseIdBody = 4 + 8;          // client_id, seq

static_assert(kWireHeaderBytes == 1 + 1 + 1 + 1 + 4 + 4 + 8 + 4,
              "type, flags, refusal, error code, from, to, term, body length");
static_assert(kWireEntryHeaderBytes == 8 + 8 + 1 + 4, "term, index, type, origin");
static_assert(kWireCommandBytes == 4 + 8 + 1 + 3 * 4, "client_id, seq, op, three string lengths");
static_assert(kWireResultBytes == 1 + 1 + 8 + 8 + 4,
              "ok, found, version, mod_revision, value length");
static_assert(kWireSnapshotHeaderBytes == 8 + 8 + 4 + 4,
              "last included index and term, pair and session counts");
static_assert(kWireMembershipBytes == 4 + 4 + 4 + 1, "voters, outgoing, learners, auto_leave");
static_assert(kWireConfChangeBytes == 1 + 4, "change type, node");
static_assert(kWirePairBytes == 4 + 4 + 8 + 8, "key and value lengths, version, mod_revision");
static_assert(kWireSessionBytes == 4 + 8, "client_id, last_seq");

}  // namespace

int64_t command_wire_bytes(const Command& c) {
    return kWireCommandBytes +
           static_cast<int64_t>(c.key.size() + c.value.size() + c.expected.size());
}

int64_t result_wire_bytes(const CommandResult& r) {
    return kWireResultBytes + static_cast<int64_t>(r.value.size());
}

int64_t entry_wire_bytes(const Entry& e) {
    // Only a command entry carries a command, and only a configuration
    // entry its change and configuration; a no-op carries nothing more.
    switch (e.type) {
        case EntryType::kCommand:
            return kWireEntryHeaderBytes + command_wire_bytes(e.cmd);
        case EntryType::kConfig:
            return kWireEntryHeaderBytes + kWireConfChangeBytes + kWireMembershipBytes;
        case EntryType::kNoop:
            break;
    }
    return kWireEntryHeaderBytes;
}

int64_t snapshot_wire_bytes(const Snapshot& s) {
    int64_t n = kWireSnapshotHeaderBytes + kWireMembershipBytes;
    for (const auto& [key, value] : s.kv)
        n += kWirePairBytes + static_cast<int64_t>(key.size() + value.size());
    for (const auto& [id, session] : s.sessions)
        n += kWireSessionBytes + result_wire_bytes(session.last_result);
    return n;
}

int64_t wire_bytes(const Message& m) {
    int64_t body = 0;
    switch (m.type) {
        case MsgType::kPreVote:
        case MsgType::kVote:
            body = kVoteRequestBody;
            break;
        case MsgType::kPreVoteResp:
        case MsgType::kVoteResp:
            body = kVoteResponseBody;
            break;
        case MsgType::kAppend:
            body = kAppendBody;
            for (const Entry& e : m.entries)
                body += entry_wire_bytes(e);
            break;
        case MsgType::kAppendResp:
            body = kAppendResponseBody;
            break;
        case MsgType::kSnapshot:
            body = m.snapshot ? snapshot_wire_bytes(*m.snapshot) : kWireSnapshotHeaderBytes;
            break;
        case MsgType::kSnapshotResp:
            body = kSnapshotResponseBody;
            break;
        case MsgType::kProp:
        case MsgType::kClientReq:
            body = kForwardBody + command_wire_bytes(m.cmd);
            break;
        case MsgType::kClientResp:
            body = kResponseIdBody + result_wire_bytes(m.result);
            break;
        case MsgType::kTimeoutNow:
            break;  // the header says it all
        case MsgType::kCount:
            break;
    }
    return kWireHeaderBytes + body;
}

}  // namespace raft
