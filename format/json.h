// format/json.h — the one JSON reader and writer of the format layer.
//
// Owns three things every format shares, so no format writes its own:
//   1. The tree: JsonValue, built from rapidjson's SAX reader over a
//      BoundedStream (format/json_input.h). It keeps each number's exact text
//      (so numbers convert with integer arithmetic only, identically on every
//      platform), rejects duplicate keys, and stops at "json_depth_max"
//      nesting (sim/limits.h) so hostile input cannot exhaust the stack.
//   2. The reader: ReadCtx and Fields walk a tree with field-path-aware
//      errors — "scenario.timeline[3].at_ms: expected a time in ms, got a
//      string" — collecting the first error; every reader is a no-op once one
//      failed, so a format's section parsers need no error plumbing.
//   3. The writer: JsonWriter, with stable key order (the caller's) and the
//      number and string formatting every output has always had, so that
//      run files, share links, summaries and histories stay byte-identical.
//
// Must not know any format: no scenario, action or history field appears
// here. Never throws, never crashes on hostile input; failures are `false`
// with a message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sim {

// ===========================================================================
// 1. The tree
// ===========================================================================

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
using JsonKind = JsonValue::Kind;

// "a number", "an object", ... (for messages).
const char* json_kind_name(JsonKind k);

// Where and why a parse failed. `offset` is a byte offset into the text.
// Either `structure` is set (a duplicate key or too deep a nesting, with
// its path and line) or `reason` is rapidjson's message at `path`.
struct JsonParseError {
    size_t offset = 0;
    std::string reason;  // the syntax error, e.g. "Missing a comma or ']' after an array element."
    std::string structure;  // "timeline[0].do: duplicate key"; empty for a syntax error
    std::string path;       // the value the reader was in when it stopped
    bool nul_byte = false;  // the text holds a NUL byte at `offset`; nothing was parsed
};

// Parses strict JSON (no comments, no NaN, valid UTF-8) into a tree. Paths
// in errors start at `root_path` (e.g. "in" for a share link's inputs).
bool parse_json_tree(std::string_view text, const std::string& root_path, JsonValue* out,
                     JsonParseError* error);

// parse_json_tree with the error as one sentence (without the source name):
//   "timeline[2]: invalid JSON at line 9, column 5 (offset 180): Missing a ..."
bool parse_json(std::string_view text, const std::string& root_path, JsonValue* out,
                std::string* why);

// 1-based line and column of a byte offset.
void line_and_column(std::string_view text, size_t offset, size_t* line, size_t* column);

// ---- paths and values in messages ----------------------------------------------
std::string join_path(const std::string& path, std::string_view key);  // "a.b"
std::string item_path(const std::string& path, size_t i);              // "a[3]"
std::string count_text(size_t n, const char* noun);                    // "1 item", "2 items"
// A key or value from the input as shown in a message: bounded and
// printable, since hostile input may carry huge or binary text.
std::string printable_key(std::string_view key);
std::string shown(const JsonValue& v);

// ===========================================================================
// Numbers: exact decimal text -> scaled integers, and back
// ===========================================================================

enum class NumStatus : uint8_t { kOk, kRounded, kTooLarge, kSyntax };

// round(value * 10^scale), half away from zero, using only integer math on
// the number's text. |result| stays below 10^18.
NumStatus scale_decimal(std::string_view text, int scale, int64_t* out);
// Unsigned 64-bit decimal (seeds): digits only, overflow checked.
bool parse_u64(std::string_view text, uint64_t* out);
// v / 10^scale as the shortest exact decimal text: 1500 (scale 3) -> "1.5".
std::string format_scaled(int64_t v, int scale);
inline std::string format_ms(int64_t us) {
    return format_scaled(us, 3);
}

// ===========================================================================
// 2. The reader
// ===========================================================================

// Collects the first error; once failed, every reader is a no-op.
struct ReadCtx {
    std::string source;  // prefixes the error ("scenarios/x.json"); may be empty
    std::string error;
    bool ok() const { return error.empty(); }
    // Records "source: path: reason" (the first time only); returns false.
    bool fail(const std::string& path, const std::string& reason);
};

// Each reader type-checks the value, converts it exactly and checks its
// range, naming `path` in the error; `*out` is written only on success.
bool read_int(ReadCtx& ctx, const JsonValue& v, const std::string& path, int64_t lo, int64_t hi,
              int64_t* out);
// Milliseconds with microsecond precision: "1.5" -> 1500 us.
bool read_millis(ReadCtx& ctx, const JsonValue& v, const std::string& path, int64_t lo_us,
                 int64_t hi_us, int64_t* out_us);
// A probability written as a fraction 0..1, stored in parts per million.
bool read_fraction(ReadCtx& ctx, const JsonValue& v, const std::string& path, int64_t* out_ppm);
bool read_bool(ReadCtx& ctx, const JsonValue& v, const std::string& path, bool* out);
bool read_string(ReadCtx& ctx, const JsonValue& v, const std::string& path, size_t max_len,
                 bool non_empty, std::string* out);
