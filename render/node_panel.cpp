// render/node_panel.cpp — one node up close: its volatile and durable state
// side by side, its log as a strip of entries, the leader's view of each
// follower (next/match index), its own view of the configuration (thesis
// ch. 4: voters, learners, joint, the entry it came from, a transfer under
// way), its key-value store, and the actions a user can take on it (each
// becomes an input-log entry through a Command).
//
// Index
//   state table
//   configuration
//   log strip
//   leader progress
//   key-value store
//   actions
//   the panel
#include <algorithm>
#include <cstdio>

#include "render/draw.h"
#include "render/ui.h"

namespace render {

namespace {

// ===========================================================================
// state table
// ===========================================================================

std::string vote_name(raft::NodeId id) {
    return endpoint_name(id);
}

raft::Index durable_last_index(const sim::DurableState& d) {
    return d.log.empty() ? d.snapshot_index() : d.log.back().entry.index;
}

void row(const char* label, const std::string& now, const std::string& durable, const char* tip) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextDisabled("%s", label);
    if (tip) tooltip(tip);
    ImGui::TableSetColumnIndex(1);
    ImGui::TextUnformatted(now.c_str());
    ImGui::TableSetColumnIndex(2);
    if (!durable.empty() && durable != now) {
        ImGui::TextColored(ImVec4(1, 0.75f, 0.4f, 1), "%s", durable.c_str());
    } else {
        ImGui::TextUnformatted(durable.c_str());
    }
}

void state_table(const View& v, const sim::NodeSlot& s) {
    const raft::Node& n = s.node;
    const sim::DurableState& d = s.disk.durable;
    auto num = [](int64_t x) { return std::to_string(x); };
    if (!ImGui::BeginTable("##state", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV))
        return;
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 110);
    ImGui::TableSetupColumn("in memory");
    ImGui::TableSetupColumn("on disk (durable)");
    ImGui::TableHeadersRow();
    row("current_term", num(n.current_term()), num(d.hard_state.current_term),
        "Figure 2: persisted before any reply that depends on it.");
    row("voted_for", vote_name(n.voted_for()), vote_name(d.hard_state.voted_for),
        "Figure 2: the vote must be durable before the vote reply leaves (§5.2).");
    row("last log index", num(n.log().last_index()), num(durable_last_index(d)), nullptr);
    row("snapshot index", num(n.snapshot_index()), num(d.snapshot_index()),
        "§7: entries up to here are compacted into the snapshot. In memory the log keeps a "
        "few entries before it, so that a follower just behind catches up by appends.");
    row("persisted_index", num(n.persisted_index()), "", "Entries up to here are durable locally.");
    row("commit_index", num(n.commit_index()), "", "Volatile (Figure 2): rebuilt after a restart.");
    row("last_applied", num(n.last_applied()), "",
        "Volatile: entries applied to the key-value store.");
    row("leader", vote_name(n.leader()), "", "The leader this node knows of.");
    ImGui::EndTable();
    const int64_t unsynced = s.disk.unsynced_entries();
    if (unsynced > 0 || s.disk.fsync_in_flight()) {
        ImGui::TextColored(ImVec4(1, 0.75f, 0.4f, 1), "%lld unsynced writes%s",
                           static_cast<long long>(unsynced),
                           s.disk.fsync_in_flight() ? "" : " (waiting for the next fsync)");
        if (s.disk.fsync_in_flight()) {
            ImGui::SameLine();
            ImGui::TextDisabled("fsync completes at %s", format_time(s.disk.fsync_done_us).c_str());
        }
        tooltip(
            "A crash now loses every unsynced write: what is on disk is what a restart recovers.");
    } else {
        ImGui::TextDisabled("disk: everything written is durable");
    }
    if (s.alive && !s.paused && s.election.due_us >= 0) {
        ImGui::TextDisabled("election timeout in %s",
                            format_duration(s.election.due_us - v.world.now_us()).c_str());
    }
    if (s.alive && n.role() != raft::Role::kLeader && n.in_lease() && s.lease.due_us >= 0) {
        ImGui::TextDisabled("leader lease: ignores vote requests for %s",
                            format_duration(s.lease.due_us - v.world.now_us()).c_str());
        tooltip(
            "Thesis 4.2.3: within the minimum election timeout of hearing from its leader, "
            "a server neither adopts a candidate's term nor grants its vote.");
    }
}

