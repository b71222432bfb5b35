// session/session_internal.h — helpers session.cpp and session_load.cpp
// share; not part of the session's API.
#pragma once

#include <cstdint>
#include <string>

#include "sim/scenario.h"

namespace session::internal {

// "12.3 s".
std::string seconds_text(int64_t t_us);
// A custom scenario equal to a built-in keeps the built-in's short link: its
// name, or "" for none.
std::string builtin_name_of(const sim::Scenario& s);

}  // namespace session::internal
