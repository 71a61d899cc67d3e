// The subcommands of `lunsim`, independent of the argument parser (main.cpp holds CLI11).
// Each returns the process exit status: 0 success; 1 the command worked and found a failure;
// 2 bad input or usage; 3 internal error.
#pragma once

#include "sim/provider/client.hpp"
#include "sim/runner/budget.hpp"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace sim::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_found_failure = 1;
inline constexpr int exit_bad_input = 2;
inline constexpr int exit_internal = 3;

struct ScenarioArgs {
  std::optional<std::string> file;      ///< absent: the embedded quickstart scenario
  std::optional<std::uint64_t> seed;    ///< --seed
  std::vector<std::string> sets;        ///< --set path=value, in order
  /// --max-memory SIZE ("6GiB", "unlimited"): the budget a model's estimated peak memory must
  /// fit (sim/runner/budget.hpp); absent: 80 % of what the machine (or cgroup) has available.
  std::optional<std::string> max_memory;
};

/// A compiled VDS client to load (sim/com/library.hpp): --client-lib, --entry, --entry-kind,
/// --fiber-stack, --client-arg, and for `run` --client-count.
struct ClientLibArgs {
  std::optional<std::string> path;    ///< --client-lib FILE; absent: no foreign client
  std::string entry;                  ///< --entry NAME (required with --client-lib)
  std::string kind = "subsystem";     ///< --entry-kind subsystem|main|void_main
  std::string stack = "256KiB";       ///< --fiber-stack SIZE (at least 16KiB)
  std::uint32_t count = 1;            ///< --client-count N (run): concurrent copies
  std::vector<std::string> args;      ///< --client-arg ARG (main entries): argv[1..]
};

struct RunArgs {
  ScenarioArgs scenario;
  std::optional<std::string> output;    ///< -o DIR; absent: runs/<name>-NNN
  std::uint64_t replications = 1;      ///< --replications N (1..100000)
  unsigned threads = 0;                 ///< -j N; 0: one per hardware thread
  bool summary_only = false;            ///< --summary-only: no rep-NNN directories
  bool trace = false;
  bool quiet = false;
  ClientLibArgs client;                 ///< foreign clients run beside the scenario
  std::string ops_client = "reference"; ///< --client: the built-in client making the operations
};

/// The accepted range of --replications.
inline constexpr std::uint64_t max_replications = 100000;

struct CheckArgs {
  std::vector<std::string> clients = provider::builtin_client_names.names();
  std::vector<std::string> faults = {"all"};
  std::optional<std::string> scenario;  ///< topology to use (drive models + first subsystem)
  std::optional<std::string> output;
  std::uint64_t seed = 1;
  bool quiet = false;
  ClientLibArgs client;                 ///< a foreign client added as a column
};

/// `lunsim check`: every behaviour x client; exit 0 when every reference cell matches the
/// contract table, 1 otherwise, 2 on bad input.
int check_command(const CheckArgs& args, std::ostream& out, std::ostream& err);

struct ExploreArgs {
  std::optional<std::string> scenario;  ///< --scenario FILE: the workflow (default: the built-in one)
  std::string client = "reference";     ///< --client reference|naive|robust (without --client-lib)
  ClientLibArgs library;                ///< --client-lib: a foreign client instead
  std::uint64_t runs = 1000;            ///< --runs N (seeds seed .. seed + N - 1)
  std::uint64_t seed = 1;
  std::uint32_t max_faults = 3;         ///< --max-faults N
  std::optional<std::string> hang_bound;  ///< --hang-bound DURATION
  std::optional<std::string> contract;  ///< --contract reference|strict
  unsigned jobs = 1;                    ///< -j N
  std::uint32_t shrink_limit = 10;      ///< --shrink-limit N
  std::uint64_t max_failures = 0;       ///< --max-failures N (0: no limit)
  std::optional<std::string> output;    ///< -o DIR (default runs/explore-NNN)
  std::optional<std::string> replay;    ///< --replay FILE: judge one reproducer
  bool quiet = false;
};