// ===========================================================================
// configuration
// ===========================================================================

// "n0, n1, n2" for a bit set of node ids ("none" when empty).
std::string id_list(uint32_t set) {
    std::string out;
    for (int i = 0; i < 32; i++) {
        if (!((set >> i) & 1u)) continue;
        if (!out.empty()) out += ", ";
        out += "n" + std::to_string(i);
    }
    return out.empty() ? "none" : out;
}

// The configuration this server uses: the latest in its log, committed or
// not (§4.1), so two servers may disagree while a change is on its way.
void configuration(const sim::NodeSlot& s) {
    const raft::Node& n = s.node;
    if (s.spare) {
        ImGui::TextDisabled(
            "A spare server: not in any configuration yet. Add server or Add learner "
            "(Control tab) boots it with an empty disk and asks the leader to add it.");
        return;
    }
    const raft::Membership& m = n.membership();
    const raft::NodeId self = n.id();
    const char* place = m.is_voter(self)     ? "a voter"
                        : m.is_learner(self) ? "a learner (replicated to, never counted)"
                                             : "not a member (removed, or not added yet)";
    ImGui::TextWrapped("Configuration (entry %lld): it is %s",
                       static_cast<long long>(n.conf_index()), place);
    tooltip(
        "Thesis 4.1: a server uses the latest configuration in its log, committed or not. "
        "The entry index is where it came from (0: the initial one, or a snapshot's).");
    if (m.joint()) {
        ImGui::TextColored(ImVec4(1, 0.75f, 0.4f, 1), "joint consensus (§4.3): C_old %s | C_new %s",
                           id_list(m.outgoing).c_str(), id_list(m.voters).c_str());
        tooltip(
            "Elections and commits need a majority of C_old and a majority of C_new. The leader "
            "then appends C_new alone.");
    } else {
        ImGui::Text("voters %s", id_list(m.voters).c_str());
    }
    if (m.learners != 0) {
        ImGui::SameLine();
        ImGui::Text("  learners %s", id_list(m.learners).c_str());
    }
    if (n.role() == raft::Role::kLeader && n.lead_transferee() != raft::kNone) {
        ImGui::TextColored(ImVec4(1, 0.45f, 0.9f, 1),
                           "transferring leadership to n%d (§3.10): new proposals wait",
                           n.lead_transferee());
        tooltip(
            "Thesis 3.10: the leader stops taking proposals, brings the target's log up to "
            "date, then sends it TimeoutNow, and the target campaigns at once.");
    }
}

// ===========================================================================
// log strip
// ===========================================================================

std::string entry_text(const raft::Entry& e) {
    char buf[200];
    if (e.type == raft::EntryType::kNoop) {
        std::snprintf(buf, sizeof buf, "#%lld term %lld  no-op (a new leader's first entry, §8)",
                      static_cast<long long>(e.index), static_cast<long long>(e.term));
    } else if (e.type == raft::EntryType::kConfig) {
        std::snprintf(buf, sizeof buf, "#%lld term %lld  configuration: %s n%d -> %s",
                      static_cast<long long>(e.index), static_cast<long long>(e.term),
                      raft::conf_change_name(e.conf_type), e.conf_node,
                      raft::membership_text(e.conf).c_str());
    } else {
        std::snprintf(buf, sizeof buf, "#%lld term %lld  %s %.40s%s%.40s  (client %d seq %lld)",
                      static_cast<long long>(e.index), static_cast<long long>(e.term),
                      raft::op_name(e.cmd.op), e.cmd.key.c_str(), e.cmd.value.empty() ? "" : " = ",
                      e.cmd.value.c_str(), e.cmd.client_id, static_cast<long long>(e.cmd.seq));
    }
    return buf;
}

