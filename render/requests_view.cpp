// render/requests_view.cpp — the control panel's request list: the user's
// and the scenario's scripted requests, each with the node it went through,
// whether that node forwarded it to the leader, the log entry it became and
// its outcome; and the progress of each STRESS.
//
// Everything is read from the world at the cursor: the history (invocation,
// outcome, the node the client last sent to), the logs (a write's entry
// records its origin, the node the client talked to, and its term names the
// leader that appended it: forwarded when they differ), and the wire (a
// forwarded request still on its way). A read answered through ReadIndex
// leaves no entry: then only the node it went through is known.
//
// Index
//   finding a request's entry
//   STRESS progress
//   the list
#include <algorithm>
#include <cstdio>

#include "render/draw.h"
#include "render/ui.h"

namespace render {

namespace {

// ===========================================================================
// finding a request's entry
// ===========================================================================

// The log entries searched per request, from the end (recent requests are near it).
constexpr raft::Index kEntriesSearchedMax = 4000;

// The log to search: the live leader's, or else the longest one.
const raft::RaftLog& reference_log(const sim::World& w) {
    const raft::NodeId l = w.leader();
    if (l != raft::kNone) return w.nodes()[static_cast<size_t>(l)].node.log();
    size_t best = 0;
    for (size_t i = 1; i < w.nodes().size(); i++) {
        if (w.nodes()[i].node.log().last_index() > w.nodes()[best].node.log().last_index())
            best = i;
    }
    return w.nodes()[best].node.log();
}

const raft::Entry* find_entry(const raft::RaftLog& log, int32_t client, int64_t seq) {
    const raft::Index stop = std::max(log.first_index(), log.last_index() - kEntriesSearchedMax);
    for (raft::Index i = log.last_index(); i >= stop && i > 0; i--) {
        const raft::Entry& e = log.at(i);
        if (e.type == raft::EntryType::kCommand && e.cmd.client_id == client && e.cmd.seq == seq)
            return &e;
    }
    return nullptr;
}

raft::NodeId leader_of_term(const sim::World& w, raft::Term term) {
    for (const sim::LeaderRecord& r : w.leaders()) {
        if (r.term == term) return r.node;
    }
    return raft::kNone;
}

// A forwarded request (kProp) of this operation on the wire: its hop count, or 0.
int forwarding_now(const sim::World& w, int32_t client, int64_t seq, raft::NodeId* to) {
    for (const auto& [id, f] : w.wire()) {
        if (f.msg.type == raft::MsgType::kProp && f.msg.cmd.client_id == client &&
            f.msg.cmd.seq == seq) {
            *to = f.msg.to;
            return f.msg.hops;
        }
    }
    return 0;
}

// "via n2, forwarded to leader n1: entry #14 (term 2)".
std::string route_text(const sim::World& w, const raft::RaftLog& log, const sim::HistoryOp& op) {
    char buf[160];
    const raft::Entry* e = find_entry(log, op.client, op.seq);
    if (e != nullptr) {
        const raft::NodeId leader = leader_of_term(w, e->term);
        const std::string entry =
            "#" + std::to_string(e->index) + " (term " + std::to_string(e->term) + ")";
        if (leader != raft::kNone && e->origin != leader) {
            std::snprintf(buf, sizeof buf, "via n%d, forwarded to leader n%d: entry %s", e->origin,
                          leader, entry.c_str());
        } else {
            std::snprintf(buf, sizeof buf, "via n%d (the leader): entry %s", e->origin,
                          entry.c_str());
        }
        return buf;
    }
    raft::NodeId to = raft::kNone;
    const int hops =
        op.status == sim::OpStatus::kPending ? forwarding_now(w, op.client, op.seq, &to) : 0;
    if (hops > 0) {
        std::snprintf(buf, sizeof buf, "via n%d, being forwarded to n%d (hop %d)", op.node, to,
                      hops);
    } else if (op.node >= 0) {
        std::snprintf(buf, sizeof buf, "via n%d", op.node);
    } else {
        std::snprintf(buf, sizeof buf, "not sent yet");
    }
    return buf;
}

std::string outcome_text(const sim::HistoryOp& op) {
    switch (op.status) {
        case sim::OpStatus::kPending:
            return "pending...";
        case sim::OpStatus::kOk: {
            std::string r = "ok";
            if (op.op == raft::OpType::kGet) r = op.found ? "= " + op.output : "(not found)";
            if (op.op == raft::OpType::kCas)
                r = op.cas_ok ? "ok" : "no swap (saw " + op.output + ")";
            return r + "  in " + format_duration(op.complete_us - op.invoke_us);
        }
        case sim::OpStatus::kFail:
            return "failed (no leader; safe to retry)";
        case sim::OpStatus::kUnknown:
            return "unknown (timed out: it may or may not have happened)";
    }
    return "?";
}

// ===========================================================================
// STRESS progress
// ===========================================================================

bool is_stress(const sim::HistoryOp& op) {
    return op.op == raft::OpType::kPut && op.key.rfind("stress", 0) == 0 &&
           op.value.rfind("stress-", 0) == 0;
}

// A STRESS's keys are "stress<event>-<worker>-<n>": the run is the part
// before the worker.
std::string stress_run(const std::string& key) {
    const size_t dash = key.find('-');
    return dash == std::string::npos ? key : key.substr(0, dash);
}

struct StressRun {
    std::string name;
    int64_t started_us = 0, last_us = 0;
    int done = 0, ok = 0, pending = 0, remaining = 0;
    raft::NodeId node = raft::kNone;
};

std::vector<StressRun> stress_runs(const sim::World& w, const std::vector<bool>& scripted) {
    std::vector<StressRun> runs;
    for (const sim::HistoryOp& op : w.history()) {
        const size_t c = static_cast<size_t>(op.client);
        if (c >= scripted.size() || !scripted[c] || !is_stress(op)) continue;
        const std::string name = stress_run(op.key);
        if (runs.empty() || runs.back().name != name) {
            runs.push_back(StressRun{name, op.invoke_us, op.invoke_us, 0, 0, 0, 0, op.node});
        }
        StressRun& r = runs.back();
        r.last_us = std::max(r.last_us, op.complete_us);
        if (op.status == sim::OpStatus::kPending) {
            r.pending++;
        } else {
            r.done++;
            r.ok += op.status == sim::OpStatus::kOk ? 1 : 0;
        }
    }
    for (const sim::Client& cl : w.clients()) {
        if (cl.workload || cl.remaining == 0) continue;
        for (StressRun& r : runs) {
            if (cl.stress_prefix.rfind(r.name + "-", 0) == 0) r.remaining += cl.remaining;
        }
    }
    return runs;
}

size_t draw_stress(View& v, const std::vector<bool>& scripted) {
    const std::vector<StressRun> runs = stress_runs(v.world, scripted);
    const size_t from = runs.size() > 2 ? runs.size() - 2 : 0;
    for (size_t i = from; i < runs.size(); i++) {
        const StressRun& r = runs[i];
        const int total = r.done + r.pending + r.remaining;
        char label[160];
        std::snprintf(label, sizeof label, "STRESS through %s: %d of %d done, %d ok%s",
                      r.node >= 0 ? ("n" + std::to_string(r.node)).c_str() : "the leader", r.done,
                      total, r.ok, r.pending + r.remaining > 0 ? "" : " (finished)");
        ImGui::ProgressBar(total > 0 ? static_cast<float>(r.done) / static_cast<float>(total) : 1.f,
                           ImVec2(-1, 0), label);
        v.spot("ctl.stress_progress." + std::to_string(i - from));
    }
    return runs.size();
}

// ===========================================================================
// the list
// ===========================================================================

std::vector<bool> scripted_clients(const sim::World& w) {
    std::vector<bool> scripted;
    for (const sim::Client& c : w.clients()) {
        if (static_cast<size_t>(c.id) >= scripted.size())
            scripted.resize(static_cast<size_t>(c.id) + 1, false);
        scripted[static_cast<size_t>(c.id)] = !c.workload;
    }
    return scripted;
}

// Two lines: the request and its outcome, then (dim, wrapped) its route.
void request_row(View& v, const raft::RaftLog& log, const sim::HistoryOp& op, size_t row) {
    const bool shows_value = op.op == raft::OpType::kPut || op.op == raft::OpType::kAppend;
    ImGui::Text("%s %.20s%s%.12s", raft::op_name(op.op), op.key.c_str(),
                op.op == raft::OpType::kPut ? " = " : (shows_value ? " += " : ""),
                shows_value ? op.value.c_str() : "");
    v.spot("ctl.request." + std::to_string(row));
    ImGui::SameLine(0, 12);
    ImGui::TextColored(
        op.status == sim::OpStatus::kOk ? ImVec4(0.5f, 0.9f, 0.6f, 1) : ImVec4(0.9f, 0.8f, 0.5f, 1),
        "%s", outcome_text(op).c_str());
    ImGui::Indent(12);
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s", route_text(v.world, log, op).c_str());
    ImGui::PopTextWrapPos();
    ImGui::Unindent(12);
}

}  // namespace

void draw_client_requests(View& v) {
    ImGui::Spacing();
    ImGui::TextColored(ImVec4(0.6f, 0.75f, 1, 1), "Scripted requests (yours and the scenario's)");
    ImGui::Separator();
    const sim::HistoryView h = v.world.history();
    const std::vector<bool> scripted = scripted_clients(v.world);
    const size_t stresses = draw_stress(v, scripted);
    std::vector<size_t> mine;
    for (size_t i = h.size(); i-- > 0 && mine.size() < 8;) {
        const size_t c = static_cast<size_t>(h[i].client);
        if (c < scripted.size() && scripted[c] && !is_stress(h[i])) mine.push_back(i);
    }
    if (mine.empty() && stresses == 0) {
        ImGui::TextDisabled("None yet. PUT a key above, then watch it replicate.");
        return;
    }
    const raft::RaftLog& log = reference_log(v.world);
    for (size_t r = 0; r < mine.size(); r++)
        request_row(v, log, h[mine[r]], r);
}

}  // namespace render
