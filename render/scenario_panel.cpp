// render/scenario_panel.cpp — choosing what runs: the built-in scenarios with
// their descriptions, the seed, an editor for the cluster, network, disk and
// workload settings (applied as a custom scenario, validated by the same
// parser as files), and sharing: the link, run-file export and import.
//
// Index
//   scenario and seed
//   settings editor
//   share and files
//   the panel
#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "format/scenario_json.h"
#include "render/draw.h"
#include "render/ui.h"
#include "session/bug_hunts.h"

namespace render {

namespace {

// ===========================================================================
// scenario and seed
// ===========================================================================

void push_load(View& v, const std::string& name, uint64_t seed) {
    Command c;
    c.kind = CommandKind::kLoadBuiltin;
    c.text = name;
    c.seed = seed;
    v.commands.push_back(std::move(c));
}

bool parse_seed(const char* text, uint64_t* out) {
    if (text[0] == '\0' || text[0] == '-') return false;
    char* end = nullptr;
    const unsigned long long x = std::strtoull(text, &end, 10);
    if (*end != '\0') return false;
    *out = x;
    return true;
}

// The built-ins of one picker group (the tour's "group"; "" the scenarios).
// A bug hunt opens at its tour's seed, where its broken rule shows.
void builtin_group(View& v, const std::string& group, uint64_t seed) {
    for (const BuiltinScenario& b : *v.app.builtins) {
        if (b.tour.group != group) continue;
        if (ImGui::Selectable(b.name.c_str(), b.name == v.app.builtin_name)) {
            push_load(v, b.name, b.tour.seed != 0 ? b.tour.seed : seed);
        }
        v.spot("scn.builtin." + b.name);
        if (ImGui::IsItemHovered() && !b.scenario.description.empty()) {
            ImGui::BeginTooltip();
            ImGui::PushTextWrapPos(360);
            ImGui::TextUnformatted(b.scenario.description.c_str());
            ImGui::PopTextWrapPos();
            ImGui::EndTooltip();
        }
    }
}

void scenario_and_seed(View& v) {
    const sim::Scenario& s = v.world.scenario();
    ImGui::TextColored(
        ImVec4(0.6f, 0.75f, 1, 1), "%s",
        v.app.builtin_name.empty() ? ("custom: " + s.name).c_str() : v.app.builtin_name.c_str());
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(s.description.empty() ? "(no description)" : s.description.c_str());
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    if (!v.ui.seed_text_synced) {
        std::snprintf(v.ui.seed_text, sizeof v.ui.seed_text, "%llu",
                      static_cast<unsigned long long>(v.app.seed));
        v.ui.seed_text_synced = true;
    }
    ImGui::SetNextItemWidth(170);
    ImGui::InputText("seed", v.ui.seed_text, sizeof v.ui.seed_text,
                     ImGuiInputTextFlags_CharsDecimal);
    v.spot("scn.seed");
    ImGui::SameLine();
    uint64_t seed = 0;
    const bool seed_ok = parse_seed(v.ui.seed_text, &seed);
    ImGui::BeginDisabled(!seed_ok);
    if (ImGui::Button("Restart")) {
        Command c;
        c.kind = CommandKind::kRestart;
        c.seed = seed;
        v.commands.push_back(std::move(c));
    }
    ImGui::EndDisabled();
    tooltip("Run this scenario again from t = 0 with this seed and an empty input log.");
    v.spot("scn.restart");
    const float row = ImGui::GetTextLineHeightWithSpacing();
    if (ImGui::BeginListBox("##builtins", ImVec2(-1, 8 * row))) {
        builtin_group(v, "", seed_ok ? seed : v.app.seed);
        ImGui::EndListBox();
    }
    ImGui::TextDisabled("Bug hunts: a deliberately broken rule to catch in the act");
    if (ImGui::BeginListBox("##bug_hunts", ImVec2(-1, 3.4f * row))) {
        builtin_group(v, "Bug hunts", seed_ok ? seed : v.app.seed);
        ImGui::EndListBox();
    }
}

// ===========================================================================
// settings editor
// ===========================================================================

// Edits a microsecond field in whole milliseconds.
void edit_ms(const char* label, int64_t* us, int min_ms, int max_ms) {
    int ms = static_cast<int>(std::clamp<int64_t>(*us / 1000, min_ms, max_ms));
    ImGui::SetNextItemWidth(110);
    if (ImGui::DragInt(label, &ms, 1.f, min_ms, max_ms, "%d ms"))
        *us = static_cast<int64_t>(ms) * 1000;
}

// Edits a parts-per-million field as a percentage.
void edit_ppm(const char* label, int64_t* ppm) {
    float pct = static_cast<float>(*ppm) / 1e4f;
    ImGui::SetNextItemWidth(110);
    if (ImGui::SliderFloat(label, &pct, 0.f, 100.f, "%.1f %%"))
        *ppm = static_cast<int64_t>(pct * 1e4f + 0.5f);
}

void edit_cluster(sim::Scenario& d) {
    raft::Config& c = d.cluster;
    ImGui::SetNextItemWidth(110);
    if (ImGui::SliderInt("nodes", &c.node_count, 1, raft::kMaxNodes)) {
        // One clock rate per node at most (clock.drift_ppm).
        std::vector<int64_t>& drift = d.clock.drift_ppm;
        if (drift.size() > static_cast<size_t>(c.node_count))
            drift.resize(static_cast<size_t>(c.node_count));
    }
    edit_ms("election min", &c.election_timeout_us_min, 1, 60'000);
    ImGui::SameLine();
    edit_ms("max##election", &c.election_timeout_us_max, 1, 60'000);
    edit_ms("heartbeat", &c.heartbeat_us, 1, 60'000);
    ImGui::Checkbox("pre-vote", &c.pre_vote);
    ImGui::SameLine();
    ImGui::Checkbox("check-quorum", &c.check_quorum);
    ImGui::SetNextItemWidth(110);
    int threshold = static_cast<int>(std::min<int64_t>(c.snapshot_threshold, 1'000'000));
    if (ImGui::DragInt("snapshot every", &threshold, 10.f, 0, 1'000'000))
        c.snapshot_threshold = threshold;
    // How gets are served (§6.4): through the log, by ReadIndex, or from a
    // leader's lease (§6.4.1; the scenario check wants pre-vote or
    // check-quorum with it).
    ImGui::TextUnformatted("reads:");
    for (raft::ReadMode m :
         {raft::ReadMode::kLog, raft::ReadMode::kReadIndex, raft::ReadMode::kLease}) {
        ImGui::SameLine();
        if (ImGui::RadioButton(raft::read_mode_name(m), c.read_mode == m)) c.read_mode = m;
    }
    ImGui::TextDisabled("Protocol mutations (deliberate bugs the checkers must catch):");
    for (uint32_t bit = 1; bit != 0 && bit <= raft::kMutAckBeforeFsync; bit <<= 1) {
        bool on = (c.mutations & bit) != 0;
        if (ImGui::Checkbox(raft::mutation_name(bit), &on))
            c.mutations = on ? (c.mutations | bit) : (c.mutations & ~bit);
        if (!on) continue;
        // Said here and again as a notice when applied (session/bug_hunts.h).
        if (const std::string why = session::mutation_cannot_show(d, bit); !why.empty()) {
            ImGui::PushTextWrapPos(0);
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kColWarn), "%s", why.c_str());
            ImGui::PopTextWrapPos();
        }
    }
}

// Clock drift per node (clock.drift_ppm): + runs slow, - fast. The list
// grows only when a rate is set, and empties when all are 0 again, so
// scenarios without drift keep their JSON.
void edit_drift(sim::Scenario& d) {
    std::vector<int64_t>& drift = d.clock.drift_ppm;
    ImGui::TextUnformatted("clock drift, ppm (+ slow, - fast):");
    for (int i = 0; i < d.cluster.node_count; i++) {
        const auto at = static_cast<size_t>(i);
        int ppm = at < drift.size() ? static_cast<int>(drift[at]) : 0;
        if (i % 3 != 0) ImGui::SameLine();
        ImGui::SetNextItemWidth(80);
        const std::string label = "n" + std::to_string(i) + "##drift";
        if (!ImGui::DragInt(label.c_str(), &ppm, 1000.f, -500'000, 500'000)) continue;
        if (drift.size() <= at) drift.resize(at + 1, 0);
        drift[at] = ppm;
        if (std::all_of(drift.begin(), drift.end(), [](int64_t x) { return x == 0; }))
            drift.clear();
    }
}

void edit_faults(sim::Scenario& d) {
    edit_ms("latency min", &d.network.latency_us_min, 0, 60'000);
    ImGui::SameLine();
    edit_ms("max##latency", &d.network.latency_us_max, 0, 60'000);
    edit_ppm("loss", &d.network.loss_ppm);
    ImGui::SameLine();
    edit_ppm("duplicate", &d.network.duplicate_ppm);
    edit_ms("fsync min", &d.disk.fsync_us_min, 0, 60'000);
    ImGui::SameLine();
    edit_ms("max##fsync", &d.disk.fsync_us_max, 0, 60'000);
    edit_ppm("torn write", &d.disk.torn_write_ppm);
    ImGui::SameLine();
    edit_ppm("corrupt", &d.disk.corrupt_ppm);
    edit_drift(d);
}

// The mix's append share; the other four keep their proportions in the
// rest (put takes it all when they are all 0), and put absorbs the rounding.
void set_append_share(sim::Workload& w, int64_t append_ppm) {
    int64_t* others[] = {&w.put_ppm, &w.get_ppm, &w.delete_ppm, &w.cas_ppm};
    int64_t before = 0;
    for (const int64_t* x : others)
        before += *x;
    const int64_t rest = sim::kPpm - append_ppm;
    if (before == 0) w.put_ppm = rest;
    int64_t given = 0;
    for (int64_t* x : others) {
        if (before > 0) *x = *x * rest / before;
        given += *x;
    }
    w.put_ppm += rest - given;
    w.append_ppm = append_ppm;
}

void edit_workload_mix(sim::Workload& w) {
    int append_pct = static_cast<int>(w.append_ppm / 10'000);
    ImGui::SetNextItemWidth(110);
    if (ImGui::SliderInt("append share", &append_pct, 0, 100, "%d %%")) {
        set_append_share(w, static_cast<int64_t>(append_pct) * 10'000);
    }
    tooltip(
        "The workload's share of appends (kvraft's Append); the other operations share the "
        "rest in their current proportions.");
    ImGui::SameLine();
    int route = static_cast<int>(w.retry.route);
    const char* routes[] = {sim::client_route_name(sim::ClientRoute::kRoundRobin),
                            sim::client_route_name(sim::ClientRoute::kPinned),
                            sim::client_route_name(sim::ClientRoute::kLeader)};
    ImGui::SetNextItemWidth(110);
    if (ImGui::Combo("retry route", &route, routes, 3)) {
        w.retry.route = static_cast<sim::ClientRoute>(route);
    }
    tooltip(
        "Where a client retries: the next node (round_robin), its own node only (pinned), "
        "or the leader its last node names (leader).");
}

void edit_workload(sim::Scenario& d) {
    ImGui::SetNextItemWidth(110);
    ImGui::SliderInt("clients", &d.workload.clients, 0, 64);
    ImGui::SameLine();
    int rate = static_cast<int>(d.workload.rate_per_s);
    ImGui::SetNextItemWidth(110);
    if (ImGui::DragInt("ops/s", &rate, 1.f, 0, 100'000)) d.workload.rate_per_s = rate;
    int duration_s = static_cast<int>(std::clamp<int64_t>(d.duration_us / 1'000'000, 1, 86'400));
    ImGui::SetNextItemWidth(110);
    if (ImGui::DragInt("duration", &duration_s, 1.f, 1, 86'400, "%d s")) {
        d.duration_us = static_cast<int64_t>(duration_s) * 1'000'000;
    }
    edit_workload_mix(d.workload);
}

void settings_editor(View& v) {
    const bool open = ImGui::CollapsingHeader("Cluster and fault settings");
    v.spot("scn.settings");
    if (!open) return;
    sim::Scenario& d = v.ui.draft;
    ImGui::PushID("settings");
    edit_cluster(d);
    ImGui::Separator();
    edit_faults(d);
    ImGui::Separator();
    edit_workload(d);
    ImGui::PopID();
    // Validate through the file parser: the same rules as a scenario file.
    sim::Scenario parsed;
    std::string error;
    const bool ok = sim::parse_scenario(sim::scenario_to_json(d), "settings", {}, &parsed, &error);
    if (!ok) ImGui::TextColored(ImVec4(1, 0.5f, 0.4f, 1), "%s", error.c_str());
    ImGui::BeginDisabled(!ok);
    if (ImGui::Button("Apply and restart")) {
        if (parsed.name == v.world.scenario().name && !v.app.builtin_name.empty())
            parsed.name = v.app.builtin_name + "-custom";
        Command c;
        c.kind = CommandKind::kLoadScenario;
        c.scenario = std::make_shared<const sim::Scenario>(parsed);
        c.seed = v.app.seed;
        v.commands.push_back(std::move(c));
    }
    ImGui::EndDisabled();
    v.spot("scn.apply");
    ImGui::SameLine();
    if (ImGui::Button("Reset")) v.ui.draft = v.world.scenario();
}

// ===========================================================================
// share and files
// ===========================================================================

void share_and_files(View& v) {
    ImGui::Spacing();
    ImGui::TextColored(ImVec4(0.6f, 0.75f, 1, 1), "Share and replay");
    ImGui::Separator();
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled(
        "The address bar always holds a link to exactly this moment: scenario, seed, "
        "your actions and the cursor. `raftplay replay 'LINK'` re-runs it natively and "
        "checks the digest.");
    ImGui::PopTextWrapPos();
    if (ImGui::Button("Export run file")) v.push(CommandKind::kExportRun);
    tooltip("Download scenario + seed + input log; `raftplay replay FILE` verifies it natively.");
    v.spot("scn.export");
    ImGui::SameLine();
    if (ImGui::Button("Export archive")) v.push(CommandKind::kExportArchive);
    tooltip(
        "Download a binary run archive (.rpa): the run with its checkpoints, so it opens at "
        "any moment without re-simulating. `raftplay replay FILE.rpa` verifies it.");
    v.spot("scn.export_archive");
    ImGui::SameLine();
    if (ImGui::Button("Import...")) v.push(CommandKind::kOpenFile);
    tooltip("Open a run file, a run archive or a scenario file (or drop one on the page).");
    v.spot("scn.import");
    ImGui::TextDisabled("%zu actions in the input log", v.world.inputs().size());
}

}  // namespace

// ===========================================================================
// the panel
// ===========================================================================

void draw_scenario_panel(View& v) {
    scenario_and_seed(v);
    settings_editor(v);
    share_and_files(v);
}

}  // namespace render
