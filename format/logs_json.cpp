// format/logs_json.cpp — every node's log and durable state as one JSON
// object (`raftplay run --logs`; see logs_json.h).
#include "format/logs_json.h"

#include "format/json.h"

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

void write_entry(JsonWriter& w, const raft::Entry& e) {
    w.begin_object();
    w.key("index").integer(e.index);
    w.key("term").integer(e.term);
    w.key("type").string(entry_type_name(e.type));
    if (e.type == raft::EntryType::kCommand) {
        w.key("command").begin_object();
        w.key("client").integer(e.cmd.client_id);
        w.key("seq").integer(e.cmd.seq);
        w.key("op").string(raft::op_name(e.cmd.op));
        w.key("key").string(e.cmd.key);
        w.key("value").string(e.cmd.value.str());
        if (e.cmd.op == raft::OpType::kCas) {
            w.key("expected").string(e.cmd.expected.str());
        }
        w.end_object();
    }
    if (e.type == raft::EntryType::kConfig) {
        w.key("change").string(raft::conf_change_name(e.conf_type));
        w.key("node").integer(e.conf_node);
        w.key("config").string(raft::membership_text(e.conf));
    }
    w.end_object();
}

void write_durable(JsonWriter& w, const Disk& disk) {
    const DurableState& d = disk.durable;
    w.key("durable").begin_object();
    w.key("term").integer(d.hard_state.current_term);
    w.key("vote").integer(d.hard_state.voted_for);
    w.key("snapshot_index").integer(d.snapshot_index());
    w.key("log_last_index").integer(d.snapshot_index() + static_cast<int64_t>(d.log.size()));
    w.key("unsynced_batches").uinteger(disk.pending.size());
    w.end_object();
}

void write_node_log(JsonWriter& w, const NodeSlot& slot) {
    const raft::Node& n = slot.node;
    w.begin_object();
    w.key("id").integer(n.id());
    w.key("alive").boolean(slot.alive);
    write_durable(w, slot.disk);
    // The snapshot the node holds; its log may start before it (the entries
    // kept for followers to catch up by appends).
    w.key("snapshot_index").integer(n.snapshot_index());
    w.key("snapshot_term").integer(n.snapshot() ? n.snapshot()->last_included_term : 0);
    w.key("log_first_index").integer(n.log().first_index());
    // Its configuration (the latest in its log) and that entry's index
    // (0: from its snapshot, or the initial one).
    w.key("config").string(raft::membership_text(n.membership()));
    w.key("config_index").integer(n.conf_index());
    if (n.lead_transferee() != raft::kNone) w.key("transferring_to").integer(n.lead_transferee());
    w.key("log").begin_array();
    for (const raft::Entry& e : n.log().entries())
        write_entry(w, e);
    w.end_array();
    w.end_object();
}

}  // namespace

std::string logs_json(const World& world) {
    JsonWriter w(JsonDialect::kReport);
    w.begin_object();
    w.key("scenario").string(world.scenario().name);
    w.key("seed").uinteger(world.seed());
    w.key("sim_time_us").integer(world.now_us());
    w.key("nodes").begin_array();
    for (const NodeSlot& slot : world.nodes())
        write_node_log(w, slot);
    w.end_array();
    w.end_object();
    return w.take();
}

}  // namespace sim
