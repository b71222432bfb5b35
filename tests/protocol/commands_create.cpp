// tests/protocol/commands_create.cpp — the `create` command (see
// commands_create.h). Initial logs hold no-op entries: the tests are about
// indexes and terms. Input that the Node would assert on (terms going down,
// a log ahead of the term) is refused here with a message.
#include "tests/protocol/commands_create.h"

#include <algorithm>

namespace protocol {
namespace {

// Terms of a noop log: "(1,1,2)" -> entries (1,1) (2,1) (3,2).
bool parse_log(const std::string& value, std::vector<raft::Entry>* out, std::string* error) {
    for (const std::string& t : split_list(value)) {
        int64_t term = 0;
        if (!parse_int(t, &term) || term <= 0) return (*error = "bad log term '" + t + "'", false);
        if (!out->empty() && term < out->back().term) {
            return (*error = "log terms must not decrease (§5.3)", false);
        }
        raft::Entry e;
        e.index = static_cast<raft::Index>(out->size()) + 1;
        e.term = term;
        e.seal();
        out->push_back(e);
    }
    return true;
}

// "ID: term=T vote=V log=(t1,t2,...)": one node's disk before it starts.
bool parse_disk_line(const std::string& line, int n, std::vector<Disk>* disks, std::string* error) {
    Block b;
    const size_t colon = line.find(':');
    int id = 0;
    if (colon == std::string::npos || !parse_node(line.substr(0, colon), n, &id)) {
        return (*error = "input line '" + line + "' must start with 'ID:' naming a node", false);
    }
    b.name = "disk";
    b.text = line;
    const std::string rest = line.substr(colon + 1);
    for (size_t i = 0; i < rest.size();) {
        const size_t s = rest.find_first_not_of(' ', i);
        if (s == std::string::npos) break;
        const size_t e = std::min(rest.find(' ', s), rest.size());
        const std::string tok = rest.substr(s, e - s);
        const size_t eq = tok.find('=');
        if (eq == std::string::npos)
            return (*error = "expected key=value, got '" + tok + "'", false);
        b.named.emplace_back(tok.substr(0, eq), tok.substr(eq + 1));
        i = e;
    }
    Args a(b);
    Disk& d = (*disks)[static_cast<size_t>(id)];
    std::string vote = "none", log;
    if (!a.get_int("term", &d.hard_state.current_term) || !a.get_string("vote", &vote) ||
        !a.get_string("log", &log) || !a.all_used()) {
        return (*error = a.error(), false);
    }
    if (vote != "none" && !parse_node(vote, n, &d.hard_state.voted_for)) {
        return (*error = "vote=" + vote + " is not a node", false);
    }
    if (!log.empty() && !parse_log(log, &d.entries, error)) return false;
    if (!d.entries.empty() && d.entries.back().term > d.hard_state.current_term) {
        return (*error = "node " + std::to_string(id) + ": term must be >= its last log term",
                false);
    }
    return true;
}

bool read_config(Args& a, raft::Config* c, int64_t* seed) {
    bool read_index = false;
    std::string mutation, read_mode;
    if (!a.get_bool("pre_vote", &c->pre_vote) || !a.get_bool("check_quorum", &c->check_quorum) ||
        !a.get_bool("step_down_on_rejection", &c->step_down_on_rejection) ||
        !a.get_int("snapshot_threshold", &c->snapshot_threshold) ||
        !a.get_int("catch_up", &c->snapshot_catch_up_entries) ||
        !a.get_bool("read_index", &read_index) || !a.get_int("seed", seed) ||
        !a.get_string("mutation", &mutation) || !a.get_string("read_mode", &read_mode)) {
        return false;
    }
    int64_t max_entries = c->max_entries_per_append, max_inflight = c->max_inflight_appends;
    int64_t voters = 0;
    if (!a.get_int("max_entries", &max_entries) || !a.get_int("max_inflight", &max_inflight) ||
        !a.get_int("voters", &voters) || !a.get_bool("joint", &c->joint_consensus)) {
        return false;
    }
    // Nodes 0..voters-1 form the initial configuration; the rest are spare
    // servers with empty logs (thesis ch. 4).
    if (a.has("voters") && (voters < 1 || voters > c->node_count))
        return a.fail("voters=" + std::to_string(voters) + ": 1..N");
    c->initial_voters = static_cast<int32_t>(voters);
    if (max_entries < 1 || max_inflight < 1)
        return a.fail("max_entries and max_inflight must be >= 1");
    c->max_entries_per_append = static_cast<int32_t>(max_entries);
    c->max_inflight_appends = static_cast<int32_t>(max_inflight);
    c->read_mode = read_index ? raft::ReadMode::kReadIndex : raft::ReadMode::kLog;
    if (!read_mode.empty() && !raft::read_mode_from_name(read_mode, &c->read_mode))
        return a.fail("unknown read_mode " + read_mode + " (log, read_index, lease)");
    if (!mutation.empty()) {
        c->mutations = raft::mutation_from_name(mutation);
        if (c->mutations == 0) return a.fail("unknown mutation " + mutation);
    }
    return true;
}

}  // namespace

bool cmd_create(Env* env, Args& a, const Block& b) {
    int64_t n = 0, seed = 1;
    if (a.positional().size() != 1 || !parse_int(a.positional()[0], &n) || n < 1 ||
        n > raft::kMaxNodes) {
        return a.fail("create N: N is the node count, 1.." + std::to_string(raft::kMaxNodes));
    }
    raft::Config c;
    c.node_count = static_cast<int32_t>(n);
    if (!read_config(a, &c, &seed) || !a.all_used()) return false;
    std::vector<Disk> disks(static_cast<size_t>(n));
    std::string error;
    for (const std::string& line : b.input) {
        if (!parse_disk_line(line, static_cast<int>(n), &disks, &error)) return a.fail(error);
    }
    env->create(c, static_cast<uint64_t>(seed), disks);
    return true;
}

}  // namespace protocol
