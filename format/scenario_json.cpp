// format/scenario_json.cpp — scenario files, run files and share-link fragments.
//
// Owns the JSON format documented in docs/scenarios.md: strict parsing
// (unknown keys, wrong types and out-of-range values are errors that name the
// source, the JSON path and the reason), --set overrides, and canonical
// serialization that parses back to an equal value. Must not throw, crash or
// allocate without bound on hostile input (share links come from anyone):
// nesting, sizes and counts are capped, and numbers are converted from their
// text with integer arithmetic only — no double ever reaches a Scenario, so
// the same text gives the same Scenario on every platform.
//
// Size: about 2,000 lines because it holds three formats (scenario, run file,
// share link) and the JSON tree they share. Issue 15 moves them into a
// format/ layer, one file per format with one JSON reader/writer; until that
// lands, new format code goes here rather than into a fourth copy.
//
// Index
//   1. JSON tree: a small DOM built from rapidjson's SAX reader
//   2. Numbers: exact decimal text -> scaled integers
//   3. Writing compact JSON
//   4. Overrides: --set PATH=VALUE
//   5. Validation context and field readers
//   6. Sections: cluster, network, disk, workload, preset, expect
//   7. Timeline steps and input actions
//   8. Scenarios: parse and serialize
//   9. Run files
//  10. Share-link fragments (base64url)
//  11. Files and action names
#include "format/scenario_json.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <utility>

#include "format/json_input.h"
#include "format/preset_check.h"
#include "format/scenario_limits.h"

namespace sim {
namespace {

// ===========================================================================
// 1. JSON tree
// ===========================================================================
// We build our own tree instead of rapidjson::Document because we need (a)
// each number's exact text (kParseNumbersAsStringsFlag loses the
// number/string distinction in a Document), (b) duplicate-key detection,
// and (c) a depth limit so hostile input cannot exhaust the stack.

struct JsonMember;
struct JsonValue {
    enum class Kind : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };
    Kind kind = Kind::kNull;
    bool boolean = false;
    std::string text;                 // a string's contents, or a number's JSON text
    std::vector<JsonValue> items;     // array
    std::vector<JsonMember> members;  // object: document order, keys unique
    const JsonValue* find(std::string_view key) const;
    JsonValue* find(std::string_view key);
};
struct JsonMember {
    std::string key;
    JsonValue value;
};
using Kind = JsonValue::Kind;

const JsonValue* JsonValue::find(std::string_view key) const {
    for (const JsonMember& m : members) {
        if (m.key == key) return &m.value;
    }
    return nullptr;
}
JsonValue* JsonValue::find(std::string_view key) {
    for (JsonMember& m : members) {
        if (m.key == key) return &m.value;
    }
    return nullptr;
}

const char* kind_name(Kind k) {
    switch (k) {
        case Kind::kNull:
            return "null";
        case Kind::kBool:
            return "a boolean";
        case Kind::kNumber:
            return "a number";
        case Kind::kString:
            return "a string";
        case Kind::kArray:
            return "an array";
        case Kind::kObject:
            return "an object";
    }
    return "?";
}

std::string join_path(const std::string& path, std::string_view key) {
    if (path.empty()) return std::string(key);
    return path + "." + std::string(key);
}
std::string item_path(const std::string& path, size_t i) {
    return path + "[" + std::to_string(i) + "]";
}
std::string count_text(size_t n, const char* noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}
// A key from the input as shown in an error path: bounded and printable,
// since hostile input may carry huge or binary keys.
std::string printable_key(std::string_view key) {
    std::string out;
    for (char c : key.substr(0, 40))
        out += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
    if (key.size() > 40) out += "...";
    return out;
}

// A rapidjson SAX handler that builds a JsonValue tree.
class TreeBuilder {
  public:
    TreeBuilder(JsonValue* root, std::string root_path)
        : root_(root), root_path_(std::move(root_path)) {}

    bool Null() { return add(JsonValue{}) != nullptr; }
    bool Bool(bool b) {
        JsonValue v;
        v.kind = Kind::kBool;
        v.boolean = b;
        return add(std::move(v)) != nullptr;
    }
    // With kParseNumbersAsStringsFlag every number arrives as RawNumber; the
    // typed callbacks exist only because the reader's template names them.
    bool Int(int) { return false; }
    bool Uint(unsigned) { return false; }
    bool Int64(int64_t) { return false; }
    bool Uint64(uint64_t) { return false; }
    bool Double(double) { return false; }
    bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
        return add_text(Kind::kNumber, s, n);
    }
    bool String(const char* s, rapidjson::SizeType n, bool) {
        return add_text(Kind::kString, s, n);
    }
    bool Key(const char* s, rapidjson::SizeType n, bool) {
        key_.assign(s, n);
        key_pending_ = true;
        return true;
    }
    bool StartObject() { return open(Kind::kObject); }
    bool StartArray() { return open(Kind::kArray); }
    bool EndObject(rapidjson::SizeType) { return close_object(); }
    bool EndArray(rapidjson::SizeType) {
        stack_.pop_back();
        paths_.pop_back();
        return true;
    }
    const std::string& error() const { return error_; }
    // Where the reader was when it stopped: the value it was reading.
    std::string current_path() const { return child_path(); }

  private:
    JsonValue* add(JsonValue v) {
        if (stack_.empty()) {
            *root_ = std::move(v);
            return root_;
        }
        JsonValue* parent = stack_.back();
        if (parent->kind == Kind::kArray) {
            parent->items.push_back(std::move(v));
            return &parent->items.back();
        }
        parent->members.push_back(JsonMember{key_, std::move(v)});
        key_pending_ = false;
        return &parent->members.back().value;
    }
    bool add_text(Kind kind, const char* s, rapidjson::SizeType n) {
        JsonValue v;
        v.kind = kind;
        v.text.assign(s, n);
        return add(std::move(v)) != nullptr;
    }
    bool open(Kind kind) {
        if (stack_.size() >= kMaxJsonDepth) {
            // The path is as deep as the nesting; keep its start and its end.
            std::string path = child_path();
            if (path.size() > 80) path = path.substr(0, 30) + "..." + path.substr(path.size() - 30);
            error_ = path + ": nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
            return false;
        }
        std::string path = child_path();
        JsonValue v;
        v.kind = kind;
        stack_.push_back(add(std::move(v)));
        paths_.push_back(std::move(path));
        return true;
    }
    // The path of the value about to be added (for error messages).
    std::string child_path() const {
        if (stack_.empty()) return root_path_;
        const JsonValue* parent = stack_.back();
        if (parent->kind == Kind::kArray) return item_path(paths_.back(), parent->items.size());
        // Between members (e.g. a missing comma) the object itself is the place.
        if (!key_pending_) return paths_.back();
        return join_path(paths_.back(), printable_key(key_));
    }
    // Sorting keys and comparing neighbours finds duplicates in n log n, so
    // a hostile object with many keys cannot make this quadratic.
    bool close_object() {
        const JsonValue* obj = stack_.back();
        std::vector<const std::string*> keys;
        keys.reserve(obj->members.size());
        for (const JsonMember& m : obj->members)
            keys.push_back(&m.key);
        std::sort(keys.begin(), keys.end(),
                  [](const std::string* a, const std::string* b) { return *a < *b; });
        for (size_t i = 1; i < keys.size(); ++i) {
            if (*keys[i] == *keys[i - 1]) {
                error_ = join_path(paths_.back(), printable_key(*keys[i])) + ": duplicate key";
                return false;
            }
        }
        stack_.pop_back();
        paths_.pop_back();
        return true;
    }

    JsonValue* root_;
    std::string root_path_;          // the path of the root value in error messages
    std::vector<JsonValue*> stack_;  // open containers, root first
    std::vector<std::string> paths_;
    std::string key_;
    bool key_pending_ = false;  // a key was read and its value not yet
    std::string error_;
};

void line_and_column(std::string_view text, size_t offset, size_t* line, size_t* column) {
    *line = 1;
    *column = 1;
    for (size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++*line;
            *column = 1;
        } else {
            ++*column;
        }
    }
}

// Parses strict JSON (no comments, no NaN, valid UTF-8). On failure `why`
// says where and what, without the source name; paths in it start at
// `root_path` (e.g. "in" for a share link's inputs).
bool parse_json(const std::string& text, const std::string& root_path, JsonValue* out,
                std::string* why) {
    JsonValue root;
    TreeBuilder builder(&root, root_path);
    JsonInputError error;
    if (parse_json_sax<rapidjson::kParseNumbersAsStringsFlag>(text, builder, &error)) {
        *out = std::move(root);
        return true;
    }
    if (error.nul_byte) {
        *why = (root_path.empty() ? "" : root_path + ": ") + "invalid JSON: NUL byte at offset " +
               std::to_string(error.offset);
        return false;
    }
    size_t line = 0, column = 0;
    line_and_column(text, error.offset, &line, &column);
    std::string where = "line " + std::to_string(line) + ", column " + std::to_string(column) +
                        " (offset " + std::to_string(error.offset) + ")";
    if (!builder.error().empty()) {
        *why = builder.error() + " at " + where;
    } else {
        std::string path = builder.current_path();
        *why = (path.empty() ? "" : path + ": ") + "invalid JSON at " + where + ": " + error.reason;
    }
    return false;
}

// ===========================================================================
// 2. Numbers
// ===========================================================================

enum class NumStatus : uint8_t { kOk, kRounded, kTooLarge, kSyntax };

// Splits a JSON number into sign, significant digits and a power of ten.
bool split_decimal(std::string_view text, bool* negative, std::string* digits, int64_t* exp10) {
    size_t i = 0;
    *negative = i < text.size() && text[i] == '-';
    if (*negative) ++i;
    auto is_digit = [&](size_t k) { return k < text.size() && text[k] >= '0' && text[k] <= '9'; };
    bool any = false;
    for (; is_digit(i); ++i, any = true)
        digits->push_back(text[i]);
    if (i < text.size() && text[i] == '.') {
        for (++i; is_digit(i); ++i, any = true) {
            digits->push_back(text[i]);
            --*exp10;
        }
    }
    if (!any) return false;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool exp_negative = i < text.size() && text[i] == '-';
        if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
        if (!is_digit(i)) return false;
        int64_t e = 0;
        // Clamped: any exponent this large already overflows or rounds to 0.
        for (; is_digit(i); ++i)
            e = std::min<int64_t>(e * 10 + (text[i] - '0'), 1'000'000);
        *exp10 += exp_negative ? -e : e;
    }
    return i == text.size();
}

