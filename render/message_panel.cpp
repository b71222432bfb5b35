// render/message_panel.cpp — one message in flight up close (its fields, and
// drop / delay / duplicate, each an input-log entry), and the list of every
// message on the wire to pick from.
//
// Index
//   fields
//   actions
//   wire list
//   the panel
#include <cstdio>

#include "render/draw.h"
#include "render/ui.h"

namespace render {

namespace {

bool is_heartbeat(const raft::Message& m) {
    return m.type == raft::MsgType::kAppend && m.entries.empty();
}

std::string from_name(const sim::InFlight& f) {
    return f.from_client ? endpoint_name(sim::kClientBase + f.msg.cmd.client_id)
                         : endpoint_name(f.msg.from);
}
std::string to_name(const sim::InFlight& f) {
    return f.to_client ? endpoint_name(sim::kClientBase + f.msg.cmd.client_id)
                       : endpoint_name(f.msg.to);
}

// ===========================================================================
// fields
// ===========================================================================

void field(const char* name, const std::string& value) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextDisabled("%s", name);
    ImGui::TableSetColumnIndex(1);
    ImGui::TextWrapped("%s", value.c_str());
}

std::string arrival(const sim::InFlight& f, int64_t now_us) {
    if (f.deliver_us == -1) return "held by a clogged link";
    if (f.deliver_us == -2) return "waiting at a paused node";
    const std::string when =
        format_time(f.deliver_us) + " (in " + format_duration(f.deliver_us - now_us) + ")";
    return f.lost ? when + " - lost: it will never arrive" : when;
}

void fields(const sim::InFlight& f, int64_t now_us) {
    using raft::MsgType;
    const raft::Message& m = f.msg;
    if (!ImGui::BeginTable("##fields", 2, ImGuiTableFlags_RowBg)) return;
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 100);
    ImGui::TableSetupColumn("");
    field("type",
          std::string(raft::msg_type_name(m.type)) + (is_heartbeat(m) ? " (heartbeat)" : ""));
    field("from -> to", from_name(f) + " -> " + to_name(f));
    field("term", std::to_string(m.term));
    field("sent", format_time(f.sent_us));
    field("arrives", arrival(f, now_us));
    switch (m.type) {
        case MsgType::kPreVote:
        case MsgType::kVote:
            field("last log", "index " + std::to_string(m.last_log_index) + ", term " +
                                  std::to_string(m.last_log_term));
            if (m.force) field("forced", "yes (ignores leader leases)");
            break;
        case MsgType::kAppend: {
            field("prev_log", "index " + std::to_string(m.prev_log_index) + ", term " +
                                  std::to_string(m.prev_log_term));
            field("leader commit", std::to_string(m.commit));
            std::string e = std::to_string(m.entries.size());
            if (!m.entries.empty()) {
                e += " [" + std::to_string(m.entries.front().index) + ".." +
                     std::to_string(m.entries.back().index) + "]";
            }
            field("entries", e);
            break;
        }
        case MsgType::kAppendResp:
        case MsgType::kSnapshotResp:
            field("result", m.reject ? "reject" : "ok");
            field("match", "index " + std::to_string(m.match_index) + ", term " +
                               std::to_string(m.match_term));
            if (m.reject) {
                field("hint", "index " + std::to_string(m.hint_index) + ", term " +
                                  std::to_string(m.hint_term));
            }
            break;
        case MsgType::kPreVoteResp:
        case MsgType::kVoteResp:
            field("granted", m.reject ? "no" : "yes");
            break;
        case MsgType::kSnapshot:
            if (m.snapshot) {
                field("snapshot", "up to " + std::to_string(m.snapshot->last_included_index) +
                                      " (term " + std::to_string(m.snapshot->last_included_term) +
                                      "), " + std::to_string(m.snapshot->kv.size()) + " keys");
            }
            break;
        case MsgType::kProp:
        case MsgType::kClientReq:
        case MsgType::kClientResp: {
            const raft::Command& c = m.cmd;
            field("command", std::string(raft::op_name(c.op)) + " " + c.key +
                                 (c.value.empty() ? "" : " = " + c.value.str()));
            field("client",
                  endpoint_name(sim::kClientBase + c.client_id) + " seq " + std::to_string(c.seq));
            if (m.type == MsgType::kClientResp) {
                field("result", m.error == nullptr
                                    ? (m.result.found ? "ok: " + m.result.value.str() : "ok")
                                    : std::string("error: ") + m.error);
            }
            break;
        }
        case MsgType::kTimeoutNow:
            field("meaning", "campaign now: the leader hands over leadership (§3.10)");
            break;
        default:
            break;
    }
    ImGui::EndTable();
}