/// `lunsim explore` (sim/runner/explore.hpp): exit 0 when no run failed beyond its contract,
/// 1 when one did, 2 on bad input, 130 when interrupted (the finished runs are written).
/// With --replay FILE: runs FILE's schedule once and prints its judgement (1 when it fails).
int explore_command(const ExploreArgs& args, std::ostream& out, std::ostream& err);

struct CompareArgs {
  std::string base;
  std::string candidate;
  std::string threshold = "5%";
  std::string format = "table";      ///< table, csv, markdown, json
  std::optional<std::string> output; ///< -o FILE (written atomically); default stdout
  std::string design = "auto";       ///< auto, paired, unpaired
  std::vector<std::string> fail_on;  ///< --fail-on: slower (always), inconclusive
  bool allow_missing = false;        ///< --allow-missing: metrics on one side only do not fail
};

/// `lunsim compare BASE CAND` (two runs or two sweeps): exit 1 when a series is `slower`, a
/// metric is on one side only (unless --allow-missing), or with `--fail-on inconclusive` a
/// series is inconclusive or has too few samples; 0 otherwise; 2 on bad input.
int compare_command(const CompareArgs& args, std::ostream& out, std::ostream& err);

struct ReportArgs {
  std::string run;
  std::optional<std::string> compare;  ///< --compare OTHER
  std::string output = "report.html";  ///< -o FILE (written aside and renamed)
};

/// `lunsim report RUN [--compare OTHER] -o FILE`: the HTML report (reports/html_report.hpp);
/// exit 0, or 2 on bad input (nothing written under FILE).
int report_command(const ReportArgs& args, std::ostream& out, std::ostream& err);

/// `lunsim run`: loads, runs, writes the run directory atomically, prints a summary.
int run_command(const RunArgs& args, std::ostream& out, std::ostream& err);
/// `lunsim validate`: loads and checks without running; prints "FILE: ok" or the diagnostics.
/// `lunsim validate FILE [--graph out.dot]`: with `graph`, also writes the scenario's topology as
/// Graphviz DOT (written aside and renamed when complete).
int validate_command(const ScenarioArgs& args, std::ostream& out, std::ostream& err,
                     const std::optional<std::string>& graph = std::nullopt);

struct SweepArgs {
  ScenarioArgs scenario;                      ///< FILE (required), --seed, --set
  std::vector<std::string> grid;              ///< --grid path=v1,v2,... in order
  std::optional<std::uint64_t> replications;  ///< --replications N (else the section's)
  unsigned threads = 0;                       ///< -j N; 0: one per hardware thread (1 per MPI rank)
  std::string output;                         ///< -o DIR (required)
  bool independent = false;                   ///< --independent seeds
  bool keep_runs = false;                     ///< --keep-runs: point-NNN run directories
  bool resume = false;                        ///< --resume an interrupted sweep in DIR
  bool quiet = false;
  std::optional<std::uint64_t> interrupt_after;  ///< hidden test hook: as if Ctrl-C after K points
};

/// Exit status of a sweep stopped by Ctrl-C (128 + SIGINT, the shell's convention): the
/// finished points are written and the directory is marked incomplete.
inline constexpr int exit_interrupted = 130;
/// The accepted number of grid points.
inline constexpr std::uint64_t max_sweep_points = 1000000;

/// `lunsim sweep FILE --grid ... -o DIR` (sim/runner/sweep.hpp): 0 when complete, 2 on bad
/// input (every grid point is loaded and checked before anything runs), 130 when interrupted.
/// Under an MPI launcher (and built with MPI) it runs as one rank of the job; only rank 0
/// prints and writes.
int sweep_command(const SweepArgs& args, std::ostream& out, std::ostream& err);

std::string version_string();

/// The memory budget check before a model is built (sim/runner/budget.hpp): true when the
/// scenario's estimate fits --max-memory (or the default budget, or no budget is known); else
/// prints the positioned error (or the bad --max-memory) to `err`.
bool fits_memory(const scenario::ScenarioSpec& spec, const ScenarioArgs& args, const runner::EstimateOptions& how,
                 std::ostream& err);

} // namespace sim::cli
