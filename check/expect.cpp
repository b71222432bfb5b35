// check/expect.cpp — a scenario's expectations against a run (see expect.h).
#include "check/expect.h"

#include <algorithm>

#include "check/linearizability.h"
#include "sim/convergence.h"

namespace sim {

namespace {

std::vector<raft::NodeId> scope_of(const World& w, const ExpectAt& at) {
    if (!at.nodes.empty()) return at.nodes;
    std::vector<raft::NodeId> connected;
    for (size_t i = 0; i < w.nodes().size(); i++) {
        const auto id = static_cast<raft::NodeId>(i);
        if (w.nodes()[i].alive && !w.network().isolated(id)) connected.push_back(id);
    }
    return connected;
}

std::string moment(const ExpectAt& at) {
    return "at " + std::to_string(at.at_us / 1000) + " ms: ";
}

std::string check_leader(const World& w, const ExpectAt& at,
                         const std::vector<raft::NodeId>& scope) {
    raft::Term top = -1;
    for (raft::NodeId id : scope) {
        const NodeSlot& n = w.nodes()[static_cast<size_t>(id)];
        if (n.alive) top = std::max(top, n.node.current_term());
    }
    raft::NodeId leader = raft::kNone;
    for (raft::NodeId id : scope) {
        const NodeSlot& n = w.nodes()[static_cast<size_t>(id)];
        if (n.alive && n.node.role() == raft::Role::kLeader && n.node.current_term() == top)
            leader = id;
    }
    if (at.leader == 1 && leader == raft::kNone)
        return moment(at) + "expected a leader in term " + std::to_string(top) + ", found none";
    if (at.leader == 0 && leader != raft::kNone) {
        return moment(at) + "expected no leader, node " + std::to_string(leader) + " leads term " +
               std::to_string(top);
    }
    return "";
}

}  // namespace

std::string check_expect_at(const World& w, const ExpectAt& at) {
    const std::vector<raft::NodeId> scope = scope_of(w, at);
    if (at.leader >= 0) {
        if (std::string why = check_leader(w, at, scope); !why.empty()) return why;
    }
    for (raft::NodeId id : scope) {
        const NodeSlot& n = w.nodes()[static_cast<size_t>(id)];
        const std::string who = "node " + std::to_string(id);
        const raft::Index commit = n.node.commit_index();
        if (at.commit_index_min >= 0 && (!n.alive || commit < at.commit_index_min)) {
            return moment(at) + who +
                   (n.alive ? " committed " + std::to_string(commit) : " is down") +
                   ", expected at least " + std::to_string(at.commit_index_min);
        }
        if (at.commit_index_max >= 0 && n.alive && commit > at.commit_index_max) {
            return moment(at) + who + " committed " + std::to_string(commit) +
                   ", expected at most " + std::to_string(at.commit_index_max);
        }
        if (at.term_max >= 0 && n.node.current_term() > at.term_max) {
            return moment(at) + who + " is in term " + std::to_string(n.node.current_term()) +
                   ", expected at most " + std::to_string(at.term_max);
        }
    }
    return "";
}

ExpectReport run_expectations(std::shared_ptr<const Scenario> scenario, uint64_t seed,
                              uint64_t lin_states_max) {
    ExpectReport rep;
    World w(scenario, seed);
    w.record_trace = false;
    const Expectations& e = scenario->expect;
    for (const ExpectAt& at : e.at) {
        w.run_until(at.at_us);
        if (w.halted()) break;
        if (std::string why = check_expect_at(w, at); !why.empty()) rep.failures.push_back(why);
    }
    w.run_to_end();
    rep.digest = w.digest_hex();
    rep.events = w.events();
    for (const Violation& v : w.violations())
        rep.failures.push_back("safety: " + v.check + ": " + v.description);
    if (w.limit_reached()) rep.failures.push_back(std::string("limit: ") + w.limit_reached());
    std::string why;
    if (scenario->expect_converged && !converged(w, &why))
        rep.failures.push_back("not converged: " + why);
    if (e.linearizable) {
        const LinResult lin = check_linearizable(w.history(), lin_states_max);
        if (lin.verdict != LinResult::kOk)
            rep.failures.push_back("linearizable: " + lin.explanation);
    }
    const auto leaders = w.leaders();
    if (e.leader_within_us >= 0 && (leaders.empty() || leaders[0].at_us > e.leader_within_us)) {
        rep.failures.push_back(
            "no leader within " + std::to_string(e.leader_within_us / 1000) + " ms" +
            (leaders.empty() ? ""
                             : " (first at " + std::to_string(leaders[0].at_us / 1000) + " ms)"));
    }
    if (e.elections_min >= 0 && static_cast<int64_t>(leaders.size()) < e.elections_min) {
        rep.failures.push_back(std::to_string(leaders.size()) + " elections, expected at least " +
                               std::to_string(e.elections_min));
    }
    if (e.elections_max >= 0 && static_cast<int64_t>(leaders.size()) > e.elections_max) {
        rep.failures.push_back(std::to_string(leaders.size()) + " elections, expected at most " +
                               std::to_string(e.elections_max));
    }
    return rep;
}

}  // namespace sim
