// format/history_json.cpp — JSON-lines reader and writer for client histories,
// and op_status_name.
//
// Must not throw out of its API or assert on input: each line is read into
// the format layer's JSON tree (format/json.h: bounded by its length, UTF-8
// validated, iterative, depth-limited, duplicate keys refused) and every
// field is type-checked before use. Writes every field of every record so
// that write-then-read reproduces the history exactly.
#include "format/history_json.h"

#include <cstdint>
#include <fstream>
#include <sstream>

#include "format/json.h"
#include "sim/limits.h"

namespace sim {

namespace {

// The names are raft::op_name's (the one table of operation names); this
// format and the summary's logs are why those names must never change.
bool op_from_name(const std::string& s, raft::OpType* op) {
    for (raft::OpType o : {raft::OpType::kPut, raft::OpType::kGet, raft::OpType::kDelete,
                           raft::OpType::kCas, raft::OpType::kAppend}) {
        if (s == raft::op_name(o)) {
            *op = o;
            return true;
        }
    }
    return false;
}

bool status_from_name(const std::string& s, OpStatus* st) {
    for (OpStatus o : {OpStatus::kPending, OpStatus::kOk, OpStatus::kFail, OpStatus::kUnknown}) {
        if (s == op_status_name(o)) {
            *st = o;
            return true;
        }
    }
    return false;
}

// rapidjson's IsInt64 on the number's text: an integer literal (no fraction,
// no exponent) that fits in 64 bits; 1.0 and 1e2 are not integers here.
bool is_int64(const JsonValue& v, int64_t* out) {
    if (v.kind != JsonKind::kNumber) return false;
    std::string_view t = v.text;
    const bool negative = !t.empty() && t[0] == '-';
    if (negative) t.remove_prefix(1);
    uint64_t magnitude = 0;
    if (!parse_u64(t, &magnitude)) return false;
    const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
    if (magnitude > limit) return false;
    *out = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
    return true;
}

// ---------------------------------------------------------------------------
// Reading one record. Each accessor returns false after writing the error.

const char* kKnownFields[] = {"client",   "seq",         "op",          "key",       "value",
                              "expected", "invoke_us",   "complete_us", "status",    "found",
                              "output",   "cas_ok",      "node",        "log_index", "log_term",
                              "version",  "mod_revision"};

struct RecordReader {
    const JsonValue& obj;
    size_t line;
    std::string* error;

    bool fail(const char* field, const std::string& reason) {
        *error = "line " + std::to_string(line) + ": field \"" + field + "\": " + reason;
        return false;
    }
    const JsonValue* find(const char* field) const { return obj.find(field); }
    bool missing(const char* field) { return fail(field, "missing"); }

