// session/session_json.cpp — what the session says as text: the state JSON
// (read by scripts and the browser tests: keep its keys), the share
// fragment and the run file of what is shown.
#include <cmath>

#include "format/fragment.h"
#include "format/run_file.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "session/link_policy.h"
#include "session/session.h"

namespace session {

namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void write_node(JsonWriter& w, int id, const sim::NodeSlot& s) {
    const raft::Node& n = s.node;
    w.StartObject();
    w.Key("id");
    w.Int(id);
    w.Key("role");
    w.String(s.alive ? raft::role_name(n.role()) : "crashed");
    w.Key("term");
    w.Int64(n.current_term());
    w.Key("voted_for");
    w.Int(n.voted_for());
    w.Key("leader");
    w.Int(n.leader());
    w.Key("alive");
    w.Bool(s.alive);
    w.Key("paused");
    w.Bool(s.paused);
    w.Key("commit_index");
    w.Int64(n.commit_index());
    w.Key("last_applied");
    w.Int64(n.last_applied());
    w.Key("last_index");
    w.Int64(n.log().last_index());
    w.Key("snapshot_index");
    w.Int64(n.snapshot_index());
    w.Key("unsynced_entries");
    w.Int64(s.disk.unsynced_entries());
    w.Key("kv_keys");
    w.Uint64(n.kv().key_count());
    w.Key("kv_hash");
    w.String(sim::hex64(n.kv().hash()).c_str());
    w.EndObject();
}

void write_nodes(JsonWriter& w, const sim::World& world) {
    w.Key("nodes");
    w.StartArray();
    for (size_t i = 0; i < world.nodes().size(); i++)
        write_node(w, static_cast<int>(i), world.nodes()[i]);
    w.EndArray();
}

void write_violations(JsonWriter& w, const sim::World& world) {
    w.Key("violations");
    w.StartArray();
    for (const sim::Violation& v : world.violations()) {
        w.StartObject();
        w.Key("check");
        w.String(v.check.c_str());
        w.Key("description");
        w.String(v.description.c_str());
        w.Key("t_us");
        w.Int64(v.t_us);
        w.Key("event");
        w.Int64(v.event);
        w.EndObject();
    }
    w.EndArray();
}

void write_checks(JsonWriter& w, const sim::World& world, const LinCheck& lin) {
    w.Key("checks");
    w.StartObject();
    const bool lin_bad = lin.checked && lin.result.verdict == sim::LinResult::kViolation;
    w.Key("ok");
    w.Bool(world.violations().empty() && !lin_bad);
    write_violations(w, world);
    w.Key("linearizability");
    w.String(lin.checked ? sim::lin_verdict_name(lin.result.verdict) : "not checked");
    w.EndObject();
}

void write_frame(JsonWriter& w, const char* key, const FrameRing& ring) {
    w.Key(key);
    w.StartObject();
    w.Key("p50");
    w.Double(ring.percentile(0.5));
    w.Key("p99");
    w.Double(ring.percentile(0.99));
    w.Key("samples");
    w.Uint64(ring.size());
    w.EndObject();
}

// "none", "in_flight", "lost" or "gone".
const char* msg_state(const sim::World& world, int64_t msg_id) {
    if (msg_id == 0) return "none";
    const sim::InFlight* f = world.wire().find(msg_id);
    return f == nullptr ? "gone" : f->lost ? "lost" : "in_flight";
}

void write_selection(JsonWriter& w, const sim::World& world, const ViewReport& view) {
    w.Key("selected_node");
    w.Int(view.selected_node);
    w.Key("selected_msg");
    w.Int64(view.selected_msg);
    w.Key("selected_msg_state");
    w.String(msg_state(world, view.selected_msg));
}

void write_error(JsonWriter& w, const std::string& error) {
    w.Key("error");
    if (error.empty()) {
        w.Null();
    } else {
        w.String(error.c_str());
    }
}

// What runs and where the cursor is; the keys keep the order they had.
void write_run(JsonWriter& w, const Session& s) {
    const sim::World& world = s.world();
    const sim::Timeline& tl = s.timeline();
    const Info& info = s.info();
    w.Key("t_us");
    w.Int64(world.now_us());
    w.Key("digest");
    w.String(world.digest_hex().c_str());
    w.Key("playing");
    w.Bool(info.playing && s.visible());
    w.Key("visible");
    w.Bool(s.visible());
    w.Key("speed");
    w.Double(std::pow(10.0, static_cast<double>(info.speed_log10)));
    w.Key("scenario");
    w.String(info.builtin_name.empty() ? world.scenario().name.c_str() : info.builtin_name.c_str());
    w.Key("builtin");
    w.Bool(!info.builtin_name.empty());
    w.Key("seed");
    w.Uint64(info.seed);
    w.Key("seed_text");
    w.String(std::to_string(info.seed).c_str());
    w.Key("duration_us");
    w.Int64(world.scenario().duration_us);
    w.Key("events");
    w.Int64(world.events());
    w.Key("horizon_events");
    w.Int64(tl.horizon_events());
    w.Key("horizon_us");
    w.Int64(tl.horizon_us());
    w.Key("busy");
    w.Bool(s.busy());
    w.Key("halted");
    w.Bool(world.halted());
    w.Key("leader");
    w.Int(world.leader());
    w.Key("inputs");
    w.Uint64(world.inputs().size());
    w.Key("in_flight");
    w.Uint64(world.wire().size());
    w.Key("forked");
    w.Bool(tl.forked());
    w.Key("markers");
    w.Uint64(s.insight().markers().size());
    w.Key("end_us");
    w.Int64(info.end_us);
    w.Key("at_end");
    w.Bool(info.at_end);
    w.Key("link_partial");
    w.Bool(info.link_partial);
    w.Key("history");
    w.Uint64(s.history_generation());
    w.Key("budget_hit");
    w.Bool(info.budget_hit);
}

// The narration at the cursor (narration.h): its caption, the moment it
// tells, and how many events are narrated up to the horizon.
void write_caption(JsonWriter& w, const Session& s) {
    const Narration& n = s.insight().narration();
    w.Key("caption");
    w.String(caption(n, s.world()).c_str());
    w.Key("caption_t_us");
    w.Int64(caption_t_us(n, s.world()));
    w.Key("narrated");
    w.Uint64(n.events().size());
}

// The guided tour: shown or not, its chapter, whether its task waits.
void write_tour(JsonWriter& w, const TourState& t) {
    w.Key("tour");
    w.StartObject();
    w.Key("has_tour");
    w.Bool(t.has_tour());
    w.Key("active");
    w.Bool(t.active());
    w.Key("chapter");
    w.Int(t.chapter() + 1);
    w.Key("count");
    w.Int(t.count());
    w.Key("waiting");
    w.Bool(t.waiting());
    w.Key("title");
    w.String(t.has_tour() ? t.current().title.c_str() : "");
    w.EndObject();
}

}  // namespace

std::string Session::state_json(const ViewReport& view) const {
    const sim::World& world = this->world();
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    write_run(w, *this);
    write_caption(w, *this);
    write_tour(w, tour_);
    write_nodes(w, world);
    write_checks(w, world, info_.lin);
    write_selection(w, world, view);
    write_error(w, info_.error);
    w.Key("fragment");
    w.String(fragment().c_str());
    write_frame(w, "frame_ms", app_ms_);
    write_frame(w, "frame_total_ms", frame_ms_);
    w.Key("first_frame_ms");
    w.Double(first_frame_ms_);
    w.Key("frames");
    w.Uint64(frames_);
    w.Key("ui");
    w.RawValue(view.spots_json.c_str(), view.spots_json.size(), rapidjson::kObjectType);
    w.EndObject();
    return buf.GetString();
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

}  // namespace session
