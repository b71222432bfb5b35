// tests/unit/golden_test.cpp — golden runs: every built-in scenario at fixed
// seeds must reproduce its recorded digest and run summary
// (tests/golden/NAME.json).
//
// A changed digest fails with a line diff of the summary, so a reviewer sees
// what the change did to the run (which node, which term, how many
// messages). Regenerate after an intended change with
//   RAFTPLAY_REGOLD=1 build/native/raftplay_tests --gtest_filter='*Golden*'
// and review the diff of tests/golden/ like code (etcd's datadriven style).
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "check/linearizability.h"
#include "format/scenario_json.h"
#include "format/summary.h"
#include "sim/world.h"

namespace sim {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kGoldenSeeds[] = {1, 2};
constexpr uint64_t kLinStates = 2'000'000;  // a state budget: deterministic verdicts

std::string source_dir() {
    return RAFTPLAY_SOURCE_DIR;
}
std::string golden_path(const std::string& name) {
    return source_dir() + "/tests/golden/" + name + ".json";
}

std::vector<std::string> builtin_names() {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(source_dir() + "/scenarios")) {
        if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

bool regold() {
    const char* v = std::getenv("RAFTPLAY_REGOLD");
    return v != nullptr && std::string(v) == "1";
}

// One run's summary without wall-time fields, pretty-printed.
std::string golden_summary(const std::string& name, uint64_t seed, std::string* digest) {
    auto s = std::make_shared<Scenario>();
    std::string err;
    EXPECT_TRUE(
        load_scenario_file(source_dir() + "/scenarios/" + name + ".json", {}, s.get(), &err))
        << err;
    World w(s, seed);
    w.record_trace = false;
    w.run_to_end();
    const LinResult lin = check_linearizable(w.history(), kLinStates);
    SummaryOptions so;
    so.linearizability = &lin;
    so.wall_time = false;
    *digest = w.digest_hex();
    return summary_json(w, so);
}

std::string pretty(const rapidjson::Value& v) {
    rapidjson::StringBuffer buf;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
    w.SetIndent(' ', 2);
    v.Accept(w);
    return buf.GetString();
}

std::vector<std::string> lines(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string l; std::getline(in, l);)
        out.push_back(l);
    return out;
}

// A unified-style line diff (LCS), at most max_lines lines of output.
std::string line_diff(const std::string& want, const std::string& got, size_t max_lines = 80) {
    const std::vector<std::string> a = lines(want), b = lines(got);
    std::vector<std::vector<int>> lcs(a.size() + 1, std::vector<int>(b.size() + 1, 0));
    for (size_t i = a.size(); i-- > 0;) {
        for (size_t j = b.size(); j-- > 0;) {
            lcs[i][j] =
                a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
        }
    }
    std::string out;
    size_t shown = 0, i = 0, j = 0;
    auto emit = [&](char tag, const std::string& l) {
        if (shown++ < max_lines) out += std::string(1, tag) + " " + l + "\n";
    };
    while (i < a.size() || j < b.size()) {
        if (i < a.size() && j < b.size() && a[i] == b[j]) {
            i++, j++;
        } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
            emit('+', b[j++]);
        } else {
            emit('-', a[i++]);
        }
    }
    if (shown > max_lines) out += "... (" + std::to_string(shown - max_lines) + " more lines)\n";
    return out;
}

void write_golden(const std::string& name) {
    rapidjson::Document doc(rapidjson::kObjectType);
    auto& alloc = doc.GetAllocator();
    doc.AddMember("scenario", rapidjson::Value(name.c_str(), alloc), alloc);
    rapidjson::Value runs(rapidjson::kArrayType);
    for (uint64_t seed : kGoldenSeeds) {
        std::string digest;
        const std::string summary = golden_summary(name, seed, &digest);
        rapidjson::Value run(rapidjson::kObjectType);
        run.AddMember("seed", seed, alloc);
        run.AddMember("digest", rapidjson::Value(digest.c_str(), alloc), alloc);
        rapidjson::Document sd(&alloc);
        sd.Parse(summary.c_str());
        run.AddMember("summary", rapidjson::Value(sd, alloc), alloc);
        runs.PushBack(run, alloc);
    }
    doc.AddMember("runs", runs, alloc);
    fs::create_directories(source_dir() + "/tests/golden");
    std::ofstream(golden_path(name)) << pretty(doc) << "\n";
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, DigestAndSummaryMatchRecording) {
    const std::string name = GetParam();
    if (regold()) write_golden(name);
    std::ifstream in(golden_path(name));
    ASSERT_TRUE(in.good()) << golden_path(name)
                           << " is missing: record it with RAFTPLAY_REGOLD=1 (see the file header)";
    std::stringstream ss;
    ss << in.rdbuf();
    rapidjson::Document doc;
    doc.Parse(ss.str().c_str());
    ASSERT_FALSE(doc.HasParseError()) << golden_path(name) << ": not valid JSON";
    ASSERT_TRUE(doc.HasMember("runs") && doc["runs"].IsArray());
    ASSERT_EQ(doc["runs"].Size(), std::size(kGoldenSeeds)) << "regold: the seed list changed";
    for (const auto& run : doc["runs"].GetArray()) {
        const uint64_t seed = run["seed"].GetUint64();
        std::string digest;
        rapidjson::Document got;
        got.Parse(golden_summary(name, seed, &digest).c_str());
        const std::string want_text = pretty(run["summary"]), got_text = pretty(got);
        EXPECT_EQ(run["digest"].GetString(), digest)
            << name << " seed " << seed
            << ": the digest changed. Summary diff (- recorded, + now):\n"
            << line_diff(want_text, got_text)
            << "If the change is intended: RAFTPLAY_REGOLD=1 build/native/raftplay_tests "
               "--gtest_filter='*Golden*' and review git diff tests/golden/";
        EXPECT_TRUE(want_text == got_text) << name << " seed " << seed << ": summary changed:\n"
                                           << line_diff(want_text, got_text);
    }
}

INSTANTIATE_TEST_SUITE_P(Builtin, Golden, ::testing::ValuesIn(builtin_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                             std::string n = info.param;
                             std::replace(n.begin(), n.end(), '-', '_');
                             return n;
                         });

TEST(GoldenFiles, EveryRecordingHasItsScenario) {
    const std::vector<std::string> names = builtin_names();
    for (const auto& e : fs::directory_iterator(source_dir() + "/tests/golden")) {
        const std::string stem = e.path().stem().string();
        EXPECT_TRUE(std::find(names.begin(), names.end(), stem) != names.end())
            << e.path() << " has no scenarios/" << stem << ".json: delete it";
    }
}

TEST(GoldenDiff, ShowsChangedLines) {
    const std::string d = line_diff("a\nb\nc\n", "a\nx\nc\n");
    EXPECT_NE(d.find("- b"), std::string::npos) << d;
    EXPECT_NE(d.find("+ x"), std::string::npos) << d;
    EXPECT_EQ(d.find("a"), std::string::npos) << d;
}

}  // namespace
}  // namespace sim