void log_strip(const raft::Node& n) {
    const raft::RaftLog& log = n.log();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float cell = 11.f, h = 20.f;
    const float width = ImGui::GetContentRegionAvail().x;
    const bool has_snap = log.snapshot_index() > 0;
    const float snap_w = has_snap ? 54.f : 0.f;
    const int fit = std::max(1, static_cast<int>((width - snap_w) / cell));
    const raft::Index last = log.last_index();
    const raft::Index first = std::max(log.first_index(), last - fit + 1);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##log_strip", ImVec2(width, h + 12.f));
    const bool hovered = ImGui::IsItemHovered();
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    if (has_snap) {
        const ImVec2 a(p.x, p.y), b(p.x + snap_w - 4.f, p.y + h);
        dl->AddRectFilled(a, b, IM_COL32(60, 50, 80, 255), 2.f);
        for (float x = a.x; x < b.x; x += 6.f)
            dl->AddLine(ImVec2(x, b.y), ImVec2(std::min(b.x, x + h), a.y),
                        IM_COL32(120, 100, 160, 120));
        char buf[32];
        std::snprintf(buf, sizeof buf, "<=%lld", static_cast<long long>(log.snapshot_index()));
        dl->AddText(ImVec2(a.x + 3, a.y + 3), kColText, buf);
        if (hovered && mouse.x < b.x) {
            ImGui::SetTooltip(
                "Compacted: entries up to %lld (term %lld) are gone from the log (§7).\n"
                "The snapshot covers up to %lld; the entries between are kept so that a\n"
                "follower just behind catches up by appends (snapshot_catch_up_entries).",
                static_cast<long long>(log.snapshot_index()),
                static_cast<long long>(log.snapshot_term()),
                static_cast<long long>(n.snapshot_index()));
        }
    }
    if (first > 1 + log.snapshot_index() || (first > log.first_index())) {
        dl->AddText(ImVec2(p.x + snap_w - 2.f, p.y + h), kColDim, "...");
    }
    for (raft::Index i = first; i <= last; i++) {
        const raft::Entry& e = log.at(i);
        const float x = p.x + snap_w + static_cast<float>(i - first) * cell;
        const ImVec2 a(x, p.y), b(x + cell - 2.f, p.y + h);
        const ImU32 col = term_color(e.term);
        if (i <= n.commit_index()) {
            dl->AddRectFilled(a, b, col, 2.f);  // committed: solid
        } else {
            dashed_line(dl, a, ImVec2(b.x, a.y), col, 1.5f, 3.f, 2.f);  // uncommitted: dashed
            dashed_line(dl, ImVec2(a.x, b.y), b, col, 1.5f, 3.f, 2.f);
            dashed_line(dl, a, ImVec2(a.x, b.y), col, 1.5f, 3.f, 2.f);
            dashed_line(dl, ImVec2(b.x, a.y), b, col, 1.5f, 3.f, 2.f);
        }
        if (e.type == raft::EntryType::kNoop)
            dl->AddCircleFilled(ImVec2(x + cell * 0.45f, p.y + h * 0.5f), 2.f,
                                IM_COL32(0, 0, 0, 160));
        if (e.type == raft::EntryType::kConfig) {
            // A configuration entry: a white "C" frame (hover names the change).
            dl->AddRect(ImVec2(a.x - 1.f, a.y - 1.f), ImVec2(b.x + 1.f, b.y + 1.f),
                        IM_COL32(255, 255, 255, 230), 2.f, 0, 1.5f);
            dl->AddText(ImVec2(a.x + 1.f, a.y + 3.f), IM_COL32(10, 10, 14, 255), "C");
        }
        if (i <= n.persisted_index()) {
            dl->AddLine(ImVec2(a.x, b.y + 3.f), ImVec2(b.x, b.y + 3.f), kColGood, 2.f);  // durable
        }
        if (i <= n.snapshot_index()) {
            // Covered by the snapshot, kept for catching up: veiled.
            dl->AddRectFilled(a, b, IM_COL32(20, 20, 28, 140), 2.f);
        }
        if (hovered && mouse.x >= a.x && mouse.x < a.x + cell) {
            ImGui::SetTooltip(
                "%s\n%s, %s%s", entry_text(e).c_str(),
                i <= n.commit_index() ? "committed" : "not committed",
                i <= n.persisted_index() ? "durable" : "not yet durable",
                i <= n.snapshot_index() ? "\nin the snapshot; kept for catch-up" : "");
        }
    }
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled(
        "solid: committed, dashed: uncommitted, green underline: durable, colour: term, "
        "veiled: in the snapshot, kept for followers to catch up, white frame with C: a "
        "configuration entry");
    ImGui::PopTextWrapPos();
}

