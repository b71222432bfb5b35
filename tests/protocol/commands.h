// tests/protocol/commands.h — the commands of the protocol test files
// (docs/protocol-tests.md lists them): parses a Block's arguments strictly
// and calls the interaction environment. A malformed command (unknown name,
// unknown or bad argument, node out of range) is an error message, never a
// crash and never a silent default.
#pragma once

#include <string>
#include <vector>

#include "tests/protocol/datadriven.h"
#include "tests/protocol/env.h"

namespace protocol {

bool execute(Env* env, const Block& b, std::vector<std::string>* out, std::string* error);

}  // namespace protocol
