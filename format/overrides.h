// format/overrides.h — `--set PATH=VALUE`: changes to a scenario's JSON tree
// before it is validated (the CLI's way to vary one field of a file).
//
// Owns the path syntax (KEY ('[' N ']')* ('.' KEY ...)*) and how a missing
// section is created. Must not validate the value: the scenario reader does
// that afterwards, exactly as if the file had said it.
#pragma once

#include <string>

#include "format/json.h"

namespace sim {

// Applies one "PATH=VALUE". VALUE is parsed as JSON if it parses, else taken
// as a plain string (which must be valid UTF-8). On failure *why reads like
// "--set cluster.nodes[0]=3: cluster.nodes is a number, not an array".
bool apply_override(JsonValue* root, const std::string& spec, std::string* why);

}  // namespace sim
