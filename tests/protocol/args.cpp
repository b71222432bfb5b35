// tests/protocol/args.cpp — strict argument parsing for the protocol test
// commands (see args.h).
#include "tests/protocol/args.h"

#include <charconv>

namespace protocol {

bool parse_int(const std::string& s, int64_t* out) {
    const char* end = s.data() + s.size();
    const auto [p, ec] = std::from_chars(s.data(), end, *out);
    return ec == std::errc() && p == end && !s.empty();
}

bool parse_node(const std::string& s, int n, int* out) {
    int64_t v = 0;
    if (!parse_int(s, &v) || v < 0 || v >= n) return false;
    *out = static_cast<int>(v);
    return true;
}

const std::string* Args::find(const std::string& key) {
    for (const auto& [k, v] : b_.named) {
        if (k == key) {
            used_.insert(key);
            return &v;
        }
    }
    return nullptr;
}

bool Args::has(const std::string& key) const {
    for (const auto& kv : b_.named) {
        if (kv.first == key) return true;
    }
    return false;
}

bool Args::get_int(const std::string& key, int64_t* out) {
    const std::string* v = find(key);
    if (v == nullptr) return true;
    if (!parse_int(*v, out)) return fail(key + "=" + *v + " is not an integer");
    return true;
}

bool Args::get_bool(const std::string& key, bool* out) {
    const std::string* v = find(key);
    if (v == nullptr) return true;
    if (*v != "true" && *v != "false") return fail(key + "=" + *v + " is not true or false");
    *out = *v == "true";
    return true;
}

bool Args::get_string(const std::string& key, std::string* out) {
    const std::string* v = find(key);
    if (v != nullptr) *out = *v;
    return true;
}

bool Args::all_used() {
    for (const auto& kv : b_.named) {
        if (used_.count(kv.first) == 0) return fail("unknown argument " + kv.first + "=");
    }
    return true;
}

}  // namespace protocol
