#include "sim/cli/commands.hpp"
#include "sim/cli/demo.hpp"
#include "sim/metrics/csv.hpp"

#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdint>
#include <exception>
#include <string>
#include <iostream>
#include <new>

namespace {

/// CLI11 reads unsigned numbers with strtoull(..., 0): "-1" wraps, "010" is octal. A seed is
/// a plain decimal number from 0 to 2^64 - 1.
std::string check_seed(const std::string& text) {
  std::uint64_t v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size())
    return "'" + text + "' is not a decimal number from 0 to 18446744073709551615";
  return {};
}

/// --replications: a plain decimal number from 1 to sim::cli::max_replications.
std::string check_replications(const std::string& text) {
  std::uint64_t v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || v < 1 || v > sim::cli::max_replications)
    return "'" + text + "' is not a decimal number from 1 to " +
           std::to_string(sim::cli::max_replications);
  return {};
}

/// -j/--threads: a plain decimal number from 1 to 1024.
std::string check_threads(const std::string& text) {
  unsigned v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || v < 1 || v > 1024)
    return "'" + text + "' is not a decimal number from 1 to 1024";
  return {};
}

/// --seed: a decimal seed (check_seed) stored in `seed` (a std::uint64_t or an optional of one).
template <class Seed>
void add_seed_option(CLI::App* cmd, Seed& seed, const std::string& help) {
  cmd->add_option_function<std::string>(
         "--seed",
         [&seed](const std::string& text) {
           std::uint64_t v = 0;
           std::from_chars(text.data(), text.data() + text.size(), v);
           seed = v;
         },
         help)
      ->check(check_seed);
}

void add_scenario_options(CLI::App* cmd, sim::cli::ScenarioArgs& a) {
  add_seed_option(cmd, a.seed, "Replace the scenario's seed (decimal)");
  cmd->add_option("--set", a.sets, "Override a value before validation: path=value (repeatable), "
                                   "e.g. subsystems.array-a.management_latency=50ms")
      ->take_all()
      ->allow_extra_args(false);
  cmd->add_option("--max-memory", a.max_memory,
                  "Refuse, before building anything, a model whose estimated peak memory exceeds SIZE (e.g. 6GiB; "
                  "'unlimited': no check; default: 80 % of the memory available)");
}

/// --client-count: a plain decimal number from 1 to 100000.
std::string check_client_count(const std::string& text) {
  std::uint32_t v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || v < 1 || v > 100000)
    return "'" + text + "' is not a decimal number from 1 to 100000";
  return {};
}

void add_client_options(CLI::App* cmd, sim::cli::ClientLibArgs& a, bool run) {
  cmd->add_option("--client-lib", a.path, "A compiled VDS client (shared library built against sim/compat)");
  cmd->add_option("--entry", a.entry,
                  "Its entry point: extern \"C\" HRESULT NAME(IVdsSubSystem*), int NAME(int, char**) or void NAME(void)");
  cmd->add_option("--entry-kind", a.kind,
                  "subsystem (handed a subsystem), main (a whole program) or void_main (a void main(void) "
                  "built with -Dmain=NAME)")
      ->capture_default_str();
  cmd->add_option("--fiber-stack", a.stack, "Stack size of each client's fiber (at least 16KiB)")->capture_default_str();
  cmd->add_option("--client-arg", a.args, "argv[1..] of a main entry (repeatable)")->allow_extra_args(false);
  if (!run) return;
  cmd->add_option_function<std::string>(
         "--client-count",
         [&a](const std::string& text) { std::from_chars(text.data(), text.data() + text.size(), a.count); },
         "Concurrent copies of the client (default 1)")
      ->check(check_client_count);
}

} // namespace

