// tests/protocol/datadriven.cpp — parses, runs and rewrites data-driven test
// files (see datadriven.h). The format is line based and strict: a command
// without its `----` is an error naming the line, never a silent skip.
#include "tests/protocol/datadriven.h"

#include <algorithm>
#include <sstream>

namespace protocol {
namespace {

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::string line;
    std::istringstream in(text);
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
    }
    return lines;
}

bool is_blank(const std::string& s) {
    return s.find_first_not_of(" \t") == std::string::npos;
}

void parse_command(const std::string& line, Block* b) {
    std::istringstream in(line);
    std::string token;
    in >> b->name;
    while (in >> token) {
        const size_t eq = token.find('=');
        if (eq == std::string::npos) {
            b->positional.push_back(token);
        } else {
            b->named.emplace_back(token.substr(0, eq), token.substr(eq + 1));
        }
    }
}

// Parses the block whose command is at lines[*i]; leaves *i after it.
bool parse_block(const std::vector<std::string>& lines, size_t* i, Block* b, std::string* error) {
    b->line = static_cast<int>(*i) + 1;
    b->text = lines[*i];
    parse_command(lines[*i], b);
    for ((*i)++; *i < lines.size() && lines[*i] != "----"; (*i)++) {
        if (is_blank(lines[*i])) break;
        b->input.push_back(lines[*i]);
    }
    if (*i == lines.size() || lines[*i] != "----") {
        *error = "command '" + b->text + "' has no ---- line after it";
        return false;
    }
    b->expected_begin = ++(*i);
    while (*i < lines.size() && !is_blank(lines[*i]))
        b->expected.push_back(lines[(*i)++]);
    b->expected_end = *i;
    return true;
}

std::string rewrite(const ParsedFile& f, const std::vector<std::vector<std::string>>& outputs) {
    std::string text;
    size_t next = 0;
    for (size_t k = 0; k < f.blocks.size(); k++) {
        for (; next < f.blocks[k].expected_begin; next++)
            text += f.lines[next] + "\n";
        for (const std::string& s : outputs[k])
            text += s + "\n";
        next = f.blocks[k].expected_end;
    }
    for (; next < f.lines.size(); next++)
        text += f.lines[next] + "\n";
    return text;
}

}  // namespace

ParsedFile parse_file(const std::string& text) {
    ParsedFile f;
    f.lines = split_lines(text);
    for (size_t i = 0; i < f.lines.size();) {
        const std::string& s = f.lines[i];
        if (is_blank(s) || s[0] == '#') {
            i++;
            continue;
        }
        Block b;
        if (!parse_block(f.lines, &i, &b, &f.error)) {
            f.error_line = b.line;
            return f;
        }
        f.blocks.push_back(std::move(b));
    }
    return f;
}

FileResult run_file(const std::string& name, const std::string& text, const Execute& execute) {
    FileResult result;
    const ParsedFile f = parse_file(text);
    if (f.error_line != 0) {
        result.failures.push_back(
            {f.error_line, name + ":" + std::to_string(f.error_line) + ": " + f.error});
        return result;
    }
    std::vector<std::vector<std::string>> outputs(f.blocks.size());
    for (size_t k = 0; k < f.blocks.size(); k++) {
        const Block& b = f.blocks[k];
        const std::string where = name + ":" + std::to_string(b.line);
        std::string error;
        if (!execute(b, &outputs[k], &error)) {
            result.failures.push_back({b.line, where + ": bad command '" + b.text + "': " + error});
            return result;
        }
        if (outputs[k].empty()) outputs[k].push_back("ok");
        if (outputs[k] != b.expected) {
            result.failures.push_back({b.line,
                                       where + ": output of '" + b.text +
                                           "' differs (- expected, + actual):\n" +
                                           line_diff(b.expected, outputs[k]),
                                       true});
        }
    }
    result.rewritten = rewrite(f, outputs);
    return result;
}

// Longest common subsequence, then a walk that prints kept, removed and added
// lines in file order. Blocks are short, so O(n*m) is fine.
std::string line_diff(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    const size_t n = a.size(), m = b.size();
    std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
    for (size_t i = n; i-- > 0;) {
        for (size_t j = m; j-- > 0;) {
            lcs[i][j] =
                a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
        }
    }
    std::string out;
    size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[i] == b[j]) {
            out += "  " + a[i++] + "\n";
            j++;
        } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
            out += "- " + a[i++] + "\n";
        } else {
            out += "+ " + b[j++] + "\n";
        }
    }
    return out;
}

std::vector<std::string> split_list(const std::string& value) {
    std::string v = value;
    if (v.size() >= 2 && v.front() == '(' && v.back() == ')') v = v.substr(1, v.size() - 2);
    std::vector<std::string> out;
    std::string item;
    std::istringstream in(v);
    while (std::getline(in, item, ','))
        out.push_back(item);
    return out;
}

}  // namespace protocol
