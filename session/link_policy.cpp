// session/link_policy.cpp — the speed parameter and the partial-link policy
// (see link_policy.h).
#include "session/link_policy.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace session {

namespace {

constexpr size_t kParamsMax = 32;  // a hostile fragment splits into at most this many
constexpr size_t kSpeedTextMax = 16;
constexpr double kSpeedMin = 0.001, kSpeedMax = 100.0;

struct Param {
    std::string name, value;
};

std::vector<Param> split_params(const std::string& fragment) {
    std::vector<Param> out;
    size_t at = !fragment.empty() && fragment[0] == '#' ? 1 : 0;
    while (at <= fragment.size() && out.size() < kParamsMax) {
        size_t amp = fragment.find('&', at);
        if (amp == std::string::npos) amp = fragment.size();
        const std::string part = fragment.substr(at, amp - at);
        const size_t eq = part.find('=');
        if (!part.empty()) {
            out.push_back(eq == std::string::npos ? Param{part, ""}
                                                  : Param{part.substr(0, eq), part.substr(eq + 1)});
        }
        at = amp + 1;
    }
    return out;
}

const char* words_for(const std::string& name) {
    if (name == "in") return "the actions (in)";
    if (name == "t") return "the cursor (t)";
    if (name == "d") return "the digest (d)";
    if (name == "seed") return "the seed";
    if (name == "v") return "the version (v)";
    return nullptr;
}

}  // namespace

bool link_speed_log10(const std::string& fragment, float* speed_log10, std::string* error) {
    for (const Param& p : split_params(fragment)) {
        if (p.name != "speed") continue;
        char* end = nullptr;
        const std::string text = p.value.substr(0, kSpeedTextMax + 1);
        const double x = text.size() > kSpeedTextMax ? 0 : std::strtod(text.c_str(), &end);
        const bool whole = end != nullptr && *end == '\0' && !text.empty();
        if (!whole || !std::isfinite(x) || x < kSpeedMin || x > kSpeedMax) {
            *error = "speed: expected a playback speed from 0.001 to 100";
            return false;
        }
        *speed_log10 = static_cast<float>(std::log10(x));
        return true;
    }
    return false;
}

bool link_tour_chapter(const std::string& fragment, int* chapter, std::string* error) {
    for (const Param& p : split_params(fragment)) {
        if (p.name != "tour") continue;
        const bool digits = !p.value.empty() && p.value.size() <= 2 &&
                            std::all_of(p.value.begin(), p.value.end(),
                                        [](char c) { return c >= '0' && c <= '9'; });
        const int n = digits ? std::atoi(p.value.c_str()) : 0;
        if (n < 1) {
            *error = "tour: expected a chapter number from 1";
            return false;
        }
        *chapter = n - 1;
        return true;
    }
    return false;
}

std::string speed_param(float speed_log10) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "speed=%.4g", std::pow(10.0, static_cast<double>(speed_log10)));
    return buf;
}

std::string link_core(const std::string& fragment, bool keep_seed,
                      std::vector<std::string>* left_out) {
    std::string scenario, seed;
    left_out->clear();
    for (const Param& p : split_params(fragment)) {
        if ((p.name == "s" || p.name == "sc") && scenario.empty()) {
            scenario = p.name + "=" + p.value;
        } else if (p.name == "seed" && keep_seed && seed.empty()) {
            seed = "&seed=" + p.value;
        } else if (p.name != "speed" && p.name != "tour" && !(p.name == "v" && p.value == "1")) {
            const char* words = words_for(p.name);
            left_out->push_back(words ? words : "\"" + p.name.substr(0, 16) + "\"");
        }
    }
    if (scenario.empty()) return "";
    return "v=1&" + scenario + (seed.empty() ? "&seed=1" : seed);
}

}  // namespace session