// round(value * 10^scale), half away from zero, using only integer math on
// the number's text. |result| stays below 10^18.
NumStatus scale_decimal(std::string_view text, int scale, int64_t* out) {
    bool negative = false;
    std::string digits;
    int64_t exp10 = 0;
    if (!split_decimal(text, &negative, &digits, &exp10)) return NumStatus::kSyntax;
    size_t first = digits.find_first_not_of('0');
    if (first == std::string::npos) {
        *out = 0;
        return NumStatus::kOk;
    }
    digits.erase(0, first);
    // Trailing zeros move into the exponent, so "1000000e-6" costs nothing.
    while (digits.back() == '0') {
        digits.pop_back();
        ++exp10;
    }
    int64_t e = exp10 + scale;
    int64_t int_len = static_cast<int64_t>(digits.size()) + e;  // digits left of the point
    if (int_len > 18) return NumStatus::kTooLarge;
    uint64_t value = 0;
    NumStatus status = NumStatus::kOk;
    if (e >= 0) {
        for (char c : digits)
            value = value * 10 + static_cast<uint64_t>(c - '0');
        for (int64_t k = 0; k < e; ++k)
            value *= 10;
    } else {
        // The dropped digits end in a non-zero digit, so this is inexact.
        status = NumStatus::kRounded;
        for (int64_t k = 0; k < int_len; ++k) {
            value = value * 10 + static_cast<uint64_t>(digits[k] - '0');
        }
        if (int_len >= 0 && digits[static_cast<size_t>(int_len)] >= '5') value += 1;
    }
    int64_t signed_value = static_cast<int64_t>(value);
    *out = negative ? -signed_value : signed_value;
    return status;
}

