// format/overrides.cpp — `--set PATH=VALUE` on a JSON tree (see overrides.h).
#include "format/overrides.h"

#include <string_view>
#include <utility>
#include <vector>

#include "format/json_input.h"  // is_valid_utf8

namespace sim {
namespace {

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
            if (cur->kind != JsonKind::kArray) {
                *why = where + " is " + json_kind_name(cur->kind) + ", not an array";
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
            if (cur->kind != JsonKind::kObject) {
                *why = where + " is " + json_kind_name(cur->kind) + ", not an object";
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
                fresh.kind = JsonKind::kObject;  // an intermediate section the file omitted
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
}  // namespace

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
        value.kind = JsonKind::kString;
        value.text = text;
    }
    if (!set_at_path(root, steps, std::move(value), &reason)) {
        *why = "--set " + spec + ": " + reason;
        return false;
    }
    return true;
}

}  // namespace sim
