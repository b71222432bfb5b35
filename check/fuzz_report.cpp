// check/fuzz_report.cpp — fuzz reports as JSON lines, and their merge (see
// fuzz_report.h).
//
// Index
//   signatures
//   shards
//   writing lines
//   reading lines
//   merging
#include "check/fuzz_report.h"

#include <algorithm>
#include <map>
#include <set>

#include "format/json.h"
#include "sim/trace.h"

namespace sim {

// ===========================================================================
// signatures
// ===========================================================================

namespace {

// The event after which a safety violation was found: the last record before
// the first violation record ("deliver append", "fsync", ...).
FailureSignature safety_signature(const World& w, const Verdict& v) {
    FailureSignature s{"", "unknown", "none"};
    const std::string_view what = v.what;
    s.check = std::string(what.substr(0, what.find(':')));
    const std::span<const TraceRecord> trace = w.trace();
    size_t i = 0;
    while (i < trace.size() && trace[i].kind != TraceKind::kViolation)
        i++;
    if (i == 0 || i == trace.size()) return s;  // no trace kept, or nothing before
    const TraceRecord& r = trace[i - 1];
    s.event = trace_kind_name(r.kind);
    if (r.kind == TraceKind::kSend || r.kind == TraceKind::kDeliver || r.kind == TraceKind::kDrop) {
        s.event += std::string(" ") + raft::msg_type_name(static_cast<raft::MsgType>(r.msg_type));
    }
    if (r.node >= 0 && static_cast<size_t>(r.node) < w.nodes().size())
        s.role = raft::role_name(w.nodes()[static_cast<size_t>(r.node)].node.role());
    return s;
}

// The operation kinds of the witness that cannot be linearized ("get+put").
FailureSignature lin_signature(const World& w, const Verdict& v) {
    std::set<std::string> kinds;
    const HistoryView h = w.history();
    for (size_t i : v.linearizability.witness) {
        if (i < h.size()) kinds.insert(raft::op_name(h[i].op));
    }
    std::string event;
    for (const std::string& k : kinds)
        event += (event.empty() ? "" : "+") + k;
    return {"linearizability", event.empty() ? "unknown" : event, "client"};
}

}  // namespace

FailureSignature failure_signature(const World& world, const Verdict& verdict) {
    switch (verdict.outcome) {
        case Outcome::kSafety:
            return safety_signature(world, verdict);
        case Outcome::kLinearizability:
            return lin_signature(world, verdict);
        case Outcome::kLiveness:
            return {
                "liveness",
                verdict.what.find("no live leader") != std::string::npos ? "no_leader" : "diverged",
                "none"};
        case Outcome::kOk:
            break;
    }
    return {"none", "none", "none"};
}

// ===========================================================================
// shards
// ===========================================================================

uint64_t shard_seed_count(uint64_t first, uint64_t last, uint32_t index, uint32_t count) {
    ASSERT(count >= 1 && index < count && first <= last);
    const uint64_t span = last - first;  // seeds - 1 (the full range would overflow)
    if (index > span) return 0;
    return (span - index) / count + 1;
}

uint64_t shard_seed(uint64_t first, uint32_t index, uint32_t count, uint64_t k) {
    ASSERT(count >= 1 && index < count);
    return first + index + k * count;
}

bool parse_shard(std::string_view text, uint32_t* index, uint32_t* count, std::string* why) {
    const size_t slash = text.find('/');
    uint64_t i = 0, n = 0;
    if (slash == std::string_view::npos || !parse_u64(text.substr(0, slash), &i) ||
        !parse_u64(text.substr(slash + 1), &n) || n < 1 || n > kFuzzShardsMax || i >= n) {
        *why = "expected I/N with 0 <= I < N <= " + std::to_string(kFuzzShardsMax) + ", got '" +
               printable_key(text) + "'";
        return false;
    }
    *index = static_cast<uint32_t>(i);
    *count = static_cast<uint32_t>(n);
    return true;
}

// ===========================================================================
// writing lines
// ===========================================================================

namespace {

void write_signature(JsonWriter& out, const FailureSignature& s) {
    out.key("signature").begin_object();
    out.key("check").string(s.check);
    out.key("event").string(s.event);
    out.key("role").string(s.role);
    out.end_object();
}

void write_failure_fields(JsonWriter& out, const FuzzFailure& f) {
    out.key("seed").uinteger(f.seed);
    out.key("outcome").string(outcome_name(f.outcome));
    out.key("what").string(f.what);
    out.key("t_us").integer(f.t_us);
    write_signature(out, f.signature);
    out.key("reproduce").string(f.reproduce);
    out.key("replay").string(f.replay);
    out.key("run_file").string(f.run_file);
    out.key("link").string(f.link);
}

void write_strings(JsonWriter& out, const char* key, const std::vector<std::string>& v) {
    out.key(key).begin_array();
    for (const std::string& s : v)
        out.string(s);
    out.end_array();
}

}  // namespace

std::string fuzz_failure_line(const FuzzFailure& f) {
    JsonWriter out(JsonDialect::kReport);
    out.begin_object();
    out.key("type").string("failure");
    write_failure_fields(out, f);
    out.end_object();
    return out.take();
}

std::string fuzz_shard_line(const FuzzShard& s) {
    JsonWriter out(JsonDialect::kReport);
    out.begin_object();
    out.key("type").string("shard");
    out.key("scenario").string(s.scenario);
    out.key("first").uinteger(s.first);
    out.key("last").uinteger(s.last);
    out.key("index").uinteger(s.index);
    out.key("count").uinteger(s.count);
    write_strings(out, "mutations", s.mutations);
    out.key("seeds_run").uinteger(s.seeds_run);
    out.key("seeds_total").uinteger(s.seeds_total);
    out.key("wall_s").number(s.wall_s);
    out.key("stopped").string(s.stopped);
    out.end_object();
    return out.take();
}

// ===========================================================================
// reading lines
// ===========================================================================

namespace {

constexpr size_t kTextMax = kFuzzReportLineBytesMax;

bool read_u64_field(const Fields& f, std::string_view key, uint64_t* out) {
    const JsonValue* v = f.get(key);
    if (v == nullptr) return f.require(key);
    if (v->kind != JsonKind::kNumber || !parse_u64(v->text, out))
        return f.ctx().fail(f.path(key), "expected an unsigned integer, got " + shown(*v));
    return true;
}

bool read_outcome(const Fields& f, Outcome* out) {
    std::string name;
    f.require("outcome");
    f.string("outcome", 32, true, &name);
    if (!f.ok()) return false;
    for (Outcome o : {Outcome::kSafety, Outcome::kLinearizability, Outcome::kLiveness}) {
        if (name == outcome_name(o)) {
            *out = o;
            return true;
        }
    }
    return f.ctx().fail(f.path("outcome"), "expected safety, linearizability or liveness, got '" +
                                               printable_key(name) + "'");
}

void read_signature(const Fields& f, FailureSignature* s) {
    f.require("signature");
    const JsonValue* v = f.get("signature");
    if (v == nullptr) return;
    const Fields g(&f.ctx(), *v, f.path("signature"), {"check", "event", "role"});
    for (auto [key, out] :
         {std::pair{"check", &s->check}, {"event", &s->event}, {"role", &s->role}}) {
        g.require(key);
        g.string(key, 256, true, out);
    }
}

bool read_failure(const Fields& f, FuzzFailure* out) {
    read_u64_field(f, "seed", &out->seed);
    read_outcome(f, &out->outcome);
    f.integer("t_us", 0, INT64_MAX, &out->t_us);
    read_signature(f, &out->signature);
    for (auto [key, s] : {std::pair{"what", &out->what},
                          {"reproduce", &out->reproduce},
                          {"replay", &out->replay},
                          {"run_file", &out->run_file},
                          {"link", &out->link}}) {
        f.string(key, kTextMax, false, s);
    }
    return f.ok();
}

bool read_shard(const Fields& f, FuzzShard* out) {
    for (const char* key : {"scenario", "first", "last", "index", "count", "seeds_run"})
        f.require(key);
    f.string("scenario", 4096, false, &out->scenario);
    read_u64_field(f, "first", &out->first);
    read_u64_field(f, "last", &out->last);
    f.integer("index", 0, kFuzzShardsMax - 1, &out->index);
    f.integer("count", 1, kFuzzShardsMax, &out->count);
    read_u64_field(f, "seeds_run", &out->seeds_run);
    read_u64_field(f, "seeds_total", &out->seeds_total);
    f.string("stopped", 32, false, &out->stopped);
    if (const JsonValue* w = f.get("wall_s"); w != nullptr && w->kind == JsonKind::kNumber) {
        // Wall time is a figure, not an identity: milliseconds are enough.
        int64_t ms = 0;
        const NumStatus st = scale_decimal(w->text, 3, &ms);
        if (st == NumStatus::kOk || st == NumStatus::kRounded) out->wall_s = ms / 1000.0;
    }
    if (const JsonValue* m = f.get("mutations");
        m != nullptr && expect_array(f.ctx(), *m, f.path("mutations"), 32)) {
        for (size_t i = 0; i < m->items.size(); i++) {
            std::string name;
            if (read_string(f.ctx(), m->items[i], item_path(f.path("mutations"), i), 64, true,
                            &name))
                out->mutations.push_back(name);
        }
    }
    if (f.ok() && (out->first > out->last || out->index >= out->count))
        return f.ctx().fail(f.path(), "first <= last and index < count must hold");
    return f.ok();
}

bool read_line(std::string_view line, ReadCtx& ctx, const std::string& path, FuzzShardReport* out,
               bool* saw_shard) {
    JsonValue v;
    std::string why;
    if (!parse_json(line, path, &v, &why)) return ctx.fail(path, why);
    if (v.kind != JsonKind::kObject) return ctx.fail(path, "expected an object");
    const JsonValue* type = v.find("type");
    const std::string t = type != nullptr && type->kind == JsonKind::kString ? type->text : "";
    if (t == "failure") {
        const Fields f(&ctx, v, path,
                       {"type", "seed", "outcome", "what", "t_us", "signature", "reproduce",
                        "replay", "run_file", "link"});
        FuzzFailure fail;
        if (read_failure(f, &fail)) out->failures.push_back(std::move(fail));
        return ctx.ok();
    }
    if (t == "shard") {
        if (*saw_shard) return ctx.fail(path, "a second shard line");
        *saw_shard = true;
        const Fields f(&ctx, v, path,
                       {"type", "scenario", "first", "last", "index", "count", "mutations",
                        "seeds_run", "seeds_total", "wall_s", "stopped"});
        return read_shard(f, &out->shard);
    }
    return ctx.fail(join_path(path, "type"), "expected \"failure\" or \"shard\"");
}

}  // namespace

bool read_fuzz_lines(std::string_view text, const std::string& source, FuzzShardReport* out,
                     std::string* err) {
    ReadCtx ctx{source, ""};
    bool saw_shard = false;
    size_t line_no = 0;
    while (!text.empty() && ctx.ok()) {
        const size_t nl = text.find('\n');
        const std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        line_no++;
        const std::string path = "line " + std::to_string(line_no);
        if (line_no > kFuzzReportLinesMax) {
            ctx.fail(path, "more than " + std::to_string(kFuzzReportLinesMax) + " lines");
        } else if (line.size() > kFuzzReportLineBytesMax) {
            ctx.fail(path, "longer than " + std::to_string(kFuzzReportLineBytesMax) + " bytes");
        } else if (!line.empty()) {
            read_line(line, ctx, path, out, &saw_shard);
        }
    }
    if (ctx.ok() && !saw_shard)
        ctx.fail("end", "no shard line: the fuzz run did not finish (or this is not its output)");
    if (!ctx.ok()) *err = ctx.error;
    return ctx.ok();
}

// ===========================================================================
// merging
// ===========================================================================

namespace {

bool same_run(const FuzzShard& a, const FuzzShard& b, std::string* why) {
    if (a.scenario != b.scenario)
        *why = "scenario '" + b.scenario + "' vs '" + a.scenario + "'";
    else if (a.first != b.first || a.last != b.last)
        *why = "a different seed range";
    else if (a.count != b.count)
        *why = "a different shard count";
    else if (a.mutations != b.mutations)
        *why = "different mutations";
    return why->empty();
}

void group_failures(MergedFuzzReport* m) {
    std::map<FailureSignature, size_t> at;
    for (const FuzzFailure& f : m->failures) {
        auto [it, fresh] = at.try_emplace(f.signature, m->groups.size());
        if (fresh) m->groups.push_back({f.signature, {}});
        m->groups[it->second].seeds.push_back(f.seed);
    }
}

}  // namespace

bool merge_fuzz_reports(const std::vector<FuzzShardReport>& in, MergedFuzzReport* out,
                        std::string* err) {
    if (in.empty()) {
        *err = "no report to merge";
        return false;
    }
    MergedFuzzReport m;
    const FuzzShard& s0 = in.front().shard;
    m.scenario = s0.scenario;
    m.first = s0.first;
    m.last = s0.last;
    m.shard_count = s0.count;
    m.mutations = s0.mutations;
    std::set<uint32_t> seen;
    for (size_t i = 0; i < in.size(); i++) {
        const FuzzShard& s = in[i].shard;
        std::string why;
        if (!same_run(s0, s, &why) || !seen.insert(s.index).second) {
            *err = "report " + std::to_string(i + 1) + " (shard " + std::to_string(s.index) + "/" +
                   std::to_string(s.count) + ") does not belong with report 1: " +
                   (why.empty() ? "the same shard twice" : why);
            return false;
        }
        m.seeds_run += s.seeds_run;
        m.seeds_total += shard_seed_count(s.first, s.last, s.index, s.count);
        m.wall_s_max = std::max(m.wall_s_max, s.wall_s);
        m.wall_s_sum += s.wall_s;
        if (!s.stopped.empty())
            m.stopped.push_back("shard " + std::to_string(s.index) + ": " + s.stopped);
        m.failures.insert(m.failures.end(), in[i].failures.begin(), in[i].failures.end());
    }
    m.shards_present.assign(seen.begin(), seen.end());
    for (uint32_t k = 0; k < m.shard_count && m.shards_missing.size() < 1000; k++) {
        if (!seen.contains(k)) m.shards_missing.push_back(k);
    }
    std::stable_sort(m.failures.begin(), m.failures.end(),
                     [](const FuzzFailure& a, const FuzzFailure& b) { return a.seed < b.seed; });
    group_failures(&m);
    *out = std::move(m);
    return true;
}

namespace {

void write_u32s(JsonWriter& out, const char* key, const std::vector<uint32_t>& v) {
    out.key(key).begin_array();
    for (uint32_t x : v)
        out.uinteger(x);
    out.end_array();
}

void write_groups(JsonWriter& out, const std::vector<SignatureGroup>& groups) {
    out.key("signatures").begin_array();
    for (const SignatureGroup& g : groups) {
        out.begin_object();
        out.key("check").string(g.signature.check);
        out.key("event").string(g.signature.event);
        out.key("role").string(g.signature.role);
        out.key("count").uinteger(g.seeds.size());
        out.key("first_seed").uinteger(g.seeds.front());
        out.key("seeds").begin_array();
        for (uint64_t s : g.seeds)
            out.uinteger(s);
        out.end_array();
        out.end_object();
    }
    out.end_array();
}

}  // namespace

std::string merged_fuzz_report_json(const MergedFuzzReport& m, bool with_wall) {
    JsonWriter out(JsonDialect::kReport, JsonWriter::kPretty);
    out.begin_object();
    out.key("scenario").string(m.scenario);
    out.key("seeds").string(std::to_string(m.first) + ".." + std::to_string(m.last));
    out.key("shards").uinteger(m.shard_count);
    write_u32s(out, "shards_missing", m.shards_missing);
    write_strings(out, "mutations", m.mutations);
    out.key("seeds_run").uinteger(m.seeds_run);
    out.key("seeds_total").uinteger(m.seeds_total);
    write_strings(out, "stopped", m.stopped);
    if (with_wall) {
        out.key("wall_s_max").number(m.wall_s_max);
        out.key("wall_s_sum").number(m.wall_s_sum);
        // The shards ran side by side: the slowest one is the run's wall time.
        out.key("seeds_per_s").number(m.wall_s_max > 0 ? m.seeds_run / m.wall_s_max : 0.0);
    }
    out.key("failure_count").uinteger(m.failures.size());
    write_groups(out, m.groups);
    out.key("failures").begin_array();
    for (const FuzzFailure& f : m.failures) {
        out.begin_object();
        write_failure_fields(out, f);
        out.end_object();
    }
    out.end_array();
    out.end_object();
    return out.take();
}

int merged_exit_code(const MergedFuzzReport& m) {
    int code = 0;
    for (const FuzzFailure& f : m.failures) {
        if (outcome_exit_code(f.outcome) == 1) return 1;
        code = 2;
    }
    return code;
}

}  // namespace sim
