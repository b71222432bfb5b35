// sim/world_clients.cpp — clients (workload and scripted) and actions
// (scenario steps and user input) of the world (see world.h); the network's
// actions are carried out in world_network.cpp.
//
// A client has one operation outstanding at a time. It sends the operation
// to its node, re-sends it (same sequence number, so the session table keeps
// it exactly-once) after a retryable error or an attempt timeout, to the node
// its route picks (RetryPolicy: the next node, the same one, or the leader
// the last one named), and gives up at its deadline or after its last
// allowed attempt: the operation then completes as unknown. Every operation
// is recorded as invoke and complete.
#include <algorithm>
#include <charconv>
#include <cstdio>

#include "sim/distributions.h"
#include "sim/limits.h"
#include "sim/world.h"

namespace sim {

namespace {

int64_t client_interval_us(const Workload& w) {
    if (w.rate_per_s <= 0) return INT64_MAX;
    return std::max<int64_t>(1, static_cast<int64_t>(w.clients) * 1'000'000 / w.rate_per_s);
}

int64_t attempt_timeout_us(const Workload& w, const RetryPolicy& p) {
    if (p.attempt_timeout_us >= 0) return p.attempt_timeout_us;
    return std::max<int64_t>(w.retry_us * 4, w.timeout_us / 5);
}

// The wait after the operation's `errors`-th retryable error (1-based):
// retry_us, doubled per further error up to backoff_us_max when that is set.
int64_t backoff_us(const Workload& w, const RetryPolicy& p, int32_t errors) {
    int64_t d = w.retry_us;
    for (int32_t i = 1; i < errors && d < p.backoff_us_max; i++)
        d = std::min(d * 2, p.backoff_us_max);
    return d;
}

}  // namespace

// ===========================================================================
// workload
// ===========================================================================

void World::start_workload() {
    ASSERT_MSG(s_.clients.empty(), "the workload's clients come first: their ids are 0..n-1");
    const Workload& w = scenario_->workload;
    const int64_t interval = client_interval_us(w);
    for (int c = 0; c < w.clients; c++) {
        Client cl;
        cl.id = c;
        cl.workload = true;
        cl.home = c % n_;
        s_.clients.push_back(cl);
        if (interval != INT64_MAX) {
            push_event(w.start_us + s_.workload_rng.range(0, interval), EventKind::kClientNext, c,
                       0, 0);
        }
    }
}

raft::Command World::random_command(Client& c) {
    ASSERT(c.workload);
    const Workload& w = scenario_->workload;
    raft::Command cmd;
    // In OpType order; a zero weight last (no appends) leaves the draw as it
    // was before appends existed.
    const int64_t weights[5] = {w.put_ppm, w.get_ppm, w.delete_ppm, w.cas_ppm, w.append_ppm};
    cmd.op = static_cast<raft::OpType>(draw_weighted(s_.workload_rng, weights, 5));
    const int k =
        static_cast<int>(s_.workload_rng.below(static_cast<uint64_t>(std::max(1, w.keys))));
    // "k%04d" and "c<id>s<seq>-" then padding, without printf or temporary
    // strings (hot path: one command per client step).
    char digits[24];
    char* e = std::to_chars(digits, digits + sizeof digits, k).ptr;
    cmd.key.reserve(8);
    cmd.key.push_back('k');
    if (e - digits < 4) cmd.key.append(static_cast<size_t>(4 - (e - digits)), '0');
    cmd.key.append(digits, e);
    // Values are unique per operation (client, sequence), which keeps the
    // linearizability search cheap; padded to the configured size.
    std::string v;
    v.reserve(static_cast<size_t>(std::max(w.value_bytes, 0)));
    v.push_back('c');
    v.append(digits, std::to_chars(digits, digits + sizeof digits, c.id).ptr);
    v.push_back('s');
    v.append(digits, std::to_chars(digits, digits + sizeof digits, c.seq + 1).ptr);
    v.push_back('-');
    for (size_t i = v.size(); static_cast<int32_t>(i) < w.value_bytes; i++)
        v.push_back(static_cast<char>('a' + i % 26));
    cmd.value = std::move(v);
    if (cmd.op == raft::OpType::kCas) {
        // Swap what this client last wrote, so swaps sometimes succeed.
        cmd.key = c.cmd.key.empty() ? cmd.key : c.cmd.key;
        cmd.expected = c.cmd.value;
    }
    return cmd;
}

void World::client_next(int c) {
    Client& cl = client(c);
    ASSERT(cl.workload);  // only the workload's clients draw operations
    const Workload& w = scenario_->workload;
    if (w.stop_us >= 0 && s_.now_us >= w.stop_us) return;
    if (cl.busy) {
        // Closed loop: the next operation waits for the current one.
        cl.next_due = true;
        return;
    }
    const int64_t interval = client_interval_us(w);
    // Paused: the client's clock keeps ticking (so it starts again on time
    // after the resume), but it invokes nothing.
    if (!s_.workload_paused) invoke(c, random_command(cl), cl.home);
    push_event(s_.now_us + s_.workload_rng.range(interval / 2, interval + interval / 2),
               EventKind::kClientNext, c, 0, 0);
}

// ===========================================================================
// operations
// ===========================================================================

void World::invoke(int c, raft::Command cmd, raft::NodeId node, const RetryPolicy* policy) {
    ASSERT(node >= 0 && node < n_);
    ASSERT_MSG(!client(c).busy, "a client has one operation outstanding at a time");
    if (history_full(cmd)) return;
    Client& cl = client(c);
    cl.seq++;
    cmd.client_id = c;
    cmd.seq = cl.seq;
    HistoryOp op;
    op.client = c;
    op.seq = cl.seq;
    op.op = cmd.op;
    op.key = cmd.key;
    op.value = cmd.value;
    op.expected = cmd.expected;
    op.invoke_us = s_.now_us;
    op.node = node;
    cl.op = static_cast<int64_t>(s_.history_size);
    // Re-running after a restore: the log holds this operation with its
    // outcome from the future; keep that until the re-run reaches it.
    if (s_.history_size < history_.size()) {
        cleared_ops_.emplace_back(s_.history_size, history_[s_.history_size]);
    }
    log_put(history_, s_.history_size, std::move(op));
    cl.cmd = std::move(cmd);
    cl.busy = true;
    cl.target = node;
    cl.policy = policy != nullptr ? *policy : scenario_->workload.retry;
    cl.op_attempts = 0;
    cl.op_errors = 0;
    record(TraceRecord{0, TraceKind::kClientInvoke, static_cast<uint8_t>(cl.cmd.op),
                       kClientBase + c, node, 0, cl.op, 0});
    arm_client_timer(c, EventKind::kClientDeadline, s_.now_us + scenario_->workload.timeout_us);
    client_send(c);
}

// The history's named limits (sim/limits.h): past them the run stops, as a
// violation would, and says which limit stopped it.
bool World::history_full(const raft::Command& cmd) {
    ASSERT_CMP(s_.history_size, <=, history_.size());
    const int64_t bytes = static_cast<int64_t>(sizeof(HistoryOp) + cmd.key.size() +
                                               cmd.value.size() + cmd.expected.size());
    if (static_cast<int64_t>(s_.history_size) >= kMaxHistoryOps) {
        s_.limit_reached = "history_ops_max";
    } else if (s_.history_bytes + bytes > kMaxHistoryBytes) {
        s_.limit_reached = "history_bytes_max";
    } else {
        s_.history_bytes += bytes;
        return false;
    }
    s_.halted = true;
    return true;
}

void World::client_send(int c) {
    Client& cl = client(c);
    ASSERT(cl.busy && cl.op >= 0 && static_cast<size_t>(cl.op) < s_.history_size);
    cl.attempt++;
    cl.op_attempts++;
    raft::Message m;
    m.type = raft::MsgType::kClientReq;
    m.to = cl.target;
    m.cmd = cl.cmd;
    history_[static_cast<size_t>(cl.op)].node = cl.target;
    send(std::move(m), true, false);
    arm_client_timer(c, EventKind::kClientRetry,
                     s_.now_us + attempt_timeout_us(scenario_->workload, cl.policy));
}

// Sets the due time; pushes an event only if none is pending (a pending one
// fires earlier and re-arms itself for the due time).
void World::arm_client_timer(int c, EventKind kind, int64_t due_us) {
    ASSERT(kind == EventKind::kClientRetry || kind == EventKind::kClientDeadline);
    ASSERT_CMP(due_us, >=, s_.now_us);
    Client& cl = client(c);
    const bool retry = kind == EventKind::kClientRetry;
    (retry ? cl.retry_due_us : cl.deadline_due_us) = due_us;
    int64_t& timer = retry ? cl.retry_timer_us : cl.deadline_timer_us;
    if (timer >= 0 && timer <= due_us) return;
    timer = due_us;
    push_event(due_us, kind, c, 0, 0);
}

void World::client_retry(int c) {
    Client& cl = client(c);
    if (s_.now_us != cl.retry_timer_us) return;  // superseded by an earlier re-arm
    ASSERT(!cl.busy || cl.op >= 0);              // a busy client has its operation in the history
    cl.retry_timer_us = -1;
    if (!cl.busy || cl.retry_due_us < 0) return;
    if (s_.now_us < cl.retry_due_us) {
        arm_client_timer(c, EventKind::kClientRetry, cl.retry_due_us);
        return;
    }
    // No answer in time (or the back-off after an error is over): try again
    // with the same sequence number, unless that was the last attempt.
    cl.retry_due_us = -1;
    if (out_of_attempts(cl)) return client_complete(c, OpStatus::kUnknown, raft::CommandResult{});
    cl.target = retry_target(cl);
    client_send(c);
}

bool World::out_of_attempts(const Client& cl) const {
    return cl.policy.max_attempts > 0 && cl.op_attempts >= cl.policy.max_attempts;
}

raft::NodeId World::retry_target(const Client& cl) const {
    ASSERT(cl.target >= 0 && cl.target < n_);
    if (cl.policy.route == ClientRoute::kPinned) return cl.target;
    if (cl.policy.route == ClientRoute::kLeader) {
        const NodeSlot& ns = s_.nodes[static_cast<size_t>(cl.target)];
        const raft::NodeId hint = ns.alive && !ns.paused ? ns.node.leader() : raft::kNone;
        if (hint >= 0 && hint < n_ && hint != cl.target) return hint;
    }
    return (cl.target + 1) % n_;
}

void World::client_deadline(int c) {
    Client& cl = client(c);
    if (s_.now_us != cl.deadline_timer_us) return;
    ASSERT(!cl.busy || cl.op >= 0);  // a busy client has its operation in the history
    cl.deadline_timer_us = -1;
    if (!cl.busy || cl.deadline_due_us < 0) return;
    if (s_.now_us < cl.deadline_due_us) {
        arm_client_timer(c, EventKind::kClientDeadline, cl.deadline_due_us);
        return;
    }
    client_complete(c, OpStatus::kUnknown, raft::CommandResult{});
}

// A reply reaches its client. It names the client by the command it answers
// (cmd.client_id): the world reads no client reply's `to`.
void World::client_response(const raft::Message& m) {
    ASSERT_CMP(static_cast<int>(m.type), ==, static_cast<int>(raft::MsgType::kClientResp));
    ASSERT_CMP(m.to, ==, raft::kNone);  // `to` only ever names a node
    const int c = m.cmd.client_id;
    Client& cl = client(c);
    if (!cl.busy || m.cmd.seq != cl.seq) return;  // an answer to an older attempt
    if (m.retryable_error) {
        // Back off, then try again (client_retry picks the node), unless this
        // was the last attempt: earlier ones may have taken effect.
        cl.attempt++;
        cl.op_errors++;
        if (out_of_attempts(cl))
            return client_complete(c, OpStatus::kUnknown, raft::CommandResult{});
        arm_client_timer(c, EventKind::kClientRetry,
                         s_.now_us + backoff_us(scenario_->workload, cl.policy, cl.op_errors));
        return;
    }
    client_complete(c, OpStatus::kOk, m.result);
}

void World::client_complete(int c, OpStatus status, const raft::CommandResult& r) {
    Client& cl = client(c);
    ASSERT(cl.busy && cl.op >= 0 && static_cast<size_t>(cl.op) < s_.history_size);
    HistoryOp& op = history_[static_cast<size_t>(cl.op)];
    op.status = status;
    op.complete_us = status == OpStatus::kUnknown ? -1 : s_.now_us;
    if (status == OpStatus::kOk) {
        op.found = r.found;
        op.output = r.value;
        op.cas_ok = r.ok;
        if (op.op == raft::OpType::kGet) {
            op.version = r.version;
            op.mod_revision = r.mod_revision;
        }
    }
    record(TraceRecord{0, TraceKind::kClientComplete, static_cast<uint8_t>(op.op), kClientBase + c,
                       op.node, 0, cl.op, static_cast<int64_t>(status)});
    std::erase_if(cleared_ops_,
                  [&](const auto& x) { return x.first == static_cast<size_t>(cl.op); });
    cl.busy = false;
    cl.retry_due_us = cl.deadline_due_us = -1;
    if (!cl.workload && cl.remaining > 0) {
        cl.remaining--;
        raft::Command cmd;
        cmd.op = raft::OpType::kPut;
        cmd.key = cl.stress_prefix + std::to_string(cl.remaining);
        cmd.value = "stress-" + std::to_string(c) + "-" + std::to_string(cl.remaining);
        invoke(c, std::move(cmd), cl.home);
    }
    if (cl.next_due) {
        cl.next_due = false;
        client_next(c);
    }
}

int World::scripted_client(raft::NodeId node) {
    ASSERT(static_cast<uint32_t>(node) < static_cast<uint32_t>(n_));  // its home is a node
    for (Client& cl : s_.clients) {
        if (!cl.workload && !cl.busy && cl.remaining == 0) {
            cl.home = node;
            return cl.id;
        }
    }
    Client cl;
    cl.id = static_cast<int32_t>(s_.clients.size());
    cl.workload = false;
    cl.home = node;
    s_.clients.push_back(cl);
    return cl.id;
}

// ===========================================================================
// actions
// ===========================================================================

bool World::eligible(raft::NodeId id, ActionKind kind) const {
    ASSERT(id >= 0 && id < n_);
    const NodeSlot& ns = s_.nodes[static_cast<size_t>(id)];
    // A spare server exists only for the actions that add it.
    const bool adds = kind == ActionKind::kAddNode || kind == ActionKind::kAddLearner;
    if (ns.spare || adds) return ns.spare && adds;
    switch (kind) {
        case ActionKind::kRestart:
            return !ns.alive;
        case ActionKind::kResume:
            return ns.alive && ns.paused;
        case ActionKind::kClockDrift:
            return true;  // a clock runs whether its process is up or not
        // The network's, whatever the process does: a selector picks among
        // the nodes still connected (disconnect) or cut off (reconnect).
        case ActionKind::kDisconnect:
            return !s_.net.isolated(id);
        case ActionKind::kReconnect:
            return s_.net.isolated(id);
        // A selector picks a learner of the leader's configuration to promote.
        case ActionKind::kPromote: {
            const raft::NodeId lead = leader();
            return lead != raft::kNone &&
                   s_.nodes[static_cast<size_t>(lead)].node.membership().is_learner(id);
        }
        // Asked of the leader: any server it knows, up or down.
        case ActionKind::kRemoveNode:
        case ActionKind::kTransferLeader:
            return true;
        default:
            return ns.alive;
    }
}

std::vector<raft::NodeId> World::resolve(const NodeRef& ref, ActionKind kind) {
    std::vector<raft::NodeId> out;
    const raft::NodeId lead = leader();
    switch (ref.sel) {
        case NodeSelector::kId:
            if (ref.id >= 0 && ref.id < n_) out.push_back(ref.id);
            break;
        case NodeSelector::kLeader:
            if (lead != raft::kNone) out.push_back(lead);
            break;
        case NodeSelector::kLeaderNext:  // "leader+1": the next id after the leader, wrapping
            if (lead != raft::kNone) out.push_back((lead + 1) % n_);
            break;
        case NodeSelector::kFollowersOfLeader:
            for (int i = 0; lead != raft::kNone && i < n_; i++) {
                if (i != lead && eligible(i, kind)) out.push_back(i);
            }
            break;
        case NodeSelector::kAll:
            for (int i = 0; i < n_; i++) {
                if (eligible(i, kind)) out.push_back(i);
            }
            break;
        case NodeSelector::kFollower:
        case NodeSelector::kRandom: {
            std::vector<raft::NodeId> pool;
            for (int i = 0; i < n_; i++) {
                if (ref.sel == NodeSelector::kFollower && i == lead) continue;
                if (eligible(i, kind)) pool.push_back(i);
            }
            if (!pool.empty()) out.push_back(pool[s_.select_rng.below(pool.size())]);
            break;
        }
        case NodeSelector::kSubject:  // bound to an id when its trigger fired; else no node
        case NodeSelector::kNone:
        case NodeSelector::kCount:
            break;
    }
    for (raft::NodeId id : out)
        ASSERT(id >= 0 && id < n_);
    return out;
}

void World::apply_action(const Action& a) {
    const std::vector<raft::NodeId> targets = resolve(a.node, a.kind);
    record(TraceRecord{0, TraceKind::kAction, 0, targets.empty() ? -1 : targets.front(), -1, 0, 0,
                       static_cast<int64_t>(a.kind)});
    switch (a.kind) {
        case ActionKind::kKill:
            for (raft::NodeId id : targets)
                crash(id);
            break;
        case ActionKind::kRestart:
            for (raft::NodeId id : targets)
                restart(id);
            break;
        case ActionKind::kPause:
            for (raft::NodeId id : targets)
                pause(id);
            break;
        case ActionKind::kResume:
            for (raft::NodeId id : targets)
                resume(id);
            break;
        case ActionKind::kPartition:
            apply_partition(a);
            break;
        case ActionKind::kCutLink:
        case ActionKind::kClog:
        case ActionKind::kUnclog:
            apply_link_action(a, targets);
            break;
        case ActionKind::kDisconnect:
            for (raft::NodeId id : targets)
                s_.net.disconnect(id);
            break;
        case ActionKind::kReconnect:
            s_.net.reconnect(targets);
            break;
        case ActionKind::kHeal:
            released_.clear();
            s_.net.heal(s_.now_us, &released_);
            schedule_released(released_);
            break;
        case ActionKind::kSetNetwork:
            s_.net.set_model(a);
            break;
        case ActionKind::kCampaign:
        case ActionKind::kSnapshot:
            apply_node_action(a, targets);
            break;
        case ActionKind::kDropMsg:
        case ActionKind::kDelayMsg:
        case ActionKind::kDupMsg:
            apply_message_action(a);
            break;
        case ActionKind::kPauseWorkload:
        case ActionKind::kResumeWorkload:
            s_.workload_paused = a.kind == ActionKind::kPauseWorkload;
            break;
        case ActionKind::kClockDrift:
            // Timers armed from now on run at the new rate; those pending
            // keep their deadlines.
            for (raft::NodeId id : targets)
                slot(id).drift_ppm = a.drift_ppm;
            break;
        case ActionKind::kPut:
        case ActionKind::kGet:
        case ActionKind::kDelete:
        case ActionKind::kCas:
        case ActionKind::kAppend:
        case ActionKind::kStress:
            if (!targets.empty()) apply_client_action(a, targets.front());
            break;
        case ActionKind::kAddNode:
        case ActionKind::kAddLearner:
        case ActionKind::kPromote:
        case ActionKind::kRemoveNode:
        case ActionKind::kTransferLeader:
            apply_membership_action(a, targets);
            break;
        case ActionKind::kCount:
        default:
            ASSERT_UNREACHABLE("an action of no known kind (inputs are checked when read)");
    }
}

// A user's nudge to a node's protocol: campaign now, or snapshot now.
void World::apply_node_action(const Action& a, const std::vector<raft::NodeId>& targets) {
    ASSERT(a.kind == ActionKind::kCampaign || a.kind == ActionKind::kSnapshot);
    for (raft::NodeId id : targets) {
        NodeSlot& ns = slot(id);
        // A crashed or paused process cannot act.
        if (!ns.alive || ns.paused) continue;
        if (a.kind == ActionKind::kCampaign) {
            ns.node.campaign(a.force);
        } else {
            ns.node.take_snapshot();
        }
        after_node_input(id);
    }
}

void World::apply_client_action(const Action& a, raft::NodeId node) {
    ASSERT(node >= 0 && node < n_);
    raft::Command cmd;
    cmd.key = a.key;
    cmd.value = a.value;
    cmd.expected = a.expected;
    switch (a.kind) {
        case ActionKind::kPut:
            cmd.op = raft::OpType::kPut;
            break;
        case ActionKind::kGet:
            cmd.op = raft::OpType::kGet;
            break;
        case ActionKind::kDelete:
            cmd.op = raft::OpType::kDelete;
            break;
        case ActionKind::kCas:
            cmd.op = raft::OpType::kCas;
            break;
        case ActionKind::kAppend:
            cmd.op = raft::OpType::kAppend;
            break;
        case ActionKind::kStress:
            return start_stress(a, node);
        default:
            ASSERT_UNREACHABLE("not a client action");
    }
    invoke(scripted_client(node), cmd, node, a.has_retry ? &a.retry : nullptr);
}

// Several scripted clients share the writes, one at a time each.
void World::start_stress(const Action& a, raft::NodeId node) {
    const int32_t count = std::max(0, a.count);
    const int32_t workers = std::min<int32_t>(count, 4);
    ASSERT_CMP(a.kind, ==, ActionKind::kStress);
    for (int32_t w = 0; w < workers; w++) {
        const int c = scripted_client(node);
        Client& cl = client(c);
        cl.remaining = count / workers + (w < count % workers ? 1 : 0);
        cl.stress_prefix = "stress" + std::to_string(s_.events) + "-" + std::to_string(w) + "-";
        cl.remaining--;
        raft::Command first;
        first.op = raft::OpType::kPut;
        first.key = cl.stress_prefix + std::to_string(cl.remaining);
        first.value = "stress-" + std::to_string(c) + "-" + std::to_string(cl.remaining);
        invoke(c, first, node);
    }
}

}  // namespace sim
