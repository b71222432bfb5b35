// native/cli/cmd_fuzz_report.cpp — `raftplay fuzz-report`: merges the JSON
// lines of `raftplay fuzz --shard I/N --format jsonl` runs (one file per shard,
// or all of them concatenated on stdin) into one report (check/fuzz_report.h).
//
// Reads files and prints; the merge itself is check/'s pure function.
#include <iostream>
#include <iterator>

#include "check/fuzz_report.h"
#include "native/cli/cli.h"

namespace cli {

namespace {

const char* kFuzzReportHelp = R"(usage: raftplay fuzz-report [FILE...] [--no-wall]

Merges the outputs of `raftplay fuzz --shard I/N --format jsonl` (one file per
shard; with no FILE, or FILE '-', they are read from stdin one after another,
each ending with its shard line). Prints one JSON report: the totals, the
shards missing, any shard that stopped early, the failures grouped by
signature (check, event, role) and every failure with its reproduce command,
run file and share link, in seed order.

options:
  --no-wall           leave out the wall-time figures (a merge of the same
                      seeds then prints the same bytes, however it was split)

exit codes: 0 no failure, 1 a safety or linearizability violation, 2 liveness
failures only, 3 bad input (a file that is not a fuzz jsonl output, shards of
different runs, the same shard twice)
)";

// Splits a stream of concatenated shard outputs after each shard line.
std::vector<std::string> split_after_shard_lines(const std::string& text) {
    std::vector<std::string> parts;
    size_t start = 0, pos = 0;
    while (pos < text.size()) {
        const size_t nl = text.find('\n', pos);
        const size_t end = nl == std::string::npos ? text.size() : nl + 1;
        if (text.compare(pos, 16, "{\"type\":\"shard\",") == 0) {
            parts.push_back(text.substr(start, end - start));
            start = end;
        }
        pos = end;
    }
    if (start < text.size()) parts.push_back(text.substr(start));  // unfinished: an error later
    return parts;
}

bool read_inputs(const std::vector<std::string>& files, std::vector<std::string>* texts,
                 std::vector<std::string>* names, std::string* err) {
    for (const std::string& f : files) {
        std::string text;
        if (f == "-") {
            text.assign(std::istreambuf_iterator<char>(std::cin), {});
            if (text.size() > sim::kFuzzReportBytesMax * 16) {
                *err = "stdin: over fuzz_report_bytes_max x 16";
                return false;
            }
            const std::vector<std::string> parts = split_after_shard_lines(text);
            for (size_t i = 0; i < parts.size(); i++) {
                texts->push_back(parts[i]);
                names->push_back("stdin (report " + std::to_string(i + 1) + ")");
            }
            continue;
        }
        if (!read_file(f, &text, err, sim::kFuzzReportBytesMax, "fuzz_report_bytes_max"))
            return false;
        texts->push_back(std::move(text));
        names->push_back(f);
    }
    if (texts->size() > sim::kFuzzReportInputsMax) {
        *err = "more than " + std::to_string(sim::kFuzzReportInputsMax) + " reports";
        return false;
    }
    return true;
}

}  // namespace

int cmd_fuzz_report(int argc, char** argv) {
    Args args;
    std::string err;
    const ArgSpec spec{{}, {"--no-wall"}, sim::kFuzzReportInputsMax};
    if (!args.parse(argc, argv, 2, spec, &err)) return bad_input("fuzz-report", err);
    if (args.help()) {
        std::cout << kFuzzReportHelp;
        return kExitOk;
    }
    std::vector<std::string> files = args.positionals();
    if (files.empty()) files.push_back("-");
    std::vector<std::string> texts, names;
    if (!read_inputs(files, &texts, &names, &err)) return bad_input("fuzz-report", err);
    std::vector<sim::FuzzShardReport> reports(texts.size());
    for (size_t i = 0; i < texts.size(); i++) {
        if (!sim::read_fuzz_lines(texts[i], names[i], &reports[i], &err))
            return bad_input("fuzz-report", err);
    }
    sim::MergedFuzzReport merged;
    if (!sim::merge_fuzz_reports(reports, &merged, &err)) return bad_input("fuzz-report", err);
    std::cout << sim::merged_fuzz_report_json(merged, !args.has("--no-wall")) << "\n";
    return sim::merged_exit_code(merged);
}

}  // namespace cli