// ===========================================================================
// leader progress
// ===========================================================================

const char* progress_state_name(raft::ProgressState s) {
    switch (s) {
        case raft::ProgressState::kProbe:
            return "probe";
        case raft::ProgressState::kReplicate:
            return "replicate";
        case raft::ProgressState::kSnapshot:
            return "snapshot";
    }
    return "?";
}

void progress_table(const raft::Node& n) {
    const std::vector<raft::Progress>& pr = n.progress();
    if (pr.empty()) return;
    ImGui::TextDisabled("Leader's view of each follower (§5.3):");
    if (!ImGui::BeginTable("##progress", 5,
                           ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp))
        return;
    ImGui::TableSetupColumn("peer");
    ImGui::TableSetupColumn("match_index");
    ImGui::TableSetupColumn("next_index");
    ImGui::TableSetupColumn("state");
    ImGui::TableSetupColumn("in flight");
    ImGui::TableHeadersRow();
    for (size_t i = 0; i < pr.size(); i++) {
        const auto peer = static_cast<raft::NodeId>(i);
        // Only the members of its configuration are replicated to (§4.1).
        if (peer == n.id() || !((n.membership().members() >> peer) & 1u)) continue;
        const raft::Progress& p = pr[i];
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::Text("n%zu%s%s", i, n.membership().is_learner(peer) ? " learner" : "",
                    n.lead_transferee() == peer ? " (transferee)" : "");
        ImGui::TableSetColumnIndex(1);
        ImGui::Text("%lld", static_cast<long long>(p.match_index));
        ImGui::TableSetColumnIndex(2);
        ImGui::Text("%lld", static_cast<long long>(p.next_index));
        ImGui::TableSetColumnIndex(3);
        ImGui::TextUnformatted(progress_state_name(p.state));
        ImGui::TableSetColumnIndex(4);
        ImGui::Text("%zu", p.inflight.size());
    }
    ImGui::EndTable();
}

// ===========================================================================
// key-value store
// ===========================================================================

void kv_view(const raft::Node& n) {
    const raft::KvStore& kv = n.kv();
    ImGui::Text("%zu keys, hash ", kv.key_count());
    ImGui::SameLine(0, 0);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(hash_color(kv.hash())), "#%s",
                       short_hash(kv.hash()).c_str());
    if (!ImGui::TreeNode("##kv", "contents")) return;
    if (ImGui::BeginTable("##kv_table", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY,
                          ImVec2(0, 140))) {
        ImGui::TableSetupColumn("key");
        ImGui::TableSetupColumn("value");
        int shown = 0;
        for (const auto& [k, val] : kv.data()) {
            if (shown++ >= 500) break;
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            ImGui::TextUnformatted(k.c_str());
            ImGui::TableSetColumnIndex(1);
            ImGui::TextUnformatted(val.c_str());
        }
        ImGui::EndTable();
    }
    ImGui::TreePop();
}

// ===========================================================================
// actions
// ===========================================================================

bool action_button(View& v, const char* label, bool enabled, const char* spot, const char* tip) {
    ImGui::BeginDisabled(!enabled);
    const bool pressed = ImGui::Button(label);
    ImGui::EndDisabled();
    if (tip) tooltip(tip);
    v.spot(spot);
    return pressed && enabled;
}

