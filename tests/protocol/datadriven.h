// tests/protocol/datadriven.h — the data-driven test file format (after
// etcd-io/raft's testdata/*.txt): blocks of a command line, optional input
// lines, a `----` separator and the expected output, one block per blank-
// line-separated paragraph; lines starting with `#` between blocks are
// comments. See docs/protocol-tests.md.
//
// Owns parsing, comparing and rewriting only; what a command means is the
// caller's (tests/protocol/env.h). Knows nothing about Raft.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace protocol {

// One command: `name pos1 pos2 key=value key=(a,b)`.
struct Block {
    int line = 0;      // 1-based line of the command
    std::string text;  // the command line as written
    std::string name;
    std::vector<std::string> positional;
    std::vector<std::pair<std::string, std::string>> named;  // values as written
    std::vector<std::string> input;                          // lines between command and ----
    std::vector<std::string> expected;
    size_t expected_begin = 0;  // 0-based line range of the expectation in the file
    size_t expected_end = 0;
};

struct ParsedFile {
    std::vector<std::string> lines;
    std::vector<Block> blocks;
    int error_line = 0;  // 0: parsed
    std::string error;
};
ParsedFile parse_file(const std::string& text);

// Runs one block: appends output lines to *out, or returns false with *error
// set for a malformed command (unknown name, bad argument).
using Execute =
    std::function<bool(const Block&, std::vector<std::string>* out, std::string* error)>;

struct Failure {
    int line = 0;
    std::string message;    // names the file and line
    bool mismatch = false;  // output differs (a rewrite fixes it); else a bad command
};
struct FileResult {
    std::vector<Failure> failures;
    std::string rewritten;  // the file with every expectation replaced by the output
};
// Runs every block of a file in order. A malformed command stops the file
// (what follows would run against the wrong state).
FileResult run_file(const std::string& name, const std::string& text, const Execute& execute);

// A line diff of expected against actual: "  " kept, "- " expected only,
// "+ " actual only.
std::string line_diff(const std::vector<std::string>& expected,
                      const std::vector<std::string>& actual);

// Comma-separated values of a named argument, e.g. "(1,1,2)" -> {1,1,2}.
std::vector<std::string> split_list(const std::string& value);

}  // namespace protocol
