// format/fragment.cpp — share-link fragments: base64url and the parameters
// (see fragment.h).
#include "format/fragment.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "format/action.h"
#include "format/scenario_json.h"
#include "format/scenario_limits.h"

namespace sim {
namespace {

constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    uint32_t acc = 0;
    int bits = 0;
    for (char c : bytes) {
        acc = (acc << 8) | static_cast<unsigned char>(c);
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += kBase64Url[(acc >> bits) & 63];
        }
    }
    if (bits > 0) out += kBase64Url[(acc << (6 - bits)) & 63];
    return out;  // unpadded, as URLs prefer
}

int base64url_value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}

bool base64url_decode(std::string_view text, std::string* out, std::string* why) {
    while (!text.empty() && text.back() == '=')
        text.remove_suffix(1);  // tolerate padding
    if (text.size() % 4 == 1) {
        *why = "invalid base64url (truncated: " + std::to_string(text.size()) + " characters)";
        return false;
    }
    out->clear();
    out->reserve(text.size() / 4 * 3 + 2);
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        int v = base64url_value(text[i]);
        if (v < 0) {
            *why = "invalid base64url character at position " + std::to_string(i);
            return false;
        }
        acc = (acc << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out->push_back(static_cast<char>((acc >> bits) & 0xff));
        }
    }
    return true;
}

// Printable, bounded text of untrusted input for an error message.
std::string sanitized(std::string_view s) {
    std::string out;
    for (char c : s.substr(0, 32))
        out += (c >= 0x20 && c < 0x7f) ? c : '?';
    if (s.size() > 32) out += "...";
    return out;
}