    // *present says whether the field exists and is not null.
    bool int64_field(const char* field, bool required, int64_t* out, bool* present = nullptr) {
        const JsonValue* v = find(field);
        bool has = v != nullptr && v->kind != JsonKind::kNull;
        if (present != nullptr) *present = has;
        if (!has) return required ? missing(field) : true;
        if (!is_int64(*v, out)) return fail(field, "expected an integer");
        return true;
    }
    bool int32_field(const char* field, bool required, int32_t* out) {
        int64_t v = *out;
        if (!int64_field(field, required, &v)) return false;
        if (v < INT32_MIN || v > INT32_MAX) return fail(field, "out of 32-bit range");
        *out = int32_t(v);
        return true;
    }
    bool string_field(const char* field, bool required, std::string* out, bool* present = nullptr) {
        const JsonValue* v = find(field);
        bool has = v != nullptr && v->kind != JsonKind::kNull;
        if (present != nullptr) *present = has;
        if (!has) return required ? missing(field) : true;
        if (v->kind != JsonKind::kString) return fail(field, "expected a string");
        *out = v->text;
        return true;
    }
    bool bool_field(const char* field, bool required, bool* out, bool* present = nullptr) {
        const JsonValue* v = find(field);
        bool has = v != nullptr && v->kind != JsonKind::kNull;
        if (present != nullptr) *present = has;
        if (!has) return required ? missing(field) : true;
        if (v->kind != JsonKind::kBool) return fail(field, "expected true or false");
        *out = v->boolean;
        return true;
    }
    bool no_unknown_fields() {
        for (const JsonMember& m : obj.members) {
            std::string name = m.key;
            bool known = false;
            for (const char* k : kKnownFields) {
                known = known || name == k;
            }
            // A hostile name is cut short; the message stays one readable line.
            if (name.size() > 40) name = name.substr(0, 40) + "...";
            if (!known) return fail(name.c_str(), "unknown field");
        }
        return true;
    }
};

bool read_enums(RecordReader* r, HistoryOp* op) {
    std::string name;
    if (!r->string_field("op", true, &name)) return false;
    if (!op_from_name(name, &op->op)) {
        return r->fail("op", "unknown op \"" + name + "\" (expected put, get, delete or cas)");
    }
    if (!r->string_field("status", true, &name)) return false;
    if (!status_from_name(name, &op->status)) {
        return r->fail("status",
                       "unknown status \"" + name + "\" (expected ok, fail, unknown or pending)");
    }
    return true;
}

bool read_times(RecordReader* r, HistoryOp* op) {
    if (!r->int64_field("invoke_us", true, &op->invoke_us)) return false;
    if (op->invoke_us < 0) return r->fail("invoke_us", "negative time");
    bool has_complete = false;
    op->complete_us = -1;
    if (!r->int64_field("complete_us", false, &op->complete_us, &has_complete)) return false;
    if (op->status == OpStatus::kOk && !has_complete) {
        return r->fail("complete_us", "missing (an ok operation must have completed)");
    }
    if (has_complete && op->complete_us < op->invoke_us) {
        return r->fail("complete_us", "earlier than invoke_us");
    }
    return true;
}

bool read_outcome(RecordReader* r, HistoryOp* op) {
    bool ok = op->status == OpStatus::kOk;
    bool has_found = false, has_output = false;
    if (!r->bool_field("found", false, &op->found, &has_found)) return false;
    if (!r->string_field("output", false, &op->output, &has_output)) return false;
    // Without `found`, a string output means found and a null one absent.
    if (!has_found) op->found = has_output;
    if (ok && op->op == raft::OpType::kGet && !has_found && r->find("output") == nullptr) {
        return r->fail("found", "missing (an ok get needs found or output)");
    }
    if (op->op == raft::OpType::kGet && op->found && !has_output) {
        return r->fail("output", "missing while found is true");
    }
    return r->bool_field("cas_ok", ok && op->op == raft::OpType::kCas, &op->cas_ok);
}

bool read_record(const JsonValue& v, size_t line, HistoryOp* op, std::string* error) {
    RecordReader r{v, line, error};
    if (!r.no_unknown_fields()) return false;
    if (!r.int32_field("client", true, &op->client)) return false;
    if (!r.int64_field("seq", false, &op->seq)) return false;
    if (!read_enums(&r, op)) return false;
    if (!r.string_field("key", true, &op->key)) return false;
    bool writes = op->op == raft::OpType::kPut || op->op == raft::OpType::kCas ||
                  op->op == raft::OpType::kAppend;
    if (!r.string_field("value", writes, &op->value)) return false;
    if (!r.string_field("expected", op->op == raft::OpType::kCas, &op->expected)) return false;
    if (!read_times(&r, op)) return false;
    if (!read_outcome(&r, op)) return false;
    if (!r.int64_field("log_index", false, &op->log_index)) return false;
    if (op->log_index < 0) return r.fail("log_index", "negative index");
    if (!r.int64_field("log_term", false, &op->log_term)) return false;
    if (op->log_term < 0) return r.fail("log_term", "negative term");
    if (!r.int64_field("version", false, &op->version)) return false;
    if (op->version < 0) return r.fail("version", "negative version");
    if (!r.int64_field("mod_revision", false, &op->mod_revision)) return false;
    if (op->mod_revision < 0) return r.fail("mod_revision", "negative revision");
    return r.int32_field("node", false, &op->node);
}

bool parse_line(std::string_view text, size_t line, HistoryOp* op, std::string* error) {
    JsonValue d;
    JsonParseError json_error;
    if (!parse_json_tree(text, "", &d, &json_error)) {
        const std::string what =
            json_error.structure.empty() ? json_error.reason : json_error.structure;
        *error = "line " + std::to_string(line) + ": invalid JSON at column " +
                 std::to_string(json_error.offset + 1) + ": " + what;
        return false;
    }
    if (d.kind != JsonKind::kObject) {
        *error = "line " + std::to_string(line) + ": expected a JSON object";
        return false;
    }
    return read_record(d, line, op, error);
}

bool is_blank(std::string_view s) {
    for (char c : s) {
        if (c != ' ' && c != '\t' && c != '\r') return false;
    }
    return true;
}

}  // namespace

std::string history_op_to_json(const HistoryOp& op) {
    JsonWriter w(JsonDialect::kReport);
    w.begin_object();
    w.key("client").integer(op.client);
    w.key("seq").integer(op.seq);
    w.key("op").string(raft::op_name(op.op));
    w.key("key").string(op.key);
    w.key("value").string(op.value);
    w.key("expected").string(op.expected);
    w.key("invoke_us").integer(op.invoke_us);
    w.key("complete_us");
    if (op.complete_us < 0) {
        w.null();
    } else {
        w.integer(op.complete_us);
    }
    w.key("status").string(op_status_name(op.status));
    w.key("found").boolean(op.found);
    // null means "nothing was read"; a found empty string stays "".
    w.key("output");
    if (!op.found && op.output.empty()) {
        w.null();
    } else {
        w.string(op.output);
    }
    w.key("cas_ok").boolean(op.cas_ok);
    w.key("node").integer(op.node);
    w.key("log_index").integer(op.log_index);
    w.key("log_term").integer(op.log_term);
    w.key("version").integer(op.version);
    w.key("mod_revision").integer(op.mod_revision);
    w.end_object();
    return w.take();
}

std::string history_to_jsonl(HistoryView h) {
    std::string out;
    for (const HistoryOp& op : h) {
        out += history_op_to_json(op);
        out += '\n';
    }
    return out;
}

namespace {
bool history_too_big(const std::string& path, int64_t bytes, std::string* error) {
    *error = path + ": limit history_file_bytes_max: " + std::to_string(bytes) +
             " bytes, at most " + std::to_string(kMaxHistoryFileBytes);
    return false;
}
}  // namespace

bool parse_history_jsonl(std::string_view text, History* out, std::string* error) {
    out->clear();
    size_t line = 0;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view row = text.substr(start, end - start);
        start = end + 1;
        ++line;
        if (is_blank(row)) continue;
        if (static_cast<int64_t>(out->size()) >= kMaxHistoryOps) {
            *error = "line " + std::to_string(line) + ": limit history_ops_max: more than " +
                     std::to_string(kMaxHistoryOps) + " operations";
            out->clear();
            return false;
        }
        HistoryOp op;
        if (!parse_line(row, line, &op, error)) {
            out->clear();
            return false;
        }
        out->push_back(std::move(op));
    }
    return true;
}

bool read_history_file(const std::string& path, History* out, std::string* error) {
    out->clear();
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) {
        *error = path + ": cannot open for reading";
        return false;
    }
    // The size first: a huge file is refused before it is read (a pipe
    // reports -1 and is capped while reading).
    const std::streamoff size = in.tellg();
    if (size > kMaxHistoryFileBytes) return history_too_big(path, size, error);
    in.seekg(0);
    std::string text;
    char buffer[65536];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        text.append(buffer, static_cast<size_t>(in.gcount()));
        if (static_cast<int64_t>(text.size()) > kMaxHistoryFileBytes)
            return history_too_big(path, static_cast<int64_t>(text.size()), error);
    }
    if (!parse_history_jsonl(text, out, error)) {
        *error = path + ": " + *error;
        return false;
    }
    return true;
}

bool write_history_file(const std::string& path, HistoryView h, std::string* error) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) {
        *error = path + ": cannot open for writing";
        return false;
    }
    f << history_to_jsonl(h);
    f.flush();
    if (!f) {
        *error = path + ": write failed";
        return false;
    }
    return true;
}

}  // namespace sim
