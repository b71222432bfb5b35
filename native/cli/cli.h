// native/cli/cli.h — shared pieces of the `raftplay` command line: argument
// parsing, exit codes, scenario lookup, file output, and the commands' entry
// points (one file per command).
//
// The CLI is the only layer that reads the wall clock (std::chrono, to report
// how long checks and benchmarks took), spawns threads (fuzz workers) and
// touches files; everything it runs is the deterministic core in sim/.
// Bad input never crashes it: every failure is a message on stderr naming
// the file, field or option, and exit code 3.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "format/scenario_json.h"
#include "sim/scenario.h"
#include "sim/world.h"

namespace cli {

// Exit codes (a contract: scripts rely on them).
constexpr int kExitOk = 0;
constexpr int kExitViolation = 1;  // safety or linearizability
constexpr int kExitLiveness = 2;
constexpr int kExitBadInput = 3;

// ---------------------------------------------------------------------------
// Arguments: positionals, `--name value` / `--name=value` options (repeatable
// ones keep every value) and `--flag`s. Unknown options are errors.
struct ArgSpec {
    std::vector<std::string> options;  // take a value, e.g. "--seed", "-o"
    std::vector<std::string> flags;    // take none, e.g. "--compact"
    size_t max_positionals = 1;
};

class Args {
  public:
    bool parse(int argc, char** argv, int first, const ArgSpec& spec, std::string* error);
    const std::vector<std::string>& positionals() const { return positionals_; }
    bool has(const std::string& name) const;
    // The last value of an option, or `fallback`.
    std::string get(const std::string& name, const std::string& fallback = "") const;
    std::vector<std::string> all(const std::string& name) const;
    bool help() const { return has("--help"); }

  private:
    std::vector<std::string> positionals_;
    std::map<std::string, std::vector<std::string>> values_;
};

// Strict number parsing for options: the whole text must be the number.
bool parse_u64(const std::string& text, uint64_t* out);
bool parse_i64(const std::string& text, int64_t* out);
// "A..B" (inclusive) or a single "N".
bool parse_seed_range(const std::string& text, uint64_t* first, uint64_t* last);

// Prints "raftplay CMD: MESSAGE" to stderr and returns kExitBadInput.
int bad_input(const std::string& command, const std::string& message);

// ---------------------------------------------------------------------------
// Scenarios.

struct LoadedScenario {
    std::shared_ptr<sim::Scenario> scenario;
    std::string path;          // the file it came from
    std::string builtin_name;  // non-empty: a built-in, unmodified (for share links)
};

// SCENARIO is a path, or a built-in name resolved to scenarios/NAME.json in
// $RAFTPLAY_SCENARIOS, ./scenarios, or the source tree next to the binary
// (BINARY/../../scenarios). `overrides` are --set PATH=VALUE strings.
bool load_scenario(const std::string& arg, const std::vector<std::string>& overrides,
                   LoadedScenario* out, std::string* error);
// The built-in scenario names found (sorted), for help texts and tests.
std::vector<std::string> builtin_scenario_names();

// ---------------------------------------------------------------------------
// Files.
// Refuses, before reading, a file larger than max_bytes: the error names
// `limit` (a sim/limits.h name). Also stops reading a stream (a pipe,
// /dev/zero) past max_bytes.
bool read_file(const std::string& path, std::string* out, std::string* error,
               size_t max_bytes = sim::kMaxRunFileBytes, const char* limit = "run_file_bytes_max");
// The message for a run that a named limit stopped (exit 3).
std::string limit_message(const std::string& source, const sim::World& w);
// True if p names a regular file.
bool file_exists(const std::string& p);
bool write_file(const std::string& path, const std::string& text, std::string* error);

// The program name as invoked (argv[0]), for reproduce commands.
const std::string& program_name();
void set_program_name(const std::string& name);

// A shell-quoted argument (single quotes when needed).
std::string shell_quote(const std::string& s);

// ---------------------------------------------------------------------------
// Commands: each returns an exit code.
int cmd_run(int argc, char** argv);
int cmd_replay(int argc, char** argv);
int cmd_check(int argc, char** argv);
int cmd_fuzz(int argc, char** argv);
int cmd_fuzz_report(int argc, char** argv);
int cmd_shrink(int argc, char** argv);
int cmd_export(int argc, char** argv);
int cmd_bench(int argc, char** argv);
int cmd_figure16(const Args& args);  // bench --figure16

}  // namespace cli