bool is_scenario_name(std::string_view s) {
    if (s.empty() || s.size() > 64) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

// The fragment's parameters, each at most once. "speed" (playback) and
// "tour" (the guided tour's chapter) are the page's own: accepted here and
// left to the session (session/link_policy.h).
struct FragmentParams {
    static constexpr const char* kNames[] = {"v", "s",  "sc",    "seed", "t",
                                             "d", "in", "speed", "tour"};
    static constexpr size_t kCount = 9;
    bool present[kCount] = {};
    std::string_view value[kCount];
    const std::string_view* get(std::string_view name) const {
        for (size_t i = 0; i < kCount; ++i) {
            if (name == kNames[i]) return present[i] ? &value[i] : nullptr;
        }
        return nullptr;
    }
};

bool split_fragment(std::string_view f, FragmentParams* params, std::string* why) {
    size_t parts = 0;
    while (!f.empty()) {
        size_t amp = f.find('&');
        std::string_view part = f.substr(0, amp);
        f = amp == std::string_view::npos ? std::string_view() : f.substr(amp + 1);
        if (part.empty()) continue;
        if (++parts > 16) return (*why = "too many parameters", false);
        size_t eq = part.find('=');
        std::string_view name = part.substr(0, eq);
        if (eq == std::string_view::npos) {
            return (*why = "parameter \"" + sanitized(name) + "\" has no value", false);
        }
        size_t k = 0;
        while (k < FragmentParams::kCount && name != FragmentParams::kNames[k])
            ++k;
        if (k == FragmentParams::kCount) {
            return (*why = "unknown parameter \"" + sanitized(name) + "\"", false);
        }
        if (params->present[k])
            return (*why = "parameter \"" + std::string(name) + "\" given twice", false);
        params->present[k] = true;
        params->value[k] = part.substr(eq + 1);
    }
    return true;
}

// Scalars: version, scenario choice, seed, cursor, digest.
bool fragment_scalars(const FragmentParams& p, RunFile* run, std::string* builtin,
                      std::string* why) {
    if (const auto* v = p.get("v"); v && *v != "1") {
        return (*why = "v: version \"" + sanitized(*v) + "\" is not supported (this build reads 1)",
                false);
    }
    const auto* s = p.get("s");
    const auto* sc = p.get("sc");
    if ((s == nullptr) == (sc == nullptr)) {
        return (*why = "needs exactly one of s (a built-in scenario) or sc (a scenario)", false);
    }
    if (s && !is_scenario_name(*s))
        return (*why = "s: not a scenario name: \"" + sanitized(*s) + "\"", false);
    if (s) *builtin = std::string(*s);
    const auto* seed = p.get("seed");
    if (seed == nullptr) return (*why = "seed: missing", false);
    if (!parse_u64(*seed, &run->seed)) {
        return (*why = "seed: expected a 64-bit unsigned integer, got \"" + sanitized(*seed) + "\"",
                false);
    }
    if (const auto* t = p.get("t")) {
        uint64_t cursor = 0;
        if (!parse_u64(*t, &cursor) || cursor > static_cast<uint64_t>(kMaxSimTimeUs)) {
            return (*why = "t: expected a time in microseconds (0.." +
                           std::to_string(kMaxSimTimeUs) + "), got \"" + sanitized(*t) + "\"",
                    false);
        }
        run->cursor_us = static_cast<int64_t>(cursor);
    }
    if (const auto* d = p.get("d")) {
        run->digest = std::string(*d);
        if (run->digest.size() > 128 || !is_lower_hex(run->digest)) {
            return (*why = "d: expected a lowercase hex digest", false);
        }
    }
    return true;
}

bool decode_fragment_json(std::string_view b64, const char* param, JsonValue* out,
                          std::string* why) {
    std::string json, reason;
    if (!base64url_decode(b64, &json, &reason)) {
        *why = std::string(param) + ": " + reason;
        return false;
    }
    return parse_json(json, param, out, why);
}

bool decode_fragment_impl(std::string_view f, RunFile* run, std::string* builtin,
                          std::string* why) {
    if (!f.empty() && f[0] == '#') f.remove_prefix(1);
    if (f.size() > kMaxFragmentBytes) {
        return (*why = "limit fragment_bytes_max: too long (" + std::to_string(f.size()) +
                       " bytes, at most " + std::to_string(kMaxFragmentBytes) + ")",
                false);
    }
    if (f.empty()) return (*why = "empty", false);
    FragmentParams params;
    if (!split_fragment(f, &params, why) || !fragment_scalars(params, run, builtin, why))
        return false;
    if (const auto* sc = params.get("sc")) {
        JsonValue tree;
        if (!decode_fragment_json(*sc, "sc", &tree, why)) return false;
        ReadCtx ctx{"", ""};
        if (!scenario_from_tree(ctx, tree, "sc", &run->scenario, nullptr))
            return (*why = ctx.error, false);
    }
    if (const auto* in = params.get("in")) {
        JsonValue tree;
        if (!decode_fragment_json(*in, "in", &tree, why)) return false;
        int nodes = builtin->empty() ? run->scenario.cluster.node_count : raft::kMaxNodes;
        ReadCtx ctx{"", ""};
        if (!parse_actions(ctx, tree, "in", ActionListRules{{nodes, -1}, kMaxInputs, true},
                           &run->inputs)) {
            return (*why = ctx.error, false);
        }
    }
    std::string field, reason;
    if (builtin->empty() && !check_run_estimate(run->scenario, run->inputs, &field, &reason)) {
        return (*why = (field.rfind("inputs", 0) == 0 ? "in" + field.substr(6) : "sc." + field) +
                       ": " + reason,
                false);
    }
    return true;
}

}  // namespace

std::string encode_fragment(const RunFile& run, const std::string& builtin_name_or_empty) {
    std::string f = "v=1&";
    if (!builtin_name_or_empty.empty()) {
        f += "s=" + builtin_name_or_empty;
    } else {
        f += "sc=" + base64url_encode(scenario_to_json(run.scenario));
    }
    f += "&seed=" + std::to_string(run.seed);
    if (run.cursor_us >= 0) f += "&t=" + std::to_string(run.cursor_us);
    if (!run.digest.empty()) f += "&d=" + run.digest;
    if (!run.inputs.empty()) {
        JsonWriter w;
        write_actions(w, run.inputs);
        f += "&in=" + base64url_encode(w.take());
    }
    return f;
}

bool decode_fragment(const std::string& fragment, RunFile* out, std::string* builtin_name,
                     std::string* error) {
    RunFile run;
    std::string builtin, why;
    if (!decode_fragment_impl(fragment, &run, &builtin, &why)) {
        *error = "share link: " + why;
        return false;
    }
    *out = std::move(run);
    *builtin_name = std::move(builtin);
    return true;
}

}  // namespace sim
