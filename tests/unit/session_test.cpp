// tests/unit/session_test.cpp — the headless playground (session/) without a
// window: loading built-ins, playing, seeking, stepping, acting, the state
// JSON, the share fragment, run files and run archives. Every moment the
// session shows must be the moment a straight World::run_until reaches: the
// digests are compared.
#include "session/session.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "format/run_archive.h"
#include "format/scenario_json.h"
#include "rapidjson/document.h"
#include "sim/limits.h"

namespace session {
namespace {

// The digest a plain World reaches at the moment t (every event at or before t).
std::string straight_digest(const Session& s, int64_t t_us) {
    sim::World w(std::make_shared<const sim::Scenario>(s.world().scenario()), s.info().seed,
                 s.world().inputs());
    w.run_until(t_us);
    return w.digest_hex();
}

rapidjson::Document state_of(const Session& s, const ViewReport& view = {}) {
    rapidjson::Document d;
    d.Parse(s.state_json(view).c_str());
    EXPECT_FALSE(d.HasParseError());
    return d;
}

// Seeks and finishes any multi-frame work (no clock: budgets never run out).
void seek_now(Session& s, int64_t t_us) {
    s.seek(t_us);
    s.play(0);
    ASSERT_FALSE(s.busy());
}

sim::Action kill(int node) {
    sim::Action a;
    a.kind = sim::ActionKind::kKill;
    a.node = sim::NodeRef{sim::NodeSelector::kId, node};
    return a;
}

// A clock that moves 1 ms each time it is read: every budget runs out.
class TickingClock final : public Clock {
  public:
    double now_ms() const override { return t_ms_ += 1.0; }