// Unsigned 64-bit decimal (seeds): digits only, overflow checked.
bool parse_u64(std::string_view text, uint64_t* out) {
    if (text.empty() || text.size() > 20) return false;
    uint64_t v = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        uint64_t d = static_cast<uint64_t>(c - '0');
        if (v > (UINT64_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

// v / 10^scale as the shortest exact decimal text: 1500 (scale 3) -> "1.5".
std::string format_scaled(int64_t v, int scale) {
    uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    uint64_t unit = 1;
    for (int k = 0; k < scale; ++k)
        unit *= 10;
    std::string s = v < 0 ? "-" : "";
    s += std::to_string(magnitude / unit);
    uint64_t frac = magnitude % unit;
    if (frac != 0) {
        std::string f = std::to_string(frac);
        f.insert(0, static_cast<size_t>(scale) - f.size(), '0');
        while (f.back() == '0')
            f.pop_back();
        s += "." + f;
    }
    return s;
}
std::string format_ms(int64_t us) {
    return format_scaled(us, 3);
}

// Text of a value for an error message, bounded and printable.
std::string shown(const JsonValue& v) {
    if (v.kind != Kind::kNumber && v.kind != Kind::kString) return kind_name(v.kind);
    std::string s;
    for (char c : v.text.substr(0, 40)) {
        s.push_back(static_cast<unsigned char>(c) < 0x20 ? '?' : c);
    }
    if (v.text.size() > 40) s += "...";
    return v.kind == Kind::kString ? "\"" + s + "\"" : s;
}

// ===========================================================================
// 3. Writing compact JSON
// ===========================================================================

class JsonWriter {
  public:
    JsonWriter& begin_object() { return open('{'); }
    JsonWriter& end_object() { return close('}'); }
    JsonWriter& begin_array() { return open('['); }
    JsonWriter& end_array() { return close(']'); }
    JsonWriter& key(std::string_view k) {
        comma();
        append_string(k);
        out_ += ':';
        need_comma_ = false;
        return *this;
    }
    JsonWriter& raw(std::string_view json) {
        comma();
        out_ += json;
        need_comma_ = true;
        return *this;
    }
    JsonWriter& string(std::string_view s) {
        comma();
        append_string(s);
        need_comma_ = true;
        return *this;
    }
    JsonWriter& integer(int64_t v) { return raw(std::to_string(v)); }
    JsonWriter& boolean(bool b) { return raw(b ? "true" : "false"); }
    JsonWriter& null() { return raw("null"); }
    JsonWriter& millis(int64_t us) { return raw(format_ms(us)); }
    JsonWriter& fraction(int64_t ppm) { return raw(format_scaled(ppm, 6)); }
    JsonWriter& millis_range(int64_t min_us, int64_t max_us) {
        return begin_array().millis(min_us).millis(max_us).end_array();
    }
    std::string take() { return std::move(out_); }

  private:
    JsonWriter& open(char c) {
        comma();
        out_ += c;
        need_comma_ = false;
        return *this;
    }
    JsonWriter& close(char c) {
        out_ += c;
        need_comma_ = true;
        return *this;
    }
    void comma() {
        if (need_comma_) out_ += ',';
    }
    void append_string(std::string_view s) {
        static const char kHex[] = "0123456789abcdef";
        out_ += '"';
        for (char c : s) {
            unsigned char u = static_cast<unsigned char>(c);
            if (c == '"' || c == '\\') {
                out_ += '\\';
                out_ += c;
            } else if (c == '\n') {
                out_ += "\\n";
            } else if (c == '\t') {
                out_ += "\\t";
            } else if (u < 0x20) {
                out_ += "\\u00";
                out_ += kHex[u >> 4];
                out_ += kHex[u & 15];
            } else {
                out_ += c;
            }
        }
        out_ += '"';
    }

    std::string out_;
    bool need_comma_ = false;
};

// ===========================================================================
// 4. Overrides
// ===========================================================================

struct PathStep {
    bool is_index = false;
    std::string key;
    size_t index = 0;
};

// PATH := KEY ('[' DIGITS ']')* ('.' KEY ('[' DIGITS ']')*)*
bool parse_override_path(std::string_view path, std::vector<PathStep>* steps, std::string* why) {
    size_t i = 0;
    while (true) {
        size_t start = i;
        while (i < path.size() && path[i] != '.' && path[i] != '[' && path[i] != ']')
            ++i;
        if (i == start) {
            *why = "empty name in the path";
            return false;
        }
        steps->push_back(PathStep{false, std::string(path.substr(start, i - start)), 0});
        while (i < path.size() && path[i] == '[') {
            size_t close = path.find(']', i);
            std::string_view digits =
                close == std::string_view::npos ? "" : path.substr(i + 1, close - i - 1);
            uint64_t index = 0;
            if (digits.size() > 6 || !parse_u64(digits, &index)) {
                *why = "bad index in the path (expected [N])";
                return false;
            }
            steps->push_back(PathStep{true, "", static_cast<size_t>(index)});
            i = close + 1;
        }
        if (i == path.size()) return true;
        if (path[i] != '.') {
            *why = std::string("unexpected '") + path[i] + "' in the path";
            return false;
        }
        ++i;
    }
}

// Walks `steps` from the root, creating missing object keys, and replaces
// the value at the end.
bool set_at_path(JsonValue* root, const std::vector<PathStep>& steps, JsonValue value,
                 std::string* why) {
    JsonValue* cur = root;
    std::string where = "(top level)";
    std::string path;
    for (size_t s = 0; s < steps.size(); ++s) {
        const PathStep& step = steps[s];
        if (step.is_index) {
            if (cur->kind != Kind::kArray) {
                *why = where + " is " + kind_name(cur->kind) + ", not an array";
                return false;
            }
            path = item_path(path, step.index);
            if (step.index >= cur->items.size()) {
                *why = path + ": index out of range (" + where + " has " +
                       count_text(cur->items.size(), "item") + ")";
                return false;
            }
            cur = &cur->items[step.index];
        } else {
            if (cur->kind != Kind::kObject) {
                *why = where + " is " + kind_name(cur->kind) + ", not an object";
                return false;
            }
            path = join_path(path, step.key);
            JsonValue* next = cur->find(step.key);
            if (next == nullptr && s + 1 < steps.size() && steps[s + 1].is_index) {
                *why = path + ": not present, so it has no item to set";
                return false;
            }
            if (next == nullptr) {
                JsonValue fresh;
                fresh.kind = Kind::kObject;  // an intermediate section the file omitted
                cur->members.push_back(JsonMember{step.key, std::move(fresh)});
                next = &cur->members.back().value;
            }
            cur = next;
        }
        where = path;
    }
    *cur = std::move(value);
    return true;
}

bool apply_override(JsonValue* root, const std::string& spec, std::string* why) {
    size_t eq = spec.find('=');
    if (eq == std::string::npos) {
        *why = "--set " + spec + ": expected PATH=VALUE";
        return false;
    }
    std::vector<PathStep> steps;
    std::string reason;
    if (!parse_override_path(std::string_view(spec).substr(0, eq), &steps, &reason)) {
        *why = "--set " + spec + ": " + reason;
        return false;
    }
    // VALUE is JSON when it parses as JSON, else a plain string, so that
    // `--set cluster.read_mode=read_index` needs no shell-quoted quotes.
    std::string text = spec.substr(eq + 1);
    JsonValue value;
    std::string ignored;
    if (!parse_json(text, "", &value, &ignored)) {
        // A plain string must be as valid as one in a file: the scenario
        // carries it into run files and links, which must parse back.
        if (!is_valid_utf8(text)) {
            *why = "--set " + spec.substr(0, eq) + ": the value is neither JSON nor valid UTF-8";
            return false;
        }
        value = JsonValue{};
        value.kind = Kind::kString;
        value.text = text;
    }
    if (!set_at_path(root, steps, std::move(value), &reason)) {
        *why = "--set " + spec + ": " + reason;
        return false;
    }
    return true;
}

// ===========================================================================
// 5. Validation context and field readers
// ===========================================================================

// Collects the first error; once failed, every reader is a no-op, so the
// section parsers need no error plumbing of their own.
struct Ctx {
    std::string source;
    std::string error;
    bool ok() const { return error.empty(); }
    bool fail(const std::string& path, const std::string& reason) {
        if (error.empty()) {
            std::string prefix = source.empty() ? "" : source + ": ";
            error = prefix + (path.empty() ? "(top level)" : path) + ": " + reason;
        }
        return false;
    }
};

bool read_int(Ctx& ctx, const JsonValue& v, const std::string& path, int64_t lo, int64_t hi,
              int64_t* out) {
    if (!ctx.ok()) return false;
    if (v.kind != Kind::kNumber) {
        return ctx.fail(path, std::string("expected an integer, got ") + kind_name(v.kind));
    }
    int64_t x = 0;
    NumStatus status = scale_decimal(v.text, 0, &x);
    if (status == NumStatus::kTooLarge)
        return ctx.fail(path, "number " + shown(v) + " is too large");
    if (status != NumStatus::kOk) return ctx.fail(path, "expected an integer, got " + shown(v));
    if (x < 0 && lo >= 0) return ctx.fail(path, "must not be negative, got " + shown(v));
    if (x < lo || x > hi) {
        return ctx.fail(path, "must be between " + std::to_string(lo) + " and " +
                                  std::to_string(hi) + ", got " + shown(v));
    }
    *out = x;
    return true;
}

// Milliseconds with microsecond precision: "1.5" -> 1500 us.
bool read_millis(Ctx& ctx, const JsonValue& v, const std::string& path, int64_t lo_us,
                 int64_t hi_us, int64_t* out_us) {
    if (!ctx.ok()) return false;
    if (v.kind != Kind::kNumber) {
        return ctx.fail(path, std::string("expected a time in ms, got ") + kind_name(v.kind));
    }
    int64_t us = 0;
    NumStatus status = scale_decimal(v.text, 3, &us);
    if (status == NumStatus::kTooLarge || status == NumStatus::kSyntax) {
        return ctx.fail(path, "time " + shown(v) + " ms is too large");
    }
    if (us < 0) return ctx.fail(path, "negative time " + shown(v) + " ms");
    if (us < lo_us || us > hi_us) {
        return ctx.fail(path, "must be between " + format_ms(lo_us) + " and " + format_ms(hi_us) +
                                  " ms, got " + shown(v));
    }
    *out_us = us;
    return true;
}

// A probability written as a fraction 0..1, stored in parts per million.
bool read_fraction(Ctx& ctx, const JsonValue& v, const std::string& path, int64_t* out_ppm) {
    if (!ctx.ok()) return false;
    if (v.kind != Kind::kNumber) {
        return ctx.fail(
            path, std::string("expected a fraction between 0 and 1, got ") + kind_name(v.kind));
    }
    int64_t ppm = 0;
    NumStatus status = scale_decimal(v.text, 6, &ppm);
    if (status == NumStatus::kTooLarge || status == NumStatus::kSyntax || ppm < 0 || ppm > kPpm) {
        return ctx.fail(path, "expected a fraction between 0 and 1, got " + shown(v));
    }
    *out_ppm = ppm;
    return true;
}

bool read_bool(Ctx& ctx, const JsonValue& v, const std::string& path, bool* out) {
    if (!ctx.ok()) return false;
    if (v.kind != Kind::kBool) {
        return ctx.fail(path, std::string("expected true or false, got ") + kind_name(v.kind));
    }
    *out = v.boolean;
    return true;
}

bool read_string(Ctx& ctx, const JsonValue& v, const std::string& path, size_t max_len,
                 bool non_empty, std::string* out) {
    if (!ctx.ok()) return false;
    if (v.kind != Kind::kString) {
        return ctx.fail(path, std::string("expected a string, got ") + kind_name(v.kind));
    }
    if (non_empty && v.text.empty()) return ctx.fail(path, "must not be empty");
    if (v.text.size() > max_len) {
        return ctx.fail(path, "too long (" + std::to_string(v.text.size()) + " bytes, at most " +
                                  std::to_string(max_len) + ")");
    }
    *out = v.text;
    return true;
}

bool expect_array(Ctx& ctx, const JsonValue& v, const std::string& path, size_t max_items) {
    if (!ctx.ok()) return false;
    if (v.kind != Kind::kArray) {
        return ctx.fail(path, std::string("expected an array, got ") + kind_name(v.kind));
    }
    if (v.items.size() > max_items) {
        return ctx.fail(path, "too many items (" + std::to_string(v.items.size()) + ", at most " +
                                  std::to_string(max_items) + ")");
    }
    return true;
}

std::string node_count_text(int n) {
    return std::to_string(n) + (n == 1 ? " node" : " nodes");
}

bool read_node_id(Ctx& ctx, const JsonValue& v, const std::string& path, int node_count,
                  raft::NodeId* out) {
    int64_t id = 0;
    if (!read_int(ctx, v, path, INT64_MIN / 2, INT64_MAX / 2, &id)) return false;
    if (id < 0 || id >= node_count) {
        return ctx.fail(path, "node id " + shown(v) + " out of range (cluster has " +
                                  node_count_text(node_count) + ")");
    }
    *out = static_cast<raft::NodeId>(id);
    return true;
}

// An object's fields: checks the key set once, then reads fields by name.
// Absent fields leave the output untouched, so struct defaults apply.
class Fields {
  public:
    Fields(Ctx* ctx, const JsonValue& v, std::string path,
           const std::vector<std::string_view>& allowed, const char* what = nullptr)
        : ctx_(ctx), obj_(&v), path_(std::move(path)) {
        if (!ctx_->ok()) return;
        if (v.kind != Kind::kObject) {
            ctx_->fail(path_, std::string("expected an object, got ") + kind_name(v.kind));
            return;
        }
        for (const JsonMember& m : v.members) {
            if (std::find(allowed.begin(), allowed.end(), m.key) != allowed.end()) continue;
            std::string list;
            for (std::string_view a : allowed)
                list += (list.empty() ? "" : ", ") + std::string(a);
            std::string key_path = join_path(path_, printable_key(m.key));
            std::string for_what = what ? std::string(" for ") + what : "";
            ctx_->fail(key_path, "unknown key" + for_what + " (allowed: " + list + ")");
            return;
        }
    }
    bool ok() const { return ctx_->ok(); }
    Ctx& ctx() const { return *ctx_; }
    const std::string& path() const { return path_; }
    std::string path(std::string_view key) const { return join_path(path_, key); }
    const JsonValue* get(std::string_view key) const { return ok() ? obj_->find(key) : nullptr; }
    bool require(std::string_view key, const std::string& why = "required") const {
        if (!ok()) return false;
        if (obj_->find(key) != nullptr) return true;
        return ctx_->fail(path(key), why);
    }
    template <class T>
    void integer(std::string_view key, int64_t lo, int64_t hi, T* out) const {
        int64_t x = 0;
        if (const JsonValue* v = get(key); v && read_int(*ctx_, *v, path(key), lo, hi, &x)) {
            *out = static_cast<T>(x);
        }
    }
    void millis(std::string_view key, int64_t lo_us, int64_t hi_us, int64_t* out) const {
        if (const JsonValue* v = get(key)) read_millis(*ctx_, *v, path(key), lo_us, hi_us, out);
    }
    void fraction(std::string_view key, int64_t* out_ppm) const {
        if (const JsonValue* v = get(key)) read_fraction(*ctx_, *v, path(key), out_ppm);
    }
    void boolean(std::string_view key, bool* out) const {
        if (const JsonValue* v = get(key)) read_bool(*ctx_, *v, path(key), out);
    }
    void string(std::string_view key, size_t max_len, bool non_empty, std::string* out) const {
        if (const JsonValue* v = get(key))
            read_string(*ctx_, *v, path(key), max_len, non_empty, out);
    }
    void millis_range(std::string_view key, int64_t lo_us, int64_t hi_us, int64_t* min_us,
                      int64_t* max_us) const;

  private:
    Ctx* ctx_;
    const JsonValue* obj_;
    std::string path_;
};

// A [min, max] pair in ms; a single number means min == max.
void Fields::millis_range(std::string_view key, int64_t lo_us, int64_t hi_us, int64_t* min_us,
                          int64_t* max_us) const {
    const JsonValue* v = get(key);
    if (v == nullptr) return;
    std::string p = path(key);
    int64_t lo = 0, hi = 0;
    if (v->kind == Kind::kNumber) {
        if (read_millis(*ctx_, *v, p, lo_us, hi_us, &lo)) *min_us = *max_us = lo;
        return;
    }
    if (v->kind != Kind::kArray || v->items.size() != 2) {
        size_t n = v->items.size();
        ctx_->fail(p, "expected [min, max] in ms, got " +
                          (v->kind == Kind::kArray ? "an array of " + count_text(n, "item")
                                                   : std::string(kind_name(v->kind))));
        return;
    }
    if (!read_millis(*ctx_, v->items[0], item_path(p, 0), lo_us, hi_us, &lo)) return;
    if (!read_millis(*ctx_, v->items[1], item_path(p, 1), lo_us, hi_us, &hi)) return;
    if (lo > hi) {
        ctx_->fail(p, "min " + format_ms(lo) + " ms is greater than max " + format_ms(hi) + " ms");
        return;
    }
    *min_us = lo;
    *max_us = hi;
}

// ===========================================================================
// 6. Sections
// ===========================================================================

constexpr int64_t kMs = 1'000;

std::string known_mutations() {
    std::string list;
    for (int bit = 0; bit < 32; ++bit) {
        const char* name = raft::mutation_name(1u << bit);
        if (std::strcmp(name, "?") != 0) list += (list.empty() ? "" : ", ") + std::string(name);
    }
    return list;
}

void parse_mutations(Ctx& ctx, const JsonValue& v, const std::string& path, uint32_t* out) {
    if (!expect_array(ctx, v, path, 32)) return;
    uint32_t bits = raft::kMutNone;
    for (size_t i = 0; i < v.items.size(); ++i) {
        std::string name, p = item_path(path, i);
        if (!read_string(ctx, v.items[i], p, 64, true, &name)) return;
        uint32_t bit = raft::mutation_from_name(name);
        if (bit == raft::kMutNone) {
            ctx.fail(
                p, "unknown mutation " + shown(v.items[i]) + " (known: " + known_mutations() + ")");
            return;
        }
        if (bits & bit) {
            ctx.fail(p, "mutation \"" + name + "\" listed twice");
            return;
        }
        bits |= bit;
    }
    *out = bits;
}

void parse_cluster(Ctx& ctx, const JsonValue& v, const std::string& path, raft::Config* c) {
    Fields f(&ctx, v, path,
             {"nodes", "election_timeout_ms", "heartbeat_ms", "pre_vote", "check_quorum",
              "step_down_on_rejection", "snapshot_threshold", "snapshot_catch_up_entries",
              "max_entries_per_append", "max_inflight_appends", "read_mode", "mutations"});
    f.integer("nodes", 1, raft::kMaxNodes, &c->node_count);
    f.millis_range("election_timeout_ms", 1 * kMs, kMaxDelayUs, &c->election_timeout_us_min,
                   &c->election_timeout_us_max);
    f.millis("heartbeat_ms", 1, kMaxDelayUs, &c->heartbeat_us);
    f.boolean("pre_vote", &c->pre_vote);
    f.boolean("check_quorum", &c->check_quorum);
    f.boolean("step_down_on_rejection", &c->step_down_on_rejection);
    f.integer("snapshot_threshold", 0, 1'000'000'000, &c->snapshot_threshold);
    f.integer("snapshot_catch_up_entries", 0, 1'000'000'000, &c->snapshot_catch_up_entries);
    f.integer("max_entries_per_append", 1, 100'000, &c->max_entries_per_append);
    f.integer("max_inflight_appends", 1, 1'024, &c->max_inflight_appends);
    if (const JsonValue* m = f.get("read_mode")) {
        std::string mode;
        if (read_string(ctx, *m, f.path("read_mode"), 32, true, &mode)) {
            if (mode == "log") {
                c->read_mode = raft::ReadMode::kLog;
            } else if (mode == "read_index") {
                c->read_mode = raft::ReadMode::kReadIndex;
            } else {
                ctx.fail(f.path("read_mode"),
                         "expected \"log\" or \"read_index\", got " + shown(*m));
            }
        }
    }
    if (const JsonValue* m = f.get("mutations"))
        parse_mutations(ctx, *m, f.path("mutations"), &c->mutations);
    // §5.6: broadcastTime << electionTimeout, or followers time out between
    // heartbeats and elections never settle.
    if (ctx.ok() && c->heartbeat_us >= c->election_timeout_us_min) {
        ctx.fail(f.path("heartbeat_ms"),
                 "heartbeat " + format_ms(c->heartbeat_us) +
                     " ms must be less than the minimum election timeout (" +
                     format_ms(c->election_timeout_us_min) + " ms)");
    }
}

void parse_network(Ctx& ctx, const JsonValue& v, const std::string& path, NetworkModel* n) {
    Fields f(&ctx, v, path, {"latency_ms", "tail", "tail_ms_max", "loss", "duplicate"});
    f.millis_range("latency_ms", 0, kMaxDelayUs, &n->latency_us_min, &n->latency_us_max);
    f.fraction("tail", &n->tail_ppm);
    f.millis("tail_ms_max", 0, kMaxDelayUs, &n->tail_us_max);
    f.fraction("loss", &n->loss_ppm);
    f.fraction("duplicate", &n->duplicate_ppm);
}

void parse_disk(Ctx& ctx, const JsonValue& v, const std::string& path, DiskModel* d) {
    Fields f(&ctx, v, path, {"fsync_ms", "torn_write", "corrupt"});
    f.millis_range("fsync_ms", 0, kMaxDelayUs, &d->fsync_us_min, &d->fsync_us_max);
    f.fraction("torn_write", &d->torn_write_ppm);
    f.fraction("corrupt", &d->corrupt_ppm);
}

// When "mix" is given, omitted operations are 0: the defaults would not sum
// to 1 with whatever the user wrote.
void parse_mix(Ctx& ctx, const JsonValue& v, const std::string& path, Workload* w) {
    Fields f(&ctx, v, path, {"put", "get", "delete", "cas"});
    int64_t put = 0, get = 0, del = 0, cas = 0;
    f.fraction("put", &put);
    f.fraction("get", &get);
    f.fraction("delete", &del);
    f.fraction("cas", &cas);
    if (!ctx.ok()) return;
    int64_t sum = put + get + del + cas;
    if (sum != kPpm) {
        ctx.fail(path, "fractions sum to " + format_scaled(sum, 6) + ", not 1");
        return;
    }
    w->put_ppm = put;
    w->get_ppm = get;
    w->delete_ppm = del;
    w->cas_ppm = cas;
}

void parse_workload(Ctx& ctx, const JsonValue& v, const std::string& path, Workload* w) {
    Fields f(&ctx, v, path,
             {"clients", "rate_per_s", "keys", "value_bytes", "mix", "timeout_ms", "retry_ms",
              "start_ms", "stop_ms"});
    f.integer("clients", 0, 64, &w->clients);
    f.integer("rate_per_s", 0, 100'000, &w->rate_per_s);
    f.integer("keys", 1, 1'000'000, &w->keys);
    f.integer("value_bytes", 0, 4'096, &w->value_bytes);
    if (const JsonValue* m = f.get("mix")) parse_mix(ctx, *m, f.path("mix"), w);
    f.millis("timeout_ms", 1, kMaxSimTimeUs, &w->timeout_us);
    f.millis("retry_ms", 0, kMaxSimTimeUs, &w->retry_us);
    f.millis("start_ms", 0, kMaxSimTimeUs, &w->start_us);
    if (const JsonValue* s = f.get("stop_ms"); s && s->kind == Kind::kNull) {
        w->stop_us = -1;
    } else {
        f.millis("stop_ms", 0, kMaxSimTimeUs, &w->stop_us);
    }
    if (!ctx.ok()) return;
    if (w->stop_us >= 0 && w->stop_us < w->start_us) {
        ctx.fail(f.path("stop_ms"), "stop " + format_ms(w->stop_us) + " ms is before start " +
                                        format_ms(w->start_us) + " ms");
    } else if (w->rate_per_s > 0 && w->clients == 0) {
        ctx.fail(f.path("clients"),
                 "rate_per_s is " + std::to_string(w->rate_per_s) + " but there are no clients");
    }
}

void parse_preset_log(Ctx& ctx, const JsonValue& v, const std::string& path,
                      std::vector<PresetEntry>* out) {
    if (!expect_array(ctx, v, path, kMaxPresetLog)) return;
    std::vector<PresetEntry> log;
    for (size_t i = 0; i < v.items.size() && ctx.ok(); ++i) {
        const JsonValue& item = v.items[i];
        std::string p = item_path(path, i);
        PresetEntry e;
        if (item.kind == Kind::kObject) {
            Fields f(&ctx, item, p, {"term", "type"});
            f.require("term");
            f.integer("term", 1, kMaxTerm, &e.term);
            std::string type = "command";
            f.string("type", 16, true, &type);
            if (type == "noop") {
                e.type = raft::EntryType::kNoop;
            } else if (type != "command") {
                ctx.fail(f.path("type"), "expected \"command\" or \"noop\", got \"" + type + "\"");
            }
        } else {
            read_int(ctx, item, p, 1, kMaxTerm, &e.term);
        }
        if (ctx.ok() && !log.empty() && e.term < log.back().term) {
            ctx.fail(p, "term " + std::to_string(e.term) + " follows term " +
                            std::to_string(log.back().term) +
                            " (terms never decrease along a log)");
        }
        log.push_back(e);
    }
    if (ctx.ok()) *out = std::move(log);
}

void parse_preset_node(Ctx& ctx, const JsonValue& v, const std::string& path, int node_count,
                       PresetNode* p) {
    Fields f(&ctx, v, path, {"node", "term", "voted_for", "log", "alive"});
    if (f.require("node")) read_node_id(ctx, *f.get("node"), f.path("node"), node_count, &p->id);
    f.integer("term", 0, kMaxTerm, &p->current_term);
    if (const JsonValue* vf = f.get("voted_for"); vf && vf->kind != Kind::kNull) {
        read_node_id(ctx, *vf, f.path("voted_for"), node_count, &p->voted_for);
    }
    if (const JsonValue* log = f.get("log")) parse_preset_log(ctx, *log, f.path("log"), &p->log);
    f.boolean("alive", &p->alive);
    // §5.1: a node adopts a term before accepting entries of it, so its
    // current term is at least the term of every entry in its log.
    if (ctx.ok() && !p->log.empty() && p->log.back().term > p->current_term) {
        ctx.fail(f.path("term"), "current term " + std::to_string(p->current_term) +
                                     " is lower than the last log entry's term " +
                                     std::to_string(p->log.back().term));
    }
}

void parse_preset(Ctx& ctx, const JsonValue& v, const std::string& path, int node_count,
                  std::vector<PresetNode>* out) {
    if (!expect_array(ctx, v, path, static_cast<size_t>(node_count))) return;
    std::vector<bool> seen(static_cast<size_t>(node_count), false);
    std::vector<PresetNode> preset;
    for (size_t i = 0; i < v.items.size() && ctx.ok(); ++i) {
        PresetNode p;
        parse_preset_node(ctx, v.items[i], item_path(path, i), node_count, &p);
        if (!ctx.ok()) return;
        if (seen[static_cast<size_t>(p.id)]) {
            ctx.fail(join_path(item_path(path, i), "node"),
                     "node " + std::to_string(p.id) + " is listed twice");
            return;
        }
        seen[static_cast<size_t>(p.id)] = true;
        preset.push_back(std::move(p));
    }
    *out = std::move(preset);
}

// ===========================================================================
// 7. Timeline steps and input actions
// ===========================================================================

// Which fields each action takes.
enum ActionField : uint32_t {
    kFieldNodeAny = 1u << 0,  // node: an id or any selector, "all" included
    kFieldNodeOne = 1u << 1,  // node: an id or a single-node selector
    kFieldLink = 1u << 2,     // node and to: ids (one direction of a link)
    kFieldGroups = 1u << 3,   // groups, or isolate_leader_with
    kFieldKey = 1u << 4,
    kFieldValue = 1u << 5,
    kFieldExpected = 1u << 6,
    kFieldCount = 1u << 7,
    kFieldMsg = 1u << 8,
    kFieldDelay = 1u << 9,
    kFieldNetwork = 1u << 10,  // loss, latency_ms, duplicate
    kFieldEntriesOnly = 1u << 11,
};
constexpr uint32_t kFieldAnyNode = kFieldNodeAny | kFieldNodeOne | kFieldLink;

uint32_t action_fields(ActionKind k) {
    switch (k) {
        case ActionKind::kKill:
        case ActionKind::kRestart:
        case ActionKind::kPause:
        case ActionKind::kResume:
        case ActionKind::kSnapshot:
            return kFieldNodeAny;
        case ActionKind::kPartition:
            return kFieldGroups;
        case ActionKind::kCutLink:
            return kFieldLink | kFieldEntriesOnly;
        case ActionKind::kClog:
        case ActionKind::kUnclog:
            return kFieldLink;
        case ActionKind::kHeal:
            return 0;
        case ActionKind::kSetNetwork:
            return kFieldNetwork;
        case ActionKind::kPut:
            return kFieldNodeOne | kFieldKey | kFieldValue;
        case ActionKind::kGet:
        case ActionKind::kDelete:
            return kFieldNodeOne | kFieldKey;
        case ActionKind::kCas:
            return kFieldNodeOne | kFieldKey | kFieldExpected | kFieldValue;
        case ActionKind::kStress:
            return kFieldNodeOne | kFieldCount;
        case ActionKind::kCampaign:
            return kFieldNodeOne;
        case ActionKind::kDropMsg:
        case ActionKind::kDupMsg:
            return kFieldMsg;
        case ActionKind::kDelayMsg:
            return kFieldMsg | kFieldDelay;
        case ActionKind::kPauseWorkload:
        case ActionKind::kResumeWorkload:
            return 0;
        case ActionKind::kCount:
            break;
    }
    return 0;
}

std::vector<std::string_view> action_keys(uint32_t bits) {
    std::vector<std::string_view> keys = {"at_ms", "do", "jitter_ms", "jitter_group"};
    if (bits & kFieldAnyNode) keys.push_back("node");
    if (bits & kFieldLink) keys.push_back("to");
    if (bits & kFieldEntriesOnly) keys.push_back("entries_only");
    if (bits & kFieldGroups) keys.insert(keys.end(), {"groups", "isolate_leader_with"});
    if (bits & kFieldKey) keys.push_back("key");
    if (bits & kFieldExpected) keys.push_back("expected");
    if (bits & kFieldValue) keys.push_back("value");
    if (bits & kFieldCount) keys.push_back("count");
    if (bits & kFieldMsg) keys.push_back("msg");
    if (bits & kFieldDelay) keys.push_back("delay_ms");
    if (bits & kFieldNetwork) keys.insert(keys.end(), {"loss", "latency_ms", "duplicate"});
    return keys;
}

constexpr struct {
    NodeSelector sel;
    const char* name;
} kSelectors[] = {
    {NodeSelector::kLeader, "leader"},
    {NodeSelector::kFollower, "follower"},
    {NodeSelector::kAll, "all"},
    {NodeSelector::kRandom, "random"},
};

const char* selector_name(NodeSelector sel) {
    for (const auto& s : kSelectors) {
        if (s.sel == sel) return s.name;
    }
    return "?";
}

enum class NodeRule : uint8_t { kAny, kOne, kIdOnly };

bool read_node_ref(Ctx& ctx, const JsonValue& v, const std::string& path, int node_count,
                   NodeRule rule, ActionKind kind, NodeRef* out) {
    if (!ctx.ok()) return false;
    if (v.kind == Kind::kNumber) {
        out->sel = NodeSelector::kId;
        return read_node_id(ctx, v, path, node_count, &out->id);
    }
    const std::string action = action_name(kind);
    if (v.kind != Kind::kString) {
        return ctx.fail(path, std::string("expected a node id or one of leader, follower, all, "
                                          "random; got ") +
                                  kind_name(v.kind));
    }
    if (rule == NodeRule::kIdOnly) {
        return ctx.fail(
            path, "expected a node id: " + action + " takes ids, not selectors, got " + shown(v));
    }
    for (const auto& s : kSelectors) {
        if (v.text != s.name) continue;
        if (s.sel == NodeSelector::kAll && rule == NodeRule::kOne) {
            return ctx.fail(path, "\"all\" is not allowed for " + action +
                                      ": pick one node (an id, leader, follower or random)");
        }
        out->sel = s.sel;
        out->id = raft::kNone;
        return true;
    }
    return ctx.fail(path, "unknown node selector " + shown(v) +
                              " (expected a node id or one of leader, follower, all, random)");
}

void parse_groups(Ctx& ctx, const JsonValue& v, const std::string& path, int node_count,
                  std::vector<std::vector<raft::NodeId>>* out) {
    if (!expect_array(ctx, v, path, static_cast<size_t>(node_count))) return;
    if (v.items.size() < 2) {
        ctx.fail(path,
                 "a partition needs at least two groups, got " + std::to_string(v.items.size()));
        return;
    }
    std::vector<int> group_of(static_cast<size_t>(node_count), -1);
    std::vector<std::vector<raft::NodeId>> groups;
    for (size_t g = 0; g < v.items.size() && ctx.ok(); ++g) {
        std::string gp = item_path(path, g);
        if (!expect_array(ctx, v.items[g], gp, static_cast<size_t>(node_count))) return;
        if (v.items[g].items.empty()) {
            ctx.fail(gp, "empty group");
            return;
        }
        std::vector<raft::NodeId> group;
        for (size_t i = 0; i < v.items[g].items.size(); ++i) {
            raft::NodeId id = raft::kNone;
            std::string ip = item_path(gp, i);
            if (!read_node_id(ctx, v.items[g].items[i], ip, node_count, &id)) return;
            int& owner = group_of[static_cast<size_t>(id)];
            if (owner >= 0) {
                ctx.fail(ip, "node " + std::to_string(id) + " is already in " +
                                 item_path(path, static_cast<size_t>(owner)));
                return;
            }
            owner = static_cast<int>(g);
            group.push_back(id);
        }
        groups.push_back(std::move(group));
    }
    *out = std::move(groups);
}

void parse_partition(const Fields& f, int node_count, Action* a) {
    const JsonValue* groups = f.get("groups");
    const JsonValue* isolate = f.get("isolate_leader_with");
    if (!f.ok()) return;
    if (node_count < 2) {
        f.ctx().fail(f.path(), "a partition needs a cluster of at least 2 nodes");
    } else if (groups == nullptr && isolate == nullptr) {
        f.ctx().fail(f.path("groups"), "required for partition (or isolate_leader_with)");
    } else if (groups != nullptr && isolate != nullptr) {
        f.ctx().fail(f.path("isolate_leader_with"), "give either groups or isolate_leader_with");
    } else if (groups != nullptr) {
        parse_groups(f.ctx(), *groups, f.path("groups"), node_count, &a->groups);
    } else {
        f.integer("isolate_leader_with", 0, node_count - 2, &a->isolate_leader_with);
    }
}

void parse_action_nodes(const Fields& f, uint32_t bits, ActionKind kind, int node_count,
                        Action* a) {
    if (!(bits & kFieldAnyNode)) return;
    NodeRule rule = (bits & kFieldNodeAny)   ? NodeRule::kAny
                    : (bits & kFieldNodeOne) ? NodeRule::kOne
                                             : NodeRule::kIdOnly;
    std::string needed = std::string("required for ") + action_name(kind);
    if (f.require("node", needed)) {
        read_node_ref(f.ctx(), *f.get("node"), f.path("node"), node_count, rule, kind, &a->node);
    }
    if (!(bits & kFieldLink)) return;
    if (f.require("to", needed)) {
        read_node_ref(f.ctx(), *f.get("to"), f.path("to"), node_count, rule, kind, &a->to);
    }
    if (f.ok() && a->node.id == a->to.id) {
        f.ctx().fail(f.path("to"), "same node as \"node\" (a link joins two different nodes)");
    }
}

void parse_action_payload(const Fields& f, uint32_t bits, ActionKind kind, Action* a) {
    std::string needed = std::string("required for ") + action_name(kind);
    if ((bits & kFieldKey) && f.require("key", needed)) f.string("key", 256, true, &a->key);
    if (bits & kFieldEntriesOnly) f.boolean("entries_only", &a->entries_only);
    if ((bits & kFieldExpected) && f.require("expected", needed)) {
        f.string("expected", 4'096, false, &a->expected);
    }
    if ((bits & kFieldValue) && f.require("value", needed))
        f.string("value", 4'096, false, &a->value);
    if ((bits & kFieldCount) && f.require("count", needed))
        f.integer("count", 1, 100'000, &a->count);
    if ((bits & kFieldMsg) && f.require("msg", needed)) {
        f.integer("msg", 0, INT64_MAX / 2, &a->msg_id);
    }
    if ((bits & kFieldDelay) && f.require("delay_ms", needed)) {
        f.millis("delay_ms", 1, kMaxDelayUs, &a->delay_us);
    }
    if (bits & kFieldNetwork) {
        if (!f.get("loss") && !f.get("latency_ms") && !f.get("duplicate") && f.ok()) {
            f.ctx().fail(f.path(), "set_network needs at least one of loss, latency_ms, duplicate");
        }
        f.fraction("loss", &a->loss_ppm);
        f.fraction("duplicate", &a->duplicate_ppm);
        f.millis_range("latency_ms", 0, kMaxDelayUs, &a->latency_us_min, &a->latency_us_max);
    }
}

struct ActionLimits {
    int node_count = raft::kMaxNodes;
    int64_t duration_us = -1;  // >= 0: steps must not be later (a scenario timeline)
    size_t max_items = kMaxInputs;
    bool time_ordered = false;  // input logs must be in time order; timelines get sorted
};

bool parse_action_kind(Ctx& ctx, const JsonValue& v, const std::string& path, ActionKind* out) {
    if (v.kind != Kind::kObject) {
        return ctx.fail(path, std::string("expected an object (a step), got ") + kind_name(v.kind));
    }
    const JsonValue* name = v.find("do");
    std::string text;
    if (name == nullptr) return ctx.fail(join_path(path, "do"), "required (the action to take)");
    if (!read_string(ctx, *name, join_path(path, "do"), 32, true, &text)) return false;
    if (action_from_name(text, out)) return true;
    std::string list;
    for (int k = 0; k < static_cast<int>(ActionKind::kCount); ++k) {
        list += (k ? ", " : "") + std::string(action_name(static_cast<ActionKind>(k)));
    }
    return ctx.fail(join_path(path, "do"),
                    "unknown action " + shown(*name) + " (known: " + list + ")");
}

bool parse_action(Ctx& ctx, const JsonValue& v, const std::string& path, const ActionLimits& lim,
                  Action* out) {
    Action a;
    if (!parse_action_kind(ctx, v, path, &a.kind)) return false;
    uint32_t bits = action_fields(a.kind);
    Fields f(&ctx, v, path, action_keys(bits), action_name(a.kind));
    if (f.require("at_ms")) f.millis("at_ms", 0, kMaxSimTimeUs, &a.at_us);
    if (const JsonValue* j = f.get("jitter_ms")) {
        if (j->kind == Kind::kString && j->text == "heartbeat") {
            a.jitter_heartbeat = true;
        } else if (j->kind == Kind::kString) {
            ctx.fail(f.path("jitter_ms"),
                     "expected a time in ms or \"heartbeat\", got " + shown(*j));
        } else {
            f.millis("jitter_ms", 0, kMaxDelayUs, &a.jitter_us);
        }
    }
    f.string("jitter_group", 64, true, &a.jitter_group);
    if (ctx.ok() && !a.jitter_group.empty() && !a.jitter_heartbeat && a.jitter_us == 0)
        ctx.fail(f.path("jitter_group"), "a jitter group needs jitter_ms");
    if (ctx.ok() && lim.duration_us >= 0 && a.at_us > lim.duration_us) {
        ctx.fail(f.path("at_ms"), format_ms(a.at_us) +
                                      " ms is after the end of the run (duration_ms " +
                                      format_ms(lim.duration_us) + ")");
    }
    parse_action_nodes(f, bits, a.kind, lim.node_count, &a);
    if (bits & kFieldGroups) parse_partition(f, lim.node_count, &a);
    parse_action_payload(f, bits, a.kind, &a);
    if (!ctx.ok()) return false;
    *out = std::move(a);
    return true;
}

bool parse_actions(Ctx& ctx, const JsonValue& v, const std::string& path, const ActionLimits& lim,
                   std::vector<Action>* out) {
    if (!expect_array(ctx, v, path, lim.max_items)) return false;
    std::vector<Action> actions;
    actions.reserve(v.items.size());
    for (size_t i = 0; i < v.items.size(); ++i) {
        Action a;
        std::string p = item_path(path, i);
        if (!parse_action(ctx, v.items[i], p, lim, &a)) return false;
        if (lim.time_ordered && !actions.empty() && a.at_us < actions.back().at_us) {
            return ctx.fail(join_path(p, "at_ms"), format_ms(a.at_us) +
                                                       " ms is before the previous action (" +
                                                       format_ms(actions.back().at_us) +
                                                       " ms); inputs must be in time order");
        }
        actions.push_back(std::move(a));
    }
    // Humans may group steps by topic; the run needs them by time. Stable,
    // so steps at the same time keep their written order.
    std::stable_sort(actions.begin(), actions.end(),
                     [](const Action& x, const Action& y) { return x.at_us < y.at_us; });
    *out = std::move(actions);
    return true;
}

void write_node_ref(JsonWriter& w, std::string_view key, const NodeRef& ref) {
    if (ref.sel == NodeSelector::kNone) return;
    w.key(key);
    if (ref.sel == NodeSelector::kId) {
        w.integer(ref.id);
    } else {
        w.string(selector_name(ref.sel));
    }
}

void write_action_payload(JsonWriter& w, const Action& a, uint32_t bits) {
    if (bits & kFieldKey) w.key("key").string(a.key);
    if ((bits & kFieldEntriesOnly) && a.entries_only) w.key("entries_only").boolean(true);
    if (bits & kFieldExpected) w.key("expected").string(a.expected);
    if (bits & kFieldValue) w.key("value").string(a.value);
    if (bits & kFieldCount) w.key("count").integer(a.count);
    if (bits & kFieldMsg) w.key("msg").integer(a.msg_id);
    if (bits & kFieldDelay) w.key("delay_ms").millis(a.delay_us);
    if (bits & kFieldNetwork) {
        if (a.loss_ppm >= 0) w.key("loss").fraction(a.loss_ppm);
        if (a.latency_us_min >= 0 && a.latency_us_max >= 0) {
            w.key("latency_ms").millis_range(a.latency_us_min, a.latency_us_max);
        }
        if (a.duplicate_ppm >= 0) w.key("duplicate").fraction(a.duplicate_ppm);
    }
}

void write_action(JsonWriter& w, const Action& a) {
    uint32_t bits = action_fields(a.kind);
    w.begin_object();
    w.key("at_ms").millis(a.at_us);
    w.key("do").string(action_name(a.kind));
    if (a.jitter_heartbeat) {
        w.key("jitter_ms").string("heartbeat");
    } else if (a.jitter_us > 0) {
        w.key("jitter_ms").millis(a.jitter_us);
    }
    if (!a.jitter_group.empty()) w.key("jitter_group").string(a.jitter_group);
    if (bits & kFieldAnyNode) write_node_ref(w, "node", a.node);
    if (bits & kFieldLink) write_node_ref(w, "to", a.to);
    if ((bits & kFieldGroups) && a.isolate_leader_with >= 0) {
        w.key("isolate_leader_with").integer(a.isolate_leader_with);
    } else if (bits & kFieldGroups) {
        w.key("groups").begin_array();
        for (const auto& group : a.groups) {
            w.begin_array();
            for (raft::NodeId id : group)
                w.integer(id);
            w.end_array();
        }
        w.end_array();
    }
    write_action_payload(w, a, bits);
    w.end_object();
}

void write_actions(JsonWriter& w, const std::vector<Action>& actions) {
    w.begin_array();
    for (const Action& a : actions)
        write_action(w, a);
    w.end_array();
}

// ===========================================================================
// 8. Scenarios
// ===========================================================================

void parse_expect(Ctx& ctx, const JsonValue& v, const std::string& path, Scenario* s) {
    Fields f(&ctx, v, path, {"converged"});
    f.boolean("converged", &s->expect_converged);
}

bool scenario_from_tree(Ctx& ctx, const JsonValue& root, const std::string& path, Scenario* out,
                        bool* had_name) {
    Fields f(&ctx, root, path,
             {"name", "description", "cluster", "network", "disk", "clock", "workload", "preset",
              "duration_ms", "expect", "timeline"});
    Scenario s;
    f.string("name", 100, true, &s.name);
    f.string("description", 4'000, false, &s.description);
    if (const JsonValue* v = f.get("cluster"))
        parse_cluster(ctx, *v, f.path("cluster"), &s.cluster);
    if (const JsonValue* v = f.get("network"))
        parse_network(ctx, *v, f.path("network"), &s.network);
    if (const JsonValue* v = f.get("disk")) parse_disk(ctx, *v, f.path("disk"), &s.disk);
    if (const JsonValue* v = f.get("clock")) {
        Fields c(&ctx, *v, f.path("clock"), {"timer_late_ms"});
        c.millis("timer_late_ms", 0, 1'000'000, &s.clock.timer_late_us_max);
    }
    if (const JsonValue* v = f.get("workload"))
        parse_workload(ctx, *v, f.path("workload"), &s.workload);
    f.millis("duration_ms", 1, kMaxSimTimeUs, &s.duration_us);
    if (const JsonValue* v = f.get("preset")) {
        parse_preset(ctx, *v, f.path("preset"), s.cluster.node_count, &s.preset);
        PresetProblem problem;
        if (ctx.ok() && !check_preset_reachable(s.preset, s.cluster.node_count, &problem)) {
            ctx.fail(f.path("preset") + problem.path, problem.reason);
        }
    }
    if (const JsonValue* v = f.get("expect")) parse_expect(ctx, *v, f.path("expect"), &s);
    if (const JsonValue* v = f.get("timeline")) {
        ActionLimits lim{s.cluster.node_count, s.duration_us, kMaxTimelineSteps, false};
        parse_actions(ctx, *v, f.path("timeline"), lim, &s.timeline);
    }
    std::string field, reason;
    if (ctx.ok() && !check_run_estimate(s, {}, &field, &reason)) {
        ctx.fail(join_path(path, field), reason);
    }
    if (!ctx.ok()) return false;
    if (had_name) *had_name = root.find("name") != nullptr;
    *out = std::move(s);
    return true;
}

bool parse_scenario_impl(const std::string& text, const std::string& source,
                         const std::vector<std::string>& overrides, Scenario* out,
                         std::string* error, bool* had_name) {
    std::string why;
    if (text.size() > kMaxScenarioBytes) {
        *error = source + ": limit scenario_bytes_max: too large (" + std::to_string(text.size()) +
                 " bytes, at most " + std::to_string(kMaxScenarioBytes) + ")";
        return false;
    }
    JsonValue root;
    if (!parse_json(text, "", &root, &why)) {
        *error = source + ": " + why;
        return false;
    }
    for (const std::string& spec : overrides) {
        if (!apply_override(&root, spec, &why)) {
            *error = source + ": " + why;
            return false;
        }
    }
    Ctx ctx{source, ""};
    if (!scenario_from_tree(ctx, root, "", out, had_name)) {
        *error = ctx.error;
        return false;
    }
    return true;
}

void write_cluster(JsonWriter& w, const raft::Config& c) {
    w.key("cluster").begin_object();
    w.key("nodes").integer(c.node_count);
    w.key("election_timeout_ms").millis_range(c.election_timeout_us_min, c.election_timeout_us_max);
    w.key("heartbeat_ms").millis(c.heartbeat_us);
    w.key("pre_vote").boolean(c.pre_vote);
    w.key("check_quorum").boolean(c.check_quorum);
    // Written only when set: files and links of default scenarios stay as
    // they were before the option existed.
    if (c.step_down_on_rejection) w.key("step_down_on_rejection").boolean(true);
    w.key("snapshot_threshold").integer(c.snapshot_threshold);
    w.key("snapshot_catch_up_entries").integer(c.snapshot_catch_up_entries);
    w.key("max_entries_per_append").integer(c.max_entries_per_append);
    w.key("max_inflight_appends").integer(c.max_inflight_appends);
    w.key("read_mode").string(c.read_mode == raft::ReadMode::kReadIndex ? "read_index" : "log");
    w.key("mutations").begin_array();
    for (int bit = 0; bit < 32; ++bit) {
        const char* name = raft::mutation_name(1u << bit);
        if ((c.mutations & (1u << bit)) && std::strcmp(name, "?") != 0) w.string(name);
    }
    w.end_array();
    w.end_object();
}

void write_models(JsonWriter& w, const Scenario& s) {
    const NetworkModel& n = s.network;
    w.key("network").begin_object();
    w.key("latency_ms").millis_range(n.latency_us_min, n.latency_us_max);
    w.key("tail").fraction(n.tail_ppm);
    w.key("tail_ms_max").millis(n.tail_us_max);
    w.key("loss").fraction(n.loss_ppm);
    w.key("duplicate").fraction(n.duplicate_ppm);
    w.end_object();
    const DiskModel& d = s.disk;
    w.key("disk").begin_object();
    w.key("fsync_ms").millis_range(d.fsync_us_min, d.fsync_us_max);
    w.key("torn_write").fraction(d.torn_write_ppm);
    w.key("corrupt").fraction(d.corrupt_ppm);
    w.end_object();
    // Written only when set: files and links of other scenarios stay as
    // they were before the clock model existed.
    if (s.clock.timer_late_us_max > 0) {
        w.key("clock").begin_object();
        w.key("timer_late_ms").millis(s.clock.timer_late_us_max);
        w.end_object();
    }
}

void write_workload(JsonWriter& w, const Workload& wl) {
    w.key("workload").begin_object();
    w.key("clients").integer(wl.clients);
    w.key("rate_per_s").integer(wl.rate_per_s);
    w.key("keys").integer(wl.keys);
    w.key("value_bytes").integer(wl.value_bytes);
    w.key("mix").begin_object();
    w.key("put").fraction(wl.put_ppm);
    w.key("get").fraction(wl.get_ppm);
    w.key("delete").fraction(wl.delete_ppm);
    w.key("cas").fraction(wl.cas_ppm);
    w.end_object();
    w.key("timeout_ms").millis(wl.timeout_us);
    w.key("retry_ms").millis(wl.retry_us);
    w.key("start_ms").millis(wl.start_us);
    w.key("stop_ms");
    if (wl.stop_us < 0) {
        w.null();
    } else {
        w.millis(wl.stop_us);
    }
    w.end_object();
}

void write_preset(JsonWriter& w, const std::vector<PresetNode>& preset) {
    w.key("preset").begin_array();
    for (const PresetNode& p : preset) {
        w.begin_object();
        w.key("node").integer(p.id);
        w.key("term").integer(p.current_term);
        w.key("voted_for");
        if (p.voted_for == raft::kNone) {
            w.null();
        } else {
            w.integer(p.voted_for);
        }
        // Command entries are written as bare terms, the common case in the
        // paper's figures; other types need the object form.
        w.key("log").begin_array();
        for (const PresetEntry& e : p.log) {
            if (e.type == raft::EntryType::kCommand) {
                w.integer(e.term);
            } else {
                w.begin_object()
                    .key("term")
                    .integer(e.term)
                    .key("type")
                    .string("noop")
                    .end_object();
            }
        }
        w.end_array();
        w.key("alive").boolean(p.alive);
        w.end_object();
    }
    w.end_array();
}

void write_scenario(JsonWriter& w, const Scenario& s) {
    w.begin_object();
    w.key("name").string(s.name);
    w.key("description").string(s.description);
    write_cluster(w, s.cluster);
    write_models(w, s);
    write_workload(w, s.workload);
    write_preset(w, s.preset);
    w.key("duration_ms").millis(s.duration_us);
    w.key("expect").begin_object().key("converged").boolean(s.expect_converged).end_object();
    w.key("timeline");
    write_actions(w, s.timeline);
    w.end_object();
}

// ===========================================================================
// 9. Run files
// ===========================================================================

constexpr const char* kRunFormat = "raftplay-run";
constexpr int64_t kRunVersion = 1;

bool read_seed(Ctx& ctx, const JsonValue& v, const std::string& path, uint64_t* out) {
    if (!ctx.ok()) return false;
    // A string keeps all 64 bits exact in JavaScript; a plain integer is
    // accepted for hand-written files.
    if ((v.kind == Kind::kString || v.kind == Kind::kNumber) && parse_u64(v.text, out)) return true;
    return ctx.fail(path,
                    "expected a 64-bit unsigned integer as a decimal string, got " + shown(v));
}

bool is_lower_hex(const std::string& s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool run_from_tree(Ctx& ctx, const JsonValue& root, RunFile* out) {
    Fields f(&ctx, root, "",
             {"format", "version", "scenario", "seed", "inputs", "digest", "cursor_us"});
    std::string format;
    int64_t version = 0;
    if (f.require("format")) f.string("format", 64, true, &format);
    if (ctx.ok() && format != kRunFormat) {
        ctx.fail("format", "expected \"raftplay-run\", got " + shown(*f.get("format")));
    }
    if (f.require("version")) f.integer("version", 1, 1'000'000, &version);
    if (ctx.ok() && version != kRunVersion) {
        ctx.fail("version",
                 "version " + std::to_string(version) + " is not supported (this build reads 1)");
    }
    RunFile run;
    if (f.require("scenario"))
        scenario_from_tree(ctx, *f.get("scenario"), "scenario", &run.scenario, nullptr);
    if (f.require("seed")) read_seed(ctx, *f.get("seed"), "seed", &run.seed);
    if (const JsonValue* v = f.get("inputs")) {
        ActionLimits lim{run.scenario.cluster.node_count, -1, kMaxInputs, true};
        parse_actions(ctx, *v, "inputs", lim, &run.inputs);
    }
    f.string("digest", 128, false, &run.digest);
    if (ctx.ok() && !is_lower_hex(run.digest)) ctx.fail("digest", "expected lowercase hex");
    f.integer("cursor_us", -1, kMaxSimTimeUs, &run.cursor_us);
    std::string field, reason;
    if (ctx.ok() && !check_run_estimate(run.scenario, run.inputs, &field, &reason)) {
        ctx.fail(field.rfind("inputs", 0) == 0 ? field : join_path("scenario", field), reason);
    }
    if (!ctx.ok()) return false;
    *out = std::move(run);
    return true;
}

// ===========================================================================
// 10. Share-link fragments
// ===========================================================================

constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    uint32_t acc = 0;
    int bits = 0;
    for (char c : bytes) {
        acc = (acc << 8) | static_cast<unsigned char>(c);
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += kBase64Url[(acc >> bits) & 63];
        }
    }
    if (bits > 0) out += kBase64Url[(acc << (6 - bits)) & 63];
    return out;  // unpadded, as URLs prefer
}

int base64url_value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}

bool base64url_decode(std::string_view text, std::string* out, std::string* why) {
    while (!text.empty() && text.back() == '=')
        text.remove_suffix(1);  // tolerate padding
    if (text.size() % 4 == 1) {
        *why = "invalid base64url (truncated: " + std::to_string(text.size()) + " characters)";
        return false;
    }
    out->clear();
    out->reserve(text.size() / 4 * 3 + 2);
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        int v = base64url_value(text[i]);
        if (v < 0) {
            *why = "invalid base64url character at position " + std::to_string(i);
            return false;
        }
        acc = (acc << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out->push_back(static_cast<char>((acc >> bits) & 0xff));
        }
    }
    return true;
}

// Printable, bounded text of untrusted input for an error message.
std::string sanitized(std::string_view s) {
    std::string out;
    for (char c : s.substr(0, 32))
        out += (c >= 0x20 && c < 0x7f) ? c : '?';
    if (s.size() > 32) out += "...";
    return out;
}

bool is_scenario_name(std::string_view s) {
    if (s.empty() || s.size() > 64) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

// The fragment's parameters, each at most once.
struct FragmentParams {
    static constexpr const char* kNames[] = {"v", "s", "sc", "seed", "t", "d", "in"};
    static constexpr size_t kCount = 7;
    bool present[kCount] = {};
    std::string_view value[kCount];
    const std::string_view* get(std::string_view name) const {
        for (size_t i = 0; i < kCount; ++i) {
            if (name == kNames[i]) return present[i] ? &value[i] : nullptr;
        }
        return nullptr;
    }
};

bool split_fragment(std::string_view f, FragmentParams* params, std::string* why) {
    size_t parts = 0;
    while (!f.empty()) {
        size_t amp = f.find('&');
        std::string_view part = f.substr(0, amp);
        f = amp == std::string_view::npos ? std::string_view() : f.substr(amp + 1);
        if (part.empty()) continue;
        if (++parts > 16) return (*why = "too many parameters", false);
        size_t eq = part.find('=');
        std::string_view name = part.substr(0, eq);
        if (eq == std::string_view::npos) {
            return (*why = "parameter \"" + sanitized(name) + "\" has no value", false);
        }
        size_t k = 0;
        while (k < FragmentParams::kCount && name != FragmentParams::kNames[k])
            ++k;
        if (k == FragmentParams::kCount) {
            return (*why = "unknown parameter \"" + sanitized(name) + "\"", false);
        }
        if (params->present[k])
            return (*why = "parameter \"" + std::string(name) + "\" given twice", false);
        params->present[k] = true;
        params->value[k] = part.substr(eq + 1);
    }
    return true;
}

// Scalars: version, scenario choice, seed, cursor, digest.
bool fragment_scalars(const FragmentParams& p, RunFile* run, std::string* builtin,
                      std::string* why) {
    if (const auto* v = p.get("v"); v && *v != "1") {
        return (*why = "v: version \"" + sanitized(*v) + "\" is not supported (this build reads 1)",
                false);
    }
    const auto* s = p.get("s");
    const auto* sc = p.get("sc");
    if ((s == nullptr) == (sc == nullptr)) {
        return (*why = "needs exactly one of s (a built-in scenario) or sc (a scenario)", false);
    }
    if (s && !is_scenario_name(*s))
        return (*why = "s: not a scenario name: \"" + sanitized(*s) + "\"", false);
    if (s) *builtin = std::string(*s);
    const auto* seed = p.get("seed");
    if (seed == nullptr) return (*why = "seed: missing", false);
    if (!parse_u64(*seed, &run->seed)) {
        return (*why = "seed: expected a 64-bit unsigned integer, got \"" + sanitized(*seed) + "\"",
                false);
    }
    if (const auto* t = p.get("t")) {
        uint64_t cursor = 0;
        if (!parse_u64(*t, &cursor) || cursor > static_cast<uint64_t>(kMaxSimTimeUs)) {
            return (*why = "t: expected a time in microseconds (0.." +
                           std::to_string(kMaxSimTimeUs) + "), got \"" + sanitized(*t) + "\"",
                    false);
        }
        run->cursor_us = static_cast<int64_t>(cursor);
    }
    if (const auto* d = p.get("d")) {
        run->digest = std::string(*d);
        if (run->digest.size() > 128 || !is_lower_hex(run->digest)) {
            return (*why = "d: expected a lowercase hex digest", false);
        }
    }
    return true;
}

bool decode_fragment_json(std::string_view b64, const char* param, JsonValue* out,
                          std::string* why) {
    std::string json, reason;
    if (!base64url_decode(b64, &json, &reason)) {
        *why = std::string(param) + ": " + reason;
        return false;
    }
    return parse_json(json, param, out, why);
}

bool decode_fragment_impl(std::string_view f, RunFile* run, std::string* builtin,
                          std::string* why) {
    if (!f.empty() && f[0] == '#') f.remove_prefix(1);
    if (f.size() > kMaxFragmentBytes) {
        return (*why = "limit fragment_bytes_max: too long (" + std::to_string(f.size()) +
                       " bytes, at most " + std::to_string(kMaxFragmentBytes) + ")",
                false);
    }
    if (f.empty()) return (*why = "empty", false);
    FragmentParams params;
    if (!split_fragment(f, &params, why) || !fragment_scalars(params, run, builtin, why))
        return false;
    if (const auto* sc = params.get("sc")) {
        JsonValue tree;
        if (!decode_fragment_json(*sc, "sc", &tree, why)) return false;
        Ctx ctx{"", ""};
        if (!scenario_from_tree(ctx, tree, "sc", &run->scenario, nullptr))
            return (*why = ctx.error, false);
    }
    if (const auto* in = params.get("in")) {
        JsonValue tree;
        if (!decode_fragment_json(*in, "in", &tree, why)) return false;
        int nodes = builtin->empty() ? run->scenario.cluster.node_count : raft::kMaxNodes;
        Ctx ctx{"", ""};
        if (!parse_actions(ctx, tree, "in", ActionLimits{nodes, -1, kMaxInputs, true},
                           &run->inputs)) {
            return (*why = ctx.error, false);
        }
    }
    std::string field, reason;
    if (builtin->empty() && !check_run_estimate(run->scenario, run->inputs, &field, &reason)) {
        return (*why = (field.rfind("inputs", 0) == 0 ? "in" + field.substr(6) : "sc." + field) +
                       ": " + reason,
                false);
    }
    return true;
}

// ===========================================================================
// 11. Files
// ===========================================================================

bool read_file(const std::string& path, std::string* text, std::string* error) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
        *error = path + ": cannot open (" + std::strerror(errno) + ")";
        return false;
    }
    text->clear();
    char buffer[65536];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
        text->append(buffer, n);
        if (text->size() > kMaxScenarioBytes) break;
    }
    bool failed = std::ferror(file) != 0;
    std::fclose(file);
    if (failed) {
        *error = path + ": read error";
        return false;
    }
    return true;  // an oversized text is reported by the parser
}

std::string base_name_without_json(const std::string& path) {
    size_t slash = path.find_last_of("/\\");
    std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    if (base.size() > 5 && base.compare(base.size() - 5, 5, ".json") == 0)
        base.resize(base.size() - 5);
    return base;
}

constexpr const char* kActionNames[] = {
    "kill",      "restart",     "pause",          "resume",          "partition", "cut",
    "heal",      "set_network", "clog",           "unclog",          "put",       "get",
    "delete",    "cas",         "stress",         "campaign",        "snapshot",  "drop_msg",
    "delay_msg", "dup_msg",     "pause_workload", "resume_workload",
};
static_assert(sizeof(kActionNames) / sizeof(kActionNames[0]) ==
              static_cast<size_t>(ActionKind::kCount));

}  // namespace

// ===========================================================================
// Public API
// ===========================================================================

const char* action_name(ActionKind k) {
    size_t i = static_cast<size_t>(k);
    return i < static_cast<size_t>(ActionKind::kCount) ? kActionNames[i] : "?";
}

bool action_from_name(const std::string& name, ActionKind* out) {
    for (size_t i = 0; i < static_cast<size_t>(ActionKind::kCount); ++i) {
        if (name == kActionNames[i]) {
            *out = static_cast<ActionKind>(i);
            return true;
        }
    }
    return false;
}

bool parse_scenario(const std::string& json_text, const std::string& source_name,
                    const std::vector<std::string>& overrides, Scenario* out, std::string* error) {
    return parse_scenario_impl(json_text, source_name, overrides, out, error, nullptr);
}

bool load_scenario_file(const std::string& path, const std::vector<std::string>& overrides,
                        Scenario* out, std::string* error) {
    std::string text;
    if (!read_file(path, &text, error)) return false;
    bool had_name = false;
    Scenario s;
    if (!parse_scenario_impl(text, path, overrides, &s, error, &had_name)) return false;
    if (!had_name) s.name = base_name_without_json(path);
    *out = std::move(s);
    return true;
}

std::string scenario_to_json(const Scenario& scenario) {
    JsonWriter w;
    write_scenario(w, scenario);
    return w.take();
}

std::string action_to_json(const Action& action) {
    JsonWriter w;
    write_action(w, action);
    return w.take();
}

bool parse_run_file(const std::string& text, const std::string& source_name, RunFile* out,
                    std::string* error) {
    if (text.size() > kMaxRunFileBytes) {
        *error = source_name + ": limit run_file_bytes_max: " + std::to_string(text.size()) +
                 " bytes, at most " + std::to_string(kMaxRunFileBytes);
        return false;
    }
    JsonValue root;
    std::string why;
    if (!parse_json(text, "", &root, &why)) {
        *error = source_name + ": " + why;
        return false;
    }
    Ctx ctx{source_name, ""};
    if (!run_from_tree(ctx, root, out)) {
        *error = ctx.error;
        return false;
    }
    return true;
}

std::string run_file_to_json(const RunFile& run) {
    JsonWriter w;
    w.begin_object();
    w.key("format").string(kRunFormat);
    w.key("version").integer(kRunVersion);
    w.key("scenario");
    write_scenario(w, run.scenario);
    w.key("seed").string(std::to_string(run.seed));
    w.key("inputs");
    write_actions(w, run.inputs);
    w.key("digest").string(run.digest);
    w.key("cursor_us").integer(run.cursor_us);
    w.end_object();
    return w.take();
}

std::string encode_fragment(const RunFile& run, const std::string& builtin_name_or_empty) {
    std::string f = "v=1&";
    if (!builtin_name_or_empty.empty()) {
        f += "s=" + builtin_name_or_empty;
    } else {
        f += "sc=" + base64url_encode(scenario_to_json(run.scenario));
    }
    f += "&seed=" + std::to_string(run.seed);
    if (run.cursor_us >= 0) f += "&t=" + std::to_string(run.cursor_us);
    if (!run.digest.empty()) f += "&d=" + run.digest;
    if (!run.inputs.empty()) {
        JsonWriter w;
        write_actions(w, run.inputs);
        f += "&in=" + base64url_encode(w.take());
    }
    return f;
}

bool decode_fragment(const std::string& fragment, RunFile* out, std::string* builtin_name,
                     std::string* error) {
    RunFile run;
    std::string builtin, why;
    if (!decode_fragment_impl(fragment, &run, &builtin, &why)) {
        *error = "share link: " + why;
        return false;
    }
    *out = std::move(run);
    *builtin_name = std::move(builtin);
    return true;
}

bool check_inputs(const Scenario& scenario, const std::vector<Action>& inputs, std::string* error) {
    // Re-reading the canonical text runs exactly the checks a file gets.
    JsonWriter w;
    write_actions(w, inputs);
    JsonValue tree;
    std::string why;
    if (!parse_json(w.take(), "inputs", &tree, &why)) {
        *error = "inputs: " + why;
        return false;
    }
    Ctx ctx{"", ""};
    std::vector<Action> parsed;
    ActionLimits lim{scenario.cluster.node_count, -1, kMaxInputs, true};
    if (!parse_actions(ctx, tree, "inputs", lim, &parsed)) {
        *error = ctx.error;
        return false;
    }
    std::string field, reason;
    if (!check_run_estimate(scenario, inputs, &field, &reason)) {
        *error = field + ": " + reason;
        return false;
    }
    return true;
}

}  // namespace sim
