// format/retry_policy.h — the JSON form of a client's routing and retries
// (sim::RetryPolicy): the object {"route", "attempt_timeout_ms",
// "max_attempts", "backoff_ms_max"} read under a workload's "retry" key and a
// scripted request's "retry" key, the route names, and the writer.
//
// Must not run anything. Bad values fail the read naming the field's path
// (the loader then exits 3); omitted fields keep their defaults, which are
// the clients' behaviour before these fields existed.
#pragma once

#include <string>

#include "format/json.h"
#include "sim/scenario.h"

namespace sim {

constexpr int32_t kMaxAttemptsMax = 1'000;

// Reads `v` (an object) into *p, field by field over its current values.
void parse_retry_policy(ReadCtx& ctx, const JsonValue& v, const std::string& path, RetryPolicy* p);
// Writes "retry": {...} with the fields that differ from the defaults; when
// none does, nothing unless `even_default` (a workload's default policy is
// left out, so files written before these fields existed read and write back
// unchanged; a request's explicit "retry": {} still overrides the workload's).
void write_retry_policy(JsonWriter& w, const RetryPolicy& p, bool even_default);

}  // namespace sim
