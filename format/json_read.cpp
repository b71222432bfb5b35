// format/json_read.cpp — the reader: ReadCtx, the typed field readers and
// Fields (see json.h). Every message names the field's path and the reason;
// the range reasons are shared with checks of values that did not come from
// JSON (sim::validate), so a file and the page word a rule the same way.
#include <algorithm>

#include "format/json.h"
#include "sim/scenario.h"  // kPpm

namespace sim {

bool ReadCtx::fail(const std::string& path, const std::string& reason) {
    if (error.empty()) {
        std::string prefix = source.empty() ? "" : source + ": ";
        error = prefix + (path.empty() ? "(top level)" : path) + ": " + reason;
    }
    return false;
}

std::string int_range_reason(int64_t x, int64_t lo, int64_t hi, const std::string& text) {
    if (x < 0 && lo >= 0) return "must not be negative, got " + text;
    if (x < lo || x > hi) {
        return "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", got " +
               text;
    }
    return "";
}

std::string millis_range_reason(int64_t us, int64_t lo_us, int64_t hi_us, const std::string& text) {
    if (us < 0) return "negative time " + text + " ms";
    if (us < lo_us || us > hi_us) {
        return "must be between " + format_ms(lo_us) + " and " + format_ms(hi_us) + " ms, got " +
               text;
    }
    return "";
}

std::string string_reason(const std::string& s, size_t max_len, bool non_empty) {
    if (non_empty && s.empty()) return "must not be empty";
    if (s.size() > max_len) {
        return "too long (" + std::to_string(s.size()) + " bytes, at most " +
               std::to_string(max_len) + ")";
    }
    return "";
}

bool read_int(ReadCtx& ctx, const JsonValue& v, const std::string& path, int64_t lo, int64_t hi,
              int64_t* out) {
    if (!ctx.ok()) return false;
    if (v.kind != JsonKind::kNumber) {
        return ctx.fail(path, std::string("expected an integer, got ") + json_kind_name(v.kind));
    }
    int64_t x = 0;
    NumStatus status = scale_decimal(v.text, 0, &x);
    if (status == NumStatus::kTooLarge)
        return ctx.fail(path, "number " + shown(v) + " is too large");
    if (status != NumStatus::kOk) return ctx.fail(path, "expected an integer, got " + shown(v));
    if (std::string why = int_range_reason(x, lo, hi, shown(v)); !why.empty())
        return ctx.fail(path, why);
    *out = x;
    return true;
}

bool read_millis(ReadCtx& ctx, const JsonValue& v, const std::string& path, int64_t lo_us,
                 int64_t hi_us, int64_t* out_us) {
    if (!ctx.ok()) return false;
    if (v.kind != JsonKind::kNumber) {
        return ctx.fail(path, std::string("expected a time in ms, got ") + json_kind_name(v.kind));
    }
    int64_t us = 0;
    NumStatus status = scale_decimal(v.text, 3, &us);
    if (status == NumStatus::kTooLarge || status == NumStatus::kSyntax) {
        return ctx.fail(path, "time " + shown(v) + " ms is too large");
    }
    if (std::string why = millis_range_reason(us, lo_us, hi_us, shown(v)); !why.empty())
        return ctx.fail(path, why);
    *out_us = us;
    return true;
}

bool read_fraction(ReadCtx& ctx, const JsonValue& v, const std::string& path, int64_t* out_ppm) {
    if (!ctx.ok()) return false;
    if (v.kind != JsonKind::kNumber) {
        return ctx.fail(path, std::string("expected a fraction between 0 and 1, got ") +
                                  json_kind_name(v.kind));
    }
    int64_t ppm = 0;
    NumStatus status = scale_decimal(v.text, 6, &ppm);
    if (status == NumStatus::kTooLarge || status == NumStatus::kSyntax || ppm < 0 || ppm > kPpm) {
        return ctx.fail(path, "expected a fraction between 0 and 1, got " + shown(v));
    }
    *out_ppm = ppm;
    return true;
}

bool read_bool(ReadCtx& ctx, const JsonValue& v, const std::string& path, bool* out) {
    if (!ctx.ok()) return false;
    if (v.kind != JsonKind::kBool) {
        return ctx.fail(path, std::string("expected true or false, got ") + json_kind_name(v.kind));
    }
    *out = v.boolean;
    return true;
}

bool read_string(ReadCtx& ctx, const JsonValue& v, const std::string& path, size_t max_len,
                 bool non_empty, std::string* out) {
    if (!ctx.ok()) return false;
    if (v.kind != JsonKind::kString) {
        return ctx.fail(path, std::string("expected a string, got ") + json_kind_name(v.kind));
    }
    if (std::string why = string_reason(v.text, max_len, non_empty); !why.empty())
        return ctx.fail(path, why);
    *out = v.text;
    return true;
}

bool expect_array(ReadCtx& ctx, const JsonValue& v, const std::string& path, size_t max_items) {
    if (!ctx.ok()) return false;
    if (v.kind != JsonKind::kArray) {
        return ctx.fail(path, std::string("expected an array, got ") + json_kind_name(v.kind));
    }
    if (v.items.size() > max_items) {
        return ctx.fail(path, "too many items (" + std::to_string(v.items.size()) + ", at most " +
                                  std::to_string(max_items) + ")");
    }
    return true;
}

// ===========================================================================
// Fields
// ===========================================================================

Fields::Fields(ReadCtx* ctx, const JsonValue& v, std::string path,
               const std::vector<std::string_view>& allowed, const char* what)
    : ctx_(ctx), obj_(&v), path_(std::move(path)) {
    if (!ctx_->ok()) return;
    if (v.kind != JsonKind::kObject) {
        ctx_->fail(path_, std::string("expected an object, got ") + json_kind_name(v.kind));
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

bool Fields::require(std::string_view key, const std::string& why) const {
    if (!ok()) return false;
    if (obj_->find(key) != nullptr) return true;
    return ctx_->fail(path(key), why);
}

void Fields::millis(std::string_view key, int64_t lo_us, int64_t hi_us, int64_t* out) const {
    if (const JsonValue* v = get(key)) read_millis(*ctx_, *v, path(key), lo_us, hi_us, out);
}

void Fields::fraction(std::string_view key, int64_t* out_ppm) const {
    if (const JsonValue* v = get(key)) read_fraction(*ctx_, *v, path(key), out_ppm);
}

void Fields::boolean(std::string_view key, bool* out) const {
    if (const JsonValue* v = get(key)) read_bool(*ctx_, *v, path(key), out);
}

void Fields::string(std::string_view key, size_t max_len, bool non_empty, std::string* out) const {
    if (const JsonValue* v = get(key)) read_string(*ctx_, *v, path(key), max_len, non_empty, out);
}

void Fields::millis_range(std::string_view key, int64_t lo_us, int64_t hi_us, int64_t* min_us,
                          int64_t* max_us) const {
    const JsonValue* v = get(key);
    if (v == nullptr) return;
    std::string p = path(key);
    int64_t lo = 0, hi = 0;
    if (v->kind == JsonKind::kNumber) {
        if (read_millis(*ctx_, *v, p, lo_us, hi_us, &lo)) *min_us = *max_us = lo;
        return;
    }
    if (v->kind != JsonKind::kArray || v->items.size() != 2) {
        size_t n = v->items.size();
        ctx_->fail(p, "expected [min, max] in ms, got " +
                          (v->kind == JsonKind::kArray ? "an array of " + count_text(n, "item")
                                                       : std::string(json_kind_name(v->kind))));
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

}  // namespace sim
