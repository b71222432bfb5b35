// tests/protocol/commands_create.h — the `create` command: the cluster's
// configuration from named arguments, and each node's disk before it starts
// from the input lines ("ID: term=T vote=V log=(t1,t2,...)").
#pragma once

#include "tests/protocol/args.h"
#include "tests/protocol/datadriven.h"
#include "tests/protocol/env.h"

namespace protocol {

bool cmd_create(Env* env, Args& a, const Block& b);

}  // namespace protocol