int main(int argc, char** argv) {
  using namespace sim::cli;
  CLI::App app{"lunsim: discrete-event simulator of storage arrays managed through a VDS-style API"};
  app.set_version_flag("--version", version_string());
  app.require_subcommand(1);
  app.fallthrough(false);

  RunArgs run_args;
  auto* run = app.add_subcommand("run", "Run a scenario (default: the embedded quickstart) and write a run directory");
  run->add_option("file", run_args.scenario.file, "Scenario YAML file");
  run->add_option("-o,--output", run_args.output, "Run directory to create (default: runs/<name>-NNN)");
  add_scenario_options(run, run_args.scenario);
  run->add_option_function<std::string>(
         "--replications",
         [&run_args](const std::string& text) {
           std::uint64_t v = 1;
           std::from_chars(text.data(), text.data() + text.size(), v);
           run_args.replications = v;
         },
         "Independent replications (1..100000, default 1): replication i uses the seed and replication "
         "index i; N > 1 writes rep-001, rep-002, ... and a pooled summary")
      ->check(check_replications);
  run->add_option("-j,--threads", run_args.threads,
                  "Threads for replications (default: one per hardware thread); results are identical for "
                  "any count")
      ->check(check_threads);
  run->add_flag("--summary-only", run_args.summary_only,
                "With --replications N > 1: write only the top-level files (summary, replications, reliability, "
                "meta), no rep-NNN directories");
  run->add_flag("--trace", run_args.trace, "Also write trace.csv (every engine event)");
  add_client_options(run, run_args.client, true);
  run->add_option("--client", run_args.ops_client,
                   "Built-in client making the scenario's operations (" +
                       sim::provider::builtin_client_names.accepted() + ")")
      ->capture_default_str();
  run->add_flag("-q,--quiet", run_args.quiet, "Print nothing on success");

  SweepArgs sweep_args;
  auto* sweep = app.add_subcommand("sweep", "Run a scenario over a parameter grid (threads, or MPI ranks under mpirun) and "
                                            "write sweep.csv");
  sweep->add_option("file", sweep_args.scenario.file, "Scenario YAML file")->required();
  sweep->add_option("--grid", sweep_args.grid,
                    "A grid axis path=v1,v2,... (repeatable; commas inside {} [] or quotes do not split), "
                    "after the scenario's sweep: section")
      ->take_all()
      ->allow_extra_args(false);
  sweep->add_option_function<std::string>(
           "--replications",
           [&sweep_args](const std::string& text) {
             std::uint64_t v = 1;
             std::from_chars(text.data(), text.data() + text.size(), v);
             sweep_args.replications = v;
           },
           "Replications per grid point (1..100000; default: the sweep: section's)")
      ->check(check_replications);
  sweep->add_option("-j,--threads", sweep_args.threads,
                    "Worker threads (default: one per hardware thread; under MPI one per rank); results are "
                    "identical for any count")
      ->check(check_threads);
  sweep->add_option("-o,--output", sweep_args.output, "Sweep directory to create (or to continue with --resume)")
      ->required();
  add_scenario_options(sweep, sweep_args.scenario);
  sweep->add_flag("--independent", sweep_args.independent,
                  "Independent seeds per point (derived from seed and point) instead of common random numbers");
  sweep->add_flag("--keep-runs", sweep_args.keep_runs,
                  "Keep each point's run directory point-NNN (as run --replications N --summary-only)");
  sweep->add_flag("--resume", sweep_args.resume, "Continue the interrupted sweep in -o DIR (same command otherwise)");
  sweep->add_flag("-q,--quiet", sweep_args.quiet, "Print nothing on success");
  sweep->add_option_function<std::string>(
           "--interrupt-after",
           [&sweep_args](const std::string& text) {
             std::uint64_t v = 0;
             std::from_chars(text.data(), text.data() + text.size(), v);
             sweep_args.interrupt_after = v;
           },
           "")  // test hook: behave as if Ctrl-C came after K points
      ->check(check_seed)
      ->group("");

  ScenarioArgs validate_args;
  auto* validate = app.add_subcommand("validate", "Check a scenario without running it");
  validate->add_option("file", validate_args.file, "Scenario YAML file")->required();
  add_scenario_options(validate, validate_args);
  std::optional<std::string> validate_graph;
  validate->add_option("--graph", validate_graph, "Also write the topology as Graphviz DOT to this file");

  CheckArgs check_args;
  auto* check = app.add_subcommand("check", "Run every errant-provider behaviour against every client and judge them");
  check->add_option("--clients", check_args.clients,
                    "Clients to judge (" + sim::provider::builtin_client_names.accepted() + ")")->delimiter(',');
  check->add_option("--faults", check_args.faults, "Behaviours: all, or a comma-separated list")->delimiter(',');
  check->add_option("--scenario", check_args.scenario, "Use this scenario's drive models and first subsystem");
  check->add_option("-o,--output", check_args.output, "Directory for check.csv (default: runs/check-NNN)");
  add_seed_option(check, check_args.seed, "Seed of every cell (decimal)");
  check->add_flag("-q,--quiet", check_args.quiet, "Print nothing");
  add_client_options(check, check_args.client, false);

  ExploreArgs explore_args;
  auto* explore = app.add_subcommand(
      "explore", "Random fault schedules against one client over a workflow; failures shrunk to minimal reproducers");
  explore->add_option("--scenario", explore_args.scenario,
                      "Workflow: the scenario's topology and operations (default: a built-in workflow)");
  explore->add_option("--client", explore_args.client,
                      "Built-in client (" + sim::provider::builtin_client_names.accepted() + ")")
      ->capture_default_str();
  add_client_options(explore, explore_args.library, false);
  explore->add_option("--runs", explore_args.runs, "Runs, one seed each (default 1000)")->capture_default_str();
  add_seed_option(explore, explore_args.seed, "First seed (decimal; run k uses seed + k)");
  explore->add_option("--max-faults", explore_args.max_faults, "Faults per schedule: 1..N (default 3)")
      ->capture_default_str();
  explore->add_option("--hang-bound", explore_args.hang_bound,
                      "Simulated time after which a waiting client hangs (default: 4 x the healthy workflow + 2h)");
  explore->add_option("--contract", explore_args.contract,
                      "reference (what the reference client documents) or strict (default: reference for the "
                      "reference client, strict otherwise)");
  explore->add_option("-j,--jobs", explore_args.jobs,
                      "Runs at once: threads, or processes for a --client-lib client (results identical for any N)")
      ->check(check_threads);
  explore->add_option("--shrink-limit", explore_args.shrink_limit, "Failures to shrink (default 10)")
      ->capture_default_str();
  explore->add_option("--max-failures", explore_args.max_failures, "Stop after N failing runs (default 0: run them all)")
      ->capture_default_str();
  explore->add_option("-o,--output", explore_args.output, "Directory for explore.csv (default: runs/explore-NNN)");
  explore->add_option("--replay", explore_args.replay, "Judge one reproducer file (written by explore) and exit");
  explore->add_flag("-q,--quiet", explore_args.quiet, "Print nothing");

  CompareArgs compare_args;
  auto* compare = app.add_subcommand("compare", "Compare two run (or sweep) directories: what changed, and is it significant");
  compare->add_option("base", compare_args.base, "Base run or sweep directory")->required();
  compare->add_option("candidate", compare_args.candidate, "Candidate run or sweep directory")->required();
  compare->add_option("--threshold", compare_args.threshold,
                      "Smallest relative change that matters: slower/faster beyond it, equivalent within it")
      ->capture_default_str();
  compare->add_option("--design", compare_args.design,
                      "auto (paired when both runs used the same seed and replication count), paired or unpaired")
      ->capture_default_str();
  compare->add_option("--fail-on", compare_args.fail_on,
                      "Also exit 1 on: inconclusive (covers 'too few samples'); slower always does")
      ->delimiter(',');
  compare->add_flag("--allow-missing", compare_args.allow_missing,
                    "Metrics on one side only (added/removed) do not make the exit status 1");
  compare->add_option("--format", compare_args.format, "table, csv, markdown or json")->capture_default_str();
  compare->add_option("-o,--output", compare_args.output, "Write the report to this file");

  ReportArgs report_args;
  auto* report = app.add_subcommand("report", "Write a self-contained HTML report of a run directory (charts as inline SVG)");
  report->add_option("run", report_args.run, "Run directory")->required();
  report->add_option("--compare", report_args.compare, "Another run directory, overlaid and compared");
  report->add_option("-o,--output", report_args.output, "The HTML file to write")->capture_default_str();

  DemoOptions demo;
  auto* demo_cmd = app.add_subcommand("demo", "Engine demonstration: the drive-fifo queueing network of bench/peers");
  demo_cmd->add_option("--drives", demo.drives, "Number of FIFO drives (1 to 1000000)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000000u));
  demo_cmd->add_option("--clients", demo.clients, "Number of closed-loop clients (1 to 10000000)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 10000000u));
  demo_cmd->add_option("--requests", demo.requests, "Requests per client (1 to 1000000000)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000000000u));
  add_seed_option(demo_cmd, demo.seed, "Run seed (decimal; default 42)");

  std::string help_topic;
  auto* help = app.add_subcommand("help", "Show help for lunsim or one of its subcommands");
  help->add_option("subcommand", help_topic, "Subcommand");

  if (argc > 1 && argv[1][0] != '-') {
    const std::string first = argv[1];
    bool known = false;
    for (const CLI::App* sub : app.get_subcommands({})) known = known || sub->get_name() == first;
    if (!known) {
      std::cerr << "lunsim: error: unknown subcommand '" << first << "' (accepted: run, sweep, validate, check, compare, report, demo, help)\n"
                << "Run with --help for more information.\n";
      return exit_bad_input;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_bad_input;
  }

  try {
    if (*run) return run_command(run_args, std::cout, std::cerr);
    if (*sweep) return sweep_command(sweep_args, std::cout, std::cerr);
    if (*validate) return validate_command(validate_args, std::cout, std::cerr, validate_graph);
    if (*check) return check_command(check_args, std::cout, std::cerr);
    if (*explore) return explore_command(explore_args, std::cout, std::cerr);
    if (*compare) return compare_command(compare_args, std::cout, std::cerr);
    if (*report) return report_command(report_args, std::cout, std::cerr);
    if (*demo_cmd) return run_demo(demo, std::cout);
    if (*help) {
      if (help_topic.empty()) {
        std::cout << app.get_formatter()->make_help(&app, "lunsim", CLI::AppFormatMode::Normal);
        return exit_ok;
      }
      for (const CLI::App* sub : app.get_subcommands({}))
        if (sub->get_name() == help_topic) {
          std::cout << sub->help("lunsim");
          return exit_ok;
        }
      std::cerr << "lunsim: error: no subcommand '" << help_topic << "' (run, sweep, validate, check, compare, report, demo, help)\n";
      return exit_bad_input;
    }
  } catch (const sim::metrics::WriteError& e) {
    // A full disk or an I/O error while writing outputs: the unfinished output was removed.
    std::cerr << "lunsim: error: " << e.what() << " (nothing was left under the output's name)\n";
    return exit_bad_input;
  } catch (const std::bad_alloc&) {
    // Where a command knows what it was building it says so itself (run); elsewhere this.
    std::cerr << "lunsim: error: out of memory (the input is too large for this machine; see --max-memory)\n";
    return exit_bad_input;
  } catch (const std::exception& e) {
    std::cerr << "lunsim: internal error: " << e.what() << '\n';
    return exit_internal;
  }
  return exit_ok;
}
