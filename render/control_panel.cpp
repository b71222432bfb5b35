// render/control_panel.cpp — etcd-play's control panel: pick a node, PUT /
// GET / DELETE / CAS a key through it, STRESS it with N writes, kill and
// restart nodes (one or all), split the network, change the membership
// (add a server or a learner, promote, remove, transfer leadership: thesis
// ch. 4 and §3.10), and a hash check showing whether the nodes' key-value
// stores agree. Also the small action builders
// the other panels share.
//
// Every button is an Action through Timeline::act (recorded in the input
// log); the hash check only reads the world. The request list (with each
// request's route and outcome, and STRESS progress) is requests_view.cpp.
//
// Index
//   action builders
//   client operations
//   nodes and network
//   membership
//   hash check
//   the panel
#include <algorithm>
#include <cstdio>
#include <map>

#include "render/draw.h"
#include "render/ui.h"

namespace render {

// ===========================================================================
// action builders
// ===========================================================================

sim::Action node_action(sim::ActionKind kind, int node) {
    sim::Action a;
    a.kind = kind;
    a.node = sim::NodeRef{sim::NodeSelector::kId, node};
    return a;
}

sim::Action leader_action(sim::ActionKind kind) {
    sim::Action a;
    a.kind = kind;
    a.node = sim::NodeRef{sim::NodeSelector::kLeader, raft::kNone};
    return a;
}

sim::Action isolate_action(int node, int node_count) {
    sim::Action a;
    a.kind = sim::ActionKind::kPartition;
    std::vector<raft::NodeId> rest;
    for (int i = 0; i < node_count; i++) {
        if (i != node) rest.push_back(i);
    }
    a.groups = {{node}, rest};
    return a;
}

sim::Action heal_action() {
    sim::Action a;
    a.kind = sim::ActionKind::kHeal;
    return a;
}

sim::Action client_action(sim::ActionKind kind, int node_or_leader, const std::string& key,
                          const std::string& value) {
    sim::Action a = node_or_leader < 0 ? leader_action(kind) : node_action(kind, node_or_leader);
    a.key = key;
    a.value = value;
    return a;
}

namespace {

sim::Action all_action(sim::ActionKind kind) {
    sim::Action a;
    a.kind = kind;
    a.node = sim::NodeRef{sim::NodeSelector::kAll, raft::kNone};
    return a;
}

// ===========================================================================
// client operations
// ===========================================================================

void target_picker(View& v) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("via");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(110);
    const std::string current = v.ui.ctl_node < 0 ? "the leader" : endpoint_name(v.ui.ctl_node);
    if (ImGui::BeginCombo("##ctl_node", current.c_str())) {
        if (ImGui::Selectable("the leader", v.ui.ctl_node < 0)) v.ui.ctl_node = -1;
        for (int i = 0; i < v.node_count(); i++) {
            const std::string label = endpoint_name(i);
            if (ImGui::Selectable(label.c_str(), v.ui.ctl_node == i)) v.ui.ctl_node = i;
        }
        ImGui::EndCombo();
    }
    tooltip("Which node the client talks to. A follower forwards writes to its leader.");
    if (v.ui.ctl_node >= v.node_count()) v.ui.ctl_node = -1;
}

void heading(const char* text) {
    ImGui::Spacing();
    ImGui::TextColored(ImVec4(0.6f, 0.75f, 1, 1), "%s", text);
    ImGui::Separator();
}

// Pauses or resumes the background workload (an action in the input log, so
// a share link replays it): a quiet cluster, whose hashes agree by eye.
void workload_toggle(View& v) {
    if (v.world.scenario().workload.clients <= 0) return;
    const bool paused = v.world.state().workload_paused;
    if (ImGui::Button(paused ? "Resume workload" : "Pause workload")) {
        sim::Action a;
        a.kind = paused ? sim::ActionKind::kResumeWorkload : sim::ActionKind::kPauseWorkload;
        v.act(a);
    }
    v.spot("ctl.workload");
    tooltip(paused ? "The background clients start new operations again."
                   : "The background clients start nothing new (running ones finish); your "
                     "requests go on. Then the hash check shows every node agreeing.");
    if (paused) {
        ImGui::SameLine();
        ImGui::TextColored(ImVec4(0.95f, 0.75f, 0.4f, 1), "background workload paused");
    }
}

void client_ops(View& v) {
    using sim::ActionKind;
    heading("Client requests");
    target_picker(v);
    ImGui::SetNextItemWidth(110);
    ImGui::InputText("key", v.ui.key, sizeof v.ui.key);
    v.spot("ctl.key");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(110);
    ImGui::InputText("value", v.ui.value, sizeof v.ui.value);
    v.spot("ctl.value");
    const bool has_key = v.ui.key[0] != '\0';
    ImGui::BeginDisabled(!has_key);
    if (ImGui::Button("PUT"))
        v.act(client_action(ActionKind::kPut, v.ui.ctl_node, v.ui.key, v.ui.value));
    v.spot("ctl.put");
    ImGui::SameLine();
    if (ImGui::Button("GET")) v.act(client_action(ActionKind::kGet, v.ui.ctl_node, v.ui.key, ""));
    v.spot("ctl.get");
    ImGui::SameLine();
    if (ImGui::Button("APPEND"))
        v.act(client_action(ActionKind::kAppend, v.ui.ctl_node, v.ui.key, v.ui.value));
    tooltip("Append the value to the key's current value (kvraft's Append).");
    v.spot("ctl.append");
    ImGui::SameLine();
    if (ImGui::Button("DELETE"))
        v.act(client_action(ActionKind::kDelete, v.ui.ctl_node, v.ui.key, ""));
    v.spot("ctl.delete");
    ImGui::EndDisabled();
    // The count and STRESS stay together: on a narrow panel (a phone's
    // drawer) they wrap to their own line rather than run past the edge.
    same_line_fits(80 + ImGui::GetStyle().ItemSpacing.x + button_width("STRESS"));
    ImGui::SetNextItemWidth(80);
    ImGui::InputInt("##stress_n", &v.ui.stress_count, 0, 0);
    v.ui.stress_count = std::clamp(v.ui.stress_count, 1, 100'000);
    ImGui::SameLine();
    if (ImGui::Button("STRESS")) {
        sim::Action a = client_action(ActionKind::kStress, v.ui.ctl_node, "", "");
        a.count = v.ui.stress_count;
        v.act(a);
    }
    tooltip("Send N writes, one after another, through the chosen node.");
    v.spot("ctl.stress");
    workload_toggle(v);
}

// ===========================================================================
// nodes and network
// ===========================================================================

void nodes_and_network(View& v) {
    using sim::ActionKind;
    heading("Nodes");
    // Columns from the style's widths (the narrow style's buttons are wider).
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float x_kill = 34 + ImGui::CalcTextSize("pre-candidate ").x;
    const float x_restart = x_kill + button_width("kill") + spacing;
    const float x_select = x_restart + button_width("restart") + spacing;
    for (int i = 0; i < v.node_count(); i++) {
        const sim::NodeSlot& s = v.world.nodes()[static_cast<size_t>(i)];
        ImGui::PushID(i);
        const ImU32 col = s.alive ? role_color(s.node.role()) : crashed_color();
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(col), "n%d", i);
        ImGui::SameLine(34);
        ImGui::TextDisabled("%-13s", s.spare ? "spare"
                                     : s.alive
                                         ? (s.paused ? "paused" : raft::role_name(s.node.role()))
                                         : "crashed");
        // Both buttons, always in their places: a kill does not turn the
        // button under the mouse into a restart.
        ImGui::SameLine(x_kill);
        ImGui::BeginDisabled(!s.alive);
        if (ImGui::SmallButton("kill") && s.alive) v.act(node_action(ActionKind::kKill, i));
        ImGui::EndDisabled();
        v.spot("ctl.kill." + std::to_string(i));
        ImGui::SameLine(x_restart);
        ImGui::BeginDisabled(s.alive || s.spare);  // a spare boots only when added
        if (ImGui::SmallButton("restart") && !s.alive && !s.spare)
            v.act(node_action(ActionKind::kRestart, i));
        ImGui::EndDisabled();
        v.spot("ctl.restart." + std::to_string(i));
        // A panel too narrow for it goes without (clicking the node selects it too).
        if (x_select + button_width("select") <= ImGui::GetWindowContentRegionMax().x) {
            ImGui::SameLine(x_select);
            if (ImGui::SmallButton("select")) {
                v.ui.selected_node = i;
                v.ui.focus_tab = PanelTab::kNode;
            }
        }
        ImGui::PopID();
    }
    if (ImGui::Button("Kill leader")) v.act(leader_action(ActionKind::kKill));
    v.spot("ctl.kill_leader");
    same_line_fits(button_width("Kill all"));
    if (ImGui::Button("Kill all")) v.act(all_action(ActionKind::kKill));
    v.spot("ctl.kill_all");
    same_line_fits(button_width("Restart all"));
    if (ImGui::Button("Restart all")) v.act(all_action(ActionKind::kRestart));
    v.spot("ctl.restart_all");

    heading("Network");
    if (ImGui::Button("Isolate leader")) {
        sim::Action a;
        a.kind = ActionKind::kPartition;
        a.isolate_leader_with = 0;
        v.act(a);
    }
    tooltip("Partition the leader away from everyone (check-quorum makes it step down).");
    v.spot("ctl.isolate_leader");
    same_line_fits(button_width("Split majority/minority"));
    if (ImGui::Button("Split majority/minority")) {
        sim::Action a;
        a.kind = ActionKind::kPartition;
        a.isolate_leader_with = std::max(0, (v.node_count() - 1) / 2 - 1);
        v.act(a);
    }
    tooltip("The leader ends up in a minority: its new entries cannot commit.");
    v.spot("ctl.split");
    same_line_fits(button_width("Heal"));
    if (ImGui::Button("Heal")) v.act(heal_action());
    v.spot("ctl.heal");
    // The slider shows the network's loss now (the scenario's, or the last
    // Set loss at or before the cursor) unless the user is choosing another.
    if (!v.ui.loss_editing) {
        v.ui.loss_pct = static_cast<int>((v.world.network().model().loss_ppm + 5'000) / 10'000);
    }
    ImGui::SetNextItemWidth(120);
    ImGui::SliderInt("##loss", &v.ui.loss_pct, 0, 100, "loss %d%%");
    v.spot("ctl.loss");
    if (ImGui::IsItemActivated()) v.ui.loss_editing = true;
    ImGui::SameLine();
    if (ImGui::Button("Set loss")) {
        sim::Action a;
        a.kind = ActionKind::kSetNetwork;
        a.loss_ppm = static_cast<int64_t>(v.ui.loss_pct) * 10'000;
        v.act(a);
        v.ui.loss_editing = false;
    }
    tooltip(
        "Change the probability that a message is lost, from now on. The slider shows the "
        "loss at the cursor until you move it.");
    v.spot("ctl.set_loss");
}

// ===========================================================================
// membership
// ===========================================================================

// A button that is greyed, with the reason as its tooltip, when it cannot
// act (the world would refuse; the refusal would only be traced).
bool membership_button(View& v, const char* label, const char* spot, const std::string& why_not,
                       const char* tip) {
    ImGui::BeginDisabled(!why_not.empty());
    const bool pressed = ImGui::Button(label);
    ImGui::EndDisabled();
    v.spot(spot);
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", why_not.empty() ? tip : why_not.c_str());
    return pressed && why_not.empty();
}

// The leader's answer to "may I change the configuration now" as far as the
// page can tell without asking (raft decides; these only spare a refusal).
std::string change_blocked(const sim::World& w) {
    const raft::NodeId lead = w.leader();
    if (lead < 0) return "No leader: a configuration change is asked of the leader.";
    const raft::Node& l = w.nodes()[static_cast<size_t>(lead)].node;
    if (l.lead_transferee() != raft::kNone)
        return "The leader is transferring leadership (§3.10): no change until it ends.";
    if (l.conf_index() > l.commit_index())
        return "A configuration change is still uncommitted: one at a time (thesis §4.1).";
    return "";
}

void membership(View& v) {
    using sim::ActionKind;
    heading("Membership (thesis ch. 4)");
    const sim::World& w = v.world;
    const raft::NodeId lead = w.leader();
    const raft::Membership* m =
        lead >= 0 ? &w.nodes()[static_cast<size_t>(lead)].node.membership() : nullptr;
    ImGui::TextDisabled("%s", m ? ("configuration " + raft::membership_text(*m)).c_str()
                                : "no leader: its configuration is unknown");
    const std::string blocked = change_blocked(w);
    raft::NodeId spare = raft::kNone;
    for (int i = 0; i < v.node_count() && spare < 0; i++) {
        if (w.nodes()[static_cast<size_t>(i)].spare) spare = i;
    }
    const std::string no_spare = spare < 0 ? "No spare server left to add." : blocked;
    char label[48];
    std::snprintf(label, sizeof label, spare >= 0 ? "Add server n%d" : "Add server", spare);
    sim::Action add;
    add.kind = ActionKind::kAddNode;
    if (membership_button(v, label, "ctl.add_server", no_spare,
                          "Boot the lowest spare server with an empty disk and ask the leader to "
                          "add it as a voter (§4.1; with joint consensus, §4.3)."))
        v.act(add);
    same_line_fits(button_width("Add learner n0"));
    std::snprintf(label, sizeof label, spare >= 0 ? "Add learner n%d" : "Add learner", spare);
    if (membership_button(v, label, "ctl.add_learner", no_spare,
                          "Boot the lowest spare server and add it as a learner: it is "
                          "replicated to but not counted until promoted (§4.2.1).")) {
        add.kind = ActionKind::kAddLearner;
        v.act(add);
    }
    // Promote: a learner of the leader's configuration (the first, or the
    // one selected in the cluster view).
    raft::NodeId learner = raft::kNone;
    for (int i = 0; m && i < v.node_count(); i++) {
        if (m->is_learner(i) && (learner < 0 || i == v.ui.selected_node)) learner = i;
    }
    std::snprintf(label, sizeof label, learner >= 0 ? "Promote n%d" : "Promote", learner);
    same_line_fits(button_width("Promote n0"));
    if (membership_button(v, label, "ctl.promote",
                          learner < 0 ? "No learner to promote (add one first)." : blocked,
                          "Make the learner a voter (select another learner to pick it)."))
        v.act(node_action(ActionKind::kPromote, learner));

    const int sel = v.ui.selected_node;
    const bool member = m && sel >= 0 && ((m->members() >> sel) & 1u);
    std::snprintf(label, sizeof label, member ? "Remove n%d" : "Remove selected", sel);
    std::string why = !member ? "Select a member of the configuration (click a node)." : blocked;
    if (membership_button(v, label, "ctl.remove", why,
                          "Take the selected server out of the configuration; a removed leader "
                          "steps down once the change commits (§4.2.2)."))
        v.act(node_action(ActionKind::kRemoveNode, sel));
    std::snprintf(label, sizeof label,
                  sel >= 0 ? "Transfer leadership to n%d" : "Transfer leadership", sel);
    why = lead < 0                   ? "No leader to transfer from."
          : sel < 0                  ? "Select the server to hand leadership to."
          : sel == lead              ? "The selected server is the leader already."
          : !(m && m->is_voter(sel)) ? "Only a voter can become leader."
          : !w.nodes()[static_cast<size_t>(sel)].alive ? "The selected server is down."
                                                       : "";
    same_line_fits(button_width(label));
    if (membership_button(v, label, "ctl.transfer", why,
                          "The leader stops taking proposals, brings the target up to date, and "
                          "sends it TimeoutNow: it campaigns at once (§3.10)."))
        v.act(node_action(ActionKind::kTransferLeader, sel));
}

// ===========================================================================
// hash check
// ===========================================================================

void hash_check(View& v) {
    heading("Hash check");
    // Servers out of the leader's configuration (removed, never added) get
    // nothing more replicated: they are listed, not compared (as the
    // convergence check does).
    const raft::NodeId lead = v.world.leader();
    const uint32_t members =
        lead == raft::kNone
            ? ~0u
            : v.world.nodes()[static_cast<size_t>(lead)].node.membership().members();
    auto compared = [&](const sim::NodeSlot& s) {
        return s.alive && ((members >> s.node.id()) & 1u) != 0;
    };
    std::map<uint64_t, int> groups;
    int live = 0;
    for (const sim::NodeSlot& s : v.world.nodes()) {
        if (!compared(s)) continue;
        live++;
        groups[s.node.kv().hash()]++;
    }
    if (live == 0) {
        ImGui::TextDisabled("No live node.");
    } else if (groups.size() == 1) {
        const sim::NodeSlot* any = nullptr;
        for (const sim::NodeSlot& s : v.world.nodes()) {
            if (compared(s)) any = &s;
        }
        ImGui::TextColored(ImVec4(0.45f, 0.9f, 0.55f, 1),
                           "All %d live members agree: %zu keys, #%s", live,
                           any->node.kv().key_count(), short_hash(any->node.kv().hash()).c_str());
    } else {
        ImGui::TextColored(ImVec4(1, 0.7f, 0.35f, 1), "%zu different states among %d live members",
                           groups.size(), live);
        tooltip(
            "Normal while entries are still being applied; they should converge once the cluster "
            "is quiet.");
    }
    if (!ImGui::BeginTable("##hashes", 4,
                           ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp))
        return;
    ImGui::TableSetupColumn("node");
    ImGui::TableSetupColumn("keys");
    ImGui::TableSetupColumn("hash");
    ImGui::TableSetupColumn("applied");
    ImGui::TableHeadersRow();
    for (int i = 0; i < v.node_count(); i++) {
        const sim::NodeSlot& s = v.world.nodes()[static_cast<size_t>(i)];
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        const char* note = s.spare                  ? " (spare)"
                           : !((members >> i) & 1u) ? " (removed)"
                           : !s.alive               ? " (down)"
                                                    : "";
        ImGui::Text("n%d%s", i, note);
        ImGui::TableSetColumnIndex(1);
        ImGui::Text("%zu", s.node.kv().key_count());
        ImGui::TableSetColumnIndex(2);
        ImGui::TextColored(
            ImGui::ColorConvertU32ToFloat4(s.alive ? hash_color(s.node.kv().hash()) : kColDim),
            "#%s", short_hash(s.node.kv().hash()).c_str());
        ImGui::TableSetColumnIndex(3);
        ImGui::Text("%lld", static_cast<long long>(s.node.last_applied()));
    }
    ImGui::EndTable();
}

}  // namespace

// ===========================================================================
// the panel
// ===========================================================================

void draw_control_panel(View& v) {
    client_ops(v);
    nodes_and_network(v);
    membership(v);
    hash_check(v);
    draw_client_requests(v);
}

}  // namespace render
