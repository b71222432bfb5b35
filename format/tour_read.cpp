// format/tour_read.cpp — reading and validating a scenario's `tour` field
// (format/tour.h, docs/scenarios.md).
//
// Owns the tour's rules: chapters (title, text, at_ms or when, speed, stop,
// task), at_ms chapters in time order starting at 0 and within the
// scenario's duration, a task's action valid for the scenario's cluster,
// the picker's seed and group. The scenario reader calls tour_from_tree to
// validate; nothing of the tour reaches sim::Scenario.
#include <utility>

#include "format/action.h"
#include "format/scenario_json.h"
#include "format/tour.h"

namespace sim {
namespace {

void parse_when(const Fields& f, TourChapter* c) {
    std::string when;
    f.string("when", 32, true, &when);
    if (!f.ok() || when.empty()) return;
    if (when != "violation") {
        f.ctx().fail(f.path("when"),
                     "unknown moment \"" + printable_key(when) + "\" (known: violation)");
        return;
    }
    if (f.get("at_ms")) {
        f.ctx().fail(f.path("at_ms"), "a chapter starts at_ms or when, not both");
        return;
    }
    c->when = TourWhen::kViolation;
}

void parse_task(ReadCtx& ctx, const JsonValue& v, const std::string& path, const Scenario& s,
                TourTask* out) {
    if (v.kind != JsonKind::kObject) {
        ctx.fail(path, std::string("expected an object, got ") + json_kind_name(v.kind));
        return;
    }
    JsonValue action = v;  // the step format without its label
    std::erase_if(action.members, [](const JsonMember& m) { return m.key == "label"; });
    const JsonValue* label = v.find("label");
    if (label == nullptr) {
        ctx.fail(join_path(path, "label"), "required (the task's button)");
        return;
    }
    read_string(ctx, *label, join_path(path, "label"), kTourTitleBytesMax, true, &out->label);
    parse_untimed_action(ctx, action, path, ActionRules{s.cluster.node_count, -1}, &out->action);
}

void parse_chapter(ReadCtx& ctx, const JsonValue& v, const std::string& path, const Scenario& s,
                   TourChapter* c) {
    Fields f(&ctx, v, path, {"title", "at_ms", "when", "text", "speed", "stop", "task"});
    if (f.require("title")) f.string("title", kTourTitleBytesMax, true, &c->title);
    if (f.require("text")) f.string("text", kTourTextBytesMax, true, &c->text);
    parse_when(f, c);
    if (c->when == TourWhen::kAt && f.ok() && f.require("at_ms", "required (or \"when\")"))
        f.millis("at_ms", 0, s.duration_us, &c->at_us);
    if (const JsonValue* sp = f.get("speed")) {
        int64_t x = 0;
        NumStatus st =
            sp->kind == JsonKind::kNumber ? scale_decimal(sp->text, 3, &x) : NumStatus::kSyntax;
        if (st != NumStatus::kOk || x < 1 || x > 100'000) {
            ctx.fail(f.path("speed"),
                     "expected a playback speed from 0.001 to 100, got " + shown(*sp));
        }
        c->speed_milli = x;
    }
    f.boolean("stop", &c->stop);
    if (const JsonValue* t = f.get("task")) {
        c->has_task = true;
        parse_task(ctx, *t, f.path("task"), s, &c->task);
    }
}

void check_order(ReadCtx& ctx, const std::vector<TourChapter>& chapters, const std::string& path) {
    int64_t last = -1;
    for (size_t i = 0; i < chapters.size() && ctx.ok(); ++i) {
        const TourChapter& c = chapters[i];
        if (c.when != TourWhen::kAt) continue;
        const std::string p = join_path(item_path(path, i), "at_ms");
        if (last < 0 && c.at_us != 0) ctx.fail(p, "the first chapter starts at 0");
        if (last >= 0 && c.at_us <= last)
            ctx.fail(p, "a chapter starts after the one before (" + format_ms(last) + " ms)");
        last = c.at_us;
    }
    if (ctx.ok() && last < 0) ctx.fail(path, "the first chapter starts at_ms 0");
}

}  // namespace

bool tour_from_tree(ReadCtx& ctx, const JsonValue& v, const std::string& path, const Scenario& s,
                    Tour* out) {
    Fields f(&ctx, v, path, {"seed", "group", "chapters"});
    Tour tour;
    if (const JsonValue* seed = f.get("seed"); seed && !parse_u64(seed->text, &tour.seed))
        ctx.fail(f.path("seed"), "expected a seed (an unsigned integer), got " + shown(*seed));
    f.string("group", 40, true, &tour.group);
    if (!f.require("chapters")) return false;
    const JsonValue& list = *f.get("chapters");
    const std::string lp = f.path("chapters");
    if (!expect_array(ctx, list, lp, kTourChaptersMax)) return false;
    if (list.items.empty()) return ctx.fail(lp, "a tour needs at least one chapter");
    tour.chapters.resize(list.items.size());
    for (size_t i = 0; i < list.items.size() && ctx.ok(); ++i)
        parse_chapter(ctx, list.items[i], item_path(lp, i), s, &tour.chapters[i]);
    check_order(ctx, tour.chapters, lp);
    if (!ctx.ok()) return false;
    *out = std::move(tour);
    return true;
}

bool parse_scenario_tour(const std::string& json_text, const std::string& source_name, Tour* out,
                         std::string* error) {
    Scenario s;
    if (!parse_scenario(json_text, source_name, {}, &s, error)) return false;
    JsonValue root;
    std::string why;
    if (!parse_json(json_text, "", &root, &why)) return (*error = source_name + ": " + why, false);
    *out = Tour{};
    const JsonValue* tour = root.find("tour");
    if (tour == nullptr) return true;
    ReadCtx ctx{source_name, ""};
    if (!tour_from_tree(ctx, *tour, "tour", s, out)) return (*error = ctx.error, false);
    return true;
}

}  // namespace sim
