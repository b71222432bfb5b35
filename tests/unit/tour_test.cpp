// tests/unit/tour_test.cpp — guided tours: the scenario file's `tour` field
// (format/tour.h: parsing, validation, never part of the Scenario) and the
// tour's state machine in the session (session/tour.h, session_tour.cpp):
// chapters following the cursor, a task waiting for the user, "do it for
// me", pacing, and the chapter in the share link.
#include "format/tour.h"

#include <gtest/gtest.h>

#include <cmath>

#include "format/scenario_json.h"
#include "session/bug_hunts.h"
#include "session/session.h"

namespace session {
namespace {

const char* kBase = R"({"name": "t", "cluster": {"nodes": 3}, "duration_ms": 5000)";

std::string with_tour(const std::string& tour) {
    return std::string(kBase) + ", \"tour\": " + tour + "}";
}

std::string tour_error(const std::string& tour) {
    sim::Tour t;
    std::string error;
    EXPECT_FALSE(sim::parse_scenario_tour(with_tour(tour), "x.json", &t, &error)) << tour;
    sim::Scenario s;
    std::string scenario_error;
    EXPECT_FALSE(sim::parse_scenario(with_tour(tour), "x.json", {}, &s, &scenario_error));
    EXPECT_EQ(error, scenario_error) << "parse_scenario validates the tour too";
    return error;
}

TEST(TourFormat, ParsesChaptersTasksAndSpeeds) {
    const std::string text = with_tour(R"({"seed": 7, "group": "Bug hunts", "chapters": [
        {"title": "A", "at_ms": 0, "text": "one", "speed": 0.05},
        {"title": "B", "at_ms": 1500, "text": "two", "stop": true,
         "task": {"label": "Kill it", "do": "kill", "node": "leader"}},
        {"title": "C", "when": "violation", "text": "three"}]})");
    sim::Tour t;
    std::string error;
    ASSERT_TRUE(sim::parse_scenario_tour(text, "x.json", &t, &error)) << error;
    ASSERT_EQ(t.chapters.size(), 3u);
    EXPECT_EQ(t.seed, 7u);
    EXPECT_EQ(t.group, "Bug hunts");
    EXPECT_EQ(t.chapters[0].speed_milli, 50);
    EXPECT_EQ(t.chapters[1].at_us, 1'500'000);
    EXPECT_TRUE(t.chapters[1].stop);
    ASSERT_TRUE(t.chapters[1].has_task);
    EXPECT_EQ(t.chapters[1].task.label, "Kill it");
    EXPECT_EQ(t.chapters[1].task.action.kind, sim::ActionKind::kKill);
    EXPECT_EQ(t.chapters[1].task.action.node.sel, sim::NodeSelector::kLeader);
    EXPECT_EQ(t.chapters[2].when, sim::TourWhen::kViolation);
}

TEST(TourFormat, IsNotPartOfTheScenario) {
    sim::Scenario plain, toured;
    std::string error;
    ASSERT_TRUE(sim::parse_scenario(std::string(kBase) + "}", "x", {}, &plain, &error));
    ASSERT_TRUE(
        sim::parse_scenario(with_tour(R"({"chapters": [{"title": "A", "at_ms": 0, "text": "t"}]})"),
                            "x", {}, &toured, &error))
        << error;
    EXPECT_EQ(sim::scenario_to_json(plain), sim::scenario_to_json(toured));
}

