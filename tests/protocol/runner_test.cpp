// tests/protocol/runner_test.cpp — the runner can fail: a wrong expectation,
// a malformed command and a missing separator are each reported with the
// file and line, and a rewrite turns a failing file into a passing one.
// (A runner that cannot fail checks nothing: STYLE.md rule 18.)
#include <gtest/gtest.h>

#include "tests/protocol/commands.h"

namespace protocol {
namespace {

// The failures that are not output mismatches (bad commands, bad files).
std::vector<Failure> errors(const FileResult& r) {
    std::vector<Failure> out;
    for (const Failure& f : r.failures) {
        if (!f.mismatch) out.push_back(f);
    }
    return out;
}

FileResult run(const std::string& text) {
    Env env;
    return run_file("fixture.txt", text,
                    [&](const Block& b, std::vector<std::string>* out, std::string* error) {
                        return execute(&env, b, out, error);
                    });
}

// A candidate's first Ready: its term, its vote to persist, the requests.
const char* kCampaign =
    "# header\n"
    "create 3 pre_vote=false check_quorum=false\n"
    "----\n"
    "0 follower term=0 vote=none leader=none commit=0 applied=0 persisted=0 last=(0,0) "
    "snapshot=0 unpersisted=0\n"
    "1 follower term=0 vote=none leader=none commit=0 applied=0 persisted=0 last=(0,0) "
    "snapshot=0 unpersisted=0\n"
    "2 follower term=0 vote=none leader=none commit=0 applied=0 persisted=0 last=(0,0) "
    "snapshot=0 unpersisted=0\n"
    "\n"
    "campaign 0\n"
    "----\n"
    "0 campaign\n"
    "  state candidate term=1 vote=0 leader=none commit=0\n"
    "  write hard_state term=1 vote=0\n"
    "  send 0->1 vote term=1 last_log=(0,0)\n"
    "  send 0->2 vote term=1 last_log=(0,0)\n";

TEST(ProtocolRunner, CorrectExpectationsPass) {
    const FileResult r = run(kCampaign);
    for (const Failure& f : r.failures)
        ADD_FAILURE() << f.message;
    EXPECT_EQ(r.rewritten, kCampaign);
}

TEST(ProtocolRunner, WrongExpectationIsDetectedWithLineAndDiff) {
    std::string text = kCampaign;
    // Claim the candidate did not bump its term: a wrong §5.2 expectation.
    text.replace(text.find("state candidate term=1"), 22, "state candidate term=0");
    const FileResult r = run(text);
    ASSERT_EQ(r.failures.size(), 1u);
    EXPECT_TRUE(r.failures[0].mismatch);
    EXPECT_EQ(r.failures[0].line, 8);
    const std::string& m = r.failures[0].message;
    EXPECT_NE(m.find("fixture.txt:8: output of 'campaign 0' differs"), std::string::npos) << m;
    EXPECT_NE(m.find("-   state candidate term=0"), std::string::npos) << m;
    EXPECT_NE(m.find("+   state candidate term=1"), std::string::npos) << m;
    EXPECT_NE(m.find("    send 0->1 vote"), std::string::npos) << m;  // kept lines shown
    // The rewrite restores the true output.
    EXPECT_EQ(r.rewritten, kCampaign);
}

TEST(ProtocolRunner, MalformedCommandNamesFileAndLine) {
    const std::vector<Failure> e = errors(run("create 3\n----\nok\n\ncampain 0\n----\nok\n"));
    ASSERT_EQ(e.size(), 1u);
    EXPECT_NE(e[0].message.find("fixture.txt:5: bad command 'campain 0': unknown command"),
              std::string::npos)
        << e[0].message;
}

TEST(ProtocolRunner, BadArgumentsAreErrors) {
    for (const char* bad :
         {"campaign 7", "deliver type=votes", "create 3 pre_vot=false", "propose 0",
          "tick-election x", "read-index 0 k", "create 3 voters=0", "create 3 voters=4",
          "create 3 joint=yes", "conf_change 0 add_voter", "conf_change 0 add_voter 3",
          "conf_change 0 demote 1", "conf_change 0 leave_joint 1", "conf_change 0", "transfer 0",
          "transfer 0 3", "transfer 0 1 2", "conf_change 0 remove 1 x=1"}) {
        std::string text = std::string("create 3\n----\nok\n\n") + bad + "\n----\nok\n";
        if (std::string(bad).rfind("create", 0) == 0) text = std::string(bad) + "\n----\nok\n";
        const std::vector<Failure> e = errors(run(text));
        ASSERT_EQ(e.size(), 1u) << bad;
        EXPECT_NE(e[0].message.find("bad command"), std::string::npos) << e[0].message;
    }
}

TEST(ProtocolRunner, MissingSeparatorIsAnError) {
    const FileResult r = run("create 3\n----\nok\n\ncampaign 0\n\n");
    ASSERT_EQ(r.failures.size(), 1u);
    EXPECT_NE(r.failures[0].message.find("fixture.txt:5: command 'campaign 0' has no ----"),
              std::string::npos)
        << r.failures[0].message;
}

TEST(ProtocolRunner, BadInitialLogIsAnError) {
    const FileResult r = run("create 3\n0: term=1 log=(2,1)\n----\nok\n");
    ASSERT_EQ(r.failures.size(), 1u);
    EXPECT_NE(r.failures[0].message.find("must not decrease"), std::string::npos);
}

TEST(ProtocolRunner, LineDiffMarksChanges) {
    EXPECT_EQ(line_diff({"a", "b", "c"}, {"a", "x", "c"}), "  a\n- b\n+ x\n  c\n");
}

}  // namespace
}  // namespace protocol
