// sim/limits.h — every named limit on input and on a run's resources, in one
// place (docs/scenarios.md#limits lists them with these names).
//
// Owns the numbers only. Each limit exists so that any input, however
// hostile, ends in bounded time and memory with a message that names the
// limit (e.g. "limit history_ops_max: ...") instead of std::bad_alloc, a
// multi-minute hang or the OOM killer. The names in quotes are what error
// messages and the docs call them. Changing one changes what inputs are
// accepted: update the docs table and tests/data/bad_scenarios with it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sim {

// ---- input sizes (share links arrive from anyone) ------------------------------
// "fragment_bytes_max": a share link's fragment, before decoding.
constexpr size_t kMaxFragmentBytes = 256 * 1024;
// "inputs_max": user actions in a run file or share link.
constexpr size_t kMaxInputs = 10'000;
// "timeline_steps_max": steps in a scenario timeline.
constexpr size_t kMaxTimelineSteps = 10'000;
// "scenario_bytes_max": a scenario file's text.
constexpr size_t kMaxScenarioBytes = 8 * 1024 * 1024;
// "run_file_bytes_max": a run file's text (a scenario plus inputs). Checked
// against the file's size before reading it (`replay`, `shrink`, `export`).
constexpr size_t kMaxRunFileBytes = kMaxScenarioBytes + kMaxScenarioBytes / 2;
// "json_depth_max": nesting of arrays and objects (the parser recurses).
constexpr int kMaxJsonDepth = 64;
// "preset_log_max": entries of one node's preset log.
constexpr size_t kMaxPresetLog = 100'000;

// ---- values ------------------------------------------------------------------------
// "sim_time_us_max": any simulated time (durations, step times, cursors): 24 h.
constexpr int64_t kMaxSimTimeUs = 86'400'000'000;
// "open_end_us_max": how far past its scenario's duration a run may go on
// (the scenario's script ends at the duration; the world keeps running, and
// the page plays on): 10 minutes. A cursor (a share link's t, a run file's
// cursor_us) may stand that late; replays clamp a later one to it.
constexpr int64_t kMaxOpenEndUs = 600'000'000;
// "delay_us_max": latencies, fsync times, timeouts, delays: 1 minute.
constexpr int64_t kMaxDelayUs = 60'000'000;
// "drift_ppm_max": a node's clock drift either way (ClockModel): its timers
// last between half and one and a half times their duration.
constexpr int64_t kMaxDriftPpm = 500'000;
// "term_max": terms in a preset (far below overflow when a run adds to them).
constexpr int64_t kMaxTerm = 1'000'000'000'000'000;

// ---- a run's resources ----------------------------------------------------------------
// "history_ops_max": client operations one run may record. Each costs about
// 0.3 KB in memory (plus its key and values), and the linearizability check
// reads them all; a scenario whose workload and stress steps would exceed it
// is refused, and a run that reaches it anyway (user stress actions) stops.
constexpr int64_t kMaxHistoryOps = 2'000'000;
// "history_bytes_max": the history's memory (operations plus their keys and
// values), estimated up front and counted while running, like the above.
constexpr int64_t kMaxHistoryBytes = 768LL * 1024 * 1024;
// "history_file_bytes_max": a history file for `raftplay check`, checked
// against the file's size before reading it.
constexpr int64_t kMaxHistoryFileBytes = 1024LL * 1024 * 1024;
// "events_estimate_max": the events a scenario is estimated to need
// (heartbeat rounds and client operations, see scenario_limits.h). At the
// few million events per second the simulator runs, this is minutes of wall
// time; a heartbeat of a few microseconds over hours would be days.
constexpr int64_t kMaxEstimatedEvents = 1'000'000'000;
// "checkpoint_entries_max": log entries one checkpoint holds over all its
// node logs and disks, when a checkpoint is read from a file (a saved run,
// format/run_archive.h); copies make them cheap to encode, not to hold.
constexpr uint64_t kMaxCheckpointEntries = uint64_t(1) << 22;

}  // namespace sim