TEST(TourFormat, BadValuesNameTheField) {
    EXPECT_NE(tour_error(R"({"chapters": []})").find("tour.chapters: a tour needs"),
              std::string::npos);
    EXPECT_NE(tour_error(R"({"chapters": [{"title": "A", "at_ms": 10, "text": "t"}]})")
                  .find("tour.chapters[0].at_ms: the first chapter starts at 0"),
              std::string::npos);
    EXPECT_NE(tour_error(R"({"chapters": [{"title": "A", "at_ms": 0, "text": "t"},
                                          {"title": "B", "at_ms": 0, "text": "t"}]})")
                  .find("tour.chapters[1].at_ms: "),
              std::string::npos);
    EXPECT_NE(tour_error(R"({"chapters": [{"title": "A", "at_ms": 9000, "text": "t"}]})")
                  .find("tour.chapters[0].at_ms"),
              std::string::npos);
    EXPECT_NE(tour_error(R"({"chapters": [{"title": "A", "at_ms": 0, "text": "t", "speed": 0}]})")
                  .find("tour.chapters[0].speed: expected a playback speed"),
              std::string::npos);
    EXPECT_NE(tour_error(R"({"chapters": [{"title": "A", "at_ms": 0, "text": "t",
                                          "when": "soon"}]})")
                  .find("tour.chapters[0].when: unknown moment"),
              std::string::npos);
    EXPECT_NE(tour_error(R"({"chapters": [{"title": "A", "at_ms": 0, "text": "t",
                                          "task": {"do": "kill", "node": 1}}]})")
                  .find("tour.chapters[0].task.label: required"),
              std::string::npos);
    EXPECT_NE(tour_error(R"({"chapters": [{"title": "A", "at_ms": 0, "text": "t",
                                          "task": {"label": "x", "do": "kill", "node": 9}}]})")
                  .find("tour.chapters[0].task.node: node id 9 out of range"),
              std::string::npos);
    EXPECT_NE(tour_error(R"({"chapters": [{"title": "A", "at_ms": 0, "text": "t",
                                          "task": {"label": "x", "do": "kill", "node": 1,
                                                   "at_ms": 3}}]})")
                  .find("tour.chapters[0].task"),
              std::string::npos);
    EXPECT_NE(tour_error(R"({"chapters": [{"at_ms": 0, "text": "t"}]})")
                  .find("tour.chapters[0].title: required"),
              std::string::npos);
    EXPECT_NE(tour_error(R"({"chapters": [{"title": "A", "at_ms": 0, "text": "t", "x": 1}]})")
                  .find("tour.chapters[0]"),
              std::string::npos);
}

TEST(TourFormat, EveryBuiltinRequiredByTheIssueHasATour) {
    for (const char* name :
         {"default", "follower-failure", "leader-failure", "all-nodes-failure",
          "partition-minority", "partition-leader", "figure-7", "figure-8", "pre-vote-rejoin",
          "check-quorum", "snapshot-catch-up", "bug-hunt-commit-old-term",
          "bug-hunt-ack-before-fsync", "bug-hunt-stale-vote", "membership-grow",
          "membership-shrink-leader", "transfer-under-load", "bug-hunt-single-server"}) {
        const BuiltinScenario* b = find_builtin(name);
        ASSERT_NE(b, nullptr) << name;
        EXPECT_GE(b->tour.chapters.size(), 3u) << name;
    }
}

// ---------------------------------------------------------------------------
// The session

void run_for(Session& s, double wall_s) {
    for (int i = 0; i < static_cast<int>(wall_s * 60); i++)
        s.play(1.0 / 60);
}

void do_cmd(Session& s, CommandKind kind, int index = 0) {
    Command c;
    c.kind = kind;
    c.index = index;
    s.execute(c);
}

Session& open_default(Session& s) {
    Command c;
    c.kind = CommandKind::kLoadBuiltin;
    c.text = "default";
    c.seed = 1;
    s.execute(c);
    return s;
}

TEST(TourSession, ThePickerStartsTheTourAtItsFirstChapterAndSpeed) {
    Session s;
    EXPECT_FALSE(s.tour().active()) << "the bare page shows no tour until asked";
    EXPECT_TRUE(s.tour().has_tour());
    open_default(s);
    EXPECT_TRUE(s.tour().active());
    EXPECT_EQ(s.tour().chapter(), 0);
    EXPECT_EQ(s.tour().progress(), "1 / 7");
    EXPECT_NEAR(std::pow(10.0, s.info().speed_log10), 0.05, 1e-4);
    EXPECT_NE(s.fragment().find("&tour=1"), std::string::npos);
}

