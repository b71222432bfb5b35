// session/session_json.cpp — what the session says as text: the state JSON
// (read by scripts and the browser tests: keep its keys), the share
// fragment and the run file of what is shown, and the run archive (bytes) of
// what was simulated.
#include <cmath>

#include "format/fragment.h"
#include "format/json.h"
#include "format/run_archive.h"
#include "format/run_file.h"
#include "session/link_policy.h"
#include "session/session.h"

namespace session {

namespace {

using JsonWriter = sim::JsonWriter;

void write_node(JsonWriter& w, int id, const sim::NodeSlot& s) {
    const raft::Node& n = s.node;
    w.begin_object();
    w.key("id");
    w.integer(id);
    w.key("role");
    w.string(s.alive ? raft::role_name(n.role()) : "crashed");
    w.key("term");
    w.integer(n.current_term());
    w.key("voted_for");
    w.integer(n.voted_for());
    w.key("leader");
    w.integer(n.leader());
    w.key("alive");
    w.boolean(s.alive);
    w.key("paused");
    w.boolean(s.paused);
    w.key("commit_index");
    w.integer(n.commit_index());
    w.key("last_applied");
    w.integer(n.last_applied());
    w.key("last_index");
    w.integer(n.log().last_index());
    w.key("snapshot_index");
    w.integer(n.snapshot_index());
    w.key("unsynced_entries");
    w.integer(s.disk.unsynced_entries());
    w.key("kv_keys");
    w.uinteger(n.kv().key_count());
    w.key("kv_hash");
    w.string(sim::hex64(n.kv().hash()).c_str());
    // Its own configuration (thesis ch. 4): raft::membership_text, and the
    // entry it came from; a spare is not added yet.
    w.key("spare");
    w.boolean(s.spare);
    w.key("conf");
    w.string(raft::membership_text(n.membership()).c_str());
    w.key("conf_index");
    w.integer(n.conf_index());
    w.end_object();
}

void write_nodes(JsonWriter& w, const sim::World& world) {
    w.key("nodes");
    w.begin_array();
    for (size_t i = 0; i < world.nodes().size(); i++)
        write_node(w, static_cast<int>(i), world.nodes()[i]);
    w.end_array();
}

void write_violations(JsonWriter& w, const sim::World& world) {
    w.key("violations");
    w.begin_array();
    for (const sim::Violation& v : world.violations()) {
        w.begin_object();
        w.key("check");
        w.string(v.check.c_str());
        w.key("description");
        w.string(v.description.c_str());
        w.key("t_us");
        w.integer(v.t_us);
        w.key("event");
        w.integer(v.event);
        w.end_object();
    }
    w.end_array();
}

void write_checks(JsonWriter& w, const sim::World& world, const LinCheck& lin) {
    w.key("checks");
    w.begin_object();
    const bool lin_bad = lin.checked && lin.result.verdict == sim::LinResult::kViolation;
    w.key("ok");
    w.boolean(world.violations().empty() && !lin_bad);
    write_violations(w, world);
    w.key("linearizability");
    w.string(lin.checked ? sim::lin_verdict_name(lin.result.verdict) : "not checked");
    w.end_object();
}

void write_frame(JsonWriter& w, const char* key, const FrameRing& ring) {
    w.key(key);
    w.begin_object();
    w.key("p50");
    w.number(ring.percentile(0.5));
    w.key("p99");
    w.number(ring.percentile(0.99));
    w.key("samples");
    w.uinteger(ring.size());
    w.end_object();
}

// "none", "in_flight", "lost" or "gone".
const char* msg_state(const sim::World& world, int64_t msg_id) {
    if (msg_id == 0) return "none";
    const sim::InFlight* f = world.wire().find(msg_id);
    return f == nullptr ? "gone" : f->lost ? "lost" : "in_flight";
}

void write_selection(JsonWriter& w, const sim::World& world, const ViewReport& view) {
    w.key("selected_node");
    w.integer(view.selected_node);
    w.key("selected_msg");
    w.integer(view.selected_msg);
    w.key("selected_msg_state");
    w.string(msg_state(world, view.selected_msg));
}

void write_error(JsonWriter& w, const std::string& error) {
    w.key("error");
    if (error.empty()) {
        w.null();
    } else {
        w.string(error.c_str());
    }
}

// What runs and where the cursor is; the keys keep the order they had.
void write_run(JsonWriter& w, const Session& s) {
    const sim::World& world = s.world();
    const sim::Timeline& tl = s.timeline();
    const Info& info = s.info();
    w.key("t_us");
    w.integer(world.now_us());
    w.key("digest");
    w.string(world.digest_hex().c_str());
    w.key("playing");
    w.boolean(info.playing && s.visible());
    w.key("visible");
    w.boolean(s.visible());
    w.key("speed");
    w.number(std::pow(10.0, static_cast<double>(info.speed_log10)));
    w.key("scenario");
    w.string(info.builtin_name.empty() ? world.scenario().name.c_str() : info.builtin_name.c_str());
    w.key("builtin");
    w.boolean(!info.builtin_name.empty());
    w.key("seed");
    w.uinteger(info.seed);
    w.key("seed_text");
    w.string(std::to_string(info.seed).c_str());
    w.key("duration_us");
    w.integer(world.scenario().duration_us);
    w.key("events");
    w.integer(world.events());
    w.key("horizon_events");
    w.integer(tl.horizon_events());
    w.key("horizon_us");
    w.integer(tl.horizon_us());
    w.key("busy");
    w.boolean(s.busy());
    w.key("halted");
    w.boolean(world.halted());
    w.key("leader");
    w.integer(world.leader());
    w.key("inputs");
    w.uinteger(world.inputs().size());
    w.key("in_flight");
    w.uinteger(world.wire().size());
    w.key("transfer_to");  // a leadership transfer under way (§3.10), or -1
    w.integer(world.state().membership.transfer_to);
    w.key("forked");
    w.boolean(tl.forked());
    w.key("markers");
    w.uinteger(s.insight().markers().size());
    w.key("end_us");
    w.integer(info.end_us);
    w.key("at_end");
    w.boolean(info.at_end);
    w.key("link_partial");
    w.boolean(info.link_partial);
    w.key("history");
    w.uinteger(s.history_generation());
    w.key("budget_hit");
    w.boolean(info.budget_hit);
}

// The narration at the cursor (narration.h): its caption, the moment it
// tells, and how many events are narrated up to the horizon.
void write_caption(JsonWriter& w, const Session& s) {
    const Narration& n = s.insight().narration();
    w.key("caption");
    w.string(caption(n, s.world()).c_str());
    w.key("caption_t_us");
    w.integer(caption_t_us(n, s.world()));
    w.key("narrated");
    w.uinteger(n.events().size());
}

// The guided tour: shown or not, its chapter, whether its task waits.
void write_tour(JsonWriter& w, const TourState& t) {
    w.key("tour");
    w.begin_object();
    w.key("has_tour");
    w.boolean(t.has_tour());
    w.key("active");
    w.boolean(t.active());
    w.key("chapter");
    w.integer(t.chapter() + 1);
    w.key("count");
    w.integer(t.count());
    w.key("waiting");
    w.boolean(t.waiting());
    w.key("title");
    w.string(t.has_tour() ? t.current().title.c_str() : "");
    w.end_object();
}

}  // namespace

std::string Session::state_json(const ViewReport& view) const {
    const sim::World& world = this->world();
    JsonWriter w(sim::JsonDialect::kReport);
    w.begin_object();
    write_run(w, *this);
    write_caption(w, *this);
    write_tour(w, tour_);
    write_nodes(w, world);
    write_checks(w, world, info_.lin);
    write_selection(w, world, view);
    write_error(w, info_.error);
    w.key("fragment");
    w.string(fragment().c_str());
    write_frame(w, "frame_ms", app_ms_);
    write_frame(w, "frame_total_ms", frame_ms_);
    w.key("first_frame_ms");
    w.number(first_frame_ms_);
    w.key("frames");
    w.uinteger(frames_);
    w.key("ui");
    w.raw(view.spots_json);
    w.key("view");
    w.raw(view.layout_json);
    w.end_object();
    return w.take();
}

// The speed is the page's own parameter, left out at the default speed.
std::string Session::fragment() const {
    std::string f = sim::encode_fragment(sim::run_file_of(world(), world().now_us()), run_.builtin);
    if (std::fabs(info_.speed_log10 - Info{}.speed_log10) > 1e-4f)
        f += "&" + speed_param(info_.speed_log10);
    if (tour_.active()) f += "&tour=" + std::to_string(tour_.chapter() + 1);
    return f;
}

std::string Session::run_file_json() const {
    return sim::run_file_to_json(sim::run_file_of(world(), world().now_us()));
}

// archive_of walks the timeline to its horizon; the cursor then comes back
// to the moment it showed (restoring a checkpoint, re-running at most its
// spacing).
std::string Session::run_archive_bytes() {
    const int64_t cursor_us = world().now_us();
    const sim::RunArchive archive = sim::archive_of(*timeline_);
    timeline_->seek_time(cursor_us);
    return sim::encode_run_archive(archive);
}

}  // namespace session
