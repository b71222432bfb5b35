// format/json.cpp — the JSON tree (built from rapidjson's SAX reader), exact
// decimal numbers, and the one writer (see json.h).
//
// Index
//   1. The tree: lookups, names and paths for messages
//   2. Building it: TreeBuilder, parse_json_tree, parse_json
//   3. Numbers
//   4. The writer
#include "format/json.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "format/json_input.h"
#include "rapidjson/internal/dtoa.h"
#include "sim/limits.h"

namespace sim {

// ===========================================================================
// 1. The tree
// ===========================================================================

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

const char* json_kind_name(JsonKind k) {
    switch (k) {
        case JsonKind::kNull:
            return "null";
        case JsonKind::kBool:
            return "a boolean";
        case JsonKind::kNumber:
            return "a number";
        case JsonKind::kString:
            return "a string";
        case JsonKind::kArray:
            return "an array";
        case JsonKind::kObject:
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
// Text of a value for an error message, bounded and printable.
std::string shown(const JsonValue& v) {
    if (v.kind != JsonKind::kNumber && v.kind != JsonKind::kString) return json_kind_name(v.kind);
    std::string s;
    for (char c : v.text.substr(0, 40)) {
        s.push_back(static_cast<unsigned char>(c) < 0x20 ? '?' : c);
    }
    if (v.text.size() > 40) s += "...";
    return v.kind == JsonKind::kString ? "\"" + s + "\"" : s;
}

// ===========================================================================
// 2. Building it
// ===========================================================================
// Our own tree instead of rapidjson::Document because we need (a) each
// number's exact text (kParseNumbersAsStringsFlag loses the number/string
// distinction in a Document), (b) duplicate-key detection, and (c) a depth
// limit so hostile input cannot exhaust the stack.

namespace {

class TreeBuilder {
  public:
    TreeBuilder(JsonValue* root, std::string root_path)
        : root_(root), root_path_(std::move(root_path)) {}

    bool Null() { return add(JsonValue{}) != nullptr; }
    bool Bool(bool b) {
        JsonValue v;
        v.kind = JsonKind::kBool;
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
        return add_text(JsonKind::kNumber, s, n);
    }
    bool String(const char* s, rapidjson::SizeType n, bool) {
        return add_text(JsonKind::kString, s, n);
    }
    bool Key(const char* s, rapidjson::SizeType n, bool) {
        key_.assign(s, n);
        key_pending_ = true;
        return true;
    }
    bool StartObject() { return open(JsonKind::kObject); }
    bool StartArray() { return open(JsonKind::kArray); }
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
        if (parent->kind == JsonKind::kArray) {
            parent->items.push_back(std::move(v));
            return &parent->items.back();
        }
        parent->members.push_back(JsonMember{key_, std::move(v)});
        key_pending_ = false;
        return &parent->members.back().value;
    }
    bool add_text(JsonKind kind, const char* s, rapidjson::SizeType n) {
        JsonValue v;
        v.kind = kind;
        v.text.assign(s, n);
        return add(std::move(v)) != nullptr;
    }
    bool open(JsonKind kind) {
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
        if (parent->kind == JsonKind::kArray) return item_path(paths_.back(), parent->items.size());
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

}  // namespace

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

bool parse_json_tree(std::string_view text, const std::string& root_path, JsonValue* out,
                     JsonParseError* error) {
    JsonValue root;
    TreeBuilder builder(&root, root_path);
    JsonInputError input;
    if (parse_json_sax<rapidjson::kParseNumbersAsStringsFlag>(text, builder, &input)) {
        *out = std::move(root);
        return true;
    }
    *error = JsonParseError{input.offset, input.reason, builder.error(), builder.current_path(),
                            input.nul_byte};
    return false;
}

bool parse_json(std::string_view text, const std::string& root_path, JsonValue* out,
                std::string* why) {
    JsonParseError error;
    if (parse_json_tree(text, root_path, out, &error)) return true;
    if (error.nul_byte) {
        *why = (root_path.empty() ? "" : root_path + ": ") + "invalid JSON: NUL byte at offset " +
               std::to_string(error.offset);
        return false;
    }
    size_t line = 0, column = 0;
    line_and_column(text, error.offset, &line, &column);
    std::string where = "line " + std::to_string(line) + ", column " + std::to_string(column) +
                        " (offset " + std::to_string(error.offset) + ")";
    if (!error.structure.empty()) {
        *why = error.structure + " at " + where;
    } else {
        *why = (error.path.empty() ? "" : error.path + ": ") + "invalid JSON at " + where + ": " +
               error.reason;
    }
    return false;
}

// ===========================================================================
// 3. Numbers
// ===========================================================================

namespace {

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

}  // namespace

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

// ===========================================================================
// 4. The writer
// ===========================================================================

JsonWriter& JsonWriter::key(std::string_view k) {
    prefix();
    append_string(k);
    return *this;
}

JsonWriter& JsonWriter::string(std::string_view s) {
    prefix();
    append_string(s);
    return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
    prefix();
    out_ += json;
    return *this;
}

JsonWriter& JsonWriter::number(double d) {
    if (!std::isfinite(d)) return null();
    char buffer[32];
    const char* end = rapidjson::internal::dtoa(d, buffer);
    return raw(std::string_view(buffer, static_cast<size_t>(end - buffer)));
}

JsonWriter& JsonWriter::value(const JsonValue& v) {
    switch (v.kind) {
        case JsonKind::kNull:
            return null();
        case JsonKind::kBool:
            return boolean(v.boolean);
        case JsonKind::kNumber:
            return raw(v.text);
        case JsonKind::kString:
            return string(v.text);
        case JsonKind::kArray:
            begin_array();
            for (const JsonValue& item : v.items)
                value(item);
            return end_array();
        case JsonKind::kObject:
            begin_object();
            for (const JsonMember& m : v.members)
                key(m.key).value(m.value);
            return end_object();
    }
    return *this;
}

JsonWriter& JsonWriter::open(char c, bool array) {
    prefix();
    out_ += c;
    levels_.push_back(Level{array, 0});
    return *this;
}

JsonWriter& JsonWriter::close(char c) {
    const bool empty = levels_.empty() || levels_.back().count == 0;
    if (!levels_.empty()) levels_.pop_back();
    if (pretty_ && !empty) newline_indent();
    out_ += c;
    return *this;
}

// What comes before a key or a value: nothing at the top; in an array a
// comma after the first item; in an object a comma before each key and a
// colon before each value. kPretty puts each item and each key on a line.
void JsonWriter::prefix() {
    if (levels_.empty()) return;
    Level& level = levels_.back();
    const bool item_or_key = level.array || level.count % 2 == 0;
    if (item_or_key) {
        if (level.count > 0) out_ += ',';
        if (pretty_) newline_indent();
    } else {
        out_ += pretty_ ? ": " : ":";
    }
    ++level.count;
}

void JsonWriter::newline_indent() {
    out_ += '\n';
    out_.append(2 * levels_.size(), ' ');
}

void JsonWriter::append_string(std::string_view s) {
    const bool report = dialect_ == JsonDialect::kReport;
    const char* hex = report ? "0123456789ABCDEF" : "0123456789abcdef";
    out_ += '"';
    for (char c : s) {
        const unsigned char u = static_cast<unsigned char>(c);
        char short_form = 0;
        if (c == '"' || c == '\\') short_form = c;
        if (c == '\n') short_form = 'n';
        if (c == '\t') short_form = 't';
        if (report && c == '\b') short_form = 'b';
        if (report && c == '\f') short_form = 'f';
        if (report && c == '\r') short_form = 'r';
        if (short_form != 0) {
            out_ += '\\';
            out_ += short_form;
        } else if (u < 0x20) {
            out_ += "\\u00";
            out_ += hex[u >> 4];
            out_ += hex[u & 15];
        } else {
            out_ += c;
        }
    }
    out_ += '"';
}

}  // namespace sim