TEST(TourSession, ChaptersFollowPlaybackAndATaskWaits) {
    Session s;
    open_default(s);
    do_cmd(s, CommandKind::kTourGo, 1);  // log replication at 0.8 s
    s.play(0);
    EXPECT_EQ(s.tour().chapter(), 1);
    EXPECT_EQ(s.world().now_us(), 800'000);
    EXPECT_TRUE(s.info().playing);
    run_for(s, 10);  // 0.3x: reaches 2.5 s, the task
    EXPECT_EQ(s.tour().chapter(), 2);
    EXPECT_TRUE(s.tour().waiting());
    EXPECT_FALSE(s.info().playing) << "a task pauses playback";
    s.set_playing(true);
    run_for(s, 5);
    EXPECT_EQ(s.tour().chapter(), 2) << "the tour waits for its task";
}

TEST(TourSession, TheUsersMatchingActionDoesTheTask) {
    Session s;
    open_default(s);
    do_cmd(s, CommandKind::kTourGo, 2);
    s.play(0);
    ASSERT_TRUE(s.tour().waiting());
    const raft::NodeId leader = s.world().leader();
    ASSERT_NE(leader, raft::kNone);
    sim::Action wrong;
    wrong.kind = sim::ActionKind::kKill;
    wrong.node = {sim::NodeSelector::kId, static_cast<raft::NodeId>((leader + 1) % 5)};
    s.act(wrong);
    EXPECT_TRUE(s.tour().waiting()) << "killing a follower is not killing the leader";
    sim::Action right = wrong;
    right.node.id = leader;
    s.act(right);
    EXPECT_FALSE(s.tour().waiting());
    EXPECT_TRUE(s.info().playing);
    run_for(s, 3);
    EXPECT_EQ(s.tour().chapter(), 3);
}

TEST(TourSession, DoItForMeSubmitsTheTask) {
    Session s;
    open_default(s);
    do_cmd(s, CommandKind::kTourGo, 2);
    s.play(0);
    const raft::NodeId leader = s.world().leader();
    do_cmd(s, CommandKind::kTourDoTask);
    EXPECT_FALSE(s.tour().waiting());
    ASSERT_EQ(s.world().inputs().size(), 1u);
    EXPECT_EQ(s.world().inputs()[0].kind, sim::ActionKind::kKill);
    EXPECT_FALSE(s.world().nodes()[static_cast<size_t>(leader)].alive);
}

TEST(TourSession, NextPrevAndScrubbingMoveTheChapter) {
    Session s;
    open_default(s);
    do_cmd(s, CommandKind::kTourNext);
    s.play(0);
    EXPECT_EQ(s.tour().chapter(), 1);
    do_cmd(s, CommandKind::kTourPrev);
    s.play(0);
    EXPECT_EQ(s.tour().chapter(), 0);
    EXPECT_EQ(s.world().now_us(), 0);
    do_cmd(s, CommandKind::kTourGo, 5);
    s.play(0);
    EXPECT_EQ(s.tour().chapter(), 5);
    s.seek(1'000'000);
    s.play(0);
    EXPECT_EQ(s.tour().chapter(), 1) << "back to the chapter the cursor is in";
}

TEST(TourSession, TheChapterRoundTripsThroughTheLink) {
    Session a;
    open_default(a);
    do_cmd(a, CommandKind::kTourGo, 2);
    a.play(0);
    do_cmd(a, CommandKind::kTourDoTask);
    run_for(a, 1);
    const std::string link = a.fragment();
    EXPECT_NE(link.find("&tour=" + std::to_string(a.tour().chapter() + 1)), std::string::npos);
    Session b;
    ASSERT_TRUE(b.load_fragment(link)) << b.info().error;
    while (b.busy())
        b.play(0);
    EXPECT_TRUE(b.tour().active());
    EXPECT_EQ(b.tour().chapter(), a.tour().chapter());
    EXPECT_FALSE(b.tour().waiting()) << "the link's inputs did the task";
    EXPECT_EQ(b.world().digest_hex(), a.world().digest_hex());
    EXPECT_EQ(b.fragment(), link);
}

TEST(TourSession, ALinkWithAChapterAndNoCursorOpensAtTheChapter) {
    Session s;
    ASSERT_TRUE(s.load_fragment("v=1&s=default&seed=2&tour=3")) << s.info().error;
    while (s.busy())
        s.play(0);
    s.play(0);
    EXPECT_EQ(s.tour().chapter(), 2);
    EXPECT_EQ(s.world().now_us(), 2'500'000);
    EXPECT_TRUE(s.tour().waiting());
    EXPECT_FALSE(s.info().playing);
}

TEST(TourSession, NoScenarioOpensWithItsFirstFaultAMinuteAway) {
    for (const BuiltinScenario& b : builtin_scenarios()) {
        Session s;
        Command c;
        c.kind = CommandKind::kLoadBuiltin;
        c.text = b.name;
        c.seed = 1;
        s.execute(c);
        if (b.scenario.timeline.empty()) continue;
        // Wall time to the first step, chapter by chapter at each one's speed.
        const int64_t first = b.scenario.timeline.front().at_us;
        double wall_s = 0;
        if (b.tour.empty()) {
            wall_s = static_cast<double>(first) / 1e6 / std::pow(10.0, s.info().speed_log10);
        } else {
            double speed = std::pow(10.0, s.info().speed_log10);
            int64_t at = 0;
            for (const sim::TourChapter& ch : b.tour.chapters) {
                if (ch.when != sim::TourWhen::kAt || ch.at_us >= first) break;
                if (ch.at_us > at) wall_s += static_cast<double>(ch.at_us - at) / 1e6 / speed;
                at = ch.at_us;
                if (ch.speed_milli > 0) speed = static_cast<double>(ch.speed_milli) / 1e3;
            }
            wall_s += static_cast<double>(first - at) / 1e6 / speed;
        }
        EXPECT_LT(wall_s, 30.0) << b.name;
    }
}

TEST(TourSession, ABadTourParameterKeepsTheRest) {
    Session s;
    EXPECT_FALSE(s.load_fragment("v=1&s=leader-failure&seed=3&tour=x"));
    EXPECT_EQ(s.info().builtin_name, "leader-failure");
    EXPECT_NE(s.info().error.find("tour: expected a chapter number"), std::string::npos);
    EXPECT_FALSE(s.tour().active());
}

TEST(TourSession, ABugHuntStopsAtTheViolation) {
    for (const char* name : {"bug-hunt-commit-old-term", "bug-hunt-single-server"}) {
        SCOPED_TRACE(name);
        const BuiltinScenario* b = find_builtin(name);
        ASSERT_NE(b, nullptr);
        Session s;
        Command c;
        c.kind = CommandKind::kLoadBuiltin;
        c.text = b->name;
        c.seed = b->tour.seed;
        s.execute(c);
        for (int i = 0; i < 60 * 120 && s.world().violations().empty(); i++)
            s.play(1.0 / 60);
        ASSERT_FALSE(s.world().violations().empty());
        s.play(1.0 / 60);
        EXPECT_EQ(s.tour().chapter(), s.tour().count() - 1);
        EXPECT_FALSE(s.info().playing);
    }
}

}  // namespace
}  // namespace session