  private:
    mutable double t_ms_ = 0;
};

TEST(Session, StartsOnTheDefaultScenarioPlaying) {
    Session s;
    EXPECT_EQ(s.info().builtin_name, "default");
    EXPECT_TRUE(s.info().playing);
    EXPECT_TRUE(s.info().error.empty());
    EXPECT_EQ(s.world().now_us(), 0);
    EXPECT_GE(s.info().builtins->size(), 10u);
}

TEST(Session, PlaysAtTheChosenSpeedToTheDigestOfAStraightRun) {
    Session s;
    ASSERT_TRUE(s.load_builtin("leader-failure", 7));
    s.set_speed_log10(0);  // 1x: a wall second is a simulated second
    for (int i = 0; i < 8; i++)
        s.play(0.25);
    EXPECT_EQ(s.world().now_us(), 2'000'000);
    EXPECT_EQ(s.world().digest_hex(), straight_digest(s, 2'000'000));
    s.play(10.0);  // a long stall advances by 0.25 s only
    EXPECT_EQ(s.world().now_us(), 2'250'000);
    s.set_visible(false);
    s.play(0.25);
    EXPECT_EQ(s.world().now_us(), 2'250'000);
    EXPECT_FALSE(state_of(s)["playing"].GetBool());
}

TEST(Session, PlaybackGoesOnPastTheScriptAndAnActionThereHappens) {
    Session s;
    ASSERT_TRUE(s.load_builtin("leader-failure", 2));
    const int64_t duration = s.world().scenario().duration_us;
    s.set_speed_log10(2);  // 100x: 25 s per 0.25 s frame
    for (int i = 0; i < 3; i++)
        s.play(0.25);
    EXPECT_GT(s.world().now_us(), duration);  // no wall at the duration
    EXPECT_TRUE(s.info().playing);
    EXPECT_TRUE(s.info().lin.checked);  // checked once, where the script ends
    EXPECT_NE(s.info().notice.find("script ends"), std::string::npos) << s.info().notice;
    const rapidjson::Document d = state_of(s);
    EXPECT_TRUE(d["checks"]["ok"].GetBool());
    EXPECT_STRNE(d["checks"]["linearizability"].GetString(), "not checked");
    EXPECT_EQ(d["end_us"].GetInt64(), duration + sim::kMaxOpenEndUs);
    // An action past the script happens, and a link replays it exactly.
    s.set_playing(false);
    const int64_t t = s.world().now_us();
    s.act(kill(0));
    EXPECT_FALSE(s.world().nodes()[0].alive);
    EXPECT_EQ(s.world().now_us(), t);
    seek_now(s, t + 2'000'000);
    EXPECT_EQ(s.world().digest_hex(), straight_digest(s, t + 2'000'000));
    Session copy;
    ASSERT_TRUE(copy.load_fragment(s.fragment()));
    copy.play(0);
    EXPECT_EQ(copy.world().now_us(), t + 2'000'000);
    EXPECT_EQ(copy.world().digest_hex(), s.world().digest_hex());
    EXPECT_TRUE(copy.info().error.empty()) << copy.info().error;
}

TEST(Session, TheOpenEndStopsPlaybackAndSaysWhy) {
    Session s;
    ASSERT_TRUE(s.load_builtin("default", 1));
    const int64_t end = s.info().end_us;
    seek_now(s, end + 1'000'000);  // clamped to the open end
    EXPECT_EQ(s.world().now_us(), end);
    s.set_playing(true);
    s.play(0.1);
    EXPECT_FALSE(s.info().playing);
    EXPECT_TRUE(s.info().at_end);
    EXPECT_NE(s.info().notice.find("as far as a run extends"), std::string::npos)
        << s.info().notice;
}

TEST(Session, SeeksBackAndForthToStraightRunDigests) {
    Session s;
    ASSERT_TRUE(s.load_builtin("leader-failure", 3));
    s.seek(5'000'000);  // past the horizon: reached over frames
    EXPECT_TRUE(s.busy());
    s.play(0);
    EXPECT_FALSE(s.busy());
    EXPECT_EQ(s.world().now_us(), 5'000'000);
    EXPECT_EQ(s.world().digest_hex(), straight_digest(s, 5'000'000));
    for (int64_t t : {1'000'000, 4'321'000, 0, 8'000'000, 3'000'000}) {
        seek_now(s, t);
        EXPECT_EQ(s.world().now_us(), t);
        EXPECT_EQ(s.world().digest_hex(), straight_digest(s, t)) << "t = " << t;
    }
    EXPECT_EQ(s.timeline().horizon_us(), 8'000'000);
}

TEST(Session, StepsForwardAndBackBetweenMoments) {
    Session s;
    ASSERT_TRUE(s.load_builtin("leader-failure", 4));
    seek_now(s, 3'000'000);
    const int64_t moment = s.world().trace().back().t_us;  // the last moment with events
    const int64_t events = s.world().events();
    s.step_forward();
    EXPECT_FALSE(s.info().playing);
    const int64_t next = s.world().now_us();
    EXPECT_GT(next, 3'000'000);
    EXPECT_GT(s.world().events(), events);
    EXPECT_EQ(s.world().digest_hex(), straight_digest(s, next));
    s.step_back();
    EXPECT_EQ(s.world().now_us(), moment);
    EXPECT_EQ(s.world().digest_hex(), straight_digest(s, moment));
}

TEST(Session, JumpsToMarkersFoundAhead) {
    Session s;
    ASSERT_TRUE(s.load_builtin("leader-failure", 5));
    s.set_playing(false);
    s.jump_next();  // nothing simulated yet: hunts for the first marker
    EXPECT_TRUE(s.busy());
    s.play(0);
    EXPECT_FALSE(s.busy());
    ASSERT_FALSE(s.insight().markers().empty());
    const int64_t first = s.insight().markers().front().t_us;
    EXPECT_GT(first, 0);
    EXPECT_EQ(s.world().now_us(), first);
    EXPECT_EQ(s.world().digest_hex(), straight_digest(s, first));
    s.jump_prev();
    EXPECT_EQ(s.world().now_us(), 0);
}

TEST(Session, ActKillsANodeAndTheStateJsonSaysSo) {
    Session s;
    ASSERT_TRUE(s.load_builtin("default", 1));
    seek_now(s, 2'000'000);
    s.act(kill(2));
    ASSERT_TRUE(s.info().error.empty()) << s.info().error;
    ASSERT_EQ(s.world().inputs().size(), 1u);
    EXPECT_EQ(s.world().inputs()[0].at_us, 2'000'000);
    EXPECT_FALSE(s.world().nodes()[2].alive);
    ViewReport view;
    view.selected_node = 2;
    view.spots_json = R"({"node.kill":[1,2,3,4]})";
    const rapidjson::Document d = state_of(s, view);
    EXPECT_STREQ(d["nodes"][2]["role"].GetString(), "crashed");
    EXPECT_FALSE(d["nodes"][2]["alive"].GetBool());
    EXPECT_EQ(d["inputs"].GetInt(), 1);
    EXPECT_EQ(d["t_us"].GetInt64(), 2'000'000);
    EXPECT_STREQ(d["digest"].GetString(), s.world().digest_hex().c_str());
    EXPECT_STREQ(d["scenario"].GetString(), "default");
    EXPECT_EQ(d["selected_node"].GetInt(), 2);
    EXPECT_STREQ(d["selected_msg_state"].GetString(), "none");
    EXPECT_TRUE(d["error"].IsNull());
    EXPECT_EQ(d["ui"]["node.kill"][3].GetDouble(), 4);
    EXPECT_STREQ(d["fragment"].GetString(), s.fragment().c_str());
    // The kill is in the input log: a straight run with it reaches the same world.
    seek_now(s, 3'500'000);
    EXPECT_EQ(s.world().digest_hex(), straight_digest(s, 3'500'000));
}

TEST(Session, FragmentRoundTripGivesTheSameMoment) {
    Session s;
    ASSERT_TRUE(s.load_builtin("leader-failure", 11));
    seek_now(s, 2'000'000);
    s.act(kill(1));
    seek_now(s, 4'500'000);
    const std::string fragment = s.fragment();
    Session t;
    ASSERT_TRUE(t.load_fragment("#" + fragment));
    EXPECT_FALSE(t.info().playing);  // a link with a cursor opens paused there
    t.play(0);
    EXPECT_EQ(t.world().now_us(), 4'500'000);
    EXPECT_EQ(t.world().digest_hex(), s.world().digest_hex());
    EXPECT_EQ(t.world().inputs().size(), 1u);
    EXPECT_EQ(t.info().builtin_name, "leader-failure");
    EXPECT_TRUE(t.info().error.empty()) << t.info().error;  // the link's digest matched
    EXPECT_EQ(t.fragment(), fragment);
}

TEST(Session, AFragmentWithAnotherDigestIsReported) {
    Session s;
    ASSERT_TRUE(s.load_builtin("leader-failure", 11));
    seek_now(s, 1'000'000);
    std::string fragment = s.fragment();
    const std::string digest = s.world().digest_hex();
    const size_t at = fragment.find(digest);
    ASSERT_NE(at, std::string::npos) << fragment;
    fragment.replace(at, 1, digest[0] == '0' ? "1" : "0");
    Session t;
    ASSERT_TRUE(t.load_fragment(fragment));
    t.play(0);
    EXPECT_NE(t.info().error.find("different version"), std::string::npos) << t.info().error;
}

TEST(Session, ABadFragmentFallsBackToTheDefaultScenario) {
    Session s;
    EXPECT_FALSE(s.load_fragment("s=no-such-scenario&seed=1"));
    EXPECT_FALSE(s.info().error.empty());
    EXPECT_EQ(s.info().builtin_name, "default");
    EXPECT_FALSE(state_of(s)["error"].IsNull());
}

TEST(Session, ActingInThePastForksAndUndoBringsTheFutureBack) {
    Session s;
    ASSERT_TRUE(s.load_builtin("leader-failure", 6));
    seek_now(s, 6'000'000);
    const std::string future = s.world().digest_hex();
    seek_now(s, 1'000'000);
    s.act(kill(0));
    EXPECT_TRUE(s.timeline().forked());
    EXPECT_EQ(s.info().fork_t_us, 1'000'000);
    EXPECT_TRUE(state_of(s)["forked"].GetBool());
    Command undo;
    undo.kind = CommandKind::kUndoFork;
    s.execute(undo);
    EXPECT_EQ(s.info().fork_t_us, -1);
    EXPECT_TRUE(s.world().inputs().empty());
    seek_now(s, 6'000'000);
    EXPECT_EQ(s.world().digest_hex(), future);
}

// Scrub back into the past, to a time between events, and act: the action
// takes effect at that very time, at once, and the link replays it.
TEST(Session, AnActionAfterScrubbingTakesEffectAtTheCursorAtOnce) {
    Session s;
    ASSERT_TRUE(s.load_builtin("leader-failure", 6));
    seek_now(s, 6'000'000);
    const int64_t t = 1'234'567;
    seek_now(s, t);
    ASSERT_EQ(s.world().now_us(), t);
    ASSERT_TRUE(s.world().nodes()[0].alive);
    s.act(kill(0));
    ASSERT_TRUE(s.info().error.empty()) << s.info().error;
    EXPECT_TRUE(s.timeline().forked());
    EXPECT_EQ(s.world().now_us(), t);  // the cursor stays
    EXPECT_EQ(s.info().fork_t_us, t);
    EXPECT_FALSE(s.world().nodes()[0].alive);  // visible in the same frame
    ASSERT_EQ(s.world().inputs().size(), 1u);
    EXPECT_EQ(s.world().inputs()[0].at_us, t);
    EXPECT_EQ(s.world().digest_hex(), straight_digest(s, t));
    Session copy;
    ASSERT_TRUE(copy.load_fragment(s.fragment()));
    copy.play(0);
    EXPECT_EQ(copy.world().now_us(), t);
    EXPECT_EQ(copy.world().digest_hex(), s.world().digest_hex());
    EXPECT_TRUE(copy.info().error.empty()) << copy.info().error;
    // Undoing the fork also keeps the cursor where it was.
    Command undo;
    undo.kind = CommandKind::kUndoFork;
    s.execute(undo);
    EXPECT_EQ(s.world().now_us(), t);
    EXPECT_TRUE(s.world().nodes()[0].alive);
}

TEST(Session, ATruncatedLinkKeepsItsScenarioAndSeedAndSaysWhatWasLeftOut) {
    Session s;
    ASSERT_TRUE(s.load_builtin("leader-failure", 11));
    seek_now(s, 2'000'000);
    s.act(kill(1));
    seek_now(s, 3'000'000);
    const std::string fragment = s.fragment();
    const size_t in = fragment.find("&in=");
    ASSERT_NE(in, std::string::npos) << fragment;
    Session t;
    EXPECT_FALSE(t.load_fragment(fragment.substr(0, in + 9)));  // cut inside the inputs
    EXPECT_EQ(t.info().builtin_name, "leader-failure");
    EXPECT_EQ(t.info().seed, 11u);
    EXPECT_TRUE(t.info().link_partial);
    EXPECT_NE(t.info().error.find("left out: the cursor (t), the digest (d) and the actions (in)"),
              std::string::npos)
        << t.info().error;
    EXPECT_TRUE(t.world().inputs().empty());
    EXPECT_TRUE(state_of(t)["link_partial"].GetBool());
    // An unreadable seed: the scenario stays, with the default seed.
    EXPECT_FALSE(t.load_fragment("v=1&s=figure-8&seed=12x&t=5"));
    EXPECT_EQ(t.info().builtin_name, "figure-8");
    EXPECT_EQ(t.info().seed, 1u);
    EXPECT_NE(t.info().error.find("the seed"), std::string::npos) << t.info().error;
    // Nothing readable: the default scenario, said so.
    EXPECT_FALSE(t.load_fragment("v=1&s=leader-fai"));
    EXPECT_EQ(t.info().builtin_name, "default");
    EXPECT_NE(t.info().error.find("showing the default scenario"), std::string::npos);
    // The next change is a history step and ends the partial state.
    t.act(kill(0));
    EXPECT_FALSE(t.info().link_partial);
}

TEST(Session, TheSpeedIsInTheLink) {
    Session s;
    ASSERT_TRUE(s.load_builtin("leader-failure", 4));
    EXPECT_EQ(s.fragment().find("speed="), std::string::npos);  // the default speed is implied
    s.set_speed_log10(0);
    seek_now(s, 1'000'000);
    const std::string fragment = s.fragment();
    EXPECT_NE(fragment.find("&speed=1"), std::string::npos) << fragment;
    Session t;
    ASSERT_TRUE(t.load_fragment(fragment));
    t.play(0);
    EXPECT_NEAR(t.info().speed_log10, 0.f, 1e-4f);
    EXPECT_EQ(t.fragment(), fragment);
    EXPECT_FALSE(t.load_fragment("v=1&s=default&seed=2&speed=fast"));
    EXPECT_EQ(t.info().seed, 2u);
    EXPECT_NE(t.info().error.find("speed: expected"), std::string::npos) << t.info().error;
}

TEST(Session, EveryActionIsAHistoryStepThatUndoesAndRedoes) {
    Session s;
    ASSERT_TRUE(s.load_builtin("leader-failure", 5));
    seek_now(s, 1'500'000);
    const std::string before = s.fragment();
    const uint64_t generation = s.history_generation();
    s.act(kill(2));
    EXPECT_EQ(s.history_generation(), generation + 1);
    EXPECT_EQ(s.fragment_before_change(), before);  // the entry the page leaves
    const std::string after = s.fragment();
    Command undo;
    undo.kind = CommandKind::kUndo;
    s.execute(undo);
    s.play(0);
    EXPECT_EQ(s.fragment(), before);
    EXPECT_TRUE(s.world().nodes()[2].alive);
    Command redo;
    redo.kind = CommandKind::kRedo;
    s.execute(redo);
    s.play(0);
    EXPECT_EQ(s.fragment(), after);
    EXPECT_FALSE(s.world().nodes()[2].alive);
    // A new seed is a step too; in the page the browser keeps the entries.
    Command restart;
    restart.kind = CommandKind::kRestart;
    restart.seed = 99;
    s.execute(restart);
    EXPECT_EQ(s.history_generation(), generation + 2);  // undo and redo load, step nothing
    s.set_browser_history(true);
    s.execute(undo);
    EXPECT_EQ(s.take_history_request(), -1);
    EXPECT_EQ(s.info().seed, 99u);  // the page goes back, and loads that entry
}

TEST(Session, AnImpossibleActionIsAnErrorAndChangesNothing) {
    Session s;
    ASSERT_TRUE(s.load_builtin("default", 1));
    seek_now(s, 500'000);
    const std::string digest = s.world().digest_hex();
    s.act(kill(99));
    EXPECT_NE(s.info().error.find("not possible"), std::string::npos) << s.info().error;
    EXPECT_TRUE(s.world().inputs().empty());
    EXPECT_EQ(s.world().digest_hex(), digest);
}

TEST(Session, ImportsARunFileAndAScenarioFile) {
    Session s;
    ASSERT_TRUE(s.load_builtin("leader-failure", 9));
    seek_now(s, 2'500'000);
    s.act(kill(3));
    seek_now(s, 3'200'000);
    const std::string run_file = s.run_file_json();

    Session t;
    ASSERT_TRUE(t.import_text(run_file, "x.run.json"));
    t.play(0);
    EXPECT_EQ(t.world().now_us(), 3'200'000);
    EXPECT_EQ(t.world().digest_hex(), s.world().digest_hex());
    EXPECT_EQ(t.info().seed, 9u);
    EXPECT_EQ(t.info().builtin_name, "leader-failure");
    EXPECT_EQ(t.info().notice, "Imported run x.run.json");

    std::ifstream in(std::string(RAFTPLAY_SOURCE_DIR) + "/scenarios/partition-leader.json");
    std::stringstream text;
    text << in.rdbuf();
    ASSERT_TRUE(t.import_text(text.str(), "partition-leader.json"));
    EXPECT_EQ(t.info().builtin_name, "partition-leader");  // equal to the built-in
    EXPECT_EQ(t.info().seed, 9u);                          // the seed stays
    EXPECT_EQ(t.world().now_us(), 0);
}

TEST(Session, ABadImportKeepsTheRunAndSaysWhy) {
    Session s;
    ASSERT_TRUE(s.load_builtin("leader-failure", 9));
    seek_now(s, 1'000'000);
    const uint64_t generation = s.run_generation();
    EXPECT_FALSE(s.import_text(R"({"format": "raftplay-run", "seed": )", "bad.run.json"));
    EXPECT_FALSE(s.info().error.empty());
    EXPECT_FALSE(s.import_text("not json at all", "bad.json"));
    EXPECT_EQ(s.run_generation(), generation);
    EXPECT_EQ(s.world().now_us(), 1'000'000);
    EXPECT_EQ(s.info().builtin_name, "leader-failure");
}

TEST(Session, ExportHandsTheRunFileToThePlatformOnce) {
    Session s;
    ASSERT_TRUE(s.load_builtin("leader-failure", 3));
    seek_now(s, 1'000'000);
    s.export_run();
    std::string name, text;
    ASSERT_TRUE(s.take_download(&name, &text));
    EXPECT_EQ(name, "raftplay-leader-failure-seed3.run.json");
    EXPECT_EQ(text, s.run_file_json());
    EXPECT_FALSE(s.take_download(&name, &text));
    sim::RunFile run;
    std::string error;
    ASSERT_TRUE(sim::parse_run_file(text, name, &run, &error)) << error;
    EXPECT_EQ(run.digest, s.world().digest_hex());
    EXPECT_EQ(run.cursor_us, 1'000'000);
}

// A run with an action, simulated past its script's end (an open-ended
// archive), the cursor put back before its horizon.
void archived_run(Session& s, int64_t* horizon_us) {
    ASSERT_TRUE(s.load_builtin("leader-failure", 7));
    seek_now(s, 2'500'000);
    s.act(kill(2));
    *horizon_us = s.world().scenario().duration_us + 1'500'000;
    seek_now(s, *horizon_us);
    seek_now(s, 3'000'000);
}

TEST(Session, AnExportedArchiveOpensInAnotherSessionAtTheSameMoments) {
    Session a;
    int64_t horizon = 0;
    archived_run(a, &horizon);
    const std::string digest_at_cursor = a.world().digest_hex();
    const std::string bytes = a.run_archive_bytes();
    ASSERT_TRUE(sim::is_run_archive(bytes));
    EXPECT_EQ(a.world().now_us(), 3'000'000);  // the export leaves the cursor
    EXPECT_EQ(a.world().digest_hex(), digest_at_cursor);
    sim::RunArchive decoded;
    std::string error;
    ASSERT_TRUE(sim::decode_run_archive(bytes, "run.rpa", &decoded, &error)) << error;
    const sim::ArchiveCheck check = sim::verify_run_archive(decoded);  // as `raftplay replay`
    EXPECT_TRUE(check.ok) << check.error;
    EXPECT_EQ(decoded.end_us, horizon);

    Session b;
    ASSERT_TRUE(b.import_file(bytes, "run.rpa")) << b.info().error;
    EXPECT_TRUE(b.info().error.empty()) << b.info().error;
    EXPECT_EQ(b.info().notice.rfind("Opened archive run.rpa at its end", 0), 0u) << b.info().notice;
    EXPECT_FALSE(b.info().playing);
    EXPECT_FALSE(b.busy());
    EXPECT_EQ(b.info().builtin_name, "leader-failure");
    EXPECT_EQ(b.info().seed, 7u);
    EXPECT_EQ(b.world().now_us(), horizon);  // opens at the archive's end
    EXPECT_EQ(b.timeline().checkpoint_count(), a.timeline().checkpoint_count());
    EXPECT_EQ(b.world().digest_hex(), straight_digest(a, horizon));
    for (int64_t t : {int64_t(0), int64_t(1'234'567), int64_t(2'500'000), int64_t(3'000'000),
                      horizon - 1, horizon}) {
        seek_now(a, t);
        seek_now(b, t);
        EXPECT_EQ(b.world().now_us(), t);
        EXPECT_EQ(b.world().digest_hex(), a.world().digest_hex()) << "t = " << t;
        EXPECT_EQ(b.world().events(), a.world().events()) << "t = " << t;
        EXPECT_TRUE(state_of(b)["nodes"] == state_of(a)["nodes"]) << "t = " << t;
        EXPECT_EQ(b.fragment(), a.fragment()) << "t = " << t;
    }
    // Past the archive's end the run goes on, as a straight run does.
    seek_now(b, horizon + 700'000);
    EXPECT_EQ(b.world().digest_hex(), straight_digest(b, horizon + 700'000));
}

TEST(Session, AnOpenedArchiveExportsTheSameArchive) {
    Session a;
    ASSERT_TRUE(a.load_builtin("default", 4));
    seek_now(a, 2'345'678);  // the clock stands past the last event
    const std::string bytes = a.run_archive_bytes();
    Session b;
    ASSERT_TRUE(b.import_file(bytes, "a.rpa")) << b.info().error;
    EXPECT_EQ(b.world().now_us(), 2'345'678);
    for (int i = 0; i < 3; i++)
        b.step_back();
    // Stepping forward from a checkpoint leaves stale timers queued that a
    // straight run had popped: the clock must still reach the end.
    const std::string again = b.run_archive_bytes();
    EXPECT_TRUE(again == bytes) << again.size() << " bytes vs " << bytes.size();
}

TEST(Session, ExportArchiveHandsBinaryBytesToThePlatformOnce) {
    Session s;
    ASSERT_TRUE(s.load_builtin("leader-failure", 3));
    seek_now(s, 1'000'000);
    s.export_archive();
    std::string name, bytes, mime;
    ASSERT_TRUE(s.take_download(&name, &bytes, &mime));
    EXPECT_EQ(name, "raftplay-leader-failure-seed3.rpa");
    EXPECT_EQ(mime, "application/octet-stream");
    EXPECT_EQ(bytes, s.run_archive_bytes());  // the encoding is deterministic
    EXPECT_FALSE(s.take_download(&name, &bytes, &mime));
    s.export_run();
    ASSERT_TRUE(s.take_download(&name, &bytes, &mime));
    EXPECT_EQ(mime, "application/json");
}

TEST(Session, ATruncatedOrForeignArchiveIsANamedErrorAndKeepsTheRun) {
    Session a;
    int64_t horizon = 0;
    archived_run(a, &horizon);
    const std::string bytes = a.run_archive_bytes();

    Session s;
    ASSERT_TRUE(s.load_builtin("default", 5));
    seek_now(s, 1'000'000);
    const std::string digest = s.world().digest_hex();
    const uint64_t generation = s.run_generation();
    const auto kept = [&](const char* what) {
        EXPECT_EQ(s.run_generation(), generation) << what;
        EXPECT_EQ(s.info().builtin_name, "default") << what;
        EXPECT_EQ(s.world().now_us(), 1'000'000) << what;
        EXPECT_EQ(s.world().digest_hex(), digest) << what;
    };
    EXPECT_FALSE(s.import_file(bytes.substr(0, bytes.size() / 2), "cut.rpa"));
    EXPECT_EQ(s.info().error.rfind("cut.rpa: truncated at byte", 0), 0u) << s.info().error;
    kept("truncated");
    EXPECT_FALSE(s.import_file(bytes.substr(0, 20), "head.rpa"));
    EXPECT_NE(s.info().error.find("head.rpa"), std::string::npos) << s.info().error;
    EXPECT_NE(s.info().error.find("in the header"), std::string::npos) << s.info().error;
    kept("header");
    std::string flipped = bytes;
    flipped[flipped.size() - 100] ^= 0x5a;
    EXPECT_FALSE(s.import_file(flipped, "flip.rpa"));
    EXPECT_NE(s.info().error.find("checksum mismatch"), std::string::npos) << s.info().error;
    kept("corrupted");
    EXPECT_FALSE(s.import_archive("PK\x03\x04 a zip file", "foreign.zip"));
    EXPECT_NE(s.info().error.find("foreign.zip: not a raftplay archive"), std::string::npos)
        << s.info().error;
    kept("foreign");
}

TEST(Session, QueuedCommandsRunWhenApplied) {
    Session s;
    Command pause;
    pause.kind = CommandKind::kTogglePlay;
    Command load;
    load.kind = CommandKind::kLoadBuiltin;
    load.text = "figure-8";
    load.seed = 42;
    s.submit(pause);
    EXPECT_TRUE(s.info().playing);  // nothing runs before apply_commands
    s.submit(load);
    const uint64_t generation = s.run_generation();
    s.apply_commands();
    EXPECT_EQ(s.info().builtin_name, "figure-8");
    EXPECT_EQ(s.info().seed, 42u);
    EXPECT_TRUE(s.info().playing);  // loading a built-in plays it
    EXPECT_EQ(s.run_generation(), generation + 1);
    Command open;
    open.kind = CommandKind::kOpenFile;
    s.submit(open);
    s.apply_commands();
    EXPECT_TRUE(s.take_open_request());
    EXPECT_FALSE(s.take_open_request());
}

TEST(Session, AClockBudgetSpreadsFarSeeksOverFrames) {
    TickingClock clock;
    Session s(&clock);
    ASSERT_TRUE(s.load_builtin("leader-failure", 3));
    s.seek(6'000'000);
    int frames = 0;
    while (s.busy() && frames < 100'000) {
        s.play(0);
        frames++;
    }
    EXPECT_GT(frames, 1);  // a 12 ms budget of 1 ms ticks cannot do it at once
    EXPECT_EQ(s.world().now_us(), 6'000'000);
    EXPECT_EQ(s.world().digest_hex(), straight_digest(s, 6'000'000));
    s.set_playing(true);
    s.set_speed_log10(2);
    s.play(0.25);
    EXPECT_TRUE(s.info().budget_hit);  // behind real time, and says so
}

// A clock the test moves; each reading costs the simulation 2 ms (a 64-event
// chunk as slow as software WebGL frames make everything).
class CostlyClock final : public Clock {
  public:
    double now_ms() const override { return t_ms_ += 2.0; }
    void pass(double ms) { t_ms_ += ms; }

  private:
    mutable double t_ms_ = 0;
};

// Slow frames (100 ms, as 9 nodes in software WebGL): at 1x the simulated
// clock still follows the wall clock, because the simulation's budget is a
// share of the wall time that passed, not what a 7 ms frame would leave.
TEST(Session, PlaybackAt1xKeepsTimeWhenFramesAreSlow) {
    CostlyClock clock;
    Session s(&clock);
    ASSERT_TRUE(s.load_builtin("leader-failure", 3));
    s.set_speed_log10(0);
    for (int i = 0; i < 30; i++) {
        const int64_t events = s.world().events();
        s.play(0.1);
        clock.pass(90);  // the widgets and the rendering
        s.note_frame_ms(100);
        EXPECT_FALSE(s.info().budget_hit) << "frame " << i;
        // More than one chunk: a 1 ms share of a 7 ms frame would have stopped there.
        if (i > 5) EXPECT_GT(s.world().events() - events, 64) << "frame " << i;
    }
    EXPECT_EQ(s.world().now_us(), 3'000'000);
    EXPECT_EQ(s.world().digest_hex(), straight_digest(s, 3'000'000));
}

TEST(Session, FrameStatisticsReachTheStateJson) {
    Session s;
    for (double ms : {2.0, 4.0, 6.0})
        s.note_app_ms(ms);
    s.note_frame_ms(9.0);
    rapidjson::Document d = state_of(s);
    EXPECT_EQ(d["frames"].GetInt(), 3);
    EXPECT_EQ(d["first_frame_ms"].GetDouble(), 2.0);
    EXPECT_EQ(d["frame_ms"]["p50"].GetDouble(), 4.0);
    EXPECT_EQ(d["frame_total_ms"]["samples"].GetInt(), 1);
    s.reset_frame_stats();
    d = state_of(s);
    EXPECT_EQ(d["frame_ms"]["samples"].GetInt(), 0);
}

}  // namespace
}  // namespace session
