// format/format.h — the format layer: every file, link and report raftplay
// reads or writes: text (JSON, JSON lines) and one binary format, the run
// archive (cereal's portable binary archive). Include this for all of it, or
// the one header a caller needs.
//
// What it owns (namespace sim; CMake target `format`, above `sim`):
//
//   file                 format                          read / write
//   ------------------   -----------------------------   -------------------------------
//   json.h, json.cpp,    the JSON tree, exact numbers,   every reader and writer below
//     json_read.cpp      the field reader, the writer
//   json_input.h         the bounded input stream        the only door to rapidjson
//   scenario_json.h,     scenario files (JSON)           parse_scenario, load_scenario_file /
//     scenario_read.cpp,                                 scenario_to_json
//     scenario_write.cpp
//   tour.h,              a scenario's guided tour        parse_scenario_tour / tour_from_tree
//     tour_read.cpp      (chapters, tasks)
//   retry_policy.h       a client's routing and retries  parse_retry_policy / write_retry_policy
//   overrides.h          --set PATH=VALUE                apply_override (before validation)
//   action.h             timeline steps and user         validate(), check_inputs /
//                        actions: rules and JSON         action_to_json
//   run_file.h           run files: scenario + seed +    parse_run_file / run_file_to_json,
//                        input log + digest + cursor     run_file_of(world)
//   run_archive.h        run archives (.rpa, binary):    decode_run_archive / encode_run_archive,
//                        a run plus its checkpoints      record_run_archive, verify_run_archive,
//                                                        open_run_archive (a Timeline)
//   state_archive.h,     a world's state and logs in     load_checkpoint_state /
//     state_archive.cpp  the archive, on cereal, with    save_checkpoint_state,
//     state_check.cpp    the structural checks a loaded  check_loaded_state
//                        state passes before it runs
//   fragment.h           share-link fragments            decode_fragment / encode_fragment
//   history_json.h       client histories (JSON lines)   parse_history_jsonl / history_to_jsonl
//   summary.h            the run summary                 summary_json, client_stats
//   logs_json.h          every node's log and disk       logs_json
//   trace_json.h         trace records as JSON lines     trace_record_json
//   scenario_limits.h    the up-front resource estimate  check_run_estimate
//   preset_check.h       a preset's reachability         check_preset_reachable
//
// Its rules:
//   - Outside bytes are hostile (share links come from anyone). Nothing here
//     throws, crashes or allocates without bound on any input: sizes, counts
//     and nesting are capped by the named limits of sim/limits.h, and every
//     failure is a `false` return with a message naming the source, the field
//     path and the reason ("run.json: inputs[2].node: node id 7 out of range
//     (cluster has 5 nodes)").
//   - Numbers are converted from their text with integer arithmetic only; no
//     double reaches the world, so a file means the same on every platform.
//     The archive's integers are fixed-width little-endian (cereal's portable
//     binary archive), read through ArchiveIn, which never throws and checks
//     every size, enumerator and id before the state reaches sim/ or raft/.
//   - Writing is canonical and byte-stable: fixed key order, the same number
//     and string formatting as every earlier version wrote (json.h, its two
//     dialects), because digests, goldens, share links and the browser tests
//     compare bytes. A reader accepts everything its writer writes.
//   - One rule set per thing: an action is judged by validate() whether it
//     came from a file, a link or the page; operation names are
//     raft::op_name's; action names are action.h's.
//
// What it must not know: how a run proceeds (it reads a World only to
// describe or save it: summaries, logs, run_file_of, the archive's state),
// the checkers' algorithms (it prints their verdicts), the UI, files other
// than the one it is handed, the wall clock. It runs a simulation only to
// record or verify a run archive (run_archive.h), through sim's Timeline and
// World. Layers above (check/, session/, render/, native/, wasm/) use it;
// sim/ and below never include it.
#pragma once

#include "format/action.h"
#include "format/fragment.h"
#include "format/history_json.h"
#include "format/json.h"
#include "format/logs_json.h"
#include "format/overrides.h"
#include "format/preset_check.h"
#include "format/retry_policy.h"
#include "format/run_archive.h"
#include "format/run_file.h"
#include "format/scenario_json.h"
#include "format/scenario_limits.h"
#include "format/summary.h"
#include "format/tour.h"
#include "format/trace_json.h"