bool expect_array(ReadCtx& ctx, const JsonValue& v, const std::string& path, size_t max_items);

// The range checks the readers apply, as reasons (empty: in range), for
// checks of values that did not come from JSON (sim::validate).
std::string int_range_reason(int64_t x, int64_t lo, int64_t hi, const std::string& text);
std::string millis_range_reason(int64_t us, int64_t lo_us, int64_t hi_us, const std::string& text);
std::string string_reason(const std::string& s, size_t max_len, bool non_empty);

// An object's fields: checks the key set once, then reads fields by name.
// Absent fields leave the output untouched, so struct defaults apply.
class Fields {
  public:
    // `what` names the object in the unknown-key message ("for put").
    Fields(ReadCtx* ctx, const JsonValue& v, std::string path,
           const std::vector<std::string_view>& allowed, const char* what = nullptr);
    bool ok() const { return ctx_->ok(); }
    ReadCtx& ctx() const { return *ctx_; }
    const std::string& path() const { return path_; }
    std::string path(std::string_view key) const { return join_path(path_, key); }
    const JsonValue* get(std::string_view key) const { return ok() ? obj_->find(key) : nullptr; }
    bool require(std::string_view key, const std::string& why = "required") const;
    template <class T>
    void integer(std::string_view key, int64_t lo, int64_t hi, T* out) const {
        int64_t x = 0;
        if (const JsonValue* v = get(key); v && read_int(*ctx_, *v, path(key), lo, hi, &x)) {
            *out = static_cast<T>(x);
        }
    }
    void millis(std::string_view key, int64_t lo_us, int64_t hi_us, int64_t* out) const;
    void fraction(std::string_view key, int64_t* out_ppm) const;
    void boolean(std::string_view key, bool* out) const;
    void string(std::string_view key, size_t max_len, bool non_empty, std::string* out) const;
    // A [min, max] pair in ms; a single number means min == max.
    void millis_range(std::string_view key, int64_t lo_us, int64_t hi_us, int64_t* min_us,
                      int64_t* max_us) const;

  private:
    ReadCtx* ctx_;
    const JsonValue* obj_;
    std::string path_;
};

// ===========================================================================
// 3. The writer
// ===========================================================================

// Strings are escaped the way each output has always been written, so that
// no file, link or report changes by a byte:
//   kCanonical — scenarios, run files, share links: \" \\ \n \t, and any
//     other control character as \u00xx (lowercase hex).
//   kReport — summaries, histories, traces, CLI reports (once written by
//     rapidjson's Writer): \" \\ \b \f \n \r \t, others as \u00XX.
// Both copy every other byte as it is (the text is UTF-8 already).
enum class JsonDialect : uint8_t { kCanonical, kReport };

// Appends values in call order; keys come out in the order written.
// kPretty lays out one value per line with 2-space indents, exactly as
// rapidjson's PrettyWriter did ("key": value, empty containers as {} []).
class JsonWriter {
  public:
    enum Layout : uint8_t { kCompact, kPretty };
    explicit JsonWriter(JsonDialect dialect = JsonDialect::kCanonical, Layout layout = kCompact)
        : dialect_(dialect), pretty_(layout == kPretty) {}

    JsonWriter& begin_object() { return open('{', false); }
    JsonWriter& end_object() { return close('}'); }
    JsonWriter& begin_array() { return open('[', true); }
    JsonWriter& end_array() { return close(']'); }
    JsonWriter& key(std::string_view k);
    JsonWriter& string(std::string_view s);
    JsonWriter& integer(int64_t v) { return raw(std::to_string(v)); }
    JsonWriter& uinteger(uint64_t v) { return raw(std::to_string(v)); }
    JsonWriter& boolean(bool b) { return raw(b ? "true" : "false"); }
    JsonWriter& null() { return raw("null"); }
    // The shortest text that reads back to d (rapidjson's Grisu dtoa, as the
    // reports have always had); null for NaN or infinity.
    JsonWriter& number(double d);
    JsonWriter& millis(int64_t us) { return raw(format_ms(us)); }
    JsonWriter& fraction(int64_t ppm) { return raw(format_scaled(ppm, 6)); }
    JsonWriter& millis_range(int64_t min_us, int64_t max_us) {
        return begin_array().millis(min_us).millis(max_us).end_array();
    }
    // A value given as JSON text (a number's text, or compact JSON to embed
    // as it is; in kPretty use value() to lay out a tree).
    JsonWriter& raw(std::string_view json);
    // A parsed tree, laid out like everything else (numbers keep their text).
    JsonWriter& value(const JsonValue& v);
    std::string take() { return std::move(out_); }

  private:
    struct Level {
        bool array = false;
        size_t count = 0;  // values written (in an object: keys and values)
    };
    JsonWriter& open(char c, bool array);
    JsonWriter& close(char c);
    void prefix();
    void newline_indent();
    void append_string(std::string_view s);

    JsonDialect dialect_;
    bool pretty_;
    std::string out_;
    std::vector<Level> levels_;
};

}  // namespace sim
