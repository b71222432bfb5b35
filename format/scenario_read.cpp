// format/scenario_read.cpp — reading and validating a scenario file (see
// scenario_json.h and docs/scenarios.md).
//
// Owns the scenario's sections and their rules: cluster (with §5.6's
// heartbeat rule), network, disk, clock, workload (the mix sums to 1),
// preset (each log consistent and, by necessary conditions, reachable:
// preset_check.h), expect, and the timeline (actions: action.h). The whole
// scenario must fit the named resource limits (scenario_limits.h). Numbers
// convert from their text with integer arithmetic only (json.h), so the same
// file gives the same Scenario on every platform.
//
// Index
//   1. Sections: cluster, network, disk, workload, preset
//   2. The scenario
//   3. Files and the public API
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "format/action.h"
#include "format/overrides.h"
#include "format/preset_check.h"
#include "format/retry_policy.h"
#include "format/scenario_json.h"
#include "format/scenario_limits.h"
#include "format/tour.h"

namespace sim {
namespace {

// ===========================================================================
// 1. Sections
// ===========================================================================

constexpr int64_t kMs = 1'000;

std::string known_mutations() {
    std::string list;
    for (int bit = 0; bit < 32; ++bit) {
        const char* name = raft::mutation_name(1u << bit);
        if (std::strcmp(name, "?") != 0) list += (list.empty() ? "" : ", ") + std::string(name);
    }
    return list;
}

void parse_mutations(ReadCtx& ctx, const JsonValue& v, const std::string& path, uint32_t* out) {
    if (!expect_array(ctx, v, path, 32)) return;
    uint32_t bits = raft::kMutNone;
    for (size_t i = 0; i < v.items.size(); ++i) {
        std::string name, p = item_path(path, i);
        if (!read_string(ctx, v.items[i], p, 64, true, &name)) return;
        uint32_t bit = raft::mutation_from_name(name);
        if (bit == raft::kMutNone) {
            ctx.fail(
                p, "unknown mutation " + shown(v.items[i]) + " (known: " + known_mutations() + ")");
            return;
        }
        if (bits & bit) {
            ctx.fail(p, "mutation \"" + name + "\" listed twice");
            return;
        }
        bits |= bit;
    }
    *out = bits;
}

void parse_cluster(ReadCtx& ctx, const JsonValue& v, const std::string& path, raft::Config* c) {
    Fields f(&ctx, v, path,
             {"nodes", "election_timeout_ms", "heartbeat_ms", "pre_vote", "check_quorum",
              "step_down_on_rejection", "snapshot_threshold", "snapshot_catch_up_entries",
              "max_entries_per_append", "max_inflight_appends", "read_mode", "mutations", "voters",
              "joint_consensus"});
    f.integer("nodes", 1, raft::kMaxNodes, &c->node_count);
    // Thesis ch. 4: the initial configuration; the other servers are spares.
    f.integer("voters", 1, raft::kMaxNodes, &c->initial_voters);
    f.boolean("joint_consensus", &c->joint_consensus);
    f.millis_range("election_timeout_ms", 1 * kMs, kMaxDelayUs, &c->election_timeout_us_min,
                   &c->election_timeout_us_max);
    f.millis("heartbeat_ms", 1, kMaxDelayUs, &c->heartbeat_us);
    f.boolean("pre_vote", &c->pre_vote);
    f.boolean("check_quorum", &c->check_quorum);
    f.boolean("step_down_on_rejection", &c->step_down_on_rejection);
    f.integer("snapshot_threshold", 0, 1'000'000'000, &c->snapshot_threshold);
    f.integer("snapshot_catch_up_entries", 0, 1'000'000'000, &c->snapshot_catch_up_entries);
    f.integer("max_entries_per_append", 1, 100'000, &c->max_entries_per_append);
    f.integer("max_inflight_appends", 1, 1'024, &c->max_inflight_appends);
    if (const JsonValue* m = f.get("read_mode")) {
        std::string mode;
        if (read_string(ctx, *m, f.path("read_mode"), 32, true, &mode)) {
            if (!read_mode_from_name(mode, &c->read_mode)) {
                ctx.fail(f.path("read_mode"),
                         "expected \"log\", \"read_index\" or \"lease\", got " + shown(*m));
            }
        }
    }
    if (const JsonValue* m = f.get("mutations"))
        parse_mutations(ctx, *m, f.path("mutations"), &c->mutations);
    if (ctx.ok() && c->initial_voters > c->node_count) {
        ctx.fail(f.path("voters"), std::to_string(c->initial_voters) + " voters but only " +
                                       std::to_string(c->node_count) +
                                       " nodes (the voters are nodes 0 .. voters-1; the rest "
                                       "are spares that add_node can add)");
    }
    // §5.6: broadcastTime << electionTimeout, or followers time out between
    // heartbeats and elections never settle.
    if (ctx.ok() && c->heartbeat_us >= c->election_timeout_us_min) {
        ctx.fail(f.path("heartbeat_ms"),
                 "heartbeat " + format_ms(c->heartbeat_us) +
                     " ms must be less than the minimum election timeout (" +
                     format_ms(c->election_timeout_us_min) + " ms)");
    }
    // Thesis §6.4.1: a leader's lease rests on its followers' (§4.2.3),
    // which only pre-vote or check-quorum make them keep.
    if (ctx.ok() && c->read_mode == raft::ReadMode::kLease && !c->pre_vote && !c->check_quorum) {
        ctx.fail(f.path("read_mode"),
                 "\"lease\" needs pre_vote or check_quorum (without them no follower refuses "
                 "a vote while it hears from its leader, so a leader's lease would promise "
                 "nothing)");
    }
}

// One rate per node (ClockModel::drift_ppm); nodes past the list's end run
// at the true rate.
void parse_clock(ReadCtx& ctx, const JsonValue& v, const std::string& path, int node_count,
                 ClockModel* c) {
    Fields f(&ctx, v, path, {"timer_late_ms", "drift_ppm"});
    f.millis("timer_late_ms", 0, 1'000'000, &c->timer_late_us_max);
    const JsonValue* d = f.get("drift_ppm");
    if (d == nullptr ||
        !expect_array(ctx, *d, f.path("drift_ppm"), static_cast<size_t>(node_count)))
        return;
    std::vector<int64_t> drift(d->items.size(), 0);
    for (size_t i = 0; i < d->items.size(); ++i) {
        if (!read_int(ctx, d->items[i], item_path(f.path("drift_ppm"), i), -kMaxDriftPpm,
                      kMaxDriftPpm, &drift[i]))
            return;
    }
    c->drift_ppm = std::move(drift);
}

void parse_network(ReadCtx& ctx, const JsonValue& v, const std::string& path, NetworkModel* n) {
    Fields f(&ctx, v, path, {"latency_ms", "tail", "tail_ms_max", "loss", "duplicate"});
    f.millis_range("latency_ms", 0, kMaxDelayUs, &n->latency_us_min, &n->latency_us_max);
    f.fraction("tail", &n->tail_ppm);
    f.millis("tail_ms_max", 0, kMaxDelayUs, &n->tail_us_max);
    f.fraction("loss", &n->loss_ppm);
    f.fraction("duplicate", &n->duplicate_ppm);
}

void parse_disk(ReadCtx& ctx, const JsonValue& v, const std::string& path, DiskModel* d) {
    Fields f(&ctx, v, path, {"fsync_ms", "torn_write", "corrupt"});
    f.millis_range("fsync_ms", 0, kMaxDelayUs, &d->fsync_us_min, &d->fsync_us_max);
    f.fraction("torn_write", &d->torn_write_ppm);
    f.fraction("corrupt", &d->corrupt_ppm);
}

// When "mix" is given, omitted operations are 0: the defaults would not sum
// to 1 with whatever the user wrote.
void parse_mix(ReadCtx& ctx, const JsonValue& v, const std::string& path, Workload* w) {
    Fields f(&ctx, v, path, {"put", "get", "delete", "cas", "append"});
    int64_t put = 0, get = 0, del = 0, cas = 0, append = 0;
    f.fraction("put", &put);
    f.fraction("get", &get);
    f.fraction("delete", &del);
    f.fraction("cas", &cas);
    f.fraction("append", &append);
    if (!ctx.ok()) return;
    int64_t sum = put + get + del + cas + append;
    if (sum != kPpm) {
        ctx.fail(path, "fractions sum to " + format_scaled(sum, 6) + ", not 1");
        return;
    }
    w->put_ppm = put;
    w->get_ppm = get;
    w->delete_ppm = del;
    w->cas_ppm = cas;
    w->append_ppm = append;
}

void parse_workload(ReadCtx& ctx, const JsonValue& v, const std::string& path, Workload* w) {
    Fields f(&ctx, v, path,
             {"clients", "rate_per_s", "keys", "value_bytes", "mix", "timeout_ms", "retry_ms",
              "retry", "start_ms", "stop_ms"});
    f.integer("clients", 0, 64, &w->clients);
    f.integer("rate_per_s", 0, 100'000, &w->rate_per_s);
    f.integer("keys", 1, 1'000'000, &w->keys);
    f.integer("value_bytes", 0, 4'096, &w->value_bytes);
    if (const JsonValue* m = f.get("mix")) parse_mix(ctx, *m, f.path("mix"), w);
    f.millis("timeout_ms", 1, kMaxSimTimeUs, &w->timeout_us);
    f.millis("retry_ms", 0, kMaxSimTimeUs, &w->retry_us);
    if (const JsonValue* r = f.get("retry"))
        parse_retry_policy(ctx, *r, f.path("retry"), &w->retry);
    f.millis("start_ms", 0, kMaxSimTimeUs, &w->start_us);
    if (const JsonValue* s = f.get("stop_ms"); s && s->kind == JsonKind::kNull) {
        w->stop_us = -1;
    } else {
        f.millis("stop_ms", 0, kMaxSimTimeUs, &w->stop_us);
    }
    if (!ctx.ok()) return;
    if (w->stop_us >= 0 && w->stop_us < w->start_us) {
        ctx.fail(f.path("stop_ms"), "stop " + format_ms(w->stop_us) + " ms is before start " +
                                        format_ms(w->start_us) + " ms");
    } else if (w->retry.backoff_us_max >= 0 && w->retry.backoff_us_max < w->retry_us) {
        ctx.fail(join_path(f.path("retry"), "backoff_ms_max"),
                 "backoff max " + format_ms(w->retry.backoff_us_max) +
                     " ms is less than retry_ms (" + format_ms(w->retry_us) + " ms)");
    } else if (w->rate_per_s > 0 && w->clients == 0) {
        ctx.fail(f.path("clients"),
                 "rate_per_s is " + std::to_string(w->rate_per_s) + " but there are no clients");
    }
}

void parse_preset_log(ReadCtx& ctx, const JsonValue& v, const std::string& path,
                      std::vector<PresetEntry>* out) {
    if (!expect_array(ctx, v, path, kMaxPresetLog)) return;
    std::vector<PresetEntry> log;
    for (size_t i = 0; i < v.items.size() && ctx.ok(); ++i) {
        const JsonValue& item = v.items[i];
        std::string p = item_path(path, i);
        PresetEntry e;
        if (item.kind == JsonKind::kObject) {
            Fields f(&ctx, item, p, {"term", "type"});
            f.require("term");
            f.integer("term", 1, kMaxTerm, &e.term);
            std::string type = "command";
            f.string("type", 16, true, &type);
            if (type == "noop") {
                e.type = raft::EntryType::kNoop;
            } else if (type != "command") {
                ctx.fail(f.path("type"), "expected \"command\" or \"noop\", got \"" + type + "\"");
            }
        } else {
            read_int(ctx, item, p, 1, kMaxTerm, &e.term);
        }
        if (ctx.ok() && !log.empty() && e.term < log.back().term) {
            ctx.fail(p, "term " + std::to_string(e.term) + " follows term " +
                            std::to_string(log.back().term) +
                            " (terms never decrease along a log)");
        }
        log.push_back(e);
    }
    if (ctx.ok()) *out = std::move(log);
}

void parse_preset_node(ReadCtx& ctx, const JsonValue& v, const std::string& path, int node_count,
                       PresetNode* p) {
    Fields f(&ctx, v, path, {"node", "term", "voted_for", "log", "alive"});
    if (f.require("node")) read_node_id(ctx, *f.get("node"), f.path("node"), node_count, &p->id);
    f.integer("term", 0, kMaxTerm, &p->current_term);
    if (const JsonValue* vf = f.get("voted_for"); vf && vf->kind != JsonKind::kNull) {
        read_node_id(ctx, *vf, f.path("voted_for"), node_count, &p->voted_for);
    }
    if (const JsonValue* log = f.get("log")) parse_preset_log(ctx, *log, f.path("log"), &p->log);
    f.boolean("alive", &p->alive);
    // §5.1: a node adopts a term before accepting entries of it, so its
    // current term is at least the term of every entry in its log.
    if (ctx.ok() && !p->log.empty() && p->log.back().term > p->current_term) {
        ctx.fail(f.path("term"), "current term " + std::to_string(p->current_term) +
                                     " is lower than the last log entry's term " +
                                     std::to_string(p->log.back().term));
    }
}

void parse_preset(ReadCtx& ctx, const JsonValue& v, const std::string& path, int node_count,
                  std::vector<PresetNode>* out) {
    if (!expect_array(ctx, v, path, static_cast<size_t>(node_count))) return;
    std::vector<bool> seen(static_cast<size_t>(node_count), false);
    std::vector<PresetNode> preset;
    for (size_t i = 0; i < v.items.size() && ctx.ok(); ++i) {
        PresetNode p;
        parse_preset_node(ctx, v.items[i], item_path(path, i), node_count, &p);
        if (!ctx.ok()) return;
        if (seen[static_cast<size_t>(p.id)]) {
            ctx.fail(join_path(item_path(path, i), "node"),
                     "node " + std::to_string(p.id) + " is listed twice");
            return;
        }
        seen[static_cast<size_t>(p.id)] = true;
        preset.push_back(std::move(p));
    }
    *out = std::move(preset);
}

// ===========================================================================
// 2. The scenario
// ===========================================================================

// One moment's checks: {"at_ms": t, "nodes": [..], "leader": b, ...}.
void parse_expect_at(ReadCtx& ctx, const JsonValue& v, const std::string& path, const Scenario& s,
                     ExpectAt* out) {
    Fields f(&ctx, v, path,
             {"at_ms", "nodes", "leader", "commit_index_min", "commit_index_max", "term_max"});
    if (f.require("at_ms")) f.millis("at_ms", 0, s.duration_us, &out->at_us);
    if (const JsonValue* n = f.get("nodes"); n && expect_array(ctx, *n, f.path("nodes"), 32)) {
        for (size_t i = 0; i < n->items.size() && ctx.ok(); i++) {
            raft::NodeId id = raft::kNone;
            if (read_node_id(ctx, n->items[i], item_path(f.path("nodes"), i), s.cluster.node_count,
                             &id))
                out->nodes.push_back(id);
        }
    }
    if (const JsonValue* l = f.get("leader")) {
        bool b = false;
        f.boolean("leader", &b);
        (void)l;
        out->leader = b ? 1 : 0;
    }
    f.integer("commit_index_min", 0, INT64_MAX / 2, &out->commit_index_min);
    f.integer("commit_index_max", 0, INT64_MAX / 2, &out->commit_index_max);
    f.integer("term_max", 0, INT64_MAX / 2, &out->term_max);
    if (ctx.ok() && out->commit_index_min >= 0 && out->commit_index_max >= 0 &&
        out->commit_index_min > out->commit_index_max)
        ctx.fail(f.path("commit_index_min"), "greater than commit_index_max");
    if (ctx.ok() && out->leader < 0 && out->commit_index_min < 0 && out->commit_index_max < 0 &&
        out->term_max < 0)
        ctx.fail(path,
                 "checks nothing (give leader, commit_index_min, commit_index_max or term_max)");
}

// Read after duration_ms and the cluster (a moment must be in the run, a node in it).
void parse_expect(ReadCtx& ctx, const JsonValue& v, const std::string& path, Scenario* s) {
    Fields f(
        &ctx, v, path,
        {"converged", "linearizable", "leader_within_ms", "elections_min", "elections_max", "at"});
    Expectations& e = s->expect;
    f.boolean("converged", &s->expect_converged);
    f.boolean("linearizable", &e.linearizable);
    f.millis("leader_within_ms", 0, s->duration_us, &e.leader_within_us);
    f.integer("elections_min", 0, 1'000'000, &e.elections_min);
    f.integer("elections_max", 0, 1'000'000, &e.elections_max);
    if (ctx.ok() && e.elections_max >= 0 && e.elections_min > e.elections_max)
        ctx.fail(f.path("elections_min"), "greater than elections_max");
    const JsonValue* at = f.get("at");
    if (at == nullptr || !expect_array(ctx, *at, f.path("at"), 1'000)) return;
    for (size_t i = 0; i < at->items.size() && ctx.ok(); i++) {
        ExpectAt a;
        const std::string p = item_path(f.path("at"), i);
        parse_expect_at(ctx, at->items[i], p, *s, &a);
        if (ctx.ok() && !e.at.empty() && a.at_us < e.at.back().at_us)
            ctx.fail(join_path(p, "at_ms"), "before the previous check's at_ms");
        e.at.push_back(std::move(a));
    }
}

}  // namespace

bool scenario_from_tree(ReadCtx& ctx, const JsonValue& root, const std::string& path, Scenario* out,
                        bool* had_name) {
    Fields f(&ctx, root, path,
             {"name", "description", "cluster", "network", "disk", "clock", "workload", "preset",
              "duration_ms", "expect", "timeline", "tour"});
    Scenario s;
    f.string("name", 100, true, &s.name);
    f.string("description", 4'000, false, &s.description);
    if (const JsonValue* v = f.get("cluster"))
        parse_cluster(ctx, *v, f.path("cluster"), &s.cluster);
    if (const JsonValue* v = f.get("network"))
        parse_network(ctx, *v, f.path("network"), &s.network);
    if (const JsonValue* v = f.get("disk")) parse_disk(ctx, *v, f.path("disk"), &s.disk);
    if (const JsonValue* v = f.get("clock"))
        parse_clock(ctx, *v, f.path("clock"), s.cluster.node_count, &s.clock);
    if (const JsonValue* v = f.get("workload"))
        parse_workload(ctx, *v, f.path("workload"), &s.workload);
    f.millis("duration_ms", 1, kMaxSimTimeUs, &s.duration_us);
    if (const JsonValue* v = f.get("preset")) {
        parse_preset(ctx, *v, f.path("preset"), s.cluster.node_count, &s.preset);
        PresetProblem problem;
        if (ctx.ok() && !check_preset_reachable(s.preset, s.cluster.node_count, &problem)) {
            ctx.fail(f.path("preset") + problem.path, problem.reason);
        }
    }
    if (const JsonValue* v = f.get("expect")) parse_expect(ctx, *v, f.path("expect"), &s);
    if (const JsonValue* v = f.get("timeline")) {
        ActionListRules lim{{s.cluster.node_count, s.duration_us}, kMaxTimelineSteps, false};
        parse_actions(ctx, *v, f.path("timeline"), lim, &s.timeline);
    }
    if (const JsonValue* v = f.get("tour"); v && ctx.ok()) {
        Tour ignored;  // validated here, read by parse_scenario_tour: never in the Scenario
        tour_from_tree(ctx, *v, f.path("tour"), s, &ignored);
    }
    std::string field, reason;
    if (ctx.ok() && !check_run_estimate(s, {}, &field, &reason)) {
        ctx.fail(join_path(path, field), reason);
    }
    if (!ctx.ok()) return false;
    if (had_name) *had_name = root.find("name") != nullptr;
    *out = std::move(s);
    return true;
}

namespace {

bool parse_scenario_impl(const std::string& text, const std::string& source,
                         const std::vector<std::string>& overrides, Scenario* out,
                         std::string* error, bool* had_name) {
    std::string why;
    if (text.size() > kMaxScenarioBytes) {
        *error = source + ": limit scenario_bytes_max: too large (" + std::to_string(text.size()) +
                 " bytes, at most " + std::to_string(kMaxScenarioBytes) + ")";
        return false;
    }
    JsonValue root;
    if (!parse_json(text, "", &root, &why)) {
        *error = source + ": " + why;
        return false;
    }
    for (const std::string& spec : overrides) {
        if (!apply_override(&root, spec, &why)) {
            *error = source + ": " + why;
            return false;
        }
    }
    ReadCtx ctx{source, ""};
    if (!scenario_from_tree(ctx, root, "", out, had_name)) {
        *error = ctx.error;
        return false;
    }
    return true;
}
// ===========================================================================
// 3. Files and the public API
// ===========================================================================

bool read_file(const std::string& path, std::string* text, std::string* error) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
        *error = path + ": cannot open (" + std::strerror(errno) + ")";
        return false;
    }
    text->clear();
    char buffer[65536];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
        text->append(buffer, n);
        if (text->size() > kMaxScenarioBytes) break;
    }
    bool failed = std::ferror(file) != 0;
    std::fclose(file);
    if (failed) {
        *error = path + ": read error";
        return false;
    }
    return true;  // an oversized text is reported by the parser
}

std::string base_name_without_json(const std::string& path) {
    size_t slash = path.find_last_of("/\\");
    std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    if (base.size() > 5 && base.compare(base.size() - 5, 5, ".json") == 0)
        base.resize(base.size() - 5);
    return base;
}
}  // namespace

bool parse_scenario(const std::string& json_text, const std::string& source_name,
                    const std::vector<std::string>& overrides, Scenario* out, std::string* error) {
    return parse_scenario_impl(json_text, source_name, overrides, out, error, nullptr);
}

bool load_scenario_file(const std::string& path, const std::vector<std::string>& overrides,
                        Scenario* out, std::string* error) {
    std::string text;
    if (!read_file(path, &text, error)) return false;
    bool had_name = false;
    Scenario s;
    if (!parse_scenario_impl(text, path, overrides, &s, error, &had_name)) return false;
    if (!had_name) s.name = base_name_without_json(path);
    *out = std::move(s);
    return true;
}

}  // namespace sim
