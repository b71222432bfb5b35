// format/json_input.h — the one way raftplay hands outside bytes to rapidjson.
//
// Owns a length-bounded input stream and the parse entry point built on it.
// Every JSON text from outside (scenario files, --set values, run files,
// share links, client histories) goes through parse_json_sax(), whose one
// caller is the format layer's tree (format/json.h: parse_json_tree);
// nothing else in the project may construct a rapidjson reader over a
// string.
//
// Why: rapidjson 1.1.0's StringStream trusts the terminating NUL. With
// kParseValidateEncodingFlag, a text that ends inside a multi-byte UTF-8
// sequence makes the validator Take() the continuation bytes it expects,
// stepping over the terminator and reading past the buffer (upstream
// Tencent/rapidjson#1636; ASan shows it, the page may read garbage).
// BoundedStream cannot do that: at the end of the given length Peek() and
// Take() return '\0' and the position stops, so the validator sees a
// non-continuation byte and reports an invalid encoding.
//
// For text that is not JSON but must meet the same rule (a --set value taken
// as a plain string), is_valid_utf8() uses the same validator.
//
// The entry point always validates UTF-8 and parses iteratively (no recursion
// on hostile nesting), and rejects a NUL byte anywhere in the text: rapidjson
// would otherwise take it for the end and silently ignore what follows.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <string>
#include <string_view>

#include "rapidjson/error/en.h"
#include "rapidjson/reader.h"

namespace sim {

// A rapidjson input stream (the Stream concept, read-only) over
// [data, data + size). Never reads outside that range.
class BoundedStream {
  public:
    using Ch = char;
    BoundedStream(const char* data, size_t size) : begin_(data), cur_(data), end_(data + size) {}
    Ch Peek() const { return cur_ == end_ ? '\0' : *cur_; }
    Ch Take() { return cur_ == end_ ? '\0' : *cur_++; }
    size_t Tell() const { return static_cast<size_t>(cur_ - begin_); }
    // Write operations exist only for rapidjson's in-situ parsing, which the
    // entry point below refuses at compile time; reaching one is a bug.
    Ch* PutBegin() { std::abort(); }
    void Put(Ch) { std::abort(); }
    void Flush() { std::abort(); }
    size_t PutEnd(Ch*) { std::abort(); }

  private:
    const char* begin_;
    const char* cur_;
    const char* end_;
};

// Flags every parse of outside text uses.
constexpr unsigned kJsonInputFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

// Where and why a parse failed. `offset` is a byte offset into the text;
// `reason` is rapidjson's message (or the NUL-byte message). A SAX handler
// that stopped the parse leaves reason "Terminate parsing due to Handler
// error." and keeps its own, better message.
struct JsonInputError {
    size_t offset = 0;
    std::string reason;
    bool nul_byte = false;  // the text holds a NUL byte at `offset`; nothing was parsed
};

// The offset of the first NUL byte, or npos.
inline size_t find_nul(std::string_view text) {
    return text.find('\0');
}

// Whether `text` is valid UTF-8 (NUL bytes allowed), by rapidjson's own
// validator over a BoundedStream: the rule JSON strings are held to.
inline bool is_valid_utf8(std::string_view text) {
    struct Discard {
        void Put(char) {}
    } sink;
    BoundedStream stream(text.data(), text.size());
    while (stream.Tell() < text.size()) {
        if (!rapidjson::UTF8<>::Validate(stream, sink)) return false;
    }
    return true;
}

// Parses `text` with a SAX handler. `kExtraFlags` adds flags (e.g.
// kParseNumbersAsStringsFlag); in-situ parsing is not allowed (the text is
// const and the stream read-only).
template <unsigned kExtraFlags = 0, typename Handler>
bool parse_json_sax(std::string_view text, Handler& handler, JsonInputError* error) {
    static_assert((kExtraFlags & rapidjson::kParseInsituFlag) == 0, "in-situ parsing writes");
    const size_t nul = find_nul(text);
    if (nul != std::string_view::npos) {
        *error = {nul, "NUL byte in the text", true};
        return false;
    }
    BoundedStream stream(text.data(), text.size());
    rapidjson::Reader reader;
    reader.Parse<kJsonInputFlags | kExtraFlags>(stream, handler);
    if (!reader.HasParseError()) return true;
    *error = {reader.GetErrorOffset(), rapidjson::GetParseError_En(reader.GetParseErrorCode())};
    return false;
}

}  // namespace sim
