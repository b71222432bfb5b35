// raft/wire_bytes.h — the size of a message, an entry, a snapshot and the
// hard state in one defined encoding, so that runs can report bytes sent and
// bytes on disk (MIT 6.5840's TestRPCBytes and MAXLOGSIZE bounds) without
// serializing anything.
//
// The encoding is fixed-width little-endian (no varints) with u32 length
// prefixes for byte strings; docs/cli.md#bytes spells out every field.
// The simulation never encodes a message: these are pure functions of a
// message's content, and a change to them changes reported sizes only, never
// a run (they reach no event, trace digest or hash).
#pragma once

#include <cstdint>

#include "raft/types.h"

namespace raft {

// Fixed parts (see docs/cli.md#bytes for the fields).
constexpr int64_t kWireHeaderBytes = 24;       // every message
constexpr int64_t kWireEntryHeaderBytes = 21;  // term, index, type, origin
constexpr int64_t kWireCommandBytes = 25;      // + key, value and expected
constexpr int64_t kWireResultBytes = 22;       // + value
constexpr int64_t kWireSnapshotHeaderBytes = 24;
constexpr int64_t kWireMembershipBytes = 13;  // voters, outgoing, learners, auto_leave
constexpr int64_t kWireConfChangeBytes = 5;   // change type, node
constexpr int64_t kWirePairBytes = 24;        // + key and value
constexpr int64_t kWireSessionBytes = 12;     // + the last result
constexpr int64_t kHardStateBytes = 12;       // current_term, voted_for
constexpr int64_t kStoredEntryChecksumBytes = 8;

int64_t command_wire_bytes(const Command& c);
int64_t result_wire_bytes(const CommandResult& r);
int64_t entry_wire_bytes(const Entry& e);
int64_t snapshot_wire_bytes(const Snapshot& s);
// The whole message: header plus its type's body.
int64_t wire_bytes(const Message& m);

}  // namespace raft
