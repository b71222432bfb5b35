// tests/protocol/commands.cpp — what each command of a protocol test file
// does (docs/protocol-tests.md): argument checks here, the protocol in
// env.cpp. Every handler returns false with a message for bad input.
//
// Index
//   (create: commands_create.cpp)
//   inputs: campaign, ticks, client requests, conf_change, transfer,
//           snapshot, restart
//   network: deliver, drop, partition, heal, stabilize
//   persistence
//   views: status, log, kv, pending, timers
//   dispatch
#include "tests/protocol/commands.h"

#include <functional>
#include <map>

#include "tests/protocol/args.h"
#include "tests/protocol/commands_create.h"
#include "tests/protocol/print.h"

namespace protocol {
namespace {

using Handler = std::function<bool(Env*, Args&)>;

// ===========================================================================
// helpers for the rest
// ===========================================================================

// Exactly one positional argument, a node id.
bool one_node(Env* env, Args& a, int* id) {
    if (a.positional().empty() || !parse_node(a.positional()[0], env->size(), id)) {
        return a.fail("expected a node id 0.." + std::to_string(env->size() - 1));
    }
    return true;
}

// The nodes named, or all of them when none is.
bool node_list(Env* env, Args& a, std::vector<int>* ids) {
    for (const std::string& s : a.positional()) {
        int id = 0;
        if (!parse_node(s, env->size(), &id)) return a.fail("'" + s + "' is not a node id");
        ids->push_back(id);
    }
    for (int i = 0; a.positional().empty() && i < env->size(); i++)
        ids->push_back(i);
    return true;
}

// A node-only command: `NAME ID`.
Handler on_node(void (Env::*f)(int)) {
    return [f](Env* env, Args& a) {
        int id = 0;
        if (!one_node(env, a, &id) || a.positional().size() != 1 || !a.all_used()) {
            return a.error().empty() ? a.fail("expected exactly one node id") : false;
        }
        (env->*f)(id);
        return true;
    };
}

// ===========================================================================
// inputs
// ===========================================================================

bool cmd_campaign(Env* env, Args& a) {
    int id = 0;
    if (!one_node(env, a, &id) || !a.all_used()) return false;
    const bool force = a.positional().size() == 2 && a.positional()[1] == "force";
    if (a.positional().size() > (force ? 2u : 1u)) return a.fail("campaign ID [force]");
    env->campaign(id, force);
    return true;
}

bool cmd_tick_next_election(Env* env, Args& a) {
    if (!a.positional().empty() || !a.all_used()) return a.fail("takes no arguments");
    if (!env->tick_next_election()) env->emit("no election timer armed");
    return true;
}

// `propose ID k=v [k=v...]`: one put per pair, in order.
bool cmd_propose(Env* env, Args& a, const Block& b) {
    int id = 0;
    if (!one_node(env, a, &id) || a.positional().size() != 1 || b.named.empty()) {
        return a.fail("propose ID KEY=VALUE [KEY=VALUE...]");
    }
    for (const auto& [k, v] : b.named)
        env->client_request(id, raft::OpType::kPut, k, v);
    return true;
}

bool cmd_read_index(Env* env, Args& a) {
    int id = 0;
    if (!one_node(env, a, &id) || a.positional().size() != 2 || !a.all_used()) {
        return a.error().empty() ? a.fail("read-index ID KEY") : false;
    }
    if (env->config().read_mode == raft::ReadMode::kLog) {
        return a.fail("read-index needs 'create ... read_index=true' (or read_mode=lease)");
    }
    env->client_request(id, raft::OpType::kGet, a.positional()[1], "");
    return true;
}

// `conf_change ID TYPE [NODE]`: TYPE is a raft::conf_change_name
// (add_voter, remove, add_learner, promote, leave_joint); every type but
// leave_joint names the node it changes.
bool cmd_conf_change(Env* env, Args& a) {
    int id = 0;
    const auto& pos = a.positional();
    if (!one_node(env, a, &id) || pos.size() < 2 || pos.size() > 3 || !a.all_used())
        return a.error().empty() ? a.fail("conf_change ID TYPE [NODE]") : false;
    int t = 0;
    while (t < static_cast<int>(raft::ConfChangeType::kCount) &&
           pos[1] != raft::conf_change_name(static_cast<raft::ConfChangeType>(t)))
        t++;
    if (t == static_cast<int>(raft::ConfChangeType::kCount))
        return a.fail("unknown change " + pos[1] +
                      " (add_voter, remove, add_learner, promote, "
                      "enter_joint, leave_joint)");
    const auto type = static_cast<raft::ConfChangeType>(t);
    const bool wants_node = type != raft::ConfChangeType::kLeaveJoint;
    if (pos.size() != (wants_node ? 3u : 2u))
        return a.fail(wants_node ? "conf_change ID TYPE NODE" : "conf_change ID leave_joint");
    int node = raft::kNone;
    if (wants_node && !parse_node(pos[2], env->size(), &node))
        return a.fail("'" + pos[2] + "' is not a node id");
    env->conf_change(id, type, node);
    return true;
}

// `transfer ID TARGET`: leadership transfer from ID to TARGET (§3.10).
bool cmd_transfer(Env* env, Args& a) {
    int id = 0, target = 0;
    if (!one_node(env, a, &id) || a.positional().size() != 2 || !a.all_used())
        return a.error().empty() ? a.fail("transfer ID TARGET") : false;
    if (!parse_node(a.positional()[1], env->size(), &target))
        return a.fail("'" + a.positional()[1] + "' is not a node id");
    env->transfer(id, target);
    return true;
}

// ===========================================================================
// network
// ===========================================================================

struct Filter {
    int64_t from = -1, to = -1, count = -1;
    bool has_type = false;
    raft::MsgType type = raft::MsgType::kAppend;
    bool matches(const raft::Message& m) const {
        return (from < 0 || m.from == from) && (to < 0 || m.to == to) &&
               (!has_type || m.type == type);
    }
};

bool read_filter(Env* env, Args& a, Filter* f) {
    std::string type;
    if (!a.positional().empty()) return a.fail("use from=, to=, type=, count=");
    if (!a.get_int("from", &f->from) || !a.get_int("to", &f->to) ||
        !a.get_int("count", &f->count) || !a.get_string("type", &type) || !a.all_used()) {
        return false;
    }
    if (f->from >= env->size() || f->to >= env->size()) return a.fail("no such node");
    if (!type.empty() && !parse_msg_type(type, &f->type)) return a.fail("unknown type " + type);
    f->has_type = !type.empty();
    return true;
}

// Takes the matching messages out of the network, keeping the others in order.
std::vector<raft::Message> take_matching(Env* env, const Filter& f) {
    std::vector<raft::Message> taken, kept;
    for (raft::Message& m : env->network()) {
        const bool take =
            f.matches(m) && (f.count < 0 || static_cast<int64_t>(taken.size()) < f.count);
        (take ? taken : kept).push_back(std::move(m));
    }
    env->network() = std::move(kept);
    if (taken.empty()) env->emit("no matching messages");
    return taken;
}

bool cmd_deliver(Env* env, Args& a) {
    Filter f;
    if (!read_filter(env, a, &f)) return false;
    for (raft::Message& m : take_matching(env, f))
        env->deliver(std::move(m));
    return true;
}

bool cmd_drop(Env* env, Args& a) {
    Filter f;
    if (!read_filter(env, a, &f)) return false;
    for (raft::Message& m : take_matching(env, f))
        env->emit("dropped " + env->text(m));
    return true;
}

// `partition (0,1) (2,3,4)`: links between different groups are cut.
bool cmd_partition(Env* env, Args& a) {
    std::vector<std::vector<int>> groups;
    std::vector<bool> seen(static_cast<size_t>(env->size()), false);
    for (const std::string& g : a.positional()) {
        groups.emplace_back();
        for (const std::string& s : split_list(g)) {
            int id = 0;
            if (!parse_node(s, env->size(), &id)) return a.fail("'" + s + "' is not a node id");
            if (seen[static_cast<size_t>(id)]) return a.fail("node " + s + " is in two groups");
            seen[static_cast<size_t>(id)] = true;
            groups.back().push_back(id);
        }
    }
    if (groups.empty() || !a.all_used()) return a.fail("partition (ids) (ids)...");
    env->partition(groups);
    return true;
}

bool cmd_heal(Env* env, Args& a) {
    if (!a.positional().empty() || !a.all_used()) return a.fail("takes no arguments");
    env->heal();
    return true;
}

// `stabilize [quiet]`: persist and deliver until nothing is pending. Quiet
// prints only how many rounds it took (for setups the test does not check).
bool cmd_stabilize(Env* env, Args& a, std::vector<std::string>* out) {
    const bool quiet = a.positional().size() == 1 && a.positional()[0] == "quiet";
    if (a.positional().size() > (quiet ? 1u : 0u) || !a.all_used())
        return a.fail("stabilize [quiet]");
    std::vector<std::string> scratch;
    if (quiet) env->set_output(&scratch);
    const int rounds = env->stabilize(1000);
    env->set_output(out);
    if (rounds < 0) return a.fail("did not settle within 1000 rounds");
    if (quiet) env->emit("settled after " + std::to_string(rounds) + " round(s)");
    return true;
}

// ===========================================================================
// persistence
// ===========================================================================

bool cmd_persist(Env* env, Args& a) {
    int64_t count = 1 << 30;
    std::vector<int> ids;
    if (!a.get_int("count", &count) || !a.all_used() || !node_list(env, a, &ids)) return false;
    for (int id : ids) {
        if (env->peer(id).unpersisted.empty()) {
            if (!a.positional().empty()) env->emit(std::to_string(id) + " nothing to persist");
            continue;
        }
        env->persist(id, static_cast<int>(count));
    }
    return true;
}

// ===========================================================================
// views
// ===========================================================================

const char* progress_name(raft::ProgressState s) {
    switch (s) {
        case raft::ProgressState::kProbe:
            return "probe";
        case raft::ProgressState::kReplicate:
            return "replicate";
        case raft::ProgressState::kSnapshot:
            return "snapshot";
    }
    return "?";
}

void print_status(Env* env, int id) {
    const Peer& p = env->peer(id);
    env->emit(status_line(p, env->show_conf()));
    if (p.node.role() != raft::Role::kLeader) return;
    // The leader tracks the members of its configuration only.
    const uint32_t members = p.node.membership().members();
    for (int q = 0; q < env->size(); q++) {
        if (q == id || !((members >> q) & 1u)) continue;
        const raft::Progress& pr = p.node.progress()[static_cast<size_t>(q)];
        env->emit("  progress " + std::to_string(q) + " match=" + std::to_string(pr.match_index) +
                  " next=" + std::to_string(pr.next_index) + " " + progress_name(pr.state) +
                  " inflight=" + std::to_string(pr.inflight.size()));
    }
    if (p.node.lead_transferee() != raft::kNone)
        env->emit("  transferring to " + std::to_string(p.node.lead_transferee()));
    if (!p.node.pending_reads().empty()) {
        env->emit("  pending reads=" + std::to_string(p.node.pending_reads().size()));
    }
    // Lease reads (§6.4.1): the round each follower last answered, and
    // whether the lease holds in the leader's current heartbeat round.
    if (p.node.config().read_mode == raft::ReadMode::kLease) {
        std::string acked;
        for (int q = 0; q < env->size(); q++) {
            if (q == id) continue;
            const int64_t r = p.node.progress()[static_cast<size_t>(q)].round_acked;
            acked += " " + std::to_string(q) + ":" + (r < 0 ? "none" : std::to_string(r));
        }
        env->emit(std::string("  lease ") + (p.node.leader_lease() ? "holds" : "lapsed") +
                  " acked_rounds=" + acked.substr(1));
    }
}

Handler view(const std::function<void(Env*, int)>& show) {
    return [show](Env* env, Args& a) {
        std::vector<int> ids;
        if (!a.all_used() || !node_list(env, a, &ids)) return false;
        for (int id : ids)
            show(env, id);
        return true;
    };
}

void print_pending(Env* env, int id) {
    for (const Write& w : env->peer(id).unpersisted) {
        std::string s = std::to_string(id) + " unpersisted" + write_text(w);
        for (const raft::Message& m : w.held)
            s += " | holds " + env->text(m);
        env->emit(s);
    }
}

bool cmd_pending(Env* env, Args& a) {
    if (!a.positional().empty() || !a.all_used()) return a.fail("takes no arguments");
    for (const raft::Message& m : env->network())
        env->emit("in flight " + env->text(m));
    for (int i = 0; i < env->size(); i++)
        print_pending(env, i);
    if (env->network().empty()) env->emit("network empty");
    return true;
}

void print_timers(Env* env, int id) {
    const Peer& p = env->peer(id);
    env->emit(std::to_string(id) + " election=" + std::to_string(p.election_armed_us) +
              "us heartbeat=" + std::to_string(p.heartbeat_armed_us) +
              "us lease=" + std::to_string(p.lease_armed_us) +
              "us election_deadline=" + std::to_string(p.election_deadline_us) + "us");
}

// ===========================================================================
// dispatch
// ===========================================================================

using FullHandler = std::function<bool(Env*, Args&, const Block&, std::vector<std::string>*)>;

FullHandler simple(Handler h) {
    return [h](Env* env, Args& a, const Block&, std::vector<std::string>*) { return h(env, a); };
}

const std::map<std::string, FullHandler>& handlers() {
    static const std::map<std::string, FullHandler> table = {
        {"campaign", simple(cmd_campaign)},
        {"tick-election", simple(on_node(&Env::tick_election))},
        {"tick-next-election", simple(cmd_tick_next_election)},
        {"tick-heartbeat", simple(on_node(&Env::tick_heartbeat))},
        {"tick-lease", simple(on_node(&Env::tick_lease))},
        {"propose", [](Env* e, Args& a, const Block& b, auto*) { return cmd_propose(e, a, b); }},
        {"read-index", simple(cmd_read_index)},
        {"conf_change", simple(cmd_conf_change)},
        {"transfer", simple(cmd_transfer)},
        {"snapshot", simple(on_node(&Env::take_snapshot))},
        {"restart", simple(on_node(&Env::restart))},
        {"deliver", simple(cmd_deliver)},
        {"drop", simple(cmd_drop)},
        {"partition", simple(cmd_partition)},
        {"heal", simple(cmd_heal)},
        {"stabilize",
         [](Env* e, Args& a, const Block&, auto* out) { return cmd_stabilize(e, a, out); }},
        {"persist", simple(cmd_persist)},
        {"status", simple(view(print_status))},
        {"log", simple(view([](Env* e, int id) { e->emit(log_line(e->peer(id).node)); }))},
        {"kv", simple(view([](Env* e, int id) { e->emit(kv_line(e->peer(id).node)); }))},
        {"pending", simple(cmd_pending)},
        {"timers", simple(view(print_timers))},
    };
    return table;
}

}  // namespace

bool execute(Env* env, const Block& b, std::vector<std::string>* out, std::string* error) {
    env->set_output(out);
    Args a(b);
    bool ok = false;
    if (b.name == "create") {
        ok = cmd_create(env, a, b);
    } else if (!b.input.empty()) {
        ok = a.fail("only create takes input lines before ----");
    } else if (!env->created()) {
        ok = a.fail("no nodes yet: the file must start with 'create N'");
    } else if (auto it = handlers().find(b.name); it != handlers().end()) {
        ok = it->second(env, a, b, out);
    } else {
        ok = a.fail("unknown command '" + b.name + "'");
    }
    if (!ok) *error = a.error().empty() ? "malformed" : a.error();
    return ok;
}

}  // namespace protocol
