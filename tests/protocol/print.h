// tests/protocol/print.h — the one readable text form of messages, entries
// and node state in the protocol tests' expectations. A pair (i,t) is always
// (index,term). Stable by construction: it prints fields, never addresses.
#pragma once

#include <string>
#include <vector>

#include "raft/node.h"

namespace protocol {

std::string node_name(raft::NodeId id);                     // "2", or "none"
std::string pair_text(raft::Index index, raft::Term term);  // "(3,2)"
std::string refusal_text(const raft::RefusalNote& n);       // "why=lease leader=0"
std::string command_text(const raft::Command& c);           // "put x=1"
// "(3,2)", "(3,2 put x=1)" or, for a configuration entry, its change and
// the whole configuration after it: "(3,2 config add_voter 3 [0,1,2,3])".
std::string entry_text(const raft::Entry& e);
std::string entries_text(const std::vector<raft::Entry>& es);
// "0->1 append term=2 prev=(1,1) commit=1 entries=[(2,2)]". With
// with_conf a snapshot message also names the configuration it carries
// (files that use membership, see Env::show_conf).
std::string message_text(const raft::Message& m, bool with_conf = false);
// Parses a message type as message_text prints it ("vote", "append_resp").
bool parse_msg_type(const std::string& name, raft::MsgType* out);

}  // namespace protocol
