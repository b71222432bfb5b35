// tests/unit/world_assert_test.cpp — a failed ASSERT inside a simulated run
// names the run: scenario, seed, moment, and the command that reproduces it
// (World::RunScope's base::AssertContext). The failure is provoked with an
// input no reader would let through (an action kind out of range), which the
// world treats as the programmer error it is.
#include <gtest/gtest.h>

#include "sim/world.h"

namespace sim {
namespace {

std::shared_ptr<Scenario> small(const char* name) {
    auto s = std::make_shared<Scenario>();
    s->name = name;
    s->cluster.node_count = 3;
    s->duration_us = 2'000'000;
    return s;
}

Action invalid_action(int64_t at_us) {
    Action a;
    a.at_us = at_us;
    a.kind = ActionKind::kCount;  // not an action: checked inputs never hold it
    return a;
}

TEST(WorldAssertDeathTest, FailedAssertPrintsSeedAndReproduceCommand) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    auto s = small("leader-failure");
    s->timeline = {invalid_action(500'000)};
    EXPECT_DEATH(
        {
            World w(s, 4242);
            w.run_to_end();
        },
        "assertion failed(.|\n)*scenario 'leader-failure', seed 4242, at t=500000 us"
        "(.|\n)*reproduce: raftplay run leader-failure --seed 4242");
}

TEST(WorldAssertDeathTest, SingleStepsAndTheCliCommandAreNamedToo) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    auto s = small("custom");
    EXPECT_DEATH(
        {
            World w(s, 7, {invalid_action(100'000)});
            w.set_reproduce_command("raftplay replay run.json");
            while (w.step(s->duration_us)) {
            }
        },
        "seed 7, at t=100000 us(.|\n)*reproduce: raftplay replay run.json");
}

TEST(WorldAssertDeathTest, InputsAreMentionedInTheDefaultCommand) {
    auto s = small("custom");
    World w(s, 9, {invalid_action(1'000'000)});
    EXPECT_EQ(w.reproduce_command().rfind("raftplay run custom --seed 9 (plus 1 user inputs", 0),
              0u)
        << w.reproduce_command();
}

}  // namespace
}  // namespace sim
