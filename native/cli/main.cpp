// native/cli/main.cpp — `raftplay`: dispatches to one command per file.
//
// Owns only the top-level usage text and the dispatch; each command parses
// its own options, prints its own --help and returns its exit code
// (0 ok, 1 safety/linearizability violation, 2 liveness failure, 3 bad input).
// Exceptions never escape: an unexpected one is reported as bad input.
#include <exception>
#include <iostream>
#include <string>

#include "native/cli/cli.h"

namespace {

const char* kUsage =
    R"(raftplay — a deterministic Raft simulator (world = f(scenario, seed, inputs))

usage: raftplay COMMAND [options]        (raftplay COMMAND --help for details)

commands:
  run SCENARIO [--seed N]      run a scenario, print a JSON summary
  replay FILE                  re-run a recorded run file, verify its digest
  check HISTORY                check a client history for linearizability
  fuzz                         random fault schedules over many seeds, all cores
  fuzz-report [FILE...]        merge the jsonl reports of fuzz shards
  shrink RUNFILE               reduce a failing run to a minimal scenario
  export RUN --format perfetto write a Chrome/Perfetto trace of a run
  bench                        benchmark figures as JSON

SCENARIO is a file or a built-in name (scenarios/NAME.json), e.g. leader-failure.
exit codes: 0 ok, 1 safety or linearizability violation, 2 liveness failure,
            3 bad input
)";

int dispatch(const std::string& cmd, int argc, char** argv) {
    if (cmd == "run") return cli::cmd_run(argc, argv);
    if (cmd == "replay") return cli::cmd_replay(argc, argv);
    if (cmd == "check") return cli::cmd_check(argc, argv);
    if (cmd == "fuzz") return cli::cmd_fuzz(argc, argv);
    if (cmd == "fuzz-report") return cli::cmd_fuzz_report(argc, argv);
    if (cmd == "shrink") return cli::cmd_shrink(argc, argv);
    if (cmd == "export") return cli::cmd_export(argc, argv);
    if (cmd == "bench") return cli::cmd_bench(argc, argv);
    if (cmd == "help" || cmd == "--help" || cmd == "-h") {
        std::cout << kUsage;
        return cli::kExitOk;
    }
    std::cerr << "raftplay: unknown command '" << cmd << "'\n\n" << kUsage;
    return cli::kExitBadInput;
}

}  // namespace

int main(int argc, char** argv) {
    cli::set_program_name(argc > 0 && argv[0] ? argv[0] : "raftplay");
    if (argc < 2) {
        std::cerr << kUsage;
        return cli::kExitBadInput;
    }
    // A last resort (out of memory and the like): every parser reports bad
    // input without throwing. The WebAssembly build (raftplay-node) has no
    // C++ exceptions, so there an exception aborts instead.
    try {
        const int code = dispatch(argv[1], argc, argv);
        std::cout.flush();
        return code;
    } catch (const std::exception& e) {
        std::cerr << "raftplay: error: " << e.what() << "\n";
    } catch (...) {
        std::cerr << "raftplay: unknown error\n";
    }
    return cli::kExitBadInput;
}
