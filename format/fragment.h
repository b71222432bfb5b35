// format/fragment.h — the share link's fragment (the part of the page's URL
// after '#'): v=1&s=NAME|sc=BASE64URL(scenario)&seed=N[&t=US][&d=HEX][&in=BASE64URL(inputs)]
//
// Owns that encoding: parameter names, base64url (unpadded), each parameter
// at most once, and the limits a link from anyone must meet
// ("fragment_bytes_max", and every rule of the scenario and the inputs).
// A built-in scenario travels by name only; the page loads it. Must not load
// files or run anything; a malformed or hostile fragment is an error naming
// the parameter and the reason, never a crash.
#pragma once

#include <string>

#include "format/run_file.h"

namespace sim {

// `builtin_name` non-empty refers to scenarios/<name>.json, else the full
// scenario is embedded.
std::string encode_fragment(const RunFile& run, const std::string& builtin_name_or_empty);

// Decodes a fragment (a leading '#' is allowed). For a built-in scenario,
// *builtin_name is set, out->scenario is left default, and the inputs were
// checked against kMaxNodes only: the caller loads the scenario, then calls
// check_inputs() (action.h) with it. For an embedded scenario *builtin_name
// is empty. Errors start with "share link: ".
bool decode_fragment(const std::string& fragment, RunFile* out, std::string* builtin_name,
                     std::string* error);

}  // namespace sim
