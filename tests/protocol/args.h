// tests/protocol/args.h — strict reading of one command's arguments: every
// named argument must be read by the command (a typo is an error), numbers
// and booleans must parse whole, node ids must name a node.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "tests/protocol/datadriven.h"

namespace protocol {

class Args {
  public:
    explicit Args(const Block& b) : b_(b) {}
    const std::vector<std::string>& positional() const { return b_.positional; }
    bool has(const std::string& key) const;
    // Each returns false and sets error() when the value is malformed; a
    // missing key leaves *out alone.
    bool get_int(const std::string& key, int64_t* out);
    bool get_bool(const std::string& key, bool* out);
    bool get_string(const std::string& key, std::string* out);
    // Named arguments the command did not read (typos), as an error.
    bool all_used();
    std::string error() const { return error_; }
    bool fail(const std::string& message) {
        error_ = message;
        return false;
    }

  private:
    const std::string* find(const std::string& key);
    const Block& b_;
    std::set<std::string> used_;
    std::string error_;
};

bool parse_int(const std::string& s, int64_t* out);
// A node id in [0, n).
bool parse_node(const std::string& s, int n, int* out);

}  // namespace protocol