void actions(View& v, int id, const sim::NodeSlot& s) {
    using sim::ActionKind;
    const bool alive = s.alive, paused = s.paused;
    if (action_button(v, "Kill", alive, "node.kill",
                      "Crash it: volatile state and unsynced writes are lost."))
        v.act(node_action(ActionKind::kKill, id));
    ImGui::SameLine();
    if (action_button(v, "Restart", !alive && !s.spare, "node.restart",
                      s.spare ? "A spare boots when added (Control tab: Add server)."
                              : "Restart it from what its disk holds."))
        v.act(node_action(ActionKind::kRestart, id));
    ImGui::SameLine();
    if (action_button(v, "Pause", alive && !paused, "node.pause",
                      "Freeze the process: timers stop, messages wait."))
        v.act(node_action(ActionKind::kPause, id));
    ImGui::SameLine();
    if (action_button(v, "Resume", alive && paused, "node.resume", nullptr))
        v.act(node_action(ActionKind::kResume, id));
    if (action_button(v, "Isolate", true, "node.isolate",
                      "Partition this node away from all others."))
        v.act(isolate_action(id, v.node_count()));
    ImGui::SameLine();
    if (action_button(v, "Heal", true, "node.heal", "Remove every partition, cut and clog."))
        v.act(heal_action());
    ImGui::SameLine();
    if (action_button(v, "Campaign", alive && !paused, "node.campaign",
                      "Force an election now (past the leases of the others).")) {
        sim::Action a = node_action(ActionKind::kCampaign, id);
        a.force = true;
        v.act(a);
    }
    ImGui::SameLine();
    if (action_button(v, "Snapshot", alive && !paused, "node.snapshot",
                      "Compact the log into a snapshot now (§7)."))
        v.act(node_action(ActionKind::kSnapshot, id));
    ImGui::SetNextItemWidth(90);
    ImGui::InputText("##node_key", v.ui.node_key, sizeof v.ui.node_key);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90);
    ImGui::InputText("##node_value", v.ui.node_value, sizeof v.ui.node_value);
    ImGui::SameLine();
    const bool has_key = v.ui.node_key[0] != '\0';
    if (action_button(v, "Put", alive && has_key, "node.put", "A client write sent to this node."))
        v.act(client_action(ActionKind::kPut, id, v.ui.node_key, v.ui.node_value));
    ImGui::SameLine();
    if (action_button(v, "Get", alive && has_key, "node.get", "A client read sent to this node."))
        v.act(client_action(ActionKind::kGet, id, v.ui.node_key, ""));
}

void node_picker(View& v) {
    for (int i = 0; i < v.node_count(); i++) {
        if (i > 0) ImGui::SameLine(0, 3);
        const sim::NodeSlot& s = v.world.nodes()[static_cast<size_t>(i)];
        const ImU32 col = s.alive ? role_color(s.node.role()) : crashed_color();
        ImGui::PushStyleColor(ImGuiCol_Button,
                              with_alpha(col, v.ui.selected_node == i ? 1.f : 0.45f));
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, with_alpha(col, 0.8f));
        char label[16];
        std::snprintf(label, sizeof label, "n%d", i);
        if (ImGui::Button(label)) v.ui.selected_node = i;
        ImGui::PopStyleColor(2);
    }
}

}  // namespace

// ===========================================================================
// the panel
// ===========================================================================

void draw_node_panel(View& v) {
    node_picker(v);
    const int id = v.ui.selected_node;
    if (id < 0 || id >= v.node_count()) {
        ImGui::TextDisabled("Click a node in the cluster view (or above) to inspect it.");
        return;
    }
    const sim::NodeSlot& s = v.world.nodes()[static_cast<size_t>(id)];
    const raft::Node& n = s.node;
    const ImU32 col = s.alive ? role_color(n.role()) : crashed_color();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(col), "n%d  %s%s", id,
                       s.spare   ? "spare"
                       : s.alive ? raft::role_name(n.role())
                                 : "crashed",
                       s.paused ? " (paused)" : "");
    ImGui::SameLine();
    ImGui::TextDisabled("term %lld", static_cast<long long>(n.current_term()));
    actions(v, id, s);
    ImGui::Separator();
    state_table(v, s);
    ImGui::Separator();
    configuration(s);
    ImGui::Separator();
    ImGui::Text("Log %lld..%lld", static_cast<long long>(n.log().first_index()),
                static_cast<long long>(n.log().last_index()));
    log_strip(n);
    if (s.alive && n.role() == raft::Role::kLeader) {
        ImGui::Separator();
        progress_table(n);
    }
    ImGui::Separator();
    kv_view(n);
}

}  // namespace render