// ===========================================================================
// actions
// ===========================================================================

sim::Action message_action(sim::ActionKind kind, int64_t id) {
    sim::Action a;
    a.kind = kind;
    a.msg_id = id;
    return a;
}

void actions(View& v, int64_t id, const sim::InFlight& f) {
    using sim::ActionKind;
    ImGui::BeginDisabled(f.lost);
    if (ImGui::Button("Drop")) v.act(message_action(ActionKind::kDropMsg, id));
    ImGui::EndDisabled();
    tooltip("Lose this message in the network.");
    v.spot("msg.drop");
    ImGui::SameLine();
    const bool timed = f.deliver_us >= 0;
    ImGui::BeginDisabled(!timed);
    if (ImGui::Button("Delay")) {
        sim::Action a = message_action(ActionKind::kDelayMsg, id);
        a.delay_us = static_cast<int64_t>(v.ui.delay_ms) * 1000;
        v.act(a);
    }
    ImGui::EndDisabled();
    v.spot("msg.delay");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(80);
    ImGui::DragInt("ms##delay", &v.ui.delay_ms, 5.f, 1, 60'000);
    ImGui::SameLine();
    ImGui::BeginDisabled(f.lost);
    if (ImGui::Button("Duplicate")) v.act(message_action(ActionKind::kDupMsg, id));
    ImGui::EndDisabled();
    tooltip("Deliver a second copy of this message.");
    v.spot("msg.dup");
}

// ===========================================================================
// wire list
// ===========================================================================

void wire_list(View& v) {
    const auto& wire = v.world.wire();
    ImGui::Text("%zu messages in flight", wire.size());
    if (!ImGui::BeginTable(
            "##wire", 4,
            ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp,
            ImVec2(0, ImGui::GetContentRegionAvail().y))) {
        return;
    }
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("id");
    ImGui::TableSetupColumn("type");
    ImGui::TableSetupColumn("from -> to");
    ImGui::TableSetupColumn("arrives in");
    ImGui::TableHeadersRow();
    int rows = 0;
    for (const auto& [id, f] : wire) {
        if (rows++ >= 400) break;
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        char label[32];
        std::snprintf(label, sizeof label, "%lld", static_cast<long long>(id));
        if (ImGui::Selectable(label, v.ui.selected_msg == id,
                              ImGuiSelectableFlags_SpanAllColumns)) {
            v.ui.selected_msg = id;
        }
        if (rows <= 5) v.spot("wire." + std::to_string(rows - 1));
        ImGui::TableSetColumnIndex(1);
        ImGui::TextColored(
            ImGui::ColorConvertU32ToFloat4(msg_color(f.msg.type, is_heartbeat(f.msg))), "%s",
            msg_short_name(f.msg.type, is_heartbeat(f.msg)));
        ImGui::TableSetColumnIndex(2);
        ImGui::Text("%s -> %s", from_name(f).c_str(), to_name(f).c_str());
        ImGui::TableSetColumnIndex(3);
        if (f.deliver_us < 0) {
            ImGui::TextDisabled(f.deliver_us == -1 ? "clogged" : "held");
        } else {
            ImGui::Text("%s%s", format_duration(f.deliver_us - v.world.now_us()).c_str(),
                        f.lost ? " (lost)" : "");
        }
    }
    ImGui::EndTable();
}

}  // namespace

// ===========================================================================
// the panel
// ===========================================================================

void draw_message_panel(View& v) {
    const int64_t id = v.ui.selected_msg;
    if (id != 0) {
        const sim::InFlight* found = v.world.wire().find(id);
        if (found == nullptr) {
            ImGui::TextDisabled("Message #%lld is no longer in flight (delivered or dropped).",
                                static_cast<long long>(id));
        } else {
            const sim::InFlight& f = *found;
            ImGui::TextColored(
                ImGui::ColorConvertU32ToFloat4(msg_color(f.msg.type, is_heartbeat(f.msg))),
                "Message #%lld", static_cast<long long>(id));
            // The buttons above the fields: a drop lengthens a field (and its
            // wrap), which must not move the button under the mouse.
            actions(v, id, f);
            fields(f, v.world.now_us());
        }
        ImGui::Separator();
    } else {
        ImGui::TextDisabled("Click a message in flight (pause first: Space) or pick one below.");
    }
    wire_list(v);
}

}  // namespace render
