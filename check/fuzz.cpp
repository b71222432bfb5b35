// check/fuzz.cpp — fault schedules and verdicts (see fuzz.h).
//
// Index
//   fault schedules
//   verdicts
//
// The fault generator draws from its own stream of the seed (kStreamFuzz),
// independent of the world's streams, so the same seed gives the same
// schedule whatever the world does with its randomness.
#include "check/fuzz.h"

#include <algorithm>
#include <vector>

#include "base/rng.h"
#include "format/scenario_json.h"
#include "sim/convergence.h"
#include "sim/distributions.h"

namespace sim {

namespace {

constexpr uint64_t kStreamFuzz = 0xf022'5eed;

Action make_step(int64_t at_us, ActionKind kind) {
    Action a;
    a.at_us = at_us;
    a.kind = kind;
    return a;
}

NodeRef id_ref(raft::NodeId id) {
    return NodeRef{NodeSelector::kId, id};
}
NodeRef sel_ref(NodeSelector sel) {
    return NodeRef{sel, raft::kNone};
}

raft::NodeId random_node(base::Rng& rng, int n) {
    return static_cast<raft::NodeId>(rng.below(static_cast<uint64_t>(n)));
}

// A node: usually an id, sometimes whoever leads at that moment (faults on
// the leader are the interesting ones).
NodeRef random_target(base::Rng& rng, int n, int64_t leader_pct) {
    if (rng.chance(leader_pct, 100)) return sel_ref(NodeSelector::kLeader);
    return id_ref(random_node(rng, n));
}

Action random_partition(base::Rng& rng, int64_t t, int n) {
    Action a = make_step(t, ActionKind::kPartition);
    if (rng.chance(1, 2)) {
        a.isolate_leader_with = static_cast<int32_t>(rng.range(0, std::max(0, (n - 1) / 2)));
        return a;
    }
    std::vector<raft::NodeId> g0, g1;
    for (int i = 0; i < n; i++)
        (rng.chance(1, 2) ? g0 : g1).push_back(i);
    if (g0.empty()) {
        g0.push_back(g1.back());
        g1.pop_back();
    }
    if (g1.empty()) {
        g1.push_back(g0.back());
        g0.pop_back();
    }
    a.groups = {g0, g1};
    return a;
}

Action random_link(base::Rng& rng, int64_t t, ActionKind kind, int n) {
    Action a = make_step(t, kind);
    const raft::NodeId from = random_node(rng, n);
    raft::NodeId to = random_node(rng, n - 1);
    if (to >= from) to++;
    a.node = id_ref(from);
    a.to = id_ref(to);
    return a;
}

Action random_network(base::Rng& rng, int64_t t, const NetworkModel& base) {
    static constexpr int64_t kLossPpm[] = {0, 50'000, 200'000, 400'000};
    Action a = make_step(t, ActionKind::kSetNetwork);
    a.loss_ppm = kLossPpm[rng.below(4)];
    a.duplicate_ppm = rng.chance(1, 4) ? 20'000 : base.duplicate_ppm;
    if (rng.chance(1, 3)) {
        a.latency_us_min = base.latency_us_min;
        a.latency_us_max = base.latency_us_max * static_cast<int64_t>(rng.range(2, 10));
    }
    return a;
}

enum FaultKind : int {
    kFKill = 0,
    kFRestart,
    kFPause,
    kFResume,
    kFPartition,
    kFCut,
    kFClog,
    kFUnclog,
    kFHeal,
    kFNetwork,
    kFCampaign,
    kFSnapshot,
    kFKillBurst,
    kFCount,
    // Drawn only with FuzzOptions::membership (after the others, so that
    // schedules without it keep their draws).
    kFAddNode = kFCount,
    kFAddLearner,
    kFPromote,
    kFRemove,
    kFTransfer,
    kFAllCount
};
constexpr int64_t kFaultWeights[kFAllCount] = {14, 20, 6, 8, 14, 5, 4, 3, 8, 5, 6, 3, 14,
                                               // add_node, add_learner, promote, remove, transfer
                                               8, 5, 6, 10, 8};

// A membership change or a transfer, asked of whoever leads at t.
Action random_membership(base::Rng& rng, int64_t t, int kind, int n) {
    Action a = make_step(t, ActionKind::kAddNode);
    switch (kind) {
        case kFAddNode:
            break;  // the lowest spare
        case kFAddLearner:
            a.kind = ActionKind::kAddLearner;
            break;
        case kFPromote:
            // "random": a learner of the leader's configuration, when it has one.
            a.kind = ActionKind::kPromote;
            a.node =
                rng.chance(3, 4) ? sel_ref(NodeSelector::kRandom) : id_ref(random_node(rng, n));
            break;
        case kFRemove:
            a.kind = ActionKind::kRemoveNode;
            a.node = random_target(rng, n, 30);  // the leader, sometimes (§4.2.2)
            break;
        default:
            a.kind = ActionKind::kTransferLeader;
            a.node =
                rng.chance(1, 2) ? sel_ref(NodeSelector::kLeaderNext) : id_ref(random_node(rng, n));
            break;
    }
    return a;
}

// A crash in the middle of an election: the moment votes are granted and
// not yet durable. The election is provoked by killing the leader (votes
// come an election timeout later) or by forcing a campaign (votes come a
// round trip later); then some node, or every node, crashes.
void add_election_crash(base::Rng& rng, int64_t t, int64_t end_us, std::vector<Action>* out) {
    Action a = make_step(t, ActionKind::kKill);
    int64_t delay_us = 0;
    if (rng.chance(1, 2)) {
        a.node = sel_ref(NodeSelector::kLeader);
        delay_us = rng.range(150'000, 350'000);
    } else {
        a.kind = ActionKind::kCampaign;
        a.force = true;  // past leases: the burst disrupts a healthy leader
        a.node = sel_ref(NodeSelector::kRandom);  // a live node: the burst is not wasted
        delay_us = rng.range(3'000, 20'000);
    }
    out->push_back(a);
    Action b = make_step(std::max(t, std::min(end_us - 1, t + delay_us)), ActionKind::kKill);
    b.node = sel_ref(rng.chance(2, 3) ? NodeSelector::kAll : NodeSelector::kRandom);
    out->push_back(b);
}

// Appends one fault at time t (a burst appends two).
void add_fault(base::Rng& rng, int64_t t, int64_t end_us, const Scenario& base, bool membership,
               std::vector<Action>* out) {
    const int n = base.cluster.node_count;
    const int kind = draw_weighted(rng, kFaultWeights, membership ? kFAllCount : kFCount);
    if (kind >= kFCount) {
        out->push_back(random_membership(rng, t, kind, n));
        // A learner is usually promoted once caught up (thesis §4.2.1).
        if (kind == kFAddLearner && rng.chance(2, 3)) {
            const int64_t later = std::min(end_us - 1, t + rng.range(200'000, 800'000));
            Action p = make_step(std::max(t, later), ActionKind::kPromote);
            p.node = sel_ref(NodeSelector::kRandom);  // a learner of the leader's configuration
            out->push_back(p);
        }
        return;
    }
    Action a = make_step(t, ActionKind::kKill);
    switch (kind) {
        case kFKill:
            a.node = random_target(rng, n, 40);
            break;
        case kFRestart:
            a.kind = ActionKind::kRestart;
            a.node = rng.chance(1, 2) ? sel_ref(NodeSelector::kAll) : id_ref(random_node(rng, n));
            break;
        case kFPause:
            a.kind = ActionKind::kPause;
            a.node = random_target(rng, n, 40);
            break;
        case kFResume:
            a.kind = ActionKind::kResume;
            a.node = rng.chance(1, 2) ? sel_ref(NodeSelector::kAll) : id_ref(random_node(rng, n));
            break;
        case kFPartition:
            a = random_partition(rng, t, n);
            break;
        case kFCut:
            a = random_link(rng, t, ActionKind::kCutLink, n);
            break;
        case kFClog:
            a = random_link(rng, t, ActionKind::kClog, n);
            break;
        case kFUnclog:
            a = random_link(rng, t, ActionKind::kUnclog, n);
            break;
        case kFHeal:
            a.kind = ActionKind::kHeal;
            break;
        case kFNetwork:
            a = random_network(rng, t, base.network);
            break;
        case kFCampaign:
            a.kind = ActionKind::kCampaign;
            a.force = true;  // past leases, as every fuzz campaign was before the field
            a.node = id_ref(random_node(rng, n));
            break;
        case kFSnapshot:
            a.kind = ActionKind::kSnapshot;
            a.node = id_ref(random_node(rng, n));
            break;
        default:
            add_election_crash(rng, t, end_us, out);
            return;
    }
    out->push_back(a);
}

// Heal everything at t: network, its model, paused and crashed nodes.
void add_heal_steps(int64_t t, const NetworkModel& net, std::vector<Action>* out) {
    out->push_back(make_step(t, ActionKind::kHeal));
    Action model = make_step(t, ActionKind::kSetNetwork);
    model.loss_ppm = net.loss_ppm;
    model.duplicate_ppm = net.duplicate_ppm;
    model.latency_us_min = net.latency_us_min;
    model.latency_us_max = net.latency_us_max;
    out->push_back(model);
    Action resume = make_step(t, ActionKind::kResume);
    resume.node = sel_ref(NodeSelector::kAll);
    out->push_back(resume);
    Action restart = make_step(t, ActionKind::kRestart);
    restart.node = sel_ref(NodeSelector::kAll);
    out->push_back(restart);
}

}  // namespace

// ===========================================================================
// fault schedules
// ===========================================================================

Scenario fuzz_base_scenario() {
    Scenario s;
    s.name = "fuzz";
    s.description =
        "The fuzzer's base: a standard five-node cluster under a mixed client workload; the "
        "fuzzer adds a random fault schedule, then heals everything and checks convergence.";
    s.workload.clients = 10;
    s.workload.rate_per_s = 200;
    s.workload.keys = 100;
    s.duration_us = 6'000'000;
    return s;
}

std::vector<Action> random_faults(const Scenario& base, uint64_t seed, int64_t from_us,
                                  int64_t to_us, const FuzzOptions& o) {
    base::Rng rng = base::Rng::stream(seed, kStreamFuzz);
    std::vector<Action> out;
    if (base.cluster.node_count < 2) return out;
    int64_t t = from_us + rng.range(0, o.fault_gap_us_max);
    const size_t max_steps = static_cast<size_t>(std::max(0, o.faults_max));
    while (out.size() < max_steps) {
        if (t >= to_us) break;
        add_fault(rng, t, to_us, base, o.membership, &out);
        t += rng.range(o.fault_gap_us_min, std::max(o.fault_gap_us_min, o.fault_gap_us_max));
    }
    if (out.size() > max_steps) out.resize(max_steps);
    return out;
}

Scenario make_fuzz_scenario(const Scenario& base, uint64_t seed, const FuzzOptions& o) {
    Scenario s = base;
    const int64_t safety_us = o.safety_us > 0 ? o.safety_us : base.duration_us;
    s.name = base.name.size() <= 90 ? base.name + "-fuzz" : base.name;
    s.cluster.mutations |= o.mutations;
    if (o.membership && s.cluster.initial_voters == 0 && s.cluster.node_count < raft::kMaxNodes) {
        s.cluster.initial_voters = s.cluster.node_count;
        s.cluster.node_count = std::min(raft::kMaxNodes, s.cluster.node_count + 2);
    }
    s.duration_us = std::min(kMaxSimTimeUs, safety_us + o.liveness_us);
    s.timeline.clear();
    for (const Action& a : base.timeline) {
        if (a.at_us >= safety_us) continue;
        s.timeline.push_back(a);
        // A triggered step fires in the fault phase or not at all.
        Trigger& t = s.timeline.back().when;
        if (a.has_when && (t.until_us < 0 || t.until_us > safety_us)) t.until_us = safety_us;
    }
    const int64_t first = std::min(o.first_fault_us, safety_us);
    for (Action& a : random_faults(s, seed, first, safety_us, o))
        s.timeline.push_back(std::move(a));
    std::stable_sort(s.timeline.begin(), s.timeline.end(),
                     [](const Action& a, const Action& b) { return a.at_us < b.at_us; });
    add_heal_steps(safety_us, base.network, &s.timeline);
    Workload& w = s.workload;
    const int64_t stop = std::max<int64_t>(w.start_us, s.duration_us - o.settle_us);
    if (w.stop_us < 0 || w.stop_us > stop) w.stop_us = stop;
    s.expect_converged = true;
    return s;
}

// ===========================================================================
// verdicts
// ===========================================================================

const char* outcome_name(Outcome o) {
    switch (o) {
        case Outcome::kOk:
            return "ok";
        case Outcome::kSafety:
            return "safety";
        case Outcome::kLinearizability:
            return "linearizability";
        case Outcome::kLiveness:
            return "liveness";
    }
    return "?";
}

int outcome_exit_code(Outcome o) {
    switch (o) {
        case Outcome::kOk:
            return 0;
        case Outcome::kSafety:
        case Outcome::kLinearizability:
            return 1;
        case Outcome::kLiveness:
            return 2;
    }
    return 1;
}

Verdict judge(const World& world, const JudgeOptions& options) {
    Verdict v;
    v.t_us = world.now_us();
    if (!world.violations().empty()) {
        const Violation& x = world.violations().front();
        v.outcome = Outcome::kSafety;
        v.what = x.check + ": " + x.description;
        v.t_us = x.t_us;
        return v;
    }
    if (options.check_linearizability) {
        v.linearizability = check_linearizable(world.history(), options.lin_max_states);
        v.lin_checked = true;
        if (v.linearizability.verdict == LinResult::kViolation) {
            v.outcome = Outcome::kLinearizability;
            v.what = "linearizability: key " + v.linearizability.key + ": " +
                     v.linearizability.explanation;
            return v;
        }
    }
    std::string why;
    if (world.scenario().expect_converged && !converged(world, &why)) {
        v.outcome = Outcome::kLiveness;
        v.what = "liveness: " + why;
    }
    return v;
}

Verdict run_and_judge(std::shared_ptr<const Scenario> scenario, uint64_t seed,
                      const JudgeOptions& options, const std::string& reproduce) {
    World w(std::move(scenario), seed);
    if (!reproduce.empty()) w.set_reproduce_command(reproduce);
    w.record_trace = false;
    w.run_to_end();
    return judge(w, options);
}

}  // namespace sim
