#include "sim/cli/commands.hpp"

#include "sim/cli/embedded_scenario.hpp"
#include "sim/metrics/run_directory.hpp"
#include "sim/metrics/csv.hpp"
#include "sim/provider/faults.hpp"
#include "sim/runner/check.hpp"
#include "sim/runner/outputs.hpp"
#include "sim/runner/run.hpp"
#include "sim/scenario/loader.hpp"

#include <sys/resource.h>

#include <exception>
#include <ostream>

namespace sim::cli {

namespace {

scenario::LoadResult load(const ScenarioArgs& args) {
  scenario::LoadOptions options;
  options.seed = args.seed;
  for (const auto& s : args.sets) options.sets.push_back(scenario::Override{s});
  if (args.file) return scenario::load_scenario_file(*args.file, options);
  return scenario::load_scenario(embedded_scenario(), std::string(embedded_scenario_name), options);
}

bool report(const scenario::LoadResult& r, std::ostream& err) {
  for (const auto& d : r.diagnostics) err << d.format() << '\n';
  if (!r.spec) {
    std::size_t errors = 0;
    for (const auto& d : r.diagnostics) errors += d.severity == base::Severity::Error ? 1 : 0;
    err << errors << (errors == 1 ? " error" : " errors") << '\n';
    return false;
  }
  return true;
}

} // namespace

std::string version_string() { return std::string("lunsim ") + LUNSIM_VERSION + " (" + LUNSIM_GIT_REVISION + ")"; }

int validate_command(const ScenarioArgs& args, std::ostream& out, std::ostream& err) {
  const scenario::LoadResult r = load(args);
  if (!report(r, err)) return exit_bad_input;
  out << r.spec->file << ": ok (" << r.spec->subsystems.size() << " subsystem(s), " << r.spec->ops.size()
      << " operation(s), " << r.spec->io.size() << " load(s))\n";
  return exit_ok;
}

int check_command(const CheckArgs& args, std::ostream& out, std::ostream& err) {
  runner::CheckOptions options;
  options.seed = args.seed;
  options.clients.clear();
  for (const auto& c : args.clients) {
    if (c != "reference" && c != "naive" && c != "robust") {
      err << "lunsim: error: --clients: unknown client '" << c << "' (accepted: reference, naive, robust)\n";
      return exit_bad_input;
    }
    options.clients.push_back(c);
  }
  bool all = false;
  for (const auto& f : args.faults) {
    if (f == "all") {
      all = true;
      continue;
    }
    const auto b = provider::parse_behavior(f);
    if (!b) {
      err << "lunsim: error: --faults: unknown behaviour '" << f << "' (accepted: all";
      for (provider::Behavior x : provider::all_behaviors()) err << ", " << to_string(x);
      err << ")\n";
      return exit_bad_input;
    }
    options.behaviors.push_back(*b);
  }
  if (all) options.behaviors.clear();
  std::optional<scenario::ScenarioSpec> topology;
  if (args.scenario) {
    scenario::LoadResult r = scenario::load_scenario_file(*args.scenario);
    if (!report(r, err)) return exit_bad_input;
    topology = std::move(r.spec);
    topology->ops.clear();
    topology->io.clear();
    options.topology = &*topology;
  }
  std::optional<metrics::RunDirectory> dir;
  try {
    dir.emplace(args.output ? metrics::RunDirectory::create_exact(*args.output)
                            : metrics::RunDirectory::create_numbered("runs", "check"));
  } catch (const std::exception& e) {
    err << "lunsim: error: " << e.what() << '\n';
    return exit_bad_input;
  }
  const std::vector<runner::CheckCell> cells = runner::run_check(options);
  {
    metrics::CsvWriter w(dir->open("check.csv"));
    w.header({"behavior", "client", "verdict", "client_hresult_hex", "client_hresult", "orphaned_luns", "leaked_refs",
              "expected_verdict", "violations", "client_finished", "wait_began_s", "crash"});
    for (const auto& c : cells) {
      w.field(to_string(c.behavior)).field(c.client).field(to_string(c.verdict));
      w.field(provider::hex(c.client_hresult)).field(provider::describe(c.client_hresult));
      w.field(std::uint64_t{c.orphaned_luns}).field(std::uint64_t{c.leaked_refs});
      if (c.client == "reference") w.field(to_string(runner::expected_reference(c.behavior).verdict));
      else w.empty();
      w.field(std::uint64_t{c.violations}).field(c.client_finished ? "true" : "false");
      if (c.wait_began == base::never) w.empty();
      else w.field(c.wait_began);
      w.field(c.crash);
      w.end_row();
    }
  }
  dir->commit();
  const bool ok = runner::reference_matches(cells);
  if (!args.quiet) {
    runner::print_matrix(out, cells, options.clients);
    out << (ok ? "reference client: every cell matches the contract table\n"
               : "reference client: MISMATCH with the contract table\n");
    out << "  output         " << dir->final_path().string() << '\n';
  }
  return ok ? exit_ok : exit_found_failure;
}

int run_command(const RunArgs& args, std::ostream& out, std::ostream& err) {
  const scenario::LoadResult r = load(args.scenario);
  if (!report(r, err)) return exit_bad_input;
  const scenario::ScenarioSpec& spec = *r.spec;

  std::optional<metrics::RunDirectory> dir;
  try {
    dir.emplace(args.output ? metrics::RunDirectory::create_exact(*args.output)
                            : metrics::RunDirectory::create_numbered("runs", spec.name));
  } catch (const std::exception& e) {
    err << "lunsim: error: " << e.what() << '\n';
    return exit_bad_input;
  }

  runner::RunOptions options;
  options.trace = args.trace;
  const runner::RunResult result = runner::run_scenario(spec, options);
  const std::vector<runner::SummaryRow> summary = runner::summarize(result);
  runner::write_run(result, spec, runner::BuildInfo{LUNSIM_VERSION, LUNSIM_GIT_REVISION}, summary, *dir);
  dir->commit();
  if (!args.quiet) {
    runner::print_summary(out, result, spec, summary);
    struct rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    out << "  peak RSS       " << usage.ru_maxrss << " kB\n";
    out << "  output         " << dir->final_path().string() << '\n';
  }
  return exit_ok;
}

} // namespace sim::cli
