// native/cli/common.cpp — argument parsing, number parsing, scenario lookup
// and file helpers shared by every command (see cli.h).
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "native/cli/cli.h"

namespace cli {

namespace fs = std::filesystem;

// ===========================================================================
// arguments
// ===========================================================================

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

bool Args::parse(int argc, char** argv, int first, const ArgSpec& spec, std::string* error) {
    for (int i = first; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            values_["--help"].push_back("");
            continue;
        }
        if (a.size() < 2 || a[0] != '-') {
            positionals_.push_back(a);
            continue;
        }
        std::string value;
        bool has_value = false;
        if (const size_t eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
            value = a.substr(eq + 1);
            a = a.substr(0, eq);
            has_value = true;
        }
        if (contains(spec.flags, a) && !has_value) {
            values_[a].push_back("");
        } else if (contains(spec.options, a)) {
            if (!has_value) {
                if (i + 1 >= argc) {
                    *error = "option " + a + " needs a value";
                    return false;
                }
                value = argv[++i];
            }
            values_[a].push_back(value);
        } else {
            *error = "unknown option " + a + " (see --help)";
            return false;
        }
    }
    if (positionals_.size() > spec.max_positionals && !help()) {
        *error = "unexpected argument " + positionals_[spec.max_positionals] + " (see --help)";
        return false;
    }
    return true;
}

bool Args::has(const std::string& name) const {
    return values_.count(name) != 0;
}

std::string Args::get(const std::string& name, const std::string& fallback) const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second.back();
}

std::vector<std::string> Args::all(const std::string& name) const {
    auto it = values_.find(name);
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

bool parse_u64(const std::string& text, uint64_t* out) {
    if (text.empty() || text.size() > 20) return false;
    uint64_t v = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        const uint64_t d = static_cast<uint64_t>(c - '0');
        if (v > (UINT64_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

bool parse_i64(const std::string& text, int64_t* out) {
    const bool neg = !text.empty() && text[0] == '-';
    uint64_t v = 0;
    if (!parse_u64(neg ? text.substr(1) : text, &v) || v > static_cast<uint64_t>(INT64_MAX)) {
        return false;
    }
    *out = neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
    return true;
}

bool parse_seed_range(const std::string& text, uint64_t* first, uint64_t* last) {
    const size_t dots = text.find("..");
    if (dots == std::string::npos) {
        if (!parse_u64(text, first)) return false;
        *last = *first;
        return true;
    }
    return parse_u64(text.substr(0, dots), first) && parse_u64(text.substr(dots + 2), last) &&
           *first <= *last;
}

int bad_input(const std::string& command, const std::string& message) {
    std::cerr << "raftplay " << command << ": " << message << "\n";
    return kExitBadInput;
}

// ===========================================================================
// scenarios
// ===========================================================================

namespace {

std::string executable_dir() {
    char buf[4096];
    const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return "";
    buf[n] = '\0';
    return fs::path(buf).parent_path().string();
}

// Folders that may hold the built-in scenarios, most specific first.
std::vector<std::string> scenario_dirs() {
    std::vector<std::string> dirs;
    if (const char* env = std::getenv("RAFTPLAY_SCENARIOS"); env && *env) dirs.push_back(env);
    dirs.push_back("scenarios");
    const std::string exe = executable_dir();
    if (!exe.empty()) {
        dirs.push_back(exe + "/../../scenarios");
        dirs.push_back(exe + "/../scenarios");
    }
    return dirs;
}

bool is_builtin_name(const std::string& s) {
    if (s.empty() || s.size() > 64) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

}  // namespace

bool file_exists(const std::string& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

bool load_scenario(const std::string& arg, const std::vector<std::string>& overrides,
                   LoadedScenario* out, std::string* error) {
    std::string path = arg;
    bool builtin = false;
    if (!file_exists(arg) && is_builtin_name(arg)) {
        for (const std::string& dir : scenario_dirs()) {
            if (file_exists(dir + "/" + arg + ".json")) {
                path = dir + "/" + arg + ".json";
                builtin = true;
                break;
            }
        }
        if (!builtin) {
            *error = "no scenario file " + arg + " and no built-in scenario named " + arg +
                     " (looked for scenarios/" + arg +
                     ".json; set RAFTPLAY_SCENARIOS to the folder)";
            return false;
        }
    }
    auto s = std::make_shared<sim::Scenario>();
    if (!sim::load_scenario_file(path, overrides, s.get(), error)) return false;
    out->scenario = std::move(s);
    out->path = path;
    out->builtin_name = builtin && overrides.empty() ? arg : "";
    return true;
}

std::vector<std::string> builtin_scenario_names() {
    for (const std::string& dir : scenario_dirs()) {
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) continue;
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(dir, ec)) {
            if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
        }
        std::sort(names.begin(), names.end());
        if (!names.empty()) return names;
    }
    return {};
}

// ===========================================================================
// files
// ===========================================================================

bool read_file(const std::string& path, std::string* out, std::string* error, size_t max_bytes,
               const char* limit) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        *error = path + ": is a directory";
        return false;
    }
    const auto too_big = [&](uintmax_t bytes) {
        *error = path + ": limit " + limit + ": " + std::to_string(bytes) + " bytes, at most " +
                 std::to_string(max_bytes);
        return false;
    };
    const uintmax_t size = fs::file_size(path, ec);
    if (!ec && size > max_bytes) return too_big(size);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        *error = path + ": cannot open (" + std::strerror(errno) + ")";
        return false;
    }
    out->clear();
    char buffer[65536];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        out->append(buffer, static_cast<size_t>(in.gcount()));
        if (out->size() > max_bytes) return too_big(out->size());
    }
    return true;
}

std::string limit_message(const std::string& source, const sim::World& w) {
    return source + ": limit " + w.limit_reached() +
           " (docs/scenarios.md#limits): the run stopped at " + std::to_string(w.now_us()) +
           " us after " + std::to_string(w.history().size()) +
           " client operations; lower the workload or shorten the run";
}

bool write_file(const std::string& path, const std::string& text, std::string* error) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) {
        *error = path + ": cannot write (" + std::strerror(errno) + ")";
        return false;
    }
    f << text;
    f.close();
    if (!f) {
        *error = path + ": write failed";
        return false;
    }
    return true;
}

namespace {
std::string& program_name_storage() {
    static std::string name = "raftplay";
    return name;
}
}  // namespace

const std::string& program_name() {
    return program_name_storage();
}
void set_program_name(const std::string& name) {
    program_name_storage() = name;
}

std::string shell_quote(const std::string& s) {
    const bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("-_./=:,+@%", c);
    });
    if (plain) return s;
    std::string q = "'";
    for (char c : s) {
        if (c == '\'') {
            q += "'\\''";
        } else {
            q += c;
        }
    }
    return q + "'";
}

}  // namespace cli