namespace session {
namespace {

TEST(BugHunts, AMutationThatCannotShowSaysSo) {
    const BuiltinScenario* calm = find_builtin("default");
    ASSERT_NE(calm, nullptr);
    for (uint32_t bit :
         {raft::kMutAckBeforeFsync, raft::kMutCommitOldTerm, raft::kMutVoteWithoutPersist,
          raft::kMutSkipUpToDateCheck, raft::kMutSingleServerBug, raft::kMutConfOnCommit,
          raft::kMutCountLearnerVotes, raft::kMutTransferKeepsProposing}) {
        EXPECT_NE(mutation_cannot_show(calm->scenario, bit).find("cannot show here"),
                  std::string::npos)
            << raft::mutation_name(bit);
    }
    for (const BuiltinScenario& b : builtin_scenarios()) {
        if (b.tour.group != "Bug hunts") continue;
        EXPECT_NE(b.scenario.cluster.mutations, 0u) << b.name;
        EXPECT_EQ(mutations_notice(b.scenario), "") << b.name << " shows its broken rule";
    }
}

TEST(BugHunts, ApplyingAMutationWhereItCannotShowIsANotice) {
    Session s;
    auto sc = std::make_shared<sim::Scenario>(find_builtin("default")->scenario);
    sc->cluster.mutations = raft::kMutAckBeforeFsync;
    Command c;
    c.kind = CommandKind::kLoadScenario;
    c.scenario = sc;
    c.seed = 1;
    s.execute(c);
    EXPECT_NE(s.info().notice.find("ack_before_fsync cannot show here"), std::string::npos)
        << s.info().notice;
}

}  // namespace
}  // namespace session
