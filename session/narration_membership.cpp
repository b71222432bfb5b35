// session/narration_membership.cpp — membership changes (thesis ch. 4) and
// leadership transfer (§3.10) in plain words: the part of the narration
// (narration.cpp) that reads conf_change and transfer records and the
// configuration entries applied, with a small model of the configuration
// (ConfModel) kept from the changes the leaders accepted.
#include <cstdio>
#include <string>

#include "session/narration_internal.h"

namespace session::detail {

namespace {

const char* change_words(raft::ConfChangeType t) {
    switch (t) {
        case raft::ConfChangeType::kAddVoter:
            return "add n%d as a voter";
        case raft::ConfChangeType::kRemove:
            return "remove n%d";
        case raft::ConfChangeType::kAddLearner:
            return "add n%d as a learner";
        case raft::ConfChangeType::kPromote:
            return "promote learner n%d to voter";
        default:
            return "change the configuration (n%d)";
    }
}

std::string change_text(raft::ConfChangeType t, int32_t node) {
    char buf[96];
    std::snprintf(buf, sizeof buf, change_words(t), node);
    return buf;
}

std::string conf_refusal_words(raft::ConfRefusal why, int32_t lead) {
    switch (why) {
        case raft::ConfRefusal::kNotLeader:
            return lead >= 0 ? fmt("n%d is not the leader", lead)
                             : std::string("there is no leader to ask");
        case raft::ConfRefusal::kInFlight:
            return "the previous configuration change is not committed yet: one change at a time "
                   "(thesis §4.1)";
        case raft::ConfRefusal::kNotCommittedInTerm:
            return fmt(
                "n%d has not committed an entry of its own term yet: until it does, its "
                "configuration may be one an earlier leader never committed (thesis §4.1, the "
                "single-server bug)",
                lead);
        case raft::ConfRefusal::kTransferring:
            return "a leadership transfer is under way (§3.10)";
        case raft::ConfRefusal::kInvalid:
            return "it does not apply to this configuration (not a member, already one, or no "
                   "voter would remain)";
        default:
            return "refused";
    }
}

void apply_change(ConfModel& c, raft::ConfChangeType t, int32_t node) {
    const uint32_t b = 1u << node;
    switch (t) {
        case raft::ConfChangeType::kAddVoter:
        case raft::ConfChangeType::kPromote:
            c.voters |= b;
            c.learners &= ~b;
            break;
        case raft::ConfChangeType::kAddLearner:
            c.learners |= b;
            break;
        case raft::ConfChangeType::kRemove:
            c.voters &= ~b;
            c.learners &= ~b;
            break;
        default:
            break;
    }
    c.spares &= ~b;
}

// A leader appended a configuration entry, or refused to.
void conf_change_news(Group& g, const TraceRecord& r) {
    const auto type = static_cast<raft::ConfChangeType>(r.aux & 0xff);
    const auto why = static_cast<raft::ConfRefusal>(r.aux >> 8);
    const int32_t lead = r.node, target = r.peer;
    const std::string what = change_text(type, target);
    if (!is_node(target, g.n)) {
        g.say(NarrationKind::kMembership,
              fmt("the request to %s is refused: no spare server is left to add",
                  type == raft::ConfChangeType::kAddLearner ? "add a learner" : "add a server"));
        return;
    }
    if (why != raft::ConfRefusal::kNone) {
        g.say(NarrationKind::kMembership, fmt("the request to %s is refused: %s", what.c_str(),
                                              conf_refusal_words(why, lead).c_str()));
        return;
    }
    const bool voters_change =
        type != raft::ConfChangeType::kAddLearner &&
        !(type == raft::ConfChangeType::kRemove && ((g.conf->learners >> target) & 1u));
    g.conf->entries[r.index] = ConfModel::Note{type, target, false};
    apply_change(*g.conf, type, target);
    std::string text =
        fmt("n%d appends configuration entry %lld to %s", lead, ll(r.index), what.c_str());
    if (type == raft::ConfChangeType::kAddLearner) {
        text +=
            ": a learner receives the log but neither votes nor counts towards commits, so "
            "it catches up without slowing the cluster (thesis §4.2.1)";
    } else if (type == raft::ConfChangeType::kRemove && target == lead) {
        text +=
            ": it removes itself, goes on leading without counting its own vote, and steps "
            "down once the entry commits (thesis §4.2.2)";
    } else if (g.conf->joint_consensus && voters_change) {
        text +=
            ", by joint consensus: until C_new alone is committed, elections and commits "
            "need a majority of the old voters and of the new (thesis §4.3)";
    } else {
        text +=
            ": each server uses a configuration as soon as the entry is in its log, "
            "committed or not (thesis §4.1)";
    }
    g.say(NarrationKind::kMembership, std::move(text));
}

void transfer_news(Group& g, const TraceRecord& r) {
    const int32_t lead = r.node, target = r.peer;
    switch (static_cast<sim::TransferEvent>(r.aux)) {
        case sim::TransferEvent::kStarted:
            g.say(NarrationKind::kMembership,
                  fmt("n%d starts handing leadership to n%d: it takes no new client requests, "
                      "brings n%d's log up to date, then sends it TimeoutNow (§3.10)",
                      lead, target, target));
            break;
        case sim::TransferEvent::kCompleted:
            g.say(NarrationKind::kMembership,
                  fmt("the leadership transfer is complete: n%d leads term %lld, n%d follows "
                      "(§3.10)",
                      target, ll(r.term), lead));
            break;
        case sim::TransferEvent::kAborted:
            g.say(NarrationKind::kMembership,
                  r.index == lead
                      ? fmt("n%d gives up the transfer to n%d after an election timeout and "
                            "takes client requests again (§3.10)",
                            lead, target)
                      : fmt("the leadership transfer from n%d to n%d is over without it: n%lld "
                            "leads term %lld (§3.10)",
                            lead, target, ll(r.index), ll(r.term)));
            break;
        case sim::TransferEvent::kRefused:
            g.say(NarrationKind::kMembership,
                  fmt("the request to hand leadership to n%d is refused: %s", target,
                      static_cast<raft::ConfRefusal>(r.index) == raft::ConfRefusal::kInvalid
                          ? "it is not another voter of the configuration"
                          : conf_refusal_words(static_cast<raft::ConfRefusal>(r.index), lead)
                                .c_str()));
            break;
        default:
            break;
    }
}

// The leader applies a configuration entry: it is committed.
// (A leader removing itself applies it as it steps down: the role before.)
void conf_applied_news(Group& g, const TraceRecord& r) {
    if (!is_node(r.node, g.n)) return;
    const auto id = static_cast<size_t>(r.node);
    if (g.after[id].role != raft::Role::kLeader && g.before[id].role != raft::Role::kLeader) return;
    const auto it = g.conf->entries.find(r.index);
    if (it != g.conf->entries.end()) {
        if (it->second.told_committed) return;
        it->second.told_committed = true;
    }
    if (it == g.conf->entries.end()) {
        // Not a change anybody asked for: the leader's own C_new (§4.3).
        g.say(NarrationKind::kMembership,
              fmt("configuration entry %lld is committed: joint consensus is over, C_new alone "
                  "rules (thesis §4.3)",
                  ll(r.index)));
        return;
    }
    const bool joint_entry =
        g.conf->joint_consensus && it->second.type != raft::ConfChangeType::kAddLearner;
    g.say(NarrationKind::kMembership,
          joint_entry
              ? fmt("configuration entry %lld (%s) is committed in C_old,new: the leader now "
                    "appends C_new alone (thesis §4.3)",
                    ll(r.index), change_text(it->second.type, it->second.target).c_str())
              : fmt("configuration entry %lld (%s) is committed: the change is done and the next "
                    "may start (thesis §4.1)",
                    ll(r.index), change_text(it->second.type, it->second.target).c_str()));
}

// A leader that removed itself steps down once the removal commits.
void removed_leader_news(Group& g) {
    for (int id = 0; id < g.n; id++) {
        const TraceRecord* role = last_role(g.fx, id);
        if (role == nullptr || static_cast<raft::Role>(role->aux) != raft::Role::kFollower)
            continue;
        const NodeModel& was = g.before[static_cast<size_t>(id)];
        const NodeModel& now = g.after[static_cast<size_t>(id)];
        if (was.role != raft::Role::kLeader || now.term != was.term) continue;
        if ((g.conf->voters >> id) & 1u) continue;
        g.say(NarrationKind::kMembership,
              fmt("n%d steps down: the configuration without it is committed, and the remaining "
                  "voters elect a leader among themselves (thesis §4.2.2)",
                  id));
    }
}

}  // namespace

// TimeoutNow: the transfer's target campaigns at once.
void timeout_now_news(Group& g) {
    const int32_t id = g.in.node;
    const TraceRecord* role = last_role(g.fx, id);
    if (role == nullptr || static_cast<raft::Role>(role->aux) != raft::Role::kCandidate) return;
    g.say(NarrationKind::kElection,
          fmt("n%d gets TimeoutNow from n%d: it starts an election for term %lld at once, "
              "without pre-vote, and the others grant it despite their leases (§3.10)",
              id, g.in.peer, ll(g.after[static_cast<size_t>(id)].term)));
}

void membership_news(Group& g) {
    for (const TraceRecord& r : g.fx) {
        if (r.kind == TraceKind::kConfChange) conf_change_news(g, r);
        if (r.kind == TraceKind::kTransfer) transfer_news(g, r);
        if (r.kind == TraceKind::kApply && r.aux == static_cast<int64_t>(raft::EntryType::kConfig))
            conf_applied_news(g, r);
    }
    removed_leader_news(g);
}

}  // namespace session::detail
