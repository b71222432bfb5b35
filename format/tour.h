// format/tour.h — a scenario's guided tour: the `tour` field of a scenario
// file (docs/scenarios.md), its rules and its plain data.
//
// A tour is what the page tells a learner about a run: chapters with a short
// text, the moment each starts (a time, or "when" the first safety violation
// appears), the playback speed while it is shown, and optionally a task (an
// action the tour waits for the user to do). It is commentary, not input:
// the world never sees it, parse_scenario validates it but leaves it out of
// sim::Scenario (so a tour never changes a run's digest), and
// parse_scenario_tour() reads it on its own for the session (session/tour.h).
// Must not run anything; every failure names the field, like the scenario's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "format/json.h"
#include "sim/scenario.h"

namespace sim {

constexpr size_t kTourChaptersMax = 32;
constexpr size_t kTourTextBytesMax = 1'000;
constexpr size_t kTourTitleBytesMax = 80;

// When a chapter starts.
enum class TourWhen : uint8_t {
    kAt = 0,     // at at_us
    kViolation,  // at the first safety violation (a bug hunt's guilty event)
};

// A task: the tour waits at the chapter's start until the user did `action`
// (same kind; a node selector matches the node it names at that moment), or
// the user asks the tour to do it (the action is submitted as written).
struct TourTask {
    std::string label;  // the button: "Kill the leader"
    Action action;      // at_us is unused (the action happens at the cursor)
};

struct TourChapter {
    std::string title;
    std::string text;
    TourWhen when = TourWhen::kAt;
    int64_t at_us = 0;
    // Playback speed while the chapter is shown, in thousandths of 1x
    // (50 = 1/20x); 0 keeps the speed the user chose.
    int64_t speed_milli = 0;
    bool stop = false;  // playback pauses when the chapter starts
    bool has_task = false;
    TourTask task;
};

struct Tour {
    std::vector<TourChapter> chapters;  // at_ms chapters in time order, first at 0
    uint64_t seed = 0;  // the seed the picker opens (0: the picker's own); bug hunts
    std::string group;  // the picker's group ("Bug hunts"); empty: the scenarios
    bool empty() const { return chapters.empty(); }
};

// Reads the tour at `path` (the `tour` field) of scenario `s` (node ids and
// times are checked against it).
bool tour_from_tree(ReadCtx& ctx, const JsonValue& v, const std::string& path, const Scenario& s,
                    Tour* out);

// The tour of a scenario file's text (the scenario is parsed and validated
// too); an empty tour when it has none. Errors name the source and field.
bool parse_scenario_tour(const std::string& json_text, const std::string& source_name, Tour* out,
                         std::string* error);

}  // namespace sim
