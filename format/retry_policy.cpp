// format/retry_policy.cpp — reading and writing a RetryPolicy (see
// retry_policy.h), and the route names.
#include "format/retry_policy.h"

#include "sim/limits.h"

namespace sim {
namespace {

constexpr struct {
    ClientRoute route;
    const char* name;
} kRoutes[] = {
    {ClientRoute::kRoundRobin, "round_robin"},
    {ClientRoute::kPinned, "pinned"},
    {ClientRoute::kLeader, "leader"},
};

void parse_route(ReadCtx& ctx, const JsonValue& v, const std::string& path, ClientRoute* out) {
    std::string name;
    if (!read_string(ctx, v, path, 32, true, &name)) return;
    if (client_route_from_name(name, out)) return;
    ctx.fail(path, "expected \"round_robin\", \"pinned\" or \"leader\", got " + shown(v));
}

}  // namespace

const char* client_route_name(ClientRoute r) {
    for (const auto& x : kRoutes) {
        if (x.route == r) return x.name;
    }
    return "?";
}

bool client_route_from_name(const std::string& name, ClientRoute* out) {
    for (const auto& x : kRoutes) {
        if (name == x.name) {
            *out = x.route;
            return true;
        }
    }
    return false;
}

void parse_retry_policy(ReadCtx& ctx, const JsonValue& v, const std::string& path, RetryPolicy* p) {
    Fields f(&ctx, v, path, {"route", "attempt_timeout_ms", "max_attempts", "backoff_ms_max"});
    if (!f.ok()) return;
    if (const JsonValue* r = f.get("route")) parse_route(ctx, *r, f.path("route"), &p->route);
    // null: the default (derived from the workload's timeout and retry).
    if (const JsonValue* t = f.get("attempt_timeout_ms"); t && t->kind == JsonKind::kNull) {
        p->attempt_timeout_us = -1;
    } else {
        f.millis("attempt_timeout_ms", 1, kMaxSimTimeUs, &p->attempt_timeout_us);
    }
    f.integer("max_attempts", 0, kMaxAttemptsMax, &p->max_attempts);
    if (const JsonValue* b = f.get("backoff_ms_max"); b && b->kind == JsonKind::kNull) {
        p->backoff_us_max = -1;
    } else {
        f.millis("backoff_ms_max", 0, kMaxSimTimeUs, &p->backoff_us_max);
    }
}

void write_retry_policy(JsonWriter& w, const RetryPolicy& p, bool even_default) {
    const RetryPolicy d;
    if (p == d && !even_default) return;
    w.key("retry").begin_object();
    if (p.route != d.route) w.key("route").string(client_route_name(p.route));
    if (p.attempt_timeout_us >= 0) w.key("attempt_timeout_ms").millis(p.attempt_timeout_us);
    if (p.max_attempts != d.max_attempts) w.key("max_attempts").integer(p.max_attempts);
    if (p.backoff_us_max >= 0) w.key("backoff_ms_max").millis(p.backoff_us_max);
    w.end_object();
}

}  // namespace sim
