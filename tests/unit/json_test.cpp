// tests/unit/json_test.cpp — the format layer's one JSON reader and writer
// (format/json.h): the reader's error paths (every message names the field
// path and the reason), exact numbers, and the writer's promise that its
// bytes equal what rapidjson's Writer and PrettyWriter wrote before it
// replaced them (report dialect) and what the scenario writer wrote
// (canonical dialect).
#include "format/json.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "format/history_json.h"
#include "rapidjson/prettywriter.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "sim/limits.h"

namespace sim {
namespace {

JsonValue parse_ok(const std::string& text) {
    JsonValue v;
    std::string why;
    EXPECT_TRUE(parse_json(text, "", &v, &why)) << why;
    return v;
}

std::string parse_error(const std::string& text, const std::string& root = "") {
    JsonValue v;
    std::string why;
    EXPECT_FALSE(parse_json(text, root, &v, &why)) << text;
    return why;
}

// ---- the tree ---------------------------------------------------------------

TEST(JsonReader, SyntaxErrorsNameThePathLineAndColumn) {
    EXPECT_EQ(parse_error("{\"a\": {\"b\": [1, 2,, 3]}}"),
              "a.b[2]: invalid JSON at line 1, column 19 (offset 18): Invalid value.");
    EXPECT_EQ(parse_error("{\n  \"a\": 1\n  \"b\": 2\n}"),
              "invalid JSON at line 3, column 3 (offset 13): Missing a comma or '}' after an "
              "object member.");
    // A share link's parameter is the root: its name starts every path.
    EXPECT_EQ(parse_error("[{\"at_ms\": tru}]", "in"),
              "in[0].at_ms: invalid JSON at line 1, column 15 (offset 14): Invalid value.");
}

TEST(JsonReader, DuplicateKeysDepthNulAndEncodingAreRefused) {
    EXPECT_EQ(parse_error("{\"x\": {\"k\": 1, \"k\": 2}}"),
              "x.k: duplicate key at line 1, column 22 (offset 21)");
    std::string deep(kMaxJsonDepth + 1, '[');
    EXPECT_NE(parse_error(deep).find("nested deeper than 64 levels"), std::string::npos);
    EXPECT_EQ(parse_error(std::string("{\"a\": 1}\0{", 10), "sc"),
              "sc: invalid JSON: NUL byte at offset 8");
    EXPECT_NE(parse_error("[\"\xc3\"]").find("Invalid encoding in string."), std::string::npos);
}

TEST(JsonReader, TreeKeepsNumberTextAndDocumentOrder) {
    JsonValue v = parse_ok("{\"b\": 1.50, \"a\": [true, null, \"s\", -0.0e1]}");
    ASSERT_EQ(v.kind, JsonKind::kObject);
    ASSERT_EQ(v.members.size(), 2u);
    EXPECT_EQ(v.members[0].key, "b");
    EXPECT_EQ(v.find("b")->text, "1.50");
    const JsonValue& a = *v.find("a");
    ASSERT_EQ(a.items.size(), 4u);
    EXPECT_TRUE(a.items[0].boolean);
    EXPECT_EQ(a.items[1].kind, JsonKind::kNull);
    EXPECT_EQ(a.items[2].text, "s");
    EXPECT_EQ(a.items[3].text, "-0.0e1");
    EXPECT_EQ(v.find("c"), nullptr);
}

// ---- the readers --------------------------------------------------------------

// {"scenario": {"steps": [..., ..., ..., {"at": "soon"}]}} read field by field.
TEST(JsonReader, FieldErrorsNameTheFullPath) {
    JsonValue root = parse_ok(R"({"steps": [{}, {}, {}, {"at": "soon", "n": 3}]})");
    ReadCtx ctx{"scenario.json", ""};
    Fields top(&ctx, root, "scenario", {"steps"});
    const JsonValue* steps = top.get("steps");
    ASSERT_NE(steps, nullptr);
    ASSERT_TRUE(expect_array(ctx, *steps, top.path("steps"), 10));
    Fields step(&ctx, steps->items[3], item_path(top.path("steps"), 3), {"at", "n"});
    int64_t at_us = 7;
    step.millis("at", 0, kMaxSimTimeUs, &at_us);
    EXPECT_EQ(ctx.error,
              "scenario.json: scenario.steps[3].at: expected a time in ms, got a string");
    EXPECT_EQ(at_us, 7);  // untouched on failure
    // Once failed, every reader is a no-op and the first error stays.
    int n = 0;
    step.integer("n", 0, 1, &n);
    EXPECT_EQ(n, 0);
    EXPECT_EQ(ctx.error,
              "scenario.json: scenario.steps[3].at: expected a time in ms, got a string");
}

std::string field_error(const std::string& json, void (*read)(const Fields&)) {
    JsonValue root = parse_ok(json);
    ReadCtx ctx{"", ""};
    Fields f(&ctx, root, "s", {"a", "b"});
    if (ctx.ok()) read(f);
    return ctx.error;
}

TEST(JsonReader, EachReaderNamesItsReason) {
    auto integer = [](const Fields& f) {
        int64_t x = 0;
        f.integer("a", 1, 9, &x);
    };
    EXPECT_EQ(field_error(R"({"a": 12})", integer), "s.a: must be between 1 and 9, got 12");
    EXPECT_EQ(field_error(R"({"a": -1})", integer), "s.a: must not be negative, got -1");
    EXPECT_EQ(field_error(R"({"a": 2.5})", integer), "s.a: expected an integer, got 2.5");
    EXPECT_EQ(field_error(R"({"a": 1e300})", integer), "s.a: number 1e300 is too large");
    EXPECT_EQ(field_error(R"({"a": "1"})", integer), "s.a: expected an integer, got a string");
    EXPECT_EQ(field_error(R"({"c": 1})", integer), "s.c: unknown key (allowed: a, b)");
    EXPECT_EQ(field_error(R"([1])", integer), "s: expected an object, got an array");
    auto millis = [](const Fields& f) {
        int64_t lo = 0, hi = 0;
        f.millis_range("a", 0, 1'000'000, &lo, &hi);
    };
    EXPECT_EQ(field_error(R"({"a": [3, 2]})", millis), "s.a: min 3 ms is greater than max 2 ms");
    EXPECT_EQ(field_error(R"({"a": [1]})", millis),
              "s.a: expected [min, max] in ms, got an array of 1 item");
    EXPECT_EQ(field_error(R"({"a": [1, -2]})", millis), "s.a[1]: negative time -2 ms");
    EXPECT_EQ(field_error(R"({"a": [1, 1001]})", millis),
              "s.a[1]: must be between 0 and 1000 ms, got 1001");
    auto fraction = [](const Fields& f) {
        int64_t ppm = 0;
        f.fraction("a", &ppm);
    };
    EXPECT_EQ(field_error(R"({"a": 1.5})", fraction),
              "s.a: expected a fraction between 0 and 1, got 1.5");
    auto string = [](const Fields& f) {
        std::string s;
        f.string("a", 3, true, &s);
        f.require("b");
    };
    EXPECT_EQ(field_error(R"({"a": "long"})", string), "s.a: too long (4 bytes, at most 3)");
    EXPECT_EQ(field_error(R"({"a": ""})", string), "s.a: must not be empty");
    EXPECT_EQ(field_error(R"({"a": "ok"})", string), "s.b: required");
    auto boolean = [](const Fields& f) {
        bool b = false;
        f.boolean("a", &b);
    };
    EXPECT_EQ(field_error(R"({"a": 1})", boolean), "s.a: expected true or false, got a number");
}

TEST(JsonReader, HostileKeysAndValuesAreShownBoundedAndPrintable) {
    JsonValue root = parse_ok("{\"" + std::string("k\\u0001") + std::string(98, 'k') + "\": 1}");
    ReadCtx ctx{"", ""};
    Fields f(&ctx, root, "", {"a"});
    EXPECT_EQ(ctx.error, "k?" + std::string(38, 'k') + "...: unknown key (allowed: a)");
    JsonValue s = parse_ok("\"" + std::string(50, 'v') + "\"");
    EXPECT_EQ(shown(s), "\"" + std::string(40, 'v') + "...\"");
}

TEST(JsonReader, ArraysAreBounded) {
    JsonValue v = parse_ok("[1, 2, 3]");
    ReadCtx ctx{"f", ""};
    EXPECT_FALSE(expect_array(ctx, v, "xs", 2));
    EXPECT_EQ(ctx.error, "f: xs: too many items (3, at most 2)");
}

// ---- numbers ---------------------------------------------------------------------

TEST(JsonNumbers, ScaleExactlyAndRoundHalfAwayFromZero) {
    int64_t out = 0;
    EXPECT_EQ(scale_decimal("1.5", 3, &out), NumStatus::kOk);
    EXPECT_EQ(out, 1500);
    EXPECT_EQ(scale_decimal("1000000e-6", 0, &out), NumStatus::kOk);
    EXPECT_EQ(out, 1);
    EXPECT_EQ(scale_decimal("0.0005", 3, &out), NumStatus::kRounded);
    EXPECT_EQ(out, 1);
    EXPECT_EQ(scale_decimal("-0.0005", 3, &out), NumStatus::kRounded);
    EXPECT_EQ(out, -1);
    EXPECT_EQ(scale_decimal("1e18", 0, &out), NumStatus::kTooLarge);
    EXPECT_EQ(scale_decimal("1e99999999999", 0, &out), NumStatus::kTooLarge);
    EXPECT_EQ(scale_decimal("1e-99999999999", 0, &out), NumStatus::kRounded);
    EXPECT_EQ(out, 0);
    uint64_t u = 0;
    EXPECT_TRUE(parse_u64("18446744073709551615", &u));
    EXPECT_EQ(u, UINT64_MAX);
    EXPECT_FALSE(parse_u64("18446744073709551616", &u));
    EXPECT_FALSE(parse_u64("-1", &u));
    EXPECT_EQ(format_scaled(1500, 3), "1.5");
    EXPECT_EQ(format_scaled(-250, 6), "-0.00025");
    EXPECT_EQ(format_ms(INT64_MIN + 1), "-9223372036854775.807");
}

// ---- the writer ------------------------------------------------------------------

// A pseudo-random tree with every kind, control characters and non-ASCII
// bytes in strings, and empty containers (splitmix64).
struct Gen {
    uint64_t s;
    uint64_t next() {
        uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    std::string text() {
        static const char kChars[] = "ab\"\\\b\f\n\r\t\x01\x1f\x7f/\xc3\xa9 ";
        std::string out;
        for (uint64_t n = next() % 6; n > 0; --n)
            out += kChars[next() % (sizeof kChars - 1)];
        return out;
    }
};

// Writes the same random tree to our writer and to a rapidjson writer.
template <class RapidWriter>
void write_both(Gen& g, int depth, JsonWriter& ours, RapidWriter& theirs) {
    const uint64_t pick = depth > 3 ? g.next() % 5 : g.next() % 7;
    if (pick == 0) {
        const int64_t v = static_cast<int64_t>(g.next());
        ours.integer(v);
        theirs.Int64(v);
    } else if (pick == 1) {
        const std::string s = g.text();
        ours.string(s);
        theirs.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    } else if (pick == 2) {
        const bool b = g.next() & 1;
        ours.boolean(b);
        theirs.Bool(b);
    } else if (pick == 3) {
        ours.null();
        theirs.Null();
    } else if (pick == 4) {
        const uint64_t v = g.next();
        ours.uinteger(v);
        theirs.Uint64(v);
    } else if (pick == 5) {
        ours.begin_array();
        theirs.StartArray();
        for (uint64_t n = g.next() % 4; n > 0; --n)
            write_both(g, depth + 1, ours, theirs);
        ours.end_array();
        theirs.EndArray();
    } else {
        ours.begin_object();
        theirs.StartObject();
        for (uint64_t n = g.next() % 4; n > 0; --n) {
            const std::string k = g.text();
            ours.key(k);
            theirs.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
            write_both(g, depth + 1, ours, theirs);
        }
        ours.end_object();
        theirs.EndObject();
    }
}

TEST(JsonWriter, ReportDialectEqualsRapidjsonByteForByte) {
    for (uint64_t seed = 1; seed <= 300; ++seed) {
        Gen g{seed};
        rapidjson::StringBuffer compact_buf, pretty_buf;
        rapidjson::Writer<rapidjson::StringBuffer> compact(compact_buf);
        rapidjson::PrettyWriter<rapidjson::StringBuffer> pretty(pretty_buf);
        pretty.SetIndent(' ', 2);
        JsonWriter ours_compact(JsonDialect::kReport);
        JsonWriter ours_pretty(JsonDialect::kReport, JsonWriter::kPretty);
        Gen g2{seed};
        // One top-level object so that both writers see a complete document.
        ours_compact.begin_object().key("v");
        compact.StartObject();
        compact.Key("v");
        write_both(g, 0, ours_compact, compact);
        ours_compact.end_object();
        compact.EndObject();
        ours_pretty.begin_object().key("v");
        pretty.StartObject();
        pretty.Key("v");
        write_both(g2, 0, ours_pretty, pretty);
        ours_pretty.end_object();
        pretty.EndObject();
        ASSERT_EQ(ours_compact.take(), std::string(compact_buf.GetString())) << "seed " << seed;
        ASSERT_EQ(ours_pretty.take(), std::string(pretty_buf.GetString())) << "seed " << seed;
    }
}

TEST(JsonWriter, DoublesAreRapidjsonsShortestText) {
    std::vector<double> values = {0.0,      -0.0, 1.0,        0.1,    1.5,
                                  1e21,     1e-7, 123456.789, 5e-324, 1.7976931348623157e308,
                                  2.0 / 3.0};
    Gen g{42};
    for (int i = 0; i < 2000; ++i) {
        uint64_t bits = g.next();
        double d = 0;
        std::memcpy(&d, &bits, sizeof d);
        if (d == d && d - d == 0) values.push_back(d);  // finite
    }
    for (double d : values) {
        rapidjson::StringBuffer buf;
        rapidjson::Writer<rapidjson::StringBuffer> theirs(buf);
        theirs.Double(d);
        JsonWriter ours(JsonDialect::kReport);
        ours.number(d);
        ASSERT_EQ(ours.take(), std::string(buf.GetString())) << d;
    }
    JsonWriter w;
    w.begin_array().number(0.0 / 0.0).number(1.0 / 0.0).end_array();
    EXPECT_EQ(w.take(), "[null,null]");
}

TEST(JsonWriter, CanonicalDialectKeepsTheScenarioWritersEscapes) {
    JsonWriter w;
    w.begin_object().key("k\n").string("a\"\\\t\r\b\f\x01\x1f\x7f\xc3\xa9/").end_object();
    EXPECT_EQ(w.take(),
              "{\"k\\n\":\"a\\\"\\\\\\t\\u000d\\u0008\\u000c\\u0001\\u001f\x7f\xc3\xa9/\"}");
    JsonWriter n;
    n.begin_array().millis(1500).fraction(250'000).millis_range(0, 2).begin_object().end_object();
    n.end_array();
    EXPECT_EQ(n.take(), "[1.5,0.25,[0,0.002],{}]");
}

TEST(JsonWriter, ValueReEmitsATreeInTheWritersLayout) {
    const std::string text = R"({"a":[1,2.50,{"b":null}],"c":"x\ny","d":{},"e":[]})";
    JsonValue v = parse_ok(text);
    JsonWriter compact(JsonDialect::kReport);
    compact.value(v);
    EXPECT_EQ(compact.take(), text);
    JsonWriter pretty(JsonDialect::kReport, JsonWriter::kPretty);
    pretty.value(v);
    EXPECT_EQ(pretty.take(),
              "{\n  \"a\": [\n    1,\n    2.50,\n    {\n      \"b\": null\n    }\n  ],\n"
              "  \"c\": \"x\\ny\",\n  \"d\": {},\n  \"e\": []\n}");
}

// The history reader reads the same tree: a duplicate key is an error (it
// used to be "the first one wins"), and integers are integer literals.
TEST(JsonReader, HistoryLinesUseTheTree) {
    History h;
    std::string error;
    const std::string ok =
        R"({"client":1,"op":"get","key":"k","invoke_us":1,"complete_us":2,"status":"ok","found":false})";
    EXPECT_TRUE(parse_history_jsonl(ok + "\n", &h, &error)) << error;
    EXPECT_FALSE(
        parse_history_jsonl("\n" + ok.substr(0, ok.size() - 1) + R"(,"key":"j"})", &h, &error));
    EXPECT_EQ(error, "line 2: invalid JSON at column 101: key: duplicate key");
    EXPECT_FALSE(parse_history_jsonl(R"({"client":1.0})", &h, &error));
    EXPECT_EQ(error, "line 1: field \"client\": expected an integer");
    EXPECT_FALSE(parse_history_jsonl(R"({"client":1,"seq":9223372036854775808})", &h, &error));
    EXPECT_EQ(error, "line 1: field \"seq\": expected an integer");
}

}  // namespace
}  // namespace sim
